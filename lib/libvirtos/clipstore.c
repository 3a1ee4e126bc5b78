// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * clipstore.c - a subsystem's own clipboard: the file store that
 * clipstore.h describes. libc only (vos-clip links it alone).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clipstore.h"

static int open_at(int rootfd, bool in_root, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = in_root ? RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS : 0,
	};
	long fd;

	if (!in_root) {
		fd = openat(rootfd, path, (int)how.flags, mode);
		return fd < 0 ? -errno : (int)fd;
	}
	fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

/* The store's directory; with @create, made (0700, @uid/@gid's) if missing */
static int open_dir(int rootfd, bool in_root, bool create, uid_t uid, gid_t gid)
{
	struct stat st;
	int fd, runfd, ret;

	fd = open_at(rootfd, in_root, VOS_CLIPSTORE_DIR, O_RDONLY | O_DIRECTORY, 0);
	if (fd != -ENOENT || !create)
		return fd;
	runfd = open_at(rootfd, in_root, "run", O_RDONLY | O_DIRECTORY, 0);
	if (runfd < 0)
		return runfd;
	ret = mkdirat(runfd, strrchr(VOS_CLIPSTORE_DIR, '/') + 1, 0700) < 0 ? -errno : 0;
	if (ret == -EEXIST)
		ret = 0;
	if (!ret) {
		fd = openat(runfd, strrchr(VOS_CLIPSTORE_DIR, '/') + 1,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		ret = fd < 0 ? -errno : 0;
	}
	/* -1: the owner of the /run it is made in (the subsystem's root) */
	if (!ret && (uid == (uid_t)-1 || gid == (gid_t)-1) && fstat(runfd, &st) < 0)
		ret = -errno;
	close(runfd);
	if (ret)
		return ret;
	if (uid == (uid_t)-1)
		uid = st.st_uid;
	if (gid == (gid_t)-1)
		gid = st.st_gid;
	if (fchown(fd, uid, gid) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int vos_clipstore_owner(int rootfd, bool in_root, uid_t *uid, gid_t *gid)
{
	struct stat st;
	int fd, ret;

	fd = open_at(rootfd, in_root, VOS_CLIPSTORE_DIR, O_RDONLY | O_DIRECTORY, 0);
	if (fd == -ENOENT)
		fd = open_at(rootfd, in_root, "run", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (!ret) {
		*uid = st.st_uid;
		*gid = st.st_gid;
	}
	return ret;
}

bool vos_clipstore_mime_valid(const char *mime)
{
	size_t len = strnlen(mime, VOS_CLIPSTORE_MIME_MAX);
	const char *slash = strchr(mime, '/');
	size_t i;

	if (!len || len == VOS_CLIPSTORE_MIME_MAX || !slash || slash == mime || !slash[1] ||
	    slash[1] == ';')
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)mime[i] < ' ' || (unsigned char)mime[i] > '~')
			return false;
	return true;
}

int vos_clipstore_read(int rootfd, bool in_root, char *mime, size_t mimelen, void **datap,
		       size_t *lenp, size_t max)
{
	size_t cap, len = 0;
	char *buf, *nl;
	struct stat st;
	int dfd, fd, ret = 0;
	ssize_t n;

	*datap = NULL;
	*lenp = 0;
	dfd = open_dir(rootfd, in_root, false, (uid_t)-1, (gid_t)-1);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, VOS_CLIPSTORE_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ret = fd < 0 ? -errno : 0;
	close(dfd);
	if (ret)
		return ret == -ELOOP ? -EBADMSG : ret;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EBADMSG;
	}
	/* the header and the bytes; one more to see a file that grew past it */
	cap = max + VOS_CLIPSTORE_MIME_MAX + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (ret)
		goto fail;
	ret = -EBADMSG;
	nl = memchr(buf, '\n', len < VOS_CLIPSTORE_MIME_MAX ? len : VOS_CLIPSTORE_MIME_MAX);
	if (!nl)
		goto fail;
	*nl = '\0';
	if (!vos_clipstore_mime_valid(buf) || (size_t)(nl - buf) + 1 > mimelen)
		goto fail;
	if (len - (size_t)(nl + 1 - buf) > max) {
		ret = -EFBIG;
		goto fail;
	}
	if (len == (size_t)(nl + 1 - buf)) {
		ret = -ENOENT; /* a type and no bytes: empty */
		goto fail;
	}
	memcpy(mime, buf, (size_t)(nl - buf) + 1);
	len -= (size_t)(nl + 1 - buf);
	memmove(buf, nl + 1, len);
	*datap = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	return ret;
}

static int write_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	ssize_t n;

	while (len) {
		n = write(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int vos_clipstore_write(int rootfd, bool in_root, const char *mime, const void *data, size_t len,
			uid_t uid, gid_t gid)
{
	char tmp[64];
	struct stat st;
	int dfd, fd = -1, ret, i;

	if (!vos_clipstore_mime_valid(mime) || !len)
		return -EINVAL;
	dfd = open_dir(rootfd, in_root, true, uid, gid);
	if (dfd < 0)
		return dfd;
	if (fstat(dfd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < 16 && fd < 0; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.%ld.%d", VOS_CLIPSTORE_FILE, (long)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			ret = -errno;
			goto out;
		}
	}
	if (fd < 0) {
		ret = -EEXIST;
		goto out;
	}
	/* what the host writes belongs to the directory's owner inside */
	ret = in_root && fchown(fd, st.st_uid, st.st_gid) < 0 ? -errno : 0;
	if (!ret)
		ret = write_all(fd, mime, strlen(mime));
	if (!ret)
		ret = write_all(fd, "\n", 1);
	if (!ret)
		ret = write_all(fd, data, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && renameat(dfd, tmp, dfd, VOS_CLIPSTORE_FILE) < 0)
		ret = -errno;
	if (ret)
		unlinkat(dfd, tmp, 0);
out:
	close(dfd);
	return ret;
}

int vos_clipstore_write_owner(int rootfd, bool in_root, const char *mime, const void *data,
			      size_t len)
{
	uid_t uid, ouid;
	gid_t gid, ogid;
	int ret;

	ret = vos_clipstore_owner(rootfd, in_root, &uid, &gid);
	if (ret)
		return ret;
	/* the capabilities setfsuid() drops come back when it returns to 0 */
	ogid = (gid_t)setfsgid(gid);
	ouid = (uid_t)setfsuid(uid);
	ret = vos_clipstore_write(rootfd, in_root, mime, data, len, uid, gid);
	setfsuid(ouid);
	setfsgid(ogid);
	return ret;
}

int vos_clipstore_clear(int rootfd, bool in_root)
{
	int dfd, ret;

	dfd = open_dir(rootfd, in_root, false, (uid_t)-1, (gid_t)-1);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return dfd;
	ret = unlinkat(dfd, VOS_CLIPSTORE_FILE, 0) < 0 && errno != ENOENT ? -errno : 0;
	close(dfd);
	return ret;
}
