// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * net.c - a subsystem's link to its uplink (issue 12).
 *
 * Every uplinked subsystem gets a veth pair: "eth0" inside and "vos<ID>"
 * in its uplink's network namespace (the host's for "--uplink host", a
 * provider subsystem's for "--uplink NAME"), a /30 (the far end .1, the
 * subsystem .2, its default route via .1), and the far end bound to the
 * subsystem in vos.ko (VOS_SUBSYS_SET_LINK), whose rules then check every
 * packet it sends, where nothing inside reaches (module/netpolicy.c).
 *
 * Addresses: the pool is 10.213.0.0/16. A subsystem made with
 * "--provides-network" also gets a client range, 16 times smaller than
 * the range its own address came from (/20 under the host, /24 under a
 * provider of the host, /28 below that); its clients' /30s and ranges come
 * from it. The provider routes (net.ipv4.ip_forward in its namespace) and
 * its uplink gets one route for the range via the provider's address on
 * its far end, which goes when that device goes. The host masquerades the
 * pool. So the routes are one per provider and nothing outlives a
 * subsystem: a route dies with its device, a device with its namespace.
 *
 * The kernel is the registry: SET_LINK refuses an address another link has
 * or one inside another provider's range (EADDRINUSE) and a range that is
 * taken (EEXIST), so the block and the range are chosen from the
 * subsystem id and the next one is tried on a clash; nothing is stored.
 * What stays on the host is shared by every such subsystem:
 * net.ipv4.ip_forward=1 and the nft table "ip virtos" with one masquerade
 * rule for the pool.
 *
 * IPv6 (a vos.ko with VOS_CAP_NET_IPV6, a kernel with IPv6): each /30 has
 * its twin /126 in fd76:6f73::/96, the IPv4 address in the low 32 bits
 * (10.213.0.6 is fd76:6f73::ad5:6), bound with the link so that vos.ko
 * checks IPv6 as it checks IPv4; a provider forwards IPv6 too and its
 * uplink routes the twin of its client range to it. vos.ko drops a
 * subsystem's IPv6 that no rule accepts. The host's IPv6 forwarding is left
 * as it is: turning it on would stop the host taking router advertisements
 * on its own links, so IPv6 reaches the host and the providers, and the
 * outside only where the administrator routes fd76:6f73::/96.
 *
 * Runs in the parent, after clone() and before the child is released. Work
 * in another namespace (the subsystem's, a provider's) is done by a
 * short-lived process that joins it, so the caller never changes namespace.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "private.h"

#define RANGE_STEP  4u		  /* a client range: its uplink's prefix + 4 */
#define NET6_PREFIX "fd76:6f73::" /* /96: an IPv4 address in the low bits */
#define RANGE_MAX   29u
/* Host byte order @base + @off as "a.b.c.d". */
static void ip4(char *buf, size_t len, uint32_t base, uint32_t off)
{
	struct in_addr a = { .s_addr = htonl(base + off) };

	snprintf(buf, len, "%s", inet_ntoa(a));
}

/* The IPv6 twin of host byte order @base + @off: its 16 bytes, its text */
static void ip6(uint8_t bytes[16], char *buf, size_t len, uint32_t base, uint32_t off)
{
	char v4[INET_ADDRSTRLEN], txt[64];

	ip4(v4, sizeof(v4), base, off);
	snprintf(txt, sizeof(txt), NET6_PREFIX "%s", v4);
	if (inet_pton(AF_INET6, txt, bytes) != 1)
		memset(bytes, 0, 16);
	if (buf)
		inet_ntop(AF_INET6, bytes, buf, (socklen_t)len);
}

static int nl_err(int nlerr)
{
	switch (-nlerr) {
	case NLE_EXIST:
		return -EEXIST;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_NODEV:
		return -ENODEV;
	default:
		return -EIO;
	}
}

/*
 * Address @cidr on link @ifindex, the link up, and with @gw a route to @to
 * (a CIDR; NULL: the default route) via @gw on that link.
 */
static int configure(struct nl_sock *sk, int ifindex, const char *cidr, const char *to,
		     const char *gw, const char **what)
{
	struct rtnl_link *link = NULL, *chg = NULL;
	struct rtnl_addr *addr = NULL;
	struct rtnl_route *route = NULL;
	struct nl_addr *local = NULL, *dst = NULL, *via = NULL;
	struct rtnl_nexthop *nh;
	int r;

	int af = strchr(cidr, ':') ? AF_INET6 : AF_INET;

	*what = "address";
	addr = rtnl_addr_alloc();
	r = addr ? nl_addr_parse(cidr, af, &local) : -NLE_NOMEM;
	if (!r) {
		rtnl_addr_set_ifindex(addr, ifindex);
		r = rtnl_addr_set_local(addr, local);
	}
	/* no duplicate detection: the link has two ends, both ours; a
	 * tentative address would refuse the first packets
	 */
	if (!r && af == AF_INET6)
		rtnl_addr_set_flags(addr, IFA_F_NODAD);
	if (!r)
		r = rtnl_addr_add(sk, addr, 0);
	if (!r) {
		*what = "link up";
		r = rtnl_link_get_kernel(sk, ifindex, NULL, &link);
	}
	if (!r) {
		chg = rtnl_link_alloc();
		r = chg ? 0 : -NLE_NOMEM;
	}
	if (!r) {
		rtnl_link_set_flags(chg, IFF_UP);
		r = rtnl_link_change(sk, link, chg, 0);
	}
	if (!r && gw) {
		*what = to ? "route" : "default route";
		route = rtnl_route_alloc();
		nh = rtnl_route_nh_alloc();
		r = route && nh ? nl_addr_parse(to		 ? to
						: af == AF_INET6 ? "::/0"
								 : "0.0.0.0/0",
						af, &dst)
				: -NLE_NOMEM;
		if (!r)
			r = nl_addr_parse(gw, af, &via);
		if (!r) {
			rtnl_route_set_dst(route, dst);
			rtnl_route_nh_set_ifindex(nh, ifindex);
			rtnl_route_nh_set_gateway(nh, via);
			rtnl_route_add_nexthop(route, nh);
			nh = NULL;
			r = rtnl_route_add(sk, route, NLM_F_CREATE);
		}
		if (nh)
			rtnl_route_nh_free(nh);
	}
	if (route)
		rtnl_route_put(route);
	if (via)
		nl_addr_put(via);
	if (dst)
		nl_addr_put(dst);
	if (chg)
		rtnl_link_put(chg);
	if (link)
		rtnl_link_put(link);
	if (local)
		nl_addr_put(local);
	if (addr)
		rtnl_addr_put(addr);
	return r;
}

/* Work to do in a network namespace: 0 or an errno, @msg saying what failed. */
struct nswork {
	int (*fn)(struct nl_sock *sk, struct nswork *w);
	/* in */
	const char *dev;       /* the link's name there */
	pid_t peer_pid;	       /* create: the peer goes into this one's namespace */
	const char *cidr;      /* configure: the address */
	const char *to, *gw;   /* configure: a route to @to (NULL: default) via @gw */
	const char *cidr6;     /* configure: the IPv6 address (NULL: IPv6 off on @dev) */
	const char *to6, *gw6; /* configure: the IPv6 route, as @to and @gw */
	bool forward;	       /* configure: IPv4 (and with @cidr6 IPv6) forwarding on */
	/* out */
	int ifindex;
	char msg[200];
};

/* Create the veth pair: @dev here, "eth0" in @peer_pid's namespace. */
static int ns_create(struct nl_sock *sk, struct nswork *w)
{
	struct rtnl_link *veth = rtnl_link_veth_alloc(), *peer;
	int r;

	if (!veth)
		return ENOMEM;
	rtnl_link_set_name(veth, w->dev);
	peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(peer, "eth0");
	rtnl_link_set_ns_pid(peer, w->peer_pid);
	rtnl_link_put(peer);
	r = rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_veth_release(veth);
	if (r < 0) {
		snprintf(w->msg, sizeof(w->msg), "create veth %s: %s", w->dev, nl_geterror(r));
		return -nl_err(r);
	}
	w->ifindex = (int)if_nametoindex(w->dev);
	if (!w->ifindex) {
		snprintf(w->msg, sizeof(w->msg), "%s: %s", w->dev, strerror(errno));
		return errno;
	}
	return 0;
}

/* Address, link up, a route; IPv6 off and forwarding on if asked. */
static int ns_configure(struct nl_sock *sk, struct nswork *w)
{
	const char *what = w->dev;
	char path[96];
	int ifindex = (int)if_nametoindex(w->dev), e = ifindex ? 0 : errno, r;

	if (!e && !w->cidr6) {
		/* IPv4 only: vos.ko drops the link's IPv6, so no
		 * autoconfiguration sends it for nothing (a kernel without
		 * IPv6 has no such file)
		 */
		what = "disable IPv6";
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", w->dev);
		e = vos_write_sysctl(path, "1");
		if (e == ENOENT)
			e = 0;
	}
	if (!e && w->cidr6) {
		/* addresses are given, never taken from an advertisement */
		what = "accept_ra";
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_ra", w->dev);
		e = vos_write_sysctl(path, "0");
	}
	if (!e && w->forward) {
		what = "net.ipv4.ip_forward";
		e = vos_write_sysctl("/proc/sys/net/ipv4/ip_forward", "1");
	}
	if (!e && w->forward && w->cidr6) {
		what = "net.ipv6.conf.all.forwarding";
		e = vos_write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	}
	if (e) {
		snprintf(w->msg, sizeof(w->msg), "%s %s: %s", w->dev, what, strerror(e));
		return e;
	}
	r = configure(sk, ifindex, w->cidr, w->to, w->gw, &what);
	if (r < 0) {
		snprintf(w->msg, sizeof(w->msg), "%s %s %s: %s", w->dev, what, w->cidr,
			 nl_geterror(r));
		return -nl_err(r);
	}
	if (w->cidr6) {
		r = configure(sk, ifindex, w->cidr6, w->to6, w->gw6, &what);
		if (r < 0) {
			snprintf(w->msg, sizeof(w->msg), "%s IPv6 %s %s: %s", w->dev, what,
				 w->cidr6, nl_geterror(r));
			return -nl_err(r);
		}
	}
	return 0;
}

static int ns_do(struct nswork *w)
{
	struct nl_sock *sk = nl_socket_alloc();
	int e;

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		snprintf(w->msg, sizeof(w->msg), "netlink route socket");
		e = EIO;
	} else {
		e = w->fn(sk, w);
	}
	if (sk)
		nl_socket_free(sk);
	return e;
}

/*
 * Run @w in the network namespace @nsfd (-1: the caller's, in process; else
 * in a child that joins it). A failure comes back as a vos_err with @w's
 * message, prefixed by @where.
 */
static int ns_run(struct vos_ctx *ctx, int nsfd, const char *where, struct nswork *w)
{
	int p[2], st, e;
	ssize_t n;
	pid_t c;

	w->msg[0] = '\0';
	if (nsfd < 0) {
		e = ns_do(w);
		return e ? vos_err(ctx, -e, "uplink: %s: %s", where, w->msg) : 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return vos_err(ctx, -errno, "uplink: pipe:");
	c = fork();
	if (c < 0) {
		e = errno;
		close(p[0]);
		close(p[1]);
		return vos_err(ctx, -e, "uplink: fork:");
	}
	if (c == 0) {
		close(p[0]);
		if (setns(nsfd, CLONE_NEWNET) < 0) {
			e = errno;
			snprintf(w->msg, sizeof(w->msg), "join the network namespace: %s",
				 strerror(e));
		} else {
			e = ns_do(w);
		}
		if (write(p[1], &e, sizeof(e)) != sizeof(e) ||
		    write(p[1], &w->ifindex, sizeof(w->ifindex)) != sizeof(w->ifindex) ||
		    write(p[1], w->msg, sizeof(w->msg)) != sizeof(w->msg))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	e = EIO;
	n = read(p[0], &e, sizeof(e));
	if (n == sizeof(e) && read(p[0], &w->ifindex, sizeof(w->ifindex)) == sizeof(w->ifindex) &&
	    read(p[0], w->msg, sizeof(w->msg)) == sizeof(w->msg))
		w->msg[sizeof(w->msg) - 1] = '\0';
	else if (n != sizeof(e))
		e = EIO;
	close(p[0]);
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	if (!e)
		return 0;
	return vos_err(ctx, -e, "uplink: %s: %s", where, w->msg[0] ? w->msg : "failed");
}

/* Where the far end lives, and the range the link's addresses come from. */
struct far {
	int nsfd;      /* -1: the caller's namespace (the host) */
	uint32_t base; /* host byte order */
	unsigned int prefix;
	bool v6;		 /* the far side has IPv6: the host's kernel, a provider's link */
	char name[VOS_NAME_MAX]; /* "the host" or the provider's name */
};

static int link_info(struct vos_subsys *s, struct vos_link_info *li)
{
	memset(li, 0, sizeof(*li));
	li->size = sizeof(*li);
	return ioctl(s->fd, VOS_SUBSYS_GET_LINK, li) < 0 ? -errno : 0;
}

/* "--uplink NAME": NAME is running and was linked with a client range. */
static int far_provider(struct vos_ctx *ctx, struct vos_subsys *s, const char *name, struct far *f)
{
	struct vos_subsys *p = NULL;
	struct vos_link_info li;
	struct vos_info info;
	char path[64];
	struct stat st;
	int r, pidfd = -1;

	if (!strcmp(name, s->name))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "--uplink %s: a subsystem cannot be its own uplink", name);
	r = vos_subsys_open(ctx, name, &p);
	if (r == -ENOENT)
		r = vos_err_option(
			ctx, r, VOS_ERR_NAME, "--uplink",
			"--uplink %s: no such subsystem: the provider must exist first (vosctl create %s --provides-network --uplink host)",
			name, name);
	else if (r < 0)
		r = vos_err_prefix(ctx, r, "--uplink %s", name);
	if (r >= 0)
		r = vos_subsys_info(p, &info);
	if (r >= 0 && (info.state != VOS_STATE_RUNNING || info.init_pid <= 0))
		r = vos_err_option(ctx, -ESRCH, VOS_ERR_NAME, "--uplink",
				   "--uplink %s: it is not running: start it first", name);
	if (r >= 0) {
		r = link_info(p, &li);
		if (r == -ENOTTY)
			r = vos_err_class(
				ctx, r, VOS_ERR_NOMODULE,
				"--uplink %s: this vos.ko has no providers (VOS_CAP_NET_PROVIDER): load the module of this release",
				name);
		else if (r < 0)
			r = vos_err(ctx, r, "--uplink %s: VOS_SUBSYS_GET_LINK:", name);
		else if (!(li.flags & VOS_LINK_BOUND) || !li.range_prefix)
			r = vos_err_class(
				ctx, -EADDRNOTAVAIL, VOS_ERR_USAGE,
				"--uplink %s: %s provides no network: create it with --provides-network and an uplink",
				name, name);
	}
	/* its namespace, by a pidfd so that a recycled pid is noticed */
	if (r >= 0) {
		pidfd = (int)syscall(SYS_pidfd_open, info.init_pid, 0);
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)info.init_pid);
		f->nsfd = pidfd < 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
		if (f->nsfd < 0 || fstat(f->nsfd, &st) < 0 || st.st_ino != info.netns_inum ||
		    syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
			r = vos_err_class(
				ctx, -ESRCH, VOS_ERR_NAME,
				"--uplink %s: its init went away while linking: start it again",
				name);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (r >= 0) {
		static const uint8_t zero[16];

		f->base = ntohl(li.range4);
		f->prefix = li.range_prefix;
		f->v6 = memcmp(li.addr6, zero, sizeof(zero)) != 0;
		snprintf(f->name, sizeof(f->name), "%s", name);
	}
	vos_subsys_free(p);
	return r < 0 ? r : 0;
}

/*
 * Bind the link: a free /30 of @f's range (and, for a provider, a free
 * client range of prefix @cprefix in it), starting from the id; the kernel
 * says which of the two is taken. *@blk_base and *@range get the choice.
 * The links start in the range's first sixteenth and the client ranges
 * are the other fifteen, so that links scattered over the range do not
 * leave no room for a provider.
 */
static int bind_link(struct vos_ctx *ctx, struct vos_subsys *s, const struct far *f, int ifindex,
		     unsigned int cprefix, uint32_t *blk_base, uint32_t *range)
{
	uint32_t nblocks = 1u << (32 - f->prefix - 2), nslots = 1u << RANGE_STEP;
	uint32_t first = nblocks / nslots > 1 ? nblocks / nslots : 2;
	bool host = f->nsfd < 0;
	uint32_t blk = host ? 1 + (uint32_t)(s->id % (first - 1)) : (uint32_t)(s->id % first);
	uint32_t slot = 1 + (uint32_t)(s->id % (nslots - 1));
	uint32_t tried_b = 0, tried_s = 0, size = cprefix ? 1u << (32 - cprefix) : 0;
	char a[32], rg[32];
	int r;

	for (;;) {
		uint32_t addr = f->base + 4 * blk, rbase = f->base + slot * size;

		if (tried_b >= nblocks)
			return vos_err(ctx, -EADDRINUSE, "uplink: every /30 of %s's range is taken",
				       host ? "the host" : f->name);
		if (cprefix && tried_s >= nslots)
			return vos_err(ctx, -EADDRINUSE,
				       "uplink: no /%u client range is left in %s's range", cprefix,
				       host ? "the host" : f->name);
		/* the pool's first block stays unused, the first sixteenth of
		 * a range is for links; a provider's address is never in its
		 * own range
		 */
		if ((host && !blk) || (cprefix && addr >= rbase && addr < rbase + size)) {
			blk = (blk + 1) % nblocks;
			tried_b++;
			continue;
		}
		if (cprefix && !slot) {
			slot = (slot + 1) % nslots;
			tried_s++;
			continue;
		}
		uint8_t a6[16];

		ip6(a6, NULL, 0, addr, 2);
		r = vos_link_bind(s, f->nsfd, (unsigned int)ifindex, htonl(addr + 2),
				  cprefix ? htonl(rbase) : 0, cprefix, f->v6 ? a6 : NULL);
		if (r == -EADDRINUSE) {
			blk = (blk + 1) % nblocks;
			tried_b++;
		} else if (r == -EEXIST && cprefix) {
			slot = (slot + 1) % nslots;
			tried_s++;
		} else {
			break;
		}
	}
	if (r < 0) {
		ip4(a, sizeof(a), f->base + 4 * blk, 2);
		ip4(rg, sizeof(rg), f->base + slot * size, 0);
		if (r == -ENOTTY || (r == -EINVAL && cprefix))
			return vos_err_class(
				ctx, r, VOS_ERR_NOMODULE,
				"uplink: vos.ko refused %s with client range %s/%u: does it have providers (VOS_CAP_NET_PROVIDER)? Load the module of this release",
				a, rg, cprefix);
		return vos_err_prefix(ctx, r, "uplink: bind vos%llu (%s)",
				      (unsigned long long)s->id, a);
	}
	*blk_base = f->base + 4 * blk;
	*range = f->base + slot * size;
	return 0;
}

int vos_net_uplink(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
		   pid_t pid)
{
	char dev[IFNAMSIZ], far_ip[32], far_cidr[40], in_cidr[40], rcidr[40], in_pidns[64];
	char far6[INET6_ADDRSTRLEN], far6_cidr[64], in6[INET6_ADDRSTRLEN], in6_cidr[64], r6[80];
	uint8_t bytes[16];
	struct stat st6;
	struct far f = { .nsfd = -1 };
	struct nswork w;
	uint32_t blk = 0, range = 0;
	unsigned int cprefix = 0;
	int r, nsfd = -1;

	if (cfg->uplink == VOS_UPLINK_NONE) {
		if (cfg->provides_network)
			return vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"--provides-network needs an uplink to route to: add --uplink host or --uplink PROVIDER");
		return 0;
	}
	if (!s)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "--uplink needs a subsystem: vos.ko binds its link");
	snprintf(f.name, sizeof(f.name), "host");
	if (cfg->uplink == VOS_UPLINK_SUBSYS) {
		r = far_provider(ctx, s, cfg->uplink_name, &f);
	} else {
		r = vos_net_pool(ctx, &f.base, &f.prefix);
		if (!r)
			r = vos_net_host_nat(ctx, f.base, f.prefix);
		/* IPv6 where both the module and the kernel have it */
		f.v6 = vos_ctx_check_extension(ctx, VOS_CAP_NET_IPV6) == 1 &&
		       stat("/proc/sys/net/ipv6", &st6) == 0;
	}
	if (r < 0)
		goto out;
	if (cfg->provides_network) {
		cprefix = f.prefix + RANGE_STEP;
		if (cprefix > RANGE_MAX) {
			r = vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"--provides-network behind %s: its range (/%u) has no room for another provider's (at most %u providers in a chain)",
				f.name, f.prefix, (RANGE_MAX - f.prefix) / RANGE_STEP + 1);
			goto out;
		}
	}
	snprintf(dev, sizeof(dev), "vos%llu", (unsigned long long)s->id);

	/* the pair, from the far side */
	memset(&w, 0, sizeof(w));
	w.fn = ns_create;
	w.dev = dev;
	w.peer_pid = pid;
	r = ns_run(ctx, f.nsfd, f.name, &w);
	if (r < 0)
		goto out;
	r = bind_link(ctx, s, &f, w.ifindex, cprefix, &blk, &range);
	if (r < 0)
		goto out;

	/* the far end: .1, and a provider's clients routed through it */
	ip4(far_ip, sizeof(far_ip), blk, 1);
	snprintf(far_cidr, sizeof(far_cidr), "%s/30", far_ip);
	ip4(in_cidr, sizeof(in_cidr), blk, 2);
	ip4(rcidr, sizeof(rcidr), range, 0);
	snprintf(rcidr + strlen(rcidr), sizeof(rcidr) - strlen(rcidr), "/%u", cprefix);
	/* and their twins: the /126, the client range's /(96 + prefix) */
	ip6(bytes, far6, sizeof(far6), blk, 1);
	snprintf(far6_cidr, sizeof(far6_cidr), "%s/126", far6);
	ip6(bytes, in6, sizeof(in6), blk, 2);
	snprintf(in6_cidr, sizeof(in6_cidr), "%s/126", in6);
	ip6(bytes, r6, sizeof(r6), range, 0);
	snprintf(r6 + strlen(r6), sizeof(r6) - strlen(r6), "/%u", 96 + cprefix);
	memset(&w, 0, sizeof(w));
	w.fn = ns_configure;
	w.dev = dev;
	w.cidr = far_cidr;
	w.to = cprefix ? rcidr : NULL;
	w.gw = cprefix ? in_cidr : NULL;
	if (f.v6) {
		w.cidr6 = far6_cidr;
		w.to6 = cprefix ? r6 : NULL;
		w.gw6 = cprefix ? in6 : NULL;
	}
	r = ns_run(ctx, f.nsfd, f.name, &w);
	if (r < 0)
		goto out;

	/* inside: .2, the default route via .1, forwarding for a provider */
	snprintf(in_pidns, sizeof(in_pidns), "/proc/%d/ns/net", (int)pid);
	nsfd = open(in_pidns, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0) {
		r = vos_err(ctx, -errno, "uplink: %s:", in_pidns);
		goto out;
	}
	snprintf(in_cidr + strlen(in_cidr), sizeof(in_cidr) - strlen(in_cidr), "/30");
	memset(&w, 0, sizeof(w));
	w.fn = ns_configure;
	w.dev = "eth0";
	w.cidr = in_cidr;
	w.gw = far_ip;
	if (f.v6) {
		w.cidr6 = in6_cidr;
		w.gw6 = far6;
	}
	w.forward = cprefix != 0;
	r = ns_run(ctx, nsfd, "inside", &w);
	if (!r) {
		/* the ports published for this name follow it here */
		in_cidr[strcspn(in_cidr, "/")] = '\0';
		/* an ephemeral subsystem's own ports end with it */
		r = vos_publish_link(ctx, s->name, in_cidr, cfg,
				     cfg->persistent ? 0 : (unsigned long long)s->id);
	}
out:
	if (nsfd >= 0)
		close(nsfd);
	if (f.nsfd >= 0)
		close(f.nsfd);
	return r;
}

VOS_EXPORT int vos_subsys_get_link(struct vos_subsys *s, struct vos_link_state *st)
{
	struct vos_link_info li;
	int r;

	if (!s || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	r = link_info(s, &li);
	if (r == -ENOTTY)
		return vos_err_class(
			s->ctx, r, VOS_ERR_NOMODULE,
			"subsystem '%s': this vos.ko cannot report links (VOS_CAP_NET_PROVIDER): load the module of this release",
			s->name);
	if (r < 0)
		return vos_err(s->ctx, r, "subsystem '%s': VOS_SUBSYS_GET_LINK:", s->name);
	st->bound = li.flags & VOS_LINK_BOUND;
	st->ifindex = li.ifindex;
	st->addr4 = li.addr4;
	st->range4 = li.range4;
	st->range_prefix = li.range_prefix;
	st->provider = li.provider;
	memcpy(st->addr6, li.addr6, sizeof(st->addr6));
	return 0;
}
