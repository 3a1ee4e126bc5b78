// SPDX-License-Identifier: GPL-2.0
/*
 * netpolicy.c - a subsystem's network rules, held and enforced by vos.ko.
 *
 * A subsystem's link is a veth pair: one end in the subsystem's network
 * namespace, the far end in its uplink's (the host's or a provider
 * subsystem's). VOS_SUBSYS_SET_LINK binds the far end to the subsystem;
 * the module then checks every packet the subsystem sends, at the far
 * end's ingress (a netfilter NETDEV hook on that one device: no other
 * packet of the machine passes through this code; on a kernel without
 * CONFIG_NETFILTER_INGRESS, IPv4 and IPv6 PRE_ROUTING hooks in the far
 * namespace that look only at packets from that device), out of reach of
 * anything inside the subsystem, whatever capabilities it holds in its own
 * namespaces:
 *
 *   - ARP and other non-IP frames pass (the link needs them);
 *   - IPv6 is dropped (no IPv6 rules yet);
 *   - an IPv4 source other than the address bound to the link is dropped
 *     (anti-spoofing);
 *   - the rules, first match wins; then, for a destination that is another
 *     subsystem's link address, drop (subsystems reach each other only by
 *     a rule of the sender that names that subsystem or an address range
 *     holding its address: a rule without a destination does not count),
 *     else the subsystem's policy (accept unless set to drop).
 *
 * Rule sets are replaced whole (RCU): the hook sees the old set or the new
 * one, never a mix. Counters are per rule. A drop is reported as a
 * VOS_EVENT_NET_DENIED event, at most ten a second per subsystem: the hook
 * (softirq) notes the first drop of a window and counts the rest under a
 * spinlock and queues a delayed work item, which sends the event.
 *
 * The binding goes when the subsystem is destroyed and when the far end's
 * device is unregistered (the notifier below; a namespace that exits
 * unregisters its devices first, and either end of a veth takes the other
 * with it): a device or namespace is never used after it is gone, and
 * nothing here holds them alive.
 *
 * Locking: rtnl_lock, then vos_net_lock (the bindings). The hook reads
 * under RCU (it runs in softirq context: it takes no lock of the module's).
 */

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/uaccess.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>

#include "vos.h"

struct vos_ruleset {
	u32 policy;			/* VOS_RULE_ACCEPT or VOS_RULE_DROP */
	u32 count;
	struct rcu_head rcu;
	atomic64_t *counters;		/* packets, bytes per rule */
	/* per rule: the name of the subsystem dst_subsys had when the set was
	 * made ("" if none): the rule follows that name (NULL: no such rule)
	 */
	char (*names)[VOS_NAME_MAX];
	/* per rule: the host name user space resolved it from, or NULL
	 * (vos_rules.hosts; NULL: none given)
	 */
	char **hosts;
	/* per rule: a VOS_RULE_IPV6 rule's destination (NULL: no such rule) */
	struct vos_rule_addr6 *addrs6;
	struct vos_rule rules[];
};

/* A subsystem's network state: its rules and, once bound, its link. */
struct vos_netstate {
	struct vos_ruleset __rcu *rules;
	/* the link, under vos_net_lock; the hook reads addr4 and rules */
	struct list_head node;		/* vos_links, while bound */
	struct net *net;		/* far end's namespace, not a reference */
	struct net *inside;		/* the subsystem's, not a reference */
	struct net_device *dev;		/* far end, not a reference */
	int ifindex;
	__be32 addr4;
	struct in6_addr addr6;		/* any: no IPv6 (set before listing) */
	__be32 range4;			/* a provider's client range */
	u32 range_prefix;		/* 0: not a provider */
	u64 subsys_id;
	bool bound;
	struct nf_hook_ops ops[2];
	unsigned int nops;
	atomic64_t dropped_spoof;
	atomic64_t dropped_other;
	/* drop events: the first drop of the window and how many followed */
	struct vos_subsys *subsys;	/* outlives this state (vos_net_release) */
	spinlock_t ev_lock;
	struct vos_net_drop_info ev_first;
	u64 ev_pending;
	struct delayed_work ev_work;
	struct rcu_head rcu;
};

/* What a rule sees of an IPv6 packet: the transport and its offset. */
struct vos_pkt6 {
	const struct ipv6hdr *h;
	u8 proto;		/* the transport (after extension headers) */
	int thoff;		/* its offset, < 0: not found */
	bool later_frag;	/* a fragment other than the first: no ports */
};

#define VOS_NET_EVENT_DELAY	(HZ / 10)
#define VOS_NET_DEPTH_MAX	8	/* providers above a link, a bound */

static void vos_net_event_work(struct work_struct *work)
{
	struct vos_netstate *ns = container_of(to_delayed_work(work),
					       struct vos_netstate, ev_work);
	struct vos_net_drop_info d;
	u64 n;

	spin_lock_bh(&ns->ev_lock);
	d = ns->ev_first;
	n = ns->ev_pending;
	ns->ev_pending = 0;
	spin_unlock_bh(&ns->ev_lock);
	if (n)
		vos_event_net(ns->subsys, &d, n - 1);
}

/* From the hook: note a drop, and have an event sent within the window. */
static void vos_net_note_drop(struct vos_netstate *ns, u32 reason, u32 rule,
			      const struct sk_buff *skb, const struct iphdr *iph,
			      const struct vos_pkt6 *p6)
{
	spin_lock(&ns->ev_lock);
	if (!ns->ev_pending++) {
		struct vos_net_drop_info *d = &ns->ev_first;

		memset(d, 0, sizeof(*d));
		d->reason = reason;
		d->rule = rule;
		if (iph) {
			d->proto = iph->protocol;
			d->saddr = iph->saddr;
			d->daddr = iph->daddr;
			if ((iph->protocol == IPPROTO_TCP ||
			     iph->protocol == IPPROTO_UDP) && !ip_is_fragment(iph)) {
				__be16 _p[2];
				const __be16 *p;

				p = skb_header_pointer(skb, iph->ihl * 4,
						       sizeof(_p), _p);
				if (p) {
					d->sport = ntohs(p[0]);
					d->dport = ntohs(p[1]);
				}
			}
		} else if (p6) {
			/* IPv6: its own address attributes */
			d->v6 = true;
			d->saddr6 = p6->h->saddr;
			d->daddr6 = p6->h->daddr;
			d->proto = p6->thoff < 0 ? 0 : p6->proto;
			if ((d->proto == IPPROTO_TCP || d->proto == IPPROTO_UDP) &&
			    !p6->later_frag) {
				__be16 _p[2];
				const __be16 *p;

				p = skb_header_pointer(skb, p6->thoff,
						       sizeof(_p), _p);
				if (p) {
					d->sport = ntohs(p[0]);
					d->dport = ntohs(p[1]);
				}
			}
		}
	}
	spin_unlock(&ns->ev_lock);
	/* a no-op while queued: one event per window */
	schedule_delayed_work(&ns->ev_work, VOS_NET_EVENT_DELAY);
}

static DEFINE_MUTEX(vos_net_lock);
static LIST_HEAD(vos_links);		/* bound links; RCU for the hook */

/* The link whose address is @addr, NULL if none (RCU or vos_net_lock). */
static struct vos_netstate *vos_addr_link(__be32 addr)
{
	struct vos_netstate *ns;

	list_for_each_entry_rcu(ns, &vos_links, node,
				lockdep_is_held(&vos_net_lock))
		if (READ_ONCE(ns->addr4) == addr)
			return ns;
	return NULL;
}

static bool vos_in_range(__be32 addr, __be32 base, u32 prefix)
{
	u32 mask = prefix ? ~0U << (32 - prefix) : 0;

	return prefix && (ntohl(addr) & mask) == ntohl(base);
}

/* The bound link whose subsystem's namespace is @net, NULL if none. */
static struct vos_netstate *vos_link_inside(const struct net *net)
{
	struct vos_netstate *p;

	lockdep_assert_held(&vos_net_lock);
	list_for_each_entry(p, &vos_links, node)
		if (p->inside == net)
			return p;
	return NULL;
}

/* The provider whose namespace holds @ns's far end, NULL if none. */
static struct vos_netstate *vos_link_provider(const struct vos_netstate *ns)
{
	return vos_link_inside(ns->net);
}

/*
 * A rule naming a subsystem (dst_subsys) matches @dst by the name that
 * subsystem had when the set was made (@name: a subsystem made again under
 * it), else by its id.
 */
static bool vos_rule_names(const struct vos_rule *r, const char *name,
			   const struct vos_netstate *dst)
{
	if (!dst)
		return false;
	return name && name[0] ? !strcmp(dst->subsys->name, name) :
	       r->dst_subsys == dst->subsys_id;
}

/*
 * A rule's destination ports and ICMP type against the transport header at
 * @off (< 0: not found); none of a fragment that does not hold it (@frag).
 */
static bool vos_rule_match_l4(const struct vos_rule *r,
			      const struct sk_buff *skb, int off, bool frag)
{
	if ((r->port_max || r->icmp_type >= 0) && (off < 0 || frag))
		return false;
	if (r->port_max) {
		__be16 _ports[2];
		const __be16 *ports;
		u16 dport;

		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (!ports)
			return false;
		dport = ntohs(ports[1]);
		if (dport < r->port_min || dport > r->port_max)
			return false;
	}
	if (r->icmp_type >= 0) {
		u8 _type;
		const u8 *type;

		type = skb_header_pointer(skb, off, sizeof(_type), &_type);
		if (!type || *type != r->icmp_type)
			return false;
	}
	return true;
}

/* Rule @i of @rs decided: count it if @count, its number in @rule. */
static unsigned int vos_rule_hit(const struct vos_ruleset *rs, u32 i,
				 const struct sk_buff *skb, bool count,
				 u32 *rule)
{
	if (count) {
		atomic64_inc(&rs->counters[2 * i]);
		atomic64_add(skb->len, &rs->counters[2 * i + 1]);
	}
	*rule = i + 1;
	return rs->rules[i].action == VOS_RULE_ACCEPT ? NF_ACCEPT : NF_DROP;
}

static bool vos_rule_match(const struct vos_rule *r, const char *name,
			   const struct iphdr *iph,
			   const struct vos_netstate *dst,
			   const struct sk_buff *skb)
{
	if (r->flags & VOS_RULE_IPV6)
		return false;
	if (r->proto && r->proto != iph->protocol)
		return false;
	/* another subsystem only by a rule that names it or its address */
	if (dst && !r->dst_subsys && !r->dst_prefix)
		return false;
	if (r->dst_subsys) {
		if (!vos_rule_names(r, name, dst))
			return false;
	} else if (r->dst_prefix) {
		u32 mask = r->dst_prefix == 32 ? ~0U : ~(~0U >> r->dst_prefix);

		if ((ntohl(iph->daddr) & mask) !=
		    ntohl((__force __be32)r->dst_addr))
			return false;
	}
	return vos_rule_match_l4(r, skb, iph->ihl * 4, ip_is_fragment(iph));
}

/*
 * The verdict of @ns's rules on a packet it sent (RCU): the rule number
 * that decided it in @rule (0: none), the counters bumped if @count.
 */
static unsigned int vos_net_verdict(const struct vos_netstate *ns,
				    const struct iphdr *iph,
				    const struct sk_buff *skb, bool count,
				    u32 *rule, u64 *dst_owner)
{
	const struct vos_netstate *dst;
	const struct vos_ruleset *rs;
	unsigned int verdict;
	u32 i;

	*rule = 0;
	dst = vos_addr_link(iph->daddr);
	if (dst == ns)
		dst = NULL;
	*dst_owner = dst ? dst->subsys_id : 0;
	rs = rcu_dereference(ns->rules);
	verdict = dst ? NF_DROP : NF_ACCEPT;
	if (!rs)
		return verdict;
	if (!dst && rs->policy == VOS_RULE_DROP)
		verdict = NF_DROP;
	for (i = 0; i < rs->count; i++) {
		if (!vos_rule_match(&rs->rules[i],
				    rs->names ? rs->names[i] : NULL, iph, dst,
				    skb))
			continue;
		return vos_rule_hit(rs, i, skb, count, rule);
	}
	return verdict;
}

/*
 * A provider's link, a source in its client range: a client's (or its
 * clients') packet, forwarded: it passes what that subsystem's own rules
 * pass (already counted at its own link), anything else is spoofed.
 */
static bool vos_net_forwarded_ok(const struct vos_netstate *ns,
				 const struct iphdr *iph,
				 const struct sk_buff *skb)
{
	const struct vos_netstate *c;
	u64 dst_owner;
	bool ok;
	u32 rule;

	if (!vos_in_range(iph->saddr, READ_ONCE(ns->range4),
			  READ_ONCE(ns->range_prefix)))
		return false;
	rcu_read_lock();
	c = vos_addr_link(iph->saddr);
	ok = c && vos_net_verdict(c, iph, skb, false, &rule, &dst_owner) ==
		  NF_ACCEPT;
	rcu_read_unlock();
	return ok;
}

/* ---- IPv6 (VOS_CAP_NET_IPV6) ---- */

/* The link whose IPv6 address is @a, NULL if none (RCU or vos_net_lock). */
static struct vos_netstate *vos_addr6_link(const struct in6_addr *a)
{
	struct vos_netstate *ns;

	list_for_each_entry_rcu(ns, &vos_links, node,
				lockdep_is_held(&vos_net_lock))
		if (!ipv6_addr_any(&ns->addr6) && ipv6_addr_equal(&ns->addr6, a))
			return ns;
	return NULL;
}

static void vos_pkt6_parse(const struct sk_buff *skb, const struct ipv6hdr *h,
			   struct vos_pkt6 *p)
{
	__be16 frag_off = 0;
	u8 nexthdr = h->nexthdr;

	p->h = h;
	p->thoff = ipv6_skip_exthdr(skb, sizeof(*h), &nexthdr, &frag_off);
	p->proto = nexthdr;
	p->later_frag = frag_off & htons(~0x7);
}

static bool vos_rule_match6(const struct vos_rule *r, const char *name,
			    const struct vos_rule_addr6 *a6,
			    const struct vos_pkt6 *p,
			    const struct vos_netstate *dst,
			    const struct sk_buff *skb)
{
	bool v6net = (r->flags & VOS_RULE_IPV6) && a6->prefix;

	/* an IPv4 range never matches IPv6 */
	if (!(r->flags & VOS_RULE_IPV6) && r->dst_prefix)
		return false;
	if (r->proto && (p->thoff < 0 || r->proto != p->proto))
		return false;
	/* another subsystem only by a rule that names it or its address */
	if (dst && !r->dst_subsys && !v6net)
		return false;
	if (r->dst_subsys) {
		if (!vos_rule_names(r, name, dst))
			return false;
	} else if (v6net &&
		   !ipv6_prefix_equal(&p->h->daddr,
				      (const struct in6_addr *)a6->addr,
				      a6->prefix)) {
		return false;
	}
	return vos_rule_match_l4(r, skb, p->thoff, p->later_frag);
}

/* vos_net_verdict() for IPv6: no match is a drop, whatever the policy. */
static unsigned int vos_net_verdict6(const struct vos_netstate *ns,
				     const struct vos_pkt6 *p,
				     const struct sk_buff *skb, bool count,
				     u32 *rule, u64 *dst_owner)
{
	static const struct vos_rule_addr6 none;
	const struct vos_netstate *dst;
	const struct vos_ruleset *rs;
	u32 i;

	*rule = 0;
	dst = vos_addr6_link(&p->h->daddr);
	if (dst == ns)
		dst = NULL;
	*dst_owner = dst ? dst->subsys_id : 0;
	rs = rcu_dereference(ns->rules);
	for (i = 0; rs && i < rs->count; i++) {
		if (!vos_rule_match6(&rs->rules[i],
				     rs->names ? rs->names[i] : NULL,
				     rs->addrs6 ? &rs->addrs6[i] : &none, p,
				     dst, skb))
			continue;
		return vos_rule_hit(rs, i, skb, count, rule);
	}
	return NF_DROP;
}

/*
 * Neighbour discovery and MLD: a solicitation, an advertisement or a
 * listener report, from the link's address, a link-local or the
 * unspecified one, to a link-local, multicast or far-end address, with
 * the hop limit the protocol demands (such packets go no further).
 */
static bool vos_net_nd_ok(const struct vos_netstate *ns,
			  const struct vos_pkt6 *p, const struct sk_buff *skb,
			  struct net_device *dev)
{
	const struct ipv6hdr *h = p->h;
	int st = ipv6_addr_type(&h->saddr), dt = ipv6_addr_type(&h->daddr);
	u8 _type;
	const u8 *type;

	if (p->proto != IPPROTO_ICMPV6 || p->thoff < 0 || p->later_frag)
		return false;
	if (!(st & IPV6_ADDR_LINKLOCAL) && st != IPV6_ADDR_ANY &&
	    !ipv6_addr_equal(&h->saddr, &ns->addr6))
		return false;
	type = skb_header_pointer(skb, p->thoff, sizeof(_type), &_type);
	if (!type)
		return false;
	switch (*type) {
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		if (h->hop_limit != 255 || p->thoff != sizeof(*h))
			return false;
		break;
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
		if (h->hop_limit != 1)
			return false;
		break;
	default:
		return false;
	}
	return (dt & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MULTICAST)) ||
	       ipv6_chk_addr(dev_net(dev), &h->daddr, dev, 0);
}

/* The bound link whose subsystem's namespace is @net (RCU). */
static struct vos_netstate *vos_link_inside_rcu(const struct net *net)
{
	struct vos_netstate *p;

	list_for_each_entry_rcu(p, &vos_links, node)
		if (READ_ONCE(p->inside) == net)
			return p;
	return NULL;
}

/*
 * A provider's link, an IPv6 source not its own: a client's (or its
 * clients') packet, forwarded, passes what that subsystem's rules pass.
 */
static bool vos_net_forwarded6_ok(const struct vos_netstate *ns,
				  const struct vos_pkt6 *p,
				  const struct sk_buff *skb)
{
	const struct vos_netstate *c, *up;
	bool ok = false;
	u64 dst_owner;
	u32 rule;
	int depth;

	rcu_read_lock();
	c = vos_addr6_link(&p->h->saddr);
	/* @ns must be a provider above @c */
	for (up = c, depth = 0; up && depth <= VOS_NET_DEPTH_MAX; depth++) {
		up = vos_link_inside_rcu(READ_ONCE(up->net));
		if (up == ns) {
			ok = vos_net_verdict6(c, p, skb, false, &rule,
					      &dst_owner) == NF_ACCEPT;
			break;
		}
	}
	rcu_read_unlock();
	return ok;
}

static unsigned int vos_net_hook6(struct vos_netstate *ns, struct sk_buff *skb,
				  struct net_device *dev)
{
	struct ipv6hdr _h;
	const struct ipv6hdr *h;
	struct vos_pkt6 p;
	unsigned int verdict;
	u64 dst_owner;
	u32 rule;

	h = skb_header_pointer(skb, 0, sizeof(_h), &_h);
	if (!h || h->version != 6 || ipv6_addr_any(&ns->addr6)) {
		atomic64_inc(&ns->dropped_other);
		vos_net_note_drop(ns, VOS_DROP_IPV6, 0, skb, NULL, NULL);
		return NF_DROP;
	}
	vos_pkt6_parse(skb, h, &p);
	if (vos_net_nd_ok(ns, &p, skb, dev))
		return NF_ACCEPT;
	if (!ipv6_addr_equal(&h->saddr, &ns->addr6)) {
		if (vos_net_forwarded6_ok(ns, &p, skb))
			return NF_ACCEPT;
		atomic64_inc(&ns->dropped_spoof);
		vos_net_note_drop(ns, VOS_DROP_SPOOF, 0, skb, NULL, &p);
		return NF_DROP;
	}
	rcu_read_lock();
	verdict = vos_net_verdict6(ns, &p, skb, true, &rule, &dst_owner);
	rcu_read_unlock();
	if (verdict == NF_DROP) {
		if (!rule)
			atomic64_inc(&ns->dropped_other);
		vos_net_note_drop(ns, rule ? VOS_DROP_RULE :
				  dst_owner ? VOS_DROP_SUBSYS : VOS_DROP_IPV6,
				  rule, skb, NULL, &p);
	}
	return verdict;
}

static unsigned int vos_net_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct vos_netstate *ns = priv;
	struct iphdr _iph;
	const struct iphdr *iph;
	unsigned int verdict;
	u64 dst_owner;
	u32 rule;

	/* the PRE_ROUTING fallback sees the whole namespace's packets */
	if (state->in != READ_ONCE(ns->dev))
		return NF_ACCEPT;
	if (skb->protocol == htons(ETH_P_IPV6))
		return vos_net_hook6(ns, skb, state->in);
	if (skb->protocol != htons(ETH_P_IP))
		return NF_ACCEPT;
	iph = skb_header_pointer(skb, 0, sizeof(_iph), &_iph);
	if (iph && iph->ihl >= 5 && iph->version == 4 &&
	    iph->saddr != READ_ONCE(ns->addr4) &&
	    vos_net_forwarded_ok(ns, iph, skb))
		return NF_ACCEPT;
	if (!iph || iph->ihl < 5 || iph->version != 4 ||
	    iph->saddr != READ_ONCE(ns->addr4)) {
		atomic64_inc(&ns->dropped_spoof);
		vos_net_note_drop(ns, VOS_DROP_SPOOF, 0, skb,
				  iph && iph->version == 4 ? iph : NULL, NULL);
		return NF_DROP;
	}

	rcu_read_lock();
	verdict = vos_net_verdict(ns, iph, skb, true, &rule, &dst_owner);
	rcu_read_unlock();
	if (verdict == NF_DROP && !rule)
		atomic64_inc(&ns->dropped_other);
	if (verdict == NF_DROP)
		vos_net_note_drop(ns, rule ? VOS_DROP_RULE :
				  dst_owner ? VOS_DROP_SUBSYS :
				  VOS_DROP_POLICY, rule, skb, iph, NULL);
	return verdict;
}

static void vos_ruleset_free_hosts(struct vos_ruleset *rs)
{
	u32 i;

	for (i = 0; rs->hosts && i < rs->count; i++)
		kfree(rs->hosts[i]);
	kvfree(rs->hosts);
	rs->hosts = NULL;
}

static bool vos_host_valid(const char *h)
{
	for (; *h; h++)
		if (!isalnum(*h) && *h != '.' && *h != '-' && *h != '_')
			return false;
	return true;
}

/*
 * Copy the host names of @rs's rules from @uhosts (VOS_RULE_HOST_MAX bytes
 * a rule, "" for none): only the ones given are kept.
 */
static int vos_ruleset_copy_hosts(struct vos_ruleset *rs,
				  const char __user *uhosts)
{
	char *buf;
	u32 i;
	int ret = 0;

	buf = kmalloc(VOS_RULE_HOST_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	rs->hosts = kvcalloc(rs->count, sizeof(*rs->hosts), GFP_KERNEL_ACCOUNT);
	if (!rs->hosts)
		ret = -ENOMEM;
	for (i = 0; !ret && i < rs->count; i++) {
		long n = strncpy_from_user(buf, uhosts + (size_t)i *
					   VOS_RULE_HOST_MAX, VOS_RULE_HOST_MAX);

		if (n < 0) {
			ret = n;
		} else if (n == VOS_RULE_HOST_MAX || !vos_host_valid(buf)) {
			ret = -EINVAL;
		} else if (n) {
			rs->hosts[i] = kstrdup(buf, GFP_KERNEL_ACCOUNT);
			if (!rs->hosts[i])
				ret = -ENOMEM;
		}
	}
	kfree(buf);
	if (ret)
		vos_ruleset_free_hosts(rs);
	return ret;
}

static void vos_ruleset_free_rcu(struct rcu_head *head)
{
	struct vos_ruleset *rs = container_of(head, struct vos_ruleset, rcu);

	vos_ruleset_free_hosts(rs);
	kvfree(rs->addrs6);
	kvfree(rs->names);
	kvfree(rs->counters);
	kvfree(rs);
}

static struct vos_netstate *vos_netstate_get(struct vos_subsys *s)
{
	struct vos_netstate *ns;

	lockdep_assert_held(&vos_net_lock);
	if (s->net)
		return s->net;
	ns = kzalloc(sizeof(*ns), GFP_KERNEL_ACCOUNT);
	if (!ns)
		return NULL;
	INIT_LIST_HEAD(&ns->node);
	ns->subsys_id = s->id;
	ns->subsys = s;
	spin_lock_init(&ns->ev_lock);
	INIT_DELAYED_WORK(&ns->ev_work, vos_net_event_work);
	s->net = ns;
	return ns;
}

/* Drop the link binding: unhook, unlist. Caller holds rtnl and the lock. */
static void vos_link_unbind(struct vos_netstate *ns)
{
	ASSERT_RTNL();
	lockdep_assert_held(&vos_net_lock);
	if (!ns->bound)
		return;
	nf_unregister_net_hooks(ns->net, ns->ops, ns->nops);
	list_del_rcu(&ns->node);
	ns->bound = false;
	WRITE_ONCE(ns->dev, NULL);
	ns->net = NULL;
	ns->inside = NULL;
	/* the hook and address lookups may still see it until a grace period */
	synchronize_rcu();
	INIT_LIST_HEAD(&ns->node);
}

static int vos_rule_valid(const struct vos_rule *r)
{
	if (r->action != VOS_RULE_ACCEPT && r->action != VOS_RULE_DROP)
		return -EINVAL;
	if (r->proto && r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP &&
	    r->proto != IPPROTO_ICMP && r->proto != IPPROTO_ICMPV6)
		return -EINVAL;
	if ((r->flags & ~VOS_RULE_IPV6) || r->dst_prefix > 32)
		return -EINVAL;
	/* an IPv6 rule has its destination in vos_rules.addrs6; ICMP is
	 * IPv4's, ICMPv6 IPv6's
	 */
	if ((r->flags & VOS_RULE_IPV6) &&
	    (r->dst_addr || r->dst_prefix || r->dst_subsys ||
	     r->proto == IPPROTO_ICMP))
		return -EINVAL;
	if (r->proto == IPPROTO_ICMPV6 && r->dst_prefix)
		return -EINVAL;
	if (r->dst_subsys && (r->dst_addr || r->dst_prefix))
		return -EINVAL;
	if (r->dst_prefix < 32 &&
	    (ntohl((__force __be32)r->dst_addr) & (~0U >> r->dst_prefix)))
		return -EINVAL;		/* host bits set past the prefix */
	if (!r->dst_prefix && r->dst_addr)
		return -EINVAL;
	if (r->port_min > r->port_max || r->port_max > 65535 ||
	    (r->port_max && r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP))
		return -EINVAL;
	if (r->icmp_type < -1 || r->icmp_type > 255 ||
	    (r->icmp_type >= 0 && r->proto != IPPROTO_ICMP &&
	     r->proto != IPPROTO_ICMPV6))
		return -EINVAL;
	return 0;
}

static int vos_rule_addr6_valid(const struct vos_rule *r,
				const struct vos_rule_addr6 *a)
{
	struct in6_addr net;

	if (!(r->flags & VOS_RULE_IPV6))
		return memchr_inv(a, 0, sizeof(*a)) ? -EINVAL : 0;
	if (a->pad || a->prefix > 128)
		return -EINVAL;
	/* no bits set past the prefix */
	ipv6_addr_prefix(&net, (const struct in6_addr *)a->addr, a->prefix);
	return memcmp(&net, a->addr, sizeof(net)) ? -EINVAL : 0;
}

/* Copy and check the IPv6 destinations of @rs's rules from @u. */
static int vos_ruleset_copy_addrs6(struct vos_ruleset *rs,
				   const struct vos_rule_addr6 __user *u)
{
	u32 i;

	rs->addrs6 = kvcalloc(rs->count, sizeof(*rs->addrs6),
			      GFP_KERNEL_ACCOUNT);
	if (!rs->addrs6)
		return -ENOMEM;
	if (copy_from_user(rs->addrs6, u,
			   array_size(rs->count, sizeof(*rs->addrs6))))
		return -EFAULT;
	for (i = 0; i < rs->count; i++)
		if (vos_rule_addr6_valid(&rs->rules[i], &rs->addrs6[i]))
			return -EINVAL;
	return 0;
}

int vos_net_set_rules(struct vos_subsys *s, const struct vos_rules *in)
{
	const void __user *urules = u64_to_user_ptr(in->rules);
	struct vos_ruleset *rs, *old;
	struct vos_netstate *ns;
	u32 i;
	int ret;

	if (in->flags || in->count > VOS_RULES_MAX ||
	    (in->policy != VOS_RULE_ACCEPT && in->policy != VOS_RULE_DROP))
		return -EINVAL;
	rs = kvzalloc(struct_size(rs, rules, in->count), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	rs->counters = kvcalloc(2 * (size_t)in->count + 1, sizeof(atomic64_t),
				GFP_KERNEL_ACCOUNT);
	if (!rs->counters) {
		kvfree(rs);
		return -ENOMEM;
	}
	rs->policy = in->policy;
	rs->count = in->count;
	if (copy_from_user(rs->rules, urules,
			   array_size(in->count, sizeof(struct vos_rule)))) {
		ret = -EFAULT;
		goto err;
	}
	for (i = 0; i < in->count; i++) {
		struct vos_subsys *d;

		/* counters are out only */
		rs->rules[i].packets = 0;
		rs->rules[i].bytes = 0;
		ret = vos_rule_valid(&rs->rules[i]);
		if (ret)
			goto err;
		if (!rs->rules[i].dst_subsys)
			continue;
		/* the rule follows the name the subsystem has now */
		d = vos_subsys_get_by_id(rs->rules[i].dst_subsys);
		if (!d)
			continue;
		if (!rs->names)
			rs->names = kvcalloc(in->count, VOS_NAME_MAX,
					     GFP_KERNEL_ACCOUNT);
		if (rs->names)
			strscpy(rs->names[i], d->name, VOS_NAME_MAX);
		vos_subsys_put(d);
		ret = -ENOMEM;
		if (!rs->names)
			goto err;
	}

	if (in->hosts && in->count) {
		ret = vos_ruleset_copy_hosts(rs, u64_to_user_ptr(in->hosts));
		if (ret)
			goto err;
	}
	for (i = 0; !in->addrs6 && i < in->count; i++) {
		ret = -EINVAL;		/* an IPv6 rule without its destination */
		if (rs->rules[i].flags & VOS_RULE_IPV6)
			goto err;
	}
	if (in->addrs6 && in->count) {
		ret = vos_ruleset_copy_addrs6(rs, u64_to_user_ptr(in->addrs6));
		if (ret)
			goto err;
	}

	mutex_lock(&vos_net_lock);
	ns = vos_netstate_get(s);
	if (!ns) {
		mutex_unlock(&vos_net_lock);
		ret = -ENOMEM;
		goto err;
	}
	old = rcu_replace_pointer(ns->rules, rs, lockdep_is_held(&vos_net_lock));
	mutex_unlock(&vos_net_lock);
	if (old)
		call_rcu(&old->rcu, vos_ruleset_free_rcu);
	return 0;
err:
	vos_ruleset_free_hosts(rs);
	kvfree(rs->addrs6);
	kvfree(rs->names);
	kvfree(rs->counters);
	kvfree(rs);
	return ret;
}

/* Copy rule @i's host name of @rs out to @uhosts ("" for none). */
static int vos_rule_host_out(const struct vos_ruleset *rs, u32 i,
			     char __user *uhosts)
{
	const char *h = rs->hosts && rs->hosts[i] ? rs->hosts[i] : "";
	char __user *dst = uhosts + (size_t)i * VOS_RULE_HOST_MAX;

	return copy_to_user(dst, h, strlen(h) + 1) ? -EFAULT : 0;
}

int vos_net_get_rules(struct vos_subsys *s, struct vos_rules *out,
		      struct vos_rule __user *urules, char __user *uhosts,
		      struct vos_rule_addr6 __user *uaddrs6)
{
	static const struct vos_rule_addr6 none;
	char (*names)[VOS_NAME_MAX] = NULL;
	struct vos_netstate *ns;
	struct vos_ruleset *rs;
	u32 cap = out->count, i, n = 0;
	int ret = 0;

	/* room for the names the rules follow, resolved after the lock */
	if (cap) {
		names = kvcalloc(cap, VOS_NAME_MAX, GFP_KERNEL_ACCOUNT);
		if (!names)
			return -ENOMEM;
	}
	mutex_lock(&vos_net_lock);
	ns = s->net;
	rs = ns ? rcu_dereference_protected(ns->rules,
					    lockdep_is_held(&vos_net_lock)) : NULL;
	out->policy = rs ? rs->policy : VOS_RULE_ACCEPT;
	out->count = rs ? rs->count : 0;
	out->dropped_spoof = ns ? atomic64_read(&ns->dropped_spoof) : 0;
	out->dropped_other = ns ? atomic64_read(&ns->dropped_other) : 0;
	for (i = 0; rs && i < rs->count && i < cap; i++) {
		struct vos_rule r = rs->rules[i];

		r.packets = atomic64_read(&rs->counters[2 * i]);
		r.bytes = atomic64_read(&rs->counters[2 * i + 1]);
		if (rs->names)
			memcpy(names[i], rs->names[i], VOS_NAME_MAX);
		n = i + 1;
		if (copy_to_user(&urules[i], &r, sizeof(r))) {
			ret = -EFAULT;
			break;
		}
		if (uhosts) {
			ret = vos_rule_host_out(rs, i, uhosts);
			if (ret)
				break;
		}
		if (uaddrs6 &&
		    copy_to_user(&uaddrs6[i], rs->addrs6 ? &rs->addrs6[i] : &none,
				 sizeof(none))) {
			ret = -EFAULT;
			break;
		}
	}
	mutex_unlock(&vos_net_lock);
	/* a rule names the subsystem of that name now (vos_lock is taken
	 * before this one elsewhere: not under it)
	 */
	for (i = 0; !ret && i < n; i++) {
		struct vos_subsys *d;

		if (!names[i][0])
			continue;
		d = vos_subsys_get_by_name(names[i]);
		if (!d)
			continue;
		if (put_user(d->id, &urules[i].dst_subsys))
			ret = -EFAULT;
		vos_subsys_put(d);
	}
	kvfree(names);
	return ret;
}

/* The network namespace of @s's init, with a reference; NULL if none. */
static struct net *vos_subsys_net(struct vos_subsys *s)
{
	struct task_struct *task;
	struct net *net = NULL;
	struct pid *pid;

	mutex_lock(&vos_lock);
	pid = s->state == VOS_STATE_RUNNING ? get_pid(s->init_pid) : NULL;
	mutex_unlock(&vos_lock);
	if (!pid)
		return NULL;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return NULL;
	task_lock(task);
	if (task->nsproxy)
		net = get_net(task->nsproxy->net_ns);
	task_unlock(task);
	put_task_struct(task);
	return net;
}

/* @a is @b or one of its providers, theirs, ... */
static bool vos_link_above(const struct vos_netstate *a,
			   const struct vos_netstate *b)
{
	unsigned int depth;

	for (depth = 0; b && depth < VOS_NET_DEPTH_MAX; depth++) {
		if (a == b)
			return true;
		b = vos_link_provider(b);
	}
	return false;
}

/*
 * May @l's address and range be bound under @prov? (See struct vos_link:
 * the ranges nest, every address of a range is its subtree's.) The address
 * is checked first, then the range: EADDRINUSE says the address is taken,
 * EEXIST the range, so a caller choosing both knows which to change.
 */
static int vos_link_fits(const struct vos_link *l, struct vos_netstate *prov)
{
	__be32 addr = (__force __be32)l->addr4;
	__be32 range = (__force __be32)l->range4;
	struct vos_netstate *x;

	lockdep_assert_held(&vos_net_lock);
	if (prov && (!vos_in_range(addr, prov->range4, prov->range_prefix) ||
		     (l->range_prefix &&
		      (l->range_prefix <= prov->range_prefix ||
		       !vos_in_range(range, prov->range4,
				     prov->range_prefix)))))
		return -EADDRNOTAVAIL;
	list_for_each_entry(x, &vos_links, node)
		if (x->addr4 == addr ||
		    (x->range_prefix && !vos_link_above(x, prov) &&
		     vos_in_range(addr, x->range4, x->range_prefix)))
			return -EADDRINUSE;
	if (!l->range_prefix)
		return 0;
	list_for_each_entry(x, &vos_links, node)
		if (vos_in_range(x->addr4, range, l->range_prefix) ||
		    (x->range_prefix && !vos_link_above(x, prov) &&
		     (vos_in_range(range, x->range4, x->range_prefix) ||
		      vos_in_range(x->range4, range, l->range_prefix))))
			return -EEXIST;
	return 0;
}

static int vos_link_valid(const struct vos_link *l)
{
	u32 host;

	const struct in6_addr *a6 = (const struct in6_addr *)l->addr6;
	int t = ipv6_addr_type(a6);

	if (l->flags || l->pad || !l->addr4 || !l->ifindex || l->reserved)
		return -EINVAL;
	/* a unicast global (or unique local) address, or none */
	if (!ipv6_addr_any(a6) &&
	    (!(t & IPV6_ADDR_UNICAST) ||
	     (t & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED |
		   IPV6_ADDR_SITELOCAL))))
		return -EINVAL;
	if (!l->range_prefix)
		return l->range4 ? -EINVAL : 0;
	if (l->range_prefix < 8 || l->range_prefix > 29)
		return -EINVAL;
	host = ~(~0U << (32 - l->range_prefix));
	if (ntohl((__force __be32)l->range4) & host)
		return -EINVAL;
	/* the provider's own address is its uplink's, not its clients' */
	if (vos_in_range((__force __be32)l->addr4, (__force __be32)l->range4,
			 l->range_prefix))
		return -EINVAL;
	return 0;
}

int vos_net_set_link(struct vos_subsys *s, const struct vos_link *l)
{
	struct net *far, *inside;
	struct vos_netstate *ns, *prov;
	struct net_device *dev;
	int ret;

	ret = vos_link_valid(l);
	if (ret)
		return ret;
	if (s->policy.net != VOS_NET_ISOLATED)
		return -EINVAL;
	far = l->netns_fd == -1 ? get_net(current->nsproxy->net_ns) :
				  get_net_ns_by_fd(l->netns_fd);
	if (IS_ERR(far))
		return PTR_ERR(far);
	if (!ns_capable(far->user_ns, CAP_NET_ADMIN)) {
		put_net(far);
		return -EPERM;
	}
	inside = vos_subsys_net(s);
	if (!inside) {
		put_net(far);
		return -ESRCH;
	}

	rtnl_lock();
	mutex_lock(&vos_net_lock);
	ret = -ENODEV;
	dev = __dev_get_by_index(far, l->ifindex);
	if (!dev)
		goto out;
	/* a veth whose other end is in the subsystem's own namespace */
	ret = -EINVAL;
	if (!dev->rtnl_link_ops || strcmp(dev->rtnl_link_ops->kind, "veth") ||
	    !dev->rtnl_link_ops->get_link_net ||
	    dev->rtnl_link_ops->get_link_net(dev) != inside || far == inside)
		goto out;
	ret = -ENOMEM;
	ns = vos_netstate_get(s);
	if (!ns)
		goto out;
	ret = -EBUSY;
	if (ns->bound)
		goto out;
	/* a provider's client: its range must be there to hold the address */
	prov = vos_link_inside(far);
	ret = -EADDRNOTAVAIL;
	if (prov && !prov->range_prefix)
		goto out;
	ret = vos_link_fits(l, prov);
	if (ret)
		goto out;
	ret = -EADDRINUSE;
	if (!ipv6_addr_any((const struct in6_addr *)l->addr6) &&
	    vos_addr6_link((const struct in6_addr *)l->addr6))
		goto out;
	memcpy(&ns->addr6, l->addr6, sizeof(ns->addr6));
	ns->ops[0] = (struct nf_hook_ops){
		.hook = vos_net_hook,
		.dev = dev,
		.priv = ns,
		.pf = NFPROTO_NETDEV,
		.hooknum = NF_NETDEV_INGRESS,
		.priority = INT_MIN,
	};
	ns->nops = 1;
	ns->net = far;
	ns->inside = inside;
	WRITE_ONCE(ns->dev, dev);
	ns->ifindex = l->ifindex;
	WRITE_ONCE(ns->addr4, (__force __be32)l->addr4);
	WRITE_ONCE(ns->range4, (__force __be32)l->range4);
	WRITE_ONCE(ns->range_prefix, l->range_prefix);
	ret = nf_register_net_hooks(far, ns->ops, ns->nops);
	if (ret == -EOPNOTSUPP) {
		/* no ingress hooks in this kernel: filter by device at
		 * PRE_ROUTING, before conntrack and every other hook
		 */
		ns->ops[0] = (struct nf_hook_ops){
			.hook = vos_net_hook,
			.priv = ns,
			.pf = NFPROTO_IPV4,
			.hooknum = NF_INET_PRE_ROUTING,
			.priority = INT_MIN,
		};
		ns->ops[1] = ns->ops[0];
		ns->ops[1].pf = NFPROTO_IPV6;
		ns->nops = 2;
		ret = nf_register_net_hooks(far, ns->ops, ns->nops);
	}
	if (ret) {
		ns->net = NULL;
		ns->inside = NULL;
		ns->dev = NULL;
		ns->range_prefix = 0;
		ns->range4 = 0;
		memset(&ns->addr6, 0, sizeof(ns->addr6));
		goto out;
	}
	ns->bound = true;
	list_add_tail_rcu(&ns->node, &vos_links);
out:
	mutex_unlock(&vos_net_lock);
	rtnl_unlock();
	put_net(inside);
	put_net(far);
	return ret;
}

int vos_net_get_link(struct vos_subsys *s, struct vos_link_info *out)
{
	struct vos_netstate *ns, *prov;

	mutex_lock(&vos_net_lock);
	ns = s->net;
	if (ns && ns->bound) {
		out->flags = VOS_LINK_BOUND;
		out->ifindex = ns->ifindex;
		out->addr4 = (__force u32)ns->addr4;
		out->range4 = (__force u32)ns->range4;
		out->range_prefix = ns->range_prefix;
		memcpy(out->addr6, &ns->addr6, sizeof(out->addr6));
		prov = vos_link_provider(ns);
		out->provider = prov ? prov->subsys_id : 0;
	}
	mutex_unlock(&vos_net_lock);
	return 0;
}

/* At destroy: unbind and free (the hook is gone after the grace period). */
void vos_net_release(struct vos_subsys *s)
{
	struct vos_netstate *ns = s->net;
	struct vos_ruleset *rs;

	if (!ns)
		return;
	rtnl_lock();
	mutex_lock(&vos_net_lock);
	vos_link_unbind(ns);
	rs = rcu_replace_pointer(ns->rules, NULL, lockdep_is_held(&vos_net_lock));
	s->net = NULL;
	mutex_unlock(&vos_net_lock);
	rtnl_unlock();
	/* unhooked and past a grace period: nothing queues it again; a drop
	 * noted but not reported yet is reported now, before DESTROYED
	 */
	flush_delayed_work(&ns->ev_work);
	if (rs)
		call_rcu(&rs->rcu, vos_ruleset_free_rcu);
	kfree_rcu(ns, rcu);
}

/* The far end's device goes away: unbind before it is freed. */
static int vos_net_notifier(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vos_netstate *ns, *tmp;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	mutex_lock(&vos_net_lock);
	list_for_each_entry_safe(ns, tmp, &vos_links, node)
		if (ns->dev == dev)
			vos_link_unbind(ns);
	mutex_unlock(&vos_net_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vos_netdev_nb = {
	.notifier_call = vos_net_notifier,
};

int vos_net_init(void)
{
	return register_netdevice_notifier(&vos_netdev_nb);
}

void vos_net_uninit(void)
{
	unregister_netdevice_notifier(&vos_netdev_nb);
}
