/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * firewall.h - libvirtos internals of firewall.c: the lookups a rule needs
 * (a subsystem's id by name and name by id, a host name's addresses), so
 * that the unit tests can parse and format with lookups of their own, and
 * the check of one struct vos_rule. Nothing here is exported.
 */
#ifndef VIRTOS_FIREWALL_H
#define VIRTOS_FIREWALL_H

#include <stddef.h>
#include <stdint.h>

#include "virtos.h"

/* the grammar, for the messages */
#define RULE_FORM                                                                     \
	"action=accept|drop [proto=tcp|udp|icmp] [dsthost=ADDRESS[/N]|NAME|@SUBSYS] " \
	"[dstports=N[-M]] [icmptype=N] [specialtarget=dns]"

/* host-order mask of an IPv4 prefix length 0..32 */
static inline uint32_t vos_prefix_mask(uint32_t prefix)
{
	return prefix == 0 ? 0 : prefix >= 32 ? ~0U : ~(~0U >> prefix);
}

struct vos_rule_lookup {
	/* The id of subsystem @name: 0, -ENOENT if there is none, or another
	 * -errno with the error recorded in @ctx.
	 */
	int (*subsys_id)(struct vos_ctx *ctx, const char *name, uint64_t *id);
	/* The name of the subsystem with id @id into @buf: 0, or -ENOENT if
	 * it is gone (or not visible); records nothing.
	 */
	int (*subsys_name)(struct vos_ctx *ctx, uint64_t id, char *buf, size_t len);
	/* The IPv4 addresses of host name @host (network byte order), each
	 * once, the first @room of them into @addrs: how many there are (may
	 * be more than @room), or -errno with the error recorded in @ctx.
	 */
	int (*resolve)(struct vos_ctx *ctx, const char *host, uint32_t *addrs, size_t room);
};

/* vos_rule_parse() and vos_rule_format() with the lookups of @lk (NULL for
 * the formatter: no names, @#ID)
 */
int vos_rule_parse_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk, const char *rule,
			uint32_t dns4, struct vos_rule *out, size_t room);
int vos_rule_format_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			 const struct vos_rule *r, char *buf, size_t len);
/* vos_rule_format_with() of a rule whose IPv6 destination (VOS_RULE_IPV6)
 * is @a6 (NULL: refused for such a rule)
 */
int vos_rule_format6_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			  const struct vos_rule *r, const struct vos_rule_addr6 *a6, char *buf,
			  size_t len);
/* vos_rule_parse_with() that also gives, when @host is not NULL, the host
 * NAME the rules' addresses came from ("" when the rule has none), and
 * when @a6 is not NULL (room for @room), each rule's IPv6 destination
 * (all zero for the others); without @a6 an IPv6 rule is refused
 */
int vos_rule_parse_host_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			     const char *rule, uint32_t dns4, struct vos_rule *out,
			     struct vos_rule_addr6 *a6, size_t room, char host[VOS_RULE_HOST_MAX]);
/* vos_ruleset_insert_text() and vos_ruleset_refresh() with the lookups of @lk */
int vos_ruleset_insert_text_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
				 struct vos_ruleset *rs, size_t pos, const char *rule,
				 uint32_t dns4);
int vos_ruleset_refresh_with(struct vos_ctx *ctx, const struct vos_rule_lookup *lk,
			     struct vos_ruleset *rs);

/* 0 if vos.ko would take @r, else -EINVAL (VOS_ERR_USAGE) and a message
 * "@what: <the field>: <what it may be>"
 */
int vos_rule_check(struct vos_ctx *ctx, const struct vos_rule *r, const char *what);

#endif /* VIRTOS_FIREWALL_H */
