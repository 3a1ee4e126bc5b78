// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * subsys.c - subsystem handles: create, open, info, signal, end (ioctls on
 * /dev/vos and on subsystem fds).
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "private.h"

/* A handle on the subsystem fd @sfd, which it takes (or closes). */
static int subsys_alloc(struct vos_ctx *ctx, int sfd, struct vos_subsys **sp)
{
	_cleanup_close_ int fd = sfd;
	_cleanup_free_ struct vos_subsys *s = NULL;
	struct vos_subsys_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	s = calloc(1, sizeof(*s));
	if (!s)
		return vos_err(ctx, -ENOMEM, "subsystem:");
	if (ioctl(fd, VOS_SUBSYS_INFO, &info) < 0)
		return vos_err(ctx, -errno, "VOS_SUBSYS_INFO:");
	s->ctx = ctx;
	s->freeze_fd = -1;
	s->fd = vos_take_fd(&fd);
	s->id = info.id;
	memcpy(s->name, info.name, sizeof(s->name));
	s->name[sizeof(s->name) - 1] = '\0';
	s->persistent = info.flags & VOS_SUBSYS_PERSISTENT;
	s->has_init = info.state != VOS_STATE_CREATED;
	s->id_base = info.id_base;
	s->id_count = info.id_count;
	*sp = s;
	s = NULL;
	return 0;
}

VOS_EXPORT int vos_subsys_adopt(struct vos_ctx *ctx, int fd, struct vos_subsys **sp)
{
	int r;

	if (!ctx || fd < 0 || !sp) {
		if (fd >= 0)
			close(fd);
		return -EINVAL;
	}
	r = subsys_alloc(ctx, fd, sp);
	if (r == -ENOTTY || r == -EINVAL)
		return vos_err(ctx, -ENOTTY, "adopt: fd %d is not a subsystem file", fd);
	return r;
}

VOS_EXPORT int vos_subsys_create(struct vos_ctx *ctx, const struct vos_config *cfg,
				 struct vos_subsys **sp)
{
	struct vos_create c;
	int r, fd;

	if (!ctx || !cfg || !sp)
		return -EINVAL;
	r = vos_ctx_connect(ctx);
	if (r < 0)
		return r;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.flags = cfg->persistent ? VOS_SUBSYS_PERSISTENT : 0;
	if (cfg->host_ids)
		c.flags |= VOS_SUBSYS_HOST_IDS;
	snprintf(c.name, sizeof(c.name), "%s", cfg->name);
	c.policy.net = cfg->share_net ? VOS_NET_HOST : VOS_NET_ISOLATED;
	fd = ioctl(ctx->dev_fd, VOS_CREATE_SUBSYS, &c);
	if (fd < 0) {
		int e = errno;

		if (e == EEXIST)
			return vos_err_class(ctx, -e, VOS_ERR_NAME,
					     "create subsystem '%s': name already taken",
					     cfg->name);
		if (e == EPERM || e == EACCES)
			return vos_err_class(
				ctx, -e, VOS_ERR_PERM,
				"create subsystem '%s': %s (registering a subsystem needs CAP_SYS_ADMIN)",
				cfg->name, strerror(e));
		if (e == EUSERS)
			return vos_err(
				ctx, -e,
				"create subsystem '%s': every private id range of vos.ko is taken (see its id_blocks parameter)",
				cfg->name);
		if (e == EINVAL && cfg->host_ids)
			return vos_err(
				ctx, -e,
				"create subsystem '%s': vos.ko does not know VOS_SUBSYS_HOST_IDS (--as-user): load the module of this virtos",
				cfg->name);
		return vos_err(ctx, -e, "create subsystem '%s':", cfg->name);
	}
	r = subsys_alloc(ctx, fd, sp);
	if (r == 0 && (cfg->nservices || cfg->ntags)) {
		/* no subsystem whose services cannot be found: end it */
		r = vos_services_record(ctx, cfg, *sp);
		if (r < 0) {
			vos_subsys_end(*sp);
			vos_subsys_free(*sp);
			*sp = NULL;
		}
	}
	return r;
}

static int subsys_open(struct vos_ctx *ctx, struct vos_open *o, const char *what,
		       struct vos_subsys **sp)
{
	int r, fd;

	r = vos_ctx_connect(ctx);
	if (r < 0)
		return r;
	fd = ioctl(ctx->dev_fd, VOS_OPEN_SUBSYS, o);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return vos_err_class(ctx, -e, VOS_ERR_NAME, "no such subsystem: %s", what);
		return vos_err(ctx, -e, "open subsystem %s:", what);
	}
	return subsys_alloc(ctx, fd, sp);
}

VOS_EXPORT int vos_subsys_open(struct vos_ctx *ctx, const char *name, struct vos_subsys **sp)
{
	struct vos_open o;

	if (!ctx || !sp)
		return -EINVAL;
	if (vos_name_check(name) < 0)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME,
				     "no such subsystem: '%s' (not a valid name)",
				     name ? name : "");
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_NAME;
	snprintf(o.name, sizeof(o.name), "%s", name);
	return subsys_open(ctx, &o, name, sp);
}

VOS_EXPORT int vos_subsys_open_id(struct vos_ctx *ctx, uint64_t id, struct vos_subsys **sp)
{
	struct vos_open o;
	char what[32];

	if (!ctx || !sp)
		return -EINVAL;
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_ID;
	o.id = id;
	snprintf(what, sizeof(what), "id %llu", (unsigned long long)id);
	return subsys_open(ctx, &o, what, sp);
}

VOS_EXPORT void vos_subsys_free(struct vos_subsys *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	if (s->freeze_fd >= 0)
		close(s->freeze_fd);
	free(s);
}

VOS_EXPORT uint64_t vos_subsys_id(const struct vos_subsys *s)
{
	return s ? s->id : 0;
}

VOS_EXPORT const char *vos_subsys_name(const struct vos_subsys *s)
{
	return s ? s->name : NULL;
}

VOS_EXPORT int vos_subsys_fd(const struct vos_subsys *s)
{
	return s ? s->fd : -EINVAL;
}

VOS_EXPORT int vos_subsys_info(struct vos_subsys *s, struct vos_info *info)
{
	struct vos_subsys_info k;

	if (!s || !info)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	k.size = sizeof(k);
	if (ioctl(s->fd, VOS_SUBSYS_INFO, &k) < 0)
		return vos_err(s->ctx, -errno, "subsystem '%s': VOS_SUBSYS_INFO:", s->name);
	memset(info, 0, sizeof(*info));
	info->id = k.id;
	memcpy(info->name, k.name, sizeof(info->name));
	info->name[sizeof(info->name) - 1] = '\0';
	info->flags = k.flags;
	info->state = k.state;
	info->owner_uid = k.owner_uid;
	info->init_pid = k.init_pid;
	info->exit_status = k.exit_status;
	info->net_policy = k.policy.net;
	info->tasks_now = k.tasks_now;
	info->tasks_ever = k.tasks_ever;
	info->execs = k.execs;
	info->denials = k.denials;
	info->created_ns = k.created_ns;
	info->pidns_inum = k.pidns_inum;
	info->netns_inum = k.netns_inum;
	info->cgroup_id = k.cgroup_id;
	info->id_base = k.id_base;
	info->id_count = k.id_count;
	return 0;
}

VOS_EXPORT int vos_subsys_signal(struct vos_subsys *s, int signo, unsigned int flags)
{
	struct vos_signal sig;
	int r;

	if (!s)
		return -EINVAL;
	if (signo < 1 || signo >= NSIG)
		return vos_err(s->ctx, -EINVAL, "signal %d: expected 1..%d", signo, NSIG - 1);
	memset(&sig, 0, sizeof(sig));
	sig.size = sizeof(sig);
	sig.flags = flags;
	sig.signo = signo;
	r = ioctl(s->fd, VOS_SUBSYS_SIGNAL, &sig);
	if (r < 0)
		return vos_err(s->ctx, -errno, "signal subsystem '%s':", s->name);
	return r;
}

VOS_EXPORT int vos_subsys_end(struct vos_subsys *s)
{
	struct vos_info info;
	char cg[8192] = "";
	uint64_t cgid = 0;

	if (!s)
		return -EINVAL;
	/* the cgroup we made for it, removed below once it is empty */
	if (vos_subsys_info(s, &info) == 0) {
		cgid = info.cgroup_id;
		if (info.init_pid > 0 && vos_cgroup_path(info.init_pid, cg, sizeof(cg)) < 0)
			cg[0] = '\0';
	}
	vos_ctx_clear_error(s->ctx);
	if (ioctl(s->fd, VOS_SUBSYS_END, 0) < 0)
		return vos_err(s->ctx, -errno, "end subsystem '%s':", s->name);
	if (cg[0]) {
		vos_cgroup_remove(cg);
	} else {
		/* No live init to ask (never attached, or stopped): its
		 * leaf, if a killed run left one, is found by name.
		 */
		vos_cgroup_collect(s->name, cgid);
	}
	return 0;
}
