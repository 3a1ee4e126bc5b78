// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl open: open a URL or a file in the subsystem its route names
 * (issue 15; routes: lib/libvirtos/route.c). The crossing policy decides
 * as it does for vos-open inside a subsystem (service vos.OpenURL or
 * vos.OpenFile, source @host), then the target's handler runs inside it:
 * the one it offers (--service vos.OpenURL=...), else vos-open --handle
 * from --builtin-dir (xdg-open, or the HANDLER given after the subject).
 * A @dispvm:TEMPLATE target opens in a new disposable through vosd
 * (open_disposable()).
 * A URL reaches the handler as one line on stdin, a file as a vos.FileCopy
 * stream (tools/vosd/filecopy.h): it is copied into the target's
 * Incoming/@host/, never bound. --explain says which route matched and
 * opens nothing; --lint lists the routes' problems.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <virtos.h>

#include "../vosd/filecopy.h"
#include "common.h"
#include "desktop.h"

#define ROUTE_DIRS    8
#define HANDLER_ARGS  32
#define OPEN_PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const struct option open_opts[] = {
	{ "explain", no_argument, NULL, 'x' },
	{ "lint", no_argument, NULL, 'l' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "routes-dir", required_argument, NULL, 'r' },
	{ "policy-dir", required_argument, NULL, 'p' },
	{ "builtin-dir", required_argument, NULL, 'b' },
	{ "in", required_argument, NULL, 'i' },
	{ "type", required_argument, NULL, 't' },
	{ "app", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct open_args {
	const char *dirs[ROUTE_DIRS + 1];
	int ndirs;
	const char *policy_dir, *builtin_dir, *in, *type, *app;
	bool explain, lint, json;
};

static int lint(struct cli_ctx *ctx, const struct vos_routes *r, struct cli_err *e)
{
	size_t i, n = vos_routes_problems(r);

	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%s\n", vos_routes_problem(r, i));
	if (n)
		return cli_fail(e, EXIT_POLICY,
				"open --lint: %zu problem%s: fix %s; until then no route is used",
				n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
	fprintf(ctx->out, "%zu route%s, no problems\n", vos_routes_count(r),
		vos_routes_count(r) == 1 ? "" : "s");
	return 0;
}

static void explain(struct cli_ctx *ctx, const struct open_args *a, int kind, const char *subject,
		    const struct vos_route *m, const char *target)
{
	FILE *f = ctx->out;

	if (a->json) {
		fprintf(f, "{\"kind\":");
		json_str(f, vos_route_kind_name(kind));
		fprintf(f, ",\"subject\":");
		json_str(f, subject);
		fprintf(f, ",\"target\":");
		json_str(f, target);
		fprintf(f, ",\"file\":");
		json_str(f, m ? m->file : "");
		fprintf(f, ",\"line\":%u,\"pattern\":", m ? m->line : 0);
		json_str(f, m ? m->pattern : "");
		fputs("}\n", f);
	} else if (m) {
		fprintf(f, "%s %s -> %s (%s:%u: %s %s %s)\n", vos_route_kind_name(kind), subject,
			target, m->file, m->line, vos_route_kind_name(kind), m->pattern, m->target);
	} else {
		fprintf(f, "%s %s -> %s (--in)\n", vos_route_kind_name(kind), subject, target);
	}
}

/* --in: a subsystem, or a disposable of a template */
static bool target_ok(const char *t)
{
	return vos_name_check(strncmp(t, "@dispvm:", 8) ? t : t + 8) == 0;
}

/* Where @subject goes: --in, or the first route; an exit code on failure */
static int pick(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct open_args *a, int kind,
		const char *subject, char *target, size_t len, struct cli_err *e)
{
	struct vos_routes *r = NULL;
	struct vos_route m;
	int ret;

	if (a->in) {
		snprintf(target, len, "%s", a->in);
		if (a->explain)
			explain(ctx, a, kind, subject, NULL, target);
		return 0;
	}
	ret = vos_routes_load(vctx, a->ndirs ? a->dirs : NULL, &r);
	if (ret < 0)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	if (a->lint) {
		ret = lint(ctx, r, e);
		vos_routes_free(r);
		return ret ? ret : -1;
	}
	ret = vos_route_find(vctx, r, kind, subject, &m);
	vos_routes_free(r);
	if (ret < 0)
		return cli_fail(e, EXIT_USAGE, "open: %s", vos_ctx_errmsg(vctx));
	if (ret == 0)
		return cli_fail(e, EXIT_NAME,
				"open: no route for %s '%s': add one to %s (virtos-routes(5)) or "
				"give --in NAME",
				vos_route_kind_name(kind), subject, VOS_ROUTE_DIR);
	snprintf(target, len, "%s", m.target);
	if (a->explain)
		explain(ctx, a, kind, subject, &m, target);
	return 0;
}

/* The policy's word on @host -> @target for @svc; may redirect (target=) */
static int decide(struct vos_ctx *vctx, const char *dir, const char *svc, char *target, size_t len,
		  struct cli_err *e)
{
	struct vos_rpc_policy *p = NULL;
	struct vos_rpc_call c = { .service = svc, .source = "@host", .target = target };
	struct vos_rpc_verdict v;
	int ret;

	ret = vos_rpc_policy_load(vctx, dir, &p);
	if (ret < 0)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	ret = vos_rpc_policy_eval(vctx, p, &c, &v);
	vos_rpc_policy_free(p);
	if (ret < 0)
		return cli_fail(e, EXIT_USAGE, "open: %s", vos_ctx_errmsg(vctx));
	if (v.action != VOS_RPC_ALLOW)
		return cli_fail(e, EXIT_DENIED,
				"open: %s @host -> %s denied by policy (%s): see 'vosctl policy "
				"check %s @host %s'",
				svc, target, v.reason, svc, target);
	if (v.target[0])
		snprintf(target, len, "%s", v.target);
	return 0;
}

/* What the handler reads on stdin: the URL's line, or the file as a stream */
static int payload(const char *subject, bool url, struct cli_err *e)
{
	char err[256] = "";
	struct stat st;
	int fd, in, ret = 0;
	const char *base;

	fd = memfd_create("vosctl-open", MFD_CLOEXEC);
	if (fd < 0)
		return cli_fail(e, EXIT_FAIL, "open: memfd_create: %s", strerror(errno));
	if (url) {
		if (dprintf(fd, "%s\n", subject) < 0)
			ret = -errno;
	} else {
		in = open(subject, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (in >= 0)
				close(in);
			close(fd);
			return cli_fail(e, EXIT_USAGE, "open: %s: not a regular file I can read",
					subject);
		}
		base = strrchr(subject, '/') ? strrchr(subject, '/') + 1 : subject;
		ret = fc_put_magic(fd, err, sizeof(err));
		if (!ret)
			ret = fc_put_file(fd, base, in, (uint64_t)st.st_size, false, err,
					  sizeof(err));
		if (!ret)
			ret = fc_put_end(fd, err, sizeof(err));
		close(in);
	}
	if (!ret && lseek(fd, 0, SEEK_SET) < 0)
		ret = -errno;
	if (!ret && dup2(fd, STDIN_FILENO) < 0)
		ret = -errno;
	close(fd);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "open: cannot hand %s over: %s", subject,
				err[0] ? err : strerror(-ret));
	return 0;
}

/* The handler's argv in @argv (@buf holds its words) */
static int handler(struct vos_ctx *vctx, const struct open_args *a, const char *target,
		   const char *svc, char **extra, int nextra, char *buf, size_t len, char **argv,
		   struct cli_err *e)
{
	char *save = NULL, *t;
	int n = 0, i;

	if (!nextra && vos_service_find(vctx, NULL, target, svc, buf, len) == 0) {
		for (t = strtok_r(buf, " ", &save); t && n < HANDLER_ARGS;
		     t = strtok_r(NULL, " ", &save))
			argv[n++] = t;
		argv[n] = NULL;
		return 0;
	}
	snprintf(buf, len, "%s/vos-open", a->builtin_dir ? a->builtin_dir : "/usr/bin");
	argv[n++] = buf;
	argv[n++] = "--handle";
	if (nextra) {
		if (nextra > HANDLER_ARGS - 4)
			return cli_fail(e, EXIT_USAGE, "open: at most %d HANDLER words",
					HANDLER_ARGS - 4);
		argv[n++] = "--with";
		for (i = 0; i < nextra; i++)
			argv[n++] = extra[i];
	}
	argv[n] = NULL;
	return 0;
}

/*
 * Through vosd: @dispvm:TEMPLATE, as vosd holds the pools: its policy
 * decides @host -> TARGET again, its handler (the template's Service=)
 * runs in a new disposable, from the pool if TEMPLATE has one, and the
 * disposable ends with the call. And any target for a host user who is
 * not root (issue 15): vosd's policy decides @user:NAME -> TARGET, and the
 * target's own handler runs (tools/vosd/launch.c).
 */
static int open_via_vosd(struct cli_ctx *ctx, const char *subject, bool url, const char *target,
			 int nextra, struct cli_err *e)
{
	int ret;

	if (nextra)
		return cli_fail(e, EXIT_USAGE,
				"open: target %s: through vosd the target's own handler runs, no "
				"HANDLER words",
				target);
	ret = payload(subject, url, e);
	if (ret)
		return ret;
	return vosd_call(ctx, e, NULL, target, url ? "vos.OpenURL" : "vos.OpenFile");
}

static int open_in(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct open_args *a,
		   const char *subject, bool url, const char *target, char **extra, int nextra,
		   struct cli_err *e)
{
	const char *svc = url ? "vos.OpenURL" : "vos.OpenFile";
	char buf[VOS_SERVICE_CMD_MAX], env_svc[64], *argv[HANDLER_ARGS + 1];
	char *envp[] = { OPEN_PATH_ENV, env_svc, "VOS_REMOTE=@host", NULL };
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	int ret;

	if (target[0] == '@')
		return open_via_vosd(ctx, subject, url, target, nextra, e);
	ret = vos_subsys_open(vctx, target, &s);
	if (ret)
		return lib_fail(e, OP_OPEN, vctx, ret, target, NULL);
	ret = handler(vctx, a, target, svc, extra, nextra, buf, sizeof(buf), argv, e);
	if (!ret)
		ret = payload(subject, url, e);
	if (ret)
		goto out;
	snprintf(env_svc, sizeof(env_svc), "VOS_SERVICE=%s", svc);
	ret = vos_subsys_exec(s, NULL, argv, envp, &p);
	if (ret) {
		ret = lib_fail(e, OP_EXEC, vctx, ret, target, argv[0]);
		goto out;
	}
	ret = proc_wait_forward(p, vctx, e);
out:
	vos_proc_free(p);
	vos_subsys_free(s);
	return ret;
}

/*
 * --app ID [ARGS]: the subsystem the app route names, then what 'vosctl
 * launch NAME ID ARGS' does there: only an entry exported from NAME runs
 * (cmd_launch(); launch is no free command line, nor is this). A route
 * to @dispvm:TEMPLATE launches in a new disposable of the template, which
 * vosd makes for a user of its group (cmd_launch() refuses it for root).
 */
static int open_app(struct cli_ctx *ctx, const char *target, const char *id, char **args, int nargs,
		    struct cli_err *e)
{
	char *lv[HANDLER_ARGS + 5];
	int n = 0, i;

	if (nargs > HANDLER_ARGS)
		return cli_fail(e, EXIT_USAGE, "open --app: at most %d ARGS", HANDLER_ARGS);
	lv[n++] = "launch";
	lv[n++] = (char *)target;
	lv[n++] = (char *)id;
	lv[n++] = "--";
	for (i = 0; i < nargs; i++)
		lv[n++] = args[i];
	lv[n] = NULL;
	optind = 0; /* cmd_launch() parses its own options */
	return cmd_launch(ctx, n, lv, e);
}

int cmd_open(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("open");
	struct open_args a = { 0 };
	char target[VOS_RPC_TARGET_MAX];
	struct vos_ctx *vctx = NULL;
	const char *subject = NULL;
	bool url = false;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", open_opts)) != -1) {
		switch (c) {
		case -2:
			return e->code;
		case OPT_HELP:
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		case OPT_JSON:
			a.json = true;
			break;
		case 'x':
			a.explain = true;
			break;
		case 'l':
			a.lint = true;
			break;
		case 'r':
			if (a.ndirs == ROUTE_DIRS)
				return cli_fail(e, EXIT_USAGE, "open: at most %d --routes-dir",
						ROUTE_DIRS);
			a.dirs[a.ndirs++] = optarg;
			break;
		case 'p':
			a.policy_dir = optarg;
			break;
		case 'b':
			if (optarg[0] != '/')
				return cli_fail(e, EXIT_USAGE,
						"open: --builtin-dir: an absolute directory");
			a.builtin_dir = optarg;
			break;
		case 'i':
			if (!target_ok(optarg))
				return cli_fail(e, EXIT_USAGE,
						"open: --in '%s': give a subsystem name or "
						"@dispvm:TEMPLATE",
						optarg);
			a.in = optarg;
			break;
		case 't':
			a.type = optarg;
			break;
		case 'a':
			if (desktop_id_check(optarg))
				return cli_fail(e, EXIT_USAGE,
						"open --app '%s': not a desktop ID (the .desktop "
						"file's name without the suffix)",
						optarg);
			a.app = optarg;
			break;
		}
	}
	if (a.app) {
		if (a.lint || a.type)
			return cli_fail(e, EXIT_USAGE, "open --app takes no --lint or --type");
		if (a.json && !a.explain)
			return cli_fail(e, EXIT_USAGE, "open: --json goes with --explain");
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (a.explain && optind < argc)
			return cli_fail(e, EXIT_USAGE, "open --explain opens nothing: no ARGS");
	} else if (a.lint) {
		if (optind != argc || a.explain || a.in)
			return cli_fail(e, EXIT_USAGE,
					"open --lint takes no URL, FILE, --in or "
					"--explain");
	} else {
		if (optind == argc)
			return cli_fail(
				e, EXIT_USAGE,
				"open: give a URL or a FILE: e.g. 'vosctl open https://example.org/'");
		subject = argv[optind++];
		if (optind < argc && !strcmp(argv[optind], "--"))
			optind++;
		if (a.explain && optind < argc)
			return cli_fail(e, EXIT_USAGE, "open --explain opens nothing: no HANDLER");
		if (a.json && !a.explain)
			return cli_fail(e, EXIT_USAGE, "open: --json goes with --explain");
		url = fc_is_url(subject);
		if (url && a.type)
			return cli_fail(e, EXIT_USAGE, "open: --type goes with a FILE");
	}
	ret = vos_ctx_new(&vctx);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "out of memory");
	if (a.lint) {
		ret = pick(ctx, vctx, &a, VOS_ROUTE_URL, NULL, target, sizeof(target), e);
		goto out;
	}
	if (a.app) {
		ret = pick(ctx, vctx, &a, VOS_ROUTE_APP, a.app, target, sizeof(target), e);
		if (!ret && !a.explain)
			ret = open_app(ctx, target, a.app, argv + optind, argc - optind, e);
		goto out;
	}
	ret = pick(ctx, vctx, &a, url ? VOS_ROUTE_URL : VOS_ROUTE_MIME,
		   url	    ? subject
		   : a.type ? a.type
			    : fc_mime_of(subject),
		   target, sizeof(target), e);
	if (ret || a.explain)
		goto out;
	/* not root: vosd decides, with the source @user:NAME (the policy is root's) */
	if (geteuid() != 0) {
		ret = open_via_vosd(ctx, subject, url, target, argc - optind, e);
		goto out;
	}
	ret = decide(vctx, a.policy_dir, url ? "vos.OpenURL" : "vos.OpenFile", target,
		     sizeof(target), e);
	if (ret)
		goto out;
	ret = ctx_connect(vctx, e);
	if (!ret)
		ret = open_in(ctx, vctx, &a, subject, url, target, argv + optind, argc - optind, e);
out:
	vos_ctx_free(vctx);
	return ret < 0 ? 0 : ret;
}
