// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-netrules: the network rules vos.ko enforces at the far end of a
 * subsystem's link (VOS_SUBSYS_SET_LINK, _SET_RULES, _GET_RULES).
 *
 * Topology, made here with ip(8): two subsystems A and B, each an init in a
 * network namespace of its own, each with a veth whose far end is in this
 * (the host's) namespace: vnrA 10.99.1.1/30 <-> eth0 10.99.1.2 in A, and
 * vnrB 10.99.2.1/30 <-> eth0 10.99.2.2 in B, forwarding on. Packets are
 * sent from inside by a child that joined the namespace (setns), so they
 * leave through the subsystem's eth0 like any app's.
 *
 * No timeouts: a packet that must not arrive is followed by a marker on the
 * same link that must; one queue per link keeps them in order, so once the
 * marker is read the packet before it was delivered or dropped.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "vostest.h"

static int fn_pause(void *arg)
{
	(void)arg;
	pause();
	return 0;
}

/*
 * The set-up runs ip(8) once per network namespace and step, with every
 * command of the step in one "ip -batch", and writes sysctls itself: under
 * the debug kernel each exec costs about half a second, and a shell, nsenter
 * and sysctl for every command made this suite's set-up most of its time.
 */

/* In the calling process's network namespace: /proc/sys/KEY = VAL. */
static void sysctl_w(const char *key, const char *val)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		bail("write %s to %s", val, path);
	close(fd);
}

/* Enter the network namespace of PID (0: stay), in a child. */
static void child_netns(pid_t pid)
{
	char path[64];
	int fd;

	if (!pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		_exit(126);
	close(fd);
}

/*
 * ip_run(PID, SYSCTLS, QUIET, CMDS): in the network namespace of PID (0:
 * this one) write SYSCTLS ("key=value" with the key as a path below
 * /proc/sys, NULL-terminated, or NULL), then run CMDS, newline-separated
 * ip(8) commands, through one "ip -batch -" (QUIET: "ip -force -batch -"
 * with stderr to /dev/null). Returns ip's wait status, -1 if not run.
 */
static int ip_run(pid_t pid, const char *const *sysctls, bool quiet, const char *cmds)
{
	size_t len = strlen(cmds);
	int pfd[2], st;
	char kv[256];
	pid_t c;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	c = fork();
	if (c < 0)
		return -1;
	if (c == 0) {
		child_netns(pid);
		for (; sysctls && *sysctls; sysctls++) {
			char *eq;

			snprintf(kv, sizeof(kv), "%s", *sysctls);
			eq = strchr(kv, '=');
			if (!eq)
				_exit(125);
			*eq = '\0';
			sysctl_w(kv, eq + 1);
		}
		if (dup2(pfd[0], 0) < 0)
			_exit(126);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null < 0 || dup2(null, 2) < 0)
				_exit(126);
			execlp("ip", "ip", "-force", "-batch", "-", (char *)NULL);
		}
		execlp("ip", "ip", "-batch", "-", (char *)NULL);
		_exit(127);
	}
	close(pfd[0]);
	if (write(pfd[1], cmds, len) != (ssize_t)len)
		bail("write to ip -batch");
	close(pfd[1]);
	return waitpid(c, &st, 0) == c ? st : -1;
}

/* ip_run() with the commands formatted, bailing when any of it fails. */
static void ip_in(pid_t pid, const char *const *sysctls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ip_in(pid_t pid, const char *const *sysctls, const char *fmt, ...)
{
	char cmds[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmds, sizeof(cmds), fmt, ap);
	va_end(ap);
	st = ip_run(pid, sysctls, false, cmds);
	if (st)
		bail("in the netns of %d (status %#x): %s%s%s", (int)pid, st,
		     sysctls && *sysctls ? *sysctls : "", sysctls && *sysctls ? "; " : "", cmds);
}

struct box {
	const char *name, *host_if, *host_ip, *in_ip;
	int fd;
	struct ns_init ni;
	uint64_t id;
	unsigned int ifindex;
};

static void box_up(int dev, struct box *b)
{
	b->fd = vos_create(dev, b->name, 0);
	if (b->fd < 0 || ns_init_start(&b->ni, CLONE_NEWNET, fn_pause, NULL) ||
	    vos_attach(b->fd, b->ni.pidfd, b->ni.pid, -1))
		bail("subsystem %s", b->name);
	b->id = vos_id_of(b->fd);
	ip_in(0, NULL,
	      "link add %s type veth peer name eth0 netns %d\naddr add %s/30 dev %s\nlink set %s up\n",
	      b->host_if, (int)b->ni.pid, b->host_ip, b->host_if, b->host_if);
	ip_in(b->ni.pid, (const char *const[]){ "net/ipv6/conf/eth0/disable_ipv6=1", NULL },
	      "addr add %s/30 dev eth0\nlink set eth0 up\nlink set lo up\nroute add default via %s\n",
	      b->in_ip, b->host_ip);
	b->ifindex = if_nametoindex(b->host_if);
	if (!b->ifindex)
		bail("ifindex of %s", b->host_if);
}

static int set_link(struct box *b, int netns_fd, unsigned int ifindex, const char *addr)
{
	struct vos_link l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.netns_fd = netns_fd;
	l.ifindex = ifindex;
	l.addr4 = addr ? inet_addr(addr) : 0;
	return ioctl(b->fd, VOS_SUBSYS_SET_LINK, &l) < 0 ? -errno : 0;
}

static int set_rules(struct box *b, uint32_t policy, struct vos_rule *r, uint32_t n)
{
	struct vos_rules rs;

	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	rs.policy = policy;
	rs.count = n;
	rs.rules = (uintptr_t)r;
	return ioctl(b->fd, VOS_SUBSYS_SET_RULES, &rs) < 0 ? -errno : 0;
}

static int get_rules(struct box *b, struct vos_rules *rs, struct vos_rule *r, uint32_t room)
{
	memset(rs, 0, sizeof(*rs));
	rs->size = sizeof(*rs);
	rs->count = room;
	rs->rules = (uintptr_t)r;
	return ioctl(b->fd, VOS_SUBSYS_GET_RULES, rs) < 0 ? -errno : 0;
}

static struct vos_rule rule(uint32_t action, uint32_t proto, const char *cidr, uint32_t port)
{
	struct vos_rule r;

	memset(&r, 0, sizeof(r));
	r.action = action;
	r.proto = proto;
	r.icmp_type = -1;
	if (cidr) {
		char ip[32];
		const char *slash = strchr(cidr, '/');

		snprintf(ip, sizeof(ip), "%.*s", (int)(slash - cidr), cidr);
		r.dst_addr = inet_addr(ip);
		r.dst_prefix = atoi(slash + 1);
	}
	r.port_min = r.port_max = port;
	return r;
}

/* A UDP socket on the host bound to IP:PORT. */
static int listener(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = inet_addr(ip);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		bail("bind %s:%d", ip, port);
	return s;
}

/* Send one datagram "MSG" from inside @b (source @src, or the link's) to
 * DST:PORT; 0 if sendto() said it went.
 */
static int send_from(struct box *b, const char *src, const char *dst, int port, const char *msg)
{
	char path[64];
	pid_t p;
	int st;

	p = fork();
	if (p == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		int nsfd, s;

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)b->ni.pid);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
			_exit(2);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (src) {
			struct sockaddr_in me = { .sin_family = AF_INET };

			me.sin_addr.s_addr = inet_addr(src);
			if (bind(s, (struct sockaddr *)&me, sizeof(me)) < 0)
				_exit(3);
		}
		a.sin_addr.s_addr = inet_addr(dst);
		_exit(sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a)) < 0 ? 4 : 0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Read datagrams on @s until @marker arrives; did @probe come before it? */
static bool got_before_marker(int s, const char *probe, const char *marker)
{
	char buf[64];
	bool seen = false;
	ssize_t n;

	for (;;) {
		struct pollfd pf = { .fd = s, .events = POLLIN };

		/* the marker must come: a generous bound, not a wait for
		 * something that should not happen
		 */
		if (poll(&pf, 1, 10000) != 1)
			bail("marker '%s' never arrived", marker);
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			bail("recv");
		buf[n] = '\0';
		if (!strcmp(buf, probe))
			seen = true;
		if (!strcmp(buf, marker))
			return seen;
	}
}

/* ---- drop events --------------------------------------------------------- */

struct net_ev {
	uint64_t id, suppressed;
	uint32_t reason, rule, proto, saddr, daddr, sport, dport;
	uint8_t saddr6[16], daddr6[16]; /* an IPv6 drop's */
	bool has6;
	bool seen;
};

static int net_ev_cb(struct nl_msg *msg, void *arg)
{
	struct net_ev *e = arg;
	struct nlattr *tb[VOS_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL) ||
	    attr_u32(tb, VOS_A_EVENT_TYPE) != VOS_EVENT_NET_DENIED ||
	    attr_u64(tb, VOS_A_SUBSYS_ID) != e->id || e->seen)
		return NL_SKIP;
	e->seen = true;
	e->reason = attr_u32(tb, VOS_A_EVENT_NET_REASON);
	e->rule = attr_u32(tb, VOS_A_EVENT_NET_RULE);
	e->proto = attr_u32(tb, VOS_A_EVENT_NET_PROTO);
	e->saddr = attr_u32(tb, VOS_A_EVENT_NET_SADDR);
	e->daddr = attr_u32(tb, VOS_A_EVENT_NET_DADDR);
	e->sport = attr_u32(tb, VOS_A_EVENT_NET_SPORT);
	e->dport = attr_u32(tb, VOS_A_EVENT_NET_DPORT);
	e->suppressed = attr_u64(tb, VOS_A_EVENT_NET_SUPPRESSED);
	e->has6 = tb[VOS_A_NET6_SADDR] && tb[VOS_A_NET6_DADDR] &&
		  nla_len(tb[VOS_A_NET6_SADDR]) == 16 && nla_len(tb[VOS_A_NET6_DADDR]) == 16;
	if (e->has6) {
		memcpy(e->saddr6, nla_data(tb[VOS_A_NET6_SADDR]), 16);
		memcpy(e->daddr6, nla_data(tb[VOS_A_NET6_DADDR]), 16);
	}
	return NL_OK;
}

static int no_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static struct nl_sock *events_join(void)
{
	struct timeval tv = { 0, 200000 };
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	if (!sk || genl_connect(sk))
		bail("event socket");
	grp = genl_ctrl_resolve_grp(sk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	nl_socket_disable_seq_check(sk);
	if (grp < 0 || nl_socket_add_membership(sk, grp))
		bail("join the events group");
	setsockopt(nl_socket_get_fd(sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return sk;
}

/* The first VOS_EVENT_NET_DENIED of subsystem @id: it must come (the
 * module sends it within a tenth of a second); 10 s only bounds a hang.
 */
static struct net_ev next_net_event(struct nl_sock *sk, uint64_t id)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	struct net_ev e = { .id = id };
	double end = now_ms() + 10000;

	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, net_ev_cb, &e);
	while (!e.seen && now_ms() < end)
		nl_recvmsgs(sk, cb);
	nl_cb_put(cb);
	return e;
}

static void test_bad_input(struct box *a, struct box *b)
{
	struct vos_rule r[2];
	struct vos_link l;
	int lo = if_nametoindex("lo");

	is_num(set_link(a, -1, 0, "10.99.1.2"), -EINVAL, "SET_LINK: ifindex 0: EINVAL");
	is_num(set_link(a, -1, a->ifindex, NULL), -EINVAL, "SET_LINK: no address: EINVAL");
	is_num(set_link(a, -1, 999999, "10.99.1.2"), -ENODEV, "SET_LINK: no such device: ENODEV");
	is_num(set_link(a, -1, lo, "10.99.1.2"), -EINVAL, "SET_LINK: not a veth (lo): EINVAL");
	is_num(set_link(a, -1, b->ifindex, "10.99.1.2"), -EINVAL,
	       "SET_LINK: a veth that leads to another subsystem: EINVAL");
	ip_in(0, NULL, "link add vnrX type veth peer name vnrY\n");
	is_num(set_link(a, -1, if_nametoindex("vnrX"), "10.99.1.2"), -EINVAL,
	       "SET_LINK: a veth with both ends on the host: EINVAL");
	ip_in(0, NULL, "link del vnrX\n");
	is_num(set_link(a, 9999, a->ifindex, "10.99.1.2"), -EBADF, "SET_LINK: bad netns fd: EBADF");
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.netns_fd = -1;
	l.ifindex = a->ifindex;
	l.addr4 = inet_addr("10.99.1.2");
	l.reserved = 1;
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL, "SET_LINK: reserved set: EINVAL");
	l.reserved = 0;
	l.range4 = inet_addr("10.99.64.0");
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL,
		 "SET_LINK: a range without a prefix: EINVAL");
	l.range_prefix = 30;
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL,
		 "SET_LINK: range prefix 30 (no room for two links): EINVAL");
	l.range_prefix = 7;
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL, "SET_LINK: range prefix 7: EINVAL");
	l.range_prefix = 16;
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL,
		 "SET_LINK: range with host bits set: EINVAL");
	l.range4 = inet_addr("10.99.0.0");
	is_errno(ioctl(a->fd, VOS_SUBSYS_SET_LINK, &l), EINVAL,
		 "SET_LINK: the link's own address inside its client range: EINVAL");

	r[0] = rule(3, 0, NULL, 0);
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL, "SET_RULES: action 3: EINVAL");
	r[0] = rule(VOS_RULE_DROP, 47, NULL, 0);
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL, "SET_RULES: proto GRE: EINVAL");
	r[0] = rule(VOS_RULE_DROP, 0, "10.0.0.1/8", 0);
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL,
	       "SET_RULES: host bits past the prefix: EINVAL");
	r[0] = rule(VOS_RULE_DROP, 0, "10.0.0.0/33", 0);
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL, "SET_RULES: prefix 33: EINVAL");
	r[0] = rule(VOS_RULE_DROP, 0, NULL, 53);
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL,
	       "SET_RULES: ports without tcp/udp: EINVAL");
	r[0] = rule(VOS_RULE_DROP, IPPROTO_UDP, NULL, 0);
	r[0].port_min = 10;
	r[0].port_max = 9;
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL,
	       "SET_RULES: port range reversed: EINVAL");
	r[0] = rule(VOS_RULE_DROP, IPPROTO_UDP, NULL, 0);
	r[0].icmp_type = 8;
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL, "SET_RULES: icmp type on udp: EINVAL");
	r[0] = rule(VOS_RULE_DROP, 0, "10.0.0.0/8", 0);
	r[0].dst_subsys = b->id;
	is_num(set_rules(a, VOS_RULE_ACCEPT, r, 1), -EINVAL,
	       "SET_RULES: a subsystem and an address: EINVAL");
	is_num(set_rules(a, 7, NULL, 0), -EINVAL, "SET_RULES: policy 7: EINVAL");
	is_num(set_rules(a, VOS_RULE_ACCEPT, NULL, VOS_RULES_MAX + 1), -EINVAL,
	       "SET_RULES: more than VOS_RULES_MAX: EINVAL");
	is_num(set_rules(a, VOS_RULE_ACCEPT, (struct vos_rule *)8, 1), -EFAULT,
	       "SET_RULES: bad pointer: EFAULT");
}

/* ---- host names kept with a set (VOS_CAP_RULE_HOSTS) --------------------- */

static int set_rules_hosts(struct box *b, struct vos_rule *r, uint32_t n, const void *hosts,
			   uint32_t size)
{
	struct vos_rules rs;

	memset(&rs, 0, sizeof(rs));
	rs.size = size;
	rs.policy = VOS_RULE_ACCEPT;
	rs.count = n;
	rs.rules = (uintptr_t)r;
	rs.hosts = (uintptr_t)hosts;
	return ioctl(b->fd, VOS_SUBSYS_SET_RULES, &rs) < 0 ? -errno : 0;
}

static void test_hosts(int dev, struct box *a)
{
	static char hosts[2][VOS_RULE_HOST_MAX], back[2][VOS_RULE_HOST_MAX];
	struct vos_rule r[2], got[2];
	struct vos_rules rs;

	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_RULE_HOSTS), 1, "VOS_CAP_RULE_HOSTS");
	memset(r, 0, sizeof(r));
	r[0].action = r[1].action = VOS_RULE_ACCEPT;
	r[0].dst_addr = inet_addr("192.0.2.5");
	r[0].dst_prefix = 32;
	r[0].icmp_type = r[1].icmp_type = -1;
	memset(hosts, 0, sizeof(hosts));
	strcpy(hosts[0], "www.example-1_a.test");
	is_num(set_rules_hosts(a, r, 2, hosts, sizeof(rs)), 0, "SET_RULES with host names");
	memset(back, 0x5a, sizeof(back));
	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	rs.count = 2;
	rs.rules = (uintptr_t)got;
	rs.hosts = (uintptr_t)back;
	is_num(ioctl(a->fd, VOS_SUBSYS_GET_RULES, &rs) < 0 ? -errno : 0, 0,
	       "GET_RULES with room for the names");
	ok(rs.count == 2 && !strcmp(back[0], "www.example-1_a.test") && back[1][0] == '\0',
	   "GET_RULES: each rule's name back, \"\" for the one without");
	/* a caller of the first size: served as before, no names */
	is_num(set_rules_hosts(a, r, 1, NULL, offsetof(struct vos_rules, hosts)), 0,
	       "SET_RULES of the first size (no hosts field)");
	memset(back, 0x5a, sizeof(back));
	is_num(ioctl(a->fd, VOS_SUBSYS_GET_RULES, &rs) < 0 ? -errno : 0, 0, "GET_RULES again");
	ok(rs.count == 1 && back[0][0] == '\0', "a set made without names has none");
	/* refused: a character outside the host name alphabet, no NUL in the
	 * block, a bad pointer; the set stays as it was
	 */
	strcpy(hosts[0], "bad name");
	is_num(set_rules_hosts(a, r, 2, hosts, sizeof(rs)), -EINVAL,
	       "SET_RULES: a space in a host name: EINVAL");
	strcpy(hosts[0], "x\033[2J");
	is_num(set_rules_hosts(a, r, 2, hosts, sizeof(rs)), -EINVAL,
	       "SET_RULES: an escape sequence in a host name: EINVAL");
	memset(hosts[0], 'a', VOS_RULE_HOST_MAX);
	is_num(set_rules_hosts(a, r, 2, hosts, sizeof(rs)), -EINVAL,
	       "SET_RULES: no NUL within the block: EINVAL");
	is_num(set_rules_hosts(a, r, 2, (void *)8, sizeof(rs)), -EFAULT,
	       "SET_RULES: bad hosts pointer: EFAULT");
	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	rs.count = 2;
	rs.rules = (uintptr_t)got;
	is_num(ioctl(a->fd, VOS_SUBSYS_GET_RULES, &rs) < 0 ? -errno : 0, 0, "GET_RULES after");
	is_num(rs.count, 1, "the refused sets changed nothing");
	rs.hosts = 8;
	is_num(ioctl(a->fd, VOS_SUBSYS_GET_RULES, &rs) < 0 ? -errno : 0, -EFAULT,
	       "GET_RULES: bad hosts pointer: EFAULT");
	is_num(set_rules(a, VOS_RULE_ACCEPT, NULL, 0), 0, "SET_RULES: empty again");
}

/* ---- providers ----------------------------------------------------------- */

static unsigned int ifindex_in(pid_t pid, const char *name)
{
	unsigned int idx = 0;
	int pfd[2], st;
	pid_t c;

	/* a child in the namespace asks the kernel (not /sys, which is the
	 * host's here)
	 */
	if (pipe2(pfd, O_CLOEXEC))
		bail("pipe");
	c = fork();
	if (c < 0)
		bail("fork");
	if (c == 0) {
		child_netns(pid);
		idx = if_nametoindex(name);
		_exit(write(pfd[1], &idx, sizeof(idx)) == sizeof(idx) ? 0 : 1);
	}
	close(pfd[1]);
	if (read(pfd[0], &idx, sizeof(idx)) != sizeof(idx) || waitpid(c, &st, 0) != c || st || !idx)
		bail("ifindex of %s in %d", name, (int)pid);
	close(pfd[0]);
	return idx;
}

static int set_link_range(struct box *b, int netns_fd, unsigned int ifindex, const char *addr,
			  const char *range, uint32_t prefix)
{
	struct vos_link l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.netns_fd = netns_fd;
	l.ifindex = ifindex;
	l.addr4 = inet_addr(addr);
	l.range4 = range ? inet_addr(range) : 0;
	l.range_prefix = prefix;
	return ioctl(b->fd, VOS_SUBSYS_SET_LINK, &l) < 0 ? -errno : 0;
}

static struct vos_link_info get_link(struct box *b)
{
	struct vos_link_info li;

	memset(&li, 0xff, sizeof(li));
	li.size = sizeof(li);
	if (ioctl(b->fd, VOS_SUBSYS_GET_LINK, &li) < 0)
		bail("GET_LINK: %s", strerror(errno));
	return li;
}

/*
 * P provides the network for C: P's far end on the host (10.99.8.2, client
 * range 10.99.64.0/24), C's far end in P's namespace (10.99.64.2, via
 * 10.99.64.1), P forwarding, the host routing the range to P. A (bound at
 * 10.99.1.2) is a bystander whose address no range may cover.
 */
static void test_provider(int dev, struct box *a)
{
	struct box p = {
		.name = "nr-p", .host_if = "vnrP", .host_ip = "10.99.8.1", .in_ip = "10.99.8.2"
	};
	struct box c = { .name = "nr-c", .in_ip = "10.99.64.2" };
	struct vos_link_info li;
	struct vos_rule r[2];
	struct vos_rules rs;
	char path[64];
	int pns, ls;

	box_up(dev, &p);
	sysctl_w("net/ipv4/conf/vnrP/rp_filter", "0");
	c.fd = vos_create(dev, c.name, 0);
	if (c.fd < 0 || ns_init_start(&c.ni, CLONE_NEWNET, fn_pause, NULL) ||
	    vos_attach(c.fd, c.ni.pidfd, c.ni.pid, -1))
		bail("subsystem %s", c.name);
	c.id = vos_id_of(c.fd);
	ip_in(p.ni.pid, (const char *const[]){ "net/ipv4/ip_forward=1", NULL },
	      "link add vnrC type veth peer name eth0 netns %d\naddr add 10.99.64.1/30 dev vnrC\nlink set vnrC up\n",
	      (int)c.ni.pid);
	ip_in(c.ni.pid, (const char *const[]){ "net/ipv6/conf/eth0/disable_ipv6=1", NULL },
	      "addr add 10.99.64.2/30 dev eth0\nlink set eth0 up\nroute add default via 10.99.64.1\n");
	ip_in(0, NULL, "route add 10.99.64.0/24 via 10.99.8.2 dev vnrP\n");
	c.ifindex = ifindex_in(p.ni.pid, "vnrC");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)p.ni.pid);
	pns = open(path, O_RDONLY | O_CLOEXEC);
	if (pns < 0)
		bail("open %s", path);

	li = get_link(&p);
	ok(li.flags == 0 && li.addr4 == 0 && li.provider == 0 && li.reserved[0] == 0,
	   "GET_LINK before SET_LINK: not bound, all zero");
	is_num(set_link_range(&p, -1, p.ifindex, "10.99.8.2", "10.99.0.0", 21), -EEXIST,
	       "SET_LINK P: a client range that holds A's address: EEXIST");
	is_num(set_link_range(&p, -1, p.ifindex, "10.99.8.2", "10.99.64.0", 24), 0,
	       "SET_LINK P: 10.99.8.2, client range 10.99.64.0/24");
	li = get_link(&p);
	ok(li.flags == VOS_LINK_BOUND && li.addr4 == inet_addr("10.99.8.2") &&
		   li.range4 == inet_addr("10.99.64.0") && li.range_prefix == 24 &&
		   li.provider == 0 && li.ifindex == p.ifindex,
	   "GET_LINK P: bound, its address and range, no provider (the host)");
	is_num(set_link_range(a, -1, a->ifindex, "10.99.64.9", NULL, 0), -EBUSY,
	       "SET_LINK on a bound link: EBUSY (A)");
	is_num(set_link_range(&c, pns, c.ifindex, "10.99.65.2", NULL, 0), -EADDRNOTAVAIL,
	       "SET_LINK C behind P: an address outside P's range: EADDRNOTAVAIL");
	is_num(set_link_range(&c, pns, c.ifindex, "10.99.64.2", "10.99.60.0", 24), -EADDRNOTAVAIL,
	       "SET_LINK C behind P: a client range outside P's: EADDRNOTAVAIL");
	is_num(set_link_range(&c, pns, c.ifindex, "10.99.64.2", "10.99.64.0", 24), -EINVAL,
	       "SET_LINK C behind P: a range holding its own address: EINVAL");
	is_num(set_link_range(&c, pns, c.ifindex, "10.99.64.2", NULL, 0), 0,
	       "SET_LINK C: 10.99.64.2, its far end in P's namespace");
	li = get_link(&c);
	ok(li.flags == VOS_LINK_BOUND && li.provider == p.id && li.addr4 == inet_addr("10.99.64.2"),
	   "GET_LINK C: provider is P (id %llu)", (unsigned long long)li.provider);

	ls = listener("10.99.8.1", 5557);
	ok(send_from(&c, NULL, "10.99.8.1", 5557, "f1") == 0 &&
		   send_from(&c, NULL, "10.99.8.1", 5557, "mf1") == 0 &&
		   got_before_marker(ls, "f1", "mf1"),
	   "C's packet, forwarded by P, reaches the host: P's link passes its client's source");

	/* P's own rules govern P's own traffic, not what it forwards */
	is_num(set_rules(&p, VOS_RULE_DROP, NULL, 0), 0, "SET_RULES P: policy drop");
	ok(send_from(&p, NULL, "10.99.8.1", 5557, "f2") == 0 &&
		   send_from(&c, NULL, "10.99.8.1", 5557, "mf2") == 0 &&
		   got_before_marker(ls, "mf2", "mf2"),
	   "P at policy drop: C's forwarded traffic still passes");
	is_num(get_rules(&p, &rs, r, 2), 0, "GET_RULES P");
	ok(rs.dropped_other == 1, "P's own packet was dropped by P's policy (%llu)",
	   (unsigned long long)rs.dropped_other);
	is_num(set_rules(&p, VOS_RULE_ACCEPT, NULL, 0), 0, "SET_RULES P: policy accept");

	/* C's rules are checked at C's link, inside P's namespace */
	r[0] = rule(VOS_RULE_DROP, IPPROTO_UDP, "10.99.8.1/32", 5557);
	is_num(set_rules(&c, VOS_RULE_ACCEPT, r, 1), 0, "SET_RULES C: drop udp to 10.99.8.1:5557");
	ok(send_from(&c, NULL, "10.99.8.1", 5557, "f3") == 0 &&
		   send_from(&p, NULL, "10.99.8.1", 5557, "mf3") == 0 &&
		   got_before_marker(ls, "mf3", "mf3"),
	   "C sends what its rule drops");
	is_num(get_rules(&c, &rs, r, 2), 0, "GET_RULES C");
	ok(r[0].packets == 1, "C's rule counted the drop (%llu) at C's link",
	   (unsigned long long)r[0].packets);

	/* a provider forging its client's source gains nothing the client
	 * lacks, and an unowned address of its range is spoofed
	 */
	ip_in(p.ni.pid, NULL, "addr add 10.99.64.2/32 dev lo\naddr add 10.99.64.77/32 dev lo\n");
	ok(send_from(&p, "10.99.64.2", "10.99.8.1", 5557, "f4") == 0 &&
		   send_from(&p, "10.99.64.77", "10.99.8.1", 5557, "f5") == 0 &&
		   send_from(&p, NULL, "10.99.8.1", 5557, "mf4") == 0 &&
		   !got_before_marker(ls, "f4", "mf4"),
	   "P forging C's address for what C's rules drop: dropped at P's link");
	is_num(get_rules(&p, &rs, r, 2), 0, "GET_RULES P");
	ok(rs.dropped_spoof == 2, "both forged packets counted as spoofed on P (%llu)",
	   (unsigned long long)rs.dropped_spoof);

	/* P's namespace goes: C's far end with it, C is cut off (fails closed) */
	close(pns);
	kill(p.ni.pid, SIGKILL);
	ns_init_wait(&p.ni);
	close(p.fd);
	ok(vos_wait_gone(dev, "nr-p", 5000), "P gone");
	{
		double end = now_ms() + 10000;

		/* the namespace is torn down asynchronously, after the last
		 * process: a bound on a hang, not a sleep
		 */
		do
			li = get_link(&c);
		while (li.flags && now_ms() < end && !sched_yield());
	}
	ok(li.flags == 0, "P's namespace gone: C's link is unbound");
	ok(send_from(&c, NULL, "10.99.8.1", 5557, "f6") != 0,
	   "C cannot send anywhere (its eth0 went with its far end)");
	kill(c.ni.pid, SIGKILL);
	ns_init_wait(&c.ni);
	close(c.fd);
	close(ls);
	ok(vos_wait_gone(dev, "nr-c", 5000), "C gone");
}

/* ---- IPv6 (VOS_CAP_NET_IPV6) ----------------------------------------------- */

#define V6_HOST	  "fd00:99:6::1"
#define V6_IN	  "fd00:99:6::2"
#define V6_FORGED "fd00:99:6::7"

static int set_link6(struct box *b, unsigned int ifindex, const char *addr4, const char *addr6)
{
	struct vos_link l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.netns_fd = -1;
	l.ifindex = ifindex;
	l.addr4 = inet_addr(addr4);
	if (inet_pton(AF_INET6, addr6, l.addr6) != 1)
		bail("inet_pton %s", addr6);
	return ioctl(b->fd, VOS_SUBSYS_SET_LINK, &l) < 0 ? -errno : 0;
}

static int set_rules6(struct box *b, uint32_t policy, struct vos_rule *r, struct vos_rule_addr6 *a6,
		      uint32_t n)
{
	struct vos_rules rs;

	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	rs.policy = policy;
	rs.count = n;
	rs.rules = (uintptr_t)r;
	rs.addrs6 = (uintptr_t)a6;
	return ioctl(b->fd, VOS_SUBSYS_SET_RULES, &rs) < 0 ? -errno : 0;
}

/* rule @r as an IPv6 one to @cidr into @a6 */
static void to6(struct vos_rule *r, struct vos_rule_addr6 *a6, const char *cidr)
{
	char ip[64];
	const char *slash = strchr(cidr, '/');

	snprintf(ip, sizeof(ip), "%.*s", (int)(slash - cidr), cidr);
	memset(a6, 0, sizeof(*a6));
	if (inet_pton(AF_INET6, ip, a6->addr) != 1)
		bail("inet_pton %s", ip);
	a6->prefix = atoi(slash + 1);
	r->flags = VOS_RULE_IPV6;
	r->dst_addr = 0;
	r->dst_prefix = 0;
}

static int listener6(const char *ip, int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || inet_pton(AF_INET6, ip, &a.sin6_addr) != 1 ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		bail("bind [%s]:%d", ip, port);
	return s;
}

/* send_from() for IPv6; @icmp_type >= 0: a raw ICMPv6 message of that
 * type to @dst instead (hop limit 255, as neighbour discovery's)
 */
static int send6_from(struct box *b, const char *src, const char *dst, int port, const char *msg,
		      int icmp_type)
{
	char path[64];
	pid_t p;
	int st;

	p = fork();
	if (p == 0) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
		unsigned char icmp[16] = { (unsigned char)icmp_type };
		int nsfd, s, hops = 255;

		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)b->ni.pid);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
			_exit(2);
		if (icmp_type >= 0) {
			s = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
			a.sin6_port = 0;
			a.sin6_scope_id = if_nametoindex("eth0");
			setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
			setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
		} else {
			s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		}
		if (s < 0)
			_exit(5);
		if (src) {
			struct sockaddr_in6 me = { .sin6_family = AF_INET6 };

			if (inet_pton(AF_INET6, src, &me.sin6_addr) != 1 ||
			    bind(s, (struct sockaddr *)&me, sizeof(me)) < 0)
				_exit(3);
		}
		if (inet_pton(AF_INET6, dst, &a.sin6_addr) != 1)
			_exit(6);
		if (icmp_type >= 0)
			_exit(sendto(s, icmp, sizeof(icmp), 0, (struct sockaddr *)&a, sizeof(a)) < 0
				      ? 4
				      : 0);
		_exit(sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&a, sizeof(a)) < 0 ? 4 : 0);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/*
 * A probe from @src (NULL: the link's) to :5560 (socket @s), then a marker
 * to :5561 (@sm), which must arrive: did the probe arrive before it? The
 * host handles a link's packets in order, so once the marker is read the
 * probe was delivered or dropped.
 */
static bool probe6(struct box *b, int s, int sm, const char *src, const char *probe,
		   const char *marker)
{
	char buf[32];
	ssize_t n;

	/* (the link's address given: with two in one /64 the kernel may pick
	 * either)
	 */
	if (send6_from(b, src ? src : V6_IN, V6_HOST, 5560, probe, -1) ||
	    send6_from(b, V6_IN, V6_HOST, 5561, marker, -1) ||
	    !got_before_marker(sm, marker, marker))
		bail("marker %s", marker);
	n = recv(s, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, probe);
}

static void test_ipv6(int dev)
{
	struct box c = {
		.name = "nr-6", .host_if = "vnr6", .host_ip = "10.99.6.1", .in_ip = "10.99.6.2"
	};
	struct box d = {
		.name = "nr-6b", .host_if = "vnr6b", .host_ip = "10.99.16.1", .in_ip = "10.99.16.2"
	};
	struct vos_rule r[3], got[3];
	struct vos_rule_addr6 a6[3], back[3];
	struct vos_rules rs;
	uint64_t spoof0, other0;
	struct nl_sock *evs6;
	struct net_ev ev;
	int s6, s6m, s4;

	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_NET_IPV6), 1, "VOS_CAP_NET_IPV6");
	box_up(dev, &c);
	/* IPv6 on the link, addresses without duplicate detection, a second
	 * address inside to forge with
	 */
	ip_in(0, NULL, "addr add %s/64 dev vnr6 nodad\n", V6_HOST);
	ip_in(c.ni.pid, (const char *const[]){ "net/ipv6/conf/eth0/disable_ipv6=0", NULL },
	      "addr add %s/64 dev eth0 nodad\naddr add %s/64 dev eth0 nodad\n", V6_IN, V6_FORGED);
	s6 = listener6(V6_HOST, 5560);
	s6m = listener6(V6_HOST, 5561);
	/* (the inits made after this hold copies of these sockets: they are
	 * made once and kept)
	 */
	ok(send6_from(&c, NULL, V6_HOST, 5560, "q0", -1) == 0 &&
		   send6_from(&c, NULL, V6_HOST, 5560, "q0m", -1) == 0 &&
		   got_before_marker(s6, "q0", "q0m"),
	   "unbound link: IPv6 reaches the host (control)");
	ok(send6_from(&c, V6_FORGED, V6_HOST, 5560, "q0s", -1) == 0 &&
		   send6_from(&c, NULL, V6_HOST, 5560, "q0sm", -1) == 0 &&
		   got_before_marker(s6, "q0s", "q0sm"),
	   "unbound link: IPv6 from another address reaches the host (control)");
	/* the second address goes until the spoofing test: neighbour
	 * discovery from it (a probe of the host's entry may pick it) would be
	 * dropped as spoofed and open the drop events' window before the
	 * drops under test
	 */
	ip_in(c.ni.pid, NULL, "addr del %s/64 dev eth0\n", V6_FORGED);

	/* bad addresses, then the binding */
	is_num(set_link6(&c, c.ifindex, c.in_ip, "fe80::2"), -EINVAL,
	       "SET_LINK: a link-local addr6: EINVAL");
	is_num(set_link6(&c, c.ifindex, c.in_ip, "ff02::1"), -EINVAL,
	       "SET_LINK: a multicast addr6: EINVAL");
	is_num(set_link6(&c, c.ifindex, c.in_ip, "::1"), -EINVAL, "SET_LINK: ::1: EINVAL");
	is_num(set_link6(&c, c.ifindex, c.in_ip, "::ffff:10.99.6.2"), -EINVAL,
	       "SET_LINK: an IPv4-mapped addr6: EINVAL");
	is_num(set_link6(&c, c.ifindex, c.in_ip, V6_IN), 0, "SET_LINK with addr6");
	{
		struct vos_link_info li = get_link(&c);
		struct in6_addr want;

		inet_pton(AF_INET6, V6_IN, &want);
		ok(!memcmp(li.addr6, &want, 16), "GET_LINK: addr6 as bound");
	}
	box_up(dev, &d);
	is_num(set_link6(&d, d.ifindex, d.in_ip, V6_IN), -EADDRINUSE,
	       "SET_LINK: another link's addr6: EADDRINUSE");

	/* rule checks */
	r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, NULL, 5560);
	to6(&r[0], &a6[0], V6_HOST "/128");
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, NULL, 1), -EINVAL,
	       "SET_RULES: an IPv6 rule without addrs6: EINVAL");
	a6[0].prefix = 129;
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, a6, 1), -EINVAL, "SET_RULES: prefix 129: EINVAL");
	to6(&r[0], &a6[0], "fd00:99:6::1/64");
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, a6, 1), -EINVAL,
	       "SET_RULES: bits past an IPv6 prefix: EINVAL");
	to6(&r[0], &a6[0], V6_HOST "/128");
	r[0].proto = IPPROTO_ICMP;
	r[0].port_min = r[0].port_max = 0;
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, a6, 1), -EINVAL,
	       "SET_RULES: an IPv6 rule for ICMP (IPv4's): EINVAL");
	r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_ICMPV6, "10.0.0.0/8", 0);
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, NULL, 1), -EINVAL,
	       "SET_RULES: ICMPv6 to an IPv4 range: EINVAL");
	r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, "10.0.0.0/8", 0);
	memset(a6, 0, sizeof(a6));
	a6[0].addr[0] = 0xfd;
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, a6, 1), -EINVAL,
	       "SET_RULES: an IPv6 destination on an IPv4 rule: EINVAL");

	/* no rule for it: IPv6 is dropped though the policy accepts; IPv4
	 * with it passes (control)
	 */
	r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, NULL, 5561);
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, NULL, 1), 0,
	       "SET_RULES: accept udp :5561 (both families), policy accept");
	is_num(get_rules(&c, &rs, got, 3), 0, "GET_RULES");
	other0 = rs.dropped_other;
	s4 = listener(c.host_ip, 5560);
	ok(send_from(&c, NULL, c.host_ip, 5560, "p4") == 0 &&
		   send_from(&c, NULL, c.host_ip, 5560, "p4m") == 0 &&
		   got_before_marker(s4, "p4", "p4m"),
	   "bound: IPv4 to :5560 passes by the policy (control)");
	close(s4);
	evs6 = events_join();
	ok(!probe6(&c, s6, s6m, NULL, "q1", "q1m"),
	   "bound: IPv6 to :5560 with no rule for it is dropped; the marker to :5561 passes by its rule (neighbour discovery works)");
	is_num(get_rules(&c, &rs, got, 3), 0, "GET_RULES");
	ok(rs.dropped_other >= other0 + 1,
	   "bound: IPv6 to :5560, no rule: counted as dropped with no rule (%llu more)",
	   (unsigned long long)(rs.dropped_other - other0));
	/* its event, which must come within a tenth of a second: the 5-tuple,
	 * IPv6 (waited for, also, so that the next drop opens a window of its own)
	 */
	ev = next_net_event(evs6, c.id);
	{
		struct in6_addr want_s, want_d;

		inet_pton(AF_INET6, V6_IN, &want_s);
		inet_pton(AF_INET6, V6_HOST, &want_d);
		ok(ev.seen && ev.reason == VOS_DROP_IPV6 && ev.rule == 0 &&
			   ev.proto == IPPROTO_UDP && ev.dport == 5560 && ev.has6 &&
			   !memcmp(ev.saddr6, &want_s, 16) && !memcmp(ev.daddr6, &want_d, 16) &&
			   ev.saddr == 0,
		   "the drop's event: no rule (ipv6), udp, [" V6_IN "] to [" V6_HOST "]:5560");
	}

	/* an IPv6 rule to the host's address lets it through, counted */
	r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, NULL, 5560);
	to6(&r[0], &a6[0], V6_HOST "/128");
	r[1] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, NULL, 5561);
	memset(&a6[1], 0, sizeof(a6[1]));
	is_num(set_rules6(&c, VOS_RULE_DROP, r, a6, 2), 0,
	       "SET_RULES: accept udp to [" V6_HOST "]:5560 (IPv6), accept udp :5561");
	ok(probe6(&c, s6, s6m, NULL, "q2", "q2m"), "IPv6 rule: the probe to :5560 arrives");
	memset(back, 0x5a, sizeof(back));
	memset(&rs, 0, sizeof(rs));
	rs.size = sizeof(rs);
	rs.count = 3;
	rs.rules = (uintptr_t)got;
	rs.addrs6 = (uintptr_t)back;
	is_num(ioctl(c.fd, VOS_SUBSYS_GET_RULES, &rs) < 0 ? -errno : 0, 0, "GET_RULES with addrs6");
	ok(rs.count == 2 && got[0].flags == VOS_RULE_IPV6 && got[0].packets == 1 &&
		   !memcmp(&back[0], &a6[0], sizeof(a6[0])) && back[1].prefix == 0 &&
		   back[1].addr[0] == 0,
	   "GET_RULES: the IPv6 destination back, the rule counted");

	/* a drop rule for the /64 before it */
	r[2] = r[1];
	r[1] = r[0];
	a6[2] = a6[1];
	a6[1] = a6[0];
	r[0] = rule(VOS_RULE_DROP, 0, NULL, 0);
	to6(&r[0], &a6[0], "fd00:99:6::/64");
	r[0].proto = IPPROTO_UDP;
	r[0].port_min = r[0].port_max = 5560;
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, a6, 3), 0,
	       "SET_RULES: drop udp [fd00:99:6::/64]:5560 first");
	ok(!probe6(&c, s6, s6m, NULL, "q3", "q3m"), "the drop rule drops it");
	ev = next_net_event(evs6, c.id);
	ok(ev.seen && ev.reason == VOS_DROP_RULE && ev.rule == 1 && ev.has6 && ev.dport == 5560,
	   "its event: rule 1, with the IPv6 addresses");
	nl_socket_free(evs6);
	is_num(get_rules(&c, &rs, got, 3), 0, "GET_RULES");
	ok(got[0].packets == 1, "counted by the drop rule");

	/* anti-spoofing, and a router advertisement from inside */
	ip_in(c.ni.pid, NULL, "addr add %s/64 dev eth0 nodad\n", V6_FORGED);
	r[0] = rule(VOS_RULE_ACCEPT, 0, NULL, 0);
	is_num(set_rules6(&c, VOS_RULE_ACCEPT, r, NULL, 1), 0, "SET_RULES: accept everything");
	is_num(get_rules(&c, &rs, got, 3), 0, "GET_RULES");
	spoof0 = rs.dropped_spoof;
	ok(!probe6(&c, s6, s6m, V6_FORGED, "q4", "q4m"), "a forged IPv6 source is dropped");
	ok(send6_from(&c, NULL, "ff02::1", 0, NULL, 134) == 0,
	   "sent a router advertisement (from a link-local address)");
	ok(send6_from(&c, NULL, "ff02::1", 0, NULL, 137) == 0,
	   "sent a redirect (from a link-local address)");
	ok(probe6(&c, s6, s6m, NULL, "q5", "q5m"), "the link's own address passes (accept all)");
	is_num(get_rules(&c, &rs, got, 3), 0, "GET_RULES");
	ok(rs.dropped_spoof >= spoof0 + 3,
	   "the forged packet, the advertisement and the redirect counted as spoofed (%llu)",
	   (unsigned long long)(rs.dropped_spoof - spoof0));

	close(s6);
	close(s6m);
	kill(c.ni.pid, SIGKILL);
	kill(d.ni.pid, SIGKILL);
	ns_init_wait(&c.ni);
	ns_init_wait(&d.ni);
	close(c.fd);
	close(d.fd);
	ok(vos_wait_gone(dev, "nr-6", 5000) && vos_wait_gone(dev, "nr-6b", 5000), "6 and 6b gone");
	/* (gone with their namespaces already, as a rule) */
	ip_run(0, NULL, true, "link del vnr6\nlink del vnr6b\n");
}

int main(void)
{
	struct box a = {
		.name = "nr-a", .host_if = "vnrA", .host_ip = "10.99.1.1", .in_ip = "10.99.1.2"
	};
	struct box b = {
		.name = "nr-b", .host_if = "vnrB", .host_ip = "10.99.2.1", .in_ip = "10.99.2.2"
	};
	struct vos_rule r[4], got[4];
	struct vos_rules rs;
	int dev = vos_open_dev(), hs, bs;
	bool seen;
	struct nl_sock *evs;
	struct net_ev ev;

	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_NET_RULES), 1, "VOS_CAP_NET_RULES");
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_NET_PROVIDER), 1, "VOS_CAP_NET_PROVIDER");
	sysctl_w("net/ipv4/ip_forward", "1");
	box_up(dev, &a);
	box_up(dev, &b);
	test_bad_input(&a, &b);
	test_hosts(dev, &a);

	hs = listener("10.99.1.1", 5555);
	/* before binding: nothing filters */
	ok(send_from(&a, "10.99.1.2", "10.99.1.1", 5555, "p0") == 0 &&
		   send_from(&a, NULL, "10.99.1.1", 5555, "m0") == 0 &&
		   got_before_marker(hs, "p0", "m0"),
	   "unbound link: a packet reaches the host (control)");
	/* a second address inside (CAP_NET_ADMIN there can add one); the host
	 * does no reverse-path filtering on the link, so only vos.ko can stop
	 * packets from it
	 */
	sysctl_w("net/ipv4/conf/all/rp_filter", "0");
	sysctl_w("net/ipv4/conf/vnrA/rp_filter", "0");
	ip_in(a.ni.pid, NULL, "addr add 10.99.7.7/32 dev eth0\n");
	ok(send_from(&a, "10.99.7.7", "10.99.1.1", 5555, "p0s") == 0 &&
		   send_from(&a, NULL, "10.99.1.1", 5555, "m0s") == 0 &&
		   got_before_marker(hs, "p0s", "m0s"),
	   "unbound link: a packet from another source address reaches the host (control)");
	is_num(set_link(&a, -1, a.ifindex, "10.99.1.2"), 0, "SET_LINK A: the far end of its veth");
	is_num(set_link(&a, -1, a.ifindex, "10.99.1.2"), -EBUSY, "SET_LINK again: EBUSY");
	is_num(set_link(&b, -1, b.ifindex, "10.99.1.2"), -EADDRINUSE,
	       "SET_LINK B with A's address: EADDRINUSE");
	is_num(set_link(&b, -1, b.ifindex, "10.99.2.2"), 0, "SET_LINK B");

	/* default: accept to the outside */
	ok(send_from(&a, NULL, "10.99.1.1", 5555, "p1") == 0 &&
		   send_from(&a, NULL, "10.99.1.1", 5555, "m1") == 0 &&
		   got_before_marker(hs, "p1", "m1"),
	   "bound, no rules: the outside is reachable (policy accept)");

	/* anti-spoofing: the second address is not the link's; the drop is
	 * reported as an event
	 */
	evs = events_join();
	seen = send_from(&a, "10.99.7.7", "10.99.1.1", 5555, "p2") == 0;
	ok(seen && send_from(&a, NULL, "10.99.1.1", 5555, "m2") == 0 &&
		   !got_before_marker(hs, "p2", "m2"),
	   "a spoofed source address (CAP_NET_ADMIN inside added it) is dropped");
	ev = next_net_event(evs, a.id);
	ok(ev.seen && ev.reason == VOS_DROP_SPOOF && ev.rule == 0 && ev.proto == IPPROTO_UDP &&
		   ev.saddr == inet_addr("10.99.7.7") && ev.daddr == inet_addr("10.99.1.1") &&
		   ev.dport == 5555 && ev.sport > 0 && ev.suppressed == 0,
	   "VOS_EVENT_NET_DENIED: spoof, udp 10.99.7.7:%u -> 10.99.1.1:%u, nothing suppressed",
	   ev.sport, ev.dport);
	is_num(get_rules(&a, &rs, got, 4), 0, "GET_RULES");
	ok(rs.dropped_spoof == 1 && rs.count == 0 && rs.policy == VOS_RULE_ACCEPT,
	   "GET_RULES: no rules, policy accept, %llu spoofed drop(s) counted",
	   (unsigned long long)rs.dropped_spoof);

	/* rules: first match wins, counted */
	r[0] = rule(VOS_RULE_DROP, IPPROTO_UDP, "10.99.1.1/32", 5555);
	r[1] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, "10.99.0.0/16", 0);
	is_num(set_rules(&a, VOS_RULE_DROP, r, 2), 0,
	       "SET_RULES: drop udp :5555, accept 10.99/16, policy drop");
	bs = listener("10.99.1.1", 5556);
	ok(send_from(&a, NULL, "10.99.1.1", 5555, "p3") == 0 &&
		   send_from(&a, NULL, "10.99.1.1", 5556, "m3") == 0 &&
		   got_before_marker(bs, "m3", "m3") && ({
			   struct pollfd pf = { .fd = hs, .events = POLLIN };
			   poll(&pf, 1, 0) == 0;
		   }),
	   "rule 1 drops udp to :5555; rule 2 lets :5556 through");
	is_num(get_rules(&a, &rs, got, 4), 0, "GET_RULES");
	ok(rs.count == 2 && got[0].packets == 1 && got[1].packets == 1 && got[0].bytes > 0 &&
		   rs.policy == VOS_RULE_DROP,
	   "GET_RULES: each rule counted its packet (%llu, %llu)",
	   (unsigned long long)got[0].packets, (unsigned long long)got[1].packets);
	is_num(got[0].port_min, 5555, "GET_RULES returns the rules as set");
	ev = next_net_event(evs, a.id);
	ok(ev.seen && ev.reason == VOS_DROP_RULE && ev.rule == 1 && ev.dport == 5555,
	   "VOS_EVENT_NET_DENIED: rule 1 dropped udp to :%u", ev.dport);
	nl_socket_free(evs);

	/* subsystem to subsystem: dropped unless a rule of the sender names it */
	close(bs);
	bs = -1;
	{
		int in_b[2];
		pid_t p;

		/* a listener inside B on 10.99.2.2:6000 that reports what it got */
		if (pipe(in_b) < 0)
			bail("pipe");
		p = fork();
		if (p == 0) {
			char path[64];
			int nsfd, s;

			snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)b.ni.pid);
			nsfd = open(path, O_RDONLY | O_CLOEXEC);
			if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
				_exit(2);
			s = listener("10.99.2.2", 6000);
			if (write(in_b[1], "r", 1) != 1)
				_exit(3);
			_exit(got_before_marker(s, "p4", "m4") ? 1 : 0);
		}
		{
			char c;
			int st;

			if (read(in_b[0], &c, 1) != 1)
				bail("listener in B");
			/* "any destination" does not reach another subsystem */
			r[0] = rule(VOS_RULE_ACCEPT, 0, NULL, 0);
			is_num(set_rules(&a, VOS_RULE_ACCEPT, r, 1), 0,
			       "SET_RULES: accept any destination");
			/* p4 from A: dropped (no rule names B); then a rule
			 * allows B and the marker m4 from A gets through
			 */
			/* ...and a marker to the host on the same link: once it
			 * arrives, p4 met these rules, not the next ones
			 */
			ok(send_from(&a, NULL, "10.99.2.2", 6000, "p4") == 0 &&
				   send_from(&a, NULL, "10.99.1.1", 5555, "mh") == 0 &&
				   got_before_marker(hs, "mh", "mh"),
			   "A sends to B's address");
			r[0] = rule(VOS_RULE_ACCEPT, IPPROTO_UDP, NULL, 6000);
			r[0].dst_subsys = b.id;
			r[1] = rule(VOS_RULE_ACCEPT, 0, NULL, 0);
			is_num(set_rules(&a, VOS_RULE_ACCEPT, r, 2), 0,
			       "SET_RULES: accept udp :6000 to subsystem B (by id)");
			ok(send_from(&a, NULL, "10.99.2.2", 6000, "m4") == 0, "A sends the marker");
			ok(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0,
			   "B got the marker (allowed by the rule naming it) but not the packet before it: subsystems reach each other only by a rule of the sender");
		}
		close(in_b[0]);
		close(in_b[1]);
	}
	is_num(get_rules(&a, &rs, got, 4), 0, "GET_RULES");
	ok(rs.dropped_other >= 1 && got[0].packets == 1,
	   "the dropped packet to B is counted (%llu)", (unsigned long long)rs.dropped_other);

	test_provider(dev, &a);
	test_ipv6(dev);

	/* the link goes with the device; the subsystem keeps its rules */
	ip_in(0, NULL, "link del vnrA\n");
	is_num(get_rules(&a, &rs, got, 4), 0, "GET_RULES");
	ok(rs.count == 2, "device gone: the rules stay");
	is_num(set_link(&a, -1, a.ifindex, "10.99.1.2"), -ENODEV,
	       "device gone: SET_LINK on its old index: ENODEV");

	kill(a.ni.pid, SIGKILL);
	kill(b.ni.pid, SIGKILL);
	ns_init_wait(&a.ni);
	ns_init_wait(&b.ni);
	close(a.fd);
	close(b.fd);
	close(hs);
	ok(vos_wait_gone(dev, "nr-a", 5000) && vos_wait_gone(dev, "nr-b", 5000),
	   "both gone (their links and rules with them)");
	/* B's veth goes with its namespace, asynchronously: do not wait */
	if (ip_run(0, NULL, true, "link del vnrB\n") < 0)
		printf("# ip link del vnrB failed\n");
	close(dev);
	return tap_done();
}
