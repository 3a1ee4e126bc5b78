// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl policy: the crossing policy (lib/libvirtos/policy.c) from the
 * command line. lint lists every problem, "FILE:LINE: what is wrong", one
 * a line on stdout; check says what the policy decides for one call and
 * which line decided it; reload asks vosd to read the policy again.
 */
#include <string.h>

#include <virtos.h>

#include "common.h"

#define MAX_TAGS 32

static const struct option policy_opts[] = {
	{ "config-dir", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "source-tag", required_argument, NULL, 's' },
	{ "target-tag", required_argument, NULL, 't' },
	{ "arg", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct policy_args {
	const char *dir;
	bool json;
	const char *stags[MAX_TAGS + 1];
	const char *ttags[MAX_TAGS + 1];
	unsigned int nstags, nttags;
};

static int load(struct cli_err *e, struct vos_ctx *vctx, const char *dir,
		struct vos_rpc_policy **pp)
{
	int ret = vos_rpc_policy_load(vctx, dir, pp);

	if (ret < 0)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	return 0;
}

static int lint(struct cli_ctx *ctx, struct cli_err *e, struct vos_ctx *vctx,
		const struct policy_args *a)
{
	const char *dir = a->dir ? a->dir : VOS_RPC_POLICY_DIR;
	struct vos_rpc_policy *p = NULL;
	size_t i, n;
	int ret;

	ret = load(e, vctx, dir, &p);
	if (ret)
		return ret;
	n = vos_rpc_policy_problems(p);
	for (i = 0; i < n; i++)
		fprintf(ctx->out, "%s\n", vos_rpc_policy_problem(p, i));
	if (n) {
		cli_fail(
			e, EXIT_POLICY,
			"policy lint: %zu problem%s in %s: fix %s; until then every call is denied",
			n, n == 1 ? "" : "s", dir, n == 1 ? "it" : "them");
	} else if (!a->json) {
		fprintf(ctx->out, "%s: %zu rule%s, no problems\n", dir, vos_rpc_policy_rules(p),
			vos_rpc_policy_rules(p) == 1 ? "" : "s");
	}
	vos_rpc_policy_free(p);
	return n ? EXIT_POLICY : 0;
}

static void verdict_json(FILE *f, const struct vos_rpc_verdict *v)
{
	fprintf(f, "{\"action\":");
	json_str(f, vos_rpc_action_name(v->action));
	fprintf(f, ",\"file\":");
	json_str(f, v->file);
	fprintf(f, ",\"line\":%u,\"target\":", v->line);
	json_str(f, v->target);
	fprintf(f, ",\"default_target\":");
	json_str(f, v->default_target);
	fprintf(f, ",\"limit\":%llu,\"scan\":", (unsigned long long)v->limit);
	if (v->scan_service[0]) {
		fputc('"', f);
		fprintf(f, "%s@%s", v->scan_service, v->scan_subsys);
		fputc('"', f);
	} else {
		fputs("null", f);
	}
	fprintf(f, ",\"reason\":");
	json_str(f, v->reason);
	fputs("}\n", f);
}

static int check(struct cli_ctx *ctx, struct cli_err *e, struct vos_ctx *vctx,
		 struct policy_args *a, const char *arg, char **pos)
{
	struct vos_rpc_policy *p = NULL;
	struct vos_rpc_verdict v;
	struct vos_rpc_call c;
	char service[VOS_RPC_SERVICE_MAX * 2], *plus;
	int ret;

	if (strlen(pos[0]) >= sizeof(service))
		return cli_fail(e, EXIT_USAGE, "policy check: service name too long");
	snprintf(service, sizeof(service), "%s", pos[0]);
	memset(&c, 0, sizeof(c));
	plus = strchr(service, '+');
	if (plus) {
		*plus = '\0';
		c.arg = plus + 1;
	}
	if (arg)
		c.arg = arg;
	c.service = service;
	c.source = pos[1];
	c.target = pos[2];
	c.source_tags = a->stags;
	c.target_tags = a->ttags;

	ret = load(e, vctx, a->dir, &p);
	if (ret)
		return ret;
	ret = vos_rpc_policy_eval(vctx, p, &c, &v);
	vos_rpc_policy_free(p);
	if (ret < 0)
		return cli_fail(
			e, EXIT_USAGE,
			"policy check: %s: give SERVICE[+ARG] (A-Z a-z 0-9 _ . -), SOURCE "
			"(a subsystem name, @host or @user:NAME) and TARGET (a name, @host, @default, "
			"@dispvm[:T])",
			vos_ctx_errmsg(vctx));
	if (a->json) {
		verdict_json(ctx->out, &v);
		return 0;
	}
	fprintf(ctx->out, "%s", vos_rpc_action_name(v.action));
	if (v.target[0] && v.action != VOS_RPC_DENY)
		fprintf(ctx->out, " target=%s", v.target);
	if (v.default_target[0])
		fprintf(ctx->out, " default_target=%s", v.default_target);
	if (v.limit)
		fprintf(ctx->out, " limit=%llu", (unsigned long long)v.limit);
	if (v.scan_service[0])
		fprintf(ctx->out, " scan=%s@%s", v.scan_service, v.scan_subsys);
	if (v.line)
		fprintf(ctx->out, " (%s:%u)\n", v.file, v.line);
	else
		fprintf(ctx->out, " (%s)\n", v.reason);
	return 0;
}

/* One option; 0, OPT_HELP, or an exit code with @e set */
static int take_opt(struct cli_err *e, int c, struct policy_args *a, const char **arg)
{
	switch (c) {
	case -2:
		return e->code;
	case OPT_HELP:
		return OPT_HELP;
	case OPT_JSON:
		a->json = true;
		break;
	case 'd':
		a->dir = optarg;
		break;
	case 'a':
		*arg = optarg;
		break;
	case 's':
	case 't':
		if ((c == 's' ? a->nstags : a->nttags) == MAX_TAGS)
			return cli_fail(e, EXIT_USAGE, "policy: at most %d tags per side",
					MAX_TAGS);
		if (c == 's')
			a->stags[a->nstags++] = optarg;
		else
			a->ttags[a->nttags++] = optarg;
		break;
	}
	return 0;
}

int cmd_policy(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("policy");
	struct policy_args a = { 0 };
	struct vos_ctx *vctx = NULL;
	const char *verb = NULL, *arg = NULL;
	char *pos[4];
	int c, ret, npos = 0;

	/* options anywhere: before or after the verb and its arguments;
	 * argv[0] is "policy" (main() set optind to 0 for getopt's reset)
	 */
	if (optind == 0)
		optind = 1;
	while (optind < argc) {
		if (argv[optind][0] != '-' || !argv[optind][1]) {
			if (!verb)
				verb = argv[optind++];
			else if (npos == 4)
				return cli_fail(e, EXIT_USAGE,
						"policy %s: unexpected argument '%s'", verb,
						argv[optind]);
			else
				pos[npos++] = argv[optind++];
			continue;
		}
		c = cli_getopt(e, cmd, argc, argv, "+:h", policy_opts);
		if (c == -1)
			break;
		ret = take_opt(e, c, &a, &arg);
		if (ret == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (ret)
			return ret;
	}
	if (!verb)
		return cli_fail(e, EXIT_USAGE,
				"policy: missing verb: give lint, check or reload (see 'vosctl "
				"policy --help')");
	if (strcmp(verb, "lint") == 0) {
		if (npos)
			return cli_fail(e, EXIT_USAGE,
					"policy lint: unexpected argument '%s': it takes "
					"--config-dir DIR only",
					pos[0]);
	} else if (strcmp(verb, "check") == 0) {
		if (npos != 3)
			return cli_fail(e, EXIT_USAGE,
					"policy check: give SERVICE[+ARG] SOURCE TARGET, e.g. "
					"'vosctl policy check vos.FileCopy work vault'");
	} else if (strcmp(verb, "reload") == 0) {
		if (npos)
			return cli_fail(e, EXIT_USAGE, "policy reload: unexpected argument '%s'",
					pos[0]);
		return vosd_request(ctx, e, "reload");
	} else {
		return cli_fail(e, EXIT_USAGE,
				"policy: unknown verb '%s': give lint, check or reload", verb);
	}
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	if (strcmp(verb, "lint") == 0)
		ret = lint(ctx, e, vctx, &a);
	else
		ret = check(ctx, e, vctx, &a, arg, pos);
	vos_ctx_free(vctx);
	return ret;
}
