// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_masked - read the files a sandbox must hide: kernel memory
 * (/proc/kcore), other users' keys (/proc/keys), timers and scheduler
 * state of every process on the host (/proc/timer_list, /proc/sched_debug),
 * kernel addresses (/proc/kallsyms, /proc/modules, /proc/iomem with
 * non-zero values), firmware tables (/sys/firmware), slab caches
 * (/sys/kernel/slab), a physical address (/sys/kernel/vmcoreinfo), the
 * host's serial ports (/proc/tty/driver), debugfs, tracefs, securityfs,
 * bpffs, configfs, pstore (the runner also runs it with --share-net, where
 * /sys is the host's), the kernel log (/proc/kmsg); directly and through a
 * fresh procfs mount (which would show them unmasked). Also: a PSI trigger
 * on /proc/pressure (it watches the whole machine) must not be accepted.
 *
 * A read that returns data (for address files: a non-zero address; for
 * directories: any entry) is an escape.
 *
 *   esc_masked            the attack
 *   esc_masked --control  outside, as root: the reads must work
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

static char buf[65536];

/* Any hex address field other than all zeroes? */
static bool has_address(const char *s)
{
	const char *line = s;

	while (line && *line) {
		const char *p = line;
		bool nonzero = false, hex = false;

		while (*p == ' ')
			p++;
		for (; *p && *p != ' ' && *p != '-' && *p != '\n'; p++) {
			if (!strchr("0123456789abcdef", *p)) {
				hex = false;
				break;
			}
			hex = true;
			if (*p != '0')
				nonzero = true;
		}
		if (hex && nonzero && (p - line) >= 8)
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

static void try_file(const char *path, bool addresses)
{
	char what[300];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	esc_fmt(what, sizeof(what), "read %s", path);
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		esc_refused(what, errno);
	} else if (n == 0) {
		esc_refused(what, ENODATA);
	} else {
		buf[n] = 0;
		if (addresses && !has_address(buf))
			esc_refused(esc_fmt(what, sizeof(what), "read real addresses from %s",
					    path),
				    EPERM);
		else
			esc_escaped(what, "%zd bytes read", n);
	}
	close(fd);
}

static void try_dir(const char *path)
{
	char what[300];
	struct dirent *de;
	DIR *d = opendir(path);
	int n = 0;

	esc_fmt(what, sizeof(what), "list %s", path);
	if (!d) {
		esc_refused(what, errno);
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	if (n)
		esc_escaped(what, "%d entries", n);
	else
		esc_refused(what, ENOENT);
}

static void proc_files(const char *proc)
{
	static const char *const plain[] = {
		"kcore",	 "keys",	"key-users",   "timer_list", "sched_debug",
		"latency_stats", "timer_stats", "vmallocinfo", "slabinfo",
	};
	static const char *const addr[] = { "kallsyms", "modules", "iomem", "ioports" };
	static const char *const dirs[] = { "acpi", "scsi", "tty/driver" };
	char p[256], what[300];
	size_t i;
	int fd;

	/* /proc/kmsg: opening needs CAP_SYSLOG; reading would consume the log */
	snprintf(p, sizeof(p), "%s/kmsg", proc);
	fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		esc_refused(esc_fmt(what, sizeof(what), "open %s", p), errno);
	} else {
		esc_escaped(esc_fmt(what, sizeof(what), "open %s", p), "opened");
		close(fd);
	}
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", proc, plain[i]);
		try_file(p, false);
	}
	for (i = 0; i < sizeof(addr) / sizeof(addr[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", proc, addr[i]);
		try_file(p, true);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", proc, dirs[i]);
		try_dir(p);
	}
	/* a PSI trigger: only opening for writing is tried (a trigger is
	 * armed by the write and dropped with the fd)
	 */
	snprintf(p, sizeof(p), "%s/pressure/memory", proc);
	fd = open(p, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		esc_refused(esc_fmt(what, sizeof(what), "open %s for a PSI trigger", p), errno);
	} else {
		esc_escaped(esc_fmt(what, sizeof(what), "open %s for a PSI trigger", p), "opened");
		close(fd);
	}
}

int main(int argc, char **argv)
{
	static const char *const sysdirs[] = {
		"/sys/firmware",	"/sys/kernel/debug", "/sys/kernel/tracing",
		"/sys/kernel/security", "/sys/fs/bpf",	     "/sys/kernel/config",
		"/sys/kernel/slab",	"/sys/fs/pstore",
	};
	char dir[] = "/tmp/vesc-mask-XXXXXX";
	size_t i;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	proc_files("/proc");
	for (i = 0; i < sizeof(sysdirs) / sizeof(sysdirs[0]); i++)
		try_dir(sysdirs[i]);
	try_file("/sys/kernel/vmcoreinfo", false);
	if (!mkdtemp(dir)) {
		esc_refused("mkdtemp for a fresh procfs", errno);
	} else if (mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		esc_refused("mount a fresh procfs to see unmasked files", errno);
		rmdir(dir);
	} else {
		esc_escaped("mount a fresh procfs to see unmasked files", "mounted on %s", dir);
		proc_files(dir);
		umount2(dir, MNT_DETACH);
		rmdir(dir);
	}
	return esc_finish();
}
