// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rootfs.c - the subsystem's filesystem view, built by its init (pid 1 of the
 * new PID namespace, holding all capabilities of the new user namespace and
 * nothing outside it) before it drops them.
 *
 * Everything is done with file descriptors and the new mount API
 * (open_tree/move_mount/fsopen/fsmount/mount_setattr, Linux >= 5.12) so no
 * path is ever resolved twice and no symlink can move a mount elsewhere:
 * bind sources are opened under the old root without following symlinks,
 * destinations under the new root with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS.
 *
 *   /        by default a tmpfs, read-only once set up, that shows only the
 *            host's system directories (/usr, /etc, /opt, the /bin, /sbin
 *            and /lib* dirs or symlinks) as recursive read-only, nosuid,
 *            nodev binds; with --rootfs DIR or --host-root a recursive
 *            read-only, nosuid, nodev bind of DIR or the whole host root
 *   /proc    a fresh procfs of the new PID namespace, sensitive files masked
 *   /sys     a fresh read-only sysfs (own network namespace) or a read-only
 *            bind of the host's (--share-net: the host's network namespace
 *            is not ours, so the kernel refuses a fresh one) with its
 *            debugfs, tracefs, securityfs, bpffs ... masked; firmware, DMI,
 *            slab and vmcoreinfo masked; cgroup2 of the subsystem on
 *            /sys/fs/cgroup
 *   /dev     a read-only tmpfs with null zero full random urandom tty bound
 *            from the host, a new devpts instance, ptmx, /dev/shm
 *   /tmp /run (/var/run) /var/tmp  private tmpfs: no host socket is reachable
 *            there (/var/tmp: the host's, read-only, under a bound root)
 *   --tmpfs, --ro, --rw   in that order
 */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "private.h"

#define STAGE_DIR "/tmp"

/* the subsystem's root is the first id of its private range, not host root */
#define NOT_ROOT_HINT                                                                  \
	" (the subsystem's ids are not host root: every directory on the way must be " \
	"open to others; see IDENTITY in vosctl(1))"

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

static int mask_proc(struct vos_ctx *ctx, int procfd, int devnull)
{
	const uint64_t ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC;
	char what[64];
	int i, fd, r;

	for (i = 0; proc_null[i]; i++) {
		snprintf(what, sizeof(what), "/proc/%s", proc_null[i]);
		r = vos_mnt_mask_file(ctx, procfd, proc_null[i], devnull, what);
		if (r < 0)
			return r;
	}
	for (i = 0; proc_empty[i]; i++) {
		snprintf(what, sizeof(what), "/proc/%s", proc_empty[i]);
		r = vos_mnt_mask_dir(ctx, procfd, proc_empty[i], what);
		if (r < 0)
			return r;
	}
	for (i = 0; proc_ro[i]; i++) {
		fd = vos_open_beneath(procfd, proc_ro[i]);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return vos_err(ctx, fd, "read-only /proc/%s:", proc_ro[i]);
		r = vos_mnt_bind(fd, fd, ro);
		close(fd);
		if (r < 0)
			return vos_err(ctx, r, "read-only /proc/%s:", proc_ro[i]);
	}
	return 0;
}

static const char *const dev_nodes[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

/* "size", @buf (cfg->tmpfs_size in bytes) into @opts at @at; none for 0 */
static void tmpfs_size_opt(const struct vos_config *cfg, const char **opts, int at, char *buf,
			   size_t len)
{
	if (!cfg->tmpfs_size)
		return;
	snprintf(buf, len, "%llu", (unsigned long long)cfg->tmpfs_size);
	opts[at] = "size";
	opts[at + 1] = buf;
}

static int make_dev(struct vos_ctx *ctx, const struct vos_config *cfg, int nr, int oldroot)
{
	static const char *const dev_opts[] = { "mode", "0755", "size", "1m", NULL };
	const char *shm_opts[] = { "mode", "1777", NULL, NULL, NULL };
	char size[24];
	static const char *const pts_opts[] = { "ptmxmode", "0666", "mode", "0620", NULL };
	static const struct {
		const char *name, *target;
	} links[] = {
		{ "ptmx", "pts/ptmx" },		 { "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" },	 { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" }, { "core", "/proc/kcore" },
	};
	int devfd, i, r, src, dst, m;
	char path[64];

	r = vos_mnt_new_at(ctx, nr, "dev", "tmpfs", dev_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
			   &devfd);
	if (r < 0)
		return r;
	for (i = 0; dev_nodes[i]; i++) {
		snprintf(path, sizeof(path), "dev/%s", dev_nodes[i]);
		src = vos_open_beneath(oldroot, path);
		if (src < 0) {
			r = vos_err(ctx, src, "/dev/%s: host node:", dev_nodes[i]);
			goto out;
		}
		dst = openat(devfd, dev_nodes[i],
			     O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (dst >= 0) {
			close(dst);
			dst = vos_open_beneath(devfd, dev_nodes[i]);
		} else {
			dst = -errno;
		}
		if (dst < 0) {
			close(src);
			r = vos_err(ctx, dst, "/dev/%s: mount point:", dev_nodes[i]);
			goto out;
		}
		r = vos_mnt_bind(src, dst, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
		close(src);
		close(dst);
		if (r < 0) {
			vos_err(ctx, r, "bind /dev/%s:", dev_nodes[i]);
			goto out;
		}
	}
	for (i = 0; i < (int)(sizeof(links) / sizeof(links[0])); i++) {
		if (symlinkat(links[i].target, devfd, links[i].name) < 0) {
			r = vos_err(ctx, -errno, "symlink /dev/%s:", links[i].name);
			goto out;
		}
	}
	if (mkdirat(devfd, "pts", 0755) < 0 || mkdirat(devfd, "shm", 01777) < 0) {
		r = vos_err(ctx, -errno, "mkdir /dev/pts, /dev/shm:");
		goto out;
	}
	/* a new devpts instance: the host's terminals are not in it */
	m = vos_mnt_new_fs("devpts", pts_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (m < 0) {
		r = vos_err(ctx, m, "mount devpts on /dev/pts:");
		goto out;
	}
	dst = vos_open_beneath(devfd, "pts");
	r = dst < 0 ? dst : vos_mnt_move(m, dst);
	close(m);
	if (dst >= 0)
		close(dst);
	if (r < 0) {
		vos_err(ctx, r, "mount devpts on /dev/pts:");
		goto out;
	}
	tmpfs_size_opt(cfg, shm_opts, 2, size, sizeof(size));
	m = vos_mnt_new_fs("tmpfs", shm_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (m < 0) {
		r = vos_err(ctx, m, "mount tmpfs on /dev/shm:");
		goto out;
	}
	dst = vos_open_beneath(devfd, "shm");
	r = dst < 0 ? dst : vos_mnt_move(m, dst);
	close(m);
	if (dst >= 0)
		close(dst);
	if (r < 0) {
		vos_err(ctx, r, "mount tmpfs on /dev/shm:");
		goto out;
	}
	/* nothing may be added to /dev from inside */
	if (vos_mnt_setattr(devfd, MOUNT_ATTR_RDONLY, false) < 0) {
		r = vos_err(ctx, -errno, "remount /dev read-only:");
		goto out;
	}
	r = 0;
out:
	close(devfd);
	return r;
}

/*
 * The host's special file systems below a bind of its /sys (--share-net):
 * debugfs and tracefs (kernel internals, trace buffers of every process),
 * securityfs (LSM policies), bpffs (pinned maps and programs), configfs,
 * pstore (the last crash's kernel log). A fresh sysfs has none mounted.
 */
static const char *const sys_host_fs[] = {
	"kernel/debug", "kernel/tracing", "kernel/security",	 "kernel/config",
	"fs/bpf",	"fs/pstore",	  "fs/fuse/connections", NULL,
};

static int make_sys(struct vos_ctx *ctx, const struct vos_config *cfg, int nr, int oldroot,
		    int devnull)
{
	const uint64_t ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    MOUNT_ATTR_NOEXEC;
	int dst, src, m, r, cg, i;
	bool fresh = false;
	char path[64];

	dst = vos_mnt_point(ctx, nr, "sys", true);
	if (dst < 0)
		return dst;
	/* A fresh sysfs shows the new network namespace's devices only; the
	 * kernel allows it when that namespace belongs to our user ns.
	 */
	m = cfg->share_net ? -EPERM : vos_mnt_new_fs("sysfs", NULL, ro);
	if (m >= 0) {
		r = vos_mnt_move(m, dst);
		close(m);
		fresh = true;
	} else {
		src = vos_open_beneath(oldroot, "sys");
		r = src < 0 ? src : vos_mnt_bind(src, dst, ro);
		if (src >= 0)
			close(src);
	}
	close(dst);
	if (r < 0)
		return vos_err(ctx, r, "mount /sys read-only:");
	/*
	 * Any sysfs shows the machine's firmware tables and DMI serial numbers,
	 * whatever the network namespace; some are mode 0400, which uid 0
	 * inside passes when root started the subsystem.
	 */
	r = vos_mnt_mask_dir(ctx, nr, "sys/firmware", "/sys/firmware");
	if (r >= 0)
		r = vos_mnt_mask_dir(ctx, nr, "sys/devices/virtual/dmi",
				     "/sys/devices/virtual/dmi");
	/* the same data as the masked /proc/slabinfo; a physical address */
	if (r >= 0)
		r = vos_mnt_mask_dir(ctx, nr, "sys/kernel/slab", "/sys/kernel/slab");
	if (r >= 0)
		r = vos_mnt_mask_file(ctx, nr, "sys/kernel/vmcoreinfo", devnull,
				      "/sys/kernel/vmcoreinfo");
	for (i = 0; r >= 0 && !fresh && sys_host_fs[i]; i++) {
		snprintf(path, sizeof(path), "/sys/%s", sys_host_fs[i]);
		r = vos_mnt_mask_dir(ctx, nr, path + 1, path);
	}
	if (r < 0)
		return r;
	/* the subsystem's own cgroup (the cgroup namespace's root), read-only;
	 * best effort: a missing cgroup2 weakens nothing
	 */
	cg = vos_open_beneath(nr, "sys/fs/cgroup");
	if (cg >= 0) {
		m = vos_mnt_new_fs("cgroup2", NULL, ro);
		if (m >= 0) {
			vos_mnt_move(m, cg);
			close(m);
		}
		close(cg);
	}
	return 0;
}

static int user_mounts(struct vos_ctx *ctx, const struct vos_config *cfg, int nr, int oldroot,
		       uid_t uid, gid_t gid, const int *trees)
{
	char uids[16], gids[16], size[24];
	const char *opts[] = { "mode", "0755", "uid", uids, "gid", gids, NULL, NULL, NULL };
	unsigned int i;
	int r;

	tmpfs_size_opt(cfg, opts, 6, size, sizeof(size));
	snprintf(uids, sizeof(uids), "%u", (unsigned int)uid);
	snprintf(gids, sizeof(gids), "%u", (unsigned int)gid);
	for (i = 0; i < cfg->ntmpfs; i++) {
		r = vos_mnt_new_at(ctx, nr, cfg->tmpfs[i] + 1, "tmpfs", opts,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, NULL);
		if (r < 0)
			return vos_err_path_prefix(ctx, r, "--tmpfs", "--tmpfs %s", cfg->tmpfs[i]);
	}
	for (i = 0; i < cfg->nbinds; i++) {
		const struct vos_bind *b = &cfg->binds[i];
		const char *opt = (b->flags & VOS_BIND_RW) ? "--rw" : "--ro";
		uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
		struct stat st;
		int src, dst;

		/* idmapped by the parent (idmap.c): already nosuid, nodev and
		 * read-only for --ro; only to be moved in
		 */
		if (trees && trees[i] >= 0) {
			if (fstat(trees[i], &st) < 0)
				return vos_err_path(ctx, -errno, opt, "%s %s: stat:", opt, b->src);
			dst = vos_mnt_point(ctx, nr, b->dest, S_ISDIR(st.st_mode));
			if (dst < 0)
				return vos_err_path_prefix(ctx, dst, opt, "%s %s:%s", opt, b->src,
							   b->dest);
			r = vos_mnt_move(trees[i], dst);
			close(dst);
			if (r < 0)
				return vos_err_path(ctx, r, opt,
						    "%s %s:%s: move the idmapped mount in:", opt,
						    b->src, b->dest);
			continue;
		}
		src = vos_open_beneath(oldroot, b->src);
		if (src < 0)
			return vos_err_path(
				ctx, src, opt, "%s %s: open source: %s%s", opt, b->src,
				strerror(-src),
				(src == -ELOOP || src == -EXDEV)
					? " (a path component is a symlink: give the resolved path)"
				: src == -EACCES ? NOT_ROOT_HINT
						 : "");
		if (fstat(src, &st) < 0) {
			r = vos_err_path(ctx, -errno, opt, "%s %s: stat:", opt, b->src);
			close(src);
			return r;
		}
		dst = vos_mnt_point(ctx, nr, b->dest, S_ISDIR(st.st_mode));
		if (dst < 0) {
			close(src);
			return vos_err_path_prefix(ctx, dst, opt, "%s %s:%s", opt, b->src, b->dest);
		}
		if (!(b->flags & VOS_BIND_RW))
			attrs |= MOUNT_ATTR_RDONLY;
		r = vos_mnt_bind(src, dst, attrs);
		close(src);
		close(dst);
		if (r < 0)
			return vos_err_path(ctx, r, opt, "%s %s:%s: bind:", opt, b->src, b->dest);
	}
	return 0;
}

/*
 * What the default root shows of the host: its system directories, each a
 * recursive read-only bind, or the same symlink where the host has one
 * (merged /usr: /bin -> usr/bin). Not the whole host root: connect() on a
 * path UNIX socket needs write permission on the socket inode, not a
 * writable mount, so a service socket anywhere on a read-only bind of the
 * host root (/srv, /var/lib, /home ...) would be reachable from inside.
 * Nothing here is a place services put their sockets; /run and /tmp are
 * private tmpfs anyway.
 */
static const char *const host_dirs[] = {
	"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt", NULL,
};

/* Empty directories of the default root, for binds and apps that look. */
static const char *const root_dirs[] = {
	"home", "root", "mnt", "srv", "media", "var", NULL,
};

static int make_root(struct vos_ctx *ctx, int nr, int oldroot, uint64_t attrs)
{
	char target[PATH_MAX];
	struct stat st;
	int i, r, src, dst;
	ssize_t n;

	for (i = 0; host_dirs[i]; i++) {
		if (fstatat(oldroot, host_dirs[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			return vos_err(ctx, -errno, "host /%s:", host_dirs[i]);
		}
		if (S_ISLNK(st.st_mode)) {
			n = readlinkat(oldroot, host_dirs[i], target, sizeof(target) - 1);
			if (n < 0)
				return vos_err(ctx, -errno, "host /%s: readlink:", host_dirs[i]);
			target[n] = '\0';
			if (symlinkat(target, nr, host_dirs[i]) < 0)
				return vos_err(ctx, -errno, "symlink /%s:", host_dirs[i]);
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		src = vos_open_beneath(oldroot, host_dirs[i]);
		if (src < 0)
			return vos_err(ctx, src, "host /%s:", host_dirs[i]);
		if (mkdirat(nr, host_dirs[i], 0755) < 0) {
			r = vos_err(ctx, -errno, "mkdir /%s:", host_dirs[i]);
			close(src);
			return r;
		}
		dst = vos_open_beneath(nr, host_dirs[i]);
		r = dst < 0 ? dst : vos_mnt_bind(src, dst, attrs);
		close(src);
		if (dst >= 0)
			close(dst);
		if (r < 0)
			return vos_err(ctx, r, "bind host /%s read-only:", host_dirs[i]);
	}
	for (i = 0; root_dirs[i]; i++) {
		if (mkdirat(nr, root_dirs[i], 0755) < 0)
			return vos_err(ctx, -errno, "mkdir /%s:", root_dirs[i]);
	}
	/* /var/run is /run; /var/tmp gets a private tmpfs like /tmp */
	if (symlinkat("../run", nr, "var/run") < 0 || mkdirat(nr, "var/tmp", 0755) < 0)
		return vos_err(ctx, -errno, "/var/run, /var/tmp:");
	return 0;
}

/*
 * Build the view and pivot into it. Runs in the subsystem's init before
 * anything is dropped. @uid/@gid: the app's ids inside (tmpfs owners).
 */
int vos_fs_setup(struct vos_ctx *ctx, const struct vos_config *cfg, uid_t uid, gid_t gid,
		 const int *trees)
{
	const char *tmp_opts[] = { "mode", "1777", NULL, NULL, NULL };
	const char *run_opts[] = { "mode", "0755", NULL, NULL, NULL };
	static const char *const stage_opts[] = { "mode", "0700", NULL };
	char size[24];
	static const char *const root_opts[] = { "mode", "0755", "size", "1m", NULL };
	const uint64_t root_attrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	/* a bound root (--rootfs, --host-root) instead of the default tmpfs one */
	const bool bound_root = cfg->rootfs || cfg->host_root;
	int oldroot = -1, nr = -1, src = -1, procfd = -1, devnull = -1;
	int stage, r, dst;
	struct stat st;

	/* every tmpfs of the subsystem's has the same cap (default RAM/8) */
	tmpfs_size_opt(cfg, tmp_opts, 2, size, sizeof(size));
	tmpfs_size_opt(cfg, run_opts, 2, size, sizeof(size));
	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return vos_err(ctx, -errno, "make / private:");
	/* Stage on a tmpfs: it becomes our root for a moment, with the host
	 * root below it on /oldroot, so every later step is relative to fds.
	 */
	stage = vos_mnt_new_fs("tmpfs", stage_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (stage < 0)
		return vos_err(ctx, stage, "mount staging tmpfs:");
	if (move_mount(stage, "", AT_FDCWD, STAGE_DIR, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		r = vos_err(ctx, -errno, "mount staging tmpfs on " STAGE_DIR ":");
		close(stage);
		return r;
	}
	if (mkdirat(stage, "oldroot", 0700) < 0 || mkdirat(stage, "newroot", 0700) < 0 ||
	    fchdir(stage) < 0) {
		r = vos_err(ctx, -errno, "staging dirs:");
		close(stage);
		return r;
	}
	close(stage);
	if (syscall(SYS_pivot_root, ".", "oldroot") < 0)
		return vos_err(ctx, -errno, "pivot_root to staging:");
	if (chdir("/") < 0)
		return vos_err(ctx, -errno, "chdir /:");
	oldroot = open("/oldroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	nr = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0 || nr < 0) {
		r = vos_err(ctx, -errno, "open /oldroot, /newroot:");
		goto out;
	}

	/* The root: the host's system directories on a tmpfs by default,
	 * --rootfs DIR or --host-root recursively read-only.
	 */
	if (bound_root) {
		if (cfg->rootfs) {
			src = vos_openat2(oldroot, cfg->rootfs + 1,
					  O_PATH | O_CLOEXEC | O_DIRECTORY,
					  RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
			if (src < 0) {
				r = vos_err_path(ctx, -errno, "--rootfs", "--rootfs %s: %s%s",
						 cfg->rootfs, strerror(errno),
						 errno == EACCES ? NOT_ROOT_HINT : "");
				goto out;
			}
		} else {
			src = fcntl(oldroot, F_DUPFD_CLOEXEC, 3);
		}
		r = vos_mnt_bind(src, nr, root_attrs);
		close(src);
		if (r < 0) {
			vos_err(ctx, r,
				"bind %s read-only on /:", cfg->rootfs ? cfg->rootfs : "host root");
			goto out;
		}
	} else {
		r = vos_mnt_new_fs("tmpfs", root_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		if (r >= 0) {
			src = r;
			r = vos_mnt_move(src, nr);
			close(src);
		}
		if (r < 0) {
			vos_err(ctx, r, "mount the root tmpfs:");
			goto out;
		}
	}
	/* nr still names the directory below the new mount: reopen */
	close(nr);
	nr = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (nr < 0) {
		r = vos_err(ctx, -errno, "open /newroot:");
		goto out;
	}
	if (!bound_root) {
		r = make_root(ctx, nr, oldroot, root_attrs);
		if (r < 0)
			goto out;
	}

	r = vos_mnt_new_at(ctx, nr, "proc", "proc", NULL,
			   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &procfd);
	if (r < 0)
		goto out;
	devnull = vos_open_beneath(oldroot, "dev/null");
	if (devnull < 0) {
		r = vos_err(ctx, devnull, "open host /dev/null:");
		goto out;
	}
	r = mask_proc(ctx, procfd, devnull);
	if (r < 0)
		goto out;
	r = make_sys(ctx, cfg, nr, oldroot, devnull);
	if (r < 0)
		goto out;
	r = make_dev(ctx, cfg, nr, oldroot);
	if (r < 0)
		goto out;
	r = vos_mnt_new_at(ctx, nr, "tmp", "tmpfs", tmp_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
			   NULL);
	if (r >= 0 && !bound_root)
		r = vos_mnt_new_at(ctx, nr, "var/tmp", "tmpfs", tmp_opts,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, NULL);
	if (r < 0)
		goto out;
	/* host sockets live in /run: hide it */
	r = vos_mnt_new_at(ctx, nr, "run", "tmpfs", run_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
			   NULL);
	if (r < 0)
		goto out;
	if (fstatat(nr, "var/run", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
		r = vos_mnt_new_at(ctx, nr, "var/run", "tmpfs", run_opts,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, NULL);
		if (r < 0)
			goto out;
	}
	r = user_mounts(ctx, cfg, nr, oldroot, uid, gid, trees);
	if (r < 0)
		goto out;
	/* the default root's tmpfs: every mount point is made, freeze it */
	if (!bound_root && vos_mnt_setattr(nr, MOUNT_ATTR_RDONLY, false) < 0) {
		r = vos_err(ctx, -errno, "remount / read-only:");
		goto out;
	}

	/* Into the new root; the staging tmpfs and the host root under it
	 * are detached and unreachable from here on.
	 */
	if (fchdir(nr) < 0) {
		r = vos_err(ctx, -errno, "chdir new root:");
		goto out;
	}
	dst = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dst < 0 || fchdir(dst) < 0) {
		r = vos_err(ctx, -errno, "open new root:");
		if (dst >= 0)
			close(dst);
		goto out;
	}
	close(dst);
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		r = vos_err(ctx, -errno, "pivot_root:");
		goto out;
	}
	if (umount2(".", MNT_DETACH) < 0) {
		r = vos_err(ctx, -errno, "detach old root:");
		goto out;
	}
	if (chdir("/") < 0) {
		r = vos_err(ctx, -errno, "chdir /:");
		goto out;
	}
	r = 0;
out:
	if (oldroot >= 0)
		close(oldroot);
	if (nr >= 0)
		close(nr);
	if (procfd >= 0)
		close(procfd);
	if (devnull >= 0)
		close(devnull);
	return r;
}
