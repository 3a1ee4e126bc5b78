// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl apps NAME list|export ID|unexport ID, and vosctl launch NAME ID
 * (issue 15): a subsystem's desktop entries on the user's desktop.
 *
 * The entries are read from the running subsystem's own root, reached
 * through its init's /proc/PID/root, with openat2(RESOLVE_IN_ROOT): an
 * absolute symlink or a ".." in there resolves inside that root, so the
 * subsystem cannot point vosctl at a file of the host. What is read is
 * untrusted; desktop.c parses it strictly, and launch reads and checks the
 * entry again each time (the subsystem may have changed it since the
 * export) and only runs an ID the user exported.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"
#include "desktop.h"

/* Where the entries are inside, the first one of an ID winning (XDG_DATA_DIRS' default order) */
static const char *const app_dirs[] = { "usr/local/share/applications", "usr/share/applications" };

static int open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/*
 * The root of running subsystem @name, as an O_PATH fd in *rootfdp. The
 * init's pid is read again after the open: a pid reused in between by
 * another process would not be the subsystem's any more.
 */
static int subsys_root(struct vos_ctx *vctx, const char *name, struct vos_subsys **sp, int *rootfdp,
		       struct cli_err *e)
{
	struct vos_info a, b;
	char path[64];
	int ret, fd;

	ret = vos_subsys_open(vctx, name, sp);
	if (ret)
		return lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
	ret = vos_subsys_info(*sp, &a);
	if (ret)
		return lib_fail(e, OP_LIST, vctx, ret, name, NULL);
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
	ret = vos_subsys_info(*sp, &b);
	if (ret || b.init_pid != a.init_pid || b.state != VOS_STATE_RUNNING) {
		close(fd);
		return cli_fail(e, EXIT_NAME, "%s stopped while its apps were read: start it again",
				name);
	}
	*rootfdp = fd;
	return 0;
}

/*
 * Read entry @id from @dir inside @rootfd into @d: 0, -ENOENT if there is
 * none, or EXIT_FAIL with @e for one that cannot be read or parsed.
 */
static int read_entry(int rootfd, const char *dir, const char *id, struct desktop_entry *d,
		      struct cli_err *e)
{
	char path[PATH_MAX], *buf;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s.desktop", dir, id);
	/* O_NONBLOCK: a FIFO put there must not hang vosctl before fstat refuses it */
	fd = open_in_root(rootfd, path, O_RDONLY | O_NONBLOCK);
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

/* Entry @id as launch and export see it: the first of app_dirs that has it */
static int find_entry(int rootfd, const char *name, const char *id, struct desktop_entry *d,
		      struct cli_err *e)
{
	size_t i;
	int ret;

	for (i = 0; i < sizeof(app_dirs) / sizeof(app_dirs[0]); i++) {
		ret = read_entry(rootfd, app_dirs[i], id, d, e);
		if (ret != -ENOENT)
			return ret;
	}
	return cli_fail(e, EXIT_NAME, "%s has no desktop entry %s: see 'vosctl apps %s list'", name,
			id, name);
}

/* $XDG_DATA_HOME/applications/virtos-NAME-ID.desktop (or under ~/.local/share) */
static int export_path(char *out, size_t max, char *dir, size_t dmax, const char *name,
		       const char *id, struct cli_err *e)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(dir, dmax, "%s/applications", xdg);
	else if (home && home[0] == '/')
		n = snprintf(dir, dmax, "%s/.local/share/applications", home);
	else
		return cli_fail(e, EXIT_USAGE,
				"neither XDG_DATA_HOME nor HOME is an absolute path: set one");
	if (n < 0 || (size_t)n >= dmax ||
	    (size_t)snprintf(out, max, "%s/virtos-%s-%s.desktop", dir, name, id) >= max)
		return cli_fail(e, EXIT_USAGE, "the applications directory's path is too long");
	return 0;
}

/* mkdir -p @dir */
static int make_dirs(char *dir, struct cli_err *e)
{
	char *p;

	for (p = dir + 1;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) && errno != EEXIST)
				return cli_fail(e, EXIT_FAIL, "cannot make %s: %s", dir,
						strerror(errno));
			*p = c;
			if (!c)
				return 0;
		}
	}
}

/* Is @id of @name exported (a file of ours, naming them)? */
static int check_exported(const char *name, const char *id, struct cli_err *e)
{
	char path[PATH_MAX], dir[PATH_MAX], want[256], *buf;
	struct desktop_entry d = { 0 };
	size_t n;
	FILE *f;
	int ret;

	ret = export_path(path, sizeof(path), dir, sizeof(dir), name, id, e);
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f)
		return cli_fail(
			e, EXIT_NAME,
			"%s of %s is not exported (%s: %s): 'vosctl apps %s export %s' first", id,
			name, path, strerror(errno), name, id);
	buf = malloc(DESKTOP_FILE_MAX);
	n = buf ? fread(buf, 1, DESKTOP_FILE_MAX, f) : 0;
	fclose(f);
	if (!buf)
		return cli_fail(e, EXIT_FAIL, "out of memory");
	snprintf(want, sizeof(want), "\nX-Virtos-Subsystem=%s\nX-Virtos-Id=%s\n", name, id);
	ret = desktop_parse(&d, buf, n, e);
	desktop_entry_clear(&d);
	if (ret || !memmem(buf, n, want, strlen(want)))
		ret = cli_fail(e, EXIT_NAME,
			       "%s is not an export of vosctl for %s %s: export it again", path,
			       name, id);
	free(buf);
	return ret;
}

static int apps_list(struct cli_ctx *ctx, int rootfd, const char *name, bool json,
		     struct cli_err *e)
{
	char seen[512][DESKTOP_ID_MAX];
	size_t nseen = 0, i, j;
	bool first = true;
	int ret;

	if (json)
		fputc('[', ctx->out);
	else
		fprintf(ctx->out, "%-32s %-8s %-24s %s\n", "ID", "EXPORTED", "NAME", "EXEC");
	for (i = 0; i < sizeof(app_dirs) / sizeof(app_dirs[0]); i++) {
		int fd = open_in_root(rootfd, app_dirs[i], O_RDONLY | O_DIRECTORY);
		struct dirent *de;
		DIR *dir;

		if (fd == -ENOENT || fd == -ENOTDIR)
			continue;
		if (fd < 0)
			return cli_fail(e, EXIT_FAIL, "/%s in %s: %s", app_dirs[i], name,
					strerror(-fd));
		dir = fdopendir(fd);
		if (!dir) {
			close(fd);
			return cli_fail(e, EXIT_FAIL, "out of memory");
		}
		while ((de = readdir(dir))) {
			struct desktop_entry d = { 0 };
			struct cli_err pe = { 0 }, xe = { 0 };
			char id[DESKTOP_ID_MAX];
			size_t len = strlen(de->d_name);
			bool exportable = false, exported;

			if (len <= 8 || len - 8 >= sizeof(id) ||
			    strcmp(de->d_name + len - 8, ".desktop"))
				continue;
			snprintf(id, sizeof(id), "%.*s", (int)(len - 8), de->d_name);
			if (desktop_id_check(id))
				continue;
			for (j = 0; j < nseen && strcmp(seen[j], id); j++)
				;
			if (j < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
				continue;
			snprintf(seen[nseen++], DESKTOP_ID_MAX, "%s", id);
			ret = read_entry(rootfd, app_dirs[i], id, &d, &pe);
			if (ret == -ENOENT)
				continue; /* a dangling symlink, or gone meanwhile */
			if (ret == 0) {
				FILE *null = fopen("/dev/null", "we");

				if (!desktop_is_app(&d)) {
					desktop_entry_clear(&d);
					continue;
				}
				exportable = null && desktop_export_write(null, &d, name, &pe) == 0;
				if (null)
					fclose(null);
			}
			exported = check_exported(name, id, &xe) == 0;
			if (json) {
				fputs(first ? "{\"id\":" : ",{\"id\":", ctx->out);
				json_str(ctx->out, id);
				fputs(",\"name\":", ctx->out);
				json_str(ctx->out, d.name);
				fputs(",\"exec\":", ctx->out);
				json_str(ctx->out, d.exec);
				fputs(",\"icon\":", ctx->out);
				json_str(ctx->out, d.icon);
				fputs(",\"mimetype\":", ctx->out);
				json_str(ctx->out, d.mimetype);
				fputs(",\"categories\":", ctx->out);
				json_str(ctx->out, d.categories);
				fprintf(ctx->out,
					",\"nodisplay\":%s,\"exported\":%s,\"exportable\":%s",
					d.nodisplay ? "true" : "false", exported ? "true" : "false",
					exportable ? "true" : "false");
				fputs(",\"problem\":", ctx->out);
				json_str(ctx->out, exportable ? NULL : pe.msg);
				fputc('}', ctx->out);
			} else {
				fprintf(ctx->out, "%-32s %-8s %-24s %s%s\n", id,
					exported ? "yes" : "no", d.name ? d.name : "-",
					exportable ? "" : "refused: ",
					exportable ? d.exec : pe.msg);
			}
			first = false;
			desktop_entry_clear(&d);
		}
		closedir(dir);
	}
	if (json)
		fputs("]\n", ctx->out);
	return 0;
}

static int apps_export(int rootfd, const char *name, const char *id, struct cli_err *e)
{
	char path[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX + 16];
	struct desktop_entry d = { 0 };
	FILE *f;
	int ret, fd;

	ret = export_path(path, sizeof(path), dir, sizeof(dir), name, id, e);
	if (ret)
		return ret;
	ret = find_entry(rootfd, name, id, &d, e);
	if (ret)
		goto out;
	ret = make_dirs(dir, e);
	if (ret)
		goto out;
	/* Written whole, then renamed: a menu never sees half an entry */
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = cli_fail(e, EXIT_FAIL, "cannot write in %s: %s", dir, strerror(errno));
		goto out;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		ret = cli_fail(e, EXIT_FAIL, "out of memory");
		goto out;
	}
	ret = desktop_export_write(f, &d, name, e);
	if (ret) {
		char msg[CLI_ERR_MAX];

		snprintf(msg, sizeof(msg), "%s", e->msg);
		cli_fail(e, EXIT_FAIL, "export: %s of %s refused: %s", id, name, msg);
	}
	if (fchmod(fd, 0644) || fclose(f)) {
		if (!ret)
			ret = cli_fail(e, EXIT_FAIL, "cannot write %s: %s", tmp, strerror(errno));
	}
	if (!ret && rename(tmp, path))
		ret = cli_fail(e, EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
	if (ret)
		unlink(tmp);
out:
	desktop_entry_clear(&d);
	return ret;
}

static int apps_unexport(const char *name, const char *id, struct cli_err *e)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int ret;

	ret = check_exported(name, id, e);
	if (ret)
		return ret;
	ret = export_path(path, sizeof(path), dir, sizeof(dir), name, id, e);
	if (ret)
		return ret;
	if (unlink(path))
		return cli_fail(e, EXIT_FAIL, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

static const struct option apps_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_apps(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("apps");
	const char *name, *verb, *id = NULL;
	struct vos_ctx *vctx = NULL;
	struct vos_subsys *s = NULL;
	bool json = false;
	int c, ret, rootfd = -1;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", apps_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
	}
	if (argc - optind < 2)
		return cli_fail(
			e, EXIT_USAGE,
			"apps: missing NAME and list|export ID|unexport ID: e.g. 'vosctl apps web list'");
	name = argv[optind++];
	verb = argv[optind++];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;
	if (strcmp(verb, "list") == 0) {
		if (optind != argc)
			return cli_fail(e, EXIT_USAGE, "apps: list takes no more arguments");
	} else if (strcmp(verb, "export") == 0 || strcmp(verb, "unexport") == 0) {
		if (argc - optind != 1)
			return cli_fail(e, EXIT_USAGE,
					"apps: %s takes one desktop ID: see 'vosctl apps %s list'",
					verb, name);
		id = argv[optind];
		if (desktop_id_check(id))
			return cli_fail(
				e, EXIT_USAGE,
				"apps: '%s' is not a desktop ID: the file name without .desktop, as 'vosctl apps %s list' shows it",
				id, name);
		if (json)
			return cli_fail(e, EXIT_USAGE, "apps: --json goes with list");
	} else {
		return cli_fail(e, EXIT_USAGE,
				"apps: unknown action '%s': use list, export or unexport", verb);
	}
	/* unexport works on the host's file alone: NAME need not run, or exist */
	if (strcmp(verb, "unexport") == 0)
		return apps_unexport(name, id, e);

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = subsys_root(vctx, name, &s, &rootfd, e);
	if (ret)
		goto out;
	if (id)
		ret = apps_export(rootfd, name, id, e);
	else
		ret = apps_list(ctx, rootfd, name, json, e);
out:
	if (rootfd >= 0)
		close(rootfd);
	vos_subsys_free(s);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option launch_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_launch(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("launch");
	char **split = NULL, **run = NULL;
	struct desktop_entry d = { 0 };
	struct vos_ctx *vctx = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	const char *name, *id;
	int c, ret, rootfd = -1;

	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", launch_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
	}
	if (argc - optind < 2)
		return cli_fail(
			e, EXIT_USAGE,
			"launch: missing NAME and ID: e.g. 'vosctl launch web org.example.App'");
	name = argv[optind++];
	id = argv[optind++];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;
	if (desktop_id_check(id))
		return cli_fail(e, EXIT_USAGE,
				"launch: '%s' is not a desktop ID: see 'vosctl apps %s list'", id,
				name);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	/* Only what the user exported: launch is no free command line */
	ret = check_exported(name, id, e);
	if (ret)
		return ret;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = subsys_root(vctx, name, &s, &rootfd, e);
	if (ret)
		goto out;
	/* Read and checked again: the subsystem may have changed it since the export */
	ret = find_entry(rootfd, name, id, &d, e);
	if (!ret && !desktop_is_app(&d))
		ret = cli_fail(e, EXIT_NAME, "%s of %s is no application entry any more", id, name);
	if (!ret && !d.exec)
		ret = cli_fail(e, EXIT_NAME, "%s of %s has no Exec any more", id, name);
	if (!ret)
		ret = desktop_exec_split(d.exec, &split, e);
	if (!ret)
		ret = desktop_exec_check(split, e);
	if (ret) {
		if (ret == EXIT_FAIL) {
			char msg[CLI_ERR_MAX];

			snprintf(msg, sizeof(msg), "%s", e->msg);
			cli_fail(e, EXIT_FAIL, "launch: %s of %s refused: %s", id, name, msg);
		}
		goto out;
	}
	ret = desktop_exec_expand(split, argv + optind, (size_t)(argc - optind), &run, e);
	if (ret)
		goto out;
	close(rootfd);
	rootfd = -1;
	/* NULL config: the isolation the subsystem was created with, as exec */
	ret = vos_subsys_exec(s, NULL, run, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_EXEC, vctx, ret, name, run[0]);
		goto out;
	}
	ret = proc_wait_forward(p, vctx, e);
out:
	if (rootfd >= 0)
		close(rootfd);
	desktop_argv_free(split);
	desktop_argv_free(run);
	desktop_entry_clear(&d);
	vos_proc_free(p);
	vos_subsys_free(s);
	vos_ctx_free(vctx);
	return ret;
}
