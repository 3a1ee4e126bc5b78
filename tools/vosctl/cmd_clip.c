// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl clip: the two-step clipboard between subsystems (issue 13,
 * service vos.Clipboard; lib/libvirtos/clip.c). copy moves subsystem A's
 * own clipboard into vos.ko's slot; paste moves the slot into B's if the
 * crossing policy allows A -> B, and vos.ko wipes the slot; show and
 * clear look at and empty the slot. --focused names the subsystem of the
 * focused window instead (focus.c: sway's, through its IPC; issue 15), so
 * that the two steps are two key bindings. A user who is not root (a
 * member of the vos group) has copy and paste done by vosd, whose policy
 * decides (clip_delegated(); vosd.c user_clip()).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <virtos.h>

#include "../vosd/proto.h"
#include "common.h"
#include "focus.h"

static const struct option clip_opts[] = {
	{ "from", required_argument, NULL, 'f' },
	{ "to", required_argument, NULL, 't' },
	{ "config-dir", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "focused", no_argument, NULL, 'F' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Seconds until @ns of CLOCK_BOOTTIME (0 if past) */
static long long secs_left(uint64_t ns)
{
	struct timespec now;
	uint64_t n;

	clock_gettime(CLOCK_BOOTTIME, &now);
	n = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return ns > n ? (long long)((ns - n + 999999999ull) / 1000000000ull) : 0;
}

static void clip_json(FILE *f, const struct vos_clip_info *ci, const char *verdict,
		      const struct vos_rpc_verdict *v)
{
	fputs("{\"mime\":", f);
	json_str(f, ci->mime);
	fprintf(f, ",\"bytes\":%llu,\"seq\":%llu,\"source\":", (unsigned long long)ci->length,
		(unsigned long long)ci->seq);
	json_str(f, ci->source);
	fprintf(f, ",\"source_id\":%llu,\"expires_in_s\":%lld", (unsigned long long)ci->source_id,
		secs_left(ci->expires_ns));
	if (verdict) {
		fputs(",\"verdict\":", f);
		json_str(f, verdict);
		fputs(",\"file\":", f);
		json_str(f, v->file);
		fprintf(f, ",\"line\":%u,\"reason\":", v->line);
		json_str(f, v->reason);
	}
	fputs("}\n", f);
}

static int clip_copy(struct cli_ctx *ctx, struct vos_ctx *vctx, const char *from, bool json,
		     struct cli_err *e)
{
	struct vos_subsys *s = NULL;
	struct vos_clip_info ci;
	int ret;

	ret = vos_subsys_open(vctx, from, &s);
	if (ret)
		return lib_fail(e, OP_OPEN, vctx, ret, from, NULL);
	ret = vos_clip_copy(s, &ci);
	vos_subsys_free(s);
	if (ret)
		return lib_fail(e, OP_CLIP, vctx, ret, from, NULL);
	if (json)
		clip_json(ctx->out, &ci, NULL, NULL);
	else
		fprintf(ctx->out,
			"copied %llu bytes (%s) from %s into the clipboard slot; "
			"'vosctl clip paste --to NAME' within %lld s\n",
			(unsigned long long)ci.length, ci.mime, from, secs_left(ci.expires_ns));
	return 0;
}

static int clip_paste(struct cli_ctx *ctx, struct vos_ctx *vctx, const char *to, const char *dir,
		      bool json, struct cli_err *e)
{
	struct vos_rpc_policy *p = NULL;
	struct vos_subsys *s = NULL;
	struct vos_rpc_verdict v;
	struct vos_clip_info ci;
	int ret;

	ret = vos_rpc_policy_load(vctx, dir, &p);
	if (ret < 0)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	ret = vos_subsys_open(vctx, to, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, to, NULL);
		goto out;
	}
	ret = vos_clip_paste(s, p, &v, &ci);
	if (ret) {
		ret = lib_fail(e, OP_CLIP, vctx, ret, to, NULL);
		goto out;
	}
	if (json)
		clip_json(ctx->out, &ci, vos_rpc_action_name(v.action), &v);
	if (v.action != VOS_RPC_ALLOW) {
		ret = cli_fail(e, EXIT_DENIED,
			       "clip paste: %s -> %s denied by policy (%s): the slot keeps it; "
			       "see 'vosctl policy check vos.Clipboard %s %s'",
			       ci.source, to, v.reason, ci.source, to);
		goto out;
	}
	if (!json)
		fprintf(ctx->out, "pasted %llu bytes (%s) from %s into %s; the slot is empty\n",
			(unsigned long long)ci.length, ci.mime, ci.source, to);
out:
	vos_subsys_free(s);
	vos_rpc_policy_free(p);
	return ret;
}

static int clip_show(struct cli_ctx *ctx, struct vos_ctx *vctx, bool json, struct cli_err *e)
{
	struct vos_clip_info ci;
	int ret;

	ret = vos_clip_slot_info(vctx, &ci);
	if (ret == -ENOENT) {
		if (json)
			fputs("null\n", ctx->out);
		else
			fputs("the clipboard slot is empty\n", ctx->out);
		return 0;
	}
	if (ret)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	if (json)
		clip_json(ctx->out, &ci, NULL, NULL);
	else
		fprintf(ctx->out, "%llu bytes (%s) from %s, expires in %lld s\n",
			(unsigned long long)ci.length, ci.mime, ci.source,
			secs_left(ci.expires_ns));
	return 0;
}

/*
 * copy or paste by a user who is not root: vosd does the step if the user
 * is in its group and the policy lets @user:NAME touch @name's clipboard
 * (vos.Clipboard+copy|paste), a paste's flow decided as root's is
 */
static int clip_delegated(struct cli_ctx *ctx, const char *verb, const char *name, bool json,
			  struct cli_err *e)
{
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX], source[VOS_NAME_MAX], mime[VOS_CLIP_MIME_MAX];
	unsigned long long bytes;
	int conn, chan, code;

	snprintf(req, sizeof(req), "clip %s %s", verb, name);
	conn = vosd_client_open(vosd_sock_path(), req, &chan, msg, sizeof(msg), &code);
	if (conn < 0)
		return cli_fail(e, code, "clip %s %s: %s", verb, name, msg);
	if (chan >= 0)
		close(chan);
	close(conn);
	/* "BYTES SOURCE MIME" */
	if (sscanf(msg, "%llu %63s %127s", &bytes, source, mime) != 3)
		return cli_fail(e, EXIT_FAIL, "clip %s %s: vosd answered '%s'", verb, name, msg);
	if (json) {
		fprintf(ctx->out, "{\"mime\":");
		json_str(ctx->out, mime);
		fprintf(ctx->out, ",\"bytes\":%llu,\"source\":", bytes);
		json_str(ctx->out, source);
		fputs("}\n", ctx->out);
	} else if (strcmp(verb, "copy") == 0) {
		fprintf(ctx->out,
			"copied %llu bytes (%s) from %s into the clipboard slot; "
			"'vosctl clip paste --to NAME' next\n",
			bytes, mime, name);
	} else {
		fprintf(ctx->out, "pasted %llu bytes (%s) from %s into %s; the slot is empty\n",
			bytes, mime, source, name);
	}
	return 0;
}

int cmd_clip(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("clip");
	const char *from = NULL, *to = NULL, *dir = NULL, *verb;
	char fname[VOS_NAME_MAX];
	struct vos_ctx *vctx = NULL;
	bool json = false, focused = false;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", clip_opts)) != -1) {
		if (c == -2)
			return e->code;
		switch (c) {
		case OPT_HELP:
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		case OPT_JSON:
			json = true;
			break;
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'F':
			focused = true;
			break;
		}
	}
	if (optind + 1 != argc)
		return cli_fail(e, EXIT_USAGE,
				"clip: give one of copy --from NAME, paste --to NAME, show, clear");
	verb = argv[optind];
	if (focused) {
		if (from || to)
			return cli_fail(e, EXIT_USAGE,
					"clip: --focused names the subsystem: no --from or --to");
		if (strcmp(verb, "copy") && strcmp(verb, "paste"))
			return cli_fail(e, EXIT_USAGE, "clip %s: no --focused (copy or paste)",
					verb);
		ret = focused_subsystem(e, fname, sizeof(fname));
		if (ret)
			return ret;
		if (strcmp(verb, "copy") == 0)
			from = fname;
		else
			to = fname;
	}
	if (strcmp(verb, "copy") == 0) {
		if (!from || to || dir)
			return cli_fail(e, EXIT_USAGE, "clip copy: give --from NAME (only)");
		if (parse_name(e, "--from", from))
			return EXIT_USAGE;
	} else if (strcmp(verb, "paste") == 0) {
		if (!to || from)
			return cli_fail(e, EXIT_USAGE,
					"clip paste: give --to NAME (the source is the slot's)");
		if (parse_name(e, "--to", to))
			return EXIT_USAGE;
	} else if (strcmp(verb, "show") == 0 || strcmp(verb, "clear") == 0) {
		if (from || to || dir)
			return cli_fail(e, EXIT_USAGE,
					"clip %s takes no --from, --to or --config-dir", verb);
	} else {
		return cli_fail(e, EXIT_USAGE,
				"clip: unknown action '%s': use copy, paste, show or clear", verb);
	}
	if (json && strcmp(verb, "clear") == 0)
		return cli_fail(e, EXIT_USAGE, "clip clear: no --json");
	/* a user of the vos group: the two steps through vosd (its policy) */
	if (geteuid() != 0 && (from || to)) {
		if (dir)
			return cli_fail(e, EXIT_USAGE,
					"clip %s: --config-dir is root's: vosd's policy decides "
					"for a user",
					verb);
		return clip_delegated(ctx, verb, from ? from : to, json, e);
	}

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	if (strcmp(verb, "copy") == 0) {
		ret = clip_copy(ctx, vctx, from, json, e);
	} else if (strcmp(verb, "paste") == 0) {
		ret = clip_paste(ctx, vctx, to, dir, json, e);
	} else if (strcmp(verb, "show") == 0) {
		ret = clip_show(ctx, vctx, json, e);
	} else {
		ret = vos_clip_slot_clear(vctx);
		ret = ret ? lib_fail(e, OP_CLIP, vctx, ret, NULL, NULL) : 0;
	}
	vos_ctx_free(vctx);
	return ret;
}
