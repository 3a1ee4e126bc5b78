// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of vosctl's own logic: option values, argument parsing of run
 * and create, the JSON writer, error-message mapping and the output
 * formats. No module needed: the commands that would reach vos.ko are
 * pointed at a device that does not exist.
 */
#include <check.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/wait.h>

#include <virtos.h>

#include "common.h"
#include "vosctl.h"

static struct cli_err e;

static void reset(void)
{
	memset(&e, 0, sizeof(e));
	optind = 0;
}

/* ---- sizes ---- */

START_TEST(size_ok)
{
	uint64_t v = 0;

	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "512M", &v), 0);
	ck_assert_uint_eq(v, 512ULL << 20);
	ck_assert_int_eq(parse_size(&e, "--memory", "512m", &v), 0);
	ck_assert_uint_eq(v, 512ULL << 20);
	ck_assert_int_eq(parse_size(&e, "--memory", "2G", &v), 0);
	ck_assert_uint_eq(v, 2ULL << 30);
	ck_assert_int_eq(parse_size(&e, "--memory", "4096K", &v), 0);
	ck_assert_uint_eq(v, 4ULL << 20);
	ck_assert_int_eq(parse_size(&e, "--memory", "1048576", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 20);
	ck_assert_int_eq(e.code, 0);
}
END_TEST

START_TEST(size_bad)
{
	static const char *const bad[] = {
		"12X", "", "M", "-1", "1.5G", "512MB", " 1G", "1G ", "0x10", "+5M",
	};
	uint64_t v = 77;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		ck_assert_int_eq(parse_size(&e, "--memory", bad[i], &v), EXIT_USAGE);
		ck_assert_int_eq(e.code, EXIT_USAGE);
		ck_assert_ptr_nonnull(strstr(
			e.msg,
			"is not a size: use a number with an optional K, M or G suffix, e.g. 512M"));
		ck_assert_uint_eq(v, 77);
	}
	reset();
	parse_size(&e, "--memory", "12X", &v);
	ck_assert_str_eq(
		e.msg,
		"--memory: '12X' is not a size: use a number with an optional K, M or G suffix, e.g. 512M");
}
END_TEST

START_TEST(size_range)
{
	uint64_t v = 0;

	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "1K", &v), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--memory: '1K' is too small: use at least 1M");
	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "0", &v), EXIT_USAGE);
	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "99999999999999999999999", &v), EXIT_USAGE);
	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "18014398509481984G", &v), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "too large"));
	reset();
	ck_assert_int_eq(parse_size(&e, "--memory", "1048576G", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 50);
}
END_TEST

/* ---- CPUs ---- */

START_TEST(cpus_ok)
{
	static const struct {
		const char *s;
		uint32_t milli;
	} ok[] = {
		{ "0.5", 500 }, { "2", 2000 },	     { "1.25", 1250 }, { ".5", 500 },
		{ "0.001", 1 }, { "1024", 1024000 }, { "3.0", 3000 },  { "007", 7000 },
	};
	uint32_t m;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		reset();
		m = 0;
		ck_assert_msg(parse_cpus(&e, "--cpus", ok[i].s, &m) == 0, "%s: %s", ok[i].s, e.msg);
		ck_assert_uint_eq(m, ok[i].milli);
	}
}
END_TEST

START_TEST(cpus_bad)
{
	static const char *const bad[] = { "", "abc", "1.", "-1", "1,5", "1.5x", ".", "0x2", "1e3" };
	uint32_t m = 9;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		ck_assert_int_eq(parse_cpus(&e, "--cpus", bad[i], &m), EXIT_USAGE);
		ck_assert_ptr_nonnull(strstr(
			e.msg, "is not a CPU count: use a decimal number such as 0.5, 1.25 or 2"));
		ck_assert_uint_eq(m, 9);
	}
	reset();
	ck_assert_int_eq(parse_cpus(&e, "--cpus", "0", &m), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--cpus: '0' allows no CPU time: use a positive number, e.g. 0.5");
	reset();
	ck_assert_int_eq(parse_cpus(&e, "--cpus", "0.0004", &m), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "more than 3 decimals"));
	reset();
	ck_assert_int_eq(parse_cpus(&e, "--cpus", "1024.001", &m), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--cpus: '1024.001' is too large: use at most 1024");
	reset();
	ck_assert_int_eq(parse_cpus(&e, "--cpus", "99999999999999999999", &m), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "too large"));
}
END_TEST

/* ---- pids ---- */

START_TEST(pids)
{
	uint32_t v = 0;

	reset();
	ck_assert_int_eq(parse_pids(&e, "--pids", "64", &v), 0);
	ck_assert_uint_eq(v, 64);
	ck_assert_int_eq(parse_pids(&e, "--pids", "4194304", &v), 0);
	ck_assert_uint_eq(v, 4194304);
	v = 5;
	ck_assert_int_eq(parse_pids(&e, "--pids", "0", &v), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--pids: '0' is not a positive integer: use e.g. 64");
	ck_assert_int_eq(parse_pids(&e, "--pids", "-3", &v), EXIT_USAGE);
	ck_assert_int_eq(parse_pids(&e, "--pids", "12abc", &v), EXIT_USAGE);
	ck_assert_int_eq(parse_pids(&e, "--pids", "", &v), EXIT_USAGE);
	ck_assert_int_eq(parse_pids(&e, "--pids", "4194305", &v), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--pids: '4194305' is too large: use at most 4194304");
	ck_assert_uint_eq(v, 5);
}
END_TEST

/* ---- capabilities ---- */

START_TEST(caps)
{
	static const char *const forms[] = { "CAP_NET_RAW", "cap_net_raw", "NET_RAW", "net_raw",
					     "Cap_Net_Raw" };
	size_t i;
	int c;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		reset();
		c = -1;
		ck_assert_int_eq(parse_cap(&e, "--cap-add", forms[i], &c), 0);
		ck_assert_int_eq(c, CAP_NET_RAW);
	}
	reset();
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "sys_admin", &c), 0);
	ck_assert_int_eq(c, CAP_SYS_ADMIN);
	reset();
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "net_rawx", &c), EXIT_USAGE);
	ck_assert_str_eq(
		e.msg,
		"--cap-add: 'net_rawx' is not a capability: use a name from capabilities(7), e.g. CAP_NET_RAW or net_raw");
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "", &c), EXIT_USAGE);
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "CAP_", &c), EXIT_USAGE);
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "net raw", &c), EXIT_USAGE);
	ck_assert_int_eq(parse_cap(&e, "--cap-add", "cap_net_raw,cap_sys_admin", &c), EXIT_USAGE);
}
END_TEST

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

START_TEST(hostnames)
{
	reset();
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "web1"), 0);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "a.b-c.d"), 0);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", ""), EXIT_USAGE);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "a..b"), EXIT_USAGE);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", ".a"), EXIT_USAGE);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "a."), EXIT_USAGE);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "-a"), EXIT_USAGE);
	ck_assert_int_eq(parse_hostname(&e, "--hostname", "a_b"), EXIT_USAGE);
	ck_assert_int_eq(
		parse_hostname(&e, "--hostname",
			       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
		EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "is not a host name"));
}
END_TEST

/* ---- binds ---- */

START_TEST(binds)
{
	static struct cli_spec spec;

	reset();
	spec_init(&spec);
	ck_assert_int_eq(parse_bind(&e, "--ro", "/srv/data", BIND_RO, &spec), 0);
	ck_assert_int_eq(parse_bind(&e, "--rw", "/srv/a:/data", BIND_RW, &spec), 0);
	ck_assert_int_eq(parse_bind(&e, "--tmpfs", "/scratch", BIND_TMPFS, &spec), 0);
	ck_assert_uint_eq(spec.nbinds, 3);
	ck_assert_str_eq(spec.binds[0].src, "/srv/data");
	ck_assert_str_eq(spec.binds[0].dest, "/srv/data");
	ck_assert_int_eq(spec.binds[0].type, BIND_RO);
	ck_assert_str_eq(spec.binds[1].src, "/srv/a");
	ck_assert_str_eq(spec.binds[1].dest, "/data");
	ck_assert_int_eq(spec.binds[1].type, BIND_RW);
	ck_assert_ptr_null(spec.binds[2].src);
	ck_assert_str_eq(spec.binds[2].dest, "/scratch");

	ck_assert_int_eq(parse_bind(&e, "--ro", "rel", BIND_RO, &spec), EXIT_USAGE);
	ck_assert_str_eq(
		e.msg,
		"--ro: 'rel' is not SRC[:DEST]: use absolute paths, e.g. /srv/data or /srv/data:/mnt");
	ck_assert_int_eq(parse_bind(&e, "--ro", "/a:rel", BIND_RO, &spec), EXIT_USAGE);
	ck_assert_int_eq(parse_bind(&e, "--ro", "/a:/b:/c", BIND_RO, &spec), EXIT_USAGE);
	ck_assert_int_eq(parse_bind(&e, "--rw", "", BIND_RW, &spec), EXIT_USAGE);
	ck_assert_int_eq(parse_bind(&e, "--tmpfs", "tmp", BIND_TMPFS, &spec), EXIT_USAGE);
	ck_assert_str_eq(e.msg,
			 "--tmpfs: 'tmp' is not an absolute path: use a path starting with '/'");
	ck_assert_uint_eq(spec.nbinds, 3);
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

/* ---- run and create argument parsing ---- */

START_TEST(run_args)
{
	static struct cli_spec spec;
	char *argv[] = { "run",		"--name",    "web",	   "--memory",	"512M",
			 "--cpus",	"1.5",	     "--pids",	   "32",	"--root",
			 "--share-net", "--as-pid1", "--hostname", "h1",	"--ro",
			 "/srv",	"--tmpfs",   "/cache",	   "--cap-add", "net_raw",
			 "--rootfs",	"/srv/root", "--isolate",  "--no-tty",	"--",
			 "echo",	"--memory",  "x",	   NULL };
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;

	reset();
	ck_assert_int_eq(run_parse(&e, &spec, argc, argv), 0);
	ck_assert_str_eq(spec.name, "web");
	ck_assert_uint_eq(spec.memory, 512ULL << 20);
	ck_assert_uint_eq(spec.cpu_milli, 1500);
	ck_assert_uint_eq(spec.pids, 32);
	ck_assert(spec.root);
	ck_assert(spec.share_net);
	ck_assert(spec.as_pid1);
	ck_assert(!spec.persistent);
	ck_assert_str_eq(spec.hostname, "h1");
	ck_assert_str_eq(spec.rootfs, "/srv/root");
	ck_assert_uint_eq(spec.nbinds, 2);
	ck_assert_uint_eq(spec.ncaps, 1);
	ck_assert_int_eq(spec.caps[0], CAP_NET_RAW);
	ck_assert_int_eq(spec.tty, TTY_NEVER);
	/* the app's own options are not vosctl's */
	ck_assert_str_eq(argv[optind], "echo");
	ck_assert_int_eq(argc - optind, 3);
}
END_TEST

START_TEST(run_args_no_dashdash)
{
	static struct cli_spec spec;
	char *argv[] = { "run", "--pids", "5", "ls", "-l", "--memory", "1G", NULL };

	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 7, argv), 0);
	ck_assert_str_eq(argv[optind], "ls");
	ck_assert_uint_eq(spec.memory, 0);
	ck_assert_uint_eq(spec.pids, 5);
}
END_TEST

START_TEST(run_args_root_choice)
{
	static struct cli_spec spec;
	char *a1[] = { "run", "--host-root", "--", "true", NULL };
	char *a2[] = { "run", "--host-root", "--rootfs", "/srv/root", "--", "true", NULL };
	char *a3[] = { "run", "--rootfs", "/srv/root", "--host-root", "--", "true", NULL };

	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 4, a1), 0);
	ck_assert(spec.host_root);
	ck_assert_ptr_null(spec.rootfs);
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 6, a2), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--rootfs and --host-root both choose the root: give one of them");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 6, a3), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "--rootfs and --host-root both choose the root: give one of them");
}
END_TEST

START_TEST(run_args_socket_env)
{
	static struct cli_spec spec;
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
	bool json = false;

	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 15, a1), 0);
	ck_assert_uint_eq(spec.socket_families, (1ULL << 40) | (1ULL << 17) | (1ULL << 38));
	ck_assert_uint_eq(spec.nenv, 2);
	ck_assert_str_eq(spec.env[1], "B=x=y");
	ck_assert_uint_eq(spec.nkeep_env, 1);
	ck_assert_str_eq(spec.keep_env[0], "SSH_AUTH_SOCK");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 5, a2), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--allow-socket: 'fly' is not a socket family"));
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 5, a3), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--env: 'NOVALUE' is not NAME=VALUE"));
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 5, a4), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--keep-env: 'A=1' is not a variable NAME"));
	reset();
	ck_assert_int_eq(create_parse(&e, &spec, &json, 4, a5), 0);
	ck_assert_uint_eq(spec.socket_families, 1ULL << 38);
}
END_TEST

START_TEST(run_args_errors)
{
	static struct cli_spec spec;
	char *a1[] = { "run", NULL };
	char *a2[] = { "run", "--name", "web", "--", NULL };
	char *a3[] = { "run", "--rm", "--persistent", "--", "true", NULL };
	char *a4[] = { "run", "--bogus", "--", "true", NULL };
	char *a5[] = { "run", "--cpus", NULL };
	char *a6[] = { "run", "--name", "bad name", "--", "true", NULL };
	char *a7[] = { "run", "--pids", "0", "true", NULL };
	char *a8[] = { "run", "-x", "true", NULL };
	char *a9[] = { "run", "--help", NULL };

	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 1, a1), EXIT_USAGE);
	ck_assert_str_eq(e.msg,
			 "run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 4, a2), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "missing command"));
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 5, a3), EXIT_USAGE);
	ck_assert_str_eq(e.msg,
			 "run: --rm and --persistent contradict each other: give one of them");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 4, a4), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: unknown option '--bogus': see 'vosctl run --help'");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 2, a5), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: option '--cpus' needs a value: see 'vosctl run --help'");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 5, a6), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--name: 'bad name' is not a valid name"));
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 4, a7), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "--pids: '0'"));
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 3, a8), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "run: unknown option '-x': see 'vosctl run --help'");
	reset();
	ck_assert_int_eq(run_parse(&e, &spec, 2, a9), OPT_HELP);
}
END_TEST

START_TEST(create_args)
{
	static struct cli_spec spec;
	bool json = false;
	char *a1[] = { "create", "web", "--memory", "1G", "--json", NULL };
	char *a2[] = { "create", "--pids", "9", NULL };
	char *a3[] = { "create", "web", "extra", NULL };
	char *a4[] = { "create", "-bad", NULL };

	reset();
	ck_assert_int_eq(create_parse(&e, &spec, &json, 5, a1), 0);
	ck_assert_str_eq(spec.name, "web");
	ck_assert(spec.persistent);
	ck_assert(json);
	ck_assert_uint_eq(spec.memory, 1ULL << 30);
	reset();
	ck_assert_int_eq(create_parse(&e, &spec, &json, 3, a2), EXIT_USAGE);
	ck_assert_str_eq(e.msg, "create: missing NAME: e.g. 'vosctl create web'");
	reset();
	ck_assert_int_eq(create_parse(&e, &spec, &json, 3, a3), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "unexpected argument 'extra'"));
	reset();
	ck_assert_int_eq(create_parse(&e, &spec, &json, 2, a4), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "unknown option"));
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
	event_json(f, &ev);
	fclose(f);
	ck_assert_str_eq(
		buf,
		"{\"seq\":12,\"time_ns\":5,\"type\":\"stopped\",\"id\":7,\"name\":\"web\",\"pid\":1,"
		"\"comm\":\"sh\\n\\ufffd\",\"exit_status\":9,\"exit_code\":137}");
	free(buf);
	f = open_memstream(&buf, &len);
	event_text(f, &ev);
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

static Suite *cli_suite(void)
{
	Suite *s = suite_create("vosctl");
	TCase *t;

	t = tcase_create("values");
	tcase_add_test(t, size_ok);
	tcase_add_test(t, size_bad);
	tcase_add_test(t, size_range);
	tcase_add_test(t, cpus_ok);
	tcase_add_test(t, cpus_bad);
	tcase_add_test(t, pids);
	tcase_add_test(t, caps);
	tcase_add_test(t, names);
	tcase_add_test(t, hostnames);
	tcase_add_test(t, binds);
	tcase_add_test(t, signals);
	suite_add_tcase(s, t);

	t = tcase_create("args");
	tcase_add_test(t, run_args);
	tcase_add_test(t, run_args_no_dashdash);
	tcase_add_test(t, run_args_socket_env);
	tcase_add_test(t, run_args_errors);
	tcase_add_test(t, run_args_root_choice);
	tcase_add_test(t, create_args);
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
	tcase_add_test(t, help_texts);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
