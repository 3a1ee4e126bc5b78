// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * filecopy.c - vos.FileCopy's stream (filecopy.h): the receiver, which
 * runs inside the target subsystem and trusts nothing of the stream, and
 * the sender's record writers. No library: vos-copy runs in any root file
 * system that has a libc.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filecopy.h"

#define FC_BUF 65536

struct made {
	char *path; /* relative to the source directory */
	bool dir;
};

struct dirmap {
	char *sent;  /* the name in the stream */
	char *final; /* where it went (its top component may be renamed) */
};

struct rx {
	int in, fd; /* the stream; Incoming/SOURCE */
	const struct fc_limits *lim;
	struct fc_report *rep;
	struct made *made;
	size_t nmade, cmade;
	struct dirmap *dirs;
	size_t ndirs, cdirs;
	char *err;
	size_t errlen;
	unsigned long entries;
	char *buf;
};

__attribute__((format(printf, 3, 4))) static int fail(struct rx *r, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

int fc_name_check(const char *name, size_t len)
{
	size_t i, comp = 0, depth = 1;

	if (len == 0 || len > FC_NAME_MAX || name[0] == '/' || name[len - 1] == '/')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch < 0x20 || ch == 0x7f)
			return -EINVAL;
		if (ch != '/') {
			if (++comp > FC_COMPONENT_MAX)
				return -EINVAL;
			continue;
		}
		/* the component that ends here: not empty, ".", ".." */
		if (comp == 0 || (comp == 1 && name[i - 1] == '.') ||
		    (comp == 2 && name[i - 1] == '.' && name[i - 2] == '.'))
			return -EINVAL;
		comp = 0;
		if (++depth > FC_DEPTH_MAX)
			return -EINVAL;
	}
	if ((comp == 1 && name[len - 1] == '.') ||
	    (comp == 2 && name[len - 1] == '.' && name[len - 2] == '.'))
		return -EINVAL;
	return 0;
}

int fc_source_check(const char *src)
{
	size_t i, n = strlen(src);

	if (n == 0 || n > 64 || src[0] == '.')
		return -EINVAL;
	for (i = 0; i < n; i++) {
		char ch = src[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
		      (ch == '@' && i == 0)))
			return -EINVAL;
	}
	return 0;
}

/*
 * openat2() beneath @dir: no symlink, magic link or mount crossing. Where
 * openat2() is missing (valgrind does not know it), one component at a
 * time with O_NOFOLLOW: the names are checked (no "..", no "." and never
 * absolute), so that walk cannot leave @dir either.
 */
static int beneath(int dir, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd = syscall(SYS_openat2, dir, path, &how, sizeof(how));
	char comp[FC_COMPONENT_MAX + 1];
	const char *p = path;
	int cur = dir;

	if (fd >= 0 || errno != ENOSYS)
		return fd < 0 ? -errno : (int)fd;
	if (fc_name_check(path, strlen(path)) < 0)
		return -EINVAL;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		int next;

		memcpy(comp, p, n);
		comp[n] = '\0';
		next = openat(cur, comp,
			      (slash ? O_RDONLY | O_DIRECTORY : flags) | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			next = -errno;
		if (cur != dir)
			close(cur);
		if (next < 0 || !slash)
			return next;
		cur = next;
		p = slash + 1;
	}
}

/* 0, -EPIPE at an early end, or a negative errno */
static int get(struct rx *r, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t got = read(r->in, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -EPIPE;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static int get_be(struct rx *r, unsigned int bytes, uint64_t *v)
{
	unsigned char b[8];
	unsigned int i;
	int ret = get(r, b, bytes);

	*v = 0;
	for (i = 0; !ret && i < bytes; i++)
		*v = (*v << 8) | b[i];
	return ret;
}

static int remember(struct rx *r, const char *path, bool dir)
{
	if (r->nmade == r->cmade) {
		size_t n = r->cmade ? 2 * r->cmade : 64;
		struct made *m = realloc(r->made, n * sizeof(*m));

		if (!m)
			return fail(r, -ENOMEM, "out of memory");
		r->made = m;
		r->cmade = n;
	}
	r->made[r->nmade].path = strdup(path);
	if (!r->made[r->nmade].path)
		return fail(r, -ENOMEM, "out of memory");
	r->made[r->nmade++].dir = dir;
	return 0;
}

static int add_dir(struct rx *r, const char *sent, const char *final)
{
	if (r->ndirs == r->cdirs) {
		size_t n = r->cdirs ? 2 * r->cdirs : 64;
		struct dirmap *m = realloc(r->dirs, n * sizeof(*m));

		if (!m)
			return fail(r, -ENOMEM, "out of memory");
		r->dirs = m;
		r->cdirs = n;
	}
	r->dirs[r->ndirs].sent = strdup(sent);
	r->dirs[r->ndirs].final = strdup(final);
	if (!r->dirs[r->ndirs].sent || !r->dirs[r->ndirs].final) {
		free(r->dirs[r->ndirs].sent);
		free(r->dirs[r->ndirs].final);
		return fail(r, -ENOMEM, "out of memory");
	}
	r->ndirs++;
	return 0;
}

static const char *final_of(struct rx *r, const char *sent)
{
	size_t i;

	for (i = 0; i < r->ndirs; i++)
		if (strcmp(r->dirs[i].sent, sent) == 0)
			return r->dirs[i].final;
	return NULL;
}

/* @base, or its n-th new name: "stem.N.ext" ("name.N" without an extension) */
static int nth_name(const char *base, unsigned int n, char *out, size_t len)
{
	const char *dot = strrchr(base, '.');
	int w;

	if (n == 0)
		w = snprintf(out, len, "%s", base);
	else if (dot && dot != base)
		w = snprintf(out, len, "%.*s.%u%s", (int)(dot - base), base, n, dot);
	else
		w = snprintf(out, len, "%s.%u", base, n);
	return w < 0 || (size_t)w >= len || (size_t)w > FC_COMPONENT_MAX ? -ENAMETOOLONG : 0;
}

/*
 * Make @base in directory @pfd (the stream's directory @pfinal, "" for the
 * top): a directory, or a file (then *fdp is its fd), under @base or, if
 * that exists, the first new name free. @final gets the path made.
 */
static int make_entry(struct rx *r, int pfd, const char *pfinal, const char *base, bool dir,
		      int mode, int *fdp, char *final, size_t flen)
{
	char name[FC_COMPONENT_MAX + 1];
	unsigned int n;
	int ret;

	for (n = 0; n <= FC_RENAME_MAX; n++) {
		if (nth_name(base, n, name, sizeof(name)) < 0)
			return fail(r, -ENAMETOOLONG, "%s: no new name fits in 255 bytes", base);
		if (dir) {
			ret = mkdirat(pfd, name, 0755) < 0 ? -errno : 0;
		} else {
			/* O_EXCL: an existing name, symlink or not, is never opened */
			ret = openat(pfd, name,
				     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
			if (ret < 0)
				ret = -errno;
			else
				*fdp = ret;
		}
		if (ret != -EEXIST)
			break;
	}
	if (ret == -EEXIST)
		return fail(r, -EEXIST, "%.200s: %.255s and %d new names exist already", pfinal,
			    base, FC_RENAME_MAX);
	if (ret < 0)
		return fail(r, ret, "cannot make %s%s%s: %s", pfinal, *pfinal ? "/" : "", name,
			    strerror(-ret));
	snprintf(final, flen, "%s%s%s", pfinal, *pfinal ? "/" : "", name);
	if (n) {
		r->rep->renamed++;
		if (!r->rep->first_rename[0])
			snprintf(r->rep->first_rename, sizeof(r->rep->first_rename),
				 "%.255s -> %.255s", base, name);
	}
	ret = remember(r, final, dir);
	if (ret < 0 && !dir) {
		close(*fdp);
		unlinkat(pfd, name, 0);
	} else if (ret < 0) {
		unlinkat(pfd, name, AT_REMOVEDIR);
	}
	return ret;
}

static int copy_data(struct rx *r, int fd, const char *name, uint64_t size)
{
	while (size) {
		size_t n = size < FC_BUF ? (size_t)size : FC_BUF;
		char *p = r->buf;
		int ret = get(r, r->buf, n);

		if (ret == -EPIPE)
			return fail(r, ret, "%s: the stream ended inside the file", name);
		if (ret < 0)
			return fail(r, ret, "reading the stream: %s", strerror(-ret));
		size -= n;
		while (n) {
			ssize_t w = write(fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return fail(r, -errno, "writing %s: %s", name, strerror(errno));
			p += w;
			n -= (size_t)w;
		}
	}
	return 0;
}

static int one_record(struct rx *r, char type)
{
	char sent[FC_NAME_MAX + 1], final[FC_NAME_MAX + FC_DEPTH_MAX * 5 + 8];
	const char *base, *pfinal = "";
	uint64_t len, mode = 0, size = 0;
	char *slash;
	int ret, pfd, fd = -1;

	ret = get_be(r, 2, &len);
	if (!ret && (len == 0 || len > FC_NAME_MAX))
		return fail(r, -EINVAL, "a name of %llu bytes (1 to %d)", (unsigned long long)len,
			    FC_NAME_MAX);
	if (!ret)
		ret = get(r, sent, (size_t)len);
	if (ret)
		return fail(r, ret, "the stream ended inside a record");
	sent[len] = '\0';
	if (memchr(sent, '\0', (size_t)len) || fc_name_check(sent, (size_t)len) < 0)
		return fail(r, -EINVAL,
			    "a name that is absolute, has '.', '..' or empty components, control "
			    "bytes, or is too long or deep: refused");
	if (++r->entries > r->lim->max_files)
		return fail(r, -EFBIG, "more than %lu files and directories (--max-files)",
			    r->lim->max_files);
	if (type == 'F') {
		ret = get_be(r, 2, &mode);
		if (!ret)
			ret = get_be(r, 8, &size);
		if (ret)
			return fail(r, ret, "the stream ended inside a record");
		if (size > r->lim->max_bytes - r->rep->bytes)
			return fail(r, -EFBIG,
				    "%s: over the limit of %llu bytes in all (--max-bytes)", sent,
				    (unsigned long long)r->lim->max_bytes);
	}
	slash = strrchr(sent, '/');
	base = sent;
	if (slash) {
		*slash = '\0';
		pfinal = final_of(r, sent);
		if (!pfinal)
			return fail(r, -EINVAL, "%s/%s: its directory was not sent before it", sent,
				    slash + 1);
		base = slash + 1;
		pfd = beneath(r->fd, pfinal, O_RDONLY | O_DIRECTORY);
		if (pfd < 0)
			return fail(r, pfd, "cannot open %s: %s", pfinal, strerror(-pfd));
	} else {
		pfd = r->fd;
	}
	/* below the top, a directory exists only if the stream sent it twice */
	if (type == 'D' && slash && (faccessat(pfd, base, F_OK, AT_SYMLINK_NOFOLLOW) == 0)) {
		ret = fail(r, -EEXIST, "%s/%s: sent twice", sent, base);
		goto out;
	}
	ret = make_entry(r, pfd, pfinal, base, type == 'D', (mode & 0100) ? 0755 : 0644, &fd, final,
			 sizeof(final));
	if (ret < 0)
		goto out;
	if (slash)
		*slash = '/';
	if (type == 'D') {
		r->rep->dirs++;
		ret = add_dir(r, sent, final);
		goto out;
	}
	ret = copy_data(r, fd, sent, size);
	if (ret == 0 && close(fd) < 0)
		ret = fail(r, -errno, "writing %s: %s", final, strerror(errno));
	else if (ret < 0)
		close(fd);
	if (ret == 0) {
		r->rep->files++;
		r->rep->bytes += size;
		if (!slash && !r->rep->first_file[0])
			snprintf(r->rep->first_file, sizeof(r->rep->first_file), "%.255s", final);
	}
out:
	if (pfd != r->fd)
		close(pfd);
	return ret;
}

static void undo(struct rx *r)
{
	while (r->nmade) {
		struct made *m = &r->made[--r->nmade];

		unlinkat(r->fd, m->path, m->dir ? AT_REMOVEDIR : 0);
		free(m->path);
	}
}

int fc_receive(int in, int basefd, const char *source, const struct fc_limits *lim,
	       struct fc_report *rep, char *err, size_t errlen)
{
	struct rx r = { .in = in, .fd = -1, .lim = lim, .rep = rep, .err = err, .errlen = errlen };
	char magic[FC_MAGIC_LEN], type, extra;
	int ret;
	size_t i;

	memset(rep, 0, sizeof(*rep));
	err[0] = '\0';
	if (fc_source_check(source) < 0)
		return fail(&r, -EINVAL, "'%s' is not a subsystem name", source);
	r.buf = malloc(FC_BUF);
	if (!r.buf)
		return fail(&r, -ENOMEM, "out of memory");
	if (mkdirat(basefd, source, 0755) < 0 && errno != EEXIST) {
		ret = fail(&r, -errno, "cannot make %s: %s", source, strerror(errno));
		goto out;
	}
	r.fd = beneath(basefd, source, O_RDONLY | O_DIRECTORY);
	if (r.fd < 0) {
		ret = fail(&r, r.fd, "cannot open %s (a directory, not a symlink): %s", source,
			   strerror(-r.fd));
		goto out;
	}
	ret = get(&r, magic, sizeof(magic));
	if (ret || memcmp(magic, FC_MAGIC, FC_MAGIC_LEN) != 0) {
		ret = fail(&r, -EINVAL, "not a vos.FileCopy stream (no %s header)", "VOSFC1");
		goto out;
	}
	for (;;) {
		ret = get(&r, &type, 1);
		if (ret) {
			ret = fail(&r, ret, "the stream ended without its end record");
			break;
		}
		if (type == 'E') {
			uint64_t z;

			ret = get_be(&r, 2, &z);
			if (ret || z)
				ret = fail(&r, -EINVAL, "a malformed end record");
			/* nothing may follow the end */
			else if (get(&r, &extra, 1) != -EPIPE)
				ret = fail(&r, -EINVAL, "bytes after the end record");
			break;
		}
		if (type != 'D' && type != 'F') {
			ret = fail(&r, -EINVAL,
				   "a record of type 0x%02x: only directories and regular files "
				   "cross",
				   (unsigned char)type);
			break;
		}
		ret = one_record(&r, type);
		if (ret < 0)
			break;
	}
	if (ret < 0)
		undo(&r);
out:
	for (i = 0; i < r.nmade; i++)
		free(r.made[i].path);
	for (i = 0; i < r.ndirs; i++) {
		free(r.dirs[i].sent);
		free(r.dirs[i].final);
	}
	free(r.made);
	free(r.dirs);
	free(r.buf);
	if (r.fd >= 0)
		close(r.fd);
	return ret;
}

/* ---- sender ---- */

static int put(int out, const void *buf, size_t n, char *err, size_t errlen)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(out, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errlen, "%s",
				 errno == EPIPE || errno == ECONNRESET
					 ? "the receiver stopped reading"
					 : strerror(errno));
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int put_head(int out, char type, const char *name, char *err, size_t errlen)
{
	unsigned char h[3];
	size_t len = strlen(name);

	if (fc_name_check(name, len) < 0) {
		snprintf(err, errlen,
			 "%s: a name that cannot cross (too long or deep, control "
			 "bytes)",
			 name);
		return -EINVAL;
	}
	h[0] = (unsigned char)type;
	h[1] = (unsigned char)(len >> 8);
	h[2] = (unsigned char)len;
	if (put(out, h, 3, err, errlen) < 0)
		return -EPIPE;
	return put(out, name, len, err, errlen);
}

int fc_put_magic(int out, char *err, size_t errlen)
{
	return put(out, FC_MAGIC, FC_MAGIC_LEN, err, errlen);
}

int fc_put_dir(int out, const char *name, char *err, size_t errlen)
{
	return put_head(out, 'D', name, err, errlen);
}

int fc_put_file(int out, const char *name, int fd, uint64_t size, bool exec, char *err,
		size_t errlen)
{
	unsigned char h[10];
	char *buf;
	int i, ret;

	ret = put_head(out, 'F', name, err, errlen);
	if (ret < 0)
		return ret;
	h[0] = (unsigned char)((exec ? 0755 : 0644) >> 8);
	h[1] = (unsigned char)((exec ? 0755 : 0644) & 0xff);
	for (i = 0; i < 8; i++)
		h[2 + i] = (unsigned char)(size >> (56 - 8 * i));
	ret = put(out, h, sizeof(h), err, errlen);
	if (ret < 0)
		return ret;
	buf = malloc(FC_BUF);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while (size && ret == 0) {
		ssize_t n = read(fd, buf, size < FC_BUF ? (size_t)size : FC_BUF);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", name,
				 n < 0 ? strerror(errno) : "it shrank while being sent");
			ret = n < 0 ? -errno : -EIO;
			break;
		}
		ret = put(out, buf, (size_t)n, err, errlen);
		size -= (uint64_t)n;
	}
	free(buf);
	return ret;
}

int fc_put_end(int out, char *err, size_t errlen)
{
	static const char end[3] = { 'E', 0, 0 };

	return put(out, end, sizeof(end), err, errlen);
}

bool fc_is_url(const char *a)
{
	const char *p = a;
	struct stat st;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '.' || *p == '-')
		p++;
	return *p == ':' && lstat(a, &st) < 0;
}

/* A file's MIME type by its name (no content sniffing: nothing is read) */
const char *fc_mime_of(const char *path)
{
	static const char *const map[][2] = {
		{ "pdf", "application/pdf" },
		{ "txt", "text/plain" },
		{ "html", "text/html" },
		{ "htm", "text/html" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "svg", "image/svg+xml" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "docx",
		  "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "zip", "application/zip" },
		{ "mp4", "video/mp4" },
		{ "mp3", "audio/mpeg" },
		{ "md", "text/markdown" },
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	size_t i;

	if (dot && (!slash || dot > slash))
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (!strcasecmp(dot + 1, map[i][0]))
				return map[i][1];
	return "application/octet-stream";
}
