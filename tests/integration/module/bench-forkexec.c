// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-forkexec [ITERS [ROUNDS [inside]]]: the cost of fork +
 * exec(/bin/true) + exit + wait for a task outside any subsystem, the path
 * vos.ko's tracepoint probes sit on. Prints one line per round and the
 * median in microseconds per iteration; compare a run with vos.ko loaded to
 * one without (tests/vm/vm-run --no-module). With "inside", the loop runs as
 * init of an attached subsystem (the members' path: counting and events).
 * Not a test: prints no TAP.
 */
#include "vostest.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int iters = 300, rounds = 7;

static int bench(void *arg)
{
	char *args[] = { "true", NULL };
	double *per;
	int r, i;

	(void)arg;
	if (iters < 1 || rounds < 1 || rounds > 1000)
		return 2;
	per = calloc(rounds, sizeof(*per));
	if (!per)
		return 1;
	for (r = 0; r < rounds; r++) {
		double t0 = now_us();

		for (i = 0; i < iters; i++) {
			pid_t p = fork();

			if (p == 0) {
				execv("/bin/true", args);
				_exit(127);
			}
			if (p < 0 || waitpid(p, NULL, 0) != p)
				return 1;
		}
		per[r] = (now_us() - t0) / iters;
		printf("round %d: %.1f us per fork+exec+exit\n", r, per[r]);
	}
	qsort(per, rounds, sizeof(*per), cmp);
	printf("median: %.1f us per fork+exec+exit (%d x %d)\n", per[rounds / 2], rounds, iters);
	free(per);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct ns_init ni;
	int dev, fd, st;

	if (argc > 1)
		iters = atoi(argv[1]);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (argc <= 3 || strcmp(argv[3], "inside"))
		return bench(NULL);

	dev = vos_open_dev();
	fd = vos_create(dev, "bench-forkexec", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, bench, NULL) ||
	    vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("setup");
	printf("inside subsystem %llu\n", (unsigned long long)vos_id_of(fd));
	fflush(stdout);
	ns_init_go(&ni);
	st = ns_init_wait(&ni);
	close(fd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
