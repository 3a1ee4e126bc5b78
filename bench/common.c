// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shared helpers of the vos benchmark programs: see common.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "common.h"

int64_t vb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int vb_raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if ((long)rl.rlim_cur >= want)
		return 0;
	if ((long)rl.rlim_max < want)
		rl.rlim_max = want;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	return 0;
}

int vb_create(int devfd, const char *name, int persistent, uint32_t net, uint64_t *id)
{
	struct vos_create c;
	int fd;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	/* The inits the bench attaches are plain clone(CLONE_NEWPID) children
	 * with our ids, no user namespace of their own: a subsystem with a
	 * private range would refuse them (vos_ids_allowed()), and the pool
	 * has only 4094 ranges, fewer than the scale section's 10,000.
	 */
	c.flags = VOS_SUBSYS_HOST_IDS | (persistent ? VOS_SUBSYS_PERSISTENT : 0);
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.policy.net = net;
	fd = ioctl(devfd, VOS_CREATE_SUBSYS, &c);
	if (fd < 0)
		return -errno;
	if (id)
		*id = c.id;
	return fd;
}

int vb_attach(int sfd, pid_t pid, int pidfd)
{
	struct vos_attach a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.pidfd = pidfd;
	a.pid = pid;
	a.cgroup_fd = -1;
	if (ioctl(sfd, VOS_SUBSYS_ATTACH, &a) < 0)
		return -errno;
	return 0;
}

int vb_info(int sfd, struct vos_subsys_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(sfd, VOS_SUBSYS_INFO, info) < 0)
		return -errno;
	return 0;
}

int vb_pidfd_open(pid_t pid)
{
	long fd = syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : (int)fd;
}

static long long meminfo_kb(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? atoll(p + strlen(key)) : -1;
}

int vb_slab_read(struct vb_slab *snap)
{
	char buf[8192], line[512];
	FILE *f;
	int fd, cap = 0;
	ssize_t n;

	memset(snap, 0, sizeof(*snap));
	snap->slabinfo_bytes = -1;
	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	snap->meminfo_slab_kb = meminfo_kb(buf, "\nSlab:");
	snap->meminfo_sunreclaim_kb = meminfo_kb(buf, "\nSUnreclaim:");
	snap->meminfo_kstack_kb = meminfo_kb(buf, "\nKernelStack:");

	f = fopen("/proc/slabinfo", "re");
	if (!f)
		return 0;
	snap->slabinfo_bytes = 0;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		long long active, total, objsize;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %lld %lld %lld", name, &active, &total, &objsize) != 4)
			continue;
		snap->slabinfo_bytes += active * objsize;
		if (snap->ncaches == cap) {
			struct vb_slab_cache *nc;

			cap = cap ? cap * 2 : 256;
			nc = realloc(snap->caches, cap * sizeof(*nc));
			if (!nc)
				break;
			snap->caches = nc;
		}
		snprintf(snap->caches[snap->ncaches].name, sizeof(snap->caches[0].name), "%s",
			 name);
		snap->caches[snap->ncaches].bytes = active * objsize;
		snap->ncaches++;
	}
	fclose(f);
	return 0;
}

void vb_slab_free(struct vb_slab *snap)
{
	free(snap->caches);
	snap->caches = NULL;
	snap->ncaches = 0;
}

void vb_slab_top(const struct vb_slab *a, const struct vb_slab *b, int top, char *buf, size_t len)
{
	long long *delta;
	size_t off = 0;
	int i, j, k;

	buf[0] = '\0';
	if (!b->ncaches)
		return;
	delta = calloc(b->ncaches, sizeof(*delta));
	if (!delta)
		return;
	for (i = 0; i < b->ncaches; i++) {
		long long before = 0;

		for (j = 0; j < a->ncaches; j++)
			if (!strcmp(a->caches[j].name, b->caches[i].name)) {
				before = a->caches[j].bytes;
				break;
			}
		delta[i] = b->caches[i].bytes - before;
	}
	for (k = 0; k < top; k++) {
		int best = -1;

		for (i = 0; i < b->ncaches; i++)
			if (delta[i] > 0 && (best < 0 || delta[i] > delta[best]))
				best = i;
		if (best < 0)
			break;
		off += snprintf(buf + off, len - off, "%s%s:+%lld", k ? "," : "",
				b->caches[best].name, delta[best]);
		if (off >= len)
			break;
		delta[best] = 0;
	}
	free(delta);
}

int vb_genl_open(struct nl_sock **skp, int *family)
{
	struct nl_sock *sk;
	int ret;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	ret = genl_connect(sk);
	if (ret < 0)
		goto err;
	ret = genl_ctrl_resolve(sk, VOS_GENL_NAME);
	if (ret < 0)
		goto err;
	*family = ret;
	*skp = sk;
	return 0;
err:
	nl_socket_free(sk);
	return ret == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
}

static int count_cb(struct nl_msg *msg, void *arg)
{
	(*(long *)arg)++;
	return NL_OK;
}

long vb_genl_dump_count(struct nl_sock *sk, int family)
{
	long count = 0;
	int ret;

	ret = genl_send_simple(sk, family, VOS_CMD_GET_SUBSYS, VOS_GENL_VERSION, NLM_F_DUMP);
	if (ret < 0)
		return -EIO;
	ret = nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, count_cb, &count);
	if (ret < 0)
		return -EIO;
	ret = nl_recvmsgs_default(sk);
	if (ret < 0)
		return -EIO;
	return count;
}

static int stats_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[VOS_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, VOS_A_MAX, NULL) < 0)
		return NL_SKIP;
	if (tb[VOS_A_STATS_EVENT_SEQ])
		*(long long *)arg = (long long)nla_get_u64(tb[VOS_A_STATS_EVENT_SEQ]);
	return NL_OK;
}

int vb_genl_event_seq(struct nl_sock *sk, int family, unsigned long long *seq)
{
	long long v = -1;
	int ret;

	ret = genl_send_simple(sk, family, VOS_CMD_GET_STATS, VOS_GENL_VERSION, 0);
	if (ret < 0)
		return -EIO;
	ret = nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, stats_cb, &v);
	if (ret < 0)
		return -EIO;
	ret = nl_recvmsgs_default(sk);
	if (ret < 0 || v < 0)
		return -EIO;
	/* A "do" request is acked after its reply: read the ack, or the next
	 * request would find it first.
	 */
	if (nl_wait_for_ack(sk) < 0)
		return -EIO;
	*seq = (unsigned long long)v;
	return 0;
}

void vb_settle(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "2", 1) < 0) {
			/* best effort: only makes the numbers steadier */
		}
		close(fd);
	}
	/* Freed namespaces, pids and files are released after RCU grace
	 * periods and from work queues: give them time.
	 */
	usleep(300000);
}
