// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-call TARGET SERVICE[+ARG]: inside a subsystem, call SERVICE in
 * subsystem TARGET through vosd (/run/vos/vosd.sock; VOSD_SOCKET
 * overrides it). stdin and stdout are connected to the service's handler;
 * the exit status is the handler's. vosd learns who calls from vos.ko:
 * nothing here names the caller.
 *
 * Exit status: the handler's; 126 denied by policy; 121 no such target or
 * service; 122 not permitted; 124 bad usage; 125 any other failure
 * (vosd unreachable, too many calls).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"

int main(int argc, char **argv)
{
	const char *path = getenv("VOSD_SOCKET");
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX];
	int conn, chan, code;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: vos-call TARGET SERVICE[+ARG]\n"
		       "Call SERVICE in subsystem TARGET through vosd; stdin and stdout go to\n"
		       "its handler. Exit: the handler's status; 126 denied by policy; 121 no\n"
		       "such target or service; 122 not permitted; 124 bad usage; 125 other.\n");
		return 0;
	}
	if (argc != 3 || strlen(argv[1]) > 100 || strlen(argv[2]) > 200 ||
	    strpbrk(argv[1], " \t\n") || strpbrk(argv[2], " \t\n")) {
		fprintf(stderr,
			"vos-call: give TARGET SERVICE[+ARG], e.g. vos-call work vos.Echo\n");
		return 124;
	}
	if (!path || !*path)
		path = VOSD_INSIDE;
	snprintf(req, sizeof(req), "call %s %s", argv[1], argv[2]);
	conn = vosd_client_open(path, req, &chan, msg, sizeof(msg), &code);
	if (conn < 0) {
		if (code == 126)
			fprintf(stderr, "vos-call: %s %s: denied by policy (%s)\n", argv[2],
				argv[1], msg);
		else
			fprintf(stderr, "vos-call: %s %s: %s\n", argv[2], argv[1], msg);
		return code;
	}
	if (chan < 0) {
		fprintf(stderr, "vos-call: vosd gave no stream\n");
		close(conn);
		return 125;
	}
	code = vosd_client_relay(conn, chan, STDIN_FILENO, STDOUT_FILENO, msg, sizeof(msg));
	if (code == 125 && msg[0])
		fprintf(stderr, "vos-call: %s %s: %s\n", argv[2], argv[1], msg);
	close(chan);
	close(conn);
	return code;
}
