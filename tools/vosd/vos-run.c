// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-run TEMPLATE -- CMD [ARG...]: CMD in a pooled disposable of
 * TEMPLATE, on the fast path (issue 14). A small static program without
 * libvirtos: it asks vosd (root on the host only, as "vosctl run
 * --disposable") for a pooled member, gets the end of the socket its stub
 * waits on (vos-stub.c, already restricted as any app of the subsystem),
 * sends the command, its working directory, locale and stdin, stdout and
 * stderr there in one message, and then only waits for the command's
 * wait status, which the stub sends on that socket when the command ends
 * (or vosd's "exit N", after the member's init has exited).
 * SIGINT, SIGTERM and SIGHUP are passed to vosd, which sends them to the
 * subsystem's init, which forwards them to the command. If vos-run dies,
 * vosd sees its connection close and ends the disposable.
 *
 * No pooled member (no vosd, no Pool=, vosd's pool empty or its template
 * changed on disk) or a terminal on stdio (the fast path hands fds in as
 * they are; vosctl gives the app a pty of its own): vos-run execs
 * `vosctl run --disposable TEMPLATE -- CMD` instead ($VOSCTL, else vosctl
 * in PATH), unless --no-fallback, which then exits 121.
 *
 * Exit status: CMD's (128+N if killed by signal N); 127/126 CMD not found
 * or not executable; 121 no pooled disposable (--no-fallback) or no such
 * template; 122 not root; 124 bad usage; 125 vosd failed or went away.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fastrun.h"
#include "proto.h"
#include "stubreq.h"

static const char usage[] =
	"Usage: vos-run [--socket PATH] [--no-fallback] TEMPLATE -- CMD [ARG...]\n"
	"Run CMD in a pooled disposable of TEMPLATE (vosd's Pool=), on the fast path;\n"
	"otherwise through 'vosctl run --disposable TEMPLATE -- CMD'. See vos-run(1).\n"
	"Exit: CMD's; 121 no pooled disposable/template; 122 not permitted; 124 usage;\n"
	"125 vosd failed.\n";

/* The slow path: vosctl, which also makes a disposable when none is pooled */
static int fallback(const char *tmpl, char **cmd, int nofb, const char *why)
{
	const char *vosctl = getenv("VOSCTL");
	char *av[STUBREQ_ARGS + 8];
	int i, n = 0;

	if (nofb) {
		fprintf(stderr, "vos-run: %s: %s\n", tmpl, why);
		return 121;
	}
	av[n++] = (char *)(vosctl && *vosctl ? vosctl : "vosctl");
	av[n++] = "run";
	av[n++] = "--disposable";
	av[n++] = (char *)tmpl;
	av[n++] = "--";
	for (i = 0; cmd[i] && n < STUBREQ_ARGS + 7; i++)
		av[n++] = cmd[i];
	av[n] = NULL;
	execvp(av[0], av);
	fprintf(stderr, "vos-run: %s: %s, and %s cannot be started: %s\n", tmpl, why, av[0],
		strerror(errno));
	return 125;
}

int main(int argc, char **argv)
{
	const char *path = getenv("VOSD_SOCKET"), *tmpl;
	static const int fds[STUBREQ_FDS] = { STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO };
	char name[VOSD_LINE_MAX] = "", msg[VOSD_LINE_MAX];
	int i = 1, nofb = 0, conn, ctl, code;
	sigset_t set;

	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--no-fallback")) {
			nofb = 1;
		} else if (!strcmp(argv[i], "--socket") && i + 1 < argc) {
			path = argv[++i];
		} else {
			fprintf(stderr, "vos-run: unknown option '%s'\n%s", argv[i], usage);
			return 124;
		}
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") || !argv[i + 2][0] || strlen(argv[i]) > 64 ||
	    strpbrk(argv[i], " \t\n/")) {
		fprintf(stderr, "vos-run: give TEMPLATE -- CMD, e.g. vos-run web -- firefox\n%s",
			usage);
		return 124;
	}
	tmpl = argv[i];
	argv += i + 2;
	if (!path || !*path)
		path = VOSD_SOCKET;
	/* the fallback's vosctl asks the same vosd */
	setenv("VOSD_SOCKET", path, 1);
	for (i = 0; i < STUBREQ_FDS; i++)
		if (isatty(i))
			return fallback(tmpl, argv, nofb, "a terminal on stdio needs vosctl's pty");
	/* blocked before the command starts: none is lost, all go to vosd */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	conn = fastrun_start(path, tmpl, "-", argv, NULL, fds, &ctl, name, sizeof(name), msg,
			     sizeof(msg), &code);
	if (conn < 0) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		if (code == 121 || (code == 125 && !name[0]))
			return fallback(tmpl, argv, nofb, msg);
		fprintf(stderr, "vos-run: %s: %s\n", tmpl, msg);
		return code;
	}
	code = fastrun_wait(conn, ctl, msg, sizeof(msg));
	if (msg[0])
		fprintf(stderr, "vos-run: %s: %s\n", tmpl, msg);
	return code;
}
