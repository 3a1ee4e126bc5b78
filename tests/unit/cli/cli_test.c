// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of vosctl's own logic: its own option values, argument
 * parsing of run and create straight into a vos_config (the isolation
 * options' values and messages are the library's: tests/unit/test-options.c),
 * their --help, man page and completion against the library's table, the
 * JSON writer, error-message mapping and the output formats. No module
 * needed: the commands that would reach vos.ko are pointed at a device
 * that does not exist.
 */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/wait.h>

#include <virtos.h>

#include "common.h"
#include "vosctl.h"
#include "private.h" /* the config's fields, linked from libvirtos-test.a */

static struct cli_err e;
static struct vos_ctx *vctx;
static struct vos_config *cfg;
static struct cli_run rr;

static void reset(void)
{
	memset(&e, 0, sizeof(e));
	optind = 0;
}

/* A fresh context (never connected) and config for run_parse/create_parse */
static void fresh(void)
{
	reset();
	vos_config_free(cfg);
	vos_ctx_free(vctx);
	ck_assert_int_eq(vos_ctx_new(&vctx), 0);
	ck_assert_int_eq(vos_config_new(vctx, &cfg), 0);
}

static int run_args(int argc, char **argv)
{
	fresh();
	return run_parse(&e, vctx, cfg, &rr, argc, argv);
}

static int create_args(int argc, char **argv)
{
	fresh();
	return create_parse(&e, vctx, cfg, &rr, argc, argv);
}

/* ---- names ---- */

START_TEST(names)
{
	char n63[64], n64[65];

	memset(n63, 'a', 63);
	n63[63] = '\0';
	memset(n64, 'a', 64);
	n64[64] = '\0';
	reset();
	ck_assert_int_eq(parse_name(&e, "--name", "web"), 0);
	ck_assert_int_eq(parse_name(&e, "--name", "a"), 0);
	ck_assert_int_eq(parse_name(&e, "--name", "0web-1.x_y"), 0);
	ck_assert_int_eq(parse_name(&e, "--name", n63), 0);
	ck_assert_int_eq(e.code, 0);
	ck_assert_int_eq(parse_name(&e, "--name", n64), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", ""), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "-web"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", ".web"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "_web"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "we b"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "w/eb"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "w\xc3\xa9"), EXIT_USAGE);
	ck_assert_int_eq(parse_name(&e, "--name", "a:b"), EXIT_USAGE);
	ck_assert_str_eq(
		e.msg,
		"--name: 'a:b' is not a valid name: use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit");
}
END_TEST

START_TEST(counts)
{
	uint32_t v = 0;

	reset();
	ck_assert_int_eq(parse_count(&e, "--count", "64", 100, &v), 0);
	ck_assert_uint_eq(v, 64);
	ck_assert_int_eq(parse_count(&e, "--count", "0", 100, &v), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--count: '0' is not a positive integer: use e.g. 10");
	ck_assert_int_eq(parse_count(&e, "--count", "-3", 100, &v), EXIT_USAGE);
	ck_assert_int_eq(parse_count(&e, "--count", "", 100, &v), EXIT_USAGE);
	ck_assert_int_eq(parse_count(&e, "--timeout", "101", 100, &v), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--timeout: '101' is too large: use at most 100");
	ck_assert_int_eq(parse_count(&e, "--count", "99999999999999999999999", 100, &v),
			 EXIT_USAGE);
	ck_assert_uint_eq(v, 64);
}
END_TEST

START_TEST(signals)
{
	int s = 0;

	reset();
	ck_assert_int_eq(parse_signal(&e, "--signal", "TERM", &s), 0);
	ck_assert_int_eq(s, SIGTERM);
	ck_assert_int_eq(parse_signal(&e, "--signal", "sigkill", &s), 0);
	ck_assert_int_eq(s, SIGKILL);
	ck_assert_int_eq(parse_signal(&e, "--signal", "2", &s), 0);
	ck_assert_int_eq(s, SIGINT);
	ck_assert_int_eq(parse_signal(&e, "--signal", "0", &s), EXIT_USAGE);
	ck_assert_int_eq(parse_signal(&e, "--signal", "SIGFOO", &s), EXIT_USAGE);
	ck_assert_int_eq(parse_signal(&e, "--signal", "999", &s), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "is not a signal"));
}
END_TEST

/* ---- run and create argument parsing, straight into the config ---- */

START_TEST(run_args_into_config)
{
	char *argv[] = { "run",		"--name",    "web",	   "--memory",	"512M",
			 "--cpus",	"1.5",	     "--pids",	   "32",	"--root",
			 "--share-net", "--as-pid1", "--hostname", "h1",	"--ro",
			 "/srv",	"--tmpfs",   "/cache",	   "--cap-add", "net_raw",
			 "--rootfs",	"/srv/root", "--isolate",  "--no-tty",	"--",
			 "echo",	"--memory",  "x",	   NULL };
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	ck_assert_int_eq(run_args(argc, argv), 0);
	ck_assert_str_eq(vos_config_get_name(cfg), "web");
	ck_assert_uint_eq(vos_config_get_memory(cfg), 512ULL << 20);
	ck_assert_uint_eq(vos_config_get_cpu_milli(cfg), 1500);
	ck_assert_uint_eq(vos_config_get_pids(cfg), 32);
	ck_assert(cfg->root);
	ck_assert(cfg->share_net);
	ck_assert(cfg->as_pid1);
	ck_assert(!cfg->persistent && !rr.persistent && !rr.rm);
	ck_assert_str_eq(vos_config_get_hostname(cfg), "h1");
	ck_assert_str_eq(cfg->rootfs, "/srv/root");
	ck_assert_uint_eq(cfg->nbinds, 1);
	ck_assert_str_eq(cfg->binds[0].dest, "/srv");
	ck_assert_uint_eq(cfg->ntmpfs, 1);
	ck_assert_uint_eq(cfg->caps, 1ULL << CAP_NET_RAW);
	ck_assert_int_eq(cfg->tty, VOS_TTY_NONE);
	/* the app's own options are not vosctl's */
	ck_assert_str_eq(argv[optind], "echo");
	ck_assert_int_eq(argc - optind, 3);
}
END_TEST

START_TEST(run_args_no_dashdash)
{
	char *argv[] = { "run", "--pids", "5", "ls", "-l", "--memory", "1G", NULL };
	uint64_t mem0;

	fresh();
	mem0 = vos_config_get_memory(cfg);
	ck_assert_int_eq(run_parse(&e, vctx, cfg, &rr, 7, argv), 0);
	ck_assert_str_eq(argv[optind], "ls");
	/* not given: the library's host-scaled default */
	ck_assert_uint_eq(vos_config_get_memory(cfg), mem0);
	ck_assert_uint_eq(vos_config_get_pids(cfg), 5);
}
END_TEST

START_TEST(run_args_every_option)
{
	char *argv[] = {
		"run",	 "--as-user",	   "--host-root", "--rw",   "/a:/b", "--tmpfs-size",
		"max",	 "--memory",	   "max",	  "--pids", "max",   "--persistent",
		"--tty", "--allow-socket", "alg",	  "--",	    "true",  NULL
	};

	ck_assert_int_eq(run_args(17, argv), 0);
	ck_assert(cfg->host_ids && cfg->host_root && cfg->persistent && rr.persistent);
	ck_assert_uint_eq(cfg->binds[0].flags, VOS_BIND_RW);
	ck_assert_uint_eq(cfg->tmpfs_size, 0);
	ck_assert_uint_eq(cfg->memory, 0);
	ck_assert_uint_eq(cfg->pids, 0);
	ck_assert_int_eq(cfg->tty, VOS_TTY_PTY);
	ck_assert_uint_eq(cfg->socket_families, 1ULL << 38);
}
END_TEST

/* The library refuses the pair, in either order, with one message */
START_TEST(run_args_root_choice)
{
	char *a1[] = { "run", "--host-root", "--", "true", NULL };
	char *a2[] = { "run", "--host-root", "--rootfs", "/srv/root", "--", "true", NULL };
	char *a3[] = { "run", "--rootfs", "/srv/root", "--host-root", "--", "true", NULL };
	char *a4[] = { "create", "okname", "--host-root", "--rootfs", "/", NULL };

	ck_assert_int_eq(run_args(4, a1), 0);
	ck_assert(cfg->host_root);
	ck_assert_ptr_null(cfg->rootfs);
	ck_assert_int_eq(run_args(6, a2), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--rootfs and --host-root both choose the root: give one of them");
	ck_assert_int_eq(run_args(6, a3), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--rootfs and --host-root both choose the root: give one of them");
	ck_assert_int_eq(create_args(5, a4), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--rootfs and --host-root both choose the root: give one of them");
}
END_TEST

START_TEST(run_args_socket_env)
{
	char *a1[] = { "run",
		       "--allow-socket",
		       "vsock",
		       "--allow-socket",
		       "AF_PACKET",
		       "--allow-socket",
		       "38",
		       "--env",
		       "A=1",
		       "--env",
		       "B=x=y",
		       "--keep-env",
		       "SSH_AUTH_SOCK",
		       "--",
		       "true",
		       NULL };
	char *a2[] = { "run", "--allow-socket", "fly", "--", "true", NULL };
	char *a3[] = { "run", "--env", "NOVALUE", "--", "true", NULL };
	char *a4[] = { "run", "--keep-env", "A=1", "--", "true", NULL };
	char *a5[] = { "create", "--allow-socket", "alg", "box", NULL };

	ck_assert_int_eq(run_args(15, a1), 0);
	ck_assert_uint_eq(vos_config_get_socket_families(cfg),
			  (1ULL << 40) | (1ULL << 17) | (1ULL << 38));
	ck_assert_uint_eq(cfg->nenv, 2);
	ck_assert_str_eq(cfg->env[1], "B=x=y");
	ck_assert_uint_eq(cfg->nkeep_env, 1);
	ck_assert_str_eq(cfg->keep_env[0], "SSH_AUTH_SOCK");
	ck_assert_int_eq(run_args(5, a2), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--allow-socket: 'fly' is not a socket family"));
	ck_assert_int_eq(run_args(5, a3), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--env: 'NOVALUE' is not NAME=VALUE"));
	ck_assert_int_eq(run_args(5, a4), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--keep-env: 'A=1' is not a variable NAME"));
	ck_assert_int_eq(create_args(4, a5), 0);
	ck_assert_uint_eq(vos_config_get_socket_families(cfg), 1ULL << 38);
}
END_TEST

START_TEST(run_args_errors)
{
	char *a1[] = { "run", NULL };
	char *a2[] = { "run", "--name", "web", "--", NULL };
	char *a3[] = { "run", "--rm", "--persistent", "--", "true", NULL };
	char *a4[] = { "run", "--bogus", "--", "true", NULL };
	char *a5[] = { "run", "--cpus", NULL };
	char *a6[] = { "run", "--name", "bad name", "--", "true", NULL };
	char *a7[] = { "run", "--pids", "0", "true", NULL };
	char *a8[] = { "run", "-x", "true", NULL };
	char *a9[] = { "run", "--help", NULL };
	char *a10[] = { "run", "--memory", "12X", "--", "true", NULL };

	ck_assert_int_eq(run_args(1, a1), EXIT_USAGE);
	ck_assert_str_eq(e.msg,
			 "run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'");
	ck_assert_int_eq(run_args(4, a2), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "missing command"));
	ck_assert_int_eq(run_args(5, a3), EXIT_USAGE);
	ck_assert_str_eq(e.msg,
			 "run: --rm and --persistent contradict each other: give one of them");
	ck_assert_int_eq(run_args(4, a4), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: unknown option '--bogus': see 'vosctl run --help'");
	ck_assert_int_eq(run_args(2, a5), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: option '--cpus' needs a value: see 'vosctl run --help'");
	ck_assert_int_eq(run_args(5, a6), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--name: 'bad name' is not a valid name"));
	ck_assert_int_eq(run_args(4, a7), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--pids: '0'"));
	ck_assert_int_eq(run_args(3, a8), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: unknown option '-x': see 'vosctl run --help'");
	ck_assert_int_eq(run_args(2, a9), OPT_HELP);
	/* the library's message, as it is: vosctl adds nothing to it */
	ck_assert_int_eq(run_args(5, a10), EXIT_USAGE);
	ck_assert_str_eq(
		e.msg,
		"--memory: '12X' is not a size: use a number with an optional K, M or G suffix, e.g. 512M");
}
END_TEST

START_TEST(create_args_into_config)
{
	char *a1[] = { "create", "web", "--memory", "1G", "--json", NULL };
	char *a2[] = { "create", "--pids", "9", NULL };
	char *a3[] = { "create", "web", "extra", NULL };
	char *a4[] = { "create", "-bad", NULL };
	char *a5[] = { "create", "web", "--name", "x", NULL };

	ck_assert_int_eq(create_args(5, a1), 0);
	ck_assert_str_eq(vos_config_get_name(cfg), "web");
	ck_assert(cfg->persistent && rr.persistent);
	ck_assert(rr.json);
	ck_assert_uint_eq(vos_config_get_memory(cfg), 1ULL << 30);
	ck_assert_int_eq(create_args(3, a2), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "create: missing NAME: e.g. 'vosctl create web'");
	ck_assert_int_eq(create_args(3, a3), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "unexpected argument 'extra'"));
	ck_assert_int_eq(create_args(2, a4), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "unknown option"));
	/* run's own options are not create's */
	ck_assert_int_eq(create_args(4, a5), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "create: unknown option '--name': see 'vosctl create --help'");
}
END_TEST

/* getopt's table is the library's: every row, with its kind of value */
START_TEST(longopts_from_the_table)
{
	static const struct option own[] = { { "json", no_argument, NULL, OPT_JSON },
					     { NULL, 0, NULL, 0 } };
	struct option opts[CLI_MAX_LONGOPTS], small[4];
	const struct vos_option *o;
	size_t n, i;

	o = vos_options(&n);
	ck_assert_int_eq(cli_longopts(opts, CLI_MAX_LONGOPTS, own), 0);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(opts[i].name, o[i].name);
		ck_assert_int_eq(opts[i].has_arg, o[i].arg ? required_argument : no_argument);
		ck_assert(cli_is_option(opts[i].val, o[i].name));
	}
	ck_assert_str_eq(opts[n].name, "json");
	ck_assert_ptr_null(opts[n + 1].name);
	ck_assert(!cli_is_option(OPT_JSON, "persistent"));
	/* too small a table is refused, not cut short */
	ck_assert_int_eq(cli_longopts(small, 4, own), -1);
	ck_assert_ptr_null(small[3].name);
}
END_TEST

/* ---- JSON ---- */

static char *json_of(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	json_strn(f, s, n);
	fclose(f);
	return buf;
}

#define JSON_EQ(in, want)                                 \
	do {                                              \
		char *got_ = json_of(in, sizeof(in) - 1); \
		ck_assert_str_eq(got_, want);             \
		free(got_);                               \
	} while (0)

START_TEST(json_escape)
{
	JSON_EQ("plain", "\"plain\"");
	JSON_EQ("", "\"\"");
	JSON_EQ("a\"b", "\"a\\\"b\"");
	JSON_EQ("a\\b", "\"a\\\\b\"");
	JSON_EQ("l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"");
	JSON_EQ("\b\f", "\"\\b\\f\"");
	JSON_EQ("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	JSON_EQ("/slash/", "\"/slash/\"");
	/* valid UTF-8 passes through */
	JSON_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	/* invalid UTF-8 becomes U+FFFD, byte by byte */
	JSON_EQ("a\xff"
		"b",
		"\"a\\ufffdb\"");
	JSON_EQ("\xc0\x80", "\"\\ufffd\\ufffd\"");			 /* overlong NUL */
	JSON_EQ("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");		 /* surrogate */
	JSON_EQ("\xe2\x82", "\"\\ufffd\\ufffd\"");			 /* truncated */
	JSON_EQ("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
	JSON_EQ("\xe0\x9f\xbf", "\"\\ufffd\\ufffd\\ufffd\"");		 /* overlong 3-byte */
}
END_TEST

START_TEST(json_embedded_nul_and_null)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	JSON_EQ("a\0b", "\"a\\u0000b\"");
	f = open_memstream(&buf, &len);
	json_str(f, NULL);
	fclose(f);
	ck_assert_str_eq(buf, "null");
	free(buf);
}
END_TEST

START_TEST(json_info_and_event)
{
	struct vos_info i;
	struct vos_event ev;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&i, 0, sizeof(i));
	i.id = 7;
	strcpy(i.name, "we\"b");
	i.state = VOS_STATE_STOPPED;
	i.flags = VOS_SUBSYS_PERSISTENT;
	i.exit_status = 3 << 8;
	i.init_pid = 0;
	i.tasks_ever = 2;
	f = open_memstream(&buf, &len);
	info_json(f, &i);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(
		buf, "{\"id\":7,\"name\":\"we\\\"b\",\"state\":\"stopped\",\"persistent\":true,"));
	ck_assert_ptr_nonnull(strstr(
		buf,
		"\"exit_status\":768,\"exit_code\":3,\"net\":\"isolated\",\"tasks_now\":0,\"tasks_ever\":2,"));
	ck_assert_int_eq(buf[strlen(buf) - 1], '}');
	free(buf);

	memset(&ev, 0, sizeof(ev));
	ev.type = VOS_EVENT_STOPPED;
	ev.seq = 12;
	ev.time_ns = 5;
	ev.subsys_id = 7;
	strcpy(ev.subsys_name, "web");
	ev.pid = 1;
	ev.exit_status = SIGKILL;
	memcpy(ev.comm, "sh\n\xff", 4);
	f = open_memstream(&buf, &len);
	event_json(f, &ev, NULL);
	fclose(f);
	ck_assert_str_eq(
		buf,
		"{\"seq\":12,\"time_ns\":5,\"type\":\"stopped\",\"id\":7,\"name\":\"web\",\"pid\":1,"
		"\"comm\":\"sh\\n\\ufffd\",\"exit_status\":9,\"exit_code\":137}");
	free(buf);
	f = open_memstream(&buf, &len);
	event_text(f, &ev, NULL);
	fclose(f);
	ck_assert_str_eq(buf, "12 0.000000 stopped web id=7 pid=1 comm=sh?? exit=137");
	free(buf);
}
END_TEST

/* ---- error mapping ---- */

START_TEST(errmap)
{
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_DEVICE, -ENODEV, VOS_ERR_NOMODULE, NULL,
				    "open /dev/vos: No such device"),
			 123);
	ck_assert_str_eq(e.msg, "vos.ko is not loaded: run 'sudo modprobe vos'");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_DEVICE, -ENOENT, VOS_ERR_NOMODULE, NULL, NULL), 123);
	ck_assert_str_eq(e.msg, "vos.ko is not loaded: run 'sudo modprobe vos'");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_LIST, -ENOENT, VOS_ERR_NOMODULE, NULL, NULL), 123);
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_CREATE, -EPERM, VOS_ERR_PERM, "web",
				    "create: Operation not permitted"),
			 122);
	ck_assert_str_eq(e.msg, "creating a subsystem needs CAP_SYS_ADMIN: run vosctl as root");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_DEVICE, -EACCES, VOS_ERR_PERM, NULL, NULL), 122);
	ck_assert_str_eq(
		e.msg,
		"cannot reach vos.ko: permission denied: run vosctl as root or get access to /dev/vos");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_CREATE, -EEXIST, VOS_ERR_NAME, "web", NULL), 121);
	ck_assert_str_eq(e.msg,
			 "a subsystem named 'web' exists: pick another --name or 'vosctl rm web'");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_OPEN, -ENOENT, VOS_ERR_NAME, "db", NULL), 121);
	ck_assert_str_eq(e.msg,
			 "no subsystem named 'db': see 'vosctl ls' for the ones you may use");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_OPEN, -EPERM, VOS_ERR_PERM, "db", NULL), 122);
	ck_assert_str_eq(
		e.msg,
		"not permitted to act on subsystem 'db': run vosctl as its owner or as root");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EINVAL, VOS_ERR_USAGE, NULL, "--memory: bad"),
			 124);
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EIO, VOS_ERR_INTERNAL, NULL,
				    "spawn: mount /proc: Input/output error"),
			 125);
	ck_assert_str_eq(
		e.msg,
		"cannot start the isolated process: spawn: mount /proc: Input/output error: check 'vosctl version' and the kernel log (dmesg)");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -ENOENT, VOS_ERR_CGROUP, NULL,
				    "cgroup: open memory.max: No such file"),
			 125);
	ck_assert_ptr_nonnull(strstr(e.msg, "enable the cpu, memory and pids controllers"));
	reset();
	ck_assert_int_eq(
		cli_errmap(&e, OP_SPAWN, -EROFS, VOS_ERR_PATH, NULL,
			   "spawn: --ro /a:/data: mount point /data: mkdir: Read-only file system"),
		124);
	ck_assert_str_eq(
		e.msg,
		"cannot start the isolated process: spawn: --ro /a:/data: mount point /data: mkdir: Read-only file system: fix the path of that option (see OPTIONS in vosctl(1))");
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -ENOENT, VOS_ERR_PATH, NULL,
				    "spawn: --rootfs /nope: No such file or directory"),
			 124);
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SIGNAL, -ENOTTY, VOS_ERR_NOMODULE, "x", NULL), 123);
	reset();
	ck_assert_int_eq(cli_exec_errmap(&e, -ENOENT, "nosuchcmd"), 127);
	ck_assert_str_eq(
		e.msg,
		"nosuchcmd: command not found: check the name, or give a full path that exists inside the subsystem");
	reset();
	ck_assert_int_eq(cli_exec_errmap(&e, -EACCES, "/etc/passwd"), 126);
	ck_assert_ptr_nonnull(strstr(e.msg, "/etc/passwd: cannot execute: Permission denied"));
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -ENOENT, VOS_ERR_NOCMD, "nosuchcmd", NULL), 127);
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -ENOEXEC, VOS_ERR_NOEXEC, "/x", NULL), 126);
	reset();
	ck_assert_int_eq(lib_fail(&e, OP_SPAWN, NULL, -EIO, "n", "c"), 125);
}
END_TEST

/* The class alone picks the exit status: the message is never read. */
START_TEST(errmap_by_class)
{
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EACCES, VOS_ERR_CGROUP_PERM, NULL,
				    "spawn: limits: cgroup: mkdir /x: Permission denied"),
			 122);
	ck_assert_ptr_nonnull(strstr(e.msg, "give --memory max --pids max"));
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EACCES, VOS_ERR_PERM, NULL,
				    "spawn: --ro /root/x: open source: Permission denied"),
			 122);
	ck_assert_str_eq(
		e.msg,
		"cannot start the isolated process: spawn: --ro /root/x: open source: Permission denied: run vosctl as root");
	reset();
	ck_assert_int_eq(
		cli_errmap(&e, OP_EXEC, -ESRCH, VOS_ERR_NAME, "db",
			   "exec in 'db': subsystem 'db' is stopped: nothing to exec into"),
		121);
	ck_assert_str_eq(
		e.msg, "subsystem 'db' has no running init: start a new one with 'vosctl create'");
	reset();
	/* words the old text search looked for change nothing */
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EIO, VOS_ERR_INTERNAL, NULL,
				    "spawn: --ro /a: cgroup: Input/output error"),
			 125);
	ck_assert_ptr_nonnull(strstr(e.msg, "check 'vosctl version'"));
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EPERM, VOS_ERR_INTERNAL, NULL, "cgroup"), 125);
	reset();
	ck_assert_int_eq(cli_errmap(&e, OP_SPAWN, -EINVAL, VOS_ERR_PATH, NULL, "--tmpfs /x: bad"),
			 124);
	ck_assert_ptr_nonnull(strstr(e.msg, "fix the path of that option"));
}
END_TEST

START_TEST(wait_status)
{
	ck_assert_int_eq(cli_wait_status(0), 0);
	ck_assert_int_eq(cli_wait_status(3 << 8), 3);
	ck_assert_int_eq(cli_wait_status(255 << 8), 255);
	ck_assert_int_eq(cli_wait_status(SIGKILL), 137);
	ck_assert_int_eq(cli_wait_status(SIGINT), 130);
	ck_assert_int_eq(cli_wait_status(SIGSEGV | 0x80), 139); /* core dumped */
}
END_TEST

/* ---- commands without a module: a device path that does not exist ---- */

static int run_cmd(const char *verb, char **argv, int argc, char **out)
{
	struct cli_ctx ctx = { .device = "/nonexistent/vos", .prog = "vosctl" };
	const struct cli_cmd *c = cli_find(verb);
	size_t len = 0;
	int ret;

	ck_assert_ptr_nonnull(c);
	*out = NULL;
	ctx.out = open_memstream(out, &len);
	reset();
	ret = c->fn(&ctx, argc, argv, &e);
	fclose(ctx.out);
	return ret;
}

START_TEST(no_module)
{
	char *a_ls[] = { "ls", NULL };
	char *a_show[] = { "show", "web", NULL };
	char *a_run[] = { "run", "--", "true", NULL };
	char *a_stop[] = { "stop", "web", NULL };
	char *a_ver[] = { "version", "--json", NULL };
	char *out;

	ck_assert_int_eq(run_cmd("ls", a_ls, 1, &out), 123);
	ck_assert_str_eq(e.msg, "vos.ko is not loaded: run 'sudo modprobe vos'");
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(run_cmd("show", a_show, 2, &out), 123);
	free(out);
	ck_assert_int_eq(run_cmd("run", a_run, 3, &out), 123);
	free(out);
	ck_assert_int_eq(run_cmd("stop", a_stop, 2, &out), 123);
	free(out);
	/* version prints what it knows, then fails with 123 */
	ck_assert_int_eq(run_cmd("version", a_ver, 2, &out), 123);
	ck_assert_ptr_nonnull(strstr(out, "\"vosctl\":\"" VIRTOS_VERSION "\""));
	ck_assert_ptr_nonnull(strstr(out, "\"module\":null"));
	free(out);
}
END_TEST

START_TEST(usage_before_module)
{
	/* bad values are reported as such even without the module */
	char *a1[] = { "run", "--memory", "12X", "--", "true", NULL };
	char *a2[] = { "show", NULL };
	char *a3[] = { "rm", "a", "b", NULL };
	char *a4[] = { "stop", "--timeout", "soon", "web", NULL };
	char *a5[] = { "events", "bad/name", NULL };
	char *a6[] = { "exec", "web", NULL };
	char *out;

	ck_assert_int_eq(run_cmd("run", a1, 5, &out), 124);
	ck_assert_str_eq(
		e.msg,
		"--memory: '12X' is not a size: use a number with an optional K, M or G suffix, e.g. 512M");
	free(out);
	ck_assert_int_eq(run_cmd("show", a2, 1, &out), 124);
	free(out);
	ck_assert_int_eq(run_cmd("rm", a3, 3, &out), 124);
	ck_assert_str_eq(e.msg, "rm: unexpected argument 'b': give one NAME");
	free(out);
	ck_assert_int_eq(run_cmd("stop", a4, 4, &out), 124);
	ck_assert_str_eq(e.msg,
			 "--timeout: 'soon' is not a number of seconds: use 0 to 3600, e.g. 10");
	free(out);
	ck_assert_int_eq(run_cmd("events", a5, 2, &out), 124);
	free(out);
	ck_assert_int_eq(run_cmd("exec", a6, 2, &out), 124);
	ck_assert_str_eq(
		e.msg,
		"exec: missing command: give it after '--', e.g. 'vosctl exec web -- /bin/sh'");
	free(out);
}
END_TEST

START_TEST(log_usage_before_module)
{
	/* vosctl log (issue 13): options only; --count needs --follow */
	char *a1[] = { "log", "extra", NULL };
	char *a2[] = { "log", "--count", "3", NULL };
	char *a3[] = { "log", "--follow", "--count", "0", NULL };
	char *out;

	ck_assert_int_eq(run_cmd("log", a1, 2, &out), 124);
	ck_assert_str_eq(e.msg, "log: unexpected argument 'extra': log takes options only");
	free(out);
	ck_assert_int_eq(run_cmd("log", a2, 3, &out), 124);
	ck_assert_str_eq(e.msg, "log: --count goes with --follow");
	free(out);
	ck_assert_int_eq(run_cmd("log", a3, 4, &out), 124);
	free(out);
}
END_TEST

/* The definitions' commands (issue 14): a wrong set, a template, a
 * non-template for --disposable and misplaced arguments are usage errors
 * (124) before the module is looked for; a good set then needs it (123).
 */
static void put_def(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(units_without_module)
{
	char dir[] = "/tmp/vosctl-units-XXXXXX";
	char want[512], cmd[64];
	char *out;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	{
		char *a_apply[] = { "apply", "--config-dir", dir, NULL };
		char *a_start[] = { "start", "--config-dir", dir, "tpl", NULL };
		char *a_nodef[] = { "start", "--config-dir", dir, "mail", NULL };
		char *a_disp[] = { "run", "--config-dir", dir,	  "--disposable",
				   "a",	  "--",		  "true", NULL };
		char *a_opts[] = { "run",	   "--config-dir", dir,	 "--memory", "1G",
				   "--disposable", "tpl",	   "--", "true",     NULL };
		char *a_extra[] = { "apply", "web", NULL };
		char *a_status[] = { "status", "--config-dir", dir, NULL };

		put_def(dir, "a", "[Subsystem]\nRequires=b\n");
		put_def(dir, "b", "[Subsystem]\nRequires=a\n");
		ck_assert_int_eq(run_cmd("apply", a_apply, 3, &out), 124);
		ck_assert_str_eq(
			e.msg,
			"dependency cycle: a -> b -> a: a subsystem cannot start before itself; remove one of these Requires= (or Uplink=)");
		ck_assert_str_eq(out, "");
		free(out);
		ck_assert_int_eq(run_cmd("status", a_status, 3, &out), 124);
		free(out);

		put_def(dir, "b", "[Limits]\nPids=lots\n");
		ck_assert_int_eq(run_cmd("apply", a_apply, 3, &out), 124);
		snprintf(
			want, sizeof(want),
			"%s/b.conf:2: Pids=: --pids: 'lots' is not a positive integer: use e.g. 64",
			dir);
		ck_assert_str_eq(e.msg, want);
		free(out);

		put_def(dir, "b", "[Subsystem]\n");
		put_def(dir, "tpl", "[Subsystem]\nTemplate=yes\n");
		ck_assert_int_eq(run_cmd("start", a_start, 4, &out), 124);
		ck_assert_str_eq(
			e.msg,
			"'tpl' is a template (Template=yes), which never runs itself: run a disposable from it with 'vosctl run --disposable tpl -- CMD'");
		free(out);
		ck_assert_int_eq(run_cmd("start", a_nodef, 4, &out), 121);
		free(out);
		ck_assert_int_eq(run_cmd("run", a_disp, 7, &out), 124);
		snprintf(
			want, sizeof(want),
			"--disposable: 'a' is not a template: add Template=yes to %s/a.conf, or start it with 'vosctl start a'",
			dir);
		ck_assert_str_eq(e.msg, want);
		free(out);
		ck_assert_int_eq(run_cmd("run", a_opts, 9, &out), 124);
		free(out);
		ck_assert_int_eq(run_cmd("apply", a_extra, 2, &out), 124);
		free(out);

		/* a good set: now the module is what is missing */
		ck_assert_int_eq(run_cmd("apply", a_apply, 3, &out), 123);
		free(out);
		a_disp[4] = "tpl";
		ck_assert_int_eq(run_cmd("run", a_disp, 7, &out), 123);
		free(out);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* vosctl firewall: every usage error, before and without the module; the
 * rule's own message (libvirtos's) as the whole line; 123 for the rest
 */
START_TEST(firewall_without_module)
{
	static const struct {
		const char *args[8];
		int code;
		const char *msg;
	} cases[] = {
		{ { "firewall" }, 124, "firewall: missing NAME: see 'vosctl ls' for names" },
		{ { "firewall", "bad/name" },
		  124,
		  "NAME: 'bad/name' is not a valid name: use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit" },
		{ { "firewall", "web", "frob" },
		  124,
		  "firewall: unknown action 'frob': use list, add, del, policy, reset or refresh" },
		{ { "firewall", "web", "list", "extra" },
		  124,
		  "firewall list: unexpected argument 'extra': see 'vosctl firewall --help'" },
		{ { "firewall", "web", "reset", "now" },
		  124,
		  "firewall reset: unexpected argument 'now': see 'vosctl firewall --help'" },
		{ { "firewall", "web", "add" },
		  124,
		  "firewall add: missing RULE: e.g. 'vosctl firewall web add action=accept proto=tcp dstports=443'" },
		{ { "firewall", "web", "add", "--json", "action=accept" },
		  124,
		  "firewall: --json goes with list and refresh: 'vosctl firewall web list --json'" },
		{ { "firewall", "web", "list", "--before", "1" },
		  124,
		  "firewall: --before goes with add: 'vosctl firewall web add --before N RULE...'" },
		{ { "firewall", "web", "add", "--before", "0", "action=accept" },
		  124,
		  "--before: '0' is not a positive integer: use e.g. 10" },
		{ { "firewall", "web", "add", "--before", "1025", "action=accept" },
		  124,
		  "--before: '1025' is too large: use at most 1024" },
		{ { "firewall", "web", "del" },
		  124,
		  "firewall del: give one rule number N (see 'vosctl firewall web list')" },
		{ { "firewall", "web", "del", "1", "2" },
		  124,
		  "firewall del: give one rule number N (see 'vosctl firewall web list')" },
		{ { "firewall", "web", "del", "x" },
		  124,
		  "firewall del: 'x' is not a rule number: use N from 'vosctl firewall web list' (1 or more)" },
		{ { "firewall", "web", "policy", "maybe" },
		  124,
		  "firewall policy: give accept or drop: 'vosctl firewall web policy drop'" },
		{ { "firewall", "web", "policy" },
		  124,
		  "firewall policy: give accept or drop: 'vosctl firewall web policy drop'" },
		/* the rule's tokens, joined: the library's message is the line */
		{ { "firewall", "web", "add", "action=accept", "proto=tcp", "dstports=70000" },
		  124,
		  "dstports=70000: a port is 1..65535; use dstports=N or N-M" },
		{ { "firewall", "web", "add", "action=allow" },
		  124,
		  "action=allow: use action=accept or action=drop" },
		{ { "firewall", "web", "add", "proto=tcp" },
		  124,
		  "no action; a rule is action=accept|drop [proto=tcp|udp|icmp] [dsthost=ADDRESS[/N]|NAME|@SUBSYS] [dstports=N[-M]] [icmptype=N] [specialtarget=dns]" },
		{ { "firewall", "web", "add", "action=drop dstports=53" },
		  124,
		  "dstports=53: ports need proto=tcp or proto=udp; add one of them" },
		/* options anywhere: --before after the tokens */
		{ { "firewall", "web", "add", "action=drop", "dsthost=10.0.0.1/8", "--before",
		    "2" },
		  124,
		  "dsthost=10.0.0.1/8: host bits set past /8; use dsthost=10.0.0.0/8" },
		/* well-formed: then the module is needed */
		{ { "firewall", "web" }, 123, "vos.ko is not loaded: run 'sudo modprobe vos'" },
		{ { "firewall", "web", "list", "--json" },
		  123,
		  "vos.ko is not loaded: run 'sudo modprobe vos'" },
		{ { "firewall", "web", "add", "action=accept", "proto=udp", "dstports=53" },
		  123,
		  "vos.ko is not loaded: run 'sudo modprobe vos'" },
		{ { "firewall", "web", "del", "3" },
		  123,
		  "vos.ko is not loaded: run 'sudo modprobe vos'" },
		{ { "firewall", "web", "policy", "drop" },
		  123,
		  "vos.ko is not loaded: run 'sudo modprobe vos'" },
		{ { "firewall", "web", "reset" },
		  123,
		  "vos.ko is not loaded: run 'sudo modprobe vos'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[8] = { NULL }, *out;
		int argc = 0;

		while (argc < 7 && cases[i].args[argc]) {
			argv[argc] = (char *)cases[i].args[argc];
			argc++;
		}
		optind = 0;
		ck_assert_msg(run_cmd("firewall", argv, argc, &out) == cases[i].code,
			      "case %zu: %d (%s)", i, e.code, e.msg);
		ck_assert_str_eq(e.msg, cases[i].msg);
		ck_assert_str_eq(out, "");
		free(out);
	}
}
END_TEST

/* vosctl net show, publish, unpublish: usage errors (a bad SPEC too) before
 * and without the module; 123 for well-formed ones
 */
START_TEST(net_without_module)
{
	static const char nomod[] = "vos.ko is not loaded: run 'sudo modprobe vos'";
	static const char spec_form[] =
		"use tcp:ADDR:HOSTPORT:PORT or udp:ADDR:HOSTPORT:PORT (ADDR one of the host's IPv4 addresses; left out: all of them), e.g. tcp:8080:80";
	static const struct {
		const char *args[6];
		int code;
		const char *msg; /* NULL: "--publish 'SPEC': " + spec_form */
	} cases[] = {
		{ { "net" }, 124, "net: give 'show' (vosctl net show [NAME] [--json])" },
		{ { "net", "frob" }, 124, "net: give 'show' (vosctl net show [NAME] [--json])" },
		{ { "net", "show", "a", "b" }, 124, "net show: one NAME at most ('b' is extra)" },
		{ { "publish" }, 124, "publish: give NAME, e.g. 'vosctl publish web tcp:8080:80'" },
		{ { "unpublish" }, 124, "unpublish: give NAME, e.g. 'vosctl unpublish web'" },
		{ { "unpublish", "web", "--json" },
		  124,
		  "unpublish: unknown option '--json': see 'vosctl unpublish --help'" },
		{ { "publish", "web", "sctp:1:2" }, 124, NULL },
		{ { "unpublish", "web", "tcp:80" }, 124, NULL },
		{ { "net", "show" }, 123, nomod },
		{ { "net", "show", "web", "--json" }, 123, nomod },
		{ { "publish", "web", "tcp:8080:80" }, 123, nomod },
		{ { "unpublish", "web" }, 123, nomod },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[6] = { NULL }, *out, want[512];
		int argc = 0;

		while (argc < 5 && cases[i].args[argc]) {
			argv[argc] = (char *)cases[i].args[argc];
			argc++;
		}
		if (cases[i].msg)
			snprintf(want, sizeof(want), "%s", cases[i].msg);
		else
			snprintf(want, sizeof(want), "--publish '%s': %s", argv[2], spec_form);
		optind = 0;
		ck_assert_msg(run_cmd(argv[0], argv, argc, &out) == cases[i].code,
			      "case %zu: %d (%s)", i, e.code, e.msg);
		ck_assert_str_eq(e.msg, want);
		ck_assert_str_eq(out, "");
		free(out);
	}
}
END_TEST

START_TEST(firewall_errmap)
{
	/* a rule's refusals: the library's line, by class */
	ck_assert_int_eq(
		cli_errmap(&e, OP_RULE, -EINVAL, VOS_ERR_USAGE, "web",
			   "proto=gre: use proto=tcp, proto=udp, proto=icmp or proto=icmp6"),
		124);
	ck_assert_str_eq(e.msg, "proto=gre: use proto=tcp, proto=udp, proto=icmp or proto=icmp6");
	ck_assert_int_eq(
		cli_errmap(
			&e, OP_RULE, -ENOENT, VOS_ERR_NAME, "web",
			"dsthost=@db: no subsystem named 'db'; name one that exists, or give its address"),
		121);
	ck_assert_str_eq(
		e.msg,
		"dsthost=@db: no subsystem named 'db'; name one that exists, or give its address (see 'vosctl ls')");
	ck_assert_int_eq(
		cli_errmap(
			&e, OP_RULE, -EAGAIN, VOS_ERR_INTERNAL, "web",
			"dsthost=x.example: cannot resolve the name now (Temporary failure in name resolution); retry, or give its address"),
		125);
	ck_assert_str_eq(
		e.msg,
		"dsthost=x.example: cannot resolve the name now (Temporary failure in name resolution); retry, or give its address");
	ck_assert_int_eq(cli_errmap(&e, OP_RULE, -ENODEV, VOS_ERR_NOMODULE, "web", "x"), 123);
	/* the set: an older module, the subsystem gone */
	ck_assert_int_eq(cli_errmap(&e, OP_RULES, -ENOTTY, VOS_ERR_NOMODULE, "web", "x"), 123);
	ck_assert_int_eq(cli_errmap(&e, OP_OPEN, -ENOENT, VOS_ERR_NAME, "web", NULL), 121);
	ck_assert_str_eq(e.msg,
			 "no subsystem named 'web': see 'vosctl ls' for the ones you may use");
	ck_assert_int_eq(cli_errmap(&e, OP_RULES, -EIO, VOS_ERR_INTERNAL, "web",
				    "VOS_SUBSYS_SET_RULES: I/O error"),
			 125);
	ck_assert_str_eq(
		e.msg,
		"cannot read or replace the subsystem's rules: VOS_SUBSYS_SET_RULES: I/O error: check 'vosctl version' and the kernel log (dmesg)");
}
END_TEST

START_TEST(help_texts)
{
	char *a1[] = { "help", NULL };
	char *a2[] = { "run", "--help", NULL };
	char *a3[] = { "help", "frobnicate", NULL };
	const struct cli_cmd *c;
	char *out;

	ck_assert_int_eq(run_cmd("help", a1, 1, &out), 0);
	for (c = cli_cmds; c->name; c++)
		ck_assert_ptr_nonnull(strstr(out, c->name));
	ck_assert_ptr_nonnull(strstr(out, "123 vos.ko not loaded"));
	free(out);
	ck_assert_int_eq(run_cmd("run", a2, 2, &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: vosctl run"));
	ck_assert_ptr_nonnull(strstr(out, "--memory SIZE"));
	ck_assert_ptr_nonnull(strstr(out, "127 command not found"));
	free(out);
	ck_assert_int_eq(run_cmd("help", a3, 2, &out), 124);
	ck_assert_str_eq(e.msg, "unknown command 'frobnicate': see 'vosctl --help'");
	free(out);
}
END_TEST

/* ---- the table against --help, the man page and the completion ---- */

START_TEST(help_from_the_table)
{
	static const char *const verbs[] = { "run", "create" };
	const struct vos_option *o;
	char *a[] = { NULL, "--help", NULL }, *out, line[128];
	size_t n, i, v;

	o = vos_options(&n);
	for (v = 0; v < 2; v++) {
		a[0] = (char *)verbs[v];
		ck_assert_int_eq(run_cmd(verbs[v], a, 2, &out), 0);
		for (i = 0; i < n; i++) {
			/* each row starts a line: "  --NAME ARG" */
			snprintf(line, sizeof(line), "\n  --%s%s%s", o[i].name, o[i].arg ? " " : "",
				 o[i].arg ? o[i].arg : "");
			ck_assert_msg(strstr(out, line), "%s --help: no '%s'", verbs[v], line + 1);
		}
		free(out);
	}
}
END_TEST

/* A file of the tree (make and check.sh run the tests from its top) */
static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *m;
	int c;

	ck_assert_msg(f, "%s: %s (run from the top of the tree)", path, strerror(errno));
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Is @name in @words (space-separated, with '\n' as a space too)? */
static bool has_word(const char *words, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = words; (p = strstr(p, name)); p += n)
		if ((p == words || strchr(" \n\t|", p[-1])) && (!p[n] || strchr(" \n\t|)", p[n])))
			return true;
	return false;
}

/*
 * The man page's "Isolation options, for run and create" list: each entry
 * a ".TP" then ".B \-\-NAME" (a flag) or ".BI \-\-NAME " ARG"" (a value);
 * the list ends where "Options of run" begins. Every row of the table has
 * its entry, of its kind, and every entry is a row.
 */
START_TEST(man_page_lists_the_table)
{
	const struct vos_option *o, *row;
	char *man = slurp("Documentation/vosctl.1"), *p, *end, name[64];
	size_t n, i, k, seen = 0;

	o = vos_options(&n);
	p = strstr(man, "\n.SH OPTIONS\n");
	ck_assert_ptr_nonnull(p);
	end = strstr(p, "\n.PP\nOptions of\n");
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	while ((p = strstr(p, "\n.TP\n"))) {
		bool value;

		p += 5;
		value = strncmp(p, ".BI \\-\\-", 8) == 0;
		ck_assert_msg(value || strncmp(p, ".B \\-\\-", 7) == 0, "vosctl.1: entry '%.30s'",
			      p);
		p += value ? 8 : 7;
		for (k = 0; k + 1 < sizeof(name) && (isalnum((unsigned char)*p) || *p == '\\');) {
			if (*p == '\\' && p[1] == '-') {
				name[k++] = '-';
				p += 2;
			} else if (*p == '\\') {
				break;
			} else {
				name[k++] = *p++;
			}
		}
		name[k] = '\0';
		row = vos_option_find(name);
		ck_assert_msg(row, "vosctl.1 lists --%s, which is no isolation option", name);
		ck_assert_msg(!row->arg == !value, "vosctl.1 shows --%s %s, but it %s", name,
			      value ? "with a value (.BI)" : "as a flag (.B)",
			      row->arg ? "takes a value" : "is a flag");
		seen++;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "\n.TP\n.B%s \\-\\-", o[i].arg ? "I" : "");
		p = man;
		for (k = 0; (p = strstr(p, name)); p++) {
			const char *q = p + strlen(name), *r = o[i].name;

			/* compare "\-"-spelt NAME with the row's name */
			while (*r && (*q == *r || (*r == '-' && q[0] == '\\' && q[1] == '-'))) {
				q += *r == '-' ? 2 : 1;
				r++;
			}
			if (!*r && !isalnum((unsigned char)*q) && strncmp(q, "\\-", 2))
				k++;
		}
		ck_assert_msg(k == 1, "vosctl.1 lists --%s %zu times in OPTIONS", o[i].name, k);
	}
	ck_assert_uint_eq(seen, n);
	free(man);
}
END_TEST

/*
 * The completion: _vosctl_spec_opts is the table, and _vosctl_takes_value
 * names the rows that take a value and none that does not.
 */
START_TEST(completion_lists_the_table)
{
	char *comp = slurp("tools/vosctl/vosctl.bash-completion"), *spec, *takes, *p, opt[64];
	const struct vos_option *o;
	size_t n, i, words = 0;

	o = vos_options(&n);
	spec = strstr(comp, "\n_vosctl_spec_opts=\"");
	ck_assert_ptr_nonnull(spec);
	spec += strlen("\n_vosctl_spec_opts=\"");
	p = strchr(spec, '"');
	ck_assert_ptr_nonnull(p);
	*p = '\0';
	takes = strstr(p + 1, "\n_vosctl_takes_value() {");
	ck_assert_ptr_nonnull(takes);
	p = strstr(takes, ") return 0");
	ck_assert_ptr_nonnull(p);
	*p = '\0';
	for (i = 0; i < n; i++) {
		snprintf(opt, sizeof(opt), "--%s", o[i].name);
		ck_assert_msg(has_word(spec, opt), "_vosctl_spec_opts has no %s", opt);
		ck_assert_msg(has_word(takes, opt) == !!o[i].arg,
			      "_vosctl_takes_value %s %s, which %s a value",
			      has_word(takes, opt) ? "has" : "lacks", opt,
			      o[i].arg ? "takes" : "takes no");
	}
	for (p = strtok(spec, " \n"); p; p = strtok(NULL, " \n")) {
		ck_assert_msg(strncmp(p, "--", 2) == 0 && vos_option_find(p),
			      "_vosctl_spec_opts has %s, which is no isolation option", p);
		words++;
	}
	ck_assert_uint_eq(words, n);
	free(comp);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("vosctl");
	TCase *t;

	t = tcase_create("values");
	tcase_add_test(t, names);
	tcase_add_test(t, counts);
	tcase_add_test(t, signals);
	suite_add_tcase(s, t);

	t = tcase_create("args");
	tcase_add_test(t, run_args_into_config);
	tcase_add_test(t, run_args_no_dashdash);
	tcase_add_test(t, run_args_every_option);
	tcase_add_test(t, run_args_socket_env);
	tcase_add_test(t, run_args_errors);
	tcase_add_test(t, run_args_root_choice);
	tcase_add_test(t, create_args_into_config);
	tcase_add_test(t, longopts_from_the_table);
	suite_add_tcase(s, t);

	t = tcase_create("docs");
	tcase_add_test(t, help_from_the_table);
	tcase_add_test(t, man_page_lists_the_table);
	tcase_add_test(t, completion_lists_the_table);
	suite_add_tcase(s, t);

	t = tcase_create("json");
	tcase_add_test(t, json_escape);
	tcase_add_test(t, json_embedded_nul_and_null);
	tcase_add_test(t, json_info_and_event);
	suite_add_tcase(s, t);

	t = tcase_create("errors");
	tcase_add_test(t, errmap);
	tcase_add_test(t, errmap_by_class);
	tcase_add_test(t, wait_status);
	tcase_add_test(t, no_module);
	tcase_add_test(t, usage_before_module);
	tcase_add_test(t, log_usage_before_module);
	tcase_add_test(t, units_without_module);
	tcase_add_test(t, help_texts);
	tcase_add_test(t, firewall_without_module);
	tcase_add_test(t, net_without_module);
	tcase_add_test(t, firewall_errmap);
	suite_add_tcase(s, t);
	return s;
}

Suite *desktop_suite(void); /* desktop_test.c */
Suite *focus_suite(void);   /* focus_test.c */

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_add_suite(sr, desktop_suite());
	srunner_add_suite(sr, focus_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
