// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernfs.c - the kernel's file systems in the subsystem's view, three steps
 * of rootfs.c's table, and what they hide of the host:
 *
 *   /proc    a fresh procfs of the new PID namespace; files nobody inside
 *            needs are masked, some directories emptied, some read-only
 *   /sys     a fresh read-only sysfs (own network namespace) or a read-only
 *            bind of the host's (--share-net: the host's network namespace
 *            is not ours, so the kernel refuses a fresh one) with its
 *            debugfs, tracefs, securityfs, bpffs ... masked; firmware, DMI,
 *            slab and vmcoreinfo masked; cgroup2 of the subsystem on
 *            /sys/fs/cgroup
 *   /dev     a read-only tmpfs with null zero full random urandom tty bound
 *            from the host, a new devpts instance, ptmx, /dev/shm
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "private.h"

/* /proc files and directories nobody inside needs to read or write */
static const char *const proc_null[] = {
	"kcore",      "keys",	       "key-users",	"timer_list",  "sched_debug",
	"kallsyms",   "sysrq-trigger", "latency_stats", "timer_stats", "kpagecount",
	"kpageflags", "kpagecgroup",   "config.gz",	"vmallocinfo", "modules",
	"slabinfo",   "pagetypeinfo",  "buddyinfo",	"zoneinfo",    NULL,
};
static const char *const proc_empty[] = {
	/* tty/driver: the host's serial ports, their I/O ports and counters */
	"acpi", "scsi", "asound", "firmware", "driver", "tty/driver", NULL,
};
/* pressure: a PSI trigger written there watches the whole machine */
static const char *const proc_ro[] = {
	"sys", "irq", "bus", "fs", "pressure", NULL,
};

/*
 * The masks on the procfs we just mounted at @procfd: its names are the
 * kernel's, and nothing else can reach it yet, so each is resolved by the
 * mount call itself, not opened first (vos_mnt_mask_fresh()).
 */
static int mask_proc(struct vos_ctx *ctx, int procfd, struct vos_masks *mk)
{
	int i, r;

	r = vos_mnt_mask_fresh(ctx, procfd, proc_null, mk, true, "/proc/");
	if (r >= 0)
		r = vos_mnt_mask_fresh(ctx, procfd, proc_empty, mk, false, "/proc/");
	if (r < 0)
		return r;
	for (i = 0; proc_ro[i]; i++) {
		_cleanup_close_ int t = -1;

		t = open_tree(procfd, proc_ro[i],
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
				      AT_SYMLINK_NOFOLLOW);
		if (t < 0 && errno == ENOENT)
			continue;
		if (t < 0 || vos_mnt_setattr(t, VOS_MNT_RO_ALL, true) < 0 ||
		    move_mount(t, "", procfd, proc_ro[i], MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return vos_err(ctx, -errno, "read-only /proc/%s:", proc_ro[i]);
	}
	return 0;
}

int vos_view_proc(struct vos_ctx *ctx, int nr, int oldroot, struct vos_masks *mk)
{
	_cleanup_close_ int procfd = -1;
	int r, fd;

	r = vos_mnt_new_at(ctx, nr, "proc", "proc", NULL,
			   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &procfd);
	if (r < 0)
		return r;
	fd = vos_open_beneath(oldroot, "dev/null");
	if (fd < 0)
		return vos_err(ctx, fd, "open host /dev/null:");
	mk->devnull = fd;
	return mask_proc(ctx, procfd, mk);
}

/*
 * Any sysfs shows the machine's firmware tables and DMI serial numbers,
 * whatever the network namespace; some are mode 0400, which uid 0 inside
 * passes when root started the subsystem. Slab: the same data as the
 * masked /proc/slabinfo; vmcoreinfo: a physical address.
 */
static const char *const sys_dirs[] = {
	"sys/firmware",
	"sys/devices/virtual/dmi",
	"sys/kernel/slab",
	NULL,
};
static const char *const sys_files[] = {
	"sys/kernel/vmcoreinfo",
	NULL,
};

/*
 * The host's special file systems below a bind of its /sys (--share-net):
 * debugfs and tracefs (kernel internals, trace buffers of every process),
 * securityfs (LSM policies), bpffs (pinned maps and programs), configfs,
 * pstore (the last crash's kernel log). A fresh sysfs has none mounted.
 */
static const char *const sys_host_fs[] = {
	"sys/kernel/debug", "sys/kernel/tracing", "sys/kernel/security",     "sys/kernel/config",
	"sys/fs/bpf",	    "sys/fs/pstore",	  "sys/fs/fuse/connections", NULL,
};

int vos_view_sys(struct vos_ctx *ctx, const struct vos_config *cfg, int nr, int oldroot,
		 struct vos_masks *mk)
{
	_cleanup_close_ int dst = -1;
	_cleanup_close_ int cg = -1;
	_cleanup_close_ int m = -1;
	bool fresh = false;
	int r;

	dst = vos_mnt_point(ctx, nr, "sys", true);
	if (dst < 0)
		return dst;
	/* A fresh sysfs shows the new network namespace's devices only; the
	 * kernel allows it when that namespace belongs to our user ns.
	 */
	m = cfg->share_net ? -EPERM : vos_mnt_new_fs("sysfs", NULL, VOS_MNT_RO_ALL);
	if (m >= 0) {
		r = vos_mnt_move(m, dst);
		fresh = true;
	} else {
		_cleanup_close_ int src = vos_open_beneath(oldroot, "sys");

		r = src < 0 ? src : vos_mnt_bind(src, dst, VOS_MNT_RO_ALL);
	}
	if (r < 0)
		return vos_err(ctx, r, "mount /sys read-only:");
	/* names the kernel made (a sysfs, ours or the host's), resolved by
	 * the mount calls themselves (vos_mnt_mask_fresh())
	 */
	r = vos_mnt_mask_fresh(ctx, nr, sys_dirs, mk, false, "/");
	if (r >= 0)
		r = vos_mnt_mask_fresh(ctx, nr, sys_files, mk, true, "/");
	if (r >= 0 && !fresh)
		r = vos_mnt_mask_fresh(ctx, nr, sys_host_fs, mk, false, "/");
	if (r < 0)
		return r;
	/* the subsystem's own cgroup (the cgroup namespace's root), read-only;
	 * best effort: a missing cgroup2 weakens nothing
	 */
	vos_closep(&m);
	cg = vos_open_beneath(nr, "sys/fs/cgroup");
	if (cg >= 0) {
		m = vos_mnt_new_fs("cgroup2", NULL, VOS_MNT_RO_ALL);
		if (m >= 0)
			vos_mnt_move(m, cg);
	}
	return 0;
}

/* The host's node dev/@name, bound on a new empty file @name of @devfd. */
static int dev_node(struct vos_ctx *ctx, int oldroot, int devfd, const char *name)
{
	_cleanup_close_ int src = -1;
	_cleanup_close_ int dst = -1;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "dev/%s", name);
	src = vos_open_beneath(oldroot, path);
	if (src < 0)
		return vos_err(ctx, src, "/dev/%s: host node:", name);
	/* the new file itself is the mount point: created here, in our own
	 * fresh tmpfs (O_EXCL, O_NOFOLLOW), no path to open again
	 */
	dst = openat(devfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (dst < 0)
		return vos_err(ctx, -errno, "/dev/%s: mount point:", name);
	r = vos_mnt_bind(src, dst, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (r < 0)
		return vos_err(ctx, r, "bind /dev/%s:", name);
	return 0;
}

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

/*
 * /dev: a tmpfs with the host's harmless nodes, the usual symlinks and the
 * directories of vos_view_dev_fs()'s mounts, read-only: nothing may be
 * added to it from inside (the mounts on it do not need it writable).
 */
int vos_view_dev(struct vos_ctx *ctx, int nr, int oldroot)
{
	static const char *const dev_opts[] = { "mode", "0755", "size", "1m", NULL };
	static const struct {
		const char *name, *target;
	} links[] = {
		{ "ptmx", "pts/ptmx" },		 { "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" },	 { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" }, { "core", "/proc/kcore" },
	};
	_cleanup_close_ int devfd = -1;
	int i, r;

	r = vos_mnt_new_at(ctx, nr, "dev", "tmpfs", dev_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
			   &devfd);
	if (r < 0)
		return r;
	for (i = 0; dev_nodes[i]; i++) {
		r = dev_node(ctx, oldroot, devfd, dev_nodes[i]);
		if (r < 0)
			return r;
	}
	for (i = 0; i < (int)(sizeof(links) / sizeof(links[0])); i++) {
		if (symlinkat(links[i].target, devfd, links[i].name) < 0)
			return vos_err(ctx, -errno, "symlink /dev/%s:", links[i].name);
	}
	if (mkdirat(devfd, "pts", 0755) < 0 || mkdirat(devfd, "shm", 01777) < 0)
		return vos_err(ctx, -errno, "mkdir /dev/pts, /dev/shm:");
	if (vos_mnt_setattr(devfd, MOUNT_ATTR_RDONLY, false) < 0)
		return vos_err(ctx, -errno, "remount /dev read-only:");
	return 0;
}

/* The subsystem's own file systems on /dev (vos_view_dev()) */
int vos_view_dev_fs(struct vos_ctx *ctx, int nr, const char *size)
{
	static const char *const pts_opts[] = { "ptmxmode", "0666", "mode", "0620", NULL };
	const char *shm_opts[] = { "mode", "1777", size ? "size" : NULL, size, NULL };
	_cleanup_close_ int devfd = -1;
	int r;

	devfd = vos_open_beneath(nr, "dev");
	if (devfd < 0)
		return vos_err(ctx, devfd, "open /dev:");
	/* a new devpts instance: the host's terminals are not in it */
	r = vos_mnt_new_on(devfd, "pts", "devpts", pts_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (r < 0)
		return vos_err(ctx, r, "mount devpts on /dev/pts:");
	r = vos_mnt_new_on(devfd, "shm", "tmpfs", shm_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (r < 0)
		return vos_err(ctx, r, "mount tmpfs on /dev/shm:");
	return 0;
}
