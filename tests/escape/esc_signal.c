// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_signal - signal host processes, kill(-1), see host pids.
 *
 *   esc_signal [--host-init-start TICKS] [--host-pidns pid:[INUM]] [PID:COMM...]
 *       kill(-1, SIGKILL) (the runner checks the host canaries survive);
 *       kill/sigqueue/pidfd_send_signal each PID (a canary on the host, or
 *       in another subsystem; a PID that names one of our own processes
 *       here is left alone); look for the canaries' comm in /proc; check
 *       that our pid 1 is not the host's init (its start time, field 22 of
 *       /proc/1/stat, differs from TICKS). If our PID namespace is the
 *       host's (--host-pidns, as readlink /proc/self/ns/pid shows it),
 *       that is reported and kill(-1) is not tried.
 *   esc_signal --control PID:COMM
 *       outside, as root: SIGKILL a control canary (works; the runner then
 *       checks that canary is gone, which proves its liveness check).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "esc.h"

static int parse(const char *spec, pid_t *pid, char *comm, size_t len)
{
	const char *c = strchr(spec, ':');

	*pid = (pid_t)strtol(spec, NULL, 10);
	if (*pid <= 0 || !c)
		return -1;
	snprintf(comm, len, "%s", c + 1);
	return 0;
}

static bool names_other(pid_t pid, const char *want)
{
	char p[64], comm[64];

	snprintf(p, sizeof(p), "/proc/%d/comm", pid);
	if (esc_read_file(p, comm, sizeof(comm)) < 0)
		return false;
	comm[strcspn(comm, "\n")] = 0;
	return strcmp(comm, want) != 0;
}

static void signal_target(pid_t pid, const char *comm)
{
	char what[160];
	union sigval sv = { 0 };
	int pidfd;

	if (names_other(pid, comm)) {
		esc_refused(esc_fmt(what, sizeof(what),
				    "reach %s as pid %d (that pid is one of ours here)", comm, pid),
			    ESRCH);
		return;
	}
	esc_check(esc_fmt(what, sizeof(what), "kill(%d (%s), 0)", pid, comm), kill(pid, 0));
	esc_check(esc_fmt(what, sizeof(what), "sigqueue(%d (%s), SIGKILL)", pid, comm),
		  sigqueue(pid, SIGKILL, sv));
	esc_check(esc_fmt(what, sizeof(what), "kill(%d (%s), SIGKILL)", pid, comm),
		  kill(pid, SIGKILL));
	esc_check(esc_fmt(what, sizeof(what), "kill(-%d, SIGKILL) (its process group)", pid),
		  kill(-pid, SIGKILL));
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		esc_refused(esc_fmt(what, sizeof(what), "pidfd_open(%d (%s))", pid, comm), errno);
		return;
	}
	esc_check(esc_fmt(what, sizeof(what), "pidfd_send_signal(%d (%s), SIGKILL)", pid, comm),
		  syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0));
	close(pidfd);
}

static void look_for(const char *comm)
{
	char p[300], c[64], what[160];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int found = 0;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/comm", de->d_name);
		if (esc_read_file(p, c, sizeof(c)) > 0) {
			c[strcspn(c, "\n")] = 0;
			if (!strcmp(c, comm))
				found = atoi(de->d_name);
		}
	}
	closedir(d);
	esc_fmt(what, sizeof(what), "see the host process %s in /proc", comm);
	if (found)
		esc_escaped(what, "it is pid %d here", found);
	else
		esc_refused(what, ENOENT);
}

int main(int argc, char **argv)
{
	char comm[64], stat[1024], what[160];
	unsigned long long start = 0, ours;
	const char *host_pidns = NULL;
	char ns[64] = "";
	pid_t pid;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv)) {
		if (argc != 3 || parse(argv[2], &pid, comm, sizeof(comm)) < 0) {
			fprintf(stderr, "usage: esc_signal --control PID:COMM\n");
			return 2;
		}
		esc_check("control: kill the control canary", kill(pid, SIGKILL));
		return esc_finish();
	}
	while (i + 1 < argc && !strncmp(argv[i], "--host-", 7)) {
		if (!strcmp(argv[i], "--host-init-start"))
			start = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--host-pidns"))
			host_pidns = argv[i + 1];
		i += 2;
	}
	/* Never kill(-1) in the host's PID namespace: it would take the
	 * whole machine down instead of failing one test.
	 */
	if (host_pidns && readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1) > 0 &&
	    !strcmp(ns, host_pidns)) {
		esc_escaped("get a PID namespace of our own", "we are in the host's (%s)", ns);
	} else {
		/* everything we may signal, except ourselves */
		esc_info("kill(-1, SIGKILL) returned %d (the runner checks the host canaries)",
			 kill(-1, SIGKILL));
	}
	for (; i < argc; i++) {
		if (parse(argv[i], &pid, comm, sizeof(comm)) < 0) {
			fprintf(stderr, "esc_signal: bad target '%s' (PID:COMM)\n", argv[i]);
			return 2;
		}
		signal_target(pid, comm);
		look_for(comm);
	}
	if (start) {
		char *p;

		esc_fmt(what, sizeof(what), "see the host's init as our pid 1");
		if (esc_read_file("/proc/1/stat", stat, sizeof(stat)) <= 0 ||
		    !(p = strrchr(stat, ')'))) {
			esc_refused(what, ENOENT);
		} else {
			int f;

			/* field 3 starts after ") "; start time is field 22 */
			p += 2;
			for (f = 3; f < 22 && p; f++) {
				p = strchr(p, ' ');
				if (p)
					p++;
			}
			ours = p ? strtoull(p, NULL, 10) : 0;
			if (ours == start)
				esc_escaped(what, "pid 1 started at tick %llu, as the host's init",
					    ours);
			else
				esc_refused(what, ESRCH);
		}
	}
	return esc_finish();
}
