// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_identity - the file access of a host user the app was not given
 * (issue 11, part A). With the map "0 <caller> 1" the app of `sudo vosctl
 * run` was host uid 0 without capabilities: it read /etc/shadow and a 0600
 * root file, mapped a PCI BAR through a root-owned sysfs resource file, held
 * a lease on /etc/hosts that blocked host writers, and planted a setuid-root
 * program through --rw that a host user then ran as root. Each attempt is
 * tagged with its letter, so that a control can show that each one works:
 *
 *   esc_identity [--control] [--secret FILE] [--sysfs FILE] [--plant DIR --helper PROG]
 *       (a) read /etc/shadow
 *       (b) read FILE (a 0600 root file of the runner's)
 *       (c) open FILE (a 0600 root sysfs file: a PCI resourceN, or where
 *           the guest has none another root-only sysfs file) read-write and
 *           mmap it shared, then read-only and mmap it (or read it)
 *       (d) take a read lease (F_SETLEASE) on /etc/hosts: the holder of
 *           one delays every writer's open by lease-break-time
 *       (e) DIR (a --rw bind) must be nosuid and nodev (statvfs); copy PROG
 *           into it as vesc-suid (mode 4755) and vesc-sgid (2755): whose
 *           they are on the host is judged from outside ("planted")
 *       (f) no extent of /proc/self/uid_map or gid_map may reach host ids
 *           0..65535 (host users and groups)
 *   esc_identity planted DIR UID
 *       outside, as root: no file in DIR may be owned by root or group
 *       root with the setuid or setgid bit, and host user UID running each
 *       setuid or setgid file there (a copy of esc_suidhelper) must not get
 *       euid 0; exit 2 if DIR holds no such file (nothing was planted, so
 *       nothing could be judged)
 *   esc_identity notify-hold
 *       make inotify instances, then fanotify groups (the kind a user
 *       without privilege may make), until the kernel refuses one, print
 *       "HOLDING ...", then keep them until stdin reaches EOF
 *   esc_identity notify-probe
 *       (g) outside, as root, while a holder holds: inotify_init1() and
 *       fanotify_init() must work. Both are counted per user
 *       (fs.inotify.max_user_instances, fs.fanotify.max_user_groups) in
 *       the caller's user namespace and, up the chain, for the owner of
 *       each user namespace in its parent: a holder charged to host root
 *       uses up root's.
 *
 * --control only says so in the output: the same attempts outside as root
 * (and in a subsystem made with --as-user by root) must work.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

/* (a), (b): read a file whose mode keeps us out */
static void try_read(const char *tag, const char *path)
{
	char what[600], buf[256];
	ssize_t n;

	esc_fmt(what, sizeof(what), "%s read %s", tag, path);
	n = esc_read_file(path, buf, sizeof(buf));
	if (n < 0)
		esc_refused(what, (int)-n);
	else
		esc_escaped(what, "%zd bytes read", n);
}

/* (c): a root-only sysfs file, read-write with a shared mapping, then read-only */
static void try_sysfs(const char *path)
{
	char what[600], buf[64];
	struct stat st;
	void *p;
	int fd;

	if (stat(path, &st) == 0)
		esc_info("(c) %s: mode %o, uid %u here, size %lld", path,
			 (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
			 (long long)st.st_size);
	fd = open(path, O_RDWR | O_CLOEXEC);
	esc_fmt(what, sizeof(what), "(c) open %s read-write", path);
	if (fd < 0) {
		esc_refused(what, errno);
	} else {
		esc_escaped(what, "opened");
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		esc_fmt(what, sizeof(what), "(c) mmap %s shared read-write", path);
		if (p == MAP_FAILED) {
			esc_info("%s: %s", what, strerror(errno));
		} else {
			esc_escaped(what, "mapped at %p (not touched)", p);
			munmap(p, 4096);
		}
		close(fd);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	esc_fmt(what, sizeof(what), "(c) open %s read-only", path);
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "opened");
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED) {
		esc_escaped(esc_fmt(what, sizeof(what), "(c) mmap %s shared read-only", path),
			    "mapped at %p (not touched)", p);
		munmap(p, 4096);
	} else if (strstr(path, "/resource")) {
		/* an I/O BAR (not mappable on x86): reading it reads ports; the open is enough */
		esc_info("(c) mmap %s read-only: %s", path, strerror(errno));
	} else {
		ssize_t n = read(fd, buf, sizeof(buf));

		esc_check(esc_fmt(what, sizeof(what), "(c) read %s", path), n);
	}
	close(fd);
}

/* (d): a read lease, given up at once */
static void try_lease(const char *path)
{
	char what[600];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	esc_fmt(what, sizeof(what), "(d) F_SETLEASE F_RDLCK on %s", path);
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	if (fcntl(fd, F_SETLEASE, F_RDLCK) < 0) {
		esc_refused(what, errno);
	} else {
		esc_escaped(what, "leased (writers' opens would wait for us)");
		fcntl(fd, F_SETLEASE, F_UNLCK);
	}
	close(fd);
}

/* copy @src to @dst (new), mode @mode set with fchmod after the copy */
static int copy_file(const char *src, const char *dst, mode_t mode)
{
	int in, out, e = 0;
	char buf[65536];
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		e = -errno;
		close(in);
		return e;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			e = -EIO;
			break;
		}
	if (n < 0)
		e = -errno;
	if (!e && fchmod(out, mode) < 0)
		e = -errno;
	close(out);
	close(in);
	return e;
}

/* (e): the writable bind's flags, and plant setuid and setgid copies of @helper */
static void try_plant(const char *dir, const char *helper)
{
	static const struct {
		const char *name;
		mode_t mode;
	} plants[] = { { "vesc-suid", 04755 }, { "vesc-sgid", 02755 } };
	char what[600], path[512];
	struct statvfs sv;
	struct stat st;
	size_t i;
	int r;

	if (statvfs(dir, &sv) < 0) {
		esc_info("(e) statvfs %s: %s", dir, strerror(errno));
		esc_escaped(esc_fmt(what, sizeof(what), "(e) %s is nosuid and nodev", dir),
			    "cannot tell (statvfs failed)");
	} else {
		esc_fmt(what, sizeof(what), "(e) %s is mounted without nosuid", dir);
		if (sv.f_flag & ST_NOSUID)
			esc_refused(what, EPERM);
		else
			esc_escaped(what, "flags %#lx", sv.f_flag);
		esc_fmt(what, sizeof(what), "(e) %s is mounted without nodev", dir);
		if (sv.f_flag & ST_NODEV)
			esc_refused(what, EPERM);
		else
			esc_escaped(what, "flags %#lx", sv.f_flag);
	}
	for (i = 0; i < sizeof(plants) / sizeof(plants[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, plants[i].name);
		r = copy_file(helper, path, plants[i].mode);
		if (r < 0) {
			esc_info("(e) plant %s mode %o: %s", path, (unsigned int)plants[i].mode,
				 strerror(-r));
			continue;
		}
		if (stat(path, &st) == 0)
			esc_info(
				"(e) planted %s: mode %o, uid %u gid %u here (judged from outside)",
				path, (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
				(unsigned int)st.st_gid);
	}
}

/* (f): an extent of @file that reaches host ids below 65536 */
static void try_map(const char *file)
{
	unsigned long in, out, count;
	char what[256], line[256];
	int bad = 0, n = 0;
	FILE *f;

	esc_fmt(what, sizeof(what), "(f) %s maps host ids 0..65535", file);
	f = fopen(file, "re");
	if (!f) {
		esc_escaped(what, "cannot tell (%s)", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lu %lu %lu", &in, &out, &count) != 3)
			continue;
		n++;
		esc_info("(f) %s: %lu %lu %lu", file, in, out, count);
		if (out < 65536 && count)
			bad = 1;
	}
	fclose(f);
	if (!n)
		esc_escaped(what, "no extent (unwritten map)");
	else if (bad)
		esc_escaped(what, "an extent starts at host id below 65536");
	else
		esc_refused(what, EPERM);
}

/* Run @path as @uid (from root); its "ruid=R euid=E" line into *euid. */
static int run_as(const char *path, unsigned int uid, unsigned int *euid)
{
	char out[256] = "";
	int p[2], st;
	ssize_t n, tot = 0;
	unsigned int ruid;
	const char *s;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(p[1], 1);
		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(126);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((size_t)tot + 1 < sizeof(out) &&
	       (n = read(p[0], out + tot, sizeof(out) - 1 - (size_t)tot)) > 0)
		tot += n;
	out[tot] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	s = strstr(out, "ruid=");
	if (!s || sscanf(s, "ruid=%u euid=%u", &ruid, euid) != 2)
		return -ENOEXEC;
	return 0;
}

static int planted(const char *dir, unsigned int uid)
{
	char path[1024], what[1200];
	unsigned int euid;
	struct dirent *de;
	struct stat st;
	int seen = 0, r;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "esc_identity: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    !(st.st_mode & (S_ISUID | S_ISGID)))
			continue;
		seen++;
		esc_info("%s: mode %o, uid %u gid %u on the host", path,
			 (unsigned int)(st.st_mode & 07777), (unsigned int)st.st_uid,
			 (unsigned int)st.st_gid);
		esc_fmt(what, sizeof(what), "(e) a setuid or setgid file of root or group root: %s",
			path);
		if ((st.st_uid == 0 && (st.st_mode & S_ISUID)) ||
		    (st.st_gid == 0 && (st.st_mode & S_ISGID)) ||
		    (st.st_uid == 0 && (st.st_mode & S_ISGID)))
			esc_escaped(what, "uid %u gid %u mode %o", (unsigned int)st.st_uid,
				    (unsigned int)st.st_gid, (unsigned int)(st.st_mode & 07777));
		else
			esc_refused(what, EPERM);
		esc_fmt(what, sizeof(what), "(e) host user %u gains euid 0 by running %s", uid,
			path);
		r = run_as(path, uid, &euid);
		if (r < 0) {
			esc_refused(what, -r);
			continue;
		}
		if (euid == 0)
			esc_escaped(what, "it ran with euid 0");
		else
			esc_refused(what, EPERM);
		if (euid != uid)
			esc_info("%s ran as uid %u with euid %u: setuid to the directory's owner",
				 path, uid, euid);
	}
	closedir(d);
	if (!seen) {
		fprintf(stderr,
			"esc_identity: no setuid or setgid file in %s: nothing was planted\n", dir);
		return 2;
	}
	return esc_finish();
}

/* fanotify_init as an unprivileged user may: notification class, file ids */
static int fanotify_group(void)
{
	return (int)syscall(SYS_fanotify_init, FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_CLOEXEC,
			    O_RDONLY);
}

static int notify_hold(void)
{
	int ni = 0, nf = 0, ei, ef;
	struct rlimit rl;
	char c;

	/* the per-user limits, not our fd limit, must be what stops us */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	while (inotify_init1(IN_CLOEXEC) >= 0)
		ni++;
	ei = errno;
	while (fanotify_group() >= 0)
		nf++;
	ef = errno;
	esc_info("inotify_init1 refused after %d instances: %s", ni, strerror(ei));
	esc_info("fanotify_init refused after %d groups: %s", nf, strerror(ef));
	printf("HOLDING %d inotify instances, %d fanotify groups\n", ni, nf);
	fflush(stdout);
	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	return 0;
}

static void probe(const char *what, int fd)
{
	if (fd < 0 && errno == ENOSYS) {
		esc_info("%s: not in this kernel (%s)", what, strerror(errno));
	} else if (fd < 0) {
		esc_escaped(what, "refused: %s", strerror(errno));
	} else {
		esc_refused(what, EUSERS);
		close(fd);
	}
}

static int notify_probe(void)
{
	probe("(g) host root's inotify_init1 fails while the holder holds",
	      inotify_init1(IN_CLOEXEC));
	probe("(g) host root's fanotify_init fails while the holder holds", fanotify_group());
	return esc_finish();
}

int main(int argc, char **argv)
{
	const char *secret = NULL, *sysfs = NULL, *plant = NULL, *helper = NULL;
	int a = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "planted"))
		return planted(argv[2], (unsigned int)strtoul(argv[3], NULL, 10));
	if (argc == 2 && !strcmp(argv[1], "notify-hold"))
		return notify_hold();
	if (argc == 2 && !strcmp(argv[1], "notify-probe"))
		return notify_probe();
	if (esc_is_control(argc, argv)) {
		esc_info("control: uid %u euid %u", getuid(), geteuid());
		a = 2;
	}
	for (; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "--secret"))
			secret = argv[a + 1];
		else if (!strcmp(argv[a], "--sysfs"))
			sysfs = argv[a + 1];
		else if (!strcmp(argv[a], "--plant"))
			plant = argv[a + 1];
		else if (!strcmp(argv[a], "--helper"))
			helper = argv[a + 1];
		else
			break;
	}
	if (a != argc || (!plant != !helper)) {
		fprintf(stderr,
			"usage: esc_identity [--control] [--secret FILE] [--sysfs FILE] [--plant DIR --helper PROG]\n"
			"       esc_identity planted DIR UID | notify-hold | notify-probe\n");
		return 2;
	}
	esc_info("we run as uid %u gid %u", getuid(), getgid());
	try_read("(a)", "/etc/shadow");
	if (secret)
		try_read("(b)", secret);
	if (sysfs)
		try_sysfs(sysfs);
	try_lease("/etc/hosts");
	if (plant)
		try_plant(plant, helper);
	try_map("/proc/self/uid_map");
	try_map("/proc/self/gid_map");
	return esc_finish();
}
