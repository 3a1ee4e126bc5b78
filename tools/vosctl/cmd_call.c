// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl call: a service call through vosd from the host (as @host, or as
 * a subsystem for root with --from), and the requests vosctl sends vosd
 * for other commands (policy reload). VOSD_SOCKET overrides the socket.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtos.h>

#include "../vosd/proto.h"
#include "common.h"

static const struct option call_opts[] = {
	{ "from", required_argument, NULL, OPT_NAME },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *sock_path(void)
{
	const char *p = getenv("VOSD_SOCKET");

	return p && *p ? p : VOSD_SOCKET;
}

int vosd_request(struct cli_ctx *ctx, struct cli_err *e, const char *req)
{
	char msg[VOSD_LINE_MAX];
	int conn, chan, code;

	conn = vosd_client_open(sock_path(), req, &chan, msg, sizeof(msg), &code);
	if (conn < 0)
		return cli_fail(e, code, "%s: %s", req, msg);
	if (chan >= 0)
		close(chan);
	close(conn);
	if (msg[0])
		fprintf(ctx->out, "%s\n", msg);
	return 0;
}

int cmd_call(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("call");
	const char *from = NULL;
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX];
	int c, conn, chan, code;

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
	if (from)
		snprintf(req, sizeof(req), "call-from %s %s %s", from, argv[optind],
			 argv[optind + 1]);
	else
		snprintf(req, sizeof(req), "call %s %s", argv[optind], argv[optind + 1]);
	fflush(ctx->out);
	conn = vosd_client_open(sock_path(), req, &chan, msg, sizeof(msg), &code);
	if (conn < 0) {
		if (code == EXIT_DENIED)
			return cli_fail(e, code,
					"call %s %s: denied by policy (%s): see 'vosctl "
					"policy check'",
					argv[optind + 1], argv[optind], msg);
		return cli_fail(e, code, "call %s %s: %s", argv[optind + 1], argv[optind], msg);
	}
	if (chan < 0) {
		close(conn);
		return cli_fail(e, EXIT_FAIL, "call: vosd gave no stream");
	}
	code = vosd_client_relay(conn, chan, STDIN_FILENO, fileno(ctx->out), msg, sizeof(msg));
	close(chan);
	close(conn);
	if (code == EXIT_FAIL && msg[0])
		return cli_fail(e, code, "call %s %s: %s", argv[optind + 1], argv[optind], msg);
	return code;
}
