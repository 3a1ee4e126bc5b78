// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crossing: the cost of a call's stream between two subsystems, through a
 * vos.ko channel (VOS_CHANNEL_CREATE) against a plain UNIX socket pair
 * between the same two processes: the inits of subsystems A (the caller)
 * and B (the handler), each in its own PID and network namespace.
 *
 *   round trip: A writes 1 byte, B echoes it, A reads it; -n times
 *   throughput: A writes -m MiB in 64 KiB writes, B reads and counts them,
 *               then answers with the count; A's time from first write to
 *               the answer
 *
 * Each measurement gets a fresh stream; the two transports alternate, -r
 * rounds, and the median of each is reported. One line "@@ {json}" per
 * transport and one with the ratios (channel / socket pair).
 *
 * usage: crossing [-n ROUNDTRIPS] [-m MIB] [-r ROUNDS]   (1000, 16, 3)
 *
 * Under TCG (make bench) a round trip is dominated by waking a task on the
 * other vCPU (milliseconds, measured 2026-12-01: socket pair 5.7 ms,
 * channel 1.8 ms; 9.1 and 13.5 MiB/s); the ratio is what to read.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define CHUNK 65536

struct cmd {
	char op;     /* E echo, S sink, R round trips, T throughput, X exit */
	int chan;    /* 1: a channel end (shut down with VOS_CHANNEL_SHUTDOWN) */
	long long n; /* R: round trips; T: bytes */
};

struct ans {
	long long ns; /* elapsed, or -errno */
	long long n;
};

static int send_fd(int sock, const struct cmd *c, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { (void *)c, sizeof(*c) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&mh);

	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == sizeof(*c) ? 0 : -1;
}

static int recv_fd(int sock, struct cmd *c, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { c, sizeof(*c) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *h;

	*fd = -1;
	if (recvmsg(sock, &mh, 0) != sizeof(*c))
		return -1;
	for (h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(h), sizeof(int));
	return 0;
}

static int full_write(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void shut(int fd, int chan)
{
	if (chan)
		ioctl(fd, VOS_CHANNEL_SHUTDOWN, 0);
	else
		shutdown(fd, SHUT_WR);
}

/* One command on @fd; the answer */
static struct ans run(const struct cmd *c, int fd, char *buf)
{
	struct ans a = { 0, 0 };
	int64_t t0 = vb_now_ns();
	ssize_t n;
	long long i;

	switch (c->op) {
	case 'E': /* echo until EOF */
		while ((n = read(fd, buf, CHUNK)) > 0)
			if (full_write(fd, buf, (size_t)n))
				break;
		break;
	case 'S': /* count until EOF, answer the count */
		while ((n = read(fd, buf, CHUNK)) > 0)
			a.n += n;
		if (full_write(fd, (char *)&a.n, sizeof(a.n)))
			a.ns = -EPIPE;
		break;
	case 'R':
		for (i = 0; i < c->n; i++)
			if (write(fd, "x", 1) != 1 || read(fd, buf, 1) != 1) {
				a.ns = -EIO;
				return a;
			}
		a.ns = vb_now_ns() - t0;
		shut(fd, c->chan);
		break;
	case 'T':
		for (i = 0; i < c->n; i += CHUNK)
			if (full_write(fd, buf, CHUNK)) {
				a.ns = -EIO;
				return a;
			}
		shut(fd, c->chan);
		if (read(fd, &a.n, sizeof(a.n)) != sizeof(a.n) || a.n != c->n)
			a.ns = -EIO;
		else
			a.ns = vb_now_ns() - t0;
		break;
	}
	return a;
}

static int worker(int sock)
{
	static char buf[CHUNK];
	struct cmd c;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	memset(buf, 'b', sizeof(buf));
	while (recv_fd(sock, &c, &fd) == 0 && c.op != 'X') {
		struct ans a = run(&c, fd, buf);

		close(fd);
		if (write(sock, &a, sizeof(a)) != sizeof(a))
			return 2;
	}
	return 0;
}

struct sub {
	int sfd, ctl;
	uint64_t id;
	pid_t pid;
};

static int start(int dev, const char *name, struct sub *s)
{
	struct clone_args ca = { .flags = CLONE_NEWPID | CLONE_NEWNET | CLONE_PIDFD,
				 .exit_signal = SIGCHLD };
	int sp[2], pidfd = -1, go[2];
	char ch;

	s->sfd = vb_create(dev, name, 0, VOS_NET_ISOLATED, &s->id);
	if (s->sfd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) || pipe(go))
		return -1;
	ca.pidfd = (uintptr_t)&pidfd;
	s->pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		close(go[1]);
		if (read(go[0], &ch, 1) != 1)
			_exit(3);
		_exit(worker(sp[1]));
	}
	close(sp[1]);
	close(go[0]);
	s->ctl = sp[0];
	if (vb_attach(s->sfd, s->pid, pidfd))
		return -1;
	close(pidfd);
	if (write(go[1], "g", 1) != 1)
		return -1;
	close(go[1]);
	return 0;
}

/* A fresh stream between A and B: sp[0] for A, sp[1] for B */
static int stream(int dev, int chan, const struct sub *a, const struct sub *b, int sp[2])
{
	struct vos_channel_create cc = { .size = sizeof(cc) };

	if (!chan)
		return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp);
	cc.source = a->id;
	cc.target = b->id;
	cc.peer_fd = -1;
	cc.verdict = VOS_VERDICT_ALLOW;
	snprintf(cc.service, sizeof(cc.service), "bench.Crossing");
	if (ioctl(dev, VOS_CHANNEL_CREATE, &cc) < 0)
		return -1;
	sp[0] = cc.source_fd;
	sp[1] = cc.target_fd;
	return 0;
}

/* One measurement: B serves @bop, A runs @aop; A's elapsed ns or -1 */
static long long measure(int dev, int chan, struct sub *a, struct sub *b, char aop, char bop,
			 long long n)
{
	struct cmd ca = { .op = aop, .chan = chan, .n = n }, cb = { .op = bop, .chan = chan };
	struct ans ra, rb;
	int sp[2];

	if (stream(dev, chan, a, b, sp))
		return -1;
	if (send_fd(b->ctl, &cb, sp[1]) || send_fd(a->ctl, &ca, sp[0]))
		return -1;
	close(sp[0]);
	close(sp[1]);
	if (read(a->ctl, &ra, sizeof(ra)) != sizeof(ra) ||
	    read(b->ctl, &rb, sizeof(rb)) != sizeof(rb))
		return -1;
	return ra.ns;
}

static int cmp_ll(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;

	return (a > b) - (a < b);
}

static long long median(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_ll);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	long long rtn = 1000, mib = 16, rt[2][64], tp[2][64];
	static const char *const names[2] = { "socketpair", "channel" };
	double rtt_us[2], mbs[2];
	struct sub a, b;
	int dev, opt, rounds = 3, i, t;

	while ((opt = getopt(argc, argv, "n:m:r:")) != -1) {
		if (opt == 'n')
			rtn = atoll(optarg);
		else if (opt == 'm')
			mib = atoll(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	if (rtn < 1 || mib < 1 || rounds < 1 || rounds > 64)
		return 2;
	dev = open("/dev/vos", O_RDWR | O_CLOEXEC);
	if (dev < 0 || ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_CHANNEL) != 1) {
		printf("@@ {\"section\":\"crossing\",\"what\":\"setup\",\"error\":\"vos.ko without VOS_CAP_CHANNEL\"}\n");
		return 0;
	}
	if (start(dev, "bench-cross-a", &a) || start(dev, "bench-cross-b", &b)) {
		printf("@@ {\"section\":\"crossing\",\"what\":\"setup\",\"error\":\"two subsystems: %s\"}\n",
		       strerror(errno));
		return 0;
	}
	for (i = 0; i < rounds; i++)
		for (t = 0; t < 2; t++) {
			rt[t][i] = measure(dev, t, &a, &b, 'R', 'E', rtn);
			tp[t][i] = measure(dev, t, &a, &b, 'T', 'S', mib << 20);
			if (rt[t][i] <= 0 || tp[t][i] <= 0) {
				printf("@@ {\"section\":\"crossing\",\"what\":\"%s\",\"error\":\"a measurement failed\"}\n",
				       names[t]);
				return 0;
			}
		}
	for (t = 0; t < 2; t++) {
		rtt_us[t] = median(rt[t], rounds) / 1e3 / (double)rtn;
		mbs[t] = (double)(mib << 20) / 1048576.0 / (median(tp[t], rounds) / 1e9);
		printf("@@ {\"section\":\"crossing\",\"transport\":\"%s\",\"roundtrips\":%lld,"
		       "\"rtt_us\":%.3f,\"mib\":%lld,\"mib_per_s\":%.1f,\"rounds\":%d}\n",
		       names[t], rtn, rtt_us[t], mib, mbs[t], rounds);
	}
	printf("@@ {\"section\":\"crossing\",\"transport\":\"ratio\",\"rtt_ratio\":%.2f,"
	       "\"throughput_ratio\":%.2f}\n",
	       rtt_us[1] / rtt_us[0], mbs[1] / mbs[0]);
	for (t = 0; t < 2; t++) {
		struct cmd x = { .op = 'X' };

		send_fd(t ? b.ctl : a.ctl, &x, dev);
	}
	ioctl(a.sfd, VOS_SUBSYS_END, 0);
	ioctl(b.sfd, VOS_SUBSYS_END, 0);
	waitpid(a.pid, NULL, 0);
	waitpid(b.pid, NULL, 0);
	return 0;
}
