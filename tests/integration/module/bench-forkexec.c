// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-forkexec [ITERS [ROUNDS]]: the cost of fork + exec(/bin/true) + exit
 * + wait for a task outside any subsystem, the path vos.ko's tracepoint
 * probes sit on. Prints one line per round and the median in microseconds
 * per iteration; compare a run with vos.ko loaded to one without
 * (tests/vm/vm-run --no-module). Not a test: prints no TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 300;
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	char *args[] = { "true", NULL };
	double *per;
	int r, i;

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
	return 0;
}
