// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_ptrace - reach into another process across the boundary: ptrace
 * attach/seize, process_vm_readv, /proc/<pid>/mem, pidfd_getfd.
 *
 *   esc_ptrace [PID:COMM...]   attack pid 1 and our parent if they are not
 *                              us (the subsystem's init belongs to the
 *                              sandbox, not to the app), and each PID given;
 *                              a PID whose comm here is not COMM names some
 *                              other process of ours, not the victim, and is
 *                              left alone (it proves the victim is invisible)
 *   esc_ptrace --control       outside: fork a victim and attack it (works)
 *
 * process_vm_readv() checks permission before it touches memory: EFAULT on
 * a bogus address means the access was granted, and counts as an escape.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

static unsigned long first_mapping(pid_t pid)
{
	char p[64], buf[256];

	snprintf(p, sizeof(p), "/proc/%d/maps", pid);
	if (esc_read_file(p, buf, sizeof(buf)) > 0)
		return strtoul(buf, NULL, 16);
	return 0x400000;
}

static void attack(pid_t pid, const char *label)
{
	char what[200], p[64], byte;
	struct iovec local = { &byte, 1 }, remote;
	long r;
	int fd, pidfd, i;

	esc_fmt(what, sizeof(what), "PTRACE_ATTACH to %s", label);
	r = ptrace(PTRACE_ATTACH, pid, 0, 0);
	if (r == 0) {
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		esc_escaped(what, "attached");
	} else {
		esc_refused(what, errno);
	}
	esc_fmt(what, sizeof(what), "PTRACE_SEIZE of %s", label);
	r = ptrace(PTRACE_SEIZE, pid, 0, 0);
	if (r == 0) {
		ptrace(PTRACE_INTERRUPT, pid, 0, 0);
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
		esc_escaped(what, "seized");
	} else {
		esc_refused(what, errno);
	}

	remote.iov_base = (void *)first_mapping(pid);
	remote.iov_len = 1;
	esc_fmt(what, sizeof(what), "process_vm_readv from %s", label);
	r = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (r >= 0 || errno == EFAULT)
		esc_escaped(what,
			    r >= 0 ? "read its memory" : "access granted (EFAULT on the address)");
	else
		esc_refused(what, errno);

	snprintf(p, sizeof(p), "/proc/%d/mem", pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	esc_fmt(what, sizeof(what), "open %s", p);
	if (fd >= 0) {
		esc_escaped(what, "opened");
		close(fd);
	} else {
		esc_refused(what, errno);
	}

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		esc_refused(esc_fmt(what, sizeof(what), "pidfd_open(%s)", label), errno);
		return;
	}
	for (i = 0; i <= 2; i++) {
		esc_fmt(what, sizeof(what), "pidfd_getfd(%s, fd %d)", label, i);
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, i, 0);
		if (fd >= 0) {
			esc_escaped(what, "stole fd %d", i);
			close(fd);
		} else {
			esc_refused(what, errno);
		}
	}
	close(pidfd);
}

static void target(const char *spec)
{
	char comm[64], p[64], label[128], want[64];
	const char *colon = strchr(spec, ':');
	pid_t pid = (pid_t)strtol(spec, NULL, 10);

	if (pid <= 0 || !colon) {
		fprintf(stderr, "esc_ptrace: bad target '%s' (PID:COMM)\n", spec);
		exit(2);
	}
	snprintf(want, sizeof(want), "%s", colon + 1);
	snprintf(p, sizeof(p), "/proc/%d/comm", pid);
	snprintf(label, sizeof(label), "victim pid %d (%s)", pid, want);
	if (esc_read_file(p, comm, sizeof(comm)) < 0) {
		esc_refused(esc_fmt(label, sizeof(label), "see victim pid %d (%s)", pid, want),
			    ESRCH);
		/* and try anyway, the pid may exist unseen */
		snprintf(label, sizeof(label), "victim pid %d (%s)", pid, want);
		attack(pid, label);
		return;
	}
	comm[strcspn(comm, "\n")] = 0;
	if (strcmp(comm, want)) {
		esc_refused(esc_fmt(label, sizeof(label),
				    "see victim %s as pid %d (that pid is our own %s here)", want,
				    pid, comm),
			    ESRCH);
		return;
	}
	attack(pid, label);
}

int main(int argc, char **argv)
{
	char label[64];
	pid_t victim;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv)) {
		victim = fork();
		if (victim == 0) {
			for (;;)
				pause();
		}
		usleep(100000);
		snprintf(label, sizeof(label), "control victim pid %d", victim);
		attack(victim, label);
		kill(victim, SIGKILL);
		waitpid(victim, NULL, 0);
		return esc_finish();
	}
	if (getpid() != 1)
		attack(1, "pid 1 (the subsystem's init)");
	if (getppid() > 1)
		attack(getppid(), "our parent");
	for (i = 1; i < argc; i++)
		target(argv[i]);
	return esc_finish();
}
