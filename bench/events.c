// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * events - how many vos events a listener gets under a fork/exec storm,
 * and how many it loses.
 *
 *   events [-r RCVBUF] [-x PATH] [-p WORKERS] [-d] N
 *
 * Joins the multicast group "events" of the generic netlink family "vos",
 * creates a subsystem (ioctl), clones its init in a new PID namespace and
 * attaches it; the init then starts WORKERS processes that each fork+exec
 * PATH (default /bin/true) N times and wait for it, as fast as they can.
 * The listener (this process, one thread) reads events until the
 * subsystem's "stopped" event arrives, or until nothing came for 3 s after
 * the init was reaped.
 *
 * With -d the listener reads nothing until the storm is over, then drains its
 * socket: how many events a listener that falls behind finds buffered (the
 * burst its receive buffer absorbs) and how many it lost meanwhile.
 *
 * Loss is read from the module-wide sequence numbers: a jump from s to
 * s + k + 1 means k events were lost ("gaps"); ENOBUFS from recv() says the
 * socket buffer overflowed. Events lost at the end leave no gap, so the
 * module's last sequence number (VOS_CMD_GET_STATS, on a second socket) is
 * read before the storm and after it: lost = events the module sent in that
 * window - events received from it. -r sets SO_RCVBUF (SO_RCVBUFFORCE, so above rmem_max);
 * 0 keeps the system default.
 *
 * Prints one "@@ {json}" line.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "common.h"

struct stats {
	long received, in_window, lost, enobufs, by_type[VOS_EVENT_DENIED + 1], other_subsys;
	unsigned long long first_seq, last_seq, seq0;
	int64_t t_first, t_last;
	int stopped;
};

static void storm(int go_fd, const char *path, int workers, long n)
{
	char c;
	int w;

	/* Wait until the parent has attached us. */
	if (read(go_fd, &c, 1) != 1)
		_exit(3);
	for (w = 0; w < workers; w++) {
		pid_t p = fork();

		if (p < 0)
			_exit(4);
		if (p == 0) {
			long i;

			for (i = 0; i < n; i++) {
				pid_t q = fork();

				if (q == 0) {
					char *argv[] = { (char *)path, NULL };

					execv(path, argv);
					_exit(127);
				}
				if (q > 0)
					waitpid(q, NULL, 0);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	_exit(0);
}

static void handle(struct nlmsghdr *nlh, uint64_t id, struct stats *st)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	unsigned long long seq;
	uint32_t type;

	if (genlmsg_parse(nlh, 0, tb, VOS_A_MAX, NULL) < 0)
		return;
	if (!tb[VOS_A_EVENT_SEQ] || !tb[VOS_A_EVENT_TYPE])
		return;
	seq = nla_get_u64(tb[VOS_A_EVENT_SEQ]);
	type = nla_get_u32(tb[VOS_A_EVENT_TYPE]);
	if (seq > st->seq0)
		st->in_window++;
	st->t_last = vb_now_ns();
	if (!st->received) {
		st->first_seq = seq;
		st->t_first = st->t_last;
	} else if (seq > st->last_seq + 1) {
		st->lost += seq - st->last_seq - 1;
	}
	if (!st->received || seq > st->last_seq)
		st->last_seq = seq;
	st->received++;
	if (type <= VOS_EVENT_DENIED)
		st->by_type[type]++;
	if (tb[VOS_A_SUBSYS_ID] && nla_get_u64(tb[VOS_A_SUBSYS_ID]) != id)
		st->other_subsys++;
	else if (type == VOS_EVENT_STOPPED)
		st->stopped = 1;
}

int main(int argc, char **argv)
{
	const char *path = "/bin/true";
	int opt, workers = 1, rcvbuf = 0, devfd, sfd, fd, grp, family, ret;
	int go[2], pidfd, status = 0, actual_rcvbuf = 0, delayed = 0;
	socklen_t optlen = sizeof(actual_rcvbuf);
	static char buf[1 << 16];
	struct nl_sock *sk, *qsk = NULL;
	unsigned long long seq1 = 0;
	long window = -1;
	struct stats st;
	int64_t t_start = 0, t_end = 0;
	uint64_t id = 0;
	char err[160] = "";
	long n;
	pid_t init;

	while ((opt = getopt(argc, argv, "r:x:p:d")) != -1) {
		switch (opt) {
		case 'd':
			delayed = 1;
			break;
		case 'r':
			rcvbuf = atoi(optarg);
			break;
		case 'x':
			path = optarg;
			break;
		case 'p':
			workers = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || workers < 1)
		goto usage;
	n = atol(argv[optind]);
	if (n < 1)
		goto usage;
	memset(&st, 0, sizeof(st));

	ret = vb_genl_open(&sk, &family);
	if (ret < 0) {
		snprintf(err, sizeof(err), "genl family %s: %s", VOS_GENL_NAME, strerror(-ret));
		goto report;
	}
	grp = genl_ctrl_resolve_grp(sk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	if (grp < 0) {
		snprintf(err, sizeof(err), "group %s: %s", VOS_MCGRP_EVENTS, nl_geterror(grp));
		goto report;
	}
	fd = nl_socket_get_fd(sk);
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf))) {
		snprintf(err, sizeof(err), "SO_RCVBUF: %s", strerror(errno));
		goto report;
	}
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &actual_rcvbuf, &optlen);
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp))) {
		snprintf(err, sizeof(err), "join group: %s", strerror(errno));
		goto report;
	}
	/* Non-blocking reads: the loop below polls. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

	devfd = open("/dev/vos", O_RDWR | O_CLOEXEC);
	if (devfd < 0) {
		snprintf(err, sizeof(err), "open /dev/vos: %s", strerror(errno));
		goto report;
	}
	sfd = vb_create(devfd, "bench-events", 0, VOS_NET_HOST, &id);
	if (sfd < 0) {
		snprintf(err, sizeof(err), "VOS_CREATE_SUBSYS: %s", strerror(-sfd));
		goto report;
	}
	if (pipe2(go, O_CLOEXEC)) {
		snprintf(err, sizeof(err), "pipe: %s", strerror(errno));
		goto report;
	}
	/* fork() into a new PID namespace: the child is its pid 1. */
	init = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
	if (init < 0) {
		snprintf(err, sizeof(err), "clone(CLONE_NEWPID): %s", strerror(errno));
		goto report;
	}
	if (init == 0) {
		close(go[1]);
		storm(go[0], path, workers, n);
	}
	close(go[0]);
	pidfd = vb_pidfd_open(init);
	ret = pidfd < 0 ? pidfd : vb_attach(sfd, init, pidfd);
	if (ret < 0) {
		snprintf(err, sizeof(err), "attach: %s", strerror(-ret));
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
		goto report;
	}

	ret = vb_genl_open(&qsk, &family);
	if (ret < 0 || vb_genl_event_seq(qsk, family, &st.seq0) < 0) {
		fprintf(stderr, "events: no VOS_CMD_GET_STATS: tail losses not counted\n");
		if (qsk)
			nl_socket_free(qsk);
		qsk = NULL;
	}
	t_start = vb_now_ns();
	if (write(go[1], "g", 1) != 1) {
		snprintf(err, sizeof(err), "start storm: %s", strerror(errno));
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
		goto report;
	}
	close(go[1]);

	if (delayed) {
		waitpid(init, &status, 0);
		t_end = vb_now_ns();
		usleep(200000); /* let the last events land */
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t len;

		if (!t_end && waitpid(init, &status, WNOHANG) == init)
			t_end = vb_now_ns();
		if (st.stopped && !delayed)
			break;
		if (t_end && vb_now_ns() - t_end > (delayed ? 1000000000LL : 3000000000LL))
			break;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		for (;;) {
			struct nlmsghdr *nlh;

			len = recv(fd, buf, sizeof(buf), 0);
			if (len < 0) {
				if (errno == ENOBUFS) {
					st.enobufs++;
					continue;
				}
				break; /* EAGAIN */
			}
			for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
			     nlh = NLMSG_NEXT(nlh, len))
				if (nlh->nlmsg_type == family)
					handle(nlh, id, &st);
		}
	}
	if (!t_end) {
		waitpid(init, &status, 0);
		t_end = vb_now_ns();
	}
	/* Window closes before our own "destroyed" event. */
	if (qsk && !vb_genl_event_seq(qsk, family, &seq1))
		window = (long)(seq1 - st.seq0);
	close(sfd);
	close(devfd);
	if (status)
		snprintf(err, sizeof(err), "storm init ended with status 0x%x", status);

report:
	printf("@@ {\"section\":\"events\",\"rcvbuf_req\":%d,\"rcvbuf\":%d,"
	       "\"reader\":\"%s\",\"workers\":%d,\"n\":%ld,\"error\":\"%s\",",
	       rcvbuf, actual_rcvbuf, delayed ? "after" : "live", workers, n, err);
	printf("\"window\":%ld,\"in_window\":%ld,\"lost_gaps\":%ld,", window, st.in_window,
	       st.lost);
	if (window >= 0)
		st.lost = window - st.in_window;
	printf("\"received\":%ld,\"lost\":%ld,\"enobufs\":%ld,\"exec\":%ld,"
	       "\"exit\":%ld,\"other_subsys\":%ld,\"stopped_seen\":%d,",
	       st.received, st.lost, st.enobufs, st.by_type[VOS_EVENT_EXEC],
	       st.by_type[VOS_EVENT_EXIT], st.other_subsys, st.stopped);
	printf("\"storm_ms\":%.1f,\"listen_ms\":%.1f,\"events_per_s\":%.0f,"
	       "\"offered_per_s\":%.0f}\n",
	       t_end && !err[0] ? (t_end - t_start) / 1e6 : -1.0,
	       st.received > 1 ? (st.t_last - st.t_first) / 1e6 : -1.0,
	       st.received > 1 && st.t_last > st.t_first
		       ? st.received / ((st.t_last - st.t_first) / 1e9)
		       : -1.0,
	       t_end > t_start && st.received ? (st.received + st.lost) / ((t_end - t_start) / 1e9)
					      : -1.0);
	return 0;

usage:
	fprintf(stderr, "usage: events [-r RCVBUF] [-x PATH] [-p WORKERS] N\n");
	return 2;
}
