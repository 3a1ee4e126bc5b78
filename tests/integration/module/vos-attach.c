// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-attach: VOS_SUBSYS_ATTACH with good and bad input, init's exit status,
 * VOS_SUBSYS_SIGNAL on a running subsystem.
 */
#include "vostest.h"

static int fn_pause(void *arg)
{
	(void)arg;
	pause();
	return 3;
}

/* a second task in the namespace; tells the test through the pipe in arg */
static int fn_fork_then_wait(void *arg)
{
	int *pipefd = arg;

	if (fork() == 0) {
		pause();
		_exit(0);
	}
	if (write(pipefd[1], "f", 1) != 1)
		return 91;
	pause();
	return 0;
}

static void init_stop(struct ns_init *ni)
{
	kill(ni->pid, SIGKILL);
	ns_init_wait(ni);
}

static void test_bad(int dev)
{
	struct ns_init ni, other;
	struct vos_attach a;
	int fd, fd2, tmpfd, cg;
	struct vos_subsys_info info;

	fd = vos_create(dev, "attach-bad", 0);
	if (fd < 0)
		bail("create attach-bad");
	if (ns_init_start(&ni, CLONE_NEWNET, fn_pause, NULL))
		bail("clone3 ns init");

#define RESET()                           \
	do {                              \
		memset(&a, 0, sizeof(a)); \
		a.size = sizeof(a);       \
		a.pidfd = ni.pidfd;       \
		a.pid = ni.pid;           \
		a.cgroup_fd = -1;         \
	} while (0)
	RESET();
	a.flags = 1;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: flags set: EINVAL");
	RESET();
	a.pad = 1;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: pad set: EINVAL");
	RESET();
	a.reserved[1] = 1;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: reserved set: EINVAL");
	RESET();
	a.size = 12;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: size too small: EINVAL");
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, (void *)24), EFAULT, "attach: bad pointer: EFAULT");
	RESET();
	a.pid = 0;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: pid 0: EINVAL");
	RESET();
	a.pid = -5;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: negative pid: EINVAL");
	RESET();
	a.pidfd = -1;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EBADF, "attach: pidfd -1: EBADF");
	RESET();
	a.pidfd = 999;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EBADF, "attach: pidfd not open: EBADF");
	RESET();
	tmpfd = open("/proc/self/status", O_RDONLY);
	a.pidfd = tmpfd;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: regular file as pidfd: EINVAL");
	close(tmpfd);
	RESET();
	a.pidfd = fd; /* another anon-inode file */
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL, "attach: subsystem fd as pidfd: EINVAL");
	RESET();
	a.pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL,
		 "attach: pidfd of another task than pid: EINVAL");
	close(a.pidfd);
	RESET();
	a.pid = 999999;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), ESRCH, "attach: no such pid: ESRCH");
	RESET();
	a.pid = getpid();
	a.pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL,
		 "attach: self (not a PID-ns init): EINVAL");
	close(a.pidfd);
	RESET();
	a.cgroup_fd = 999;
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EBADF, "attach: bad cgroup fd: EBADF");
	RESET();
	a.cgroup_fd = open("/proc", O_RDONLY | O_DIRECTORY);
	is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EBADF, "attach: cgroup fd not a cgroup: EBADF");
	close(a.cgroup_fd);
	ok(vos_info(fd, &info) == 0 && info.state == VOS_STATE_CREATED,
	   "still CREATED after all the failures");

	/* not a fresh init: a plain child, and an init that forked already */
	{
		struct ns_init busy;
		pid_t child = fork();

		if (child == 0) {
			pause();
			_exit(0);
		}
		RESET();
		a.pid = child;
		a.pidfd = syscall(SYS_pidfd_open, child, 0);
		is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), EINVAL,
			 "attach: child not in a new PID ns: EINVAL");
		close(a.pidfd);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);

		int forked[2];
		char c;

		if (pipe(forked) || ns_init_start(&busy, CLONE_NEWNET, fn_fork_then_wait, forked))
			bail("clone3");
		ns_init_go(&busy);
		if (read(forked[0], &c, 1) != 1)
			bail("busy init");
		close(forked[0]);
		close(forked[1]);
		RESET();
		a.pid = busy.pid;
		a.pidfd = busy.pidfd;
		is_errno(ioctl(fd, VOS_SUBSYS_ATTACH, &a), ENOTEMPTY,
			 "attach: init whose namespace has another task: ENOTEMPTY");
		init_stop(&busy);
	}

	/* net policy: isolated refuses an init sharing our network ns */
	if (ns_init_start(&other, 0, fn_pause, NULL))
		bail("clone3");
	is_errno(vos_attach(fd, other.pidfd, other.pid, -1), EPERM,
		 "attach: isolated policy, init in our netns: EPERM");
	ok(vos_info(fd, &info) == 0 && info.denials == 1, "the refusal counts as a denial");
	fd2 = vos_create_net(dev, "attach-host", 0, VOS_NET_HOST);
	ok(vos_attach(fd2, other.pidfd, other.pid, -1) == 0,
	   "attach: VOS_NET_HOST policy accepts an init in our netns");
	ok(vos_info(fd2, &info) == 0 && info.state == VOS_STATE_RUNNING, "RUNNING");

	/* good attach, with a cgroup */
	cg = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	ok(vos_attach(fd, ni.pidfd, ni.pid, cg) == 0, "attach a fresh init with a cgroup fd");
	{
		struct stat st;
		char path[64];

		fstat(cg, &st);
		ok(vos_info(fd, &info) == 0, "info");
		is_num(info.state, VOS_STATE_RUNNING, "state RUNNING");
		is_num(info.init_pid, ni.pid, "init_pid is the pid in our namespace");
		is_num(info.tasks_now, 1, "tasks_now 1");
		is_num(info.tasks_ever, 1, "tasks_ever 1");
		is_num(info.cgroup_id, st.st_ino, "cgroup_id is the cgroup's inode number");
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", ni.pid);
		stat(path, &st);
		is_num(info.pidns_inum, st.st_ino, "pidns_inum matches /proc/PID/ns/pid");
		snprintf(path, sizeof(path), "/proc/%d/ns/net", ni.pid);
		stat(path, &st);
		is_num(info.netns_inum, st.st_ino, "netns_inum matches /proc/PID/ns/net");
	}
	close(cg);
	is_errno(vos_attach(fd, ni.pidfd, ni.pid, -1), EBUSY, "attach twice: EBUSY");
	{
		int fd3 = vos_create(dev, "attach-third", 0);

		is_errno(vos_attach(fd3, ni.pidfd, ni.pid, -1), EEXIST,
			 "attach a namespace owned by another subsystem: EEXIST");
		close(fd3);
	}
	/* signals */
	is_num(vos_signal(fd, SIGCONT, VOS_SIGNAL_INIT_ONLY), 1, "signal init only: 1 process");
	is_num(vos_signal(fd, SIGCONT, 0), 1, "signal all: 1 process");
	/* A PID-ns init without a handler: the kernel drops SIGTERM from an
	 * ancestor namespace when it is sent, so the state is final now.
	 */
	is_num(vos_signal(fd, SIGTERM, 0), 1, "SIGTERM to init (ignored by a PID-ns init)");
	ok(vos_info(fd, &info) == 0 && info.state == VOS_STATE_RUNNING,
	   "init without a handler ignores SIGTERM");
	is_num(vos_signal(fd, SIGKILL, 0), 1, "SIGKILL to all");
	is_num(ns_init_wait(&ni) & 0x7f, SIGKILL, "init died of SIGKILL");
	ok(vos_info(fd, &info) == 0, "info after init died");
	is_num(info.state, VOS_STATE_STOPPED, "state STOPPED");
	is_num(info.exit_status, SIGKILL, "exit_status is the wait status (SIGKILL)");
	is_num(info.tasks_now, 0, "tasks_now 0");
	is_num(vos_signal(fd, SIGKILL, 0), 0, "signal a stopped subsystem: 0 processes");
	is_errno(vos_attach(fd, ni.pidfd, ni.pid, -1), EBADF, "attach a closed pidfd: EBADF");

	init_stop(&other);
	close(fd2);
	close(fd);
	ok(vos_wait_gone(dev, "attach-bad", 5000), "ephemeral gone after close");
	ok(vos_wait_gone(dev, "attach-host", 5000), "second one gone after close");
#undef RESET
}

static void test_exit_status(int dev, int code)
{
	struct vos_subsys_info info;
	struct ns_init ni;
	int fd, st;

	fd = vos_create(dev, "exit-status", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_exit_code, (void *)(intptr_t)code))
		bail("setup");
	ok(vos_attach(fd, ni.pidfd, ni.pid, -1) == 0, "attach (exit %d)", code);
	ns_init_go(&ni);
	st = ns_init_wait(&ni);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == code, "init exited %d", code);
	ok(vos_info(fd, &info) == 0, "info");
	is_num(info.state, VOS_STATE_STOPPED, "STOPPED");
	is_num(info.exit_status, st, "exit_status == wait status 0x%x", st);
	is_num(info.tasks_now, 0, "no task left");
	is_num(info.tasks_ever, 1, "tasks_ever 1");
	close(fd);
	ok(vos_wait_gone(dev, "exit-status", 5000), "gone");
}

int main(void)
{
	int dev = vos_open_dev();

	test_bad(dev);
	test_exit_status(dev, 0);
	test_exit_status(dev, 7);
	test_exit_status(dev, 255);
	close(dev);
	return tap_done();
}
