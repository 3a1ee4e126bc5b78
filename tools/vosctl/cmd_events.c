// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl events: one line (or one JSON object) per event from vos.ko's
 * "events" multicast group, and a "lost" line when sequence numbers jump.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include <virtos.h>

#include "common.h"

static const char *drop_reason(unsigned int r)
{
	static const char *const names[] = {
		[VOS_DROP_RULE] = "rule",     [VOS_DROP_SPOOF] = "spoof",
		[VOS_DROP_IPV6] = "ipv6",     [VOS_DROP_SUBSYS] = "subsystem",
		[VOS_DROP_POLICY] = "policy",
	};

	return r < sizeof(names) / sizeof(names[0]) && names[r] ? names[r] : "unknown";
}

/* A net-denied event's addresses: IPv4's, or @a6's for an IPv6 packet */
static void drop_addrs(const struct vos_event *ev, const struct vos_net6_addrs *a6, char *s,
		       char *d, size_t len)
{
	struct in_addr a;

	if (a6) {
		inet_ntop(AF_INET6, a6->saddr, s, (socklen_t)len);
		inet_ntop(AF_INET6, a6->daddr, d, (socklen_t)len);
		return;
	}
	a.s_addr = ev->net_saddr;
	inet_ntop(AF_INET, &a, s, (socklen_t)len);
	a.s_addr = ev->net_daddr;
	inet_ntop(AF_INET, &a, d, (socklen_t)len);
}

/* "udp 10.213.0.6:40000 192.0.2.2:53" of a net-denied event ("[ADDR]:PORT"
 * for IPv6)
 */
static void drop_tuple(char *buf, size_t len, const struct vos_event *ev,
		       const struct vos_net6_addrs *a6)
{
	char s[INET6_ADDRSTRLEN] = "", d[INET6_ADDRSTRLEN] = "", pr[16];
	const char *l = a6 ? "[" : "", *r = a6 ? "]" : "";

	drop_addrs(ev, a6, s, d, sizeof(s));
	switch (ev->net_proto) {
	case IPPROTO_TCP:
		snprintf(pr, sizeof(pr), "tcp");
		break;
	case IPPROTO_UDP:
		snprintf(pr, sizeof(pr), "udp");
		break;
	case IPPROTO_ICMP:
		snprintf(pr, sizeof(pr), "icmp");
		break;
	case IPPROTO_ICMPV6:
		snprintf(pr, sizeof(pr), "icmp6");
		break;
	default:
		snprintf(pr, sizeof(pr), "proto-%u", ev->net_proto);
	}
	if (ev->net_reason == VOS_DROP_IPV6 && !a6)
		snprintf(buf, len, "ipv6");
	else if (ev->net_sport || ev->net_dport)
		snprintf(buf, len, "%s %s%s%s:%u %s%s%s:%u", pr, l, s, r, ev->net_sport, l, d, r,
			 ev->net_dport);
	else
		snprintf(buf, len, "%s %s %s", pr, s, d);
}

void event_json(FILE *f, const struct vos_event *ev, const struct vos_net6_addrs *a6)
{
	fprintf(f, "{\"seq\":%llu,\"time_ns\":%llu,\"type\":", (unsigned long long)ev->seq,
		(unsigned long long)ev->time_ns);
	json_str(f, vos_event_type_name(ev->type));
	fprintf(f, ",\"id\":%llu,\"name\":", (unsigned long long)ev->subsys_id);
	json_strn(f, ev->subsys_name, strnlen(ev->subsys_name, sizeof(ev->subsys_name)));
	fprintf(f, ",\"pid\":%d", ev->pid);
	if (ev->comm[0]) {
		fputs(",\"comm\":", f);
		json_strn(f, ev->comm, strnlen(ev->comm, sizeof(ev->comm)));
	}
	if (ev->type == VOS_EVENT_STOPPED)
		fprintf(f, ",\"exit_status\":%d,\"exit_code\":%d", ev->exit_status,
			cli_wait_status(ev->exit_status));
	if (ev->type == VOS_EVENT_NET_DENIED) {
		char s[INET6_ADDRSTRLEN] = "", d[INET6_ADDRSTRLEN] = "";

		drop_addrs(ev, a6, s, d, sizeof(s));
		fprintf(f,
			",\"reason\":\"%s\",\"rule\":%u,\"proto\":%u,\"src\":\"%s\",\"dst\":\"%s\","
			"\"sport\":%u,\"dport\":%u,\"suppressed\":%llu",
			drop_reason(ev->net_reason), ev->net_rule, ev->net_proto, s, d,
			ev->net_sport, ev->net_dport, (unsigned long long)ev->net_suppressed);
	}
	fputc('}', f);
}

/* comm is the task's own choice of bytes: print only the harmless ones. */
static void safe_text(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c >= 0x20 && c < 0x7f && c != ' ' ? c : '?', f);
	}
}

void event_text(FILE *f, const struct vos_event *ev, const struct vos_net6_addrs *a6)
{
	fprintf(f, "%llu %llu.%06llu %s %.*s id=%llu", (unsigned long long)ev->seq,
		(unsigned long long)(ev->time_ns / 1000000000ULL),
		(unsigned long long)(ev->time_ns % 1000000000ULL / 1000ULL),
		vos_event_type_name(ev->type),
		(int)strnlen(ev->subsys_name, sizeof(ev->subsys_name)), ev->subsys_name,
		(unsigned long long)ev->subsys_id);
	if (ev->pid)
		fprintf(f, " pid=%d", ev->pid);
	if (ev->comm[0]) {
		fputs(" comm=", f);
		safe_text(f, ev->comm, sizeof(ev->comm));
	}
	if (ev->type == VOS_EVENT_STOPPED)
		fprintf(f, " exit=%d", cli_wait_status(ev->exit_status));
	if (ev->type == VOS_EVENT_NET_DENIED) {
		char t[160];

		drop_tuple(t, sizeof(t), ev, a6);
		fprintf(f, " reason=%s", drop_reason(ev->net_reason));
		if (ev->net_rule)
			fprintf(f, " rule=%u", ev->net_rule);
		fprintf(f, " %s", t);
		if (ev->net_suppressed)
			fprintf(f, " suppressed=%llu", (unsigned long long)ev->net_suppressed);
	}
}

static void lost_line(FILE *f, bool json, uint64_t lost, bool overrun)
{
	if (json)
		fprintf(f, "{\"type\":\"lost\",\"count\":%llu,\"overrun\":%s}\n",
			(unsigned long long)lost, overrun ? "true" : "false");
	else
		fprintf(f, "lost %llu events%s\n", (unsigned long long)lost,
			overrun ? " (socket overrun)" : "");
}

static const struct option events_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "count", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A clipboard event's own attributes, after event_text()'s */
static void clip_text(FILE *f, const struct vos_monitor *m)
{
	struct vos_clip_event c;

	if (vos_monitor_clip(m, &c) < 0)
		return;
	fprintf(f, " op=%s seq=%llu bytes=%llu source_id=%llu mime=", vos_clip_op_name(c.op),
		(unsigned long long)c.seq, (unsigned long long)c.bytes,
		(unsigned long long)c.source_id);
	safe_text(f, c.mime, sizeof(c.mime));
}

int cmd_events(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("events");
	struct vos_ctx *vctx = NULL;
	struct vos_monitor *m = NULL;
	const char *name = NULL;
	uint64_t last = 0, lost;
	uint32_t count = 0, seen = 0;
	struct vos_event ev;
	struct vos_net6_addrs a6;
	bool has6;
	bool json = false;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":hn:", events_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
		if (c == 'n' && parse_count(e, "--count", optarg, UINT32_MAX, &count))
			return EXIT_USAGE;
	}
	if (argc - optind > 1)
		return cli_fail(e, EXIT_USAGE,
				"events: unexpected argument '%s': give at most one NAME",
				argv[optind + 1]);
	if (optind < argc) {
		name = argv[optind];
		if (parse_name(e, "NAME", name))
			return EXIT_USAGE;
	}

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_monitor_new(vctx, &m);
	if (ret) {
		ret = lib_fail(e, OP_EVENTS, vctx, ret, name, NULL);
		goto out;
	}
	for (;;) {
		memset(&ev, 0, sizeof(ev));
		ret = vos_monitor_read(m, &ev, -1);
		if (ret == -EINTR)
			continue;
		if (ret < 0) {
			ret = lib_fail(e, OP_EVENTS, vctx, ret, name, NULL);
			goto out;
		}
		if (ret == 0)
			continue;
		/* The library counts gaps too; trust whichever saw more. */
		lost = ev.lost;
		if (last && ev.seq > last + 1 && ev.seq - last - 1 > lost)
			lost = ev.seq - last - 1;
		if (lost || (ev.flags & VOS_EVENT_F_OVERRUN))
			lost_line(ctx->out, json, lost, ev.flags & VOS_EVENT_F_OVERRUN);
		if (ev.seq > last)
			last = ev.seq;
		if (name && strncmp(name, ev.subsys_name, sizeof(ev.subsys_name)) != 0) {
			fflush(ctx->out);
			continue;
		}
		has6 = vos_monitor_net6(m, &a6) == 0;
		if (json) {
			event_json(ctx->out, &ev, has6 ? &a6 : NULL);
		} else {
			event_text(ctx->out, &ev, has6 ? &a6 : NULL);
			clip_text(ctx->out, m);
		}
		fputc('\n', ctx->out);
		/* A reader (tail, a script) sees each event as it happens. */
		if (fflush(ctx->out)) {
			ret = cli_fail(e, EXIT_FAIL,
				       "events: cannot write: %s: check the output pipe",
				       strerror(errno));
			goto out;
		}
		if (count && ++seen >= count)
			break;
	}
	ret = 0;
out:
	vos_monitor_free(m);
	vos_ctx_free(vctx);
	return ret;
}
