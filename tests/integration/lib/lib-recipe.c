// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib-recipe - the isolation recipe, checked from inside subsystems made
 * by libvirtos: for each item (pid 1 view, read-only root, private /tmp,
 * masked /proc, minimal /dev, no host sockets, no capabilities,
 * no_new_privs, seccomp, blocked syscalls, no host network, closed fds,
 * hostname, uid mapping and --root, cgroup limits: a fork bomb and a memory
 * hog die alone) a probe runs inside and reports what it sees.
 *
 * Runs as root in a guest with vos.ko loaded: every subsystem is
 * registered (VOS_CREATE_SUBSYS + VOS_SUBSYS_ATTACH). Outside a guest
 * without the module (VOS_GUEST unset, no /dev/vos) the same probes run in
 * unregistered subsystems (vos_proc_spawn) and the module test fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include <virtos.h>

#include "libtest.h"

/* ------------------------------------------------------------------------ */
/* probes: run inside the subsystem                                          */
/* ------------------------------------------------------------------------ */

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "probe: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

static bool status_has(const char *line)
{
	char buf[8192];

	if (read_file("/proc/self/status", buf, sizeof(buf)) < 0)
		return false;
	return strstr(buf, line) != NULL;
}

static int probe_pid1(char **argv)
{
	char comm[64] = "";

	(void)argv;
	read_file("/proc/1/comm", comm, sizeof(comm));
	if (getpid() != 2 || getppid() != 1)
		return bad("pid %d ppid %d, want 2 and 1 (mini init)", getpid(), getppid());
	if (strcmp(comm, "vos-init\n") != 0)
		return bad("/proc/1/comm is '%s', want vos-init", comm);
	return 0;
}

static int probe_aspid1(char **argv)
{
	(void)argv;
	if (getpid() != 1)
		return bad("pid %d, want 1 (--as-pid1)", getpid());
	return 0;
}

static int probe_rootfs(char **argv)
{
	char buf[16384], *line;
	bool found = false;

	(void)argv;
	if (mkdir("/etc/vos-probe", 0755) == 0 || errno != EROFS)
		return bad("mkdir /etc/vos-probe: %s, want EROFS", strerror(errno));
	if (open("/usr/vos-probe", O_CREAT | O_WRONLY, 0644) >= 0 || errno != EROFS)
		return bad("create /usr/vos-probe: %s, want EROFS", strerror(errno));
	if (read_file("/proc/self/mountinfo", buf, sizeof(buf)) < 0)
		return bad("read mountinfo: %m");
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char root[256], mnt[256], opts[256];

		if (sscanf(line, "%*s %*s %*s %255s %255s %255s", root, mnt, opts) != 3)
			continue;
		if (strcmp(mnt, "/") != 0)
			continue;
		found = true;
		if (strncmp(opts, "ro,", 3) != 0 || !strstr(opts, "nosuid") ||
		    !strstr(opts, "nodev"))
			return bad("/ mounted '%s', want ro,nosuid,nodev", opts);
	}
	if (!found)
		return bad("no / in mountinfo");
	return 0;
}

static int probe_tmp(char **argv)
{
	struct statfs sf;
	DIR *d;
	struct dirent *e;
	int fd;

	if (statfs("/tmp", &sf) < 0 || sf.f_type != TMPFS_MAGIC)
		return bad("/tmp is not a tmpfs");
	if (access(argv[0], F_OK) == 0 || errno != ENOENT)
		return bad("host file %s is visible in /tmp", argv[0]);
	d = opendir("/tmp");
	if (!d)
		return bad("opendir /tmp: %m");
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			return bad("/tmp is not empty: %s", e->d_name);
	closedir(d);
	fd = open("/tmp/mine", O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return bad("cannot write in /tmp: %m");
	close(fd);
	return 0;
}

static int probe_proc(char **argv)
{
	static const char *const masked[] = {
		"/proc/kcore",	  "/proc/keys",		 "/proc/timer_list", "/proc/sched_debug",
		"/proc/kallsyms", "/proc/sysrq-trigger", "/proc/key-users",  NULL,
	};
	struct statfs sf;
	struct stat st;
	DIR *d;
	struct dirent *e;
	char buf[64];
	int i, fd, pids = 0, checked = 0;

	(void)argv;
	if (statfs("/proc", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		return bad("/proc is not a procfs");
	for (i = 0; masked[i]; i++) {
		if (stat(masked[i], &st) < 0) {
			if (errno == ENOENT)
				continue;
			return bad("stat %s: %m", masked[i]);
		}
		checked++;
		if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
			return bad("%s is not masked by /dev/null", masked[i]);
		if (read_file(masked[i], buf, sizeof(buf)) != 0)
			return bad("%s gives data", masked[i]);
	}
	if (!checked)
		return bad("none of the masked /proc files exists");
	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	if (fd >= 0 || (errno != EROFS && errno != EACCES))
		return bad("/proc/sys writable (%s)", strerror(errno));
	/* the trigger itself is gone: what is there is /dev/null (checked
	 * above), so even an open for writing reaches nothing
	 */
	fd = open("/proc/sysrq-trigger", O_WRONLY);
	if (fd >= 0) {
		struct stat fs;

		if (fstat(fd, &fs) < 0 || !S_ISCHR(fs.st_mode) || fs.st_rdev != makedev(1, 3))
			return bad("/proc/sysrq-trigger writable");
		close(fd);
	}
	/* only this PID namespace's processes */
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			pids++;
	if (d)
		closedir(d);
	if (pids < 1 || pids > 3)
		return bad("/proc shows %d processes, want 2 (init, probe)", pids);
	return 0;
}

static int probe_dev(char **argv)
{
	static const char *const want[] = {
		"core",	  "fd",	   "full",   "null", "ptmx",	"pts",	"random", "shm",
		"stderr", "stdin", "stdout", "tty",  "urandom", "zero", NULL,
	};
	struct dirent *e;
	struct stat st;
	int i, n = 0, fd;
	DIR *d;

	(void)argv;
	d = opendir("/dev");
	if (!d)
		return bad("opendir /dev: %m");
	while ((e = readdir(d))) {
		bool ok = false;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (i = 0; want[i]; i++)
			if (!strcmp(want[i], e->d_name))
				ok = true;
		if (!ok)
			return bad("unexpected /dev/%s", e->d_name);
		n++;
	}
	closedir(d);
	for (i = 0; want[i]; i++)
		;
	if (n != i)
		return bad("/dev has %d entries, want %d", n, i);
	if (access("/dev/vos", F_OK) == 0)
		return bad("/dev/vos is visible");
	if (stat("/dev/null", &st) < 0 || !S_ISCHR(st.st_mode))
		return bad("/dev/null is not a char device");
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return bad("/dev/null not writable: %m");
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, &n, sizeof(n)) != sizeof(n))
		return bad("/dev/urandom not readable: %m");
	close(fd);
	if (stat("/dev/pts/ptmx", &st) < 0)
		return bad("no /dev/pts/ptmx: %m");
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return bad("open /dev/ptmx: %m");
	close(fd);
	fd = open("/dev/shm/x", O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		return bad("/dev/shm not writable: %m");
	close(fd);
	if (mknod("/dev/sda", S_IFBLK | 0600, makedev(8, 0)) == 0)
		return bad("mknod /dev/sda worked");
	if (open("/dev/newfile", O_CREAT | O_WRONLY, 0644) >= 0)
		return bad("could create /dev/newfile");
	return 0;
}

static int probe_sockets(char **argv)
{
	struct sockaddr_un sa;
	socklen_t len;
	struct dirent *e;
	DIR *d;
	int s;

	/* argv: host socket path, abstract name */
	if (access(argv[0], F_OK) == 0)
		return bad("host socket %s is visible", argv[0]);
	d = opendir("/run");
	if (!d)
		return bad("opendir /run: %m");
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			return bad("/run is not empty: %s", e->d_name);
	closedir(d);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s", argv[1]);
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(argv[1]);
	if (connect(s, (struct sockaddr *)&sa, len) == 0)
		return bad("connected to the host's abstract socket @%s", argv[1]);
	close(s);
	return 0;
}

/* connect() to the path socket @path; 0 if it connected */
static int connect_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s, r;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	r = connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
	close(s);
	return r;
}

/*
 * argv: a listening host socket under /srv, the first component of the
 * probe's own (bound) path. The default root holds the host's system
 * directories and empty mount points only: the socket is not there.
 */
static int probe_view(char **argv)
{
	static const char *const allowed[] = {
		"usr", "bin",  "sbin", "lib", "lib32", "lib64", "libx32",
		"etc", "opt",  "proc", "sys", "dev",   "tmp",	"run",
		"var", "home", "root", "mnt", "srv",   "media", NULL,
	};
	struct dirent *e;
	DIR *d;
	int r, i, n = 0;

	r = connect_path(argv[0]);
	if (r == 0)
		return bad("connected to the host socket %s", argv[0]);
	if (r != -ENOENT)
		return bad("connect %s: %s, want ENOENT (not there at all)", argv[0], strerror(-r));
	d = opendir("/");
	if (!d)
		return bad("opendir /: %m");
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, argv[1]))
			continue;
		for (i = 0; allowed[i] && strcmp(allowed[i], e->d_name); i++)
			;
		if (!allowed[i]) {
			closedir(d);
			return bad("/%s is in the root: only system directories belong there",
				   e->d_name);
		}
		n++;
	}
	closedir(d);
	if (n < 8)
		return bad("only %d entries in /", n);
	d = opendir("/srv");
	if (!d)
		return bad("opendir /srv: %m");
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			return bad("/srv is not empty: %s", e->d_name);
		}
	closedir(d);
	if (mkdir("/vos-probe", 0755) == 0 || errno != EROFS)
		return bad("mkdir /vos-probe: %s, want EROFS", strerror(errno));
	return 0;
}

/* argv: the same host socket; with the whole host root shown it is there */
static int probe_hostsock(char **argv)
{
	int r = connect_path(argv[0]);

	if (r < 0)
		return bad("connect %s: %s (the control must connect)", argv[0], strerror(-r));
	return 0;
}

static int probe_caps(char **argv)
{
	static const char *const lines[] = {
		"CapInh:\t0000000000000000",
		"CapPrm:\t0000000000000000",
		"CapEff:\t0000000000000000",
		"CapBnd:\t0000000000000000",
		"CapAmb:\t0000000000000000",
		"NoNewPrivs:\t1",
		"Seccomp:\t2",
		NULL,
	};
	int i;

	(void)argv;
	for (i = 0; lines[i]; i++)
		if (!status_has(lines[i]))
			return bad("/proc/self/status lacks '%s'", lines[i]);
	return 0;
}

static int probe_capadd(char **argv)
{
	(void)argv;
	/* CAP_NET_BIND_SERVICE (10) only, in every set */
	if (!status_has("CapEff:\t0000000000000400") || !status_has("CapBnd:\t0000000000000400") ||
	    !status_has("CapAmb:\t0000000000000400"))
		return bad("--cap-add net_bind_service: not exactly that cap");
	return 0;
}

#define WANT_ERRNO(call, e)                                                                      \
	do {                                                                                     \
		errno = 0;                                                                       \
		long r_ = (long)(call);                                                          \
		if (r_ != -1 || errno != (e))                                                    \
			return bad("%s: returned %ld (%s), want %s", #call, r_, strerror(errno), \
				   #e);                                                          \
	} while (0)

static int probe_syscalls(char **argv)
{
	char c = 'x';

	(void)argv;
	WANT_ERRNO(unshare(CLONE_NEWUSER), EPERM);
	WANT_ERRNO(syscall(SYS_clone3, NULL, 0), ENOSYS);
	WANT_ERRNO(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM);
	WANT_ERRNO(syscall(SYS_add_key, "user", "k", "v", 1, -2), EPERM);
	WANT_ERRNO(syscall(SYS_setns, 0, 0), EPERM);
	/* ptrace passes seccomp; the kernel refuses it: init is not dumpable */
	WANT_ERRNO(syscall(SYS_ptrace, 16 /* ATTACH */, 1, 0, 0), EPERM);
	WANT_ERRNO(syscall(SYS_process_vm_readv, 1, NULL, 0, NULL, 0, 0), EPERM);
	WANT_ERRNO(syscall(SYS_bpf, 0, NULL, 0), EPERM);
	WANT_ERRNO(syscall(SYS_io_uring_setup, 1, NULL), EPERM);
	WANT_ERRNO(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM);
	WANT_ERRNO(syscall(SYS_userfaultfd, 0), EPERM);
	WANT_ERRNO(syscall(SYS_init_module, NULL, 0, ""), EPERM);
	WANT_ERRNO(syscall(SYS_finit_module, 0, "", 0), EPERM);
	WANT_ERRNO(syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM);
	WANT_ERRNO(syscall(SYS_open_by_handle_at, 0, NULL, 0), EPERM);
	WANT_ERRNO(syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL), EPERM);
	WANT_ERRNO(syscall(SYS_umount2, "/tmp", 0), EPERM);
	WANT_ERRNO(syscall(SYS_pivot_root, "/", "/"), EPERM);
	WANT_ERRNO(syscall(SYS_syslog, 3, NULL, 0), EPERM);
	WANT_ERRNO(syscall(SYS_reboot, 0, 0, 0, NULL), EPERM);
	WANT_ERRNO(syscall(SYS_ioctl, 0, TIOCSTI, &c), EPERM);
	WANT_ERRNO(syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &c), EPERM);
	WANT_ERRNO(personality(ADDR_NO_RANDOMIZE), EPERM);
	WANT_ERRNO(syscall(SYS_pidfd_getfd, 0, 0, 0), EPERM);
	return 0;
}

static bool if_up(int s, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
}

/* argv[0]: the host's up interfaces (comma separated) that must not be
 * here. Kernels with built-in tunnel drivers give every network namespace
 * its own fallback devices (sit0, tunl0, ...): those may exist, down.
 */
static int probe_net(char **argv)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct sockaddr_in sa;
	char host[1024], *tok, *save = NULL;
	int s, lo = 0;

	if (!ifs)
		return bad("if_nameindex: %m");
	s = socket(AF_INET, SOCK_DGRAM, 0);
	for (i = ifs; i->if_index; i++) {
		if (strcmp(i->if_name, "lo") == 0) {
			lo++;
			continue;
		}
		if (if_up(s, i->if_name))
			return bad("interface %s is up", i->if_name);
		snprintf(host, sizeof(host), "%s", argv[0] ? argv[0] : "");
		for (tok = strtok_r(host, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (strcmp(tok, i->if_name) == 0)
				return bad("host interface %s visible", i->if_name);
	}
	if_freenameindex(ifs);
	if (lo != 1 || !if_up(s, "lo"))
		return bad("lo missing or not up");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(53);
	inet_pton(AF_INET, "10.0.2.3", &sa.sin_addr);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return bad("could route to 10.0.2.3");
	close(s);
	return 0;
}

static int probe_fds(char **argv)
{
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	(void)argv;
	if (!d)
		return bad("opendir /proc/self/fd: %m");
	while ((e = readdir(d))) {
		int fd;

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd == dirfd(d))
			continue;
		if (fd > 2) {
			char t[256] = "", p[64];

			snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
			if (readlink(p, t, sizeof(t) - 1) < 0)
				t[0] = '\0';
			return bad("fd %d is open (%s)", fd, t);
		}
		n++;
	}
	closedir(d);
	if (n != 3)
		return bad("%d of fds 0-2 open", n);
	return 0;
}

static int probe_hostname(char **argv)
{
	struct utsname u;

	uname(&u);
	if (strcmp(u.nodename, argv[0]) != 0)
		return bad("hostname '%s', want '%s'", u.nodename, argv[0]);
	if (sethostname("x", 1) == 0)
		return bad("sethostname worked without CAP_SYS_ADMIN");
	return 0;
}

/*
 * argv: uid inside, and the host uid it maps to, or "private": uids 0..65535
 * inside are a range of host ids above those of any host user, so a file
 * readable only by host root (/etc/shadow) is out of reach.
 */
static int probe_uid(char **argv)
{
	unsigned int in, out, count;
	char buf[128];

	if (getuid() != (uid_t)atoi(argv[0]) || geteuid() != (uid_t)atoi(argv[0]))
		return bad("uid %u, want %s", getuid(), argv[0]);
	if (read_file("/proc/self/uid_map", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%u %u %u", &in, &out, &count) != 3)
		return bad("read uid_map");
	if (!strcmp(argv[1], "private")) {
		if (in != 0 || count < 65536 || out < 65536)
			return bad("uid_map '%s', want 0 <a private range of 65536+ ids>", buf);
		if (access("/etc/shadow", F_OK) == 0 && open("/etc/shadow", O_RDONLY) >= 0)
			return bad("/etc/shadow is readable: the app has host root's file access");
		if (read_file("/proc/self/gid_map", buf, sizeof(buf)) < 0 ||
		    sscanf(buf, "%u %u %u", &in, &out, &count) != 3 || in != 0 || out < 65536)
			return bad("gid_map '%s', want a private range", buf);
	} else if (in != (unsigned int)atoi(argv[0]) || out != (unsigned int)atoi(argv[1]) ||
		   count != 1) {
		return bad("uid_map '%s', want %s %s 1", buf, argv[0], argv[1]);
	}
	if (!status_has("CapEff:\t0000000000000000"))
		return bad("has capabilities");
	return 0;
}

static int probe_cgroup(char **argv)
{
	char buf[128];

	/* argv: pids.max memory.max cpu.max */
	if (read_file("/proc/self/cgroup", buf, sizeof(buf)) < 0 || strcmp(buf, "0::/\n") != 0)
		return bad("/proc/self/cgroup is '%s', want 0::/ (own cgroup ns)", buf);
	if (read_file("/sys/fs/cgroup/pids.max", buf, sizeof(buf)) < 0 ||
	    strtoul(buf, NULL, 10) != strtoul(argv[0], NULL, 10))
		return bad("pids.max '%s', want %s", buf, argv[0]);
	if (read_file("/sys/fs/cgroup/memory.max", buf, sizeof(buf)) < 0 ||
	    strtoull(buf, NULL, 10) != strtoull(argv[1], NULL, 10))
		return bad("memory.max '%s', want %s", buf, argv[1]);
	if (read_file("/sys/fs/cgroup/memory.swap.max", buf, sizeof(buf)) >= 0 &&
	    strcmp(buf, "0\n") != 0)
		return bad("memory.swap.max '%s', want 0", buf);
	if (read_file("/sys/fs/cgroup/cpu.max", buf, sizeof(buf)) < 0 ||
	    strncmp(buf, argv[2], strlen(argv[2])) != 0)
		return bad("cpu.max '%s', want %s", buf, argv[2]);
	if (open("/sys/fs/cgroup/pids.max", O_WRONLY) >= 0)
		return bad("could open pids.max for writing");
	return 0;
}

/* fork until refused; prints how many processes it got */
static int probe_forkcount(char **argv)
{
	long limit = atol(argv[0]), n = 0;

	for (;;) {
		pid_t p = fork();

		if (p < 0) {
			if (errno != EAGAIN)
				return bad("fork: %m, want EAGAIN");
			break;
		}
		if (p == 0) {
			pause();
			_exit(0);
		}
		if (++n > limit)
			return bad("forked %ld > pids.max %ld", n, limit);
	}
	printf("%ld\n", n);
	fflush(stdout);
	/* end the children, not ourselves */
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
	return 0;
}

static int probe_forkbomb(char **argv)
{
	(void)argv;
	for (;;)
		fork();
	return 1;
}

static int probe_memhog(char **argv)
{
	size_t mb = (size_t)atol(argv[0]), i;

	for (i = 0; i < mb; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			return bad("mmap failed at %zu MiB (want an OOM kill)", i);
		memset(p, 1, 1 << 20);
	}
	return bad("allocated %zu MiB: not OOM-killed", mb);
}

/* argv: rw dest, ro dest, tmpfs dest */
static int probe_binds(char **argv)
{
	char path[512], buf[64];
	struct statfs sf;
	int fd;

	snprintf(path, sizeof(path), "%s/from-inside", argv[0]);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "inside\n", 7) != 7)
		return bad("--rw %s not writable: %m", argv[0]);
	close(fd);
	snprintf(path, sizeof(path), "%s/host-file", argv[1]);
	if (read_file(path, buf, sizeof(buf)) < 0 || strcmp(buf, "host\n"))
		return bad("--ro %s: cannot read host-file", argv[1]);
	if (open(path, O_WRONLY) >= 0 || errno != EROFS)
		return bad("--ro %s: host-file writable (%s)", argv[1], strerror(errno));
	snprintf(path, sizeof(path), "%s/new", argv[1]);
	if (open(path, O_CREAT | O_WRONLY, 0644) >= 0)
		return bad("--ro %s: could create a file", argv[1]);
	if (statfs(argv[2], &sf) < 0 || sf.f_type != TMPFS_MAGIC)
		return bad("--tmpfs %s is not a tmpfs", argv[2]);
	snprintf(path, sizeof(path), "%s/x", argv[2]);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return bad("--tmpfs %s not writable: %m", argv[2]);
	close(fd);
	return 0;
}

/* the app's terminal: a pty of the subsystem's own devpts, its
 * controlling terminal, the app's group in the foreground, no TIOCSTI
 */
static int probe_tty(char **argv)
{
	const char *name = ttyname(0);
	char c = 'x';
	int i;

	(void)argv;
	for (i = 0; i < 3; i++)
		if (!isatty(i))
			return bad("fd %d is not a terminal", i);
	if (!name || strcmp(name, "/dev/pts/0") != 0)
		return bad("ttyname %s, want /dev/pts/0", name ? name : "(none)");
	if (getsid(0) != getpid())
		return bad("not a session leader (setsid)");
	if (tcgetpgrp(0) != getpgrp())
		return bad("not the foreground process group");
	if (ioctl(0, TIOCSTI, &c) == 0 || errno != EPERM)
		return bad("TIOCSTI on our own terminal: %s, want EPERM", strerror(errno));
	printf("READY\n");
	fflush(stdout);
	pause();
	return 3;
}

static int probe_sleep(char **argv)
{
	(void)argv;
	pause();
	return 3;
}

static int probe_exit(char **argv)
{
	return atoi(argv[0]);
}

static int probe_exec(char **argv)
{
	char comm[64] = "";

	/* joined with vos_subsys_exec: its parent is outside the PID ns */
	read_file("/proc/1/comm", comm, sizeof(comm));
	if (strcmp(comm, "vos-init\n") != 0)
		return bad("/proc/1/comm '%s', want vos-init", comm);
	if (getpid() == 1 || getppid() != 0)
		return bad("pid %d ppid %d, want ppid 0", getpid(), getppid());
	if (probe_hostname(argv) || probe_caps(argv) || probe_fds(argv))
		return 1;
	if (probe_rootfs(argv) || probe_syscalls(argv))
		return 1;
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(char **argv);
} probes[] = {
	{ "pid1", probe_pid1 },		{ "aspid1", probe_aspid1 },
	{ "rootfs", probe_rootfs },	{ "tmp", probe_tmp },
	{ "proc", probe_proc },		{ "dev", probe_dev },
	{ "sockets", probe_sockets },	{ "caps", probe_caps },
	{ "view", probe_view },		{ "hostsock", probe_hostsock },
	{ "capadd", probe_capadd },	{ "syscalls", probe_syscalls },
	{ "net", probe_net },		{ "fds", probe_fds },
	{ "hostname", probe_hostname }, { "uid", probe_uid },
	{ "cgroup", probe_cgroup },	{ "forkcount", probe_forkcount },
	{ "forkbomb", probe_forkbomb }, { "memhog", probe_memhog },
	{ "sleep", probe_sleep },	{ "binds", probe_binds },
	{ "tty", probe_tty },		{ "exit", probe_exit },
	{ "exec", probe_exec },
};

/* ------------------------------------------------------------------------ */
/* the tests: run outside                                                    */
/* ------------------------------------------------------------------------ */

static char self_exe[4096];
static char build_dir[4096]; /* bound read-only into every subsystem */
static bool use_module;
static int name_seq;

struct run {
	struct vos_ctx *ctx;
	struct vos_config *cfg;
	struct vos_subsys *s;
	struct vos_proc *p;
	char name[64];
	char out[256]; /* probe's stdout */
	int out_pipe[2];
};

static int run_start(struct run *r, void (*tune)(struct vos_config *), const char *probe,
		     const char *a1, const char *a2, const char *a3)
{
	char *argv[7] = { self_exe,   "--probe",  (char *)probe, (char *)a1,
			  (char *)a2, (char *)a3, NULL };
	int ret;

	memset(r, 0, sizeof(*r));
	r->out_pipe[0] = r->out_pipe[1] = -1;
	if (vos_ctx_new(&r->ctx) < 0 || vos_config_new(r->ctx, &r->cfg) < 0)
		return -ENOMEM;
	snprintf(r->name, sizeof(r->name), "lt-%d-%d", (int)getpid(), ++name_seq);
	vos_config_set_name(r->cfg, r->name);
	vos_config_set_tty(r->cfg, VOS_TTY_NONE);
	/* the default root shows only the host's system directories */
	vos_config_add_bind(r->cfg, build_dir, NULL, VOS_BIND_RO);
	if (pipe2(r->out_pipe, O_CLOEXEC) < 0)
		return -errno;
	vos_config_set_stdio(r->cfg, -1, r->out_pipe[1], 2);
	if (tune)
		tune(r->cfg);
	if (use_module) {
		ret = vos_subsys_create(r->ctx, r->cfg, &r->s);
		if (ret < 0)
			goto fail;
		ret = vos_subsys_spawn(r->s, r->cfg, argv, NULL, &r->p);
	} else {
		ret = vos_proc_spawn(r->ctx, r->cfg, argv, NULL, &r->p);
	}
fail:
	close(r->out_pipe[1]);
	r->out_pipe[1] = -1;
	if (ret < 0)
		tap_diag("spawn %s: %s", probe, vos_ctx_errmsg(r->ctx));
	return ret;
}

static int run_wait(struct run *r, int *ws)
{
	ssize_t n;
	int ret;

	ret = vos_proc_wait(r->p, ws, 0);
	if (ret < 0)
		tap_diag("wait: %s", vos_ctx_errmsg(r->ctx));
	n = read(r->out_pipe[0], r->out, sizeof(r->out) - 1);
	r->out[n > 0 ? n : 0] = '\0';
	return ret;
}

static void run_end(struct run *r)
{
	vos_proc_free(r->p);
	vos_subsys_free(r->s);
	vos_config_free(r->cfg);
	vos_ctx_free(r->ctx);
	if (r->out_pipe[0] >= 0)
		close(r->out_pipe[0]);
	if (r->out_pipe[1] >= 0)
		close(r->out_pipe[1]);
}

/* spawn @probe, wait, and check it exited 0 */
static bool probe_ok(void (*tune)(struct vos_config *), const char *probe, const char *a1,
		     const char *a2, const char *a3)
{
	struct run r;
	int ws = -1;
	bool ok = false;

	if (run_start(&r, tune, probe, a1, a2, a3) == 0 && run_wait(&r, &ws) == 0) {
		ok = WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
		if (!ok)
			tap_diag("probe %s: wait status 0x%x", probe, ws);
	}
	run_end(&r);
	return ok;
}

static void tune_pid1(struct vos_config *c)
{
	vos_config_set_as_pid1(c, true);
}

static void tune_host(struct vos_config *c)
{
	vos_config_set_hostname(c, "lt-box");
}

static void tune_capadd(struct vos_config *c)
{
	vos_config_add_cap(c, "net_bind_service");
}

static void tune_host_ids(struct vos_config *c)
{
	vos_config_set_host_ids(c, true);
}

static void tune_root(struct vos_config *c)
{
	vos_config_set_root(c, true);
}

/* The default limits need a cgroup the caller may make; lifting them is
 * the explicit way for a caller that has none (issue 11 D).
 */
static void tune_nolimits(struct vos_config *c)
{
	vos_config_set_memory(c, 0);
	vos_config_set_pids(c, 0);
}

static void tune_root_nolimits(struct vos_config *c)
{
	tune_nolimits(c);
	tune_root(c);
}

static void tune_limits(struct vos_config *c)
{
	vos_config_set_pids_str(c, "24");
	vos_config_set_memory_str(c, "48M");
	vos_config_set_cpus_str(c, "0.5");
}

static void tune_pids(struct vos_config *c)
{
	vos_config_set_pids_str(c, "24");
}

static void tune_mem(struct vos_config *c)
{
	vos_config_set_memory_str(c, "32M");
}

static bool host_can_fork(void)
{
	pid_t p = fork();
	int st;

	if (p < 0)
		return false;
	if (p == 0)
		_exit(42);
	return waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 42;
}

static void test_tmp(void)
{
	char marker[64];
	int fd;

	snprintf(marker, sizeof(marker), "/tmp/vos-lt-marker-%d", (int)getpid());
	fd = open(marker, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
	tap_ok(fd >= 0 && probe_ok(NULL, "tmp", marker, NULL, NULL),
	       "private empty writable /tmp; host /tmp files invisible");
	unlink(marker);
}

/* A host socket listening on @path (replaced if it exists); -1 if not. */
static int listen_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 4) < 0) {
		tap_diag("host socket %s: %s", path, strerror(errno));
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static void test_sockets(void)
{
	char path[64], abs_name[64];
	struct sockaddr_un sa;
	int s1 = -1, s2 = -1;
	socklen_t len;

	mkdir("/run", 0755);
	snprintf(path, sizeof(path), "/run/vos-lt-%d.sock", (int)getpid());
	snprintf(abs_name, sizeof(abs_name), "vos-lt-%d", (int)getpid());
	s1 = listen_path(path);
	s2 = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "%s", abs_name);
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(abs_name);
	if (bind(s2, (struct sockaddr *)&sa, len) < 0 || listen(s2, 1) < 0)
		tap_diag("abstract socket: %s", strerror(errno));
	tap_ok(probe_ok(NULL, "sockets", path, abs_name, NULL),
	       "no host sockets: /run empty, host socket and abstract socket unreachable");
	close(s1);
	close(s2);
	unlink(path);
}

static void tune_host_root(struct vos_config *c)
{
	vos_config_set_host_root(c, true);
}

/*
 * The default root against a service socket elsewhere on the host (hole 3
 * of Documentation/security.md): connect() needs only write permission on
 * the socket, so a read-only view of the whole host root would expose it.
 */
static void test_view(void)
{
	char path[64], first[256];
	const char *slash;
	int s;

	mkdir("/srv", 0755);
	snprintf(path, sizeof(path), "/srv/vos-lt-%d.sock", (int)getpid());
	slash = strchr(build_dir + 1, '/');
	snprintf(first, sizeof(first), "%.*s", slash ? (int)(slash - build_dir - 1) : 255,
		 build_dir + 1);
	s = listen_path(path);
	if (s >= 0 && chmod(path, 0777) < 0)
		tap_diag("chmod %s: %s", path, strerror(errno));
	tap_ok(probe_ok(NULL, "view", path, first, NULL),
	       "default root: only the host's system directories; a socket in /srv is not there");
	tap_ok(probe_ok(tune_host_root, "hostsock", path, NULL, NULL),
	       "control: with the whole host root shown, the same socket connects");
	close(s);
	unlink(path);
}

static void test_fds(void)
{
	int fd = open("/etc/hostname", O_RDONLY); /* not O_CLOEXEC */
	int fd2 = dup2(fd >= 0 ? fd : 0, 47);

	tap_ok(probe_ok(NULL, "fds", NULL, NULL, NULL),
	       "only fds 0-2 inside (a leaked non-CLOEXEC fd is closed)");
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
}

static char bind_rw[128], bind_ro[128], bind_root[128];
/* the owner of the bind directories on the host: neither root nor a range id */
#define BIND_OWNER 4242

static void tune_binds(struct vos_config *c)
{
	char spec[300];

	/* destinations under /tmp: our tmpfs, so they can be created */
	snprintf(spec, sizeof(spec), "%s:/tmp/rw", bind_rw);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RW);
	snprintf(spec, sizeof(spec), "%s:/tmp/ro", bind_ro);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RO);
	vos_config_add_tmpfs(c, "/tmp/scratch");
}

static void tune_root_owned_rw(struct vos_config *c)
{
	char spec[300];

	snprintf(spec, sizeof(spec), "%s:/tmp/rw", bind_root);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RW);
}

/* the root-owned directory, writable and read-only, as the caller */
static void tune_host_ids_binds(struct vos_config *c)
{
	char spec[300];

	snprintf(spec, sizeof(spec), "%s:/tmp/rw", bind_root);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RW);
	snprintf(spec, sizeof(spec), "%s:/tmp/ro", bind_root);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RO);
	vos_config_add_tmpfs(c, "/tmp/scratch");
	vos_config_set_host_ids(c, true);
}

static void tune_symlink_src(struct vos_config *c)
{
	char spec[300];

	snprintf(spec, sizeof(spec), "%s/link:/tmp/l", bind_ro);
	vos_config_add_bind_spec(c, spec, VOS_BIND_RO);
}

static void test_binds(void)
{
	char path[256], buf[64] = "";
	struct run r;
	int fd, ret;

	/* private directories of a host user, on a file system with idmapped
	 * mounts on every kernel (vm-run's ext4 scratch disk)
	 */
	const char *base = getenv("VOS_SCRATCH") ? getenv("VOS_SCRATCH") : "/var/tmp";
	struct stat st;
	bool owned;

	snprintf(bind_rw, sizeof(bind_rw), "%s/vos-lt-rw-%d", base, (int)getpid());
	snprintf(bind_ro, sizeof(bind_ro), "%s/vos-lt-ro-%d", base, (int)getpid());
	snprintf(bind_root, sizeof(bind_root), "%s/vos-lt-root-%d", base, (int)getpid());
	mkdir(bind_rw, 0700);
	mkdir(bind_ro, 0700);
	mkdir(bind_root, 0755);
	snprintf(path, sizeof(path), "%s/host-file", bind_ro);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, "host\n", 5) != 5)
			tap_diag("write %s: %s", path, strerror(errno));
		if (fchown(fd, BIND_OWNER, BIND_OWNER) < 0)
			tap_diag("chown %s: %s", path, strerror(errno));
		close(fd);
	}
	if (chown(bind_rw, BIND_OWNER, BIND_OWNER) < 0 ||
	    chown(bind_ro, BIND_OWNER, BIND_OWNER) < 0)
		tap_diag("chown the bind directories: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/link", bind_ro);
	if (symlink("/etc", path) < 0)
		tap_diag("symlink %s: %s", path, strerror(errno));
	tap_ok(probe_ok(tune_binds, "binds", "/tmp/rw", "/tmp/ro", "/tmp/scratch"),
	       "--rw bind writable, --ro bind read-only (a 0700 directory and 0600 file of host user %d: readable as their owner), --tmpfs is a tmpfs",
	       BIND_OWNER);
	snprintf(path, sizeof(path), "%s/from-inside", bind_rw);
	fd = open(path, O_RDONLY);
	owned = false;
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) < 0)
			buf[0] = '\0';
		owned = fstat(fd, &st) == 0 && st.st_uid == BIND_OWNER && st.st_gid == BIND_OWNER &&
			!(st.st_mode & (S_ISUID | S_ISGID));
		if (!owned)
			tap_diag("from-inside is %u:%u mode %o on the host", (unsigned)st.st_uid,
				 (unsigned)st.st_gid, (unsigned)st.st_mode);
		close(fd);
		unlink(path);
	}
	tap_ok(!strcmp(buf, "inside\n") && owned,
	       "what the app wrote in the --rw bind is on the host, owned by the directory's owner (%d:%d), not by root or a range id",
	       BIND_OWNER, BIND_OWNER);
	/* a root-owned --rw directory: files there would be root's */
	ret = run_start(&r, tune_root_owned_rw, "exit", "0", NULL, NULL);
	tap_ok(ret == -EPERM && vos_ctx_errclass(r.ctx) == VOS_ERR_USAGE &&
		       strstr(vos_ctx_errmsg(r.ctx), "belongs to root"),
	       "a root-owned --rw directory is refused (a usage error saying why): %s",
	       vos_ctx_errmsg(r.ctx));
	if (ret == 0) {
		int ws;

		run_wait(&r, &ws);
	}
	run_end(&r);
	/* the explicit relaxation: the app is the caller (root) and may write
	 * into the root-owned directory; what it writes is root's
	 */
	snprintf(path, sizeof(path), "%s/host-file", bind_root);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "host\n", 5) != 5)
		tap_diag("write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	tap_ok(probe_ok(tune_host_ids_binds, "binds", "/tmp/rw", "/tmp/ro", "/tmp/scratch"),
	       "host_ids (--as-user): a root-owned directory binds, writable and read-only, as the caller");
	unlink(path);
	snprintf(path, sizeof(path), "%s/from-inside", bind_root);
	tap_ok(stat(path, &st) == 0 && st.st_uid == geteuid(),
	       "host_ids: what the app wrote belongs to the caller (uid %u)", (unsigned)geteuid());
	unlink(path);
	ret = run_start(&r, tune_symlink_src, "exit", "0", NULL, NULL);
	tap_ok(ret == -ELOOP && strstr(vos_ctx_errmsg(r.ctx), "symlink"),
	       "a bind source through a symlink is refused: %s", vos_ctx_errmsg(r.ctx));
	if (ret == 0) {
		int ws;

		run_wait(&r, &ws);
	}
	run_end(&r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/host-file", bind_ro);
	unlink(path);
	snprintf(path, sizeof(path), "%s/link", bind_ro);
	unlink(path);
	rmdir(bind_rw);
	rmdir(bind_ro);
	rmdir(bind_root);
}

static void test_unprivileged(void)
{
	pid_t p;
	int st;

	/* as an ordinary user (nobody): mapped identity, and --root */
	p = fork();
	if (p == 0) {
		bool ok0, ok1, ok2, ok3 = true;
		struct vos_ctx *c;
		struct vos_config *cfg;
		struct vos_subsys *s = NULL;

		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(10);
		/* as an ordinary login would be (setuid made us non-dumpable,
		 * which hides our children's /proc files from ourselves)
		 */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		use_module = false;
		/* with the default limits and no cgroup of its own: refused,
		 * saying why (fail closed)
		 */
		{
			struct run r;

			ok0 = run_start(&r, NULL, "uid", "65534", "65534", NULL) < 0 &&
			      strstr(vos_ctx_errmsg(r.ctx), "cgroup");
			run_end(&r);
		}
		ok1 = probe_ok(tune_nolimits, "uid", "65534", "65534", NULL);
		ok2 = probe_ok(tune_root_nolimits, "uid", "0", "65534", NULL);
		if (access("/dev/vos", F_OK) == 0) {
			int r;

			vos_ctx_new(&c);
			vos_config_new(c, &cfg);
			r = vos_subsys_create(c, cfg, &s);
			ok3 = (r == -EPERM || r == -EACCES) &&
			      vos_ctx_errclass(c) == VOS_ERR_PERM &&
			      strstr(vos_ctx_errmsg(c), "CAP_SYS_ADMIN");
			if (!ok3)
				fprintf(stderr, "create as nobody: %d %s\n", r, vos_ctx_errmsg(c));
		}
		_exit(ok0 && ok1 && ok2 && ok3 ? 0 : 1);
	}
	tap_ok(p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "unprivileged user: default limits refused without a cgroup; without limits mapped uid, --root is uid 0 inside; registration refused with CAP_SYS_ADMIN hint");
}

static void test_forkbomb(void)
{
	struct run r;
	int ws = -1;
	bool ok;
	long n;

	ok = run_start(&r, tune_pids, "forkcount", "24", NULL, NULL) == 0 &&
	     run_wait(&r, &ws) == 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
	n = atol(r.out);
	run_end(&r);
	tap_ok(ok && n > 0 && n < 24, "pids.max=24: fork refused with EAGAIN after %ld processes",
	       n);

	ok = run_start(&r, tune_pids, "forkbomb", NULL, NULL, NULL) == 0;
	if (ok) {
		struct timespec ts = { 2, 0 };

		nanosleep(&ts, NULL);
		ok = host_can_fork();
		if (!ok)
			tap_diag("host cannot fork during the bomb");
		/* end it: killing init takes the whole PID namespace */
		if (use_module)
			vos_subsys_end(r.s);
		else
			vos_proc_kill(r.p, SIGKILL);
		ok = run_wait(&r, &ws) == 0 && ok;
	}
	run_end(&r);
	tap_ok(ok && host_can_fork(),
	       "a fork bomb under pids.max dies alone; the host still forks");
}

static void test_memhog(void)
{
	struct run r;
	int ws = -1;
	bool ok;

	ok = run_start(&r, tune_mem, "memhog", "512", NULL, NULL) == 0 && run_wait(&r, &ws) == 0;
	run_end(&r);
	if (ok && !(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL))
		tap_diag("memhog wait status 0x%x, want killed by SIGKILL", ws);
	tap_ok(ok && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL && host_can_fork(),
	       "a memory hog under memory.max=32M is OOM-killed alone (app status: SIGKILL)");
}

static void test_exit_status(void)
{
	struct run r;
	int ws = -1;
	bool ok;

	ok = run_start(&r, NULL, "exit", "7", NULL, NULL) == 0 && run_wait(&r, &ws) == 0;
	run_end(&r);
	tap_ok(ok && WIFEXITED(ws) && WEXITSTATUS(ws) == 7,
	       "exit status of the app passes through the mini init");

	ok = run_start(&r, NULL, "sleep", NULL, NULL, NULL) == 0;
	if (ok) {
		/* to init, which forwards it to the app */
		ok = vos_proc_kill(r.p, SIGTERM) == 0;
		ok = run_wait(&r, &ws) == 0 && ok;
	}
	run_end(&r);
	tap_ok(ok && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM && vos_wstatus_to_exit(ws) == 143,
	       "SIGTERM forwarded by init; app status 'killed by SIGTERM' (143)");
}

/* Ctrl-C typed on the caller's side reaches the app through the pty */
static void test_tty(void)
{
	char *argv[] = { self_exe, "--probe", "tty", NULL };
	int in_p[2], out_p[2], ws = -1, r;
	struct vos_ctx *c;
	struct vos_config *cfg;
	struct vos_proc *p = NULL;
	pid_t helper;

	if (pipe(in_p) < 0 || pipe(out_p) < 0) {
		tap_ok(0, "Ctrl-C: pipes");
		return;
	}
	helper = fork();
	if (helper == 0) {
		char buf[4096];
		size_t have = 0;
		ssize_t n;

		close(in_p[0]);
		close(out_p[1]);
		while ((n = read(out_p[0], buf + have, sizeof(buf) - 1 - have)) > 0) {
			have += n;
			buf[have] = '\0';
			if (strstr(buf, "READY")) {
				usleep(200 * 1000);
				if (write(in_p[1], "\003", 1) != 1)
					_exit(1);
				break;
			}
			if (have >= sizeof(buf) - 1)
				have = 0;
		}
		/* drain until the relay ends */
		while (read(out_p[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(in_p[1]);
	close(out_p[0]);
	vos_ctx_new(&c);
	vos_config_new(c, &cfg);
	vos_config_add_bind(cfg, build_dir, NULL, VOS_BIND_RO);
	/* no subsystem, so no private range: the caller's identity, asked for */
	vos_config_set_host_ids(cfg, true);
	vos_config_set_tty(cfg, VOS_TTY_PTY);
	vos_config_set_stdio(cfg, in_p[0], out_p[1], out_p[1]);
	r = vos_proc_spawn(c, cfg, argv, NULL, &p);
	if (r < 0)
		tap_diag("spawn tty: %s", vos_ctx_errmsg(c));
	else
		r = vos_proc_wait(p, &ws, 0);
	close(in_p[0]);
	close(out_p[1]);
	waitpid(helper, NULL, 0);
	if (r == 0 && !(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGINT))
		tap_diag("tty probe: wait status 0x%x, want killed by SIGINT", ws);
	tap_ok(r == 0 && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGINT,
	       "terminal: own pty /dev/pts/0, session leader in the foreground, no TIOCSTI; Ctrl-C kills the app (SIGINT)");
	vos_proc_free(p);
	vos_config_free(cfg);
	vos_ctx_free(c);
}

static void test_cmd_errors(void)
{
	struct vos_ctx *c;
	struct vos_config *cfg;
	struct vos_proc *p = NULL;
	char *nf[] = { "/nonexistent/vos-cmd", NULL };
	char *nx[] = { "/etc/passwd", NULL };
	int r1, r2, cls1, cls2;

	vos_ctx_new(&c);
	vos_config_new(c, &cfg);
	vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (geteuid() == 0) {
		/* no subsystem, no private range: as root, fail closed */
		int r0 = vos_proc_spawn(c, cfg, nf, NULL, &p);

		tap_ok(r0 == -EPERM && vos_ctx_errclass(c) == VOS_ERR_USAGE &&
			       strstr(vos_ctx_errmsg(c), "host root"),
		       "root caller, no subsystem, no host_ids: refused, the app would be host root (%s)",
		       vos_ctx_errmsg(c));
	} else {
		tap_ok(true, "(not root: the caller's own identity is the only one)");
	}
	vos_config_set_host_ids(cfg, true);
	r1 = vos_proc_spawn(c, cfg, nf, NULL, &p);
	cls1 = vos_ctx_errclass(c);
	r2 = vos_proc_spawn(c, cfg, nx, NULL, &p);
	cls2 = vos_ctx_errclass(c);
	tap_ok(r1 == -ENOENT && cls1 == VOS_ERR_NOCMD && r2 == -EACCES && cls2 == VOS_ERR_NOEXEC,
	       "missing command: -ENOENT/NOCMD; not executable: -EACCES/NOEXEC");
	vos_config_free(cfg);
	vos_ctx_free(c);
}

int main(int argc, char **argv)
{
	char pidsmax[16], memmax[32];
	ssize_t n;
	size_t i;

	if (argc >= 3 && strcmp(argv[1], "--probe") == 0) {
		for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			if (strcmp(probes[i].name, argv[2]) == 0)
				return probes[i].fn(argv + 3);
		return bad("unknown probe %s", argv[2]);
	}
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	tap_build_dir(self_exe, build_dir, sizeof(build_dir));
	use_module = access("/dev/vos", F_OK) == 0;
	/* everything we spawn must not hang on our stdout */
	setvbuf(stdout, NULL, _IOLBF, 0);

	tap_plan(34);
	tap_ok(use_module || !getenv("VOS_GUEST"),
	       "vos.ko loaded (/dev/vos): subsystems are registered");
	if (!use_module)
		tap_diag("no /dev/vos: unregistered subsystems (host run)");
	tap_ok(probe_ok(NULL, "pid1", NULL, NULL, NULL),
	       "app is pid 2 under the mini init (pid 1, vos-init)");
	tap_ok(probe_ok(tune_pid1, "aspid1", NULL, NULL, NULL), "--as-pid1: app is pid 1");
	tap_ok(probe_ok(NULL, "rootfs", NULL, NULL, NULL), "root is read-only, nosuid, nodev");
	test_tmp();
	tap_ok(probe_ok(NULL, "proc", NULL, NULL, NULL),
	       "fresh /proc of the PID ns, sensitive files masked, /proc/sys read-only");
	tap_ok(probe_ok(NULL, "dev", NULL, NULL, NULL),
	       "minimal /dev: null zero full random urandom tty pts ptmx shm; no /dev/vos; no mknod");
	test_sockets();
	test_view();
	tap_ok(probe_ok(NULL, "caps", NULL, NULL, NULL),
	       "no capabilities in any set; NoNewPrivs 1; Seccomp 2");
	tap_ok(probe_ok(tune_capadd, "capadd", NULL, NULL, NULL),
	       "--cap-add net_bind_service keeps exactly that one");
	tap_ok(probe_ok(NULL, "syscalls", NULL, NULL, NULL),
	       "blocked syscalls fail with the expected errno (EPERM, clone3 ENOSYS, TIOCSTI)");
	{
		struct if_nameindex *ifs, *ifp;
		char up[1024] = "";
		int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		/* a host interface that is up for sure (a guest may have none) */
		int dummy = system("ip link add vos-lt0 type dummy 2>/dev/null && "
				   "ip link set vos-lt0 up 2>/dev/null");

		ifs = if_nameindex();

		for (ifp = ifs; ifs && ifp->if_index; ifp++) {
			if (strcmp(ifp->if_name, "lo") && if_up(s, ifp->if_name) &&
			    strlen(up) + strlen(ifp->if_name) + 2 < sizeof(up)) {
				strcat(up, ifp->if_name);
				strcat(up, ",");
			}
		}
		if (ifs)
			if_freenameindex(ifs);
		close(s);
		if (dummy == 0 && !strstr(up, "vos-lt0"))
			tap_diag("dummy host interface vos-lt0 not seen up");
		tap_ok(probe_ok(NULL, "net", up, NULL, NULL),
		       "own network namespace: lo up, no host interface (%s), nothing routable",
		       up[0] ? up : "none up");
		if (dummy == 0 && system("ip link del vos-lt0 2>/dev/null") != 0)
			tap_diag("could not remove vos-lt0");
	}
	test_fds();
	tap_ok(probe_ok(tune_host, "hostname", "lt-box", NULL, NULL),
	       "hostname set per subsystem and not changeable inside");
	snprintf(pidsmax, sizeof(pidsmax), "%u", (unsigned)geteuid());
	if (geteuid() == 0 && use_module) {
		tap_ok(probe_ok(NULL, "uid", "0", "private", NULL),
		       "a root caller's app is uid 0 of the subsystem's private host id range: not host root, /etc/shadow unreadable");
		tap_ok(probe_ok(tune_host_ids, "uid", "0", "0", NULL),
		       "host_ids (--as-user): the caller's own uid, one id (the relaxation)");
	} else {
		tap_ok(probe_ok(geteuid() == 0 ? tune_host_ids : NULL, "uid", pidsmax, pidsmax,
				NULL),
		       "invoking user mapped to itself (uid %s)", pidsmax);
		tap_ok(true, "(no private range without vos.ko)");
	}
	test_binds();
	test_unprivileged();
	snprintf(memmax, sizeof(memmax), "%llu", 48ULL << 20);
	tap_ok(probe_ok(tune_limits, "cgroup", "24", memmax, "50000 100000"),
	       "own cgroup (ns root): pids.max, memory.max, swap 0, cpu.max set and read-only");
	test_forkbomb();
	test_memhog();
	test_exit_status();
	test_tty();
	test_cmd_errors();
	return tap_failed ? 1 : 0;
}
