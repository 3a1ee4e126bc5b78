// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * channel.c - channels between subsystems (VOS_CAP_CHANNEL), for brokers
 * (vosd): the two ends of an allowed call's stream, minted by vos.ko and
 * bound to the call's two sides, and the kernel's audit event of a call
 * that got none.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "private.h"

static const char *const verdict_names[] = {
	[VOS_VERDICT_ALLOW] = "allow",
	[VOS_VERDICT_DENY] = "deny",
	[VOS_VERDICT_ASK_ALLOWED] = "ask-allowed",
	[VOS_VERDICT_ASK_DENIED] = "ask-denied",
	[VOS_VERDICT_ASK_TIMEOUT] = "ask-timeout",
	[VOS_VERDICT_REFUSED] = "refused",
};

static const char *const phase_names[] = {
	[VOS_CROSSING_OPENED] = "opened",
	[VOS_CROSSING_CLOSED] = "closed",
	[VOS_CROSSING_REVOKED] = "revoked",
	[VOS_CROSSING_REFUSED] = "refused",
};

VOS_EXPORT const char *vos_verdict_name(uint32_t verdict)
{
	if (verdict < sizeof(verdict_names) / sizeof(verdict_names[0]) && verdict_names[verdict])
		return verdict_names[verdict];
	return "unknown";
}

VOS_EXPORT const char *vos_crossing_phase_name(uint32_t phase)
{
	if (phase < sizeof(phase_names) / sizeof(phase_names[0]) && phase_names[phase])
		return phase_names[phase];
	return "unknown";
}

/* @s into @dst (the kernel's rule: 1.. printable bytes, no space) */
static int chan_text(struct vos_ctx *ctx, char *dst, size_t len, const char *what, const char *s,
		     bool empty_ok)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n >= len || (!n && !empty_ok))
		return vos_err(ctx, -EINVAL, "channel: the %s must be 1 to %zu bytes", what,
			       len - 1);
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return vos_err(ctx, -EINVAL,
				       "channel: the %s may hold printable ASCII only, no space",
				       what);
	memset(dst, 0, len);
	memcpy(dst, s, n);
	return 0;
}

static int chan_fail(struct vos_ctx *ctx, int err, const char *op)
{
	switch (err) {
	case -ENOTTY:
		return vos_err_class(ctx, err, VOS_ERR_NOMODULE,
				     "%s: this vos.ko has no channels (VOS_CAP_CHANNEL): load this "
				     "version's module",
				     op);
	case -ENOENT:
		return vos_err(ctx, err, "%s: no such subsystem", op);
	case -ESRCH:
		return vos_err(ctx, err, "%s: a subsystem of the call is not running", op);
	case -ENOSPC:
		return vos_err(ctx, err, "%s: %d channels are open, the most vos.ko allows", op,
			       VOS_CHANNEL_MAX);
	default:
		return vos_err(ctx, err, "%s:", op);
	}
}

VOS_EXPORT int vos_channel_create(struct vos_ctx *ctx, const struct vos_channel_req *req,
				  struct vos_channel_ends *out)
{
	struct vos_channel_create cc = { .size = sizeof(cc) };
	int ret;

	if (!ctx || !req || !out)
		return -EINVAL;
	out->source_fd = out->target_fd = -1;
	out->id = 0;
	if (ctx->dev_fd < 0)
		return vos_err(ctx, -EBADF, "VOS_CHANNEL_CREATE: not connected to /dev/vos");
	ret = chan_text(ctx, cc.service, sizeof(cc.service), "service", req->service, false);
	if (ret < 0)
		return ret;
	cc.source = req->source;
	cc.target = req->target;
	cc.peer_fd = req->peer_fd;
	cc.verdict = req->verdict;
	if (ioctl(ctx->dev_fd, VOS_CHANNEL_CREATE, &cc) < 0)
		return chan_fail(ctx, -errno, "VOS_CHANNEL_CREATE");
	out->id = cc.id;
	out->source_fd = cc.source_fd;
	out->target_fd = cc.target_fd;
	return 0;
}

VOS_EXPORT int vos_channel_audit(struct vos_ctx *ctx, const struct vos_channel_req *req,
				 const char *target_name)
{
	struct vos_crossing_audit a = { .size = sizeof(a) };
	int ret;

	if (!ctx || !req)
		return -EINVAL;
	if (ctx->dev_fd < 0)
		return vos_err(ctx, -EBADF, "VOS_CHANNEL_AUDIT: not connected to /dev/vos");
	ret = chan_text(ctx, a.service, sizeof(a.service), "service", req->service, false);
	if (ret == 0 && !req->target)
		ret = chan_text(ctx, a.target_name, sizeof(a.target_name), "target name",
				target_name, true);
	if (ret < 0)
		return ret;
	a.source = req->source;
	a.target = req->target;
	a.verdict = req->verdict;
	if (ioctl(ctx->dev_fd, VOS_CHANNEL_AUDIT, &a) < 0)
		return chan_fail(ctx, -errno, "VOS_CHANNEL_AUDIT");
	return 0;
}
