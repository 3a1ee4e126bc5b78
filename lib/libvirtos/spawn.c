// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * spawn.c - the parent side of the isolation recipe.
 */
#include "private.h"

VOS_EXPORT int vos_subsys_spawn(struct vos_subsys *s,
				const struct vos_config *cfg,
				char *const argv[], char *const envp[],
				struct vos_proc **procp)
{
	(void)cfg; (void)argv; (void)envp; (void)procp;
	if (!s)
		return -EINVAL;
	return vos_err(s->ctx, -ENOSYS, "spawn: not implemented yet");
}

VOS_EXPORT int vos_proc_spawn(struct vos_ctx *ctx, const struct vos_config *cfg,
			      char *const argv[], char *const envp[],
			      struct vos_proc **procp)
{
	(void)cfg; (void)argv; (void)envp; (void)procp;
	return vos_err(ctx, -ENOSYS, "spawn: not implemented yet");
}

VOS_EXPORT int vos_subsys_exec(struct vos_subsys *s, const struct vos_config *cfg,
			       char *const argv[], char *const envp[],
			       struct vos_proc **procp)
{
	(void)cfg; (void)argv; (void)envp; (void)procp;
	if (!s)
		return -EINVAL;
	return vos_err(s->ctx, -ENOSYS, "exec: not implemented yet");
}

VOS_EXPORT pid_t vos_proc_pid(const struct vos_proc *p)
{
	return p ? p->pid : -EINVAL;
}

VOS_EXPORT int vos_proc_pidfd(const struct vos_proc *p)
{
	return p ? p->pidfd : -EINVAL;
}

VOS_EXPORT int vos_proc_set_forward(struct vos_proc *p, const sigset_t *set)
{
	if (!p || !set)
		return -EINVAL;
	p->fwd = *set;
	p->fwd_set = true;
	return 0;
}

VOS_EXPORT int vos_proc_wait(struct vos_proc *p, int *wstatus,
			     unsigned int flags)
{
	(void)wstatus; (void)flags;
	if (!p)
		return -EINVAL;
	return vos_err(p->ctx, -ENOSYS, "wait: not implemented yet");
}

VOS_EXPORT int vos_proc_kill(struct vos_proc *p, int signo)
{
	(void)signo;
	if (!p)
		return -EINVAL;
	return vos_err(p->ctx, -ENOSYS, "kill: not implemented yet");
}

VOS_EXPORT void vos_proc_free(struct vos_proc *p)
{
	free(p);
}
