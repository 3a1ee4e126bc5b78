// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_dev - device nodes: make them (mknod) and open the dangerous ones a
 * sandbox must not expose: physical memory (/dev/mem, /dev/port), the
 * kernel log (/dev/kmsg: read it, or forge lines), the virtos control
 * device (/dev/vos), virtual consoles, every block device, and friends.
 *
 *   esc_dev [NAME=c|b:MAJOR:MINOR...]   the attack; each extra NAME is also
 *                                       made with mknod (e.g. the host's
 *                                       /dev/vos and block device numbers)
 *   esc_dev --control                   outside, as root: must work
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "esc.h"

static void try_open(const char *path, int flags)
{
	char what[300];
	int fd = open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	esc_fmt(what, sizeof(what), "open %s %s", path,
		(flags & O_ACCMODE) == O_RDONLY ? "for reading" : "for writing");
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "opened");
	close(fd);
}

static void try_mknod(const char *name, char type, unsigned int maj, unsigned int min)
{
	char path[128], what[200];
	mode_t mode = (type == 'b' ? S_IFBLK : S_IFCHR) | 0600;

	snprintf(path, sizeof(path), "/tmp/vesc-node-%s", name);
	unlink(path);
	esc_fmt(what, sizeof(what), "mknod %s %c %u:%u", path, type, maj, min);
	if (mknod(path, mode, makedev(maj, min)) < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "created");
	try_open(path, O_RDONLY);
	unlink(path);
}

int main(int argc, char **argv)
{
	static const char *const rd[] = {
		"/dev/mem",	     "/dev/kmem",
		"/dev/port",	     "/dev/kmsg",
		"/dev/vos",	     "/dev/console",
		"/dev/tty0",	     "/dev/tty1",
		"/dev/ttyS0",	     "/dev/vcs",
		"/dev/vcsa",	     "/dev/fb0",
		"/dev/loop-control", "/dev/mapper/control",
		"/dev/cpu/0/msr",    "/dev/nvram",
		"/dev/kvm",	     "/dev/uinput",
		"/dev/rtc0",	     "/dev/hwrng",
		"/dev/vhost-net",    "/dev/btrfs-control",
		"/dev/autofs",	     "/dev/vda",
		"/dev/vdb",	     "/dev/sda",
		"/dev/nvme0n1",	     "/dev/sr0",
		"/dev/ram0",	     "/dev/loop0",
		"/dev/zram0",	     "/dev/dri/card0",
	};
	struct dirent *de;
	char path[300];
	size_t i;
	DIR *d;
	int a;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(rd) / sizeof(rd[0]); i++)
		try_open(rd[i], O_RDONLY);
	try_open("/dev/kmsg", O_WRONLY);
	/* every block device the kernel knows, by its /dev name */
	d = opendir("/sys/class/block");
	if (d) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/dev/%s", de->d_name);
			try_open(path, O_RDONLY);
		}
		closedir(d);
	}
	try_mknod("mem", 'c', 1, 1);
	try_mknod("kmsg", 'c', 1, 11);
	try_mknod("virtio-blk", 'b', 254, 0);
	try_mknod("sda", 'b', 8, 0);
	for (a = esc_is_control(argc, argv) ? 2 : 1; a < argc; a++) {
		char name[64], type;
		unsigned int maj, min;

		if (sscanf(argv[a], "%63[^=]=%c:%u:%u", name, &type, &maj, &min) != 4 ||
		    (type != 'c' && type != 'b')) {
			fprintf(stderr, "esc_dev: bad device '%s' (NAME=c|b:MAJ:MIN)\n", argv[a]);
			return 2;
		}
		try_mknod(name, type, maj, min);
	}
	return esc_finish();
}
