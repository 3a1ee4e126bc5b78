// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ruleparse.c - one rule in the grammar of Qubes' qvm-firewall, parsed into
 * the struct vos_rule(s) vos.ko takes (see firewall.c for what the grammar
 * means here). Each token is checked on its own and then the rule as a
 * whole; a refusal names the token and the form it takes. Host names and
 * @SUBSYS go through the caller's struct vos_rule_lookup.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "firewall.h"
#include "private.h"

/* ---- parsing ---- */

/* What one rule said, before it is expanded into kernel rules. The tok_*
 * pointers are the tokens as given, for the messages.
 */
struct parsed {
	const char *tok_action, *tok_proto, *tok_dsthost, *tok_ports, *tok_icmp, *tok_special;
	uint32_t action;
	uint32_t proto;
	enum {
		DST_ANY,
		DST_NET,
		DST_SUBSYS,
		DST_NAME,
		DST_NET6
	} dst;
	struct vos_rule_addr6 net6; /* DST_NET6 */
	uint32_t addr;		    /* network byte order */
	uint32_t prefix;
	uint64_t subsys;
	const char *host; /* DST_NAME, or @NAME before the lookup */
	uint32_t port_min, port_max;
	int icmp_type;
	bool dns;
};

/* A decimal number with no sign, space or leading zero (but "0"), up to
 * @max: 0, or -EINVAL if it is no number, -ERANGE past @max.
 */
static int parse_uint(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	bool over = false;
	size_t i;

	if (len == 0 || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned int)(s[i] - '0');
		if (v > (max - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

static int usage(struct vos_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage(struct vos_ctx *ctx, const char *fmt, ...)
{
	char msg[VOS_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "%s", msg);
}

static int parse_action(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	if (strcmp(v, "accept") == 0)
		p->action = VOS_RULE_ACCEPT;
	else if (strcmp(v, "drop") == 0)
		p->action = VOS_RULE_DROP;
	else
		return usage(ctx, "%s: use action=accept or action=drop", tok);
	return 0;
}

static int parse_proto(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	if (strcmp(v, "tcp") == 0)
		p->proto = IPPROTO_TCP;
	else if (strcmp(v, "udp") == 0)
		p->proto = IPPROTO_UDP;
	else if (strcmp(v, "icmp6") == 0)
		p->proto = IPPROTO_ICMPV6;
	else if (strcmp(v, "icmp") == 0)
		p->proto = IPPROTO_ICMP;
	else
		return usage(ctx, "%s: use proto=tcp, proto=udp, proto=icmp or proto=icmp6", tok);
	return 0;
}

/* A host name as DNS has them: labels of 1..63 letters, digits, '-' and
 * '_', not starting or ending with '-', at most 253 bytes; a final dot is
 * allowed.
 */
static bool host_name_ok(const char *h)
{
	size_t n = strlen(h), i, label = 0;

	if (n && h[n - 1] == '.')
		n--;
	if (n < 1 || n > 253)
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || h[i] == '.') {
			if (label < 1 || label > 63 || h[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '_')
			return false;
		if (label == 0 && h[i] == '-')
			return false;
		label++;
	}
	return true;
}

/* dsthost=IPV6[/N]: an IPv6 range (N 0..128, no bits past it; no /N: /128) */
static int parse_dsthost6(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	const char *slash = strchr(v, '/');
	char addr[INET6_ADDRSTRLEN];
	size_t alen = slash ? (size_t)(slash - v) : strlen(v), i;
	unsigned long long n = 128;

	if (alen >= sizeof(addr))
		return usage(ctx, "%s: not an IPv6 address; use dsthost=IPV6 or IPV6/N", tok);
	memcpy(addr, v, alen);
	addr[alen] = '\0';
	memset(&p->net6, 0, sizeof(p->net6));
	if (inet_pton(AF_INET6, addr, p->net6.addr) != 1)
		return usage(ctx, "%s: '%s' is not an IPv6 address; use dsthost=IPV6 or IPV6/N",
			     tok, addr);
	if (slash && parse_uint(slash + 1, strlen(slash + 1), 128, &n))
		return usage(ctx, "%s: an IPv6 prefix is 0..128; use dsthost=IPV6/N", tok);
	for (i = 0; i < 16; i++) {
		unsigned int keep = n >= (i + 1) * 8 ? 8
				    : n > i * 8	     ? (unsigned int)(n - i * 8)
						     : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		if (p->net6.addr[i] & ~mask)
			return usage(ctx, "%s: bits set past /%llu; give the network's address",
				     tok, n);
	}
	p->net6.prefix = (uint32_t)n;
	p->dst = DST_NET6;
	return 0;
}

static int parse_dsthost(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	const char *slash = strchr(v, '/');
	struct in_addr in;
	char addr[INET_ADDRSTRLEN];
	unsigned long long n;

	if (v[0] == '@') {
		if (v[1] == '#') {
			if (parse_uint(v + 2, strlen(v + 2), UINT64_MAX, &n) || n == 0)
				return usage(
					ctx,
					"%s: use dsthost=@NAME or dsthost=@#ID, a subsystem's id (1 or more)",
					tok);
			p->dst = DST_SUBSYS;
			p->subsys = n;
			return 0;
		}
		if (vos_name_check(v + 1) < 0)
			return usage(
				ctx,
				"%s: '%s' is not a subsystem name; use dsthost=@NAME with a subsystem's name",
				tok, v + 1);
		p->dst = DST_SUBSYS;
		p->host = v + 1; /* looked up once the rule is whole */
		return 0;
	}
	if (strchr(v, ':'))
		return parse_dsthost6(ctx, p, tok, v);
	if (slash) {
		size_t alen = (size_t)(slash - v);
		uint32_t mask;
		int r;

		if (alen >= sizeof(addr))
			return usage(ctx,
				     "%s: not an IPv4 address and prefix; use dsthost=A.B.C.D/N",
				     tok);
		memcpy(addr, v, alen);
		addr[alen] = '\0';
		if (inet_pton(AF_INET, addr, &in) != 1)
			return usage(ctx, "%s: '%s' is not an IPv4 address; use dsthost=A.B.C.D/N",
				     tok, addr);
		r = parse_uint(slash + 1, strlen(slash + 1), 32, &n);
		if (r)
			return usage(ctx, "%s: a prefix is 0..32; use dsthost=A.B.C.D/N", tok);
		mask = vos_prefix_mask((uint32_t)n);
		if (ntohl(in.s_addr) & ~mask) {
			char net[INET_ADDRSTRLEN];
			struct in_addr na = { .s_addr = htonl(ntohl(in.s_addr) & mask) };

			inet_ntop(AF_INET, &na, net, sizeof(net));
			return usage(ctx, "%s: host bits set past /%llu; use dsthost=%s/%llu", tok,
				     n, net, n);
		}
		p->dst = n ? DST_NET : DST_ANY;
		p->addr = in.s_addr;
		p->prefix = (uint32_t)n;
		return 0;
	}
	if (inet_pton(AF_INET, v, &in) == 1) {
		p->dst = DST_NET;
		p->addr = in.s_addr;
		p->prefix = 32;
		return 0;
	}
	/* digits and dots only: a mistyped address, not a name to look up */
	if (v[0] && strspn(v, "0123456789.") == strlen(v))
		return usage(ctx, "%s: not an IPv4 address; use dsthost=A.B.C.D or A.B.C.D/N", tok);
	if (!host_name_ok(v))
		return usage(
			ctx,
			"%s: not an address, a prefix, a host name or a subsystem; use dsthost=A.B.C.D[/N], dsthost=NAME or dsthost=@SUBSYS",
			tok);
	p->dst = DST_NAME;
	p->host = v;
	return 0;
}

static int parse_ports(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	const char *dash = strchr(v, '-');
	unsigned long long lo, hi;
	int r1, r2;

	r1 = parse_uint(v, dash ? (size_t)(dash - v) : strlen(v), 65535, &lo);
	r2 = dash ? parse_uint(dash + 1, strlen(dash + 1), 65535, &hi) : 0;
	if (!dash)
		hi = lo;
	if (r1 == -EINVAL || r2 == -EINVAL)
		return usage(ctx,
			     "%s: not a port or a range; use dstports=N or N-M (ports 1..65535)",
			     tok);
	if (r1 || r2 || lo == 0 || hi == 0)
		return usage(ctx, "%s: a port is 1..65535; use dstports=N or N-M", tok);
	if (lo > hi)
		return usage(ctx, "%s: the range is reversed; use dstports=N-M with N <= M", tok);
	p->port_min = (uint32_t)lo;
	p->port_max = (uint32_t)hi;
	return 0;
}

static int parse_icmptype(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	unsigned long long n;
	int r = parse_uint(v, strlen(v), 255, &n);

	if (r == -EINVAL)
		return usage(ctx, "%s: not a number; use icmptype=N (0..255)", tok);
	if (r)
		return usage(ctx, "%s: an ICMP type is 0..255; use icmptype=N", tok);
	p->icmp_type = (int)n;
	return 0;
}

static int parse_special(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v)
{
	if (strcmp(v, "dns") != 0)
		return usage(ctx, "%s: the only special target is dns; use specialtarget=dns", tok);
	p->dns = true;
	return 0;
}

static const struct key {
	const char *name;
	size_t slot; /* offsetof the tok_* pointer in struct parsed */
	int (*parse)(struct vos_ctx *ctx, struct parsed *p, const char *tok, const char *v);
} keys[] = {
	{ "action", offsetof(struct parsed, tok_action), parse_action },
	{ "proto", offsetof(struct parsed, tok_proto), parse_proto },
	{ "dsthost", offsetof(struct parsed, tok_dsthost), parse_dsthost },
	{ "dstports", offsetof(struct parsed, tok_ports), parse_ports },
	{ "icmptype", offsetof(struct parsed, tok_icmp), parse_icmptype },
	{ "specialtarget", offsetof(struct parsed, tok_special), parse_special },
};

static int parse_token(struct vos_ctx *ctx, struct parsed *p, const char *tok)
{
	const char *eq = strchr(tok, '=');
	size_t klen, i;

	if (!eq)
		return usage(ctx, "'%s': not KEY=VALUE; a rule is " RULE_FORM, tok);
	klen = (size_t)(eq - tok);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char **slot = (const char **)((char *)p + keys[i].slot);

		if (strlen(keys[i].name) != klen || strncmp(tok, keys[i].name, klen) != 0)
			continue;
		if (*slot)
			return usage(ctx, "%s: %s given twice (also %s); give each key once", tok,
				     keys[i].name, *slot);
		*slot = tok;
		return keys[i].parse(ctx, p, tok, eq + 1);
	}
	if (klen == 6 && strncmp(tok, "expire", klen) == 0)
		return usage(
			ctx,
			"%s: rules do not expire in vos.ko; remove it (and delete the rule when it should go)",
			tok);
	if (klen == 7 && strncmp(tok, "comment", klen) == 0)
		return usage(ctx, "%s: vos.ko keeps no comments with rules; remove it", tok);
	return usage(
		ctx,
		"%s: unknown key '%.*s'; the keys are action, proto, dsthost, dstports, icmptype and specialtarget",
		tok, (int)klen, tok);
}

/* The combinations: what the kernel would refuse, said in the grammar's words */
static int check_whole(struct vos_ctx *ctx, const struct parsed *p)
{
	if (!p->tok_action)
		return usage(ctx, "no action; a rule is " RULE_FORM);
	if (p->tok_ports && p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP)
		return usage(ctx, "%s: ports need proto=tcp or proto=udp; add one of them",
			     p->tok_ports);
	if (p->tok_icmp && p->proto != IPPROTO_ICMP && p->proto != IPPROTO_ICMPV6)
		return usage(ctx, "%s: needs proto=icmp or proto=icmp6; add one", p->tok_icmp);
	if (p->proto == IPPROTO_ICMPV6 && (p->dst == DST_NET || p->dst == DST_NAME))
		return usage(ctx, "%s with %s: ICMPv6 goes to IPv6 destinations; use proto=icmp",
			     p->tok_proto, p->tok_dsthost);
	if (p->dns) {
		const char *other = p->tok_dsthost ? p->tok_dsthost : p->tok_ports;

		if (other)
			return usage(
				ctx,
				"%s with %s: specialtarget=dns is port 53 of the resolver; give no dsthost= or dstports= with it",
				p->tok_special, other);
		if (p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6)
			return usage(
				ctx,
				"%s with %s: DNS is udp or tcp; use proto=udp, proto=tcp or no proto",
				p->tok_special, p->tok_proto);
	}
	return 0;
}

/* The rule's destinations: one, or one per address of a host name */
static int destinations(struct vos_ctx *ctx, const struct vos_rule_lookup *lk, struct parsed *p,
			uint32_t dns4, uint32_t *addrs, size_t room)
{
	int r;

	switch (p->dst) {
	case DST_NAME:
		r = lk->resolve(ctx, p->host, addrs, room);
		if (r < 0)
			return r;
		if (r == 0)
			return vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"%s: the name has no IPv4 address; use dsthost=ADDRESS[/N], a name that resolves, or @SUBSYS",
				p->tok_dsthost);
		return r;
	case DST_SUBSYS:
		if (p->host) {
			r = lk->subsys_id(ctx, p->host, &p->subsys);
			if (r == -ENOENT)
				return vos_err_class(
					ctx, -ENOENT, VOS_ERR_NAME,
					"%s: no subsystem named '%s'; name one that exists, or give its address",
					p->tok_dsthost, p->host);
			if (r < 0)
				return vos_err_prefix(ctx, r, "%s", p->tok_dsthost);
		}
		return 1;
	case DST_ANY:
	case DST_NET:
	case DST_NET6:
		break;
	}
	if (p->dns && dns4) {
		p->dst = DST_NET;
		p->addr = dns4;
		p->prefix = 32;
	}
	return 1;
}

int vos_rule_parse_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk, const char *rule,
			uint32_t dns4, struct vos_rule *out, size_t room)
{
	return vos_rule_parse_host_with(ctx, lk, rule, dns4, out, NULL, room, NULL);
}

int vos_rule_parse_host_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			     const char *rule, uint32_t dns4, struct vos_rule *out,
			     struct vos_rule_addr6 *a6, size_t room, char host[VOS_RULE_HOST_MAX])
{
	_cleanup_free_ char *copy = NULL;
	_cleanup_free_ uint32_t *addrs = NULL;
	struct parsed p = { .icmp_type = -1 };
	uint32_t protos[2];
	size_t nprotos = 1, ndst, need, aroom, i, j, k = 0;
	char *save = NULL, *tok;
	int r;

	if (!rule || (!out && room))
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "rule: none given");
	copy = strdup(rule);
	if (!copy)
		return vos_err(ctx, -ENOMEM, "rule:");
	for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		r = parse_token(ctx, &p, tok);
		if (r < 0)
			return r;
	}
	if (!p.tok_action && !p.tok_proto && !p.tok_dsthost && !p.tok_ports && !p.tok_icmp &&
	    !p.tok_special)
		return usage(ctx, "empty rule; a rule is " RULE_FORM);
	r = check_whole(ctx, &p);
	if (r < 0)
		return r;
	/* an IPv6 destination is not in struct vos_rule: only a set has room */
	if (p.dst == DST_NET6 && !a6)
		return usage(
			ctx,
			"%s: an IPv6 rule needs a rule set to hold its destination: use vos_ruleset_insert_text()",
			p.tok_dsthost);
	/* ICMP to an IPv6 destination is ICMPv6 */
	if (p.dst == DST_NET6 && p.proto == IPPROTO_ICMP)
		p.proto = IPPROTO_ICMPV6;

	/* room for the addresses of a name: as many rules as fit (no set
	 * holds more than VOS_RULES_MAX), and one more to tell that they did
	 * not
	 */
	aroom = (room < VOS_RULES_MAX ? room : VOS_RULES_MAX) + 1;
	addrs = calloc(aroom, sizeof(*addrs));
	if (!addrs)
		return vos_err(ctx, -ENOMEM, "rule:");
	r = destinations(ctx, lk, &p, dns4, addrs, aroom);
	if (r < 0)
		return r;
	ndst = (size_t)r;
	if (host) /* a checked DNS name: shorter than the block */
		snprintf(host, VOS_RULE_HOST_MAX, "%s", p.dst == DST_NAME ? p.host : "");
	protos[0] = p.proto;
	if (p.dns) {
		p.port_min = p.port_max = 53;
		if (!p.proto) {
			protos[0] = IPPROTO_UDP;
			protos[1] = IPPROTO_TCP;
			nprotos = 2;
		}
	}
	need = ndst * nprotos;
	if (need > room)
		return vos_err_class(
			ctx, -E2BIG, VOS_ERR_USAGE,
			"'%s' makes %zu rules, more than the %zu there is room for (a set holds at most %d)",
			rule, need, room, VOS_RULES_MAX);
	for (i = 0; i < ndst; i++) {
		for (j = 0; j < nprotos; j++) {
			struct vos_rule *o = &out[k++];

			memset(o, 0, sizeof(*o));
			o->action = p.action;
			o->proto = protos[j];
			if (p.dst == DST_NAME) {
				o->dst_addr = addrs[i];
				o->dst_prefix = 32;
			} else if (p.dst == DST_NET) {
				o->dst_addr = p.addr;
				o->dst_prefix = p.prefix;
			} else if (p.dst == DST_SUBSYS) {
				o->dst_subsys = p.subsys;
			} else if (p.dst == DST_NET6) {
				o->flags = VOS_RULE_IPV6;
			}
			if (a6)
				a6[k - 1] = p.dst == DST_NET6 ? p.net6
							      : (struct vos_rule_addr6){ 0 };
			o->port_min = p.port_min;
			o->port_max = p.port_max;
			o->icmp_type = p.icmp_type;
		}
	}
	return (int)k;
}
