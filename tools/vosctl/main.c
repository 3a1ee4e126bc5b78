// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl: run applications in isolated subsystems supervised by vos.ko.
 *
 * main() is the only place that prints errors: it finds the command in the
 * table, calls it, and prints the struct cli_err it got back as one line
 * "vosctl: <what went wrong>: <what to do>" on stderr. All isolation logic
 * lives in libvirtos; the commands only parse, call and format.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "vosctl.h"

int main(int argc, char **argv)
{
	struct cli_err e = { 0 };
	struct cli_ctx ctx = {
		.out = stdout,
		.prog = "vosctl",
	};
	const struct cli_cmd *cmd;
	const char *dev;
	int ret;

	dev = getenv("VOSCTL_DEVICE");
	if (dev && *dev)
		ctx.device = dev;

	if (argc < 2) {
		cli_print_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = "version";
	cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "vosctl: unknown command '%s': see 'vosctl --help'\n", argv[1]);
		return EXIT_USAGE;
	}
	/* The verb is argv[0] of the command's own getopt_long. */
	optind = 0;
	ret = cmd->fn(&ctx, argc - 1, argv + 1, &e);
	if (fflush(stdout) != 0 && !e.code) {
		cli_fail(&e, EXIT_FAIL, "cannot write the output: check the output file or pipe");
		ret = EXIT_FAIL;
	}
	if (e.code) {
		fprintf(stderr, "vosctl: %s\n", e.msg);
		return e.code;
	}
	return ret;
}
