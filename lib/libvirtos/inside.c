// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * inside.c - the child side of a spawn (see the diagram in spawn.c): pid 1
 * of the new namespaces, released by the caller, sets the subsystem up from
 * inside (stdio, fds, hostname, loopback, the view, the restrictions) and
 * runs the app, itself or as the child of the mini init. A process joining
 * a running subsystem (exec.c) takes the same steps for stdio, the
 * restrictions and the app's exec. A failure goes back to the caller as one
 * error record on the error pipe.
 *
 * The child of the raw clone is a copy of a possibly multithreaded caller:
 * it only uses what is safe after fork in a single-threaded caller (vosctl);
 * multithreaded callers should spawn from a dedicated process.
 */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

extern char **environ;

void __attribute__((noreturn)) vos_child_fail(struct vos_ctx *ctx, int err_wr, int code)
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
	_cleanup_close_ int s = -1;
	struct ifreq ifr;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return vos_err(ctx, -errno, "loopback: socket:");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return vos_err(ctx, -errno, "loopback: get flags:");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return vos_err(ctx, -errno, "loopback: bring up:");
	return 0;
}

/* stdio onto 0, 1, 2 (through high fds, the sources may overlap 0..2) */
int vos_inside_stdio(struct vos_ctx *ctx, struct vos_launch *a)
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

/*
 * The signals that are not SIG_DFL here, as bits (signal n: bit n - 1), from
 * the SigIgn and SigCgt lines of /proc/self/status (the view's /proc); all
 * of them if it cannot be read. One read instead of a signal() per signal
 * (64 system calls) for the few a caller ignores or handles.
 */
static uint64_t not_default(void)
{
	unsigned long long ign, cgt;
	char buf[4096], *ig, *cg;
	ssize_t n;
	int fd;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ~0ULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return ~0ULL;
	buf[n] = '\0';
	ig = strstr(buf, "\nSigIgn:");
	cg = strstr(buf, "\nSigCgt:");
	if (!ig || !cg || sscanf(ig, "\nSigIgn: %llx", &ign) != 1 ||
	    sscanf(cg, "\nSigCgt: %llx", &cgt) != 1)
		return ~0ULL;
	return ign | cgt;
}

/* The app: new session, its terminal, default signals, exec. */
void __attribute__((noreturn)) vos_app_exec(struct vos_ctx *ctx, struct vos_launch *a)
{
	uint64_t set = not_default();
	sigset_t none;
	int e, sig;

	sigemptyset(&none);
	for (sig = 1; sig < NSIG && sig <= 64; sig++)
		if (set & (1ULL << (sig - 1)))
			signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A new session: no controlling terminal of the caller, so nothing
	 * inside can reach it (TIOCSTI is also refused by seccomp).
	 */
	if (setsid() < 0) {
		vos_err(ctx, -errno, "setsid:");
		vos_child_fail(ctx, a->err_wr, 125);
	}
	if (a->ctty && ioctl(0, TIOCSCTTY, 0) < 0) {
		vos_err(ctx, -errno, "pty: make it the controlling terminal:");
		vos_child_fail(ctx, a->err_wr, 125);
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
	vos_child_fail(ctx, a->err_wr, e == ENOENT ? 127 : 126);
}

/* The vos-init program (init/vos-init.c), built freestanding by lib.mk
 * and carried in the library's read-only data.
 */
__asm__(".pushsection .rodata\n"
	".balign 16\n"
	".globl vos_init_prog\n"
	".hidden vos_init_prog\n"
	"vos_init_prog:\n"
	".incbin \"" VOS_INIT_PROG "\"\n"
	".globl vos_init_prog_end\n"
	".hidden vos_init_prog_end\n"
	"vos_init_prog_end:\n"
	".popsection\n");
extern const unsigned char vos_init_prog[] __attribute__((visibility("hidden")));
extern const unsigned char vos_init_prog_end[] __attribute__((visibility("hidden")));

/*
 * A sealed memfd holding vos-init, made by the caller before the clone
 * (the child runs it once its view hides the host's files), or -1 if the
 * kernel will not make one: the mini init then stays the copy of the
 * caller it was before. Mode 0111 and owned by the caller, host root,
 * whom no id of a subsystem with a private range is: no process inside
 * can read it, so the kernel execs it not dumpable and with its memory
 * belonging to the initial user namespace (would_dump()), as the copy of
 * the caller's was; no one inside has CAP_SYS_PTRACE there. (vos-init
 * also makes itself not dumpable first thing.) Its /proc/1/exe is this
 * sealed memfd, no file of the host's.
 */
int vos_init_memfd(void)
{
	const size_t len = (size_t)(vos_init_prog_end - vos_init_prog);
	_cleanup_close_ int fd = -1;
	ssize_t n;

	fd = memfd_create("vos-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | 0x10U /* MFD_EXEC */);
	if (fd < 0 && errno == EINVAL) /* before Linux 6.3: no MFD_EXEC */
		fd = memfd_create("vos-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	n = write(fd, vos_init_prog, len);
	if (n != (ssize_t)len || fchmod(fd, 0111) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		return -1;
	return vos_take_fd(&fd);
}

/*
 * Become vos-init (see init/vos-init.c): the app is forked, all signals
 * are blocked (those pending stay pending across the exec). @ready is the
 * write end of the pipe the app waits on (-1: none): vos-init closes it
 * once it has its name (the exec names it after the fd it came from).
 * Returns only if the exec failed, with nothing changed: the errno.
 */
static int exec_init(struct vos_launch *a, pid_t app, int ready)
{
	char pid[16], status[16], rd[16];
	char *argv[] = { "vos-init", pid, status, a->idle ? "1" : "0", rd, NULL };
	char *envp[] = { NULL };
	int e;

	if (a->init_fd < 0)
		return ENOENT;
	snprintf(pid, sizeof(pid), "%d", (int)app);
	snprintf(status, sizeof(status), "%d", a->status_wr);
	snprintf(rd, sizeof(rd), "%d", ready);
	if ((a->status_wr >= 0 && fcntl(a->status_wr, F_SETFD, 0) < 0) ||
	    (ready >= 0 && fcntl(ready, F_SETFD, 0) < 0)) {
		e = errno;
		goto cloexec;
	}
	syscall(SYS_execveat, a->init_fd, "", argv, envp, AT_EMPTY_PATH);
	e = errno;
cloexec:
	if (a->status_wr >= 0)
		fcntl(a->status_wr, F_SETFD, FD_CLOEXEC);
	return e;
}

/* What the app's side of fork_app() gets. */
struct app_start {
	struct vos_ctx *ctx;
	struct vos_launch *a;
	int ready[2];
};

/* The app's side of fork_app(): wait for vos-init's name, then exec. */
static int app_main(void *arg)
{
	struct app_start *s = arg;
	char c;

	if (s->ready[0] >= 0) {
		close(s->ready[1]);
		while (read(s->ready[0], &c, 1) < 0 && errno == EINTR)
			;
		close(s->ready[0]);
	}
	vos_app_exec(s->ctx, s->a);
}

/* The length of PATH in the app's environment (vos_app_exec()) */
static size_t app_path_len(const struct vos_launch *a)
{
	char *const *env = a->envp ? a->envp : environ;

	for (; env && *env; env++)
		if (!strncmp(*env, "PATH=", 5))
			return strlen(*env);
	return 0;
}

/*
 * Fork the app from pid 1. When pid 1 is about to become vos-init (@s has
 * the ready pipe), the app shares its memory (CLONE_VM, on a stack of its
 * own) instead of getting a copy of it: pid 1's exec leaves that memory to
 * the app, which execs in turn, so that the caller's memory is neither
 * copied nor torn down twice (Documentation/performance.md, "The app's
 * fork"). The C library assumes one thread per memory, so the two may
 * overlap only in system call wrappers that write nothing shared when they
 * succeed: the app's close() and read() of the ready pipe (all signals are
 * blocked, no EINTR) while pid 1 closes fds and execs, and pid 1's close()
 * and read() in wait_app_exec(). The app goes on past the pipe once
 * vos-init, whose memory is its own, closes it; if pid 1's exec fails,
 * pid 1 waits in wait_app_exec() until the app has exec'd or exited. pid 1
 * came from a raw clone3() without CLONE_CHILD_CLEARTID and registered no
 * robust futex list, so its exec writes nothing into the memory it leaves.
 * @stack gets the stack, for wait_app_exec() to unmap. Without the ready
 * pipe, or when the pipe, stack or clone cannot be had: a plain fork().
 * Returns the app's pid, or -1 with errno set.
 */
static pid_t fork_app(struct app_start *s, void **stack, size_t *stack_len, int *execd_rd)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), argc = 0, len;
	int execd[2] = { -1, -1 };
	char *mem = MAP_FAILED;
	pid_t pid = -1;

	if (s->ready[0] >= 0) {
		/* execvp() puts on the stack each PATH entry joined to the
		 * name and a script's argv (one more than ours); 64 KiB for
		 * the rest (an error message, /proc/self/status), and a guard
		 * page below
		 */
		while (s->a->argv[argc])
			argc++;
		len = (argc + 2) * sizeof(char *) + strlen(s->a->argv[0]) + app_path_len(s->a) +
		      65536;
		len = (len + page - 1) / page * page + page;
		if (pipe2(execd, O_CLOEXEC) == 0)
			mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		/* the app holds the write end until its exec (O_CLOEXEC) or
		 * exit
		 */
		if (mem != MAP_FAILED && mprotect(mem, page, PROT_NONE) == 0)
			pid = clone(app_main, mem + len, CLONE_VM | SIGCHLD, s);
		if (pid > 0) {
			close(execd[1]);
			*stack = mem;
			*stack_len = len;
			/* for the caller to unmap, when this is its memory */
			s->a->app_stack = mem;
			s->a->app_stack_len = len;
			*execd_rd = execd[0];
			return pid;
		}
		if (mem != MAP_FAILED)
			munmap(mem, len);
		vos_closep(&execd[0]);
		vos_closep(&execd[1]);
	}
	pid = fork();
	if (pid == 0)
		app_main(s);
	return pid;
}

/* pid 1 did not become vos-init: let the app go, and wait until it has
 * left the memory pid 1 shares with it (exec'd or exited). Signals for the
 * app wait until then too (an app stopped before its exec holds pid 1
 * here: only on a kernel that will not exec vos-init).
 */
static void wait_app_exec(struct app_start *s, void *stack, size_t stack_len, int execd_rd)
{
	char c;

	if (s->ready[1] >= 0)
		close(s->ready[1]);
	if (execd_rd < 0)
		return;
	while (read(execd_rd, &c, 1) < 0 && errno == EINTR)
		;
	close(execd_rd);
	munmap(stack, stack_len);
}

/*
 * The mini init: pid 1 of the subsystem. Reaps every orphan, forwards
 * every signal it gets to the app, and exits with the app's status once the
 * app is gone (the kernel then kills what is left of the PID namespace).
 * The app's exact wait status goes to the parent over the status pipe (pid 1
 * cannot re-raise a fatal signal on itself: init ignores it). Once the app
 * is forked, it does so as vos-init (exec_init()), which needs none of the
 * caller's memory; the loop below is for a kernel that would not exec it.
 */
static void __attribute__((noreturn)) mini_init(struct vos_ctx *ctx, struct vos_launch *a)
{
	struct app_start s = { .ctx = ctx, .a = a, .ready = { -1, -1 } };
	int execd_rd = -1, st, code;
	size_t stack_len = 0;
	void *stack = NULL;
	sigset_t all;
	pid_t app = -1;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (setsid() < 0) {
		/* already a session leader: fine */
	}
	prctl(PR_SET_NAME, "vos-init", 0, 0, 0);
	/* the app waits until vos-init is named (processes inside see
	 * "vos-init" as pid 1's name, as before)
	 */
	if (!a->idle && a->init_fd >= 0 && pipe2(s.ready, O_CLOEXEC) < 0)
		s.ready[0] = s.ready[1] = -1;
	if (!a->idle) {
		app = fork_app(&s, &stack, &stack_len, &execd_rd);
		if (app < 0) {
			vos_err(ctx, -errno, "init: fork the app:");
			vos_child_fail(ctx, a->err_wr, 125);
		}
	}
	/* In the caller's memory, the error pipe stays open until the exec
	 * (close-on-exec): its EOF then tells the caller that no process of
	 * ours runs in that memory any more; and if the exec fails, the start
	 * fails, since this process cannot go on as the init there.
	 */
	if (!a->shared_vm)
		close(a->err_wr);
	if (s.ready[0] >= 0)
		close(s.ready[0]);
	code = exec_init(a, app, s.ready[1]);
	if (a->shared_vm) {
		if (app > 0)
			kill(app, SIGKILL);
		vos_err(ctx, -code, "init: exec vos-init:");
		vos_child_fail(ctx, a->err_wr, 125);
	}
	wait_app_exec(&s, stack, stack_len, execd_rd);
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
 * What the process gives up before the app, in this order: no_new_privs
 * first (the kernel loads a Landlock ruleset, and a seccomp filter without
 * CAP_SYS_ADMIN, only under it); Landlock while the process still has its
 * capabilities, since it opens the paths its rules name; then the
 * capabilities and the app's ids (vos_caps_drop()); seccomp last, so that
 * no step before it runs under the filter.
 */
int vos_restrict_self(struct vos_ctx *ctx, struct vos_launch *a)
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
	/* the id change made it dumpable again where fs.suid_dumpable is 1 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return vos_err(ctx, -errno, "dumpable:");
	return vos_seccomp_load(ctx, a->prog, a->proglen);
}

void __attribute__((noreturn)) vos_inside_main(struct vos_ctx *ctx, struct vos_launch *a)
{
	const struct vos_config *cfg = a->cfg;
	int keep[VOS_MAX_KEEP_FDS] = { a->err_wr, a->status_wr, a->pty_sock, a->init_fd };
	int nkeep = 4;
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
		vos_child_fail(ctx, a->err_wr, 125);
	}
	if (a->unshare_cgroup && unshare(CLONE_NEWCGROUP) < 0) {
		vos_err_cgroup(ctx, -errno, "unshare cgroup namespace:");
		vos_child_fail(ctx, a->err_wr, 125);
	}
	r = vos_inside_stdio(ctx, a);
	if (r < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	/* nothing of the caller's (the /dev/vos fd, netlink sockets, its
	 * files) survives into the subsystem
	 */
	for (unsigned int i = 0; i < cfg->nbinds; i++)
		keep[nkeep++] = a->trees[i];
	keep[nkeep++] = a->vosd_tree;
	vos_close_fds(keep, nkeep);
	if (sethostname(vos_config_get_hostname(cfg), strlen(vos_config_get_hostname(cfg))) < 0) {
		vos_err(ctx, -errno, "sethostname %s:", vos_config_get_hostname(cfg));
		vos_child_fail(ctx, a->err_wr, 125);
	}
	if (!cfg->share_net && lo_up(ctx) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	if (vos_fs_setup(ctx, cfg, a->uid_in, a->gid_in, a->trees, a->from_tmpl, a->vosd_tree) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	vos_idmap_close(a->trees, cfg->nbinds);
	vos_closep(&a->vosd_tree);
	if (a->cwd[0] && chdir(a->cwd) < 0) {
		if (a->cwd_explicit) {
			vos_err(ctx, -errno, "cwd %s:", a->cwd);
			vos_child_fail(ctx, a->err_wr, 125);
		}
		if (chdir("/") < 0) {
			vos_err(ctx, -errno, "chdir /:");
			vos_child_fail(ctx, a->err_wr, 125);
		}
	}
	/* A persistent subsystem's init outlives its creator. An ephemeral
	 * one dies with it: by this signal where the credential changes below
	 * keep it, and for a registered one by the module, which ends the
	 * subsystem when the caller's last subsystem fd closes.
	 */
	if (!a->keep_pdeathsig)
		prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (a->pty_sock >= 0 && vos_pty_inside(ctx, a) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	if (vos_restrict_self(ctx, a) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	if (!a->mini_init)
		vos_app_exec(ctx, a);
	mini_init(ctx, a);
}
