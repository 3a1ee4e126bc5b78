// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl net show: every subsystem's link as vos.ko has it bound (its
 * uplink, address, provider, clients, rules and counters), and the check
 * stop and rm make before a provider goes: its running clients are named,
 * or with --force stopped first (clients of clients before them).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <virtos.h>

#include "common.h"

struct net_row {
	struct vos_info info;
	struct vos_link_state link;
	struct vos_ruleset rs;
	bool known; /* link and rules read */
};

struct net_view {
	struct net_row *rows;
	size_t n;
};

static void view_free(struct net_view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		vos_ruleset_clear(&v->rows[i].rs);
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}

/* Every subsystem we may see, with its link (and, if @rules, its rules). */
static int view_load(struct vos_ctx *vctx, struct net_view *v, bool rules, struct cli_err *e)
{
	struct vos_info *list = NULL;
	size_t n = 0, i;
	int ret;

	memset(v, 0, sizeof(*v));
	ret = vos_subsys_list(vctx, &list, &n);
	if (ret)
		return lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
	v->rows = calloc(n ? n : 1, sizeof(*v->rows));
	if (!v->rows) {
		vos_info_list_free(list);
		return cli_fail(e, EXIT_FAIL, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct net_row *r = &v->rows[v->n++];
		struct vos_subsys *s = NULL;

		r->info = list[i];
		/* a subsystem we may list but not open (or gone since) shows
		 * without its link
		 */
		if (vos_subsys_open_id(vctx, r->info.id, &s))
			continue;
		r->known = !vos_subsys_get_link(s, &r->link) &&
			   (!rules || !vos_subsys_get_rules(s, &r->rs));
		vos_subsys_free(s);
	}
	vos_ctx_clear_error(vctx);
	vos_info_list_free(list);
	return 0;
}

static const struct net_row *view_by_id(const struct net_view *v, uint64_t id)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->rows[i].info.id == id)
			return &v->rows[i];
	return NULL;
}

static const struct net_row *view_by_name(const struct net_view *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->rows[i].info.name, name))
			return &v->rows[i];
	return NULL;
}

static bool is_client(const struct net_row *r, uint64_t provider)
{
	return r->known && r->link.bound && r->link.provider == provider &&
	       r->info.state == VOS_STATE_RUNNING;
}

/* "none", "host", "shared" (the host's network) or the provider's name */
static const char *uplink_of(const struct net_view *v, const struct net_row *r)
{
	const struct net_row *p;

	if (r->info.net_policy == VOS_NET_HOST)
		return "shared";
	if (!r->known || !r->link.bound)
		return "none";
	if (!r->link.provider)
		return "host";
	p = view_by_id(v, r->link.provider);
	return p ? p->info.name : "?";
}

static void addr_str(char *buf, size_t len, uint32_t a, uint32_t prefix)
{
	struct in_addr in = { .s_addr = a };

	inet_ntop(AF_INET, &in, buf, (socklen_t)len);
	if (prefix)
		snprintf(buf + strlen(buf), len - strlen(buf), "/%u", prefix);
}

/* The link's IPv6 address into @buf ("" if none) */
static const char *addr6_str(char *buf, size_t len, const struct vos_link_state *l)
{
	static const uint8_t zero[16];

	buf[0] = '\0';
	if (l->bound && memcmp(l->addr6, zero, sizeof(zero)))
		inet_ntop(AF_INET6, l->addr6, buf, (socklen_t)len);
	return buf;
}

static uint64_t rule_packets(const struct vos_ruleset *rs)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < rs->count; i++)
		sum += rs->rules[i].packets;
	return sum;
}

static void row_json(FILE *out, const struct net_view *v, const struct net_row *r)
{
	char a[32], range[40], a6[INET6_ADDRSTRLEN];
	size_t i;
	bool first = true;

	fprintf(out, "{\"name\":");
	json_str(out, r->info.name);
	fprintf(out, ",\"id\":%llu,\"state\":\"%s\",\"uplink\":", (unsigned long long)r->info.id,
		vos_state_name(r->info.state));
	json_str(out, uplink_of(v, r));
	if (r->known && r->link.bound) {
		addr_str(a, sizeof(a), r->link.addr4, 0);
		fprintf(out, ",\"link\":\"vos%llu\",\"address\":\"%s\"",
			(unsigned long long)r->info.id, a);
	} else {
		fprintf(out, ",\"link\":null,\"address\":null");
	}
	if (r->known && addr6_str(a6, sizeof(a6), &r->link)[0])
		fprintf(out, ",\"address6\":\"%s\"", a6);
	else
		fprintf(out, ",\"address6\":null");
	if (r->known && r->link.bound && r->link.provider)
		fprintf(out, ",\"provider\":%llu", (unsigned long long)r->link.provider);
	else
		fprintf(out, ",\"provider\":null");
	if (r->known && r->link.range_prefix) {
		addr_str(range, sizeof(range), r->link.range4, r->link.range_prefix);
		fprintf(out, ",\"range\":\"%s\"", range);
	} else {
		fprintf(out, ",\"range\":null");
	}
	fprintf(out, ",\"clients\":[");
	for (i = 0; i < v->n; i++) {
		if (!is_client(&v->rows[i], r->info.id))
			continue;
		fprintf(out, "%s", first ? "" : ",");
		json_str(out, v->rows[i].info.name);
		first = false;
	}
	fprintf(out, "]");
	if (r->known)
		fprintf(out,
			",\"policy\":\"%s\",\"rules\":%u,\"matched\":%llu,\"dropped_spoof\":%llu,"
			"\"dropped_other\":%llu}",
			r->rs.policy == VOS_RULE_DROP ? "drop" : "accept", r->rs.count,
			(unsigned long long)rule_packets(&r->rs),
			(unsigned long long)r->rs.dropped_spoof,
			(unsigned long long)r->rs.dropped_other);
	else
		fprintf(out, ",\"policy\":null,\"rules\":null,\"matched\":null,"
			     "\"dropped_spoof\":null,\"dropped_other\":null}");
}

static void row_text(FILE *out, const struct net_view *v, const struct net_row *r)
{
	char a[32] = "-", range[40] = "-", clients[256] = "", a6[INET6_ADDRSTRLEN];
	size_t i, used = 0;

	if (r->known && r->link.bound)
		addr_str(a, sizeof(a), r->link.addr4, 0);
	if (r->known && r->link.range_prefix)
		addr_str(range, sizeof(range), r->link.range4, r->link.range_prefix);
	for (i = 0; i < v->n && used < sizeof(clients) - 1; i++) {
		if (!is_client(&v->rows[i], r->info.id))
			continue;
		used += (size_t)snprintf(clients + used, sizeof(clients) - used, "%s%s",
					 used ? "," : "", v->rows[i].info.name);
	}
	if (!r->known) {
		fprintf(out, "%-16s %-10s %-16s %-18s %-16s %s\n", r->info.name, uplink_of(v, r),
			"?", "?", "?", "(not yours to read)");
		return;
	}
	if (!addr6_str(a6, sizeof(a6), &r->link)[0])
		snprintf(a6, sizeof(a6), "-");
	fprintf(out, "%-16s %-10s %-16s %-18s %-16s %-6s %5u %10llu %8llu %8llu  %s\n",
		r->info.name, uplink_of(v, r), a, range, used ? clients : "-",
		r->rs.policy == VOS_RULE_DROP ? "drop" : "accept", r->rs.count,
		(unsigned long long)rule_packets(&r->rs), (unsigned long long)r->rs.dropped_spoof,
		(unsigned long long)r->rs.dropped_other, a6);
}

/* net show, publish and unpublish: --json (not unpublish's) and --help */
static const struct option net_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_net(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("net");
	const char *name = NULL;
	struct vos_ctx *vctx = NULL;
	struct net_view v;
	bool json = false, first = true;
	size_t i;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", net_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == 'j')
			json = true;
	}
	if (optind >= argc || strcmp(argv[optind], "show"))
		return cli_fail(e, EXIT_USAGE,
				"net: give 'show' (vosctl net show [NAME] [--json])");
	optind++; /* getopt moved the options before the words */
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		return cli_fail(e, EXIT_USAGE, "net show: one NAME at most ('%s' is extra)",
				argv[optind]);
	if (name && parse_name(e, "NAME", name))
		return EXIT_USAGE;
	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = view_load(vctx, &v, true, e);
	if (ret)
		goto out;
	if (name && !view_by_name(&v, name)) {
		ret = cli_fail(e, EXIT_NAME, "no such subsystem: '%s' (see 'vosctl ls')", name);
		goto out_view;
	}
	if (json)
		fprintf(ctx->out, "[");
	else
		fprintf(ctx->out, "%-16s %-10s %-16s %-18s %-16s %-6s %5s %10s %8s %8s  %s\n",
			"NAME", "UPLINK", "ADDRESS", "RANGE", "CLIENTS", "POLICY", "RULES",
			"MATCHED", "SPOOFED", "DROPPED", "ADDRESS6");
	for (i = 0; i < v.n; i++) {
		if (name && strcmp(v.rows[i].info.name, name))
			continue;
		if (json) {
			fprintf(ctx->out, "%s", first ? "" : ",");
			row_json(ctx->out, &v, &v.rows[i]);
		} else {
			row_text(ctx->out, &v, &v.rows[i]);
		}
		first = false;
	}
	if (json)
		fprintf(ctx->out, "]\n");
	ret = 0;
out_view:
	view_free(&v);
out:
	vos_ctx_free(vctx);
	return ret;
}

/* Stop @id's running clients, theirs first. */
static int stop_clients(struct vos_ctx *vctx, const struct net_view *v, uint64_t id, int sig,
			uint32_t timeout, unsigned int depth, struct cli_err *e)
{
	size_t i;
	int ret;

	if (depth > 8)
		return 0; /* the kernel allows no deeper chain */
	for (i = 0; i < v->n; i++) {
		if (!is_client(&v->rows[i], id))
			continue;
		ret = stop_clients(vctx, v, v->rows[i].info.id, sig, timeout, depth + 1, e);
		if (!ret)
			ret = life_stop(vctx, v->rows[i].info.name, sig, timeout, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* Is @name a bound provider? (Not one, or not there: nothing to check.) */
static bool is_provider(struct vos_ctx *vctx, const char *name)
{
	struct vos_subsys *s = NULL;
	struct vos_link_state st;
	bool yes;

	if (vos_subsys_open(vctx, name, &s)) {
		vos_ctx_clear_error(vctx);
		return false;
	}
	yes = !vos_subsys_get_link(s, &st) && st.bound && st.range_prefix;
	vos_ctx_clear_error(vctx);
	vos_subsys_free(s);
	return yes;
}

int net_before_stop(struct vos_ctx *vctx, const char *name, bool force, int sig, uint32_t timeout,
		    struct cli_err *e)
{
	const struct net_row *p;
	struct net_view v;
	char names[512] = "";
	size_t i, used = 0, n = 0;
	int ret;

	/* only a provider has clients: the others are not listed at all */
	if (!is_provider(vctx, name))
		return 0;
	ret = view_load(vctx, &v, false, e);
	if (ret)
		return ret;
	p = view_by_name(&v, name);
	if (!p || !p->known || !p->link.range_prefix) {
		view_free(&v);
		return 0;
	}
	for (i = 0; i < v.n; i++) {
		if (!is_client(&v.rows[i], p->info.id))
			continue;
		n++;
		if (used < sizeof(names) - 1)
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? ", " : "", v.rows[i].info.name);
	}
	if (n && !force)
		ret = cli_fail(
			e, EXIT_FAIL,
			"subsystem '%s' provides the network of %zu running subsystem%s (%s): stop %s first, or give --force to stop %s too",
			name, n, n == 1 ? "" : "s", names, n == 1 ? "it" : "them",
			n == 1 ? "it" : "them");
	else if (n)
		ret = stop_clients(vctx, &v, p->info.id, sig, timeout, 0, e);
	view_free(&v);
	return ret;
}

/* ---- publish / unpublish ---- */

/* "NAME SPEC ADDRESS" lines: as a table, or a JSON array */
static void pub_print(FILE *out, char *list, bool json)
{
	char *save = NULL, *line, name[VOS_NAME_MAX], spec[64], addr[32];
	bool first = true;

	if (json)
		fprintf(out, "[");
	else if (*list)
		fprintf(out, "%-16s %-28s %s\n", "NAME", "PUBLISHED", "TO");
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%63s %63s %31s", name, spec, addr) != 3)
			continue;
		if (!json) {
			fprintf(out, "%-16s %-28s %s\n", name, spec, addr);
			continue;
		}
		fprintf(out, "%s{\"name\":", first ? "" : ",");
		json_str(out, name);
		fprintf(out, ",\"publish\":");
		json_str(out, spec);
		fprintf(out, ",\"to\":");
		json_str(out, addr);
		fprintf(out, "}");
		first = false;
	}
	if (json)
		fprintf(out, "]\n");
}

static int publish_cmd(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e, bool add)
{
	const struct cli_cmd *cmd = cli_find(add ? "publish" : "unpublish");
	struct vos_ctx *vctx = NULL;
	const char *name;
	char list[8192];
	bool json = false;
	int c, i, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", net_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == 'j' && add)
			json = true;
		else if (c == 'j')
			return cli_fail(
				e, EXIT_USAGE,
				"unpublish: unknown option '--json': see 'vosctl unpublish --help'");
	}
	if (optind >= argc)
		return cli_fail(e, EXIT_USAGE, "%s: give NAME, e.g. 'vosctl %s web%s'", cmd->name,
				cmd->name, add ? " tcp:8080:80" : "");
	name = argv[optind++];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	/* a bad SPEC is a usage error with or without the module */
	for (i = optind; i < argc && !ret; i++) {
		struct vos_config *chk = NULL;

		ret = vos_config_new(vctx, &chk);
		if (!ret)
			ret = vos_config_add_publish(chk, argv[i]);
		vos_config_free(chk);
		if (ret)
			ret = lib_usage(e, vctx, ret);
	}
	if (!ret)
		ret = ctx_connect(vctx, e);
	for (i = optind; i < argc && !ret; i++) {
		ret = add ? vos_net_publish(vctx, name, argv[i])
			  : vos_net_unpublish(vctx, name, argv[i]);
		if (ret)
			ret = lib_fail(e, OP_RULES, vctx, ret, name, NULL);
	}
	if (!ret && !add && optind == argc) {
		ret = vos_net_unpublish(vctx, name, NULL);
		if (ret)
			ret = lib_fail(e, OP_RULES, vctx, ret, name, NULL);
	}
	if (!ret && add && optind == argc) {
		ret = vos_net_published(vctx, name, list, sizeof(list));
		if (ret)
			ret = lib_fail(e, OP_RULES, vctx, ret, name, NULL);
		else
			pub_print(ctx->out, list, json);
	}
	vos_ctx_free(vctx);
	return ret;
}

int cmd_publish(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	return publish_cmd(ctx, argc, argv, e, true);
}

int cmd_unpublish(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	return publish_cmd(ctx, argc, argv, e, false);
}
