// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gui.c - the Wayland proxy of a subsystem made with --gui (Gui=yes).
 *
 * Why vosctl starts vos-wlproxy, not vosd: the proxy connects to the
 * user's compositor, a socket in the user's session ($XDG_RUNTIME_DIR,
 * $WAYLAND_DISPLAY) that only the user's processes can reach; vosctl runs
 * in that session as that user, vosd is a system service that does not
 * (and must not) hold a session's sockets. The proxy needs no privilege:
 * it runs as the user, with the user's rights on the compositor, no more.
 *
 * The socket's directory must be reachable by the subsystem's ids (a
 * private range: libvirtos opens a bind's source as them), so it cannot
 * be in $XDG_RUNTIME_DIR (0700): it is /tmp/vos-gui-NAME.XXXXXX, 0711, the
 * socket 0666. Other host users could find and reach that socket: the
 * proxy accepts only peers (SO_PEERCRED) with the subsystem's host uids,
 * which gui_allow() tells it once the subsystem exists, and nobody before.
 * The proxy ends when our control socket closes (vosctl run: the
 * subsystem ends with us) or, after gui_hand_over(), when the subsystem's
 * init does (vosctl create, vosctl start).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <virtos.h>

#include "gui.h"

/* how long the proxy may take to listen (a TCG guest is slow) */
#define GUI_START_MS 20000

int gui_proxy_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	if ((size_t)snprintf(buf, len, "%s/vos-wlproxy", dirname(self)) >= len)
		return -ENAMETOOLONG;
	return access(buf, X_OK) ? -errno : 0;
}

static void child(int sv, const char *prog, const char *name, const char *sock)
{
	char fd[16];
	int null;

	/* our session's signals (a terminal's hang-up) are not its end */
	setsid();
	/* it never writes to stdout: a caller reading ours (vosctl create
	 * --json | ...) must not wait for its end */
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
	}
	snprintf(fd, sizeof(fd), "%d", sv);
	signal(SIGPIPE, SIG_DFL);
	execl(prog, "vos-wlproxy", "--name", name, "--listen", sock, "--control-fd", fd,
	      (char *)NULL);
	_exit(127);
}

int gui_start(struct cli_err *e, struct vos_config *cfg, const char *name, int *ctl)
{
	const char *rt = getenv("XDG_RUNTIME_DIR"), *wd = getenv("WAYLAND_DISPLAY");
	char prog[PATH_MAX], dir[PATH_MAX], sock[PATH_MAX + 16];
	struct pollfd pfd;
	int sv[2], r;
	pid_t pid;
	char b = 0;

	*ctl = -1;
	if (!vos_config_get_gui(cfg))
		return 0;
	if (!wd || !*wd)
		return cli_fail(
			e, EXIT_USAGE,
			"--gui: WAYLAND_DISPLAY is not set: run vosctl from your Wayland session");
	if (!rt || rt[0] != '/')
		return cli_fail(
			e, EXIT_USAGE,
			"--gui: XDG_RUNTIME_DIR is not set: run vosctl from your Wayland session");
	r = gui_proxy_path(prog, sizeof(prog));
	if (r)
		return cli_fail(e, EXIT_FAIL,
				"--gui: no vos-wlproxy beside vosctl (%s): reinstall virtos",
				strerror(-r));
	if ((size_t)snprintf(dir, sizeof(dir), "/tmp/vos-gui-%s.XXXXXX", name) >= sizeof(dir) ||
	    !mkdtemp(dir))
		return cli_fail(e, EXIT_FAIL, "--gui: cannot make a directory in /tmp: %s",
				strerror(errno));
	snprintf(sock, sizeof(sock), "%s/wayland-0", dir);
	if (chmod(dir, 0711) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		r = errno;
		rmdir(dir);
		return cli_fail(e, EXIT_FAIL, "--gui: %s: %s", dir, strerror(r));
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		/* the child's end survives the exec */
		fcntl(sv[1], F_SETFD, 0);
		child(sv[1], prog, name, sock);
	}
	close(sv[1]);
	if (pid < 0) {
		r = errno;
		close(sv[0]);
		rmdir(dir);
		return cli_fail(e, EXIT_FAIL, "--gui: fork: %s", strerror(r));
	}
	/* "R" once it listens; EOF if it failed (it said why on stderr) */
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, GUI_START_MS) != 1 || read(sv[0], &b, 1) != 1 || b != 'R') {
		close(sv[0]);
		rmdir(dir);
		return cli_fail(
			e, EXIT_FAIL,
			"--gui: vos-wlproxy did not start (see its message above): check WAYLAND_DISPLAY");
	}
	r = vos_config_add_bind(cfg, dir, VOS_GUI_DIR, VOS_BIND_RO);
	if (r) {
		close(sv[0]);
		return cli_fail(e, EXIT_FAIL, "--gui: bind %s: %s", dir, strerror(-r));
	}
	*ctl = sv[0];
	return 0;
}

void gui_allow(int ctl, struct vos_subsys *s)
{
	struct vos_info i;
	char msg[48];
	int n;

	if (ctl < 0 || vos_subsys_info(s, &i) < 0)
		return;
	/* --as-user: the subsystem runs with our own ids */
	if (!i.id_count) {
		i.id_base = getuid();
		i.id_count = 1;
	}
	n = snprintf(msg, sizeof(msg), "U%u %u\n", i.id_base, i.id_count);
	/* if this fails the proxy lets nobody in: the windows do not open */
	(void)send(ctl, msg, n, MSG_NOSIGNAL);
}

void gui_hand_over(int ctl, int pidfd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char b = 'P';
	struct iovec iov = { &b, 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	if (ctl < 0)
		return;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pidfd, sizeof(int));
	/* if this fails the proxy ends with us: the windows lose their
	 * display, nothing else is opened */
	if (pidfd >= 0)
		(void)sendmsg(ctl, &mh, MSG_NOSIGNAL);
	close(ctl);
}

void gui_stop(int ctl)
{
	if (ctl >= 0)
		close(ctl);
}
