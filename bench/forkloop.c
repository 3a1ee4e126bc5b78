// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * forkloop - the cost of process churn: the work a supervisor watches.
 *
 *   forkloop [-x PATH] [-t TAG] [-e ENV] MODE N
 *
 * MODE fork: N times fork(); the child _exit(0)s at once; the parent
 *            waitpid()s it.
 * MODE exec: N times fork(); the child execs PATH (default /bin/true);
 *            the parent waitpid()s it.
 *
 * Prints one "@@ {json}" line: the environment tag given with -e, the mode,
 * N, and the mean time per iteration in ns. The caller runs several batches
 * in each environment, interleaved, and takes medians.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *path = "/bin/true", *env = "", *tag = "supervision";
	int opt, exec_mode, n, i, status, bad = 0;
	int64_t t0, t1;

	while ((opt = getopt(argc, argv, "x:e:t:")) != -1) {
		switch (opt) {
		case 'x':
			path = optarg;
			break;
		case 'e':
			env = optarg;
			break;
		case 't':
			tag = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	if (!strcmp(argv[optind], "exec"))
		exec_mode = 1;
	else if (!strcmp(argv[optind], "fork"))
		exec_mode = 0;
	else
		goto usage;
	n = atoi(argv[optind + 1]);
	if (n < 1)
		goto usage;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			if (exec_mode) {
				char *cargv[] = { (char *)path, NULL };

				execv(path, cargv);
				_exit(127);
			}
			_exit(0);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("waitpid");
				return 1;
			}
		if (status != 0)
			bad++;
	}
	t1 = now_ns();
	if (bad)
		fprintf(stderr, "forkloop: %d of %d children failed\n", bad, n);
	printf("@@ {\"section\":\"%s\",\"env\":\"%s\",\"mode\":\"%s\",\"n\":%d,"
	       "\"failed\":%d,\"ns_per_iter\":%.0f}\n",
	       tag, env, exec_mode ? "exec" : "fork", n, bad, (double)(t1 - t0) / n);
	return bad ? 1 : 0;

usage:
	fprintf(stderr, "usage: forkloop [-x PATH] [-e ENV] [-t TAG] fork|exec N\n");
	return 2;
}
