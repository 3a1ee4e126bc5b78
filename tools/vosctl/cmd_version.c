// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl version: vosctl, libvirtos and vos.ko versions, the module's
 * capabilities (VOS_CHECK_EXTENSION) and the kernel features the isolation
 * recipe uses. Prints what it can even without the module, then fails with
 * 123 so scripts can tell.
 */
#include <string.h>

#include <virtos.h>

#include "common.h"

static const struct {
	unsigned int cap;
	const char *name;
} caps[] = {
	/* every VOS_CAP_* of the uapi (scripts/contract.py checks it) */
	{ VOS_CAP_CREATE, "create" },
	{ VOS_CAP_PERSISTENT, "persistent" },
	{ VOS_CAP_ATTACH, "attach" },
	{ VOS_CAP_SIGNAL, "signal" },
	{ VOS_CAP_END, "end" },
	{ VOS_CAP_NETLINK, "netlink" },
	{ VOS_CAP_EVENTS, "events" },
	{ VOS_CAP_NET_POLICY, "net_policy" },
	{ VOS_CAP_ID_RANGE, "id_range" },
	{ VOS_CAP_NET_RULES, "net_rules" },
	{ VOS_CAP_NET_PROVIDER, "net_provider" },
	{ VOS_CAP_PEER, "peer" },
	{ VOS_CAP_RULE_HOSTS, "rule_hosts" },
	{ VOS_CAP_CHANNEL, "channel" },
	{ VOS_CAP_CLIPBOARD, "clipboard" },
	{ VOS_CAP_NET_IPV6, "net_ipv6" },
};

#define NCAPS (sizeof(caps) / sizeof(caps[0]))

static const struct option version_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

static const char *jbool(bool b)
{
	return b ? "true" : "false";
}

int cmd_version(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("version");
	struct vos_features feat;
	struct vos_ctx *vctx = NULL;
	bool json = false, have[NCAPS] = { false };
	int c, ret, api = 0, conn, nfeat;
	size_t k, n;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", version_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
	}
	if (optind < argc)
		return cli_fail(e, EXIT_USAGE, "version: unexpected argument '%s': it takes none",
				argv[optind]);

	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	memset(&feat, 0, sizeof(feat));
	nfeat = vos_ctx_features(vctx, &feat);
	conn = vos_ctx_connect(vctx);
	if (conn == 0) {
		api = vos_ctx_api_version(vctx);
		for (k = 0; k < NCAPS; k++)
			have[k] = vos_ctx_check_extension(vctx, caps[k].cap) > 0;
	} else {
		lib_fail(e, OP_DEVICE, vctx, conn, NULL, NULL);
	}

	if (json) {
		fputs("{\"vosctl\":", ctx->out);
		json_str(ctx->out, VIRTOS_VERSION);
		fputs(",\"libvirtos\":", ctx->out);
		json_str(ctx->out, vos_lib_version());
		fprintf(ctx->out, ",\"api_compiled\":%d,\"module\":", VOS_API_VERSION);
		if (conn == 0) {
			fprintf(ctx->out, "{\"api_version\":%d,\"capabilities\":[", api);
			for (k = 0, n = 0; k < NCAPS; k++) {
				if (!have[k])
					continue;
				fprintf(ctx->out, "%s\"%s\"", n++ ? "," : "", caps[k].name);
			}
			fputs("]}", ctx->out);
		} else {
			fputs("null", ctx->out);
		}
		if (nfeat == 0)
			fprintf(ctx->out,
				",\"features\":{\"landlock_abi\":%d,\"userns\":%s,"
				"\"cgroup2\":%s,\"clone3\":%s,\"openat2\":%s,"
				"\"close_range\":%s,\"pidfd\":%s}}\n",
				feat.landlock_abi, jbool(feat.userns), jbool(feat.cgroup2),
				jbool(feat.clone3), jbool(feat.openat2), jbool(feat.close_range),
				jbool(feat.pidfd));
		else
			fputs(",\"features\":null}\n", ctx->out);
	} else {
		fprintf(ctx->out, "vosctl:       %s\n", VIRTOS_VERSION);
		fprintf(ctx->out, "libvirtos:    %s\n", vos_lib_version());
		fprintf(ctx->out, "API compiled: %d\n", VOS_API_VERSION);
		if (conn == 0) {
			fprintf(ctx->out, "vos.ko API:   %d\n", api);
			fputs("capabilities:", ctx->out);
			for (k = 0; k < NCAPS; k++)
				if (have[k])
					fprintf(ctx->out, " %s", caps[k].name);
			fputc('\n', ctx->out);
		} else {
			fputs("vos.ko:       not available\n", ctx->out);
		}
		if (nfeat == 0)
			fprintf(ctx->out,
				"kernel:       landlock=%d userns=%s cgroup2=%s clone3=%s openat2=%s close_range=%s pidfd=%s\n",
				feat.landlock_abi, yes(feat.userns), yes(feat.cgroup2),
				yes(feat.clone3), yes(feat.openat2), yes(feat.close_range),
				yes(feat.pidfd));
	}
	vos_ctx_free(vctx);
	return conn == 0 ? 0 : e->code;
}
