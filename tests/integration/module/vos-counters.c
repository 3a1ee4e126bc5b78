// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-counters: tasks_now, tasks_ever and execs are exact under fork storms,
 * threads (also forking), an exec from a non-leader thread of a
 * multithreaded process (de_thread), zombies and a nested PID namespace,
 * at every step.
 *
 * The subsystem's init runs the phases; after each it reports on the
 * "ready" pipe and waits on "cont" while the test reads the counters.
 */
#include "vostest.h"

#include <pthread.h>

#define STORM	     150 /* children, each with one grandchild */
#define THREADS	     32	 /* threads in a child, each forks once */
#define EXEC_THREADS 8	 /* extra threads in the exec'ing process */
#define ZOMBIES	     20
#define NESTED	     3 /* children of a nested PID-ns init */

static int ready_w, cont_r, cat_r, cat_w;

static void sync_point(void)
{
	char c = 'r';

	if (write(ready_w, &c, 1) != 1 || read(cont_r, &c, 1) != 1)
		_exit(80);
}

static void reap_all(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

static void *thread_fork(void *arg)
{
	pid_t p = fork();

	(void)arg;
	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid(p, NULL, 0);
	return NULL;
}

static void *thread_block(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *thread_exec(void *arg)
{
	char *argv[] = { "cat", NULL };

	(void)arg;
	dup2(cat_r, 0);
	execv("/bin/cat", argv);
	_exit(81);
}

static int init_main(void *arg)
{
	pid_t p;
	int i;

	(void)arg;
	sync_point(); /* P0 */

	for (i = 0; i < STORM; i++) { /* P1: fork storm */
		p = fork();
		if (p == 0) {
			if (fork() == 0)
				_exit(0);
			_exit(0); /* its child is reparented to us */
		}
	}
	reap_all();
	sync_point();

	p = fork(); /* P2: threads */
	if (p == 0) {
		pthread_t t[THREADS];

		for (i = 0; i < THREADS; i++)
			pthread_create(&t[i], NULL, thread_fork, NULL);
		for (i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);
		_exit(0);
	}
	reap_all();
	sync_point();

	p = fork(); /* P3: exec from a thread */
	if (p == 0) {
		pthread_t t;

		close(cat_w);
		for (i = 0; i < EXEC_THREADS; i++)
			pthread_create(&t, NULL, thread_block, NULL);
		pthread_create(&t, NULL, thread_exec, NULL);
		for (;;)
			pause();
	}
	close(cat_r);
	sync_point(); /* the test saw the exec; cat still runs */
	close(cat_w); /* cat reads EOF and exits */
	reap_all();
	sync_point();

	for (i = 0; i < ZOMBIES; i++) { /* P4: zombies */
		pid_t z = fork();
		siginfo_t si;

		if (z == 0)
			_exit(0);
		/* wait until it is a zombie, without reaping it */
		while (z > 0 && waitid(P_PID, z, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
			;
	}
	sync_point(); /* zombies exist now */
	reap_all();
	sync_point();

	/* P5: a nested PID namespace is part of the subsystem */
	p = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, NULL, NULL, 0);
	if (p == 0) {
		char *argv[] = { "true", NULL };

		for (i = 0; i < NESTED; i++)
			if (fork() == 0)
				_exit(0);
		reap_all();
		if (fork() == 0) {
			execv("/bin/true", argv);
			_exit(82);
		}
		reap_all();
		_exit(0);
	}
	reap_all();
	sync_point();
	return 0;
}

static int ready_r, cont_w;

static int wait_ready(void)
{
	char c;

	return read(ready_r, &c, 1) == 1;
}

static void cont(void)
{
	if (write(cont_w, "c", 1) != 1)
		bail("cont");
}

static int wait_execs(int fd, uint64_t n, int ms)
{
	double end = now_ms() + ms;
	struct vos_subsys_info i;

	while (now_ms() < end) {
		if (vos_info(fd, &i) == 0 && i.execs >= n)
			return i.execs == n;
		sleep_ms(5);
	}
	return 0;
}

static void check(int fd, uint64_t now, uint64_t ever, uint64_t execs, const char *what)
{
	struct vos_subsys_info i;

	if (!ok(vos_info(fd, &i) == 0, "%s: info", what))
		return;
	is_num(i.tasks_now, now, "%s: tasks_now", what);
	is_num(i.tasks_ever, ever, "%s: tasks_ever", what);
	is_num(i.execs, execs, "%s: execs", what);
}

int main(void)
{
	int ready[2], contp[2], catp[2];
	struct vos_subsys_info i;
	struct ns_init ni;
	uint64_t ever;
	int dev, fd, st;

	dev = vos_open_dev();
	if (pipe(ready) || pipe(contp) || pipe(catp))
		bail("pipe");
	ready_r = ready[0];
	ready_w = ready[1];
	cont_r = contp[0];
	cont_w = contp[1];
	cat_r = catp[0];
	cat_w = catp[1];

	fd = vos_create(dev, "counters", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, init_main, NULL))
		bail("setup");
	close(ready_w);
	close(cont_r);
	close(cat_r);
	close(cat_w);
	if (vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("attach");
	ns_init_go(&ni);

	ok(wait_ready(), "P0 reached");
	check(fd, 1, 1, 0, "after attach");
	cont();

	ok(wait_ready(), "P1 reached");
	ever = 1 + 2 * STORM;
	check(fd, 1, ever, 0, "fork storm reaped");
	cont();

	ok(wait_ready(), "P2 reached");
	ever += 1 + 2 * THREADS;
	check(fd, 1, ever, 0, "threads that fork, joined and reaped");
	cont();

	ok(wait_ready(), "P3 reached");
	ok(wait_execs(fd, 1, 10000), "exec from a non-leader thread counted once");
	/* de_thread() killed the leader and the other threads */
	ever += 1 + EXEC_THREADS + 1;
	check(fd, 2, ever, 1, "after multithreaded exec (init + cat)");
	cont();

	ok(wait_ready(), "P3 done");
	check(fd, 1, ever, 1, "cat exited and was reaped");
	cont();

	ok(wait_ready(), "P4 reached");
	ever += ZOMBIES;
	vos_wait_tasks(fd, 1, 10000); /* zombies have passed do_exit() */
	check(fd, 1, ever, 1, "zombies are not counted as live tasks");
	cont();

	ok(wait_ready(), "P4 reaped");
	check(fd, 1, ever, 1, "reaping does not change the counters");
	cont();

	ok(wait_ready(), "P5 reached");
	ever += 1 + NESTED + 1;
	check(fd, 1, ever, 2, "a nested PID namespace's tasks and exec are counted");
	cont();

	st = ns_init_wait(&ni);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "init exited 0");
	ok(vos_info(fd, &i) == 0, "info");
	is_num(i.state, VOS_STATE_STOPPED, "STOPPED");
	is_num(i.tasks_now, 0, "tasks_now 0 at the end");
	is_num(i.tasks_ever, ever, "tasks_ever %llu at the end", (unsigned long long)ever);
	close(fd);
	ok(vos_wait_gone(dev, "counters", 5000), "gone");
	close(dev);
	return tap_done();
}
