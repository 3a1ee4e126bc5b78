// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-channel: channels between subsystems (VOS_CAP_CHANNEL). Three
 * subsystems A, B, C, each with an init that obeys commands over a socket
 * pair (an fd to act on comes with the command, SCM_RIGHTS). A channel
 * A->B carries bytes both ways, with EOF after VOS_CHANNEL_SHUTDOWN, and
 * its VOS_EVENT_CROSSING events (opened; closed with the bytes each way)
 * name the service, source, target, verdict and channel; its source end
 * passed to C, and both ends in the host test process (the broker that
 * made them), are useless: read, write, shutdown EPERM (also through the
 * i386 entry point), poll EPOLLERR. An end bound to a host process (the
 * peer of a connected socket) works for that process only. Ending A
 * revokes a channel A->B that B is waiting on: its poll wakes, read gives
 * 0, write EPIPE. VOS_CHANNEL_AUDIT reports a refused call; a burst of
 * them is cut to VOS_CROSSING_REFUSED_RATE a second per source, and a
 * later report says how many were suppressed. Every bad input to CREATE
 * and AUDIT is refused with its errno; so is a caller without
 * CAP_SYS_ADMIN. Last, with every subsystem gone, an open channel keeps
 * the module loaded (delete_module: EWOULDBLOCK, "in use") and closing it
 * gives the references back. VOS_CMD_GET_CROSSINGS gives the kept records
 * back, in order, with the events' sequence numbers.
 *
 * Run time: about 3 s under TCG (three inits, a forked host caller, the
 * rate limit's next window: up to 1.1 s of bounded waiting on events).
 */
#include <grp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "vostest.h"

#define SOCK_PATH "/tmp/vos-channel-test.sock"

/* ---- the inits: one command at a time ------------------------------------- */

struct cmd {
	char op;	/* R read, W write, S shutdown, P poll+read+write, X exit */
	int len;	/* R: at most; W: bytes in data */
	int timeout_ms; /* P */
	char data[256];
};

struct ans {
	long ret; /* the call's result, or -errno */
	long ret2;
	long ret3;
	char data[256];
};

static int send_cmd(int sock, const struct cmd *c, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)c, sizeof(*c) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *h;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		h = CMSG_FIRSTHDR(&mh);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, 0) == sizeof(*c) ? 0 : -1;
}

static int recv_cmd(int sock, struct cmd *c, int *fd)
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

static long res(long r)
{
	return r < 0 ? -errno : r;
}

/* The init of each subsystem: @arg is its end of the command socket pair */
static int fn_worker(void *arg)
{
	int sock = (int)(intptr_t)arg;
	struct cmd c;
	struct ans a;
	int fd;

	signal(SIGPIPE, SIG_IGN);
	while (recv_cmd(sock, &c, &fd) == 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		memset(&a, 0, sizeof(a));
		switch (c.op) {
		case 'R':
			a.ret = res(read(fd, a.data, (size_t)c.len));
			break;
		case 'W':
			a.ret = res(write(fd, c.data, (size_t)c.len));
			break;
		case 'S':
			a.ret = res(ioctl(fd, VOS_CHANNEL_SHUTDOWN, 0));
			break;
		case 'P':
			/* wait (bounded) for something to happen, then try both ways */
			a.ret = poll(&p, 1, c.timeout_ms) == 1 ? p.revents : 0;
			a.ret2 = res(read(fd, a.data, sizeof(a.data)));
			a.ret3 = res(write(fd, "x", 1));
			break;
		case 'X':
			return 0;
		default:
			a.ret = -EINVAL;
		}
		if (fd >= 0)
			close(fd);
		if (write(sock, &a, sizeof(a)) != sizeof(a))
			return 3;
	}
	return 2;
}

struct sub {
	const char *name;
	int fd; /* subsystem fd */
	uint64_t id;
	int ctl; /* our end of the command pair */
	struct ns_init ni;
};

static void sub_start(int dev, struct sub *s, const char *name)
{
	int sp[2];

	s->name = name;
	s->fd = vos_create(dev, name, 0);
	if (s->fd < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		bail("create %s", name);
	if (ns_init_start(&s->ni, CLONE_NEWNET, fn_worker, (void *)(intptr_t)sp[1]))
		bail("init of %s", name);
	close(sp[1]);
	s->ctl = sp[0];
	if (vos_attach(s->fd, s->ni.pidfd, s->ni.pid, -1))
		bail("attach %s", name);
	s->id = vos_id_of(s->fd);
	ns_init_go(&s->ni);
}

/* Have @s do @op on (its copy of) @fd; the answer */
static struct ans sub_do(struct sub *s, char op, int fd, const char *data, int len)
{
	struct cmd c = { .op = op, .len = len, .timeout_ms = 5000 };
	struct ans a = { .ret = -999 };

	if (data)
		memcpy(c.data, data, (size_t)len);
	if (send_cmd(s->ctl, &c, fd) || read(s->ctl, &a, sizeof(a)) != sizeof(a))
		a.ret = -998;
	return a;
}

/* ---- the ioctls ------------------------------------------------------------- */

static void chan_req(struct vos_channel_create *cc, uint64_t src, uint64_t dst, int peer_fd)
{
	memset(cc, 0, sizeof(*cc));
	cc->size = sizeof(*cc);
	cc->source = src;
	cc->target = dst;
	cc->peer_fd = peer_fd;
	cc->verdict = VOS_VERDICT_ALLOW;
	snprintf(cc->service, sizeof(cc->service), "test.Echo+arg");
}

static int chan_create(int dev, struct vos_channel_create *cc)
{
	cc->source_fd = cc->target_fd = -1;
	return ioctl(dev, VOS_CHANNEL_CREATE, cc);
}

static void audit_req(struct vos_crossing_audit *a, uint64_t src, uint64_t dst, uint32_t verdict)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->source = src;
	a->target = dst;
	a->verdict = verdict;
	snprintf(a->service, sizeof(a->service), "test.Denied");
}

/* ---- crossing events -------------------------------------------------------- */

struct xev {
	uint32_t phase, verdict;
	uint64_t source, target, channel, out, in, suppressed, seq;
	char source_name[VOS_NAME_MAX], target_name[VOS_NAME_MAX];
	char service[VOS_CROSSING_SERVICE_MAX];
};

#define MAXXEV 256
static struct xev xevs[MAXXEV];
static int nxev;
static struct nl_sock *evsk;

static void nla_str(char *dst, size_t len, struct nlattr *a)
{
	snprintf(dst, len, "%s", a ? nla_get_string(a) : "");
}

static int xev_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	struct xev *e;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL) || nxev >= MAXXEV)
		return NL_SKIP;
	if (attr_u32(tb, VOS_A_EVENT_TYPE) != VOS_EVENT_CROSSING)
		return NL_SKIP;
	e = &xevs[nxev++];
	e->phase = attr_u32(tb, VOS_A_CROSSING_PHASE);
	e->verdict = attr_u32(tb, VOS_A_CROSSING_VERDICT);
	e->source = attr_u64(tb, VOS_A_SUBSYS_ID);
	e->target = attr_u64(tb, VOS_A_CROSSING_TARGET_ID);
	e->channel = attr_u64(tb, VOS_A_CROSSING_CHANNEL);
	e->out = attr_u64(tb, VOS_A_CROSSING_BYTES_OUT);
	e->in = attr_u64(tb, VOS_A_CROSSING_BYTES_IN);
	e->suppressed = attr_u64(tb, VOS_A_CROSSING_SUPPRESSED);
	e->seq = attr_u64(tb, VOS_A_EVENT_SEQ);
	nla_str(e->source_name, sizeof(e->source_name), tb[VOS_A_SUBSYS_NAME]);
	nla_str(e->target_name, sizeof(e->target_name), tb[VOS_A_CROSSING_TARGET_NAME]);
	nla_str(e->service, sizeof(e->service), tb[VOS_A_CROSSING_SERVICE]);
	return NL_OK;
}

static int no_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/* Receive what has arrived (each receive bounded by SO_RCVTIMEO); < 0: none */
static int pump(void)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int r;

	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xev_cb, NULL);
	r = nl_recvmsgs(evsk, cb);
	nl_cb_put(cb);
	return r;
}

/* The crossing event of @channel in @phase (@channel 0: a refused one from
 * @source), waiting at most @ms
 */
static const struct xev *want_xev(uint32_t phase, uint64_t channel, uint64_t source, int ms)
{
	double end = now_ms() + ms;
	int i, from = 0;

	for (;;) {
		for (i = from; i < nxev; i++)
			if (xevs[i].phase == phase && xevs[i].channel == channel &&
			    (channel || xevs[i].source == source))
				return &xevs[i];
		from = nxev;
		if (now_ms() > end)
			return NULL;
		pump();
	}
}

/* ---- the tests -------------------------------------------------------------- */

static void test_log(const struct xev *ev);

static void test_stream(int dev, struct sub *a, struct sub *b, struct sub *c)
{
	struct vos_channel_create cc;
	const struct xev *e;
	struct pollfd p;
	struct ans r;
	char buf[8];

	chan_req(&cc, a->id, b->id, -1);
	if (!ok(chan_create(dev, &cc) == 0, "CREATE A->B"))
		bail("CREATE A->B");
	ok(cc.id > 0 && cc.source_fd >= 0 && cc.target_fd >= 0, "an id and two fds");
	ok(fcntl(cc.source_fd, F_GETFD) & FD_CLOEXEC, "the ends are close-on-exec");
	e = want_xev(VOS_CROSSING_OPENED, cc.id, 0, 2000);
	ok(e && e->source == a->id && e->target == b->id && e->verdict == VOS_VERDICT_ALLOW &&
		   !strcmp(e->service, "test.Echo+arg") && !strcmp(e->source_name, "chan-a") &&
		   !strcmp(e->target_name, "chan-b") && e->out == 0 && e->in == 0,
	   "VOS_EVENT_CROSSING opened: service, source, target, verdict, channel");

	/* the broker (this host process) cannot use what it minted */
	is_errno(read(cc.source_fd, buf, sizeof(buf)), EPERM,
		 "host: read of the source end: EPERM");
	is_errno(write(cc.target_fd, "x", 1), EPERM, "host: write to the target end: EPERM");
	is_errno(ioctl(cc.source_fd, VOS_CHANNEL_SHUTDOWN, 0), EPERM,
		 "host: VOS_CHANNEL_SHUTDOWN: EPERM");
	p.fd = cc.target_fd;
	p.events = POLLIN | POLLOUT;
	is_num(poll(&p, 1, 0), 1, "host: poll answers at once");
	is_num(p.revents, POLLERR, "host: poll: POLLERR only");

	/* leaked into C: useless there */
	r = sub_do(c, 'R', cc.source_fd, NULL, 8);
	is_num(r.ret, -EPERM, "C: read of A's end: EPERM");
	r = sub_do(c, 'W', cc.target_fd, "leak", 4);
	is_num(r.ret, -EPERM, "C: write to B's end: EPERM");
	r = sub_do(c, 'S', cc.target_fd, NULL, 0);
	is_num(r.ret, -EPERM, "C: shutdown of B's end: EPERM");
	/* nor is A's end B's, or B's A's */
	r = sub_do(b, 'R', cc.source_fd, NULL, 8);
	is_num(r.ret, -EPERM, "B: read of A's end: EPERM");

	/* A -> B: 100 bytes, EOF after shutdown; B -> A: 7 bytes */
	{
		char big[100];

		memset(big, 'a', sizeof(big));
		r = sub_do(a, 'W', cc.source_fd, big, 100);
		is_num(r.ret, 100, "A writes 100 bytes");
	}
	r = sub_do(a, 'S', cc.source_fd, NULL, 0);
	is_num(r.ret, 0, "A shuts its direction down");
	r = sub_do(b, 'R', cc.target_fd, NULL, 256);
	ok(r.ret == 100 && r.data[0] == 'a' && r.data[99] == 'a', "B reads the 100 bytes");
	r = sub_do(b, 'R', cc.target_fd, NULL, 256);
	is_num(r.ret, 0, "then EOF");
	r = sub_do(b, 'W', cc.target_fd, "answer!", 7);
	is_num(r.ret, 7, "B writes 7 bytes back");
	r = sub_do(a, 'R', cc.source_fd, NULL, 256);
	ok(r.ret == 7 && !memcmp(r.data, "answer!", 7), "A reads them");
	r = sub_do(a, 'W', cc.source_fd, "more", 4);
	is_num(r.ret, -EPIPE, "A writes after its shutdown: EPIPE");

	/* B closes: A reads EOF, writes EPIPE */
	close(cc.target_fd);
	r = sub_do(a, 'P', cc.source_fd, NULL, 0);
	ok(r.ret & POLLHUP, "B closed: A's poll says POLLHUP");
	is_num(r.ret2, 0, "A reads EOF");
	is_num(r.ret3, -EPIPE, "A's write: EPIPE");
	close(cc.source_fd);
	e = want_xev(VOS_CROSSING_CLOSED, cc.id, 0, 2000);
	ok(e && e->out == 100 && e->in == 7 && e->source == a->id && e->target == b->id,
	   "VOS_EVENT_CROSSING closed: 100 bytes out, 7 in");
	if (e && (e->out != 100 || e->in != 7))
		diag("out %llu in %llu", (unsigned long long)e->out, (unsigned long long)e->in);
	if (e)
		test_log(e);
}

struct logq {
	uint64_t channel;
	uint32_t phase;
	struct xev got;
	int n, found;
	uint64_t last_seq;
	int ordered;
};

static int log_cb(struct nlattr **tb, void *arg)
{
	struct logq *q = arg;
	uint64_t seq = attr_u64(tb, VOS_A_EVENT_SEQ);

	q->n++;
	if (seq <= q->last_seq)
		q->ordered = 0;
	q->last_seq = seq;
	if (attr_u64(tb, VOS_A_CROSSING_CHANNEL) == q->channel &&
	    attr_u32(tb, VOS_A_CROSSING_PHASE) == q->phase) {
		q->found = 1;
		q->got.seq = seq;
		q->got.out = attr_u64(tb, VOS_A_CROSSING_BYTES_OUT);
		q->got.in = attr_u64(tb, VOS_A_CROSSING_BYTES_IN);
		q->got.source = attr_u64(tb, VOS_A_SUBSYS_ID);
		nla_str(q->got.service, sizeof(q->got.service), tb[VOS_A_CROSSING_SERVICE]);
	}
	return NL_OK;
}

/* VOS_CMD_GET_CROSSINGS keeps the last ones: the closed record of @ev */
static void test_log(const struct xev *ev)
{
	struct logq q = { .channel = ev->channel, .phase = VOS_CROSSING_CLOSED, .ordered = 1 };
	struct vnl v;
	int st;
	pid_t pid;

	if (vnl_open(&v))
		bail("genl");
	is_num(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_CROSSINGS, NLM_F_DUMP), log_cb, &q), 0,
	       "VOS_CMD_GET_CROSSINGS dump");
	ok(q.n > 0 && q.n <= 64 && q.ordered, "the kept crossings, at most 64, oldest first (%d)",
	   q.n);
	ok(q.found && q.got.seq == ev->seq && q.got.out == 100 && q.got.in == 7 &&
		   q.got.source == ev->source && !strcmp(q.got.service, "test.Echo+arg"),
	   "the closed record: the event's sequence number, bytes, source, service");
	vnl_close(&v);
	pid = fork();
	if (pid == 0) {
		gid_t g = 65534;

		if (setgroups(1, &g) || setgid(65534) || setuid(65534) || vnl_open(&v))
			_exit(10);
		_exit(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_CROSSINGS, NLM_F_DUMP), NULL, NULL) ==
				      -EPERM
			      ? 0
			      : 11);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "GET_CROSSINGS without CAP_SYS_ADMIN: EPERM");
}

/* An end bound to a host process: that process only */
static void test_host_peer(int dev, struct sub *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vos_channel_create cc;
	int lfd, cfd, go[2], back[2], st;
	const struct xev *e;
	char buf[16];
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", SOCK_PATH);
	unlink(SOCK_PATH);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1) ||
	    pipe(go) || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, back))
		bail("host caller setup");
	pid = fork();
	if (pid == 0) {
		/* the caller: connects, gets its end, talks to B */
		int s = socket(AF_UNIX, SOCK_STREAM, 0), fd = -1;
		struct cmd c;
		char out[8] = "";
		ssize_t n;

		if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(10);
		if (recv_cmd(back[1], &c, &fd) || fd < 0)
			_exit(11);
		if (write(fd, "ping", 4) != 4 || ioctl(fd, VOS_CHANNEL_SHUTDOWN, 0))
			_exit(12);
		n = read(fd, out, sizeof(out));
		_exit(n == 4 && !memcmp(out, "pong", 4) ? 0 : 13);
	}
	cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		bail("accept");

	chan_req(&cc, 0, b->id, lfd);
	is_errno(chan_create(dev, &cc), ENOTCONN, "CREATE: peer_fd a listening socket: ENOTCONN");
	chan_req(&cc, 0, b->id, go[0]);
	is_errno(chan_create(dev, &cc), ENOTSOCK, "CREATE: peer_fd a pipe: ENOTSOCK");
	chan_req(&cc, 0, b->id, cfd);
	if (!ok(chan_create(dev, &cc) == 0, "CREATE @host->B, source end bound to the caller"))
		bail("CREATE host");
	e = want_xev(VOS_CROSSING_OPENED, cc.id, 0, 2000);
	ok(e && e->source == 0 && !strcmp(e->source_name, "@host"),
	   "opened event: source id 0, \"@host\"");
	is_errno(read(cc.source_fd, buf, sizeof(buf)), EPERM,
		 "the broker: read of the caller's end: EPERM");
	{
		struct cmd c = { .op = 'X' };

		if (send_cmd(back[0], &c, cc.source_fd))
			bail("hand the end over");
	}
	close(cc.source_fd);
	{
		struct ans r = sub_do(b, 'R', cc.target_fd, NULL, 256);

		ok(r.ret == 4 && !memcmp(r.data, "ping", 4), "B reads the caller's bytes");
		r = sub_do(b, 'W', cc.target_fd, "pong", 4);
		is_num(r.ret, 4, "B answers");
	}
	close(cc.target_fd);
	is_num(waitpid(pid, &st, 0), pid, "the caller exits");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "the caller wrote, shut down and read its answer");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		diag("caller status %#x", st);
	close(cfd);
	close(lfd);
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
	unlink(SOCK_PATH);
}

static void test_bad_inputs(int dev, struct sub *a, struct sub *b)
{
	struct vos_channel_create cc;
	struct vos_crossing_audit au;
	int fd, st;
	pid_t pid;

	chan_req(&cc, a->id, 999999, -1);
	is_errno(chan_create(dev, &cc), ENOENT, "CREATE: unknown target id: ENOENT");
	chan_req(&cc, 999999, b->id, -1);
	is_errno(chan_create(dev, &cc), ENOENT, "CREATE: unknown source id: ENOENT");
	chan_req(&cc, a->id, a->id, -1);
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: the same id twice: EINVAL");
	chan_req(&cc, a->id, 0, -1);
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: target 0: EINVAL");
	chan_req(&cc, 0, b->id, -1);
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: the host without peer_fd: EINVAL");
	chan_req(&cc, a->id, b->id, -2);
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: peer_fd -2: EINVAL");
	chan_req(&cc, a->id, b->id, 1000);
	is_errno(chan_create(dev, &cc), EBADF, "CREATE: peer_fd not open: EBADF");
	chan_req(&cc, a->id, b->id, -1);
	cc.verdict = VOS_VERDICT_DENY;
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: a denying verdict: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	cc.flags = 1;
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: unknown flags: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	cc.reserved[1] = 1;
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: reserved not 0: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	cc.size = 8;
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: size too small: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	memset(cc.service, 'x', sizeof(cc.service));
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: service not terminated: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	snprintf(cc.service, sizeof(cc.service), "two words");
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: a space in the service: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	cc.service[0] = '\0';
	is_errno(chan_create(dev, &cc), EINVAL, "CREATE: no service: EINVAL");
	chan_req(&cc, a->id, b->id, -1);
	is_errno(ioctl(dev, VOS_CHANNEL_CREATE, (void *)8), EFAULT, "CREATE: bad pointer: EFAULT");

	/* a subsystem without an init yet is not running */
	fd = vos_create(dev, "chan-idle", 0);
	chan_req(&cc, a->id, vos_id_of(fd), -1);
	is_errno(chan_create(dev, &cc), ESRCH, "CREATE: target not running: ESRCH");
	close(fd);

	audit_req(&au, a->id, b->id, VOS_VERDICT_ALLOW);
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL, "AUDIT: verdict allow: EINVAL");
	audit_req(&au, a->id, b->id, VOS_VERDICT_ASK_ALLOWED);
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL, "AUDIT: verdict ask-allowed: EINVAL");
	audit_req(&au, a->id, b->id, 77);
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL, "AUDIT: unknown verdict: EINVAL");
	audit_req(&au, 999999, b->id, VOS_VERDICT_DENY);
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), ENOENT, "AUDIT: unknown source: ENOENT");
	audit_req(&au, a->id, 999999, VOS_VERDICT_DENY);
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), ENOENT, "AUDIT: unknown target: ENOENT");
	audit_req(&au, a->id, b->id, VOS_VERDICT_DENY);
	snprintf(au.target_name, sizeof(au.target_name), "chan-b");
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL,
		 "AUDIT: target id and target_name: EINVAL");
	audit_req(&au, a->id, 0, VOS_VERDICT_DENY);
	snprintf(au.target_name, sizeof(au.target_name), "a\nb");
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL,
		 "AUDIT: a newline in target_name: EINVAL");
	audit_req(&au, a->id, b->id, VOS_VERDICT_DENY);
	au.pad = 1;
	is_errno(ioctl(dev, VOS_CHANNEL_AUDIT, &au), EINVAL, "AUDIT: pad not 0: EINVAL");

	/* only CAP_SYS_ADMIN */
	pid = fork();
	if (pid == 0) {
		struct vos_channel_create c2;
		struct vos_crossing_audit a2;
		gid_t g = 65534;

		if (setgroups(1, &g) || setgid(65534) || setuid(65534))
			_exit(10);
		chan_req(&c2, a->id, b->id, -1);
		audit_req(&a2, a->id, b->id, VOS_VERDICT_DENY);
		if (ioctl(dev, VOS_CHANNEL_CREATE, &c2) != -1 || errno != EPERM)
			_exit(11);
		if (ioctl(dev, VOS_CHANNEL_AUDIT, &a2) != -1 || errno != EPERM)
			_exit(12);
		_exit(0);
	}
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "CREATE and AUDIT without CAP_SYS_ADMIN: EPERM");
}

static void test_audit(int dev, struct sub *a, struct sub *c)
{
	struct vos_crossing_audit au;
	const struct xev *e = NULL;
	int i, n = 0, from, ok_all = 1;
	double end;

	audit_req(&au, a->id, 0, VOS_VERDICT_ASK_TIMEOUT);
	snprintf(au.target_name, sizeof(au.target_name), "@dispvm:web");
	is_num(ioctl(dev, VOS_CHANNEL_AUDIT, &au), 0, "AUDIT a timed-out question");
	e = want_xev(VOS_CROSSING_REFUSED, 0, a->id, 2000);
	ok(e && e->verdict == VOS_VERDICT_ASK_TIMEOUT && e->target == 0 &&
		   !strcmp(e->target_name, "@dispvm:web") && !strcmp(e->service, "test.Denied") &&
		   e->channel == 0 && e->suppressed == 0,
	   "refused event: verdict, target as named, service, no channel");

	/* a flood from C: at most the rate a second gets through */
	from = nxev;
	for (i = 0; i < 40; i++) {
		audit_req(&au, c->id, a->id, VOS_VERDICT_DENY);
		if (ioctl(dev, VOS_CHANNEL_AUDIT, &au))
			ok_all = 0;
	}
	ok(ok_all, "40 AUDITs from C succeed");
	/* they were sent at once: read until the socket has nothing more */
	while (pump() >= 0)
		;
	for (i = from; i < nxev; i++)
		n += xevs[i].phase == VOS_CROSSING_REFUSED && xevs[i].source == c->id;
	ok(n >= VOS_CROSSING_REFUSED_RATE && n <= 2 * VOS_CROSSING_REFUSED_RATE,
	   "a burst of 40: %d reported (the rate, or twice it across a second)", n);
	/* the next window's first report counts what was cut (bounded wait) */
	e = NULL;
	end = now_ms() + 3000;
	while (!e && now_ms() < end) {
		audit_req(&au, c->id, a->id, VOS_VERDICT_DENY);
		ioctl(dev, VOS_CHANNEL_AUDIT, &au);
		from = nxev;
		pump();
		for (i = from; i < nxev && !e; i++)
			if (xevs[i].source == c->id && xevs[i].suppressed)
				e = &xevs[i];
	}
	ok(e && e->suppressed >= 40 - 2 * VOS_CROSSING_REFUSED_RATE,
	   "a later report says how many were suppressed (%llu)",
	   e ? (unsigned long long)e->suppressed : 0ULL);
}

/* Ending A revokes A->B under B's feet */
static void test_revoke(int dev, struct sub *a, struct sub *b, int *a_gone)
{
	struct vos_channel_create cc;
	struct cmd cmd = { .op = 'P', .timeout_ms = 5000 };
	const struct xev *e;
	struct ans r;

	chan_req(&cc, a->id, b->id, -1);
	if (!ok(chan_create(dev, &cc) == 0, "CREATE A->B again"))
		return;
	/* B waits in poll on its end; then A ends */
	if (send_cmd(b->ctl, &cmd, cc.target_fd))
		bail("command B");
	close(cc.target_fd);
	is_num(ioctl(a->fd, VOS_SUBSYS_END, 0), 0, "END A");
	if (read(b->ctl, &r, sizeof(r)) != sizeof(r))
		bail("B's answer");
	ok(r.ret & POLLHUP, "B's poll woke with POLLHUP (revents %#lx)", r.ret);
	is_num(r.ret2, 0, "B's read of the revoked channel: 0");
	is_num(r.ret3, -EPIPE, "B's write: EPIPE");
	e = want_xev(VOS_CROSSING_REVOKED, cc.id, 0, 2000);
	ok(e && e->source == a->id, "VOS_EVENT_CROSSING revoked");
	close(cc.source_fd);
	ok(want_xev(VOS_CROSSING_CLOSED, cc.id, 0, 2000) != NULL, "then closed");
	ns_init_wait(&a->ni);
	close(a->fd);
	*a_gone = 1;
	chan_req(&cc, a->id, b->id, -1);
	ok(chan_create(dev, &cc) == -1 && (errno == ESRCH || errno == ENOENT),
	   "CREATE with an ended source: refused");
}

/* An open channel keeps the module: rmmod says "in use" */
static void test_unload(int dev, struct sub *b, struct sub *c)
{
	struct vos_channel_create cc;
	unsigned long before, during;

	chan_req(&cc, c->id, b->id, -1);
	if (!ok(chan_create(dev, &cc) == 0, "CREATE C->B"))
		return;
	sub_do(b, 'X', -1, NULL, 0);
	sub_do(c, 'X', -1, NULL, 0);
	ns_init_wait(&b->ni);
	ns_init_wait(&c->ni);
	close(b->fd);
	close(c->fd);
	ok(vos_wait_gone(dev, "chan-b", 5000) && vos_wait_gone(dev, "chan-c", 5000),
	   "every subsystem destroyed");
	during = vos_module_refcnt();
	is_errno(syscall(SYS_delete_module, "vos", O_NONBLOCK), EWOULDBLOCK,
		 "delete_module with an open channel: EWOULDBLOCK (in use)");
	before = during;
	close(cc.source_fd);
	close(cc.target_fd);
	/* release runs at return to user space: the count is down by now */
	is_num(vos_module_refcnt(), before - 2, "closing both ends gives the module back");
}

static void test_compat(int fd)
{
	long r;

	/* i386 ioctl is 54, getpid 20 */
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
	if (r != getpid()) {
		ok(1, "compat: kernel without the i386 entry point");
		return;
	}
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(54L), "b"((long)fd), "c"((long)VOS_CHANNEL_SHUTDOWN), "d"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	is_num(r, -EPERM, "compat: VOS_CHANNEL_SHUTDOWN by the host through int 0x80: EPERM");
}

int main(void)
{
	struct timeval tv = { 0, 100000 };
	struct sub a, b, c;
	struct vos_channel_create cc;
	int dev, grp, a_gone = 0;

	printf("TAP version 13\n");
	dev = vos_open_dev();
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_CHANNEL), 1, "VOS_CAP_CHANNEL");
	evsk = nl_socket_alloc();
	if (!evsk || genl_connect(evsk))
		bail("event socket");
	grp = genl_ctrl_resolve_grp(evsk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	nl_socket_disable_seq_check(evsk);
	if (grp < 0 || nl_socket_add_membership(evsk, grp))
		bail("events group");
	setsockopt(nl_socket_get_fd(evsk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	sub_start(dev, &a, "chan-a");
	sub_start(dev, &b, "chan-b");
	sub_start(dev, &c, "chan-c");

	test_stream(dev, &a, &b, &c);
	test_host_peer(dev, &b);
	test_bad_inputs(dev, &a, &b);
	chan_req(&cc, a.id, b.id, -1);
	if (chan_create(dev, &cc) == 0) {
		test_compat(cc.source_fd);
		close(cc.source_fd);
		close(cc.target_fd);
	}
	test_audit(dev, &a, &c);
	test_revoke(dev, &a, &b, &a_gone);
	test_unload(dev, &b, &c);
	if (!a_gone) {
		ioctl(a.fd, VOS_SUBSYS_END, 0);
		ns_init_wait(&a.ni);
	}
	close(dev);
	return tap_done();
}
