// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * publish.c - a subsystem's port on the host (issue 12): a connection to
 * the host's ADDR:HOSTPORT (any local address if ADDR is left out) is
 * translated to PORT at the subsystem's link address, and reaches it
 * through its chain of providers like any other packet for it.
 *
 * The translations live in the nft table "ip virtos" (net.c keeps its
 * masquerade there): chains "prerouting" and "output" (packets from
 * outside, and the host's own) jump to "publish", which holds one DNAT
 * rule per published port, its comment "vos NAME SPEC". That chain is the
 * only record: every change reads it, edits the list and writes it back
 * whole in one nft transaction (flush and add), so a reader never sees half
 * of it. The rules follow the subsystem by name: each time a subsystem of
 * that name gets a link (vos_net_uplink()), its rules are pointed at its
 * new address, so a port keeps working after the chain's subsystems are
 * restarted with new addresses. They are removed by vos_net_unpublish()
 * (vosctl unpublish, and the end of vosctl run --publish), not when the
 * subsystem goes: until a subsystem of that name is linked again they
 * translate to an address nobody has. The ports of an ephemeral subsystem
 * (vosctl run --publish) are its own: their comment carries its id ("vos
 * NAME SPEC @ID"), and once no subsystem has that id, because vosctl was
 * killed before it could unpublish them, every later change drops them and
 * listings leave them out.
 */
#include <arpa/inet.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define PUB_MAX 256 /* published ports, all subsystems */

struct pub {
	char name[VOS_NAME_MAX];
	char spec[VOS_PUBLISH_SPEC_MAX];
	char target[INET_ADDRSTRLEN];
	unsigned long long owner; /* the ephemeral subsystem's id, 0: kept by name */
	bool stale;		  /* @owner is gone */
};

struct publist {
	struct pub p[PUB_MAX];
	size_t n;
};

/* "tcp:[ADDR:]HOSTPORT:PORT" into its parts; a usage error names the form */
int vos_publish_parse(struct vos_ctx *ctx, const char *spec, char *proto, char *addr,
		      unsigned int *hostport, unsigned int *port)
{
	char buf[VOS_PUBLISH_SPEC_MAX], *f[5], *save = NULL, *t, *end;
	unsigned int n = 0, i;
	unsigned long v[2];
	struct in_addr a;

	if (!spec || strlen(spec) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (t = strtok_r(buf, ":", &save); t && n < 5; t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if (t || n < 3 || n > 4 || (strcmp(f[0], "tcp") && strcmp(f[0], "udp")))
		goto bad;
	snprintf(proto, 4, "%s", f[0]);
	addr[0] = '\0';
	if (n == 4) {
		if (inet_pton(AF_INET, f[1], &a) != 1)
			return vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"--publish %s: '%s' is not an IPv4 address of the host; use tcp:ADDR:HOSTPORT:PORT, or tcp:HOSTPORT:PORT for all of its addresses",
				spec, f[1]);
		if (a.s_addr != INADDR_ANY)
			inet_ntop(AF_INET, &a, addr, INET_ADDRSTRLEN);
	}
	for (i = 0; i < 2; i++) {
		const char *s = f[n - 2 + i];

		v[i] = strtoul(s, &end, 10);
		if (!*s || *end || v[i] < 1 || v[i] > 65535)
			return vos_err_class(
				ctx, -EINVAL, VOS_ERR_USAGE,
				"--publish %s: '%s' is not a port: use 1..65535 (%s:[ADDR:]HOSTPORT:PORT)",
				spec, s, f[0]);
	}
	*hostport = (unsigned int)v[0];
	*port = (unsigned int)v[1];
	return 0;
bad:
	return vos_err_class(
		ctx, -EINVAL, VOS_ERR_USAGE,
		"--publish '%s': use tcp:ADDR:HOSTPORT:PORT or udp:ADDR:HOSTPORT:PORT (ADDR one of the host's IPv4 addresses; left out: all of them), e.g. tcp:8080:80",
		spec ? spec : "");
}

/* The canonical spelling of @spec (proto, address only if one, ports). */
static void canon(char *out, size_t len, const char *proto, const char *addr, unsigned int hostport,
		  unsigned int port)
{
	if (addr[0])
		snprintf(out, len, "%s:%s:%u:%u", proto, addr, hostport, port);
	else
		snprintf(out, len, "%s:%u:%u", proto, hostport, port);
}

static struct nft_ctx *nft_open(struct vos_ctx *ctx)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!nft) {
		vos_err(ctx, -ENOSYS,
			"publish: libnftables cannot be loaded: install libnftables1 (Debian)");
		return NULL;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	return nft;
}

/* Mark the ports whose owner is gone (the ids of the subsystems there are) */
static int pub_mark_stale(struct vos_ctx *ctx, struct publist *l)
{
	struct vos_info *list = NULL;
	size_t n = 0, i, j;
	bool any = false;

	for (i = 0; i < l->n; i++)
		any |= l->p[i].owner != 0;
	if (!any)
		return 0;
	/* a netlink dump: no subsystem's fd is opened. Without it (no
	 * module, a context not connected) nothing is taken for gone.
	 */
	if (vos_subsys_list(ctx, &list, &n) < 0) {
		vos_ctx_clear_error(ctx);
		return 0;
	}
	for (i = 0; i < l->n; i++) {
		struct pub *p = &l->p[i];

		p->stale = p->owner != 0;
		for (j = 0; p->stale && j < n; j++)
			if (list[j].id == p->owner && list[j].state != VOS_STATE_DESTROYED)
				p->stale = false;
	}
	vos_info_list_free(list);
	return 0;
}

/* The published ports, from the chain (none if it is not there). */
static int pub_read(struct vos_ctx *ctx, struct nft_ctx *nft, struct publist *l)
{
	const char *out, *line, *c, *d;

	l->n = 0;
	if (nft_run_cmd_from_buffer(nft, "list chain ip virtos publish\n") != 0)
		return 0; /* no table or chain: nothing published */
	out = nft_ctx_get_output_buffer(nft);
	for (line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		struct pub *p = &l->p[l->n];
		size_t len = strcspn(line, "\n");
		char text[512];

		if (len >= sizeof(text))
			continue;
		memcpy(text, line, len);
		text[len] = '\0';
		c = strstr(text, "comment \"vos ");
		d = strstr(text, "dnat to ");
		if (!c || !d || l->n >= PUB_MAX)
			continue;
		p->owner = 0;
		p->stale = false;
		if (sscanf(c + 13, "%63s %63[^\" ] @%llu", p->name, p->spec, &p->owner) < 2 ||
		    sscanf(d + 8, "%15[0-9.]", p->target) != 1)
			return vos_err(
				ctx, -EPROTO,
				"publish: a rule of nft chain 'ip virtos publish' is not ours: %s",
				text);
		l->n++;
	}
	return pub_mark_stale(ctx, l);
}

/* Write @l back whole, with the hooks that lead to it, in one transaction. */
static int pub_write(struct vos_ctx *ctx, struct nft_ctx *nft, const struct publist *l)
{
	size_t room = 1024 + l->n * 256, used;
	char *buf = malloc(room), proto[4], addr[INET_ADDRSTRLEN];
	unsigned int hp, port;
	const char *err;
	size_t i;
	int r = 0;

	if (!buf)
		return vos_err(ctx, -ENOMEM, "publish:");
	used = (size_t)snprintf(
		buf, room,
		"add table ip virtos\n"
		"add chain ip virtos prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
		"add chain ip virtos output { type nat hook output priority -100; policy accept; }\n"
		"add chain ip virtos publish\n"
		"flush chain ip virtos prerouting\n"
		"flush chain ip virtos output\n"
		"flush chain ip virtos publish\n"
		"add rule ip virtos prerouting jump publish\n"
		"add rule ip virtos output jump publish\n");
	for (i = 0; i < l->n && !r; i++) {
		const struct pub *p = &l->p[i];

		r = vos_publish_parse(ctx, p->spec, proto, addr, &hp, &port);
		if (r)
			break;
		used += (size_t)snprintf(buf + used, room - used,
					 "add rule ip virtos publish %s%s %s dport %u "
					 "dnat to %s:%u comment \"vos %s %s%s%.0llu\"\n",
					 addr[0] ? "ip daddr " : "fib daddr type local", addr,
					 proto, hp, p->target, port, p->name, p->spec,
					 p->owner ? " @" : "", p->owner);
	}
	if (!r && nft_run_cmd_from_buffer(nft, buf) != 0) {
		err = nft_ctx_get_error_buffer(nft);
		r = vos_err(ctx, -EIO, "publish: nftables: %.*s",
			    (int)strcspn(err ? err : "", "\n"), err ? err : "");
	}
	free(buf);
	return r;
}

/*
 * Add @add for @name at @target to @l (*@changed set), unless it is there
 * already; refused if another name has that host port.
 */
static int pub_add(struct vos_ctx *ctx, struct publist *l, const char *name, const char *add,
		   const char *target, unsigned long long owner, bool *changed)
{
	char spec[VOS_PUBLISH_SPEC_MAX], proto[4], addr[INET_ADDRSTRLEN];
	unsigned int hp, port;
	struct pub *np;
	size_t i;
	int r;

	r = vos_publish_parse(ctx, add, proto, addr, &hp, &port);
	if (r)
		return r;
	canon(spec, sizeof(spec), proto, addr, hp, port);
	for (i = 0; i < l->n; i++) {
		const struct pub *p = &l->p[i];
		char ps[4], pa[INET_ADDRSTRLEN];
		unsigned int php, pport;

		if (vos_publish_parse(ctx, p->spec, ps, pa, &php, &pport) < 0)
			continue;
		/* one host port, one owner (any address overlaps all) */
		if (strcmp(ps, proto) || php != hp || (pa[0] && addr[0] && strcmp(pa, addr)))
			continue;
		if (!strcmp(p->name, name) && !strcmp(p->spec, spec))
			return 0; /* already so */
		return vos_err_class(
			ctx, -EADDRINUSE, VOS_ERR_USAGE,
			"--publish %s: %s port %u of the host is published for %s already (%s): unpublish it first",
			add, proto, hp, p->name, p->spec);
	}
	if (l->n >= PUB_MAX)
		return vos_err_class(ctx, -ENOSPC, VOS_ERR_USAGE,
				     "--publish %s: at most %d ports are published at once", add,
				     PUB_MAX);
	np = &l->p[l->n++];
	snprintf(np->name, sizeof(np->name), "%s", name);
	snprintf(np->spec, sizeof(np->spec), "%s", spec);
	snprintf(np->target, sizeof(np->target), "%s", target ? target : "0.0.0.0");
	np->owner = owner;
	np->stale = false;
	*changed = true;
	return 0;
}

/*
 * Change the published ports of @name in one read and one write: remove
 * @del (a spec, "" for all of @name's, or NULL), point @name's at @target
 * (or NULL to leave them), and add the @nadd specs @adds. Nothing is
 * written if nothing changes.
 */
static int pub_change(struct vos_ctx *ctx, const char *name, char *const *adds, unsigned int nadd,
		      const char *del, const char *target, unsigned long long owner)
{
	struct publist *l = calloc(1, sizeof(*l));
	struct nft_ctx *nft = NULL;
	bool changed = false, found = false;
	unsigned int a;
	size_t i, k;
	int r;

	if (!l)
		return vos_err(ctx, -ENOMEM, "publish:");
	nft = nft_open(ctx);
	r = nft ? pub_read(ctx, nft, l) : -ENOSYS;
	for (i = 0, k = 0; !r && i < l->n; i++) {
		struct pub *p = &l->p[i];

		if (p->stale) { /* its ephemeral subsystem is gone */
			changed = true;
			continue;
		}
		if (!strcmp(p->name, name) && del && (!del[0] || !strcmp(p->spec, del))) {
			changed = found = true;
			continue;
		}
		if (!strcmp(p->name, name) && target && strcmp(p->target, target)) {
			snprintf(p->target, sizeof(p->target), "%s", target);
			changed = true;
		}
		l->p[k++] = *p;
	}
	if (!r)
		l->n = k;
	if (!r && del && del[0] && !found)
		r = vos_err_class(
			ctx, -ENOENT, VOS_ERR_USAGE,
			"unpublish: %s has no published port %s (see 'vosctl publish %s')", name,
			del, name);
	for (a = 0; !r && a < nadd; a++)
		r = pub_add(ctx, l, name, adds[a], target, owner, &changed);
	if (!r && changed)
		r = pub_write(ctx, nft, l);
	if (nft)
		nft_ctx_free(nft);
	free(l);
	return r;
}

/* The link address of subsystem @name, for a port published while it runs. */
static int link_addr(struct vos_ctx *ctx, const char *name, char *out)
{
	struct vos_subsys *s = NULL;
	struct vos_link_state st;
	struct in_addr a;
	int r;

	r = vos_subsys_open(ctx, name, &s);
	if (r < 0)
		return r;
	r = vos_subsys_get_link(s, &st);
	if (!r && !st.bound)
		r = vos_err_class(
			ctx, -ENOLINK, VOS_ERR_USAGE,
			"publish: %s has no link: publish a port of a subsystem made with --uplink",
			name);
	if (!r) {
		a.s_addr = st.addr4;
		inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
	}
	vos_subsys_free(s);
	return r;
}

VOS_EXPORT int vos_net_publish(struct vos_ctx *ctx, const char *name, const char *spec)
{
	char target[INET_ADDRSTRLEN];
	int r;

	if (!ctx || !name || !spec)
		return -EINVAL;
	r = link_addr(ctx, name, target);
	return r < 0 ? r : pub_change(ctx, name, (char *const *)&spec, 1, NULL, target, 0);
}

VOS_EXPORT int vos_net_unpublish(struct vos_ctx *ctx, const char *name, const char *spec)
{
	char proto[4], addr[INET_ADDRSTRLEN], c[VOS_PUBLISH_SPEC_MAX];
	unsigned int hp, port;
	int r;

	if (!ctx || !name)
		return -EINVAL;
	if (!spec)
		return pub_change(ctx, name, NULL, 0, "", NULL, 0);
	r = vos_publish_parse(ctx, spec, proto, addr, &hp, &port);
	if (r < 0)
		return r;
	canon(c, sizeof(c), proto, addr, hp, port);
	return pub_change(ctx, name, NULL, 0, c, NULL, 0);
}

VOS_EXPORT int vos_net_published(struct vos_ctx *ctx, const char *name, char *buf, size_t len)
{
	struct publist *l;
	struct nft_ctx *nft;
	size_t i, used = 0;
	int r;

	if (!ctx || !buf || !len)
		return -EINVAL;
	buf[0] = '\0';
	l = calloc(1, sizeof(*l));
	if (!l)
		return vos_err(ctx, -ENOMEM, "publish:");
	nft = nft_open(ctx);
	r = nft ? pub_read(ctx, nft, l) : -ENOSYS;
	for (i = 0; !r && i < l->n; i++) {
		const struct pub *p = &l->p[i];
		int w;

		if ((name && strcmp(p->name, name)) || p->stale)
			continue;
		w = snprintf(buf + used, len - used, "%s %s %s\n", p->name, p->spec, p->target);
		if (w < 0 || (size_t)w >= len - used) {
			r = vos_err(ctx, -E2BIG, "publish: more published ports than fit");
			break;
		}
		used += (size_t)w;
	}
	if (nft)
		nft_ctx_free(nft);
	free(l);
	return r;
}

VOS_EXPORT int vos_config_add_publish(struct vos_config *cfg, const char *spec)
{
	char proto[4], addr[INET_ADDRSTRLEN], c[VOS_PUBLISH_SPEC_MAX];
	unsigned int hp, port, i;
	int r;

	if (!cfg)
		return -EINVAL;
	r = vos_publish_parse(cfg->ctx, spec, proto, addr, &hp, &port);
	if (r < 0)
		return r;
	canon(c, sizeof(c), proto, addr, hp, port);
	for (i = 0; i < cfg->npublish; i++)
		if (!strcmp(cfg->publish[i], c))
			return 0;
	if (cfg->npublish >= VOS_MAX_PUBLISH)
		return vos_err_class(cfg->ctx, -E2BIG, VOS_ERR_USAGE,
				     "--publish %s: at most %d per subsystem", spec,
				     VOS_MAX_PUBLISH);
	cfg->publish[cfg->npublish] = strdup(c);
	if (!cfg->publish[cfg->npublish])
		return vos_err(cfg->ctx, -ENOMEM, "--publish:");
	cfg->npublish++;
	return 0;
}

/* After @name got its link at @addr: its ports follow, and @cfg's are added. */
int vos_publish_link(struct vos_ctx *ctx, const char *name, const char *addr,
		     const struct vos_config *cfg, unsigned long long owner)
{
	int r;

	r = pub_change(ctx, name, cfg->publish, cfg->npublish, NULL, addr, owner);
	/* no libnftables and nothing asked: nothing to follow */
	if (r == -ENOSYS && !cfg->npublish) {
		vos_ctx_clear_error(ctx);
		r = 0;
	}
	return r;
}
