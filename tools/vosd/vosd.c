// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosd - the broker of crossings between subsystems (issue 13).
 *
 * One UNIX socket (proto.h), which vosctl binds read-only into every
 * subsystem at /run/vos/vosd.sock. For each connection vosd asks vos.ko
 * who the peer is (VOS_CMD_GET_PEER on the socket: the PID namespace the
 * peer connected from), never the peer; the policy (libvirtos policy.c)
 * decides; an allowed call's handler, the COMMAND the target subsystem was
 * created with (--service NAME=COMMAND), is started inside the target
 * (vos_subsys_exec(): its namespaces, cgroup, ids and restrictions) with
 * one end of a fresh socket pair as stdin and stdout, and the other end is
 * handed to the caller. vosd stays out of the stream: a caller that stalls
 * stalls its own handler only. When the handler exits, vosd tells the
 * caller its status. A call whose rule has limit= or scan= is store and
 * forward instead (spool.c): vosd takes the payload, non-blocking, cuts it
 * at the limit, has it scanned, then hands it to the handler. A handler
 * (or scanner) running past --handler-timeout is killed.
 *
 * Runs as root (CAP_SYS_ADMIN for GET_PEER and to enter subsystems), in
 * the foreground (systemd's Type=simple; --foreground is accepted for
 * tests and scripts), single-threaded around poll(). Every decision is one
 * line on stderr (the journal under systemd) and a counter (VOS1 stats).
 * SIGHUP or "vosctl policy reload" reads the policy again; a policy that
 * does not parse denies every call until it is fixed.
 *
 * Limits (against floods, documented in vosd(8)): at most VOSD_MAX_CONNS
 * connections at once, VOSD_PER_SOURCE of them from one caller, a request
 * line within VOSD_REQUEST_MS of connecting, and per caller a token bucket
 * of VOSD_RATE_BURST calls refilled at VOSD_RATE_PER_S a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <virtos.h>

#include "pool.h"
#include "spool.h"
#include "crossing.h"
#include "launch.h"
#include "proto.h"

#define VOSD_MAX_CONNS	256
#define VOSD_PER_SOURCE 16
#define VOSD_REQUEST_MS 5000
#define VOSD_RATE_BURST 40
#define VOSD_RATE_PER_S 20
#define VOSD_SOURCES	64
#define VOSD_MAX_ARGS	64
#define VOSD_GRANTS	64 /* answers remembered for the session */
#define VOSD_ASK_SEC	60 /* default --ask-timeout */
#define VOSD_TAGS	16 /* a subsystem's tags (libvirtos: --tag) */

/* default --handler-timeout */
#define VOSD_RUN_SEC 600
/*
 * A fast-path run's client that hung up but lives on (it closed the
 * connection and did not exit): its disposable ends this long after the
 * hang-up, at the latest (end_run())
 */
#define VOSD_RUN_LEFT_MS 200

enum conn_state {
	C_READING,  /* reading the request line */
	C_ASKING,   /* a call the policy says to ask about, waiting for an answer */
	C_LISTWAIT, /* "ask-list wait": until a question is pending */
	C_RUNNING,  /* its handler runs */
	C_SPOOLING, /* limit=/scan=: taking the caller's payload (spool.c) */
	C_SCANNING, /* scan=: the scanner reads the payload */
	C_DISP,	    /* "run": a pooled disposable's command runs (vos-run) */
	C_DISPLEFT, /* its client hung up: the end waits for the client's exit */
	C_LAUNCHED, /* a user's launched app runs (launch.c): until it or the caller ends */
};

/* An answer given with "remember": the same call gets it again */
struct grant {
	char svc[VOS_RPC_SERVICE_MAX];
	char arg[VOS_RPC_SERVICE_MAX];
	bool has_arg;
	char src[VOS_NAME_MAX + 8];
	char target[VOS_RPC_TARGET_MAX]; /* as the caller named it */
	bool allow;
	char to[VOS_RPC_TARGET_MAX]; /* where an allowed one went */
};

struct source {
	char name[VOS_NAME_MAX + 8]; /* a subsystem name or "@host"; "" free */
	double tokens;
	double last_ms;
};

struct conn {
	int fd;
	enum conn_state state;
	char src[VOS_NAME_MAX + 8]; /* the connection's peer */
	bool host_root;		    /* @host with uid 0 */
	char buf[VOSD_REQUEST_MAX]; /* a request line (a routed call's is longer) */
	size_t len;
	double deadline_ms;
	struct vos_proc *proc;
	struct vos_subsys *disp; /* the @dispvm:T disposable its handler runs in */
	char what[200];		 /* "SERVICE+ARG SRC -> TARGET" for the log */
	/* a host user of --group (launch.c), NULL for root and subsystems */
	struct vosd_user *user;
	int launch_fds[VOSD_LAUNCH_FDS]; /* a launch's stdio from the caller, -1: none */
	char **launch_args;		 /* and its files or URLs */
	size_t launch_nargs;
	bool launch; /* the call is a launch: allowed, it starts the app */
	/* a launched app's crossing in vos.ko: the channel's two ends, held
	 * (no byte goes through them) so that its OPENED and CLOSED events
	 * span the app's life; -1: none
	 */
	int launch_chan[2];
	/* C_ASKING: the question */
	unsigned int ask_id;
	char svc[VOS_RPC_SERVICE_MAX];
	char arg[VOS_RPC_SERVICE_MAX];
	bool has_arg;
	char csrc[VOS_NAME_MAX + 8];	  /* the call's source (call-from) */
	char target[VOS_RPC_TARGET_MAX];  /* as the caller named it */
	char vtarget[VOS_RPC_TARGET_MAX]; /* the policy's: target= or the named one */
	char dtarget[VOS_RPC_TARGET_MAX]; /* default_target= */
	/* the deciding rule's limit= and scan= (store and forward, spool.c) */
	uint64_t limit;
	char scan_svc[VOS_RPC_SERVICE_MAX];
	char scan_sub[VOS_NAME_MAX];
	char to[VOS_RPC_TARGET_MAX]; /* where a spooled call goes */
	struct vosd_spool *spool;
	/* its handler was killed at --handler-timeout */
	bool timed_out;
	uint64_t peer_id; /* the peer's subsystem id (vos.ko's word), 0: the host */
	pid_t peer_pid;	  /* the host peer's pid (vos.ko's word), 0: none */
	int peer_pidfd;	  /* C_DISP, C_DISPLEFT: the client's pidfd, -1: none */
	pid_t run_init;	  /* C_DISP, C_DISPLEFT: the disposable's init */
	uint32_t verdict; /* enum vos_crossing_verdict once decided, for the audit */
	bool routed;	  /* c->target is a route's (routed_call) */
};

struct vosd {
	struct vos_ctx *ctx;
	struct vos_rpc_policy *policy;
	const char *config_dir;
	const char *sock_path;
	const char *services_dir;
	const char *defs_dir;	   /* templates (Pool=, @dispvm:T), issue 14 */
	const char *profile_dir;   /* their profiles */
	const char *stub;	   /* vos-stub as pooled disposables see it (--stub) */
	const char *routes_dir;	   /* routes.d for routed calls (issue 15) */
	struct vos_routes *routes; /* read at start and on reload; NULL: none could be */
	struct vosd_pools *pools;
	int lfd, sfd;
	ino_t sock_ino; /* the socket file this vosd made */
	dev_t sock_dev;
	struct conn *conns[VOSD_MAX_CONNS];
	struct source sources[VOSD_SOURCES];
	struct grant grants[VOSD_GRANTS];
	unsigned int ngrants;
	unsigned int next_ask;
	int ask_timeout_ms;
	int handler_timeout_ms;	 /* a handler running longer is killed */
	bool channels;		 /* vos.ko mints the streams (VOS_CAP_CHANNEL) */
	const char *builtin_dir; /* vos-copy and vos-open, seen inside */
	const char *group;	 /* host users of this group may launch and open (launch.c) */
	unsigned long long calls, allowed, denied, failed, refused, asked;
};

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* One line on stderr in one write (journald's stream, a file): never torn */
void vlog(const char *fmt, ...)
{
	static const char pfx[] = "vosd: ";
	char line[2048];
	const size_t p = sizeof(pfx) - 1, room = sizeof(line) - p - 1; /* text, then '\n' */
	va_list ap;
	size_t n;
	int r;

	memcpy(line, pfx, p);
	va_start(ap, fmt);
	r = vsnprintf(line + p, room + 1, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	n = (size_t)r < room ? (size_t)r : room; /* cut, still one line */
	line[p + n] = '\n';
	if (write(STDERR_FILENO, line, p + n + 1) < 0)
		return; /* nowhere to tell it */
}

/* "VOS1 run": the fast path of pooled disposables (vos-run), below */
static bool hand_run(struct vosd *d, struct conn *c, const char *tmpl, const char *hex);

static void load_policy(struct vosd *d)
{
	struct vos_rpc_policy *p = NULL;
	size_t i, n;
	int ret;

	ret = vos_rpc_policy_load(d->ctx, d->config_dir, &p);
	if (ret < 0) {
		/* out of memory: keep the old policy rather than none */
		vlog("policy: cannot load %s: %s; the previous policy stays", d->config_dir,
		     vos_ctx_errmsg(d->ctx));
		return;
	}
	vos_rpc_policy_free(d->policy);
	d->policy = p;
	n = vos_rpc_policy_problems(p);
	for (i = 0; i < n; i++)
		vlog("policy: %s", vos_rpc_policy_problem(p, i));
	if (n)
		vlog("policy: %zu problem%s in %s: every call is denied until fixed", n,
		     n == 1 ? "" : "s", d->config_dir);
	else
		vlog("policy: %zu rule%s from %s", vos_rpc_policy_rules(p),
		     vos_rpc_policy_rules(p) == 1 ? "" : "s", d->config_dir);
}

/*
 * The routes of routed calls, read as the policy is: at start and on
 * reload, not for each call (a routes.d of many regexes compiled on every
 * call would let callers keep vosd busy). Out of memory: the previous
 * routes stay; with problems, every routed call is refused until fixed.
 */
static void load_routes(struct vosd *d)
{
	const char *dirs[2] = { d->routes_dir, NULL };
	struct vos_routes *r = NULL;
	size_t i, n;

	if (vos_routes_load(d->ctx, dirs, &r) < 0) {
		vlog("routes: cannot load %s: %s; the previous routes stay", d->routes_dir,
		     vos_ctx_errmsg(d->ctx));
		return;
	}
	vos_routes_free(d->routes);
	d->routes = r;
	n = vos_routes_problems(r);
	for (i = 0; i < n; i++)
		vlog("routes: %s", vos_routes_problem(r, i));
	if (n)
		vlog("routes: %zu problem%s in %s: every routed call is refused until fixed", n,
		     n == 1 ? "" : "s", d->routes_dir);
	else
		vlog("routes: %zu route%s from %s", vos_routes_count(r),
		     vos_routes_count(r) == 1 ? "" : "s", d->routes_dir);
}

/* What a reload reads again (the reload request, SIGHUP) */
static void reload(struct vosd *d)
{
	load_policy(d);
	load_routes(d);
	pools_reload(d->pools);
}

/* Send one line (and @fd, if >= 0); the connection is non-blocking and the
 * line short: a full socket buffer means a caller that does not read, and
 * loses the line.
 */
static void reply(struct conn *c, int fd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reply(struct conn *c, int fd, const char *fmt, ...)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} cb;
	char line[VOSD_LINE_MAX];
	struct iovec iov;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	/* one line: nothing the message quotes may break it */
	for (int i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	iov.iov_base = line;
	iov.iov_len = (size_t)n;
	if (fd >= 0) {
		struct cmsghdr *h;

		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	if (sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		vlog("%s: cannot answer: %s", c->src, strerror(errno));
}

/* End a launch's crossing (vos.ko: VOS_CROSSING_CLOSED), if it has one */
static void launch_chan_close(struct conn *c)
{
	for (int f = 0; f < 2; f++) {
		if (c->launch_chan[f] >= 0)
			close(c->launch_chan[f]);
		c->launch_chan[f] = -1;
	}
}

static void conn_close(struct vosd *d, int i)
{
	struct conn *c = d->conns[i];

	if (!c)
		return;
	close(c->fd);
	if (c->peer_pidfd >= 0)
		close(c->peer_pidfd);
	for (int f = 0; f < VOSD_LAUNCH_FDS; f++)
		if (c->launch_fds[f] >= 0)
			close(c->launch_fds[f]);
	launch_chan_close(c);
	vosd_launch_args_free(c->launch_args, c->launch_nargs);
	free(c->user);
	vos_proc_free(c->proc);
	/* a disposable's one file: it ends with its call */
	vos_subsys_free(c->disp);
	spool_free(c->spool);
	free(c);
	d->conns[i] = NULL;
}

static unsigned int count_source(struct vosd *d, const char *src)
{
	unsigned int i, n = 0;

	for (i = 0; i < VOSD_MAX_CONNS; i++)
		if (d->conns[i] && strcmp(d->conns[i]->src, src) == 0)
			n++;
	return n;
}

/* Take a token from @src's bucket; false if it has none left */
static bool rate_ok(struct vosd *d, const char *src)
{
	struct source *s = NULL, *oldest = &d->sources[0];
	double t = now_ms();
	unsigned int i;

	for (i = 0; i < VOSD_SOURCES; i++) {
		if (strcmp(d->sources[i].name, src) == 0) {
			s = &d->sources[i];
			break;
		}
		if (d->sources[i].last_ms < oldest->last_ms)
			oldest = &d->sources[i];
	}
	if (!s) {
		/* the least recently seen caller's bucket is reused, full */
		s = oldest;
		snprintf(s->name, sizeof(s->name), "%s", src);
		s->tokens = VOSD_RATE_BURST;
		s->last_ms = t;
	}
	s->tokens += (t - s->last_ms) * VOSD_RATE_PER_S / 1000.0;
	if (s->tokens > VOSD_RATE_BURST)
		s->tokens = VOSD_RATE_BURST;
	s->last_ms = t;
	if (s->tokens < 1.0)
		return false;
	s->tokens -= 1.0;
	return true;
}

static void new_conn(struct vosd *d)
{
	struct vos_peer peer;
	struct ucred cred = { .uid = (uid_t)-1 };
	socklen_t len = sizeof(cred);
	struct conn *c;
	int fd, i, slot = -1;

	fd = accept4(d->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (i = 0; i < VOSD_MAX_CONNS && slot < 0; i++)
		if (!d->conns[i])
			slot = i;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	for (i = 0; i < VOSD_LAUNCH_FDS; i++)
		c->launch_fds[i] = -1;
	c->launch_chan[0] = c->launch_chan[1] = -1;
	c->peer_pidfd = -1;
	snprintf(c->src, sizeof(c->src), "?");
	if (slot < 0) {
		d->refused++;
		reply(c, -1, "err %s vosd has %d connections: try again later", VOSD_ERR_BUSY,
		      VOSD_MAX_CONNS);
		close(fd);
		free(c);
		return;
	}
	/* who is calling: the kernel's word, from the socket alone */
	if (vos_peer_of_socket(d->ctx, fd, &peer) < 0) {
		vlog("refused a caller vos.ko could not identify: %s", vos_ctx_errmsg(d->ctx));
		d->refused++;
		reply(c, -1, "err %s vosd cannot identify the caller: %s", VOSD_ERR_FAIL,
		      vos_ctx_errmsg(d->ctx));
		close(fd);
		free(c);
		return;
	}
	if (peer.member) {
		snprintf(c->src, sizeof(c->src), "%s", peer.name);
		c->peer_id = peer.id;
	} else if (peer.ns == VOS_PEER_NS_SAME) {
		snprintf(c->src, sizeof(c->src), "@host");
		c->peer_pid = peer.pid;
		c->host_root = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
			       cred.uid == 0;
		/*
		 * @host is the administrator. Another host user is @user:NAME,
		 * who may launch and open if in --group (user_request)
		 */
		if (!c->host_root) {
			c->user = calloc(1, sizeof(*c->user));
			if (!c->user) {
				close(fd);
				free(c);
				return;
			}
			vosd_user_of(fd, d->group, c->user);
			if (c->user->named)
				snprintf(c->src, sizeof(c->src), "@user:%s", c->user->name);
			else
				snprintf(c->src, sizeof(c->src), "@uid:%u",
					 (unsigned int)c->user->uid);
		}
	} else {
		/* a PID namespace vos.ko does not know: not a subsystem, not the host */
		vlog("refused pid %d: in a PID namespace that is neither the host's nor a "
		     "subsystem's",
		     peer.pid);
		d->refused++;
		reply(c, -1, "err %s callers outside the host and vos subsystems are refused",
		      VOSD_ERR_PERM);
		close(fd);
		free(c);
		return;
	}
	if (count_source(d, c->src) >= VOSD_PER_SOURCE) {
		d->refused++;
		vlog("%s: refused: already %d calls at once", c->src, VOSD_PER_SOURCE);
		reply(c, -1, "err %s at most %d calls at once per caller", VOSD_ERR_BUSY,
		      VOSD_PER_SOURCE);
		close(fd);
		free(c);
		return;
	}
	c->deadline_ms = now_ms() + VOSD_REQUEST_MS;
	d->conns[slot] = c;
}

/* The call's caller, for vos.ko's channel and audit (crossing.c) */
static struct vosd_caller caller_of(const struct conn *c)
{
	struct vosd_caller who = {
		.source = c->csrc[0] ? c->csrc : c->src,
		.peer_id = c->peer_id,
		.conn_fd = c->fd,
	};

	return who;
}

/* Split @cmd at spaces into @argv (VOSD_MAX_ARGS); the count or -1 */
static int split(char *cmd, char **argv)
{
	char *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(cmd, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == VOSD_MAX_ARGS - 1)
			return -1;
		argv[n++] = t;
	}
	argv[n] = NULL;
	return n;
}

static int handler_exec(struct vosd *d, struct conn *c, struct vos_subsys *s, char *cmd,
			const char *svc, const char *arg, const char *where);
static struct vosd_caller caller_of(const struct conn *c);
static int builtin_handler(struct vosd *d, const char *svc, char *cmd, size_t len);
static int spool_exec(struct vosd *d, struct conn *c, struct vos_subsys *s, char **argv,
		      char **envp, const char *svc, const char *where);
static void spool_start(struct vosd *d, struct conn *c, const char *target);
static void audit_call(struct vosd *d, struct conn *c, uint32_t verdict);
static void launch_app(struct vosd *d, struct conn *c, const char *target);

/* The err KIND of vosd_disposable()'s error @ret */
static const char *disp_err_kind(int ret)
{
	if (ret == -ENOENT || ret == -ESTALE)
		return VOSD_ERR_NOTFOUND;
	return ret == -EBUSY ? VOSD_ERR_BUSY : VOSD_ERR_FAIL;
}

/*
 * @dispvm:TEMPLATE: the handler runs in a disposable of TEMPLATE (pooled
 * or fresh, pool.c), the COMMAND of its [Services] Service=SVC=COMMAND;
 * the disposable is the connection's and ends when the call does.
 */
static int start_disp_handler(struct vosd *d, struct conn *c, const char *tmpl, const char *svc,
			      const char *arg)
{
	char cmd[VOS_SERVICE_CMD_MAX], why[300];
	bool pooled;
	int ret;

	if (pools_service(d->pools, tmpl, svc, cmd, sizeof(cmd)) < 0) {
		reply(c, -1, "err %s template %s offers no service %s", VOSD_ERR_NOTFOUND, tmpl,
		      svc);
		return -1;
	}
	ret = vosd_disposable(d->pools, tmpl, 0, &c->disp, &pooled, why, sizeof(why));
	if (ret < 0) {
		reply(c, -1, "err %s %s", disp_err_kind(ret), why);
		return -1;
	}
	vlog("call %s: in %s (%s)", c->what, vos_subsys_name(c->disp),
	     pooled ? "from the pool" : "made now");
	return handler_exec(d, c, c->disp, cmd, svc, arg, tmpl);
}

/*
 * The built-in services every subsystem serves unless it offers its own
 * handler (--service NAME=COMMAND): vos-copy and vos-open from
 * --builtin-dir, which the target's root must show (the host's /usr/bin
 * by default).
 */
static int builtin_handler(struct vosd *d, const char *svc, char *cmd, size_t len)
{
	const char *run;

	if (!strcmp(svc, "vos.FileCopy"))
		run = "vos-copy --receive";
	else if (!strcmp(svc, "vos.OpenURL") || !strcmp(svc, "vos.OpenFile"))
		run = "vos-open --handle";
	else
		return -ENOENT;
	snprintf(cmd, len, "%s/%s", d->builtin_dir, run);
	return 0;
}

/* Start the handler of an allowed call; 0 or -1 with the caller answered */
static int start_handler(struct vosd *d, struct conn *c, const char *target, const char *svc,
			 const char *arg)
{
	char cmd[VOS_SERVICE_CMD_MAX];
	struct vos_subsys *s = NULL;
	struct vos_info info;
	int ret;

	if (!strncmp(target, "@dispvm:", 8))
		return start_disp_handler(d, c, target + 8, svc, arg);
	if (target[0] == '@') {
		reply(c, -1,
		      "err %s %s: only subsystems and @dispvm:TEMPLATE serve calls (no default template)",
		      VOSD_ERR_NOTFOUND, target);
		return -1;
	}
	ret = vos_subsys_get(d->ctx, target, &info);
	if (ret < 0) {
		reply(c, -1, "err %s no subsystem %s", VOSD_ERR_NOTFOUND, target);
		return -1;
	}
	if (info.state != VOS_STATE_RUNNING) {
		reply(c, -1, "err %s %s is not running (%s)", VOSD_ERR_NOTFOUND, target,
		      vos_state_name(info.state));
		return -1;
	}
	if (vos_service_find(d->ctx, d->services_dir, target, svc, cmd, sizeof(cmd)) < 0 &&
	    builtin_handler(d, svc, cmd, sizeof(cmd)) < 0) {
		reply(c, -1, "err %s %s", VOSD_ERR_NOTFOUND, vos_ctx_errmsg(d->ctx));
		return -1;
	}
	ret = vos_subsys_open(d->ctx, target, &s);
	if (ret < 0) {
		reply(c, -1, "err %s no subsystem %s", VOSD_ERR_NOTFOUND, target);
		return -1;
	}
	ret = handler_exec(d, c, s, cmd, svc, arg, target);
	vos_subsys_free(s);
	return ret;
}

/* Exec the handler @cmd of @svc in @s; 0 or -1 with the caller answered */
static int handler_exec(struct vosd *d, struct conn *c, struct vos_subsys *s, char *cmd,
			const char *svc, const char *arg, const char *where)
{
	char *argv[VOSD_MAX_ARGS];
	char e_remote[VOS_NAME_MAX + 20], e_svc[VOS_RPC_SERVICE_MAX + 20];
	char e_arg[VOS_RPC_SERVICE_MAX + 20];
	char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			 "HOME=/",
			 e_remote,
			 e_svc,
			 e_arg,
			 NULL };
	struct vos_config *cfg = NULL;
	int sp[2] = { -1, -1 }, ret;

	if (split(cmd, argv) < 1 || argv[0][0] != '/') {
		reply(c, -1, "err %s %s's handler of %s is not an absolute command", VOSD_ERR_FAIL,
		      where, svc);
		return -1;
	}
	snprintf(e_remote, sizeof(e_remote), "VOS_REMOTE=%s", c->src);
	snprintf(e_svc, sizeof(e_svc), "VOS_SERVICE=%s", svc);
	snprintf(e_arg, sizeof(e_arg), "VOS_SERVICE_ARG=%s", arg ? arg : "");
	if (c->spool)
		return spool_exec(d, c, s, argv, envp, svc, where);
	{
		struct vosd_caller who = caller_of(c);
		char err[256];

		if (vosd_stream(d->ctx, d->channels, &who, s,
				c->verdict ? c->verdict : VOS_VERDICT_ALLOW, svc, arg, sp, err,
				sizeof(err)) < 0) {
			reply(c, -1, "err %s the call's stream: %s", VOSD_ERR_FAIL, err);
			return -1;
		}
	}
	ret = vos_config_new(d->ctx, &cfg);
	if (ret == 0)
		ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (ret == 0)
		ret = vos_config_set_stdio(cfg, sp[0], sp[0], -1);
	if (ret == 0)
		ret = vos_subsys_exec(s, cfg, argv, envp, &c->proc);
	close(sp[0]);
	vos_config_free(cfg);
	if (ret < 0) {
		close(sp[1]);
		reply(c, -1, "err %s cannot start %s's handler of %s: %s", VOSD_ERR_FAIL, where,
		      svc, vos_ctx_errmsg(d->ctx));
		return -1;
	}
	reply(c, sp[1], "ok");
	close(sp[1]);
	c->state = C_RUNNING;
	c->deadline_ms = now_ms() + d->handler_timeout_ms;
	return 0;
}

/*
 * A spooled call's handler (or scanner, in C_SCANNING): the payload as its
 * stdin, a read-only file; its stdout the caller's end (the scanner's:
 * /dev/null, only its status counts). 0 or -1 with the caller answered.
 */
static int spool_exec(struct vosd *d, struct conn *c, struct vos_subsys *s, char **argv,
		      char **envp, const char *svc, const char *where)
{
	struct vos_config *cfg = NULL;
	bool scan = c->state == C_SCANNING;
	int in, out, ret;

	in = spool_payload(c->spool);
	out = scan ? open("/dev/null", O_WRONLY | O_CLOEXEC) : spool_out(c->spool);
	ret = in < 0 || out < 0 ? -1 : vos_config_new(d->ctx, &cfg);
	if (ret == 0)
		ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (ret == 0)
		ret = vos_config_set_stdio(cfg, in, out, -1);
	if (ret == 0)
		ret = vos_subsys_exec(s, cfg, argv, envp, &c->proc);
	vos_config_free(cfg);
	if (in >= 0)
		close(in);
	if (scan && out >= 0)
		close(out);
	if (ret < 0) {
		reply(c, -1, "err %s cannot start %s's %s of %s: %s", VOSD_ERR_FAIL, where,
		      scan ? "scanner" : "handler", svc,
		      in < 0 || out < 0 ? "no payload" : vos_ctx_errmsg(d->ctx));
		return -1;
	}
	if (!scan)
		c->state = C_RUNNING;
	c->deadline_ms = now_ms() + d->handler_timeout_ms;
	return 0;
}

/* An allowed call with limit= or scan=: take its payload first (spool.c) */
static void spool_start(struct vosd *d, struct conn *c, const char *target)
{
	char err[200];
	uint64_t max = c->limit ? c->limit : VOSD_SCAN_MAX;

	if (spool_new(max, &c->spool, err, sizeof(err)) < 0) {
		d->failed++;
		vlog("call %s: failed: %s", c->what, err);
		reply(c, -1, "err %s %s", VOSD_ERR_FAIL, err);
		return;
	}
	snprintf(c->to, sizeof(c->to), "%s", target);
	reply(c, spool_caller_end(c->spool), "ok");
	spool_handed(c->spool);
	c->state = C_SPOOLING;
	c->deadline_ms = now_ms() + d->handler_timeout_ms;
	d->allowed++;
}

/* The payload is complete: to the scanner, or (clean) to the handler */
static bool spool_forward(struct vosd *d, struct conn *c)
{
	if (c->state == C_SPOOLING && c->scan_svc[0]) {
		vlog("call %s: %llu bytes to %s@%s first", c->what,
		     (unsigned long long)spool_bytes(c->spool), c->scan_svc, c->scan_sub);
		c->state = C_SCANNING;
		if (start_handler(d, c, c->scan_sub, c->scan_svc, NULL) < 0) {
			vlog("call %s: dropped: the scanner %s@%s could not start", c->what,
			     c->scan_svc, c->scan_sub);
			return false;
		}
		c->state = C_SCANNING;
		return true;
	}
	c->state = C_RUNNING;
	vos_proc_free(c->proc);
	c->proc = NULL;
	if (start_handler(d, c, c->to, c->svc, c->has_arg ? c->arg : NULL) < 0) {
		d->failed++;
		vlog("call %s: failed", c->what);
		return false;
	}
	return true;
}

/* POLLIN on a spooling call's stream; false: close the connection */
static bool spool_event(struct vosd *d, struct conn *c)
{
	char err[200];
	int r = spool_read(c->spool, err, sizeof(err));

	if (r > 0)
		return true;
	if (r == -EFBIG) {
		d->refused++;
		vlog("call %s: cut: %s (limit=%llu)", c->what, err,
		     (unsigned long long)spool_limit(c->spool));
		audit_call(d, c, VOS_VERDICT_REFUSED);
		reply(c, -1, "err %s %s set by the policy's limit=: the call is cut",
		      VOSD_ERR_LIMIT, err);
		return false;
	}
	if (r < 0) {
		d->failed++;
		vlog("call %s: failed: %s", c->what, err);
		reply(c, -1, "err %s %s", VOSD_ERR_FAIL, err);
		return false;
	}
	/* the end of a payload is the caller's shutdown, not its death */
	{
		char b;

		if (recv(c->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
			vlog("call %s: the caller left before its payload was complete: dropped",
			     c->what);
			return false;
		}
	}
	return spool_forward(d, c);
}

/* The scanner of a scan= call exited with @code; false: close */
static bool scan_done(struct vosd *d, struct conn *c, int code)
{
	if (code == 0) {
		vlog("call %s: %s@%s: clean", c->what, c->scan_svc, c->scan_sub);
		return spool_forward(d, c);
	}
	d->refused++;
	audit_call(d, c, VOS_VERDICT_REFUSED);
	if (code == 1) {
		vlog("call %s: dropped: %s@%s says infected (%llu bytes)", c->what, c->scan_svc,
		     c->scan_sub, (unsigned long long)spool_bytes(c->spool));
		reply(c, -1, "err %s %s@%s found the content infected: dropped, nothing delivered",
		      VOSD_ERR_INFECTED, c->scan_svc, c->scan_sub);
	} else {
		vlog("call %s: dropped: %s@%s failed (status %d)", c->what, c->scan_svc,
		     c->scan_sub, code);
		reply(c, -1, "err %s the scanner %s@%s failed (status %d): dropped", VOSD_ERR_FAIL,
		      c->scan_svc, c->scan_sub, code);
	}
	return false;
}

static struct grant *find_grant(struct vosd *d, const struct conn *c)
{
	unsigned int i;

	for (i = 0; i < d->ngrants; i++) {
		struct grant *g = &d->grants[i];

		if (!strcmp(g->svc, c->svc) && g->has_arg == c->has_arg &&
		    !strcmp(g->arg, c->arg) && !strcmp(g->src, c->csrc) &&
		    !strcmp(g->target, c->target))
			return g;
	}
	return NULL;
}

/* One line per pending question, after "ok N" */
static void list_asks(struct vosd *d, struct conn *to)
{
	unsigned int i, n = 0;

	for (i = 0; i < VOSD_MAX_CONNS; i++)
		if (d->conns[i] && d->conns[i]->state == C_ASKING)
			n++;
	reply(to, -1, "ok %u", n);
	for (i = 0; i < VOSD_MAX_CONNS; i++) {
		struct conn *k = d->conns[i];

		if (!k || k->state != C_ASKING)
			continue;
		reply(to, -1, "ask %u %s%s%s %s %s %s %s", k->ask_id, k->svc, k->has_arg ? "+" : "",
		      k->arg, k->csrc, k->target, k->vtarget[0] ? k->vtarget : "-",
		      k->dtarget[0] ? k->dtarget : "-");
	}
}

/* A question is pending: answer every "ask-list wait" */
static void wake_listers(struct vosd *d)
{
	unsigned int i;

	for (i = 0; i < VOSD_MAX_CONNS; i++) {
		if (d->conns[i] && d->conns[i]->state == C_LISTWAIT) {
			list_asks(d, d->conns[i]);
			conn_close(d, (int)i);
		}
	}
}

/* A call that got no stream, to vos.ko's audit (VOS_EVENT_CROSSING) */
static void audit_call(struct vosd *d, struct conn *c, uint32_t verdict)
{
	struct vosd_caller who = caller_of(c);

	if (vosd_audit(d->ctx, d->channels, &who, c->target, verdict, c->svc,
		       c->has_arg ? c->arg : NULL) < 0)
		vlog("call %s: not audited by vos.ko: %s", c->what, vos_ctx_errmsg(d->ctx));
}

static void deny_call(struct vosd *d, struct conn *c, const char *reason)
{
	uint32_t verdict = c->verdict ? c->verdict : VOS_VERDICT_DENY;

	d->denied++;
	vlog("call %s: deny (%s)", c->what, reason);
	/* still asking: the time-out decided */
	if (c->state == C_ASKING)
		verdict = VOS_VERDICT_ASK_TIMEOUT;
	audit_call(d, c, verdict);
	reply(c, -1, "err %s %s%s%s", VOSD_ERR_DENIED, reason,
	      c->routed ? ", for the route's target " : "", c->routed ? c->target : "");
}

/* Allowed (by the policy, or by an answer) to @target: start its handler */
static void allow_call(struct vosd *d, struct conn *c, const char *target, const char *why)
{
	vlog("call %s: allow (%s) to %s", c->what, why, target);
	if (c->launch) {
		launch_app(d, c, target);
		return;
	}
	if (c->limit || c->scan_svc[0]) {
		spool_start(d, c, target);
		return;
	}
	if (start_handler(d, c, target, c->svc, c->has_arg ? c->arg : NULL) < 0) {
		d->failed++;
		vlog("call %s: failed", c->what);
		audit_call(d, c, VOS_VERDICT_REFUSED);
		return;
	}
	d->allowed++;
}

/* @who's tags (a subsystem's, from its record) into @v, NULL-terminated */
static void tags_of(struct vosd *d, const char *who, char *buf, size_t len, const char **v)
{
	char *save = NULL, *t;
	int n = 0;

	v[0] = NULL;
	buf[0] = '\0';
	if (who[0] == '@' || vos_subsys_tags(d->ctx, d->services_dir, who, buf, len) <= 0)
		return;
	for (t = strtok_r(buf, " ", &save); t && n < VOSD_TAGS; t = strtok_r(NULL, " ", &save))
		v[n++] = t;
	v[n] = NULL;
}

static void do_call(struct vosd *d, struct conn *c, const char *src, const char *target,
		    char *service)
{
	char sbuf[VOSD_TAGS * VOS_NAME_MAX], tbuf[VOSD_TAGS * VOS_NAME_MAX];
	const char *stags[VOSD_TAGS + 1], *ttags[VOSD_TAGS + 1];
	struct vos_rpc_verdict v;
	struct vos_rpc_call call = { 0 };
	char *plus = strchr(service, '+');
	int ret;

	if (plus)
		*plus = '\0';
	call.service = service;
	call.arg = plus ? plus + 1 : NULL;
	call.source = src;
	call.target = target;
	/* the tags root gave them at create (--tag), never what they say */
	tags_of(d, src, sbuf, sizeof(sbuf), stags);
	tags_of(d, target, tbuf, sizeof(tbuf), ttags);
	call.source_tags = stags;
	call.target_tags = ttags;
	snprintf(c->svc, sizeof(c->svc), "%s", service);
	snprintf(c->arg, sizeof(c->arg), "%s", plus ? plus + 1 : "");
	c->has_arg = plus != NULL;
	snprintf(c->csrc, sizeof(c->csrc), "%s", src);
	snprintf(c->target, sizeof(c->target), "%s", target);
	snprintf(c->what, sizeof(c->what), "%s%s%s %s -> %s", service, plus ? "+" : "",
		 plus ? plus + 1 : "", src, target);
	/* the log line quotes the caller's words: nothing in them may forge a line */
	for (char *p = c->what; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	d->calls++;
	ret = vos_rpc_policy_eval(d->ctx, d->policy, &call, &v);
	if (ret < 0) {
		d->denied++;
		vlog("call %s: refused: %s", c->what, v.reason);
		audit_call(d, c, VOS_VERDICT_REFUSED);
		reply(c, -1, "err %s %s", VOSD_ERR_USAGE, v.reason);
		return;
	}
	c->limit = v.limit;
	snprintf(c->scan_svc, sizeof(c->scan_svc), "%s", v.scan_service);
	snprintf(c->scan_sub, sizeof(c->scan_sub), "%s", v.scan_subsys);
	if (v.action == VOS_RPC_ASK) {
		struct grant *g = find_grant(d, c);
		char why[400];

		if (g)
			c->verdict = g->allow ? VOS_VERDICT_ASK_ALLOWED : VOS_VERDICT_ASK_DENIED;
		if (g && g->allow) {
			snprintf(why, sizeof(why), "remembered answer to %s:%u", v.file, v.line);
			allow_call(d, c, g->to, why);
			return;
		}
		if (g) {
			snprintf(why, sizeof(why), "remembered answer to %s:%u", v.file, v.line);
			deny_call(d, c, why);
			return;
		}
		/* the caller waits; an answer (vosctl ask) or the time-out decides */
		c->state = C_ASKING;
		c->ask_id = ++d->next_ask;
		c->deadline_ms = now_ms() + d->ask_timeout_ms;
		snprintf(c->vtarget, sizeof(c->vtarget), "%s", v.target);
		snprintf(c->dtarget, sizeof(c->dtarget), "%s", v.default_target);
		d->asked++;
		vlog("call %s: ask #%u (%s:%u)", c->what, c->ask_id, v.file, v.line);
		wake_listers(d);
		return;
	}
	if (v.action != VOS_RPC_ALLOW) {
		deny_call(d, c, v.reason);
		return;
	}
	{
		char why[300];

		snprintf(why, sizeof(why), "%s:%u", v.file, v.line);
		allow_call(d, c, v.target, why);
	}
}

/* 0 if @s is a routed call's subject for @url (proto.h): one printable word */
static int subject_check(const char *s, bool url)
{
	size_t i, n = strlen(s);

	if (!n || n > VOSD_SUBJECT_MAX || (strchr(s, ':') != NULL) != url)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return -EINVAL;
	return 0;
}

/*
 * "call @default vos.OpenURL URL" / "... vos.OpenFile MIME/TYPE" (issue
 * 15): the route of the subject (routes.d in --routes-dir) names the
 * target in @default's place, then the policy decides as for any call.
 * No route: @default, as before. Routes that do not parse refuse the
 * call (fail closed), audited; vosd decides this, never the caller, and
 * the caller learns nothing of the host's routes but the target.
 */
static void routed_call(struct vosd *d, struct conn *c, const char *target, char *service,
			const char *subject)
{
	bool url = !strcmp(service, "vos.OpenURL");
	char to[VOS_RPC_TARGET_MAX];
	struct vos_route m;
	int ret;

	if (strcmp(target, "@default") || (!url && strcmp(service, "vos.OpenFile")) ||
	    subject_check(subject, url) < 0) {
		reply(c, -1,
		      "err %s a routed call is 'call @default vos.OpenURL URL' or "
		      "'call @default vos.OpenFile TYPE', one printable word of at most %d bytes",
		      VOSD_ERR_USAGE, VOSD_SUBJECT_MAX);
		return;
	}
	/* (the same size as the route's target: it fits) */
	ret = d->routes ? vos_route_find(d->ctx, d->routes, url ? VOS_ROUTE_URL : VOS_ROUTE_MIME,
					 subject, &m)
			: -ENOMEM;
	if (ret == 0) {
		snprintf(to, sizeof(to), "@default");
	} else if (ret > 0) {
		snprintf(to, sizeof(to), "%s", m.target);
	} else {
		snprintf(c->svc, sizeof(c->svc), "%s", service);
		snprintf(c->target, sizeof(c->target), "%s", target);
		c->has_arg = false;
		snprintf(c->what, sizeof(c->what), "%s %s -> %s", service, c->src, target);
		d->refused++;
		vlog("call %s: refused: %s", c->what,
		     d->routes ? vos_ctx_errmsg(d->ctx) : "the routes could not be read");
		audit_call(d, c, VOS_VERDICT_REFUSED);
		/* the host's routes are not the caller's to read: the log has them */
		reply(c, -1,
		      "err %s the host's routes are broken, so none is used: its "
		      "administrator can see why with 'vosctl open --lint'",
		      VOSD_ERR_FAIL);
		return;
	}
	vlog("call %s from %s: %s routed to %s", service, c->src, url ? "a URL" : subject, to);
	c->routed = true;
	do_call(d, c, c->src, to, service);
}

/* "ask-answer ID allow|deny [TARGET|-] [remember]" from root on the host */
static void answer(struct vosd *d, struct conn *from, char **tok, int n)
{
	struct conn *c = NULL;
	const char *to = NULL;
	bool allow, remember = false;
	unsigned long id;
	char *end;
	int i;

	id = strtoul(tok[2], &end, 10);
	if (*end || !id || (strcmp(tok[3], "allow") && strcmp(tok[3], "deny"))) {
		reply(from, -1, "err %s give ID allow|deny [TARGET] [remember]", VOSD_ERR_USAGE);
		return;
	}
	allow = !strcmp(tok[3], "allow");
	for (i = 4; i < n; i++) {
		if (!strcmp(tok[i], "remember"))
			remember = true;
		else if (!to && strcmp(tok[i], "-"))
			to = tok[i];
	}
	for (i = 0; i < VOSD_MAX_CONNS && !c; i++)
		if (d->conns[i] && d->conns[i]->state == C_ASKING && d->conns[i]->ask_id == id)
			c = d->conns[i];
	if (!c) {
		reply(from, -1, "err %s no pending question #%lu", VOSD_ERR_NOTFOUND, id);
		return;
	}
	if (allow && !to)
		to = c->vtarget[0] ? c->vtarget : c->dtarget;
	/* a subsystem, or a disposable of a template (@dispvm:T, pool.c) */
	if (allow &&
	    (!to || !to[0] || vos_name_check(strncmp(to, "@dispvm:", 8) ? to : to + 8) < 0)) {
		reply(from, -1, "err %s #%lu: give the target, a subsystem name", VOSD_ERR_USAGE,
		      id);
		return;
	}
	if (remember && d->ngrants < VOSD_GRANTS) {
		struct grant *g = &d->grants[d->ngrants++];

		snprintf(g->svc, sizeof(g->svc), "%s", c->svc);
		snprintf(g->arg, sizeof(g->arg), "%s", c->arg);
		g->has_arg = c->has_arg;
		snprintf(g->src, sizeof(g->src), "%s", c->csrc);
		snprintf(g->target, sizeof(g->target), "%s", c->target);
		g->allow = allow;
		snprintf(g->to, sizeof(g->to), "%s", allow ? to : "");
	}
	c->verdict = allow ? VOS_VERDICT_ASK_ALLOWED : VOS_VERDICT_ASK_DENIED;
	c->state = C_READING;
	if (allow) {
		char why[64];

		snprintf(why, sizeof(why), "answer to #%lu", id);
		allow_call(d, c, to, why);
		reply(from, -1, "ok #%lu allowed to %s%s", id, to, remember ? ", remembered" : "");
	} else {
		char why[64];

		snprintf(why, sizeof(why), "the answer to #%lu", id);
		deny_call(d, c, why);
		reply(from, -1, "ok #%lu denied%s", id, remember ? ", remembered" : "");
	}
	if (c->state != C_RUNNING && c->state != C_SPOOLING)
		for (i = 0; i < VOSD_MAX_CONNS; i++)
			if (d->conns[i] == c)
				conn_close(d, i);
}

/*
 * A host user's request refused before (or instead of) the policy: logged,
 * counted and audited like any refused call (@svc, @target as far as the
 * request named them), the caller told @kind and why.
 */
static void user_verdict(struct vosd *d, struct conn *c, const char *svc, const char *target,
			 const char *kind, const char *why, uint32_t verdict)
{
	char *plus;

	snprintf(c->svc, sizeof(c->svc), "%s", svc);
	plus = strchr(c->svc, '+');
	c->has_arg = plus != NULL;
	snprintf(c->arg, sizeof(c->arg), "%s", plus ? plus + 1 : "");
	if (plus)
		*plus = '\0';
	snprintf(c->target, sizeof(c->target), "%s", target);
	snprintf(c->what, sizeof(c->what), "%s %s -> %s", svc, c->src, target);
	for (char *p = c->what; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	if (verdict == VOS_VERDICT_DENY)
		d->denied++;
	else
		d->refused++;
	vlog("call %s: %s: %s", c->what, verdict == VOS_VERDICT_DENY ? "denied" : "refused", why);
	audit_call(d, c, verdict);
	reply(c, -1, "err %s %s", kind, why);
}

static void user_refuse(struct vosd *d, struct conn *c, const char *svc, const char *target,
			const char *kind, const char *why)
{
	user_verdict(d, c, svc, target, kind, why, VOS_VERDICT_REFUSED);
}

/*
 * A user's step of the two-step clipboard (vosctl clip copy|paste by a
 * member of --group, e.g. from a key binding): "copy" moves subsystem
 * @name's clipboard into vos.ko's slot, "paste" the slot into @name's.
 * The policy decides twice for a paste, once for a copy: the user may
 * touch @name's clipboard (vos.Clipboard+copy or +paste, source
 * @user:NAME, target @name: only the user's own rules match), and a
 * paste's flow, the slot's source -> @name (vos.Clipboard), as it does
 * for root's. "ask" refuses (nobody is asked for a user's key binding).
 * Refusals are audited as the user's; vos.ko events every copy and paste.
 */
static void user_clip(struct vosd *d, struct conn *c, const char *op, const char *name)
{
	const char *stags[] = { NULL }, *ttags[16];
	struct vos_rpc_call call = { .service = "vos.Clipboard",
				     .arg = op,
				     .source = c->src,
				     .target = name,
				     .source_tags = stags,
				     .target_tags = ttags };
	char svc[64], why[1200], tbuf[512];
	struct vos_subsys *s = NULL;
	struct vos_rpc_verdict v;
	struct vos_clip_info ci;
	bool paste = strcmp(op, "paste") == 0;
	int ret;

	snprintf(svc, sizeof(svc), "vos.Clipboard+%s", op);
	tags_of(d, name, tbuf, sizeof(tbuf), ttags);
	ret = vos_rpc_policy_eval(d->ctx, d->policy, &call, &v);
	if (ret < 0 || v.action != VOS_RPC_ALLOW) {
		snprintf(why, sizeof(why),
			 "%s: denied by policy (%s): a rule like '%s %s %s allow' lets this user",
			 svc, ret < 0 ? vos_ctx_errmsg(d->ctx) : v.reason, svc, c->src, name);
		user_verdict(d, c, svc, name, VOSD_ERR_DENIED, why,
			     ret < 0 ? VOS_VERDICT_REFUSED : VOS_VERDICT_DENY);
		return;
	}
	ret = vos_subsys_open(d->ctx, name, &s);
	if (!ret)
		ret = paste ? vos_clip_paste(s, d->policy, &v, &ci) : vos_clip_copy(s, &ci);
	if (ret) {
		snprintf(why, sizeof(why), "%s", vos_ctx_errmsg(d->ctx));
		vos_subsys_free(s);
		user_refuse(d, c, svc, name,
			    ret == -ENOENT  ? VOSD_ERR_NOTFOUND
			    : ret == -EFBIG ? VOSD_ERR_LIMIT
					    : VOSD_ERR_FAIL,
			    why);
		return;
	}
	vos_subsys_free(s);
	if (paste && v.action != VOS_RPC_ALLOW) {
		/* vos.ko recorded the refused paste (a clip event "denied") */
		snprintf(why, sizeof(why), "%s -> %s denied by policy (%s): the slot keeps it",
			 ci.source, name, v.reason);
		user_verdict(d, c, svc, name, VOSD_ERR_DENIED, why, VOS_VERDICT_DENY);
		return;
	}
	d->calls++;
	vlog("clip %s %s by %s: %llu bytes (%s)%s%s", op, name, c->src,
	     (unsigned long long)ci.length, ci.mime, paste ? " from " : "", paste ? ci.source : "");
	reply(c, -1, "ok %llu %s %s", (unsigned long long)ci.length, ci.source, ci.mime);
}

/*
 * A request of a host user who is not root (c->user, launch.h):
 *
 *   launch TARGET ID [ARG...]   vos.Launch+ID, with 3 fds (stdin, stdout, stderr)
 *   call TARGET vos.OpenURL|vos.OpenFile
 *   clip copy|paste NAME        vos.Clipboard+copy|paste (user_clip())
 *
 * the user in --group, the policy deciding with source @user:NAME. false:
 * close the connection.
 */
static bool user_request(struct vosd *d, struct conn *c)
{
	char svc[VOS_RPC_SERVICE_MAX * 2], err[400], *words = c->buf + 5, *target, *id;
	char *op = NULL;
	bool launch, clip;
	int i;

	if (strncmp(c->buf, VOSD_MAGIC " ", 5) != 0) {
		reply(c, -1, "err %s not a vosd request (VOS1 ...)", VOSD_ERR_USAGE);
		return false;
	}
	launch = !strncmp(words, "launch ", 7);
	clip = !strncmp(words, "clip ", 5);
	if (clip) {
		char *save = NULL;

		op = strtok_r(words + 5, " ", &save);
		target = strtok_r(NULL, " ", &save);
		if (!op || (strcmp(op, "copy") && strcmp(op, "paste")) || !target ||
		    strtok_r(NULL, " ", &save) || vos_name_check(target) < 0) {
			user_refuse(d, c, "vos.Clipboard", target ? target : "?", VOSD_ERR_USAGE,
				    "clip takes 'copy NAME' or 'paste NAME' of a subsystem");
			return false;
		}
		snprintf(svc, sizeof(svc), "vos.Clipboard+%s", op);
	} else if (launch) {
		if (vosd_launch_parse(words + 7, &target, &id, &c->launch_args, &c->launch_nargs,
				      err, sizeof(err)) < 0) {
			user_refuse(d, c, "vos.Launch", "?", VOSD_ERR_USAGE, err);
			return false;
		}
		snprintf(svc, sizeof(svc), "vos.Launch+%s", id);
	} else {
		char *save = NULL, *w = strtok_r(words, " ", &save);
		size_t base;

		target = strtok_r(NULL, " ", &save);
		id = strtok_r(NULL, " ", &save);
		snprintf(svc, sizeof(svc), "%s", id ? id : w ? w : "?");
		if (!target)
			target = "?";
		/* SERVICE[+ARG] of the two open services, nothing after it */
		base = id ? strcspn(id, "+") : 0;
		if (!w || strcmp(w, "call") || strtok_r(NULL, " ", &save) || !id ||
		    !((base == 11 && !strncmp(id, "vos.OpenURL", 11)) ||
		      (base == 12 && !strncmp(id, "vos.OpenFile", 12)))) {
			user_refuse(d, c, svc, target, VOSD_ERR_PERM,
				    "a host user may only launch apps, open URLs or files and "
				    "move the clipboard (vosctl launch, open, clip); the rest is "
				    "root's");
			return false;
		}
	}
	if (!c->user->in_group || !c->user->named) {
		snprintf(err, sizeof(err), "%s: %s: ask an administrator to run 'adduser %s %s'",
			 c->user->name, c->user->named ? c->user->why : "no user name",
			 c->user->name, d->group);
		user_refuse(d, c, svc, target, VOSD_ERR_PERM, err);
		return false;
	}
	if (launch) {
		for (i = 0; i < VOSD_LAUNCH_FDS; i++)
			if (c->launch_fds[i] < 0)
				break;
		if (i < VOSD_LAUNCH_FDS) {
			user_refuse(d, c, svc, target, VOSD_ERR_USAGE,
				    "a launch carries the caller's stdin, stdout and stderr");
			return false;
		}
	}
	if (!rate_ok(d, c->src)) {
		user_refuse(d, c, svc, target, VOSD_ERR_BUSY, "too many calls a second: slow down");
		return false;
	}
	if (clip) {
		/* done at once, answered with one line */
		user_clip(d, c, op, target);
		return false;
	}
	c->launch = launch;
	do_call(d, c, c->src, target, svc);
	return c->state != C_READING;
}

/* A launch the policy allowed to @target: start the app (launch.c) */
static void launch_app(struct vosd *d, struct conn *c, const char *target)
{
	struct vos_subsys *s = NULL;
	const char *kind, *in = target;
	char err[600];
	bool pooled;
	int ret, i;

	/* a subsystem, or (the request's or a rule's target=) a disposable of a template */
	if (!strncmp(target, "@dispvm:", 8)) {
		ret = vosd_disposable(d->pools, target + 8, 0, &c->disp, &pooled, err, sizeof(err));
		if (ret == 0) {
			s = c->disp;
			in = vos_subsys_name(s);
			vlog("call %s: in %s (%s)", c->what, in,
			     pooled ? "from the pool" : "made now");
		}
	} else if (vos_name_check(target) < 0 || vos_subsys_open(d->ctx, target, &s) < 0) {
		snprintf(err, sizeof(err), "no subsystem %s", target);
		ret = -ENOENT;
	} else {
		ret = 0;
	}
	/* audited as any allowed crossing: a channel opened now, closed with the app */
	if (ret == 0 && d->channels) {
		struct vosd_caller who = caller_of(c);

		if (vosd_stream(d->ctx, true, &who, s, c->verdict ? c->verdict : VOS_VERDICT_ALLOW,
				c->svc, c->has_arg ? c->arg : NULL, c->launch_chan, err,
				sizeof(err)) < 0)
			ret = -EIO;
	}
	if (ret == 0)
		ret = vosd_launch_start(d->ctx, s, in, c->arg, c->launch_args, c->launch_nargs,
					c->launch_fds, c->user ? c->user->uid : 0,
					c->user ? c->user->gid : 0, &c->proc, err, sizeof(err));
	if (s != c->disp)
		vos_subsys_free(s);
	for (i = 0; i < VOSD_LAUNCH_FDS; i++) {
		close(c->launch_fds[i]);
		c->launch_fds[i] = -1;
	}
	if (ret < 0) {
		/* its channel, if made, closes before the refusal is reported */
		launch_chan_close(c);
		kind = ret == -ENOENT			 ? VOSD_ERR_NOTFOUND
		       : ret == -EPERM || ret == -ERANGE ? VOSD_ERR_PERM
		       : ret == -EINVAL			 ? VOSD_ERR_USAGE
		       : ret == -EBUSY			 ? VOSD_ERR_BUSY
							 : VOSD_ERR_FAIL;
		d->refused++;
		vlog("call %s: refused: %s", c->what, err);
		audit_call(d, c, VOS_VERDICT_REFUSED);
		reply(c, -1, "err %s %s", kind, err);
		return;
	}
	d->allowed++;
	vlog("call %s: launched pid %d in %s as uid %u inside", c->what, (int)vos_proc_pid(c->proc),
	     in, c->user ? (unsigned int)c->user->uid : 0);
	reply(c, -1, "ok");
	c->state = C_LAUNCHED;
}

/*
 * "disposable TEMPLATE DIGEST" from root on the host (vosctl run
 * --disposable): a pooled disposable's subsystem file, with "ok NAME";
 * DIGEST (hex) is the template as vosctl read it. The file is the
 * caller's alone once sent: vosd closes its own.
 */
static void hand_disposable(struct vosd *d, struct conn *c, const char *tmpl, const char *hex)
{
	struct vos_subsys *s = NULL;
	unsigned long long digest;
	char why[300], *end;
	bool pooled;
	int ret;

	errno = 0;
	digest = strtoull(hex, &end, 16);
	if (vos_name_check(tmpl) < 0 || *end || errno || !digest) {
		reply(c, -1, "err %s give a template name and its digest", VOSD_ERR_USAGE);
		return;
	}
	ret = vosd_disposable(d->pools, tmpl, digest, &s, &pooled, why, sizeof(why));
	if (ret < 0) {
		reply(c, -1, "err %s %s", disp_err_kind(ret), why);
		return;
	}
	vlog("disposable %s of %s to the host (%s)", vos_subsys_name(s), tmpl,
	     pooled ? "from the pool" : "made now");
	reply(c, vos_subsys_fd(s), "ok %s %s", vos_subsys_name(s), pooled ? "pooled" : "fresh");
	vos_subsys_free(s);
}

/* A whole request line in c->buf; false: close the connection */
static bool handle_request(struct vosd *d, struct conn *c)
{
	char *tok[8], *save = NULL, *t;
	int n = 0;

	/* a host user's request: launch and open only (issue 15) */
	if (c->user)
		return user_request(d, c);
	for (t = strtok_r(c->buf, " ", &save); t && n < 8; t = strtok_r(NULL, " ", &save))
		tok[n++] = t;
	if (n < 2 || strcmp(tok[0], VOSD_MAGIC) != 0) {
		reply(c, -1, "err %s not a vosd request (VOS1 ...)", VOSD_ERR_USAGE);
		return false;
	}
	if (strcmp(tok[1], "call") == 0 && (n == 4 || n == 5)) {
		if (!rate_ok(d, c->src)) {
			d->refused++;
			vlog("%s: refused: more than %d calls a second", c->src, VOSD_RATE_PER_S);
			reply(c, -1, "err %s more than %d calls a second: slow down", VOSD_ERR_BUSY,
			      VOSD_RATE_PER_S);
			return false;
		}
		if (n == 5)
			routed_call(d, c, tok[2], tok[3], tok[4]);
		else
			do_call(d, c, c->src, tok[2], tok[3]);
		return c->state != C_READING;
	}
	if (!c->host_root) {
		/* call-from, reload and stats are the host administrator's */
		vlog("%s: refused '%s': for root on the host only", c->src, tok[1]);
		reply(c, -1, "err %s '%s' is for root on the host only", VOSD_ERR_PERM, tok[1]);
		return false;
	}
	if (strcmp(tok[1], "call-from") == 0 && n == 5) {
		if (vos_name_check(tok[2]) < 0) {
			reply(c, -1, "err %s '%s' is not a subsystem name", VOSD_ERR_USAGE, tok[2]);
			return false;
		}
		do_call(d, c, tok[2], tok[3], tok[4]);
		return c->state != C_READING;
	}
	if (strcmp(tok[1], "ask-list") == 0 && (n == 2 || (n == 3 && !strcmp(tok[2], "wait")))) {
		unsigned int i, pending = 0;

		for (i = 0; i < VOSD_MAX_CONNS; i++)
			if (d->conns[i] && d->conns[i]->state == C_ASKING)
				pending++;
		if (!pending && n == 3) {
			c->state = C_LISTWAIT;
			return true;
		}
		list_asks(d, c);
		return false;
	}
	if (strcmp(tok[1], "ask-answer") == 0 && n >= 4) {
		answer(d, c, tok, n);
		return false;
	}
	if (strcmp(tok[1], "run") == 0 && n == 4) {
		c->len = 0;
		return hand_run(d, c, tok[2], tok[3]);
	}
	if (strcmp(tok[1], "disposable") == 0 && n == 4) {
		hand_disposable(d, c, tok[2], tok[3]);
		return false;
	}
	if (strcmp(tok[1], "pool") == 0 && n == 2) {
		char line[VOSD_LINE_MAX];
		size_t i, np = pools_count(d->pools);

		reply(c, -1, "ok %zu", np);
		for (i = 0; i < np; i++) {
			pools_line(d->pools, i, line, sizeof(line));
			reply(c, -1, "pooled %s", line);
		}
		return false;
	}
	if (strcmp(tok[1], "reload") == 0 && n == 2) {
		reload(d);
		reply(c, -1, "ok rules=%zu problems=%zu", vos_rpc_policy_rules(d->policy),
		      vos_rpc_policy_problems(d->policy));
		return false;
	}
	if (strcmp(tok[1], "stats") == 0 && n == 2) {
		reply(c, -1,
		      "ok calls=%llu allowed=%llu denied=%llu failed=%llu refused=%llu asked=%llu",
		      d->calls, d->allowed, d->denied, d->failed, d->refused, d->asked);
		return false;
	}
	reply(c, -1, "err %s unknown request '%s'", VOSD_ERR_USAGE, tok[1]);
	return false;
}

/*
 * recv() of the request, and the fds that come with it (a user's launch:
 * its stdin, stdout, stderr, kept in c->launch_fds); any other or any more
 * fds are closed at once. Returns what recv() would.
 */
static ssize_t recv_request(struct conn *c)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(VOSD_LAUNCH_FDS * sizeof(int))];
	} cb;
	struct iovec iov = { .iov_base = c->buf + c->len, .iov_len = sizeof(c->buf) - 1 - c->len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *h;
	ssize_t n;

	m.msg_control = cb.b;
	m.msg_controllen = sizeof(cb.b);
	n = recvmsg(c->fd, &m, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return n;
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		size_t k, nf;

		if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
			continue;
		nf = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < nf; k++) {
			int fd, slot;

			memcpy(&fd, CMSG_DATA(h) + k * sizeof(int), sizeof(int));
			for (slot = 0; slot < VOSD_LAUNCH_FDS && c->launch_fds[slot] >= 0; slot++)
				;
			/* only a user's launch takes fds; and only the first three */
			if (c->user && slot < VOSD_LAUNCH_FDS)
				c->launch_fds[slot] = fd;
			else
				close(fd);
		}
	}
	return n;
}

static void conn_read(struct vosd *d, int i)
{
	struct conn *c = d->conns[i];
	char *nl;
	ssize_t n;

	n = recv_request(c);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(d, i);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	nl = strchr(c->buf, '\n');
	if (!nl) {
		if (c->len == sizeof(c->buf) - 1) {
			reply(c, -1, "err %s request line too long", VOSD_ERR_USAGE);
			conn_close(d, i);
		}
		return;
	}
	*nl = '\0';
	if (!handle_request(d, c))
		conn_close(d, i);
}

static void handler_done(struct vosd *d, int i)
{
	struct conn *c = d->conns[i];
	int ws = 0, r, code;

	r = vos_proc_wait(c->proc, &ws, VOS_WAIT_NOHANG);
	if (r == 1)
		return;
	code = r < 0 ? 125 : vos_wstatus_to_exit(ws);
	if (c->state == C_SCANNING && !c->timed_out) {
		if (!scan_done(d, c, code))
			conn_close(d, i);
		return;
	}
	vlog("call %s: %s exited %d", c->what, c->state == C_LAUNCHED ? "the app" : "handler",
	     code);
	if (c->timed_out)
		reply(c, -1, "err %s the handler ran longer than %d s (--handler-timeout): killed",
		      VOSD_ERR_TIMEOUT, d->handler_timeout_ms / 1000);
	else
		reply(c, -1, "exit %d", code);
	conn_close(d, i);
}

/*
 * The caller of a launch hung up (or sent more than its request): the app
 * is killed, its end then reported to nobody (handler_done). timed_out
 * stops the watch on the caller.
 */
static void launch_caller_gone(struct vosd *d, struct conn *c)
{
	vlog("call %s: the caller left: the app is killed", c->what);
	c->timed_out = true;
	vos_proc_kill(c->proc, SIGKILL);
}

/*
 * --handler-timeout: a handler (or scanner) that runs too long is killed,
 * and the caller told once it is gone (handler_done); a payload that takes
 * that long to arrive cuts the call.
 */
static void handler_timeout(struct vosd *d, struct conn *c)
{
	c->timed_out = true;
	d->failed++;
	if (c->state == C_SPOOLING) {
		vlog("call %s: cut: the payload took longer than %d s", c->what,
		     d->handler_timeout_ms / 1000);
		reply(c, -1, "err %s the payload took longer than %d s: the call is cut",
		      VOSD_ERR_TIMEOUT, d->handler_timeout_ms / 1000);
		return;
	}
	vlog("call %s: the %s ran longer than %d s: killed", c->what,
	     c->state == C_SCANNING ? "scanner" : "handler", d->handler_timeout_ms / 1000);
	vos_proc_kill(c->proc, SIGKILL);
}

/*
 * The pidfd of a run's client (C_DISP), which end_run() waits for; -1
 * where there is none. The pid is vos.ko's word from when it connected;
 * while its connection is not hung up, the process holding it has not
 * exited, so the pid has not been reused (a client that handed the
 * connection to a child and exited is caught by VOSD_RUN_LEFT_MS).
 */
static int client_pidfd(struct conn *c)
{
	struct pollfd p = { .fd = c->fd, .events = POLLRDHUP };
	int fd;

	if (c->peer_pid <= 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, c->peer_pid, 0);
	if (fd < 0)
		return -1;
	if (poll(&p, 1, 0) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A run's client has gone (C_DISPLEFT) or has hung up with no pidfd
 * known: its disposable ends. When the client's pidfd says it has
 * exited, its parent (a shell waiting for it) has just been woken too;
 * the init is lowered to SCHED_IDLE first, so that the teardown its
 * death starts (the namespaces, the mounts, the stub's and the
 * command's exits) neither preempts that parent nor, woken now, runs
 * before it on a busy CPU: the caller gets its prompt back first
 * (performance.md, "The end of a pooled start"). Failing to lower it
 * changes only the order. An idle task still gets its small share of a
 * busy CPU, so the teardown (and the SIGKILL of whatever the command left
 * running, which the init's death sends) is late under load, never
 * starved.
 */
static void end_run(struct vosd *d, int i)
{
	struct conn *c = d->conns[i];
	struct sched_param sp = { 0 };

	if (c->run_init > 0)
		sched_setscheduler(c->run_init, SCHED_IDLE, &sp);
	pools_unwatch(d->pools, c);
	conn_close(d, i);
}

/*
 * "run TEMPLATE DIGEST|-" from root on the host (vos-run, the fast path):
 * a pooled disposable whose stub waits (pool.c); its socket is handed
 * over with "ok NAME", and vos-run sends the command there, not through
 * vosd. The disposable is this connection's: it ends when the connection
 * closes (vos-run gone, killed included); its init's exit is told as
 * "exit N" (run_done()); "kill SIG" lines pass SIGINT, SIGTERM, SIGHUP
 * on to the init, which forwards them to the command (run_read()).
 */
static bool hand_run(struct vosd *d, struct conn *c, const char *tmpl, const char *hex)
{
	unsigned long long digest = 0;
	struct vos_proc *init = NULL;
	char why[300], *end = "";
	int ret, ctl = -1;

	errno = 0;
	if (strcmp(hex, "-"))
		digest = strtoull(hex, &end, 16);
	if (vos_name_check(tmpl) < 0 || *end || errno || (strcmp(hex, "-") && !digest)) {
		reply(c, -1, "err %s give a template name and its digest or -", VOSD_ERR_USAGE);
		return false;
	}
	ret = vosd_disposable_stub(d->pools, tmpl, digest, &c->disp, &init, &ctl, why, sizeof(why));
	if (ret < 0) {
		reply(c, -1, "err %s %s", disp_err_kind(ret), why);
		return false;
	}
	vlog("run %s of %s for the host (from the pool, fast path)", vos_subsys_name(c->disp),
	     tmpl);
	pools_watch(d->pools, init, c);
	c->state = C_DISP;
	c->run_init = vos_proc_pid(init);
	c->peer_pidfd = client_pidfd(c);
	reply(c, ctl, "ok %s", vos_subsys_name(c->disp));
	close(ctl);
	return true;
}

/* A line of a run's client: "kill SIG"; anything else, or EOF, ends it */
static bool run_read(struct vosd *d, struct conn *c)
{
	const size_t max = 64; /* "kill N" lines: no more is buffered */
	unsigned int sig;
	char *nl;
	ssize_t n;

	n = recv(c->fd, c->buf + c->len, max - 1 - c->len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		/* it has the command's status from the stub, or it was killed */
		vlog("run in %s: its caller is gone: it ends", vos_subsys_name(c->disp));
		return false;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	while ((nl = strchr(c->buf, '\n'))) {
		*nl = '\0';
		if (sscanf(c->buf, "kill %u", &sig) != 1 ||
		    (sig != SIGINT && sig != SIGTERM && sig != SIGHUP)) {
			vlog("run in %s: not a request: it ends", vos_subsys_name(c->disp));
			return false;
		}
		/* the init forwards it to the command */
		if (vos_subsys_signal(c->disp, (int)sig, VOS_SIGNAL_INIT_ONLY) < 0)
			vlog("run in %s: signal %u: %s", vos_subsys_name(c->disp), sig,
			     vos_ctx_errmsg(d->ctx));
		c->len -= (size_t)(nl + 1 - c->buf);
		memmove(c->buf, nl + 1, c->len + 1);
	}
	return c->len < max - 1;
}

/* A run's init was reaped (pools_done()): its status to the client, then the end */
static void run_done(struct vosd *d, void *watch, int ws)
{
	int i;

	for (i = 0; i < VOSD_MAX_CONNS; i++) {
		struct conn *c = d->conns[i];

		if (c != watch || (c->state != C_DISP && c->state != C_DISPLEFT))
			continue;
		vlog("run in %s: exited %d", vos_subsys_name(c->disp), vos_wstatus_to_exit(ws));
		if (c->state == C_DISP)
			reply(c, -1, "exit %d", vos_wstatus_to_exit(ws));
		conn_close(d, i);
		return;
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)], *slash;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		vlog("socket path %s is too long", path);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		/* the directory subsystems get (this socket and nothing else),
		 * and its parents: 0755, root's
		 */
		for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
				vlog("cannot make %s: %s", dir, strerror(errno));
				return -1;
			}
			*p = c;
		}
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			vlog("cannot make %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    /* anyone may connect: the kernel says who they are, the policy decides */
	    chmod(path, 0666) < 0 || listen(fd, 64) < 0) {
		vlog("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static const char usage[] =
	"Usage: vosd [--foreground] [--config-dir DIR] [--socket PATH]\n"
	"The broker of calls between virtos subsystems (see vosd(8)).\n\n"
	"  --foreground        run in the foreground (vosd always does; for scripts)\n"
	"  --stub PATH         vos-stub, as pooled disposables see it (" VOSD_STUB ")\n"
	"  --config-dir DIR    the policy directory (default " VOS_RPC_POLICY_DIR ")\n"
	"  --socket PATH       the socket (default " VOSD_SOCKET ")\n"
	"  --services-dir DIR  the services records (default " VOS_SERVICES_DIR ")\n"
	"  --ready-fd FD       write \"ready\" to FD and close it once listening\n"
	"  --ask-timeout SEC   deny a call nobody answered in SEC seconds (default 60)\n"
	"  --handler-timeout SEC  kill a handler running SEC seconds (default 600)\n"
	"  --builtin-dir DIR   where subsystems have vos-copy and vos-open (/usr/bin)\n"
	"  --subsystems-dir DIR  templates (Pool=, @dispvm:T; default " VOS_DEF_DIR ")\n"
	"  --profile-dir DIR   their profiles (default " VOS_PROFILE_DIR ")\n"
	"  --routes-dir DIR    routes of vos-open's calls (default " VOS_ROUTE_DIR ")\n"
	"  --group NAME        host users of NAME may launch apps and open (default " VOSD_GROUP
	")\n"
	"Exit status: 0 after SIGTERM/SIGINT, 1 failure to start, 2 bad usage.\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config-dir", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "stub", required_argument, NULL, 'U' },
		{ "services-dir", required_argument, NULL, 'S' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "ask-timeout", required_argument, NULL, 'a' },
		{ "handler-timeout", required_argument, NULL, 'T' },
		{ "builtin-dir", required_argument, NULL, 'B' },
		{ "subsystems-dir", required_argument, NULL, 'D' },
		{ "profile-dir", required_argument, NULL, 'P' },
		{ "routes-dir", required_argument, NULL, 'R' },
		{ "group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vosd d = { .config_dir = VOS_RPC_POLICY_DIR,
			  .sock_path = VOSD_SOCKET,
			  .defs_dir = VOS_DEF_DIR,
			  .routes_dir = VOS_ROUTE_DIR,
			  .ask_timeout_ms = VOSD_ASK_SEC * 1000,
			  .handler_timeout_ms = VOSD_RUN_SEC * 1000,
			  .builtin_dir = "/usr/bin",
			  .group = VOSD_GROUP };
	/* a launched app's connection has two: the app's pidfd and the caller */
	struct pollfd pfd[2 + 2 * VOSD_MAX_CONNS + POOLS_POLL_MAX];
	int map[2 + 2 * VOSD_MAX_CONNS];
	int npool;
	bool stop = false;
	sigset_t set;
	int c, i, ready_fd = -1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'U':
			if (optarg[0] != '/') {
				fprintf(stderr, "vosd: --stub: give an absolute path\n");
				return 2;
			}
			d.stub = optarg;
			break;
		case 'd':
			d.config_dir = optarg;
			break;
		case 's':
			d.sock_path = optarg;
			break;
		case 'S':
			d.services_dir = optarg;
			break;
		case 'D':
			d.defs_dir = optarg;
			break;
		case 'P':
			d.profile_dir = optarg;
			break;
		case 'R':
			d.routes_dir = optarg;
			break;
		case 'a': {
			char *end;
			long sec = strtol(optarg, &end, 10);

			if (*end || sec < 1 || sec > 3600) {
				fprintf(stderr, "vosd: --ask-timeout: give seconds, 1 to 3600\n");
				return 2;
			}
			d.ask_timeout_ms = (int)sec * 1000;
			break;
		}
		case 'B':
			if (optarg[0] != '/' || strlen(optarg) > 200 || strchr(optarg, ' ')) {
				fprintf(stderr, "vosd: --builtin-dir: an absolute directory, no "
						"spaces\n");
				return 2;
			}
			d.builtin_dir = optarg;
			break;
		case 'T': {
			char *end;
			long sec = strtol(optarg, &end, 10);

			if (*end || sec < 1 || sec > 86400) {
				fprintf(stderr,
					"vosd: --handler-timeout: give seconds, 1 to 86400\n");
				return 2;
			}
			d.handler_timeout_ms = (int)sec * 1000;
			break;
		}
		case 'r':
			ready_fd = atoi(optarg);
			if (ready_fd < 3) {
				fprintf(stderr,
					"vosd: --ready-fd: give an fd number of 3 or more\n");
				return 2;
			}
			break;
		case 'g':
			if (!optarg[0] || strlen(optarg) > 32) {
				fprintf(stderr, "vosd: --group: give a group name\n");
				return 2;
			}
			d.group = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vosd: unexpected argument '%s': see vosd --help\n", argv[optind]);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "vosd: must run as root: it asks vos.ko who calls (CAP_SYS_ADMIN) "
				"and starts handlers inside subsystems\n");
		return 1;
	}
	if (vos_ctx_new(&d.ctx) < 0)
		return 1;
	/* no caller goes anywhere before the module answers */
	if (vos_ctx_connect(d.ctx) < 0 || vos_ctx_check_extension(d.ctx, VOS_CAP_PEER) <= 0) {
		fprintf(stderr, "vosd: vos.ko with VOS_CAP_PEER is not loaded: %s\n",
			vos_ctx_errmsg(d.ctx));
		return 1;
	}
	/* streams minted and audited by vos.ko, or socket pairs from an older one */
	d.channels = vos_ctx_check_extension(d.ctx, VOS_CAP_CHANNEL) > 0;
	load_policy(&d);
	load_routes(&d);
	if (pools_new(d.ctx, d.defs_dir, d.profile_dir, &d.pools) < 0)
		return 1;
	pools_set_stub(d.pools, d.stub ? d.stub : VOSD_STUB);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	d.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	d.lfd = listen_on(d.sock_path);
	if (d.sfd < 0 || d.lfd < 0)
		return 1;
	{
		struct stat st;

		if (stat(d.sock_path, &st) == 0) {
			d.sock_ino = st.st_ino;
			d.sock_dev = st.st_dev;
		}
	}
	vlog("listening on %s", d.sock_path);
	if (ready_fd >= 0) {
		/* tests wait for this line instead of polling for the socket */
		if (write(ready_fd, "ready\n", 6) != 6)
			vlog("--ready-fd %d: %s", ready_fd, strerror(errno));
		close(ready_fd);
	}

	while (!stop) {
		double t = now_ms();
		int n = 0, timeout = -1;

		pfd[n] = (struct pollfd){ .fd = d.sfd, .events = POLLIN };
		map[n++] = -1;
		pfd[n] = (struct pollfd){ .fd = d.lfd, .events = POLLIN };
		map[n++] = -1;
		for (i = 0; i < VOSD_MAX_CONNS; i++) {
			struct conn *k = d.conns[i];

			if (!k)
				continue;
			if (k->state == C_LAUNCHED) {
				/* no deadline: it ends, or its caller goes and it is killed */
				pfd[n] = (struct pollfd){ .fd = vos_proc_pidfd(k->proc),
							  .events = POLLIN };
				map[n++] = i;
				if (k->timed_out)
					continue;
				pfd[n] = (struct pollfd){ .fd = k->fd, .events = POLLIN };
				map[n++] = i;
				continue;
			}
			if (k->state == C_RUNNING || k->state == C_SCANNING ||
			    k->state == C_SPOOLING) {
				/* a handler, a scanner or a payload: --handler-timeout */
				int left = k->timed_out ? -1 : (int)(k->deadline_ms - t);
				int fd = k->state == C_SPOOLING ? spool_fd(k->spool)
								: vos_proc_pidfd(k->proc);

				pfd[n] = (struct pollfd){ .fd = fd, .events = POLLIN };
				if (left < 0 && !k->timed_out)
					left = 0;
				if (left >= 0 && (timeout < 0 || left < timeout))
					timeout = left;
			} else if (k->state == C_LISTWAIT || k->state == C_DISP) {
				/* only its hang-up matters */
				pfd[n] = (struct pollfd){ .fd = k->fd, .events = POLLIN };
			} else {
				int left = (int)(k->deadline_ms - t);

				/*
				 * reading and asking have a deadline; a run whose
				 * client hung up waits for the client's exit, or
				 * VOSD_RUN_LEFT_MS
				 */
				pfd[n] = (struct pollfd){ .fd = k->state == C_DISPLEFT
									? k->peer_pidfd
									: k->fd,
							  .events = POLLIN };
				if (left < 0)
					left = 0;
				if (timeout < 0 || left < timeout)
					timeout = left;
			}
			map[n++] = i;
		}
		npool = pools_pollfds(d.pools, pfd + n, POOLS_POLL_MAX, &timeout);
		if (poll(pfd, (nfds_t)(n + npool), timeout) < 0 && errno != EINTR)
			break;
		pools_events(d.pools, pfd + n, npool);
		{
			void *w;
			int ws;

			while (pools_done(d.pools, &w, &ws))
				run_done(&d, w, ws);
		}
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			while (read(d.sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					vlog("SIGHUP: reloading the policy, the routes and the templates");
					reload(&d);
				} else {
					stop = true;
				}
			}
		}
		if (pfd[1].revents)
			new_conn(&d);
		t = now_ms();
		for (i = 2; i < n; i++) {
			struct conn *k = d.conns[map[i]];

			if (!k)
				continue;
			if (k->state == C_LAUNCHED) {
				if (pfd[i].revents && pfd[i].fd == k->fd)
					launch_caller_gone(&d, k);
				else if (pfd[i].revents)
					handler_done(&d, map[i]);
			} else if (k->state == C_RUNNING || k->state == C_SCANNING) {
				if (pfd[i].revents)
					handler_done(&d, map[i]);
				else if (!k->timed_out && t >= k->deadline_ms)
					handler_timeout(&d, k);
			} else if (k->state == C_SPOOLING) {
				if (pfd[i].revents) {
					if (!spool_event(&d, k))
						conn_close(&d, map[i]);
				} else if (t >= k->deadline_ms) {
					/* no handler yet: the call ends here */
					handler_timeout(&d, k);
					conn_close(&d, map[i]);
				}
			} else if (k->state == C_DISP) {
				/*
				 * the run's init is the pools' to reap; nobody to tell
				 * now. A client hanging up is most often one exiting:
				 * its end waits for that (end_run())
				 */
				if (pfd[i].revents && !run_read(&d, k)) {
					if (k->peer_pidfd < 0) {
						end_run(&d, map[i]);
						continue;
					}
					k->state = C_DISPLEFT;
					k->deadline_ms = t + VOSD_RUN_LEFT_MS;
				}
			} else if (k->state == C_DISPLEFT) {
				if (pfd[i].revents || t >= k->deadline_ms)
					end_run(&d, map[i]);
			} else if (k->state == C_READING && pfd[i].revents) {
				conn_read(&d, map[i]);
			} else if (pfd[i].revents) {
				/* asking or waiting: anything from the peer ends it */
				if (k->state == C_ASKING)
					vlog("call %s: ask #%u: the caller left", k->what,
					     k->ask_id);
				conn_close(&d, map[i]);
			} else if (k->state == C_ASKING && t >= k->deadline_ms) {
				char why[80];

				snprintf(why, sizeof(why), "no answer to ask #%u within %d s",
					 k->ask_id, d.ask_timeout_ms / 1000);
				deny_call(&d, k, why);
				conn_close(&d, map[i]);
			} else if (k->state == C_READING && t >= k->deadline_ms) {
				/* a caller that connects and says nothing holds no slot */
				reply(k, -1, "err %s no request within %d ms", VOSD_ERR_USAGE,
				      VOSD_REQUEST_MS);
				conn_close(&d, map[i]);
			}
		}
		/* in the background of the requests: one new pool member a turn */
		pools_refill(d.pools);
	}
	vlog("stopping: %llu calls, %llu allowed, %llu denied, %llu failed, %llu refused", d.calls,
	     d.allowed, d.denied, d.failed, d.refused);
	/* only our own socket: a vosd started since may have bound a new one */
	{
		struct stat st;

		if (stat(d.sock_path, &st) == 0 && st.st_ino == d.sock_ino &&
		    st.st_dev == d.sock_dev)
			unlink(d.sock_path);
	}
	for (i = 0; i < VOSD_MAX_CONNS; i++)
		conn_close(&d, i);
	pools_free(d.pools);
	vos_rpc_policy_free(d.policy);
	vos_routes_free(d.routes);
	vos_ctx_free(d.ctx);
	return 0;
}
