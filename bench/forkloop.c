// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * forkloop - the cost of process churn: the work a supervisor watches.
 *
 *   forkloop [-x PATH] [-t TAG] [-e ENV] [-s FILTER] MODE N
 *
 * MODE fork: N times fork(); the child _exit(0)s at once; the parent
 *            waitpid()s it. Each iteration is also split in two: *fork*,
 *            from the call of fork() to its return in the parent (the
 *            child's creation, where vos.ko's fork probe runs), and *exit*,
 *            from the child's call of _exit() (a timestamp it leaves in a
 *            shared page) to the parent's waitpid() returning (the child's
 *            exit, where the exit probe runs, its reaping and the parent's
 *            wakeup).
 * MODE exec: N times fork(); the child execs PATH (default /bin/true);
 *            the parent waitpid()s it.
 *
 * -s FILTER loads the seccomp program in the file FILTER (raw struct
 * sock_filter, as bench/seccomp-dump writes it) before the loop, under
 * no_new_privs: the loop then pays for the same filter as a process in a
 * subsystem.
 *
 * Prints one "@@ {json}" line: the environment tag given with -e, the mode,
 * N, the mean time per iteration in ns (ns_per_iter) and the median
 * (iter_median_ns), and for MODE fork the mean and median of the fork and
 * exit parts. The caller runs several batches in each environment,
 * interleaved, and takes medians.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Mean of @n samples in *@mean, their median returned (sorts @s). */
static double stats(int64_t *s, int n, double *mean)
{
	double sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += (double)s[i];
	*mean = sum / n;
	qsort(s, n, sizeof(*s), cmp_i64);
	return n % 2 ? (double)s[n / 2] : ((double)s[n / 2 - 1] + (double)s[n / 2]) / 2;
}

/* Load the seccomp program in @path on this process (no_new_privs first). */
static int load_filter(const char *path)
{
	struct sock_filter prog[BPF_MAXINSNS];
	struct sock_fprog fp;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "forkloop: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = read(fd, prog, sizeof(prog));
	close(fd);
	if (n <= 0 || n % (ssize_t)sizeof(prog[0])) {
		fprintf(stderr, "forkloop: %s: not a seccomp program\n", path);
		return -1;
	}
	fp.len = (unsigned short)(n / sizeof(prog[0]));
	fp.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0) {
		fprintf(stderr, "forkloop: load %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = "/bin/true", *env = "", *tag = "supervision", *filter = NULL;
	int opt, exec_mode, n, i, status, bad = 0;
	int64_t *iter, *fork_ns, *exit_ns, t0, t1, t2;
	double iter_mean, fork_mean, exit_mean, iter_med, fork_med, exit_med;
	volatile int64_t *shared;

	while ((opt = getopt(argc, argv, "x:e:t:s:")) != -1) {
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
		case 's':
			filter = optarg;
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
	iter = calloc(n, sizeof(*iter));
	fork_ns = calloc(n, sizeof(*fork_ns));
	exit_ns = calloc(n, sizeof(*exit_ns));
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!iter || !fork_ns || !exit_ns || shared == MAP_FAILED) {
		perror("forkloop");
		return 1;
	}
	if (filter && load_filter(filter) < 0)
		return 1;

	for (i = 0; i < n; i++) {
		pid_t pid;

		t0 = now_ns();
		pid = fork();
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
			*shared = now_ns();
			_exit(0);
		}
		t1 = now_ns();
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("waitpid");
				return 1;
			}
		t2 = now_ns();
		if (status != 0)
			bad++;
		iter[i] = t2 - t0;
		fork_ns[i] = t1 - t0;
		exit_ns[i] = exec_mode ? 0 : t2 - *shared;
	}
	if (bad)
		fprintf(stderr, "forkloop: %d of %d children failed\n", bad, n);
	iter_med = stats(iter, n, &iter_mean);
	printf("@@ {\"section\":\"%s\",\"env\":\"%s\",\"mode\":\"%s\",\"n\":%d,"
	       "\"failed\":%d,\"seccomp\":%s,\"ns_per_iter\":%.0f,\"iter_median_ns\":%.0f",
	       tag, env, exec_mode ? "exec" : "fork", n, bad, filter ? "true" : "false", iter_mean,
	       iter_med);
	if (!exec_mode) {
		fork_med = stats(fork_ns, n, &fork_mean);
		exit_med = stats(exit_ns, n, &exit_mean);
		printf(",\"fork_ns\":%.0f,\"fork_median_ns\":%.0f,\"exit_ns\":%.0f,"
		       "\"exit_median_ns\":%.0f",
		       fork_mean, fork_med, exit_mean, exit_med);
	}
	printf("}\n");
	return bad ? 1 : 0;

usage:
	fprintf(stderr, "usage: forkloop [-x PATH] [-e ENV] [-t TAG] [-s FILTER] fork|exec N\n");
	return 2;
}
