// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-stub - the app of a pooled disposable (issue 14), started by vosd
 * (pool.c) through the library's normal spawn: by the time it runs, it is
 * restricted exactly as the app of `vosctl run` in that subsystem is (its
 * namespaces, ids, capabilities and bounding set, no_new_privs, seccomp,
 * Landlock, cgroup, rlimits, minimal environment). It holds nothing and
 * may do nothing the command it becomes may not.
 *
 * fd 0 is its end of a SOCK_SEQPACKET pair whose other end vosd holds
 * and hands to vos-run. Once started, the stub says so (one message,
 * "r"), and vosd freezes it only then, waiting: a start from the pool
 * does not pay for the stub's own. It waits for one request (stubreq.h):
 * the command, the caller's working directory, locale and variables, and
 * three fds that become its stdin, stdout and stderr; then it spawns the
 * command (which inherits every restriction), forwards every signal the
 * init passes it to the command, and when the command ends sends its
 * wait status (an int) on the socket. So vos-run learns the status at
 * once, not after the subsystem's init has exited and its namespaces are
 * torn down (vosd's "exit N" comes after that). The stub then stays,
 * doing nothing, until the disposable is ended: vosd ends it once
 * vos-run has exited (its connection closed and its pidfd readable),
 * with the init lowered to SCHED_IDLE, so that the teardown runs after
 * vos-run's parent has learnt of its exit, not before (vosd.c,
 * end_run()). Neither the stub nor the init ends it on its own: the
 * stub's exit would start the teardown as soon as vos-run closed the
 * socket, which on a busy CPU ran before vos-run's own exit. The command
 * never holds the socket (close-on-exec), so it cannot tell vos-run
 * anything, and whatever the stub says, vos-run's leaving ends the
 * disposable.
 *
 * If the other end closes without a request (vosd gave the disposable to
 * a caller that runs its command with `vosctl exec`-style entry instead,
 * or ended it) the stub waits to be ended with its subsystem. A bad
 * request, or a terminal among the fds (the library never hands the
 * caller's terminal inside), ends it with 124 and a message on the
 * received stderr if there is one; a command that cannot be exec'ed with
 * 127 (not found) or 126.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stubreq.h"

extern char **environ;

static char req[STUBREQ_MAX];

static int fail(int err_fd, int code, const char *what, const char *why)
{
	if (err_fd >= 0)
		dprintf(err_fd, "vos-stub: %s: %s\n", what, why);
	return code;
}

/* Do NAME=VALUE @a and @b have the same NAME? */
static int same_name(const char *a, const char *b)
{
	size_t n = strcspn(a, "=");

	return !strncmp(a, b, n) && b[n] == '=';
}

/*
 * @base (the minimal environment the library gave the stub, computed in
 * vosd) without its locale, and the caller's locale instead, then the
 * caller's --env variables, each replacing one of its name: what the
 * library gives an app of the caller's (vos_env_build()).
 */
static char **merge_env(char **base, const struct stubreq *r)
{
	static char *out[512 + 2 * STUBREQ_ENVS + 1];
	unsigned int n = 0, i, j, k;

	for (i = 0; base && base[i] && n < 512; i++)
		if (!stubreq_locale(base[i]))
			out[n++] = base[i];
	for (j = 0; j < r->envc; j++)
		out[n++] = r->envp[j];
	for (j = 0; j < r->varc; j++) {
		for (i = k = 0; i < n; i++)
			if (!same_name(r->vars[j], out[i]))
				out[k++] = out[i];
		n = k;
		out[n++] = r->vars[j];
	}
	out[n] = NULL;
	return out;
}

/*
 * The command, started with what it inherits from the stub: the
 * caller's stdio as 0, 1, 2 and its directory if the subsystem has it (as
 * the library does: "/" otherwise), set in the stub itself, which is used
 * once; the environment, and the signal mask the stub was started with.
 * posix_spawn() shares the stub's memory until the exec (no copy of it
 * to fault in). 0 with *@child, or the stub's exit code.
 */
static int start(const int *fds, struct stubreq *r, const sigset_t *mask, pid_t *child)
{
	posix_spawnattr_t attr;
	int i, err;

	for (i = 0; i < STUBREQ_FDS; i++)
		if (dup2(fds[i], i) < 0)
			return fail(fds[2], 124, "dup2", strerror(errno));
	for (i = 0; i < STUBREQ_FDS; i++)
		if (fds[i] > 2)
			close(fds[i]);
	if (!r->cwd || chdir(r->cwd) < 0)
		if (chdir("/") < 0)
			return fail(2, 124, "chdir /", strerror(errno));
	err = posix_spawnattr_init(&attr);
	if (!err)
		err = posix_spawnattr_setsigmask(&attr, mask);
	if (!err)
		err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	if (err)
		return fail(2, 124, "posix_spawnattr", strerror(err));
	err = posix_spawnp(child, r->argv[0], NULL, &attr, r->argv, merge_env(environ, r));
	posix_spawnattr_destroy(&attr);
	if (err)
		return fail(2, err == ENOENT ? 127 : 126, r->argv[0], strerror(err));
	return 0;
}

/*
 * Until @child ends, every signal to the stub (the init forwards them to
 * it) goes to the command; its wait status then, or -1
 */
static int forward(pid_t child, const sigset_t *all)
{
	siginfo_t si;
	int ws;

	for (;;) {
		if (sigwaitinfo(all, &si) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (si.si_signo != SIGCHLD) {
			kill(child, si.si_signo);
			continue;
		}
		if (waitpid(child, &ws, WNOHANG) == child)
			return ws;
	}
}

int main(void)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * (STUBREQ_FDS + 1))];
	} cb;
	struct iovec iov = { .iov_base = req, .iov_len = sizeof(req) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	int fds[STUBREQ_FDS + 1], nfd = 0, i, ret, sock, ws;
	sigset_t all, mask;
	struct stubreq r;
	pid_t child;
	struct cmsghdr *c;
	const char *why = "";
	ssize_t n;

	m.msg_control = cb.b;
	m.msg_controllen = sizeof(cb.b);
	/* started: vosd may freeze it now (an error: vosd is gone, EOF below) */
	send(STDIN_FILENO, "r", 1, MSG_NOSIGNAL);
	do
		n = recvmsg(STDIN_FILENO, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		/* no request will come: stay until the subsystem ends */
		for (;;)
			pause();
	}
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + k * sizeof(int), sizeof(int));
			if (nfd < STUBREQ_FDS + 1)
				fds[nfd++] = fd;
			else
				close(fd);
		}
	}
	if (nfd != STUBREQ_FDS || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		return fail(nfd >= STUBREQ_FDS ? fds[2] : -1, 124, "bad request",
			    "it must carry three fds (stdin, stdout, stderr) in one message");
	for (i = 0; i < STUBREQ_FDS; i++)
		if (isatty(fds[i]))
			return fail(fds[2], 124, "bad request",
				    "a terminal is not handed inside (use vosctl run, which "
				    "gives the app a pty of its own)");
	ret = stubreq_parse(req, (size_t)n, &r, &why);
	if (ret < 0)
		return fail(fds[2], 124, "bad request", why);
	/* the status goes here; not to the command (close-on-exec) */
	sock = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	if (sock < 0)
		return fail(fds[2], 124, "fcntl", strerror(errno));
	/*
	 * from here every signal the init forwards to the stub is the
	 * command's: held until the command exists (forward()), none lost
	 */
	sigfillset(&all);
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR || sigprocmask(SIG_BLOCK, &all, &mask) < 0)
		return fail(fds[2], 124, "signals", strerror(errno));
	ret = start(fds, &r, &mask, &child);
	if (ret)
		return ret;
	/* the caller's fds are the command's alone */
	for (i = 0; i < STUBREQ_FDS; i++)
		close(i);
	ws = forward(child, &all);
	if (ws == -1)
		return 124;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	/* the caller's client learns it now, not after the subsystem's teardown */
	if (send(sock, &ws, sizeof(ws), MSG_NOSIGNAL) < 0 && errno != EPIPE)
		return fail(-1, 124, "send", strerror(errno));
	/* vosd ends the disposable (see above); a signal the init forwards, too */
	close(sock);
	for (;;)
		pause();
}
