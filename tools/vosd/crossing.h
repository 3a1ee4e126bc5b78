/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crossing.h - vosd's use of vos.ko channels (VOS_CAP_CHANNEL): the stream
 * of an allowed call minted by the kernel for its two sides, and the
 * kernel's audit event of a call that got none.
 */
#ifndef VOSD_CROSSING_H
#define VOSD_CROSSING_H

#include <stdbool.h>
#include <stdint.h>

#include <virtos.h>

/* Who called, as vosd established it (never as the caller said) */
struct vosd_caller {
	const char *source; /* the call's source: a subsystem name or "@host" */
	uint64_t peer_id;   /* the connection's peer's subsystem id, 0: the host */
	int conn_fd;	    /* that connection (its peer gets a host call's end) */
};

/*
 * The stream of an allowed call to subsystem @target: sp[0] the handler's
 * end, sp[1] the caller's. A channel bound to the two sides if vos.ko has
 * them (@channels), else a socket pair. 0, or -1 with @err set.
 */
int vosd_stream(struct vos_ctx *ctx, bool channels, const struct vosd_caller *who,
		struct vos_subsys *target, uint32_t verdict, const char *svc, const char *arg,
		int sp[2], char *err, size_t errlen);

/*
 * Report a call that got no stream (@verdict: why) as vos.ko's
 * VOS_EVENT_CROSSING; @target as the caller named it. Returns 0 or a
 * negative errno (the message in @ctx); a module without channels: 0.
 */
int vosd_audit(struct vos_ctx *ctx, bool channels, const struct vosd_caller *who,
	       const char *target, uint32_t verdict, const char *svc, const char *arg);

#endif /* VOSD_CROSSING_H */
