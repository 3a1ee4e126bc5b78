// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup.c - cgroup v2: find the hierarchy and the cgroup of a process
 * (the one reader of /proc/PID/cgroup), make the subsystem's leaf and write
 * its limits, remove it after the end, collect leaves whose run was killed.
 *
 * Leaves are "vos-<name>" directories. The run that made a leaf removes it
 * when it ends; if it is killed first, the leaf stays. Such stale leaves
 * are collected by the next vos_cgroup_create() in the same parent and by
 * vos_subsys_end(): a leaf goes only if it is empty (cgroup.events says
 * "populated 0"; rmdir refuses one with tasks or children anyway) and no
 * creator holds it. A creator holds a shared flock(2) on its leaf from
 * mkdir until its init is moved in (the lock is released when the last
 * copy of its fd is closed, a killed creator's included); the collector
 * takes the lock exclusively, without waiting, before it looks. A creator
 * that loses the race between its mkdir and its lock sees its directory
 * gone and makes it again.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <linux/magic.h>

#include "private.h"

/*
 * The cgroup v2 mount point in @buf. Where systemd and every current
 * distribution mount it, /sys/fs/cgroup, one statfs() says so; anywhere
 * else, the first cgroup2 line of /proc/self/mountinfo, which the kernel
 * renders whole for each reader: a fifth of a millisecond of every start
 * on the instruction clock (Documentation/performance.md).
 */
int vos_cgroup2_root(char *buf, size_t len)
{
	static const char usual[] = "/sys/fs/cgroup";
	char line[8192];
	struct statfs sf;
	FILE *f;
	int r = -ENOENT;

	if (statfs(usual, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC) {
		if (len < sizeof(usual))
			return -ENAMETOOLONG;
		memcpy(buf, usual, sizeof(usual));
		return 0;
	}
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[4096];

		if (!sep || strncmp(sep, " - cgroup2 ", 11) != 0)
			continue;
		/* id parent maj:min root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if ((size_t)snprintf(buf, len, "%s", mnt) >= len) {
			r = -ENAMETOOLONG;
			break;
		}
		r = 0;
		break;
	}
	fclose(f);
	return r;
}

/*
 * vos_cgroup_path() with the cgroup2 mount point already known (@root),
 * or looked up here if @root is NULL.
 */
static int cgroup_path_under(const char *root, pid_t pid, char *buf, size_t len)
{
	char path[64], line[4096], found[4096];
	FILE *f;
	int r = -ENOENT;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/cgroup");
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *cg = line + 3;

		if (strncmp(line, "0::/", 4) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		r = root ? 0 : vos_cgroup2_root(found, sizeof(found));
		if (!root)
			root = found;
		if (!r &&
		    (size_t)snprintf(buf, len, "%s%s", root, strcmp(cg, "/") ? cg : "") >= len)
			r = -ENAMETOOLONG;
		break;
	}
	fclose(f);
	return r;
}

/*
 * The cgroup v2 directory of @pid (0: the caller) in @buf: the cgroup2
 * mount point joined with the "0::" line of /proc/PID/cgroup (the mount
 * point itself for "/"). -ENOENT without either.
 */
int vos_cgroup_path(pid_t pid, char *buf, size_t len)
{
	return cgroup_path_under(NULL, pid, buf, len);
}

static int write_file_at(int dirfd, const char *file, const char *val)
{
	_cleanup_close_ int fd = -1;
	size_t n = strlen(val);

	fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, n) != (ssize_t)n)
		return -errno;
	return 0;
}

/* The controller list @file of the cgroup @dirfd into @buf ("" if unreadable). */
static void read_controllers(int dirfd, const char *file, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

/* Is @ctl one of the words of the controller list @list? */
static bool listed(const char *list, const char *ctl)
{
	size_t n = strlen(ctl);
	const char *p;

	for (p = list; (p = strstr(p, ctl)); p += n)
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

static bool has_controller(int dirfd, const char *file, const char *ctl)
{
	char buf[512];

	read_controllers(dirfd, file, buf, sizeof(buf));
	return listed(buf, ctl);
}

/* Is the cgroup @dirfd empty: no task in it or below (cgroup.events)? */
static bool unpopulated(int dirfd)
{
	char buf[256];
	ssize_t n;
	int fd;

	fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "populated 0\n") != NULL;
}

/*
 * Remove the leaf @name below @pfd if it is stale: unpopulated and not
 * held by its creator. Returns 0 if it was removed, else -errno.
 */
static int collect_leaf(int pfd, const char *name)
{
	_cleanup_close_ int fd = -1;

	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return -errno; /* EWOULDBLOCK: a creator holds it */
	if (!unpopulated(fd))
		return -EBUSY;
	return unlinkat(pfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

/* A directory stream of @dirfd's directory (its own fd: closedir()
 * leaves @dirfd open), NULL on error.
 */
static DIR *opendir_fd(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

/* Remove every stale vos-* leaf directly below @pfd. */
static void collect_below(int pfd)
{
	struct dirent *de;
	DIR *d = opendir_fd(pfd);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_type == DT_DIR && strncmp(de->d_name, "vos-", 4) == 0)
			collect_leaf(pfd, de->d_name);
	}
	closedir(d);
}

/* Walk the hierarchy below @dirfd for leaves named @leaf (and with the
 * cgroup id @id, if not 0); collect them.
 */
static void collect_named(int dirfd, const char *leaf, uint64_t id, int depth)
{
	struct dirent *de;
	DIR *d;

	if (depth > 32)
		return;
	d = opendir_fd(dirfd);
	if (!d)
		return;
	while ((de = readdir(d))) {
		_cleanup_close_ int sub = -1;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		if (strcmp(de->d_name, leaf) == 0) {
			struct stat st;

			/* a cgroup's id is its inode number (64-bit kernels) */
			if ((!id || (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				     st.st_ino == id)) &&
			    collect_leaf(dirfd, de->d_name) == 0)
				continue;
		}
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		collect_named(sub, leaf, id, depth + 1);
	}
	closedir(d);
}

/*
 * Remove stale leaves "vos-@name" anywhere in the cgroup v2 hierarchy: for
 * a subsystem being ended whose init is gone (its leaf's parent is not
 * known then: it was the creator's cgroup or --cgroup-parent). @id: the
 * cgroup id vos.ko recorded at attach, 0 if it never had one.
 */
void vos_cgroup_collect(const char *name, uint64_t id)
{
	char root[4096], leaf[VOS_NAME_MAX + 8];
	_cleanup_close_ int fd = -1;

	if (vos_cgroup2_root(root, sizeof(root)) < 0)
		return;
	snprintf(leaf, sizeof(leaf), "vos-%s", name);
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		collect_named(fd, leaf, id, 0);
}

/* Make the leaf @name below @pfd and hold it (see the top of the file). */
static int make_leaf(int pfd, const char *name)
{
	struct stat a, b;
	int r, tries;

	for (tries = 0; tries < 8; tries++) {
		_cleanup_close_ int fd = -1;

		r = mkdirat(pfd, name, 0755) < 0 ? -errno : 0;
		/* left over by a killed run or an ended persistent subsystem
		 * of the same name: collect it if it is stale
		 */
		if (r == -EEXIST && collect_leaf(pfd, name) == 0)
			r = mkdirat(pfd, name, 0755) < 0 ? -errno : 0;
		if (r < 0)
			return r;
		fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* collected before we opened it */
			return -errno;
		}
		if (flock(fd, LOCK_SH) < 0)
			return -errno;
		/* still ours, not collected between mkdir and flock? */
		if (fstat(fd, &a) == 0 && fstatat(pfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return vos_take_fd(&fd);
	}
	return -EAGAIN;
}

/* The limits of @cfg, written into the leaf @fd (at @path). */
static int write_limits(struct vos_ctx *ctx, const struct vos_config *cfg, int fd, const char *path)
{
	char val[64];
	int r;

	if (cfg->memory) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)cfg->memory);
		r = write_file_at(fd, "memory.max", val);
		if (r < 0)
			return vos_err_cgroup(ctx, r, "cgroup %s: write memory.max=%s:", path, val);
		/* no swap, or the limit would only slow the hog down */
		r = write_file_at(fd, "memory.swap.max", "0");
		if (r < 0 && r != -ENOENT)
			return vos_err_cgroup(ctx, r, "cgroup %s: write memory.swap.max=0:", path);
	}
	if (cfg->pids) {
		snprintf(val, sizeof(val), "%llu", (unsigned long long)cfg->pids);
		r = write_file_at(fd, "pids.max", val);
		if (r < 0)
			return vos_err_cgroup(ctx, r, "cgroup %s: write pids.max=%s:", path, val);
	}
	if (cfg->cpu_milli) {
		snprintf(val, sizeof(val), "%u 100000", cfg->cpu_milli * 100);
		r = write_file_at(fd, "cpu.max", val);
		if (r < 0)
			return vos_err_cgroup(ctx, r, "cgroup %s: write cpu.max=%s:", path, val);
	}
	return 0;
}

/*
 * Create <parent>/vos-<name> and set its limits. Returns the directory fd
 * (O_DIRECTORY) and its path in @path, -ENOENT if no cgroup v2 is mounted.
 */
static int leaf_with_limits(struct vos_ctx *ctx, const struct vos_config *cfg, char *path,
			    size_t len)
{
	char root[4096], parent[8192];
	const char *ctls[3] = { NULL, NULL, NULL };
	char enabled[512];
	_cleanup_close_ int pfd = -1;
	_cleanup_close_ int fd = -1;
	int r, i;

	r = vos_cgroup2_root(root, sizeof(root));
	if (r < 0)
		return vos_err_cgroup(ctx, r, "cgroup: no cgroup v2 hierarchy mounted");
	if (cfg->cgroup_parent) {
		if ((size_t)snprintf(parent, sizeof(parent), "%s", cfg->cgroup_parent) >=
		    sizeof(parent))
			return vos_err_cgroup(ctx, -ENAMETOOLONG, "cgroup parent:");
	} else {
		/* the mount point just found: /proc/self/mountinfo read once */
		r = cgroup_path_under(root, 0, parent, sizeof(parent));
		if (r < 0)
			return vos_err_cgroup(ctx, r, "cgroup: read /proc/self/cgroup:");
	}
	pfd = open(parent, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (pfd < 0)
		return vos_err_cgroup(ctx, -errno, "cgroup: open %s:", parent);
	if (cfg->memory)
		ctls[0] = "memory";
	if (cfg->pids)
		ctls[1] = "pids";
	if (cfg->cpu_milli)
		ctls[2] = "cpu";
	/* read once: the loop only adds the controller it checks */
	read_controllers(pfd, "cgroup.subtree_control", enabled, sizeof(enabled));
	for (i = 0; i < 3; i++) {
		char op[16];

		if (!ctls[i] || listed(enabled, ctls[i]))
			continue;
		if (!has_controller(pfd, "cgroup.controllers", ctls[i]))
			return vos_err_cgroup(
				ctx, -EOPNOTSUPP,
				"cgroup %s: the %s controller is not available there (not delegated to this cgroup)",
				parent, ctls[i]);
		snprintf(op, sizeof(op), "+%s", ctls[i]);
		r = write_file_at(pfd, "cgroup.subtree_control", op);
		if (r < 0)
			return vos_err_cgroup(
				ctx, r, "cgroup %s: enable %s controller: %s%s", parent, ctls[i],
				strerror(-r),
				r == -EBUSY
					? " (the cgroup has processes: give a cgroup parent without processes)"
					: "");
	}
	if ((size_t)snprintf(path, len, "%s/vos-%s", parent, cfg->name) >= len)
		return vos_err_cgroup(ctx, -ENAMETOOLONG, "cgroup path:");
	/* leaves of killed runs in the same parent */
	collect_below(pfd);
	fd = make_leaf(pfd, strrchr(path, '/') + 1);
	if (fd == -EEXIST)
		return vos_err_cgroup(
			ctx, fd, "cgroup %s: already exists (a subsystem of that name is running?)",
			path);
	if (fd < 0)
		return vos_err_cgroup(ctx, fd, "cgroup: mkdir %s:", path);
	r = write_limits(ctx, cfg, fd, path);
	if (r < 0) {
		vos_closep(&fd);
		rmdir(path);
		return r;
	}
	return vos_take_fd(&fd);
}

/* Move @pid into the cgroup whose directory fd is @cgfd. */
int vos_cgroup_enter(int cgfd, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return write_file_at(cgfd, "cgroup.procs", val);
}

/*
 * The subsystem's leaf for @cfg: its directory fd in *@fdp and its path in
 * @path, or -1 and "" if it gets none. The cgroup is needed for the limits
 * only: without limits asked for, a missing or undelegated cgroup v2 is
 * not an error (e.g. an unprivileged caller), but a leaf of the same name
 * still in use is (EEXIST).
 */
int vos_cgroup_create(struct vos_ctx *ctx, const struct vos_config *cfg, char *path, size_t len,
		      int *fdp)
{
	int fd = leaf_with_limits(ctx, cfg, path, len);

	*fdp = fd >= 0 ? fd : -1;
	if (fd >= 0)
		return 0;
	path[0] = '\0';
	if (cfg->memory || cfg->pids || cfg->cpu_milli)
		return vos_err_prefix(ctx, fd, "limits");
	if (fd == -EEXIST)
		return fd;
	vos_ctx_clear_error(ctx);
	return 0;
}

/*
 * After its end, remove the cgroup @path of a subsystem's init if it is a
 * leaf of ours ("vos-<name>", see vos_cgroup_create()); its last processes
 * may take a moment to leave it.
 */
void vos_cgroup_remove(const char *path)
{
	if (!strstr(path, "/vos-"))
		return;
	for (int i = 0; i < 50; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		if (rmdir(path) == 0 || errno != EBUSY)
			break;
		nanosleep(&ts, NULL);
	}
}

/*
 * cgroup.freeze of running @s's own leaf, opened once and kept with the
 * handle: a pool thaws its member on the start's critical path, where
 * reading /proc/PID/cgroup and the mount table again would cost more
 * than the write itself.
 */
static int freeze_file(struct vos_subsys *s)
{
	char path[8192], leaf[VOS_NAME_MAX + 8];
	_cleanup_close_ int fd = -1;
	const char *base;
	struct vos_info info;
	int r;

	r = vos_subsys_info(s, &info);
	if (r < 0)
		return r;
	if (info.state != VOS_STATE_RUNNING || info.init_pid <= 0)
		return vos_err_class(s->ctx, -ESRCH, VOS_ERR_NAME, "freeze '%s': it is %s", s->name,
				     vos_state_name(info.state));
	if (s->freeze_fd >= 0)
		return s->freeze_fd;
	snprintf(leaf, sizeof(leaf), "vos-%s", s->name);
	if (vos_cgroup_path(info.init_pid, path, sizeof(path)) < 0)
		return vos_err(s->ctx, -EOPNOTSUPP, "freeze '%s': no cgroup v2", s->name);
	base = strrchr(path, '/');
	/* never the cgroup of whoever made it (no leaf of its own) */
	if (!base || strcmp(base + 1, leaf))
		return vos_err(s->ctx, -EOPNOTSUPP, "freeze '%s': it has no cgroup of its own",
			       s->name);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return vos_err(s->ctx, -errno, "freeze '%s': %s:", s->name, path);
	s->freeze_fd = openat(fd, "cgroup.freeze", O_WRONLY | O_CLOEXEC);
	if (s->freeze_fd < 0)
		return vos_err(s->ctx, -errno, "freeze '%s': %s/cgroup.freeze:", s->name, path);
	return s->freeze_fd;
}

VOS_EXPORT int vos_subsys_freeze(struct vos_subsys *s, bool freeze)
{
	int fd;

	if (!s)
		return -EINVAL;
	fd = freeze_file(s);
	if (fd < 0)
		return fd;
	if (write(fd, freeze ? "1" : "0", 1) != 1)
		return vos_err(s->ctx, -errno,
			       "%s '%s': cgroup.freeze:", freeze ? "freeze" : "thaw", s->name);
	return 0;
}
