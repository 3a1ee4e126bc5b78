// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-ioctl: every /dev/vos and subsystem-fd ioctl with good and bad input
 * (attach has its own test, vos-attach).
 */
#include "vostest.h"

#include <stdbool.h>
#include <sys/mman.h>

#define NAME "ioctl-test"

static void test_dev(int dev)
{
	long r;

	is_num(ioctl(dev, VOS_GET_API_VERSION, 0), VOS_API_VERSION,
	       "VOS_GET_API_VERSION returns %d", VOS_API_VERSION);
	is_errno(ioctl(dev, VOS_GET_API_VERSION, 1), EINVAL,
		 "VOS_GET_API_VERSION with an argument: EINVAL");
	for (r = VOS_CAP_CREATE; r <= VOS_CAP_NET_POLICY; r++)
		is_num(ioctl(dev, VOS_CHECK_EXTENSION, r), 1,
		       "VOS_CHECK_EXTENSION(%ld) is supported", r);
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, 0), 0, "VOS_CHECK_EXTENSION(0) is not");
	is_num(ioctl(dev, VOS_CHECK_EXTENSION, 1000), 0, "VOS_CHECK_EXTENSION(1000) is not");
	is_errno(ioctl(dev, _IO(VOSIO, 0x3f), 0), ENOTTY, "unknown ioctl on /dev/vos: ENOTTY");
	is_errno(ioctl(dev, _IO('X', 0x02), 0), ENOTTY, "foreign ioctl type on /dev/vos: ENOTTY");
	is_errno(ioctl(dev, VOS_SUBSYS_INFO, 0), ENOTTY, "subsystem ioctl on /dev/vos: ENOTTY");
}

static void test_create_bad(int dev)
{
	struct vos_create c;
	char *page;
	size_t pg = sysconf(_SC_PAGESIZE);

#define RESET()                           \
	do {                              \
		memset(&c, 0, sizeof(c)); \
		c.size = sizeof(c);       \
		strcpy(c.name, NAME);     \
	} while (0)

	RESET();
	c.flags = 1U << 7;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: unknown flag: EINVAL");
	RESET();
	c.reserved[2] = 1;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: reserved set: EINVAL");
	RESET();
	c.policy.net = 2;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: unknown net policy: EINVAL");
	RESET();
	c.policy.flags = 1;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: policy flags: EINVAL");
	RESET();
	c.policy.reserved[2] = 1;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: policy reserved: EINVAL");
	RESET();
	c.id = 5;
	{
		int fd = ioctl(dev, VOS_CREATE_SUBSYS, &c);

		ok(fd >= 0 && c.id != 5,
		   "create: the out field id is ignored on input and written");
		if (fd >= 0)
			close(fd);
		ok(vos_wait_gone(dev, NAME, 5000), "and the subsystem is gone at close");
	}
	RESET();
	c.size = 8;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: size too small: EINVAL");
	RESET();
	c.size = 1 << 20;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), E2BIG, "create: size > page: E2BIG");
	RESET();
	memset(c.name, 'a', sizeof(c.name));
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), ENAMETOOLONG,
		 "create: name without NUL in 64 bytes: ENAMETOOLONG");
	RESET();
	memset(c.name, 'a', VOS_NAME_MAX - 1);
	c.name[VOS_NAME_MAX - 1] = 0;
	{
		int fd = ioctl(dev, VOS_CREATE_SUBSYS, &c);

		ok(fd >= 0, "create: 63-char name (the longest) is accepted");
		if (fd >= 0)
			close(fd);
	}
	RESET();
	c.name[0] = 0;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: empty name: EINVAL");
	RESET();
	strcpy(c.name, "-dash");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: name starts with '-': EINVAL");
	RESET();
	strcpy(c.name, "a/b");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: name with '/': EINVAL");
	RESET();
	strcpy(c.name, "a b");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: name with space: EINVAL");
	RESET();
	strcpy(c.name, "caf\xc3\xa9");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, &c), EINVAL, "create: non-ASCII name: EINVAL");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, NULL), EFAULT, "create: NULL pointer: EFAULT");
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, (void *)1), EFAULT, "create: bad pointer: EFAULT");

	/* a larger struct whose tail is not zero, then zero */
	page = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		bail("mmap");
	RESET();
	memcpy(page, &c, sizeof(c));
	((struct vos_create *)page)->size = sizeof(c) + 8;
	page[sizeof(c) + 3] = 1;
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, page), E2BIG,
		 "create: larger struct with non-zero tail: E2BIG");
	page[sizeof(c) + 3] = 0;
	{
		int fd = ioctl(dev, VOS_CREATE_SUBSYS, page);

		ok(fd >= 0, "create: larger struct with zero tail is accepted");
		if (fd >= 0)
			close(fd);
		ok(vos_wait_gone(dev, NAME, 5000), "ephemeral, never attached: gone at close");
	}
	/* a struct that ends at an unmapped page */
	munmap(page + pg, pg);
	RESET();
	memcpy(page + pg - sizeof(c) / 2, &c, sizeof(c) / 2);
	is_errno(ioctl(dev, VOS_CREATE_SUBSYS, page + pg - sizeof(c) / 2), EFAULT,
		 "create: struct crossing into an unmapped page: EFAULT");
	munmap(page, pg);
#undef RESET
}

static void test_create_open(int dev)
{
	struct vos_subsys_info info;
	struct vos_open o;
	struct vos_create c;
	int fd, fd2, fd3, flags;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	strcpy(c.name, NAME);
	fd = ioctl(dev, VOS_CREATE_SUBSYS, &c);
	if (!ok(fd >= 0, "create " NAME))
		bail("create");
	ok(c.id != 0, "create returns an id (%llu)", (unsigned long long)c.id);
	flags = fcntl(fd, F_GETFD);
	ok(flags & FD_CLOEXEC, "subsystem fd is close-on-exec");
	is_errno(vos_create(dev, NAME, 0), EEXIST, "create: same name again: EEXIST");
	is_errno(vos_create(dev, NAME, VOS_SUBSYS_PERSISTENT), EEXIST,
		 "create: same name, persistent: EEXIST");

	ok(vos_info(fd, &info) == 0, "VOS_SUBSYS_INFO");
	is_num(info.id, c.id, "info: id");
	ok(!strcmp(info.name, NAME), "info: name");
	is_num(info.state, VOS_STATE_CREATED, "info: state CREATED");
	is_num(info.flags, 0, "info: flags (ephemeral)");
	is_num(info.owner_uid, 0, "info: owner uid 0");
	is_num(info.init_pid, 0, "info: no init");
	is_num(info.tasks_now, 0, "info: tasks_now 0");
	is_num(info.tasks_ever, 0, "info: tasks_ever 0");
	is_num(info.pidns_inum, 0, "info: no pid ns");
	ok(info.created_ns > 0, "info: created_ns set");
	is_num(info.policy.net, VOS_NET_ISOLATED, "info: policy net isolated");
	{
		struct vos_subsys_info small;

		memset(&small, 0, sizeof(small));
		small.size = 16;
		is_errno(ioctl(fd, VOS_SUBSYS_INFO, &small), EINVAL,
			 "info: size too small: EINVAL");
		is_errno(ioctl(fd, VOS_SUBSYS_INFO, NULL), EFAULT, "info: NULL: EFAULT");
	}

	fd2 = vos_open_id(dev, c.id);
	ok(fd2 >= 0, "open by id");
	fd3 = vos_open_name(dev, NAME);
	ok(fd3 >= 0, "open by name");
	ok(fd3 >= 0 && vos_id_of(fd3) == c.id, "open by name: same subsystem");
	ok(fcntl(fd3, F_GETFD) & FD_CLOEXEC, "opened fd is close-on-exec");

	is_errno(vos_open_name(dev, "no-such-subsys"), ENOENT, "open: unknown name: ENOENT");
	is_errno(vos_open_id(dev, 0), ENOENT, "open: id 0: ENOENT");
	is_errno(vos_open_id(dev, 1ULL << 40), ENOENT, "open: huge id: ENOENT");
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_ID | VOS_OPEN_BY_NAME;
	o.id = c.id;
	strcpy(o.name, NAME);
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: both flags: EINVAL");
	o.flags = 0;
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: no flag: EINVAL");
	o.flags = 1U << 5;
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: unknown flag: EINVAL");
	o.flags = VOS_OPEN_BY_ID;
	o.reserved[1] = 1;
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: reserved set: EINVAL");
	o.reserved[1] = 0;
	o.size = 4;
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: size too small: EINVAL");
	o.size = sizeof(o);
	o.flags = VOS_OPEN_BY_NAME;
	strcpy(o.name, "bad name");
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, &o), EINVAL, "open: invalid name: EINVAL");
	is_errno(ioctl(dev, VOS_OPEN_SUBSYS, (void *)8), EFAULT, "open: bad pointer: EFAULT");

	/* subsystem fd ioctls */
	is_errno(ioctl(fd, VOS_GET_API_VERSION, 0), ENOTTY,
		 "/dev/vos ioctl on subsystem fd: ENOTTY");
	is_errno(ioctl(fd, _IO(VOSIO, 0x7f), 0), ENOTTY, "unknown ioctl on subsystem fd: ENOTTY");
	is_num(vos_signal(fd, SIGTERM, 0), 0, "signal with no init: 0 processes");
	is_errno(vos_signal(fd, 0, 0), EINVAL, "signal 0: EINVAL");
	is_errno(vos_signal(fd, 65, 0), EINVAL, "signal 65: EINVAL");
	is_errno(vos_signal(fd, -1, 0), EINVAL, "signal -1: EINVAL");
	is_errno(vos_signal(fd, SIGTERM, 1U << 3), EINVAL, "signal: unknown flag: EINVAL");
	{
		struct vos_signal s;

		memset(&s, 0, sizeof(s));
		s.size = sizeof(s);
		s.signo = SIGTERM;
		s.pad = 1;
		is_errno(ioctl(fd, VOS_SUBSYS_SIGNAL, &s), EINVAL, "signal: pad set: EINVAL");
		s.pad = 0;
		s.reserved[0] = 1;
		is_errno(ioctl(fd, VOS_SUBSYS_SIGNAL, &s), EINVAL, "signal: reserved set: EINVAL");
		is_errno(ioctl(fd, VOS_SUBSYS_SIGNAL, (void *)16), EFAULT,
			 "signal: bad pointer: EFAULT");
	}
	is_errno(ioctl(fd, VOS_SUBSYS_END, 1), EINVAL, "end with an argument: EINVAL");

	/* two more fds: the subsystem lives until the last one is closed */
	close(fd);
	close(fd2);
	fd = vos_open_name(dev, NAME);
	ok(fd >= 0, "still there while one fd is open");
	if (fd >= 0)
		close(fd);
	close(fd3);
	ok(vos_wait_gone(dev, NAME, 5000), "gone after the last fd closed");
	fd = vos_create(dev, NAME, 0);
	ok(fd >= 0, "name is free again after destroy");
	if (fd >= 0) {
		ok(vos_id_of(fd) != c.id, "a new subsystem gets a new id");
		close(fd);
	}
	ok(vos_wait_gone(dev, NAME, 5000), "and is gone again");
}

static void test_persistent_end(int dev)
{
	struct vos_subsys_info info;
	int fd = vos_create(dev, "persist-1", VOS_SUBSYS_PERSISTENT);

	if (!ok(fd >= 0, "create persistent"))
		return;
	ok(vos_info(fd, &info) == 0 && info.flags == (VOS_SUBSYS_PERSISTENT | VOS_SUBSYS_HOST_IDS),
	   "info: flags persistent (and host ids, as made by vos_create())");
	close(fd); /* the release has run when close() returns */
	fd = vos_open_name(dev, "persist-1");
	ok(fd >= 0, "persistent survives its last close");
	is_num(ioctl(fd, VOS_SUBSYS_END, 0), 0, "END");
	is_num(ioctl(fd, VOS_SUBSYS_END, 0), 0, "END again (idempotent)");
	is_errno(vos_open_name(dev, "persist-1"), ENOENT, "ended: cannot be opened");
	is_errno(vos_create(dev, "persist-1", 0), EEXIST, "ended, fd open: name still taken");
	close(fd);
	ok(vos_wait_gone(dev, "persist-1", 5000), "ended + closed: destroyed");
	fd = vos_create(dev, "persist-1", 0);
	ok(fd >= 0, "name reusable");
	if (fd >= 0)
		close(fd);
}

/*
 * The 32-bit entry point (.compat_ioctl): int 0x80 from this 64-bit process
 * takes the ia32 syscall path, where in_compat_syscall() is true and the
 * kernel calls compat_ioctl. Pointers must fit in 32 bits (MAP_32BIT).
 * i386 ioctl is 54, getpid 20.
 */
static long int80_3(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return r;
}

static bool kernel_runs_i386(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(int80_3(20, 0, 0, 0) == getpid() ? 0 : 1);
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void test_compat(int dev)
{
	struct vos_subsys_info *info;
	int fd;

	if (!kernel_runs_i386()) {
		/* no IA32 emulation: there is no compat entry point to reach */
		ok(1, "compat: kernel without the i386 entry point");
		return;
	}
	is_num(int80_3(54, dev, VOS_GET_API_VERSION, 0), VOS_API_VERSION,
	       "compat: VOS_GET_API_VERSION through the i386 entry point");
	is_num(int80_3(54, dev, _IO(VOSIO, 0x3f), 0), -ENOTTY, "compat: unknown ioctl: ENOTTY");
	info = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
		    0);
	if (!ok(info != MAP_FAILED, "compat: a buffer below 4 GiB"))
		return;
	fd = vos_create(dev, "compat-test", 0);
	if (ok(fd >= 0, "compat: create compat-test")) {
		memset(info, 0, sizeof(*info));
		info->size = sizeof(*info);
		is_num(int80_3(54, fd, VOS_SUBSYS_INFO, (long)(uintptr_t)info), 0,
		       "compat: VOS_SUBSYS_INFO on a subsystem fd");
		ok(!strcmp(info->name, "compat-test"), "compat: info has the name");
		is_num(int80_3(54, fd, VOS_SUBSYS_INFO, 16), -EFAULT,
		       "compat: bad pointer: EFAULT");
		close(fd);
	}
	munmap(info, 4096);
}

int main(void)
{
	int dev = vos_open_dev();

	test_dev(dev);
	test_create_bad(dev);
	test_create_open(dev);
	test_persistent_end(dev);
	test_compat(dev);
	close(dev);
	return tap_done();
}
