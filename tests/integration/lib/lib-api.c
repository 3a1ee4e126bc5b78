// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib-api - libvirtos against vos.ko: create, spawn (attach), info, list,
 * get, stats, open, signal, end, events, persistent subsystems and exec
 * into them, ephemeral subsystems ending with their handle. Needs the
 * module (/dev/vos): run as root in a guest (tests/vm/vm-run).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <virtos.h>

#include "libtest.h"

static char self_exe[4096];
static char build_dir[4096]; /* bound read-only into every subsystem */

static int probe(int argc, char **argv)
{
	char comm[64] = "";
	struct utsname u;
	int fd;

	if (!strcmp(argv[2], "sleep")) {
		pause();
		return 3;
	}
	if (!strcmp(argv[2], "ttyexec")) {
		const char *t = ttyname(0);

		if (!isatty(0) || !isatty(1) || !t || strncmp(t, "/dev/pts/", 9) ||
		    tcgetpgrp(0) != getpgrp() || getsid(0) != getpid())
			return 12;
		return 0;
	}
	if (!strcmp(argv[2], "exec") && argc >= 4) {
		fd = open("/proc/1/comm", O_RDONLY);
		if (fd < 0 || read(fd, comm, sizeof(comm) - 1) <= 0)
			return 10;
		close(fd);
		uname(&u);
		if (strcmp(comm, "vos-init\n") || getppid() != 0 || strcmp(u.nodename, argv[3]))
			return 11;
		return 0;
	}
	return 2;
}

extern char **environ;

/* VmSize of this process in kB, and the number of its mappings */
static long vm_size(long *maps)
{
	char line[256];
	long kb = -1;
	FILE *f;

	*maps = 0;
	f = fopen("/proc/self/maps", "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (strchr(line, '\n'))
				(*maps)++;
		fclose(f);
	}
	f = fopen("/proc/self/status", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSize: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static bool same_mask(const sigset_t *a, const sigset_t *b)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return false;
	return true;
}

/*
 * Starts from the view template (the default view, no binds) run the init
 * and the app in the caller's memory until their execs (spawn.c, "The
 * init's clone"): afterwards the caller's environ, signal mask, dumpable
 * flag (cleared by the first start, by the caller's effective-uid switch
 * around its clone) and mappings are as they were, after good starts and a failed one.
 * Runs with SIGUSR1 blocked in the caller, and the app's environment given.
 */
static void template_starts(struct vos_ctx *ctx)
{
	char *prog[] = {
		"sh", "-c",
		"test \"$X\" = 1 && test \"$PATH\" = /nonexistent:/usr/bin:/bin || exit 9; exit 7",
		NULL
	};
	char *bad[] = { "no-such-command-here", NULL };
	char *env[] = { "PATH=/nonexistent:/usr/bin:/bin", "X=1", NULL };
	char **env_before = environ;
	const char *path_before = getenv("PATH");
	struct vos_config *cfg = NULL;
	struct vos_subsys *s;
	struct vos_proc *p;
	sigset_t usr1, orig, before, after;
	long maps_before, maps_after, kb_before = -1, kb_after = -1;
	int dump_before = -1, good = 0, ws = -1, r, j;
	char name[64];
	bool same;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &orig);
	sigprocmask(SIG_BLOCK, NULL, &before);
	vos_config_new(ctx, &cfg);
	vos_config_set_tty(cfg, VOS_TTY_NONE);
	vos_config_set_stdio(cfg, -1, 2, 2);
	/* the first start makes the template and whatever the library keeps */
	for (j = 0; j < 5; j++) {
		if (j == 1) {
			kb_before = vm_size(&maps_before);
			dump_before = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
		}
		snprintf(name, sizeof(name), "lt-%d-%d", (int)getpid(), j);
		vos_config_set_name(cfg, name);
		s = NULL;
		p = NULL;
		r = vos_subsys_create(ctx, cfg, &s);
		if (r == 0)
			r = vos_subsys_spawn(s, cfg, prog, env, &p);
		if (r == 0)
			r = vos_proc_wait(p, &ws, 0);
		if (r == 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 7)
			good++;
		else
			tap_diag("template start %d: %d, status 0x%x: %s", j, r, ws,
				 r ? vos_ctx_errmsg(ctx) : "");
		vos_proc_free(p);
		vos_subsys_free(s);
	}
	kb_after = vm_size(&maps_after);
	sigprocmask(SIG_BLOCK, NULL, &after);
	same = environ == env_before && getenv("PATH") == path_before &&
	       same_mask(&before, &after) && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == dump_before &&
	       maps_after == maps_before && kb_before > 0 && kb_after - kb_before < 512;
	tap_ok(good == 5 && same,
	       "5 starts from the template with the app's environment: status 7 each (%d), and the caller's environ, mask, dumpable flag (%d) and mappings (%ld -> %ld, %ld -> %ld kB) as they were",
	       good, dump_before, maps_before, maps_after, kb_before, kb_after);

	snprintf(name, sizeof(name), "lt-%d-bad", (int)getpid());
	vos_config_set_name(cfg, name);
	s = NULL;
	p = NULL;
	r = vos_subsys_create(ctx, cfg, &s);
	if (r == 0)
		r = vos_subsys_spawn(s, cfg, bad, env, &p);
	vos_proc_free(p);
	vos_subsys_free(s);
	kb_after = vm_size(&maps_after);
	sigprocmask(SIG_BLOCK, NULL, &after);
	same = environ == env_before && same_mask(&before, &after) &&
	       prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == dump_before && maps_after == maps_before &&
	       kb_after - kb_before < 512;
	tap_ok(r == -ENOENT && vos_ctx_errclass(ctx) == VOS_ERR_NOCMD && same,
	       "a start from the template whose command is missing fails as not found (%d), and leaves the caller as it was (%ld mappings, %ld kB)",
	       r, maps_after, kb_after);
	vos_config_free(cfg);
	sigprocmask(SIG_SETMASK, &orig, NULL);
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static ino_t ino_of(const char *ns, int pid)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

int main(int argc, char **argv)
{
	char *sleeper[] = { self_exe, "--probe", "sleep", NULL };
	struct vos_ctx *ctx;
	struct vos_config *cfg, *pcfg;
	struct vos_subsys *s = NULL, *s2 = NULL, *ps = NULL;
	struct vos_proc *p = NULL, *p2 = NULL, *ip = NULL;
	struct vos_monitor *mon = NULL;
	struct vos_info info, got, *list = NULL;
	struct vos_stats st;
	struct vos_event ev;
	char name[64], pname[64], ename[64];
	size_t n = 0, i;
	bool ok, found;
	int r, ws = -1, seen = 0, sig;
	uint64_t last_seq = 0;
	ssize_t len;

	if (argc >= 3 && !strcmp(argv[1], "--probe"))
		return probe(argc, argv);
	len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (len <= 0)
		return 1;
	self_exe[len] = '\0';
	tap_build_dir(self_exe, build_dir, sizeof(build_dir));
	snprintf(name, sizeof(name), "la-%d", (int)getpid());
	snprintf(pname, sizeof(pname), "lp-%d", (int)getpid());
	snprintf(ename, sizeof(ename), "le-%d", (int)getpid());

	tap_plan(21);
	vos_ctx_new(&ctx);
	vos_config_new(ctx, &cfg);
	/* the default root shows only the host's system directories */
	vos_config_add_bind(cfg, build_dir, NULL, VOS_BIND_RO);
	vos_config_set_name(cfg, name);
	vos_config_set_tty(cfg, VOS_TTY_NONE);
	vos_config_set_stdio(cfg, -1, 2, 2);

	r = vos_ctx_api_version(ctx);
	tap_ok(r == VOS_API_VERSION && vos_ctx_check_extension(ctx, VOS_CAP_CREATE) > 0 &&
		       vos_ctx_check_extension(ctx, VOS_CAP_EVENTS) > 0,
	       "API version %d, VOS_CAP_CREATE and VOS_CAP_EVENTS", r);
	if (r < 0) {
		tap_diag("%s", vos_ctx_errmsg(ctx));
		printf("Bail out! no module\n");
		return 1;
	}
	r = vos_monitor_new(ctx, &mon);
	if (r < 0)
		tap_diag("monitor: %s", vos_ctx_errmsg(ctx));

	r = vos_subsys_create(ctx, cfg, &s);
	if (r == 0)
		r = vos_subsys_spawn(s, cfg, sleeper, NULL, &p);
	tap_ok(r == 0, "create + spawn (attach) '%s'", name);
	if (r < 0) {
		tap_diag("%s", vos_ctx_errmsg(ctx));
		printf("Bail out! cannot spawn\n");
		return 1;
	}

	r = vos_subsys_info(s, &info);
	ok = r == 0 && info.state == VOS_STATE_RUNNING && info.init_pid == vos_proc_pid(p) &&
	     info.pidns_inum == ino_of("pid", info.init_pid) &&
	     info.netns_inum == ino_of("net", info.init_pid) &&
	     info.netns_inum != ino_of("net", getpid()) && info.cgroup_id != 0 &&
	     info.tasks_now >= 2 && info.net_policy == VOS_NET_ISOLATED && !strcmp(info.name, name);
	tap_ok(ok, "info: running, init pid, pid/net ns inodes, cgroup id, tasks (%llu)",
	       (unsigned long long)info.tasks_now);

	r = vos_subsys_list(ctx, &list, &n);
	found = false;
	for (i = 0; r == 0 && i < n; i++)
		if (list[i].id == info.id && !strcmp(list[i].name, name) &&
		    list[i].init_pid == info.init_pid)
			found = true;
	vos_info_list_free(list);
	tap_ok(found, "netlink dump lists it (%zu subsystems)", n);

	r = vos_subsys_get(ctx, name, &got);
	tap_ok(r == 0 && got.id == info.id && got.state == VOS_STATE_RUNNING,
	       "netlink get by name");
	r = vos_subsys_get(ctx, "no-such-subsys", &got);
	tap_ok(r == -ENOENT && vos_ctx_errclass(ctx) == VOS_ERR_NAME,
	       "get of an unknown name: -ENOENT, class NAME (%s)", vos_ctx_errmsg(ctx));

	r = vos_ctx_stats(ctx, &st);
	tap_ok(r == 0 && st.subsys_now >= 1 && st.subsys_ever >= 1 && st.event_seq >= 2,
	       "stats: %llu now, %llu ever, seq %llu", (unsigned long long)st.subsys_now,
	       (unsigned long long)st.subsys_ever, (unsigned long long)st.event_seq);

	r = vos_subsys_create(ctx, cfg, &s2);
	tap_ok(r == -EEXIST && vos_ctx_errclass(ctx) == VOS_ERR_NAME,
	       "a taken name: -EEXIST, class NAME");
	r = vos_subsys_open(ctx, name, &s2);
	tap_ok(r == 0 && vos_subsys_id(s2) == info.id &&
		       vos_subsys_spawn(s2, cfg, sleeper, NULL, &p2) == -EBUSY,
	       "open by name gives the same subsystem; a second init is refused");
	vos_subsys_free(s2);

	/* SIGTERM to init only: the mini init forwards it to the app */
	r = vos_subsys_signal(s, SIGTERM, VOS_SIGNAL_INIT_ONLY);
	ok = r == 1 && vos_proc_wait(p, &ws, 0) == 0 && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM;
	tap_ok(ok, "signal init: app killed by SIGTERM (status 0x%x)", ws);
	r = vos_subsys_info(s, &info);
	tap_ok(r == 0 && info.state == VOS_STATE_STOPPED && WIFEXITED(info.exit_status) &&
		       WEXITSTATUS(info.exit_status) == 143,
	       "stopped; init's exit status 143 recorded");
	vos_proc_free(p);
	vos_subsys_free(s);

	/* events of that subsystem, in order, none lost */
	while (mon && vos_monitor_read(mon, &ev, 500) == 1) {
		if (strcmp(ev.subsys_name, name))
			continue;
		if (ev.lost)
			tap_diag("lost %llu events", (unsigned long long)ev.lost);
		if (last_seq && ev.seq <= last_seq)
			seen |= 1 << 10;
		last_seq = ev.seq;
		if (ev.type == VOS_EVENT_CREATED && !seen)
			seen |= 1;
		else if (ev.type == VOS_EVENT_ATTACHED && (seen & 1))
			seen |= 2;
		else if (ev.type == VOS_EVENT_STOPPED && (seen & 2))
			seen |= 4;
	}
	tap_ok((seen & 7) == 7 && !(seen & (1 << 10)),
	       "events: created, attached, stopped in sequence order");

	/* persistent: idle init, handle closed, reopened, exec into it */
	vos_config_new(ctx, &pcfg);
	vos_config_add_bind(pcfg, build_dir, NULL, VOS_BIND_RO);
	vos_config_set_name(pcfg, pname);
	vos_config_set_persistent(pcfg, true);
	vos_config_set_hostname(pcfg, "persist-box");
	vos_config_set_tty(pcfg, VOS_TTY_NONE);
	r = vos_subsys_create(ctx, pcfg, &ps);
	if (r == 0)
		r = vos_subsys_spawn(ps, pcfg, NULL, NULL, &ip);
	if (r < 0)
		tap_diag("%s", vos_ctx_errmsg(ctx));
	vos_proc_free(ip);
	vos_subsys_free(ps);
	ps = NULL;
	r = r ? r : vos_subsys_get(ctx, pname, &got);
	tap_ok(r == 0 && got.state == VOS_STATE_RUNNING && (got.flags & VOS_SUBSYS_PERSISTENT),
	       "persistent subsystem keeps running without a handle");
	{
		char *ex[] = { self_exe, "--probe", "exec", "persist-box", NULL };

		r = vos_subsys_open(ctx, pname, &ps);
		if (r == 0)
			r = vos_subsys_exec(ps, NULL, ex, NULL, &p);
		if (r == 0)
			r = vos_proc_wait(p, &ws, 0);
		if (r < 0)
			tap_diag("exec: %s", vos_ctx_errmsg(ctx));
		tap_ok(r == 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
		       "exec into it: sees its init, hostname, restrictions (status 0x%x)", ws);
		vos_proc_free(p);
		p = NULL;
	}
	{
		char *tx[] = { self_exe, "--probe", "ttyexec", NULL };
		struct vos_config *tcfg;
		int in_p[2], null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		ws = -1;
		r = pipe2(in_p, O_CLOEXEC) < 0 || null < 0 ? -errno : 0;
		if (r == 0)
			r = vos_config_new(ctx, &tcfg);
		if (r == 0) {
			vos_config_set_tty(tcfg, VOS_TTY_PTY);
			vos_config_set_stdio(tcfg, in_p[0], null, null);
			close(in_p[1]);
			r = ps ? vos_subsys_exec(ps, tcfg, tx, NULL, &p) : -1;
			if (r == 0)
				r = vos_proc_wait(p, &ws, 0);
			if (r < 0)
				tap_diag("exec with a pty: %s", vos_ctx_errmsg(ctx));
			vos_proc_free(p);
			p = NULL;
			vos_config_free(tcfg);
			close(in_p[0]);
		}
		if (null >= 0)
			close(null);
		tap_ok(r == 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
		       "exec with a pty: its own terminal from the subsystem's devpts, in the foreground (status 0x%x)",
		       ws);
	}
	r = ps ? vos_subsys_end(ps) : -1;
	vos_subsys_free(ps);
	for (i = 0; r == 0 && i < 200; i++) {
		if (vos_subsys_get(ctx, pname, &got) == -ENOENT)
			break;
		msleep(100);
	}
	tap_ok(r == 0 && i < 200, "end: the persistent subsystem is destroyed");

	/* ephemeral: closing the last fd ends it and kills its tasks */
	vos_config_set_name(cfg, ename);
	r = vos_subsys_create(ctx, cfg, &s);
	if (r == 0)
		r = vos_subsys_spawn(s, cfg, sleeper, NULL, &p);
	if (r == 0) {
		vos_subsys_free(s);
		r = vos_proc_wait(p, &ws, 0);
	}
	sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
	tap_ok(r == 0 && sig == SIGKILL,
	       "ephemeral: closing its handle kills its tasks (signal %d)", sig);
	for (i = 0; i < 200; i++) {
		if (vos_subsys_get(ctx, ename, &got) == -ENOENT)
			break;
		msleep(100);
	}
	tap_ok(i < 200, "ephemeral: destroyed after its handle is closed");
	vos_proc_free(p);

	/* lost events: a listener with a tiny socket buffer that reads only
	 * after a burst must be told it lost some (sequence gap or overrun)
	 */
	{
		char *burst[] = {
			"/bin/sh", "-c",
			"for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do /bin/true; done", NULL
		};
		struct vos_monitor *small = NULL;
		int rcv = 1, reads = 0;
		uint64_t lost = 0;
		bool overrun = false;

		snprintf(ename, sizeof(ename), "lb-%d", (int)getpid());
		vos_config_set_name(cfg, ename);
		r = vos_monitor_new(ctx, &small);
		if (r == 0 &&
		    setsockopt(vos_monitor_fd(small), SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)) < 0)
			r = -errno;
		s = NULL;
		if (r == 0)
			r = vos_subsys_create(ctx, cfg, &s);
		if (r == 0)
			r = vos_subsys_spawn(s, cfg, burst, NULL, &p);
		if (r == 0)
			r = vos_proc_wait(p, &ws, 0);
		if (r < 0)
			tap_diag("burst: %s", vos_ctx_errmsg(ctx));
		vos_proc_free(p);
		p = NULL;
		vos_subsys_free(s);
		while (r == 0 && vos_monitor_read(small, &ev, 300) == 1) {
			reads++;
			lost += ev.lost;
			if (ev.flags & VOS_EVENT_F_OVERRUN)
				overrun = true;
		}
		tap_ok(r == 0 && reads > 0 && (lost > 0 || overrun),
		       "a slow listener is told it lost events (%d read, %llu lost by sequence gap%s)",
		       reads, (unsigned long long)lost, overrun ? ", overrun flagged" : "");
		vos_monitor_free(small);
	}

	template_starts(ctx);

	vos_monitor_free(mon);
	vos_config_free(pcfg);
	vos_config_free(cfg);
	vos_ctx_free(ctx);
	return tap_failed ? 1 : 0;
}
