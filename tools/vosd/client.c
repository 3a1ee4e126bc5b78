// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client.c - the client side of vosd's protocol (proto.h), shared by
 * vos-call (inside a subsystem) and vosctl call / policy reload (host).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/vos.h>

#include "proto.h"

#define RELAY_BUF 65536

static const struct {
	const char *kind;
	int code;
} kinds[] = {
	{ VOSD_ERR_DENIED, 126 }, { VOSD_ERR_NOTFOUND, 121 }, { VOSD_ERR_USAGE, 124 },
	{ VOSD_ERR_PERM, 122 },	  { VOSD_ERR_BUSY, 125 },     { VOSD_ERR_FAIL, 125 },
	{ VOSD_ERR_LIMIT, 123 },  { VOSD_ERR_INFECTED, 120 }, { VOSD_ERR_TIMEOUT, 125 },
};

/* "err KIND TEXT": the exit code of KIND, @msg TEXT; -1 if not one */
static int err_line(const char *line, char *msg, size_t msglen)
{
	size_t i;

	if (strncmp(line, "err ", 4) != 0)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t k = strlen(kinds[i].kind);

		if (strncmp(line + 4, kinds[i].kind, k) == 0 &&
		    (line[4 + k] == ' ' || !line[4 + k])) {
			snprintf(msg, msglen, "%s", line[4 + k] ? line + 5 + k : kinds[i].kind);
			return kinds[i].code;
		}
	}
	return -1;
}

/* One answer line (at most VOSD_LINE_MAX - 1 bytes) and the fd it carries */
static int read_line(int conn, char *line, size_t len, int *fd)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cb;
	size_t n = 0;

	if (fd)
		*fd = -1;
	while (n + 1 < len) {
		struct iovec iov = { .iov_base = line + n, .iov_len = 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
		struct cmsghdr *c;
		ssize_t got;

		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		got = recvmsg(conn, &m, MSG_CMSG_CLOEXEC);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EPIPE;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
			    c->cmsg_len == CMSG_LEN(sizeof(int))) {
				int got_fd;

				memcpy(&got_fd, CMSG_DATA(c), sizeof(int));
				if (fd && *fd < 0)
					*fd = got_fd;
				else
					close(got_fd);
			}
		}
		if (line[n] == '\n') {
			line[n] = '\0';
			return 0;
		}
		n++;
	}
	return -EMSGSIZE;
}

int vosd_client_send_fds(int conn, const char *line, size_t len, const int *fds, size_t nfds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(VOSD_CLIENT_FDS * sizeof(int))];
	} cb;
	struct iovec iov = { .iov_base = (void *)line, .iov_len = len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds > VOSD_CLIENT_FDS)
		return EINVAL;
	if (nfds) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cb.h.cmsg_level = SOL_SOCKET;
		cb.h.cmsg_type = SCM_RIGHTS;
		cb.h.cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(&cb.h), fds, nfds * sizeof(int));
	}
	return sendmsg(conn, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : errno ? errno : EIO;
}

int vosd_client_open(const char *path, const char *req, int *chan, char *msg, size_t msglen,
		     int *code)
{
	return vosd_client_open_fds(path, req, NULL, 0, chan, msg, msglen, code);
}

int vosd_client_open_fds(const char *path, const char *req, const int *fds, size_t nfds, int *chan,
			 char *msg, size_t msglen, int *code)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[VOSD_REQUEST_MAX];
	int conn, n, ret, fd = -1, send_err;

	*chan = -1;
	*code = 125;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msglen, "the vosd socket path %s is too long", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	conn = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (conn < 0) {
		snprintf(msg, msglen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(conn, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(msg, msglen,
			 "cannot reach vosd at %s (%s): is vosd running (systemctl start vosd)?",
			 path, strerror(errno));
		goto fail;
	}
	n = snprintf(line, sizeof(line), "%s %s\n", VOSD_MAGIC, req);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		*code = 124;
		snprintf(msg, msglen, "request too long");
		goto fail;
	}
	/* vosd may refuse at once (busy, not a caller it serves) and close:
	 * its answer is then read even though the request could not be sent
	 */
	send_err = vosd_client_send_fds(conn, line, (size_t)n, fds, nfds);
	ret = read_line(conn, line, sizeof(line), &fd);
	if (ret < 0 && send_err) {
		snprintf(msg, msglen, "cannot send to vosd: %s", strerror(send_err));
		goto fail;
	}
	if (ret < 0) {
		snprintf(msg, msglen, "no answer from vosd: %s",
			 ret == -EPIPE ? "it closed the connection" : strerror(-ret));
		goto fail;
	}
	if (strcmp(line, "ok") == 0 || strncmp(line, "ok ", 3) == 0) {
		*chan = fd;
		*code = 0;
		snprintf(msg, msglen, "%s", line[2] ? line + 3 : "");
		return conn;
	}
	if (fd >= 0)
		close(fd);
	ret = err_line(line, msg, msglen);
	if (ret >= 0) {
		*code = ret;
		goto fail;
	}
	snprintf(msg, msglen, "vosd answered something unexpected");
fail:
	close(conn);
	return -1;
}

int vosd_client_line(int conn, char *line, size_t len)
{
	return read_line(conn, line, len, NULL);
}

/*
 * The stream is a vos.ko channel end (VOS_CAP_CHANNEL) or, from a vosd on
 * a module without channels, a socket: write it without dying of SIGPIPE
 * when the handler has gone (EPIPE instead), as send(MSG_NOSIGNAL) does.
 */
static ssize_t chan_write(int chan, const void *buf, size_t len)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;
	ssize_t n;
	int err;

	n = send(chan, buf, len, MSG_NOSIGNAL);
	if (n >= 0 || errno != ENOTSOCK)
		return n;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	n = write(chan, buf, len);
	err = errno;
	/* drop the SIGPIPE this write raised, if any, before unblocking */
	if (n < 0 && err == EPIPE && !sigismember(&old, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return n;
}

/* No more from us: the handler reads EOF */
static void chan_shut(int chan)
{
	if (shutdown(chan, SHUT_WR) < 0 && errno == ENOTSOCK)
		ioctl(chan, VOS_CHANNEL_SHUTDOWN, 0);
}

int vosd_client_relay(int conn, int chan, int in, int out, char *msg, size_t msglen)
{
	char *bin = malloc(RELAY_BUF), *bout = malloc(RELAY_BUF), line[VOSD_LINE_MAX];
	size_t nin = 0, nout = 0;
	bool in_eof = false, chan_eof = false, shut = false;
	int code = 125, ret, st;

	if (!bin || !bout) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	fcntl(chan, F_SETFL, fcntl(chan, F_GETFL) | O_NONBLOCK);
	while (!chan_eof || nout) {
		struct pollfd p[3] = {
			{ .fd = -1 },
			{ .fd = chan },
			{ .fd = -1 },
		};
		ssize_t n;

		if (!in_eof && nin < RELAY_BUF) {
			p[0].fd = in;
			p[0].events = POLLIN;
		}
		if (nin)
			p[1].events |= POLLOUT;
		if (!chan_eof && nout < RELAY_BUF)
			p[1].events |= POLLIN;
		if (nout) {
			p[2].fd = out;
			p[2].events = POLLOUT;
		}
		if (in_eof && !nin && !shut) {
			chan_shut(chan);
			shut = true;
		}
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(msg, msglen, "poll: %s", strerror(errno));
			goto out;
		}
		if (p[0].revents) {
			n = read(in, bin + nin, RELAY_BUF - nin);
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				in_eof = true;
			else if (n == 0)
				in_eof = true;
			else if (n > 0)
				nin += (size_t)n;
		}
		if (p[1].revents & (POLLOUT | POLLERR) && nin) {
			n = chan_write(chan, bin, nin);
			if (n > 0) {
				memmove(bin, bin + n, nin - (size_t)n);
				nin -= (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				/* the handler stopped reading: drop what it will never get */
				nin = 0;
				in_eof = true;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR) && !chan_eof) {
			n = read(chan, bout + nout, RELAY_BUF - nout);
			if (n > 0)
				nout += (size_t)n;
			else if (n == 0 || (errno != EAGAIN && errno != EINTR))
				chan_eof = true;
		}
		if (p[2].revents || (chan_eof && nout)) {
			n = write(out, bout, nout);
			if (n > 0) {
				memmove(bout, bout + n, nout - (size_t)n);
				nout -= (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				snprintf(msg, msglen, "cannot write the output: %s",
					 strerror(errno));
				goto out;
			}
		}
	}
	ret = read_line(conn, line, sizeof(line), NULL);
	if (ret < 0) {
		snprintf(msg, msglen, "vosd ended the call without the handler's exit status");
		goto out;
	}
	/* cut or dropped by vosd (limit=, scan=, --handler-timeout) */
	st = err_line(line, msg, msglen);
	if (st >= 0) {
		code = st;
		goto out;
	}
	if (sscanf(line, "exit %d", &st) != 1 || st < 0 || st > 255) {
		snprintf(msg, msglen, "vosd answered something unexpected");
		goto out;
	}
	code = st;
out:
	free(bin);
	free(bout);
	return code;
}
