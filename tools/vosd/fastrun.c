// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fastrun.c - the client side of a pooled disposable's fast path
 * (fastrun.h), on top of client.c; no libvirtos.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fastrun.h"
#include "proto.h"
#include "stubreq.h"

extern char **environ;

/* The request to the stub: static, so that no caller needs 64 kB of stack */
static char payload[STUBREQ_MAX];

static int send_request(int ctl, char *const argv[], char *const vars[], const int fds[3])
{
	char cwd[4096];
	int n;

	n = stubreq_build(payload, sizeof(payload), argv, getcwd(cwd, sizeof(cwd)), environ, vars);
	if (n < 0)
		return n;
	return -vosd_client_send_fds(ctl, payload, (size_t)n, fds, STUBREQ_FDS);
}

int fastrun_start(const char *path, const char *tmpl, const char *hex, char *const argv[],
		  char *const vars[], const int fds[3], int *ctlp, char *name, size_t nlen,
		  char *msg, size_t mlen, int *code)
{
	char req[VOSD_LINE_MAX];
	int conn, ctl, ret;

	*ctlp = -1;
	snprintf(req, sizeof(req), "run %s %s", tmpl, hex);
	conn = vosd_client_open(path, req, &ctl, msg, mlen, code);
	if (conn < 0)
		return -1;
	snprintf(name, nlen, "%s", msg);
	if (ctl < 0) {
		snprintf(msg, mlen, "vosd gave no stub");
		goto fail;
	}
	ret = send_request(ctl, argv, vars, fds);
	if (ret == 0) {
		*ctlp = ctl;
		return conn;
	}
	close(ctl);
	if (ret == -E2BIG) {
		*code = 124;
		snprintf(msg, mlen,
			 "the command, its arguments and variables are longer than %d bytes",
			 STUBREQ_MAX);
		goto out;
	}
	if (ret == -EINVAL) {
		*code = 124;
		snprintf(msg, mlen,
			 "a variable is not NAME=VALUE with a name of letters, digits "
			 "and '_' (not starting with a digit)");
		goto out;
	}
	snprintf(msg, mlen, "cannot send the command to %s: %s", name, strerror(-ret));
fail:
	*code = 125;
out:
	/* closing the connection ends the disposable */
	close(conn);
	return -1;
}

int fastrun_wait(int conn, int ctl, char *msg, size_t mlen)
{
	char line[VOSD_LINE_MAX];
	sigset_t set;
	int sfd, st, code = 125;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	snprintf(msg, mlen, "vosd ended the run without the command's exit status");
	for (;;) {
		struct pollfd p[3] = { { .fd = conn, .events = POLLIN },
				       { .fd = ctl, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		struct signalfd_siginfo si;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(msg, mlen, "poll: %s", strerror(errno));
			break;
		}
		/* the stub's word: the command's wait status, first */
		if (p[1].revents) {
			if (recv(ctl, &st, sizeof(st), 0) == sizeof(st)) {
				code = WIFEXITED(st)	 ? WEXITSTATUS(st)
				       : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
							 : 125;
				msg[0] = '\0';
				break;
			}
			/* no status from it (it failed): vosd's word then */
			close(ctl);
			ctl = -1;
		}
		if (sfd >= 0 && p[2].revents && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			int k = snprintf(line, sizeof(line), "kill %u\n", si.ssi_signo);

			if (send(conn, line, (size_t)k, MSG_NOSIGNAL) != k)
				break;
		}
		if (!p[0].revents)
			continue;
		if (vosd_client_line(conn, line, sizeof(line)) < 0)
			break;
		if (sscanf(line, "exit %d", &st) == 1 && st >= 0 && st <= 255) {
			code = st;
			msg[0] = '\0';
			break;
		}
		if (!strncmp(line, "err ", 4)) {
			snprintf(msg, mlen, "%s", line + 4);
			break;
		}
	}
	if (sfd >= 0)
		close(sfd);
	if (ctl >= 0)
		close(ctl);
	close(conn);
	return code;
}
