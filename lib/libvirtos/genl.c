// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * genl.c - generic netlink: list/get subsystems, stats, event monitor.
 */
#include "private.h"

int vos_genl_ensure(struct vos_ctx *ctx)
{
	return vos_err(ctx, -ENOSYS, "netlink: not implemented yet");
}

void vos_genl_close(struct vos_ctx *ctx)
{
	(void)ctx;
}

VOS_EXPORT int vos_ctx_stats(struct vos_ctx *ctx, struct vos_stats *st)
{
	(void)st;
	return vos_genl_ensure(ctx);
}

VOS_EXPORT int vos_subsys_get(struct vos_ctx *ctx, const char *name,
			      struct vos_info *info)
{
	(void)name;
	(void)info;
	return vos_genl_ensure(ctx);
}

VOS_EXPORT int vos_subsys_list(struct vos_ctx *ctx, struct vos_info **infop,
			       size_t *np)
{
	(void)infop;
	(void)np;
	return vos_genl_ensure(ctx);
}

VOS_EXPORT void vos_info_list_free(struct vos_info *info)
{
	free(info);
}

VOS_EXPORT int vos_monitor_new(struct vos_ctx *ctx, struct vos_monitor **mp)
{
	(void)mp;
	return vos_genl_ensure(ctx);
}

VOS_EXPORT void vos_monitor_free(struct vos_monitor *m)
{
	(void)m;
}

VOS_EXPORT int vos_monitor_fd(const struct vos_monitor *m)
{
	(void)m;
	return -ENOSYS;
}

VOS_EXPORT int vos_monitor_read(struct vos_monitor *m, struct vos_event *ev,
				int timeout_ms)
{
	(void)m;
	(void)ev;
	(void)timeout_ms;
	return -ENOSYS;
}
