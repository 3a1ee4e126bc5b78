// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-example - run a command in a fresh subsystem using only virtos.h.
 *
 *   vos-example [-n NAME] [-m SIZE] [-p PIDS] -- CMD [ARGS...]
 *
 * Creates an ephemeral subsystem, spawns CMD in it with the strict default
 * recipe, lists the subsystems the module knows while it runs, prints the
 * events it saw, and exits with CMD's status (128+N if killed by signal N).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <virtos.h>

static int fail(struct vos_ctx *ctx, const char *what, int r)
{
	fprintf(stderr, "vos-example: %s: %s\n", what, ctx ? vos_ctx_errmsg(ctx) : strerror(-r));
	if (ctx && vos_ctx_errclass(ctx) == VOS_ERR_NOMODULE)
		fprintf(stderr, "vos-example: load the module: sudo modprobe vos\n");
	return 125;
}

int main(int argc, char **argv)
{
	struct vos_monitor *mon = NULL;
	struct vos_config *cfg = NULL;
	struct vos_subsys *s = NULL;
	struct vos_info *list = NULL;
	struct vos_proc *p = NULL;
	struct vos_ctx *ctx = NULL;
	struct vos_event ev;
	sigset_t fwd;
	size_t n = 0, i;
	int opt, r, ws = 0, code = 125;

	r = vos_ctx_new(&ctx);
	if (r < 0)
		return fail(NULL, "context", r);
	r = vos_config_new(ctx, &cfg);
	if (r < 0)
		return fail(ctx, "config", r);
	while ((opt = getopt(argc, argv, "n:m:p:")) != -1) {
		switch (opt) {
		case 'n':
			r = vos_config_set_name(cfg, optarg);
			break;
		case 'm':
			r = vos_config_set_memory_str(cfg, optarg);
			break;
		case 'p':
			r = vos_config_set_pids_str(cfg, optarg);
			break;
		default:
			fprintf(stderr,
				"usage: vos-example [-n NAME] [-m SIZE] [-p PIDS] -- CMD [ARGS...]\n");
			return 124;
		}
		if (r < 0) {
			fprintf(stderr, "vos-example: %s\n", vos_ctx_errmsg(ctx));
			return 124;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "vos-example: no command\n");
		return 124;
	}

	printf("libvirtos %s, module API %d\n", vos_lib_version(), vos_ctx_api_version(ctx));
	r = vos_monitor_new(ctx, &mon);
	if (r < 0) {
		code = fail(ctx, "event monitor", r);
		goto out;
	}
	r = vos_subsys_create(ctx, cfg, &s);
	if (r < 0) {
		code = fail(ctx, "create", r);
		goto out;
	}
	/* forward the usual termination signals to the app */
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGINT);
	sigaddset(&fwd, SIGTERM);
	sigaddset(&fwd, SIGHUP);
	sigprocmask(SIG_BLOCK, &fwd, NULL);
	r = vos_subsys_spawn(s, cfg, argv + optind, NULL, &p);
	if (r < 0) {
		code = fail(ctx, "spawn", r);
		goto out;
	}
	vos_proc_set_forward(p, &fwd);
	r = vos_subsys_list(ctx, &list, &n);
	if (r < 0) {
		code = fail(ctx, "list", r);
		goto out;
	}
	for (i = 0; i < n; i++)
		printf("subsystem %llu %s %s init_pid=%d tasks=%llu\n",
		       (unsigned long long)list[i].id, list[i].name, vos_state_name(list[i].state),
		       list[i].init_pid, (unsigned long long)list[i].tasks_now);
	vos_info_list_free(list);
	fflush(stdout);
	r = vos_proc_wait(p, &ws, 0);
	if (r < 0) {
		code = fail(ctx, "wait", r);
		goto out;
	}
	code = vos_wstatus_to_exit(ws);
	while (vos_monitor_read(mon, &ev, 200) == 1)
		printf("event seq=%llu %s %s pid=%d%s\n", (unsigned long long)ev.seq,
		       vos_event_type_name(ev.type), ev.subsys_name, ev.pid,
		       ev.lost ? " (events lost before)" : "");
	printf("exit code %d\n", code);
out:
	vos_proc_free(p);
	vos_subsys_free(s);
	vos_monitor_free(mon);
	vos_config_free(cfg);
	vos_ctx_free(ctx);
	return code;
}
