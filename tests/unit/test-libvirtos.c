// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for libvirtos logic that needs no module: option parsing,
 * config validation and its messages, error classes, id map formatting,
 * symlink-safe path resolution, and the seccomp filter (built, loaded in a
 * child, and probed on the x86_64, i386 and x32 entry points).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "virtos.h"
#include "private.h" /* internal helpers, linked from libvirtos.a */

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

START_TEST(size_parsing)
{
	uint64_t v = 0;

	ck_assert_int_eq(vos_parse_size("512", &v), 0);
	ck_assert_uint_eq(v, 512);
	ck_assert_int_eq(vos_parse_size("64K", &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(vos_parse_size("100m", &v), 0);
	ck_assert_uint_eq(v, 100ULL << 20);
	ck_assert_int_eq(vos_parse_size("2G", &v), 0);
	ck_assert_uint_eq(v, 2ULL << 30);
	/* K, M or G and nothing else (vosctl's rule, the stricter one) */
	ck_assert_int_eq(vos_parse_size("3GiB", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("10MB", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("1T", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("M", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("-1", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("1.5G", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("10X", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("10 M", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("0", &v), -EINVAL);
	ck_assert_int_eq(vos_parse_size("99999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(vos_parse_size("17179869184G", &v), -ERANGE);
	ck_assert_int_eq(vos_parse_size(NULL, &v), -EINVAL);
}
END_TEST

START_TEST(cpus_parsing)
{
	uint32_t m = 0;

	ck_assert_int_eq(vos_parse_cpus("1", &m), 0);
	ck_assert_uint_eq(m, 1000);
	ck_assert_int_eq(vos_parse_cpus("0.5", &m), 0);
	ck_assert_uint_eq(m, 500);
	ck_assert_int_eq(vos_parse_cpus("2.25", &m), 0);
	ck_assert_uint_eq(m, 2250);
	ck_assert_int_eq(vos_parse_cpus("0.001", &m), 0);
	ck_assert_uint_eq(m, 1);
	/* at most 3 decimals (vosctl's rule, the stricter one) */
	ck_assert_int_eq(vos_parse_cpus("1.5000", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus("0", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus("0.0001", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus(".5", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus("1.", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus("two", &m), -EINVAL);
	ck_assert_int_eq(vos_parse_cpus("2000", &m), -ERANGE);
}
END_TEST

START_TEST(count_and_names)
{
	uint64_t n;

	ck_assert_int_eq(vos_parse_count("42", &n), 0);
	ck_assert_uint_eq(n, 42);
	ck_assert_int_eq(vos_parse_count("0", &n), -EINVAL);
	ck_assert_int_eq(vos_parse_count("4x", &n), -EINVAL);
	ck_assert_int_eq(vos_parse_count("", &n), -EINVAL);

	ck_assert_int_eq(vos_name_check("web"), 0);
	ck_assert_int_eq(vos_name_check("a.b-c_1"), 0);
	ck_assert_int_eq(vos_name_check("9lives"), 0);
	ck_assert_int_eq(vos_name_check(""), -EINVAL);
	ck_assert_int_eq(vos_name_check("-x"), -EINVAL);
	ck_assert_int_eq(vos_name_check(".hidden"), -EINVAL);
	ck_assert_int_eq(vos_name_check("a/b"), -EINVAL);
	ck_assert_int_eq(vos_name_check("a b"), -EINVAL);
	char longname[VOS_NAME_MAX + 1];

	memset(longname, 'a', VOS_NAME_MAX);
	longname[VOS_NAME_MAX] = '\0';
	ck_assert_int_eq(vos_name_check(longname), -EINVAL);
	longname[VOS_NAME_MAX - 1] = '\0';
	ck_assert_int_eq(vos_name_check(longname), 0);
}
END_TEST

START_TEST(caps_by_name)
{
	ck_assert_int_eq(vos_cap_from_name("CAP_NET_BIND_SERVICE"), 10);
	ck_assert_int_eq(vos_cap_from_name("net_bind_service"), 10);
	ck_assert_int_eq(vos_cap_from_name("cap_sys_admin"), 21);
	ck_assert_int_eq(vos_cap_from_name("0"), 0);
	ck_assert_int_eq(vos_cap_from_name("12"), 12);
	ck_assert_int_eq(vos_cap_from_name("999"), -EINVAL);
	ck_assert_int_eq(vos_cap_from_name("CAP_FLY"), -EINVAL);
	ck_assert_int_eq(vos_cap_from_name(""), -EINVAL);
}
END_TEST

START_TEST(exit_codes_and_names)
{
	ck_assert_int_eq(vos_wstatus_to_exit(W_EXITCODE(3, 0)), 3);
	ck_assert_int_eq(vos_wstatus_to_exit(W_EXITCODE(0, SIGKILL)), 137);
	ck_assert_int_eq(vos_wstatus_to_exit(W_EXITCODE(0, SIGINT)), 130);
	ck_assert_str_eq(vos_state_name(VOS_STATE_RUNNING), "running");
	ck_assert_str_eq(vos_state_name(99), "unknown");
	ck_assert_str_eq(vos_event_type_name(VOS_EVENT_STOPPED), "stopped");
	ck_assert_str_eq(vos_event_type_name(0), "unknown");
}
END_TEST

START_TEST(idmap_format)
{
	char buf[32];

	ck_assert_int_eq(vos_format_idmap(buf, sizeof(buf), 0, 1000), 9);
	ck_assert_str_eq(buf, "0 1000 1\n");
	ck_assert_int_eq(vos_format_idmap(buf, sizeof(buf), 1000, 1000), 12);
	ck_assert_str_eq(buf, "1000 1000 1\n");
	ck_assert_int_eq(vos_format_idmap(buf, 5, 1000, 1000), -ENOSPC);
}
END_TEST

START_TEST(config_defaults_and_setters)
{
	/* the default hostname is the subsystem name */
	ck_assert_int_eq(vos_config_set_name(cfg, "web"), 0);
	ck_assert_str_eq(vos_config_get_name(cfg), "web");
	ck_assert_str_eq(vos_config_get_hostname(cfg), "web");
	ck_assert_int_eq(vos_config_set_hostname(cfg, "box1"), 0);
	ck_assert_str_eq(vos_config_get_hostname(cfg), "box1");
	ck_assert_int_eq(vos_config_set_memory_str(cfg, "64M"), 0);
	ck_assert_uint_eq(vos_config_get_memory(cfg), 64ULL << 20);
	ck_assert_int_eq(vos_config_set_cpus_str(cfg, "1.5"), 0);
	ck_assert_uint_eq(vos_config_get_cpu_milli(cfg), 1500);
	ck_assert_int_eq(vos_config_set_pids_str(cfg, "32"), 0);
	ck_assert_uint_eq(vos_config_get_pids(cfg), 32);
	ck_assert_int_eq(vos_config_add_bind_spec(cfg, "/src:/dst", VOS_BIND_RW), 0);
	ck_assert_str_eq(cfg->binds[0].src, "/src");
	ck_assert_str_eq(cfg->binds[0].dest, "/dst");
	ck_assert_uint_eq(cfg->binds[0].flags, VOS_BIND_RW);
	ck_assert_int_eq(vos_config_add_bind_spec(cfg, "/data", VOS_BIND_RO), 0);
	ck_assert_str_eq(cfg->binds[1].dest, "/data");
	ck_assert_int_eq(vos_config_add_tmpfs(cfg, "/scratch"), 0);
	ck_assert_int_eq(vos_config_add_cap(cfg, "net_raw"), 0);
	ck_assert_uint_eq(cfg->caps, 1ULL << 13);
}
END_TEST

/* Each bad value: -EINVAL, class USAGE, and a message that names the
 * option and gives the accepted form.
 */
/* A number from /proc, read here independently of the library */
static uint64_t test_proc_number(const char *file, const char *key)
{
	char line[256];
	uint64_t v = 0;
	FILE *f = fopen(file, "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		if (key && strncmp(line, key, strlen(key)))
			continue;
		v = strtoull(line + (key ? strlen(key) : 0), NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

/* issue 11 D: limits by default, scaled to this host; "max" lifts them */
START_TEST(config_default_limits)
{
	uint64_t ram = test_proc_number("/proc/meminfo", "MemTotal:") * 1024;
	uint64_t threads = test_proc_number("/proc/sys/kernel/threads-max", NULL);
	uint64_t pids = threads / 8 < 64 ? 64 : threads / 8 > 32768 ? 32768 : threads / 8;
	uint64_t mib = 1ULL << 20;

	ck_assert_uint_gt(ram, 0);
	ck_assert_uint_eq(vos_config_get_memory(cfg),
			  ram / 2 < 64 * mib ? 64 * mib : ram / 2 / mib * mib);
	ck_assert_uint_eq(vos_config_get_pids(cfg), pids);
	ck_assert_uint_eq(vos_config_get_tmpfs_size(cfg),
			  ram / 8 < 16 * mib ? 16 * mib : ram / 8 / mib * mib);
	ck_assert_uint_eq(vos_config_get_cpu_milli(cfg), 0);
	/* explicit relaxations */
	ck_assert_int_eq(vos_config_set_memory_str(cfg, "max"), 0);
	ck_assert_uint_eq(vos_config_get_memory(cfg), 0);
	ck_assert_int_eq(vos_config_set_pids_str(cfg, "max"), 0);
	ck_assert_uint_eq(vos_config_get_pids(cfg), 0);
	ck_assert_int_eq(vos_config_set_tmpfs_size_str(cfg, "max"), 0);
	ck_assert_uint_eq(vos_config_get_tmpfs_size(cfg), 0);
	ck_assert_int_eq(vos_config_set_tmpfs_size_str(cfg, "256M"), 0);
	ck_assert_uint_eq(vos_config_get_tmpfs_size(cfg), 256 * mib);
	ck_assert_int_eq(vos_config_set_tmpfs_size_str(cfg, "0"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--tmpfs-size: '0'"));
	ck_assert_int_eq(vos_config_set_memory_str(cfg, "0"), -EINVAL);
}
END_TEST

START_TEST(config_bad_values)
{
	uint64_t mem0 = vos_config_get_memory(cfg);

	ck_assert_int_eq(vos_config_set_memory_str(cfg, "10X"), -EINVAL);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--memory: '10X'"));
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "512M"));
	ck_assert_int_eq(vos_config_set_memory_str(cfg, "1K"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "at least 1M"));
	ck_assert_int_eq(vos_config_set_cpus_str(cfg, "lots"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--cpus: 'lots'"));
	ck_assert_int_eq(vos_config_set_pids_str(cfg, "-3"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--pids: '-3'"));
	ck_assert_int_eq(vos_config_set_name(cfg, "bad/name"), -EINVAL);
	ck_assert_ptr_nonnull(
		strstr(vos_ctx_errmsg(ctx), "--name: 'bad/name' is not a valid name"));
	ck_assert_int_eq(vos_config_set_hostname(cfg, "has space"), -EINVAL);
	ck_assert_int_eq(vos_config_add_bind_spec(cfg, "relative", VOS_BIND_RO), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--ro: 'relative'"));
	ck_assert_int_eq(vos_config_add_bind_spec(cfg, "/a:/b/../../etc", VOS_BIND_RW), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "'..'"));
	ck_assert_int_eq(vos_config_add_bind(cfg, "/a", "/", VOS_BIND_RW), -EINVAL);
	ck_assert_int_eq(vos_config_add_bind(cfg, "/a", "/b", 0x80), -EINVAL);
	ck_assert_int_eq(vos_config_add_tmpfs(cfg, "/"), -EINVAL);
	ck_assert_int_eq(vos_config_add_tmpfs(cfg, "tmp"), -EINVAL);
	ck_assert_int_eq(vos_config_add_cap(cfg, "CAP_FLY"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--cap-add: 'CAP_FLY'"));
	ck_assert_int_eq(vos_config_set_rootfs(cfg, "rel/dir"), -EINVAL);
	ck_assert_int_eq(vos_config_set_tty(cfg, (enum vos_tty_mode)9), -EINVAL);
	ck_assert_int_eq(vos_config_set_stdio(cfg, 0, 987, 2), -EBADF);
	/* nothing was changed by the failed calls */
	ck_assert_uint_eq(vos_config_get_memory(cfg), mem0);
	ck_assert_uint_eq(cfg->nbinds, 0);
	ck_assert_uint_eq(cfg->ntmpfs, 0);
	ck_assert_uint_eq(cfg->caps, 0);
}
END_TEST

START_TEST(socket_family_names)
{
	ck_assert_int_eq(vos_socket_family_from_name("vsock"), 40);
	ck_assert_int_eq(vos_socket_family_from_name("AF_VSOCK"), 40);
	ck_assert_int_eq(vos_socket_family_from_name("unix"), 1);
	ck_assert_int_eq(vos_socket_family_from_name("Packet"), 17);
	ck_assert_int_eq(vos_socket_family_from_name("bluetooth"), 31);
	ck_assert_int_eq(vos_socket_family_from_name("38"), 38);
	ck_assert_int_eq(vos_socket_family_from_name("64"), -EINVAL);
	ck_assert_int_eq(vos_socket_family_from_name("0"), -EINVAL);
	ck_assert_int_eq(vos_socket_family_from_name("fly"), -EINVAL);
	ck_assert_int_eq(vos_socket_family_from_name(""), -EINVAL);
	ck_assert_int_eq(vos_config_allow_socket_family(cfg, 0), -EINVAL);
	ck_assert_int_eq(vos_config_allow_socket_family(cfg, 64), -EINVAL);
	ck_assert_int_eq(vos_config_allow_socket_family_str(cfg, "fly"), -EINVAL);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--allow-socket: 'fly'"));
	ck_assert_uint_eq(vos_config_get_socket_families(cfg), 0);
	ck_assert_int_eq(vos_config_allow_socket_family_str(cfg, "vsock"), 0);
	ck_assert_int_eq(vos_config_allow_socket_family(cfg, 38), 0);
	ck_assert_uint_eq(vos_config_get_socket_families(cfg), (1ULL << 40) | (1ULL << 38));
}
END_TEST

static const char *env_get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (; *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* The app's default environment: PATH, HOME, TERM with a tty, the locale. */
START_TEST(env_minimal)
{
	char **env;
	int n;

	ck_assert_int_eq(setenv("VOS_UNIT_SECRET", "s3cret", 1), 0);
	ck_assert_int_eq(setenv("HOME", "/home/u", 1), 0);
	ck_assert_int_eq(setenv("LANG", "C.UTF-8", 1), 0);
	ck_assert_int_eq(setenv("LC_TIME", "C", 1), 0);
	ck_assert_int_eq(setenv("TERM", "xterm", 1), 0);
	ck_assert_int_eq(setenv("PATH", "/home/u/bin:/usr/bin", 1), 0);
	ck_assert_int_eq(vos_config_set_stdio(cfg, -1, -1, -1), 0);
	ck_assert_int_eq(vos_env_build(ctx, cfg, false, &env), 0);
	for (n = 0; env[n]; n++)
		;
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(env_get(env, "PATH"),
			 "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	ck_assert_str_eq(env_get(env, "HOME"), "/");
	ck_assert_str_eq(env_get(env, "LANG"), "C.UTF-8");
	ck_assert_str_eq(env_get(env, "LC_TIME"), "C");
	free(env);
	/* a terminal: TERM; the home bound in: HOME; asked for: kept, set */
	ck_assert_int_eq(vos_config_add_tmpfs(cfg, "/home/u"), 0);
	ck_assert_int_eq(vos_config_add_keep_env(cfg, "VOS_UNIT_SECRET"), 0);
	ck_assert_int_eq(vos_config_add_keep_env(cfg, "VOS_UNIT_UNSET"), 0);
	ck_assert_int_eq(vos_config_add_env(cfg, "A=1"), 0);
	ck_assert_int_eq(vos_config_add_env(cfg, "A=2=3"), 0);
	ck_assert_int_eq(vos_config_add_env(cfg, "PATH=/opt/bin"), 0);
	ck_assert_int_eq(vos_env_build(ctx, cfg, true, &env), 0);
	ck_assert_str_eq(env_get(env, "TERM"), "xterm");
	ck_assert_str_eq(env_get(env, "HOME"), "/home/u");
	ck_assert_str_eq(env_get(env, "VOS_UNIT_SECRET"), "s3cret");
	ck_assert_ptr_null(env_get(env, "VOS_UNIT_UNSET"));
	ck_assert_str_eq(env_get(env, "A"), "2=3");
	ck_assert_str_eq(env_get(env, "PATH"), "/opt/bin");
	free(env);
	/* bad forms */
	ck_assert_int_eq(vos_config_add_env(cfg, "NOVALUE"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--env: 'NOVALUE'"));
	ck_assert_int_eq(vos_config_add_env(cfg, "=x"), -EINVAL);
	ck_assert_int_eq(vos_config_add_env(cfg, "1A=x"), -EINVAL);
	ck_assert_int_eq(vos_config_add_env(cfg, "A B=x"), -EINVAL);
	ck_assert_int_eq(vos_config_add_keep_env(cfg, "A=B"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "--keep-env: 'A=B'"));
	unsetenv("VOS_UNIT_SECRET");
}
END_TEST

START_TEST(missing_device_is_nomodule)
{
	ck_assert_int_eq(vos_ctx_set_device(ctx, "/nonexistent/vos"), 0);
	ck_assert_int_eq(vos_ctx_connect(ctx), -ENODEV);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_NOMODULE);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "/nonexistent/vos"));
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "not loaded"));
	/* and every call that needs the module says the same */
	ck_assert_int_eq(vos_ctx_api_version(ctx), -ENODEV);
	struct vos_subsys *s = NULL;

	ck_assert_int_eq(vos_subsys_create(ctx, cfg, &s), -ENODEV);
	ck_assert_ptr_null(s);
	vos_ctx_clear_error(ctx);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_NONE);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "");
}
END_TEST

START_TEST(error_context_prefix)
{
	vos_err(ctx, -EACCES, "mount /proc:");
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "mount /proc: Permission denied");
	vos_err_prefix(ctx, -EACCES, "spawn");
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "spawn: mount /proc: Permission denied");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PERM);
}
END_TEST

START_TEST(error_classes_and_subject)
{
	struct vos_err_record rec;

	/* a path given with an option: its class, and the option */
	vos_err_path(ctx, -ENOENT, "--ro", "--ro /nope: open source:");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PATH);
	ck_assert_str_eq(vos_ctx_errsubject(ctx), "--ro");
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "--ro /nope: open source: No such file or directory");
	/* the layers above keep both */
	vos_err_prefix(ctx, -ENOENT, "spawn");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PATH);
	ck_assert_str_eq(vos_ctx_errsubject(ctx), "--ro");
	/* the caller may not use the path: a permission error, same subject */
	vos_err_path(ctx, -EACCES, "--rw", "--rw /root/x: open source:");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PERM);
	ck_assert_str_eq(vos_ctx_errsubject(ctx), "--rw");
	/* an error found below, then said to be about an option's path */
	vos_err(ctx, -EROFS, "mount point /data: mkdir:");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_INTERNAL);
	ck_assert_ptr_null(vos_ctx_errsubject(ctx));
	vos_err_path_prefix(ctx, -EROFS, "--tmpfs", "--tmpfs /data");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PATH);
	ck_assert_str_eq(vos_ctx_errsubject(ctx), "--tmpfs");
	ck_assert_str_eq(vos_ctx_errmsg(ctx),
			 "--tmpfs /data: mount point /data: mkdir: Read-only file system");
	/* it crosses from the child to the caller whole */
	vos_err_save(ctx, &rec);
	vos_ctx_clear_error(ctx);
	ck_assert_ptr_null(vos_ctx_errsubject(ctx));
	ck_assert_int_eq(vos_err_restore(ctx, &rec, sizeof(rec)), -EROFS);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_PATH);
	ck_assert_str_eq(vos_ctx_errsubject(ctx), "--tmpfs");
	ck_assert_str_eq(vos_ctx_errmsg(ctx),
			 "--tmpfs /data: mount point /data: mkdir: Read-only file system");
	ck_assert_int_eq(vos_err_restore(ctx, &rec, sizeof(rec) - 1), -EPROTO);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_INTERNAL);
	/* a new error forgets the old subject */
	vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "no such subsystem: x");
	ck_assert_ptr_null(vos_ctx_errsubject(ctx));
	/* the cgroup the limits need */
	vos_err_cgroup(ctx, -EACCES, "cgroup: mkdir /x:");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_CGROUP_PERM);
	vos_err_cgroup(ctx, -EOPNOTSUPP, "cgroup /x: the memory controller is not available");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_CGROUP);
	/* an ioctl the loaded module does not know */
	vos_err(ctx, -ENOTTY, "VOS_SUBSYS_SIGNAL:");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_NOMODULE);
}
END_TEST

START_TEST(open_beneath_refuses_symlinks)
{
	char dir[] = "/tmp/vos-unit-XXXXXX";
	int d, fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	d = open(dir, O_PATH | O_DIRECTORY);
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(mkdirat(d, "real", 0755), 0);
	ck_assert_int_eq(symlinkat("/etc", d, "link"), 0);
	ck_assert_int_eq(symlinkat("real", d, "rel"), 0);
	fd = vos_open_beneath(d, "real");
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* a symlink anywhere in the path is refused, even one inside */
	ck_assert_int_lt(vos_open_beneath(d, "link/passwd"), 0);
	ck_assert_int_lt(vos_open_beneath(d, "rel"), 0);
	ck_assert_int_lt(vos_open_beneath(d, "link"), 0);
	/* no way out with .. */
	ck_assert_int_lt(vos_open_beneath(d, "real/../../etc"), 0);
	ck_assert_int_eq(vos_open_beneath(d, "missing"), -ENOENT);
	unlinkat(d, "link", 0);
	unlinkat(d, "rel", 0);
	unlinkat(d, "real", AT_REMOVEDIR);
	close(d);
	rmdir(dir);
}
END_TEST

/* the syscalls the recipe relies on are found on the machines we build on
 * (Linux >= 5.9); the probe must not mistake EINVAL/EFAULT for absence
 */
START_TEST(features_probe)
{
	struct vos_features f;

	ck_assert_int_eq(vos_ctx_features(ctx, &f), 0);
	ck_assert(f.clone3);
	ck_assert(f.openat2);
	ck_assert(f.close_range);
	ck_assert(f.pidfd);
	ck_assert_int_ge(f.landlock_abi, 0);
	ck_assert_int_eq(vos_ctx_features(ctx, NULL), -EINVAL);
}
END_TEST

START_TEST(close_fds_keeps_only_listed)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int keep[2] = { 9, 12 }, fd;

		for (fd = 3; fd < 16; fd++)
			dup2(0, fd);
		vos_close_fds(keep, 2);
		for (fd = 3; fd < 16; fd++) {
			bool open_now = fcntl(fd, F_GETFD) >= 0;

			if (open_now != (fd == 9 || fd == 12))
				_exit(fd);
		}
		_exit(fcntl(0, F_GETFD) >= 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

/* Landlock: writes only under the allowed trees, or honestly "not here" */
START_TEST(landlock_limits_writes)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char outside[64];
		int r, fd;

		snprintf(outside, sizeof(outside), "/var/vos-ll-%d", (int)getpid());
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		r = vos_landlock_apply(ctx, cfg);
		if (r == 0) {
			/* only acceptable if the kernel has no Landlock */
			long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);

			_exit(abi < 1 ? 0 : 20);
		}
		if (r != 1)
			_exit(21);
		fd = open(outside, O_CREAT | O_WRONLY, 0600);
		if (fd >= 0 || errno != EACCES) {
			unlink(outside);
			_exit(22);
		}
		fd = open("/tmp/vos-ll-ok", O_CREAT | O_WRONLY, 0600);
		if (fd < 0)
			_exit(23);
		close(fd);
		unlink("/tmp/vos-ll-ok");
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

/* ---- seccomp ---------------------------------------------------------- */

static int prctl_nnp(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static struct sock_filter *prog;
static size_t proglen;
/* the config the filter is built from (NULL: the defaults) */
static const struct vos_config *filter_cfg;

static void load_filter(bool allow_mount)
{
	struct vos_ctx *c;

	if (vos_ctx_new(&c) < 0)
		_exit(90);
	if (vos_seccomp_build(c, filter_cfg, allow_mount, &prog, &proglen) < 0)
		_exit(91);
	if (prctl_nnp() < 0 || vos_seccomp_load(c, prog, proglen) < 0)
		_exit(92);
}

/* Run @fn in a child with the filter loaded; its exit code is the test's
 * verdict (0 = as expected); a signal is reported as 200 + signo.
 */
static int in_filtered_child(int (*fn)(void), bool allow_mount)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		load_filter(allow_mount);
		_exit(fn());
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		return 200 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

#define expect_errno(call, e) expect_errno_(call, e, #call)
static int expect_errno_(long r, int e, const char *what)
{
	if (r == -1 && errno == e)
		return 0;
	fprintf(stderr, "seccomp probe: %s: got %ld errno %d, want errno %d\n", what, r, errno, e);
	return 1;
}

static int probe_native(void)
{
	int fails = 0;
	unsigned long tiocsti_hi = (1UL << 32) | TIOCSTI;
	char c = 'x';

	fails += expect_errno(unshare(CLONE_NEWUSER), EPERM);
	fails += expect_errno(unshare(CLONE_NEWNET), EPERM);
	fails += expect_errno(syscall(SYS_clone3, NULL, 0), ENOSYS);
	fails += expect_errno(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM);
	fails += expect_errno(syscall(SYS_add_key, "user", "x", "y", 1, 0), EPERM);
	fails += expect_errno(syscall(SYS_setns, 0, 0), EPERM);
	/* ptrace reaches the kernel (strace, gdb): no pid 0 to attach to */
	fails += expect_errno(syscall(SYS_ptrace, 16 /* ATTACH */, 0, 0, 0), ESRCH);
	fails += expect_errno(syscall(SYS_bpf, 0, NULL, 0), EPERM);
	fails += expect_errno(syscall(SYS_io_uring_setup, 1, NULL), EPERM);
	fails += expect_errno(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM);
	fails += expect_errno(syscall(SYS_userfaultfd, 0), EPERM);
	fails += expect_errno(syscall(SYS_init_module, NULL, 0, ""), EPERM);
	fails += expect_errno(syscall(SYS_finit_module, -1, "", 0), EPERM);
	fails += expect_errno(syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM);
	fails += expect_errno(syscall(SYS_open_by_handle_at, -1, NULL, 0), EPERM);
	fails += expect_errno(syscall(SYS_mount, "none", "/", "tmpfs", 0, NULL), EPERM);
	fails += expect_errno(syscall(SYS_pidfd_getfd, -1, 0, 0), EPERM);
	fails += expect_errno(syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */), EPERM);
	fails += expect_errno(syscall(SYS_personality, 0xf0440008UL), EPERM);
	fails += expect_errno(syscall(SYS_personality, 0xfffffffeUL), EPERM);
	fails += syscall(SYS_personality, 0) >= 0 ? 0 : 1; /* PER_LINUX */
	/* TIOCSTI is refused even with garbage in the upper 32 bits */
	fails += expect_errno(syscall(SYS_ioctl, 0, TIOCSTI, &c), EPERM);
	fails += expect_errno(syscall(SYS_ioctl, 0, tiocsti_hi, &c), EPERM);
	fails += expect_errno(syscall(SYS_ioctl, 0, TIOCLINUX, &c), EPERM);
	/* ordinary things still work */
	if (getpid() <= 0 || syscall(SYS_personality, 0xffffffffUL) < 0) {
		fprintf(stderr, "seccomp probe: getpid/personality query failed\n");
		fails++;
	}
	{
		pid_t p = fork(); /* clone without namespace flags */

		if (p == 0)
			_exit(0);
		if (p < 0) {
			fprintf(stderr, "seccomp probe: fork: %m\n");
			fails++;
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	return fails;
}

/* socket(): 0 if it was created (then closed), else the errno */
static int sock_errno(long family, int type, int protocol)
{
	long fd = syscall(SYS_socket, family, type, protocol);

	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	return errno;
}

static int sockpair_errno(int family, int type)
{
	int sv[2];

	if (socketpair(family, type, 0, sv) == 0) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	return errno;
}

#define expect_sock(got, want) expect_sock_(got, want, #got)
static int expect_sock_(int got, int want, const char *what)
{
	if (got == want)
		return 0;
	fprintf(stderr, "seccomp probe: %s: got errno %d, want %d\n", what, got, want);
	return 1;
}

/* Outside the filter, what the kernel says about these (see probe_sockets). */
static int host_ping, host_packet, host_sock_diag;

static int probe_sockets(void)
{
	int fails = 0, pty, sl, ldisc = 13 /* N_HDLC */;

	/* what an application needs */
	fails += expect_sock(sock_errno(AF_UNIX, SOCK_STREAM, 0), 0);
	fails += expect_sock(sock_errno(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), 0);
	fails += expect_sock(sock_errno(AF_INET, SOCK_STREAM, 0), 0);
	fails += expect_sock(sock_errno(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP), 0);
	fails += expect_sock(sock_errno(AF_INET6, SOCK_DGRAM, IPPROTO_UDP), 0);
	fails += expect_sock(sock_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), host_ping);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), 0);
	fails += expect_sock(sockpair_errno(AF_UNIX, SOCK_STREAM), 0);
	/* the kernel reads int: high bits do not change the family */
	fails += expect_sock(sock_errno((1L << 32) | AF_UNIX, SOCK_STREAM, 0), 0);
	/* families: as if the kernel had none of them */
	fails += expect_sock(sock_errno(AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno((1L << 32) | AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(AF_ALG, SOCK_SEQPACKET, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(AF_PACKET, SOCK_DGRAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(AF_BLUETOOTH, SOCK_STREAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(AF_KEY, SOCK_RAW, 2), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(45 /* AF_MCTP */, SOCK_DGRAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(63, SOCK_DGRAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(0x7fffffff, SOCK_DGRAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sockpair_errno(AF_VSOCK, SOCK_STREAM), EAFNOSUPPORT);
	fails += expect_sock(sockpair_errno(AF_ALG, SOCK_SEQPACKET), EAFNOSUPPORT);
	/* protocols and types that would make the kernel load a module */
	fails += expect_sock(sock_errno(AF_INET, SOCK_STREAM, 132 /* SCTP */), EPROTONOSUPPORT);
	fails += expect_sock(sock_errno(AF_INET6, SOCK_SEQPACKET, 132), ESOCKTNOSUPPORT);
	fails += expect_sock(sock_errno(AF_INET, 6 /* SOCK_DCCP */, 33), ESOCKTNOSUPPORT);
	fails += expect_sock(sock_errno(AF_INET, SOCK_DGRAM, 115 /* L2TP */), EPROTONOSUPPORT);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG), EPROTONOSUPPORT);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC), EPROTONOSUPPORT);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), EPROTONOSUPPORT);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT),
			     EPROTONOSUPPORT);
	/* line disciplines (module requests; the caller's terminal) */
	pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty < 0 || unlockpt(pty) < 0) {
		fprintf(stderr, "seccomp probe: pty: %m\n");
		return fails + 1;
	}
	sl = ioctl(pty, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (sl < 0) {
		fprintf(stderr, "seccomp probe: pty peer: %m\n");
		return fails + 1;
	}
	fails += expect_errno(syscall(SYS_ioctl, sl, TIOCSETD, &ldisc), EPERM);
	fails += expect_errno(syscall(SYS_ioctl, sl, (1UL << 32) | TIOCSETD, &ldisc), EPERM);
	fails += expect_errno(syscall(SYS_ioctl, sl, TIOCCONS, NULL), EPERM);
	/* reading the line discipline is fine */
	if (ioctl(sl, TIOCGETD, &ldisc) < 0 || ldisc != 0) {
		fprintf(stderr, "seccomp probe: TIOCGETD: %m (%d)\n", ldisc);
		fails++;
	}
	close(sl);
	close(pty);
	return fails;
}

/* With --allow-socket packet,netlink: as without the filter. */
static int probe_sockets_allowed(void)
{
	int fails = 0;

	fails += expect_sock(sock_errno(AF_PACKET, SOCK_DGRAM, 0), host_packet);
	fails += expect_sock(sock_errno(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG), host_sock_diag);
	/* the others stay refused */
	fails += expect_sock(sock_errno(AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT);
	fails += expect_sock(sock_errno(AF_INET, SOCK_STREAM, 132), EPROTONOSUPPORT);
	return fails;
}

static int probe_mount_allowed(void)
{
	/* with root inside that asked for it: the filter lets mount through
	 * (the kernel still checks capabilities: not EPERM from seccomp here
	 * is shown by EFAULT for a bad pointer)
	 */
	return expect_errno(syscall(SYS_mount, (char *)8, "/", NULL, 0, NULL), EFAULT);
}

/* i386 entry point: int 0x80 with the 32-bit syscall numbers */
static long int80(long nr, long a1)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a1) : "memory");
	return r;
}

static long int80_3(long nr, long a1, long a2, long a3)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a1), "c"(a2), "d"(a3) : "memory");
	return r;
}

static int probe_i386(void)
{
	int fails = 0;
	long fd;

	/* i386: keyctl 288, unshare 310, getpid 20 */
	fails += int80(288, 0) == -EPERM ? 0 : 1;
	fails += int80(310, CLONE_NEWUSER) == -EPERM ? 0 : 1;
	fails += int80(20, 0) > 0 ? 0 : 1;
	/* socket 359, socketpair 360: the same family rules */
	fails += int80_3(359, AF_VSOCK, SOCK_STREAM, 0) == -EAFNOSUPPORT ? 0 : 1;
	fails += int80_3(359, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG) == -EPROTONOSUPPORT ? 0 : 1;
	fails += int80_3(360, AF_ALG, SOCK_SEQPACKET, 0) == -EAFNOSUPPORT ? 0 : 1;
	fd = int80_3(359, AF_UNIX, SOCK_STREAM, 0);
	fails += fd >= 0 ? 0 : 1;
	if (fd >= 0)
		close((int)fd);
	/* socketcall 102: its arguments are in memory; SYS_SOCKET (1) and
	 * SYS_SOCKETPAIR (8) are refused before the kernel reads them
	 */
	fails += int80_3(102, 1, 0, 0) == -ENOSYS ? 0 : 1;
	fails += int80_3(102, 8, 0, 0) == -ENOSYS ? 0 : 1;
	/* another socketcall reaches the kernel (EFAULT for a NULL args) */
	fails += int80_3(102, 3 /* SYS_CONNECT */, 0, 0) == -EFAULT ? 0 : 1;
	return fails;
}

static int probe_x32(void)
{
	/* x32 getpid: the filter kills the process (SIGSYS) */
	syscall(0x40000000 | 39);
	return 0;
}

START_TEST(seccomp_filter_builds)
{
	ck_assert_int_eq(vos_seccomp_build(ctx, NULL, false, &prog, &proglen), 0);
	ck_assert_uint_gt(proglen, 20);
	ck_assert_uint_le(proglen, BPF_MAXINSNS);
	free(prog);
}
END_TEST

START_TEST(seccomp_blocks_native)
{
	ck_assert_int_eq(in_filtered_child(probe_native, false), 0);
}
END_TEST

/* What the kernel says outside the filter: the allowed cases must match. */
static int host_errno(int family, int type, int protocol)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(sock_errno(family, type, protocol));
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(seccomp_socket_families)
{
	host_ping = host_errno(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	ck_assert_int_eq(in_filtered_child(probe_sockets, false), 0);
}
END_TEST

START_TEST(seccomp_socket_relaxed)
{
	uint64_t want = (1ULL << AF_PACKET) | (1ULL << AF_NETLINK);

	host_packet = host_errno(AF_PACKET, SOCK_DGRAM, 0);
	host_sock_diag = host_errno(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
	ck_assert_int_ne(host_packet, EAFNOSUPPORT); /* CONFIG_PACKET: every kernel we run on */
	ck_assert_int_eq(vos_config_allow_socket_family_str(cfg, "packet"), 0);
	ck_assert_int_eq(vos_config_allow_socket_family_str(cfg, "AF_NETLINK"), 0);
	ck_assert_uint_eq(vos_config_get_socket_families(cfg), want);
	filter_cfg = cfg;
	ck_assert_int_eq(in_filtered_child(probe_sockets_allowed, false), 0);
	filter_cfg = NULL;
}
END_TEST

START_TEST(seccomp_mount_for_root)
{
	ck_assert_int_eq(in_filtered_child(probe_mount_allowed, true), 0);
}
END_TEST

/* Does this host kernel run the i386 entry point at all? Without IA32
 * emulation (CONFIG_IA32_EMULATION=n, or ia32_emulation=0 on the command
 * line) int 0x80 raises a general protection fault: SIGSEGV, before
 * seccomp sees anything. Asked in an unfiltered child.
 */
static bool host_runs_i386(void)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(int80(20, 0) == getpid() ? 0 : 1);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	/* anything but "not there" (SIGSEGV) is a broken probe */
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		      "i386 probe outside the filter: status %#x", st);
	return false;
}

/* With IA32 emulation the filter must refuse the i386 numbers of what it
 * refuses natively; without it the i386 entry point does not exist and
 * the filtered child dies of SIGSEGV like any other process: the safe
 * outcome, asserted as such.
 */
START_TEST(seccomp_blocks_i386)
{
	int want = host_runs_i386() ? 0 : 200 + SIGSEGV;

	ck_assert_int_eq(in_filtered_child(probe_i386, false), want);
}
END_TEST

START_TEST(seccomp_kills_x32)
{
	ck_assert_int_eq(in_filtered_child(probe_x32, false), 200 + SIGSYS);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("libvirtos");
	TCase *t = tcase_create("pure");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, size_parsing);
	tcase_add_test(t, cpus_parsing);
	tcase_add_test(t, count_and_names);
	tcase_add_test(t, caps_by_name);
	tcase_add_test(t, exit_codes_and_names);
	tcase_add_test(t, idmap_format);
	tcase_add_test(t, config_defaults_and_setters);
	tcase_add_test(t, config_bad_values);
	tcase_add_test(t, config_default_limits);
	tcase_add_test(t, socket_family_names);
	tcase_add_test(t, env_minimal);
	tcase_add_test(t, missing_device_is_nomodule);
	tcase_add_test(t, error_context_prefix);
	tcase_add_test(t, error_classes_and_subject);
	tcase_add_test(t, open_beneath_refuses_symlinks);
	tcase_add_test(t, features_probe);
	tcase_add_test(t, close_fds_keeps_only_listed);
	tcase_add_test(t, landlock_limits_writes);
	suite_add_tcase(s, t);

	t = tcase_create("seccomp");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, seccomp_filter_builds);
	tcase_add_test(t, seccomp_blocks_native);
	tcase_add_test(t, seccomp_mount_for_root);
	tcase_add_test(t, seccomp_socket_families);
	tcase_add_test(t, seccomp_socket_relaxed);
	tcase_add_test(t, seccomp_blocks_i386);
	tcase_add_test(t, seccomp_kills_x32);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
