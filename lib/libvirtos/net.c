// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * net.c - a subsystem's link to its uplink (issue 12): with "--uplink host"
 * a veth pair, "vos<ID>" on the host and "eth0" inside, a /30 of the pool
 * 10.213.0.0/16 (the host end .1, the subsystem .2, its default route via
 * .1), the host forwarding and masquerading the pool, and the far end bound
 * to the subsystem in vos.ko (VOS_SUBSYS_SET_LINK), whose rules then check
 * every packet the subsystem sends (module/netpolicy.c).
 *
 * The kernel is the registry of addresses: SET_LINK refuses an address
 * another subsystem's link has (EADDRINUSE), so the block is chosen from
 * the subsystem id and the next one is tried on a clash; nothing is stored
 * anywhere, and everything goes when the subsystem's network namespace does
 * (the veth pair with it, the binding with the device). What stays on the
 * host is shared by every such subsystem: net.ipv4.ip_forward=1 and the nft
 * table "ip virtos" with one masquerade rule for the pool.
 *
 * Runs in the parent, after clone() and before the child is released. The
 * child's end is configured by a short-lived process that joins the child's
 * network namespace, so the caller never changes namespace (the same
 * single-threaded-caller rule as spawning).
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
#include <sys/wait.h>

#include "private.h"

#define POOL_BASE  0x0ad50000u /* 10.213.0.0/16 */
#define POOL_LINKS 16384u      /* /30 blocks in it */
#define NAT_RULES                                                                       \
	"add table ip virtos\n"                                                         \
	"add chain ip virtos postrouting { type nat hook postrouting priority srcnat; " \
	"policy accept; }\n"                                                            \
	"flush chain ip virtos postrouting\n"                                           \
	"add rule ip virtos postrouting ip saddr 10.213.0.0/16 oifname != \"vos*\" "    \
	"masquerade\n"

/* Host byte order address @n of block @blk as "a.b.c.d". */
static void block_addr(char *buf, size_t len, unsigned int blk, unsigned int n)
{
	struct in_addr a = { .s_addr = htonl(POOL_BASE + 4 * blk + n) };

	snprintf(buf, len, "%s", inet_ntoa(a));
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

/* Address @cidr on link @ifindex, the link up, and with @gw a default route. */
static int configure(struct nl_sock *sk, int ifindex, const char *cidr, const char *gw,
		     const char **what)
{
	struct rtnl_link *link = NULL, *chg = NULL;
	struct rtnl_addr *addr = NULL;
	struct rtnl_route *route = NULL;
	struct nl_addr *local = NULL, *dst = NULL, *via = NULL;
	struct rtnl_nexthop *nh;
	int r;

	*what = "address";
	addr = rtnl_addr_alloc();
	r = addr ? nl_addr_parse(cidr, AF_INET, &local) : -NLE_NOMEM;
	if (!r) {
		rtnl_addr_set_ifindex(addr, ifindex);
		r = rtnl_addr_set_local(addr, local);
	}
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
		*what = "default route";
		route = rtnl_route_alloc();
		nh = rtnl_route_nh_alloc();
		r = route && nh ? nl_addr_parse("0.0.0.0/0", AF_INET, &dst) : -NLE_NOMEM;
		if (!r)
			r = nl_addr_parse(gw, AF_INET, &via);
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

/*
 * Configure eth0 inside @pid's network namespace from a process that joins
 * it; its failure comes back as a message on a pipe.
 */
static int configure_inside(struct vos_ctx *ctx, pid_t pid, const char *cidr, const char *gw)
{
	char path[64], msg[200] = "";
	int p[2], st, r;
	pid_t c;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return vos_err(ctx, -errno, "uplink: pipe:");
	c = fork();
	if (c < 0) {
		r = vos_err(ctx, -errno, "uplink: fork:");
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (c == 0) {
		const char *what = "join the network namespace";
		struct nl_sock *sk = NULL;
		int fd, ifindex, e = 0;

		close(p[0]);
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			e = errno;
		} else {
			sk = nl_socket_alloc();
			what = "netlink";
			e = sk && !nl_connect(sk, NETLINK_ROUTE) ? 0 : EIO;
		}
		if (!e) {
			what = "eth0";
			ifindex = (int)if_nametoindex("eth0");
			e = ifindex ? 0 : errno;
		}
		if (!e) {
			/* IPv4 only: vos.ko drops IPv6, so no address
			 * autoconfiguration sends it for nothing (a kernel
			 * without IPv6 has no such file)
			 */
			int v6 = open("/proc/sys/net/ipv6/conf/eth0/disable_ipv6",
				      O_WRONLY | O_CLOEXEC);

			what = "disable IPv6 on eth0";
			if (v6 >= 0) {
				e = write(v6, "1", 1) == 1 ? 0 : errno;
				close(v6);
			} else if (errno != ENOENT) {
				e = errno;
			}
		}
		if (!e) {
			r = configure(sk, ifindex, cidr, gw, &what);
			if (r < 0) {
				snprintf(msg, sizeof(msg), "inside: %s %s: %s", what, cidr,
					 nl_geterror(r));
				e = -nl_err(r);
			}
		} else {
			snprintf(msg, sizeof(msg), "inside: %s: %s", what, strerror(e));
		}
		if (e && write(p[1], msg, strlen(msg)) < 0)
			e = EIO;
		_exit(e ? 1 : 0);
	}
	close(p[1]);
	n = read(p[0], msg, sizeof(msg) - 1);
	close(p[0]);
	while (waitpid(c, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	msg[n > 0 ? n : 0] = '\0';
	return vos_err(ctx, -EIO, "uplink: %s", msg[0] ? msg : "configuring eth0 failed");
}

/* The host forwards and masquerades the pool (shared by every subsystem). */
static int host_nat(struct vos_ctx *ctx)
{
	struct nft_ctx *nft;
	char *errbuf;
	int fd, r = 0;

	fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		r = vos_err(ctx, -errno, "uplink: enable net.ipv4.ip_forward:");
		if (fd >= 0)
			close(fd);
		return r;
	}
	close(fd);
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return vos_err(ctx, -ENOMEM, "uplink: nftables:");
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	/* one transaction: the rule is replaced, never missing */
	if (nft_run_cmd_from_buffer(nft, NAT_RULES) != 0) {
		errbuf = (char *)nft_ctx_get_error_buffer(nft);
		r = vos_err(ctx, -EIO, "uplink: nftables masquerade for 10.213.0.0/16: %.*s",
			    (int)strcspn(errbuf ? errbuf : "", "\n"), errbuf ? errbuf : "");
	}
	nft_ctx_free(nft);
	return r;
}

int vos_net_uplink(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
		   pid_t pid)
{
	char host[IFNAMSIZ], hostaddr[32], cidr[40], inaddr[32];
	struct rtnl_link *veth = NULL, *peer;
	struct nl_sock *sk;
	unsigned int blk, tries;
	int r, ifindex;

	if (cfg->uplink != VOS_UPLINK_HOST)
		return 0;
	if (!s)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "--uplink host needs a subsystem: vos.ko binds its link");
	r = host_nat(ctx);
	if (r < 0)
		return r;
	sk = nl_socket_alloc();
	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0) {
		if (sk)
			nl_socket_free(sk);
		return vos_err(ctx, -EIO, "uplink: netlink route socket");
	}
	snprintf(host, sizeof(host), "vos%llu", (unsigned long long)s->id);
	veth = rtnl_link_veth_alloc();
	if (!veth) {
		r = vos_err(ctx, -ENOMEM, "uplink:");
		goto out;
	}
	rtnl_link_set_name(veth, host);
	peer = rtnl_link_veth_get_peer(veth);
	rtnl_link_set_name(peer, "eth0");
	rtnl_link_set_ns_pid(peer, pid);
	rtnl_link_put(peer);
	r = rtnl_link_add(sk, veth, NLM_F_CREATE | NLM_F_EXCL);
	if (r < 0) {
		r = vos_err(ctx, nl_err(r), "uplink: create veth %s: %s", host, nl_geterror(r));
		goto out;
	}
	ifindex = (int)if_nametoindex(host);
	if (!ifindex) {
		r = vos_err(ctx, -errno, "uplink: %s:", host);
		goto out;
	}
	/* the block: from the id, the next free one on a clash */
	r = -EADDRINUSE;
	for (tries = 0, blk = (unsigned int)(s->id % POOL_LINKS);
	     tries < POOL_LINKS && r == -EADDRINUSE; tries++, blk = (blk + 1) % POOL_LINKS) {
		if (!blk)
			continue; /* 10.213.0.0/30: keep the pool's first block */
		block_addr(inaddr, sizeof(inaddr), blk, 2);
		r = vos_subsys_set_link(s, -1, (unsigned int)ifindex, inet_addr(inaddr));
	}
	if (r == -EADDRINUSE) {
		r = vos_err(ctx, r, "uplink: every address of 10.213.0.0/16 is taken");
		goto out;
	}
	if (r < 0) {
		r = vos_err_prefix(ctx, r, "uplink: %s", host);
		goto out;
	}
	blk = (blk + POOL_LINKS - 1) % POOL_LINKS;
	block_addr(hostaddr, sizeof(hostaddr), blk, 1);
	snprintf(cidr, sizeof(cidr), "%s/30", hostaddr);
	{
		const char *what;

		r = configure(sk, ifindex, cidr, NULL, &what);
		if (r < 0) {
			r = vos_err(ctx, nl_err(r), "uplink: %s %s %s: %s", host, what, cidr,
				    nl_geterror(r));
			goto out;
		}
	}
	snprintf(cidr, sizeof(cidr), "%s/30", inaddr);
	r = configure_inside(ctx, pid, cidr, hostaddr);
out:
	if (veth)
		rtnl_link_veth_release(veth);
	nl_socket_free(sk);
	return r;
}
