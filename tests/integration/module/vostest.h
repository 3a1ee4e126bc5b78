/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vostest.h - helpers for the vos.ko integration tests: TAP output, the
 * ioctl API, fresh PID namespace inits (clone3 + pidfd) and generic netlink
 * (libnl-genl). Header-only: every test is one .c file.
 *
 * The tests run as root in a guest with vos.ko loaded. They never skip: a
 * missing module or device is a failure.
 */
#ifndef VOSTEST_H
#define VOSTEST_H

/* Not every test uses every helper. */
#pragma GCC diagnostic ignored "-Wunused-function"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/netlink.h>
#include <linux/vos.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- TAP ---------------------------------------------------------------- */

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", pass ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!pass)
		tap_failed++;
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

/* expr must fail with errno == err */
#define is_errno(expr, err, ...)                                                                \
	do {                                                                                    \
		long _r;                                                                        \
		errno = 0;                                                                      \
		_r = (long)(expr);                                                              \
		if (!tap_ok(_r == -1 && errno == (err), __VA_ARGS__))                           \
			printf("#   got %ld errno %d (%s), want -1 errno %d (%s)\n", _r, errno, \
			       strerror(errno), (err), strerror(err));                          \
	} while (0)

#define is_num(got, want, ...)                                           \
	do {                                                             \
		long long _g = (long long)(got), _w = (long long)(want); \
		if (!tap_ok(_g == _w, __VA_ARGS__))                      \
			printf("#   got %lld, want %lld\n", _g, _w);     \
	} while (0)

__attribute__((format(printf, 1, 2), noreturn)) static void bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d: %s)\n", errno, strerror(errno));
	fflush(stdout);
	exit(1);
}

__attribute__((format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# failed %d of %d\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ---- ioctl API ------------------------------------------------------------ */

static int vos_open_dev(void)
{
	int fd = open("/dev/vos", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		bail("open /dev/vos (is vos.ko loaded?)");
	return fd;
}

/*
 * The suites attach plain PID-namespace children of root as inits, so
 * their subsystems are made with the creator's host identity
 * (VOS_SUBSYS_HOST_IDS); vos-attach tests the private range itself.
 */
static int vos_create(int dev, const char *name, unsigned int flags)
{
	struct vos_create c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = flags | VOS_SUBSYS_HOST_IDS;
	snprintf(c.name, sizeof(c.name), "%s", name);
	return ioctl(dev, VOS_CREATE_SUBSYS, &c);
}

/* A subsystem made with exactly @flags (so without VOS_SUBSYS_HOST_IDS, a
 * private id range); @c gets the kernel's answer (id, id_base, id_count).
 */
static int vos_create_ranged(int dev, const char *name, unsigned int flags, struct vos_create *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = flags;
	snprintf(c->name, sizeof(c->name), "%s", name);
	return ioctl(dev, VOS_CREATE_SUBSYS, c);
}

static int vos_create_net(int dev, const char *name, unsigned int flags, unsigned int net)
{
	struct vos_create c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = flags | VOS_SUBSYS_HOST_IDS;
	c.policy.net = net;
	snprintf(c.name, sizeof(c.name), "%s", name);
	return ioctl(dev, VOS_CREATE_SUBSYS, &c);
}

static int vos_open_name(int dev, const char *name)
{
	struct vos_open o;

	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_NAME;
	snprintf(o.name, sizeof(o.name), "%s", name);
	return ioctl(dev, VOS_OPEN_SUBSYS, &o);
}

static int vos_open_id(int dev, uint64_t id)
{
	struct vos_open o;

	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_ID;
	o.id = id;
	return ioctl(dev, VOS_OPEN_SUBSYS, &o);
}

static int vos_info(int fd, struct vos_subsys_info *i)
{
	memset(i, 0, sizeof(*i));
	i->size = sizeof(*i);
	return ioctl(fd, VOS_SUBSYS_INFO, i);
}

static int vos_attach(int fd, int pidfd, pid_t pid, int cgroup_fd)
{
	struct vos_attach a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.pidfd = pidfd;
	a.pid = pid;
	a.cgroup_fd = cgroup_fd;
	return ioctl(fd, VOS_SUBSYS_ATTACH, &a);
}

static int vos_signal(int fd, int signo, unsigned int flags)
{
	struct vos_signal s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.signo = signo;
	s.flags = flags;
	return ioctl(fd, VOS_SUBSYS_SIGNAL, &s);
}

static uint64_t vos_id_of(int fd)
{
	struct vos_subsys_info i;

	if (vos_info(fd, &i))
		bail("VOS_SUBSYS_INFO");
	return i.id;
}

/* Wait up to @ms for tasks_now == @n. */
static int vos_wait_tasks(int fd, uint64_t n, int ms)
{
	double end = now_ms() + ms;
	struct vos_subsys_info i;

	for (;;) {
		if (vos_info(fd, &i))
			return 0;
		if (i.tasks_now == n)
			return 1;
		if (now_ms() > end)
			return 0;
		sleep_ms(5);
	}
}

static unsigned long vos_module_refcnt(void)
{
	unsigned long n = ~0UL;
	FILE *f = fopen("/sys/module/vos/refcnt", "r");

	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = ~0UL;
		fclose(f);
	}
	return n;
}

/* ---- a fresh PID namespace init ------------------------------------------- */

struct ns_init {
	pid_t pid;
	int pidfd;
	int go; /* write end: one byte starts fn */
};

typedef int (*ns_fn)(void *arg);

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

/*
 * The init does not exec, so O_CLOEXEC does not close the subsystem fds it
 * inherited; holding one would keep an ephemeral subsystem alive (as it
 * should). Close them, and /dev/vos, like an exec would.
 */
static void close_vos_fds(void)
{
	char path[64], target[64];
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (!strcmp(target, "anon_inode:vos-subsys") || !strcmp(target, "/dev/vos"))
			close(fd);
	}
}

static pid_t sys_clone3(struct clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

/*
 * Start pid 1 of a new PID namespace (and network namespace unless
 * @flags says otherwise); it waits for ns_init_go(), then returns fn(arg) as
 * its exit status.
 */
static int ns_init_start(struct ns_init *ni, unsigned long long flags, ns_fn fn, void *arg)
{
	struct clone_args ca;
	int pipefd[2];
	int pidfd = -1;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	memset(&ca, 0, sizeof(ca));
	ca.flags = CLONE_PIDFD | CLONE_NEWPID | flags;
	ca.pidfd = (uintptr_t)&pidfd;
	ca.exit_signal = SIGCHLD;
	pid = sys_clone3(&ca);
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (pid == 0) {
		char c;

		close(pipefd[1]);
		close_vos_fds();
		if (read(pipefd[0], &c, 1) != 1)
			_exit(100);
		close(pipefd[0]);
		_exit(fn(arg));
	}
	close(pipefd[0]);
	ni->pid = pid;
	ni->pidfd = pidfd;
	ni->go = pipefd[1];
	return 0;
}

static void ns_init_go(struct ns_init *ni)
{
	if (write(ni->go, "g", 1) != 1)
		bail("ns_init_go");
	close(ni->go);
	ni->go = -1;
}

/* Reap the init; returns its wait status. */
static int ns_init_wait(struct ns_init *ni)
{
	int status = -1;

	if (ni->go >= 0) {
		close(ni->go);
		ni->go = -1;
	}
	if (waitpid(ni->pid, &status, 0) != ni->pid)
		status = -1;
	close(ni->pidfd);
	return status;
}

static int fn_exit0(void *arg)
{
	(void)arg;
	return 0;
}

static int fn_exit_code(void *arg)
{
	return (int)(intptr_t)arg;
}

/* ---- generic netlink (libnl-genl) ------------------------------------------ */

struct vnl {
	struct nl_sock *sk;
	int family;
	int err;	  /* last netlink error (negative errno) */
	char msg[256];	  /* last extack message */
	int bad_attr_off; /* extack offset, 0 if none */
};

static int vnl_open(struct vnl *v)
{
	int one = 1;

	memset(v, 0, sizeof(*v));
	v->sk = nl_socket_alloc();
	if (!v->sk)
		return -1;
	if (genl_connect(v->sk))
		return -1;
	/* replies and errors only: an ACK after a reply would be read as the
	 * answer to the next request
	 */
	nl_socket_disable_auto_ack(v->sk);
	setsockopt(nl_socket_get_fd(v->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	v->family = genl_ctrl_resolve(v->sk, VOS_GENL_NAME);
	return v->family < 0 ? -1 : 0;
}

static void vnl_close(struct vnl *v)
{
	nl_socket_free(v->sk);
}

static int vnl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct vnl *v = arg;
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t off, len = h->nlmsg_len - NLMSG_HDRLEN;
	struct nlattr *a;

	(void)nla;
	v->err = e->error;
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*e);
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= len) {
		a = (struct nlattr *)((char *)e + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(v->msg, sizeof(v->msg), "%.*s", (int)(a->nla_len - NLA_HDRLEN),
				 (char *)a + NLA_HDRLEN);
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_OFFS)
			memcpy(&v->bad_attr_off, (char *)a + NLA_HDRLEN, 4);
		off += NLA_ALIGN(a->nla_len);
	}
	return NL_STOP;
}

typedef int (*vnl_msg_fn)(struct nlattr **tb, void *arg);

struct vnl_walk {
	vnl_msg_fn fn;
	void *arg;
};

static int vnl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct vnl_walk *w = arg;
	struct nlattr *tb[VOS_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL))
		return NL_SKIP;
	return w->fn ? w->fn(tb, w->arg) : NL_OK;
}

/*
 * Send @msg (consumed) and receive replies, calling @fn for each. Returns 0
 * or the netlink error (negative errno), also kept in v->err with extack.
 */
static int vnl_request(struct vnl *v, struct nl_msg *msg, vnl_msg_fn fn, void *arg)
{
	struct vnl_walk w = { fn, arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	v->err = 0;
	v->msg[0] = 0;
	v->bad_attr_off = 0;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, vnl_valid_cb, &w);
	nl_cb_err(cb, NL_CB_CUSTOM, vnl_err_cb, v);
	ret = nl_send_auto(v->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	ret = nl_recvmsgs(v->sk, cb);
	nl_cb_put(cb);
	if (v->err)
		return v->err;
	return ret < 0 ? -EIO : 0;
}

static struct nl_msg *vnl_msg(struct vnl *v, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, v->family, 0, flags, cmd,
				 VOS_GENL_VERSION))
		bail("nlmsg_alloc");
	return msg;
}

static uint64_t attr_u64(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : ~0ULL;
}

static uint32_t attr_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : ~0U;
}

/*
 * Wait up to @ms for the subsystem @name to be destroyed (that is async: a
 * work item, once the last task is gone). Asks netlink, which also shows
 * ended subsystems that VOS_OPEN_SUBSYS no longer opens.
 */
static int vos_wait_gone(int dev, const char *name, int ms)
{
	static struct vnl v;
	static int have_v;
	double end = now_ms() + ms;

	(void)dev;
	if (!have_v) {
		if (vnl_open(&v))
			bail("genl family %s", VOS_GENL_NAME);
		have_v = 1;
	}
	for (;;) {
		struct nl_msg *m = vnl_msg(&v, VOS_CMD_GET_SUBSYS, 0);
		int ret;

		nla_put_string(m, VOS_A_SUBSYS_NAME, name);
		ret = vnl_request(&v, m, NULL, NULL);
		if (ret == -ENOENT)
			return 1;
		if (ret)
			diag("GET_SUBSYS %s: %d", name, ret);
		if (now_ms() > end)
			return 0;
		sleep_ms(5);
	}
}

#endif /* VOSTEST_H */
