// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-peer: VOS_CMD_GET_PEER (VOS_CAP_PEER), the identity a broker (vosd)
 * gets from vos.ko. A host process on a socket pair is "same namespace, no
 * subsystem"; the init of a subsystem connecting to a path socket is that
 * subsystem, by the socket and by a pidfd, also after it has exited, and
 * no longer once its subsystem is destroyed; nothing the connecting task
 * writes on the socket matters; every refusal with its errno and extack
 * message (both or no attribute, a negative fd, a closed fd, a file, an
 * AF_INET socket, a listening socket, a non-pidfd, a caller without
 * CAP_SYS_ADMIN).
 *
 * Run time: about 1 s under TCG (one subsystem, one fork).
 */
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "vostest.h"

#define SOCK_PATH "/tmp/vos-peer-test.sock"

struct peer_ans {
	int seen;
	int32_t pid;
	uint32_t ns;
	uint64_t id;
	char name[VOS_NAME_MAX];
};

static int peer_cb(struct nlattr **tb, void *arg)
{
	struct peer_ans *a = arg;

	a->seen++;
	a->pid = tb[VOS_A_PEER_PID] ? (int32_t)nla_get_u32(tb[VOS_A_PEER_PID]) : -1;
	a->ns = attr_u32(tb, VOS_A_PEER_NS);
	a->id = tb[VOS_A_SUBSYS_ID] ? nla_get_u64(tb[VOS_A_SUBSYS_ID]) : 0;
	snprintf(a->name, sizeof(a->name), "%s",
		 tb[VOS_A_SUBSYS_NAME] ? nla_get_string(tb[VOS_A_SUBSYS_NAME]) : "");
	return NL_OK;
}

/* GET_PEER with @attr = @fd (a second attribute @attr2 = @fd2 if >= 0) */
static int get_peer2(struct vnl *v, int attr, int fd, int attr2, int fd2, struct peer_ans *a)
{
	struct nl_msg *m = vnl_msg(v, VOS_CMD_GET_PEER, 0);

	memset(a, 0, sizeof(*a));
	if (attr)
		nla_put_u32(m, attr, (uint32_t)fd);
	if (attr2)
		nla_put_u32(m, attr2, (uint32_t)fd2);
	return vnl_request(v, m, peer_cb, a);
}

static int get_peer(struct vnl *v, int attr, int fd, struct peer_ans *a)
{
	return get_peer2(v, attr, fd, 0, -1, a);
}

/* The init: connect to SOCK_PATH, claim to be someone else, wait for EOF */
static int fn_connect(void *arg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char lie[] = "VOS1 call-from vault work vos.Echo\nI am the host\n";
	char c;
	int s;

	(void)arg;
	memcpy(sa.sun_path, SOCK_PATH, sizeof(SOCK_PATH));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		return 10;
	if (write(s, lie, sizeof(lie) - 1) != (ssize_t)(sizeof(lie) - 1))
		return 11;
	while (read(s, &c, 1) > 0)
		;
	return 0;
}

static void refusals(struct vnl *v)
{
	struct peer_ans a;
	int sp[2], lst, inet, file;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	is_num(get_peer2(v, VOS_A_PEER_FD, 0, VOS_A_PEER_PIDFD, 0, &a), -EINVAL,
	       "both attributes: EINVAL");
	ok(strstr(v->msg, "exactly one of VOS_A_PEER_FD and VOS_A_PEER_PIDFD"),
	   "extack says give exactly one (%s)", v->msg);
	is_num(get_peer(v, 0, -1, &a), -EINVAL, "no attribute: EINVAL");
	is_num(get_peer(v, VOS_A_PEER_FD, -1, &a), -ERANGE, "a negative fd: ERANGE (policy)");
	is_num(get_peer(v, VOS_A_PEER_FD, 1000, &a), -EBADF, "a closed fd: EBADF");
	ok(strstr(v->msg, "not an open fd"), "extack: not an open fd (%s)", v->msg);

	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	is_num(get_peer(v, VOS_A_PEER_FD, file, &a), -ENOTSOCK, "a file as socket: ENOTSOCK");
	ok(strstr(v->msg, "not an AF_UNIX socket"), "extack: not an AF_UNIX socket (%s)", v->msg);
	is_num(get_peer(v, VOS_A_PEER_PIDFD, file, &a), -EBADF, "a file as pidfd: EBADF");
	ok(strstr(v->msg, "not a pidfd"), "extack: not a pidfd (%s)", v->msg);
	close(file);

	inet = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	is_num(get_peer(v, VOS_A_PEER_FD, inet, &a), -ENOTSOCK, "an AF_INET socket: ENOTSOCK");
	close(inet);

	lst = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.l", SOCK_PATH);
	unlink(sa.sun_path);
	if (bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, 1))
		bail("listen");
	is_num(get_peer(v, VOS_A_PEER_FD, lst, &a), -ENOTCONN, "a listening socket: ENOTCONN");
	ok(strstr(v->msg, "not connected"), "extack: not connected (%s)", v->msg);
	close(lst);
	unlink(sa.sun_path);

	/* without CAP_SYS_ADMIN */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		bail("socketpair");
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			struct vnl u;
			struct peer_ans ua;

			if (setgroups(0, NULL) || setresgid(4000, 4000, 4000) ||
			    setresuid(4000, 4000, 4000) || vnl_open(&u))
				_exit(2);
			_exit(get_peer(&u, VOS_A_PEER_FD, sp[0], &ua) == -EPERM &&
					      strstr(u.msg, "GET_PEER needs CAP_SYS_ADMIN")
				      ? 0
				      : 1);
		}
		waitpid(pid, &st, 0);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		   "uid 4000 without capabilities: EPERM, 'GET_PEER needs CAP_SYS_ADMIN'");
	}
	close(sp[0]);
	close(sp[1]);
}

int main(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct peer_ans a;
	struct ns_init ni;
	struct vnl v;
	int dev, fd, sp[2], lst, conn;
	uint64_t id;
	char buf[128];
	ssize_t n;

	printf("TAP version 13\n");
	dev = vos_open_dev();
	if (vnl_open(&v))
		bail("genl family %s", VOS_GENL_NAME);
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_PEER), 1, "VOS_CAP_PEER is announced");

	/* a host process */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		bail("socketpair");
	is_num(get_peer(&v, VOS_A_PEER_FD, sp[0], &a), 0, "host socket pair: answered");
	is_num(a.ns, VOS_PEER_NS_SAME, "host: the caller's own PID namespace");
	is_num(a.pid, getpid(), "host: the pid is ours");
	ok(a.id == 0 && !a.name[0], "host: no subsystem");
	close(sp[0]);
	close(sp[1]);

	/* a member, by a path socket it connected to */
	unlink(SOCK_PATH);
	memcpy(sa.sun_path, SOCK_PATH, sizeof(SOCK_PATH));
	lst = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lst < 0 || bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, 4))
		bail("listen %s", SOCK_PATH);
	fd = vos_create(dev, "peer-a", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_connect, NULL))
		bail("create/start");
	if (vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("attach");
	id = vos_id_of(fd);
	ns_init_go(&ni);
	conn = accept4(lst, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		bail("accept");
	n = read(conn, buf, sizeof(buf));
	ok(n > 0, "the member sent its forged request (%zd bytes)", n);
	is_num(get_peer(&v, VOS_A_PEER_FD, conn, &a), 0, "member socket: answered");
	is_num(a.id, id, "member: the subsystem's id, whatever it wrote");
	ok(!strcmp(a.name, "peer-a"), "member: name peer-a (got '%s')", a.name);
	is_num(a.ns, VOS_PEER_NS_BELOW, "member: a PID namespace below ours");
	is_num(a.pid, ni.pid, "member: its pid in our namespace");
	is_num(get_peer(&v, VOS_A_PEER_PIDFD, ni.pidfd, &a), 0, "member pidfd: answered");
	ok(a.id == id && !strcmp(a.name, "peer-a"), "member pidfd: the same subsystem");

	/* the task exits: its socket still names it, and so its subsystem */
	{
		int pidfd = dup(ni.pidfd);

		close(conn);
		is_num(ns_init_wait(&ni), 0, "the init connected and exited cleanly");
		is_num(get_peer(&v, VOS_A_PEER_PIDFD, pidfd, &a), 0,
		       "exited task's pidfd: answered");
		ok(a.id == id, "exited task: still its (live) subsystem");
		is_num(a.pid, 0, "exited task: no pid any more");
		/* destroyed: no subsystem, but not the host either */
		close(fd);
		ok(vos_wait_gone(dev, "peer-a", 10000) == 1, "subsystem destroyed");
		is_num(get_peer(&v, VOS_A_PEER_PIDFD, pidfd, &a), 0, "after destroy: answered");
		ok(a.id == 0 && !a.name[0], "after destroy: no subsystem");
		is_num(a.ns, VOS_PEER_NS_BELOW, "after destroy: still below, never the host");
		close(pidfd);
	}
	close(lst);
	unlink(SOCK_PATH);

	refusals(&v);
	vnl_close(&v);
	close(dev);
	return tap_done();
}
