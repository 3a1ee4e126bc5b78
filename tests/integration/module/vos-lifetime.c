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

static int load_vos(const char *params)
{
	char path[512];
	struct utsname u;
	int kofd, r;

	/* the module vm-run loaded, else the one built for this kernel */
	uname(&u);
	if (getenv("VOS_MODULE") && *getenv("VOS_MODULE"))
		snprintf(path, sizeof(path), "%s", getenv("VOS_MODULE"));
	else
		snprintf(path, sizeof(path), "build/kmod/%s/module/vos.ko", u.release);
	kofd = open(path, O_RDONLY | O_CLOEXEC);
	if (kofd < 0)
		bail("open %s", path);
	r = syscall(SYS_finit_module, kofd, params, 0) == 0 ? 0 : -errno;
	close(kofd);
	return r;
}

/*
 * The id pool's module parameters: bad ones refuse the load, a pool of two
 * ranges runs out (EUSERS) and takes a range back at destroy; a
 * VOS_SUBSYS_HOST_IDS subsystem needs none. Ends with the module loaded
 * again with its defaults.
 */
static void test_id_pool(void)
{
	struct vos_create a, b, c;
	int dev, fa, fb, fc, fh;
	char buf[32] = "";
	FILE *f;

	is_num(sys_delete_module("vos", O_NONBLOCK), 0, "unload for the id pool tests");
	is_num(load_vos("id_blocks=0"), -EINVAL, "id_blocks=0: load refused (EINVAL)");
	is_num(load_vos("id_base=0"), -EINVAL, "id_base=0 (host root in the pool): refused");
	is_num(load_vos("id_block=0"), -EINVAL, "id_block=0: refused");
	is_num(load_vos("id_base=4294901760 id_blocks=2"), -EINVAL, "a pool past 32 bits: refused");
	is_num(load_vos("id_blocks=2000000"), -EINVAL, "more than 2^20 ranges: refused");
	ok(access("/dev/vos", F_OK) != 0, "no /dev/vos after the refused loads");
	is_num(load_vos("id_base=200000 id_block=1000 id_blocks=2"), 0,
	       "a pool of 2 ranges of 1000 ids from 200000");
	f = fopen("/sys/module/vos/parameters/id_base", "re");
	ok(f && fgets(buf, sizeof(buf), f) && atoi(buf) == 200000,
	   "the parameter is visible read-only in sysfs (%s)", buf);
	if (f)
		fclose(f);
	dev = vos_open_dev();
	fa = vos_create_ranged(dev, "pool-a", 0, &a);
	fb = vos_create_ranged(dev, "pool-b", 0, &b);
	ok(fa >= 0 && fb >= 0 && a.id_count == 1000 && b.id_count == 1000 &&
		   ((a.id_base == 200000 && b.id_base == 201000) ||
		    (a.id_base == 201000 && b.id_base == 200000)),
	   "two subsystems take the two ranges (%u, %u)", a.id_base, b.id_base);
	is_errno(vos_create_ranged(dev, "pool-c", 0, &c), EUSERS,
		 "a third: EUSERS (pool exhausted), nothing created");
	ok(vos_open_name(dev, "pool-c") < 0 && errno == ENOENT, "pool-c does not exist");
	fh = vos_create_ranged(dev, "pool-h", VOS_SUBSYS_HOST_IDS, &c);
	ok(fh >= 0, "VOS_SUBSYS_HOST_IDS needs no range: created");
	close(fh);
	close(fa);
	ok(vos_wait_gone(dev, "pool-a", 5000) && vos_wait_gone(dev, "pool-h", 5000), "pool-a gone");
	fc = vos_create_ranged(dev, "pool-c", 0, &c);
	ok(fc >= 0 && c.id_base == a.id_base, "its range is free again: pool-c takes it (%u)",
	   c.id_base);
	close(fc);
	close(fb);
	ok(vos_wait_gone(dev, "pool-b", 5000) && vos_wait_gone(dev, "pool-c", 5000), "all gone");
	close(dev);
	is_num(sys_delete_module("vos", O_NONBLOCK), 0, "unload");
	is_num(load_vos(""), 0, "load again with the default pool");
}

int main(void)
{
	int dev = vos_open_dev();

	test_ephemeral(dev);
	test_persistent(dev);
	test_persistent_stopped(dev);
	test_module_pin(dev);
	test_id_pool();
	return tap_done();
}
