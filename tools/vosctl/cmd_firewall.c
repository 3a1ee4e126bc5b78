// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl firewall NAME list|add|del|policy|reset|refresh: a subsystem's network
 * rules, held and enforced by vos.ko (VOS_CAP_NET_RULES), in the grammar of
 * Qubes' qvm-firewall. The grammar, the lookups and the set editing are
 * libvirtos's (firewall.c); this file parses the command line, reads the
 * set, changes it, writes it whole and prints it.
 *
 * A change is read, edit, write: vos.ko swaps the whole set at once, but
 * two vosctl changing one subsystem's rules at the same moment can lose one
 * edit (the last writer wins). The man page says so.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <virtos.h>

#include "common.h"

enum fw_verb {
	FW_LIST,
	FW_ADD,
	FW_DEL,
	FW_POLICY,
	FW_RESET,
	FW_REFRESH
};

static const struct {
	const char *name;
	enum fw_verb verb;
} verbs[] = {
	{ "list", FW_LIST },	 { "add", FW_ADD },	{ "del", FW_DEL },
	{ "policy", FW_POLICY }, { "reset", FW_RESET }, { "refresh", FW_REFRESH },
};

static const struct option fw_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "before", required_argument, NULL, OPT_BEFORE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct fw_args {
	const char *name;
	enum fw_verb verb;
	bool json;
	uint32_t before; /* add: 1-based, 0: append */
	uint32_t del;	 /* del: 1-based */
	uint32_t policy; /* policy: VOS_RULE_* */
	char *rule;	 /* add: the tokens, joined by spaces (malloc'ed) */
};

static const char *policy_name(uint32_t p)
{
	return p == VOS_RULE_DROP ? "drop" : "accept";
}

/* RULE... as one string, the tokens joined by single spaces */
static int join_rule(struct cli_err *e, int n, char **tok, char **out)
{
	size_t len = 1, off = 0;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(tok[i]) + 1;
	s = malloc(len);
	if (!s)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	for (i = 0; i < n; i++) {
		size_t l = strlen(tok[i]);

		if (i)
			s[off++] = ' ';
		memcpy(s + off, tok[i], l);
		off += l;
	}
	s[off] = '\0';
	*out = s;
	return 0;
}

/* The command line: options anywhere, then NAME [VERB [ARGS...]] */
static int fw_parse(struct cli_ctx *ctx, struct cli_err *e, int argc, char **argv,
		    struct fw_args *a, bool *help)
{
	const struct cli_cmd *cmd = cli_find("firewall");
	const char *before = NULL, *verb;
	int c, npos;
	char **pos;
	size_t i;

	*help = false;
	while ((c = cli_getopt(e, cmd, argc, argv, ":h", fw_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			*help = true;
			return 0;
		}
		if (c == OPT_JSON)
			a->json = true;
		else if (c == OPT_BEFORE)
			before = optarg;
	}
	pos = argv + optind;
	npos = argc - optind;
	if (npos < 1)
		return cli_fail(e, EXIT_USAGE, "firewall: missing NAME: see 'vosctl ls' for names");
	a->name = pos[0];
	if (parse_name(e, "NAME", a->name))
		return EXIT_USAGE;
	verb = npos > 1 ? pos[1] : "list";
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verb, verbs[i].name) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return cli_fail(
			e, EXIT_USAGE,
			"firewall: unknown action '%s': use list, add, del, policy, reset or refresh",
			verb);
	a->verb = verbs[i].verb;
	pos += 2;
	npos -= 2;
	if (npos < 0)
		npos = 0;

	if (a->json && a->verb != FW_LIST && a->verb != FW_REFRESH)
		return cli_fail(
			e, EXIT_USAGE,
			"firewall: --json goes with list and refresh: 'vosctl firewall %s list --json'",
			a->name);
	if (before && a->verb != FW_ADD)
		return cli_fail(
			e, EXIT_USAGE,
			"firewall: --before goes with add: 'vosctl firewall %s add --before N RULE...'",
			a->name);
	if (before && parse_count(e, "--before", before, VOS_RULES_MAX, &a->before))
		return EXIT_USAGE;

	switch (a->verb) {
	case FW_LIST:
	case FW_RESET:
	case FW_REFRESH:
		if (npos)
			return cli_fail(
				e, EXIT_USAGE,
				"firewall %s: unexpected argument '%s': see 'vosctl firewall --help'",
				verb, pos[0]);
		return 0;
	case FW_ADD:
		if (!npos)
			return cli_fail(
				e, EXIT_USAGE,
				"firewall add: missing RULE: e.g. 'vosctl firewall %s add action=accept proto=tcp dstports=443'",
				a->name);
		return join_rule(e, npos, pos, &a->rule);
	case FW_DEL:
		if (npos != 1)
			return cli_fail(
				e, EXIT_USAGE,
				"firewall del: give one rule number N (see 'vosctl firewall %s list')",
				a->name);
		if (parse_count(e, "del", pos[0], VOS_RULES_MAX, &a->del))
			return cli_fail(
				e, EXIT_USAGE,
				"firewall del: '%s' is not a rule number: use N from 'vosctl firewall %s list' (1 or more)",
				pos[0], a->name);
		return 0;
	case FW_POLICY:
		if (npos != 1 || (strcmp(pos[0], "accept") && strcmp(pos[0], "drop")))
			return cli_fail(
				e, EXIT_USAGE,
				"firewall policy: give accept or drop: 'vosctl firewall %s policy drop'",
				a->name);
		a->policy = strcmp(pos[0], "drop") == 0 ? VOS_RULE_DROP : VOS_RULE_ACCEPT;
		return 0;
	}
	return 0;
}

/* The value of KEY= in @text, a formatted rule, into @buf ("" if absent) */
static const char *field(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = text;

	buf[0] = '\0';
	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			const char *v = p + klen + 1, *end = strchr(v, ' ');
			size_t n = end ? (size_t)(end - v) : strlen(v);

			snprintf(buf, len, "%.*s", (int)n, v);
			return buf;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return buf;
}

static void json_field(FILE *f, const char *name, const char *text, const char *key, bool number)
{
	char v[VOS_RULE_TEXT_MAX];

	fprintf(f, ",\"%s\":", name);
	field(text, key, v, sizeof(v));
	if (!v[0])
		fputs("null", f);
	else if (number)
		fputs(v, f);
	else
		json_str(f, v);
}

static int fw_list(struct cli_ctx *ctx, struct cli_err *e, struct vos_ctx *vctx,
		   struct vos_subsys *s, const struct vos_ruleset *rs, bool json)
{
	char text[VOS_RULE_TEXT_MAX];
	uint32_t i;
	int r;

	if (json) {
		fprintf(ctx->out, "{\"name\":");
		json_str(ctx->out, vos_subsys_name(s));
		fprintf(ctx->out,
			",\"id\":%llu,\"policy\":\"%s\",\"count\":%u,\"dropped_spoof\":%llu,"
			"\"dropped_other\":%llu,\"rules\":[",
			(unsigned long long)vos_subsys_id(s), policy_name(rs->policy), rs->count,
			(unsigned long long)rs->dropped_spoof,
			(unsigned long long)rs->dropped_other);
	} else if (rs->count) {
		fprintf(ctx->out, "%-4s %12s %14s  %s\n", "NR", "PACKETS", "BYTES", "RULE");
	} else {
		fprintf(ctx->out, "no rules\n");
	}
	for (i = 0; i < rs->count; i++) {
		const struct vos_rule *rule = &rs->rules[i];
		const char *host = rs->hosts ? rs->hosts + (size_t)i * VOS_RULE_HOST_MAX : "";

		r = vos_ruleset_format(vctx, rs, i, text, sizeof(text));
		if (r < 0)
			return lib_fail(e, OP_RULES, vctx, r, vos_subsys_name(s), NULL);
		if (!json) {
			fprintf(ctx->out, "%-4u %12llu %14llu  %s%s%s\n", i + 1,
				(unsigned long long)rule->packets, (unsigned long long)rule->bytes,
				text, host[0] ? "  # from " : "", host);
			continue;
		}
		fprintf(ctx->out, "%s{\"number\":%u,\"rule\":", i ? "," : "", i + 1);
		json_str(ctx->out, text);
		json_field(ctx->out, "action", text, "action", false);
		json_field(ctx->out, "proto", text, "proto", false);
		json_field(ctx->out, "dsthost", text, "dsthost", false);
		if (rule->dst_subsys)
			fprintf(ctx->out, ",\"dst_subsys\":%llu",
				(unsigned long long)rule->dst_subsys);
		else
			fprintf(ctx->out, ",\"dst_subsys\":null");
		json_field(ctx->out, "dstports", text, "dstports", false);
		json_field(ctx->out, "icmptype", text, "icmptype", true);
		fputs(",\"host\":", ctx->out);
		if (host[0])
			json_str(ctx->out, host);
		else
			fputs("null", ctx->out);
		fprintf(ctx->out, ",\"packets\":%llu,\"bytes\":%llu}",
			(unsigned long long)rule->packets, (unsigned long long)rule->bytes);
	}
	if (json) {
		fprintf(ctx->out, "]}\n");
		return 0;
	}
	fprintf(ctx->out, "policy: %s\n", policy_name(rs->policy));
	fprintf(ctx->out, "dropped with no rule: %llu spoofed source, %llu other\n",
		(unsigned long long)rs->dropped_spoof, (unsigned long long)rs->dropped_other);
	return 0;
}

/* add, del, policy, reset on @rs (read just before): the new set into @rs */
static int fw_edit(struct cli_err *e, struct vos_ctx *vctx, const struct fw_args *a,
		   struct vos_ruleset *rs, const struct vos_ruleset *add)
{
	size_t pos = a->before ? a->before - 1 : rs->count, i;
	int r;

	switch (a->verb) {
	case FW_ADD:
		if (a->before > rs->count + 1)
			return cli_fail(
				e, EXIT_USAGE,
				"firewall add: --before %u: there is no rule %u ('%s' has %u): use 1..%u",
				a->before, a->before, a->name, rs->count, rs->count + 1);
		/* the host name of a dsthost=NAME and an IPv6 destination go
		 * with their rules
		 */
		if (add->hosts && !rs->hosts)
			rs->hosts = calloc((size_t)rs->count + 1, VOS_RULE_HOST_MAX);
		if (add->addrs6 && !rs->addrs6)
			rs->addrs6 = calloc((size_t)rs->count + 1, sizeof(*rs->addrs6));
		if ((add->hosts && !rs->hosts) || (add->addrs6 && !rs->addrs6))
			return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
		r = vos_ruleset_insert(vctx, rs, pos, add->rules, add->count);
		if (r < 0)
			return lib_fail(e, OP_RULE, vctx, r, a->name, NULL);
		for (i = 0; add->hosts && i < add->count; i++)
			memcpy(rs->hosts + (pos + i) * VOS_RULE_HOST_MAX,
			       add->hosts + i * VOS_RULE_HOST_MAX, VOS_RULE_HOST_MAX);
		if (add->addrs6)
			memcpy(rs->addrs6 + pos, add->addrs6, add->count * sizeof(*rs->addrs6));
		return 0;
	case FW_DEL:
		if (a->del > rs->count)
			return cli_fail(
				e, EXIT_USAGE,
				"firewall del: there is no rule %u: '%s' has %u (see 'vosctl firewall %s list')",
				a->del, a->name, rs->count, a->name);
		r = vos_ruleset_delete(vctx, rs, a->del - 1);
		return r < 0 ? lib_fail(e, OP_RULE, vctx, r, a->name, NULL) : 0;
	case FW_POLICY:
		rs->policy = a->policy;
		return 0;
	case FW_RESET:
		vos_ruleset_clear(rs);
		return 0;
	case FW_LIST:
	case FW_REFRESH:
		break;
	}
	return 0;
}

/* refresh: resolve the set's host names again, write it if it changed */
static int fw_refresh(struct cli_ctx *ctx, struct cli_err *e, struct vos_ctx *vctx,
		      struct vos_subsys *s, struct vos_ruleset *rs, bool json)
{
	uint32_t before = rs->count, i;
	bool changed = false;
	struct vos_rule *old;
	int names, r;

	old = calloc(before ? before : 1, sizeof(*old));
	if (!old)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	if (before)
		memcpy(old, rs->rules, before * sizeof(*old));
	names = vos_ruleset_refresh(vctx, rs);
	if (names < 0) {
		/* the message names the host and what to do, as for add */
		free(old);
		return lib_fail(e, OP_RULE, vctx, names, vos_subsys_name(s), NULL);
	}
	changed = rs->count != before;
	for (i = 0; !changed && i < before; i++)
		changed = old[i].dst_addr != rs->rules[i].dst_addr;
	free(old);
	if (changed) {
		r = vos_subsys_set_rules(s, rs);
		if (r)
			return lib_fail(e, OP_RULES, vctx, r, vos_subsys_name(s), NULL);
	}
	if (json) {
		fprintf(ctx->out, "{\"name\":");
		json_str(ctx->out, vos_subsys_name(s));
		fprintf(ctx->out,
			",\"names\":%d,\"changed\":%s,\"rules_before\":%u,\"rules\":%u}\n", names,
			changed ? "true" : "false", before, rs->count);
	} else if (!names) {
		fprintf(ctx->out,
			"'%s' has no rules from host names (dsthost=NAME): nothing to do\n",
			vos_subsys_name(s));
	} else {
		fprintf(ctx->out, "%d host name%s resolved again: %s (%u rules, were %u)\n", names,
			names == 1 ? "" : "s",
			changed ? "the set is updated" : "no address changed", rs->count, before);
	}
	return 0;
}

int cmd_firewall(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	struct fw_args a = { .verb = FW_LIST };
	struct vos_ctx *vctx = NULL;
	struct vos_subsys *s = NULL;
	struct vos_ruleset rs, add;
	bool help;
	int ret;

	memset(&rs, 0, sizeof(rs));
	memset(&add, 0, sizeof(add));
	ret = fw_parse(ctx, e, argc, argv, &a, &help);
	if (ret || help)
		goto out;
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		goto out;
	if (a.verb == FW_ADD) {
		/* before the module is needed: a bad token is a usage error
		 * with or without it (only @SUBSYS needs the module)
		 */
		/* specialtarget=dns: port 53 of the host's resolver */
		ret = vos_ruleset_insert_text(vctx, &add, 0, a.rule, vos_net_resolver4());
		if (ret < 0) {
			ret = lib_fail(e, OP_RULE, vctx, ret, a.name, NULL);
			goto out;
		}
	}
	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	ret = vos_subsys_open(vctx, a.name, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, a.name, NULL);
		goto out;
	}
	ret = vos_subsys_get_rules(s, &rs);
	if (ret) {
		ret = lib_fail(e, OP_RULES, vctx, ret, a.name, NULL);
		goto out;
	}
	if (a.verb == FW_LIST) {
		ret = fw_list(ctx, e, vctx, s, &rs, a.json);
		goto out;
	}
	if (a.verb == FW_REFRESH) {
		ret = fw_refresh(ctx, e, vctx, s, &rs, a.json);
		goto out;
	}
	ret = fw_edit(e, vctx, &a, &rs, &add);
	if (ret)
		goto out;
	ret = vos_subsys_set_rules(s, &rs);
	if (ret)
		ret = lib_fail(e, OP_RULES, vctx, ret, a.name, NULL);
out:
	vos_ruleset_clear(&rs);
	vos_ruleset_clear(&add);
	free(a.rule);
	vos_subsys_free(s);
	vos_ctx_free(vctx);
	return ret;
}
