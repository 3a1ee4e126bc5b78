// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vosctl ls, show: what vos.ko knows about subsystems, as a table, as
 * "key: value" lines or as JSON.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <virtos.h>

#include "common.h"

static const char *net_name(uint32_t net)
{
	return net == VOS_NET_HOST ? "host" : "isolated";
}

static const char *kind_name(uint32_t flags)
{
	return (flags & VOS_SUBSYS_PERSISTENT) ? "persistent" : "ephemeral";
}

/* Seconds since @created_ns (CLOCK_BOOTTIME), 0 if in the future. */
static uint64_t age_s(uint64_t created_ns)
{
	struct timespec ts;
	uint64_t now;

	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		return 0;
	now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	return now > created_ns ? (now - created_ns) / 1000000000ULL : 0;
}

/* "exited 3", "killed by signal 9", or "" while not stopped */
static void exit_text(char *buf, size_t len, const struct vos_info *i)
{
	buf[0] = '\0';
	if (i->state != VOS_STATE_STOPPED)
		return;
	if (WIFEXITED(i->exit_status))
		snprintf(buf, len, "exited %d", WEXITSTATUS(i->exit_status));
	else if (WIFSIGNALED(i->exit_status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(i->exit_status));
	else
		snprintf(buf, len, "status 0x%x", (unsigned int)i->exit_status);
}

void info_json(FILE *f, const struct vos_info *i)
{
	info_json_pooled(f, i, NULL);
}

void info_json_pooled(FILE *f, const struct vos_info *i, const struct vosd_pooled *q)
{
	bool stopped = i->state == VOS_STATE_STOPPED;

	fprintf(f, "{\"id\":%llu,\"name\":", (unsigned long long)i->id);
	json_str(f, i->name);
	fprintf(f, ",\"state\":");
	json_str(f, vos_state_name(i->state));
	fprintf(f, ",\"persistent\":%s,\"owner_uid\":%u,\"init_pid\":%d",
		(i->flags & VOS_SUBSYS_PERSISTENT) ? "true" : "false", i->owner_uid, i->init_pid);
	if (stopped)
		fprintf(f, ",\"exit_status\":%d,\"exit_code\":%d", i->exit_status,
			cli_wait_status(i->exit_status));
	else
		fprintf(f, ",\"exit_status\":null,\"exit_code\":null");
	fprintf(f,
		",\"net\":\"%s\",\"tasks_now\":%llu,\"tasks_ever\":%llu,"
		"\"execs\":%llu,\"denials\":%llu,\"created_ns\":%llu,"
		"\"age_s\":%llu,\"pidns_inum\":%llu,\"netns_inum\":%llu,"
		"\"cgroup_id\":%llu,\"id_base\":%u,\"id_count\":%u",
		net_name(i->net_policy), (unsigned long long)i->tasks_now,
		(unsigned long long)i->tasks_ever, (unsigned long long)i->execs,
		(unsigned long long)i->denials, (unsigned long long)i->created_ns,
		(unsigned long long)age_s(i->created_ns), (unsigned long long)i->pidns_inum,
		(unsigned long long)i->netns_inum, (unsigned long long)i->cgroup_id, i->id_base,
		i->id_count);
	/* a disposable vosd holds ready for a template (issue 14), or null */
	fputs(",\"pooled\":", f);
	if (q) {
		fputs("{\"template\":", f);
		json_str(f, q->tmpl);
		fprintf(f, ",\"frozen\":%s}", q->frozen ? "true" : "false");
	} else {
		fputs("null", f);
	}
	fputc('}', f);
}

static const struct option ls_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_ls(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("ls");
	struct vos_ctx *vctx = NULL;
	struct vos_info *list = NULL;
	bool json = false, quiet = false;
	static struct vosd_pooled pool[VOSD_POOLED_MAX];
	size_t n = 0, k, npool = 0;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":hq", ls_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
		else if (c == 'q')
			quiet = true;
	}
	if (optind < argc)
		return cli_fail(
			e, EXIT_USAGE,
			"ls: unexpected argument '%s': use 'vosctl show %s' for one subsystem",
			argv[optind], argv[optind]);

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	ret = vos_subsys_list(vctx, &list, &n);
	if (ret) {
		ret = lib_fail(e, OP_LIST, vctx, ret, NULL, NULL);
		goto out;
	}
	if (!quiet)
		npool = vosd_pooled(pool, VOSD_POOLED_MAX);
	if (json) {
		fputc('[', ctx->out);
		for (k = 0; k < n; k++) {
			if (k)
				fputc(',', ctx->out);
			info_json_pooled(ctx->out, &list[k],
					 vosd_pooled_find(pool, npool, list[k].name));
		}
		fputs("]\n", ctx->out);
	} else if (quiet) {
		for (k = 0; k < n; k++)
			fprintf(ctx->out, "%s\n", list[k].name);
	} else {
		fprintf(ctx->out, "%-6s %-20s %-9s %-8s %-6s %-6s %-10s %-8s %s\n", "ID", "NAME",
			"STATE", "PID", "TASKS", "OWNER", "KIND", "NET", "AGE");
		for (k = 0; k < n; k++) {
			const struct vos_info *i = &list[k];

			/* vosd's ready disposables: "pooled" rather than running */
			fprintf(ctx->out, "%-6llu %-20s %-9s %-8d %-6llu %-6u %-10s %-8s %llus\n",
				(unsigned long long)i->id, i->name,
				vosd_pooled_find(pool, npool, i->name) ? "pooled"
								       : vos_state_name(i->state),
				i->init_pid, (unsigned long long)i->tasks_now, i->owner_uid,
				kind_name(i->flags), net_name(i->net_policy),
				(unsigned long long)age_s(i->created_ns));
		}
	}
	ret = 0;
out:
	vos_info_list_free(list);
	vos_ctx_free(vctx);
	return ret;
}

static const struct option show_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_show(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *cmd = cli_find("show");
	struct vos_ctx *vctx = NULL;
	struct vos_info i;
	const char *name;
	char ex[64], ids[96];
	bool json = false;
	int c, ret;

	while ((c = cli_getopt(e, cmd, argc, argv, ":h", show_opts)) != -1) {
		if (c == -2)
			return e->code;
		if (c == OPT_HELP) {
			cli_print_cmd_help(ctx->out, cmd);
			return 0;
		}
		if (c == OPT_JSON)
			json = true;
	}
	if (optind >= argc)
		return cli_fail(e, EXIT_USAGE, "show: missing NAME: see 'vosctl ls' for names");
	if (argc - optind > 1)
		return cli_fail(e, EXIT_USAGE, "show: unexpected argument '%s': give one NAME",
				argv[optind + 1]);
	name = argv[optind];
	if (parse_name(e, "NAME", name))
		return EXIT_USAGE;

	ret = ctx_open(ctx, &vctx, true, e);
	if (ret)
		return ret;
	memset(&i, 0, sizeof(i));
	ret = vos_subsys_get(vctx, name, &i);
	if (ret) {
		ret = lib_fail(e, OP_OPEN, vctx, ret, name, NULL);
		goto out;
	}
	if (json) {
		info_json(ctx->out, &i);
		fputc('\n', ctx->out);
	} else {
		exit_text(ex, sizeof(ex), &i);
		if (i.id_count)
			snprintf(ids, sizeof(ids), "%u-%u (private: %u ids from %#x)", i.id_base,
				 i.id_base + (i.id_count - 1), i.id_count, i.id_base);
		else
			snprintf(ids, sizeof(ids), "the creator's own (--as-user)");
		fprintf(ctx->out,
			"name:        %s\n"
			"id:          %llu\n"
			"state:       %s%s%s%s\n"
			"kind:        %s\n"
			"owner uid:   %u\n"
			"init pid:    %d\n"
			"network:     %s\n"
			"tasks now:   %llu\n"
			"tasks ever:  %llu\n"
			"execs:       %llu\n"
			"denials:     %llu\n"
			"age:         %llus\n"
			"pid ns:      pid:[%llu]\n"
			"net ns:      net:[%llu]\n"
			"cgroup id:   %llu\n"
			"host ids:    %s\n",
			i.name, (unsigned long long)i.id, vos_state_name(i.state),
			ex[0] ? " (" : "", ex, ex[0] ? ")" : "", kind_name(i.flags), i.owner_uid,
			i.init_pid, net_name(i.net_policy), (unsigned long long)i.tasks_now,
			(unsigned long long)i.tasks_ever, (unsigned long long)i.execs,
			(unsigned long long)i.denials, (unsigned long long)age_s(i.created_ns),
			(unsigned long long)i.pidns_inum, (unsigned long long)i.netns_inum,
			(unsigned long long)i.cgroup_id, ids);
	}
	ret = 0;
out:
	vos_ctx_free(vctx);
	return ret;
}
