// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl run, create, exec: start something isolated and (for run and
 * exec) wait for it, exiting with its status.
 */
#include <errno.h>
#include <string.h>

#include <virtos.h>

#include "common.h"

static const struct option run_opts[] = {
	SPEC_LONGOPTS,
	{ "name", required_argument, NULL, OPT_NAME },
	{ "rm", no_argument, NULL, OPT_RM },
	{ "tty", no_argument, NULL, OPT_TTY },
	{ "no-tty", no_argument, NULL, OPT_NO_TTY },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "keep-env", required_argument, NULL, OPT_KEEP_ENV },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse run's options into @spec; returns 0, OPT_HELP or an exit code. */
int run_parse(struct cli_err *e, struct cli_spec *spec, int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_find("run");
	int c, r;

	spec_init(spec);
	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", run_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP)
			return OPT_HELP;
		r = spec_option(e, spec, c, optarg);
		if (r == 1)
			continue;
		if (r)
			return r;
		switch (c) {
		case OPT_NAME:
			if (parse_name(e, "--name", optarg))
				return EXIT_USAGE;
			spec->name = optarg;
			break;
		case OPT_RM:
			spec->rm = true;
			break;
		case OPT_TTY:
			spec->tty = TTY_ALWAYS;
			break;
		case OPT_NO_TTY:
			spec->tty = TTY_NEVER;
			break;
		case OPT_ENV:
			if (spec->nenv >= CLI_MAX_ENV)
				return cli_fail(e, EXIT_USAGE,
						"--env: more than %d: set fewer variables",
						CLI_MAX_ENV);
			if (parse_env(e, "--env", optarg, true))
				return EXIT_USAGE;
			spec->env[spec->nenv++] = optarg;
			break;
		case OPT_KEEP_ENV:
			if (spec->nkeep_env >= CLI_MAX_ENV)
				return cli_fail(e, EXIT_USAGE, "--keep-env: more than %d",
						CLI_MAX_ENV);
			if (parse_env(e, "--keep-env", optarg, false))
				return EXIT_USAGE;
			spec->keep_env[spec->nkeep_env++] = optarg;
			break;
		default:
			return cli_fail(
				e, EXIT_FAIL,
				"run: unhandled option %d: this is a vosctl bug, please report it",
				c);
		}
	}
	if (spec->rm && spec->persistent)
		return cli_fail(
			e, EXIT_USAGE,
			"run: --rm and --persistent contradict each other: give one of them");
	if (optind >= argc)
		return cli_fail(
			e, EXIT_USAGE,
			"run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'");
	return 0;
}

int cmd_run(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	struct vos_ctx *vctx = NULL;
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	struct cli_spec spec;
	char **app;
	int ret;

	ret = run_parse(e, &spec, argc, argv);
	if (ret == OPT_HELP) {
		cli_print_cmd_help(ctx->out, cli_find("run"));
		return 0;
	}
	if (ret)
		return ret;
	app = argv + optind;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_config_new(vctx, &cfg);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, NULL, NULL);
		goto out;
	}
	ret = spec_to_config(&spec, vctx, cfg, e);
	if (ret)
		goto out;
	ret = vos_subsys_create(vctx, cfg, &s);
	if (ret) {
		ret = lib_fail(e, OP_CREATE, vctx, ret, vos_config_get_name(cfg), NULL);
		goto out;
	}
	ret = vos_subsys_spawn(s, cfg, app, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, vos_subsys_name(s), app[0]);
		/* A persistent subsystem that never ran would stay behind. */
		if (spec.persistent)
			vos_subsys_end(s);
		goto out;
	}
	ret = proc_wait_forward(p, vctx, e);
out:
	vos_proc_free(p);
	/* Closing the last fd of an ephemeral subsystem ends it. */
	vos_subsys_free(s);
	vos_config_free(cfg);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option create_opts[] = {
	SPEC_LONGOPTS,
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Parse create's options: NAME anywhere among them. */
int create_parse(struct cli_err *e, struct cli_spec *spec, bool *json, int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_find("create");
	int c, r;

	spec_init(spec);
	while ((c = cli_getopt(e, cmd, argc, argv, ":h", create_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP)
			return OPT_HELP;
		r = spec_option(e, spec, c, optarg);
		if (r == 1)
			continue;
		if (r)
			return r;
		if (c == OPT_JSON)
			*json = true;
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
	spec->name = argv[optind];
	spec->persistent = true;
	return 0;
}

int cmd_create(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	struct vos_ctx *vctx = NULL;
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	struct cli_spec spec;
	bool json = false;
	int ret;

	ret = create_parse(e, &spec, &json, argc, argv);
	if (ret == OPT_HELP) {
		cli_print_cmd_help(ctx->out, cli_find("create"));
		return 0;
	}
	if (ret)
		return ret;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_config_new(vctx, &cfg);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, NULL, NULL);
		goto out;
	}
	ret = spec_to_config(&spec, vctx, cfg, e);
	if (ret)
		goto out;
	ret = vos_subsys_create(vctx, cfg, &s);
	if (ret) {
		ret = lib_fail(e, OP_CREATE, vctx, ret, spec.name, NULL);
		goto out;
	}
	/* NULL argv: an idle init that only reaps, detached from our stdio. */
	ret = vos_subsys_spawn(s, cfg, NULL, NULL, &p);
	if (ret) {
		ret = lib_fail(e, OP_SPAWN, vctx, ret, spec.name, NULL);
		/* Do not leave a persistent subsystem without an init behind. */
		vos_subsys_end(s);
		goto out;
	}
	if (json) {
		fprintf(ctx->out, "{\"id\":%llu,\"name\":", (unsigned long long)vos_subsys_id(s));
		json_str(ctx->out, vos_subsys_name(s));
		fputs("}\n", ctx->out);
	}
	ret = 0;
out:
	/* The idle init keeps running: it belongs to the subsystem now. */
	vos_proc_free(p);
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
