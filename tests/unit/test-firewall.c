// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the network rules' user-space side (lib/libvirtos/
 * firewall.c), no module needed: every token of the qvm-firewall grammar
 * and what struct vos_rule it makes, every refusal with its exact message
 * (the ones vosctl prints after "vosctl: ", as
 * tests/integration/cli/firewall.bats asserts there), the formatter and
 * round trips both ways, the checks the kernel would make, and the set
 * editing helpers with the VOS_RULES_MAX limit. Subsystem and host name
 * lookups are stand-ins (struct vos_rule_lookup, firewall.h); one test
 * resolves "localhost" for real.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtos.h"
#include "firewall.h" /* the lookups, linked from libvirtos-test.a */
#include "private.h"  /* struct vos_subsys, to test the checks before the ioctls */

#define FORM                                                                          \
	"action=accept|drop [proto=tcp|udp|icmp] [dsthost=ADDRESS[/N]|NAME|@SUBSYS] " \
	"[dstports=N[-M]] [icmptype=N] [specialtarget=dns]"

static struct vos_ctx *ctx;

static void setup(void)
{
	ck_assert_int_eq(vos_ctx_new(&ctx), 0);
	/* nothing here may reach a module, even if the host has one */
	ck_assert_int_eq(vos_ctx_set_device(ctx, "/nonexistent/vos"), 0);
}

static void teardown(void)
{
	vos_ctx_free(ctx);
}

/* ---- stand-in lookups: subsystems web (7) and db (9); a few host names ---- */

static int fake_subsys_id(struct vos_ctx *c, const char *name, uint64_t *id)
{
	if (strcmp(name, "web") == 0)
		*id = 7;
	else if (strcmp(name, "db") == 0)
		*id = 9;
	else if (strcmp(name, "nomodule") == 0)
		return vos_err_class(c, -ENODEV, VOS_ERR_NOMODULE, "vos.ko is not loaded");
	else
		return -ENOENT;
	return 0;
}

static int fake_subsys_name(struct vos_ctx *c, uint64_t id, char *buf, size_t len)
{
	(void)c;
	if (id == 7)
		snprintf(buf, len, "web");
	else if (id == 9)
		snprintf(buf, len, "db");
	else
		return -ENOENT;
	return 0;
}

/* moving.example: @moving_n addresses from 192.0.2.10 + @moving_base */
static size_t moving_n = 1;
static uint32_t moving_base;

static int fake_resolve(struct vos_ctx *c, const char *host, uint32_t *addrs, size_t room)
{
	static const char *const many[] = { "192.0.2.1", "192.0.2.2", "198.51.100.7" };
	size_t i, n;

	if (strcmp(host, "one.example") == 0) {
		if (room)
			addrs[0] = inet_addr("192.0.2.1");
		return 1;
	}
	if (strcmp(host, "many.example") == 0) {
		for (i = 0; i < 3 && i < room; i++)
			addrs[i] = inet_addr(many[i]);
		return 3;
	}
	if (strcmp(host, "big.example") == 0) {
		/* 10.1.0.1 ... : more addresses than a set holds */
		n = 2000;
		for (i = 0; i < n && i < room; i++)
			addrs[i] = htonl(0x0a010001u + (uint32_t)i);
		return (int)n;
	}
	if (strcmp(host, "moving.example") == 0) {
		/* what DNS says now: moving[0] addresses 192.0.2.10, .11, ... */
		for (i = 0; i < moving_n && i < room; i++)
			addrs[i] = htonl(0xc000020au + (uint32_t)i + moving_base);
		return (int)moving_n;
	}
	if (strcmp(host, "empty.example") == 0)
		return 0;
	if (strcmp(host, "later.example") == 0)
		return vos_err_class(c, -EAGAIN, VOS_ERR_INTERNAL,
				     "dsthost=later.example: cannot resolve the name now");
	return vos_err_class(c, -EINVAL, VOS_ERR_USAGE,
			     "dsthost=%s: the name has no IPv4 address (Name or service not known)",
			     host);
}

static const struct vos_rule_lookup fake = {
	.subsys_id = fake_subsys_id,
	.subsys_name = fake_subsys_name,
	.resolve = fake_resolve,
};

static struct vos_rule out[VOS_RULES_MAX];

static int parse(const char *rule, uint32_t dns4, size_t room)
{
	vos_ctx_clear_error(ctx);
	memset(out, 0xa5, sizeof(out));
	return vos_rule_parse_with(ctx, &fake, rule, dns4, out, room);
}

/* @rule parses into exactly @n rules */
#define OK(rule, n)                                                                \
	do {                                                                       \
		int r_ = parse(rule, 0, VOS_RULES_MAX);                            \
		ck_assert_msg(r_ == (n), "'%s': %d (%s), want %d rules", rule, r_, \
			      vos_ctx_errmsg(ctx), n);                             \
	} while (0)

/* @rule is refused with @err, @cls and exactly @msg */
#define BAD_AS(rule, room, err, cls, msg)                                       \
	do {                                                                    \
		int r_ = parse(rule, 0, room);                                  \
		ck_assert_msg(r_ == (err), "'%s': %d, want %d", rule, r_, err); \
		ck_assert_int_eq(vos_ctx_errclass(ctx), cls);                   \
		ck_assert_str_eq(vos_ctx_errmsg(ctx), msg);                     \
	} while (0)
#define BAD(rule, msg) BAD_AS(rule, VOS_RULES_MAX, -EINVAL, VOS_ERR_USAGE, msg)

static struct vos_rule rule0(uint32_t action)
{
	struct vos_rule r;

	memset(&r, 0, sizeof(r));
	r.action = action;
	r.icmp_type = -1;
	return r;
}

/* out[i] is @want, field by field (the counters are 0) */
static void same(size_t i, const struct vos_rule *want)
{
	const struct vos_rule *g = &out[i];

	ck_assert_uint_eq(g->action, want->action);
	ck_assert_uint_eq(g->proto, want->proto);
	ck_assert_uint_eq(g->dst_addr, want->dst_addr);
	ck_assert_uint_eq(g->dst_prefix, want->dst_prefix);
	ck_assert_uint_eq(g->dst_subsys, want->dst_subsys);
	ck_assert_uint_eq(g->port_min, want->port_min);
	ck_assert_uint_eq(g->port_max, want->port_max);
	ck_assert_int_eq(g->icmp_type, want->icmp_type);
	ck_assert_uint_eq(g->flags, 0);
	ck_assert_uint_eq(g->packets, 0);
	ck_assert_uint_eq(g->bytes, 0);
	ck_assert_int_eq(memcmp(g, want, sizeof(*g)), 0);
}

/* ---- every token ---- */

START_TEST(action_alone)
{
	struct vos_rule w = rule0(VOS_RULE_ACCEPT);

	OK("action=accept", 1);
	same(0, &w);
	w.action = VOS_RULE_DROP;
	OK("action=drop", 1);
	same(0, &w);
	/* any whitespace between tokens, before and after */
	OK("  action=drop\t ", 1);
	same(0, &w);
}
END_TEST

START_TEST(protocols)
{
	struct vos_rule w = rule0(VOS_RULE_DROP);

	w.proto = IPPROTO_TCP;
	OK("action=drop proto=tcp", 1);
	same(0, &w);
	w.proto = IPPROTO_UDP;
	OK("proto=udp action=drop", 1); /* any order */
	same(0, &w);
	w.proto = IPPROTO_ICMP;
	OK("action=drop proto=icmp", 1);
	same(0, &w);
}
END_TEST

START_TEST(destinations_by_address)
{
	struct vos_rule w = rule0(VOS_RULE_ACCEPT);

	w.dst_addr = inet_addr("10.1.2.3");
	w.dst_prefix = 32;
	OK("action=accept dsthost=10.1.2.3", 1);
	same(0, &w);
	OK("action=accept dsthost=10.1.2.3/32", 1);
	same(0, &w);
	w.dst_addr = inet_addr("10.0.0.0");
	w.dst_prefix = 8;
	OK("action=accept dsthost=10.0.0.0/8", 1);
	same(0, &w);
	w.dst_addr = inet_addr("192.168.1.128");
	w.dst_prefix = 25;
	OK("action=accept dsthost=192.168.1.128/25", 1);
	same(0, &w);
	/* /0 is any destination: no destination at all */
	w = rule0(VOS_RULE_ACCEPT);
	OK("action=accept dsthost=0.0.0.0/0", 1);
	same(0, &w);
}
END_TEST

START_TEST(destinations_by_name)
{
	struct vos_rule w = rule0(VOS_RULE_DROP);

	w.proto = IPPROTO_TCP;
	w.port_min = w.port_max = 443;
	w.dst_prefix = 32;
	w.dst_addr = inet_addr("192.0.2.1");
	OK("action=drop proto=tcp dsthost=one.example dstports=443", 1);
	same(0, &w);
	/* one rule per address, in the resolver's order */
	OK("action=drop proto=tcp dsthost=many.example dstports=443", 3);
	same(0, &w);
	w.dst_addr = inet_addr("192.0.2.2");
	same(1, &w);
	w.dst_addr = inet_addr("198.51.100.7");
	same(2, &w);
	/* a final dot, digits, '-' and '_' in labels */
	BAD("action=drop dsthost=x_1-a.example.",
	    "dsthost=x_1-a.example.: the name has no IPv4 address (Name or service not known)");
}
END_TEST

START_TEST(destinations_by_subsystem)
{
	struct vos_rule w = rule0(VOS_RULE_ACCEPT);

	w.dst_subsys = 7;
	OK("action=accept dsthost=@web", 1);
	same(0, &w);
	w.dst_subsys = 12;
	OK("action=accept dsthost=@#12", 1);
	same(0, &w);
	w.dst_subsys = 9;
	w.proto = IPPROTO_UDP;
	w.port_min = 5000;
	w.port_max = 5010;
	OK("action=accept proto=udp dsthost=@db dstports=5000-5010", 1);
	same(0, &w);
}
END_TEST

START_TEST(ports_and_icmp)
{
	struct vos_rule w = rule0(VOS_RULE_ACCEPT);

	w.proto = IPPROTO_UDP;
	w.port_min = w.port_max = 1;
	OK("action=accept proto=udp dstports=1", 1);
	same(0, &w);
	w.port_min = w.port_max = 65535;
	OK("action=accept proto=udp dstports=65535", 1);
	same(0, &w);
	w.proto = IPPROTO_TCP;
	w.port_min = 1;
	OK("action=accept proto=tcp dstports=1-65535", 1);
	same(0, &w);
	w.port_min = w.port_max = 80;
	OK("action=accept proto=tcp dstports=80-80", 1);
	same(0, &w);
	w = rule0(VOS_RULE_DROP);
	w.proto = IPPROTO_ICMP;
	w.icmp_type = 0;
	OK("action=drop proto=icmp icmptype=0", 1);
	same(0, &w);
	w.icmp_type = 255;
	OK("action=drop proto=icmp icmptype=255", 1);
	same(0, &w);
}
END_TEST

START_TEST(special_target_dns)
{
	struct vos_rule w = rule0(VOS_RULE_ACCEPT);

	/* no resolver known: port 53 to any destination, udp and tcp */
	w.port_min = w.port_max = 53;
	w.proto = IPPROTO_UDP;
	OK("action=accept specialtarget=dns", 2);
	same(0, &w);
	w.proto = IPPROTO_TCP;
	same(1, &w);
	/* the protocol given narrows it */
	OK("action=accept specialtarget=dns proto=tcp", 1);
	same(0, &w);
	/* a resolver known: to it only */
	vos_ctx_clear_error(ctx);
	ck_assert_int_eq(vos_rule_parse_with(ctx, &fake, "action=drop specialtarget=dns",
					     inet_addr("10.139.1.1"), out, 8),
			 2);
	w.action = VOS_RULE_DROP;
	w.dst_addr = inet_addr("10.139.1.1");
	w.dst_prefix = 32;
	w.proto = IPPROTO_UDP;
	same(0, &w);
	w.proto = IPPROTO_TCP;
	same(1, &w);
}
END_TEST

START_TEST(everything_at_once)
{
	struct vos_rule w = rule0(VOS_RULE_DROP);

	w.proto = IPPROTO_TCP;
	w.dst_addr = inet_addr("172.16.0.0");
	w.dst_prefix = 12;
	w.port_min = 8000;
	w.port_max = 8080;
	OK("dstports=8000-8080 dsthost=172.16.0.0/12 proto=tcp action=drop", 1);
	same(0, &w);
}
END_TEST

/* ---- every refusal, with its message ---- */

START_TEST(bad_tokens)
{
	BAD("", "empty rule; a rule is " FORM);
	BAD(" \t ", "empty rule; a rule is " FORM);
	BAD("accept", "'accept': not KEY=VALUE; a rule is " FORM);
	BAD("action=accept tcp", "'tcp': not KEY=VALUE; a rule is " FORM);
	BAD("proto=tcp", "no action; a rule is " FORM);
	BAD("action=accept proto=tcp proto=udp",
	    "proto=udp: proto given twice (also proto=tcp); give each key once");
	BAD("action=accept action=accept",
	    "action=accept: action given twice (also action=accept); give each key once");
	BAD("action=accept dst4=1.2.3.4",
	    "dst4=1.2.3.4: unknown key 'dst4'; the keys are action, proto, dsthost, dstports, icmptype and specialtarget");
	BAD("action=accept =x",
	    "=x: unknown key ''; the keys are action, proto, dsthost, dstports, icmptype and specialtarget");
	BAD("action=accept expire=+60",
	    "expire=+60: rules do not expire in vos.ko; remove it (and delete the rule when it should go)");
	BAD("action=accept comment=mine",
	    "comment=mine: vos.ko keeps no comments with rules; remove it");
	BAD("action=allow", "action=allow: use action=accept or action=drop");
	BAD("action=ACCEPT", "action=ACCEPT: use action=accept or action=drop");
	BAD("action=", "action=: use action=accept or action=drop");
	BAD("action=accept proto=gre",
	    "proto=gre: use proto=tcp, proto=udp, proto=icmp or proto=icmp6");
	BAD("action=accept proto=", "proto=: use proto=tcp, proto=udp, proto=icmp or proto=icmp6");
	BAD("action=accept specialtarget=ntp",
	    "specialtarget=ntp: the only special target is dns; use specialtarget=dns");
}
END_TEST

START_TEST(bad_destinations)
{
	BAD("action=drop dsthost=::1",
	    "dsthost=::1: an IPv6 rule needs a rule set to hold its destination: use vos_ruleset_insert_text()");
	BAD("action=drop dsthost=2001:db8::/32",
	    "dsthost=2001:db8::/32: an IPv6 rule needs a rule set to hold its destination: use vos_ruleset_insert_text()");
	BAD("action=drop dsthost=10.0.0.1/8",
	    "dsthost=10.0.0.1/8: host bits set past /8; use dsthost=10.0.0.0/8");
	BAD("action=drop dsthost=192.168.1.1/24",
	    "dsthost=192.168.1.1/24: host bits set past /24; use dsthost=192.168.1.0/24");
	BAD("action=drop dsthost=1.2.3.4/0",
	    "dsthost=1.2.3.4/0: host bits set past /0; use dsthost=0.0.0.0/0");
	BAD("action=drop dsthost=10.0.0.0/33",
	    "dsthost=10.0.0.0/33: a prefix is 0..32; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=10.0.0.0/",
	    "dsthost=10.0.0.0/: a prefix is 0..32; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=10.0.0.0/x",
	    "dsthost=10.0.0.0/x: a prefix is 0..32; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=10.0.0.0/08",
	    "dsthost=10.0.0.0/08: a prefix is 0..32; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=10.0.0/8",
	    "dsthost=10.0.0/8: '10.0.0' is not an IPv4 address; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=web.example/8",
	    "dsthost=web.example/8: 'web.example' is not an IPv4 address; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=1234567890.1234567890/8",
	    "dsthost=1234567890.1234567890/8: not an IPv4 address and prefix; use dsthost=A.B.C.D/N");
	BAD("action=drop dsthost=300.1.2.3",
	    "dsthost=300.1.2.3: not an IPv4 address; use dsthost=A.B.C.D or A.B.C.D/N");
	BAD("action=drop dsthost=1.2.3",
	    "dsthost=1.2.3: not an IPv4 address; use dsthost=A.B.C.D or A.B.C.D/N");
	BAD("action=drop dsthost=",
	    "dsthost=: not an address, a prefix, a host name or a subsystem; use dsthost=A.B.C.D[/N], dsthost=NAME or dsthost=@SUBSYS");
	BAD("action=drop dsthost=bad!host",
	    "dsthost=bad!host: not an address, a prefix, a host name or a subsystem; use dsthost=A.B.C.D[/N], dsthost=NAME or dsthost=@SUBSYS");
	BAD("action=drop dsthost=-lead.example",
	    "dsthost=-lead.example: not an address, a prefix, a host name or a subsystem; use dsthost=A.B.C.D[/N], dsthost=NAME or dsthost=@SUBSYS");
	BAD("action=drop dsthost=a..b",
	    "dsthost=a..b: not an address, a prefix, a host name or a subsystem; use dsthost=A.B.C.D[/N], dsthost=NAME or dsthost=@SUBSYS");
	/* names: none, later, a subsystem that does not exist */
	BAD("action=drop dsthost=nowhere.example",
	    "dsthost=nowhere.example: the name has no IPv4 address (Name or service not known)");
	BAD("action=drop dsthost=empty.example",
	    "dsthost=empty.example: the name has no IPv4 address; use dsthost=ADDRESS[/N], a name that resolves, or @SUBSYS");
	BAD_AS("action=drop dsthost=later.example", VOS_RULES_MAX, -EAGAIN, VOS_ERR_INTERNAL,
	       "dsthost=later.example: cannot resolve the name now");
	BAD_AS("action=accept dsthost=@nosuch", VOS_RULES_MAX, -ENOENT, VOS_ERR_NAME,
	       "dsthost=@nosuch: no subsystem named 'nosuch'; name one that exists, or give its address");
	BAD_AS("action=accept dsthost=@nomodule", VOS_RULES_MAX, -ENODEV, VOS_ERR_NOMODULE,
	       "dsthost=@nomodule: vos.ko is not loaded");
	BAD("action=accept dsthost=@-web",
	    "dsthost=@-web: '-web' is not a subsystem name; use dsthost=@NAME with a subsystem's name");
	BAD("action=accept dsthost=@",
	    "dsthost=@: '' is not a subsystem name; use dsthost=@NAME with a subsystem's name");
	BAD("action=accept dsthost=@#0",
	    "dsthost=@#0: use dsthost=@NAME or dsthost=@#ID, a subsystem's id (1 or more)");
	BAD("action=accept dsthost=@#x",
	    "dsthost=@#x: use dsthost=@NAME or dsthost=@#ID, a subsystem's id (1 or more)");
	BAD("action=accept dsthost=@#",
	    "dsthost=@#: use dsthost=@NAME or dsthost=@#ID, a subsystem's id (1 or more)");
}
END_TEST

START_TEST(bad_ports_and_types)
{
	BAD("action=drop proto=tcp dstports=70000",
	    "dstports=70000: a port is 1..65535; use dstports=N or N-M");
	BAD("action=drop proto=tcp dstports=0",
	    "dstports=0: a port is 1..65535; use dstports=N or N-M");
	BAD("action=drop proto=tcp dstports=0-10",
	    "dstports=0-10: a port is 1..65535; use dstports=N or N-M");
	BAD("action=drop proto=tcp dstports=1-65536",
	    "dstports=1-65536: a port is 1..65535; use dstports=N or N-M");
	BAD("action=drop proto=tcp dstports=99999999999",
	    "dstports=99999999999: a port is 1..65535; use dstports=N or N-M");
	BAD("action=drop proto=tcp dstports=90-80",
	    "dstports=90-80: the range is reversed; use dstports=N-M with N <= M");
	BAD("action=drop proto=tcp dstports=http",
	    "dstports=http: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop proto=tcp dstports=",
	    "dstports=: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop proto=tcp dstports=-5",
	    "dstports=-5: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop proto=tcp dstports=1-2-3",
	    "dstports=1-2-3: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop proto=tcp dstports=+80",
	    "dstports=+80: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop proto=tcp dstports=080",
	    "dstports=080: not a port or a range; use dstports=N or N-M (ports 1..65535)");
	BAD("action=drop dstports=80",
	    "dstports=80: ports need proto=tcp or proto=udp; add one of them");
	BAD("action=drop proto=icmp dstports=80",
	    "dstports=80: ports need proto=tcp or proto=udp; add one of them");
	BAD("action=drop proto=icmp icmptype=256",
	    "icmptype=256: an ICMP type is 0..255; use icmptype=N");
	BAD("action=drop proto=icmp icmptype=echo",
	    "icmptype=echo: not a number; use icmptype=N (0..255)");
	BAD("action=drop proto=icmp icmptype=-1",
	    "icmptype=-1: not a number; use icmptype=N (0..255)");
	BAD("action=drop icmptype=8", "icmptype=8: needs proto=icmp or proto=icmp6; add one");
	BAD("action=drop proto=tcp icmptype=8",
	    "icmptype=8: needs proto=icmp or proto=icmp6; add one");
	BAD("action=accept specialtarget=dns dsthost=1.2.3.4",
	    "specialtarget=dns with dsthost=1.2.3.4: specialtarget=dns is port 53 of the resolver; give no dsthost= or dstports= with it");
	BAD("action=accept proto=udp specialtarget=dns dstports=53",
	    "specialtarget=dns with dstports=53: specialtarget=dns is port 53 of the resolver; give no dsthost= or dstports= with it");
	BAD("action=accept specialtarget=dns proto=icmp",
	    "specialtarget=dns with proto=icmp: DNS is udp or tcp; use proto=udp, proto=tcp or no proto");
}
END_TEST

START_TEST(room_and_limit)
{
	BAD_AS("action=accept specialtarget=dns", 1, -E2BIG, VOS_ERR_USAGE,
	       "'action=accept specialtarget=dns' makes 2 rules, more than the 1 there is room for (a set holds at most 1024)");
	BAD_AS("action=drop dsthost=big.example", VOS_RULES_MAX, -E2BIG, VOS_ERR_USAGE,
	       "'action=drop dsthost=big.example' makes 2000 rules, more than the 1024 there is room for (a set holds at most 1024)");
	BAD_AS("action=accept", 0, -E2BIG, VOS_ERR_USAGE,
	       "'action=accept' makes 1 rules, more than the 0 there is room for (a set holds at most 1024)");
	/* a refusal writes nothing */
	ck_assert_int_eq(parse("action=accept proto=udp dstports=0", 0, 4), -EINVAL);
	ck_assert_uint_eq(out[0].action, 0xa5a5a5a5u);
}
END_TEST

/* ---- the real lookups ---- */

START_TEST(real_name_localhost)
{
	struct vos_rule r[8];
	char buf[VOS_RULE_TEXT_MAX];
	int n, i, found = 0;

	vos_ctx_clear_error(ctx);
	n = vos_rule_parse(ctx, "action=accept proto=tcp dsthost=localhost dstports=631", 0, r, 8);
	ck_assert_msg(n >= 1, "localhost: %d: %s", n, vos_ctx_errmsg(ctx));
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(r[i].dst_prefix, 32);
		ck_assert_int_gt(vos_rule_format(NULL, &r[i], buf, sizeof(buf)), 0);
		if (r[i].dst_addr == inet_addr("127.0.0.1")) {
			found = 1;
			ck_assert_str_eq(buf,
					 "action=accept proto=tcp dsthost=127.0.0.1 dstports=631");
		}
	}
	ck_assert_msg(found, "localhost did not resolve to 127.0.0.1");
}
END_TEST

START_TEST(real_format_without_context)
{
	struct vos_rule r = rule0(VOS_RULE_ACCEPT);
	char buf[VOS_RULE_TEXT_MAX];

	/* no context: no lookup, the id */
	r.dst_subsys = 42;
	ck_assert_int_eq(vos_rule_format(NULL, &r, buf, sizeof(buf)),
			 (int)strlen("action=accept dsthost=@#42"));
	ck_assert_str_eq(buf, "action=accept dsthost=@#42");
	/* a context that cannot reach vos.ko: the id too, and success */
	ck_assert_int_gt(vos_rule_format(ctx, &r, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "action=accept dsthost=@#42");
}
END_TEST

/* ---- formatting and round trips ---- */

static const char *const canonical[] = {
	"action=accept",
	"action=drop",
	"action=accept proto=tcp",
	"action=drop proto=udp",
	"action=accept proto=icmp",
	"action=accept dsthost=10.1.2.3",
	"action=drop dsthost=10.0.0.0/8",
	"action=drop dsthost=192.168.1.128/25",
	"action=accept dsthost=128.0.0.0/1",
	"action=accept dsthost=@web",
	"action=accept dsthost=@#12",
	"action=drop proto=tcp dstports=80",
	"action=drop proto=udp dstports=1-65535",
	"action=accept proto=tcp dsthost=@db dstports=5432",
	"action=accept proto=udp dsthost=172.16.0.0/12 dstports=5000-5010",
	"action=drop proto=icmp icmptype=8",
	"action=accept proto=icmp dsthost=10.0.0.1 icmptype=0",
	"action=accept proto=udp dstports=53",
};

START_TEST(text_round_trip)
{
	char buf[VOS_RULE_TEXT_MAX];
	size_t i;

	for (i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
		ck_assert_msg(parse(canonical[i], 0, 4) == 1, "%s: %s", canonical[i],
			      vos_ctx_errmsg(ctx));
		ck_assert_int_eq(vos_rule_format_with(ctx, &fake, &out[0], buf, sizeof(buf)),
				 (int)strlen(canonical[i]));
		ck_assert_str_eq(buf, canonical[i]);
	}
}
END_TEST

START_TEST(other_spellings_format_canonically)
{
	static const char *const pairs[][2] = {
		{ "dsthost=10.1.2.3/32 action=accept", "action=accept dsthost=10.1.2.3" },
		{ "action=drop dsthost=0.0.0.0/0", "action=drop" },
		{ "proto=tcp dstports=80-80 action=drop", "action=drop proto=tcp dstports=80" },
		{ "action=accept dsthost=@#7", "action=accept dsthost=@web" },
		{ "action=accept dsthost=one.example", "action=accept dsthost=192.0.2.1" },
		{ "action=accept proto=tcp specialtarget=dns",
		  "action=accept proto=tcp dstports=53" },
	};
	char buf[VOS_RULE_TEXT_MAX];
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		ck_assert_msg(parse(pairs[i][0], 0, 4) == 1, "%s", pairs[i][0]);
		ck_assert_int_gt(vos_rule_format_with(ctx, &fake, &out[0], buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, pairs[i][1]);
	}
}
END_TEST

/* struct -> text -> struct, over a spread of valid rules */
START_TEST(struct_round_trip)
{
	static const uint32_t actions[] = { VOS_RULE_ACCEPT, VOS_RULE_DROP };
	static const uint32_t protos[] = { 0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	static const uint32_t prefixes[] = { 0, 1, 8, 24, 31, 32 };
	static const uint64_t subsys[] = { 7, 9, 12, 1ULL << 40 };
	char buf[VOS_RULE_TEXT_MAX];
	size_t a, p, d, v, n = 0;

	for (a = 0; a < 2; a++)
		for (p = 0; p < 4; p++)
			for (d = 0; d < 6 + 4; d++)
				for (v = 0; v < 3; v++) {
					struct vos_rule r = rule0(actions[a]);

					r.proto = protos[p];
					if (d < 6) {
						r.dst_prefix = prefixes[d];
						r.dst_addr = htonl(
							0xc0a80180u &
							(prefixes[d] ? ~0U << (32 - prefixes[d])
								     : 0));
					} else {
						r.dst_subsys = subsys[d - 6];
					}
					if (v &&
					    (r.proto == IPPROTO_TCP || r.proto == IPPROTO_UDP)) {
						r.port_min = v == 1 ? 22 : 1000;
						r.port_max = v == 1 ? 22 : 2000;
					}
					if (v && r.proto == IPPROTO_ICMP)
						r.icmp_type = v == 1 ? 0 : 11;
					ck_assert_int_gt(vos_rule_format_with(ctx, &fake, &r, buf,
									      sizeof(buf)),
							 0);
					ck_assert_msg(parse(buf, 0, 4) == 1, "%s: %s", buf,
						      vos_ctx_errmsg(ctx));
					ck_assert_msg(memcmp(&out[0], &r, sizeof(r)) == 0,
						      "'%s' did not come back", buf);
					n++;
				}
	ck_assert_uint_eq(n, 2 * 4 * 10 * 3);
}
END_TEST

START_TEST(format_refusals)
{
	struct vos_rule r = rule0(VOS_RULE_ACCEPT);
	char buf[VOS_RULE_TEXT_MAX];

	/* too small: -ENOSPC, never a cut rule taken for a whole one */
	r.proto = IPPROTO_TCP;
	ck_assert_int_eq(vos_rule_format_with(ctx, &fake, &r, buf, 10), -ENOSPC);
	ck_assert_int_eq(vos_rule_format_with(ctx, &fake, &r, buf,
					      strlen("action=accept proto=tcp")),
			 -ENOSPC);
	ck_assert_int_eq(vos_rule_format_with(ctx, &fake, &r, buf,
					      strlen("action=accept proto=tcp") + 1),
			 (int)strlen("action=accept proto=tcp"));
	r.action = 3;
	ck_assert_int_eq(vos_rule_format_with(ctx, &fake, &r, buf, sizeof(buf)), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx),
			 "format rule: action 3: use VOS_RULE_ACCEPT or VOS_RULE_DROP");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
}
END_TEST

/* ---- the kernel's checks, in user space ---- */

static void check_bad(const struct vos_rule *r, const char *msg)
{
	vos_ctx_clear_error(ctx);
	ck_assert_int_eq(vos_rule_check(ctx, r, "rule 2"), -EINVAL);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), msg);
}

START_TEST(rule_checks)
{
	struct vos_rule r = rule0(VOS_RULE_DROP);

	ck_assert_int_eq(vos_rule_check(ctx, &r, "rule 1"), 0);
	r.action = 0;
	check_bad(&r, "rule 2: action 0: use VOS_RULE_ACCEPT or VOS_RULE_DROP");
	r = rule0(VOS_RULE_DROP);
	r.proto = 47;
	check_bad(
		&r,
		"rule 2: proto 47: use 0 (any), IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP or IPPROTO_ICMPV6");
	r = rule0(VOS_RULE_DROP);
	r.flags = 4;
	check_bad(&r, "rule 2: flags 0x4: give 0 or VOS_RULE_IPV6");
	r = rule0(VOS_RULE_DROP);
	r.dst_prefix = 33;
	check_bad(&r, "rule 2: dst_prefix 33: use 0..32");
	r = rule0(VOS_RULE_DROP);
	r.dst_prefix = 8;
	r.dst_addr = inet_addr("10.0.0.1");
	check_bad(&r, "rule 2: dst_addr has bits set past dst_prefix 8");
	r.dst_prefix = 0;
	check_bad(&r, "rule 2: dst_addr has bits set past dst_prefix 0");
	r = rule0(VOS_RULE_DROP);
	r.dst_subsys = 3;
	r.dst_prefix = 32;
	r.dst_addr = inet_addr("10.0.0.1");
	check_bad(&r, "rule 2: dst_subsys and dst_addr: give one destination");
	r = rule0(VOS_RULE_DROP);
	r.port_min = r.port_max = 53;
	check_bad(
		&r,
		"rule 2: ports 53-53: use port_min <= port_max <= 65535, with IPPROTO_TCP or IPPROTO_UDP (0-0: any)");
	r.proto = IPPROTO_UDP;
	r.port_max = 52;
	check_bad(
		&r,
		"rule 2: ports 53-52: use port_min <= port_max <= 65535, with IPPROTO_TCP or IPPROTO_UDP (0-0: any)");
	r.port_max = 65536;
	check_bad(
		&r,
		"rule 2: ports 53-65536: use port_min <= port_max <= 65535, with IPPROTO_TCP or IPPROTO_UDP (0-0: any)");
	r = rule0(VOS_RULE_DROP);
	r.icmp_type = 8;
	check_bad(
		&r,
		"rule 2: icmp_type 8: use -1 (any) or 0..255 with IPPROTO_ICMP or IPPROTO_ICMPV6");
	r.proto = IPPROTO_ICMP;
	r.icmp_type = 256;
	check_bad(
		&r,
		"rule 2: icmp_type 256: use -1 (any) or 0..255 with IPPROTO_ICMP or IPPROTO_ICMPV6");
	r.icmp_type = -2;
	check_bad(
		&r,
		"rule 2: icmp_type -2: use -1 (any) or 0..255 with IPPROTO_ICMP or IPPROTO_ICMPV6");
}
END_TEST

/* ---- editing a set ---- */

START_TEST(ruleset_edit)
{
	struct vos_ruleset rs;
	struct vos_rule a = rule0(VOS_RULE_ACCEPT), d = rule0(VOS_RULE_DROP), many[3];
	size_t i;

	memset(&rs, 0, sizeof(rs));
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 0, &a, 1), 0); /* [a] */
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 1, &d, 1), 0); /* [a d] */
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 0, &d, 1), 0); /* [d a d] */
	ck_assert_uint_eq(rs.count, 3);
	ck_assert_uint_eq(rs.rules[0].action, VOS_RULE_DROP);
	ck_assert_uint_eq(rs.rules[1].action, VOS_RULE_ACCEPT);
	ck_assert_uint_eq(rs.rules[2].action, VOS_RULE_DROP);
	for (i = 0; i < 3; i++) {
		many[i] = rule0(VOS_RULE_ACCEPT);
		many[i].proto = IPPROTO_UDP;
		many[i].port_min = many[i].port_max = (uint32_t)(100 + i);
	}
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 1, many, 3), 0); /* [d 100 101 102 a d] */
	ck_assert_uint_eq(rs.count, 6);
	ck_assert_uint_eq(rs.rules[1].port_min, 100);
	ck_assert_uint_eq(rs.rules[3].port_min, 102);
	ck_assert_uint_eq(rs.rules[4].action, VOS_RULE_ACCEPT);
	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 0), 0); /* [100 101 102 a d] */
	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 4), 0); /* [100 101 102 a] */
	ck_assert_uint_eq(rs.count, 4);
	ck_assert_uint_eq(rs.rules[0].port_min, 100);
	ck_assert_uint_eq(rs.rules[3].action, VOS_RULE_ACCEPT);

	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 4), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "delete rule 4: the set has 4 rules (0..3)");
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 5, &a, 1), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "insert rules at 5: the set has 4 rules (0..4)");
	ck_assert_uint_eq(rs.count, 4);

	vos_ruleset_clear(&rs);
	ck_assert_ptr_null(rs.rules);
	ck_assert_uint_eq(rs.count, 0);
	ck_assert_uint_eq(rs.policy, VOS_RULE_ACCEPT);
	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 0), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "delete rule 0: the set has 0 rules (0..0)");
}
END_TEST

START_TEST(ruleset_limit)
{
	struct vos_ruleset rs;
	struct vos_rule a = rule0(VOS_RULE_ACCEPT);
	size_t i;

	memset(&rs, 0, sizeof(rs));
	for (i = 0; i < VOS_RULES_MAX; i++)
		out[i] = a;
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 0, out, VOS_RULES_MAX), 0);
	ck_assert_uint_eq(rs.count, VOS_RULES_MAX);
	/* one more: refused, clearly, and nothing changes */
	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 3, &a, 1), -E2BIG);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"1025 rules: vos.ko holds at most 1024 per subsystem (VOS_RULES_MAX); delete some first");
	ck_assert_uint_eq(rs.count, VOS_RULES_MAX);
	vos_ruleset_clear(&rs);
}
END_TEST

/* The checks vos_subsys_set_rules() and _set_link() make before the ioctl:
 * a handle on no subsystem (fd -1) shows they come first.
 */
START_TEST(set_checks_before_the_kernel)
{
	struct vos_subsys s;
	struct vos_ruleset rs;
	struct vos_rule r[2] = { rule0(VOS_RULE_ACCEPT), rule0(VOS_RULE_DROP) };

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.fd = -1;
	snprintf(s.name, sizeof(s.name), "web");
	memset(&rs, 0, sizeof(rs));

	rs.policy = 0;
	ck_assert_int_eq(vos_subsys_set_rules(&s, &rs), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "policy 0: use VOS_RULE_ACCEPT or VOS_RULE_DROP");
	rs.policy = VOS_RULE_DROP;
	rs.count = VOS_RULES_MAX + 1;
	rs.rules = out;
	ck_assert_int_eq(vos_subsys_set_rules(&s, &rs), -E2BIG);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"1025 rules: vos.ko holds at most 1024 per subsystem (VOS_RULES_MAX); delete some first");
	r[1].proto = IPPROTO_ICMP;
	r[1].port_max = 5;
	rs.count = 2;
	rs.rules = r;
	ck_assert_int_eq(vos_subsys_set_rules(&s, &rs), -EINVAL);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"rule 2: ports 0-5: use port_min <= port_max <= 65535, with IPPROTO_TCP or IPPROTO_UDP (0-0: any)");
	/* valid: it reaches the ioctl, which fails on fd -1 */
	r[1] = rule0(VOS_RULE_DROP);
	ck_assert_int_eq(vos_subsys_set_rules(&s, &rs), -EBADF);
	ck_assert_str_eq(vos_ctx_errmsg(ctx),
			 "subsystem 'web': VOS_SUBSYS_SET_RULES: Bad file descriptor");
	memset(&rs, 0, sizeof(rs));
	ck_assert_int_eq(vos_subsys_get_rules(&s, &rs), -EBADF);
	ck_assert_ptr_null(rs.rules);

	ck_assert_int_eq(vos_subsys_set_link(&s, -1, 0, inet_addr("10.0.0.2")), -EINVAL);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"subsystem 'web': set link: give the far end's ifindex and the subsystem's address");
	ck_assert_int_eq(vos_subsys_set_link(&s, -1, 3, 0), -EINVAL);
	ck_assert_int_eq(vos_subsys_set_link(&s, -1, 3, inet_addr("10.0.0.2")), -EBADF);
}
END_TEST

/* rule @i of @rs: its destination address (host order) and host name */
#define ADDR_OF(rs, i) ntohl((rs)->rules[i].dst_addr)
#define HOST_OF(rs, i) ((rs)->hosts ? (rs)->hosts + (size_t)(i)*VOS_RULE_HOST_MAX : "")

START_TEST(insert_text_keeps_names)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };

	moving_n = 2;
	moving_base = 0;
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0,
						      "action=accept dsthost=10.0.0.0/8", 0),
			 1);
	ck_assert_ptr_null(rs.hosts); /* no name yet: no blocks */
	ck_assert_int_eq(vos_ruleset_insert_text_with(
				 ctx, &fake, &rs, 1,
				 "action=accept proto=tcp dsthost=moving.example dstports=443", 0),
			 2);
	ck_assert_ptr_nonnull(rs.hosts);
	ck_assert_uint_eq(rs.count, 3);
	ck_assert_str_eq(HOST_OF(&rs, 0), "");
	ck_assert_str_eq(HOST_OF(&rs, 1), "moving.example");
	ck_assert_str_eq(HOST_OF(&rs, 2), "moving.example");
	ck_assert_uint_eq(ADDR_OF(&rs, 2), 0xc000020bu);
	/* insert before them and delete: the names move with their rules */
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0,
						      "action=drop dsthost=one.example", 0),
			 1);
	ck_assert_str_eq(HOST_OF(&rs, 0), "one.example");
	ck_assert_str_eq(HOST_OF(&rs, 1), "");
	ck_assert_str_eq(HOST_OF(&rs, 3), "moving.example");
	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 1), 0);
	ck_assert_str_eq(HOST_OF(&rs, 0), "one.example");
	ck_assert_str_eq(HOST_OF(&rs, 1), "moving.example");
	ck_assert_str_eq(HOST_OF(&rs, 2), "moving.example");
	/* a bad rule inserts nothing */
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0, "action=maybe", 0),
			 -EINVAL);
	ck_assert_uint_eq(rs.count, 3);
	/* plain insert: no name for those rules */
	struct vos_rule copy = rs.rules[0];

	ck_assert_int_eq(vos_ruleset_insert(ctx, &rs, 3, &copy, 1), 0);
	ck_assert_str_eq(HOST_OF(&rs, 3), "");
	vos_ruleset_clear(&rs);
	ck_assert_ptr_null(rs.hosts);
}
END_TEST

START_TEST(refresh_follows_names)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_DROP };

	moving_n = 1;
	moving_base = 0;
	ck_assert_int_eq(vos_ruleset_insert_text_with(
				 ctx, &fake, &rs, 0,
				 "action=accept proto=tcp dsthost=moving.example dstports=443", 0),
			 1);
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 1,
						      "action=accept dsthost=@web", 0),
			 1);
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 2,
						      "action=drop dsthost=many.example", 0),
			 3);
	rs.rules[0].packets = 5;
	/* the name now has three other addresses: one rule each, in place */
	moving_n = 3;
	moving_base = 100;
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), 2);
	ck_assert_uint_eq(rs.count, 7);
	ck_assert_uint_eq(rs.policy, VOS_RULE_DROP);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(ADDR_OF(&rs, i), 0xc000020au + 100 + (uint32_t)i);
		ck_assert_uint_eq(rs.rules[i].proto, IPPROTO_TCP);
		ck_assert_uint_eq(rs.rules[i].port_min, 443);
		ck_assert_uint_eq(rs.rules[i].dst_prefix, 32);
		ck_assert_uint_eq(rs.rules[i].packets, 0);
		ck_assert_str_eq(HOST_OF(&rs, i), "moving.example");
	}
	ck_assert_uint_eq(rs.rules[3].dst_subsys, 7);
	ck_assert_str_eq(HOST_OF(&rs, 3), "");
	ck_assert_uint_eq(rs.rules[4].action, VOS_RULE_DROP);
	ck_assert_str_eq(HOST_OF(&rs, 6), "many.example");
	/* and back to one: the run of three shrinks */
	moving_n = 1;
	moving_base = 0;
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), 2);
	ck_assert_uint_eq(rs.count, 5);
	ck_assert_uint_eq(ADDR_OF(&rs, 0), 0xc000020au);
	ck_assert_uint_eq(rs.rules[1].dst_subsys, 7);
	/* a rule the user moved between two of a name's rules splits the run:
	 * each part is resolved again, nothing is merged across it
	 */
	ck_assert_int_eq(vos_ruleset_insert_text_with(
				 ctx, &fake, &rs, 2,
				 "action=accept proto=tcp dsthost=moving.example dstports=443", 0),
			 1);
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), 3);
	ck_assert_uint_eq(rs.rules[1].dst_subsys, 7);
	ck_assert_str_eq(HOST_OF(&rs, 2), "moving.example");
	ck_assert_uint_eq(rs.count, 6);
	vos_ruleset_clear(&rs);
}
END_TEST

START_TEST(refresh_errors_change_nothing)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };
	struct vos_rule before[4];

	moving_n = 2;
	moving_base = 0;
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), 0); /* empty: nothing */
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0,
						      "action=accept dsthost=moving.example", 0),
			 2);
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 2,
						      "action=accept dsthost=one.example", 0),
			 1);
	memcpy(before, rs.rules, 3 * sizeof(*before));
	/* the name is gone from DNS: an error naming it, the set as it was */
	moving_n = 0;
	vos_ctx_clear_error(ctx);
	ck_assert_int_lt(vos_ruleset_refresh_with(ctx, &fake, &rs), 0);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "moving.example"));
	ck_assert_uint_eq(rs.count, 3);
	ck_assert_mem_eq(before, rs.rules, 3 * sizeof(*before));
	ck_assert_str_eq(HOST_OF(&rs, 2), "one.example");
	/* more addresses than a set holds */
	moving_n = VOS_RULES_MAX;
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), -E2BIG);
	ck_assert_uint_eq(rs.count, 3);
	/* a set without names (an older module): nothing to do */
	free(rs.hosts);
	rs.hosts = NULL;
	ck_assert_int_eq(vos_ruleset_refresh_with(ctx, &fake, &rs), 0);
	ck_assert_uint_eq(rs.count, 3);
	vos_ruleset_clear(&rs);
}
END_TEST

/* @rule into a set: its text back from vos_ruleset_format() */
static void v6_round_trip(const char *rule, int n, const char *text0)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };
	char buf[VOS_RULE_TEXT_MAX];

	vos_ctx_clear_error(ctx);
	ck_assert_msg(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0, rule, 0) == n, "'%s': %s",
		      rule, vos_ctx_errmsg(ctx));
	ck_assert_int_gt(vos_ruleset_format(ctx, &rs, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, text0);
	vos_ruleset_clear(&rs);
}

START_TEST(ipv6_rules)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };
	struct in6_addr want;
	char buf[VOS_RULE_TEXT_MAX];

	/* an address, a range, ICMP to IPv6 is ICMPv6, ICMPv6 to anywhere */
	v6_round_trip("action=accept proto=tcp dsthost=2001:db8::1 dstports=443", 1,
		      "action=accept proto=tcp dsthost=2001:db8::1 dstports=443");
	v6_round_trip("action=drop dsthost=2001:DB8:0::/32", 1,
		      "action=drop dsthost=2001:db8::/32");
	v6_round_trip("action=accept proto=icmp dsthost=fd00::/8 icmptype=128", 1,
		      "action=accept proto=icmp dsthost=fd00::/8 icmptype=128");
	v6_round_trip("action=accept proto=icmp6 icmptype=128", 1,
		      "action=accept proto=icmp6 icmptype=128");
	v6_round_trip("action=accept dsthost=::/0", 1, "action=accept dsthost=::/0");
	/* the kernel's view: flag, no IPv4 fields, the range beside */
	ck_assert_int_eq(
		vos_ruleset_insert_text_with(ctx, &fake, &rs, 0,
					     "action=accept proto=icmp dsthost=2001:db8::/48", 0),
		1);
	ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0,
						      "action=accept proto=udp dstports=53", 0),
			 1);
	ck_assert_uint_eq(rs.rules[1].flags, VOS_RULE_IPV6);
	ck_assert_uint_eq(rs.rules[1].proto, IPPROTO_ICMPV6);
	ck_assert_uint_eq(rs.rules[1].dst_prefix, 0);
	ck_assert_ptr_nonnull(rs.addrs6);
	inet_pton(AF_INET6, "2001:db8::", &want);
	ck_assert_mem_eq(rs.addrs6[1].addr, &want, 16);
	ck_assert_uint_eq(rs.addrs6[1].prefix, 48);
	ck_assert_uint_eq(rs.addrs6[0].prefix, 0); /* the IPv4/both rule: all zero */
	ck_assert_uint_eq(rs.rules[0].flags, 0);
	/* delete keeps the destinations in step */
	ck_assert_int_eq(vos_ruleset_delete(ctx, &rs, 0), 0);
	ck_assert_uint_eq(rs.addrs6[0].prefix, 48);
	ck_assert_int_gt(vos_ruleset_format(ctx, &rs, 0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "action=accept proto=icmp dsthost=2001:db8::/48");
	/* vos_rule_format() alone cannot: the destination is not in the rule */
	vos_ctx_clear_error(ctx);
	ck_assert_int_eq(vos_rule_format(ctx, &rs.rules[0], buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(vos_ruleset_format(ctx, &rs, 1, buf, sizeof(buf)), -EINVAL);
	vos_ruleset_clear(&rs);
	ck_assert_ptr_null(rs.addrs6);
}
END_TEST

START_TEST(ipv6_bad)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };
	static const struct {
		const char *rule, *msg;
	} bad[] = {
		{ "action=accept dsthost=2001:db8::1/129",
		  "dsthost=2001:db8::1/129: an IPv6 prefix is 0..128; use dsthost=IPV6/N" },
		{ "action=accept dsthost=2001:db8::1/64",
		  "dsthost=2001:db8::1/64: bits set past /64; give the network's address" },
		{ "action=accept dsthost=2001:db8:::1",
		  "dsthost=2001:db8:::1: '2001:db8:::1' is not an IPv6 address; use dsthost=IPV6 or IPV6/N" },
		{ "action=accept proto=icmp6 dsthost=10.0.0.0/8",
		  "proto=icmp6 with dsthost=10.0.0.0/8: ICMPv6 goes to IPv6 destinations; use proto=icmp" },
		{ "action=accept proto=icmp6 specialtarget=dns",
		  "specialtarget=dns with proto=icmp6: DNS is udp or tcp; use proto=udp, proto=tcp or no proto" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vos_ctx_clear_error(ctx);
		ck_assert_int_eq(vos_ruleset_insert_text_with(ctx, &fake, &rs, 0, bad[i].rule, 0),
				 -EINVAL);
		ck_assert_str_eq(vos_ctx_errmsg(ctx), bad[i].msg);
		ck_assert_uint_eq(rs.count, 0);
	}
	/* the struct checks, as vos.ko's */
	{
		struct vos_rule r = { .action = VOS_RULE_ACCEPT,
				      .flags = VOS_RULE_IPV6,
				      .dst_prefix = 8,
				      .icmp_type = -1 };

		ck_assert_int_eq(vos_rule_check(ctx, &r, "rule 1"), -EINVAL);
		r.dst_prefix = 0;
		r.proto = IPPROTO_ICMP;
		ck_assert_int_eq(vos_rule_check(ctx, &r, "rule 1"), -EINVAL);
		r.proto = IPPROTO_ICMPV6;
		r.icmp_type = 128;
		ck_assert_int_eq(vos_rule_check(ctx, &r, "rule 1"), 0);
	}
}
END_TEST

static Suite *firewall_suite(void)
{
	Suite *s = suite_create("firewall");
	TCase *t = tcase_create("parse");
	TCase *f = tcase_create("format");
	TCase *k = tcase_create("sets");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, action_alone);
	tcase_add_test(t, protocols);
	tcase_add_test(t, destinations_by_address);
	tcase_add_test(t, destinations_by_name);
	tcase_add_test(t, destinations_by_subsystem);
	tcase_add_test(t, ports_and_icmp);
	tcase_add_test(t, special_target_dns);
	tcase_add_test(t, everything_at_once);
	tcase_add_test(t, bad_tokens);
	tcase_add_test(t, bad_destinations);
	tcase_add_test(t, bad_ports_and_types);
	tcase_add_test(t, room_and_limit);
	tcase_add_test(t, real_name_localhost);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(f, setup, teardown);
	tcase_add_test(f, real_format_without_context);
	tcase_add_test(f, text_round_trip);
	tcase_add_test(f, other_spellings_format_canonically);
	tcase_add_test(f, struct_round_trip);
	tcase_add_test(f, format_refusals);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(k, setup, teardown);
	tcase_add_test(k, rule_checks);
	tcase_add_test(k, ruleset_edit);
	tcase_add_test(k, ruleset_limit);
	tcase_add_test(k, set_checks_before_the_kernel);
	tcase_add_test(k, insert_text_keeps_names);
	tcase_add_test(k, refresh_follows_names);
	tcase_add_test(k, refresh_errors_change_nothing);
	tcase_add_test(k, ipv6_rules);
	tcase_add_test(k, ipv6_bad);
	suite_add_tcase(s, k);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(firewall_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
