// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_mount - mount tricks.
 *
 *   esc_mount [SENTINEL]     new mounts of proc, sysfs, cgroup, devtmpfs,
 *                            debugfs...; the new mount API (fsopen,
 *                            open_tree clone, move_mount); remounting every
 *                            read-only mount read-write (mount(2) and
 *                            mount_setattr(2)); unmounting masks; the old
 *                            chroot("..") escape; writing SENTINEL (a host
 *                            file under a read-only bind) and creating a file
 *                            next to it
 *   esc_mount absent PATH    PATH must not exist here (a host mount made
 *                            after the subsystem started must not propagate)
 *   esc_mount secret PATH    PATH must not show the content "VESC-SECRET"
 *                            (a bind through a symlink pointing out of place)
 *   esc_mount mountat DIR    mount a tmpfs on DIR (the runner checks the host
 *                            does not see it)
 *   esc_mount --control      outside, as root, in a private mount namespace
 *                            with a scratch read-only bind: must work
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "esc.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif

struct vesc_mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static void try_new_mounts(void)
{
	static const char *const types[][2] = {
		{ "proc", NULL },     { "sysfs", NULL },
		{ "cgroup2", NULL },  { "cgroup", "none,name=vescm" },
		{ "devtmpfs", NULL }, { "debugfs", NULL },
		{ "tracefs", NULL },  { "securityfs", NULL },
		{ "bpf", NULL },      { "binfmt_misc", NULL },
		{ "configfs", NULL }, { "hugetlbfs", NULL },
		{ "mqueue", NULL },
	};
	char dir[] = "/tmp/vesc-mnt-XXXXXX", what[128];
	size_t i;
	int fd;

	if (!mkdtemp(dir)) {
		esc_refused("mkdtemp", errno);
		return;
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		esc_fmt(what, sizeof(what), "mount a new %s", types[i][0]);
		if (mount(types[i][0], dir, types[i][0], MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  types[i][1]) < 0) {
			esc_refused(what, errno);
			continue;
		}
		esc_escaped(what, "mounted on %s", dir);
		umount2(dir, MNT_DETACH);
	}
	fd = (int)syscall(SYS_fsopen, "proc", 0);
	if (!esc_check("fsopen(\"proc\") (new mount API)", fd))
		;
	else
		close(fd);
	fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | AT_RECURSIVE);
	if (esc_check("open_tree(/, OPEN_TREE_CLONE) (detached copy of the tree)", fd)) {
		esc_check("move_mount the clone onto /tmp",
			  syscall(SYS_move_mount, fd, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH));
		umount2(dir, MNT_DETACH);
		close(fd);
	}
	rmdir(dir);
}

/* Every read-only mount we can see: remount it read-write. */
static void try_remounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], what[600];
	int tried = 0;

	if (!f) {
		esc_refused("read /proc/self/mountinfo", errno);
		return;
	}
	while (fgets(line, sizeof(line), f) && tried < 40) {
		char mp[1024], opts[512];
		struct vesc_mount_attr attr = { 0 };

		/* id parent maj:min root mountpoint options ... */
		if (sscanf(line, "%*s %*s %*s %*s %1023s %511s", mp, opts) != 2)
			continue;
		if (strncmp(opts, "ro", 2) || (opts[2] && opts[2] != ','))
			continue;
		tried++;
		esc_check(esc_fmt(what, sizeof(what), "remount read-only %s read-write", mp),
			  mount(NULL, mp, NULL, MS_REMOUNT | MS_BIND, NULL));
		attr.attr_clr = MOUNT_ATTR_RDONLY;
		esc_check(esc_fmt(what, sizeof(what), "mount_setattr: clear read-only on %s", mp),
			  syscall(SYS_mount_setattr, AT_FDCWD, mp, 0, &attr, sizeof(attr)));
	}
	fclose(f);
	if (!tried)
		esc_info("no read-only mount found");
}

static void try_unmask(void)
{
	static const char *const masks[] = {
		"/proc/kcore",	       "/proc/keys",	"/proc/timer_list", "/proc/sys",
		"/proc/sysrq-trigger", "/sys/firmware", "/proc/acpi",	    "/proc/scsi",
	};
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		esc_check(esc_fmt(what, sizeof(what), "unmount the mask on %s", masks[i]),
			  umount2(masks[i], MNT_DETACH));
	esc_check("unmount / (lazily)", umount2("/", MNT_DETACH));
}

static void try_chroot(void)
{
	char dir[] = "/tmp/vesc-chr-XXXXXX";
	int i;

	if (!mkdtemp(dir)) {
		esc_refused("mkdtemp", errno);
		return;
	}
	if (chroot(dir) < 0) {
		esc_refused("chroot into a subdirectory (the chroot(\"..\") escape)", errno);
	} else {
		for (i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		esc_check("chroot into a subdirectory, climb, chroot(\".\")", chroot("."));
	}
	rmdir(dir);
}

static void try_sentinel(const char *path)
{
	char what[512], dir[512], p[600];
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	esc_fmt(what, sizeof(what), "open the host file %s for writing", path);
	if (fd < 0) {
		esc_refused(what, errno);
	} else {
		esc_escaped(what, "writable");
		close(fd);
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	snprintf(p, sizeof(p), "%s/vesc-created-inside", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	esc_fmt(what, sizeof(what), "create %s", p);
	if (fd < 0) {
		esc_refused(what, errno);
	} else {
		esc_escaped(what, "created");
		close(fd);
		unlink(p);
	}
}

static int control(void)
{
	char dir[] = "/tmp/vesc-mctl-XXXXXX", f[64];

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    !mkdtemp(dir) || mount(dir, dir, NULL, MS_BIND, NULL) < 0 ||
	    mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
		perror("esc_mount: control setup");
		return 2;
	}
	esc_info("control: private mount namespace, scratch read-only bind %s", dir);
	try_new_mounts();
	try_remounts();
	umount2(dir, MNT_DETACH);
	snprintf(f, sizeof(f), "%s/sentinel", dir);
	close(open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	try_sentinel(f);
	unlink(f);
	rmdir(dir);
	return esc_finish();
}

int main(int argc, char **argv)
{
	char buf[256];
	struct stat st;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv))
		return control();
	if (argc == 3 && !strcmp(argv[1], "absent")) {
		if (stat(argv[2], &st) == 0)
			esc_escaped("keep host mounts made after start out", "%s is visible",
				    argv[2]);
		else
			esc_refused("see a host mount made after start", errno);
		return esc_finish();
	}
	if (argc == 3 && !strcmp(argv[1], "secret")) {
		ssize_t n = esc_read_file(argv[2], buf, sizeof(buf));

		if (n > 0 && strstr(buf, "VESC-SECRET"))
			esc_escaped("read a host file through a symlinked bind source",
				    "%s shows the secret", argv[2]);
		else
			esc_refused("read a host file through a symlinked bind source",
				    n < 0 ? (int)-n : ENODATA);
		return esc_finish();
	}
	if (argc == 3 && !strcmp(argv[1], "mountat")) {
		esc_check("mount a tmpfs over a host-visible directory",
			  mount("vesc", argv[2], "tmpfs", 0, NULL));
		return esc_finish();
	}
	if (argc > 2 || (argc == 2 && argv[1][0] != '/')) {
		fprintf(stderr,
			"usage: esc_mount [SENTINEL] | absent PATH | secret PATH | mountat DIR | --control\n");
		return 2;
	}
	try_new_mounts();
	try_remounts();
	try_unmask();
	try_chroot();
	if (argc == 2)
		try_sentinel(argv[1]);
	return esc_finish();
}
