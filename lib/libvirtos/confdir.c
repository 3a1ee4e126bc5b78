// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * confdir.c - the reading that the policy (policy.c) and the routes
 * (route.c) share: a directory of DIR/NAME.SUFFIX files, read in C-locale
 * (strcmp) order of their names, one line at a time, and the list of
 * problems found ("FILE:LINE: what is wrong"), which makes their users fail
 * closed. Nothing is looked up but the files; no global state.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

void vos_problem(struct vos_problems *pr, const char *file, unsigned int line, const char *fmt, ...)
{
	char msg[512], *s = NULL;
	va_list ap;
	int n;

	if (pr->n++ >= VOS_PROBLEMS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		n = asprintf(&s, "%s:%u: %s", file, line, msg);
	else
		n = asprintf(&s, "%s: %s", file, msg);
	/* out of memory: the count still says something is broken */
	pr->list[pr->n - 1] = n < 0 ? NULL : s;
}

void vos_problems_clear(struct vos_problems *pr)
{
	size_t i;

	for (i = 0; i < pr->n && i < VOS_PROBLEMS_MAX; i++)
		free(pr->list[i]);
	memset(pr, 0, sizeof(*pr));
}

static int parse_file(const struct vos_confdir *c, int dirfd, const char *name, const char *path)
{
	unsigned int line = 0;
	char *buf = NULL, *s, *nl;
	struct stat st;
	ssize_t got;
	size_t len = 0;
	int fd, ret = 0;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		vos_problem(c->problems, path, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		vos_problem(c->problems, path, 0, "not a regular file");
		goto out;
	}
	if ((size_t)st.st_size > c->file_max) {
		vos_problem(c->problems, path, 0, "larger than %zu bytes", c->file_max);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 2);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (len <= (size_t)st.st_size) {
		got = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			vos_problem(c->problems, path, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > (size_t)st.st_size) {
		vos_problem(c->problems, path, 0, "changed while being read");
		goto out;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		vos_problem(c->problems, path, 0, "holds a NUL byte: not a text file");
		goto out;
	}
	for (s = buf; *s && ret == 0; s = nl ? nl + 1 : s + strlen(s)) {
		line++;
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		if (strlen(s) > c->line_max) {
			vos_problem(c->problems, path, line, "longer than %zu bytes", c->line_max);
			continue;
		}
		ret = c->line(c->arg, path, line, s);
	}
out:
	free(buf);
	close(fd);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files that count: NAME.SUFFIX, NAME not empty and not hidden */
static bool conf_name(const char *n, const char *suffix)
{
	size_t len = strlen(n), sl = strlen(suffix);

	return n[0] != '.' && len > sl && strcmp(n + len - sl, suffix) == 0;
}

static int list_dir(const struct vos_confdir *c, DIR *d, char ***namesp, size_t *np)
{
	char **names = NULL, **nn;
	struct dirent *de;
	size_t n = 0;

	errno = 0;
	while ((de = readdir(d))) {
		if (!conf_name(de->d_name, c->suffix))
			continue;
		if (n == c->files_max) {
			*namesp = names;
			*np = n;
			return -E2BIG;
		}
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			goto nomem;
		names = nn;
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto nomem;
		n++;
	}
	*namesp = names;
	*np = n;
	return errno ? -errno : 0;
nomem:
	*namesp = names;
	*np = n;
	return -ENOMEM;
}

int vos_confdir_read(const char *dir, const struct vos_confdir *c)
{
	char **names = NULL, *path;
	size_t n = 0, i;
	int ret = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT && c->missing_ok)
			return 0;
		vos_problem(c->problems, dir, 0, "cannot list the %s directory: %s", c->what,
			    strerror(errno));
		return 0;
	}
	ret = list_dir(c, d, &names, &n);
	if (ret == -ENOMEM)
		goto out;
	if (ret == -E2BIG)
		vos_problem(c->problems, dir, 0, "more than %zu %s files", c->files_max, c->what);
	else if (ret < 0)
		vos_problem(c->problems, dir, 0, "cannot list the %s directory: %s", c->what,
			    strerror(-ret));
	ret = 0;
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && !ret; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			ret = -ENOMEM;
			break;
		}
		/* the callee keeps @path (rules point into it) */
		ret = c->file ? c->file(c->arg, path) : 0;
		if (!ret)
			ret = parse_file(c, dirfd(d), names[i], path);
		if (!c->file)
			free(path);
	}
out:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}
