// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * spawn.c - the parent side of a spawn: the caller starts pid 1 of a new
 * subsystem (the isolation recipe; the child's side is inside.c):
 *
 *   parent (the caller)                    child (pid 1 of the new PID ns)
 *   -------------------                    -------------------------------
 *   build the seccomp program, pty, pipes,
 *   the idmapped trees of the binds
 *   clone3(NEWUSER|NEWPID|NEWNS|NEWUTS|    waits on the sync pipe
 *          NEWIPC|NEWNET) -> pidfd
 *   write setgroups=deny, gid_map, uid_map
 *   (the private range, idmap.c)
 *   create the cgroup leaf, move the child
 *   VOS_SUBSYS_ATTACH(pidfd, pid, cgroup)
 *   release the child  ------------------> unshare(NEWCGROUP): rooted at leaf
 *                                          stdio, close every other fd
 *                                          hostname, lo up, mounts, pivot_root
 *                                          no_new_privs, Landlock, drop caps,
 *                                          become the app's uid, seccomp
 *                                          setsid; fork the app (mini init)
 *   read the error pipe until EOF <------- app: setsid, ctty, execvp
 *   (EOF = the app was exec'ed)            init: reap, forward signals, exit
 *                                          with the app's status
 *
 * Errors in the child travel back over the error pipe as one record (errno,
 * class, message), so the caller gets "spawn: mount proc on proc: ..." and
 * the process is reaped; nothing is left half set up (fail closed).
 */
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

static pid_t do_clone(unsigned long flags, int *pidfd)
{
	struct clone_args ca;
	pid_t pid;

	memset(&ca, 0, sizeof(ca));
	ca.flags = flags | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	ca.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid >= 0 || errno != ENOSYS)
		return pid;
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid > 0)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return pid;
}

/*
 * Who the app is: uid/gid 0 (--root) or the caller's euid/egid inside, and
 * on the host the subsystem's private range from vos.ko (writing those maps
 * needs CAP_SETUID and CAP_SETGID), or with host_ids (--as-user) the
 * caller's own ids. Without a subsystem there is no range: a root caller
 * must ask for host_ids (fail closed); anyone else can map only itself, so
 * runs as itself.
 */
static int spawn_identity(struct vos_ctx *ctx, const struct vos_subsys *s,
			  const struct vos_config *cfg, struct vos_launch *a)
{
	memset(&a->id, 0, sizeof(a->id));
	a->id.uid_in = a->uid_in = cfg->root ? 0 : geteuid();
	a->id.gid_in = a->gid_in = cfg->root ? 0 : getegid();
	if (cfg->host_ids)
		return 0;
	if (!s) {
		if (geteuid() != 0)
			return 0;
		return vos_err_class(
			ctx, -EPERM, VOS_ERR_USAGE,
			"running as root, the app would be host root: spawn it in a subsystem (vos_subsys_spawn()), which gives it a private host id range, or ask for the caller's identity with vos_config_set_host_ids()");
	}
	if (!s->id_count)
		return vos_err(
			ctx, -EOPNOTSUPP,
			"subsystem '%s' has no private host id range (a vos.ko without VOS_CAP_ID_RANGE?): load the module of this virtos, or ask for the caller's identity (--as-user)",
			s->name);
	if (a->uid_in >= s->id_count || a->gid_in >= s->id_count)
		return vos_err_class(
			ctx, -ERANGE, VOS_ERR_USAGE,
			"your uid %u or gid %u is past the %u ids of the subsystem's range: use --root or --as-user",
			(unsigned int)a->uid_in, (unsigned int)a->gid_in,
			(unsigned int)s->id_count);
	a->id.base = s->id_base;
	a->id.count = s->id_count;
	return 0;
}

static int spawn_common(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
			struct vos_launch *a, struct vos_proc **procp)
{
	int sync_p[2] = { -1, -1 }, err_p[2] = { -1, -1 }, status_p[2] = { -1, -1 };
	int pidfd = -1, cgfd = -1, master = -1, psock = -1, r, status;
	char cgpath[8192] = "";
	struct vos_err_record rec;
	struct vos_proc *p = NULL;
	unsigned long flags;
	bool use_pty;
	ssize_t n;
	pid_t pid;

	a->cfg = cfg;
	a->pty_sock = -1;
	for (unsigned int i = 0; i < VOS_MAX_BINDS; i++)
		a->trees[i] = -1;
	r = spawn_identity(ctx, s, cfg, a);
	if (r < 0)
		return r;
	memcpy(a->stdio, cfg->stdio, sizeof(a->stdio));
	if (a->idle)
		a->stdio[0] = a->stdio[1] = a->stdio[2] = -1;
	a->mini_init = a->idle || !cfg->as_pid1;
	if (cfg->cwd) {
		snprintf(a->cwd, sizeof(a->cwd), "%s", cfg->cwd);
		a->cwd_explicit = true;
	} else if (!getcwd(a->cwd, sizeof(a->cwd))) {
		a->cwd[0] = '\0';
	}

	r = vos_seccomp_build(ctx, cfg, cfg->root && (cfg->caps & (1ULL << CAP_SYS_ADMIN)),
			      &a->prog, &a->proglen);
	if (r < 0)
		return r;
	use_pty = !a->idle &&
		  (cfg->tty == VOS_TTY_PTY ||
		   (cfg->tty == VOS_TTY_AUTO && a->stdio[0] >= 0 && isatty(a->stdio[0])));
	if (use_pty) {
		r = vos_pty_prepare(ctx, a, a->stdio[1] >= 0 ? a->stdio[1] : a->stdio[0], &psock);
		if (r < 0)
			goto out;
	}
	if (!a->envp) {
		r = vos_env_build(ctx, cfg, use_pty, &a->env_built);
		if (r < 0)
			goto out;
		a->envp = a->env_built;
	}
	r = vos_idmap_binds(ctx, cfg, &a->id, a->trees);
	if (r < 0)
		goto out;
	if (pipe2(sync_p, O_CLOEXEC) < 0 || pipe2(err_p, O_CLOEXEC) < 0 ||
	    pipe2(status_p, O_CLOEXEC) < 0) {
		r = vos_err(ctx, -errno, "pipe:");
		goto out;
	}
	a->sync_rd = sync_p[0];
	a->err_wr = err_p[1];
	a->status_wr = status_p[1];
	a->parent_fd[0] = sync_p[1];
	a->parent_fd[1] = err_p[0];
	a->parent_fd[2] = status_p[0];
	a->parent_fd[3] = psock;
	a->keep_pdeathsig = !(s && s->persistent);

	r = vos_cgroup_create(ctx, cfg, cgpath, sizeof(cgpath), &cgfd);
	if (r < 0)
		goto out;
	a->unshare_cgroup = cgfd >= 0;

	flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
	if (!cfg->share_net)
		flags |= CLONE_NEWNET;
	if (cgfd < 0)
		flags |= CLONE_NEWCGROUP;
	pid = do_clone(flags, &pidfd);
	if (pid < 0) {
		int e = errno;

		r = vos_err(ctx, -e, "clone new namespaces: %s%s", strerror(e),
			    (e == EPERM || e == ENOSPC)
				    ? " (user namespaces disabled for this user?)"
				    : "");
		goto out;
	}
	if (pid == 0)
		vos_inside_main(ctx, a);

	close(sync_p[0]);
	sync_p[0] = -1;
	close(err_p[1]);
	err_p[1] = -1;
	close(status_p[1]);
	status_p[1] = -1;
	if (a->pty_sock >= 0) {
		close(a->pty_sock);
		a->pty_sock = -1;
	}
	if (pidfd < 0) {
		r = vos_err(ctx, -errno, "pidfd_open %d:", (int)pid);
		goto kill_child;
	}
	vos_idmap_close(a->trees, cfg->nbinds);
	r = vos_idmap_write(ctx, pid, &a->id);
	if (r < 0) {
		vos_err_prefix(ctx, r, "user namespace");
		goto kill_child;
	}
	if (cgfd >= 0) {
		r = vos_cgroup_enter(cgfd, pid);
		if (r < 0) {
			vos_err_cgroup(ctx, r, "cgroup %s: move pid %d in:", cgpath, (int)pid);
			goto kill_child;
		}
	}
	if (s) {
		struct vos_attach at;

		memset(&at, 0, sizeof(at));
		at.size = sizeof(at);
		at.pidfd = pidfd;
		at.pid = pid;
		/* cgfd may be a negative errno (no cgroup): the module
		 * takes -1 for none, any other negative value is -EBADF
		 */
		at.cgroup_fd = cgfd >= 0 ? cgfd : -1;
		if (ioctl(s->fd, VOS_SUBSYS_ATTACH, &at) < 0) {
			r = vos_err(ctx, -errno, "attach init to subsystem '%s':", s->name);
			goto kill_child;
		}
		s->has_init = true;
	}
	/* go */
	if (write(sync_p[1], "g", 1) != 1) {
		r = vos_err(ctx, -errno, "release the child:");
		goto kill_child;
	}
	close(sync_p[1]);
	sync_p[1] = -1;
	/* the pty master, unless the child failed before (then its error
	 * record follows)
	 */
	if (psock >= 0)
		master = vos_pty_recv_master(psock);
	/* EOF: the app was exec'ed (or the idle init runs); a record: not */
	do {
		n = read(err_p[0], &rec, sizeof(rec));
	} while (n < 0 && errno == EINTR);
	if (n > 0) {
		r = vos_err_restore(ctx, &rec, (size_t)n);
		goto kill_child;
	}
	close(err_p[0]);
	err_p[0] = -1;
	if (psock >= 0 && master < 0) {
		r = vos_err(ctx, -EPROTO, "pty: the child sent no terminal");
		goto kill_child;
	}

	p = calloc(1, sizeof(*p));
	if (!p) {
		r = vos_err(ctx, -ENOMEM, "spawn:");
		goto kill_child;
	}
	p->ctx = ctx;
	p->pid = pid;
	p->pidfd = pidfd;
	p->status_fd = status_p[0];
	p->pty_master = master;
	p->sig_fd = -1;
	p->tty_fd = -1;
	p->in_fd = a->stdio[0];
	p->out_fd = a->stdio[1];
	if (cgpath[0])
		p->cgroup_dir = strdup(cgpath);
	if (master >= 0 && a->stdio[0] >= 0)
		vos_pty_raw_tty(p, a->stdio[0]);
	if (cgfd >= 0)
		close(cgfd);
	if (psock >= 0)
		close(psock);
	free(a->prog);
	free(a->env_built);
	*procp = p;
	return 0;

kill_child:
	if (pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	else
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
out:
	if (pidfd >= 0)
		close(pidfd);
	if (cgfd >= 0)
		close(cgfd);
	if (cgpath[0])
		rmdir(cgpath);
	if (master >= 0)
		close(master);
	if (psock >= 0)
		close(psock);
	if (a->pty_sock >= 0)
		close(a->pty_sock);
	for (int i = 0; i < 2; i++) {
		if (sync_p[i] >= 0)
			close(sync_p[i]);
		if (err_p[i] >= 0)
			close(err_p[i]);
		if (status_p[i] >= 0)
			close(status_p[i]);
	}
	vos_idmap_close(a->trees, cfg->nbinds);
	free(a->prog);
	free(a->env_built);
	return vos_err_prefix(ctx, r, "spawn");
}

int vos_check_argv(struct vos_ctx *ctx, char *const argv[], bool idle_ok)
{
	if (!argv) {
		if (idle_ok)
			return 1;
		return vos_err(ctx, -EINVAL, "no command given");
	}
	if (!argv[0] || !argv[0][0])
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NOCMD, "empty command");
	return 0;
}

VOS_EXPORT int vos_subsys_spawn(struct vos_subsys *s, const struct vos_config *cfg,
				char *const argv[], char *const envp[], struct vos_proc **procp)
{
	struct vos_launch a;
	int r;

	if (!s || !cfg || !procp)
		return -EINVAL;
	if (s->has_init)
		return vos_err(s->ctx, -EBUSY, "subsystem '%s' already has an init", s->name);
	r = vos_check_argv(s->ctx, argv, true);
	if (r < 0)
		return r;
	memset(&a, 0, sizeof(a));
	a.argv = argv;
	a.envp = envp;
	a.idle = r == 1;
	return spawn_common(s->ctx, s, cfg, &a, procp);
}

VOS_EXPORT int vos_proc_spawn(struct vos_ctx *ctx, const struct vos_config *cfg, char *const argv[],
			      char *const envp[], struct vos_proc **procp)
{
	struct vos_launch a;
	int r;

	if (!ctx || !cfg || !procp)
		return -EINVAL;
	r = vos_check_argv(ctx, argv, true);
	if (r < 0)
		return r;
	memset(&a, 0, sizeof(a));
	a.argv = argv;
	a.envp = envp;
	a.idle = r == 1;
	return spawn_common(ctx, NULL, cfg, &a, procp);
}
