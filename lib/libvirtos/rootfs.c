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
 *   /proc /sys /dev   the kernel's file systems, what they show of the host
 *            masked (kernfs.c)
 *   /tmp /run (/var/run) /var/tmp  private tmpfs: no host socket is reachable
 *            there (/var/tmp: the host's, read-only, under a bound root)
 *   --tmpfs, --ro, --rw   in that order
 *
 * The view is a table of steps (view[], like bubblewrap's list of setup
 * operations): view_plan() picks those that apply to the config and
 * appends the options' own; vos_fs_setup() stages, runs each step's
 * function and pivots into the result. /proc, /sys and /dev are kernfs.c's
 * steps; the mount primitives are fdmount.c's.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

#include "private.h"

#define STAGE_DIR "/tmp"

#define NOSUID_NODEV (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
/* the root, and the host's directories on the default one */
#define ROOT_ATTRS (MOUNT_ATTR_RDONLY | NOSUID_NODEV)

/* the subsystem's root is the first id of its private range, not host root */
#define NOT_ROOT_HINT                                                                  \
	" (the subsystem's ids are not host root: every directory on the way must be " \
	"open to others; see IDENTITY in vosctl(1))"

/* What a step of the view does; view_do[] has one function per kind. */
enum view_kind {
	V_ROOT,	      /* the root: a tmpfs, or the bound tree (--rootfs, --host-root) */
	V_HOST,	      /* a host system directory: a read-only bind, or the same symlink */
	V_DIR,	      /* an empty directory */
	V_SYMLINK,    /* a symlink to @arg */
	V_PROC,	      /* a fresh procfs, masked (kernfs.c, at /proc) */
	V_SYS,	      /* sysfs read-only, masked; our own cgroup2 (kernfs.c, at /sys) */
	V_DEV,	      /* a read-only tmpfs of harmless host nodes (kernfs.c, at /dev) */
	V_DEV_FS,     /* devpts and shm on it (kernfs.c) */
	V_TMPFS,      /* a private tmpfs of mode @arg */
	V_USER_TMPFS, /* --tmpfs: a private tmpfs the app owns */
	V_BIND,	      /* --ro, --rw: the idmapped tree moved in, or a plain bind */
	V_FREEZE,     /* the default root's tmpfs made read-only */
	V_VOSD,	      /* the host's vosd socket directory, read-only, if there is one */
};

/* When a step of view[] is taken */
enum {
	ALWAYS,
	DEFAULT_ROOT, /* not under a bound root (--rootfs, --host-root) */
	IF_DIR,	      /* only where the root has a directory there */
};

/*
 * Which part of the view a step makes (viewtmpl.c): the same for every
 * subsystem on this host (P_HOST), or its own (P_OWN). A view is made
 * whole by the subsystem's init, or from the host's view template: the
 * P_HOST steps once, into the template, and per subsystem only the
 * P_OWN steps on a copy of it. P_MOUNT_POINT steps are for the template
 * only: the directories a start mounts on (made on the way otherwise).
 */
enum {
	P_HOST,
	P_OWN,
	P_MOUNT_POINT,
};

struct view_op {
	enum view_kind kind;
	const char *path; /* below the new root */
	const char *arg;  /* V_SYMLINK: the target; V_TMPFS: the mode */
	unsigned int when;
	unsigned int part; /* P_HOST, P_OWN, P_MOUNT_POINT */
	const char *what;  /* the failure's subject, if not the path */
	unsigned int i;	   /* V_USER_TMPFS, V_BIND: which of the config's */
};

/*
 * The view, step by step in this order; --tmpfs, --ro and --rw follow in
 * that order, then the default root is frozen (view_plan()).
 *
 * What the default root shows of the host are its system directories, each
 * a recursive read-only bind, or the same symlink where the host has one
 * (merged /usr: /bin -> usr/bin). Not the whole host root: connect() on a
 * path UNIX socket needs write permission on the socket inode, not a
 * writable mount, so a service socket anywhere on a read-only bind of the
 * host root (/srv, /var/lib, /home ...) would be reachable from inside.
 * Nothing there is a place services put their sockets; /run and /tmp are
 * private tmpfs anyway. Empty directories are there for binds and apps that
 * look. /var/run is /run; /var/tmp gets a private tmpfs like /tmp. Host
 * sockets live in /run: it is hidden under a tmpfs, so is a bound root's
 * /var/run if it is a directory of its own.
 */
static const struct view_op view[] = {
	{ .kind = V_ROOT, .path = "", .when = ALWAYS, .part = P_HOST },
	{ .kind = V_HOST, .path = "usr", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "bin", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "sbin", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "lib", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "lib32", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "lib64", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "libx32", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "etc", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_HOST, .path = "opt", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "home", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "root", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "mnt", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "srv", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "media", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_DIR, .path = "var", .when = DEFAULT_ROOT, .part = P_HOST },
	{ .kind = V_SYMLINK,
	  .path = "var/run",
	  .arg = "../run",
	  .when = DEFAULT_ROOT,
	  .part = P_HOST,
	  .what = "/var/run, /var/tmp" },
	{ .kind = V_DIR,
	  .path = "var/tmp",
	  .when = DEFAULT_ROOT,
	  .part = P_HOST,
	  .what = "/var/run, /var/tmp" },
	{ .kind = V_DIR, .path = "proc", .when = ALWAYS, .part = P_MOUNT_POINT },
	{ .kind = V_DIR, .path = "sys", .when = ALWAYS, .part = P_MOUNT_POINT },
	{ .kind = V_DIR, .path = "tmp", .when = ALWAYS, .part = P_MOUNT_POINT },
	{ .kind = V_DIR, .path = "run", .when = ALWAYS, .part = P_MOUNT_POINT },
	{ .kind = V_PROC, .path = "proc", .when = ALWAYS, .part = P_OWN },
	{ .kind = V_SYS, .path = "sys", .when = ALWAYS, .part = P_OWN },
	{ .kind = V_DEV, .path = "dev", .when = ALWAYS, .part = P_HOST },
	{ .kind = V_DEV_FS, .path = "dev", .when = ALWAYS, .part = P_OWN },
	{ .kind = V_TMPFS, .path = "tmp", .arg = "1777", .when = ALWAYS, .part = P_OWN },
	{ .kind = V_TMPFS, .path = "var/tmp", .arg = "1777", .when = DEFAULT_ROOT, .part = P_OWN },
	{ .kind = V_TMPFS, .path = "run", .arg = "0755", .when = ALWAYS, .part = P_OWN },
	{ .kind = V_VOSD, .path = "run/vos", .arg = VOS_VOSD_DIR, .when = ALWAYS, .part = P_OWN },
	{ .kind = V_TMPFS, .path = "var/run", .arg = "0755", .when = IF_DIR, .part = P_OWN },
};

#define VIEW_MAX (sizeof(view) / sizeof(view[0]) + VOS_MAX_TMPFS + VOS_MAX_BINDS + 1)

/* How a view is made (vos_fs_setup(), vos_view_template_make()) */
enum view_mode {
	VIEW_WHOLE,	    /* every step, in the subsystem */
	VIEW_TEMPLATE,	    /* the host's steps, into the template */
	VIEW_FROM_TEMPLATE, /* the subsystem's own steps, on its copy of it */
};

/* Where the view is built: the fds every step works from. */
struct view_ctx {
	struct vos_ctx *ctx;
	const struct vos_config *cfg;
	enum view_mode mode;
	int oldroot;		/* the host's root; -1 from the template */
	int nr;			/* the new root */
	struct vos_masks masks; /* the host's /dev/null (from V_PROC), the first masks */
	uid_t uid;		/* the app's ids inside: the owner of its --tmpfs */
	gid_t gid;
	const int *trees; /* per bind, an idmapped tree or -1 (idmap.c) */
	int vosd_tree;	  /* from the template: the caller's clone of vosd's dir, or -1 */
	/* every tmpfs of the subsystem's has the same cap (default RAM/8):
	 * its "size" option, NULL for the kernel's default
	 */
	const char *size;
	char size_buf[24];
};

static bool in_plan(const struct view_op *op, enum view_mode mode, bool bound_root)
{
	if (op->when == DEFAULT_ROOT && bound_root)
		return false;
	switch (mode) {
	case VIEW_WHOLE:
		return op->part != P_MOUNT_POINT;
	case VIEW_TEMPLATE:
		return op->part != P_OWN;
	case VIEW_FROM_TEMPLATE:
		return op->part == P_OWN;
	}
	return false;
}

/* The steps for @cfg and @mode, in order, into @plan (VIEW_MAX); returns how many. */
static unsigned int view_plan(const struct vos_config *cfg, enum view_mode mode,
			      struct view_op *plan)
{
	const bool bound_root = cfg && (cfg->rootfs || cfg->host_root);
	unsigned int n = 0, i;

	for (i = 0; i < sizeof(view) / sizeof(view[0]); i++)
		if (in_plan(&view[i], mode, bound_root))
			plan[n++] = view[i];
	if (mode == VIEW_TEMPLATE) {
		plan[n++] = (struct view_op){ .kind = V_FREEZE, .path = "" };
		return n;
	}
	for (i = 0; i < cfg->ntmpfs; i++)
		plan[n++] =
			(struct view_op){ .kind = V_USER_TMPFS, .path = cfg->tmpfs[i] + 1, .i = i };
	for (i = 0; i < cfg->nbinds; i++)
		plan[n++] = (struct view_op){ .kind = V_BIND, .path = cfg->binds[i].dest, .i = i };
	/* every mount point is made: nothing may change the root from now */
	if (mode == VIEW_WHOLE && !bound_root)
		plan[n++] = (struct view_op){ .kind = V_FREEZE, .path = "" };
	return n;
}

/* After a mount on /newroot: v->nr still names the directory below it */
static int reopen_newroot(struct view_ctx *v)
{
	vos_closep(&v->nr);
	v->nr = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (v->nr < 0)
		return vos_err(v->ctx, -errno, "open /newroot:");
	return 0;
}

/* --rootfs DIR or --host-root recursively read-only, or a tmpfs */
static int op_root(struct view_ctx *v, const struct view_op *op)
{
	static const char *const root_opts[] = { "mode", "0755", "size", "1m", NULL };
	const struct vos_config *cfg = v->cfg;
	_cleanup_close_ int src = -1;
	int r;

	if (cfg && (cfg->rootfs || cfg->host_root)) {
		if (cfg->rootfs) {
			src = vos_openat2(v->oldroot, cfg->rootfs + 1,
					  O_PATH | O_CLOEXEC | O_DIRECTORY,
					  RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
			if (src < 0)
				return vos_err_path(v->ctx, -errno, "--rootfs", "--rootfs %s: %s%s",
						    cfg->rootfs, strerror(errno),
						    errno == EACCES ? NOT_ROOT_HINT : "");
		} else {
			src = fcntl(v->oldroot, F_DUPFD_CLOEXEC, 3);
		}
		r = vos_mnt_bind(src, v->nr, ROOT_ATTRS);
		if (r < 0)
			return vos_err(v->ctx, r, "bind %s read-only on /:",
				       cfg->rootfs ? cfg->rootfs : "host root");
	} else {
		r = vos_mnt_new_fs("tmpfs", root_opts, NOSUID_NODEV);
		if (r >= 0) {
			src = r;
			r = vos_mnt_move(src, v->nr);
		}
		if (r < 0)
			return vos_err(v->ctx, r, "mount the root tmpfs:");
	}
	return reopen_newroot(v);
}

static int op_host(struct view_ctx *v, const struct view_op *op)
{
	const char *d = op->path;
	_cleanup_close_ int src = -1;
	_cleanup_close_ int dst = -1;
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int r;

	if (fstatat(v->oldroot, d, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : vos_err(v->ctx, -errno, "host /%s:", d);
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(v->oldroot, d, target, sizeof(target) - 1);
		if (n < 0)
			return vos_err(v->ctx, -errno, "host /%s: readlink:", d);
		target[n] = '\0';
		if (symlinkat(target, v->nr, d) < 0)
			return vos_err(v->ctx, -errno, "symlink /%s:", d);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	src = vos_open_beneath(v->oldroot, d);
	if (src < 0)
		return vos_err(v->ctx, src, "host /%s:", d);
	if (mkdirat(v->nr, d, 0755) < 0)
		return vos_err(v->ctx, -errno, "mkdir /%s:", d);
	dst = vos_open_beneath(v->nr, d);
	r = dst < 0 ? dst : vos_mnt_bind(src, dst, ROOT_ATTRS);
	if (r < 0)
		return vos_err(v->ctx, r, "bind host /%s read-only:", d);
	return 0;
}

static int op_dir(struct view_ctx *v, const struct view_op *op)
{
	if (mkdirat(v->nr, op->path, 0755) < 0)
		return op->what ? vos_err(v->ctx, -errno, "%s:", op->what)
				: vos_err(v->ctx, -errno, "mkdir /%s:", op->path);
	return 0;
}

static int op_symlink(struct view_ctx *v, const struct view_op *op)
{
	if (symlinkat(op->arg, v->nr, op->path) < 0)
		return op->what ? vos_err(v->ctx, -errno, "%s:", op->what)
				: vos_err(v->ctx, -errno, "symlink /%s:", op->path);
	return 0;
}

/* the masks' /dev/null: the host's, or the template's bind of it */
static int op_proc(struct view_ctx *v, const struct view_op *op)
{
	return vos_view_proc(v->ctx, v->nr, v->mode == VIEW_FROM_TEMPLATE ? v->nr : v->oldroot,
			     &v->masks);
}

static int op_sys(struct view_ctx *v, const struct view_op *op)
{
	return vos_view_sys(v->ctx, v->cfg, v->nr, v->oldroot, &v->masks);
}

static int op_dev(struct view_ctx *v, const struct view_op *op)
{
	return vos_view_dev(v->ctx, v->nr, v->oldroot);
}

static int op_dev_fs(struct view_ctx *v, const struct view_op *op)
{
	return vos_view_dev_fs(v->ctx, v->nr, v->size);
}

static int op_tmpfs(struct view_ctx *v, const struct view_op *op)
{
	const char *opts[] = { "mode", op->arg, v->size ? "size" : NULL, v->size, NULL };

	return vos_mnt_new_at(v->ctx, v->nr, op->path, "tmpfs", opts, NOSUID_NODEV, NULL);
}

static int op_user_tmpfs(struct view_ctx *v, const struct view_op *op)
{
	char uids[16], gids[16];
	const char *opts[] = {
		"mode", "0755", "uid", uids, "gid", gids, v->size ? "size" : NULL, v->size, NULL,
	};
	int r;

	snprintf(uids, sizeof(uids), "%u", (unsigned int)v->uid);
	snprintf(gids, sizeof(gids), "%u", (unsigned int)v->gid);
	r = vos_mnt_new_at(v->ctx, v->nr, op->path, "tmpfs", opts, NOSUID_NODEV, NULL);
	if (r < 0)
		return vos_err_path_prefix(v->ctx, r, "--tmpfs", "--tmpfs %s",
					   v->cfg->tmpfs[op->i]);
	return 0;
}

static int op_bind(struct view_ctx *v, const struct view_op *op)
{
	const struct vos_bind *b = &v->cfg->binds[op->i];
	const char *opt = (b->flags & VOS_BIND_RW) ? "--rw" : "--ro";
	uint64_t attrs = NOSUID_NODEV;
	struct vos_ctx *ctx = v->ctx;
	_cleanup_close_ int src = -1;
	_cleanup_close_ int dst = -1;
	struct stat st;
	int r;

	/* idmapped by the parent (idmap.c): already nosuid, nodev and
	 * read-only for --ro; only to be moved in
	 */
	if (v->trees && v->trees[op->i] >= 0) {
		if (fstat(v->trees[op->i], &st) < 0)
			return vos_err_path(ctx, -errno, opt, "%s %s: stat:", opt, b->src);
		dst = vos_mnt_point(ctx, v->nr, b->dest, S_ISDIR(st.st_mode));
		if (dst < 0)
			return vos_err_path_prefix(ctx, dst, opt, "%s %s:%s", opt, b->src, b->dest);
		r = vos_mnt_move(v->trees[op->i], dst);
		if (r < 0)
			return vos_err_path(ctx, r, opt,
					    "%s %s:%s: move the idmapped mount in:", opt, b->src,
					    b->dest);
		return 0;
	}
	src = vos_open_beneath(v->oldroot, b->src);
	if (src < 0)
		return vos_err_path(
			ctx, src, opt, "%s %s: open source: %s%s", opt, b->src, strerror(-src),
			(src == -ELOOP || src == -EXDEV)
				? " (a path component is a symlink: give the resolved path)"
			: src == -EACCES ? NOT_ROOT_HINT
					 : "");
	if (fstat(src, &st) < 0)
		return vos_err_path(ctx, -errno, opt, "%s %s: stat:", opt, b->src);
	dst = vos_mnt_point(ctx, v->nr, b->dest, S_ISDIR(st.st_mode));
	if (dst < 0)
		return vos_err_path_prefix(ctx, dst, opt, "%s %s:%s", opt, b->src, b->dest);
	if (!(b->flags & VOS_BIND_RW))
		attrs |= MOUNT_ATTR_RDONLY;
	r = vos_mnt_bind(src, dst, attrs);
	if (r < 0)
		return vos_err_path(ctx, r, opt, "%s %s:%s: bind:", opt, b->src, b->dest);
	return 0;
}

/*
 * The one host directory under /run a subsystem sees: vosd's (issue 13),
 * holding vosd.sock alone, read-only at /run/vos, when the host has it.
 * The socket is how a member calls a service; vosd asks vos.ko who called.
 */
static int op_vosd(struct view_ctx *v, const struct view_op *op)
{
	_cleanup_close_ int src = -1;
	_cleanup_close_ int dst = -1;
	int r;

	/* from the template the caller has cloned it (viewtmpl.c) */
	if (v->mode == VIEW_FROM_TEMPLATE) {
		if (v->vosd_tree < 0)
			return 0;
	} else {
		src = vos_view_vosd_dir(v->oldroot);
		if (src == -ENOENT)
			return 0;
		if (src < 0)
			return vos_err(v->ctx, src, "/%s:", op->arg);
	}
	dst = vos_mnt_point(v->ctx, v->nr, "/run/vos", true);
	if (dst < 0)
		return vos_err_prefix(v->ctx, dst, "/run/vos:");
	r = src >= 0 ? vos_mnt_bind(src, dst, ROOT_ATTRS) : vos_mnt_move(v->vosd_tree, dst);
	if (r < 0)
		return vos_err(v->ctx, r, "bind /%s on /run/vos:", op->arg);
	return 0;
}

/*
 * The host's vosd directory below @root (O_PATH), or -ENOENT where there
 * is none (nor a directory there: then none is shown); another -errno if
 * it is there but cannot be opened beneath @root.
 */
int vos_view_vosd_dir(int root)
{
	struct stat st;

	if (fstatat(root, VOS_VOSD_DIR, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
		return -ENOENT;
	return vos_open_beneath(root, VOS_VOSD_DIR);
}

static int op_freeze(struct view_ctx *v, const struct view_op *op)
{
	if (vos_mnt_setattr(v->nr, MOUNT_ATTR_RDONLY, false) < 0)
		return vos_err(v->ctx, -errno, "remount / read-only:");
	return 0;
}

static int (*const view_do[])(struct view_ctx *v, const struct view_op *op) = {
	[V_ROOT] = op_root,   [V_HOST] = op_host,
	[V_DIR] = op_dir,     [V_SYMLINK] = op_symlink,
	[V_PROC] = op_proc,   [V_SYS] = op_sys,
	[V_DEV] = op_dev,     [V_DEV_FS] = op_dev_fs,
	[V_TMPFS] = op_tmpfs, [V_USER_TMPFS] = op_user_tmpfs,
	[V_BIND] = op_bind,   [V_FREEZE] = op_freeze,
	[V_VOSD] = op_vosd,
};

/*
 * Stage on a tmpfs: it becomes our root for a moment, with the host root
 * below it on /oldroot, so every later step is relative to fds.
 */
static int stage(struct view_ctx *v)
{
	static const char *const stage_opts[] = { "mode", "0700", NULL };
	/* The template receives the host's mounts below the directories it
	 * shows (a disk mounted on /opt/x later is there too); a subsystem's
	 * view gets nothing after its start.
	 */
	const unsigned long prop = v->mode == VIEW_TEMPLATE ? MS_SLAVE : MS_PRIVATE;
	_cleanup_close_ int tmp = -1;

	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | prop, NULL) < 0)
		return vos_err(v->ctx, -errno, "make / %s:",
			       prop == MS_SLAVE ? "a slave of the host's" : "private");
	tmp = vos_mnt_new_fs("tmpfs", stage_opts, NOSUID_NODEV);
	if (tmp < 0)
		return vos_err(v->ctx, tmp, "mount staging tmpfs:");
	if (move_mount(tmp, "", AT_FDCWD, STAGE_DIR, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return vos_err(v->ctx, -errno, "mount staging tmpfs on " STAGE_DIR ":");
	if (mkdirat(tmp, "oldroot", 0700) < 0 || mkdirat(tmp, "newroot", 0700) < 0 ||
	    fchdir(tmp) < 0)
		return vos_err(v->ctx, -errno, "staging dirs:");
	vos_closep(&tmp);
	if (syscall(SYS_pivot_root, ".", "oldroot") < 0)
		return vos_err(v->ctx, -errno, "pivot_root to staging:");
	if (chdir("/") < 0)
		return vos_err(v->ctx, -errno, "chdir /:");
	v->oldroot = open("/oldroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	v->nr = open("/newroot", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (v->oldroot < 0 || v->nr < 0)
		return vos_err(v->ctx, -errno, "open /oldroot, /newroot:");
	return 0;
}

/*
 * Into the new root; the staging tmpfs and the host root under it are
 * detached and unreachable from here on.
 */
static int enter(struct view_ctx *v)
{
	_cleanup_close_ int dst = -1;

	if (fchdir(v->nr) < 0)
		return vos_err(v->ctx, -errno, "chdir new root:");
	dst = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dst < 0 || fchdir(dst) < 0)
		return vos_err(v->ctx, -errno, "open new root:");
	vos_closep(&dst);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return vos_err(v->ctx, -errno, "pivot_root:");
	if (umount2(".", MNT_DETACH) < 0)
		return vos_err(v->ctx, -errno, "detach old root:");
	if (chdir("/") < 0)
		return vos_err(v->ctx, -errno, "chdir /:");
	return 0;
}

static void view_close(struct view_ctx *v)
{
	vos_closep(&v->oldroot);
	vos_closep(&v->nr);
	vos_masks_close(&v->masks);
}

/* The steps of @plan in @v, in order */
static int run_plan(struct view_ctx *v, const struct view_op *plan, unsigned int n)
{
	struct stat st;
	unsigned int i;
	int r = 0;

	for (i = 0; r >= 0 && i < n; i++) {
		if (plan[i].when == IF_DIR &&
		    (fstatat(v->nr, plan[i].path, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		     !S_ISDIR(st.st_mode)))
			continue;
		r = view_do[plan[i].kind](v, &plan[i]);
	}
	return r;
}

/*
 * From the view template (viewtmpl.c): the process started in a copy of
 * its mount namespace, whose root holds the template's view on /newroot
 * and the host's /proc and /sys (a kernel mounts a new proc or sysfs in a
 * user namespace only where one is already fully visible). Every mount of
 * that copy is locked, so the view is staged as a whole one is, on an own
 * tmpfs with the copy below it on /oldroot; the new root is a clone of the
 * template's view, and only the subsystem's own steps follow.
 */
static int from_template(struct view_ctx *v)
{
	struct view_op plan[VIEW_MAX];
	_cleanup_close_ int src = -1;
	_cleanup_close_ int t = -1;
	unsigned int n;
	int r;

	r = stage(v);
	if (r < 0)
		return r;
	src = vos_open_beneath(v->oldroot, "newroot");
	t = src < 0 ? src : vos_mnt_clone(src, 0);
	r = t < 0 ? t : vos_mnt_move(t, v->nr);
	if (r < 0)
		return vos_err(v->ctx, r, "the view template's tree on /:");
	r = reopen_newroot(v);
	if (r < 0)
		return r;
	n = view_plan(v->cfg, VIEW_FROM_TEMPLATE, plan);
	r = run_plan(v, plan, n);
	return r < 0 ? r : enter(v);
}

/*
 * Build the view and pivot into it, or with @from_tmpl make it from the
 * view template the process was started in (viewtmpl.c; @vosd_tree: the
 * caller's clone of vosd's directory, -1 for none). Runs in the
 * subsystem's init before anything is dropped. @uid/@gid: the app's ids
 * inside (tmpfs owners).
 */
int vos_fs_setup(struct vos_ctx *ctx, const struct vos_config *cfg, uid_t uid, gid_t gid,
		 const int *trees, bool from_tmpl, int vosd_tree)
{
	_cleanup_(view_close) struct view_ctx v = {
		.ctx = ctx,
		.cfg = cfg,
		.mode = from_tmpl ? VIEW_FROM_TEMPLATE : VIEW_WHOLE,
		.oldroot = -1,
		.nr = -1,
		.masks = { .devnull = -1, .file = -1, .dir = -1 },
		.uid = uid,
		.gid = gid,
		.trees = trees,
		.vosd_tree = vosd_tree,
	};
	struct view_op plan[VIEW_MAX];
	unsigned int n;
	int r;

	if (cfg->tmpfs_size) {
		snprintf(v.size_buf, sizeof(v.size_buf), "%llu",
			 (unsigned long long)cfg->tmpfs_size);
		v.size = v.size_buf;
	}
	if (from_tmpl)
		return from_template(&v);
	n = view_plan(cfg, VIEW_WHOLE, plan);
	r = stage(&v);
	if (r >= 0)
		r = run_plan(&v, plan, n);
	return r < 0 ? r : enter(&v);
}

/*
 * The view template (viewtmpl.c), made in the calling process's mount
 * namespace (a new one, a slave of the host's): the host's part of the
 * default view on /newroot of a new root that has besides only what a
 * start needs (from_template()). The binds are slaves of the host's mounts.
 */
int vos_view_template_make(struct vos_ctx *ctx)
{
	_cleanup_(view_close) struct view_ctx v = {
		.ctx = ctx,
		.mode = VIEW_TEMPLATE,
		.oldroot = -1,
		.nr = -1,
		.masks = { .devnull = -1, .file = -1, .dir = -1 },
		.vosd_tree = -1,
	};
	static const char *const kern[] = { "proc", "sys" };
	struct view_op plan[VIEW_MAX];
	unsigned int n, i;
	int r;

	n = view_plan(NULL, VIEW_TEMPLATE, plan);
	r = stage(&v);
	if (r >= 0)
		r = run_plan(&v, plan, n);
	if (r < 0)
		return r;
	/* the holder: the staging tmpfs, now our root, with the view on
	 * /newroot, the host's /proc and /sys, /tmp to stage a start on and
	 * /dev the view's
	 */
	/* open to the subsystem's root (not host root) that stages on it */
	if (chmod("/", 0755) < 0)
		return vos_err(ctx, -errno, "chmod the template's root:");
	for (i = 0; i < 2; i++) {
		_cleanup_close_ int src = -1;
		_cleanup_close_ int dst = -1;

		if (mkdir(kern[i], 0755) < 0)
			return vos_err(ctx, -errno, "mkdir %s:", kern[i]);
		/* the mount alone: what is mounted below it is not needed */
		src = open_tree(v.oldroot, kern[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		dst = open(kern[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		r = src < 0 || dst < 0 ? -errno : vos_mnt_move(src, dst);
		if (r < 0)
			return vos_err(ctx, r, "the host's %s:", kern[i]);
	}
	if (mkdir(STAGE_DIR, 0755) < 0)
		return vos_err(ctx, -errno, "mkdir " STAGE_DIR ":");
	/* what the start opens before its view: /dev/null (inside.c) */
	if (symlink("newroot/dev", "dev") < 0)
		return vos_err(ctx, -errno, "symlink /dev:");
	vos_closep(&v.oldroot);
	if (umount2("/oldroot", MNT_DETACH) < 0)
		return vos_err(ctx, -errno, "detach the host's root:");
	return 0;
}
