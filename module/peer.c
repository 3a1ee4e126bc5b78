// SPDX-License-Identifier: GPL-2.0
/*
 * peer.c - VOS_CMD_GET_PEER: which subsystem a task belongs to, for a
 * broker on the host (vosd) that must know who is calling it without
 * believing anything the caller says.
 *
 * The task is named by a connected AF_UNIX socket of the caller, whose
 * peer is what SO_PEERCRED reports: the struct pid the kernel recorded
 * when the socket was connected (sk_peer_pid), or by a pidfd. Both hold a
 * reference on that struct pid, so a recycled pid number cannot stand in
 * for it. Membership follows from the PID namespace the struct pid was
 * allocated in (ns_of_pid()), which is fixed for the life of the task (a
 * task never changes its own PID namespace; setns() affects children
 * only) and still known after the task has exited.
 *
 * Only CAP_SYS_ADMIN holders outside every subsystem may ask: the answer
 * names any owner's subsystem.
 */

#include <linux/capability.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/socket.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "compat.h"
#include "vos.h"

/*
 * The peer of connected AF_UNIX socket @fd, a reference; ERR_PTR if none.
 * @extack may be NULL (channel.c).
 */
struct pid *vos_peer_of_socket(int fd, struct netlink_ext_ack *extack,
			       const struct nlattr *attr)
{
	struct socket *sock;
	struct file *file;
	struct pid *pid = NULL;

	file = fget(fd);
	if (!file) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "VOS_A_PEER_FD is not an open fd");
		return ERR_PTR(-EBADF);
	}
	sock = sock_from_file(file);
	if (!sock || !sock->sk || sock->sk->sk_family != AF_UNIX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "VOS_A_PEER_FD is not an AF_UNIX socket");
		fput(file);
		return ERR_PTR(-ENOTSOCK);
	}
	/* listen() records the listener itself as the peer: not a caller */
	if (READ_ONCE(sock->sk->sk_state) != TCP_LISTEN) {
		spin_lock(&sock->sk->sk_peer_lock);
		pid = get_pid(sock->sk->sk_peer_pid);
		spin_unlock(&sock->sk->sk_peer_lock);
	}
	fput(file);
	if (!pid) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "VOS_A_PEER_FD has no peer (not connected)");
		return ERR_PTR(-ENOTCONN);
	}
	return pid;
}

/* The task of pidfd @fd, a reference; ERR_PTR if it is none */
static struct pid *vos_peer_of_pidfd(int fd, struct netlink_ext_ack *extack,
				     const struct nlattr *attr)
{
	struct file *file;
	struct pid *pid;

	file = fget(fd);
	if (!file) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "VOS_A_PEER_PIDFD is not an open fd");
		return ERR_PTR(-EBADF);
	}
	pid = vos_pidfd_pid(file);
	if (pid)
		get_pid(pid);
	fput(file);
	if (!pid) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "VOS_A_PEER_PIDFD is not a pidfd");
		return ERR_PTR(-EBADF);
	}
	return pid;
}

static u32 vos_peer_ns(struct pid_namespace *ns, struct pid_namespace *mine)
{
	if (ns == mine)
		return VOS_PEER_NS_SAME;
	for (; ns; ns = ns->parent)
		if (ns == mine)
			return VOS_PEER_NS_BELOW;
	return VOS_PEER_NS_OTHER;
}

int vos_nl_get_peer(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fd_attr = info->attrs[VOS_A_PEER_FD];
	struct nlattr *pidfd_attr = info->attrs[VOS_A_PEER_PIDFD];
	char name[VOS_NAME_MAX] = "";
	struct pid_namespace *ns;
	struct vos_subsys *s;
	struct sk_buff *msg;
	struct pid *pid;
	bool member;
	void *hdr;
	u64 id = 0;
	u32 where;
	pid_t nr;
	int ret;

	if (!netlink_capable(skb, CAP_SYS_ADMIN) || vos_current_is_member()) {
		NL_SET_ERR_MSG(info->extack, "GET_PEER needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	if (!!fd_attr == !!pidfd_attr) {
		NL_SET_ERR_MSG(info->extack,
			       "give exactly one of VOS_A_PEER_FD and VOS_A_PEER_PIDFD");
		return -EINVAL;
	}
	if (fd_attr)
		pid = vos_peer_of_socket(nla_get_s32(fd_attr), info->extack,
					 fd_attr);
	else
		pid = vos_peer_of_pidfd(nla_get_s32(pidfd_attr), info->extack,
					pidfd_attr);
	if (IS_ERR(pid))
		return PTR_ERR(pid);

	ns = ns_of_pid(pid);
	where = vos_peer_ns(ns, task_active_pid_ns(current));
	rcu_read_lock();
	/* a reaped task's number may be someone else's by now */
	nr = pid_has_task(pid, PIDTYPE_TGID) ? pid_vnr(pid) : 0;
	s = vos_subsys_find_rcu(ns);
	member = s;
	if (s) {
		/* both fixed at creation */
		id = s->id;
		strscpy(name, s->name, sizeof(name));
	}
	rcu_read_unlock();

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	ret = -EMSGSIZE;
	hdr = vos_genl_put_reply(msg, info, VOS_CMD_GET_PEER);
	if (!hdr)
		goto err;
	if (nla_put_s32(msg, VOS_A_PEER_PID, nr) ||
	    nla_put_u32(msg, VOS_A_PEER_NS, where))
		goto err;
	if (member &&
	    (nla_put_u64_64bit(msg, VOS_A_SUBSYS_ID, id, VOS_A_PAD) ||
	     nla_put_string(msg, VOS_A_SUBSYS_NAME, name)))
		goto err;
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out;
err:
	nlmsg_free(msg);
out:
	put_pid(pid);
	return ret;
}
