// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl stop, rm: end what runs in a subsystem, and end the subsystem.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <virtos.h>

#include "common.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Poll until the subsystem's init is gone (state is no longer RUNNING) or
 * @timeout_ms passes. Returns 1 if stopped, 0 on timeout, -errno.
 */
static int wait_stopped(struct vos_subsys *s, uint64_t timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	struct vos_info i;
	int ret;

	for (;;) {
		ret = vos_subsys_info(s, &i);
		if (ret)
			return ret;
		if (i.state != VOS_STATE_RUNNING)
			return 1;
		if (now_ms() >= end)
			return 0;
		sleep_ms(20);
	}
}

/* Parse "NAME" as the only operand. */
static int one_name(struct cli_err *e, const char *verb, int argc, char **argv, const char **name)
{
	if (optind >= argc)
		return cli_fail(e, EXIT_USAGE, "%s: missing NAME: see 'vosctl ls' for names", verb);
	if (argc - optind > 1)
		return cli_fail(e, EXIT_USAGE, "%s: unexpected argument '%s': give one NAME", verb,
				argv[optind + 1]);
	*name = argv[optind];
	return parse_name(e, "NAME", *name);
}

static const struct option stop_opts[] = {
	{ "signal", required_argument, NULL, 's' },
	{ "force", no_argument, NULL, 'f' },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "profile-dir", required_argument, NULL, OPT_PROFILE_DIR },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Most seconds stop waits before SIGKILL */
#define STOP_TIMEOUT_MAX 3600

int cmd_stop(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("stop");
	struct vos_ctx *vctx = NULL;
	struct cli_dirs dirs = { 0 };
	bool force = false, all = false;
	uint32_t timeout = 10;
	const char *name = NULL;
	int c, ret, sig = SIGTERM;

	while ((c = cli_getopt(e, cmd, argc, argv, ":hfs:t:", stop_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == 's' && parse_signal(e, "--signal", optarg, &sig))
			return EXIT_USAGE;
		if (c == 'f')
			force = true;
		if (c == OPT_ALL)
			all = true;
		if (cli_dirs_option(e, &dirs, c, optarg))
			return e->code;
		if (c == 't') {
			if (strcmp(optarg, "0") == 0) {
				timeout = 0;
			} else if (parse_count(e, "--timeout", optarg, STOP_TIMEOUT_MAX,
					       &timeout)) {
				return cli_fail(
					e, EXIT_USAGE,
					"--timeout: '%s' is not a number of seconds: use 0 to %d, e.g. 10",
					optarg, STOP_TIMEOUT_MAX);
			}
		}
	}
	if (all && optind < argc)
		return cli_fail(e, EXIT_USAGE, "stop: --all and NAME '%s': give one of them",
				argv[optind]);
	if (!all && one_name(e, "stop", argc, argv, &name))
		return EXIT_USAGE;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = all ? 0 : net_before_stop(vctx, name, force, sig, timeout, e);
	if (!ret)
		ret = unit_stop(ctx, vctx, name, sig, timeout, force, all, &dirs, e);
	if (ret == -1)
		ret = life_stop(vctx, name, sig, timeout, e);
	vos_ctx_free(vctx);
	return ret;
}

int life_stop(struct vos_ctx *vctx, const char *name, int sig, uint32_t timeout, struct cli_err *e)
{
	struct vos_subsys *s = NULL;
	int ret;

	ret = vos_subsys_open(vctx, name, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	ret = wait_stopped(s, 0);
	if (ret == 1)
		goto done; /* nothing runs: stopping is idempotent */
	if (ret < 0)
		goto err_signal;
	ret = vos_subsys_signal(s, sig, 0);
	if (ret < 0 && ret != -ESRCH)
		goto err_signal;
	ret = wait_stopped(s, (uint64_t)timeout * 1000);
	if (ret < 0)
		goto err_signal;
	if (ret == 0) {
		/* It did not stop in time: what a kill -9 cannot ignore. */
		ret = vos_subsys_signal(s, SIGKILL, 0);
		if (ret < 0 && ret != -ESRCH)
			goto err_signal;
		ret = wait_stopped(s, 10000);
		if (ret < 0)
			goto err_signal;
		if (ret == 0) {
			ret = cli_fail(
				e, EXIT_FAIL,
				"subsystem '%s' did not stop after SIGKILL: check the kernel log (dmesg) and 'vosctl show %s'",
				name, name);
			goto out;
		}
	}
done:
	ret = 0;
	goto out;
err_signal:
	ret = lib_fail(e, OP_SIGNAL, vctx, ret, name, NULL);
out:
	vos_subsys_free(s);
	return ret;
}

static const struct option rm_opts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* How long rm waits for the module to destroy the subsystem */
#define RM_WAIT_MS 10000

int cmd_rm(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("rm");
	struct vos_ctx *vctx = NULL;
	bool force = false;
	const char *name;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":hf", rm_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == 'f')
			force = true;
	}
	if (one_name(e, "rm", argc, argv, &name))
		return EXIT_USAGE;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = net_before_stop(vctx, name, force, SIGTERM, 10, e);
	if (!ret)
		ret = life_remove(vctx, name, force, e);
	vos_ctx_free(vctx);
	return ret;
}

int life_remove(struct vos_ctx *vctx, const char *name, bool force, struct cli_err *e)
{
	struct vos_subsys *s = NULL;
	struct vos_info i;
	uint64_t end, id;
	int ret;

	ret = vos_subsys_open(vctx, name, &s);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	ret = vos_subsys_info(s, &i);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	if (i.state == VOS_STATE_RUNNING && !force) {
		ret = cli_fail(
			e, EXIT_FAIL,
			"subsystem '%s' is running: stop it first with 'vosctl stop %s', or kill and remove it with 'vosctl rm --force %s'",
			name, name, name);
		goto out;
	}
	ret = vos_subsys_end(s);
	if (ret) {
		ret = lib_fail(e, OP_SIGNAL, vctx, ret, name, NULL);
		goto out;
	}
	/* Our fd is one of the last: close it, then wait until the name is
	 * free, so that "rm web; create web" works.
	 */
	id = i.id;
	vos_subsys_free(s);
	s = NULL;
	end = now_ms() + RM_WAIT_MS;
	for (;;) {
		ret = vos_subsys_get(vctx, name, &i);
		/* gone, or another subsystem has taken the name already */
		if (ret == -ENOENT || (!ret && i.id != id))
			break;
		if (ret) {
			ret = lib_fail(e, OP_LIST, vctx, ret, name, NULL);
			goto out;
		}
		if (now_ms() >= end) {
			ret = cli_fail(
				e, EXIT_FAIL,
				"subsystem '%s' is still ending: a task in it has not exited yet; check 'vosctl show %s' and the kernel log",
				name, name);
			goto out;
		}
		sleep_ms(20);
	}
	ret = 0;
out:
	vos_subsys_free(s);
	return ret;
}
