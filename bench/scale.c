// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scale - how the vos module copes with many subsystems.
 *
 *   scale [-a ATTACH_MAX] N [N...]
 *
 * For each N, three passes, each printing one "@@ {json}" line:
 *
 *   baseline  N times clone(CLONE_NEWPID) an idle init, no module involved,
 *             then SIGKILL and reap them: what the PID namespaces and tasks
 *             cost by themselves.
 *   create    N times VOS_CREATE_SUBSYS (no task), dump them over generic
 *             netlink, close every fd (ephemeral subsystems end on the last
 *             close): the module's own cost per subsystem.
 *   attach    N times VOS_CREATE_SUBSYS + clone(CLONE_NEWPID) + pidfd_open +
 *             VOS_SUBSYS_ATTACH, dump, then VOS_SUBSYS_END + close + reap.
 *             Only for N <= ATTACH_MAX (default 10000): every attached
 *             subsystem holds a live task and a PID namespace.
 *
 * Memory is read from /proc/meminfo (Slab) and /proc/slabinfo (sum of
 * active_objs * objsize) before and after, with caches dropped and a pause
 * for RCU-freed objects. The idle inits are clone(CLONE_VM | CLONE_FILES)
 * children that only pause(): no page tables or fd tables are copied, so a
 * task costs what the kernel needs for a task and no more.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/netlink.h>

#include "common.h"

#define STACK_SIZE (16 * 1024)

enum pass {
	PASS_BASELINE,
	PASS_CREATE,
	PASS_ATTACH
};
static const char *const pass_name[] = { "baseline", "create", "attach" };

struct result {
	long made;
	char error[160];
	int64_t create_ns, clone_ns, attach_ns, total_ns;
	int64_t dump_ns;
	long dump_count;
	int64_t end_ns;
	struct vb_slab s0, s1, s2;
};

static int idle_init(void *arg)
{
	/* pid 1 of its own PID namespace, sharing our memory: stay put until
	 * SIGKILLed (by VOS_SUBSYS_END, by us, or when we die).
	 */
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (;;)
		syscall(SYS_pause);
	return 0;
}

static pid_t spawn_idle(char *stack)
{
	/* CLONE_FILES too: with thousands of subsystem fds open, a private
	 * copy of our fd table per init would cost more than the subsystem.
	 */
	return clone(idle_init, stack + STACK_SIZE, CLONE_VM | CLONE_FILES | CLONE_NEWPID | SIGCHLD,
		     NULL);
}

static volatile sig_atomic_t reap_timed_out;

static void on_alarm(int sig)
{
	reap_timed_out = 1;
}

/*
 * Reap @n children. They should all be dying (SIGKILLed by us or by the
 * module); if some are still alive after @grace_s seconds, the module did not
 * end them: kill them ourselves, so the bench goes on, and return how many.
 */
static long reap(pid_t *pids, long n, int grace_s)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	long i, stuck = 0;

	reap_timed_out = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(grace_s);
	for (i = 0; i < n && !reap_timed_out; i++) {
		while (pids[i] > 0 && !reap_timed_out) {
			if (waitpid(pids[i], NULL, 0) == pids[i] || errno != EINTR)
				pids[i] = 0;
		}
	}
	alarm(0);
	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		stuck++;
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	return stuck;
}

static void do_dump(struct nl_sock *sk, int family, struct result *r)
{
	int64_t t0, best = -1;
	int k;

	if (!sk) {
		r->dump_count = -1;
		return;
	}
	/* The fastest of three: a dump has no side effect to average out. */
	for (k = 0; k < 3; k++) {
		t0 = vb_now_ns();
		r->dump_count = vb_genl_dump_count(sk, family);
		t0 = vb_now_ns() - t0;
		if (r->dump_count < 0)
			return;
		if (best < 0 || t0 < best)
			best = t0;
	}
	r->dump_ns = best;
}

static void run_pass(int devfd, enum pass pass, long n, char *stacks, struct nl_sock *sk,
		     int family, struct result *r)
{
	int *fds = calloc(n, sizeof(*fds));
	pid_t *pids = calloc(n, sizeof(*pids));
	int64_t t0, t1, tstart;
	char name[VOS_NAME_MAX];
	long i, stuck;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!fds || !pids) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		goto out;
	}
	vb_settle();
	vb_slab_read(&r->s0);

	/* made: how many entries of fds[]/pids[] hold something to undo. */
	tstart = vb_now_ns();
	for (i = 0; i < n; i++) {
		fds[i] = -1;
		if (pass != PASS_BASELINE) {
			uint64_t id;

			snprintf(name, sizeof(name), "bench-%s-%ld-%ld", pass_name[pass], n, i);
			t0 = vb_now_ns();
			fds[i] = vb_create(devfd, name, 0,
					   pass == PASS_ATTACH ? VOS_NET_HOST : VOS_NET_ISOLATED,
					   &id);
			r->create_ns += vb_now_ns() - t0;
			if (fds[i] < 0) {
				snprintf(r->error, sizeof(r->error), "VOS_CREATE_SUBSYS #%ld: %s",
					 i, strerror(-fds[i]));
				break;
			}
		}
		r->made = i + 1;
		if (pass == PASS_CREATE)
			continue;
		t0 = vb_now_ns();
		pids[i] = spawn_idle(stacks + (size_t)i * STACK_SIZE);
		t1 = vb_now_ns();
		r->clone_ns += t1 - t0;
		if (pids[i] < 0) {
			snprintf(r->error, sizeof(r->error), "clone(CLONE_NEWPID) #%ld: %s", i,
				 strerror(errno));
			pids[i] = 0;
			break;
		}
		if (pass == PASS_ATTACH) {
			int pidfd;

			t0 = vb_now_ns();
			pidfd = vb_pidfd_open(pids[i]);
			ret = pidfd < 0 ? pidfd : vb_attach(fds[i], pids[i], pidfd);
			if (pidfd >= 0)
				close(pidfd);
			r->attach_ns += vb_now_ns() - t0;
			if (ret < 0) {
				snprintf(r->error, sizeof(r->error), "%s #%ld: %s",
					 pidfd < 0 ? "pidfd_open" : "VOS_SUBSYS_ATTACH", i,
					 strerror(-ret));
				/* not attached: the module will not kill it */
				kill(pids[i], SIGKILL);
				break;
			}
		}
	}
	r->total_ns = vb_now_ns() - tstart;

	vb_settle();
	vb_slab_read(&r->s1);
	if (pass != PASS_BASELINE)
		do_dump(sk, family, r);

	t0 = vb_now_ns();
	for (i = 0; i < r->made; i++) {
		if (pass == PASS_ATTACH && fds[i] >= 0 && ioctl(fds[i], VOS_SUBSYS_END) < 0 &&
		    !r->error[0])
			snprintf(r->error, sizeof(r->error), "VOS_SUBSYS_END: %s", strerror(errno));
		if (pass == PASS_BASELINE && pids[i] > 0)
			kill(pids[i], SIGKILL);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	stuck = reap(pids, r->made, 60 + (int)(r->made / 100));
	r->end_ns = vb_now_ns() - t0;
	if (stuck && !r->error[0])
		snprintf(r->error, sizeof(r->error),
			 "%ld inits still alive after VOS_SUBSYS_END + close; killed by the bench",
			 stuck);

	vb_settle();
	vb_slab_read(&r->s2);
out:
	free(fds);
	free(pids);
}

static void print_result(enum pass pass, long n, struct result *r)
{
	char top[400];
	long m = r->made ? r->made : 1;
	long long slab_b = -1;

	vb_slab_top(&r->s0, &r->s1, 5, top, sizeof(top));
	if (r->s0.slabinfo_bytes >= 0 && r->s1.slabinfo_bytes >= 0)
		slab_b = r->s1.slabinfo_bytes - r->s0.slabinfo_bytes;

	printf("@@ {\"section\":\"scale\",\"mode\":\"%s\",\"n\":%ld,\"made\":%ld,"
	       "\"error\":\"%s\",",
	       pass_name[pass], n, r->made, r->error);
	printf("\"total_us\":%.0f,\"per_item_us\":%.1f,", r->total_ns / 1e3, r->total_ns / 1e3 / m);
	printf("\"create_ioctl_us\":%.1f,\"clone_us\":%.1f,\"attach_us\":%.1f,",
	       r->create_ns / 1e3 / m, r->clone_ns / 1e3 / m, r->attach_ns / 1e3 / m);
	if (pass != PASS_BASELINE)
		printf("\"dump_us\":%.0f,\"dump_count\":%ld,\"per_dump_item_us\":%.2f,",
		       r->dump_ns / 1e3, r->dump_count,
		       r->dump_count > 0 ? r->dump_ns / 1e3 / r->dump_count : -1.0);
	printf("\"end_us\":%.0f,\"per_end_us\":%.1f,", r->end_ns / 1e3, r->end_ns / 1e3 / m);
	printf("\"kstack_kb_delta\":%lld,", r->s1.meminfo_kstack_kb - r->s0.meminfo_kstack_kb);
	printf("\"slab_kb_delta\":%lld,\"sunreclaim_kb_delta\":%lld,"
	       "\"slabinfo_bytes_delta\":%lld,\"bytes_per_item\":%.0f,"
	       "\"slab_kb_left_after_end\":%lld,\"top_caches\":\"%s\"}\n",
	       r->s1.meminfo_slab_kb - r->s0.meminfo_slab_kb,
	       r->s1.meminfo_sunreclaim_kb - r->s0.meminfo_sunreclaim_kb, slab_b,
	       slab_b >= 0 ? (double)slab_b / m
			   : (r->s1.meminfo_slab_kb - r->s0.meminfo_slab_kb) * 1024.0 / m,
	       r->s2.meminfo_slab_kb - r->s0.meminfo_slab_kb, top);
	fflush(stdout);
	vb_slab_free(&r->s0);
	vb_slab_free(&r->s1);
	vb_slab_free(&r->s2);
}

int main(int argc, char **argv)
{
	long attach_max = 10000, maxn = 0, n;
	struct nl_sock *sk = NULL;
	int opt, devfd, family = -1, ret, i;
	struct result r;
	char *stacks;

	while ((opt = getopt(argc, argv, "a:")) != -1) {
		if (opt != 'a')
			goto usage;
		attach_max = atol(optarg);
	}
	if (optind >= argc)
		goto usage;
	for (i = optind; i < argc; i++) {
		n = atol(argv[i]);
		if (n < 1)
			goto usage;
		if (n > maxn)
			maxn = n;
	}

	/* Subsystem fds, pidfds and our own few: make room. */
	ret = vb_raise_nofile(maxn * 2 + 64);
	if (ret < 0)
		fprintf(stderr, "scale: cannot raise RLIMIT_NOFILE: %s\n", strerror(-ret));
	devfd = open("/dev/vos", O_RDWR | O_CLOEXEC);
	if (devfd < 0)
		printf("@@ {\"section\":\"scale\",\"mode\":\"none\",\"error\":"
		       "\"open /dev/vos: %s (module not loaded?): baseline only\"}\n",
		       strerror(errno));
	else
		ret = vb_genl_open(&sk, &family);
	if (devfd >= 0 && ret < 0) {
		fprintf(stderr, "scale: generic netlink family %s: %s; no dumps\n", VOS_GENL_NAME,
			strerror(-ret));
		sk = NULL;
	}
	stacks = mmap(NULL, (size_t)maxn * STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (stacks == MAP_FAILED) {
		perror("mmap");
		return 1;
	}

	for (i = optind; i < argc; i++) {
		n = atol(argv[i]);
		run_pass(devfd, PASS_BASELINE, n, stacks, NULL, -1, &r);
		print_result(PASS_BASELINE, n, &r);
		if (devfd < 0)
			continue;
		run_pass(devfd, PASS_CREATE, n, stacks, sk, family, &r);
		print_result(PASS_CREATE, n, &r);
		if (n <= attach_max) {
			run_pass(devfd, PASS_ATTACH, n, stacks, sk, family, &r);
			print_result(PASS_ATTACH, n, &r);
		} else {
			printf("@@ {\"section\":\"scale\",\"mode\":\"attach\",\"n\":%ld,"
			       "\"made\":0,\"error\":\"not run: N above the attach limit %ld "
			       "(-a) for this run\"}\n",
			       n, attach_max);
		}
	}
	if (sk)
		nl_socket_free(sk);
	if (devfd >= 0)
		close(devfd);
	return 0;

usage:
	fprintf(stderr, "usage: scale [-a ATTACH_MAX] N [N...]\n");
	return 2;
}
