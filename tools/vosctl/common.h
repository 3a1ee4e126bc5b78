/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vosctl: helpers between the commands and libvirtos (common.c). */
#ifndef VOSCTL_COMMON_H
#define VOSCTL_COMMON_H

#include <virtos.h>

#include "vosctl.h"

/* The error of library call @op that returned @ret on @vctx, into @e. */
int lib_fail(struct cli_err *e, enum cli_op op, struct vos_ctx *vctx, int ret, const char *name,
	     const char *cmd);

/* A library context for @ctx's device; with @connect, open it now. */
int ctx_open(struct cli_ctx *ctx, struct vos_ctx **vctxp, bool connect, struct cli_err *e);

/* Open @vctx's device now (after the options: usage errors come first). */
int ctx_connect(struct vos_ctx *vctx, struct cli_err *e);

/* A setter of @vctx's config refused a value (@ret): its message as a
 * usage error (124), or another failure (ENOMEM...) as lib_fail() says.
 */
int lib_usage(struct cli_err *e, struct vos_ctx *vctx, int ret);

/* Wait for @p, forwarding the usual signals; the app's exit code or an error. */
int proc_wait_forward(struct vos_proc *p, struct vos_ctx *vctx, struct cli_err *e);

/* One subsystem as a JSON object (no newline), as ls --json and show --json print it. */
void info_json(FILE *f, const struct vos_info *i);

/* One event as a JSON object (no newline), as events --json prints it. */
void event_json(FILE *f, const struct vos_event *ev);
/* One event as a line of text (no newline). */
void event_text(FILE *f, const struct vos_event *ev);

#endif /* VOSCTL_COMMON_H */
