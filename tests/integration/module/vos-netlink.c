// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-netlink: the generic netlink family "vos": GET_SUBSYS (do and dump),
 * GET_STATS, bad input with extack messages, and the events group with its
 * sequence numbers.
 */
#include "vostest.h"

struct subsys_attrs {
	uint64_t id, tasks_now, tasks_ever, execs, pidns_inum;
	uint32_t state, flags, owner, net;
	int32_t init_pid;
	char name[VOS_NAME_MAX];
	int seen;
};

static int get_cb(struct nlattr **tb, void *arg)
{
	struct subsys_attrs *a = arg;

	a->seen++;
	a->id = attr_u64(tb, VOS_A_SUBSYS_ID);
	a->tasks_now = attr_u64(tb, VOS_A_SUBSYS_TASKS_NOW);
	a->tasks_ever = attr_u64(tb, VOS_A_SUBSYS_TASKS_EVER);
	a->execs = attr_u64(tb, VOS_A_SUBSYS_EXECS);
	a->pidns_inum = attr_u64(tb, VOS_A_SUBSYS_PIDNS_INUM);
	a->state = attr_u32(tb, VOS_A_SUBSYS_STATE);
	a->flags = attr_u32(tb, VOS_A_SUBSYS_FLAGS);
	a->owner = attr_u32(tb, VOS_A_SUBSYS_OWNER_UID);
	a->net = attr_u32(tb, VOS_A_SUBSYS_NET_POLICY);
	a->init_pid = tb[VOS_A_SUBSYS_INIT_PID] ? (int32_t)nla_get_u32(tb[VOS_A_SUBSYS_INIT_PID])
						: -1;
	snprintf(a->name, sizeof(a->name), "%s",
		 tb[VOS_A_SUBSYS_NAME] ? nla_get_string(tb[VOS_A_SUBSYS_NAME]) : "");
	return NL_OK;
}

static int get_by_id(struct vnl *v, uint64_t id, struct subsys_attrs *a)
{
	struct nl_msg *m = vnl_msg(v, VOS_CMD_GET_SUBSYS, 0);

	memset(a, 0, sizeof(*a));
	nla_put_u64(m, VOS_A_SUBSYS_ID, id);
	return vnl_request(v, m, get_cb, a);
}

static int get_by_name(struct vnl *v, const char *name, struct subsys_attrs *a)
{
	struct nl_msg *m = vnl_msg(v, VOS_CMD_GET_SUBSYS, 0);

	memset(a, 0, sizeof(*a));
	nla_put_string(m, VOS_A_SUBSYS_NAME, name);
	return vnl_request(v, m, get_cb, a);
}

struct dump_state {
	uint64_t ids[3];
	int found[3];
	int total;
};

static int dump_cb(struct nlattr **tb, void *arg)
{
	struct dump_state *d = arg;
	uint64_t id = attr_u64(tb, VOS_A_SUBSYS_ID);
	int i;

	d->total++;
	for (i = 0; i < 3; i++)
		if (d->ids[i] == id)
			d->found[i]++;
	return NL_OK;
}

struct stats {
	uint64_t now, ever, tasks, seq;
};

static int stats_cb(struct nlattr **tb, void *arg)
{
	struct stats *s = arg;

	s->now = attr_u64(tb, VOS_A_STATS_SUBSYS_NOW);
	s->ever = attr_u64(tb, VOS_A_STATS_SUBSYS_EVER);
	s->tasks = attr_u64(tb, VOS_A_STATS_TASKS_NOW);
	s->seq = attr_u64(tb, VOS_A_STATS_EVENT_SEQ);
	return NL_OK;
}

static int get_stats(struct vnl *v, struct stats *s)
{
	memset(s, 0xff, sizeof(*s));
	return vnl_request(v, vnl_msg(v, VOS_CMD_GET_STATS, 0), stats_cb, s);
}

static void test_get(struct vnl *v, int dev)
{
	struct subsys_attrs a;
	struct nl_msg *m;
	char longname[VOS_NAME_MAX + 1];
	int fd, ret;
	uint64_t id;

	fd = vos_create(dev, "nl-get", VOS_SUBSYS_PERSISTENT);
	if (fd < 0)
		bail("create");
	id = vos_id_of(fd);

	is_num(get_by_id(v, id, &a), 0, "GET_SUBSYS by id");
	is_num(a.seen, 1, "one reply");
	is_num(a.id, id, "VOS_A_SUBSYS_ID");
	ok(!strcmp(a.name, "nl-get"), "VOS_A_SUBSYS_NAME");
	is_num(a.state, VOS_STATE_CREATED, "VOS_A_SUBSYS_STATE");
	is_num(a.flags, VOS_SUBSYS_PERSISTENT | VOS_SUBSYS_HOST_IDS, "VOS_A_SUBSYS_FLAGS");
	is_num(a.owner, 0, "VOS_A_SUBSYS_OWNER_UID");
	is_num(a.init_pid, 0, "VOS_A_SUBSYS_INIT_PID 0");
	is_num(a.net, VOS_NET_ISOLATED, "VOS_A_SUBSYS_NET_POLICY");
	is_num(get_by_name(v, "nl-get", &a), 0, "GET_SUBSYS by name");
	is_num(a.id, id, "same id by name");

	ret = get_by_id(v, 1ULL << 40, &a);
	is_num(ret, -ENOENT, "unknown id: ENOENT");
	ok(strstr(v->msg, "VOS_A_SUBSYS_ID") != NULL, "extack names VOS_A_SUBSYS_ID ('%s')",
	   v->msg);
	ok(v->bad_attr_off > 0, "extack points at the attribute");
	ret = get_by_name(v, "nope", &a);
	is_num(ret, -ENOENT, "unknown name: ENOENT");
	ok(strstr(v->msg, "VOS_A_SUBSYS_NAME") != NULL, "extack names VOS_A_SUBSYS_NAME ('%s')",
	   v->msg);
	ret = get_by_name(v, "bad name!", &a);
	is_num(ret, -EINVAL, "invalid name: EINVAL");
	ok(strstr(v->msg, "VOS_A_SUBSYS_NAME") != NULL, "extack names VOS_A_SUBSYS_NAME ('%s')",
	   v->msg);
	memset(longname, 'x', VOS_NAME_MAX);
	longname[VOS_NAME_MAX] = 0;
	ret = get_by_name(v, longname, &a);
	is_num(ret, -EINVAL, "64-char name: EINVAL (policy)");
	ok(v->bad_attr_off > 0, "extack points at the attribute ('%s')", v->msg);

	m = vnl_msg(v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_u64(m, VOS_A_SUBSYS_ID, id);
	nla_put_string(m, VOS_A_SUBSYS_NAME, "nl-get");
	is_num(vnl_request(v, m, NULL, NULL), -EINVAL, "both id and name: EINVAL");
	ok(strstr(v->msg, "not both") != NULL, "extack says so ('%s')", v->msg);
	is_num(vnl_request(v, vnl_msg(v, VOS_CMD_GET_SUBSYS, 0), NULL, NULL), -EINVAL,
	       "neither id nor name: EINVAL");
	ok(strstr(v->msg, "missing attribute") != NULL, "extack says so ('%s')", v->msg);
	m = vnl_msg(v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_u32(m, VOS_A_SUBSYS_ID, (uint32_t)id);
	is_num(vnl_request(v, m, NULL, NULL), -EINVAL, "u32 id (wrong length): EINVAL");
	ok(v->bad_attr_off > 0, "extack points at it ('%s')", v->msg);
	m = vnl_msg(v, VOS_CMD_GET_SUBSYS, 0);
	nla_put_u64(m, VOS_A_SUBSYS_ID, id);
	nla_put_u32(m, VOS_A_MAX + 3, 1);
	is_num(vnl_request(v, m, NULL, NULL), -EINVAL, "unknown attribute: EINVAL");
	m = vnl_msg(v, VOS_CMD_GET_STATS, 0);
	nla_put_u32(m, VOS_A_SUBSYS_FLAGS, 1);
	is_num(vnl_request(v, m, NULL, NULL), -EINVAL, "GET_STATS with an attribute: EINVAL");
	is_num(vnl_request(v, vnl_msg(v, VOS_CMD_MAX + 1, 0), NULL, NULL), -EOPNOTSUPP,
	       "unknown command: EOPNOTSUPP");

	ioctl(fd, VOS_SUBSYS_END, 0);
	close(fd);
	ok(vos_wait_gone(dev, "nl-get", 5000), "gone");
	is_num(get_by_id(v, id, &a), -ENOENT, "destroyed: ENOENT");
}

static void test_dump_stats(struct vnl *v, int dev)
{
	struct dump_state d;
	struct stats s0, s1;
	int fds[3], i;
	char name[32];

	is_num(get_stats(v, &s0), 0, "GET_STATS");
	memset(&d, 0, sizeof(d));
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "nl-dump-%d", i);
		fds[i] = vos_create(dev, name, 0);
		d.ids[i] = vos_id_of(fds[i]);
	}
	is_num(get_stats(v, &s1), 0, "GET_STATS again");
	is_num(s1.now, s0.now + 3, "VOS_A_STATS_SUBSYS_NOW grew by 3");
	is_num(s1.ever, s0.ever + 3, "VOS_A_STATS_SUBSYS_EVER grew by 3");
	is_num(s1.seq, s0.seq + 3, "VOS_A_STATS_EVENT_SEQ grew by 3 (3 CREATED events)");
	is_num(s1.tasks, s0.tasks, "VOS_A_STATS_TASKS_NOW unchanged");
	is_num(vnl_request(v, vnl_msg(v, VOS_CMD_GET_SUBSYS, NLM_F_DUMP), dump_cb, &d), 0, "dump");
	ok(d.found[0] == 1 && d.found[1] == 1 && d.found[2] == 1, "dump lists each new one once");
	is_num(d.total, s1.now, "dump lists all %llu subsystems", (unsigned long long)s1.now);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	for (i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "nl-dump-%d", i);
		vos_wait_gone(dev, name, 5000);
	}
	is_num(get_stats(v, &s1), 0, "GET_STATS after close");
	is_num(s1.now, s0.now, "back to the start");
	is_num(s1.seq, s0.seq + 6, "3 CREATED + 3 DESTROYED events");
}

/* ---- events ---------------------------------------------------------------- */

#define MAXEV 64
struct event {
	uint32_t type;
	uint64_t seq, id;
	int32_t pid, status;
	char comm[32];
};
struct evlog {
	struct event ev[MAXEV];
	int n;
};

static int ev_cb(struct nl_msg *msg, void *arg)
{
	struct evlog *l = arg;
	struct nlattr *tb[VOS_A_MAX + 1];
	struct event *e;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL) || l->n >= MAXEV)
		return NL_SKIP;
	if (((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))->cmd != VOS_CMD_EVENT)
		return NL_SKIP;
	e = &l->ev[l->n++];
	e->type = attr_u32(tb, VOS_A_EVENT_TYPE);
	e->seq = attr_u64(tb, VOS_A_EVENT_SEQ);
	e->id = attr_u64(tb, VOS_A_SUBSYS_ID);
	e->pid = tb[VOS_A_EVENT_PID] ? (int32_t)nla_get_u32(tb[VOS_A_EVENT_PID]) : -1;
	e->status = tb[VOS_A_SUBSYS_EXIT_STATUS]
			    ? (int32_t)nla_get_u32(tb[VOS_A_SUBSYS_EXIT_STATUS])
			    : -1;
	snprintf(e->comm, sizeof(e->comm), "%s",
		 tb[VOS_A_EVENT_COMM] ? nla_get_string(tb[VOS_A_EVENT_COMM]) : "");
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static void drain_events(struct nl_sock *sk, struct evlog *l, int want, int ms)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	double end = now_ms() + ms;

	/* notifications carry sequence number 0 */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ev_cb, l);
	while (l->n < want && now_ms() < end)
		nl_recvmsgs(sk, cb); /* SO_RCVTIMEO bounds each call */
	nl_cb_put(cb);
}

static int fn_exec_sh(void *arg)
{
	char *argv[] = { "sh", "-c", "exit 3", NULL };

	(void)arg;
	execv("/bin/sh", argv);
	return 99;
}

static void test_events(struct vnl *v, int dev)
{
	static const uint32_t want[] = {
		VOS_EVENT_CREATED, VOS_EVENT_ATTACHED, VOS_EVENT_EXEC,
		VOS_EVENT_EXIT,	   VOS_EVENT_STOPPED,  VOS_EVENT_DESTROYED,
	};
	struct timeval tv = { 0, 200000 };
	struct nl_sock *sk = nl_socket_alloc();
	struct evlog *l = calloc(1, sizeof(*l));
	struct ns_init ni;
	struct stats s;
	int grp, fd, i, seq_ok = 1, st;
	uint64_t id;

	(void)v;
	if (!sk || !l || genl_connect(sk))
		bail("event socket");
	grp = genl_ctrl_resolve_grp(sk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	ok(grp > 0, "multicast group '%s' exists", VOS_MCGRP_EVENTS);
	nl_socket_disable_seq_check(sk);
	is_num(nl_socket_add_membership(sk, grp), 0, "root may join the events group");
	setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	fd = vos_create(dev, "nl-events", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_exec_sh, NULL))
		bail("setup");
	id = vos_id_of(fd);
	if (vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("attach");
	ns_init_go(&ni);
	st = ns_init_wait(&ni);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 3, "init (sh -c 'exit 3') exited 3");
	close(fd);
	drain_events(sk, l, 6, 10000);

	is_num(l->n, 6, "6 events");
	for (i = 0; i < l->n && i < 6; i++) {
		is_num(l->ev[i].type, want[i], "event %d type", i);
		is_num(l->ev[i].id, id, "event %d subsystem id", i);
		if (i && l->ev[i].seq != l->ev[i - 1].seq + 1)
			seq_ok = 0;
	}
	ok(seq_ok, "sequence numbers are consecutive");
	if (l->n >= 6) {
		is_num(l->ev[1].pid, 1, "ATTACHED: pid 1 (in its namespace)");
		is_num(l->ev[2].pid, 1, "EXEC: pid 1");
		ok(!strcmp(l->ev[2].comm, "sh"), "EXEC: comm sh ('%s')", l->ev[2].comm);
		is_num(l->ev[3].status, st, "EXIT: wait status");
		is_num(l->ev[4].status, st, "STOPPED: wait status 0x%x", st);
		is_num(l->ev[0].pid, -1, "CREATED: no pid");
	}
	is_num(get_stats(v, &s), 0, "GET_STATS");
	if (l->n)
		is_num(s.seq, l->ev[l->n - 1].seq, "VOS_A_STATS_EVENT_SEQ is the last event's");
	nl_socket_free(sk);
	free(l);
}

int main(void)
{
	struct vnl v;
	int dev = vos_open_dev();

	if (!ok(vnl_open(&v) == 0, "genl family '%s' resolves", VOS_GENL_NAME))
		bail("genl");
	test_get(&v, dev);
	test_dump_stats(&v, dev);
	test_events(&v, dev);
	vnl_close(&v);
	close(dev);
	return tap_done();
}
