// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctx.c - the per-caller context: device handle, module API version and
 * extensions, the kernel feature probe. Its errors are recorded by error.c.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/landlock.h>

#include "private.h"

#ifndef VIRTOS_VERSION
#define VIRTOS_VERSION "0.0.0"
#endif

VOS_EXPORT const char *vos_lib_version(void)
{
	return VIRTOS_VERSION;
}

VOS_EXPORT int vos_ctx_new(struct vos_ctx **ctxp)
{
	struct vos_ctx *ctx;

	if (!ctxp)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->dev_fd = -1;
	ctx->family_id = -1;
	ctx->events_grp = -1;
	snprintf(ctx->device, sizeof(ctx->device), "%s", VOS_DEFAULT_DEVICE);
	*ctxp = ctx;
	return 0;
}

VOS_EXPORT void vos_ctx_free(struct vos_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->dev_fd >= 0)
		close(ctx->dev_fd);
	vos_genl_close(ctx);
	free(ctx);
}

VOS_EXPORT int vos_ctx_set_device(struct vos_ctx *ctx, const char *path)
{
	if (!ctx)
		return -EINVAL;
	if (!path || !*path || strlen(path) >= sizeof(ctx->device))
		return vos_err(ctx, -EINVAL, "device path: must be 1..%zu bytes",
			       sizeof(ctx->device) - 1);
	if (ctx->dev_fd >= 0)
		return vos_err(ctx, -EBUSY, "device path: already connected");
	snprintf(ctx->device, sizeof(ctx->device), "%s", path);
	return 0;
}

VOS_EXPORT int vos_ctx_connect(struct vos_ctx *ctx)
{
	_cleanup_close_ int fd = -1;
	int ver;

	if (!ctx)
		return -EINVAL;
	if (ctx->dev_fd >= 0)
		return 0;
	fd = open(ctx->device, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT || e == ENXIO || e == ENODEV)
			return vos_err_class(ctx, -ENODEV, VOS_ERR_NOMODULE,
					     "open %s: %s (vos.ko is not loaded)", ctx->device,
					     strerror(e));
		return vos_err(ctx, -e, "open %s:", ctx->device);
	}
	ver = ioctl(fd, VOS_GET_API_VERSION, 0);
	if (ver < 0)
		return vos_err(ctx, -errno, "%s: VOS_GET_API_VERSION:", ctx->device);
	if (ver != VOS_API_VERSION)
		return vos_err(ctx, -EPROTO, "%s: module API version %d, library speaks %d",
			       ctx->device, ver, VOS_API_VERSION);
	ctx->dev_fd = vos_take_fd(&fd);
	return 0;
}

VOS_EXPORT int vos_ctx_api_version(struct vos_ctx *ctx)
{
	int r;

	r = vos_ctx_connect(ctx);
	if (r < 0)
		return r;
	r = ioctl(ctx->dev_fd, VOS_GET_API_VERSION, 0);
	if (r < 0)
		return vos_err(ctx, -errno, "VOS_GET_API_VERSION:");
	return r;
}

VOS_EXPORT int vos_ctx_check_extension(struct vos_ctx *ctx, unsigned int cap)
{
	int r;

	r = vos_ctx_connect(ctx);
	if (r < 0)
		return r;
	r = ioctl(ctx->dev_fd, VOS_CHECK_EXTENSION, (unsigned long)cap);
	if (r < 0)
		return vos_err(ctx, -errno, "VOS_CHECK_EXTENSION %u:", cap);
	return r;
}

static bool syscall_exists(long nr, long a1, long a2, long a3)
{
	long r = syscall(nr, a1, a2, a3, 0L, 0L);

	if (r >= 0) {
		if (nr == SYS_pidfd_open)
			close((int)r);
		return true;
	}
	return errno != ENOSYS;
}

VOS_EXPORT int vos_ctx_features(struct vos_ctx *ctx, struct vos_features *f)
{
	char cgroot[4096];
	int abi;
	pid_t pid;

	if (!ctx || !f)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	f->landlock_abi = abi > 0 ? abi : 0;
	/* a bad pointer: EFAULT/EINVAL if implemented, ENOSYS if not */
	f->clone3 = syscall_exists(SYS_clone3, 0, 0, 0);
	f->openat2 = syscall_exists(SYS_openat2, -1, 0, 0);
	f->close_range = syscall_exists(SYS_close_range, ~0L, 0, 0);
	f->pidfd = syscall_exists(SYS_pidfd_open, getpid(), 0, 0);
	f->cgroup2 = vos_cgroup2_root(cgroot, sizeof(cgroot)) == 0;
	pid = fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	if (pid > 0) {
		int ws;

		if (waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
			f->userns = true;
	}
	return 0;
}
