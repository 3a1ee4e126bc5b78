// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the option table (lib/libvirtos/options.c): every row is
 * well formed and settable, every value is checked once with one message,
 * and that message is the same whether the value came through
 * vos_config_set_option() (vosctl, a definition file) or a typed setter.
 * The messages asserted here are the ones vosctl prints after "vosctl: "
 * (tests/integration/cli/errors.bats asserts them there).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "virtos.h"
#include "private.h" /* the config's fields, linked from libvirtos-test.a */

static struct vos_ctx *ctx;
static struct vos_config *cfg;

static void setup(void)
{
	ck_assert_int_eq(vos_ctx_new(&ctx), 0);
	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
}

static void teardown(void)
{
	vos_config_free(cfg);
	vos_ctx_free(ctx);
}

/* Set @name to @value on a fresh config: 0 or the error, message in @msg */
static int set1(const char *name, const char *value, char *msg, size_t len)
{
	int r;

	vos_config_free(cfg);
	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
	vos_ctx_clear_error(ctx);
	r = vos_config_set_option(cfg, name, value);
	snprintf(msg, len, "%s", vos_ctx_errmsg(ctx));
	if (r < 0) {
		ck_assert_int_eq(r, -EINVAL);
		ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	}
	return r;
}

static void set_ok(const char *name, const char *value)
{
	char m[512];

	ck_assert_msg(set1(name, value, m, sizeof(m)) == 0, "%s %s: %s", name,
		      value ? value : "(flag)", m);
}
#define OK(name, value) set_ok(name, value)

/* refused, with exactly @want */
#define BAD(name, value, want)                                                \
	do {                                                                  \
		char m_[512];                                                 \
		ck_assert_int_eq(set1(name, value, m_, sizeof(m_)), -EINVAL); \
		ck_assert_str_eq(m_, want);                                   \
	} while (0)

/* refused, with a message containing @part */
#define BADP(name, value, part)                                                                  \
	do {                                                                                     \
		char m_[512];                                                                    \
		ck_assert_int_eq(set1(name, value, m_, sizeof(m_)), -EINVAL);                    \
		ck_assert_msg(strstr(m_, part), "%s '%s': got '%s', want '%s'", name, value, m_, \
			      part);                                                             \
	} while (0)

START_TEST(table_is_well_formed)
{
	const struct vos_option *o;
	size_t n, i, j;

	o = vos_options(&n);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_ge(n, 18);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(o[i].name);
		ck_assert_msg(o[i].name[0] && o[i].name[0] != '-', "%s", o[i].name);
		ck_assert_msg(o[i].help && *o[i].help && !strchr(o[i].help, '\n'), "%s", o[i].name);
		ck_assert_msg(o[i].section && o[i].key && *o[i].key, "%s", o[i].name);
		ck_assert_msg(!o[i].arg || *o[i].arg, "%s", o[i].name);
		/* a flag is set once; what repeats takes a value */
		ck_assert_msg(o[i].arg || !(o[i].flags & VOS_OPTION_REPEATABLE), "%s", o[i].name);
		ck_assert_ptr_eq(vos_option_find(o[i].name), &o[i]);
		for (j = 0; j < i; j++) {
			ck_assert_str_ne(o[i].name, o[j].name);
			ck_assert_msg(strcmp(o[i].section, o[j].section) ||
					      strcmp(o[i].key, o[j].key),
				      "[%s] %s twice", o[i].section, o[i].key);
		}
	}
	ck_assert_ptr_eq(vos_option_find("--memory"), vos_option_find("memory"));
	ck_assert_ptr_null(vos_option_find("frobnicate"));
	ck_assert_ptr_null(vos_option_find(NULL));
	/* the keys issue 14's definition files spell so */
	ck_assert_str_eq(vos_option_find("memory")->section, "Limits");
	ck_assert_str_eq(vos_option_find("memory")->key, "Memory");
	ck_assert_str_eq(vos_option_find("cpus")->key, "CPUs");
	ck_assert_str_eq(vos_option_find("pids")->key, "Pids");
	ck_assert_str_eq(vos_option_find("ro")->key, "ReadOnly");
	ck_assert_str_eq(vos_option_find("rw")->key, "ReadWrite");
	ck_assert_str_eq(vos_option_find("tmpfs")->section, "Files");
	ck_assert_str_eq(vos_option_find("rootfs")->key, "Rootfs");
	ck_assert_str_eq(vos_option_find("hostname")->section, "Exec");
	ck_assert_str_eq(vos_option_find("root")->key, "Root");
}
END_TEST

/* Every row takes a good value (or a flag) and sets what it says */
START_TEST(every_row_sets)
{
	static const struct {
		const char *name, *value;
	} good[] = {
		{ "isolate", NULL },
		{ "root", NULL },
		{ "as-user", NULL },
		{ "uid", "1000:100" },
		{ "hostname", "web1" },
		{ "rootfs", "/srv/r" },
		{ "host-root", NULL },
		{ "ro", "/a:/b" },
		{ "rw", "/c" },
		{ "tmpfs", "/scratch" },
		{ "memory", "64M" },
		{ "cpus", "0.5" },
		{ "pids", "32" },
		{ "tmpfs-size", "16M" },
		{ "cap-add", "net_raw" },
		{ "share-net", NULL },
		{ "uplink", "host" },
		{ "allow-socket", "vsock" },
		{ "as-pid1", NULL },
		{ "gui", NULL },
		{ "persistent", NULL },
		{ "provides-network", NULL },
		{ "publish", "tcp:8080:80" },
		{ "service", "vos.Echo=/bin/cat" },
		{ "tag", "work" },
	};
	const struct vos_option *o;
	size_t n, i, k;

	o = vos_options(&n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof(good) / sizeof(good[0]); k++)
			if (!strcmp(good[k].name, o[i].name))
				break;
		ck_assert_msg(k < sizeof(good) / sizeof(good[0]), "no good value for --%s",
			      o[i].name);
		ck_assert_msg(!o[i].arg == !good[k].value, "--%s", o[i].name);
		/* host-root and rootfs exclude each other: each on its own */
		OK(o[i].name, good[k].value);
	}
	/* on one config, all but --host-root and --uplink host (they exclude
	 * --rootfs and --share-net) and --uid (it excludes --root); then read back
	 */
	vos_config_free(cfg);
	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++)
		if (strcmp(good[k].name, "host-root") && strcmp(good[k].name, "uplink") &&
		    strcmp(good[k].name, "provides-network") && strcmp(good[k].name, "uid"))
			ck_assert_int_eq(vos_config_set_option(cfg, good[k].name, good[k].value),
					 0);
	ck_assert(cfg->root && cfg->host_ids && cfg->share_net && cfg->as_pid1 && cfg->persistent);
	ck_assert_str_eq(cfg->hostname, "web1");
	ck_assert_str_eq(cfg->rootfs, "/srv/r");
	ck_assert_uint_eq(cfg->nbinds, 2);
	ck_assert_str_eq(cfg->binds[0].dest, "/b");
	ck_assert_uint_eq(cfg->binds[0].flags, VOS_BIND_RO);
	ck_assert_str_eq(cfg->binds[1].dest, "/c");
	ck_assert_uint_eq(cfg->binds[1].flags, VOS_BIND_RW);
	ck_assert_str_eq(cfg->tmpfs[0], "/scratch");
	ck_assert_uint_eq(cfg->memory, 64ULL << 20);
	ck_assert_uint_eq(cfg->cpu_milli, 500);
	ck_assert_uint_eq(cfg->pids, 32);
	ck_assert_uint_eq(cfg->tmpfs_size, 16ULL << 20);
	ck_assert_uint_eq(cfg->caps, 1ULL << CAP_NET_RAW);
	ck_assert_uint_eq(cfg->socket_families, 1ULL << 40);
	/* a flag takes yes/no too (a definition file's Root=no) */
	ck_assert_int_eq(vos_config_set_option(cfg, "--root", "no"), 0);
	ck_assert(!cfg->root);
	ck_assert_int_eq(vos_config_set_option(cfg, "root", "Yes"), 0);
	ck_assert(cfg->root);
}
END_TEST

START_TEST(names_forms_and_flags)
{
	BAD("frobnicate", "1",
	    "'frobnicate' is not an isolation option: see vos_options() or 'vosctl run --help'");
	BAD("memory", NULL, "--memory: needs a value: give SIZE|max");
	BAD("root", "maybe",
	    "--root: 'maybe' is not yes or no: give yes or no (or no value for yes)");
	BAD("isolate", "no",
	    "--isolate: the strict recipe is the default and stays: relax single options instead");
	OK("isolate", "yes");
	ck_assert_int_eq(vos_config_set_option(NULL, "root", NULL), -EINVAL);
}
END_TEST

#define SIZE_FORM "is not a size: use a number with an optional K, M or G suffix, e.g. 512M"

START_TEST(sizes)
{
	static const char *const bad[] = {
		"12X", "", "M", "-1", "1.5G", "512MB", " 1G", "1G ", "0x10", "+5M", "1T", "3GiB",
	};
	size_t i;

	OK("memory", "512M");
	ck_assert_uint_eq(cfg->memory, 512ULL << 20);
	OK("memory", "512m");
	OK("memory", "2G");
	ck_assert_uint_eq(cfg->memory, 2ULL << 30);
	OK("memory", "4096K");
	ck_assert_uint_eq(cfg->memory, 4ULL << 20);
	OK("memory", "1048576");
	ck_assert_uint_eq(cfg->memory, 1ULL << 20);
	OK("memory", "max");
	ck_assert_uint_eq(cfg->memory, 0);
	OK("memory", "1048576G");
	ck_assert_uint_eq(cfg->memory, 1ULL << 50);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		BADP("memory", bad[i], SIZE_FORM);
	BAD("memory", "12X", "--memory: '12X' " SIZE_FORM);
	BAD("memory", "1K", "--memory: '1K' is too small: use at least 1M");
	BAD("memory", "0", "--memory: '0' is too small: use at least 1M");
	BAD("memory", "99999999999999999999999",
	    "--memory: '99999999999999999999999' is too large: use at most 1048576G");
	BAD("memory", "18014398509481984G",
	    "--memory: '18014398509481984G' is too large: use at most 1048576G");
	BAD("memory", "1048577G", "--memory: '1048577G' is too large: use at most 1048576G");
	BAD("tmpfs-size", "1K", "--tmpfs-size: '1K' is too small: use at least 1M");
	BAD("tmpfs-size", "x", "--tmpfs-size: 'x' " SIZE_FORM);
}
END_TEST

#define CPUS_FORM "is not a CPU count: use a decimal number such as 0.5, 1.25 or 2"

START_TEST(cpus)
{
	static const struct {
		const char *s;
		uint32_t milli;
	} ok[] = {
		{ "0.5", 500 },	 { "2", 2000 },	      { "1.25", 1250 }, { "0.001", 1 },
		{ "3.0", 3000 }, { "1024", 1024000 }, { "007", 7000 },
	};
	static const char *const bad[] = { "",	   "abc", "1.",	 "-1",	"1,5",
					   "1.5x", ".",	  "0x2", "1e3", ".5" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		OK("cpus", ok[i].s);
		ck_assert_uint_eq(cfg->cpu_milli, ok[i].milli);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		BADP("cpus", bad[i], CPUS_FORM);
	BAD("cpus", "abc", "--cpus: 'abc' " CPUS_FORM);
	BAD("cpus", "0", "--cpus: '0' allows no CPU time: use a positive number, e.g. 0.5");
	BAD("cpus", "0.0004", "--cpus: '0.0004' has more than 3 decimals: use e.g. 0.5, 1.25 or 2");
	BAD("cpus", "1.5000", "--cpus: '1.5000' has more than 3 decimals: use e.g. 0.5, 1.25 or 2");
	BAD("cpus", "2000", "--cpus: '2000' is too large: use at most 1024");
	BAD("cpus", "1024.001", "--cpus: '1024.001' is too large: use at most 1024");
	BADP("cpus", "99999999999999999999", "is too large");
}
END_TEST

START_TEST(pids)
{
	OK("pids", "64");
	ck_assert_uint_eq(cfg->pids, 64);
	OK("pids", "4194304");
	OK("pids", "max");
	ck_assert_uint_eq(cfg->pids, 0);
	BAD("pids", "0", "--pids: '0' is not a positive integer: use e.g. 64");
	BAD("pids", "-5", "--pids: '-5' is not a positive integer: use e.g. 64");
	BADP("pids", "12abc", "is not a positive integer");
	BADP("pids", "", "is not a positive integer");
	BAD("pids", "4194305", "--pids: '4194305' is too large: use at most 4194304");
	BADP("pids", "99999999999999999999999", "is too large");
}
END_TEST

START_TEST(capabilities)
{
	static const char *const forms[] = { "CAP_NET_RAW", "cap_net_raw", "NET_RAW",
					     "net_raw",	    "Cap_Net_Raw", "13" };
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		OK("cap-add", forms[i]);
		ck_assert_uint_eq(cfg->caps, 1ULL << CAP_NET_RAW);
	}
	BAD("cap-add", "net_rawx",
	    "--cap-add: 'net_rawx' is not a capability: use a name from capabilities(7), e.g. CAP_NET_RAW or net_raw");
	BADP("cap-add", "bogus", "'bogus' is not a capability");
	BADP("cap-add", "", "is not a capability");
	BADP("cap-add", "CAP_", "is not a capability");
	BADP("cap-add", "net raw", "is not a capability");
	/* one name per use: libcap alone would take the first of a list */
	BADP("cap-add", "cap_net_raw,cap_sys_admin", "is not a capability");
}
END_TEST

#define HOST_FORM "is not a host name: use up to 64 letters, digits, '-' and '.', e.g. web1"

START_TEST(hostnames)
{
	static const char *const bad[] = { "",	 "a..b", ".a",	"a.",	"-a",
					   "a-", "a.-b", "a_b", "we b", "h\xc3\xa9" };
	char l64[65], n65[66];
	size_t i;

	OK("hostname", "web1");
	OK("hostname", "a.b-c.d");
	OK("hostname", "1-2");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		BADP("hostname", bad[i], HOST_FORM);
	BAD("hostname", "a_b", "--hostname: 'a_b' " HOST_FORM);
	memset(l64, 'a', 64);
	l64[64] = '\0';
	BADP("hostname", l64, "has a part longer than 63 characters");
	l64[31] = '.';
	OK("hostname", l64);
	memset(n65, 'a', 65);
	n65[65] = '\0';
	n65[30] = '.';
	BADP("hostname", n65, HOST_FORM);
}
END_TEST

#define BIND_FORM "is not SRC[:DEST]: use absolute paths, e.g. /srv/data or /srv/data:/mnt"

START_TEST(binds_and_paths)
{
	OK("ro", "/srv/data");
	ck_assert_str_eq(cfg->binds[0].src, "/srv/data");
	ck_assert_str_eq(cfg->binds[0].dest, "/srv/data");
	OK("rw", "/srv/a:/data");
	ck_assert_str_eq(cfg->binds[0].src, "/srv/a");
	ck_assert_str_eq(cfg->binds[0].dest, "/data");
	BAD("ro", "rel", "--ro: 'rel' " BIND_FORM);
	BAD("rw", "/a:b", "--rw: '/a:b' " BIND_FORM);
	BAD("ro", "/a:/b:/c", "--ro: '/a:/b:/c' " BIND_FORM);
	BAD("rw", "", "--rw: '' " BIND_FORM);
	BAD("ro", "/a:", "--ro: '/a:' " BIND_FORM);
	BAD("rw", "/a:/b/../../etc",
	    "--rw: '/a:/b/../../etc' has a '..' component: use paths without '..'");
	BAD("rw", "/a:/",
	    "--rw: '/a:/' would cover the whole root: use --rootfs DIR for another root");
	OK("tmpfs", "/scratch");
	BAD("tmpfs", "tmp", "--tmpfs: 'tmp' is not an absolute path: use a path starting with '/'");
	BAD("tmpfs", "/", "--tmpfs: '/' would hide the whole root: use a directory, e.g. /scratch");
	BADP("tmpfs", "/a/../b", "has a '..' component");
	OK("rootfs", "/srv/root");
	BAD("rootfs", "root",
	    "--rootfs: 'root' is not an absolute path: use a path starting with '/'");
}
END_TEST

/* The stricter rule: the two roots exclude each other, in either order */
START_TEST(root_choice)
{
	static const char want[] =
		"--rootfs and --host-root both choose the root: give one of them";

	ck_assert_int_eq(vos_config_set_option(cfg, "host-root", NULL), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "rootfs", "/srv/root"), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	ck_assert_ptr_null(cfg->rootfs);
	/* --host-root off again: then a rootfs is fine */
	ck_assert_int_eq(vos_config_set_host_root(cfg, false), 0);
	ck_assert_int_eq(vos_config_set_rootfs(cfg, "/srv/root"), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "host-root", NULL), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	ck_assert(!cfg->host_root);
	ck_assert_int_eq(vos_config_set_host_root(cfg, true), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
}
END_TEST

/* --uid UID[:GID]: decimal ids, GID defaulting to UID; not with --root */
START_TEST(uid_choice)
{
	static const char conflict[] =
		"--uid and --root both choose the ids inside: give one of them";
	static const char *const bad[] = {
		"",
		"x",
		"-1",
		"+5",
		" 1",
		"1 ",
		"1000:",
		":5",
		"1000:5:6",
		"1000:x",
		"0x10",
		"4294967295",
		"1:4294967295",
		"99999999999999999999",
	};
	char want[256];
	size_t i;

	OK("uid", "1000");
	ck_assert(cfg->ids_set);
	ck_assert_uint_eq(cfg->app_uid, 1000);
	ck_assert_uint_eq(cfg->app_gid, 1000);
	OK("uid", "0:100");
	ck_assert_uint_eq(cfg->app_uid, 0);
	ck_assert_uint_eq(cfg->app_gid, 100);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(
			want, sizeof(want),
			"--uid '%s': give UID or UID:GID, decimal ids inside the subsystem, e.g. 1000 or 1000:1000",
			bad[i]);
		BAD("uid", bad[i], want);
		ck_assert(!cfg->ids_set);
	}
	/* --root and --uid: refused whichever comes first, nothing changed */
	ck_assert_int_eq(vos_config_set_option(cfg, "root", NULL), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "uid", "1000"), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), conflict);
	ck_assert(!cfg->ids_set);
	ck_assert_int_eq(vos_config_set_root(cfg, false), 0);
	ck_assert_int_eq(vos_config_set_ids(cfg, 1000, 1000), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "root", NULL), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), conflict);
	ck_assert(!cfg->root);
	/* -1 is no id (setresuid's "unchanged") */
	ck_assert_int_eq(vos_config_set_ids(cfg, (uid_t)-1, 0), -EINVAL);
	ck_assert_int_eq(vos_config_set_ids(NULL, 0, 0), -EINVAL);
}
END_TEST

/* --uplink: none, host or a subsystem's name; an uplink and --share-net
 * exclude each other, and so do --provides-network and --share-net
 */
START_TEST(uplink)
{
	static const char want[] =
		"--share-net and --uplink both choose the network: give one of them";

	OK("uplink", "none");
	ck_assert_int_eq(cfg->uplink, VOS_UPLINK_NONE);
	OK("uplink", "host");
	ck_assert_int_eq(cfg->uplink, VOS_UPLINK_HOST);
	OK("uplink", "fw");
	ck_assert_int_eq(cfg->uplink, VOS_UPLINK_SUBSYS);
	ck_assert_str_eq(cfg->uplink_name, "fw");
	BAD("uplink", "mars/x",
	    "--uplink: 'mars/x' is not an uplink: use none (loopback only), host (a link to the host, routed and masqueraded) or the name of a subsystem made with --provides-network");
	OK("uplink", "none");
	ck_assert_str_eq(cfg->uplink_name, "");
	OK("provides-network", NULL);
	ck_assert(cfg->provides_network);
	ck_assert_int_eq(vos_config_set_option(cfg, "share-net", NULL), -EINVAL);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"--provides-network and --share-net: a provider needs its own network namespace");
	ck_assert_int_eq(vos_config_set_provides_network(cfg, false), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "share-net", NULL), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "uplink", "host"), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	ck_assert_int_eq(vos_config_set_option(cfg, "uplink", "fw"), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	ck_assert_int_eq(vos_config_set_provides_network(cfg, true), -EINVAL);
	ck_assert_int_eq(vos_config_set_option(cfg, "uplink", "none"), 0);
	ck_assert_int_eq(vos_config_set_share_net(cfg, false), 0);
	ck_assert_int_eq(vos_config_set_uplink(cfg, "host"), 0);
	ck_assert_int_eq(vos_config_set_share_net(cfg, true), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	ck_assert(!cfg->share_net);
}
END_TEST

/* The pool of link addresses: network.conf's [Network] Pool=, checked */
static int pool_from(const char *text, uint32_t *base, unsigned int *prefix)
{
	char path[] = "/tmp/vos-netconf.XXXXXX";
	int fd = mkstemp(path), r;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	setenv("VIRTOS_NETWORK_CONF", path, 1);
	vos_ctx_clear_error(ctx);
	r = vos_net_pool(ctx, base, prefix);
	unsetenv("VIRTOS_NETWORK_CONF");
	unlink(path);
	return r;
}

START_TEST(net_pool)
{
	uint32_t base = 0;
	unsigned int prefix = 0;

	ck_assert_int_eq(vos_net_pool_parse("10.77.0.0/16", &base, &prefix), 0);
	ck_assert_uint_eq(base, 0x0a4d0000u);
	ck_assert_uint_eq(prefix, 16);
	ck_assert_int_eq(vos_net_pool_parse("10.77.0.1/16", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_net_pool_parse("10.77.0.0/25", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_net_pool_parse("10.0.0.0/7", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_net_pool_parse("10.77.0.0", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_net_pool_parse("10.77.0.0/", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_net_pool_parse("ten/16", &base, &prefix), -EINVAL);
	/* no file: the default */
	setenv("VIRTOS_NETWORK_CONF", "/nonexistent/network.conf", 1);
	ck_assert_int_eq(vos_net_pool(ctx, &base, &prefix), 0);
	unsetenv("VIRTOS_NETWORK_CONF");
	ck_assert_uint_eq(base, 0x0ad50000u);
	ck_assert_uint_eq(prefix, 16);
	ck_assert_int_eq(pool_from("# ours\n[Network]\nPool=172.29.0.0/20\n", &base, &prefix), 0);
	ck_assert_uint_eq(base, 0xac1d0000u);
	ck_assert_uint_eq(prefix, 20);
	ck_assert_int_eq(pool_from("[Network]\n\nPool=172.29.0.0/28\n", &base, &prefix), -EINVAL);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_msg(strstr(vos_ctx_errmsg(ctx),
			     ":3: Pool=172.29.0.0/28: use an IPv4 range A.B.C.D/N with N 8..24"),
		      "%s", vos_ctx_errmsg(ctx));
	ck_assert_int_eq(pool_from("[Network]\nRange=10.0.0.0/8\n", &base, &prefix), -EINVAL);
	ck_assert_msg(
		strstr(vos_ctx_errmsg(ctx),
		       ":2: [Network] Range=: not a key of this file; it has [Network] Pool="),
		"%s", vos_ctx_errmsg(ctx));
}
END_TEST

/* --publish: tcp|udp, an optional IPv4 address, two ports; kept canonical */
START_TEST(publish)
{
	OK("publish", "tcp:192.0.2.1:8080:80");
	ck_assert_int_eq(vos_config_set_option(cfg, "publish", "udp:5353:53"), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "publish", "tcp:0.0.0.0:8443:443"), 0);
	/* the same as the one before */
	ck_assert_int_eq(vos_config_set_option(cfg, "publish", "tcp:8443:443"), 0);
	ck_assert_uint_eq(cfg->npublish, 3);
	ck_assert_str_eq(cfg->publish[0], "tcp:192.0.2.1:8080:80");
	ck_assert_str_eq(cfg->publish[1], "udp:5353:53");
	ck_assert_str_eq(cfg->publish[2], "tcp:8443:443");
	BAD("publish", "sctp:80:80",
	    "--publish 'sctp:80:80': use tcp:ADDR:HOSTPORT:PORT or udp:ADDR:HOSTPORT:PORT (ADDR one of the host's IPv4 addresses; left out: all of them), e.g. tcp:8080:80");
	BAD("publish", "tcp:80",
	    "--publish 'tcp:80': use tcp:ADDR:HOSTPORT:PORT or udp:ADDR:HOSTPORT:PORT (ADDR one of the host's IPv4 addresses; left out: all of them), e.g. tcp:8080:80");
	BAD("publish", "tcp:host.example:80:80",
	    "--publish tcp:host.example:80:80: 'host.example' is not an IPv4 address of the host; use tcp:ADDR:HOSTPORT:PORT, or tcp:HOSTPORT:PORT for all of its addresses");
	BAD("publish", "udp:0:53",
	    "--publish udp:0:53: '0' is not a port: use 1..65535 (udp:[ADDR:]HOSTPORT:PORT)");
	BAD("publish", "tcp:80:65536",
	    "--publish tcp:80:65536: '65536' is not a port: use 1..65535 (tcp:[ADDR:]HOSTPORT:PORT)");
	BAD("publish", "tcp:1:2:3:4:5",
	    "--publish 'tcp:1:2:3:4:5': use tcp:ADDR:HOSTPORT:PORT or udp:ADDR:HOSTPORT:PORT (ADDR one of the host's IPv4 addresses; left out: all of them), e.g. tcp:8080:80");
}
END_TEST

START_TEST(sockets)
{
	OK("allow-socket", "AF_PACKET");
	ck_assert_uint_eq(cfg->socket_families, 1ULL << 17);
	OK("allow-socket", "38");
	BAD("allow-socket", "fly",
	    "--allow-socket: 'fly' is not a socket family: use a name such as vsock, packet, alg, bluetooth, netlink or a number 1-63");
	BADP("allow-socket", "0", "'0' is not a socket family");
	BADP("allow-socket", "64", "'64' is not a socket family");
}
END_TEST

/* compare the message of the last call with @want, then clear it */
static void same_msg(const char *want)
{
	ck_assert_str_eq(vos_ctx_errmsg(ctx), want);
	vos_ctx_clear_error(ctx);
}

/* One message per bad value, whichever way it came */
START_TEST(one_message_whichever_way)
{
	char m[512];

	set1("memory", "12X", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_memory_str(cfg, "12X"), -EINVAL);
	same_msg(m);
	/* a typed setter's number reads as the string a user would give */
	set1("memory", "1024", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_memory(cfg, 1024), -EINVAL);
	same_msg(m);
	set1("tmpfs-size", "1024", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_tmpfs_size(cfg, 1024), -EINVAL);
	same_msg(m);
	set1("memory", "1125899906842625", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_memory(cfg, (1ULL << 50) + 1), -EINVAL);
	same_msg(m);
	set1("pids", "4194305", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_pids(cfg, 4194305), -EINVAL);
	same_msg(m);
	ck_assert_int_eq(vos_config_set_pids_str(cfg, "4194305"), -EINVAL);
	same_msg(m);
	set1("cpus", "1024.001", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_cpus_str(cfg, "1024.001"), -EINVAL);
	same_msg(m);
	ck_assert_int_eq(vos_config_set_cpu_milli(cfg, 1024001), -EINVAL);
	same_msg(m);
	set1("hostname", "a_b", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_hostname(cfg, "a_b"), -EINVAL);
	same_msg(m);
	set1("rw", "/a:b", m, sizeof(m));
	ck_assert_int_eq(vos_config_add_bind_spec(cfg, "/a:b", VOS_BIND_RW), -EINVAL);
	same_msg(m);
	ck_assert_int_eq(vos_config_add_bind(cfg, "/a", "b", VOS_BIND_RW), -EINVAL);
	same_msg(m);
	set1("cap-add", "fly", m, sizeof(m));
	ck_assert_int_eq(vos_config_add_cap(cfg, "fly"), -EINVAL);
	same_msg(m);
	set1("allow-socket", "64", m, sizeof(m));
	ck_assert_int_eq(vos_config_allow_socket_family(cfg, 64), -EINVAL);
	same_msg(m);
	ck_assert_int_eq(vos_config_allow_socket_family_str(cfg, "64"), -EINVAL);
	same_msg(m);
	set1("rootfs", "rel", m, sizeof(m));
	ck_assert_int_eq(vos_config_set_rootfs(cfg, "rel"), -EINVAL);
	same_msg(m);
	set1("tmpfs", "rel", m, sizeof(m));
	ck_assert_int_eq(vos_config_add_tmpfs(cfg, "rel"), -EINVAL);
	same_msg(m);
}
END_TEST

/* A refused value leaves the config as it was */
START_TEST(refusal_changes_nothing)
{
	const struct vos_option *o;
	struct vos_config before;
	size_t n, i;

	o = vos_options(&n);
	ck_assert_int_eq(vos_config_set_option(cfg, "memory", "64M"), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "hostname", "h1"), 0);
	memcpy(&before, cfg, sizeof(before));
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(vos_config_set_option(cfg, o[i].name, o[i].arg ? "x y" : "x"),
				 -EINVAL);
		ck_assert_msg(strstr(vos_ctx_errmsg(ctx), o[i].name), "--%s: %s", o[i].name,
			      vos_ctx_errmsg(ctx));
		ck_assert_msg(memcmp(&before, cfg, sizeof(before)) == 0, "--%s changed it",
			      o[i].name);
	}
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *t = tcase_create("table");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, table_is_well_formed);
	tcase_add_test(t, every_row_sets);
	tcase_add_test(t, uplink);
	tcase_add_test(t, publish);
	tcase_add_test(t, net_pool);
	tcase_add_test(t, names_forms_and_flags);
	tcase_add_test(t, sizes);
	tcase_add_test(t, cpus);
	tcase_add_test(t, pids);
	tcase_add_test(t, capabilities);
	tcase_add_test(t, hostnames);
	tcase_add_test(t, binds_and_paths);
	tcase_add_test(t, root_choice);
	tcase_add_test(t, uid_choice);
	tcase_add_test(t, sockets);
	tcase_add_test(t, one_message_whichever_way);
	tcase_add_test(t, refusal_changes_nothing);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(options_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
