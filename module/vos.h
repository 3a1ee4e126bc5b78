/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vos.ko internal header: the subsystem object and the interfaces between
 * the files of the module.
 *
 * Locking, outermost first:
 *   vos_lock (mutex, subsys.c)      the registry: id xarray, name hash,
 *                                   pid-ns hash (writers), nr_files, ended,
 *                                   attach, destroy
 *   s->lock (spinlock, per object)  counters, state, init data; taken by the
 *                                   tracepoint probes, so never sleep under it
 *   vos_event_lock (spinlock)       event sequence numbers and their order
 * The probes find objects under RCU (the pid-ns hash) and never sleep.
 *
 * Lifetime: a subsystem is "live" from VOS_CREATE_SUBSYS until it is
 * destroyed (ended, no fd, no task). While live it is in the registry, holds
 * one reference on itself and one on the module. Every open file, every
 * queued destroy work and every lookup in progress holds a reference too.
 * The last reference frees it after an RCU grace period, because the probes
 * may still be looking at it.
 */
#ifndef _VOS_INTERNAL_H
#define _VOS_INTERNAL_H

#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/vos.h>

struct genl_info;
struct netlink_callback;
struct netlink_ext_ack;
struct nlattr;
struct pid;
struct pid_namespace;
struct sk_buff;
struct signal_struct;
struct task_struct;

/* Process exits already reported (see vos_track_exit()). */
#define VOS_EXIT_RING	8

struct vos_subsys {
	struct kref ref;
	u64 id;
	char name[VOS_NAME_MAX];
	u32 flags;			/* VOS_SUBSYS_* */
	kuid_t owner;			/* creator's euid */
	kgid_t owner_gid;		/* creator's egid */
	struct vos_policy policy;
	u64 created_ns;
	/* Network rules and link (netpolicy.c), NULL until set. */
	struct vos_netstate *net;
	/* Host id range (ids.c), under vos_lock; id_count 0 with HOST_IDS. */
	u32 id_base;
	u32 id_count;

	/* Under vos_lock (and s->lock where the probes read them). */
	struct hlist_node name_node;
	struct hlist_node pidns_node;	/* RCU: vos_pidns_hash */
	unsigned int nr_files;
	bool ended;			/* END or last close of an ephemeral one */
	bool dead;			/* destroyed, out of the registry */
	bool published;			/* pidns_node is hashed */

	/* Set once at attach, under vos_lock, before publication. */
	struct pid_namespace *pidns;
	struct pid *init_pid;		/* init's thread group id */
	u64 netns_inum;
	u64 cgroup_id;

	/* Under s->lock. */
	spinlock_t lock;
	u32 state;			/* enum vos_state */
	s32 exit_status;
	u64 tasks_now;
	u64 tasks_ever;
	u64 execs;
	u64 denials;
	struct signal_struct *exited[VOS_EXIT_RING];
	unsigned int exited_next;

	struct work_struct destroy_work;
	struct rcu_head rcu;
};

/* What the interfaces report: a consistent copy of the counters. */
struct vos_snapshot {
	u64 id;
	char name[VOS_NAME_MAX];
	u32 flags;
	u32 state;
	kuid_t owner;
	s32 exit_status;
	u64 tasks_now;
	u64 tasks_ever;
	u64 execs;
	u64 denials;
	u64 created_ns;
	u64 pidns_inum;
	u64 netns_inum;
	u64 cgroup_id;
	struct vos_policy policy;
	u32 id_base;
	u32 id_count;
	struct pid *init_pid;		/* a reference: put_pid() it */
};

/* subsys.c */
extern struct mutex vos_lock;
extern atomic64_t vos_tasks_now;
int vos_subsys_init(void);
void vos_subsys_uninit(void);
struct vos_subsys *vos_subsys_create(const char *name, u32 flags,
				     const struct vos_policy *policy);
struct vos_subsys *vos_subsys_get_by_id(u64 id);
struct vos_subsys *vos_subsys_get_by_name(const char *name);
struct vos_subsys *vos_subsys_get_next(u64 *id);
struct vos_subsys *vos_subsys_find_rcu(struct pid_namespace *ns);
bool vos_current_is_member(void);
bool vos_subsys_has_task(const struct vos_subsys *s, struct task_struct *t);
bool vos_subsys_visible(const struct vos_subsys *s);
void vos_subsys_put(struct vos_subsys *s);
void vos_subsys_file_open(struct vos_subsys *s);
void vos_subsys_file_close(struct vos_subsys *s);
int vos_subsys_attach(struct vos_subsys *s, const struct vos_attach *a);
int vos_subsys_signal(struct vos_subsys *s, int signo, bool init_only);
void vos_subsys_end(struct vos_subsys *s);
void vos_subsys_snapshot(struct vos_subsys *s, struct vos_snapshot *snap);
void vos_subsys_schedule_destroy(struct vos_subsys *s);
int vos_name_valid(const char *name, size_t size);
u64 vos_subsys_count(void);
u64 vos_subsys_ever(void);

/* ids.c */
int vos_ids_init(void);
void vos_ids_uninit(void);
int vos_ids_alloc(struct vos_subsys *s);
void vos_ids_free(struct vos_subsys *s);
bool vos_ids_allowed(const struct vos_subsys *s, struct task_struct *task);

/* netpolicy.c */
struct vos_netstate;
/* One dropped packet, for VOS_EVENT_NET_DENIED (addresses network order) */
struct vos_net_drop_info {
	u32 reason;			/* enum vos_net_drop */
	u32 rule;			/* from 1; 0: none */
	u32 proto;
	__be32 saddr, daddr;
	u16 sport, dport;
	bool v6;			/* saddr6/daddr6 hold the addresses */
	struct in6_addr saddr6, daddr6;
};

int vos_net_init(void);
void vos_net_uninit(void);
int vos_net_set_link(struct vos_subsys *s, const struct vos_link *l);
int vos_net_set_rules(struct vos_subsys *s, const struct vos_rules *in);
int vos_net_get_rules(struct vos_subsys *s, struct vos_rules *out,
		      struct vos_rule __user *urules, char __user *uhosts,
		      struct vos_rule_addr6 __user *uaddrs6);
int vos_net_get_link(struct vos_subsys *s, struct vos_link_info *out);
void vos_net_release(struct vos_subsys *s);

/* dev.c */
int vos_dev_init(void);
void vos_dev_uninit(void);

/* track.c */
int vos_track_init(void);
void vos_track_uninit(void);

/* netlink.c */
int vos_netlink_init(void);
void vos_netlink_uninit(void);
void vos_event(struct vos_subsys *s, u32 type, struct task_struct *t,
	       s32 exit_status, gfp_t gfp);
void vos_event_net(struct vos_subsys *s, const struct vos_net_drop_info *d,
		   u64 suppressed);
typedef int (*vos_event_fill_t)(struct sk_buff *skb, const void *arg);
u64 vos_event_fill(struct vos_subsys *s, u32 type, vos_event_fill_t fill,
		   const void *arg);
u64 vos_event_seq(void);
void *vos_genl_put_reply(struct sk_buff *msg, struct genl_info *info, u8 cmd);
void *vos_genl_put_dump(struct sk_buff *skb, struct netlink_callback *cb,
			u8 cmd);

/* clip.c */
int vos_clip_info(struct vos_clip *c);
int vos_clip_clear(void);
int vos_clip_copy(struct vos_subsys *s, struct vos_clip *c);
int vos_clip_paste(struct vos_subsys *s, struct vos_clip *c);
void vos_clip_uninit(void);

/* peer.c */
int vos_nl_get_peer(struct sk_buff *skb, struct genl_info *info);
struct pid *vos_peer_of_socket(int fd, struct netlink_ext_ack *extack,
			       const struct nlattr *attr);

/* channel.c */
long vos_channel_create(struct vos_channel_create *cc,
			struct vos_channel_create __user *uarg);
long vos_channel_audit(const struct vos_crossing_audit *a);
void vos_channel_revoke(struct vos_subsys *s);
int vos_nl_crossings_start(struct netlink_callback *cb);
int vos_nl_dump_crossings(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _VOS_INTERNAL_H */
