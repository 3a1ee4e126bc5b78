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

/* Write "IN OUT COUNT" to /proc/PID/{uid,gid}_map (0: skip that map). */
static int write_map(pid_t pid, const char *file, unsigned int in, unsigned int out,
		     unsigned int count)
{
	char path[64], line[64];
	int fd, n, r;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	n = snprintf(line, sizeof(line), "%u %u %u\n", in, out, count);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, line, n) == n ? 0 : -errno;
	close(fd);
	return r;
}

static struct ns_init attached[4];
static unsigned int nattached;

/*
 * An init in a user namespace of its own with the given maps (count 0:
 * leave that map unwritten) tries to attach; returns the ioctl's -errno.
 */
static int attach_mapped(int fd, unsigned int uout, unsigned int ucount, unsigned int gout,
			 unsigned int gcount)
{
	struct ns_init ni;
	int r = 0;

	if (ns_init_start(&ni, CLONE_NEWUSER | CLONE_NEWNET, fn_pause, NULL))
		bail("clone3 user ns init");
	if (ucount)
		r = write_map(ni.pid, "uid_map", 0, uout, ucount);
	if (!r && gcount)
		r = write_map(ni.pid, "gid_map", 0, gout, gcount);
	if (r)
		bail("write id maps: %s", strerror(-r));
	r = vos_attach(fd, ni.pidfd, ni.pid, -1) < 0 ? -errno : 0;
	if (r) {
		init_stop(&ni);
		return r;
	}
	/* attached: it stays until the end of test_id_range() */
	if (nattached < sizeof(attached) / sizeof(attached[0]))
		attached[nattached++] = ni;
	else
		init_stop(&ni);
	return 0;
}

/*
 * The private host id range (VOS_CAP_ID_RANGE): handed out at create,
 * disjoint between subsystems, reported by INFO, enforced at attach,
 * given back at destroy; VOS_SUBSYS_HOST_IDS as the relaxation.
 */
static void test_id_range(int dev)
{
	struct vos_create a, b, c;
	struct vos_subsys_info info;
	int fa, fb, fc, fh;
	struct ns_init ni;

	is_num(ioctl(dev, VOS_CHECK_EXTENSION, VOS_CAP_ID_RANGE), 1, "VOS_CAP_ID_RANGE");
	fa = vos_create_ranged(dev, "range-a", 0, &a);
	fb = vos_create_ranged(dev, "range-b", 0, &b);
	if (fa < 0 || fb < 0)
		bail("create range-a/b");
	ok(a.id_count > 0 && a.id_base > 0 && (uint64_t)a.id_base + a.id_count <= 0xffffffffULL,
	   "create returns a range: %u ids from %#x", a.id_count, a.id_base);
	ok(a.id_base >= 0x10000, "the range holds no id of the usual host users (< 65536)");
	ok(b.id_count == a.id_count &&
		   (b.id_base >= a.id_base + a.id_count || a.id_base >= b.id_base + b.id_count),
	   "two subsystems get disjoint ranges (%#x, %#x)", a.id_base, b.id_base);
	ok(vos_info(fa, &info) == 0 && info.id_base == a.id_base && info.id_count == a.id_count &&
		   !(info.flags & VOS_SUBSYS_HOST_IDS),
	   "INFO reports the range");

	/* refused: every way out of the range; each is a counted denial */
	is_num(attach_mapped(fa, 0, 0, 0, 0), -EPERM, "attach: id maps not written: EPERM");
	is_num(attach_mapped(fa, 0, 1, a.id_base, 1), -EPERM,
	       "attach: uid 0 inside is host root (map 0 0 1): EPERM");
	is_num(attach_mapped(fa, a.id_base, a.id_count, 0, 1), -EPERM,
	       "attach: gid 0 inside is host group root: EPERM");
	is_num(attach_mapped(fa, a.id_base - 1, 2, a.id_base, 1), -EPERM,
	       "attach: uid map one id below the range: EPERM");
	is_num(attach_mapped(fa, a.id_base + 1, a.id_count, a.id_base, 1), -EPERM,
	       "attach: uid map one id past the range: EPERM");
	is_num(attach_mapped(fa, b.id_base, 1, b.id_base, 1), -EPERM,
	       "attach: ids of another subsystem's range: EPERM");
	if (ns_init_start(&ni, CLONE_NEWNET, fn_pause, NULL))
		bail("clone3 ns init");
	is_errno(vos_attach(fa, ni.pidfd, ni.pid, -1), EPERM,
		 "attach: no user namespace of its own (host root): EPERM");
	init_stop(&ni);
	ok(vos_info(fa, &info) == 0 && info.state == VOS_STATE_CREATED && info.denials == 7,
	   "still CREATED, 7 denials counted (got %llu)", (unsigned long long)info.denials);
	/* allowed: the whole range, and a part of it */
	is_num(attach_mapped(fa, a.id_base, a.id_count, a.id_base, a.id_count), 0,
	       "attach: maps of the whole range");
	ok(vos_info(fa, &info) == 0 && info.state == VOS_STATE_RUNNING, "RUNNING");
	is_num(attach_mapped(fb, b.id_base + 1000, 1, b.id_base + 1000, 1), 0,
	       "attach: one id inside the range");

	/* VOS_SUBSYS_HOST_IDS: no range; only the creator's own ids */
	fh = vos_create_ranged(dev, "range-host", VOS_SUBSYS_HOST_IDS, &c);
	if (fh < 0)
		bail("create range-host");
	ok(c.id_base == 0 && c.id_count == 0, "HOST_IDS: no range");
	is_num(attach_mapped(fh, a.id_base, 1, a.id_base, 1), -EPERM,
	       "HOST_IDS: a map other than the namespace owner's own ids: EPERM");
	is_num(attach_mapped(fh, geteuid(), 1, getegid(), 1), 0,
	       "HOST_IDS: maps of the namespace owner's (the creator's) euid and egid");
	ioctl(fh, VOS_SUBSYS_END, 0);
	close(fh);
	init_stop(&attached[--nattached]);

	/* given back at destroy, reused last */
	ioctl(fa, VOS_SUBSYS_END, 0);
	close(fa);
	init_stop(&attached[0]); /* range-a's */
	ok(vos_wait_gone(dev, "range-a", 5000), "range-a gone");
	fc = vos_create_ranged(dev, "range-c", 0, &c);
	if (fc < 0)
		bail("create range-c");
	ok(c.id_base != a.id_base && c.id_base != b.id_base,
	   "a new subsystem gets a range no live one has, not the one just freed (%#x)", c.id_base);
	close(fc);
	ioctl(fb, VOS_SUBSYS_END, 0);
	close(fb);
	init_stop(&attached[1]); /* range-b's */
	nattached = 0;
	ok(vos_wait_gone(dev, "range-b", 5000) && vos_wait_gone(dev, "range-c", 5000) &&
		   vos_wait_gone(dev, "range-host", 5000),
	   "all gone");
}

int main(void)
{
	int dev = vos_open_dev();

	test_bad(dev);
	test_id_range(dev);
	test_exit_status(dev, 0);
	test_exit_status(dev, 7);
	test_exit_status(dev, 255);
	close(dev);
	return tap_done();
}
