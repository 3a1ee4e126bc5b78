// SPDX-License-Identifier: GPL-2.0
/*
 * subsys.c - subsystem objects and the registry.
 *
 * The registry is an xarray by id and a hash by name, both written under
 * vos_lock, plus a hash by PID namespace pointer that the tracepoint probes
 * read under RCU. See vos.h for the lifetime rules and the lock order.
 */

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "vos.h"

/* The registry and every lifecycle decision; see vos.h for the lock order. */
DEFINE_MUTEX(vos_lock);
atomic64_t vos_tasks_now = ATOMIC64_INIT(0);

static DEFINE_XARRAY_ALLOC1(vos_ids);
static u32 vos_id_next;
static DEFINE_HASHTABLE(vos_names, 10);
static DEFINE_HASHTABLE(vos_pidns_hash, 8);
static u64 vos_nr_subsys;		/* under vos_lock */
static atomic64_t vos_nr_ever = ATOMIC64_INIT(0);
static struct workqueue_struct *vos_wq;

static void vos_destroy_work(struct work_struct *work);

int vos_name_valid(const char *name, size_t size)
{
	size_t len = strnlen(name, size);
	size_t i;

	if (len >= VOS_NAME_MAX || len == size)
		return -ENAMETOOLONG;
	if (!len || !isalnum(name[0]))
		return -EINVAL;
	for (i = 1; i < len; i++) {
		char c = name[i];

		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	return 0;
}

static u32 vos_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static struct vos_subsys *vos_find_name_locked(const char *name)
{
	struct vos_subsys *s;

	lockdep_assert_held(&vos_lock);
	hash_for_each_possible(vos_names, s, name_node, vos_name_hash(name))
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* The subsystem owning @ns: registered for @ns itself or for an ancestor. */
struct vos_subsys *vos_subsys_find_rcu(struct pid_namespace *ns)
{
	struct vos_subsys *s;

	for (; ns && ns != &init_pid_ns; ns = ns->parent) {
		hash_for_each_possible_rcu(vos_pidns_hash, s, pidns_node,
					   (unsigned long)ns)
			if (s->pidns == ns)
				return s;
	}
	return NULL;
}

/*
 * Is current a member of a subsystem? Members are refused every request,
 * whatever their uid or capabilities: the uid check alone would let an app
 * started by root (kuid 0 inside, mapped to its owner) see and end its
 * owner's subsystems, its own included.
 */
bool vos_current_is_member(void)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	bool member;

	if (likely(ns == &init_pid_ns))
		return false;
	rcu_read_lock();
	member = vos_subsys_find_rcu(ns);
	rcu_read_unlock();
	return member;
}

bool vos_subsys_visible(const struct vos_subsys *s)
{
	if (vos_current_is_member())
		return false;
	return uid_eq(current_euid(), s->owner) || capable(CAP_SYS_ADMIN);
}

static void vos_subsys_release(struct kref *ref)
{
	struct vos_subsys *s = container_of(ref, struct vos_subsys, ref);

	put_pid(s->init_pid);
	if (s->pidns)
		put_pid_ns(s->pidns);
	/* Probes may still be reading it under RCU. */
	kfree_rcu(s, rcu);
}

void vos_subsys_put(struct vos_subsys *s)
{
	might_sleep();
	kref_put(&s->ref, vos_subsys_release);
}

struct vos_subsys *vos_subsys_create(const char *name, u32 flags,
				     const struct vos_policy *policy)
{
	struct vos_subsys *s;
	u32 id;
	int ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	kref_init(&s->ref);		/* the registry's reference */
	strscpy(s->name, name, sizeof(s->name));
	s->flags = flags;
	s->owner = current_euid();
	s->owner_gid = current_egid();
	s->policy = *policy;
	s->created_ns = ktime_get_boottime_ns();
	s->state = VOS_STATE_CREATED;
	spin_lock_init(&s->lock);
	INIT_WORK(&s->destroy_work, vos_destroy_work);

	mutex_lock(&vos_lock);
	if (vos_find_name_locked(name)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	if (!(flags & VOS_SUBSYS_HOST_IDS)) {
		ret = vos_ids_alloc(s);
		if (ret)
			goto err_unlock;
	}
	ret = xa_alloc_cyclic(&vos_ids, &id, s, xa_limit_31b, &vos_id_next,
			      GFP_KERNEL_ACCOUNT);
	if (ret < 0) {
		vos_ids_free(s);
		goto err_unlock;
	}
	s->id = id;
	hash_add(vos_names, &s->name_node, vos_name_hash(name));
	vos_nr_subsys++;
	atomic64_inc(&vos_nr_ever);
	/* A live subsystem pins the module: rmmod must not orphan tasks. */
	__module_get(THIS_MODULE);
	kref_get(&s->ref);		/* the caller's */
	mutex_unlock(&vos_lock);

	vos_event(s, VOS_EVENT_CREATED, NULL, 0, GFP_KERNEL);
	return s;

err_unlock:
	mutex_unlock(&vos_lock);
	kfree(s);
	return ERR_PTR(ret);
}

struct vos_subsys *vos_subsys_get_by_id(u64 id)
{
	struct vos_subsys *s = NULL;

	if (!id || id > U32_MAX)
		return NULL;
	mutex_lock(&vos_lock);
	s = xa_load(&vos_ids, id);
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&vos_lock);
	return s;
}

struct vos_subsys *vos_subsys_get_by_name(const char *name)
{
	struct vos_subsys *s;

	mutex_lock(&vos_lock);
	s = vos_find_name_locked(name);
	if (s)
		kref_get(&s->ref);
	mutex_unlock(&vos_lock);
	return s;
}

/* The live subsystem with the lowest id >= *@id; *@id is set past it. */
struct vos_subsys *vos_subsys_get_next(u64 *id)
{
	unsigned long index = *id;
	struct vos_subsys *s;

	if (*id > U32_MAX)
		return NULL;
	mutex_lock(&vos_lock);
	s = xa_find(&vos_ids, &index, U32_MAX, XA_PRESENT);
	if (s) {
		kref_get(&s->ref);
		*id = (u64)index + 1;
	}
	mutex_unlock(&vos_lock);
	return s;
}

u64 vos_subsys_count(void)
{
	u64 n;

	mutex_lock(&vos_lock);
	n = vos_nr_subsys;
	mutex_unlock(&vos_lock);
	return n;
}

u64 vos_subsys_ever(void)
{
	return atomic64_read(&vos_nr_ever);
}

void vos_subsys_snapshot(struct vos_subsys *s, struct vos_snapshot *snap)
{
	snap->id = s->id;
	memcpy(snap->name, s->name, sizeof(snap->name));
	snap->flags = s->flags;
	snap->owner = s->owner;
	snap->created_ns = s->created_ns;
	snap->policy = s->policy;
	snap->id_base = s->id_base;
	snap->id_count = s->id_count;

	spin_lock(&s->lock);
	snap->state = s->state;
	snap->exit_status = s->exit_status;
	snap->tasks_now = s->tasks_now;
	snap->tasks_ever = s->tasks_ever;
	snap->execs = s->execs;
	snap->denials = s->denials;
	/* Set at attach before state leaves CREATED; the caller puts it. */
	snap->init_pid = s->state != VOS_STATE_CREATED ? get_pid(s->init_pid) : NULL;
	snap->pidns_inum = snap->init_pid ? s->pidns->ns.inum : 0;
	snap->netns_inum = snap->init_pid ? s->netns_inum : 0;
	snap->cgroup_id = snap->init_pid ? s->cgroup_id : 0;
	spin_unlock(&s->lock);
}

/*
 * Destroy @s if it is ended, has no fd and no task. Called whenever one of
 * the three may have become true; only the first caller that sees all three
 * does the work.
 */
static void vos_subsys_maybe_destroy(struct vos_subsys *s)
{
	bool idle;

	lockdep_assert_held(&vos_lock);
	if (s->dead)
		return;
	spin_lock(&s->lock);
	idle = s->ended && !s->nr_files && !s->tasks_now;
	if (idle)
		s->dead = true;
	spin_unlock(&s->lock);
	if (!idle)
		return;

	if (s->published)
		hash_del_rcu(&s->pidns_node);
	hash_del(&s->name_node);
	xa_erase(&vos_ids, s->id);
	/* No task is left that could hold one of its ids. */
	vos_ids_free(s);
	/* nor send a packet: the link's hook and rules go */
	vos_net_release(s);
	vos_nr_subsys--;
	vos_event(s, VOS_EVENT_DESTROYED, NULL, 0, GFP_KERNEL);
	module_put(THIS_MODULE);
	/* The caller holds its own reference: this is never the last. */
	kref_put(&s->ref, vos_subsys_release);
}

static void vos_destroy_work(struct work_struct *work)
{
	struct vos_subsys *s = container_of(work, struct vos_subsys,
					    destroy_work);

	mutex_lock(&vos_lock);
	vos_subsys_maybe_destroy(s);
	mutex_unlock(&vos_lock);
	vos_subsys_put(s);
}

/*
 * From the exit probe (atomic context): the destroy needs vos_lock, so it
 * runs from a work item. The caller took a reference for the work; if the
 * work is already queued, that one holds a reference, so ours is not the
 * last and may be dropped here.
 */
void vos_subsys_schedule_destroy(struct vos_subsys *s)
{
	if (!queue_work(vos_wq, &s->destroy_work))
		kref_put(&s->ref, vos_subsys_release);
}

/* Is @p a member: in @ns or a namespace below it? Caller holds RCU. */
static bool vos_task_in_ns(struct task_struct *p, struct pid_namespace *ns)
{
	struct pid *pid = task_pid(p);

	return pid && pid->level >= ns->level &&
	       pid->numbers[ns->level].ns == ns;
}

/* Is @t a member of @s? @s must have been running (its pidns is then fixed). */
bool vos_subsys_has_task(const struct vos_subsys *s, struct task_struct *t)
{
	bool ret;

	rcu_read_lock();
	ret = s->pidns && vos_task_in_ns(t, s->pidns);
	rcu_read_unlock();
	return ret;
}

static int vos_signal_members(struct vos_subsys *s, int signo)
{
	struct task_struct *p;
	int n = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (!vos_task_in_ns(p, s->pidns) ||
		    !atomic_read(&p->signal->live))
			continue;
		if (!send_sig_info(signo, SEND_SIG_PRIV, p))
			n++;
	}
	rcu_read_unlock();
	return n;
}

/* Signal the subsystem's init, if it still lives: 1 if it was signalled. */
static int vos_signal_init(struct vos_subsys *s, int signo)
{
	struct task_struct *task;
	int n = 0;

	task = get_pid_task(s->init_pid, PIDTYPE_TGID);
	if (task) {
		if (atomic_read(&task->signal->live) &&
		    !send_sig_info(signo, SEND_SIG_PRIV, task))
			n = 1;
		put_task_struct(task);
	}
	return n;
}

int vos_subsys_signal(struct vos_subsys *s, int signo, bool init_only)
{
	int n = 0;

	mutex_lock(&vos_lock);
	if (s->published)
		n = init_only ? vos_signal_init(s, signo) :
				vos_signal_members(s, signo);
	mutex_unlock(&vos_lock);
	return n;
}

static void vos_subsys_end_locked(struct vos_subsys *s)
{
	lockdep_assert_held(&vos_lock);
	spin_lock(&s->lock);
	s->ended = true;
	spin_unlock(&s->lock);
	/*
	 * Killing init is enough: when pid 1 of a namespace dies, the kernel
	 * kills everything left in it and below (zap_pid_ns_processes()),
	 * forks racing with it included. If init is already gone, that has
	 * happened already. Walking every process of the system here instead
	 * made ending N subsystems cost O(N * processes) under vos_lock.
	 */
	if (s->published)
		vos_signal_init(s, SIGKILL);
	/* its calls' streams too, whoever holds their ends */
	vos_channel_revoke(s);
	vos_subsys_maybe_destroy(s);
}

void vos_subsys_end(struct vos_subsys *s)
{
	mutex_lock(&vos_lock);
	vos_subsys_end_locked(s);
	mutex_unlock(&vos_lock);
}

void vos_subsys_file_open(struct vos_subsys *s)
{
	mutex_lock(&vos_lock);
	spin_lock(&s->lock);
	s->nr_files++;
	spin_unlock(&s->lock);
	mutex_unlock(&vos_lock);
}

/* Release of a subsystem file: an ephemeral subsystem ends with its last. */
void vos_subsys_file_close(struct vos_subsys *s)
{
	bool end;

	mutex_lock(&vos_lock);
	spin_lock(&s->lock);
	s->nr_files--;
	end = !s->nr_files && !(s->flags & VOS_SUBSYS_PERSISTENT);
	spin_unlock(&s->lock);
	if (end)
		vos_subsys_end_locked(s);
	else
		vos_subsys_maybe_destroy(s);
	mutex_unlock(&vos_lock);
}

/* May the caller act on @task? Same real uid on all of the task's uids, or
 * CAP_SYS_ADMIN in the initial user namespace.
 */
static bool vos_may_attach(struct task_struct *task)
{
	const struct cred *cred = current_cred();
	const struct cred *tcred;
	bool ok;

	if (capable(CAP_SYS_ADMIN))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = uid_eq(cred->uid, tcred->uid) && uid_eq(cred->uid, tcred->euid) &&
	     uid_eq(cred->uid, tcred->suid);
	rcu_read_unlock();
	return ok;
}

/*
 * Is @task still the only task of @ns, and not exiting? Called after the
 * subsystem is published in vos_pidns_hash, so that every fork and exit in
 * @ns either is seen here or sees the subsystem:
 * - a fork by init increments pid_allocated (alloc_pid()) before it takes
 *   init's siglock in copy_process(), and fires sched_process_fork after
 *   dropping it; we read pid_allocated under the same siglock.
 * - an exit sets PF_EXITING and decrements signal->live (a full barrier)
 *   before sched_process_exit; we publish, smp_mb(), then read both.
 */
static int vos_ns_still_fresh(struct task_struct *task, struct pid_namespace *ns)
{
	struct sighand_struct *sighand;
	unsigned long flags;
	unsigned int nr;
	int ret = 0;

	/* Pairs with the atomic_dec_and_test(&signal->live) in do_exit(). */
	smp_mb();
	rcu_read_lock();
	sighand = rcu_dereference(task->sighand);
	if (!sighand) {
		rcu_read_unlock();
		return -ESRCH;
	}
	spin_lock_irqsave(&sighand->siglock, flags);
	nr = READ_ONCE(ns->pid_allocated);
	if ((task->flags & PF_EXITING) || !(nr & PIDNS_ADDING))
		ret = -ESRCH;
	else if ((nr & ~PIDNS_ADDING) != 1 || atomic_read(&task->signal->live) != 1)
		ret = -ENOTEMPTY;
	spin_unlock_irqrestore(&sighand->siglock, flags);
	rcu_read_unlock();
	return ret;
}

static int vos_attach_publish(struct vos_subsys *s, struct task_struct *task,
			      struct pid_namespace *ns, struct pid *pid)
{
	int ret;

	lockdep_assert_held(&vos_lock);
	s->pidns = get_pid_ns(ns);
	s->init_pid = get_pid(pid);
	spin_lock(&s->lock);
	s->state = VOS_STATE_RUNNING;
	s->tasks_now = 1;
	s->tasks_ever = 1;
	spin_unlock(&s->lock);
	hash_add_rcu(vos_pidns_hash, &s->pidns_node, (unsigned long)ns);
	s->published = true;

	ret = vos_ns_still_fresh(task, ns);
	if (!ret) {
		atomic64_inc(&vos_tasks_now);
		return 0;
	}

	/* Undo; probes that saw it are done after the grace period. */
	hash_del_rcu(&s->pidns_node);
	s->published = false;
	synchronize_rcu();
	spin_lock(&s->lock);
	/* probes moved the global count along with ours, from 1 */
	atomic64_sub((s64)s->tasks_now - 1, &vos_tasks_now);
	s->state = VOS_STATE_CREATED;
	s->tasks_now = 0;
	s->tasks_ever = 0;
	s->execs = 0;
	s->exit_status = 0;
	memset(s->exited, 0, sizeof(s->exited));
	spin_unlock(&s->lock);
	put_pid_ns(s->pidns);
	s->pidns = NULL;
	put_pid(s->init_pid);
	s->init_pid = NULL;
	return ret;
}

static int vos_attach_task(struct vos_subsys *s, struct task_struct *task,
			   struct pid *pid, const struct vos_attach *a)
{
	struct pid_namespace *ns = task_active_pid_ns(task);
	u64 cgid = 0, netns_inum;
	struct nsproxy *nsproxy;
	bool same_net;
	int ret;

	if (!vos_may_attach(task))
		return -EPERM;
	/* pid 1 of a namespace directly below the caller's */
	if (!ns || ns->parent != task_active_pid_ns(current) ||
	    task_pid_nr_ns(task, ns) != 1 || !thread_group_leader(task))
		return -EINVAL;

	task_lock(task);
	nsproxy = task->nsproxy;
	if (!nsproxy) {
		task_unlock(task);
		return -ESRCH;
	}
	netns_inum = nsproxy->net_ns->ns.inum;
	same_net = net_eq(nsproxy->net_ns, current->nsproxy->net_ns);
	task_unlock(task);

	if (a->cgroup_fd != -1) {
		struct cgroup *cgrp = cgroup_get_from_fd(a->cgroup_fd);

		if (IS_ERR(cgrp))
			return PTR_ERR(cgrp);
		cgid = cgroup_id(cgrp);
		cgroup_put(cgrp);
	}

	mutex_lock(&vos_lock);
	if (s->ended) {
		ret = -ESRCH;
		goto out;
	}
	if (s->state != VOS_STATE_CREATED) {
		ret = -EBUSY;
		goto out;
	}
	if ((s->policy.net == VOS_NET_ISOLATED && same_net) ||
	    !vos_ids_allowed(s, task)) {
		spin_lock(&s->lock);
		s->denials++;
		spin_unlock(&s->lock);
		vos_event(s, VOS_EVENT_DENIED, task, 0, GFP_KERNEL);
		ret = -EPERM;
		goto out;
	}
	rcu_read_lock();
	ret = vos_subsys_find_rcu(ns) ? -EEXIST : 0;
	rcu_read_unlock();
	if (ret)
		goto out;
	s->netns_inum = netns_inum;
	s->cgroup_id = cgid;
	ret = vos_attach_publish(s, task, ns, pid);
out:
	mutex_unlock(&vos_lock);
	if (!ret)
		vos_event(s, VOS_EVENT_ATTACHED, task, 0, GFP_KERNEL);
	return ret;
}

int vos_subsys_attach(struct vos_subsys *s, const struct vos_attach *a)
{
	struct task_struct *task;
	struct file *pidfile;
	struct pid *pid;
	int ret;

	if (a->pid <= 0)
		return -EINVAL;
	pidfile = fget(a->pidfd);	/* a negative fd finds nothing */
	if (!pidfile)
		return -EBADF;
	pid = find_get_pid(a->pid);
	if (!pid) {
		ret = -ESRCH;
		goto out_file;
	}
	if (!vos_file_is_pidfd_of(pidfile, pid)) {
		ret = -EINVAL;
		goto out_pid;
	}
	task = get_pid_task(pid, PIDTYPE_PID);
	if (!task) {
		ret = -ESRCH;
		goto out_pid;
	}
	ret = vos_attach_task(s, task, pid, a);
	put_task_struct(task);
out_pid:
	put_pid(pid);
out_file:
	fput(pidfile);
	return ret;
}

int vos_subsys_init(void)
{
	vos_wq = alloc_workqueue("vos", 0, 0);
	return vos_wq ? 0 : -ENOMEM;
}

void vos_subsys_uninit(void)
{
	/* Every subsystem pinned the module, so none is left; a destroy work
	 * that dropped the last module reference may still be finishing.
	 */
	destroy_workqueue(vos_wq);
	rcu_barrier();
	WARN_ON(!xa_empty(&vos_ids));
	xa_destroy(&vos_ids);
}
