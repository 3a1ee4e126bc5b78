/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.h - vosd's disposables (issue 14): the pools of templates with
 * Pool=N, and the one call that makes or takes a disposable (pool.c).
 */
#ifndef VOSD_POOL_H
#define VOSD_POOL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtos.h>

struct vosd_pools;

/* vosd.c's: CLOCK_MONOTONIC in ms, and one line of its log on stderr */
double now_ms(void);
__attribute__((format(printf, 1, 2))) void vlog(const char *fmt, ...);

/* Read the templates of @defs_dir (NULL: none, no pool) with profiles from
 * @profile_dir (NULL: VOS_PROFILE_DIR). Nothing is made yet: the main loop
 * fills the pools (pools_refill()).
 */
int pools_new(struct vos_ctx *ctx, const char *defs_dir, const char *profile_dir,
	      struct vosd_pools **pp);
/* vos-stub's path as the members see it: the fast path (vosd --stub);
 * without it (or NULL) members have an idle init. Before the first refill.
 */
void pools_set_stub(struct vosd_pools *p, const char *stub);
/* End every pooled disposable and reap every init (vosd's exit) */
void pools_free(struct vosd_pools *p);
/*
 * Read the definitions again: a pool whose template is gone, is no
 * template any more, has another Pool= or another digest (any key
 * changed) is emptied (its members end), then refilled from the new file.
 */
void pools_reload(struct vosd_pools *p);

/*
 * The main loop's part: the pidfds of every init vosd is the parent of
 * (pooled ones and ones handed out, to reap them) into @pfd (at most
 * @room; the number used); *timeout lowered to when a refill is due
 * (0: now). pools_events() with the same @pfd after poll(); then
 * pools_refill() makes at most one new member, so that a caller never
 * waits for more than one.
 */
#define POOLS_POLL_MAX 320
int pools_pollfds(struct vosd_pools *p, struct pollfd *pfd, int room, int *timeout);
void pools_events(struct vosd_pools *p, const struct pollfd *pfd, int n);
void pools_refill(struct vosd_pools *p);

/* "VOS1 pool": one line per pooled disposable, "NAME TEMPLATE frozen|ready" */
size_t pools_count(const struct vosd_pools *p);
void pools_line(const struct vosd_pools *p, size_t i, char *buf, size_t len);

/*
 * vosd_disposable() - a disposable of template @tmpl for one use: THE
 * function for anything in vosd that runs something in a disposable (the
 * @dispvm:TEMPLATE target of a call, `vosctl run --disposable` handed a
 * pooled one, services and routes of issues 13 and 15).
 *
 * Takes a member of @tmpl's pool if it has one (thawed here), else makes a
 * fresh one (what a pool member is made of: the template's isolation, an
 * empty tmpfs at each ReadWrite= place, its [Firewall] rules, an idle
 * init; named disp-<n>). If @digest is not 0 it must be the template's
 * vos_def_digest() as vosd read it (a caller that read the file itself
 * says which one it means): otherwise -ESTALE, nothing taken.
 *
 * On success *@sp is the caller's: run things in it with
 * vos_subsys_exec(); it is ephemeral and its one file is *@sp's, so
 * vos_subsys_free(*@sp) (or handing vos_subsys_fd() to another process
 * and freeing) ends it with everything in it; vosd reaps its init. Never
 * give it back: a disposable is used once. *@pooled says whether it came
 * from the pool (for the log). Errors: a negative errno and @why:
 * -ENOENT no template T, -ESTALE another digest, -EBUSY too many
 * disposables handed out and not ended yet, else the library's.
 */
int vosd_disposable(struct vosd_pools *p, const char *tmpl, uint64_t digest, struct vos_subsys **sp,
		    bool *pooled, char *why, size_t len);

/*
 * vosd_disposable_stub() - the fast path (vos-run): a pooled member of
 * @tmpl whose init runs vos-stub, thawed. Never makes one: -ENOENT (with
 * @why) if none is ready, or no template @tmpl; -ESTALE as
 * vosd_disposable(); -EBUSY too many in use. If the template's file
 * changed on disk since it was read, the templates are read again first
 * (pools_reload()), so a changed template is never served from its old
 * pool. On success the caller owns *@sp (freeing it ends the disposable),
 * *@initp (the init: its exit status is the command's; give it to
 * pools_watch()) and *@ctlp (the stub's socket: hand
 * it to the client, close it).
 */
int vosd_disposable_stub(struct vosd_pools *p, const char *tmpl, uint64_t digest,
			 struct vos_subsys **sp, struct vos_proc **initp, int *ctlp, char *why,
			 size_t len);
/*
 * Reap @init from vosd's loop (pools_events()), as any handed-out init,
 * and report its wait status with @watch by pools_done(), once;
 * pools_unwatch() forgets every report of @watch (its caller left).
 */
void pools_watch(struct vosd_pools *p, struct vos_proc *init, void *watch);
void pools_unwatch(struct vosd_pools *p, void *watch);
bool pools_done(struct vosd_pools *p, void **watch, int *ws);

/* The [Services] NAME=COMMAND of template @tmpl into @cmd: 0, or -ENOENT */
int pools_service(struct vosd_pools *p, const char *tmpl, const char *svc, char *cmd, size_t len);

#endif /* VOSD_POOL_H */
