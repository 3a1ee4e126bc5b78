// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-race: create/open/end/close storms from several threads, closing the
 * last fd while members fork, SIGKILL of the creator at random points, with
 * delete_module() attempts all along (they must all fail: the module is in
 * use). At the end nothing may be left: no subsystem, no counted task.
 */
#include "vostest.h"

#include <pthread.h>
#include <stdatomic.h>

#define STORM_THREADS 4
#define STORM_ITERS   300
#define CLOSE_ROUNDS  30
#define KILL_ROUNDS   40

static int dev;
static atomic_int stop_rmmod;
static atomic_int rmmod_tries, rmmod_bad;
static atomic_int storm_errors;

static void *rmmod_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_rmmod)) {
		errno = 0;
		if (syscall(SYS_delete_module, "vos", O_NONBLOCK) != -1 || errno != EWOULDBLOCK)
			atomic_fetch_add(&rmmod_bad, 1);
		atomic_fetch_add(&rmmod_tries, 1);
		sleep_ms(1);
	}
	return NULL;
}

static void *storm_thread(void *arg)
{
	int t = (int)(intptr_t)arg, i, fd, fd2;
	unsigned int seed = t * 7919;
	char name[32], other[32];

	for (i = 0; i < STORM_ITERS; i++) {
		snprintf(name, sizeof(name), "storm-%d-%d", t, i % 8);
		fd = vos_create(dev, name, (rand_r(&seed) & 1) ? VOS_SUBSYS_PERSISTENT : 0);
		if (fd < 0 && errno != EEXIST) {
			atomic_fetch_add(&storm_errors, 1);
			continue;
		}
		/* poke at another thread's subsystems while they come and go */
		snprintf(other, sizeof(other), "storm-%d-%d", (t + 1) % STORM_THREADS,
			 rand_r(&seed) % 8);
		fd2 = vos_open_name(dev, other);
		if (fd2 >= 0) {
			struct vos_subsys_info info;

			vos_info(fd2, &info);
			if (rand_r(&seed) % 3 == 0)
				ioctl(fd2, VOS_SUBSYS_END, 0);
			close(fd2);
		} else if (errno != ENOENT) {
			atomic_fetch_add(&storm_errors, 1);
		}
		if (fd >= 0) {
			ioctl(fd, VOS_SUBSYS_END, 0);
			close(fd);
		}
	}
	return NULL;
}

static int fn_forker(void *arg)
{
	(void)arg;
	for (;;) {
		pid_t p = fork();

		if (p == 0) {
			if (fork() == 0)
				_exit(0);
			_exit(0);
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	return 0;
}

struct stats {
	uint64_t now, tasks;
};

static int stats_cb(struct nlattr **tb, void *arg)
{
	struct stats *s = arg;

	s->now = attr_u64(tb, VOS_A_STATS_SUBSYS_NOW);
	s->tasks = attr_u64(tb, VOS_A_STATS_TASKS_NOW);
	return NL_OK;
}

static int get_stats(struct vnl *v, struct stats *s)
{
	return vnl_request(v, vnl_msg(v, VOS_CMD_GET_STATS, 0), stats_cb, s);
}

/* wait for the module-wide counters to come back to 0/0 */
static int wait_empty(struct vnl *v, int ms)
{
	double end = now_ms() + ms;
	struct stats s = { 1, 1 };

	while (now_ms() < end) {
		if (get_stats(v, &s) == 0 && s.now == 0 && s.tasks == 0)
			return 1;
		sleep_ms(10);
	}
	diag("stats: %llu subsystems, %llu tasks", (unsigned long long)s.now,
	     (unsigned long long)s.tasks);
	return 0;
}

static void test_close_while_forking(void)
{
	int i, bad = 0, st;

	for (i = 0; i < CLOSE_ROUNDS; i++) {
		struct ns_init ni;
		int fd = vos_create(dev, "race-close", 0);

		if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_forker, NULL) ||
		    vos_attach(fd, ni.pidfd, ni.pid, -1))
			bail("setup");
		ns_init_go(&ni);
		sleep_ms(5 + rand() % 50);
		close(fd);
		st = ns_init_wait(&ni);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			bad++;
		if (!vos_wait_gone(dev, "race-close", 10000))
			bad += 100;
	}
	is_num(bad, 0, "%d rounds: close the last fd while init forks: killed and destroyed",
	       CLOSE_ROUNDS);
}

static void creator(int round)
{
	struct ns_init ni;
	char name[32];
	int d, fd;

	snprintf(name, sizeof(name), "race-kill-%d", round);
	d = open("/dev/vos", O_RDWR);
	fd = vos_create(d, name, 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_forker, NULL))
		_exit(1);
	vos_attach(fd, ni.pidfd, ni.pid, -1);
	ns_init_go(&ni);
	for (;;)
		pause();
}

static void test_kill_creator(void)
{
	int i, bad = 0;
	char name[32];

	for (i = 0; i < KILL_ROUNDS; i++) {
		pid_t c = fork();

		if (c == 0)
			creator(i);
		/* from "before open" to "well after attach" */
		sleep_ms(rand() % 40);
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		snprintf(name, sizeof(name), "race-kill-%d", i);
		if (!vos_wait_gone(dev, name, 10000))
			bad++;
	}
	is_num(bad, 0, "%d rounds: SIGKILL the creator at a random point: subsystem gone",
	       KILL_ROUNDS);
	/* the orphaned inits were reparented to the guest's init and reaped */
}

int main(void)
{
	pthread_t rm, th[STORM_THREADS];
	struct vnl v;
	int i;

	dev = vos_open_dev();
	if (vnl_open(&v))
		bail("genl");
	ok(wait_empty(&v, 5000), "start: no subsystem, no task");
	srand(getpid());
	pthread_create(&rm, NULL, rmmod_thread, NULL);

	for (i = 0; i < STORM_THREADS; i++)
		pthread_create(&th[i], NULL, storm_thread, (void *)(intptr_t)i);
	for (i = 0; i < STORM_THREADS; i++)
		pthread_join(th[i], NULL);
	is_num(atomic_load(&storm_errors), 0,
	       "%d threads x %d create/open/end/close: no unexpected error", STORM_THREADS,
	       STORM_ITERS);
	ok(wait_empty(&v, 10000), "after the storm: nothing left");

	test_close_while_forking();
	ok(wait_empty(&v, 10000), "after close-while-forking: nothing left");
	test_kill_creator();
	ok(wait_empty(&v, 20000), "after killing creators: nothing left, no task counted");

	atomic_store(&stop_rmmod, 1);
	pthread_join(rm, NULL);
	ok(atomic_load(&rmmod_tries) > 10, "%d delete_module attempts ran",
	   atomic_load(&rmmod_tries));
	is_num(atomic_load(&rmmod_bad), 0, "every delete_module attempt failed with EWOULDBLOCK");
	vnl_close(&v);
	close(dev);
	return tap_done();
}
