// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool.c - vosd's disposables (issue 14).
 *
 * A template with Pool=N (virtos.conf(5)) gets N disposables made ahead of
 * time: created, given the template's rules and an idle init, and frozen
 * with the cgroup v2 freezer, so that a start costs only the last steps
 * (thaw, hand over, exec the command as a member).
 *
 * vosd holds them because the pool must outlive any one vosctl, and the
 * lifetime tie of vos.ko then does the cleaning: a pooled disposable is
 * ephemeral and vosd holds its only file, so if vosd dies (SIGKILL
 * included) the module ends every one of them (their inits, vosd's
 * children, also die of their parent-death signal); nothing persistent is
 * ever made. A disposable is handed over by its file (vosd_disposable():
 * the caller's from then on; vosctl gets it over the socket) and never
 * comes back: the next use gets another one, with its own empty state.
 *
 * vosd stays the parent of every init it made, pooled or handed out, and
 * reaps them from its poll loop (their pidfds), which also removes their
 * cgroup leaves. A pool refills one member per loop turn, between the
 * requests it serves, and not within POOL_HOLD_MS of a hand-out (the
 * command being started there goes first); a template whose member cannot be made (its file
 * is wrong, its provider is down) is retried every POOL_RETRY_MS, never
 * in a loop.
 *
 * The fast path (vosd --stub, vos-run): a member's init does not idle but
 * runs vos-stub as its app, started as the app of any `vosctl run` is
 * (vos_subsys_spawn(): every restriction applied), with its stdin the end
 * of a SOCK_SEQPACKET pair whose other end (member.ctl) vosd keeps.
 * vosd_disposable_stub() hands that end to vos-run, which sends the stub
 * its command; the init's exit status is the command's. Such a member is
 * "starting" (neither listed nor handed out) until its stub says on that
 * socket that it has started (pools_events()); only then is it frozen, so
 * that a start pays for the command's exec, not for the stub's. A stub
 * that never says so keeps its pool one short (a slower start is made
 * then); one that ends first is dropped like any member. A member handed
 * out any other way has its end closed: its stub waits, idle, to be
 * ended with it. A template whose root does not show the stub gets idle
 * members (logged once), as before.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pool.h"

#define POOLS_MAX     16  /* templates with a pool */
#define POOL_AWAY_MAX 256 /* inits handed out, not reaped yet */
#define POOL_RETRY_MS 5000
#define POOL_HOLD_MS  100  /* no refill so soon after a hand-out */
#define DISP_MAX      9999 /* disp-1 .. disp-DISP_MAX, as vosctl run */

struct member {
	struct vos_subsys *s;
	struct vos_proc *init;
	int ctl; /* the stub's socket (fast path), -1: an idle init */
	bool frozen;
	bool starting; /* its stub has not said it started: not handed out yet */
};

struct pool {
	char name[VOS_NAME_MAX];
	unsigned int want;
	uint64_t digest;
	struct member m[VOS_DEF_POOL_MAX];
	unsigned int n;
	double retry_ms; /* 0: no failure pending */
	bool nostub;	 /* its root has no vos-stub: idle members */
	struct stat st;	 /* the template's file as read (fast path: stale?) */
	struct stat pst; /* and its profile's (all zero: none, or unreadable) */
};

struct vosd_pools {
	struct vos_ctx *ctx;
	const char *dirs[2];
	const char *profile_dir;
	struct vos_defs *set;
	struct pool pools[POOLS_MAX];
	unsigned int npools;
	struct vos_proc *away[POOL_AWAY_MAX]; /* inits of handed-out ones */
	void *watch[POOL_AWAY_MAX];	      /* fast path: whose exit to report */
	unsigned int naway;
	struct {
		void *watch;
		int ws;
	} done[POOL_AWAY_MAX]; /* watched inits reaped, not told yet */
	unsigned int ndone;
	double hold_ms;	  /* no refill before (a start is going on) */
	const char *stub; /* vos-stub's path (seen inside), NULL: none */
};

/* An init to reap later (if there is no room, it is waited for now: only
 * an ended member's, whose init was just killed; vosd_disposable() hands
 * nothing out without room)
 */
static void away_add(struct vosd_pools *p, struct vos_proc *init)
{
	int ws;

	if (!init)
		return;
	if (p->naway < POOL_AWAY_MAX) {
		p->watch[p->naway] = NULL;
		p->away[p->naway++] = init;
		return;
	}
	/* never a zombie: a full list waits (the init was told to end) */
	vos_proc_wait(init, &ws, 0);
	vos_proc_free(init);
}

/* End member @m: its file closes (the module kills its init), vosd reaps. */
static void member_drop(struct vosd_pools *p, struct member *m)
{
	if (m->ctl >= 0)
		close(m->ctl);
	vos_subsys_free(m->s);
	away_add(p, m->init);
	memset(m, 0, sizeof(*m));
	m->ctl = -1;
}

static void pool_empty(struct vosd_pools *p, struct pool *pl)
{
	while (pl->n)
		member_drop(p, &pl->m[--pl->n]);
}

/* Member @i of @pl, out of the pool (the others keep their order) */
static struct member member_take(struct pool *pl, unsigned int i)
{
	struct member m = pl->m[i];

	memmove(&pl->m[i], &pl->m[i + 1], (--pl->n - i) * sizeof(pl->m[0]));
	memset(&pl->m[pl->n], 0, sizeof(pl->m[pl->n]));
	pl->m[pl->n].ctl = -1;
	return m;
}

/*
 * Member @i of @pl handed out: out of the pool, thawed if it was frozen,
 * into *@m. A thaw that fails drops it: -EIO with @why.
 */
static int member_hand_out(struct vosd_pools *p, struct pool *pl, unsigned int i, struct member *m,
			   char *why, size_t len)
{
	*m = member_take(pl, i);
	if (!m->frozen || vos_subsys_freeze(m->s, false) == 0)
		return 0;
	snprintf(why, len, "%s: thaw %s: %s", pl->name, vos_subsys_name(m->s),
		 vos_ctx_errmsg(p->ctx));
	member_drop(p, m);
	return -EIO;
}

/* A new member of @pl frozen; without a cgroup of its own it stays thawed */
static void member_freeze(struct vosd_pools *p, const struct pool *pl, struct member *m)
{
	if (vos_subsys_freeze(m->s, true) == 0) {
		m->frozen = true;
		return;
	}
	/* ready, not frozen (an idle init sleeps, a stub waits) */
	vlog("pool: %s: %s stays thawed: %s", pl->name, vos_subsys_name(m->s),
	     vos_ctx_errmsg(p->ctx));
	vos_ctx_clear_error(p->ctx);
}

/* Is a member of @pl starting (its stub has not said so yet)? */
static bool pool_starting(const struct pool *pl)
{
	for (unsigned int j = 0; j < pl->n; j++)
		if (pl->m[j].starting)
			return true;
	return false;
}

static const struct vos_def *template_of(struct vosd_pools *p, const char *name)
{
	const struct vos_def *d = p->set ? vos_defs_find(p->set, name) : NULL;

	return d && (vos_def_flags(d) & VOS_DEF_TEMPLATE) ? d : NULL;
}

/*
 * The init of @m: vos-stub as its app (@stub, the fast path) with its end
 * of a fresh socket pair as stdin, nothing else of vosd's; or idle.
 */
static int member_spawn(struct member *m, struct vos_config *cfg, const char *stub)
{
	char *argv[] = { (char *)stub, NULL };
	int sv[2], ret;

	if (!stub)
		return vos_subsys_spawn(m->s, cfg, NULL, NULL, &m->init);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (!ret)
		ret = vos_config_set_stdio(cfg, sv[1], -1, -1);
	if (!ret)
		ret = vos_subsys_spawn(m->s, cfg, argv, NULL, &m->init);
	close(sv[1]);
	if (ret < 0)
		close(sv[0]);
	else
		m->ctl = sv[0];
	return ret;
}

/*
 * A new disposable of @d, not pooled yet: the template's isolation as
 * vosctl run --disposable gives it, ephemeral (the caller's handle holds
 * it), its rules, an init whose handle is *@init: running @stub (the fast
 * path) if not NULL, else idle.
 */
static int disposable_make(struct vosd_pools *p, const struct vos_def *d, struct member *m,
			   const char *stub)
{
	struct vos_config *cfg = NULL;
	char name[16] = "";
	unsigned int n;
	int ret;

	memset(m, 0, sizeof(*m));
	m->ctl = -1;
	ret = vos_config_new(p->ctx, &cfg);
	if (!ret)
		ret = vos_def_config_flags(d, cfg, VOS_DEF_CONFIG_DISPOSABLE);
	if (!ret)
		ret = vos_config_set_persistent(cfg, false);
	for (n = 1; !ret && n <= DISP_MAX; n++) {
		snprintf(name, sizeof(name), "disp-%u", n);
		ret = vos_config_set_name(cfg, name);
		if (!ret)
			ret = vos_subsys_create(p->ctx, cfg, &m->s);
		if (ret != -EEXIST)
			break;
		vos_ctx_clear_error(p->ctx);
		ret = 0;
	}
	if (!ret && !m->s) {
		vlog("pool: every name disp-1..disp-%d is taken", DISP_MAX);
		ret = -EUSERS;
	}
	if (!ret)
		ret = vos_def_set_rules(d, m->s);
	/* NULL argv: the idle init, detached from vosd's stdio */
	if (!ret)
		ret = member_spawn(m, cfg, stub);
	vos_config_free(cfg);
	if (ret < 0) {
		vos_subsys_free(m->s); /* ends it: ephemeral, its only file */
		memset(m, 0, sizeof(*m));
		m->ctl = -1;
	}
	return ret;
}

/* The profile file definition @d starts from, into @path; false: none */
static bool profile_file(const struct vosd_pools *p, const struct vos_def *d, char *path,
			 size_t len)
{
	const char *name = vos_def_value(d, "Subsystem", "Profile");
	int n;

	if (!name || !name[0])
		return false;
	n = snprintf(path, len, "%s/%s.conf", p->profile_dir ? p->profile_dir : VOS_PROFILE_DIR,
		     name);
	return n > 0 && (size_t)n < len;
}

/* What @pl's files are now: its template's and its profile's stat */
static void pool_stamp(const struct vosd_pools *p, const struct vos_def *d, struct stat *st,
		       struct stat *pst)
{
	char path[PATH_MAX];

	if (stat(vos_def_path(d), st) < 0)
		memset(st, 0, sizeof(*st));
	if (!profile_file(p, d, path, sizeof(path)) || stat(path, pst) < 0)
		memset(pst, 0, sizeof(*pst));
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The pool of template @tmpl, or NULL */
static struct pool *pool_find(struct vosd_pools *p, const char *tmpl)
{
	for (unsigned int i = 0; i < p->npools; i++)
		if (!strcmp(p->pools[i].name, tmpl))
			return &p->pools[i];
	return NULL;
}

void pools_reload(struct vosd_pools *p)
{
	struct vos_defs *set = NULL;
	unsigned int i;
	size_t k;

	if (!p->dirs[0])
		return;
	if (access(p->dirs[0], F_OK) < 0 && errno == ENOENT) {
		/* no definitions at all (the default directory need not exist) */
		set = NULL;
	} else if (vos_defs_load(p->ctx, p->dirs, p->profile_dir, &set) < 0) {
		/* a set that does not load has no templates: no pool stays */
		vlog("pool: %s: %s; every pool is emptied until it loads", p->dirs[0],
		     vos_ctx_errmsg(p->ctx));
		set = NULL;
	}
	vos_defs_free(p->set);
	p->set = set;
	/* the pools whose template is gone or changed go */
	for (i = 0; i < p->npools; i++) {
		struct pool *pl = &p->pools[i];
		const struct vos_def *d = template_of(p, pl->name);

		if (d && vos_def_pool(d) == pl->want && vos_def_digest(d) == pl->digest) {
			/* the same template (a file touched, not changed): as read now */
			pool_stamp(p, d, &pl->st, &pl->pst);
			continue;
		}
		vlog("pool: %s: %s: its %u disposable%s end", pl->name,
		     d ? "the template changed" : "no template any more", pl->n,
		     pl->n == 1 ? "" : "s");
		pool_empty(p, pl);
		p->pools[i--] = p->pools[--p->npools];
	}
	/* and the new ones come */
	for (k = 0; set && k < vos_defs_count(set); k++) {
		const struct vos_def *d = vos_defs_at(set, k);
		struct pool *pl;

		if (!(vos_def_flags(d) & VOS_DEF_TEMPLATE) || !vos_def_pool(d))
			continue;
		if (pool_find(p, vos_def_name(d)))
			continue;
		if (p->npools == POOLS_MAX) {
			vlog("pool: %s: more than %d templates with Pool=: this one has none",
			     vos_def_name(d), POOLS_MAX);
			continue;
		}
		pl = &p->pools[p->npools++];
		memset(pl, 0, sizeof(*pl));
		snprintf(pl->name, sizeof(pl->name), "%s", vos_def_name(d));
		pl->want = vos_def_pool(d);
		pl->digest = vos_def_digest(d);
		pool_stamp(p, d, &pl->st, &pl->pst);
		vlog("pool: %s: keeping %u ready", pl->name, pl->want);
	}
}

int pools_new(struct vos_ctx *ctx, const char *defs_dir, const char *profile_dir,
	      struct vosd_pools **pp)
{
	struct vosd_pools *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->ctx = ctx;
	p->dirs[0] = defs_dir;
	p->profile_dir = profile_dir;
	pools_reload(p);
	*pp = p;
	return 0;
}

void pools_set_stub(struct vosd_pools *p, const char *stub)
{
	p->stub = stub;
}

void pools_free(struct vosd_pools *p)
{
	unsigned int i;
	int ws;

	if (!p)
		return;
	for (i = 0; i < p->npools; i++)
		pool_empty(p, &p->pools[i]);
	/* every file is closed: the module kills the inits; reap them */
	for (i = 0; i < p->naway; i++) {
		vos_proc_wait(p->away[i], &ws, 0);
		vos_proc_free(p->away[i]);
	}
	vos_defs_free(p->set);
	free(p);
}

/*
 * The stub of starting member @m said something: "r", it has started and
 * waits for its request (frozen now, ready to hand out); true. Anything
 * else, or its end: false, the member goes.
 */
static bool stub_started(struct vosd_pools *p, const struct pool *pl, struct member *m)
{
	char b[2];
	ssize_t r = recv(m->ctl, b, sizeof(b), MSG_DONTWAIT);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return true; /* not yet after all */
	if (r != 1 || b[0] != 'r') {
		vlog("pool: %s: %s: its stub did not start (%s)", pl->name, vos_subsys_name(m->s),
		     r < 0 ? strerror(errno)
		     : r   ? "not its word"
			   : "EOF");
		return false;
	}
	m->starting = false;
	member_freeze(p, pl, m);
	return true;
}

int pools_pollfds(struct vosd_pools *p, struct pollfd *pfd, int room, int *timeout)
{
	double now = now_ms();
	unsigned int i, j;
	int n = 0;

	for (i = 0; i < p->npools; i++) {
		struct pool *pl = &p->pools[i];
		int t = -1;

		for (j = 0; j < pl->n && n < room; j++) {
			pfd[n++] = (struct pollfd){ .fd = vos_proc_pidfd(pl->m[j].init),
						    .events = POLLIN };
			/* and its stub's word that it started */
			if (pl->m[j].starting && n < room)
				pfd[n++] = (struct pollfd){ .fd = pl->m[j].ctl, .events = POLLIN };
		}
		/* a refill is due (none while one is starting: its stub wakes vosd) */
		if (pl->n < pl->want && !pool_starting(pl)) {
			double at = pl->retry_ms > p->hold_ms ? pl->retry_ms : p->hold_ms;

			t = at > now ? (int)(at - now) + 1 : 0;
		}
		if (t >= 0 && (*timeout < 0 || t < *timeout))
			*timeout = t;
	}
	for (i = 0; i < p->naway && n < room; i++)
		pfd[n++] = (struct pollfd){ .fd = vos_proc_pidfd(p->away[i]), .events = POLLIN };
	return n;
}

void pools_events(struct vosd_pools *p, const struct pollfd *pfd, int n)
{
	unsigned int i, j;
	int k = 0, ws = 0;

	/* in pools_pollfds()' order: a pooled init that exited was ended
	 * from outside (vosctl rm): the member goes, the pool refills
	 */
	for (i = 0; i < p->npools; i++) {
		struct pool *pl = &p->pools[i];
		bool gone[VOS_DEF_POOL_MAX] = { false }, said[VOS_DEF_POOL_MAX] = { false };

		for (j = 0; j < pl->n && k < n; j++) {
			gone[j] = pfd[k++].revents != 0;
			if (pl->m[j].starting && k < n)
				said[j] = pfd[k++].revents != 0;
		}
		for (j = pl->n; j-- > 0;) {
			bool starting = pl->m[j].starting;

			/* stub_started() tells why a stub's member goes */
			if (!gone[j] && (!said[j] || stub_started(p, pl, &pl->m[j])))
				continue;
			if (!starting) {
				vlog("pool: %s: %s ended from outside the pool", pl->name,
				     vos_subsys_name(pl->m[j].s));
			} else {
				if (gone[j])
					vlog("pool: %s: %s ended before its stub started", pl->name,
					     vos_subsys_name(pl->m[j].s));
				/* a stub that does not start: not again at once, in a loop */
				vlog("pool: %s: the next disposable in %d s", pl->name,
				     POOL_RETRY_MS / 1000);
				pl->retry_ms = now_ms() + POOL_RETRY_MS;
			}
			member_drop(p, &pl->m[j]);
			pl->m[j] = pl->m[--pl->n];
		}
	}
	{
		bool done[POOL_AWAY_MAX] = { false };

		int st[POOL_AWAY_MAX];

		for (i = 0; i < p->naway && k < n; i++, k++) {
			done[i] = pfd[k].revents &&
				  vos_proc_wait(p->away[i], &ws, VOS_WAIT_NOHANG) != 1;
			st[i] = ws;
		}
		for (i = p->naway; i-- > 0;) {
			if (!done[i])
				continue;
			/* a fast-path run ended: its caller is told (pools_done()) */
			if (p->watch[i] && p->ndone < POOL_AWAY_MAX) {
				p->done[p->ndone].watch = p->watch[i];
				p->done[p->ndone++].ws = st[i];
			}
			vos_proc_free(p->away[i]);
			p->away[i] = p->away[--p->naway];
			p->watch[i] = p->watch[p->naway];
		}
	}
}

void pools_refill(struct vosd_pools *p)
{
	double now = now_ms();
	unsigned int i;

	if (now < p->hold_ms)
		return;
	for (i = 0; i < p->npools; i++) {
		struct pool *pl = &p->pools[i];
		const struct vos_def *d;
		struct member *m;
		int ret;

		if (pl->n >= pl->want || pl->retry_ms > now || pool_starting(pl))
			continue;
		d = template_of(p, pl->name);
		if (!d)
			continue;
		m = &pl->m[pl->n];
		ret = disposable_make(p, d, m, pl->nostub ? NULL : p->stub);
		if ((ret == -ENOENT || ret == -EACCES) && !pl->nostub && p->stub) {
			/* its view does not show the stub (or cannot run it): idle
			 * members then; any other failure is retried as before
			 */
			vlog("pool: %s: no fast path (%s: %s): idle members", pl->name, p->stub,
			     vos_ctx_errmsg(p->ctx));
			vos_ctx_clear_error(p->ctx);
			pl->nostub = true;
			ret = disposable_make(p, d, m, NULL);
		}
		/* a stub's member is frozen once the stub has started (pools_events()) */
		if (ret == 0 && m->ctl >= 0)
			m->starting = true;
		else if (ret == 0)
			member_freeze(p, pl, m);
		if (ret < 0) {
			vlog("pool: %s: cannot make a disposable: %s; again in %d s", pl->name,
			     vos_ctx_errmsg(p->ctx), POOL_RETRY_MS / 1000);
			pl->retry_ms = now + POOL_RETRY_MS;
			continue;
		}
		pl->retry_ms = 0;
		pl->n++;
		return; /* one per turn: requests are served in between */
	}
}

size_t pools_count(const struct vosd_pools *p)
{
	size_t n = 0;
	unsigned int i, j;

	for (i = 0; i < p->npools; i++)
		for (j = 0; j < p->pools[i].n; j++)
			n += !p->pools[i].m[j].starting;
	return n;
}

void pools_line(const struct vosd_pools *p, size_t k, char *buf, size_t len)
{
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < p->npools; i++) {
		const struct pool *pl = &p->pools[i];

		for (unsigned int j = 0; j < pl->n; j++) {
			const struct member *m = &pl->m[j];

			/* the k-th of those pools_count() counts */
			if (m->starting || k--)
				continue;
			snprintf(buf, len, "%s %s %s", vos_subsys_name(m->s), pl->name,
				 m->frozen ? "frozen" : "ready");
			return;
		}
	}
}

/*
 * Are @pl's template file and its profile's still the ones read (same
 * inode, size, mtime)? A profile added, changed or removed counts too.
 */
static bool pool_fresh(struct vosd_pools *p, const struct pool *pl)
{
	const struct vos_def *d = template_of(p, pl->name);
	struct stat st, pst;

	if (!d)
		return false;
	pool_stamp(p, d, &st, &pst);
	return st.st_ino && same_file(&st, &pl->st) && same_file(&pst, &pl->pst);
}

/*
 * The pool of template @tmpl, or NULL; if its file or its profile's
 * changed since they were read, the templates are read again first, so
 * that no member of the old file is handed out
 */
static struct pool *pool_current(struct vosd_pools *p, const char *tmpl)
{
	struct pool *pl = pool_find(p, tmpl);

	if (!pl || pool_fresh(p, pl))
		return pl;
	vlog("pool: %s: its file changed (or its profile's): reading the templates again", tmpl);
	pools_reload(p);
	return pool_find(p, tmpl);
}

/*
 * What every hand-out checks first: room to track one more, the pool of
 * @tmpl as its files are now (pool_current()), the template itself and,
 * if @digest, that it is the caller's. 0 with *@plp (NULL: no pool) and
 * *@dp, or a negative errno with @why.
 */
static int take_check(struct vosd_pools *p, const char *tmpl, uint64_t digest, struct pool **plp,
		      const struct vos_def **dp, char *why, size_t len)
{
	/* vosd reaps what it hands out: never more than it can keep track of */
	if (p->naway >= POOL_AWAY_MAX) {
		snprintf(why, len, "%d disposables are in use: wait for one to end", POOL_AWAY_MAX);
		return -EBUSY;
	}
	*plp = pool_current(p, tmpl);
	*dp = template_of(p, tmpl);
	if (!*dp) {
		snprintf(why, len, "no template %s in %s", tmpl,
			 p->dirs[0] ? p->dirs[0] : "(no --subsystems-dir)");
		return -ENOENT;
	}
	if (digest && vos_def_digest(*dp) != digest) {
		snprintf(why, len, "%s: vosd's template is not the caller's (reload vosd)", tmpl);
		return -ESTALE;
	}
	return 0;
}

int vosd_disposable(struct vosd_pools *p, const char *tmpl, uint64_t digest, struct vos_subsys **sp,
		    bool *pooled, char *why, size_t len)
{
	const struct vos_def *d;
	struct pool *pl;
	struct member m;
	unsigned int i;
	int ret;

	*sp = NULL;
	*pooled = false;
	ret = take_check(p, tmpl, digest, &pl, &d, why, len);
	if (ret < 0)
		return ret;
	/* the oldest ready one: frozen for longest, surely done freezing */
	for (i = 0; pl && i < pl->n && pl->m[i].starting; i++)
		;
	if (pl && i < pl->n) {
		ret = member_hand_out(p, pl, i, &m, why, len);
		if (ret < 0)
			return ret;
		/* not the fast path: its stub waits, idle, to be ended with it */
		if (m.ctl >= 0)
			close(m.ctl);
		*pooled = true;
		goto out;
	}
	ret = disposable_make(p, d, &m, NULL);
	if (ret < 0) {
		snprintf(why, len, "%s: %s", tmpl, vos_ctx_errmsg(p->ctx));
		return ret;
	}
out:
	*sp = m.s;
	away_add(p, m.init);
	/* the caller's start (its exec) first, the refill after it */
	p->hold_ms = now_ms() + POOL_HOLD_MS;
	return 0;
}

int pools_service(struct vosd_pools *p, const char *tmpl, const char *svc, char *cmd, size_t len)
{
	const struct vos_def *d = template_of(p, tmpl);
	const char *vals[64];
	size_t n, i, sl = strlen(svc);

	if (!d)
		return -ENOENT;
	n = vos_def_values(d, "Services", "Service", vals, 64);
	for (i = n; i-- > 0 && i < 64;) {
		if (!strncmp(vals[i], svc, sl) && vals[i][sl] == '=') {
			if (strlen(vals[i] + sl + 1) >= len)
				return -ENAMETOOLONG;
			snprintf(cmd, len, "%s", vals[i] + sl + 1);
			return 0;
		}
	}
	return -ENOENT;
}

int vosd_disposable_stub(struct vosd_pools *p, const char *tmpl, uint64_t digest,
			 struct vos_subsys **sp, struct vos_proc **initp, int *ctlp, char *why,
			 size_t len)
{
	const struct vos_def *d;
	struct pool *pl;
	struct member m;
	unsigned int i;
	int ret;

	*sp = NULL;
	*initp = NULL;
	*ctlp = -1;
	ret = take_check(p, tmpl, digest, &pl, &d, why, len);
	if (ret < 0)
		return ret;
	/* the oldest member with a stub that started: frozen for longest */
	for (i = 0; pl && i < pl->n && (pl->m[i].ctl < 0 || pl->m[i].starting); i++)
		;
	if (!pl || i == pl->n) {
		snprintf(why, len, "no pooled disposable of %s with a stub is ready%s", tmpl,
			 pl && pl->nostub ? " (its root has no vos-stub)" : "");
		return -ENOENT;
	}
	ret = member_hand_out(p, pl, i, &m, why, len);
	if (ret < 0)
		return ret;
	*sp = m.s;
	*initp = m.init;
	*ctlp = m.ctl;
	p->hold_ms = now_ms() + POOL_HOLD_MS;
	return 0;
}

void pools_watch(struct vosd_pools *p, struct vos_proc *init, void *watch)
{
	away_add(p, init);
	/* vosd_disposable_stub() handed nothing out without room */
	if (p->naway && p->away[p->naway - 1] == init)
		p->watch[p->naway - 1] = watch;
}

void pools_unwatch(struct vosd_pools *p, void *watch)
{
	unsigned int i;

	for (i = 0; i < p->naway; i++)
		if (p->watch[i] == watch)
			p->watch[i] = NULL;
	for (i = p->ndone; i-- > 0;)
		if (p->done[i].watch == watch)
			p->done[i] = p->done[--p->ndone];
}

bool pools_done(struct vosd_pools *p, void **watch, int *ws)
{
	if (!p->ndone)
		return false;
	p->ndone--;
	*watch = p->done[p->ndone].watch;
	*ws = p->done[p->ndone].ws;
	return true;
}
