// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * seccomp-dump - write the seccomp filter a process runs under to a file.
 *
 *   seccomp-dump PID FILE
 *
 * Attaches to PID with ptrace, reads its newest filter with
 * PTRACE_SECCOMP_GET_FILTER (needs CAP_SYS_ADMIN and a kernel with
 * CONFIG_CHECKPOINT_RESTORE) and writes it to FILE as raw struct
 * sock_filter, then detaches. The supervision section of the bench runs
 * its comparison loop under the very filter a subsystem's app gets
 * (forkloop -s FILE), read from a running app rather than rebuilt.
 * Prints the number of instructions and of filters stacked on the process.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

int main(int argc, char **argv)
{
	struct sock_filter *prog;
	long len, nfilters = 0;
	pid_t pid;
	int fd, st, r = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: seccomp-dump PID FILE\n");
		return 2;
	}
	pid = (pid_t)atoi(argv[1]);
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
		fprintf(stderr, "seccomp-dump: attach %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	if (waitpid(pid, &st, 0) < 0) {
		fprintf(stderr, "seccomp-dump: wait %d: %s\n", (int)pid, strerror(errno));
		return 1;
	}
	len = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)0, NULL);
	while (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)nfilters, NULL) > 0)
		nfilters++;
	if (len <= 0) {
		fprintf(stderr, "seccomp-dump: %d has no seccomp filter (%s)\n", (int)pid,
			len < 0 ? strerror(errno) : "none");
		goto out;
	}
	prog = calloc(len, sizeof(*prog));
	if (!prog || ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)0, prog) != len) {
		fprintf(stderr, "seccomp-dump: read the filter of %d: %s\n", (int)pid,
			strerror(errno));
		goto out;
	}
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, prog, len * sizeof(*prog)) != (ssize_t)(len * sizeof(*prog))) {
		fprintf(stderr, "seccomp-dump: write %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	close(fd);
	printf("%ld instructions, %ld filter(s)\n", len, nfilters);
	r = 0;
out:
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return r;
}
