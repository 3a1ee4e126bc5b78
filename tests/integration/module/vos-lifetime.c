// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-lifetime: ephemeral subsystems end (their tasks killed) with their
 * last fd; persistent ones outlive their fds until VOS_SUBSYS_END; a live
 * subsystem pins the module (delete_module fails), and with none left the
 * module unloads and loads again.
 */
#include "vostest.h"

#include <sys/utsname.h>

static int fn_family(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 5; i++)
		if (fork() == 0) {
			pause();
			_exit(0);
		}
	for (;;)
		pause();
	return 0;
}

static int sys_delete_module(const char *name, int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

static void test_ephemeral(int dev)
{
	struct ns_init ni;
	int fd, st;

	fd = vos_create(dev, "life-eph", 0);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_family, NULL) ||
	    vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("setup");
	ns_init_go(&ni);
	ok(vos_wait_tasks(fd, 6, 5000), "ephemeral: init and 5 children counted");
	close(fd);
	st = ns_init_wait(&ni);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "closing the last fd SIGKILLs init");
	ok(vos_wait_gone(dev, "life-eph", 5000), "and the subsystem is destroyed");
}

static void test_persistent(int dev)
{
	struct vos_subsys_info info;
	struct ns_init ni;
	int fd, st;

	fd = vos_create(dev, "life-pers", VOS_SUBSYS_PERSISTENT);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_family, NULL) ||
	    vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("setup");
	ns_init_go(&ni);
	ok(vos_wait_tasks(fd, 6, 5000), "persistent: 6 tasks");
	/* The release runs before close() returns (task work), and an END
	 * would set ENDED and send SIGKILL then: no need to wait for anything.
	 */
	close(fd);
	is_num(waitpid(ni.pid, &st, WNOHANG), 0, "init survives the last close");
	fd = vos_open_name(dev, "life-pers");
	ok(fd >= 0 && vos_info(fd, &info) == 0 && info.state == VOS_STATE_RUNNING &&
		   info.tasks_now == 6,
	   "reopened: RUNNING with 6 tasks");
	is_num(ioctl(fd, VOS_SUBSYS_END, 0), 0, "END");
	st = ns_init_wait(&ni);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "END SIGKILLs init");
	ok(vos_wait_tasks(fd, 0, 5000), "no task left");
	is_errno(vos_open_name(dev, "life-pers"), ENOENT, "ended: no new fd");
	close(fd);
	ok(vos_wait_gone(dev, "life-pers", 5000), "destroyed at the last close");
}

static void test_persistent_stopped(int dev)
{
	struct vos_subsys_info info;
	struct ns_init ni;
	int fd, st;

	fd = vos_create(dev, "life-stop", VOS_SUBSYS_PERSISTENT);
	if (fd < 0 || ns_init_start(&ni, CLONE_NEWNET, fn_exit_code, (void *)5) ||
	    vos_attach(fd, ni.pidfd, ni.pid, -1))
		bail("setup");
	close(fd);
	ns_init_go(&ni);
	st = ns_init_wait(&ni);
	fd = vos_open_name(dev, "life-stop");
	ok(fd >= 0, "a persistent subsystem outlives its init");
	ok(fd >= 0 && vos_info(fd, &info) == 0 && info.state == VOS_STATE_STOPPED &&
		   info.exit_status == st && info.tasks_now == 0,
	   "STOPPED, exit status 0x%x kept", st);
	ioctl(fd, VOS_SUBSYS_END, 0);
	close(fd);
	ok(vos_wait_gone(dev, "life-stop", 5000), "END + close: destroyed");
}

static void test_module_pin(int dev)
{
	char path[256];
	struct utsname u;
	int fd, kofd;

	unsigned long base;

	close(dev);
	base = vos_module_refcnt();
	if (!ok(base == 0, "no subsystem left by earlier tests, no fd: module refcnt 0"))
		diag("refcnt %lu: something else holds vos (a leaked subsystem?)", base);
	dev = vos_open_dev();
	fd = vos_create(dev, "life-pin", VOS_SUBSYS_PERSISTENT);
	if (fd < 0)
		bail("create");
	close(fd);
	close(dev);
	is_num(vos_module_refcnt(), base + 1, "one persistent subsystem, no fd: module refcnt +1");
	is_errno(sys_delete_module("vos", O_NONBLOCK), EWOULDBLOCK,
		 "delete_module while a subsystem exists: EWOULDBLOCK (in use)");
	is_errno(sys_delete_module("vos", 0), EWOULDBLOCK, "delete_module (blocking flag) too");
	dev = vos_open_dev();
	fd = vos_open_name(dev, "life-pin");
	ok(fd >= 0, "the module is still there");
	ioctl(fd, VOS_SUBSYS_END, 0);
	close(fd);
	ok(vos_wait_gone(dev, "life-pin", 5000), "ended");
	close(dev);
	is_num(vos_module_refcnt(), 0, "no subsystem, no fd: refcnt 0");

	is_num(sys_delete_module("vos", O_NONBLOCK), 0, "delete_module with no subsystem succeeds");
	ok(access("/dev/vos", F_OK) != 0, "/dev/vos is gone");
	ok(access("/sys/module/vos", F_OK) != 0, "/sys/module/vos is gone");

	/* the module vm-run loaded, else the one built for this kernel */
	uname(&u);
	if (getenv("VOS_MODULE") && *getenv("VOS_MODULE"))
		snprintf(path, sizeof(path), "%s", getenv("VOS_MODULE"));
	else
		snprintf(path, sizeof(path), "build/kmod/%s/module/vos.ko", u.release);
	kofd = open(path, O_RDONLY | O_CLOEXEC);
	ok(kofd >= 0 && syscall(SYS_finit_module, kofd, "", 0) == 0, "load it again (%s)", path);
	if (kofd >= 0)
		close(kofd);
	dev = open("/dev/vos", O_RDWR);
	ok(dev >= 0 && ioctl(dev, VOS_GET_API_VERSION, 0) == VOS_API_VERSION, "and it works");
	if (dev >= 0)
		close(dev);
}

int main(void)
{
	int dev = vos_open_dev();

	test_ephemeral(dev);
	test_persistent(dev);
	test_persistent_stopped(dev);
	test_module_pin(dev);
	return tap_done();
}
