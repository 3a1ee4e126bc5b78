// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl run, create, exec: start something isolated and (for run and
 * exec) wait for it, exiting with its status.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <virtos.h>

#include "gui.h"
#include "common.h"

static const struct option run_opts[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "rm", no_argument, NULL, OPT_RM },
	{ "tty", no_argument, NULL, OPT_TTY },
	{ "no-tty", no_argument, NULL, OPT_NO_TTY },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "keep-env", required_argument, NULL, OPT_KEEP_ENV },
	{ "disposable", required_argument, NULL, OPT_DISPOSABLE },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --config-dir and --profile-dir into @r */
static int dirs_option(struct cli_err *e, struct cli_run *r, int c, const char *arg)
{
	size_t n = 0;

	if (c == OPT_PROFILE_DIR) {
		r->profile_dir = arg;
		return 1;
	}
	if (c != OPT_CONFIG_DIR)
		return 0;
	while (r->config_dirs[n])
		n++;
	if (n == CLI_DIRS_MAX)
		return cli_fail(e, EXIT_USAGE, "--config-dir: more than %d: use fewer directories",
				CLI_DIRS_MAX);
	r->config_dirs[n] = arg;
	return 1;
}

/* run's own options: the library checks their values too (its messages) */
/* Keep @arg (checked) for the fast path in @v; past its room, the run takes the slower path */
static void fast_var(struct cli_run *r, const char **v, unsigned int *n, const char *arg)
{
	if (*n < CLI_FAST_VARS)
		v[(*n)++] = arg;
	else
		r->exec_opts = true;
}

static int run_option(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg,
		      struct cli_run *r, int c, const char *arg)
{
	int ret;

	switch (c) {
	case OPT_NAME:
		r->nlib++; /* not with --disposable either */
		ret = vos_config_set_name(cfg, arg);
		break;
	case OPT_DISPOSABLE:
		if (parse_name(e, "--disposable", arg))
			return EXIT_USAGE;
		r->disposable = arg;
		return 0;
	case OPT_RM:
		r->rm = true;
		return 0;
	case OPT_VERBOSE:
		r->verbose = true;
		return 0;
	case OPT_TTY:
		r->exec_opts = true;
		ret = vos_config_set_tty(cfg, VOS_TTY_PTY);
		break;
	case OPT_NO_TTY:
		ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
		break;
	case OPT_ENV:
		ret = vos_config_add_env(cfg, arg);
		if (!ret)
			fast_var(r, r->env, &r->nenv, arg);
		break;
	case OPT_KEEP_ENV:
		ret = vos_config_add_keep_env(cfg, arg);
		if (!ret)
			fast_var(r, r->keep_env, &r->nkeep_env, arg);
		break;
	default:
		return cli_fail(e, EXIT_FAIL,
				"run: unhandled option %d: this is a vosctl bug, please report it",
				c);
	}
	return ret ? lib_usage(e, vctx, ret) : 0;
}

int run_parse(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, struct cli_run *r,
	      int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_find("run");
	struct option opts[CLI_MAX_LONGOPTS];
	int c, ret;

	memset(r, 0, sizeof(*r));
	if (cli_longopts(opts, CLI_MAX_LONGOPTS, run_opts))
		return cli_fail(e, EXIT_FAIL, "run: too many options: this is a vosctl bug");
	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP)
			return OPT_HELP;
		ret = cli_lib_option(e, vctx, cfg, c, optarg);
		if (ret == 1)
			r->nlib++;
		if (ret == 1 && cli_is_option(c, "persistent"))
			r->persistent = true;
		if (ret == 0)
			ret = dirs_option(e, r, c, optarg);
		if (ret == 0)
			ret = run_option(e, vctx, cfg, r, c, optarg);
		if (ret > 1)
			return ret;
	}
	if (r->rm && r->persistent)
		return cli_fail(
			e, EXIT_USAGE,
			"run: --rm and --persistent contradict each other: give one of them");
	if (optind >= argc)
		return cli_fail(
			e, EXIT_USAGE,
			"run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'");
	return 0;
}

/* A context (not connected yet) and a config to parse the options into */
static int new_config(struct cli_ctx *ctx, struct vos_ctx **vctxp, struct vos_config **cfgp,
		      struct cli_err *e)
{
	int ret;

	ret = ctx_open(ctx, vctxp, false, e);
	if (ret)
		return ret;
	ret = vos_config_new(*vctxp, cfgp);
	if (ret)
		return lib_fail(e, OP_SPAWN, *vctxp, ret, NULL, NULL);
	return 0;
}

/* Most disposables at once: disp-1 .. disp-DISP_MAX */
#define DISP_MAX 9999

/*
 * run --disposable TEMPLATE: the template's isolation into @cfg (a
 * ReadWrite= place becomes an empty tmpfs), its Requires= started, and a
 * new ephemeral subsystem disp-<n>, the lowest n free (the module's
 * create is the test: no race with another vosctl), with the template's
 * rules. Being ephemeral, it ends with everything in it when CMD exits or
 * vosctl dies, as any 'vosctl run'.
 */
static int disposable_prepare(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg,
			      const struct cli_run *r, struct vos_defs **setp,
			      const struct vos_def **dp)
{
	struct cli_dirs dirs = { .profile_dir = r->profile_dir };
	struct vos_defs *set = NULL;
	const struct vos_def *d;
	int ret;

	if (r->nlib)
		return cli_fail(
			e, EXIT_USAGE,
			"run: --disposable takes its isolation and name from the template: give no isolation options or --name (put them in %s.conf)",
			r->disposable);
	for (dirs.n = 0; dirs.n < CLI_DIRS_MAX && r->config_dirs[dirs.n]; dirs.n++)
		dirs.dirs[dirs.n] = r->config_dirs[dirs.n];
	ret = cli_defs_load(e, vctx, &dirs, &set);
	if (ret)
		return ret;
	d = vos_defs_find(set, r->disposable);
	if (!d) {
		ret = cli_fail(
			e, EXIT_NAME,
			"--disposable: no definition '%s' (%s.conf) in %s: add one with Template=yes",
			r->disposable, r->disposable, dirs.n ? dirs.dirs[0] : VOS_DEF_DIR);
		goto out;
	}
	if (!(vos_def_flags(d) & VOS_DEF_TEMPLATE)) {
		ret = cli_fail(
			e, EXIT_USAGE,
			"--disposable: '%s' is not a template: add Template=yes to %s, or start it with 'vosctl start %s'",
			r->disposable, vos_def_path(d), r->disposable);
		goto out;
	}
	ret = vos_def_config_flags(d, cfg, VOS_DEF_CONFIG_DISPOSABLE);
	if (ret) {
		ret = lib_usage(e, vctx, ret);
		goto out;
	}
	*setp = set;
	*dp = d;
	return 0;
out:
	vos_defs_free(set);
	return ret;
}

/*
 * A template with Pool=N: vosd holds N disposables ready (frozen), and
 * hands one over thawed, by its subsystem file: then only CMD's exec is
 * left to do. 1 and *sp if it did; 0 if there is no vosd, no pool, or
 * vosd's template is not the file read here: then one is made as without
 * a pool (said with --verbose only: the result is the same disposable).
 */
static int disposable_pooled(struct vos_ctx *vctx, const struct vos_def *d, const struct cli_run *r,
			     struct vos_subsys **sp)
{
	char msg[512];

	if (!vos_def_pool(d))
		return 0;
	if (vosd_take_disposable(vctx, r->disposable, vos_def_digest(d), sp, msg, sizeof(msg))) {
		if (r->verbose)
			fprintf(stderr,
				"vosctl: run: no pooled disposable of %s (%s): making one\n",
				r->disposable, msg);
		return 0;
	}
	if (r->verbose)
		fprintf(stderr, "vosctl: run: %s from vosd (%s)\n", vos_subsys_name(*sp), msg);
	return 1;
}

/*
 * The variables of --keep-env (those the caller has) and then of --env,
 * as the library orders them (vos_env_build(): --env wins), into @vars
 * (NULL-terminated)
 */
static void fast_vars(const struct cli_run *r, const char **vars)
{
	unsigned int i, n = 0;
	char **ep;

	for (i = 0; i < r->nkeep_env; i++) {
		size_t len = strlen(r->keep_env[i]);

		for (ep = environ; ep && *ep; ep++)
			if (!strncmp(*ep, r->keep_env[i], len) && (*ep)[len] == '=') {
				vars[n++] = *ep;
				break;
			}
	}
	for (i = 0; i < r->nenv; i++)
		vars[n++] = r->env[i];
	vars[n] = NULL;
}

/*
 * The fast path first (vos-run's, vosd's "run"): a pooled member whose
 * stub, already restricted as CMD would be, execs CMD with our stdio and
 * the variables of --keep-env and --env. Not with a terminal on stdio
 * (vosctl gives the app a pty of its own and never hands the caller's
 * terminal inside), nor with --tty or --gui, which the stub cannot
 * apply. 1 with *@code if CMD ran (or failed after vosd handed it a
 * member), 0 if not taken: then the other paths.
 */
static int disposable_fast(const struct vos_def *d, const struct cli_run *r, char **app, int gctl,
			   int *code, struct cli_err *e)
{
	const char *vars[2 * CLI_FAST_VARS + 1];
	char name[VOS_NAME_MAX + 8], msg[512];
	int i, c;

	if (!vos_def_pool(d) || r->exec_opts || gctl >= 0)
		return 0;
	for (i = 0; i < 3; i++)
		if (isatty(i))
			return 0;
	fast_vars(r, vars);
	/* not taken: the next path says (--verbose) what it gets and why */
	if (!vosd_fast_run(r->disposable, vos_def_digest(d), app, (char *const *)vars, r->verbose,
			   &c, name, sizeof(name), msg, sizeof(msg)))
		return 0;
	*code = msg[0] ? cli_fail(e, c, "run: %s: %s", name, msg) : c;
	return 1;
}

/* After the module is there: disp-<n> (its Requires= are started) */
static int disposable_create(struct vos_ctx *vctx, struct vos_config *cfg, const struct vos_def *d,
			     struct vos_subsys **sp, struct cli_err *e)
{
	char name[16];
	unsigned int n;
	int ret = 0;

	for (n = 1; n <= DISP_MAX; n++) {
		snprintf(name, sizeof(name), "disp-%u", n);
		ret = vos_config_set_name(cfg, name);
		if (ret)
			return lib_usage(e, vctx, ret);
		ret = vos_subsys_create(vctx, cfg, sp);
		if (ret != -EEXIST)
			break;
	}
	if (ret)
		return lib_fail(e, OP_CREATE, vctx, ret, name, NULL);
	ret = vos_def_set_rules(d, *sp);
	if (ret) {
		ret = lib_fail(e, OP_RULES, vctx, ret, name, NULL);
		vos_subsys_free(*sp);
		*sp = NULL;
	}
	return ret;
}

/* Was --publish given (before the command)? */
static bool published(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--publish") || !strncmp(argv[i], "--publish=", 10))
			return true;
	return false;
}

int cmd_run(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	struct vos_ctx *vctx = NULL;
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	struct vos_defs *set = NULL;
	const struct vos_def *d = NULL;
	struct cli_run r;
	char **app;
	int gctl = -1;
	int ret;

	ret = new_config(ctx, &vctx, &cfg, e);
	if (ret)
		goto out;
	ret = run_parse(e, vctx, cfg, &r, argc, argv);
	if (ret == OPT_HELP) {
		cli_print_cmd_help(ctx->out, cli_find("run"));
		ret = 0;
		goto out;
	}
	if (ret)
		goto out;
	app = argv + optind;
	if (r.disposable) {
		ret = disposable_prepare(e, vctx, cfg, &r, &set, &d);
		if (ret)
			goto out;
	}
	/* the proxy ends when we do, and the subsystem with it */
	ret = gui_start(e, cfg, vos_config_get_name(cfg), &gctl);
	if (ret)
		goto out;

	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	if (r.disposable) {
		ret = unit_start_deps(ctx, vctx, set, d, e);
		if (ret)
			goto out;
		if (disposable_fast(d, &r, app, gctl, &ret, e))
			goto out;
		if (disposable_pooled(vctx, d, &r, &s)) {
			/* its init runs: CMD is a member, exec'ed with the template's isolation */
			ret = vos_subsys_exec(s, cfg, app, NULL, &p);
			if (ret) {
				ret = lib_fail(e, OP_EXEC, vctx, ret, vos_subsys_name(s), app[0]);
				goto out;
			}
			goto wait;
		}
		ret = disposable_create(vctx, cfg, d, &s, e);
		if (ret)
			goto out;
		goto spawn;
	}
	ret = vos_subsys_create(vctx, cfg, &s);
	if (ret) {
		ret = lib_fail(e, OP_CREATE, vctx, ret, vos_config_get_name(cfg), NULL);
		goto out;
	}
spawn:
	gui_allow(gctl, s);
	ret = vos_subsys_spawn(s, cfg, app, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, vos_subsys_name(s), app[0]);
		/* A persistent subsystem that never ran would stay behind. */
		if (r.persistent)
			vos_subsys_end(s);
		goto out;
	}
wait:
	ret = proc_wait_forward(p, vctx, e);
	/* an ephemeral subsystem's published ports end with it */
	if (!r.persistent && published(argc, argv) &&
	    vos_net_unpublish(vctx, vos_subsys_name(s), NULL))
		vos_ctx_clear_error(vctx);
out:
	vos_proc_free(p);
	/* Closing the last fd of an ephemeral subsystem ends it. */
	vos_subsys_free(s);
	gui_stop(gctl);
	vos_config_free(cfg);
	vos_defs_free(set);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option create_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The value of long option @opt in @argv ("--opt V" or "--opt=V"), before "--" */
static const char *find_value(int argc, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	const char *v = NULL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], opt, len) && argv[i][len] == '=')
			v = argv[i] + len + 1;
		else if (!strcmp(argv[i], opt) && i + 1 < argc)
			v = argv[++i];
	}
	return v;
}

static int create_profile(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg,
			  struct cli_run *r, int argc, char **argv)
{
	struct vos_def *d = NULL;
	int ret;

	r->profile = find_value(argc, argv, "--profile");
	r->profile_dir = find_value(argc, argv, "--profile-dir");
	if (!r->profile)
		return 0;
	ret = vos_profile_load(vctx, r->profile_dir, r->profile, &d);
	if (!ret)
		ret = vos_def_config(d, cfg);
	vos_def_free(d);
	if (ret)
		return cli_fail(e, EXIT_USAGE, "--profile: %s", vos_ctx_errmsg(vctx));
	return 0;
}

/* The profile's [Firewall], before anything runs in the subsystem */
static int profile_rules(struct vos_ctx *vctx, const struct cli_run *r, struct vos_subsys *s,
			 struct cli_err *e)
{
	struct vos_def *d = NULL;
	int ret;

	if (!r->profile)
		return 0;
	ret = vos_profile_load(vctx, r->profile_dir, r->profile, &d);
	if (!ret)
		ret = vos_def_set_rules(d, s);
	vos_def_free(d);
	if (ret)
		return lib_fail(e, OP_RULES, vctx, ret, vos_subsys_name(s), NULL);
	return 0;
}

/* Parse create's options: NAME anywhere among them. */
int create_parse(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, struct cli_run *r,
		 int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_find("create");
	struct option opts[CLI_MAX_LONGOPTS];
	int c, ret;

	memset(r, 0, sizeof(*r));
	if (cli_longopts(opts, CLI_MAX_LONGOPTS, create_opts))
		return cli_fail(e, EXIT_FAIL, "create: too many options: this is a vosctl bug");
	/* --profile first, wherever it is: the other options override it */
	ret = create_profile(e, vctx, cfg, r, argc, argv);
	if (ret)
		return ret;
	while ((c = cli_getopt(e, cmd, argc, argv, ":h", opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP)
			return OPT_HELP;
		ret = cli_lib_option(e, vctx, cfg, c, optarg);
		if (ret == 1)
			continue;
		if (ret)
			return ret;
		if (c == OPT_JSON)
			r->json = true;
		else if (c == OPT_PROFILE || c == OPT_PROFILE_DIR)
			continue; /* read first */
		else
			return cli_fail(
				e, EXIT_FAIL,
				"create: unhandled option %d: this is a vosctl bug, please report it",
				c);
	}
	if (optind >= argc)
		return cli_fail(e, EXIT_USAGE, "create: missing NAME: e.g. 'vosctl create web'");
	if (argc - optind > 1)
		return cli_fail(
			e, EXIT_USAGE,
			"create: unexpected argument '%s': give only NAME and options (a persistent subsystem runs an idle init; use 'vosctl exec')",
			argv[optind + 1]);
	if (parse_name(e, "NAME", argv[optind]))
		return EXIT_USAGE;
	ret = vos_config_set_name(cfg, argv[optind]);
	if (!ret)
		ret = vos_config_set_persistent(cfg, true);
	if (ret)
		return lib_usage(e, vctx, ret);
	r->persistent = true;
	return 0;
}

int cmd_create(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	struct vos_ctx *vctx = NULL;
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	const char *name;
	struct cli_run r;
	int gctl = -1;
	int ret;

	ret = new_config(ctx, &vctx, &cfg, e);
	if (ret)
		goto out;
	ret = create_parse(e, vctx, cfg, &r, argc, argv);
	if (ret == OPT_HELP) {
		cli_print_cmd_help(ctx->out, cli_find("create"));
		ret = 0;
		goto out;
	}
	if (ret)
		goto out;
	name = vos_config_get_name(cfg);
	ret = gui_start(e, cfg, name, &gctl);
	if (ret)
		goto out;

	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	ret = vos_subsys_create(vctx, cfg, &s);
	if (ret) {
		ret = lib_fail(e, OP_CREATE, vctx, ret, name, NULL);
		goto out;
	}
	gui_allow(gctl, s);
	ret = profile_rules(vctx, &r, s, e);
	if (ret) {
		vos_subsys_end(s);
		goto out;
	}
	/* NULL argv: an idle init that only reaps, detached from our stdio. */
	ret = vos_subsys_spawn(s, cfg, NULL, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, name, NULL);
		/* Do not leave a persistent subsystem without an init behind. */
		vos_subsys_end(s);
		goto out;
	}
	/* the proxy lives as long as the idle init, not as long as us */
	gui_hand_over(gctl, vos_proc_pidfd(p));
	gctl = -1;
	if (r.json) {
		fprintf(ctx->out, "{\"id\":%llu,\"name\":", (unsigned long long)vos_subsys_id(s));
		json_str(ctx->out, vos_subsys_name(s));
		fputs("}\n", ctx->out);
	}
	ret = 0;
out:
	/* The idle init keeps running: it belongs to the subsystem now. */
	vos_proc_free(p);
	gui_stop(gctl);
	vos_subsys_free(s);
	vos_config_free(cfg);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option exec_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_exec(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("exec");
	struct vos_ctx *vctx = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	const char *name;
	char **app;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", exec_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
	}
	if (optind >= argc)
		return cli_fail(e, EXIT_USAGE,
				"exec: missing NAME and command: e.g. 'vosctl exec web -- ps ax'");
	name = argv[optind++];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc)
		return cli_fail(
			e, EXIT_USAGE,
			"exec: missing command: give it after '--', e.g. 'vosctl exec %s -- /bin/sh'",
			name);
	app = argv + optind;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_subsys_open(vctx, name, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	/* NULL config: the isolation the subsystem was created with. */
	ret = vos_subsys_exec(s, NULL, app, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_EXEC, vctx, ret, name, app[0]);
		goto out;
	}
	ret = proc_wait_forward(p, vctx, e);
out:
	vos_proc_free(p);
	vos_subsys_free(s);
	vos_ctx_free(vctx);
	return ret;
}
