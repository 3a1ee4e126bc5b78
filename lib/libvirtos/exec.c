// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * exec.c - run a command in a running subsystem (vos_subsys_exec). The
 * caller holds the init (pidfd), opens its namespaces and cgroup and reads
 * back what the app must share with it: its ids inside and its Landlock
 * rules. A helper joins the PID namespace and forks the app as the caller's
 * child (CLONE_PARENT); the app joins the rest, then takes the same steps
 * as a spawned app (inside.c).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch.h"

/* The namespaces to join, in the order of enum vos_ns (launch.h) */
static const struct {
	const char *name;
	int type;
} ns_join[NS_COUNT] = {
	[NS_USER] = { "user", CLONE_NEWUSER },	     [NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NS_UTS] = { "uts", CLONE_NEWUTS },	     [NS_NET] = { "net", CLONE_NEWNET },
	[NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP }, [NS_PID] = { "pid", CLONE_NEWPID },
	[NS_MNT] = { "mnt", CLONE_NEWNS },
};

/* The app side of exec: already in the PID namespace (child of a helper
 * that joined it); join the rest, then the same restrictions as at spawn.
 */
static void __attribute__((noreturn)) exec_app(struct vos_ctx *ctx, struct vos_launch *a)
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
		vos_child_fail(ctx, a->err_wr, 125);
	}
	if (a->cgroup_fd >= 0) {
		int fd = openat(a->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);

		/* "0": the writer itself (our pid is already the inside one) */
		if (fd < 0 || write(fd, "0", 1) < 0) {
			vos_err_cgroup(ctx, -errno, "exec: join the subsystem's cgroup:");
			vos_child_fail(ctx, a->err_wr, 125);
		}
		close(fd);
	}
	for (i = 0; i < NS_COUNT; i++) {
		if (i == NS_PID) /* joined by our parent */
			continue;
		if (a->ns_fd[i] >= 0 && setns(a->ns_fd[i], ns_join[i].type) < 0) {
			vos_err(ctx, -errno, "exec: join %s namespace:", ns_join[i].name);
			vos_child_fail(ctx, a->err_wr, 125);
		}
	}
	if (vos_inside_stdio(ctx, a) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	vos_close_fds(keep, 2);
	if (chdir(a->cwd[0] ? a->cwd : "/") < 0) {
		vos_err(ctx, -errno, "exec: cwd %s:", a->cwd);
		vos_child_fail(ctx, a->err_wr, 125);
	}
	if (a->pty_sock >= 0 && vos_pty_inside(ctx, a) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	if (vos_restrict_self(ctx, a) < 0)
		vos_child_fail(ctx, a->err_wr, 125);
	a->status_wr = -1;
	vos_app_exec(ctx, a);
}

/*
 * The ids @pid has inside its user namespace: its real uid/gid as this
 * process sees them (/proc/PID/status), mapped back through the first
 * extent of its uid_map/gid_map ("INSIDE OUTSIDE COUNT"), which is the one
 * extent libvirtos writes.
 */
/* The value of field @key ("Uid:") of /proc/@pid/status, into @val. */
static int status_field(pid_t pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	int r = -EPROTO;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			snprintf(val, len, "%s", line + strlen(key));
			r = 0;
			break;
		}
	fclose(f);
	return r;
}

static int read_id(pid_t pid, const char *map, const char *key, unsigned int *inside,
		   unsigned int *first, unsigned int *extent)
{
	unsigned int in, out, count, host;
	char path[64], val[64];
	FILE *f;
	int n;

	n = status_field(pid, key, val, sizeof(val));
	if (n < 0)
		return n;
	if (sscanf(val, "%u", &host) != 1)
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
	*first = in;
	*extent = count;
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
	char path[64], mnt[4096], opts[1024], *buf, *w;
	_cleanup_free_ char *line = NULL;
	_cleanup_fclose_ FILE *f = NULL;
	struct stat ours, theirs;
	size_t size = 0, cap = 0;
	ssize_t n;

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
	if (!buf)
		return vos_err(ctx, -ENOMEM, "landlock:");
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
			return vos_err(ctx, -E2BIG,
				       "landlock: more writable mounts than a config holds");
		}
		w += strlen(w) + 1;
	}
	return 0;
}

/*
 * The helper joins the PID namespace (only its children enter it) and
 * forks the app as a child of ours (CLONE_PARENT), so we wait for it
 * directly. *@app: its pid, or -1 if the helper did not get that far.
 */
static int fork_app(struct vos_ctx *ctx, struct vos_launch *a, int (*err_p)[2], pid_t *app)
{
	_cleanup_close_pair_ int pid_p[2] = { -1, -1 };
	pid_t helper;
	int st;

	if (pipe2(pid_p, O_CLOEXEC) < 0)
		return vos_err(ctx, -errno, "pipe:");
	helper = fork();
	if (helper < 0)
		return vos_err(ctx, -errno, "fork:");
	if (helper == 0) {
		pid_t c;

		close((*err_p)[0]);
		close(pid_p[0]);
		if (setns(a->ns_fd[NS_PID], CLONE_NEWPID) < 0) {
			vos_err(ctx, -errno, "exec: join pid namespace:");
			vos_child_fail(ctx, a->err_wr, 125);
		}
		c = (pid_t)syscall(SYS_clone, CLONE_PARENT, 0, 0, 0, 0);
		if (c < 0) {
			vos_err(ctx, -errno, "exec: fork into the subsystem:");
			vos_child_fail(ctx, a->err_wr, 125);
		}
		if (c == 0) {
			close(pid_p[1]);
			exec_app(ctx, a);
		}
		if (write(pid_p[1], &c, sizeof(c)) != sizeof(c))
			_exit(125);
		_exit(0);
	}
	vos_closep(&(*err_p)[1]);
	vos_closep(&pid_p[1]);
	vos_closep(&a->pty_sock);
	while (waitpid(helper, &st, 0) < 0 && errno == EINTR)
		;
	if (read(pid_p[0], app, sizeof(*app)) != sizeof(*app))
		*app = -1;
	return 0;
}

/* The bounding set of @pid (its CapBnd): the capabilities it was left. */
static int read_capbnd(pid_t pid, uint64_t *bnd)
{
	char val[64];
	int r = status_field(pid, "CapBnd:", val, sizeof(val));

	if (r < 0)
		return r;
	return sscanf(val, "%" SCNx64, bnd) == 1 ? 0 : -EPROTO;
}

/*
 * @init_caps: the command gets the init's capabilities (the subsystem's
 * --cap-add); else the caller's config's, as far as the init has them.
 */
static int exec_in(struct vos_ctx *ctx, struct vos_subsys *s, struct vos_launch *a, bool init_caps,
		   struct vos_proc **procp)
{
	const struct vos_config *cfg = a->cfg;
	_cleanup_close_pair_ int err_p[2] = { -1, -1 };
	_cleanup_close_ int initfd = -1;
	_cleanup_close_ int master = -1;
	_cleanup_close_ int psock = -1;
	_cleanup_close_ int pidfd = -1;
	_cleanup_free_ char *llbuf = NULL;
	unsigned int in_uid, in_gid, uid_first, uid_count, gid_first, gid_count;
	struct vos_info info;
	struct vos_config ll;
	uint64_t bnd = 0;
	char cgpath[8192];
	int r, i, st;
	pid_t app;

	r = vos_subsys_info(s, &info);
	if (r < 0)
		return r;
	if (info.state != VOS_STATE_RUNNING || info.init_pid <= 0)
		return vos_err_class(ctx, -ESRCH, VOS_ERR_NAME,
				     "subsystem '%s' is %s: nothing to exec into", s->name,
				     vos_state_name(info.state));
	/* hold init while we look at it: its pid cannot be reused under us */
	initfd = (int)syscall(SYS_pidfd_open, info.init_pid, 0);
	if (initfd < 0)
		return vos_err(ctx, -errno, "subsystem '%s': init pid %d:", s->name, info.init_pid);
	for (i = 0; i < NS_COUNT; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", info.init_pid, ns_join[i].name);
		a->ns_fd[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (a->ns_fd[i] < 0)
			return vos_err(ctx, -errno, "subsystem '%s': open %s:", s->name, path);
	}
	r = read_id(info.init_pid, "uid_map", "Uid:", &in_uid, &uid_first, &uid_count);
	if (!r)
		r = read_id(info.init_pid, "gid_map", "Gid:", &in_gid, &gid_first, &gid_count);
	if (!r)
		r = read_capbnd(info.init_pid, &bnd);
	if (r < 0)
		return vos_err(ctx, r,
			       "subsystem '%s': read its id maps and capabilities:", s->name);
	/* the same Landlock rules as the subsystem's init */
	r = exec_landlock_config(ctx, info.init_pid, a->ns_fd[NS_NET], cfg, &ll, &llbuf);
	if (r < 0)
		return r;
	a->cfg = &ll;
	/* the same capabilities as the init, never more */
	ll.caps = init_caps ? bnd : cfg->caps & bnd;
	cfg = &ll;
	/* the identity of the subsystem's app, or ids it maps chosen by the caller */
	if (cfg->ids_set) {
		if (cfg->app_uid < uid_first || cfg->app_uid - uid_first >= uid_count ||
		    cfg->app_gid < gid_first || cfg->app_gid - gid_first >= gid_count)
			return vos_err_class(
				ctx, -ERANGE, VOS_ERR_USAGE,
				"subsystem '%s' does not map uid %u or gid %u (it maps uids %u..%u and gids %u..%u)",
				s->name, (unsigned int)cfg->app_uid, (unsigned int)cfg->app_gid,
				uid_first, uid_first + uid_count - 1, gid_first,
				gid_first + gid_count - 1);
		in_uid = cfg->app_uid;
		in_gid = cfg->app_gid;
	}
	a->uid_in = in_uid;
	a->gid_in = in_gid;
	if (vos_cgroup_path(info.init_pid, cgpath, sizeof(cgpath)) == 0)
		a->cgroup_fd = open(cgpath, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	/* else, or if it cannot be opened: no cgroup v2, nothing to join */
	/* still the same init? */
	{
		struct pollfd pf = { .fd = initfd, .events = POLLIN };

		if (poll(&pf, 1, 0) != 0)
			return vos_err_class(ctx, -ESRCH, VOS_ERR_NAME,
					     "subsystem '%s': its init exited", s->name);
	}

	r = vos_seccomp_build(ctx, cfg, (cfg->caps & (1ULL << CAP_SYS_ADMIN)) && in_uid == 0,
			      &a->prog, &a->proglen);
	if (r < 0)
		return r;
	if (vos_pty_wanted(cfg, a->stdio)) {
		r = vos_pty_prepare(ctx, a, &psock);
		if (r < 0)
			return r;
	}
	if (!a->envp) {
		r = vos_env_build(ctx, cfg, psock >= 0, &a->env_built);
		if (r < 0)
			return r;
		a->envp = a->env_built;
	}
	if (pipe2(err_p, O_CLOEXEC) < 0)
		return vos_err(ctx, -errno, "pipe:");
	a->err_wr = err_p[1];
	a->status_wr = -1;

	r = fork_app(ctx, a, &err_p, &app);
	if (r < 0)
		return r;
	if (psock >= 0)
		master = vos_pty_recv_master(psock);
	if (app > 0)
		pidfd = (int)syscall(SYS_pidfd_open, app, 0);
	r = vos_launch_report(ctx, err_p[0], "exec: the helper failed");
	if (!r && (app <= 0 || pidfd < 0 || (psock >= 0 && master < 0)))
		r = vos_err(ctx, -EPROTO, "exec: the helper failed");
	if (r < 0) {
		if (app > 0) {
			kill(app, SIGKILL);
			while (waitpid(app, &st, 0) < 0 && errno == EINTR)
				;
		}
		return r;
	}
	*procp = vos_proc_new(ctx, app, pidfd, -1, master, a->stdio);
	if (!*procp) {
		kill(app, SIGKILL);
		return vos_err(ctx, -ENOMEM, "exec:");
	}
	pidfd = master = -1; /* the handle's now */
	return 0;
}

VOS_EXPORT int vos_subsys_exec(struct vos_subsys *s, const struct vos_config *cfg,
			       char *const argv[], char *const envp[], struct vos_proc **procp)
{
	_cleanup_config_free_ struct vos_config *defcfg = NULL;
	struct vos_launch a;
	struct vos_ctx *ctx;
	int r;

	if (!s || !procp)
		return -EINVAL;
	ctx = s->ctx;
	r = vos_check_argv(ctx, argv, false);
	if (r < 0)
		return r;
	if (!cfg) {
		r = vos_config_new(ctx, &defcfg);
		if (r < 0)
			return r;
		cfg = defcfg;
	}
	vos_launch_init(&a, cfg, argv, envp);
	r = exec_in(ctx, s, &a, defcfg != NULL, procp);
	vos_launch_release(&a);
	if (r < 0)
		return vos_err_prefix(ctx, r, "exec in '%s'", s->name);
	return 0;
}
