/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the benchmark programs that talk to vos.ko directly
 * (ioctl on /dev/vos and the "vos" generic netlink family), without
 * libvirtos, so that what they time is the kernel interface itself.
 */
#ifndef VOS_BENCH_COMMON_H
#define VOS_BENCH_COMMON_H

#include <stdint.h>
#include <sys/types.h>

#include <linux/vos.h>

int64_t vb_now_ns(void);

/* Raise RLIMIT_NOFILE to at least @want fds. 0 or -errno. */
int vb_raise_nofile(long want);

/* Create a subsystem on @devfd (with the caller's host ids, no private
 * range). Returns its fd or -errno; *id gets its id.
 */
int vb_create(int devfd, const char *name, int persistent, uint32_t net, uint64_t *id);

/* Attach @pid (with its @pidfd) as init of the subsystem @sfd. 0 or -errno. */
int vb_attach(int sfd, pid_t pid, int pidfd);

/* VOS_SUBSYS_INFO. 0 or -errno. */
int vb_info(int sfd, struct vos_subsys_info *info);

/* pidfd_open(2). fd or -errno. */
int vb_pidfd_open(pid_t pid);

/*
 * Sum of /proc/meminfo "Slab:" in kB, and of active_objs * objsize over all
 * caches of /proc/slabinfo in bytes (-1 if unreadable). Per-cache values go
 * to @snap (may be NULL) so two snapshots can be diffed.
 */
struct vb_slab_cache {
	char name[64];
	long long bytes;
};

struct vb_slab {
	long long meminfo_slab_kb;
	long long meminfo_sunreclaim_kb;
	long long meminfo_kstack_kb;
	long long slabinfo_bytes;
	int ncaches;
	struct vb_slab_cache *caches;
};

int vb_slab_read(struct vb_slab *snap);
void vb_slab_free(struct vb_slab *snap);
/*
 * Write to @buf the @top caches that grew most from @a to @b, as
 * "name:+bytes,..." (JSON-safe).
 */
void vb_slab_top(const struct vb_slab *a, const struct vb_slab *b, int top, char *buf, size_t len);

/* Generic netlink: resolve family "vos" and dump all subsystems. */
struct nl_sock;
int vb_genl_open(struct nl_sock **sk, int *family);
/* Dump VOS_CMD_GET_SUBSYS; returns the number of subsystems or -errno. */
long vb_genl_dump_count(struct nl_sock *sk, int family);

/* VOS_CMD_GET_STATS: the last event sequence number. 0 or -errno. */
int vb_genl_event_seq(struct nl_sock *sk, int family, unsigned long long *seq);

/* Flush caches that keep freed objects around (best effort). */
void vb_settle(void);

#endif
