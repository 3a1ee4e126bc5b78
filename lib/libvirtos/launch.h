/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * launch.h - what the files of the spawn path share: the arguments of a
 * launch, made by the caller and used by the process it starts (inherited
 * through clone or fork), and the steps each file offers the others.
 *
 *   spawn.c   the parent side of a spawn (a new subsystem's init)
 *   inside.c  the child side: the init inside, the app's exec
 *   exec.c    joining a running subsystem (vos_subsys_exec)
 *   pty.c     the app's terminal
 *   proc.c    struct vos_proc, the caller's handle
 */
#ifndef VIRTOS_LAUNCH_H
#define VIRTOS_LAUNCH_H

#include <limits.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/ioctl.h>

#include "private.h"

/*
 * The namespaces a process joining a running subsystem enters, in this
 * order: user first, it gives the capabilities for joining the others;
 * pid is joined by a helper (only its children enter it); mnt last, it
 * changes our root.
 */
enum vos_ns {
	NS_USER,
	NS_IPC,
	NS_UTS,
	NS_NET,
	NS_CGROUP,
	NS_PID,
	NS_MNT,
	NS_COUNT,
};

/* A launch: what the caller prepares for the process it starts (a new
 * subsystem's init, or a process joining a running one), which inherits it
 */
struct vos_launch {
	const struct vos_config *cfg;
	char *const *argv;
	char *const *envp;
	bool idle; /* no command: init only */
	bool mini_init;
	int init_fd; /* vos-init in a memfd, or -1 (inside.c) */
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
	/* spawn: who the subsystem is on the host, and per bind an
	 * idmapped tree to move in or -1 (idmap.c)
	 */
	struct vos_identity id;
	int trees[VOS_MAX_BINDS];
	/* spawn: started in a copy of the view template, with the caller's
	 * clone of vosd's directory or -1 (viewtmpl.c)
	 */
	bool from_tmpl;
	int vosd_tree;
	/* spawn: the init runs in the caller's memory until its exec
	 * (spawn.c, "The init's clone"): the caller's signal mask for the
	 * init to restore, and the app's stack, which the caller unmaps
	 */
	bool shared_vm;
	sigset_t caller_mask;
	void *app_stack;
	size_t app_stack_len;
	/* exec: fds of the target's namespaces and cgroup.procs */
	int ns_fd[NS_COUNT];
	int cgroup_fd;
	char **env_built; /* vos_env_build()'s, when envp is NULL */
};

/* inside.c: the steps inside (they run in the started process) */
void __attribute__((noreturn)) vos_child_fail(struct vos_ctx *ctx, int err_wr, int code);
int vos_inside_stdio(struct vos_ctx *ctx, struct vos_launch *a);
void __attribute__((noreturn)) vos_app_exec(struct vos_ctx *ctx, struct vos_launch *a);
int vos_restrict_self(struct vos_ctx *ctx, struct vos_launch *a);
void __attribute__((noreturn)) vos_inside_main(struct vos_ctx *ctx, struct vos_launch *a);
int vos_init_memfd(void);

/* pty.c: the caller's side (wanted, prepare, recv_master, raw_tty, then
 * during the wait resize, from_app, to_app, finish) and the inside's
 */
bool vos_pty_wanted(const struct vos_config *cfg, const int stdio[3]);
int vos_pty_prepare(struct vos_ctx *ctx, struct vos_launch *a, int *parent_sock);
int vos_pty_inside(struct vos_ctx *ctx, struct vos_launch *a);
int vos_pty_recv_master(int sock);
void vos_pty_raw_tty(struct vos_proc *p, int fd);
void vos_pty_restore_tty(struct vos_proc *p);
void vos_pty_resize(struct vos_proc *p);
void vos_pty_from_app(struct vos_proc *p);
bool vos_pty_to_app(struct vos_proc *p);
void vos_pty_finish(struct vos_proc *p);

/* proc.c */
struct vos_proc *vos_proc_new(struct vos_ctx *ctx, pid_t pid, int pidfd, int status_fd,
			      int pty_master, const int stdio[3]);

/* spawn.c: what exec.c shares of the parent's side */
void vos_launch_init(struct vos_launch *a, const struct vos_config *cfg, char *const argv[],
		     char *const envp[]);
void vos_launch_release(struct vos_launch *a);
int vos_launch_report(struct vos_ctx *ctx, int err_rd, const char *bad);
int vos_check_argv(struct vos_ctx *ctx, char *const argv[], bool idle_ok);

#endif /* VIRTOS_LAUNCH_H */
