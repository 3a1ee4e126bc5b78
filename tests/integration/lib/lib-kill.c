// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib-kill - SIGKILL of vosctl at random moments leaves nothing behind
 * (issue 11, E).
 *
 * Each iteration forks "vosctl run --isolate --name N -- true" (four in
 * eight), "vosctl create N" (two in eight; persistent, then "vosctl rm
 * --force N") or "vosctl exec X -- true" into a persistent subsystem X
 * made for the test (one in eight), and sends it SIGKILL after a random
 * delay between 0 and a little more than a whole command takes (measured
 * first); or (one in eight, "run at clone") it traces "vosctl run" and
 * kills it the moment it clones the subsystem's init, before the new
 * child first runs or within 2 ms after: the window in which the child
 * has not set PR_SET_PDEATHSIG yet, which random delays hardly ever hit.
 * Then it checks:
 *
 *   - no process is left: every descendant, orphaned inits included (we
 *     are their subreaper), exits and is reaped, and no process of another
 *     PID namespace is left on the machine;
 *   - no subsystem: the name is free (not registered with vos.ko); after
 *     an exec, X holds its init only;
 *   - no cgroup leaf: a run killed before its end may leave its empty
 *     leaf, but the next cgroup creation in the same parent collects it:
 *     if this iteration's leaf exists, no earlier one may; a run that ended
 *     by itself or a create removed by rm leaves none; after a last clean
 *     run, none at all.
 *
 * Waits are for events (SIGCHLD through a signalfd, vos.ko's netlink
 * events); their timeout (20 s) only fires on a real hang.
 *
 * The delays come from a seeded PRNG; the seed is printed (VOS_KILL_SEED
 * repeats a run), VOS_KILL_ITER sets the number of iterations. Without it,
 * the first PROBE_ITER iterations are timed and the run is sized to about
 * BUDGET_S seconds (MIN_ITER..MAX_ITER iterations); the TAP plan comes
 * last. The first tests are controls: each leak the checks look for is
 * made on purpose and must be seen.
 *
 * Runs as root in a guest with vos.ko loaded (tests/vm/vm-run).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <virtos.h>

#include "libtest.h"

/*
 * Without VOS_KILL_ITER: as many iterations as fit BUDGET_S, at most
 * MAX_ITER (the stock kernels under TCG: about 0.1 s each) and at least
 * MIN_ITER (the debug kernel: about 1.4 s each, 28 in the budget). The
 * first four are one of each kind, so that a short run has every kind.
 */
#define MAX_ITER   300
#define MIN_ITER   16
#define PROBE_ITER 10 /* iterations timed to size the rest */
#define BUDGET_S   40

enum mode {
	M_RUN,
	M_CREATE,
	M_EXEC,
	M_CLONE
};

static char vosctl[4096];
static char cgdir[4096]; /* our cgroup: where vosctl makes its leaves */
static char own_pidns[64];
static char x_pidns[64]; /* the exec target's PID namespace: allowed */
static struct vos_ctx *ctx;
static struct vos_monitor *mon;
static int sigchld_fd = -1;
static uint64_t rng;
/* a wait this long is a hang, not slowness (VOS_KILL_HANG_MS: shorter for
 * a control run against a tree that leaks)
 */
static uint64_t hang_ms = 20000;

static uint64_t next_rand(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* In a child that becomes vosctl: no blocked signal, stdio on /dev/null */
static void child_quiet(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
}

static pid_t start(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		child_quiet();
		execv(vosctl, argv);
		_exit(127);
	}
	return pid;
}

/* Wait for @pid (a child) to end, by SIGCHLD; reap other children met on
 * the way. Returns its wait status, or -1 on a hang.
 */
static int wait_child(pid_t pid, uint64_t deadline)
{
	for (;;) {
		struct signalfd_siginfo si;
		struct pollfd pf = { .fd = sigchld_fd, .events = POLLIN };
		int st;
		pid_t w;

		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == pid)
				return st;
		if (w < 0 && pid > 0)
			return -1; /* not our child: a test bug */
		if (w < 0)
			return 0; /* pid -1: no child left */
		if (now_us() >= deadline)
			return -1;
		if (poll(&pf, 1, (int)((deadline - now_us()) / 1000) + 1) > 0)
			while (read(sigchld_fd, &si, sizeof(si)) == sizeof(si))
				;
	}
}

/* Reap every descendant (we are their subreaper): 0, or -1 on a hang. */
static int reap_all(uint64_t deadline)
{
	return wait_child(-1, deadline) < 0 ? -1 : 0;
}

static void list_children(char *out, size_t len)
{
	char path[64], buf[4096];
	size_t off = 0;
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", getpid(), getpid());
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		char *tok, *save = NULL;

		for (tok = strtok_r(buf, " \n", &save); tok && off + 64 < len;
		     tok = strtok_r(NULL, " \n", &save)) {
			char comm[32] = "?";
			FILE *c;

			snprintf(path, sizeof(path), "/proc/%s/comm", tok);
			c = fopen(path, "re");
			if (c) {
				if (fgets(comm, sizeof(comm), c))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(c);
			}
			off += snprintf(out + off, len - off, "%s(%s) ", tok, comm);
		}
	}
	fclose(f);
}

/* Processes (not zombies) of another PID namespace than ours, as text. */
static int foreign_procs(char *out, size_t len)
{
	struct dirent *de;
	size_t off = 0;
	int n = 0;
	DIR *d;

	out[0] = '\0';
	d = opendir("/proc");
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], ns[64], comm[32] = "?";
		ssize_t k;
		FILE *c;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", de->d_name);
		k = readlink(path, ns, sizeof(ns) - 1);
		if (k <= 0)
			continue; /* a zombie, or gone */
		ns[k] = '\0';
		if (strcmp(ns, own_pidns) == 0 || strcmp(ns, x_pidns) == 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		c = fopen(path, "re");
		if (c) {
			if (fgets(comm, sizeof(comm), c))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(c);
		}
		n++;
		if (off + 64 < len)
			off += snprintf(out + off, len - off, "%s(%s) ", de->d_name, comm);
	}
	closedir(d);
	return n;
}

/* Is @name registered? Waits (by vos.ko's events) until it is not, up to
 * @deadline. Returns 0 when the name is free, 1 if still taken.
 */
static int wait_name_free(const char *name, uint64_t deadline)
{
	struct vos_info info;
	struct vos_event ev;

	for (;;) {
		int r = vos_subsys_get(ctx, name, &info);

		if (r == -ENOENT)
			return 0;
		if (now_us() >= deadline)
			return 1;
		/* any event (the destroy is one), or the deadline */
		vos_monitor_read(mon, &ev, (int)((deadline - now_us()) / 1000) + 1);
	}
}

/* Wait (by events) until subsystem @name holds only its init. */
static int wait_init_only(const char *name, uint64_t deadline, uint64_t *tasks)
{
	struct vos_info info;
	struct vos_event ev;

	for (;;) {
		int r = vos_subsys_get(ctx, name, &info);

		*tasks = r ? 0 : info.tasks_now;
		if (!r && info.tasks_now == 1 && info.state == VOS_STATE_RUNNING)
			return 0;
		if (now_us() >= deadline)
			return 1;
		vos_monitor_read(mon, &ev, (int)((deadline - now_us()) / 1000) + 1);
	}
}

/* Leaves "vos-<prefix>*" in our cgroup, as a space-separated list. */
static int leaves(const char *prefix, char *out, size_t len)
{
	struct dirent *de;
	size_t off = 0, pl;
	char want[128];
	int n = 0;
	DIR *d;

	out[0] = '\0';
	snprintf(want, sizeof(want), "vos-%s", prefix);
	pl = strlen(want);
	d = opendir(cgdir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, want, pl) != 0)
			continue;
		n++;
		if (off + strlen(de->d_name) + 2 < len)
			off += snprintf(out + off, len - off, "%s ", de->d_name);
	}
	closedir(d);
	return n;
}

static int find_cgdir(void)
{
	char line[4096], root[4096] = "";
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");

		if (sep && sscanf(line, "%*s %*s %*s %*s %4095s", root) == 1)
			break;
		root[0] = '\0';
	}
	fclose(f);
	if (!root[0])
		return -1;
	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(cgdir, sizeof(cgdir), "%s%s", root, strcmp(line + 3, "/") ? line + 3 : "");
		fclose(f);
		return 0;
	}
	fclose(f);
	return -1;
}

/*
 * Start vosctl with @argv under ptrace and SIGKILL it when it forks (the
 * clone of the subsystem's init): at once, with the new child still
 * stopped before its first instruction, or @after_us after letting both
 * go. Returns vosctl's wait status (it is reaped here), -1 on error;
 * *@hit says whether the fork was seen.
 */
static int kill_at_clone(char *const argv[], uint64_t after_us, bool *hit)
{
	const long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	pid_t pid = fork();
	int st;

	*hit = false;
	if (pid < 0)
		return -1;
	if (pid == 0) {
		child_quiet();
		raise(SIGSTOP); /* until traced */
		execv(vosctl, argv);
		_exit(127);
	}
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) ||
	    ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	kill(pid, SIGCONT);
	for (;;) {
		unsigned long child = 0;
		int ev, sig = 0;

		if (waitpid(pid, &st, __WALL) != pid)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return st;
		ev = st >> 16;
		if (!*hit && (ev == PTRACE_EVENT_FORK || ev == PTRACE_EVENT_VFORK ||
			      ev == PTRACE_EVENT_CLONE)) {
			struct timespec ts = { (time_t)(after_us / 1000000),
					       (long)(after_us % 1000000) * 1000 };
			int cst;

			*hit = true;
			ptrace(PTRACE_GETEVENTMSG, pid, 0, &child);
			if (!after_us)
				kill(pid, SIGKILL);
			/* the new child starts stopped and traced: let it go */
			if (waitpid((pid_t)child, &cst, __WALL) == (pid_t)child && WIFSTOPPED(cst))
				ptrace(PTRACE_DETACH, (pid_t)child, 0, 0);
			if (after_us) {
				ptrace(PTRACE_DETACH, pid, 0, 0);
				clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
				kill(pid, SIGKILL);
			}
			continue;
		}
		if (!ev && WIFSTOPPED(st))
			sig = WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
}

/* A whole command, not killed: its status, or -1. */
static int run_to_end(char *const argv[])
{
	pid_t pid = start(argv);

	if (pid < 0)
		return -1;
	return wait_child(pid, now_us() + hang_ms * 1000ULL);
}

/* ------------------------------------------------------------------------ */

static void controls(const char *prefix)
{
	char buf[2048], name[96], leaf[8192];
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	int pipefd[2], ready[2], n;
	pid_t pid;
	char c;

	/* a process in another PID namespace is seen */
	if (pipe2(pipefd, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0) {
		tap_ok(0, "control: pipe: %s", strerror(errno));
		return;
	}
	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		close(pipefd[1]);
		close(ready[0]);
		prctl(PR_SET_NAME, "lk-control", 0, 0, 0);
		/* named now: the scan below may look */
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		if (read(pipefd[0], &c, 1) < 0) {
			/* EOF: the test ended us */
		}
		_exit(0);
	}
	close(pipefd[0]);
	close(ready[1]);
	/* wait until the child has its name (EOF if it died first) */
	while (pid > 0 && read(ready[0], &c, 1) < 0 && errno == EINTR)
		;
	close(ready[0]);
	n = foreign_procs(buf, sizeof(buf));
	tap_ok(pid > 0 && n >= 1 && strstr(buf, "lk-control"),
	       "control: a process left in another PID namespace is seen (%s)", buf);
	close(pipefd[1]);
	if (pid > 0)
		wait_child(pid, now_us() + hang_ms * 1000ULL);

	/* a registered subsystem is seen, and freed by the end */
	snprintf(name, sizeof(name), "%sctl", prefix);
	if (vos_config_new(ctx, &cfg) == 0 && vos_config_set_name(cfg, name) == 0 &&
	    vos_config_set_persistent(cfg, true) == 0 && vos_subsys_create(ctx, cfg, &s) == 0) {
		int taken = wait_name_free(name, now_us());

		vos_subsys_end(s);
		vos_subsys_free(s);
		tap_ok(taken == 1 && wait_name_free(name, now_us() + hang_ms * 1000ULL) == 0,
		       "control: a subsystem left is seen; ended, its name is free");
	} else {
		tap_ok(0, "control: create subsystem %s: %s", name, vos_ctx_errmsg(ctx));
	}
	vos_config_free(cfg);

	/* a leaf left is seen */
	snprintf(leaf, sizeof(leaf), "%s/vos-%sleaf", cgdir, prefix);
	if (mkdir(leaf, 0755) < 0) {
		tap_ok(0, "control: mkdir %s: %s", leaf, strerror(errno));
		return;
	}
	n = leaves(prefix, buf, sizeof(buf));
	tap_ok(n == 1, "control: a cgroup leaf left is seen (%s)", buf);
	rmdir(leaf);
}

static double median_ms(uint64_t *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2] / 1000.0;
}

int main(int argc, char **argv)
{
	char self[4000], build[4000], prefix[32], name[96], buf[1024], kids[1024];
	uint64_t seed, t_run[3], t_create[3], t_exec[3], span[3], t0;
	char xname[32];
	struct vos_info xi;
	const char *e;
	int iter, i, fails_before;
	bool sized;
	sigset_t chld;
	ssize_t n;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	tap_build_dir(self, build, sizeof(build));
	if ((size_t)snprintf(vosctl, sizeof(vosctl), "%s/vosctl", build) >= sizeof(vosctl))
		return 1;
	e = getenv("VOS_KILL_SEED");
	seed = e ? strtoull(e, NULL, 0) : ((uint64_t)time(NULL) << 16) ^ (uint64_t)getpid();
	if (!seed)
		seed = 1;
	rng = seed;
	e = getenv("VOS_KILL_HANG_MS");
	if (e && atoi(e) > 0)
		hang_ms = (uint64_t)atoi(e);
	e = getenv("VOS_KILL_ITER");
	sized = e != NULL;
	iter = e ? atoi(e) : MAX_ITER;
	if (iter < 1)
		iter = 1;
	snprintf(prefix, sizeof(prefix), "lk%05u-", (unsigned int)(seed % 100000));
	/* outside the prefix: its leaf is not one of the checked ones */
	snprintf(xname, sizeof(xname), "lx%05u", (unsigned int)(seed % 100000));

	tap_diag("seed %llu (VOS_KILL_SEED=%llu repeats it)", (unsigned long long)seed,
		 (unsigned long long)seed);

	/* orphans of what we start become our children: we reap them */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigchld_fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	n = readlink("/proc/self/ns/pid", own_pidns, sizeof(own_pidns) - 1);
	if (n > 0)
		own_pidns[n] = '\0';
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || sigchld_fd < 0 || n <= 0 ||
	    find_cgdir() < 0 || access(vosctl, X_OK) < 0 || vos_ctx_new(&ctx) < 0 ||
	    vos_ctx_connect(ctx) < 0 || vos_monitor_new(ctx, &mon) < 0) {
		tap_ok(0, "setup: subreaper, signalfd, cgroup, %s, /dev/vos, monitor: %s", vosctl,
		       ctx ? vos_ctx_errmsg(ctx) : strerror(errno));
		tap_plan(tap_n);
		return 1;
	}
	tap_ok(1, "setup: vosctl %s, leaves in %s", vosctl, cgdir);
	controls(prefix);

	/* how long a whole command takes: the kills fall within that */
	for (i = 0; i < 3; i++) {
		char *run[] = { "vosctl", "run", "--isolate", "--no-tty", "--", "true", NULL };
		char *create[] = { "vosctl", "create", name, NULL };
		char *rm[] = { "vosctl", "rm", "--force", name, NULL };
		char *ex[] = { "vosctl", "exec", name, "--", "true", NULL };
		int st1, st2, st3, st4;

		snprintf(name, sizeof(name), "%scal%d", prefix, i);
		t0 = now_us();
		st1 = run_to_end(run);
		t_run[i] = now_us() - t0;
		t0 = now_us();
		st2 = run_to_end(create);
		t_create[i] = now_us() - t0;
		t0 = now_us();
		st4 = run_to_end(ex);
		t_exec[i] = now_us() - t0;
		st3 = run_to_end(rm);
		if (st1 || st2 || st3 || st4) {
			tap_ok(0, "calibration: run %#x, create %#x, exec %#x, rm %#x (want 0)",
			       st1, st2, st4, st3);
			tap_plan(tap_n);
			return 1;
		}
	}
	span[M_RUN] = (uint64_t)(median_ms(t_run, 3) * 1100);
	span[M_CREATE] = (uint64_t)(median_ms(t_create, 3) * 1100);
	span[M_EXEC] = (uint64_t)(median_ms(t_exec, 3) * 1100);
	{
		char *create[] = { "vosctl", "create", xname, NULL };
		int st, r;

		/* its init outlives vosctl: not as our child, or reaping every
		 * descendant would wait for it
		 */
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
		st = run_to_end(create);
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		r = st ? -1 : vos_subsys_get(ctx, xname, &xi);

		if (!r)
			snprintf(x_pidns, sizeof(x_pidns), "pid:[%llu]",
				 (unsigned long long)xi.pidns_inum);
		tap_ok(!r,
		       "calibration: run takes %.1f ms, create %.1f ms, exec %.1f ms (kills within 110%%); exec target %s created (status %#x)",
		       median_ms(t_run, 3), median_ms(t_create, 3), median_ms(t_exec, 3), xname,
		       st);
		if (r) {
			tap_plan(tap_n);
			return 1;
		}
	}

	t0 = now_us();
	fails_before = tap_failed;
	for (i = 0; i < iter; i++) {
		if (!sized && i == PROBE_ITER) {
			uint64_t per = (now_us() - t0) / PROBE_ITER + 1;

			iter = (int)(BUDGET_S * 1000000ULL / per);
			iter = iter < MIN_ITER ? MIN_ITER : iter > MAX_ITER ? MAX_ITER : iter;
			sized = true;
			tap_diag("%.1f ms per iteration: %d iterations (VOS_KILL_ITER sets it)",
				 per / 1000.0, iter);
		}
		/* run, create, exec, run at clone first; then at random */
		static const uint64_t first[] = { 4, 0, 2, 3 };
		uint64_t pick = i < 4 ? first[i] : next_rand() % 8, xtasks = 0;
		enum mode m = pick < 2	  ? M_CREATE
			      : pick == 2 ? M_EXEC
			      : pick == 3 ? M_CLONE
					  : M_RUN;
		/* at clone: at once (half the time) or within 2 ms */
		uint64_t delay = m == M_CLONE ? (next_rand() % 2 ? next_rand() % 2000 : 0)
					      : next_rand() % (span[m] + 1),
			 deadline;
		bool hit = true;
		char *run[] = { "vosctl", "run", "--isolate", "--no-tty", "--name",
				name,	  "--",	 "true",      NULL };
		char *create[] = { "vosctl", "create", name, NULL };
		char *rm[] = { "vosctl", "rm", "--force", name, NULL };
		char *ex[] = { "vosctl", "exec", xname, "--", "true", NULL };
		char leaf[128], why[4096] = "";
		struct timespec ts;
		bool own_leaf, ended;
		int st, nl, nf, rst = 0;
		pid_t pid;

		snprintf(name, sizeof(name), "%s%d", prefix, i);
		snprintf(leaf, sizeof(leaf), "vos-%s ", name);
		if (m == M_CLONE) {
			st = kill_at_clone(run, delay, &hit);
			deadline = now_us() + hang_ms * 1000ULL;
		} else {
			pid = start(m == M_RUN ? run : m == M_CREATE ? create : ex);
			ts.tv_sec = (time_t)(delay / 1000000);
			ts.tv_nsec = (long)(delay % 1000000) * 1000;
			/* the random moment of the kill (not a wait for anything) */
			clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
			kill(pid, SIGKILL);
			deadline = now_us() + hang_ms * 1000ULL;
			st = wait_child(pid, deadline);
		}
		if (m == M_CLONE && (!hit || st < 0))
			snprintf(why, sizeof(why), "the clone was not seen (status %#x); ", st);
		ended = st >= 0 && !WIFSIGNALED(st); /* it finished before the kill */
		if (m == M_CREATE && wait_name_free(name, now_us()) == 1) {
			/* a persistent subsystem: rm --force must remove it */
			rst = run_to_end(rm);
			if (rst)
				snprintf(why, sizeof(why), "rm --force: status %#x; ", rst);
		}
		if (reap_all(deadline) < 0) {
			list_children(kids, sizeof(kids));
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "processes left (not exiting): %s; ", kids);
		}
		nf = foreign_procs(buf, sizeof(buf));
		if (nf)
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "%d processes of other PID namespaces: %s; ", nf, buf);
		if (wait_name_free(name, deadline))
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "subsystem %s still registered; ", name);
		if (m == M_EXEC && wait_init_only(xname, deadline, &xtasks))
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "exec target %s holds %llu tasks, want its init only; ", xname,
				 (unsigned long long)xtasks);
		nl = leaves(prefix, buf, sizeof(buf));
		own_leaf = strstr(buf, leaf) != NULL;
		/* a killed run's leaf may stay until the next cgroup creation
		 * collects it: with our own leaf made, no earlier one is left;
		 * a run that ended and a removed create leave theirs to nobody
		 */
		if ((own_leaf && nl != 1) || (own_leaf && (ended || m == M_CREATE)) ||
		    (ended && (m == M_RUN || m == M_CLONE) && nl))
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "cgroup leaves left: %s; ", buf);
		tap_ok(!why[0], "%s %s killed after %llu us (%s)%s%s",
		       m == M_RUN      ? "run"
		       : m == M_CREATE ? "create"
		       : m == M_CLONE  ? "run at clone:"
				       : "exec into",
		       m == M_EXEC ? xname : name, (unsigned long long)delay,
		       ended ? "it had ended" : (st < 0 ? "vosctl hung" : "killed"),
		       why[0] ? ": " : "", why);
	}
	tap_diag("%d iterations in %.1f s", iter, (now_us() - t0) / 1e6);

	{
		char *rm[] = { "vosctl", "rm", "--force", xname, NULL };
		int st = run_to_end(rm);

		x_pidns[0] = '\0';
		tap_ok(st == 0 && reap_all(now_us() + hang_ms * 1000ULL) == 0 &&
			       wait_name_free(xname, now_us() + hang_ms * 1000ULL) == 0 &&
			       foreign_procs(buf, sizeof(buf)) == 0,
		       "rm --force of the exec target %s: status %#x, no process left", xname, st);
	}
	{
		char *run[] = { "vosctl", "run", "--isolate", "--no-tty", "--", "true", NULL };
		int st = run_to_end(run), nl = leaves(prefix, buf, sizeof(buf));

		tap_ok(st == 0 && nl == 0,
		       "a clean run afterwards collects every leaf left (status %#x, left: %s)", st,
		       buf);
	}
	{
		struct vos_stats vs = { 0 };
		int r = vos_ctx_stats(ctx, &vs);

		tap_ok(r == 0 && vs.subsys_now == 0, "vos.ko counts no subsystem (subsys_now %llu)",
		       (unsigned long long)vs.subsys_now);
	}
	if (tap_failed > fails_before)
		tap_diag("reproduce: VOS_KILL_SEED=%llu VOS_KILL_ITER=%d", (unsigned long long)seed,
			 iter);
	vos_monitor_free(mon);
	vos_ctx_free(ctx);
	tap_plan(tap_n); /* last: the count depends on the timing */
	return tap_failed ? 1 : 0;
}
