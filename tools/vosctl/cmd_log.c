// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl log: the crossings between subsystems, as vos.ko reported them
 * (VOS_EVENT_CROSSING): first the last ones it keeps (VOS_CMD_GET_CROSSINGS),
 * then, with --follow, each new one as it happens. Sequence numbers are
 * vos.ko's event numbers: a jump in the stream of events is a "lost" line.
 */
#include <errno.h>
#include <string.h>

#include <virtos.h>

#include "common.h"

#define LOG_KEPT 64 /* what vos.ko keeps (VOS_CMD_GET_CROSSINGS) */

/*
 * A host user's call through vosd (issue 15): vos.ko's source is the host
 * and vosd wrote "@user:NAME/SERVICE" as the service. Only a host source
 * (which only root, i.e. vosd, can audit as) is read this way. The length
 * of the user part ("@user:NAME"), 0 if none.
 */
static size_t user_part(const struct vos_event *ev, const struct vos_crossing *c)
{
	const char *slash = memchr(c->service, '/', strnlen(c->service, sizeof(c->service)));

	if (ev->subsys_id || !slash ||
	    (strncmp(c->service, "@user:", 6) != 0 && strncmp(c->service, "@uid:", 5) != 0))
		return 0;
	return (size_t)(slash - c->service);
}

static void crossing_json(FILE *f, const struct vos_event *ev, const struct vos_crossing *c)
{
	size_t u = user_part(ev, c), sl = strnlen(c->service, sizeof(c->service));

	fprintf(f,
		"{\"seq\":%llu,\"time_ns\":%llu,\"phase\":\"%s\",\"verdict\":\"%s\",\"service\":",
		(unsigned long long)ev->seq, (unsigned long long)ev->time_ns,
		vos_crossing_phase_name(c->phase), vos_verdict_name(c->verdict));
	json_strn(f, c->service + (u ? u + 1 : 0), sl - (u ? u + 1 : 0));
	fprintf(f, ",\"source_id\":%llu,\"source\":", (unsigned long long)ev->subsys_id);
	if (u)
		json_strn(f, c->service, u);
	else
		json_strn(f, ev->subsys_name, strnlen(ev->subsys_name, sizeof(ev->subsys_name)));
	fprintf(f, ",\"target_id\":%llu,\"target\":", (unsigned long long)c->target_id);
	json_strn(f, c->target_name, strnlen(c->target_name, sizeof(c->target_name)));
	fprintf(f, ",\"channel\":%llu,\"bytes_out\":%llu,\"bytes_in\":%llu,\"suppressed\":%llu}\n",
		(unsigned long long)c->channel, (unsigned long long)c->bytes_out,
		(unsigned long long)c->bytes_in, (unsigned long long)c->suppressed);
}

/* vos.ko lets only printable bytes without spaces into these; check anyway */
static void safe(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		fputc(s[i] > ' ' && s[i] <= '~' ? s[i] : '?', f);
}

static void crossing_text(FILE *f, const struct vos_event *ev, const struct vos_crossing *c)
{
	size_t u = user_part(ev, c);

	fprintf(f, "%llu %llu.%06llu %s %s ", (unsigned long long)ev->seq,
		(unsigned long long)(ev->time_ns / 1000000000ULL),
		(unsigned long long)(ev->time_ns % 1000000000ULL / 1000ULL),
		vos_crossing_phase_name(c->phase), vos_verdict_name(c->verdict));
	safe(f, c->service + (u ? u + 1 : 0), sizeof(c->service) - (u ? u + 1 : 0));
	fputc(' ', f);
	if (u)
		safe(f, c->service, u);
	else
		safe(f, ev->subsys_name, sizeof(ev->subsys_name));
	fputs(" -> ", f);
	safe(f, c->target_name, sizeof(c->target_name));
	if (c->channel)
		fprintf(f, " channel=%llu out=%llu in=%llu", (unsigned long long)c->channel,
			(unsigned long long)c->bytes_out, (unsigned long long)c->bytes_in);
	if (c->suppressed)
		fprintf(f, " suppressed=%llu", (unsigned long long)c->suppressed);
	fputc('\n', f);
}

static void log_note(FILE *f, bool json, const char *kind, uint64_t n, const char *text)
{
	if (json)
		fprintf(f, "{\"type\":\"%s\",\"count\":%llu}\n", kind, (unsigned long long)n);
	else
		fprintf(f, "%s\n", text);
}

static const struct option log_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "follow", no_argument, NULL, 'f' },
	{ "count", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_log(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("log");
	struct vos_crossing_entry *kept = NULL;
	struct vos_ctx *vctx = NULL;
	struct vos_monitor *m = NULL;
	bool json = false, follow = false;
	uint32_t count = 0, seen = 0;
	uint64_t last = 0, last_ev = 0, lost;
	struct vos_crossing x;
	struct vos_event ev;
	size_t n = 0, i;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":hfn:", log_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
		if (c == 'f')
			follow = true;
		if (c == 'n' && parse_count(e, "--count", optarg, UINT32_MAX, &count))
			return EXIT_USAGE;
	}
	if (optind < argc)
		return cli_fail(e, EXIT_USAGE,
				"log: unexpected argument '%s': log takes options only",
				argv[optind]);
	if (count && !follow)
		return cli_fail(e, EXIT_USAGE, "log: --count goes with --follow");

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	/* subscribe before reading what is kept: nothing falls in between */
	if (follow) {
		ret = vos_monitor_new(vctx, &m);
		if (ret) {
			ret = lib_fail(e, OP_EVENTS, vctx, ret, NULL, NULL);
			goto out;
		}
	}
	ret = vos_crossing_list(vctx, &kept, &n);
	if (ret) {
		ret = lib_fail(e, OP_EVENTS, vctx, ret, NULL, NULL);
		goto out;
	}
	if (n >= LOG_KEPT)
		log_note(ctx->out, json, "older", 0,
			 "(vos.ko keeps the last 64 crossings: older ones may be missing here)");
	for (i = 0; i < n; i++) {
		if (json)
			crossing_json(ctx->out, &kept[i].ev, &kept[i].c);
		else
			crossing_text(ctx->out, &kept[i].ev, &kept[i].c);
		last = kept[i].ev.seq;
	}
	fflush(ctx->out);
	while (follow) {
		memset(&ev, 0, sizeof(ev));
		ret = vos_monitor_read(m, &ev, -1);
		if (ret == -EINTR || ret == 0)
			continue;
		if (ret < 0) {
			ret = lib_fail(e, OP_EVENTS, vctx, ret, NULL, NULL);
			goto out;
		}
		/* every event type counts: the numbers are module-wide */
		lost = ev.lost;
		if (last_ev && ev.seq > last_ev + 1 && ev.seq - last_ev - 1 > lost)
			lost = ev.seq - last_ev - 1;
		if (ev.seq > last_ev)
			last_ev = ev.seq;
		if (lost || (ev.flags & VOS_EVENT_F_OVERRUN)) {
			char text[128];

			snprintf(text, sizeof(text),
				 "lost %llu events (crossings among them are missing here)",
				 (unsigned long long)lost);
			log_note(ctx->out, json, "lost", lost, text);
		}
		/* already printed from what vos.ko kept */
		if (ev.type != VOS_EVENT_CROSSING || ev.seq <= last ||
		    vos_monitor_crossing(m, &x) < 0) {
			fflush(ctx->out);
			continue;
		}
		if (json)
			crossing_json(ctx->out, &ev, &x);
		else
			crossing_text(ctx->out, &ev, &x);
		if (fflush(ctx->out)) {
			ret = cli_fail(e, EXIT_FAIL, "log: cannot write: %s: check the output pipe",
				       strerror(errno));
			goto out;
		}
		if (count && ++seen >= count)
			break;
	}
	ret = 0;
out:
	vos_crossing_list_free(kept);
	vos_monitor_free(m);
	vos_ctx_free(vctx);
	return ret;
}
