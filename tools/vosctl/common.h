/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vosctl: helpers between the commands and libvirtos (common.c). */
#ifndef VOSCTL_COMMON_H
#define VOSCTL_COMMON_H

#include <virtos.h>

#include "vosctl.h"

/* The error of library call @op that returned @ret on @vctx, into @e. */
int lib_fail(struct cli_err *e, enum cli_op op, struct vos_ctx *vctx, int ret, const char *name,
	     const char *cmd);

/* A library context for @ctx's device; with @connect, open it now. */
int ctx_open(struct cli_ctx *ctx, struct vos_ctx **vctxp, bool connect, struct cli_err *e);

/* Open @vctx's device now (after the options: usage errors come first). */
int ctx_connect(struct vos_ctx *vctx, struct cli_err *e);

/* A setter of @vctx's config refused a value (@ret): its message as a
 * usage error (124), or another failure (ENOMEM...) as lib_fail() says.
 */
int lib_usage(struct cli_err *e, struct vos_ctx *vctx, int ret);

/* Wait for @p, forwarding the usual signals; the app's exit code or an error. */
int proc_wait_forward(struct vos_proc *p, struct vos_ctx *vctx, struct cli_err *e);

/* One subsystem as a JSON object (no newline), as ls --json and show --json print it. */
void info_json(FILE *f, const struct vos_info *i);
struct vosd_pooled;
/* The same, with "pooled": @q (a disposable vosd holds ready) or null */
void info_json_pooled(FILE *f, const struct vos_info *i, const struct vosd_pooled *q);

/* One event as a JSON object (no newline), as events --json prints it. */
void event_json(FILE *f, const struct vos_event *ev, const struct vos_net6_addrs *a6);
/* One event as a line of text (no newline). */
void event_text(FILE *f, const struct vos_event *ev, const struct vos_net6_addrs *a6);

/* ---- subsystem definitions (cmd_units.c, cmd_life.c; issue 14) ---- */

/* Where the definitions and profiles are: --config-dir (repeatable) and
 * --profile-dir, else VOS_DEF_DIR (missing: no definitions) and
 * VOS_PROFILE_DIR
 */
#define CLI_DIRS_MAX 8
struct cli_dirs {
	const char *dirs[CLI_DIRS_MAX + 1];
	size_t n;
	const char *profile_dir;
};
/* @c is --config-dir or --profile-dir: note it (EXIT_USAGE past the max) */
int cli_dirs_option(struct cli_err *e, struct cli_dirs *d, int c, const char *arg);
/* Load the set of definitions @d names */
int cli_defs_load(struct cli_err *e, struct vos_ctx *vctx, const struct cli_dirs *d,
		  struct vos_defs **setp);

/* stop of a defined subsystem (dependents refused, or with @force first),
 * or of every defined one (@all): an exit code, or -1 if @name has no
 * definition (then the plain stop)
 */
int unit_stop(struct cli_ctx *ctx, struct vos_ctx *vctx, const char *name, int sig,
	      uint32_t timeout, bool force, bool all, const struct cli_dirs *dirs,
	      struct cli_err *e);
/* Start the template's Requires= first; 0 or an exit code */
int unit_start_deps(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct vos_defs *set,
		    const struct vos_def *d, struct cli_err *e);

/* cmd_life.c: signal, wait up to @timeout s, SIGKILL; end and wait for the
 * name to be free (a running one only with @force)
 */
int life_stop(struct vos_ctx *vctx, const char *name, int sig, uint32_t timeout, struct cli_err *e);
int life_remove(struct vos_ctx *vctx, const char *name, bool force, struct cli_err *e);

/*
 * A disposable of template @tmpl (with vos_def_digest() @digest) from
 * vosd's pool (issue 14): 0 and *sp (the caller's only handle: freeing it
 * ends the disposable), or -1 with @msg saying why (no vosd, another
 * template...): then make one as without vosd.
 */
int vosd_take_disposable(struct vos_ctx *vctx, const char *tmpl, uint64_t digest,
			 struct vos_subsys **sp, char *msg, size_t len);
/*
 * @argv in a pooled disposable of @tmpl on vosd's fast path (issue 14,
 * tools/vosd/fastrun.h: the member's stub execs it with our stdio): 1
 * with *@code the command's exit status (or a failure's, with @msg), once
 * it has ended; 0 if vosd has no member with a stub ready (nothing taken:
 * @msg says why; then the other paths). SIGINT, SIGTERM, SIGHUP are
 * passed to the command meanwhile. The caller checks that no terminal is
 * on stdio (the fast path hands the fds in as they are). @vars: NULL or
 * the command's own variables (NAME=VALUE: run's --keep-env and --env),
 * set over its minimal environment. @verbose: say on stderr which member
 * it got, once it has one.
 */
int vosd_fast_run(const char *tmpl, uint64_t digest, char *const argv[], char *const vars[],
		  bool verbose, int *code, char *name, size_t nlen, char *msg, size_t len);
/*
 * A call through vosd (vosctl call, vosctl open to @dispvm:T): as @host,
 * or as @from (root); stdin to the handler, its output to ctx->out. The
 * handler's status, or an exit code with @e set.
 */
/* vosd's socket: $VOSD_SOCKET if set, else VOSD_SOCKET (proto.h) */
const char *vosd_sock_path(void);
int vosd_call(struct cli_ctx *ctx, struct cli_err *e, const char *from, const char *target,
	      const char *svc);
/* vosd's pooled disposables ("VOS1 pool"), for ls and status: their
 * number (0 without vosd); vosd_pooled_find(): @name's, or NULL
 */
#define VOSD_POOLED_MAX 256
struct vosd_pooled {
	char name[64];
	char tmpl[64];
	bool frozen;
};
size_t vosd_pooled(struct vosd_pooled *out, size_t max);
/* vosd reads its policy and templates again, if it runs (apply) */
void vosd_reload_quiet(void);
const struct vosd_pooled *vosd_pooled_find(const struct vosd_pooled *q, size_t n, const char *name);

#endif /* VOSCTL_COMMON_H */
