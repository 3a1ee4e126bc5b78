// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl apply, start, status and the stop of defined subsystems: the
 * subsystems of /etc/virtos/subsystems.d (issue 14) brought up in
 * dependency order, and taken down in the reverse order.
 *
 * A defined subsystem is a persistent one, created from its definition
 * (libvirtos: vos_defs_load(), vos_def_config()) with its Command= or the
 * idle init of 'vosctl create'. What vosctl started is recorded in
 * /run/virtos/subsystems/NAME ("ID DIGEST"), so status can tell whether
 * the running subsystem is the one its file describes now. A stop of a
 * defined subsystem also removes it: the definition brings it back.
 *
 * Everything is checked before anything starts: the whole set loads (or
 * its first error is the message), and a start that fails ends what this
 * command started, in reverse order.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <virtos.h>

#include "gui.h"
#include "common.h"

#define RUN_DIR_DEFAULT "/run/virtos/subsystems"
#define STOP_TIMEOUT	10

int cli_dirs_option(struct cli_err *e, struct cli_dirs *d, int c, const char *arg)
{
	if (c == OPT_PROFILE_DIR) {
		d->profile_dir = arg;
		return 0;
	}
	if (c != OPT_CONFIG_DIR)
		return 0;
	if (d->n == CLI_DIRS_MAX)
		return cli_fail(e, EXIT_USAGE, "--config-dir: more than %d: use fewer directories",
				CLI_DIRS_MAX);
	d->dirs[d->n++] = arg;
	d->dirs[d->n] = NULL;
	return 0;
}

int cli_defs_load(struct cli_err *e, struct vos_ctx *vctx, const struct cli_dirs *d,
		  struct vos_defs **setp)
{
	static const char *const none[] = { NULL };
	static const char *const def[] = { VOS_DEF_DIR, NULL };
	const char *const *dirs = d->n ? d->dirs : def;
	struct stat st;
	int ret;

	/* no /etc/virtos/subsystems.d: no definitions, not an error */
	if (!d->n && stat(VOS_DEF_DIR, &st) < 0 && errno == ENOENT)
		dirs = none;
	ret = vos_defs_load(vctx, dirs, d->profile_dir, setp);
	if (ret) {
		if (vos_ctx_errclass(vctx) == VOS_ERR_USAGE)
			return cli_fail(e, EXIT_USAGE, "%s", vos_ctx_errmsg(vctx));
		return cli_fail(e, EXIT_FAIL, "%s: check the directory and its permissions",
				vos_ctx_errmsg(vctx));
	}
	return 0;
}

/* ---- the record of what vosctl started -------------------------------------- */

static const char *run_dir(void)
{
	const char *d = getenv("VOSCTL_RUN_DIR");

	return d && d[0] == '/' ? d : RUN_DIR_DEFAULT;
}

static void record_write(const char *name, uint64_t id, uint64_t digest)
{
	char path[512], tmp[560];
	FILE *f;

	/* best effort: without it, status says "unknown" for the match */
	mkdir("/run/virtos", 0755);
	mkdir(run_dir(), 0755);
	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "%" PRIu64 " %016" PRIx64 "\n", id, digest);
	if (fclose(f) == 0)
		rename(tmp, path);
	else
		unlink(tmp);
}

static void record_drop(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	unlink(path);
}

/* 1: the running subsystem @id was started from a file whose digest is
 * @digest; 0: from another; -1: not known
 */
static int record_matches(const char *name, uint64_t id, uint64_t digest)
{
	unsigned long long rid, rdig;
	char path[512];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fscanf(f, "%llu %llx", &rid, &rdig);
	fclose(f);
	if (n != 2 || rid != id)
		return -1;
	return rdig == digest;
}

/* ---- state ------------------------------------------------------------------------ */

/* 1 if @name runs (info in @i), 0 if it exists but does not, -ENOENT, -errno */
static int state_of(struct vos_ctx *vctx, const char *name, struct vos_info *i)
{
	int ret = vos_subsys_get(vctx, name, i);

	if (ret)
		return ret;
	return i->state == VOS_STATE_RUNNING || i->state == VOS_STATE_CREATED;
}

static bool running(struct vos_ctx *vctx, const char *name)
{
	struct vos_info i;

	return state_of(vctx, name, &i) == 1;
}

/* Does @d depend on @name, directly or through others of @set? */
static bool depends_on(const struct vos_defs *set, const struct vos_def *d, const char *name,
		       int depth)
{
	const char *const *dep;

	if (depth > 64) /* the set has no cycles: cannot happen */
		return false;
	for (dep = vos_def_deps(d); *dep; dep++)
		if (!strcmp(*dep, name) ||
		    depends_on(set, vos_defs_find(set, *dep), name, depth + 1))
			return true;
	return false;
}

/* ---- start and stop of one ------------------------------------------------------ */

static int start_one(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct vos_def *d,
		     const char *cgparent, struct cli_err *e)
{
	const char *name = vos_def_name(d);
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_proc *p = NULL;
	struct vos_info i;
	int gctl = -1;
	int ret;

	/* a stopped one of the same name stays until removed: it was ours */
	ret = state_of(vctx, name, &i);
	if (ret == 0) {
		ret = life_remove(vctx, name, false, e);
		if (ret)
			return ret;
	}
	ret = vos_config_new(vctx, &cfg);
	if (ret)
		return lib_fail(e, OP_CREATE, vctx, ret, name, NULL);
	ret = vos_def_config(d, cfg);
	if (!ret)
		ret = vos_config_set_name(cfg, name);
	if (!ret)
		ret = vos_config_set_persistent(cfg, true);
	if (!ret && cgparent)
		ret = vos_config_set_cgroup_parent(cfg, cgparent);
	/* a service's stdio is not the caller's terminal */
	if (!ret)
		ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (!ret)
		ret = vos_config_set_stdio(cfg, -1, -1, -1);
	if (ret) {
		ret = lib_usage(e, vctx, ret);
		goto out;
	}
	/* Gui=yes: the proxy lives as long as the process started below */
	ret = gui_start(e, cfg, name, &gctl);
	if (ret)
		goto out;
	ret = vos_subsys_create(vctx, cfg, &s);
	if (ret) {
		ret = lib_fail(e, OP_CREATE, vctx, ret, name, NULL);
		goto out;
	}
	gui_allow(gctl, s);
	/* the rules before anything runs in it */
	ret = vos_def_set_rules(d, s);
	if (ret) {
		ret = lib_fail(e, OP_RULES, vctx, ret, name, NULL);
		vos_subsys_end(s);
		goto out;
	}
	ret = vos_subsys_spawn(s, cfg, vos_def_argv(d), NULL, &p);
	if (ret) {
		char *const *argv = vos_def_argv(d);

		ret = lib_fail(e, OP_SPAWN, vctx, ret, name, argv ? argv[0] : NULL);
		vos_subsys_end(s);
		goto out;
	}
	gui_hand_over(gctl, vos_proc_pidfd(p));
	gctl = -1;
	record_write(name, vos_subsys_id(s), vos_def_digest(d));
	fprintf(ctx->out, "%s: started\n", name);
	ret = 0;
out:
	vos_proc_free(p);
	vos_subsys_free(s);
	vos_config_free(cfg);
	gui_stop(gctl);
	return ret;
}

static int stop_one(struct cli_ctx *ctx, struct vos_ctx *vctx, const char *name, int sig,
		    uint32_t timeout, struct cli_err *e)
{
	int ret;

	ret = life_stop(vctx, name, sig, timeout, e);
	if (!ret)
		ret = life_remove(vctx, name, true, e);
	if (ret && e->code == EXIT_NAME)
		ret = 0; /* gone already */
	if (!ret) {
		memset(e, 0, sizeof(*e));
		record_drop(name);
		fprintf(ctx->out, "%s: stopped\n", name);
	}
	return ret;
}

/* Start the members of @set that @want marks, in order, unless they run;
 * on a failure end what this call started, in reverse order
 */
static int start_marked(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct vos_defs *set,
			const bool *want, const char *cgparent, struct cli_err *e)
{
	size_t n = vos_defs_count(set), i, k, nstarted = 0;
	size_t *started;
	struct cli_err e2;
	int ret = 0;

	started = calloc(n ? n : 1, sizeof(*started));
	if (!started)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	for (i = 0; i < n; i++) {
		const struct vos_def *d = vos_defs_at(set, i);

		if (!want[i] || running(vctx, vos_def_name(d)))
			continue;
		ret = start_one(ctx, vctx, d, cgparent, e);
		if (ret)
			break;
		started[nstarted++] = i;
	}
	if (ret) {
		for (k = nstarted; k-- > 0;) {
			memset(&e2, 0, sizeof(e2));
			stop_one(ctx, vctx, vos_def_name(vos_defs_at(set, started[k])), SIGTERM,
				 STOP_TIMEOUT, &e2);
		}
	}
	free(started);
	return ret;
}

/* Mark @d and everything it needs */
static void mark_with_deps(const struct vos_defs *set, const struct vos_def *d, bool *want)
{
	const char *const *dep;
	size_t i;

	for (i = 0; i < vos_defs_count(set); i++)
		if (vos_defs_at(set, i) == d)
			want[i] = true;
	for (dep = vos_def_deps(d); *dep; dep++)
		mark_with_deps(set, vos_defs_find(set, *dep), want);
}

int unit_start_deps(struct cli_ctx *ctx, struct vos_ctx *vctx, const struct vos_defs *set,
		    const struct vos_def *d, struct cli_err *e)
{
	const char *const *dep;
	bool *want;
	int ret;

	want = calloc(vos_defs_count(set) + 1, sizeof(*want));
	if (!want)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	for (dep = vos_def_deps(d); *dep; dep++)
		mark_with_deps(set, vos_defs_find(set, *dep), want);
	ret = start_marked(ctx, vctx, set, want, NULL, e);
	free(want);
	return ret;
}

#define TEMPLATE_MSG \
	"'%s' is a template (Template=yes), which never runs itself: run a disposable from it with 'vosctl run --disposable %s -- CMD'"

/* ---- the commands ------------------------------------------------------------------ */

/* --cgroup-parent DIR: a cgroup v2 directory without processes of its own
 * (the systemd unit gives its delegated cgroup); the library checks it
 * when it makes the leaves
 */
static int cgparent_option(struct cli_err *e, const char *arg, const char **out)
{
	if (arg[0] != '/')
		return cli_fail(
			e, EXIT_USAGE,
			"--cgroup-parent: '%s' is not an absolute path: give a cgroup v2 directory, e.g. /sys/fs/cgroup/virtos",
			arg);
	*out = arg;
	return 0;
}

static const struct option start_opts[] = {
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_start(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("start");
	struct vos_ctx *vctx = NULL;
	struct vos_defs *set = NULL;
	struct cli_dirs dirs = { 0 };
	const struct vos_def *d;
	const char *cgparent = NULL;
	bool *want = NULL;
	const char *name;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", start_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_CGROUP_PARENT && cgparent_option(e, optarg, &cgparent))
			return e->code;
		if (cli_dirs_option(e, &dirs, c, optarg))
			return e->code;
	}
	if (optind >= argc)
		return cli_fail(
			e, EXIT_USAGE,
			"start: missing NAME: see 'vosctl status' for the defined subsystems");
	if (argc - optind > 1)
		return cli_fail(e, EXIT_USAGE, "start: unexpected argument '%s': give one NAME",
				argv[optind + 1]);
	name = argv[optind];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	ret = cli_defs_load(e, vctx, &dirs, &set);
	if (ret)
		goto out;
	d = vos_defs_find(set, name);
	if (!d) {
		ret = cli_fail(
			e, EXIT_NAME,
			"no definition of '%s' (%s.conf): add one to %s, or use 'vosctl create %s'",
			name, name, dirs.n ? dirs.dirs[0] : VOS_DEF_DIR, name);
		goto out;
	}
	if (vos_def_flags(d) & VOS_DEF_TEMPLATE) {
		ret = cli_fail(e, EXIT_USAGE, TEMPLATE_MSG, name, name);
		goto out;
	}
	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	want = calloc(vos_defs_count(set), sizeof(*want));
	if (!want) {
		ret = cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
		goto out;
	}
	mark_with_deps(set, d, want);
	ret = start_marked(ctx, vctx, set, want, cgparent, e);
out:
	free(want);
	vos_defs_free(set);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option apply_opts[] = {
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "cgroup-parent", required_argument, NULL, OPT_CGROUP_PARENT },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "autostart", no_argument, NULL, OPT_AUTOSTART },
	{ "restart-changed", no_argument, NULL, OPT_RESTART_CHANGED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_apply(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("apply");
	bool autostart = false, restart = false;
	struct vos_ctx *vctx = NULL;
	struct vos_defs *set = NULL;
	struct cli_dirs dirs = { 0 };
	bool *want = NULL, *changed = NULL;
	const char *cgparent = NULL;
	size_t n, i, k;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", apply_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_AUTOSTART)
			autostart = true;
		if (c == OPT_RESTART_CHANGED)
			restart = true;
		if (c == OPT_CGROUP_PARENT && cgparent_option(e, optarg, &cgparent))
			return e->code;
		if (cli_dirs_option(e, &dirs, c, optarg))
			return e->code;
	}
	if (optind < argc)
		return cli_fail(
			e, EXIT_USAGE,
			"apply: unexpected argument '%s': apply takes no NAME (see 'vosctl start NAME')",
			argv[optind]);
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	ret = cli_defs_load(e, vctx, &dirs, &set);
	if (ret)
		goto out;
	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	n = vos_defs_count(set);
	want = calloc(n + 1, sizeof(*want));
	changed = calloc(n + 1, sizeof(*changed));
	if (!want || !changed) {
		ret = cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct vos_def *d = vos_defs_at(set, i);

		if (vos_def_flags(d) & VOS_DEF_TEMPLATE)
			continue;
		if (autostart && !(vos_def_flags(d) & VOS_DEF_AUTOSTART))
			continue;
		mark_with_deps(set, d, want);
	}
	/* what runs and differs from its file: reported, or restarted */
	for (i = 0; i < n; i++) {
		const struct vos_def *d = vos_defs_at(set, i);

		struct vos_info info;

		if (!want[i] || state_of(vctx, vos_def_name(d), &info) != 1)
			continue;
		switch (record_matches(vos_def_name(d), info.id, vos_def_digest(d))) {
		case 1:
			continue;
		case -1:
			/* made by hand (create), or its record is gone */
			fprintf(ctx->out,
				"%s: running, not started from %s by vosctl: left alone ('vosctl stop %s' and apply again to use the file)\n",
				vos_def_name(d), vos_def_path(d), vos_def_name(d));
			continue;
		}
		if (!restart) {
			fprintf(ctx->out,
				"%s: running, differs from %s: 'vosctl apply --restart-changed' restarts it\n",
				vos_def_name(d), vos_def_path(d));
			continue;
		}
		changed[i] = true;
		/* and what depends on it, which restarts with it */
		for (k = 0; k < n; k++)
			if (depends_on(set, vos_defs_at(set, k), vos_def_name(d), 0))
				changed[k] = true;
	}
	for (i = n; i-- > 0;) {
		const char *name = vos_def_name(vos_defs_at(set, i));

		if (!changed[i] || !running(vctx, name))
			continue;
		ret = stop_one(ctx, vctx, name, SIGTERM, STOP_TIMEOUT, e);
		if (ret)
			goto out;
	}
	ret = start_marked(ctx, vctx, set, want, cgparent, e);
	/* the pools of changed or removed templates: vosd reloads (if it runs) */
	if (!ret)
		vosd_reload_quiet();
out:
	free(want);
	free(changed);
	vos_defs_free(set);
	vos_ctx_free(vctx);
	return ret;
}

/* Is there a NAME.conf in the definitions' directories? */
static bool has_file(const struct cli_dirs *d, const char *name)
{
	const char *def = VOS_DEF_DIR;
	char path[4096];
	size_t i, n = d->n ? d->n : 1;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.conf", d->n ? d->dirs[i] : def, name);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

int unit_stop(struct cli_ctx *ctx, struct vos_ctx *vctx, const char *name, int sig,
	      uint32_t timeout, bool force, bool all, const struct cli_dirs *dirs,
	      struct cli_err *e)
{
	struct vos_defs *set = NULL;
	const struct vos_def *d = NULL;
	char names[256];
	size_t n, i, at = 0;
	int ret;

	ret = cli_defs_load(e, vctx, dirs, &set);
	/* a broken definition of another subsystem does not block the
	 * plain stop of one that has none
	 */
	if (ret && !all && !has_file(dirs, name)) {
		memset(e, 0, sizeof(*e));
		return -1;
	}
	if (ret)
		return ret;
	n = vos_defs_count(set);
	if (!all) {
		d = vos_defs_find(set, name);
		if (!d) {
			vos_defs_free(set);
			return -1; /* not defined: the plain stop */
		}
	}
	/* the running dependents (all of them with --all), last first */
	names[0] = '\0';
	for (i = n; i-- > 0;) {
		const struct vos_def *o = vos_defs_at(set, i);

		if (o == d || !running(vctx, vos_def_name(o)))
			continue;
		if (!all && !depends_on(set, o, name, 0))
			continue;
		if (!all && !force) {
			at += (size_t)snprintf(names + at,
					       at < sizeof(names) ? sizeof(names) - at : 0, "%s%s",
					       at ? ", " : "", vos_def_name(o));
			continue;
		}
		ret = stop_one(ctx, vctx, vos_def_name(o), sig, timeout, e);
		if (ret)
			goto out;
	}
	if (at) {
		ret = cli_fail(
			e, EXIT_FAIL,
			"subsystem '%s' is required by running %s: stop them first, or 'vosctl stop --force %s' stops them first",
			name, names, name);
		goto out;
	}
	ret = 0;
	if (d && (running(vctx, name) || vos_subsys_get(vctx, name, &(struct vos_info){ 0 }) == 0))
		ret = stop_one(ctx, vctx, name, sig, timeout, e);
out:
	vos_defs_free(set);
	return ret;
}

/* ---- status ------------------------------------------------------------------------ */

static const struct option status_opts[] = {
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct row {
	const char *name;
	const struct vos_def *d; /* NULL: running, not defined */
	const char *state;
	int64_t uptime; /* seconds, -1 if not running */
	int match;	/* 1, 0, -1 unknown or not running */
};

/* "tags":[...]: the words of every Tags= */
static void tags_json(FILE *f, const struct vos_def *d)
{
	const char *vals[64];
	size_t n, i, len;
	bool first = true;
	const char *p;

	n = vos_def_values(d, "Subsystem", "Tags", vals, 64);
	fputs(",\"tags\":[", f);
	for (i = 0; i < n && i < 64; i++) {
		for (p = vals[i]; *p; p += len) {
			p += strspn(p, " \t");
			len = strcspn(p, " \t");
			if (!len)
				break;
			if (!first)
				fputc(',', f);
			json_strn(f, p, len);
			first = false;
		}
	}
	fputc(']', f);
}

static void row_json(FILE *f, const struct row *r)
{
	const char *const *dep;
	const char *v;

	fputs("{\"name\":", f);
	json_str(f, r->name);
	fprintf(f, ",\"defined\":%s,\"state\":", r->d ? "true" : "false");
	json_str(f, r->state);
	if (r->uptime >= 0)
		fprintf(f, ",\"uptime\":%lld", (long long)r->uptime);
	else
		fputs(",\"uptime\":null", f);
	fprintf(f, ",\"matches\":%s", r->match < 0 ? "null" : r->match ? "true" : "false");
	if (r->d) {
		v = vos_def_value(r->d, "Network", "Uplink");
		fputs(",\"uplink\":", f);
		json_str(f, v ? v : "none");
		fputs(",\"requires\":[", f);
		for (dep = vos_def_deps(r->d); *dep; dep++) {
			if (dep != vos_def_deps(r->d))
				fputc(',', f);
			json_str(f, *dep);
		}
		fprintf(f, "],\"template\":%s,\"autostart\":%s",
			vos_def_flags(r->d) & VOS_DEF_TEMPLATE ? "true" : "false",
			vos_def_flags(r->d) & VOS_DEF_AUTOSTART ? "true" : "false");
		tags_json(f, r->d);
		v = vos_def_value(r->d, "Subsystem", "Label");
		fputs(",\"label\":", f);
		json_str(f, v ? v : "");
		v = vos_def_value(r->d, "Subsystem", "Description");
		fputs(",\"description\":", f);
		json_str(f, v ? v : "");
		fputs(",\"file\":", f);
		json_str(f, vos_def_path(r->d));
	}
	fputc('}', f);
}

static void row_text(FILE *f, const struct row *r)
{
	const char *const *dep;
	const char *v = r->d ? vos_def_value(r->d, "Network", "Uplink") : NULL;
	char up[24];

	if (r->uptime >= 0)
		snprintf(up, sizeof(up), "%llds", (long long)r->uptime);
	else
		snprintf(up, sizeof(up), "-");
	fprintf(f, "%-20s %-11s %-8s %-7s %-7s ", r->name, r->state, up,
		r->d ? (v ? v : "none") : "-",
		r->match < 0 ? "-"
		: r->match   ? "yes"
			     : "NO");
	if (r->d)
		for (dep = vos_def_deps(r->d); *dep; dep++)
			fprintf(f, "%s%s", dep == vos_def_deps(r->d) ? "" : ",", *dep);
	fputc('\n', f);
}

int cmd_status(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("status");
	struct vos_ctx *vctx = NULL;
	struct vos_defs *set = NULL;
	struct vos_info *list = NULL;
	struct cli_dirs dirs = { 0 };
	uint64_t now = boottime_ns();
	static struct vosd_pooled pool[VOSD_POOLED_MAX];
	size_t n, nlist = 0, i, k, npool;
	bool json = false, first = true;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", status_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
		if (cli_dirs_option(e, &dirs, c, optarg))
			return e->code;
	}
	if (optind < argc)
		return cli_fail(e, EXIT_USAGE,
				"status: unexpected argument '%s': see 'vosctl show %s'",
				argv[optind], argv[optind]);
	ret = ctx_open(ctx, &vctx, false, e);
	if (ret)
		return ret;
	ret = cli_defs_load(e, vctx, &dirs, &set);
	if (ret)
		goto out;
	ret = ctx_connect(vctx, e);
	if (ret)
		goto out;
	ret = vos_subsys_list(vctx, &list, &nlist);
	if (ret) {
		ret = lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
		goto out;
	}
	npool = vosd_pooled(pool, VOSD_POOLED_MAX);
	n = vos_defs_count(set);
	if (json)
		fputc('[', ctx->out);
	else
		fprintf(ctx->out, "%-20s %-11s %-8s %-7s %-7s %s\n", "NAME", "STATE", "UPTIME",
			"UPLINK", "MATCHES", "REQUIRES");
	/* the defined ones in start order, then the others that exist */
	for (i = 0; i < n + nlist; i++) {
		struct row r = { .uptime = -1, .match = -1 };
		const struct vos_info *info = NULL;

		if (i < n) {
			r.d = vos_defs_at(set, i);
			r.name = vos_def_name(r.d);
			for (k = 0; k < nlist; k++)
				if (!strcmp(list[k].name, r.name))
					info = &list[k];
		} else {
			info = &list[i - n];
			if (vos_defs_find(set, info->name))
				continue;
			r.name = info->name;
		}
		if (info) {
			/* vosd's ready disposables (issue 14) */
			r.state = vosd_pooled_find(pool, npool, info->name)
					  ? "pooled"
					  : vos_state_name(info->state);
			if (info->state == VOS_STATE_RUNNING) {
				r.uptime = info->created_ns < now
						   ? (int64_t)((now - info->created_ns) /
							       1000000000ULL)
						   : 0;
				if (r.d)
					r.match = record_matches(r.name, info->id,
								 vos_def_digest(r.d));
			}
		} else {
			r.state = r.d && (vos_def_flags(r.d) & VOS_DEF_TEMPLATE) ? "template"
										 : "not-running";
		}
		if (json) {
			if (!first)
				fputc(',', ctx->out);
			row_json(ctx->out, &r);
		} else {
			row_text(ctx->out, &r);
		}
		first = false;
	}
	if (json)
		fputs("]\n", ctx->out);
	ret = 0;
out:
	vos_info_list_free(list);
	vos_defs_free(set);
	vos_ctx_free(vctx);
	return ret;
}
