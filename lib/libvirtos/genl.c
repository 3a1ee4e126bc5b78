// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * genl.c - generic netlink family "vos" through libnl-genl-3: get one
 * subsystem, dump all, module statistics, and the event monitor.
 *
 * Every reply is parsed against a policy table (nla_parse with
 * vos_attr_policy), so a malformed or truncated attribute is an error, not
 * a wrong value.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "private.h"

struct vos_monitor {
	struct vos_ctx *ctx;
	struct nl_sock *sk;
	uint64_t last_seq;
	bool have_seq;
	bool overrun;
	/* filled by the callback */
	struct vos_event *out;
	int got;
	int perr;
	/* the last event's crossing attributes, if it was one */
	struct vos_crossing crossing;
	bool has_crossing;
	/* the last event's clipboard attributes, if it was one */
	struct vos_clip_event clip;
	bool has_clip;
	/* the last event's IPv6 drop addresses, if it was one */
	struct vos_net6_addrs net6;
	bool has_net6;
};

static struct nla_policy vos_attr_policy[VOS_A_MAX + 1] = {
	[VOS_A_SUBSYS_ID] = { .type = NLA_U64 },
	[VOS_A_NET6_SADDR] = { .minlen = 16 },
	[VOS_A_NET6_DADDR] = { .minlen = 16 },
	[VOS_A_SUBSYS_NAME] = { .type = NLA_STRING, .maxlen = VOS_NAME_MAX },
	[VOS_A_SUBSYS_FLAGS] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_STATE] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_OWNER_UID] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_INIT_PID] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_EXIT_STATUS] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_TASKS_NOW] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_TASKS_EVER] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_EXECS] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_DENIALS] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_CREATED_NS] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_PIDNS_INUM] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_NETNS_INUM] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_CGROUP_ID] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_NET_POLICY] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_ID_BASE] = { .type = NLA_U32 },
	[VOS_A_SUBSYS_ID_COUNT] = { .type = NLA_U32 },
	[VOS_A_STATS_SUBSYS_NOW] = { .type = NLA_U64 },
	[VOS_A_STATS_SUBSYS_EVER] = { .type = NLA_U64 },
	[VOS_A_STATS_TASKS_NOW] = { .type = NLA_U64 },
	[VOS_A_STATS_EVENT_SEQ] = { .type = NLA_U64 },
	[VOS_A_EVENT_TYPE] = { .type = NLA_U32 },
	[VOS_A_EVENT_SEQ] = { .type = NLA_U64 },
	[VOS_A_EVENT_TIME_NS] = { .type = NLA_U64 },
	[VOS_A_EVENT_PID] = { .type = NLA_U32 },
	[VOS_A_EVENT_COMM] = { .type = NLA_STRING, .maxlen = 64 },
	[VOS_A_CROSSING_PHASE] = { .type = NLA_U32 },
	[VOS_A_CROSSING_VERDICT] = { .type = NLA_U32 },
	[VOS_A_CROSSING_SERVICE] = { .type = NLA_STRING, .maxlen = VOS_CROSSING_SERVICE_MAX },
	[VOS_A_CROSSING_TARGET_ID] = { .type = NLA_U64 },
	[VOS_A_CROSSING_TARGET_NAME] = { .type = NLA_STRING, .maxlen = VOS_NAME_MAX },
	[VOS_A_CROSSING_CHANNEL] = { .type = NLA_U64 },
	[VOS_A_CROSSING_BYTES_OUT] = { .type = NLA_U64 },
	[VOS_A_CROSSING_BYTES_IN] = { .type = NLA_U64 },
	[VOS_A_CROSSING_SUPPRESSED] = { .type = NLA_U64 },
	[VOS_A_CLIP_OP] = { .type = NLA_U32 },
	[VOS_A_CLIP_SEQ] = { .type = NLA_U64 },
	[VOS_A_CLIP_BYTES] = { .type = NLA_U64 },
	[VOS_A_CLIP_MIME] = { .type = NLA_STRING, .maxlen = VOS_CLIP_MIME_MAX },
	[VOS_A_CLIP_SOURCE] = { .type = NLA_U64 },
};

static uint64_t get_u64(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

static void get_str(struct nlattr **tb, int a, char *dst, size_t len)
{
	dst[0] = '\0';
	if (tb[a])
		nla_strlcpy(dst, tb[a], len);
}

static int parse_msg(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	return genlmsg_parse(nlh, 0, tb, VOS_A_MAX, vos_attr_policy);
}

static int nl_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_NOMEM + 0x1000:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* libnl objects freed at the end of their scope (cleanup attributes) */
static void nl_socket_freep(struct nl_sock **sk)
{
	nl_socket_free(*sk); /* NULL: nothing */
}
static void nlmsg_freep(struct nl_msg **msg)
{
	nlmsg_free(*msg); /* NULL: nothing */
}
static void nl_cb_putp(struct nl_cb **cb)
{
	if (*cb)
		nl_cb_put(*cb);
}

/* Open a genl socket and resolve the family (and the events group). */
static int genl_open(struct vos_ctx *ctx, struct nl_sock **skp, int *family, int *grp)
{
	_cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
	int r, fam, g;

	sk = nl_socket_alloc();
	if (!sk)
		return vos_err(ctx, -ENOMEM, "netlink: socket:");
	r = genl_connect(sk);
	if (r < 0)
		return vos_err(ctx, nl_to_errno(r), "netlink: connect: %s", nl_geterror(r));
	fam = genl_ctrl_resolve(sk, VOS_GENL_NAME);
	if (fam < 0)
		return vos_err_class(
			ctx, -ENODEV, VOS_ERR_NOMODULE,
			"netlink: no generic netlink family '%s' (vos.ko is not loaded)",
			VOS_GENL_NAME);
	g = genl_ctrl_resolve_grp(sk, VOS_GENL_NAME, VOS_MCGRP_EVENTS);
	*skp = sk;
	sk = NULL;
	*family = fam;
	if (grp)
		*grp = g;
	return 0;
}

int vos_genl_ensure(struct vos_ctx *ctx)
{
	int r;

	if (ctx->nl)
		return 0;
	r = genl_open(ctx, &ctx->nl, &ctx->family_id, &ctx->events_grp);
	if (r < 0)
		return r;
	/* replies or an error, never a separate ACK left behind in the
	 * socket for the next request to trip over
	 */
	nl_socket_disable_auto_ack(ctx->nl);
	return 0;
}

void vos_genl_close(struct vos_ctx *ctx)
{
	if (ctx->nl) {
		nl_socket_free(ctx->nl);
		ctx->nl = NULL;
	}
}

static void fill_info(struct nlattr **tb, struct vos_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = get_u64(tb, VOS_A_SUBSYS_ID);
	get_str(tb, VOS_A_SUBSYS_NAME, info->name, sizeof(info->name));
	info->flags = get_u32(tb, VOS_A_SUBSYS_FLAGS);
	info->state = get_u32(tb, VOS_A_SUBSYS_STATE);
	info->owner_uid = get_u32(tb, VOS_A_SUBSYS_OWNER_UID);
	info->init_pid = (int32_t)get_u32(tb, VOS_A_SUBSYS_INIT_PID);
	info->exit_status = (int32_t)get_u32(tb, VOS_A_SUBSYS_EXIT_STATUS);
	info->net_policy = get_u32(tb, VOS_A_SUBSYS_NET_POLICY);
	info->tasks_now = get_u64(tb, VOS_A_SUBSYS_TASKS_NOW);
	info->tasks_ever = get_u64(tb, VOS_A_SUBSYS_TASKS_EVER);
	info->execs = get_u64(tb, VOS_A_SUBSYS_EXECS);
	info->denials = get_u64(tb, VOS_A_SUBSYS_DENIALS);
	info->created_ns = get_u64(tb, VOS_A_SUBSYS_CREATED_NS);
	info->pidns_inum = get_u64(tb, VOS_A_SUBSYS_PIDNS_INUM);
	info->netns_inum = get_u64(tb, VOS_A_SUBSYS_NETNS_INUM);
	info->cgroup_id = get_u64(tb, VOS_A_SUBSYS_CGROUP_ID);
	info->id_base = get_u32(tb, VOS_A_SUBSYS_ID_BASE);
	info->id_count = get_u32(tb, VOS_A_SUBSYS_ID_COUNT);
}

struct collect {
	struct vos_info *v;
	size_t n, cap;
	int err;
	struct vos_stats *st;
	int nlerr; /* errno from an NLMSG_ERROR */
};

static int collect_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	struct collect *c = arg;

	if (parse_msg(msg, tb) < 0) {
		c->err = -EPROTO;
		return NL_STOP;
	}
	if (c->st) {
		c->st->subsys_now = get_u64(tb, VOS_A_STATS_SUBSYS_NOW);
		c->st->subsys_ever = get_u64(tb, VOS_A_STATS_SUBSYS_EVER);
		c->st->tasks_now = get_u64(tb, VOS_A_STATS_TASKS_NOW);
		c->st->event_seq = get_u64(tb, VOS_A_STATS_EVENT_SEQ);
		return NL_OK;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct vos_info *nv = realloc(c->v, ncap * sizeof(*nv));

		if (!nv) {
			c->err = -ENOMEM;
			return NL_STOP;
		}
		c->v = nv;
		c->cap = ncap;
	}
	fill_info(tb, &c->v[c->n++]);
	return NL_OK;
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct collect *c = arg;

	(void)nla;
	c->nlerr = e->error;
	return NL_STOP;
}

/* Send one request and collect the replies. */
static int request(struct vos_ctx *ctx, uint8_t cmd, int nlflags, const char *name,
		   struct collect *c)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	_cleanup_(nl_cb_putp) struct nl_cb *cb = NULL;
	int r;

	r = vos_genl_ensure(ctx);
	if (r < 0)
		return r;
	msg = nlmsg_alloc();
	if (!msg)
		return vos_err(ctx, -ENOMEM, "netlink:");
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family_id, 0, nlflags, cmd,
			 VOS_GENL_VERSION) ||
	    (name && nla_put_string(msg, VOS_A_SUBSYS_NAME, name) < 0))
		return vos_err(ctx, -ENOMEM, "netlink: build request:");
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return vos_err(ctx, -ENOMEM, "netlink:");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, collect_cb, c);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, c);
	r = nl_send_auto(ctx->nl, msg);
	if (r < 0)
		return vos_err(ctx, nl_to_errno(r), "netlink: send: %s", nl_geterror(r));
	r = nl_recvmsgs(ctx->nl, cb);
	/* a "do" request ends with an ACK only if asked; drain it anyway */
	if (c->nlerr < 0)
		return c->nlerr;
	if (c->err < 0)
		return vos_err(ctx, c->err, "netlink: reply:");
	if (r < 0)
		return vos_err(ctx, nl_to_errno(r), "netlink: receive: %s", nl_geterror(r));
	return 0;
}

VOS_EXPORT int vos_ctx_stats(struct vos_ctx *ctx, struct vos_stats *st)
{
	struct collect c = { 0 };
	int r;

	if (!ctx || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	c.st = st;
	r = request(ctx, VOS_CMD_GET_STATS, 0, NULL, &c);
	if (r < 0 && c.nlerr < 0)
		return vos_err(ctx, r, "module statistics:");
	return r;
}

VOS_EXPORT int vos_subsys_get(struct vos_ctx *ctx, const char *name, struct vos_info *info)
{
	_cleanup_free_ struct vos_info *replies = NULL;
	struct collect c = { 0 };
	int r;

	if (!ctx || !info)
		return -EINVAL;
	if (vos_name_check(name) < 0)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME,
				     "no such subsystem: '%s' (not a valid name)",
				     name ? name : "");
	r = request(ctx, VOS_CMD_GET_SUBSYS, 0, name, &c);
	replies = c.v;
	if (r < 0) {
		if (c.nlerr == -ENOENT)
			return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "no such subsystem: %s",
					     name);
		if (c.nlerr < 0)
			return vos_err(ctx, c.nlerr, "get subsystem %s:", name);
		return r;
	}
	if (c.n < 1)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "no such subsystem: %s", name);
	*info = c.v[0];
	return 0;
}

VOS_EXPORT int vos_subsys_list(struct vos_ctx *ctx, struct vos_info **infop, size_t *np)
{
	struct collect c = { 0 };
	int r;

	if (!ctx || !infop || !np)
		return -EINVAL;
	r = request(ctx, VOS_CMD_GET_SUBSYS, NLM_F_DUMP, NULL, &c);
	if (r < 0) {
		free(c.v);
		if (c.nlerr < 0)
			return vos_err(ctx, c.nlerr, "list subsystems:");
		return r;
	}
	*infop = c.v;
	*np = c.n;
	return 0;
}

VOS_EXPORT void vos_info_list_free(struct vos_info *info)
{
	free(info);
}

/* ------------------------------------------------------------------------ */
/* events                                                                    */
/* ------------------------------------------------------------------------ */

/* A crossing's own attributes (an event's or a VOS_CMD_GET_CROSSINGS record's) */
static void crossing_from(struct nlattr **tb, struct vos_crossing *c)
{
	memset(c, 0, sizeof(*c));
	c->phase = get_u32(tb, VOS_A_CROSSING_PHASE);
	c->verdict = get_u32(tb, VOS_A_CROSSING_VERDICT);
	get_str(tb, VOS_A_CROSSING_SERVICE, c->service, sizeof(c->service));
	c->target_id = get_u64(tb, VOS_A_CROSSING_TARGET_ID);
	get_str(tb, VOS_A_CROSSING_TARGET_NAME, c->target_name, sizeof(c->target_name));
	c->channel = get_u64(tb, VOS_A_CROSSING_CHANNEL);
	c->bytes_out = get_u64(tb, VOS_A_CROSSING_BYTES_OUT);
	c->bytes_in = get_u64(tb, VOS_A_CROSSING_BYTES_IN);
	c->suppressed = get_u64(tb, VOS_A_CROSSING_SUPPRESSED);
}

/* VOS_CMD_GET_CROSSINGS: the kept crossing events, collected */
struct xcollect {
	struct vos_crossing_entry *v;
	size_t n, cap;
	int nlerr; /* the module's error */
	int err;   /* ours */
};

static int xcollect_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	struct xcollect *x = arg;
	struct vos_crossing_entry *e;

	if (parse_msg(msg, tb) < 0) {
		x->err = -EPROTO;
		return NL_STOP;
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct vos_crossing_entry *v = realloc(x->v, cap * sizeof(*v));

		if (!v) {
			x->err = -ENOMEM;
			return NL_STOP;
		}
		x->v = v;
		x->cap = cap;
	}
	e = &x->v[x->n++];
	memset(e, 0, sizeof(*e));
	e->ev.type = get_u32(tb, VOS_A_EVENT_TYPE);
	e->ev.seq = get_u64(tb, VOS_A_EVENT_SEQ);
	e->ev.time_ns = get_u64(tb, VOS_A_EVENT_TIME_NS);
	e->ev.subsys_id = get_u64(tb, VOS_A_SUBSYS_ID);
	get_str(tb, VOS_A_SUBSYS_NAME, e->ev.subsys_name, sizeof(e->ev.subsys_name));
	crossing_from(tb, &e->c);
	return NL_OK;
}

static int xcollect_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xcollect *x = arg;

	(void)nla;
	x->nlerr = e->error;
	return NL_STOP;
}

VOS_EXPORT int vos_crossing_list(struct vos_ctx *ctx, struct vos_crossing_entry **out, size_t *np)
{
	_cleanup_(nlmsg_freep) struct nl_msg *msg = NULL;
	_cleanup_(nl_cb_putp) struct nl_cb *cb = NULL;
	struct xcollect x = { 0 };
	int r;

	if (!ctx || !out || !np)
		return -EINVAL;
	r = vos_genl_ensure(ctx);
	if (r < 0)
		return r;
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family_id, 0, NLM_F_DUMP,
			 VOS_CMD_GET_CROSSINGS, VOS_GENL_VERSION))
		return vos_err(ctx, -ENOMEM, "crossings:");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xcollect_cb, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, xcollect_err_cb, &x);
	r = nl_send_auto(ctx->nl, msg);
	if (r >= 0)
		r = nl_recvmsgs(ctx->nl, cb);
	if (x.nlerr < 0 || x.err < 0 || r < 0) {
		free(x.v);
		if (x.nlerr == -EOPNOTSUPP)
			return vos_err_class(ctx, -ENOTTY, VOS_ERR_NOMODULE,
					     "crossings: this vos.ko keeps no crossings "
					     "(VOS_CAP_CHANNEL): load this version's module");
		if (x.nlerr < 0)
			return vos_err(ctx, x.nlerr, "crossings:");
		if (x.err < 0)
			return vos_err(ctx, x.err, "crossings: reply:");
		return vos_err(ctx, nl_to_errno(r), "crossings: netlink: %s", nl_geterror(r));
	}
	*out = x.v;
	*np = x.n;
	return 0;
}

VOS_EXPORT void vos_crossing_list_free(struct vos_crossing_entry *v)
{
	free(v);
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];
	struct vos_monitor *m = arg;
	struct vos_event *ev = m->out;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	if (gh->cmd != VOS_CMD_EVENT)
		return NL_OK;
	if (parse_msg(msg, tb) < 0) {
		m->perr = -EPROTO;
		return NL_STOP;
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = get_u32(tb, VOS_A_EVENT_TYPE);
	ev->seq = get_u64(tb, VOS_A_EVENT_SEQ);
	ev->time_ns = get_u64(tb, VOS_A_EVENT_TIME_NS);
	ev->subsys_id = get_u64(tb, VOS_A_SUBSYS_ID);
	get_str(tb, VOS_A_SUBSYS_NAME, ev->subsys_name, sizeof(ev->subsys_name));
	ev->pid = (int32_t)get_u32(tb, VOS_A_EVENT_PID);
	ev->exit_status = (int32_t)get_u32(tb, VOS_A_SUBSYS_EXIT_STATUS);
	get_str(tb, VOS_A_EVENT_COMM, ev->comm, sizeof(ev->comm));
	if (ev->type == VOS_EVENT_NET_DENIED) {
		ev->net_reason = (uint8_t)get_u32(tb, VOS_A_EVENT_NET_REASON);
		ev->net_rule = (uint16_t)get_u32(tb, VOS_A_EVENT_NET_RULE);
		ev->net_proto = (uint8_t)get_u32(tb, VOS_A_EVENT_NET_PROTO);
		ev->net_saddr = get_u32(tb, VOS_A_EVENT_NET_SADDR);
		ev->net_daddr = get_u32(tb, VOS_A_EVENT_NET_DADDR);
		ev->net_sport = (uint16_t)get_u32(tb, VOS_A_EVENT_NET_SPORT);
		ev->net_dport = (uint16_t)get_u32(tb, VOS_A_EVENT_NET_DPORT);
		ev->net_suppressed = get_u64(tb, VOS_A_EVENT_NET_SUPPRESSED);
	}
	m->has_net6 = ev->type == VOS_EVENT_NET_DENIED && tb[VOS_A_NET6_SADDR] &&
		      tb[VOS_A_NET6_DADDR];
	if (m->has_net6) {
		memcpy(m->net6.saddr, nla_data(tb[VOS_A_NET6_SADDR]), 16);
		memcpy(m->net6.daddr, nla_data(tb[VOS_A_NET6_DADDR]), 16);
	}
	m->has_crossing = ev->type == VOS_EVENT_CROSSING;
	if (m->has_crossing)
		crossing_from(tb, &m->crossing);
	m->has_clip = ev->type == VOS_EVENT_CLIP;
	if (m->has_clip) {
		memset(&m->clip, 0, sizeof(m->clip));
		m->clip.op = get_u32(tb, VOS_A_CLIP_OP);
		m->clip.seq = get_u64(tb, VOS_A_CLIP_SEQ);
		m->clip.bytes = get_u64(tb, VOS_A_CLIP_BYTES);
		m->clip.source_id = get_u64(tb, VOS_A_CLIP_SOURCE);
		if (tb[VOS_A_CLIP_MIME])
			nla_strlcpy(m->clip.mime, tb[VOS_A_CLIP_MIME], sizeof(m->clip.mime));
	}
	/* sequence numbers are module-wide and increase by one per event */
	if (m->have_seq && ev->seq > m->last_seq + 1)
		ev->lost = ev->seq - m->last_seq - 1;
	if (m->overrun) {
		ev->flags |= VOS_EVENT_F_OVERRUN;
		m->overrun = false;
	}
	m->last_seq = ev->seq;
	m->have_seq = true;
	m->got = 1;
	return NL_STOP; /* one event per vos_monitor_read() */
}

static void monitor_freep(struct vos_monitor **m)
{
	vos_monitor_free(*m);
}

VOS_EXPORT int vos_monitor_new(struct vos_ctx *ctx, struct vos_monitor **mp)
{
	_cleanup_(monitor_freep) struct vos_monitor *m = NULL;
	int r, fam, grp = -1;

	if (!ctx || !mp)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return vos_err(ctx, -ENOMEM, "monitor:");
	m->ctx = ctx;
	r = genl_open(ctx, &m->sk, &fam, &grp);
	if (r < 0)
		return r;
	if (grp < 0)
		return vos_err_class(ctx, -ENODEV, VOS_ERR_NOMODULE,
				     "monitor: the module has no '%s' multicast group",
				     VOS_MCGRP_EVENTS);
	/* events carry no sequence relation to our requests */
	nl_socket_disable_seq_check(m->sk);
	nl_socket_disable_auto_ack(m->sk);
	r = nl_socket_add_membership(m->sk, grp);
	if (r < 0)
		return vos_err(ctx, nl_to_errno(r), "monitor: join group %s: %s", VOS_MCGRP_EVENTS,
			       nl_geterror(r));
	nl_socket_set_nonblocking(m->sk);
	nl_socket_set_buffer_size(m->sk, 1 << 20, 0);
	*mp = m;
	m = NULL;
	return 0;
}

VOS_EXPORT void vos_monitor_free(struct vos_monitor *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m);
}

VOS_EXPORT int vos_monitor_net6(const struct vos_monitor *m, struct vos_net6_addrs *a)
{
	if (!m || !a)
		return -EINVAL;
	if (!m->has_net6)
		return -ENOENT;
	*a = m->net6;
	return 0;
}

VOS_EXPORT int vos_monitor_crossing(const struct vos_monitor *m, struct vos_crossing *c)
{
	if (!m || !c)
		return -EINVAL;
	if (!m->has_crossing)
		return -ENOENT;
	*c = m->crossing;
	return 0;
}

VOS_EXPORT int vos_monitor_fd(const struct vos_monitor *m)
{
	return m ? nl_socket_get_fd(m->sk) : -EINVAL;
}

VOS_EXPORT int vos_monitor_read(struct vos_monitor *m, struct vos_event *ev, int timeout_ms)
{
	struct nl_cb *cb;
	int r;

	if (!m || !ev)
		return -EINVAL;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return vos_err(m->ctx, -ENOMEM, "monitor:");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, m);
	m->out = ev;
	m->got = 0;
	m->perr = 0;
	for (;;) {
		struct pollfd pf = { .fd = nl_socket_get_fd(m->sk), .events = POLLIN };

		r = poll(&pf, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = vos_err(m->ctx, -errno, "monitor: poll:");
			break;
		}
		if (r == 0) {
			r = 0;
			break;
		}
		r = nl_recvmsgs(m->sk, cb);
		if (r == -NLE_NOMEM || r == -NLE_AGAIN) {
			if (r == -NLE_NOMEM) {
				/* ENOBUFS: the kernel dropped events for us */
				m->overrun = true;
			}
			if (m->got)
				break;
			continue;
		}
		if (m->perr < 0) {
			r = vos_err(m->ctx, m->perr, "monitor: bad event:");
			break;
		}
		if (m->got) {
			r = 1;
			break;
		}
		if (r < 0) {
			r = vos_err(m->ctx, nl_to_errno(r), "monitor: receive: %s", nl_geterror(r));
			break;
		}
	}
	if (m->got)
		r = 1;
	nl_cb_put(cb);
	return r;
}

VOS_EXPORT int vos_monitor_clip(const struct vos_monitor *m, struct vos_clip_event *c)
{
	if (!m || !m->has_clip)
		return -ENOENT;
	*c = m->clip;
	return 0;
}

VOS_EXPORT const char *vos_clip_op_name(uint32_t op)
{
	switch (op) {
	case VOS_CLIP_OP_COPY:
		return "copy";
	case VOS_CLIP_OP_PASTE:
		return "paste";
	case VOS_CLIP_OP_DENIED:
		return "denied";
	case VOS_CLIP_OP_CLEARED:
		return "cleared";
	case VOS_CLIP_OP_EXPIRED:
		return "expired";
	default:
		return "unknown";
	}
}
