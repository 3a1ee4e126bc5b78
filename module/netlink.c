// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the generic netlink family "vos": get one subsystem or dump
 * all (each caller sees only what it may), module statistics, and events.
 *
 * Events go to the multicast group "events". 6.1 has no per-receiver
 * filtered broadcast, so the group is open to CAP_SYS_ADMIN holders only
 * (GENL_MCAST_CAP_SYS_ADMIN); a non-root caller reads its own subsystems
 * with GET_SUBSYS instead. Sequence numbers are taken and the message sent
 * under one spinlock, so listeners receive them in order and a gap always
 * means a lost event (including one we failed to allocate).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "compat.h"
#include "vos.h"

static DEFINE_SPINLOCK(vos_event_lock);
static u64 vos_seq;			/* under vos_event_lock */

static const struct nla_policy vos_get_policy[VOS_A_SUBSYS_NAME + 1] = {
	[VOS_A_SUBSYS_ID] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_NAME] = { .type = NLA_NUL_STRING,
				.len = VOS_NAME_MAX - 1 },
};

/* VOS_CMD_GET_PEER (peer.c): fds are never negative */
static const struct nla_policy vos_peer_policy[VOS_A_PEER_PIDFD + 1] = {
	[VOS_A_PEER_FD] = NLA_POLICY_MIN(NLA_S32, 0),
	[VOS_A_PEER_PIDFD] = NLA_POLICY_MIN(NLA_S32, 0),
};

static struct genl_family vos_genl_family;

static const struct genl_multicast_group vos_mcgrps[] = {
	{ .name = VOS_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

static int vos_put_subsys(struct sk_buff *skb, const struct vos_snapshot *sn)
{
	if (nla_put_u64_64bit(skb, VOS_A_SUBSYS_ID, sn->id, VOS_A_PAD) ||
	    nla_put_string(skb, VOS_A_SUBSYS_NAME, sn->name) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_FLAGS, sn->flags) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_STATE, sn->state) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_OWNER_UID,
			from_kuid_munged(current_user_ns(), sn->owner)) ||
	    nla_put_s32(skb, VOS_A_SUBSYS_INIT_PID,
			sn->init_pid ? pid_vnr(sn->init_pid) : 0) ||
	    nla_put_s32(skb, VOS_A_SUBSYS_EXIT_STATUS, sn->exit_status) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_TASKS_NOW, sn->tasks_now,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_TASKS_EVER, sn->tasks_ever,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_EXECS, sn->execs, VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_DENIALS, sn->denials,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_CREATED_NS, sn->created_ns,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_PIDNS_INUM, sn->pidns_inum,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_NETNS_INUM, sn->netns_inum,
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_CGROUP_ID, sn->cgroup_id,
			      VOS_A_PAD) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_NET_POLICY, sn->policy.net) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_ID_BASE, sn->id_base) ||
	    nla_put_u32(skb, VOS_A_SUBSYS_ID_COUNT, sn->id_count))
		return -EMSGSIZE;
	return 0;
}

static int vos_fill_subsys(struct sk_buff *skb, struct vos_subsys *s,
			   u32 portid, u32 seq, int flags)
{
	struct vos_snapshot sn;
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, portid, seq, &vos_genl_family, flags,
			  VOS_CMD_GET_SUBSYS);
	if (!hdr)
		return -EMSGSIZE;
	vos_subsys_snapshot(s, &sn);
	ret = vos_put_subsys(skb, &sn);
	put_pid(sn.init_pid);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vos_nl_get_subsys(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[VOS_A_SUBSYS_ID];
	struct nlattr *name_attr = info->attrs[VOS_A_SUBSYS_NAME];
	struct vos_subsys *s = NULL;
	struct sk_buff *msg;
	int ret;

	if (id_attr && name_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "give VOS_A_SUBSYS_ID or VOS_A_SUBSYS_NAME, not both");
		return -EINVAL;
	}
	if (id_attr) {
		s = vos_subsys_get_by_id(nla_get_u64(id_attr));
	} else if (name_attr) {
		const char *name = nla_data(name_attr);

		if (vos_name_valid(name, nla_len(name_attr))) {
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
					    "VOS_A_SUBSYS_NAME is not a valid subsystem name");
			return -EINVAL;
		}
		s = vos_subsys_get_by_name(name);
	} else {
		NL_SET_ERR_MSG(info->extack,
			       "missing attribute VOS_A_SUBSYS_ID or VOS_A_SUBSYS_NAME");
		return -EINVAL;
	}
	if (s && !vos_subsys_visible(s)) {
		vos_subsys_put(s);
		s = NULL;
	}
	if (!s) {
		if (id_attr)
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "no subsystem with this VOS_A_SUBSYS_ID");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
					    "no subsystem with this VOS_A_SUBSYS_NAME");
		return -ENOENT;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	ret = vos_fill_subsys(msg, s, info->snd_portid, info->snd_seq, 0);
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	ret = genlmsg_reply(msg, info);
out:
	vos_subsys_put(s);
	return ret;
}

/* cb->args: [0] next id, [1] caller holds CAP_SYS_ADMIN, [2] caller's euid.
 * Taken at the start, in the requester's context (later parts of a dump run
 * in whoever calls recvmsg()).
 */
static int vos_nl_dump_start(struct netlink_callback *cb)
{
	if (vos_current_is_member()) {
		NL_SET_ERR_MSG(cb->extack, "members of a subsystem may not list subsystems");
		return -EPERM;
	}
	cb->args[0] = 1;
	cb->args[1] = capable(CAP_SYS_ADMIN);
	cb->args[2] = from_kuid(&init_user_ns, current_euid());
	return 0;
}

static int vos_nl_dump_subsys(struct sk_buff *skb, struct netlink_callback *cb)
{
	kuid_t euid = make_kuid(&init_user_ns, cb->args[2]);
	bool admin = cb->args[1];
	u64 id = cb->args[0];
	struct vos_subsys *s;

	while ((s = vos_subsys_get_next(&id))) {
		int ret = 0;

		if (admin || uid_eq(euid, s->owner))
			ret = vos_fill_subsys(skb, s,
					      NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (ret) {
			/* full: resume with this one next time */
			id = s->id;
			vos_subsys_put(s);
			break;
		}
		vos_subsys_put(s);
	}
	cb->args[0] = id;
	return skb->len;
}

static int vos_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	/* module-wide figures cover every owner's subsystems */
	if (!netlink_capable(skb, CAP_SYS_ADMIN) || vos_current_is_member()) {
		NL_SET_ERR_MSG(info->extack, "GET_STATS needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vos_genl_family, 0,
				VOS_CMD_GET_STATS);
	if (!hdr)
		goto err;
	if (nla_put_u64_64bit(msg, VOS_A_STATS_SUBSYS_NOW, vos_subsys_count(),
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(msg, VOS_A_STATS_SUBSYS_EVER, vos_subsys_ever(),
			      VOS_A_PAD) ||
	    nla_put_u64_64bit(msg, VOS_A_STATS_TASKS_NOW,
			      atomic64_read(&vos_tasks_now), VOS_A_PAD) ||
	    nla_put_u64_64bit(msg, VOS_A_STATS_EVENT_SEQ, vos_event_seq(),
			      VOS_A_PAD))
		goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops vos_genl_ops[] = {
	{
		.cmd = VOS_CMD_GET_SUBSYS,
		.doit = vos_nl_get_subsys,
		.start = vos_nl_dump_start,
		.dumpit = vos_nl_dump_subsys,
		.policy = vos_get_policy,
		.maxattr = ARRAY_SIZE(vos_get_policy) - 1,
	},
	{
		/* no policy: the core rejects any attribute */
		.cmd = VOS_CMD_GET_STATS,
		.doit = vos_nl_get_stats,
	},
	{
		.cmd = VOS_CMD_GET_PEER,
		.doit = vos_nl_get_peer,
		.policy = vos_peer_policy,
		.maxattr = ARRAY_SIZE(vos_peer_policy) - 1,
	},
	{
		/* no policy: the core rejects any attribute */
		.cmd = VOS_CMD_GET_CROSSINGS,
		.start = vos_nl_crossings_start,
		.dumpit = vos_nl_dump_crossings,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family vos_genl_family __ro_after_init = {
	.name = VOS_GENL_NAME,
	.version = VOS_GENL_VERSION,
	.module = THIS_MODULE,
	.parallel_ops = true,
	.ops = vos_genl_ops,
	.n_ops = ARRAY_SIZE(vos_genl_ops),
	.mcgrps = vos_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vos_mcgrps),
};

/* A dump message header of this family (channel.c) */
void *vos_genl_put_dump(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &vos_genl_family, NLM_F_MULTI, cmd);
}

/* A reply header of this family, for handlers in other files (peer.c) */
void *vos_genl_put_reply(struct sk_buff *msg, struct genl_info *info, u8 cmd)
{
	return genlmsg_put_reply(msg, info, &vos_genl_family, 0, cmd);
}

u64 vos_event_seq(void)
{
	u64 seq;

	spin_lock(&vos_event_lock);
	seq = vos_seq;
	spin_unlock(&vos_event_lock);
	return seq;
}

static struct sk_buff *vos_event_build(struct vos_subsys *s, u32 type,
				       struct task_struct *t, s32 status,
				       const struct vos_net_drop_info *d,
				       u64 suppressed, vos_event_fill_t fill,
				       const void *arg, gfp_t gfp, void **seqp)
{
	char comm[TASK_COMM_LEN];
	struct sk_buff *skb;
	struct nlattr *seq;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &vos_genl_family, 0, VOS_CMD_EVENT);
	if (!hdr)
		goto err;
	seq = nla_reserve_64bit(skb, VOS_A_EVENT_SEQ, sizeof(u64), VOS_A_PAD);
	if (!seq ||
	    nla_put_u32(skb, VOS_A_EVENT_TYPE, type) ||
	    nla_put_u64_64bit(skb, VOS_A_EVENT_TIME_NS,
			      ktime_get_boottime_ns(), VOS_A_PAD) ||
	    nla_put_u64_64bit(skb, VOS_A_SUBSYS_ID, s ? s->id : 0, VOS_A_PAD) ||
	    nla_put_string(skb, VOS_A_SUBSYS_NAME, s ? s->name : "@host"))
		goto err;
	if (t && s) {
		/* pid in the subsystem's namespace; s->pidns is set once t is */
		pid_t nr = s->pidns ? task_tgid_nr_ns(t, s->pidns) : 0;

		get_task_comm(comm, t);
		if (nla_put_s32(skb, VOS_A_EVENT_PID, nr) ||
		    nla_put_string(skb, VOS_A_EVENT_COMM, comm))
			goto err;
	}
	if ((type == VOS_EVENT_EXIT || type == VOS_EVENT_STOPPED) &&
	    nla_put_s32(skb, VOS_A_SUBSYS_EXIT_STATUS, status))
		goto err;
	if (d &&
	    (nla_put_u32(skb, VOS_A_EVENT_NET_REASON, d->reason) ||
	     nla_put_u32(skb, VOS_A_EVENT_NET_RULE, d->rule) ||
	     nla_put_u32(skb, VOS_A_EVENT_NET_PROTO, d->proto) ||
	     nla_put_in_addr(skb, VOS_A_EVENT_NET_SADDR, d->saddr) ||
	     nla_put_in_addr(skb, VOS_A_EVENT_NET_DADDR, d->daddr) ||
	     nla_put_u32(skb, VOS_A_EVENT_NET_SPORT, d->sport) ||
	     nla_put_u32(skb, VOS_A_EVENT_NET_DPORT, d->dport) ||
	     nla_put_u64_64bit(skb, VOS_A_EVENT_NET_SUPPRESSED, suppressed,
			       VOS_A_PAD) ||
	     (d->v6 &&
	      (nla_put_in6_addr(skb, VOS_A_NET6_SADDR, &d->saddr6) ||
	       nla_put_in6_addr(skb, VOS_A_NET6_DADDR, &d->daddr6)))))
		goto err;
	if (fill && fill(skb, arg))
		goto err;
	genlmsg_end(skb, hdr);
	*seqp = nla_data(seq);
	return skb;
err:
	nlmsg_free(skb);
	return NULL;
}

/*
 * Emit one event. Every call takes a sequence number, even when there is no
 * listener or the message could not be built, so that listeners can tell.
 */
static u64 vos_event_send(struct vos_subsys *s, u32 type,
			  struct task_struct *t, s32 status,
			  const struct vos_net_drop_info *d, u64 suppressed,
			  vos_event_fill_t fill, const void *arg, gfp_t gfp)
{
	struct sk_buff *skb = NULL;
	void *seqp = NULL;
	u64 seq;

	if (genl_has_listeners(&vos_genl_family, &init_net, 0))
		skb = vos_event_build(s, type, t, status, d, suppressed, fill,
				      arg, gfp, &seqp);

	spin_lock(&vos_event_lock);
	seq = ++vos_seq;
	if (skb) {
		memcpy(seqp, &vos_seq, sizeof(vos_seq));
		genlmsg_multicast(&vos_genl_family, skb, 0, 0, GFP_ATOMIC);
	}
	spin_unlock(&vos_event_lock);
	return seq;
}

void vos_event(struct vos_subsys *s, u32 type, struct task_struct *t,
	       s32 status, gfp_t gfp)
{
	vos_event_send(s, type, t, status, NULL, 0, NULL, NULL, gfp);
}

/*
 * An event whose type-specific attributes @fill puts (from process context);
 * @fill returns nonzero when the message has no room. @s NULL: the host
 * (id 0, name "@host"; a crossing's source). Returns its sequence number.
 */
u64 vos_event_fill(struct vos_subsys *s, u32 type, vos_event_fill_t fill,
		   const void *arg)
{
	return vos_event_send(s, type, NULL, 0, NULL, 0, fill, arg, GFP_KERNEL);
}

/* A drop at the subsystem's link (from netpolicy.c's work item) */
void vos_event_net(struct vos_subsys *s, const struct vos_net_drop_info *d,
		   u64 suppressed)
{
	vos_event_send(s, VOS_EVENT_NET_DENIED, NULL, 0, d, suppressed, NULL,
		       NULL, GFP_KERNEL);
}

int vos_netlink_init(void)
{
	return genl_register_family(&vos_genl_family);
}

void vos_netlink_uninit(void)
{
	genl_unregister_family(&vos_genl_family);
}
