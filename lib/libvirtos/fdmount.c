// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fdmount.c - the mount primitives the view (rootfs.c) is built with. They
 * work on file descriptors with the new mount API (open_tree, move_mount,
 * fsopen, fsmount, mount_setattr: Linux >= 5.12), so no path is ever
 * resolved twice and no symlink can move a mount elsewhere: every path is
 * opened beneath a directory fd without following symlinks
 * (openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), or a component walk with
 * O_NOFOLLOW where openat2 is missing).
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

int vos_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/*
 * Open @path (relative, no leading '/') under @dirfd as O_PATH without
 * following any symlink and without leaving @dirfd: -ELOOP if a component
 * of it, the last one included, is a symlink. openat2() where the kernel
 * has it (without O_NOFOLLOW, so that RESOLVE_NO_SYMLINKS refuses a final
 * symlink too rather than open it: no fstat() to check), else a component
 * walk with O_NOFOLLOW.
 */
int vos_open_beneath(int dirfd, const char *path)
{
	char buf[PATH_MAX], *comp, *save = NULL;
	int fd, next;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = vos_openat2(dirfd, path, O_PATH | O_CLOEXEC,
			 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;
	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	snprintf(buf, sizeof(buf), "%s", path);
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		struct stat st;

		if (strcmp(comp, "..") == 0) {
			close(fd);
			return -EXDEV;
		}
		next = openat(fd, comp, O_PATH | O_CLOEXEC | O_NOFOLLOW);
		close(fd);
		if (next < 0)
			return -errno;
		if (fstat(next, &st) < 0 || S_ISLNK(st.st_mode)) {
			close(next);
			return -ELOOP;
		}
		fd = next;
	}
	return fd;
}

int vos_mnt_setattr(int fd, uint64_t set, bool recursive)
{
	struct mount_attr a = { .attr_set = set };

	return mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a));
}

/* A detached recursive clone of the tree at @srcfd, made @attrs. */
int vos_mnt_clone(int srcfd, uint64_t attrs)
{
	_cleanup_close_ int t = -1;

	t = open_tree(srcfd, "",
		      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (t < 0)
		return -errno;
	if (attrs && vos_mnt_setattr(t, attrs, true) < 0)
		return -errno;
	return vos_take_fd(&t);
}

/* Recursive clone of the tree at @srcfd, made @attrs, moved onto @dstfd. */
int vos_mnt_bind(int srcfd, int dstfd, uint64_t attrs)
{
	_cleanup_close_ int t = vos_mnt_clone(srcfd, attrs);

	return t < 0 ? t : vos_mnt_move(t, dstfd);
}

/* A new filesystem instance; returns its (detached) mount fd. */
int vos_mnt_new_fs(const char *type, const char *const *opts, uint64_t attrs)
{
	_cleanup_close_ int fs = -1;
	int m;

	fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -errno;
	for (; opts && opts[0]; opts += 2) {
		if (fsconfig(fs, FSCONFIG_SET_STRING, opts[0], opts[1], 0) < 0)
			return -errno;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -errno;
	m = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned int)attrs);
	return m < 0 ? -errno : m;
}

int vos_mnt_move(int mfd, int dstfd)
{
	if (move_mount(mfd, "", dstfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/* A new @type file system on the directory @path below @dirfd. */
int vos_mnt_new_on(int dirfd, const char *path, const char *type, const char *const *opts,
		   uint64_t attrs)
{
	_cleanup_close_ int m = -1;
	_cleanup_close_ int dst = -1;

	m = vos_mnt_new_fs(type, opts, attrs);
	if (m < 0)
		return m;
	dst = vos_open_beneath(dirfd, path);
	return dst < 0 ? dst : vos_mnt_move(m, dst);
}

#define EROFS_HINT \
	" (it would be inside a read-only bind: the destination must exist there, or be under a --tmpfs)"

/* A failed open of @err on the way to the mount point @what */
static int point_err(struct vos_ctx *ctx, int err, const char *what)
{
	if (err == -ELOOP || err == -EXDEV)
		return vos_err(
			ctx, err,
			"mount point %s: a path component is a symlink (refused: it could redirect the mount)",
			what);
	return vos_err(ctx, err, "mount point %s:", what);
}

/*
 * Open the directory @path beneath @nr, making each missing component (a
 * mkdir -p that never follows a symlink). Directories can only be made
 * where the tree is writable: the default root's tmpfs while it is being
 * set up, or a --tmpfs; inside a read-only bind this fails with EROFS.
 * @what names the mount point in errors.
 */
static int mkdirs_beneath(struct vos_ctx *ctx, int nr, const char *path, const char *what)
{
	char buf[PATH_MAX], *comp, *save = NULL;
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(buf))
		return vos_err(ctx, -ENAMETOOLONG, "mount point %s:", what);
	snprintf(buf, sizeof(buf), "%s", path);
	fd = fcntl(nr, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return vos_err(ctx, -errno, "mount point %s:", what);
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		struct stat st;
		int next;

		if (strcmp(comp, ".") == 0)
			continue;
		next = vos_open_beneath(fd, comp);
		if (next == -ENOENT) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e = errno;

				return vos_err(ctx, -e, "mount point %s: mkdir %s: %s%s", what,
					       comp, strerror(e), e == EROFS ? EROFS_HINT : "");
			}
			next = vos_open_beneath(fd, comp);
		}
		vos_closep(&fd);
		if (next < 0)
			return point_err(ctx, next, what);
		fd = next;
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
			return vos_err(ctx, -ENOTDIR, "mount point %s: %s is not a directory", what,
				       comp);
	}
	return vos_take_fd(&fd);
}

/*
 * The mount point @path under the new root @nr, created (as a directory or
 * an empty file) if missing and if its parent is writable (a tmpfs of ours).
 */
int vos_mnt_point(struct vos_ctx *ctx, int nr, const char *path, bool dir)
{
	_cleanup_close_ int pfd = -1;
	char parent[PATH_MAX];
	const char *base;
	int fd;

	fd = vos_open_beneath(nr, path);
	if (fd >= 0) {
		_cleanup_close_ int found = fd;
		struct stat st;

		if (fstat(found, &st) < 0)
			return vos_err(ctx, -errno, "stat %s:", path);
		if (!!S_ISDIR(st.st_mode) != dir)
			return vos_err(
				ctx, dir ? -ENOTDIR : -EISDIR,
				"mount point %s: is %sa directory, the source is %sa directory",
				path, dir ? "not " : "", dir ? "" : "not ");
		return vos_take_fd(&found);
	}
	if (fd != -ENOENT)
		return point_err(ctx, fd, path);
	snprintf(parent, sizeof(parent), "%s", path);
	base = strrchr(parent, '/');
	if (base && !base[1])
		return vos_err(ctx, -EINVAL, "mount point %s: bad path", path);
	if (base) {
		parent[base - parent] = '\0';
		base = path + (base - parent) + 1;
	} else {
		parent[0] = '\0';
		base = path;
	}
	pfd = mkdirs_beneath(ctx, nr, parent[0] ? parent : ".", path);
	if (pfd < 0)
		return pfd;
	/* O_PATH fds work as dirfd for mkdirat/openat */
	if (dir) {
		if (mkdirat(pfd, base, 0755) < 0 && errno != EEXIST) {
			int e = errno;

			return vos_err(ctx, -e, "mount point %s: mkdir: %s%s", path, strerror(e),
				       e == EROFS ? EROFS_HINT : "");
		}
	} else {
		_cleanup_close_ int f = -1;

		f = openat(pfd, base, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (f < 0 && errno != EEXIST) {
			int e = errno;

			return vos_err(ctx, -e, "mount point %s: create: %s%s", path, strerror(e),
				       e == EROFS ? EROFS_HINT : "");
		}
	}
	vos_closep(&pfd);
	fd = vos_open_beneath(nr, path);
	if (fd < 0)
		return vos_err(ctx, fd, "mount point %s:", path);
	return fd;
}

/*
 * A new @type file system on the mount point @path under @nr (made if
 * missing, as vos_mnt_point()); its mount fd in *@mfdp if not NULL.
 */
int vos_mnt_new_at(struct vos_ctx *ctx, int nr, const char *path, const char *type,
		   const char *const *opts, uint64_t attrs, int *mfdp)
{
	_cleanup_close_ int dst = -1;
	_cleanup_close_ int m = -1;
	int r;

	dst = vos_mnt_point(ctx, nr, path, true);
	if (dst < 0)
		return vos_err_prefix(ctx, dst, "mount %s on %s", type, path);
	m = vos_mnt_new_fs(type, opts, attrs);
	if (m < 0)
		return vos_err(ctx, m, "mount %s on %s:", type, path);
	r = vos_mnt_move(m, dst);
	if (r < 0)
		return vos_err(ctx, r, "mount %s on %s:", type, path);
	if (mfdp)
		*mfdp = vos_take_fd(&m);
	return 0;
}

/*
 * Hide @path below @dirfd ("what" names it in errors): a directory under an
 * empty read-only tmpfs, a file under a read-only bind of the host's
 * /dev/null (@mk->devnull). A missing one needs no mask. The first mask of
 * each kind stays open in @mk (the mount is attached by then, so it can be
 * cloned); the others are clones of it, with its flags: one open_tree()
 * where a directory took a new tmpfs (fsopen, three fsconfig, fsmount)
 * and a file a clone of /dev/null made read-only (mount_setattr).
 */
static int mask(struct vos_ctx *ctx, int dirfd, const char *path, struct vos_masks *mk, bool file,
		const char *what)
{
	static const char *const empty_opts[] = { "mode", "0555", "size", "0", NULL };
	int *tmpl = file ? &mk->file : &mk->dir;
	_cleanup_close_ int fd = -1;
	_cleanup_close_ int m = -1;
	int r;

	fd = vos_open_beneath(dirfd, path);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return vos_err(ctx, fd, "mask %s:", what);
	if (*tmpl >= 0)
		m = vos_mnt_clone(*tmpl, 0);
	else if (file)
		m = vos_mnt_clone(mk->devnull,
				  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	else
		m = vos_mnt_new_fs("tmpfs", empty_opts, VOS_MNT_RO_ALL);
	r = m < 0 ? m : vos_mnt_move(m, fd);
	if (r < 0)
		return vos_err(ctx, r, "mask %s:", what);
	if (*tmpl < 0)
		*tmpl = vos_take_fd(&m);
	return 0;
}

/*
 * Mask each of @names below @dirfd like vos_mnt_mask_file() (@file) or
 * vos_mnt_mask_dir(), in a file system just mounted that nothing else can
 * reach yet (the view's new procfs): its names are what the kernel made,
 * so move_mount() resolves them itself (not following a last symlink),
 * without an openat2() and a close() per mask. A clone that a missing
 * name did not take serves the next. @prefix: the names' place in errors.
 */
int vos_mnt_mask_fresh(struct vos_ctx *ctx, int dirfd, const char *const *names,
		       struct vos_masks *mk, bool file, const char *prefix)
{
	int *tmpl = file ? &mk->file : &mk->dir;
	_cleanup_close_ int m = -1;
	char what[64];
	int r;

	for (; *names; names++) {
		snprintf(what, sizeof(what), "%s%s", prefix, *names);
		if (*tmpl < 0) {
			r = mask(ctx, dirfd, *names, mk, file, what);
			if (r < 0)
				return r;
			continue;
		}
		if (m < 0) {
			m = vos_mnt_clone(*tmpl, 0);
			if (m < 0)
				return vos_err(ctx, m, "mask %s:", what);
		}
		if (move_mount(m, "", dirfd, *names, MOVE_MOUNT_F_EMPTY_PATH) == 0)
			vos_closep(&m);
		else if (errno != ENOENT)
			return vos_err(ctx, -errno, "mask %s:", what);
	}
	return 0;
}

int vos_mnt_mask_dir(struct vos_ctx *ctx, int dirfd, const char *path, struct vos_masks *mk,
		     const char *what)
{
	return mask(ctx, dirfd, path, mk, false, what);
}

int vos_mnt_mask_file(struct vos_ctx *ctx, int dirfd, const char *path, struct vos_masks *mk,
		      const char *what)
{
	return mask(ctx, dirfd, path, mk, true, what);
}

void vos_masks_close(struct vos_masks *mk)
{
	vos_closep(&mk->devnull);
	vos_closep(&mk->file);
	vos_closep(&mk->dir);
}
