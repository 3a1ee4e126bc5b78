// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * error.c - the library's errors as data: a negative errno, a message each
 * layer prefixes with its step, a class (enum vos_errclass) that tells a
 * front end what kind of failure it was, and the subject: the option whose
 * value was at fault, when there is one. Also the record in which an error
 * crosses from the spawned child to its caller.
 *
 * The bottom of the library: every other file records its errors here, and
 * this file calls nothing of the library's (no include or call cycle).
 */
#include <stdio.h>
#include <string.h>

#include "private.h"

/* The class of an error recorded without one, from its errno alone. */
static enum vos_errclass class_of(int err)
{
	switch (-err) {
	case 0:
		return VOS_ERR_NONE;
	case ENODEV:
	/* an ioctl number the loaded vos.ko does not know: an older module */
	case ENOTTY:
		return VOS_ERR_NOMODULE;
	case EPERM:
	case EACCES:
		return VOS_ERR_PERM;
	case EEXIST:
		return VOS_ERR_NAME;
	case EINVAL:
	case ERANGE:
		return VOS_ERR_USAGE;
	default:
		return VOS_ERR_INTERNAL;
	}
}

static void set_subject(struct vos_ctx *ctx, const char *subject)
{
	snprintf(ctx->errsubject, sizeof(ctx->errsubject), "%s", subject ? subject : "");
}

static void set_msg(struct vos_ctx *ctx, int err, const char *fmt, va_list ap)
{
	int n;

	n = vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(ctx->errmsg))
		n = sizeof(ctx->errmsg) - 1;
	/* "...: <strerror>" when the format did not end with its own reason */
	if (err < 0 && n > 0 && ctx->errmsg[n - 1] == ':')
		snprintf(ctx->errmsg + n, sizeof(ctx->errmsg) - n, " %s", strerror(-err));
}

static int record(struct vos_ctx *ctx, int err, enum vos_errclass cls, const char *subject,
		  const char *fmt, va_list ap)
{
	set_msg(ctx, err, fmt, ap);
	set_subject(ctx, subject);
	ctx->err = err;
	ctx->errclass = cls;
	return err;
}

int vos_err(struct vos_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	record(ctx, err, class_of(err), NULL, fmt, ap);
	va_end(ap);
	return err;
}

int vos_err_class(struct vos_ctx *ctx, int err, enum vos_errclass cls, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	record(ctx, err, cls, NULL, fmt, ap);
	va_end(ap);
	return err;
}

int vos_err_option(struct vos_ctx *ctx, int err, enum vos_errclass cls, const char *option,
		   const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	record(ctx, err, cls, option, fmt, ap);
	va_end(ap);
	return err;
}

/* A path given with @option: the caller may not use it, or it does not work */
static enum vos_errclass path_class(int err)
{
	return err == -EPERM || err == -EACCES ? VOS_ERR_PERM : VOS_ERR_PATH;
}

int vos_err_path(struct vos_ctx *ctx, int err, const char *option, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	record(ctx, err, path_class(err), option, fmt, ap);
	va_end(ap);
	return err;
}

/* The cgroup the limits need: the caller may not make or join it, or
 * cgroup v2 cannot give it (no hierarchy, a controller missing...)
 */
static enum vos_errclass cgroup_class(int err)
{
	if (err == -EPERM || err == -EACCES)
		return VOS_ERR_CGROUP_PERM;
	/* a value the kernel refuses for a limit is a bad option value */
	if (err == -EINVAL || err == -ERANGE)
		return VOS_ERR_USAGE;
	return VOS_ERR_CGROUP;
}

int vos_err_cgroup(struct vos_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	record(ctx, err, cgroup_class(err), NULL, fmt, ap);
	va_end(ap);
	return err;
}

/* dst = "a: b", truncated to size */
static void join_msg(char *dst, size_t size, const char *a, const char *b)
{
	size_t la = strnlen(a, size - 1), lb, pos = 0;

	memcpy(dst, a, la);
	pos = la;
	if (pos + 2 < size) {
		memcpy(dst + pos, ": ", 2);
		pos += 2;
	}
	lb = strnlen(b, size - 1 - pos);
	memcpy(dst + pos, b, lb);
	pos += lb;
	dst[pos] = '\0';
}

static void prefix(struct vos_ctx *ctx, int err, const char *fmt, va_list ap)
{
	char old[VOS_ERRMSG_MAX];
	char pre[VOS_ERRMSG_MAX];

	memcpy(old, ctx->errmsg, sizeof(old));
	vsnprintf(pre, sizeof(pre), fmt, ap);
	join_msg(ctx->errmsg, sizeof(ctx->errmsg), pre, old[0] ? old : strerror(-err));
}

int vos_err_prefix(struct vos_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	prefix(ctx, err, fmt, ap);
	va_end(ap);
	if (ctx->err != err || ctx->errclass == VOS_ERR_NONE) {
		ctx->err = err;
		if (ctx->errclass == VOS_ERR_NONE)
			ctx->errclass = class_of(err);
	}
	return err;
}

int vos_err_path_prefix(struct vos_ctx *ctx, int err, const char *option, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return err;
	va_start(ap, fmt);
	prefix(ctx, err, fmt, ap);
	va_end(ap);
	set_subject(ctx, option);
	ctx->err = err;
	ctx->errclass = path_class(err);
	return err;
}

void vos_err_save(const struct vos_ctx *ctx, struct vos_err_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->err = ctx->err ? ctx->err : -EIO;
	rec->cls = ctx->errclass;
	memcpy(rec->subject, ctx->errsubject, sizeof(rec->subject) - 1);
	memcpy(rec->msg, ctx->errmsg, sizeof(rec->msg) - 1);
}

int vos_err_restore(struct vos_ctx *ctx, const struct vos_err_record *rec, size_t len)
{
	if (len != sizeof(*rec) || rec->err >= 0 || rec->cls < 0)
		return vos_err(ctx, -EPROTO, "spawn: bad report from the child");
	if (!ctx)
		return rec->err;
	snprintf(ctx->errmsg, sizeof(ctx->errmsg), "%.*s", (int)sizeof(rec->msg) - 1, rec->msg);
	snprintf(ctx->errsubject, sizeof(ctx->errsubject), "%.*s", (int)sizeof(rec->subject) - 1,
		 rec->subject);
	ctx->err = rec->err;
	ctx->errclass = rec->cls ? (enum vos_errclass)rec->cls : class_of(rec->err);
	return rec->err;
}

VOS_EXPORT const char *vos_ctx_errmsg(const struct vos_ctx *ctx)
{
	return ctx ? ctx->errmsg : "no context";
}

VOS_EXPORT enum vos_errclass vos_ctx_errclass(const struct vos_ctx *ctx)
{
	return ctx ? ctx->errclass : VOS_ERR_INTERNAL;
}

VOS_EXPORT const char *vos_ctx_errsubject(const struct vos_ctx *ctx)
{
	return ctx && ctx->errsubject[0] ? ctx->errsubject : NULL;
}

VOS_EXPORT void vos_ctx_clear_error(struct vos_ctx *ctx)
{
	if (!ctx)
		return;
	ctx->err = 0;
	ctx->errclass = VOS_ERR_NONE;
	ctx->errmsg[0] = '\0';
	ctx->errsubject[0] = '\0';
}
