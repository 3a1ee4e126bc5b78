// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * firewall.c - a subsystem's network rules from user space.
 *
 * vos.ko holds each subsystem's rules and enforces them at the far end of
 * its link (module/netpolicy.c, VOS_CAP_NET_RULES). This file speaks the
 * grammar users know from Qubes' qvm-firewall:
 *
 *   action=accept|drop [proto=tcp|udp|icmp] [dsthost=CIDR|ADDRESS|NAME|@SUBSYS]
 *   [dstports=N[-M]] [icmptype=N] [specialtarget=dns]
 *
 * and turns one such rule into the struct vos_rule the module takes (one or
 * more: a host NAME becomes one rule per IPv4 address it resolves to, and
 * specialtarget=dns one per protocol), formats a struct vos_rule back, and
 * reads and replaces a subsystem's whole set (VOS_SUBSYS_GET_RULES,
 * VOS_SUBSYS_SET_RULES). It also binds a subsystem's link
 * (VOS_SUBSYS_SET_LINK), which the topology code and the tests use.
 *
 * What the grammar means here, where it is not obvious:
 *   - a host NAME is resolved here, with getaddrinfo(): the kernel matches
 *     only addresses, and keeps the name beside each of its rules
 *     (vos_rules.hosts) so that vos_ruleset_refresh() can resolve it
 *     again; nothing follows a name's changes by itself;
 *   - @SUBSYS is looked up by name once; the kernel keeps its id and follows
 *     that subsystem to whatever address its link has. @#ID names an id
 *     directly (what the formatter prints once the subsystem is gone);
 *   - specialtarget=dns is udp and tcp port 53 to the subsystem's resolver
 *     when the caller knows it (@dns4), else to any destination;
 *   - an IPv6 range (dsthost=IPV6[/N]) makes a VOS_RULE_IPV6 rule whose
 *     destination lives beside it in the set (vos_ruleset.addrs6): struct
 *     vos_rule has no room for it, so such rules go through a set
 *     (vos_ruleset_insert_text(), vos_ruleset_format()); proto=icmp to it
 *     is ICMPv6, proto=icmp6 is ICMPv6 to anywhere.
 *
 * Every refusal is -EINVAL with class VOS_ERR_USAGE and a message that
 * names the token and the accepted form, except a @SUBSYS that names no
 * subsystem (-ENOENT, VOS_ERR_NAME) and a name lookup that could not be
 * done now (-EAGAIN). Lookups go through struct vos_rule_lookup so that the
 * unit tests can give their own (private.h); no state outside the context.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>

#include "firewall.h"
#include "private.h"

/* ---- lookups: the real ones ---- */

static int real_subsys_id(struct vos_ctx *ctx, const char *name, uint64_t *id)
{
	struct vos_info info;
	int r;

	r = vos_subsys_get(ctx, name, &info);
	if (r < 0)
		return r;
	*id = info.id;
	return 0;
}

static int real_subsys_name(struct vos_ctx *ctx, uint64_t id, char *buf, size_t len)
{
	struct vos_info *list = NULL;
	size_t n = 0, i;
	int r = -ENOENT;

	/* a netlink dump: no fd of the subsystem is opened (closing one can
	 * be what ends an ephemeral subsystem)
	 */
	if (vos_subsys_list(ctx, &list, &n) < 0)
		return -ENOENT;
	for (i = 0; i < n; i++) {
		if (list[i].id == id && list[i].state != VOS_STATE_DESTROYED) {
			snprintf(buf, len, "%s", list[i].name);
			r = 0;
			break;
		}
	}
	vos_info_list_free(list);
	return r;
}

/* Keep @a in @addrs unless it is there already: the new count. */
static size_t add_unique(uint32_t *addrs, size_t room, size_t n, uint32_t a, size_t *total)
{
	size_t i;

	for (i = 0; i < n && i < room; i++)
		if (addrs[i] == a)
			return n;
	if (n < room)
		addrs[n] = a;
	(*total)++;
	return n + 1;
}

static int real_resolve(struct vos_ctx *ctx, const char *host, uint32_t *addrs, size_t room)
{
	struct addrinfo hints, *res = NULL, *ai;
	size_t n = 0, total = 0;
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM; /* one entry per address, not per socket type */
	r = getaddrinfo(host, NULL, &hints, &res);
	switch (r) {
	case 0:
		break;
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
	case EAI_ADDRFAMILY:
	case EAI_FAIL:
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"dsthost=%s: the name has no IPv4 address (%s); use dsthost=ADDRESS[/N], a name that resolves, or @SUBSYS",
			host, gai_strerror(r));
	case EAI_AGAIN:
		return vos_err_class(
			ctx, -EAGAIN, VOS_ERR_INTERNAL,
			"dsthost=%s: cannot resolve the name now (%s); retry, or give its address",
			host, gai_strerror(r));
	case EAI_MEMORY:
		return vos_err(ctx, -ENOMEM, "dsthost=%s: resolve:", host);
	case EAI_SYSTEM:
		return vos_err(ctx, -errno, "dsthost=%s: resolve:", host);
	default:
		return vos_err_class(ctx, -EIO, VOS_ERR_INTERNAL, "dsthost=%s: resolve: %s", host,
				     gai_strerror(r));
	}
	for (ai = res; ai; ai = ai->ai_next) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;

		if (ai->ai_family != AF_INET || !sin)
			continue;
		n = add_unique(addrs, room, n, sin->sin_addr.s_addr, &total);
	}
	freeaddrinfo(res);
	if (!total)
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"dsthost=%s: the name has no IPv4 address; use dsthost=ADDRESS[/N], a name that resolves, or @SUBSYS",
			host);
	return (int)total;
}

static const struct vos_rule_lookup real_lookup = {
	.subsys_id = real_subsys_id,
	.subsys_name = real_subsys_name,
	.resolve = real_resolve,
};

/* ---- one rule, checked as vos.ko checks it (netpolicy.c: vos_rule_valid) ---- */

int vos_rule_check(struct vos_ctx *ctx, const struct vos_rule *r, const char *what)
{
	bool ports_ok = r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP;

	if (r->action != VOS_RULE_ACCEPT && r->action != VOS_RULE_DROP)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "%s: action %u: use VOS_RULE_ACCEPT or VOS_RULE_DROP", what,
				     r->action);
	if (r->proto && r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP &&
	    r->proto != IPPROTO_ICMP && r->proto != IPPROTO_ICMPV6)
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: proto %u: use 0 (any), IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP or IPPROTO_ICMPV6",
			what, r->proto);
	if (r->flags & ~VOS_RULE_IPV6)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "%s: flags %#x: give 0 or VOS_RULE_IPV6", what, r->flags);
	if ((r->flags & VOS_RULE_IPV6) &&
	    (r->dst_addr || r->dst_prefix || r->dst_subsys || r->proto == IPPROTO_ICMP))
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: an IPv6 rule has its destination in the set's addrs6, and ICMPv6 for ICMP",
			what);
	if (r->proto == IPPROTO_ICMPV6 && r->dst_prefix)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "%s: ICMPv6 to an IPv4 destination: use IPPROTO_ICMP", what);
	if (r->dst_prefix > 32)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "%s: dst_prefix %u: use 0..32",
				     what, r->dst_prefix);
	if (r->dst_subsys && (r->dst_addr || r->dst_prefix))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "%s: dst_subsys and dst_addr: give one destination", what);
	if (ntohl(r->dst_addr) & ~vos_prefix_mask(r->dst_prefix))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "%s: dst_addr has bits set past dst_prefix %u", what,
				     r->dst_prefix);
	if (r->port_min > r->port_max || r->port_max > 65535 || (r->port_max && !ports_ok))
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: ports %u-%u: use port_min <= port_max <= 65535, with IPPROTO_TCP or IPPROTO_UDP (0-0: any)",
			what, r->port_min, r->port_max);
	if (r->icmp_type < -1 || r->icmp_type > 255 ||
	    (r->icmp_type >= 0 && r->proto != IPPROTO_ICMP && r->proto != IPPROTO_ICMPV6))
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: icmp_type %d: use -1 (any) or 0..255 with IPPROTO_ICMP or IPPROTO_ICMPV6",
			what, r->icmp_type);
	return 0;
}

VOS_EXPORT int vos_rule_parse(struct vos_ctx *ctx, const char *rule, uint32_t dns4,
			      struct vos_rule *out, size_t room)
{
	return vos_rule_parse_with(ctx, &real_lookup, rule, dns4, out, room);
}

/* ---- formatting ---- */

static const char *proto_name(uint32_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmp6";
	}
	return NULL;
}

int vos_rule_format_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			 const struct vos_rule *r, char *buf, size_t len)
{
	return vos_rule_format6_with(ctx, lk, r, NULL, buf, len);
}

int vos_rule_format6_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			  const struct vos_rule *r, const struct vos_rule_addr6 *a6, char *buf,
			  size_t len)
{
	char dst[VOS_NAME_MAX + 64] = "", ports[32] = "", icmp[32] = "", name[VOS_NAME_MAX];
	const char *proto;
	int n;

	if (!r || (!buf && len))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "format rule: no rule or buffer");
	n = vos_rule_check(ctx, r, "format rule");
	if (n < 0)
		return n;
	proto = proto_name(r->proto);
	if (r->flags & VOS_RULE_IPV6) {
		char a[INET6_ADDRSTRLEN];

		if (!a6)
			return vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"format rule: an IPv6 rule's destination is in its set: use vos_ruleset_format()");
		inet_ntop(AF_INET6, a6->addr, a, sizeof(a));
		if (a6->prefix == 128)
			snprintf(dst, sizeof(dst), " dsthost=%s", a);
		else
			snprintf(dst, sizeof(dst), " dsthost=%s/%u", a, a6->prefix);
		/* ICMP to an IPv6 destination is ICMPv6: "icmp" parses back */
		if (r->proto == IPPROTO_ICMPV6)
			proto = "icmp";
	} else if (r->dst_subsys) {
		if (lk && lk->subsys_name &&
		    lk->subsys_name(ctx, r->dst_subsys, name, sizeof(name)) == 0)
			snprintf(dst, sizeof(dst), " dsthost=@%s", name);
		else
			snprintf(dst, sizeof(dst), " dsthost=@#%llu",
				 (unsigned long long)r->dst_subsys);
	} else if (r->dst_prefix) {
		char a[INET_ADDRSTRLEN];
		struct in_addr in = { .s_addr = r->dst_addr };

		inet_ntop(AF_INET, &in, a, sizeof(a));
		if (r->dst_prefix == 32)
			snprintf(dst, sizeof(dst), " dsthost=%s", a);
		else
			snprintf(dst, sizeof(dst), " dsthost=%s/%u", a, r->dst_prefix);
	}
	if (r->port_max && r->port_min == r->port_max)
		snprintf(ports, sizeof(ports), " dstports=%u", r->port_min);
	else if (r->port_max)
		snprintf(ports, sizeof(ports), " dstports=%u-%u", r->port_min, r->port_max);
	if (r->icmp_type >= 0)
		snprintf(icmp, sizeof(icmp), " icmptype=%d", r->icmp_type);
	n = snprintf(buf, len, "action=%s%s%s%s%s%s",
		     r->action == VOS_RULE_ACCEPT ? "accept" : "drop", proto ? " proto=" : "",
		     proto ? proto : "", dst, ports, icmp);
	if (n < 0 || (size_t)n >= len)
		return vos_err(ctx, -ENOSPC, "format rule: %d bytes do not fit in %zu", n, len);
	return n;
}

VOS_EXPORT int vos_ruleset_format(struct vos_ctx *ctx, const struct vos_ruleset *rs, size_t i,
				  char *buf, size_t len)
{
	if (!rs || i >= rs->count)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "format rule %zu: the set has %u rules", i + 1,
				     rs ? rs->count : 0);
	return vos_rule_format6_with(ctx, ctx ? &real_lookup : NULL, &rs->rules[i],
				     rs->addrs6 ? &rs->addrs6[i] : NULL, buf, len);
}

VOS_EXPORT int vos_rule_format(struct vos_ctx *ctx, const struct vos_rule *r, char *buf, size_t len)
{
	/* without a context no name is looked up: @#ID */
	return vos_rule_format_with(ctx, ctx ? &real_lookup : NULL, r, buf, len);
}

/* ---- a subsystem's set ---- */

VOS_EXPORT void vos_ruleset_clear(struct vos_ruleset *rs)
{
	if (!rs)
		return;
	free(rs->rules);
	free(rs->hosts);
	free(rs->addrs6);
	memset(rs, 0, sizeof(*rs));
	rs->policy = VOS_RULE_ACCEPT;
}

static int check_count(struct vos_ctx *ctx, size_t count)
{
	if (count > VOS_RULES_MAX)
		return vos_err_class(
			ctx, -E2BIG, VOS_ERR_USAGE,
			"%zu rules: vos.ko holds at most %d per subsystem (VOS_RULES_MAX); delete some first",
			count, VOS_RULES_MAX);
	return 0;
}

/*
 * The arrays beside a set's rules (hosts, addrs6), NULL when absent: make
 * room for @n zeroed elements of @size at @pos of @count, or take them out
 * again.
 */
static int beside_open(void **arr, size_t size, size_t count, size_t pos, size_t n)
{
	char *a;

	if (!*arr)
		return 0;
	a = realloc(*arr, (count + n) * size);
	if (!a)
		return -ENOMEM;
	memmove(a + (pos + n) * size, a + pos * size, (count - pos) * size);
	memset(a + pos * size, 0, n * size);
	*arr = a;
	return 0;
}

static void beside_close(void *arr, size_t size, size_t count, size_t pos, size_t n)
{
	if (arr)
		memmove((char *)arr + pos * size, (char *)arr + (pos + n) * size,
			(count - pos - n) * size);
}

VOS_EXPORT int vos_ruleset_insert(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos,
				  const struct vos_rule *rules, size_t n)
{
	struct vos_rule *nr;
	size_t c;
	int r;

	if (!rs || (!rules && n))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "insert rules: no set or rules");
	if (pos > rs->count)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "insert rules at %zu: the set has %u rules (0..%u)", pos,
				     rs->count, rs->count);
	r = check_count(ctx, (size_t)rs->count + n);
	if (r < 0)
		return r;
	if (!n)
		return 0;
	c = rs->count;
	if (beside_open((void **)&rs->hosts, VOS_RULE_HOST_MAX, c, pos, n) < 0)
		return vos_err(ctx, -ENOMEM, "insert rules:");
	if (beside_open((void **)&rs->addrs6, sizeof(*rs->addrs6), c, pos, n) < 0) {
		beside_close(rs->hosts, VOS_RULE_HOST_MAX, c + n, pos, n);
		return vos_err(ctx, -ENOMEM, "insert rules:");
	}
	nr = realloc(rs->rules, (c + n) * sizeof(*nr));
	if (!nr) {
		/* the arrays beside have room for more: take it out again */
		beside_close(rs->hosts, VOS_RULE_HOST_MAX, c + n, pos, n);
		beside_close(rs->addrs6, sizeof(*rs->addrs6), c + n, pos, n);
		return vos_err(ctx, -ENOMEM, "insert rules:");
	}
	memmove(nr + pos + n, nr + pos, (c - pos) * sizeof(*nr));
	memcpy(nr + pos, rules, n * sizeof(*nr));
	rs->rules = nr;
	rs->count += (uint32_t)n;
	return 0;
}

VOS_EXPORT int vos_ruleset_delete(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos)
{
	if (!rs || pos >= rs->count)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
				     "delete rule %zu: the set has %u rules (0..%u)", pos,
				     rs ? rs->count : 0, rs && rs->count ? rs->count - 1 : 0);
	beside_close(rs->rules, sizeof(*rs->rules), rs->count, pos, 1);
	beside_close(rs->hosts, VOS_RULE_HOST_MAX, rs->count, pos, 1);
	beside_close(rs->addrs6, sizeof(*rs->addrs6), rs->count, pos, 1);
	rs->count--;
	return 0;
}

int vos_ruleset_insert_text_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
				 struct vos_ruleset *rs, size_t pos, const char *rule,
				 uint32_t dns4)
{
	_cleanup_free_ struct vos_rule *add = NULL;
	_cleanup_free_ struct vos_rule_addr6 *a6 = NULL;
	char host[VOS_RULE_HOST_MAX];
	bool v6 = false;
	size_t room, i;
	int n, r;

	if (!rs)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "insert rule: no set");
	room = rs->count < VOS_RULES_MAX ? VOS_RULES_MAX - rs->count : 0;
	add = calloc(room ? room : 1, sizeof(*add));
	a6 = calloc(room ? room : 1, sizeof(*a6));
	if (!add || !a6)
		return vos_err(ctx, -ENOMEM, "insert rule:");
	n = vos_rule_parse_host_with(ctx, lk, rule, dns4, add, a6, room, host);
	if (n < 0)
		return n;
	for (i = 0; i < (size_t)n; i++)
		v6 |= add[i].flags & VOS_RULE_IPV6;
	/* the arrays beside the rules, made when first needed */
	if (host[0] && !rs->hosts)
		rs->hosts = calloc((size_t)rs->count + 1, VOS_RULE_HOST_MAX);
	if (v6 && !rs->addrs6)
		rs->addrs6 = calloc((size_t)rs->count + 1, sizeof(*rs->addrs6));
	if ((host[0] && !rs->hosts) || (v6 && !rs->addrs6))
		return vos_err(ctx, -ENOMEM, "insert rule:");
	r = vos_ruleset_insert(ctx, rs, pos, add, (size_t)n);
	if (r < 0)
		return r;
	for (i = 0; host[0] && i < (size_t)n; i++)
		memcpy(rs->hosts + (pos + i) * VOS_RULE_HOST_MAX, host, sizeof(host));
	if (rs->addrs6)
		memcpy(rs->addrs6 + pos, a6, (size_t)n * sizeof(*a6));
	return n;
}

VOS_EXPORT int vos_ruleset_insert_text(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos,
				       const char *rule, uint32_t dns4)
{
	return vos_ruleset_insert_text_with(ctx, &real_lookup, rs, pos, rule, dns4);
}

/* Rule @b continues the run of rules from one host name that @a is in */
static bool same_name_run(const struct vos_ruleset *rs, size_t a, size_t b)
{
	const struct vos_rule *x = &rs->rules[a], *y = &rs->rules[b];

	return !strcmp(rs->hosts + a * VOS_RULE_HOST_MAX, rs->hosts + b * VOS_RULE_HOST_MAX) &&
	       x->action == y->action && x->proto == y->proto && x->port_min == y->port_min &&
	       x->port_max == y->port_max && x->icmp_type == y->icmp_type && y->dst_prefix == 32 &&
	       !y->dst_subsys;
}

int vos_ruleset_refresh_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			     struct vos_ruleset *rs)
{
	struct vos_ruleset out = { .policy = rs ? rs->policy : VOS_RULE_ACCEPT };
	_cleanup_free_ uint32_t *addrs = NULL;
	size_t i = 0, j, k;
	int names = 0, r = 0;

	if (!rs || (!rs->rules && rs->count))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "refresh rules: no set");
	if (!rs->hosts)
		return 0;
	addrs = calloc(VOS_RULES_MAX + 1, sizeof(*addrs));
	out.hosts = calloc(1, VOS_RULE_HOST_MAX);
	if (rs->addrs6)
		out.addrs6 = calloc(1, sizeof(*out.addrs6));
	if (!addrs || !out.hosts || (rs->addrs6 && !out.addrs6)) {
		vos_ruleset_clear(&out);
		return vos_err(ctx, -ENOMEM, "refresh rules:");
	}
	while (i < rs->count && r >= 0) {
		const char *host = rs->hosts + i * VOS_RULE_HOST_MAX;
		struct vos_rule tmpl = rs->rules[i];
		int n;

		if (!host[0] || tmpl.dst_prefix != 32 || tmpl.dst_subsys) {
			/* not from a name: as it is, host and all */
			r = vos_ruleset_insert(ctx, &out, out.count, &rs->rules[i], 1);
			if (r >= 0 && host[0])
				memcpy(out.hosts + (out.count - 1) * VOS_RULE_HOST_MAX, host,
				       VOS_RULE_HOST_MAX);
			if (r >= 0 && rs->addrs6)
				out.addrs6[out.count - 1] = rs->addrs6[i];
			i++;
			continue;
		}
		for (j = i + 1; j < rs->count && same_name_run(rs, i, j); j++)
			;
		n = lk->resolve(ctx, host, addrs, VOS_RULES_MAX + 1);
		if (n == 0)
			n = vos_err_class(
				ctx, -ENOENT, VOS_ERR_NAME,
				"refresh: dsthost=%s: the name has no IPv4 address now; delete its rules or give an address",
				host);
		if (n < 0) {
			r = n;
			break;
		}
		if ((size_t)n > VOS_RULES_MAX) {
			r = vos_err_class(ctx, -E2BIG, VOS_ERR_USAGE,
					  "refresh: dsthost=%s has more than %d addresses", host,
					  VOS_RULES_MAX);
			break;
		}
		names++;
		tmpl.packets = tmpl.bytes = 0;
		for (k = 0; k < (size_t)n && r >= 0; k++) {
			tmpl.dst_addr = addrs[k];
			r = vos_ruleset_insert(ctx, &out, out.count, &tmpl, 1);
			if (r >= 0)
				memcpy(out.hosts + (out.count - 1) * VOS_RULE_HOST_MAX, host,
				       VOS_RULE_HOST_MAX);
		}
		i = j;
	}
	if (r < 0) {
		vos_ruleset_clear(&out);
		return r;
	}
	out.dropped_spoof = rs->dropped_spoof;
	out.dropped_other = rs->dropped_other;
	vos_ruleset_clear(rs);
	*rs = out;
	return names;
}

VOS_EXPORT int vos_ruleset_refresh(struct vos_ctx *ctx, struct vos_ruleset *rs)
{
	return vos_ruleset_refresh_with(ctx, &real_lookup, rs);
}

static int rules_errno(struct vos_subsys *s, int e, const char *what)
{
	if (e == ENOTTY)
		return vos_err_class(
			s->ctx, -e, VOS_ERR_NOMODULE,
			"subsystem '%s': %s: the loaded vos.ko has no network rules (VOS_CAP_NET_RULES)",
			s->name, what);
	return vos_err(s->ctx, -e, "subsystem '%s': %s:", s->name, what);
}

VOS_EXPORT int vos_subsys_get_rules(struct vos_subsys *s, struct vos_ruleset *rs)
{
	struct vos_ruleset got = { .policy = VOS_RULE_ACCEPT };
	struct vos_rules k;
	uint32_t room = 0;
	bool hosts_ok, v6_ok;
	int tries;

	if (!s || !rs)
		return -EINVAL;
	/* the host names and IPv6 destinations, where the module keeps them */
	hosts_ok = vos_ctx_check_extension(s->ctx, VOS_CAP_RULE_HOSTS) == 1;
	v6_ok = vos_ctx_check_extension(s->ctx, VOS_CAP_NET_IPV6) == 1;
	/* the set may grow between asking its size and reading it: ask again */
	for (tries = 0; tries < 8; tries++) {
		memset(&k, 0, sizeof(k));
		k.size = sizeof(k);
		k.count = room;
		k.rules = (uintptr_t)got.rules;
		k.hosts = (uintptr_t)got.hosts;
		k.addrs6 = (uintptr_t)got.addrs6;
		if (ioctl(s->fd, VOS_SUBSYS_GET_RULES, &k) < 0) {
			int e = errno;

			vos_ruleset_clear(&got);
			return rules_errno(s, e, "VOS_SUBSYS_GET_RULES");
		}
		if (k.count <= room)
			break;
		room = k.count;
		vos_ruleset_clear(&got);
		got.rules = calloc(room, sizeof(*got.rules));
		if (hosts_ok)
			got.hosts = calloc(room, VOS_RULE_HOST_MAX);
		if (v6_ok)
			got.addrs6 = calloc(room, sizeof(*got.addrs6));
		if (!got.rules || (hosts_ok && !got.hosts) || (v6_ok && !got.addrs6)) {
			vos_ruleset_clear(&got);
			return vos_err(s->ctx, -ENOMEM, "subsystem '%s': rules:", s->name);
		}
	}
	if (k.count > room) {
		vos_ruleset_clear(&got);
		return vos_err(s->ctx, -EAGAIN,
			       "subsystem '%s': the rules kept changing while read", s->name);
	}
	if (!k.count)
		vos_ruleset_clear(&got);
	vos_ruleset_clear(rs);
	rs->policy = k.policy;
	rs->count = k.count;
	rs->rules = got.rules;
	rs->hosts = got.hosts;
	rs->addrs6 = got.addrs6;
	rs->dropped_spoof = k.dropped_spoof;
	rs->dropped_other = k.dropped_other;
	return 0;
}

VOS_EXPORT int vos_subsys_set_rules(struct vos_subsys *s, const struct vos_ruleset *rs)
{
	struct vos_rules k;
	char what[32];
	bool v6 = false;
	uint32_t i;
	int r;

	if (!s || !rs || (!rs->rules && rs->count))
		return -EINVAL;
	if (rs->policy != VOS_RULE_ACCEPT && rs->policy != VOS_RULE_DROP)
		return vos_err_class(s->ctx, -EINVAL, VOS_ERR_USAGE,
				     "policy %u: use VOS_RULE_ACCEPT or VOS_RULE_DROP", rs->policy);
	r = check_count(s->ctx, rs->count);
	if (r < 0)
		return r;
	for (i = 0; i < rs->count; i++) {
		snprintf(what, sizeof(what), "rule %u", i + 1);
		r = vos_rule_check(s->ctx, &rs->rules[i], what);
		if (r < 0)
			return r;
		v6 |= rs->rules[i].flags & VOS_RULE_IPV6;
	}
	if (v6 && !rs->addrs6)
		return vos_err_class(s->ctx, -EINVAL, VOS_ERR_USAGE,
				     "an IPv6 rule without its destination (the set's addrs6)");
	if (v6 && vos_ctx_check_extension(s->ctx, VOS_CAP_NET_IPV6) != 1)
		return vos_err_class(
			s->ctx, -ENOTTY, VOS_ERR_NOMODULE,
			"subsystem '%s': the loaded vos.ko has no IPv6 rules (VOS_CAP_NET_IPV6): load the module of this release",
			s->name);
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	k.policy = rs->policy;
	k.count = rs->count;
	k.rules = (uintptr_t)rs->rules;
	/* a module without VOS_CAP_RULE_HOSTS takes the rules without names */
	if (rs->hosts && rs->count && vos_ctx_check_extension(s->ctx, VOS_CAP_RULE_HOSTS) == 1)
		k.hosts = (uintptr_t)rs->hosts;
	if (v6)
		k.addrs6 = (uintptr_t)rs->addrs6;
	if (ioctl(s->fd, VOS_SUBSYS_SET_RULES, &k) < 0)
		return rules_errno(s, errno, "VOS_SUBSYS_SET_RULES");
	return 0;
}

/* ---- the link ---- */

int vos_link_bind(struct vos_subsys *s, int netns_fd, unsigned int ifindex, uint32_t addr4,
		  uint32_t range4, unsigned int range_prefix, const uint8_t *addr6)
{
	struct vos_link l;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.netns_fd = netns_fd;
	l.ifindex = ifindex;
	l.addr4 = addr4;
	l.range4 = range4;
	l.range_prefix = range_prefix;
	if (addr6)
		memcpy(l.addr6, addr6, sizeof(l.addr6));
	else /* the size of the first version: any vos.ko takes it */
		l.size = offsetof(struct vos_link, addr6);
	return ioctl(s->fd, VOS_SUBSYS_SET_LINK, &l) < 0 ? -errno : 0;
}

VOS_EXPORT int vos_subsys_set_link(struct vos_subsys *s, int netns_fd, unsigned int ifindex,
				   uint32_t addr4)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = addr4 };
	int e;

	if (!s)
		return -EINVAL;
	inet_ntop(AF_INET, &in, a, sizeof(a));
	if (!ifindex || !addr4)
		return vos_err_class(
			s->ctx, -EINVAL, VOS_ERR_USAGE,
			"subsystem '%s': set link: give the far end's ifindex and the subsystem's address",
			s->name);
	e = -vos_link_bind(s, netns_fd, ifindex, addr4, 0, 0, NULL);
	if (!e)
		return 0;
	switch (e) {
	case EINVAL:
		return vos_err_class(
			s->ctx, -e, VOS_ERR_USAGE,
			"subsystem '%s': set link %u: not a veth whose peer is in the subsystem's network namespace (or the subsystem shares the host's network)",
			s->name, ifindex);
	case EBADF:
		return vos_err_class(s->ctx, -e, VOS_ERR_USAGE,
				     "subsystem '%s': set link: netns fd %d is not open", s->name,
				     netns_fd);
	case ENODEV:
		/* not the module missing: no such device in that namespace */
		return vos_err_class(s->ctx, -e, VOS_ERR_USAGE,
				     "subsystem '%s': set link: no device with index %u there",
				     s->name, ifindex);
	case EADDRINUSE:
		return vos_err_class(
			s->ctx, -e, VOS_ERR_USAGE,
			"subsystem '%s': set link: %s is another subsystem's link address", s->name,
			a);
	case EBUSY:
		return vos_err_class(s->ctx, -e, VOS_ERR_INTERNAL,
				     "subsystem '%s': set link: its link is bound already",
				     s->name);
	case ESRCH:
		return vos_err_class(s->ctx, -e, VOS_ERR_NAME,
				     "subsystem '%s': set link: it has no running init", s->name);
	case EPERM:
	case EACCES:
		return vos_err_class(
			s->ctx, -e, VOS_ERR_PERM,
			"subsystem '%s': set link: binding needs CAP_NET_ADMIN over the far end's network namespace",
			s->name);
	default:
		return rules_errno(s, e, "VOS_SUBSYS_SET_LINK");
	}
}
