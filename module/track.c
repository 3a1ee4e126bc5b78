// SPDX-License-Identifier: GPL-2.0
/*
 * track.c - membership tracking through the sched_process_{fork,exec,exit}
 * tracepoints.
 *
 * The probes run for every task in the system, in atomic context, so:
 * - a task outside any PID namespace (the rest of the system) costs one
 *   pointer compare, task's namespace == &init_pid_ns;
 * - the subsystem is found under RCU, its counters are changed under its
 *   spinlock, nothing sleeps, events are allocated with GFP_ATOMIC;
 * - a destroy needs vos_lock, so the exit probe hands it to a work item.
 *
 * Counting: a task is counted when sched_process_fork fires for it (after
 * copy_process() succeeded, before the child first runs) and uncounted at
 * sched_process_exit, so both fire exactly once per task, threads included.
 * Threads killed by de_thread() in a multithreaded exec go through do_exit()
 * like any other. Workers the kernel clones without the fork tracepoint
 * (io_uring, vhost) are skipped on both sides (VOS_PF_UNTRACKED).
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "vos.h"

static struct tracepoint *vos_tp_fork, *vos_tp_exec, *vos_tp_exit;

static inline struct pid_namespace *vos_task_ns(struct task_struct *t)
{
	return ns_of_pid(task_pid(t));
}

/* Forget a stale entry: @sig is a new thread group's signal_struct. */
static void vos_exit_ring_forget(struct vos_subsys *s, struct signal_struct *sig)
{
	unsigned int i;

	lockdep_assert_held(&s->lock);
	for (i = 0; i < VOS_EXIT_RING; i++)
		if (s->exited[i] == sig)
			s->exited[i] = NULL;
}

/*
 * Several threads of one process may each see signal->live == 0 in
 * sched_process_exit (they decrement it, then sleep in exit_mm() before the
 * tracepoint). The process exit is reported by the first of them; the ring
 * remembers the last few reported. A signal_struct cannot be freed and
 * reused while one of its threads is still before the tracepoint, and a
 * reused one is forgotten at its fork, so a match is always the same process.
 */
static bool vos_exit_ring_first(struct vos_subsys *s, struct signal_struct *sig)
{
	unsigned int i;

	lockdep_assert_held(&s->lock);
	for (i = 0; i < VOS_EXIT_RING; i++)
		if (s->exited[i] == sig)
			return false;
	s->exited[s->exited_next] = sig;
	s->exited_next = (s->exited_next + 1) % VOS_EXIT_RING;
	return true;
}

static void vos_probe_fork(void *data, struct task_struct *parent,
			   struct task_struct *child)
{
	struct pid_namespace *ns = vos_task_ns(child);
	struct vos_subsys *s;

	if (likely(ns == &init_pid_ns))
		return;
	rcu_read_lock();
	s = vos_subsys_find_rcu(ns);
	if (s) {
		spin_lock(&s->lock);
		if (!s->dead) {
			s->tasks_now++;
			s->tasks_ever++;
			if (child->signal != parent->signal)
				vos_exit_ring_forget(s, child->signal);
			atomic64_inc(&vos_tasks_now);
		}
		spin_unlock(&s->lock);
	}
	rcu_read_unlock();
}

static void vos_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			   struct linux_binprm *bprm)
{
	struct pid_namespace *ns = vos_task_ns(p);
	struct vos_subsys *s;

	if (likely(ns == &init_pid_ns))
		return;
	rcu_read_lock();
	s = vos_subsys_find_rcu(ns);
	if (s) {
		spin_lock(&s->lock);
		s->execs++;
		spin_unlock(&s->lock);
		vos_event(s, VOS_EVENT_EXEC, p, 0, GFP_ATOMIC);
	}
	rcu_read_unlock();
}

/* The wait status wait4() will return for the process (6.1+ always sets
 * SIGNAL_GROUP_EXIT before the last thread exits, see
 * synchronize_group_exit(); exit_code is the fallback).
 */
static s32 vos_wait_status(struct task_struct *t)
{
	struct signal_struct *sig = t->signal;

	if (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT)
		return READ_ONCE(sig->group_exit_code);
	return t->exit_code;
}

static void vos_probe_exit(void *data, struct task_struct *t)
{
	struct pid_namespace *ns = vos_task_ns(t);
	bool group_dead, report = false, stopped = false, destroy;
	struct vos_subsys *s;
	s32 status = 0;

	if (likely(ns == &init_pid_ns) || (t->flags & VOS_PF_UNTRACKED))
		return;
	/* do_exit() decremented it before the tracepoint */
	group_dead = !atomic_read(&t->signal->live);
	if (group_dead)
		status = vos_wait_status(t);

	rcu_read_lock();
	s = vos_subsys_find_rcu(ns);
	if (!s)
		goto out;
	spin_lock(&s->lock);
	if (s->dead) {
		spin_unlock(&s->lock);
		goto out;
	}
	if (s->tasks_now) {
		s->tasks_now--;
		atomic64_dec(&vos_tasks_now);
	}
	if (group_dead && vos_exit_ring_first(s, t->signal)) {
		report = true;
		if (task_tgid(t) == s->init_pid &&
		    s->state == VOS_STATE_RUNNING) {
			s->state = VOS_STATE_STOPPED;
			s->exit_status = status;
			stopped = true;
		}
	}
	destroy = !s->tasks_now && s->ended && !s->nr_files;
	if (destroy)
		kref_get(&s->ref);	/* not dead: the registry holds one */
	spin_unlock(&s->lock);

	if (report)
		vos_event(s, VOS_EVENT_EXIT, t, status, GFP_ATOMIC);
	if (stopped)
		vos_event(s, VOS_EVENT_STOPPED, t, status, GFP_ATOMIC);
	/* after the events, so that DESTROYED comes last */
	if (destroy)
		vos_subsys_schedule_destroy(s);
out:
	rcu_read_unlock();
}

struct vos_tp_want {
	const char *name;
	struct tracepoint **tp;
};

static void vos_find_tp(struct tracepoint *tp, void *priv)
{
	struct vos_tp_want *w;

	for (w = priv; w->name; w++)
		if (!strcmp(tp->name, w->name))
			*w->tp = tp;
}

int vos_track_init(void)
{
	struct vos_tp_want want[] = {
		{ "sched_process_fork", &vos_tp_fork },
		{ "sched_process_exec", &vos_tp_exec },
		{ "sched_process_exit", &vos_tp_exit },
		{ NULL, NULL },
	};
	int ret;

	for_each_kernel_tracepoint(vos_find_tp, want);
	if (!vos_tp_fork || !vos_tp_exec || !vos_tp_exit) {
		pr_err("vos: sched_process_{fork,exec,exit} tracepoints not found\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(vos_tp_fork, vos_probe_fork, NULL);
	if (ret)
		goto err_fork;
	ret = tracepoint_probe_register(vos_tp_exec, vos_probe_exec, NULL);
	if (ret)
		goto err_exec;
	ret = tracepoint_probe_register(vos_tp_exit, vos_probe_exit, NULL);
	if (ret)
		goto err_exit;
	return 0;

err_exit:
	tracepoint_probe_unregister(vos_tp_exec, vos_probe_exec, NULL);
err_exec:
	tracepoint_probe_unregister(vos_tp_fork, vos_probe_fork, NULL);
err_fork:
	tracepoint_synchronize_unregister();
	return ret;
}

void vos_track_uninit(void)
{
	tracepoint_probe_unregister(vos_tp_exit, vos_probe_exit, NULL);
	tracepoint_probe_unregister(vos_tp_exec, vos_probe_exec, NULL);
	tracepoint_probe_unregister(vos_tp_fork, vos_probe_fork, NULL);
	/* No probe runs after this returns. */
	tracepoint_synchronize_unregister();
}
