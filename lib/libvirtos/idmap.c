// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * idmap.c - a subsystem's host identity, on the parent's side: the uid and
 * gid maps of its user namespace, and the idmapped mounts of its binds.
 *
 * With a private range (handed out by vos.ko, see virtos.h "Identity"), ids
 * 0..count-1 inside are base..base+count-1 on the host: no host user's.
 * The app still has to reach what the caller binds in, as the owner of it:
 * a bind of a directory owned by host user O, group G, becomes an idmapped
 * mount whose map says "O is the app's host uid, G its gid". Inside, the app
 * owns the directory; on the host, what it writes there belongs to O and G.
 * Files of anyone else show as nobody and cannot be changed.
 *
 * Only the parent can make such a mount: idmapping a mount needs
 * CAP_SYS_ADMIN over the file system's user namespace (the initial one). So
 * the parent prepares one detached tree per bind before clone(); the child
 * inherits the fds and moves each tree into its view in place of a plain
 * bind (rootfs.c). A writable bind that cannot be idmapped (a root-owned
 * directory: the app could plant setuid-root files; a file system without
 * idmapped mounts: the app's files would belong to no host user) is an
 * error; a read-only one falls back to a plain bind, where the app reads
 * what any host user may.
 */
#include <fcntl.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "private.h"

int vos_write_proc_file(struct vos_ctx *ctx, pid_t pid, const char *file, const char *val)
{
	char path[64];
	size_t n = strlen(val);
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return vos_err(ctx, -errno, "open %s:", path);
	if (write(fd, val, n) != (ssize_t)n) {
		int e = errno;

		close(fd);
		return vos_err(ctx, -e, "write %s '%.*s':", path, (int)strcspn(val, "\n"), val);
	}
	close(fd);
	return 0;
}

/* "INSIDE OUTSIDE COUNT" into both maps of @pid's user namespace. */
static int write_maps(struct vos_ctx *ctx, pid_t pid, unsigned int uid_in, unsigned int uid_out,
		      unsigned int gid_in, unsigned int gid_out, unsigned int count, bool gids)
{
	char line[64];
	int r;

	r = vos_write_proc_file(ctx, pid, "setgroups", "deny");
	if (r < 0 && r != -ENOENT)
		return r;
	if (gids) {
		snprintf(line, sizeof(line), "%u %u %u\n", gid_in, gid_out, count);
		r = vos_write_proc_file(ctx, pid, "gid_map", line);
		if (r < 0)
			return r;
	}
	snprintf(line, sizeof(line), "%u %u %u\n", uid_in, uid_out, count);
	return vos_write_proc_file(ctx, pid, "uid_map", line);
}

int vos_idmap_write(struct vos_ctx *ctx, pid_t pid, const struct vos_identity *id)
{
	int r;

	if (id->count) {
		r = write_maps(ctx, pid, 0, id->base, 0, id->base, id->count, true);
		if (r == -EPERM || r == -EACCES)
			return vos_err_class(
				ctx, r, VOS_ERR_PERM,
				"writing the id maps of the subsystem's private range needs CAP_SETUID and CAP_SETGID (or --as-user: the app gets your own ids)");
		return r;
	}
	/* the caller's own ids, one each (--as-user, or unprivileged) */
	return write_maps(ctx, pid, id->uid_in, geteuid(), id->gid_in, getegid(), 1, true);
}

/*
 * A user namespace that maps on-disk @disk_uid/@disk_gid to the app's host
 * ids, to idmap mounts with. Its owner is a child that only waits for EOF;
 * the namespace outlives it through the fd.
 */
static int idmap_userns(struct vos_ctx *ctx, const struct vos_identity *id, uid_t disk_uid,
			gid_t disk_gid)
{
	int p[2], fd = -1, r, status;
	char path[64];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) < 0)
		return vos_err(ctx, -errno, "idmap: pipe:");
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0) {
		r = vos_err(ctx, -errno, "idmap: clone user namespace:");
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(p[0]);
	r = write_maps(ctx, pid, disk_uid, id->base + id->uid_in, disk_gid, id->base + id->gid_in,
		       1, true);
	if (!r) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			r = vos_err(ctx, -errno, "idmap: open %s:", path);
	}
	close(p[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return r < 0 ? r : fd;
}

static const char *fs_name(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return "its";
	switch ((unsigned long)sf.f_type) {
	case TMPFS_MAGIC:
		return "tmpfs (idmapped from Linux 6.3)";
	case V9FS_MAGIC:
		return "9p";
	case NFS_SUPER_MAGIC:
		return "NFS";
	case FUSE_SUPER_MAGIC:
		return "FUSE";
	case OVERLAYFS_SUPER_MAGIC:
		return "overlay";
	default:
		return "its";
	}
}

/* The group a directory of @uid's with group root should map: @uid's own. */
static gid_t primary_gid(uid_t uid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) || !res)
		return 0;
	return res->pw_gid;
}

struct ns_cache {
	uid_t uid;
	gid_t gid;
	int fd;
};

/* The idmapped tree for bind @b in *@treep, or -1 there for a plain bind. */
static int tree_for(struct vos_ctx *ctx, const struct vos_identity *id, const struct vos_bind *b,
		    int rootfd, struct ns_cache *cache, unsigned int *ncache, int *treep)
{
	const bool rw = b->flags & VOS_BIND_RW;
	const char *opt = rw ? "--rw" : "--ro";
	struct mount_attr attr = { 0 };
	int src, tree, nsfd = -1, r = 0;
	struct stat st;
	unsigned int i;
	gid_t gid;

	*treep = -1;
	src = vos_open_beneath(rootfd, b->src);
	if (src < 0)
		return vos_err_path(
			ctx, src, opt, "%s %s: open source: %s%s", opt, b->src, strerror(-src),
			(src == -ELOOP || src == -EXDEV)
				? " (a path component is a symlink: give the resolved path)"
				: "");
	if (fstat(src, &st) < 0) {
		r = vos_err_path(ctx, -errno, opt, "%s %s: stat:", opt, b->src);
		goto out;
	}
	gid = st.st_gid ? st.st_gid : primary_gid(st.st_uid);
	if (!st.st_uid || !gid) {
		if (rw) /* else a plain bind */
			r = vos_err_class(
				ctx, -EPERM, VOS_ERR_USAGE,
				"%s %s: it belongs to %s on the host, so files the app writes there would be %s (a setuid-root program planted there would run as host root): chown it to the user the app should write as, e.g. 'chown $SUDO_USER:' it, or use --as-user",
				opt, b->src, st.st_uid ? "group root" : "root",
				st.st_uid ? "group root's" : "root's");
		goto out;
	}
	for (i = 0; i < *ncache; i++)
		if (cache[i].uid == st.st_uid && cache[i].gid == gid)
			nsfd = cache[i].fd;
	if (nsfd < 0) {
		if (*ncache == VOS_MAX_BINDS) {
			r = vos_err_path(ctx, -E2BIG, opt, "%s %s: too many owners", opt, b->src);
			goto out;
		}
		nsfd = idmap_userns(ctx, id, st.st_uid, gid);
		if (nsfd < 0) {
			r = vos_err_path_prefix(ctx, nsfd, opt, "%s %s", opt, b->src);
			goto out;
		}
		cache[*ncache] = (struct ns_cache){ st.st_uid, gid, nsfd };
		(*ncache)++;
	}
	tree = open_tree(src, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0) {
		r = vos_err_path(ctx, -errno, opt, "%s %s: clone the tree:", opt, b->src);
		goto out;
	}
	attr.attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	if (!rw)
		attr.attr_set |= MOUNT_ATTR_RDONLY;
	attr.userns_fd = (uint64_t)nsfd;
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		int e = errno;

		close(tree);
		if (rw) /* else a plain bind */
			r = vos_err_class(
				ctx, -e, VOS_ERR_USAGE,
				"%s %s: cannot be an idmapped mount (%s; %s file system), so what the app writes could not belong to the directory's owner: use a directory on ext4, xfs or btrfs, or --as-user (the app then has your host identity)",
				opt, b->src, strerror(e), fs_name(src));
		goto out;
	}
	*treep = tree;
out:
	close(src);
	return r;
}

int vos_idmap_binds(struct vos_ctx *ctx, const struct vos_config *cfg,
		    const struct vos_identity *id, int *trees)
{
	struct ns_cache cache[VOS_MAX_BINDS];
	unsigned int i, ncache = 0;
	int rootfd, r = 0;

	for (i = 0; i < cfg->nbinds; i++)
		trees[i] = -1;
	if (!id->count || !cfg->nbinds)
		return 0;
	rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return vos_err(ctx, -errno, "open /:");
	for (i = 0; i < cfg->nbinds && r >= 0; i++)
		r = tree_for(ctx, id, &cfg->binds[i], rootfd, cache, &ncache, &trees[i]);
	for (i = 0; i < ncache; i++)
		close(cache[i].fd);
	close(rootfd);
	if (r < 0) {
		vos_idmap_close(trees, cfg->nbinds);
		return r;
	}
	return 0;
}

void vos_idmap_close(int *trees, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (trees[i] >= 0)
			close(trees[i]);
		trees[i] = -1;
	}
}
