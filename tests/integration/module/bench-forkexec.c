// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-forkexec [ITERS [ROUNDS [WORD...]]]: the cost of fork + exec + exit
 * + wait, the path vos.ko's tracepoint probes sit on. Prints one line per
 * round and the median in microseconds per iteration; compare a run with
 * vos.ko loaded to one without (tests/vm/vm-run --no-module).
 *
 * The exec'd program is the static /bin/busybox ("true"), copied into a
 * memfd and run with fexecve(), so that no file system lookup (9p in the
 * guest) dominates the loop; /bin/true if busybox is missing. Words:
 *   forkonly   fork + exit + wait, no exec
 *   inside     run the loop as init of an attached subsystem (the members'
 *              path: counting, events)
 * Not a test: prints no TAP.
 */
#include "vostest.h"

#include <sys/mman.h>

static int iters = 300, rounds = 7, forkonly, exec_fd = -1;

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

/* A memfd holding a copy of the static busybox, or -1. */
static int busybox_memfd(void)
{
	char buf[65536];
	int in = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
	int fd = memfd_create("bench-true", 0);
	ssize_t n;

	if (in < 0 || fd < 0)
		goto fail;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			goto fail;
	if (n < 0)
		goto fail;
	close(in);
	return fd;
fail:
	if (in >= 0)
		close(in);
	if (fd >= 0)
		close(fd);
	return -1;
}

static int bench(void *arg)
{
	char *args[] = { "true", NULL };
	char *env[] = { NULL };
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
				if (forkonly)
					_exit(0);
				if (exec_fd >= 0)
					fexecve(exec_fd, args, env);
				else
					execv("/bin/true", args);
				_exit(127);
			}
			if (p < 0 || waitpid(p, NULL, 0) != p)
				return 1;
		}
		per[r] = (now_us() - t0) / iters;
		printf("round %d: %.1f us per iteration\n", r, per[r]);
	}
	qsort(per, rounds, sizeof(*per), cmp);
	printf("median: %.1f us per fork+%sexit (%d x %d)\n", per[rounds / 2],
	       forkonly	      ? ""
	       : exec_fd >= 0 ? "exec(memfd busybox)+"
			      : "exec(/bin/true)+",
	       rounds, iters);
	free(per);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct ns_init ni;
	int dev, fd, st, i, inside = 0;

	if (argc > 1)
		iters = atoi(argv[1]);
	if (argc > 2)
		rounds = atoi(argv[2]);
	for (i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "inside"))
			inside = 1;
		else if (!strcmp(argv[i], "forkonly"))
			forkonly = 1;
		else
			return 2;
	}
	if (!forkonly)
		exec_fd = busybox_memfd();
	if (!inside)
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
