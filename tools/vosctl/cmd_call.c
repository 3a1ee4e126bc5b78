// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl call: a service call through vosd from the host (as @host, or as
 * a subsystem for root with --from), and the requests vosctl sends vosd
 * for other commands (policy reload). VOSD_SOCKET overrides the socket.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtos.h>

#include "../vosd/fastrun.h"
#include "../vosd/proto.h"
#include "common.h"

static const struct option call_opts[] = {
	{ "from", required_argument, NULL, OPT_NAME },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

const char *vosd_sock_path(void)
{
	const char *p = getenv("VOSD_SOCKET");

	return p && *p ? p : VOSD_SOCKET;
}

int vosd_request(struct cli_ctx *ctx, struct cli_err *e, const char *req)
{
	char msg[VOSD_LINE_MAX];
	int conn, chan, code;

	conn = vosd_client_open(vosd_sock_path(), req, &chan, msg, sizeof(msg), &code);
	if (conn < 0)
		return cli_fail(e, code, "%s: %s", req, msg);
	if (chan >= 0)
		close(chan);
	close(conn);
	if (msg[0])
		fprintf(ctx->out, "%s\n", msg);
	return 0;
}

int vosd_take_disposable(struct vos_ctx *vctx, const char *tmpl, uint64_t digest,
			 struct vos_subsys **sp, char *msg, size_t len)
{
	char req[VOSD_LINE_MAX];
	int conn, chan, code;

	*sp = NULL;
	snprintf(req, sizeof(req), "disposable %s %llx", tmpl, (unsigned long long)digest);
	conn = vosd_client_open(vosd_sock_path(), req, &chan, msg, len, &code);
	if (conn < 0)
		return -1;
	close(conn);
	if (chan < 0) {
		snprintf(msg, len, "vosd sent no subsystem");
		return -1;
	}
	if (vos_subsys_adopt(vctx, chan, sp) < 0) {
		snprintf(msg, len, "%s", vos_ctx_errmsg(vctx));
		vos_ctx_clear_error(vctx);
		return -1;
	}
	return 0;
}

int vosd_fast_run(const char *tmpl, uint64_t digest, char *const argv[], char *const vars[],
		  bool verbose, int *code, char *name, size_t nlen, char *msg, size_t len)
{
	static const int fds[3] = { STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO };
	char hex[24];
	sigset_t set, old;
	int conn, ctl;

	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)digest);
	name[0] = '\0';
	/* blocked before the command starts: each one reaches it */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	conn = fastrun_start(vosd_sock_path(), tmpl, hex, argv, vars, fds, &ctl, name, nlen, msg,
			     len, code);
	if (conn >= 0 && verbose)
		fprintf(stderr, "vosctl: run: %s from vosd (fast path)\n", name);
	if (conn >= 0)
		*code = fastrun_wait(conn, ctl, msg, len);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* nothing taken unless vosd named a member */
	return conn >= 0 || name[0];
}

void vosd_reload_quiet(void)
{
	char msg[VOSD_LINE_MAX];
	int conn, chan, code;

	conn = vosd_client_open(vosd_sock_path(), "reload", &chan, msg, sizeof(msg), &code);
	if (conn < 0)
		return; /* no vosd: no pool to update */
	if (chan >= 0)
		close(chan);
	close(conn);
}

size_t vosd_pooled(struct vosd_pooled *out, size_t max)
{
	char msg[VOSD_LINE_MAX], line[VOSD_LINE_MAX];
	int conn, chan, code;
	size_t n = 0;

	conn = vosd_client_open(vosd_sock_path(), "pool", &chan, msg, sizeof(msg), &code);
	if (conn < 0)
		return 0; /* no vosd (or not root): nothing is pooled */
	if (chan >= 0)
		close(chan);
	while (n < max && vosd_client_line(conn, line, sizeof(line)) == 0) {
		struct vosd_pooled *q = &out[n];
		char state[16];

		if (sscanf(line, "pooled %63s %63s %15s", q->name, q->tmpl, state) != 3)
			break;
		q->frozen = !strcmp(state, "frozen");
		n++;
	}
	close(conn);
	return n;
}

const struct vosd_pooled *vosd_pooled_find(const struct vosd_pooled *q, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(q[i].name, name))
			return &q[i];
	return NULL;
}

int cmd_call(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("call");
	const char *from = NULL;
	int c;

	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", call_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_NAME) {
			if (parse_name(e, "--from", optarg))
				return e->code;
			from = optarg;
		}
	}
	if (argc - optind != 2)
		return cli_fail(
			e, EXIT_USAGE,
			"call: give TARGET SERVICE[+ARG], e.g. 'vosctl call work vos.Echo'");
	if (strlen(argv[optind]) > 100 || strlen(argv[optind + 1]) > 200 ||
	    strpbrk(argv[optind], " \t\n") || strpbrk(argv[optind + 1], " \t\n"))
		return cli_fail(e, EXIT_USAGE, "call: TARGET and SERVICE are single words");
	return vosd_call(ctx, e, from, argv[optind], argv[optind + 1]);
}

int vosd_call(struct cli_ctx *ctx, struct cli_err *e, const char *from, const char *target,
	      const char *svc)
{
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX];
	int conn, chan, code;

	if (from)
		snprintf(req, sizeof(req), "call-from %s %s %s", from, target, svc);
	else
		snprintf(req, sizeof(req), "call %s %s", target, svc);
	fflush(ctx->out);
	conn = vosd_client_open(vosd_sock_path(), req, &chan, msg, sizeof(msg), &code);
	if (conn < 0) {
		if (code == EXIT_DENIED)
			return cli_fail(e, code,
					"call %s %s: denied by policy (%s): see 'vosctl "
					"policy check'",
					svc, target, msg);
		return cli_fail(e, code, "call %s %s: %s", svc, target, msg);
	}
	if (chan < 0) {
		close(conn);
		return cli_fail(e, EXIT_FAIL, "call: vosd gave no stream");
	}
	code = vosd_client_relay(conn, chan, STDIN_FILENO, fileno(ctx->out), msg, sizeof(msg));
	close(chan);
	close(conn);
	if (code == EXIT_FAIL && msg[0])
		return cli_fail(e, code, "call %s %s: %s", svc, target, msg);
	return code;
}

static const struct option ask_opts[] = {
	{ "list", no_argument, NULL, 'l' },
	{ "wait", no_argument, NULL, 'w' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "target", required_argument, NULL, 't' },
	{ "remember", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "ask ID SERVICE SOURCE TARGET TO DEFAULT" as text or JSON */
static void ask_print(FILE *f, char *line, bool json, bool first)
{
	char *w[7], *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line, " ", &save); t && n < 7; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	if (n != 7 || strcmp(w[0], "ask") != 0)
		return;
	if (!json) {
		fprintf(f, "%-5s %-24s %-16s -> %-16s to=%s default=%s\n", w[1], w[2], w[3], w[4],
			w[5], w[6]);
		return;
	}
	fprintf(f, "%s{\"id\":%s,\"service\":", first ? "" : ",", w[1]);
	json_str(f, w[2]);
	fputs(",\"source\":", f);
	json_str(f, w[3]);
	fputs(",\"target\":", f);
	json_str(f, w[4]);
	fputs(",\"to\":", f);
	json_str(f, strcmp(w[5], "-") ? w[5] : "");
	fputs(",\"default_target\":", f);
	json_str(f, strcmp(w[6], "-") ? w[6] : "");
	fputc('}', f);
}

static int ask_list(struct cli_ctx *ctx, struct cli_err *e, bool wait, bool json)
{
	char msg[VOSD_LINE_MAX], line[VOSD_LINE_MAX];
	int conn, chan, code;
	unsigned int n, i;

	conn = vosd_client_open(vosd_sock_path(), wait ? "ask-list wait" : "ask-list", &chan, msg,
				sizeof(msg), &code);
	if (conn < 0)
		return cli_fail(e, code, "ask: %s", msg);
	if (chan >= 0)
		close(chan);
	if (sscanf(msg, "%u", &n) != 1) {
		close(conn);
		return cli_fail(e, EXIT_FAIL, "ask: vosd answered something unexpected");
	}
	if (json)
		fputc('[', ctx->out);
	else if (!n)
		fprintf(ctx->out, "no call is waiting for an answer\n");
	for (i = 0; i < n; i++) {
		if (vosd_client_line(conn, line, sizeof(line)) < 0) {
			close(conn);
			return cli_fail(e, EXIT_FAIL, "ask: vosd closed the list early");
		}
		ask_print(ctx->out, line, json, i == 0);
	}
	if (json)
		fputs("]\n", ctx->out);
	close(conn);
	return 0;
}

int cmd_ask(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("ask");
	bool list = false, wait = false, json = false, remember = false;
	const char *target = NULL;
	char req[VOSD_LINE_MAX];
	unsigned long id;
	char *end;
	int c;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", ask_opts)) != -1) {
		switch (c) {
		case -2:
			return e->code;
		case OPT_HELP:
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		case 'l':
			list = true;
			break;
		case 'w':
			wait = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'r':
			remember = true;
			break;
		case 't':
			if (parse_name(e, "--target", optarg))
				return e->code;
			target = optarg;
			break;
		}
	}
	if (list) {
		if (optind < argc || target || remember)
			return cli_fail(e, EXIT_USAGE,
					"ask --list takes only --wait and --json: see 'vosctl ask "
					"--help'");
		return ask_list(ctx, e, wait, json);
	}
	if (wait || json)
		return cli_fail(e, EXIT_USAGE, "ask: --wait and --json go with --list");
	if (argc - optind != 2 ||
	    (strcmp(argv[optind + 1], "allow") && strcmp(argv[optind + 1], "deny")))
		return cli_fail(e, EXIT_USAGE,
				"ask: give --list, or ID allow|deny (e.g. 'vosctl ask 3 allow')");
	id = strtoul(argv[optind], &end, 10);
	if (*end || !id || id > 4000000000UL)
		return cli_fail(e, EXIT_USAGE,
				"ask: '%s' is not a question's ID: see 'vosctl ask "
				"--list'",
				argv[optind]);
	if (target && strcmp(argv[optind + 1], "allow"))
		return cli_fail(e, EXIT_USAGE, "ask: --target goes with allow");
	snprintf(req, sizeof(req), "ask-answer %lu %s %s%s", id, argv[optind + 1],
		 target ? target : "-", remember ? " remember" : "");
	return vosd_request(ctx, e, req);
}
