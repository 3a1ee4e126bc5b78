// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pty.c - the app's terminal. The caller's terminal never goes inside: the
 * process inside makes a pty of the subsystem's own devpts and sends its
 * master back over a socket (SCM_RIGHTS); the caller receives it, puts its
 * own terminal in raw mode (restored at the end) and relays the bytes and
 * the size while proc.c's wait waits.
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "launch.h"

/* One byte that carries an fd (SCM_RIGHTS): the master, inside to caller */
struct fd_msg {
	struct msghdr mh;
	struct iovec iov;
	char c;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
};

static void fd_msg_init(struct fd_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->c = 'm';
	m->iov.iov_base = &m->c;
	m->iov.iov_len = 1;
	m->mh.msg_iov = &m->iov;
	m->mh.msg_iovlen = 1;
	m->mh.msg_control = m->cbuf.buf;
	m->mh.msg_controllen = sizeof(m->cbuf.buf);
}

/* The app gets a terminal if asked to, or by default if the caller's
 * stdin is one.
 */
bool vos_pty_wanted(const struct vos_config *cfg, const int stdio[3])
{
	return cfg->tty == VOS_TTY_PTY ||
	       (cfg->tty == VOS_TTY_AUTO && stdio[0] >= 0 && isatty(stdio[0]));
}

/* A socket for the pty master to come back on, and the caller's size. */
int vos_pty_prepare(struct vos_ctx *ctx, struct vos_launch *a, int *parent_sock)
{
	int ref_fd = a->stdio[1] >= 0 ? a->stdio[1] : a->stdio[0];
	int sp[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return vos_err(ctx, -errno, "pty: socketpair:");
	*parent_sock = sp[0];
	a->pty_sock = sp[1];
	if (ref_fd >= 0 && ioctl(ref_fd, TIOCGWINSZ, &a->ws) == 0)
		a->have_ws = true;
	return 0;
}

/*
 * The app's terminal comes from the subsystem's own devpts instance (so it
 * is /dev/pts/0 inside and ttyname() works); its master goes to the caller
 * over a socket, who relays it. Fds 0-2 become the slave.
 */
int vos_pty_inside(struct vos_ctx *ctx, struct vos_launch *a)
{
	_cleanup_close_ int m = -1;
	_cleanup_close_ int sl = -1;
	struct cmsghdr *cm;
	struct fd_msg msg;
	int unlock = 0, i;

	m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return vos_err(ctx, -errno, "pty: open /dev/ptmx:");
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return vos_err(ctx, -errno, "pty: unlock:");
	sl = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0)
		return vos_err(ctx, -errno, "pty: open its slave:");
	if (a->have_ws)
		ioctl(m, TIOCSWINSZ, &a->ws);
	/* the app's own terminal */
	if (fchown(sl, a->uid_in, a->gid_in) < 0) {
		/* stays root's: the app still has it open */
	}
	fd_msg_init(&msg);
	cm = CMSG_FIRSTHDR(&msg.mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &m, sizeof(int));
	if (sendmsg(a->pty_sock, &msg.mh, MSG_NOSIGNAL) != 1)
		return vos_err(ctx, -errno, "pty: hand the master to the caller:");
	vos_closep(&m);
	vos_closep(&a->pty_sock);
	for (i = 0; i < 3; i++) {
		if (dup2(sl, i) < 0)
			return vos_err(ctx, -errno, "pty: dup2:");
	}
	a->ctty = true;
	return 0;
}

/* The master fd the child sent, or -1 if it ended first. */
int vos_pty_recv_master(int sock)
{
	struct cmsghdr *cm;
	struct fd_msg msg;
	ssize_t n;
	int fd = -1;

	fd_msg_init(&msg);
	do {
		n = recvmsg(sock, &msg.mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg.mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
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
static int relay(int from, int to)
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

/* The caller's terminal changed size (SIGWINCH): so does the app's. */
void vos_pty_resize(struct vos_proc *p)
{
	struct winsize ws;

	if (ioctl(p->out_fd >= 0 ? p->out_fd : p->in_fd, TIOCGWINSZ, &ws) == 0)
		ioctl(p->pty_master, TIOCSWINSZ, &ws);
}

/* The app wrote: to the caller's output. */
void vos_pty_from_app(struct vos_proc *p)
{
	if (relay(p->pty_master, p->out_fd >= 0 ? p->out_fd : 1) < 0) {
		/* all slave ends closed: only wait now */
		vos_closep(&p->pty_master);
	}
}

/* The caller's input, to the app; false once it has ended. */
bool vos_pty_to_app(struct vos_proc *p)
{
	if (relay(p->in_fd, p->pty_master) == 0)
		return true;
	/* piped input ended: tell the app the way a terminal does (VEOF at
	 * the start of a line)
	 */
	if (!isatty(p->in_fd) && write(p->pty_master, "\004", 1) < 0) {
		/* the app is gone */
	}
	return false;
}

/* The app has ended: what it wrote last, then the caller's terminal back. */
void vos_pty_finish(struct vos_proc *p)
{
	if (p->pty_master >= 0) {
		fcntl(p->pty_master, F_SETFL, O_NONBLOCK);
		while (p->out_fd >= 0 && relay(p->pty_master, p->out_fd) == 0) {
			struct pollfd pf = { .fd = p->pty_master, .events = POLLIN };

			if (poll(&pf, 1, 0) <= 0)
				break;
		}
		vos_closep(&p->pty_master);
	}
	vos_pty_restore_tty(p);
}
