// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_userns - new namespaces from inside, and raising the limit on them.
 *
 * A new user namespace gives back every capability over the objects it
 * owns: it is the door to most kernel attack surface (netfilter, mount
 * code, eBPF, ...) that the sandbox's missing capabilities otherwise keep
 * closed. Tried: unshare(CLONE_NEWUSER), clone(CLONE_NEWUSER), clone3
 * with CLONE_NEWUSER, the other namespace flags, setns() into pid 1's
 * namespaces, and writing /proc/sys/user/max_user_namespaces (with its
 * current value: the permission is the point). Each try runs in a child so
 * a success changes nothing for this program.
 *
 *   esc_userns            the attack
 *   esc_userns --control  outside, as root: must work
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

/* Run fn in a child; child exits 0 if the call worked, else 100+errno. */
static void in_child(const char *what, long (*fn)(long), long arg)
{
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		esc_refused(what, errno);
		return;
	}
	if (pid == 0)
		_exit(fn(arg) < 0 ? 100 + (errno & 0x7f) : 0);
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		esc_escaped(what, "worked");
	else if (WIFEXITED(st) && WEXITSTATUS(st) >= 100)
		esc_refused(what, WEXITSTATUS(st) - 100);
	else
		esc_refused(what, EINTR);
}

static long do_unshare(long flags)
{
	return unshare((int)flags);
}

/* clone(2)/clone3(2) with @flags; the new child exits at once. */
static long do_clone(long flags)
{
	long r = syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r;
}

static long do_clone3(long flags)
{
	struct clone_args ca;
	long r;

	memset(&ca, 0, sizeof(ca));
	ca.flags = (uint64_t)flags;
	ca.exit_signal = SIGCHLD;
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r;
}

static long do_setns(long which)
{
	static const char *const ns[] = { "user", "mnt", "pid", "net", "cgroup", "ipc", "uts" };
	char p[64];
	int fd;

	snprintf(p, sizeof(p), "/proc/1/ns/%s", ns[which]);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	return setns(fd, 0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		long flag;
	} flags[] = {
		{ "CLONE_NEWUSER", CLONE_NEWUSER },	{ "CLONE_NEWNS", CLONE_NEWNS },
		{ "CLONE_NEWPID", CLONE_NEWPID },	{ "CLONE_NEWNET", CLONE_NEWNET },
		{ "CLONE_NEWUTS", CLONE_NEWUTS },	{ "CLONE_NEWIPC", CLONE_NEWIPC },
		{ "CLONE_NEWCGROUP", CLONE_NEWCGROUP }, { "CLONE_NEWTIME", CLONE_NEWTIME },
	};
	static const char *const ns[] = { "user", "mnt", "pid", "net", "cgroup", "ipc", "uts" };
	char what[128], cur[64];
	size_t i;
	int r;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		in_child(esc_fmt(what, sizeof(what), "unshare(%s)", flags[i].name), do_unshare,
			 flags[i].flag);
	in_child("unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET)", do_unshare,
		 CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
	in_child("clone(CLONE_NEWUSER)", do_clone, CLONE_NEWUSER);
	in_child("clone(CLONE_NEWUSER|CLONE_NEWPID)", do_clone, CLONE_NEWUSER | CLONE_NEWPID);
	in_child("clone3(CLONE_NEWUSER)", do_clone3, CLONE_NEWUSER);
	in_child("clone3(CLONE_NEWUSER|CLONE_NEWNS)", do_clone3, CLONE_NEWUSER | CLONE_NEWNS);
	/* setns to our own pid 1's namespaces (a no-op if they are ours:
	 * the permission check is what matters, it needs CAP_SYS_ADMIN)
	 */
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		in_child(esc_fmt(what, sizeof(what), "setns into pid 1's %s namespace", ns[i]),
			 do_setns, (long)i);

	if (esc_read_file("/proc/sys/user/max_user_namespaces", cur, sizeof(cur)) <= 0)
		snprintf(cur, sizeof(cur), "100000");
	cur[strcspn(cur, "\n")] = 0;
	r = esc_write_file("/proc/sys/user/max_user_namespaces", cur);
	if (r < 0)
		esc_refused("write /proc/sys/user/max_user_namespaces", -r);
	else
		esc_escaped("write /proc/sys/user/max_user_namespaces", "wrote '%s'", cur);
	return esc_finish();
}
