// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * peer.c - who is on the other end of a socket, by vos.ko's word
 * (VOS_CMD_GET_PEER): the subsystem of a UNIX socket's peer or of a
 * pidfd's task. For brokers (vosd): the answer comes from the kernel's
 * record of the task's PID namespace, never from the peer.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "private.h"

static struct nla_policy peer_policy[VOS_A_MAX + 1] = {
	[VOS_A_SUBSYS_ID] = { .type = NLA_U64 },
	[VOS_A_SUBSYS_NAME] = { .type = NLA_STRING, .maxlen = VOS_NAME_MAX },
	[VOS_A_PEER_PID] = { .type = NLA_U32 },
	[VOS_A_PEER_NS] = { .type = NLA_U32 },
};

struct peer_req {
	struct vos_peer *out;
	int nlerr; /* the module's error, negative errno */
	int got;
};

static int peer_cb(struct nl_msg *msg, void *arg)
{
	struct peer_req *r = arg;
	struct nlattr *tb[VOS_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, peer_policy) < 0 ||
	    !tb[VOS_A_PEER_NS] || !tb[VOS_A_PEER_PID]) {
		r->nlerr = -EPROTO;
		return NL_STOP;
	}
	r->out->pid = (pid_t)nla_get_u32(tb[VOS_A_PEER_PID]);
	r->out->ns = nla_get_u32(tb[VOS_A_PEER_NS]);
	if (tb[VOS_A_SUBSYS_ID] && tb[VOS_A_SUBSYS_NAME]) {
		r->out->member = true;
		r->out->id = nla_get_u64(tb[VOS_A_SUBSYS_ID]);
		nla_strlcpy(r->out->name, tb[VOS_A_SUBSYS_NAME], sizeof(r->out->name));
	}
	r->got = 1;
	return NL_OK;
}

static int peer_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct peer_req *r = arg;

	(void)nla;
	r->nlerr = e->error;
	return NL_STOP;
}

static int peer_get(struct vos_ctx *ctx, int attr, int fd, struct vos_peer *p)
{
	struct peer_req r = { .out = p };
	struct nl_msg *msg = NULL;
	struct nl_cb *cb = NULL;
	int ret;

	if (!ctx || !p)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	if (fd < 0)
		return vos_err(ctx, -EBADF, "peer: no file descriptor");
	ret = vos_genl_ensure(ctx);
	if (ret < 0)
		return ret;
	ret = vos_err(ctx, -ENOMEM, "peer:");
	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb)
		goto out;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family_id, 0, 0, VOS_CMD_GET_PEER,
			 VOS_GENL_VERSION) ||
	    nla_put_u32(msg, attr, (uint32_t)fd) < 0)
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, peer_cb, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, peer_err_cb, &r);
	ret = nl_send_auto(ctx->nl, msg);
	if (ret < 0) {
		ret = vos_err(ctx, -EIO, "peer: netlink send: %s", nl_geterror(ret));
		goto out;
	}
	ret = nl_recvmsgs(ctx->nl, cb);
	if (r.nlerr == -EOPNOTSUPP) {
		ret = vos_err_class(ctx, -ENOTTY, VOS_ERR_NOMODULE,
				    "peer: the loaded vos.ko is older than VOS_CAP_PEER: load this "
				    "version's module");
	} else if (r.nlerr < 0) {
		ret = vos_err(ctx, r.nlerr, "peer:");
	} else if (ret < 0 || !r.got) {
		ret = vos_err(ctx, -EIO, "peer: no answer from vos.ko");
	} else {
		ret = 0;
	}
out:
	nlmsg_free(msg);
	if (cb)
		nl_cb_put(cb);
	return ret;
}

VOS_EXPORT int vos_peer_of_socket(struct vos_ctx *ctx, int sockfd, struct vos_peer *p)
{
	return peer_get(ctx, VOS_A_PEER_FD, sockfd, p);
}

VOS_EXPORT int vos_peer_of_pidfd(struct vos_ctx *ctx, int pidfd, struct vos_peer *p)
{
	return peer_get(ctx, VOS_A_PEER_PIDFD, pidfd, p);
}
