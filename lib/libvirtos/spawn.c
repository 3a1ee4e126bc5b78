// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * spawn.c - the parent side of a spawn: the caller starts pid 1 of a new
 * subsystem (the isolation recipe; the child's side is inside.c):
 *
 *   parent (the caller)                    child (pid 1 of the new PID ns)
 *   -------------------                    -------------------------------
 *   build the seccomp program, pty, pipes,
 *   the idmapped trees of the binds
 *   create the cgroup leaf
 *   clone3(NEWUSER|NEWPID|NEWNS|NEWUTS|    waits on the sync pipe
 *          NEWIPC|NEWNET, INTO_CGROUP)
 *          -> pidfd
 *   write setgroups=deny, gid_map, uid_map
 *   (the private range, idmap.c)
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
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

extern char **environ;

/*
 * The init's clone
 *
 * The init used to be a copy of the caller: clone3() copied the caller's
 * memory (its page tables, and a copy-on-write fault for every page either
 * side wrote after), and the init's exec of vos-init tore the copy down.
 * Where it can, the init now runs in the caller's memory instead
 * (CLONE_VM, on a stack of its own), as vfork() children do, and its exec
 * leaves that memory to the caller untouched. The C library assumes one
 * thread per memory, so the two never run code that writes it at once:
 *
 *   caller                                 init (and the app it clones)
 *   all signals blocked, clone3(CLONE_VM)  restores the caller's mask,
 *   ids, cgroup, attach, uplink            blocks in read() of the sync pipe
 *   writes the go, then only blocks in     sets up, clones the app (which
 *   read() of the error pipe (no handler   shares this memory too), execs
 *   runs: every signal is blocked)         vos-init; the app execs
 *   EOF: the init and the app have both exec'd (each holds the error pipe,
 *   close-on-exec, until its exec); their stacks are unmapped, the
 *   caller's mask and environ restored
 *
 * A failed start is an error record on the pipe: the caller kills and
 * reaps the init (and with it everything in its PID namespace) before it
 * unmaps the stacks. If the init cannot exec vos-init, the start fails
 * rather than have the init go on in the caller's memory.
 *
 * Only where the caller is known to run alone in its memory: a start from
 * the view template, whose setns() the kernel refuses to a process whose
 * threads share its file system context (every pthread does), with vos-init
 * in a memfd and the app forked by the init (not exec'd as pid 1, which
 * would need this stack sized for its exec), on x86_64 (the clone needs a
 * few instructions of assembly to start the child on its stack). Anywhere
 * else the init is a copy, as before.
 */
#if defined(__x86_64__)
#define INIT_STACK (1024 * 1024)

/* clone3(@ca) with the child running @fn(@arg) on @ca's stack and exiting
 * with its return value; returns the child's pid or -errno
 */
long vos_clone3_vm(struct clone_args *ca, size_t size, int (*fn)(void *), void *arg)
	__attribute__((visibility("hidden")));
_Static_assert(SYS_clone3 == 435, "clone3's number on x86_64");
__asm__(".pushsection .text\n"
	".globl vos_clone3_vm\n"
	".hidden vos_clone3_vm\n"
	".type vos_clone3_vm, @function\n"
	"vos_clone3_vm:\n"
	"	endbr64\n"
	"	movq %rdx, %r8\n" /* fn and arg survive the syscall */
	"	movq %rcx, %r9\n"
	"	movl $435, %eax\n"
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jnz 1f\n"
	/* the child, on its own stack: nothing of the caller's frames */
	"	xorl %ebp, %ebp\n"
	"	andq $-16, %rsp\n"
	"	movq %r9, %rdi\n"
	"	callq *%r8\n"
	"	movl %eax, %edi\n"
	"	movl $60, %eax\n" /* exit */
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n"
	".size vos_clone3_vm, .-vos_clone3_vm\n"
	".popsection\n");
#endif

/*
 * The init in the caller's memory (see above): its stack, and its own copy
 * of the launch, made before the clone, which the caller's steps after the
 * clone do not change (they close the caller's copies of the child's fds)
 */
struct init_vm {
	struct vos_ctx *ctx;
	struct vos_launch la;
	char *stack;
	size_t len;
};

#if defined(__x86_64__)
/*
 * The init's first code: every signal stays blocked, so that no handler
 * of the caller's (copied, not shared, by the clone) runs in the caller's
 * memory; the app unblocks its own (vos_app_exec()), vos-init is exec'd
 * with them blocked
 */
static int init_main(void *arg)
{
	struct init_vm *vm = arg;

	vos_inside_main(vm->ctx, &vm->la);
}

/*
 * fs.suid_dumpable is not 1. With 1 the kernel makes a process dumpable
 * by its own user again whenever its credentials change (set_dumpable()
 * in commit_creds()), so the app's ids, taken by the init while it still
 * runs in the caller's memory, would open that memory to a process of the
 * same ids (a command joined to the subsystem): /proc/PID/mem, ptrace.
 * With 0 or 2 a credential change leaves the memory not dumpable, or
 * dumpable by root of the initial namespace only.
 */
static bool suid_dumpable_safe(void)
{
	uint64_t v;

	/* unreadable: as if 1 */
	return vos_proc_number("/proc/sys/fs/suid_dumpable", &v) == 0 && (v == 0 || v == 2);
}
#endif

/*
 * Prepare @vm for the init's clone in the caller's memory: its stack, with
 * a guard page, the launch copied for the init, every signal blocked (the
 * caller's mask saved in the copy).
 * Returns false where the init is to be a copy (see "The init's clone").
 */
static bool init_vm_prepare(struct init_vm *vm, struct vos_launch *a)
{
#if defined(__x86_64__)
	sigset_t all;

	/*
	 * the app on a stack sized for its exec (inside.c), never this one.
	 * Only for a caller that is root and gives the subsystem its own range
	 * (clone_owned() switches its euid around the clone: the memory is not
	 * dumpable from then on, see above), alone in its memory
	 * (__libc_single_threaded: setns() cannot tell a thread that unshared
	 * its fs context), with the error pipe above stdio (the init's dup2()s
	 * must not close it: its EOF says the init is out of our memory)
	 */
	if (!a->from_tmpl || a->init_fd < 0 || !a->mini_init || geteuid() != 0 || !a->id.count ||
	    !__libc_single_threaded || a->err_wr <= 2 || !suid_dumpable_safe())
		return false;
	vm->len = INIT_STACK;
	vm->stack = mmap(NULL, vm->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (vm->stack == MAP_FAILED) {
		vm->stack = NULL;
		return false;
	}
	if (mprotect(vm->stack, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) < 0) {
		munmap(vm->stack, vm->len);
		vm->stack = NULL;
		return false;
	}
	vm->la = *a;
	vm->la.shared_vm = true;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &vm->la.caller_mask);
	return true;
#else
	return false;
#endif
}

/*
 * The init and the app no longer run in the caller's memory (EOF on the
 * error pipe, or the init reaped): their stacks go, and what they changed
 * of the caller's process comes back (environ: vos_app_exec(); the
 * signal mask). The memory's dumpable flag, which the init's credential
 * changes and PR_SET_DUMPABLE clear, stays clear, as the caller's own
 * effective-uid switch around the clone (clone_owned()) leaves it anyway.
 */
static void init_vm_done(struct init_vm *vm, char **env)
{
	if (!vm->stack)
		return;
	environ = env;
	if (vm->la.app_stack)
		munmap(vm->la.app_stack, vm->la.app_stack_len);
	vm->la.app_stack = NULL;
	munmap(vm->stack, vm->len);
	vm->stack = NULL;
	sigprocmask(SIG_SETMASK, &vm->la.caller_mask, NULL);
}

/*
 * Clone with @flags, the child's pidfd in *@pidfd. With @cgfd >= 0 the
 * child is born in that cgroup (CLONE_INTO_CGROUP) if it can be, and
 * *@in_cgroup says so: moving a running process in instead (writing
 * cgroup.procs) takes the kernel's cgroup_threadgroup_rwsem for writing,
 * which waits for an RCU grace period, the largest single step of a start
 * (Documentation/performance.md). If the clone into the cgroup fails, the
 * clone is made again without it, and the caller moves the child in and
 * reports why that failed, as without this flag.
 */
static pid_t clone3_args(struct clone_args *ca, struct init_vm *vm)
{
#if defined(__x86_64__)
	long r;

	if (vm && vm->stack) {
		r = vos_clone3_vm(ca, sizeof(*ca), init_main, vm);
		if (r < 0) {
			errno = (int)-r;
			return -1;
		}
		return (pid_t)r;
	}
#endif
	return (pid_t)syscall(SYS_clone3, ca, sizeof(*ca));
}

/* With @vm's stack (and never 0 then: the child runs init_main()) */
static pid_t do_clone(unsigned long flags, int *pidfd, int cgfd, bool *in_cgroup,
		      struct init_vm *vm)
{
	struct clone_args ca;
	pid_t pid;

	memset(&ca, 0, sizeof(ca));
	ca.flags = flags | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	ca.exit_signal = SIGCHLD;
	if (vm && vm->stack) {
		ca.flags |= CLONE_VM;
		ca.stack = (uint64_t)(uintptr_t)vm->stack;
		ca.stack_size = vm->len;
	}
	*in_cgroup = false;
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
		pid = clone3_args(&ca, vm);
		if (pid >= 0) {
			*in_cgroup = true;
			return pid;
		}
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		ca.cgroup = 0;
	}
	pid = clone3_args(&ca, vm);
	if (pid >= 0 || errno != ENOSYS || (vm && vm->stack))
		return pid;
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	if (pid > 0)
		*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return pid;
}

/*
 * The calling thread's effective capabilities raised to its permitted
 * ones (raw capget/capset: this thread only). Leaving euid 0 empties the
 * effective set; clone_owned() raises it again for the clone, whose
 * CLONE_INTO_CGROUP is checked like a write to cgroup.procs with the
 * caller's credentials. The new user namespace's owner is the euid alone,
 * and the child's capabilities are those of the new namespace whatever
 * ours are.
 */
static int raise_effective(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	d[0].effective = d[0].permitted;
	d[1].effective = d[1].permitted;
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * do_clone() with the new user namespace owned by the subsystem's own host
 * id (the first of its range) rather than by the caller: the kernel charges
 * per-user counts (inotify instances, user namespaces, pending signals,
 * POSIX message queues...) of every process inside to each user namespace's
 * owner in its parent as well, so a namespace owned by host root would let
 * the app use up host root's. The calling thread's effective ids switch
 * around the clone (raw syscalls: only this thread's credentials, not the
 * whole process's); the child keeps them, and becomes uid 0 of its
 * namespace (that same host id) once the maps are written. Only for a root
 * caller: an unprivileged caller (with the capabilities to create a
 * subsystem) is charged to itself, which hurts nobody else, and must keep
 * owning the namespace to move the init into its cgroup (cpuset checks
 * CAP_SYS_NICE over the init's namespace unless the mover's capabilities
 * cover the init's). With the caller's own identity (no range) the caller
 * owns it, as before.
 */
static pid_t clone_owned(unsigned long flags, int *pidfd, int cgfd, bool *in_cgroup,
			 const struct vos_identity *id, struct init_vm *vm)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	pid_t pid;
	int e;

	if (!id->count || geteuid() != 0)
		return do_clone(flags, pidfd, cgfd, in_cgroup, vm);
	if (getresuid(&ruid, &euid, &suid) < 0 || getresgid(&rgid, &egid, &sgid) < 0)
		return -1;
	/* the gid first: changing it needs CAP_SETGID, which leaving euid 0
	 * takes out of the effective set
	 */
	if (syscall(SYS_setresgid, -1, (gid_t)id->base, -1) < 0)
		return -1;
	if (syscall(SYS_setresuid, -1, (uid_t)id->base, -1) < 0) {
		e = errno;
		syscall(SYS_setresgid, -1, egid, -1);
		errno = e;
		return -1;
	}
	/* without it, the clone is made without CLONE_INTO_CGROUP */
	if (cgfd >= 0 && raise_effective() < 0)
		cgfd = -1;
	/*
	 * the init shares our memory: not dumpable from before the clone
	 * (the euid switch has just set the flag to fs.suid_dumpable, 0 or 2
	 * then: this makes it 0 whatever the setting)
	 */
	if (vm && vm->stack && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		pid = -1;
	} else {
		pid = do_clone(flags, pidfd, cgfd, in_cgroup, vm);
		if (pid == 0)
			return 0;
	}
	e = errno;
	/* back: euid first (it gives the effective capabilities back) */
	if (syscall(SYS_setresuid, -1, euid, -1) < 0 || syscall(SYS_setresgid, -1, egid, -1) < 0) {
		/* cannot happen to a caller that could leave them; never go on
		 * with the subsystem's ids
		 */
		if (pid > 0) {
			syscall(SYS_pidfd_send_signal, *pidfd, SIGKILL, NULL, 0);
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			close(*pidfd);
		}
		errno = EPERM;
		return -1;
	}
	errno = e;
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
	a->id.uid_in = a->uid_in = cfg->ids_set ? cfg->app_uid : cfg->root ? 0 : geteuid();
	a->id.gid_in = a->gid_in = cfg->ids_set ? cfg->app_gid : cfg->root ? 0 : getegid();
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
			"%s uid %u or gid %u is past the %u ids of the subsystem's range: %s",
			cfg->ids_set ? "the chosen" : "your", (unsigned int)a->uid_in,
			(unsigned int)a->gid_in, (unsigned int)s->id_count,
			cfg->ids_set ? "choose ids below it" : "use --root or --as-user");
	a->id.base = s->id_base;
	a->id.count = s->id_count;
	return 0;
}

/*
 * The parent's steps between clone and the app: the child is still waiting
 * on the sync pipe. Its ids, its cgroup, its registration with vos.ko,
 * then the go; then its terminal and its report (0: the app was exec'ed).
 */
static int release_child(struct vos_ctx *ctx, struct vos_subsys *s, struct vos_launch *a, pid_t pid,
			 int pidfd, int cgfd, bool in_cgroup, const char *cgpath, int sync_wr,
			 int err_rd, int psock, int *master)
{
	int r;

	vos_idmap_close(a->trees, a->cfg->nbinds);
	r = vos_idmap_write(ctx, pid, &a->id);
	if (r < 0)
		return vos_err_prefix(ctx, r, "user namespace");
	if (cgfd >= 0 && !in_cgroup) {
		r = vos_cgroup_enter(cgfd, pid);
		if (r < 0)
			return vos_err_cgroup(ctx, r, "cgroup %s: move pid %d in:", cgpath,
					      (int)pid);
	}
	if (s) {
		struct vos_attach at;

		memset(&at, 0, sizeof(at));
		at.size = sizeof(at);
		at.pidfd = pidfd;
		at.pid = pid;
		at.cgroup_fd = cgfd; /* -1: none */
		if (ioctl(s->fd, VOS_SUBSYS_ATTACH, &at) < 0)
			return vos_err(ctx, -errno, "attach init to subsystem '%s':", s->name);
		s->has_init = true;
	}
	/* its link, bound in vos.ko: only a registered, running init has one */
	r = vos_net_uplink(ctx, s, a->cfg, pid);
	if (r < 0)
		return r;
	/* go */
	if (write(sync_wr, "g", 1) != 1)
		return vos_err(ctx, -errno, "release the child:");
	/* the pty master, unless the child failed before (then its error
	 * record follows)
	 */
	if (psock >= 0)
		*master = vos_pty_recv_master(psock);
	r = vos_launch_report(ctx, err_rd, NULL);
	if (r < 0)
		return r;
	if (psock >= 0 && *master < 0)
		return vos_err(ctx, -EPROTO, "pty: the child sent no terminal");
	return 0;
}

static int spawn_common(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
			struct vos_launch *a, struct vos_proc **procp)
{
	_cleanup_close_pair_ int sync_p[2] = { -1, -1 };
	_cleanup_close_pair_ int err_p[2] = { -1, -1 };
	_cleanup_close_pair_ int status_p[2] = { -1, -1 };
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int cgfd = -1;
	_cleanup_close_ int master = -1;
	_cleanup_close_ int psock = -1;
	_cleanup_(vos_view_tmpl_close) struct vos_view_tmpl tmpl = VOS_VIEW_TMPL_NONE;
	struct init_vm vm = { .ctx = ctx, .stack = NULL };
	char **env = environ;
	char cgpath[8192] = "";
	struct vos_proc *p;
	unsigned long flags;
	int r, status;
	bool use_pty, in_cgroup;
	pid_t pid;

	r = spawn_identity(ctx, s, cfg, a);
	if (r < 0)
		return r;
	if (a->idle)
		a->stdio[0] = a->stdio[1] = a->stdio[2] = -1;
	a->mini_init = a->idle || !cfg->as_pid1;
	/* vos-init only with a private range: its memfd belongs to host root,
	 * which no id inside is, so the kernel execs it not dumpable and with
	 * its memory in the initial user namespace (see inside.c)
	 */
	if (a->mini_init && a->id.count)
		a->init_fd = vos_init_memfd();
	if (!cfg->cwd && !getcwd(a->cwd, sizeof(a->cwd)))
		a->cwd[0] = '\0';

	r = vos_seccomp_build(ctx, cfg, cfg->root && (cfg->caps & (1ULL << CAP_SYS_ADMIN)),
			      &a->prog, &a->proglen);
	if (r < 0)
		return r;
	use_pty = !a->idle && vos_pty_wanted(cfg, a->stdio);
	if (use_pty) {
		r = vos_pty_prepare(ctx, a, &psock);
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
	/* the init's mount namespace a copy of the view template, if it can be */
	a->from_tmpl = vos_view_tmpl_enter(ctx, cfg, &tmpl) > 0;
	a->vosd_tree = tmpl.vosd_tree;
	init_vm_prepare(&vm, a);
	pid = clone_owned(flags, &pidfd, cgfd, &in_cgroup, &a->id, &vm);
	if (pid < 0 && vm.stack && errno == ENOSYS) {
		/* no clone3(): the init is a copy */
		init_vm_done(&vm, env);
		pid = clone_owned(flags, &pidfd, cgfd, &in_cgroup, &a->id, NULL);
	}
	if (pid == 0)
		vos_inside_main(ctx, a);
	a->vosd_tree = -1; /* the child's; ours closes with tmpl */
	r = vos_view_tmpl_leave(ctx, &tmpl);
	if (r < 0) {
		if (pid > 0)
			goto kill_child;
		goto out;
	}
	if (pid < 0) {
		int e = errno;

		r = vos_err(ctx, -e, "clone new namespaces: %s%s", strerror(e),
			    (e == EPERM || e == ENOSPC)
				    ? " (user namespaces disabled for this user?)"
				    : "");
		goto out;
	}

	/* the child's ends */
	vos_closep(&sync_p[0]);
	vos_closep(&err_p[1]);
	vos_closep(&status_p[1]);
	vos_closep(&a->pty_sock);
	if (pidfd < 0) {
		r = vos_err(ctx, -errno, "pidfd_open %d:", (int)pid);
		goto kill_child;
	}
	r = release_child(ctx, s, a, pid, pidfd, cgfd, in_cgroup, cgpath, sync_p[1], err_p[0],
			  psock, &master);
	if (r < 0)
		goto kill_child;
	init_vm_done(&vm, env);
	p = vos_proc_new(ctx, pid, pidfd, status_p[0], master, a->stdio);
	if (!p) {
		r = vos_err(ctx, -ENOMEM, "spawn:");
		goto kill_child;
	}
	pidfd = status_p[0] = master = -1; /* p's now */
	if (cgpath[0])
		p->cgroup_dir = strdup(cgpath);
	*procp = p;
	return 0;

	/*
	 * In this order: the child is killed and reaped before its cgroup
	 * leaf is removed (a leaf with a process in it cannot be). The fds
	 * close on the way out.
	 */
kill_child:
	if (pidfd >= 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	else
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
out:
	/* reaped, or never started: nothing runs on the init's stack */
	init_vm_done(&vm, env);
	if (cgpath[0])
		rmdir(cgpath);
	return vos_err_prefix(ctx, r, "spawn");
}

/* What every launch starts from: the command and the config, no fds. */
void vos_launch_init(struct vos_launch *a, const struct vos_config *cfg, char *const argv[],
		     char *const envp[])
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->argv = argv;
	a->envp = envp;
	a->pty_sock = -1;
	a->init_fd = -1;
	a->cgroup_fd = -1;
	a->vosd_tree = -1;
	for (unsigned int i = 0; i < VOS_MAX_BINDS; i++)
		a->trees[i] = -1;
	for (unsigned int i = 0; i < NS_COUNT; i++)
		a->ns_fd[i] = -1;
	memcpy(a->stdio, cfg->stdio, sizeof(a->stdio));
	if (cfg->cwd) {
		snprintf(a->cwd, sizeof(a->cwd), "%s", cfg->cwd);
		a->cwd_explicit = true;
	}
}

/* What the caller still holds of a launch, once it is over. */
void vos_launch_release(struct vos_launch *a)
{
	vos_closep(&a->pty_sock);
	vos_closep(&a->init_fd);
	vos_closep(&a->cgroup_fd);
	vos_idmap_close(a->trees, VOS_MAX_BINDS);
	for (unsigned int i = 0; i < NS_COUNT; i++)
		vos_closep(&a->ns_fd[i]);
	free(a->prog);
	a->prog = NULL;
	free(a->env_built);
	a->env_built = NULL;
}

/*
 * The started process's word on the error pipe @err_rd: 0 at EOF (the
 * app was exec'ed, or the idle init runs), else its error record, restored
 * into @ctx. What is no record fails with @bad, or as vos_err_restore()
 * says if @bad is NULL.
 */
int vos_launch_report(struct vos_ctx *ctx, int err_rd, const char *bad)
{
	struct vos_err_record rec;
	ssize_t n;

	do {
		n = read(err_rd, &rec, sizeof(rec));
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	if (bad && (n != (ssize_t)sizeof(rec) || rec.err >= 0))
		return vos_err(ctx, -EPROTO, "%s", bad);
	return vos_err_restore(ctx, &rec, (size_t)n);
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

static int spawn(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
		 char *const argv[], char *const envp[], struct vos_proc **procp)
{
	struct vos_launch a;
	int r;

	r = vos_check_argv(ctx, argv, true);
	if (r < 0)
		return r;
	vos_launch_init(&a, cfg, argv, envp);
	a.idle = r == 1;
	r = spawn_common(ctx, s, cfg, &a, procp);
	vos_launch_release(&a);
	return r;
}

VOS_EXPORT int vos_subsys_spawn(struct vos_subsys *s, const struct vos_config *cfg,
				char *const argv[], char *const envp[], struct vos_proc **procp)
{
	if (!s || !cfg || !procp)
		return -EINVAL;
	if (s->has_init)
		return vos_err(s->ctx, -EBUSY, "subsystem '%s' already has an init", s->name);
	return spawn(s->ctx, s, cfg, argv, envp, procp);
}

VOS_EXPORT int vos_proc_spawn(struct vos_ctx *ctx, const struct vos_config *cfg, char *const argv[],
			      char *const envp[], struct vos_proc **procp)
{
	if (!ctx || !cfg || !procp)
		return -EINVAL;
	return spawn(ctx, NULL, cfg, argv, envp, procp);
}
