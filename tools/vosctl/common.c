// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Glue between the commands and libvirtos: open a context, turn a parsed
 * struct cli_spec into a vos_config, wait for an app while forwarding
 * signals, and turn library errors into struct cli_err.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <virtos.h>

#include "common.h"

int lib_fail(struct cli_err *e, enum cli_op op, struct vos_ctx *vctx, int ret, const char *name,
	     const char *cmd)
{
	int cls = vctx ? (int)vos_ctx_errclass(vctx) : VOS_ERR_NONE;
	const char *msg = vctx ? vos_ctx_errmsg(vctx) : NULL;
	/* a command that could not be run is named, else the subsystem */
	const char *subject = cls == VOS_ERR_NOCMD || cls == VOS_ERR_NOEXEC ? cmd : name;

	return cli_errmap(e, op, ret, cls, subject, msg);
}

int ctx_open(struct cli_ctx *ctx, struct vos_ctx **vctxp, bool connect, struct cli_err *e)
{
	struct vos_ctx *vctx;
	int ret;

	ret = vos_ctx_new(&vctx);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	if (ctx->device) {
		ret = vos_ctx_set_device(vctx, ctx->device);
		if (ret) {
			lib_fail(e, OP_DEVICE, vctx, ret, NULL, NULL);
			vos_ctx_free(vctx);
			return e->code;
		}
	}
	if (connect) {
		ret = vos_ctx_connect(vctx);
		if (ret) {
			lib_fail(e, OP_DEVICE, vctx, ret, NULL, NULL);
			vos_ctx_free(vctx);
			return e->code;
		}
	}
	*vctxp = vctx;
	return 0;
}

/* Settings the CLI has validated already; a failure here is the library
 * disagreeing (e.g. a limit it cannot express): report it as usage.
 */
#define SET(call)                                                            \
	do {                                                                 \
		ret = (call);                                                \
		if (ret)                                                     \
			return lib_fail(e, OP_SPAWN, vctx, ret, NULL, NULL); \
	} while (0)

int spec_to_config(const struct cli_spec *spec, struct vos_ctx *vctx, struct vos_config *cfg,
		   struct cli_err *e)
{
	size_t i;
	int ret;

	if (spec->name)
		SET(vos_config_set_name(cfg, spec->name));
	if (spec->hostname)
		SET(vos_config_set_hostname(cfg, spec->hostname));
	if (spec->rootfs)
		SET(vos_config_set_rootfs(cfg, spec->rootfs));
	if (spec->root)
		SET(vos_config_set_root(cfg, true));
	if (spec->host_root)
		SET(vos_config_set_host_root(cfg, true));
	if (spec->as_user)
		SET(vos_config_set_host_ids(cfg, true));
	if (spec->share_net)
		SET(vos_config_set_share_net(cfg, true));
	if (spec->as_pid1)
		SET(vos_config_set_as_pid1(cfg, true));
	if (spec->persistent)
		SET(vos_config_set_persistent(cfg, true));
	/* not given: the library's default; max: no limit (0) */
	if (spec->memory)
		SET(vos_config_set_memory(cfg, spec->memory == CLI_LIMIT_MAX ? 0 : spec->memory));
	if (spec->cpu_milli)
		SET(vos_config_set_cpu_milli(cfg, spec->cpu_milli));
	if (spec->pids)
		SET(vos_config_set_pids(cfg, spec->pids == CLI_PIDS_MAX ? 0 : spec->pids));
	if (spec->tmpfs_size)
		SET(vos_config_set_tmpfs_size(
			cfg, spec->tmpfs_size == CLI_LIMIT_MAX ? 0 : spec->tmpfs_size));
	for (i = 0; i < spec->nbinds; i++) {
		const struct cli_bind *b = &spec->binds[i];

		if (b->type == BIND_TMPFS)
			SET(vos_config_add_tmpfs(cfg, b->dest));
		else
			SET(vos_config_add_bind(cfg, b->src, b->dest,
						b->type == BIND_RW ? VOS_BIND_RW : VOS_BIND_RO));
	}
	for (i = 0; i < spec->ncaps; i++) {
		char num[16];

		snprintf(num, sizeof(num), "%d", spec->caps[i]);
		SET(vos_config_add_cap(cfg, num));
	}
	for (i = 0; i < VOS_SOCKET_FAMILY_MAX; i++)
		if (spec->socket_families & (1ULL << i))
			SET(vos_config_allow_socket_family(cfg, (int)i));
	for (i = 0; i < spec->nkeep_env; i++)
		SET(vos_config_add_keep_env(cfg, spec->keep_env[i]));
	for (i = 0; i < spec->nenv; i++)
		SET(vos_config_add_env(cfg, spec->env[i]));
	if (spec->tty)
		SET(vos_config_set_tty(cfg, spec->tty == TTY_ALWAYS ? VOS_TTY_PTY : VOS_TTY_NONE));
	return 0;
}

/* The signals a user or a supervisor sends to "the app": while vosctl
 * waits they are blocked here and forwarded by the library (signalfd).
 */
static void forward_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGWINCH);
}

int proc_wait_forward(struct vos_proc *p, struct vos_ctx *vctx, struct cli_err *e)
{
	sigset_t set, old;
	int ret, status = 0;

	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	ret = vos_proc_set_forward(p, &set);
	if (ret) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return lib_fail(e, OP_WAIT, vctx, ret, NULL, NULL);
	}
	ret = vos_proc_wait(p, &status, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (ret < 0)
		return lib_fail(e, OP_WAIT, vctx, ret, NULL, NULL);
	return cli_wait_status(status);
}
