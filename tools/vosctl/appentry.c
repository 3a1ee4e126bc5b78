// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * appentry.c - a running subsystem's desktop entries, read from its own
 * root (appentry.h), for vosctl apps/launch and vosd's vos.Launch.
 *
 * The entries are read through the subsystem init's /proc/PID/root, with
 * openat2(RESOLVE_IN_ROOT): an absolute symlink or a ".." in there
 * resolves inside that root, so the subsystem cannot point the reader at
 * a file of the host. What is read is untrusted; desktop.c parses it
 * strictly.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "appentry.h"

const char *const app_dirs[APP_DIRS] = { "usr/local/share/applications", "usr/share/applications" };

int app_open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/*
 * The init's pid is read again after the open: a pid reused in between by
 * another process would not be the subsystem's any more.
 */
int app_subsys_root(struct vos_ctx *vctx, struct vos_subsys *s, const char *name, int *rootfdp,
		    struct cli_err *e)
{
	struct vos_info a, b;
	char path[64];
	int ret, fd;

	ret = vos_subsys_info(s, &a);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "cannot read the state of %s: %s", name,
				vos_ctx_errmsg(vctx));
	if (a.state != VOS_STATE_RUNNING || a.init_pid <= 0)
		return cli_fail(e, EXIT_NAME, "%s does not run: start it first ('vosctl start %s')",
				name, name);
	snprintf(path, sizeof(path), "/proc/%d/root", a.init_pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail(
			e, errno == EACCES || errno == EPERM ? EXIT_PERM : EXIT_FAIL,
			"cannot open the root of %s (%s): %s: run vosctl as the subsystem's owner or root",
			name, path, strerror(errno));
	ret = vos_subsys_info(s, &b);
	if (ret || b.init_pid != a.init_pid || b.state != VOS_STATE_RUNNING) {
		close(fd);
		return cli_fail(e, EXIT_NAME, "%s stopped while its apps were read: start it again",
				name);
	}
	*rootfdp = fd;
	return 0;
}

int app_read_entry(int rootfd, const char *dir, const char *id, struct desktop_entry *d,
		   struct cli_err *e)
{
	char path[PATH_MAX], *buf;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s.desktop", dir, id);
	/* O_NONBLOCK: a FIFO put there must not hang vosctl before fstat refuses it */
	fd = app_open_in_root(rootfd, path, O_RDONLY | O_NONBLOCK);
	if (fd == -ENOENT)
		return -ENOENT;
	if (fd < 0)
		return cli_fail(e, EXIT_FAIL, "/%s: %s", path, strerror(-fd));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > DESKTOP_FILE_MAX) {
		close(fd);
		return cli_fail(e, EXIT_FAIL, "/%s: not a regular file of at most %d bytes", path,
				DESKTOP_FILE_MAX);
	}
	buf = malloc(DESKTOP_FILE_MAX + 1);
	if (!buf) {
		close(fd);
		return cli_fail(e, EXIT_FAIL, "out of memory");
	}
	while (got <= DESKTOP_FILE_MAX && (n = read(fd, buf + got, DESKTOP_FILE_MAX + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got > DESKTOP_FILE_MAX) {
		free(buf);
		return cli_fail(e, EXIT_FAIL, "/%s: more than %d bytes", path, DESKTOP_FILE_MAX);
	}
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "%s", id);
	ret = desktop_parse(d, buf, got, e);
	free(buf);
	if (ret) {
		char msg[CLI_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		return cli_fail(e, EXIT_FAIL, "/%s: %s", path, msg);
	}
	return 0;
}

int app_find_entry(int rootfd, const char *name, const char *id, struct desktop_entry *d,
		   struct cli_err *e)
{
	size_t i;
	int ret;

	for (i = 0; i < APP_DIRS; i++) {
		ret = app_read_entry(rootfd, app_dirs[i], id, d, e);
		if (ret != -ENOENT)
			return ret;
	}
	return cli_fail(e, EXIT_NAME, "%s has no desktop entry %s: see 'vosctl apps %s list'", name,
			id, name);
}

int app_command(struct vos_ctx *vctx, struct vos_subsys *s, const char *name, const char *id,
		char *const *args, size_t nargs, char ***runp, struct cli_err *e)
{
	struct desktop_entry d = { 0 };
	char **split = NULL;
	int ret, rootfd = -1;

	*runp = NULL;
	ret = app_subsys_root(vctx, s, name, &rootfd, e);
	if (ret)
		return ret;
	/* Read and checked again: the subsystem may have changed it since the export */
	ret = app_find_entry(rootfd, name, id, &d, e);
	close(rootfd);
	if (!ret && !desktop_is_app(&d))
		ret = cli_fail(e, EXIT_NAME, "%s of %s is no application entry any more", id, name);
	if (!ret && !d.exec)
		ret = cli_fail(e, EXIT_NAME, "%s of %s has no Exec any more", id, name);
	if (!ret)
		ret = desktop_exec_split(d.exec, &split, e);
	if (!ret)
		ret = desktop_exec_check(split, e);
	if (ret == EXIT_FAIL) {
		char msg[CLI_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		cli_fail(e, EXIT_FAIL, "launch: %s of %s refused: %s", id, name, msg);
	}
	if (!ret)
		ret = desktop_exec_expand(split, args, nargs, runp, e);
	desktop_argv_free(split);
	desktop_entry_clear(&d);
	return ret;
}
