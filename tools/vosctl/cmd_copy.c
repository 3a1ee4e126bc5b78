// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl copy SRC:PATH... DST: root on the host copies files of subsystem
 * SRC into DST's Incoming/SRC/ (vos.FileCopy, issue 13). The sender is
 * vos-copy run inside SRC (as vosctl exec runs it), so the call is SRC's:
 * it reads PATH with SRC's view and rights, and the policy decides SRC ->
 * DST as for a copy started inside. Exit status: vos-copy's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define COPY_MAX_PATHS 256

static const struct option copy_opts[] = {
	{ "vos-copy", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_copy(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("copy");
	const char *tool = "/usr/bin/vos-copy", *dst;
	char *xargv[COPY_MAX_PATHS + 6], src[VOS_NAME_MAX + 1] = "";
	int c, i, n = 0, npaths;

	while ((c = cli_getopt(e, cmd, argc, argv, "+:h", copy_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == 'c') {
			if (optarg[0] != '/')
				return cli_fail(e, EXIT_USAGE,
						"copy: --vos-copy: its absolute path inside SRC");
			tool = optarg;
		}
	}
	npaths = argc - optind - 1;
	if (npaths < 1 || npaths > COPY_MAX_PATHS)
		return cli_fail(e, EXIT_USAGE,
				"copy: give SRC:PATH... DST (at most %d paths), e.g. 'vosctl copy "
				"mail:/var/tmp/a.pdf docs'",
				COPY_MAX_PATHS);
	dst = argv[argc - 1];
	if (parse_name(e, "DST", dst))
		return e->code;
	xargv[n++] = "exec";
	xargv[n++] = src;
	xargv[n++] = "--";
	xargv[n++] = (char *)tool;
	xargv[n++] = (char *)dst;
	for (i = optind; i < argc - 1; i++) {
		char *colon = strchr(argv[i], ':');
		size_t len = colon ? (size_t)(colon - argv[i]) : 0;

		if (!colon || !len || len >= sizeof(src) || colon[1] != '/')
			return cli_fail(e, EXIT_USAGE,
					"copy: '%s': give SRC:/ABSOLUTE/PATH, a path inside SRC",
					argv[i]);
		if (src[0] && (strncmp(src, argv[i], len) || src[len]))
			return cli_fail(e, EXIT_USAGE,
					"copy: every path must be in the same subsystem (%s)", src);
		memcpy(src, argv[i], len);
		src[len] = '\0';
		xargv[n++] = colon + 1;
	}
	if (parse_name(e, "SRC", src))
		return e->code;
	xargv[n] = NULL;
	optind = 0;
	return cmd_exec(ctx, n, xargv, e);
}
