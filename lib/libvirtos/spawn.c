// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * spawn.c - the isolation recipe (DESIGN.md, "Lifecycle"):
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
 *
 * The child of the raw clone is a copy of a possibly multithreaded caller:
 * it only uses what is safe after fork in a single-threaded caller (vosctl);
 * multithreaded callers should spawn from a dedicated process.
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>

#include "private.h"

extern char **environ;

enum spawn_mode {
	MODE_SPAWN, /* new namespaces, vos_fs_setup(), mini init */
	MODE_EXEC,  /* join a running subsystem (vos_subsys_exec) */
};

struct spawn_args {
	const struct vos_config *cfg;
	char *const *argv;
	char *const *envp;
	enum spawn_mode mode;
	bool idle; /* no command: init only */
	bool mini_init;
	uid_t uid_in;
	gid_t gid_in;
	int sync_rd;
	int err_wr;
	int status_wr;
	/* the caller's ends of the pipes and of the pty socket: the child
	 * closes its copies first thing, so that a dead caller means EOF
	 */
	int parent_fd[4];
	/* ephemeral: init dies with the caller */
	bool keep_pdeathsig;
	int stdio[3];	   /* caller's fds for the app's 0,1,2; -1: null */
	int pty_sock;	   /* -1: no pty; else where to send its master */
	struct winsize ws; /* the caller's terminal size */
	bool have_ws;
	bool ctty; /* fds 0-2 are the pty: make it our ctty */
	struct sock_filter *prog;
	size_t proglen;
	char cwd[PATH_MAX];
	bool cwd_explicit;
	bool unshare_cgroup;
	/* MODE_SPAWN: who the subsystem is on the host, and per bind an
	 * idmapped tree to move in or -1 (idmap.c)
	 */
	struct vos_identity id;
	int trees[VOS_MAX_BINDS];
	/* MODE_EXEC: fds of the target's namespaces and cgroup.procs */
	int ns_fd[7];
	int cgroup_fd;
	char **env_built; /* vos_env_build()'s, when envp is NULL */
};

/* ------------------------------------------------------------------------ */
/* child side                                                                */
/* ------------------------------------------------------------------------ */

static void __attribute__((noreturn)) child_fail(struct vos_ctx *ctx, int err_wr, int code)
{
	struct vos_err_record rec;

	vos_err_save(ctx, &rec);
	if (write(err_wr, &rec, sizeof(rec)) < 0) {
		/* nobody to tell */
	}
	_exit(code);
}

static int lo_up(struct vos_ctx *ctx)
{
	struct ifreq ifr;
	int s, r = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return vos_err(ctx, -errno, "loopback: socket:");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		r = vos_err(ctx, -errno, "loopback: get flags:");
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			r = vos_err(ctx, -errno, "loopback: bring up:");
	}
	close(s);
	return r;
}

/* stdio onto 0, 1, 2 (through high fds, the sources may overlap 0..2) */
static int setup_stdio(struct vos_ctx *ctx, struct spawn_args *a)
{
	int tmp[3], i, null = -1;

	for (i = 0; i < 3; i++) {
		/* with a pty, the caller's stdio never goes inside: /dev/null
		 * until the pty made inside replaces it
		 */
		int src = a->pty_sock >= 0 ? -1 : a->stdio[i];

		if (src < 0) {
			if (null < 0)
				null = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (null < 0)
				return vos_err(ctx, -errno, "open /dev/null:");
			src = null;
		}
		tmp[i] = fcntl(src, F_DUPFD_CLOEXEC, 10);
		if (tmp[i] < 0)
			return vos_err(ctx, -errno, "stdio: dup fd %d:", src);
	}
	for (i = 0; i < 3; i++) {
		if (dup2(tmp[i], i) < 0)
			return vos_err(ctx, -errno, "stdio: dup2 %d:", i);
		close(tmp[i]);
	}
	if (null >= 0)
		close(null);
	return 0;
}

/* The app: new session, its terminal, default signals, exec. */
static void __attribute__((noreturn)) app_exec(struct vos_ctx *ctx, struct spawn_args *a)
{
	sigset_t none;
	int e, sig;

	sigemptyset(&none);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A new session: no controlling terminal of the caller, so nothing
	 * inside can reach it (TIOCSTI is also refused by seccomp).
	 */
	if (setsid() < 0) {
		vos_err(ctx, -errno, "setsid:");
		child_fail(ctx, a->err_wr, 125);
	}
	if (a->ctty && ioctl(0, TIOCSCTTY, 0) < 0) {
		vos_err(ctx, -errno, "pty: make it the controlling terminal:");
		child_fail(ctx, a->err_wr, 125);
	}
	if (a->status_wr >= 0)
		close(a->status_wr);
	environ = (char **)(a->envp ? a->envp : environ);
	execvp(a->argv[0], a->argv);
	e = errno;
	if (e == ENOENT)
		vos_err_class(ctx, -e, VOS_ERR_NOCMD, "%s: command not found", a->argv[0]);
	else
		vos_err_class(ctx, -e, VOS_ERR_NOEXEC, "%s: cannot execute: %s", a->argv[0],
			      strerror(e));
	child_fail(ctx, a->err_wr, e == ENOENT ? 127 : 126);
}

/*
 * The mini init: pid 1 of the subsystem. Reaps every orphan, forwards
 * every signal it gets to the app, and exits with the app's status once the
 * app is gone (the kernel then kills what is left of the PID namespace).
 * The app's exact wait status goes to the parent over the status pipe (pid 1
 * cannot re-raise a fatal signal on itself: init ignores it).
 */
static void __attribute__((noreturn)) mini_init(struct vos_ctx *ctx, struct spawn_args *a)
{
	sigset_t all;
	pid_t app = -1;
	int st, code;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (setsid() < 0) {
		/* already a session leader: fine */
	}
	prctl(PR_SET_NAME, "vos-init", 0, 0, 0);
	if (!a->idle) {
		app = fork();
		if (app < 0) {
			vos_err(ctx, -errno, "init: fork the app:");
			child_fail(ctx, a->err_wr, 125);
		}
		if (app == 0)
			app_exec(ctx, a);
	}
	close(a->err_wr);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&all, &si);

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			pid_t w;

			while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
				if (w != app)
					continue;
				if (a->status_wr >= 0 && write(a->status_wr, &st, sizeof(st)) < 0) {
					/* the parent falls back to our code */
				}
				code = vos_wstatus_to_exit(st);
				_exit(code);
			}
			continue;
		}
		if (a->idle) {
			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
				_exit(0);
			continue;
		}
		kill(app, sig);
	}
}

/*
 * The app's terminal comes from the subsystem's own devpts instance (so it
 * is /dev/pts/0 inside and ttyname() works); its master goes to the caller
 * over a socket, who relays it. Fds 0-2 become the slave.
 */
static int inside_pty(struct vos_ctx *ctx, struct spawn_args *a)
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
static int recv_master(int sock)
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

static int restrict_self(struct vos_ctx *ctx, struct spawn_args *a)
{
	const struct vos_config *cfg = a->cfg;
	int r;

	/* again, for the spawn path: nothing inside may open our /proc/PID/exe */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return vos_err(ctx, -errno, "dumpable:");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return vos_err(ctx, -errno, "no_new_privs:");
	r = vos_landlock_apply(ctx, cfg);
	if (r < 0)
		return r;
	r = vos_caps_drop(ctx, cfg->caps, a->uid_in, a->gid_in);
	if (r < 0)
		return r;
	return vos_seccomp_load(ctx, a->prog, a->proglen);
}

static void __attribute__((noreturn)) child_main(struct vos_ctx *ctx, struct spawn_args *a)
{
	const struct vos_config *cfg = a->cfg;
	int keep[VOS_MAX_KEEP_FDS] = { a->err_wr, a->status_wr, a->pty_sock };
	int nkeep = 3;
	char go = 0;
	int r;

	/* Die with the parent until we are set up. The parent may have died
	 * before this prctl() (the signal is then never sent), so also drop
	 * our copies of its ends of the pipes (clone copied them): without a
	 * writer left, a dead parent is EOF on the sync pipe, never a child
	 * blocked forever with every capability of its namespaces.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	for (int i = 0; i < 4; i++)
		if (a->parent_fd[i] >= 0)
			close(a->parent_fd[i]);
	if (read(a->sync_rd, &go, 1) != 1 || go != 'g')
		_exit(125); /* the parent gave up or died; it reports why */
	close(a->sync_rd);
	/* With a private range our host ids (the caller's) are not mapped in
	 * the new user namespace: become its root, the first id of the range,
	 * before making anything (files of an unmapped owner: EOVERFLOW).
	 */
	if (a->id.count && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		vos_err(ctx, -errno, "become root of the user namespace:");
		child_fail(ctx, a->err_wr, 125);
	}
	if (a->unshare_cgroup && unshare(CLONE_NEWCGROUP) < 0) {
		vos_err_cgroup(ctx, -errno, "unshare cgroup namespace:");
		child_fail(ctx, a->err_wr, 125);
	}
	r = setup_stdio(ctx, a);
	if (r < 0)
		child_fail(ctx, a->err_wr, 125);
	/* nothing of the caller's (the /dev/vos fd, netlink sockets, its
	 * files) survives into the subsystem
	 */
	for (unsigned int i = 0; i < cfg->nbinds; i++)
		keep[nkeep++] = a->trees[i];
	vos_close_fds(keep, nkeep);
	if (sethostname(vos_config_get_hostname(cfg), strlen(vos_config_get_hostname(cfg))) < 0) {
		vos_err(ctx, -errno, "sethostname %s:", vos_config_get_hostname(cfg));
		child_fail(ctx, a->err_wr, 125);
	}
	if (!cfg->share_net && lo_up(ctx) < 0)
		child_fail(ctx, a->err_wr, 125);
	if (vos_fs_setup(ctx, cfg, a->uid_in, a->gid_in, a->trees) < 0)
		child_fail(ctx, a->err_wr, 125);
	vos_idmap_close(a->trees, cfg->nbinds);
	if (a->cwd[0] && chdir(a->cwd) < 0) {
		if (a->cwd_explicit) {
			vos_err(ctx, -errno, "cwd %s:", a->cwd);
			child_fail(ctx, a->err_wr, 125);
		}
		if (chdir("/") < 0) {
			vos_err(ctx, -errno, "chdir /:");
			child_fail(ctx, a->err_wr, 125);
		}
	}
	/* A persistent subsystem's init outlives its creator. An ephemeral
	 * one dies with it: by this signal where the credential changes below
	 * keep it, and for a registered one by the module, which ends the
	 * subsystem when the caller's last subsystem fd closes.
	 */
	if (!a->keep_pdeathsig)
		prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (a->pty_sock >= 0 && inside_pty(ctx, a) < 0)
		child_fail(ctx, a->err_wr, 125);
	if (restrict_self(ctx, a) < 0)
		child_fail(ctx, a->err_wr, 125);
	if (!a->mini_init)
		app_exec(ctx, a);
	mini_init(ctx, a);
}

/* ------------------------------------------------------------------------ */
/* parent side                                                               */
/* ------------------------------------------------------------------------ */

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

/* A socket for the pty master to come back on, and the caller's size. */
static int pty_prepare(struct vos_ctx *ctx, struct spawn_args *a, int ref_fd, int *parent_sock)
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

static void proc_restore_tty(struct vos_proc *p)
{
	if (p->tty_saved) {
		tcsetattr(p->tty_fd, TCSADRAIN, (struct termios *)p->termios_buf);
		p->tty_saved = false;
	}
}

/* Put the caller's terminal in raw mode: keys (^C too) go to the pty. */
static void proc_raw_tty(struct vos_proc *p, int fd)
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

/*
 * Who the app is: uid/gid 0 (--root) or the caller's euid/egid inside, and
 * on the host the subsystem's private range from vos.ko (writing those maps
 * needs CAP_SETUID and CAP_SETGID), or with host_ids (--as-user) the
 * caller's own ids. Without a subsystem there is no range: a root caller
 * must ask for host_ids (fail closed); anyone else can map only itself, so
 * runs as itself.
 */
static int spawn_identity(struct vos_ctx *ctx, const struct vos_subsys *s,
			  const struct vos_config *cfg, struct spawn_args *a)
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
			struct spawn_args *a, struct vos_proc **procp)
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

	r = vos_seccomp_build(ctx, cfg, cfg->root && (cfg->caps & (1ULL << 21)), &a->prog,
			      &a->proglen);
	if (r < 0)
		return r;
	use_pty = !a->idle &&
		  (cfg->tty == VOS_TTY_PTY ||
		   (cfg->tty == VOS_TTY_AUTO && a->stdio[0] >= 0 && isatty(a->stdio[0])));
	if (use_pty) {
		r = pty_prepare(ctx, a, a->stdio[1] >= 0 ? a->stdio[1] : a->stdio[0], &psock);
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
		child_main(ctx, a);

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
		master = recv_master(psock);
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
		proc_raw_tty(p, a->stdio[0]);
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

static int check_argv(struct vos_ctx *ctx, char *const argv[], bool idle_ok)
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
	struct spawn_args a;
	int r;

	if (!s || !cfg || !procp)
		return -EINVAL;
	if (s->has_init)
		return vos_err(s->ctx, -EBUSY, "subsystem '%s' already has an init", s->name);
	r = check_argv(s->ctx, argv, true);
	if (r < 0)
		return r;
	memset(&a, 0, sizeof(a));
	a.mode = MODE_SPAWN;
	a.argv = argv;
	a.envp = envp;
	a.idle = r == 1;
	return spawn_common(s->ctx, s, cfg, &a, procp);
}

VOS_EXPORT int vos_proc_spawn(struct vos_ctx *ctx, const struct vos_config *cfg, char *const argv[],
			      char *const envp[], struct vos_proc **procp)
{
	struct spawn_args a;
	int r;

	if (!ctx || !cfg || !procp)
		return -EINVAL;
	r = check_argv(ctx, argv, true);
	if (r < 0)
		return r;
	memset(&a, 0, sizeof(a));
	a.mode = MODE_SPAWN;
	a.argv = argv;
	a.envp = envp;
	a.idle = r == 1;
	return spawn_common(ctx, NULL, cfg, &a, procp);
}

/* ------------------------------------------------------------------------ */
/* exec into a running subsystem                                             */
/* ------------------------------------------------------------------------ */

static const char *const ns_names[7] = {
	/* user first: it gives the capabilities for joining the others;
	 * mnt last: it changes our root
	 */
	"user", "ipc", "uts", "net", "cgroup", "pid", "mnt",
};
static const int ns_types[7] = {
	CLONE_NEWUSER,	 CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET,
	CLONE_NEWCGROUP, CLONE_NEWPID, CLONE_NEWNS,
};

/* The app side of exec: already in the PID namespace (child of a helper
 * that joined it); join the rest, then the same restrictions as at spawn.
 */
static void __attribute__((noreturn)) exec_app(struct vos_ctx *ctx, struct spawn_args *a)
{
	int keep[2] = { a->err_wr, a->pty_sock };
	int i;

	/*
	 * First of all: this process runs vosctl's executable, and from the
	 * moment it joins the subsystem, processes inside could open
	 * /proc/PID/exe and write the host binary (CVE-2019-5736). A process
	 * that is not dumpable cannot be inspected by them.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		vos_err(ctx, -errno, "exec: dumpable:");
		child_fail(ctx, a->err_wr, 125);
	}
	if (a->cgroup_fd >= 0) {
		int fd = openat(a->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);

		/* "0": the writer itself (our pid is already the inside one) */
		if (fd < 0 || write(fd, "0", 1) < 0) {
			vos_err_cgroup(ctx, -errno, "exec: join the subsystem's cgroup:");
			child_fail(ctx, a->err_wr, 125);
		}
		close(fd);
	}
	for (i = 0; i < 7; i++) {
		if (i == 5) /* pid: joined by our parent */
			continue;
		if (a->ns_fd[i] >= 0 && setns(a->ns_fd[i], ns_types[i]) < 0) {
			vos_err(ctx, -errno, "exec: join %s namespace:", ns_names[i]);
			child_fail(ctx, a->err_wr, 125);
		}
	}
	if (setup_stdio(ctx, a) < 0)
		child_fail(ctx, a->err_wr, 125);
	vos_close_fds(keep, 2);
	if (chdir(a->cwd[0] ? a->cwd : "/") < 0) {
		vos_err(ctx, -errno, "exec: cwd %s:", a->cwd);
		child_fail(ctx, a->err_wr, 125);
	}
	if (a->pty_sock >= 0 && inside_pty(ctx, a) < 0)
		child_fail(ctx, a->err_wr, 125);
	if (restrict_self(ctx, a) < 0)
		child_fail(ctx, a->err_wr, 125);
	a->status_wr = -1;
	app_exec(ctx, a);
}

/*
 * The ids @pid has inside its user namespace: its real uid/gid as this
 * process sees them (/proc/PID/status), mapped back through the first
 * extent of its uid_map/gid_map ("INSIDE OUTSIDE COUNT"), which is the one
 * extent libvirtos writes.
 */
static int read_id(pid_t pid, const char *map, const char *key, unsigned int *inside)
{
	unsigned int in, out, count, host;
	char path[64], line[256];
	bool found = false;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, key, strlen(key)) &&
			sscanf(line + strlen(key), "%u", &host) == 1;
	fclose(f);
	if (!found)
		return -EPROTO;
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, map);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%u %u %u", &in, &out, &count);
	fclose(f);
	if (n != 3 || host < out || host - out >= count)
		return -EPROTO;
	*inside = in + (host - out);
	return 0;
}

/* Unescape mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_mnt(char *p)
{
	char *w = p;

	for (; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * The Landlock rules of a process exec'ed into a running subsystem are its
 * init's. Nothing keeps the init's config, but everything its rules depend
 * on can be read back: the write rules cover the fixed places (/tmp, /dev,
 * /run, /var/tmp, file writes in /proc) plus each --tmpfs and --rw bind,
 * and those are exactly the writable mounts of its mount table outside
 * /proc, /sys and /dev (the root and every bind of host files are
 * read-only, with locked flags that nothing inside can clear). Abstract
 * sockets are scoped if the init shares the caller's network namespace
 * (--share-net). @ll becomes a shallow copy of @cfg with those mounts
 * added as tmpfs or rw bind destinations (the strings live in *@bufp, to
 * be freed by the caller); @ll must never be given to vos_config_free().
 */
static int exec_landlock_config(struct vos_ctx *ctx, pid_t init, int netns_fd,
				const struct vos_config *cfg, struct vos_config *ll, char **bufp)
{
	char path[64], mnt[4096], opts[1024], *line = NULL, *buf, *w;
	struct stat ours, theirs;
	size_t size = 0, cap = 0;
	ssize_t n;
	FILE *f;

	*ll = *cfg;
	*bufp = NULL;
	if (fstat(netns_fd, &theirs) == 0 && stat("/proc/self/ns/net", &ours) == 0)
		ll->share_net = ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev;
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)init);
	f = fopen(path, "re");
	if (!f)
		return vos_err(ctx, -errno, "landlock: read %s:", path);
	/* one pass for the size, one to copy */
	while ((n = getline(&line, &cap, f)) > 0)
		size += (size_t)n + 1;
	buf = malloc(size + 1);
	if (!buf) {
		free(line);
		fclose(f);
		return vos_err(ctx, -ENOMEM, "landlock:");
	}
	*bufp = buf;
	w = buf;
	rewind(f);
	while (getline(&line, &cap, f) > 0) {
		/* id parent maj:min root mountpoint options ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s %1023s", mnt, opts) != 2)
			continue;
		if (strncmp(opts, "rw", 2) != 0 || (opts[2] && opts[2] != ','))
			continue;
		unescape_mnt(mnt);
		if (!strcmp(mnt, "/") || below(mnt, "/proc") || below(mnt, "/sys") ||
		    below(mnt, "/dev"))
			continue;
		if ((size_t)(w - buf) + strlen(mnt) + 1 > size)
			break;
		strcpy(w, mnt);
		if (ll->ntmpfs < VOS_MAX_TMPFS) {
			ll->tmpfs[ll->ntmpfs++] = w;
		} else if (ll->nbinds < VOS_MAX_BINDS) {
			ll->binds[ll->nbinds].src = NULL;
			ll->binds[ll->nbinds].dest = w;
			ll->binds[ll->nbinds++].flags = VOS_BIND_RW;
		} else {
			free(line);
			fclose(f);
			return vos_err(ctx, -E2BIG,
				       "landlock: more writable mounts than a config holds");
		}
		w += strlen(w) + 1;
	}
	free(line);
	fclose(f);
	return 0;
}

VOS_EXPORT int vos_subsys_exec(struct vos_subsys *s, const struct vos_config *cfg,
			       char *const argv[], char *const envp[], struct vos_proc **procp)
{
	struct vos_config *defcfg = NULL, ll;
	char *llbuf = NULL, cgpath[8192];
	struct vos_ctx *ctx;
	struct spawn_args a;
	struct vos_info info;
	struct vos_proc *p = NULL;
	struct vos_err_record rec;
	int err_p[2] = { -1, -1 }, pid_p[2] = { -1, -1 };
	int initfd = -1, master = -1, psock = -1, pidfd = -1, r, i, st;
	unsigned int in_uid, in_gid;
	pid_t helper, app = -1;
	ssize_t n;

	if (!s || !procp)
		return -EINVAL;
	ctx = s->ctx;
	r = check_argv(ctx, argv, false);
	if (r < 0)
		return r;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 7; i++)
		a.ns_fd[i] = -1;
	a.cgroup_fd = -1;
	a.pty_sock = -1;
	a.mode = MODE_EXEC;
	a.argv = argv;
	a.envp = envp;
	if (!cfg) {
		r = vos_config_new(ctx, &defcfg);
		if (r < 0)
			return r;
		cfg = defcfg;
	}
	a.cfg = cfg;
	memcpy(a.stdio, cfg->stdio, sizeof(a.stdio));
	if (cfg->cwd) {
		snprintf(a.cwd, sizeof(a.cwd), "%s", cfg->cwd);
		a.cwd_explicit = true;
	}

	r = vos_subsys_info(s, &info);
	if (r < 0)
		goto out;
	if (info.state != VOS_STATE_RUNNING || info.init_pid <= 0) {
		r = vos_err_class(ctx, -ESRCH, VOS_ERR_NAME,
				  "subsystem '%s' is %s: nothing to exec into", s->name,
				  vos_state_name(info.state));
		goto out;
	}
	/* hold init while we look at it: its pid cannot be reused under us */
	initfd = (int)syscall(SYS_pidfd_open, info.init_pid, 0);
	if (initfd < 0) {
		r = vos_err(ctx, -errno, "subsystem '%s': init pid %d:", s->name, info.init_pid);
		goto out;
	}
	for (i = 0; i < 7; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", info.init_pid, ns_names[i]);
		a.ns_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (a.ns_fd[i] < 0) {
			r = vos_err(ctx, -errno, "subsystem '%s': open %s:", s->name, path);
			goto out;
		}
	}
	r = read_id(info.init_pid, "uid_map", "Uid:", &in_uid);
	if (!r)
		r = read_id(info.init_pid, "gid_map", "Gid:", &in_gid);
	if (r < 0) {
		vos_err(ctx, r, "subsystem '%s': read its id maps:", s->name);
		goto out;
	}
	/* the same Landlock rules as the subsystem's init */
	r = exec_landlock_config(ctx, info.init_pid, a.ns_fd[3], cfg, &ll, &llbuf);
	if (r < 0)
		goto out;
	a.cfg = &ll;
	/* the same identity as the subsystem's app */
	a.uid_in = in_uid;
	a.gid_in = in_gid;
	if (vos_cgroup_path(info.init_pid, cgpath, sizeof(cgpath)) == 0)
		a.cgroup_fd = open(cgpath, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	/* else, or if it cannot be opened: no cgroup v2, nothing to join */
	/* still the same init? */
	{
		struct pollfd pf = { .fd = initfd, .events = POLLIN };

		if (poll(&pf, 1, 0) != 0) {
			r = vos_err_class(ctx, -ESRCH, VOS_ERR_NAME,
					  "subsystem '%s': its init exited", s->name);
			goto out;
		}
	}

	r = vos_seccomp_build(ctx, cfg, (cfg->caps & (1ULL << 21)) && in_uid == 0, &a.prog,
			      &a.proglen);
	if (r < 0)
		goto out;
	if (cfg->tty == VOS_TTY_PTY ||
	    (cfg->tty == VOS_TTY_AUTO && a.stdio[0] >= 0 && isatty(a.stdio[0]))) {
		r = pty_prepare(ctx, &a, a.stdio[1] >= 0 ? a.stdio[1] : a.stdio[0], &psock);
		if (r < 0)
			goto out;
	}
	if (!a.envp) {
		r = vos_env_build(ctx, cfg, psock >= 0, &a.env_built);
		if (r < 0)
			goto out;
		a.envp = a.env_built;
	}
	if (pipe2(err_p, O_CLOEXEC) < 0 || pipe2(pid_p, O_CLOEXEC) < 0) {
		r = vos_err(ctx, -errno, "pipe:");
		goto out;
	}
	a.err_wr = err_p[1];
	a.status_wr = -1;

	/* The helper joins the PID namespace (only its children enter it)
	 * and forks the app as a child of ours (CLONE_PARENT), so we wait
	 * for it directly.
	 */
	helper = fork();
	if (helper < 0) {
		r = vos_err(ctx, -errno, "fork:");
		goto out;
	}
	if (helper == 0) {
		pid_t c;

		close(err_p[0]);
		close(pid_p[0]);
		if (setns(a.ns_fd[5], CLONE_NEWPID) < 0) {
			vos_err(ctx, -errno, "exec: join pid namespace:");
			child_fail(ctx, a.err_wr, 125);
		}
		c = (pid_t)syscall(SYS_clone, CLONE_PARENT, 0, 0, 0, 0);
		if (c < 0) {
			vos_err(ctx, -errno, "exec: fork into the subsystem:");
			child_fail(ctx, a.err_wr, 125);
		}
		if (c == 0) {
			close(pid_p[1]);
			exec_app(ctx, &a);
		}
		if (write(pid_p[1], &c, sizeof(c)) != sizeof(c))
			_exit(125);
		_exit(0);
	}
	close(err_p[1]);
	err_p[1] = -1;
	close(pid_p[1]);
	pid_p[1] = -1;
	if (a.pty_sock >= 0) {
		close(a.pty_sock);
		a.pty_sock = -1;
	}
	while (waitpid(helper, &st, 0) < 0 && errno == EINTR)
		;
	if (psock >= 0)
		master = recv_master(psock);
	if (read(pid_p[0], &app, sizeof(app)) != sizeof(app))
		app = -1;
	if (app > 0)
		pidfd = (int)syscall(SYS_pidfd_open, app, 0);
	do {
		n = read(err_p[0], &rec, sizeof(rec));
	} while (n < 0 && errno == EINTR);
	if (n > 0 || app <= 0 || pidfd < 0 || (psock >= 0 && master < 0)) {
		if (n == (ssize_t)sizeof(rec) && rec.err < 0) {
			r = vos_err_restore(ctx, &rec, (size_t)n);
		} else {
			r = vos_err(ctx, -EPROTO, "exec: the helper failed");
		}
		if (app > 0) {
			kill(app, SIGKILL);
			while (waitpid(app, &st, 0) < 0 && errno == EINTR)
				;
		}
		goto out;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		r = vos_err(ctx, -ENOMEM, "exec:");
		kill(app, SIGKILL);
		goto out;
	}
	p->ctx = ctx;
	p->pid = app;
	p->pidfd = pidfd;
	pidfd = -1;
	p->status_fd = -1;
	p->pty_master = master;
	master = -1;
	p->sig_fd = -1;
	p->tty_fd = -1;
	p->in_fd = a.stdio[0];
	p->out_fd = a.stdio[1];
	if (p->pty_master >= 0 && a.stdio[0] >= 0)
		proc_raw_tty(p, a.stdio[0]);
	*procp = p;
	r = 0;
out:
	for (i = 0; i < 7; i++)
		if (a.ns_fd[i] >= 0)
			close(a.ns_fd[i]);
	if (a.cgroup_fd >= 0)
		close(a.cgroup_fd);
	for (i = 0; i < 2; i++) {
		if (err_p[i] >= 0)
			close(err_p[i]);
		if (pid_p[i] >= 0)
			close(pid_p[i]);
	}
	if (a.pty_sock >= 0)
		close(a.pty_sock);
	if (psock >= 0)
		close(psock);
	if (master >= 0)
		close(master);
	if (pidfd >= 0)
		close(pidfd);
	if (initfd >= 0)
		close(initfd);
	free(a.prog);
	free(a.env_built);
	free(llbuf);
	vos_config_free(defcfg);
	if (r < 0)
		return vos_err_prefix(ctx, r, "exec in '%s'", s->name);
	return 0;
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
		while (p->out_fd >= 0 && relay(p->pty_master, p->out_fd) == 0) {
			struct pollfd pf = { .fd = p->pty_master, .events = POLLIN };

			if (poll(&pf, 1, 0) <= 0)
				break;
		}
		close(p->pty_master);
		p->pty_master = -1;
	}
	proc_restore_tty(p);
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
			if (relay(p->pty_master, p->out_fd >= 0 ? p->out_fd : 1) < 0) {
				/* all slave ends closed: only wait now */
				close(p->pty_master);
				p->pty_master = -1;
			}
		}
		if (i_in >= 0 && pf[i_in].revents && p->pty_master >= 0) {
			if (relay(p->in_fd, p->pty_master) < 0) {
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
	proc_restore_tty(p);
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
