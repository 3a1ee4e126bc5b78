// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_unix - host UNIX sockets. A path socket is reachable from any
 * network namespace through the file system (and connect() needs no write
 * access to a read-only mount), an abstract one from the same network
 * namespace; either can hand a sandboxed app a privileged service (the
 * Docker socket, D-Bus, systemd, X11).
 *
 *   esc_unix listen ADDR...    (host) serve each ADDR ("@name" is abstract),
 *                              answering "VESC-HOST" to every client
 *   esc_unix connect ADDR...   connect to each; a connection is an escape
 *   esc_unix --control ADDR... the same connects, outside: must work
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "esc.h"

static socklen_t make_addr(const char *a, struct sockaddr_un *sa)
{
	size_t n = strlen(a);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n >= sizeof(sa->sun_path))
		n = sizeof(sa->sun_path) - 1;
	memcpy(sa->sun_path, a, n);
	if (a[0] == '@')
		sa->sun_path[0] = 0; /* abstract */
	else
		n++;
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static int do_listen(int n, char **addrs)
{
	struct pollfd pf[16];
	struct sockaddr_un sa;
	int i, c;

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++) {
		socklen_t len = make_addr(addrs[i], &sa);

		if (addrs[i][0] != '@')
			unlink(addrs[i]);
		pf[i].fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		pf[i].events = POLLIN;
		if (pf[i].fd < 0 || bind(pf[i].fd, (struct sockaddr *)&sa, len) < 0 ||
		    listen(pf[i].fd, 8) < 0) {
			fprintf(stderr, "esc_unix: listen on %s: %s\n", addrs[i], strerror(errno));
			return 2;
		}
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if (poll(pf, n, -1) < 0)
			continue;
		for (i = 0; i < n; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			c = accept4(pf[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				if (write(c, "VESC-HOST\n", 10) < 0)
					perror("esc_unix: write");
				close(c);
			}
		}
	}
}

static int do_connect(int n, char **addrs)
{
	struct sockaddr_un sa;
	char what[200], buf[32];
	int i, fd;
	ssize_t r;

	for (i = 0; i < n; i++) {
		socklen_t len = make_addr(addrs[i], &sa);

		esc_fmt(what, sizeof(what), "connect to the host socket %s", addrs[i]);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			esc_refused(what, errno);
			continue;
		}
		if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
			esc_refused(what, errno);
		} else {
			r = read(fd, buf, sizeof(buf) - 1);
			buf[r > 0 ? r : 0] = 0;
			buf[strcspn(buf, "\n")] = 0;
			esc_escaped(what, "connected, the host said '%s'", buf);
		}
		close(fd);
	}
	return esc_finish();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "listen"))
		return do_listen(argc - 2, argv + 2);
	if (argc >= 3 && (!strcmp(argv[1], "connect") || !strcmp(argv[1], "--control")))
		return do_connect(argc - 2, argv + 2);
	fprintf(stderr, "usage: esc_unix listen|connect|--control ADDR...\n");
	return 2;
}
