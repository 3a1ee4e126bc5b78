// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pty.c - the app's terminal. The caller's terminal never goes inside: the
 * process inside makes a pty of the subsystem's own devpts and sends its
 * master back over a socket (SCM_RIGHTS); the caller receives it, puts its
 * own terminal in raw mode (restored at the end) and relays the bytes
 * (proc.c's wait).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "launch.h"

/*
 * The app's terminal comes from the subsystem's own devpts instance (so it
 * is /dev/pts/0 inside and ttyname() works); its master goes to the caller
 * over a socket, who relays it. Fds 0-2 become the slave.
 */
int vos_pty_inside(struct vos_ctx *ctx, struct vos_launch *a)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	struct iovec iov;
	int m, sl, unlock = 0, i;
	char c = 'm';

	m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return vos_err(ctx, -errno, "pty: open /dev/ptmx:");
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
		close(m);
		return vos_err(ctx, -errno, "pty: unlock:");
	}
	sl = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0) {
		close(m);
		return vos_err(ctx, -errno, "pty: open its slave:");
	}
	if (a->have_ws)
		ioctl(m, TIOCSWINSZ, &a->ws);
	/* the app's own terminal */
	if (fchown(sl, a->uid_in, a->gid_in) < 0) {
		/* stays root's: the app still has it open */
	}
	memset(cbuf, 0, sizeof(cbuf));
	iov.iov_base = &c;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &m, sizeof(int));
	if (sendmsg(a->pty_sock, &mh, MSG_NOSIGNAL) != 1) {
		int e = errno;

		close(m);
		close(sl);
		return vos_err(ctx, -e, "pty: hand the master to the caller:");
	}
	close(m);
	close(a->pty_sock);
	a->pty_sock = -1;
	for (i = 0; i < 3; i++) {
		if (dup2(sl, i) < 0) {
			close(sl);
			return vos_err(ctx, -errno, "pty: dup2:");
		}
	}
	close(sl);
	a->ctty = true;
	return 0;
}

/* The master fd the child sent, or -1 if it ended first. */
int vos_pty_recv_master(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;
	int fd = -1;
	char c;

	iov.iov_base = &c;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* A socket for the pty master to come back on, and the caller's size. */
int vos_pty_prepare(struct vos_ctx *ctx, struct vos_launch *a, int ref_fd, int *parent_sock)
{
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return vos_err(ctx, -errno, "pty: socketpair:");
	*parent_sock = sp[0];
	a->pty_sock = sp[1];
	if (ref_fd >= 0 && ioctl(ref_fd, TIOCGWINSZ, &a->ws) == 0)
		a->have_ws = true;
	return 0;
}

void vos_pty_restore_tty(struct vos_proc *p)
{
	if (p->tty_saved) {
		tcsetattr(p->tty_fd, TCSADRAIN, (struct termios *)p->termios_buf);
		p->tty_saved = false;
	}
}

/* Put the caller's terminal in raw mode: keys (^C too) go to the pty. */
void vos_pty_raw_tty(struct vos_proc *p, int fd)
{
	struct termios t;

	_Static_assert(sizeof(struct termios) <= sizeof(p->termios_buf), "termios_buf too small");
	if (!isatty(fd) || tcgetattr(fd, &t) < 0)
		return;
	memcpy(p->termios_buf, &t, sizeof(t));
	p->tty_fd = fd;
	p->tty_saved = true;
	cfmakeraw(&t);
	tcsetattr(fd, TCSADRAIN, &t);
}

/* copy what is readable from @from to @to; returns -1 on EOF/error */
int vos_pty_relay(int from, int to)
{
	char buf[4096];
	ssize_t n, w, off = 0;

	n = read(from, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	while (off < n) {
		w = write(to, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0; /* the reader went away: drop */
		off += w;
	}
	return 0;
}
