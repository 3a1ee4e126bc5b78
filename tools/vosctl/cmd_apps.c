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
#include <pwd.h>
#include <stdio.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "../vosd/proto.h"
#include "appentry.h"
#include "common.h"

/* Open running subsystem @name and its root (appentry.c) */
static int subsys_root(struct vos_ctx *vctx, const char *name, struct vos_subsys **sp, int *rootfdp,
		       struct cli_err *e)
{
	int ret = vos_subsys_open(vctx, name, sp);

	if (ret)
		return lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
	return app_subsys_root(vctx, *sp, name, rootfdp, e);
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
	for (i = 0; i < APP_DIRS; i++) {
		int fd = app_open_in_root(rootfd, app_dirs[i], O_RDONLY | O_DIRECTORY);
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
			ret = app_read_entry(rootfd, app_dirs[i], id, &d, &pe);
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
	ret = app_find_entry(rootfd, name, id, &d, e);
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

/* @s into @out as vosd's launch takes an ARG: %XX for bytes it would split at */
static int put_arg(char *out, size_t max, size_t *len, const char *s)
{
	for (; *s; s++) {
		unsigned char b = (unsigned char)*s;
		int n = b <= 0x20 || b == '%' || b >= 0x7f
				? snprintf(out + *len, max - *len, "%%%02X", b)
				: snprintf(out + *len, max - *len, "%c", b);

		if (n < 0 || (size_t)n >= max - *len)
			return -1;
		*len += (size_t)n;
	}
	return 0;
}

/*
 * A terminal of the caller's never goes inside (as with vos_subsys_exec's
 * pty): for a launch from a terminal, a new pty whose slave stands in for
 * each of stdin, stdout, stderr that is a terminal. 0 with *masterp (or
 * -1: no terminal) and @fds set, or an errno.
 */
static int launch_pty(int *masterp, int fds[3])
{
	struct winsize ws;
	int m, sl, i;

	*masterp = -1;
	for (i = 0; i < 3; i++)
		fds[i] = i;
	if (!isatty(0) && !isatty(1) && !isatty(2))
		return 0;
	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		int err = errno;

		if (m >= 0)
			close(m);
		return err;
	}
	sl = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0) {
		int err = errno;

		close(m);
		return err;
	}
	for (i = 0; i < 3; i++)
		if (ioctl(i, TIOCGWINSZ, &ws) == 0 && ioctl(m, TIOCSWINSZ, &ws) == 0)
			break;
	for (i = 0; i < 3; i++)
		if (isatty(i))
			fds[i] = sl;
	*masterp = m;
	return 0;
}

/*
 * Relay the caller's terminal and the app's pty (@m) until vosd's next
 * line on @conn (the app ended); the caller's terminal in raw mode
 * meanwhile, so that keys (^C included) reach the app's pty as they are.
 * 0 with @line, or a negative errno.
 */
#define LAUNCH_DRAIN_MS 500 /* the app's last output after its end */

static int launch_relay(int conn, int m, char *line, size_t len)
{
	int out = isatty(1) ? 1 : 2, in = isatty(0) ? 0 : -1, ret, winch;
	struct termios saved, raw;
	bool restore = in >= 0 && tcgetattr(in, &saved) == 0;
	sigset_t ws_set, old_set;
	char buf[4096];

	/* the terminal's new size, for the app's pty (SIGWINCH) */
	sigemptyset(&ws_set);
	sigaddset(&ws_set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &ws_set, &old_set);
	winch = signalfd(-1, &ws_set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (restore) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(in, TCSANOW, &raw);
	}
	for (;;) {
		struct pollfd p[4] = { { .fd = conn, .events = POLLIN },
				       { .fd = m, .events = POLLIN },
				       { .fd = in, .events = POLLIN },
				       { .fd = winch, .events = POLLIN } };
		ssize_t n;

		if (poll(p, 4, -1) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		if (p[3].revents) {
			struct signalfd_siginfo si;
			struct winsize ws;
			int i;

			while (read(winch, &si, sizeof(si)) == sizeof(si))
				;
			for (i = 0; i < 3 && m >= 0; i++)
				if (ioctl(i, TIOCGWINSZ, &ws) == 0 &&
				    ioctl(m, TIOCSWINSZ, &ws) == 0)
					break;
		}
		if (p[1].revents) {
			/* the app's output first, up to its end (EIO once the slave is closed) */
			n = read(m, buf, sizeof(buf));
			if (n > 0 && write(out, buf, (size_t)n) == n)
				continue;
			if (n < 0 && errno == EINTR)
				continue;
			m = -1;
		}
		if (p[0].revents) {
			ret = vosd_client_line(conn, line, len);
			break;
		}
		if (p[2].revents) {
			n = read(in, buf, sizeof(buf));
			if (n <= 0 || write(m, buf, (size_t)n) < 0)
				in = -1;
		}
	}
	/*
	 * The app ended: what it wrote last may still be on its way through
	 * the pty (the kernel pushes it to the master from a work queue). Read
	 * until the slave is closed (EIO), or quiet for a while if something
	 * the app left behind still holds it.
	 */
	while (m >= 0) {
		struct pollfd q = { .fd = m, .events = POLLIN };
		ssize_t n;

		if (poll(&q, 1, LAUNCH_DRAIN_MS) <= 0)
			break;
		n = read(m, buf, sizeof(buf));
		if (n <= 0 || write(out, buf, (size_t)n) != n)
			break;
	}
	if (restore)
		tcsetattr(0, TCSANOW, &saved);
	if (winch >= 0)
		close(winch);
	sigprocmask(SIG_SETMASK, &old_set, NULL);
	return ret;
}

/*
 * vosctl launch by a host user who is not root (issue 15): vosd starts
 * the app (tools/vosd/launch.c) if the user is in the vos group and the
 * policy allows vos.Launch+ID from @user:NAME to NAME. This process's
 * stdin, stdout and stderr go with the request (a new pty for those that
 * are a terminal, relayed here: launch_pty()); vosd says "exit N" when the
 * app ends, and kills it if this process goes first.
 */
static int launch_delegated(const char *name, const char *id, char **args, int nargs,
			    struct cli_err *e)
{
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX], line[VOSD_LINE_MAX];
	int fds[3], conn, chan, code, i, ret, m;
	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : "USER";
	size_t len;

	len = (size_t)snprintf(req, sizeof(req), "launch %s %s", name, id);
	for (i = 0; i < nargs; i++) {
		if (len + 1 >= sizeof(req))
			break;
		req[len++] = ' ';
		req[len] = '\0';
		if (put_arg(req, sizeof(req), &len, args[i]) < 0)
			break;
	}
	if (i < nargs)
		return cli_fail(e, EXIT_USAGE,
				"launch: the arguments are too long for vosd (%d bytes)",
				VOSD_LINE_MAX - 64);
	ret = launch_pty(&m, fds);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "launch: a pty for the app: %s", strerror(ret));
	/* stdio as it is (but terminals); a closed one as /dev/null */
	for (i = 0; i < 3; i++)
		if (fds[i] == i && fcntl(i, F_GETFD) < 0)
			fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
	conn = vosd_client_open_fds(vosd_sock_path(), req, fds, 3, &chan, msg, sizeof(msg), &code);
	for (i = 0; i < 3; i++)
		if (fds[i] > 2 && (i == 0 || fds[i] != fds[i - 1]))
			close(fds[i]);
	if (conn < 0 && m >= 0)
		close(m);
	if (conn < 0) {
		if (code == EXIT_DENIED)
			return cli_fail(e, code,
					"launch %s %s: denied by policy (%s): an administrator can "
					"add a rule like 'vos.Launch+%s @user:%s %s allow' to "
					"/etc/virtos/policy.d/",
					name, id, msg, id, user, name);
		return cli_fail(e, code, "launch %s %s: %s", name, id, msg);
	}
	if (chan >= 0)
		close(chan);
	if (m >= 0) {
		ret = launch_relay(conn, m, line, sizeof(line));
		close(m);
	} else {
		ret = vosd_client_line(conn, line, sizeof(line));
	}
	close(conn);
	if (ret == 0 && sscanf(line, "exit %d", &code) == 1 && code >= 0 && code <= 255)
		return code;
	return cli_fail(e, EXIT_FAIL, "launch %s %s: vosd did not say how the app ended (%s)", name,
			id, ret ? strerror(-ret) : line);
}

int cmd_launch(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("launch");
	char **run = NULL;
	struct vos_ctx *vctx = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	const char *name, *id;
	bool disp;
	int c, ret;

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
	disp = !strncmp(name, "@dispvm:", 8);
	if (parse_name(e, disp ? "@dispvm:TEMPLATE" : "NAME", disp ? name + 8 : name))
		return EXIT_USAGE;
	if (desktop_id_check(id))
		return cli_fail(e, EXIT_USAGE,
				"launch: '%s' is not a desktop ID: see 'vosctl apps %s list'", id,
				name);
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	/*
	 * Not root: through vosd, where the policy's vos.Launch rules for
	 * @user:NAME say what may run (the user's own exported file proves
	 * nothing to vosd, so it is not asked for)
	 */
	if (geteuid() != 0)
		return launch_delegated(name, id, argv + optind, argc - optind, e);
	/* root's launch is of what root exported from a running NAME */
	if (disp)
		return cli_fail(e, EXIT_USAGE,
				"launch: %s: root runs commands in a disposable with 'vosctl run "
				"--disposable %s -- CMD'; launching into disposables is for the "
				"users of vosd's group (vosd(8))",
				name, name + 8);
	/* Only what the user exported: launch is no free command line */
	ret = check_exported(name, id, e);
	if (ret)
		return ret;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_subsys_open(vctx, name, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	ret = app_command(vctx, s, name, id, argv + optind, (size_t)(argc - optind), &run, e);
	if (ret)
		goto out;
	/* NULL config: the isolation the subsystem was created with, as exec */
	ret = vos_subsys_exec(s, NULL, run, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_EXEC, vctx, ret, name, run[0]);
		goto out;
	}
	ret = proc_wait_forward(p, vctx, e);
out:
	desktop_argv_free(run);
	vos_proc_free(p);
	vos_subsys_free(s);
	vos_ctx_free(vctx);
	return ret;
}
