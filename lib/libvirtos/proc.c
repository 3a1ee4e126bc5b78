// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc.c - struct vos_proc, the caller's handle on a process it started
 * (spawn.c, exec.c): pid and pidfd, the signals it forwards (a signalfd),
 * kill, wait (which relays the terminal, pty.c, and reads the app's exact
 * status from the mini init) and free.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

VOS_EXPORT pid_t vos_proc_pid(const struct vos_proc *p)
{
	return p ? p->pid : -EINVAL;
}

VOS_EXPORT int vos_proc_pidfd(const struct vos_proc *p)
{
	return p ? p->pidfd : -EINVAL;
}

VOS_EXPORT int vos_proc_set_forward(struct vos_proc *p, const sigset_t *set)
{
	int fd;

	if (!p || !set)
		return -EINVAL;
	fd = signalfd(p->sig_fd, set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		return vos_err(p->ctx, -errno, "signalfd:");
	p->sig_fd = fd;
	p->fwd = *set;
	p->fwd_set = true;
	return 0;
}

VOS_EXPORT int vos_proc_kill(struct vos_proc *p, int signo)
{
	if (!p)
		return -EINVAL;
	if (p->done)
		return vos_err(p->ctx, -ESRCH, "kill: the process has ended");
	if (syscall(SYS_pidfd_send_signal, p->pidfd, signo, NULL, 0) < 0)
		return vos_err(p->ctx, -errno, "kill pid %d with signal %d:", (int)p->pid, signo);
	return 0;
}

static void handle_signals(struct vos_proc *p)
{
	struct signalfd_siginfo si;

	while (read(p->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH && p->pty_master >= 0) {
			struct winsize ws;

			if (ioctl(p->out_fd >= 0 ? p->out_fd : p->in_fd, TIOCGWINSZ, &ws) == 0)
				ioctl(p->pty_master, TIOCSWINSZ, &ws);
			continue;
		}
		syscall(SYS_pidfd_send_signal, p->pidfd, (int)si.ssi_signo, NULL, 0);
	}
}

static void finish(struct vos_proc *p, int init_status)
{
	int app;

	p->wstatus = init_status;
	if (p->status_fd >= 0) {
		if (read(p->status_fd, &app, sizeof(app)) == sizeof(app))
			p->wstatus = app;
		close(p->status_fd);
		p->status_fd = -1;
	}
	if (p->pty_master >= 0) {
		/* what the app wrote last */
		fcntl(p->pty_master, F_SETFL, O_NONBLOCK);
		while (p->out_fd >= 0 && vos_pty_relay(p->pty_master, p->out_fd) == 0) {
			struct pollfd pf = { .fd = p->pty_master, .events = POLLIN };

			if (poll(&pf, 1, 0) <= 0)
				break;
		}
		close(p->pty_master);
		p->pty_master = -1;
	}
	vos_pty_restore_tty(p);
	if (p->cgroup_dir) {
		rmdir(p->cgroup_dir);
		free(p->cgroup_dir);
		p->cgroup_dir = NULL;
	}
	p->done = true;
}

VOS_EXPORT int vos_proc_wait(struct vos_proc *p, int *wstatus, unsigned int flags)
{
	bool in_open;
	int st;
	pid_t w;

	if (!p)
		return -EINVAL;
	if (flags & ~VOS_WAIT_NOHANG)
		return vos_err(p->ctx, -EINVAL, "wait: unknown flags 0x%x", flags);
	in_open = p->pty_master >= 0 && p->in_fd >= 0;
	while (!p->done) {
		struct pollfd pf[4];
		int n = 0, i_pid, i_m = -1, i_in = -1, i_sig = -1;

		w = waitpid(p->pid, &st, WNOHANG | __WALL);
		if (w == p->pid) {
			finish(p, st);
			break;
		}
		if (w < 0 && errno != EINTR)
			return vos_err(p->ctx, -errno, "wait for pid %d:", (int)p->pid);
		if (flags & VOS_WAIT_NOHANG) {
			if (p->sig_fd >= 0)
				handle_signals(p);
			return 1;
		}
		i_pid = n;
		pf[n++] = (struct pollfd){ .fd = p->pidfd, .events = POLLIN };
		if (p->pty_master >= 0) {
			i_m = n;
			pf[n++] = (struct pollfd){ .fd = p->pty_master, .events = POLLIN };
		}
		if (in_open) {
			i_in = n;
			pf[n++] = (struct pollfd){ .fd = p->in_fd, .events = POLLIN };
		}
		if (p->sig_fd >= 0) {
			i_sig = n;
			pf[n++] = (struct pollfd){ .fd = p->sig_fd, .events = POLLIN };
		}
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			return vos_err(p->ctx, -errno, "wait: poll:");
		}
		(void)i_pid;
		if (i_sig >= 0 && pf[i_sig].revents)
			handle_signals(p);
		if (i_m >= 0 && pf[i_m].revents) {
			if (vos_pty_relay(p->pty_master, p->out_fd >= 0 ? p->out_fd : 1) < 0) {
				/* all slave ends closed: only wait now */
				close(p->pty_master);
				p->pty_master = -1;
			}
		}
		if (i_in >= 0 && pf[i_in].revents && p->pty_master >= 0) {
			if (vos_pty_relay(p->in_fd, p->pty_master) < 0) {
				in_open = false;
				/* piped input ended: tell the app the way a
				 * terminal does (VEOF at the start of a line)
				 */
				if (!isatty(p->in_fd) && write(p->pty_master, "\004", 1) < 0) {
					/* the app is gone */
				}
			}
		}
	}
	if (wstatus)
		*wstatus = p->wstatus;
	return 0;
}

VOS_EXPORT void vos_proc_free(struct vos_proc *p)
{
	if (!p)
		return;
	vos_pty_restore_tty(p);
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->status_fd >= 0)
		close(p->status_fd);
	if (p->pty_master >= 0)
		close(p->pty_master);
	if (p->sig_fd >= 0)
		close(p->sig_fd);
	free(p->cgroup_dir);
	free(p);
}
