// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * proc.c - struct vos_proc, the caller's handle on a process it started
 * (spawn.c, exec.c): pid and pidfd, the signals it forwards (a signalfd),
 * kill, wait (which relays the terminal, pty.c, and reads the app's exact
 * status from the mini init) and free.
 */
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

/*
 * The handle on a started process @pid, for spawn.c and exec.c. It takes
 * @pidfd, @status_fd (the mini init's report of the app's exact status; -1
 * without one) and @pty_master (-1: no terminal), unless it fails (NULL:
 * out of memory). @stdio: the caller's fds its terminal is relayed with.
 */
struct vos_proc *vos_proc_new(struct vos_ctx *ctx, pid_t pid, int pidfd, int status_fd,
			      int pty_master, const int stdio[3])
{
	struct vos_proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->ctx = ctx;
	p->pid = pid;
	p->pidfd = pidfd;
	p->status_fd = status_fd;
	p->pty_master = pty_master;
	p->sig_fd = -1;
	p->tty_fd = -1;
	p->in_fd = stdio[0];
	p->out_fd = stdio[1];
	if (pty_master >= 0 && stdio[0] >= 0)
		vos_pty_raw_tty(p, stdio[0]);
	return p;
}

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
			vos_pty_resize(p);
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
		vos_closep(&p->status_fd);
	}
	vos_pty_finish(p);
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
		int n = 0, i_m = -1, i_in = -1, i_sig = -1;

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
		if (i_sig >= 0 && pf[i_sig].revents)
			handle_signals(p);
		if (i_m >= 0 && pf[i_m].revents)
			vos_pty_from_app(p);
		if (i_in >= 0 && pf[i_in].revents && p->pty_master >= 0)
			in_open = vos_pty_to_app(p);
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
	vos_closep(&p->pidfd);
	vos_closep(&p->status_fd);
	vos_closep(&p->pty_master);
	vos_closep(&p->sig_fd);
	free(p->cgroup_dir);
	free(p);
}
