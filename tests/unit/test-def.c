// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the subsystem definitions (lib/libvirtos/def.c): the
 * parser's messages ("FILE:LINE: Key=: what is wrong: the accepted form"),
 * that an option's value fails with the very message of
 * vos_config_set_option() (vosctl's --OPTION), profiles and their
 * overrides, and the checks of a set (a name twice, a missing or template
 * Requires=, cycles) and its start order. Host only; runs in well under a
 * second.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtos.h"

static struct vos_ctx *ctx;
static char dir[64], dir2[64], pdir[64];

static void put(const char *d, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void rmdir_all(const char *d)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	ck_assert_int_eq(system(cmd), 0);
}

static void setup(void)
{
	ck_assert_int_eq(vos_ctx_new(&ctx), 0);
	snprintf(dir, sizeof(dir), "/tmp/vos-def-XXXXXX");
	snprintf(dir2, sizeof(dir2), "/tmp/vos-def2-XXXXXX");
	snprintf(pdir, sizeof(pdir), "/tmp/vos-prof-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(mkdtemp(dir2));
	ck_assert_ptr_nonnull(mkdtemp(pdir));
	put(pdir, "small.conf",
	    "# a profile\n[Limits]\nMemory=256M\nPids=64\n[Files]\nTmpfs=/a\n[Firewall]\nPolicy=drop\n");
}

static void teardown(void)
{
	rmdir_all(dir);
	rmdir_all(dir2);
	rmdir_all(pdir);
	vos_ctx_free(ctx);
}

/* Load @text as @dir/web.conf: 0 or the error, its message in @msg */
static int load(const char *text, struct vos_def **dp, char *msg, size_t len)
{
	char path[128];
	int r;

	put(dir, "web.conf", text);
	snprintf(path, sizeof(path), "%s/web.conf", dir);
	vos_ctx_clear_error(ctx);
	r = vos_def_load(ctx, path, pdir, 0, dp);
	/* the message without the directory, for the comparisons */
	snprintf(msg, len, "%s", strstr(vos_ctx_errmsg(ctx), "web.conf") ?: vos_ctx_errmsg(ctx));
	if (r)
		ck_assert_ptr_null(*dp);
	return r;
}

static void bad(const char *text, const char *want)
{
	struct vos_def *d = NULL;
	char m[512];

	ck_assert_int_lt(load(text, &d, m, sizeof(m)), 0);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	if (want)
		ck_assert_str_eq(m, want);
	else /* a message of the library's own, with the place in front */
		ck_assert_msg(strncmp(m, "web.conf:", 9) == 0, "%s", m);
}

START_TEST(option_values_say_what_the_setter_says)
{
	struct vos_config *cfg;
	struct vos_def *d = NULL;
	char want[512], m[512];

	/* the message of --memory lots, with FILE:LINE: Memory=: in front */
	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
	ck_assert_int_lt(vos_config_set_option(cfg, "memory", "lots"), 0);
	snprintf(want, sizeof(want), "web.conf:3: Memory=: %s", vos_ctx_errmsg(ctx));
	vos_config_free(cfg);
	ck_assert_int_lt(load("[Limits]\n# comment\nMemory=lots\n", &d, m, sizeof(m)), 0);
	ck_assert_str_eq(m, want);

	bad("[Exec]\nHostname=-bad\n",
	    "web.conf:2: Hostname=: --hostname: '-bad' is not a host name: use up to 64 letters, digits, '-' and '.', e.g. web1");
	bad("[Files]\nRootfs=/srv\nHostRoot=yes\n",
	    "web.conf:3: HostRoot=: --rootfs and --host-root both choose the root: give one of them");
}
END_TEST

START_TEST(keys_sections_and_lines)
{
	bad("[Subsystem]\nColour=red\n",
	    "web.conf:2: Colour=: not a key of [Subsystem]: use one of Isolate=, Persistent=, Description=, Profile=, Tags=, Label=, Requires=, Autostart=, Template=, Pool=");
	bad("[Subsys]\nLabel=red\n",
	    "web.conf:2: [Subsys]: not a section: use [Subsystem], [Exec], [Files], [Limits], [Network], [Firewall] or [Services]");
	bad("Label=red\n",
	    "web.conf:1: Label=: a key before any [Section]: put it under its section, e.g. [Subsystem]");
	bad("[Subsystem]\nLabel red\n",
	    "web.conf:2: not [Section] or KEY=VALUE: fix the line (a comment starts with # or ;)");
	bad("[Limits]\nMemory=1G\n\nMemory=2G\n",
	    "web.conf:4: Memory=: given twice (first on line 2): give it once");
	bad("[Subsystem]\nLabel=two words\n",
	    "web.conf:2: Label=: 'two words' is not one word: use one word of letters, digits, '_', '.' or '-', e.g. Label=red");
	bad("[Subsystem]\nAutostart=maybe\n",
	    "web.conf:2: Autostart=: 'maybe' is not yes or no: use yes or no");
	bad("[Subsystem]\nRequires=net b/c\n",
	    "web.conf:2: Requires=: 'b/c' is not a subsystem name: use names of defined subsystems, separated by spaces, e.g. Requires=net fw");
	bad("[Subsystem]\nTemplate=yes\nPool=17\n",
	    "web.conf:3: Pool=: '17' is not a number of disposables: use a number of disposables kept ready, 0 to 16, with Template=yes");
	bad("[Subsystem]\nTemplate=yes\nPool=-1\n",
	    "web.conf:3: Pool=: '-1' is not a number of disposables: use a number of disposables kept ready, 0 to 16, with Template=yes");
	bad("[Services]\nweb=httpd\n",
	    "web.conf:2: web=: not a key of [Services]: use one of Service=, Tag=");
	bad("[Firewall]\nPolicy=reject\n",
	    "web.conf:2: Policy=: 'reject' is not a policy: use accept or drop");
	bad("[Firewall]\nRule=action=accept dstports=99999\n", NULL);
	bad("[Exec]\nCommand=sh -c 'echo\n",
	    "web.conf:2: Command=: a quote is not closed: use a program and its arguments, separated by spaces; '...' or \"...\" keep spaces");
	bad("[Subsystem]\nTemplate=yes\nAutostart=yes\n", NULL);
	bad("[Subsystem]\nPool=3\n", NULL);
	{
		struct vos_def *d = NULL;
		char m[512];

		ck_assert_int_eq(load("[Subsystem]\nTemplate=yes\nPool=3\n", &d, m, sizeof(m)), 0);
		ck_assert_uint_eq(vos_def_pool(d), 3);
		vos_def_free(d);
	}
}
END_TEST

START_TEST(long_lines_and_commands)
{
	struct vos_def *d = NULL;
	char text[512], m[512];
	char *const *argv;

	snprintf(text, sizeof(text), "[Subsystem]\nDescription=%0300d\n", 0);
	bad(text,
	    "web.conf:2: the line is longer than 198 bytes: shorten it (a repeatable key can be given on several lines)");
	ck_assert_int_eq(
		load("[Exec]\nCommand=sh -c 'sleep 1; echo \"a b\"' x\n", &d, m, sizeof(m)), 0);
	argv = vos_def_argv(d);
	ck_assert_ptr_nonnull(argv);
	ck_assert_str_eq(argv[0], "sh");
	ck_assert_str_eq(argv[1], "-c");
	ck_assert_str_eq(argv[2], "sleep 1; echo \"a b\"");
	ck_assert_str_eq(argv[3], "x");
	ck_assert_ptr_null(argv[4]);
	vos_def_free(d);
	ck_assert_int_eq(load("[Subsystem]\nDescription=idle\n", &d, m, sizeof(m)), 0);
	ck_assert_ptr_null(vos_def_argv(d));
	ck_assert_str_eq(vos_def_name(d), "web");
	vos_def_free(d);
}
END_TEST

START_TEST(profiles_and_overrides)
{
	struct vos_config *cfg;
	struct vos_def *d = NULL;
	const char *v[4];
	char m[512];
	uint64_t dig;

	ck_assert_int_eq(
		load("[Subsystem]\nProfile=small\n[Limits]\nMemory=1G\n[Files]\nTmpfs=/b\n", &d, m,
		     sizeof(m)),
		0);
	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
	ck_assert_int_eq(vos_def_config(d, cfg), 0);
	/* the file's single key wins, the profile's others stay */
	ck_assert_uint_eq(vos_config_get_memory(cfg), 1ULL << 30);
	ck_assert_uint_eq(vos_config_get_pids(cfg), 64);
	/* repeatable: the profile's and the file's */
	ck_assert_uint_eq(vos_def_values(d, "Files", "Tmpfs", v, 4), 2);
	ck_assert_str_eq(v[0], "/a");
	ck_assert_str_eq(v[1], "/b");
	ck_assert_str_eq(vos_def_value(d, "Firewall", "Policy"), "drop");
	dig = vos_def_digest(d);
	vos_config_free(cfg);
	vos_def_free(d);

	/* an empty value empties the list, the profile's too */
	ck_assert_int_eq(load("[Subsystem]\nProfile=small\n[Files]\nTmpfs=\nTmpfs=/c\n", &d, m,
			      sizeof(m)),
			 0);
	ck_assert_uint_eq(vos_def_values(d, "Files", "Tmpfs", v, 4), 1);
	ck_assert_str_eq(v[0], "/c");
	ck_assert_uint_ne(vos_def_digest(d), dig);
	vos_def_free(d);

	bad("[Subsystem]\nProfile=nosuch\n", NULL);
	bad("[Subsystem]\nProfile=../x\n", NULL);
	/* a profile is about a posture, not about one subsystem */
	put(pdir, "deps.conf", "[Subsystem]\nRequires=net\n");
	bad("[Subsystem]\nProfile=deps\n", NULL);
	ck_assert_ptr_nonnull(
		strstr(vos_ctx_errmsg(ctx), "deps.conf:2: Requires=: not in a profile"));
	/* vosctl create --profile */
	ck_assert_int_eq(vos_profile_load(ctx, pdir, "small", &d), 0);
	vos_def_free(d);
	ck_assert_int_eq(vos_profile_load(ctx, pdir, "nosuch", &d), -ENOENT);
	ck_assert_int_eq(vos_profile_load(ctx, pdir, "a/b", &d), -EINVAL);
}
END_TEST

static int load_set(struct vos_defs **sp)
{
	const char *dirs[] = { dir, dir2, NULL };

	vos_ctx_clear_error(ctx);
	return vos_defs_load(ctx, dirs, pdir, sp);
}

static size_t index_of(const struct vos_defs *s, const char *name)
{
	size_t i;

	for (i = 0; i < vos_defs_count(s); i++)
		if (!strcmp(vos_def_name(vos_defs_at(s, i)), name))
			return i;
	ck_abort_msg("%s is not in the set", name);
	return 0;
}

START_TEST(sets_order_and_refusals)
{
	struct vos_defs *s = NULL;
	const char *m;

	put(dir, "net.conf", "[Subsystem]\nDescription=uplink\n");
	put(dir, "fw.conf", "[Subsystem]\nRequires=net\n");
	put(dir, "web.conf", "[Subsystem]\nRequires=fw\nRequires=net\n");
	put(dir, "vault.conf", "[Network]\nUplink=none\n");
	put(dir, "tpl.conf", "[Subsystem]\nTemplate=yes\n");
	put(dir, "README", "not a definition\n");
	ck_assert_int_eq(load_set(&s), 0);
	ck_assert_uint_eq(vos_defs_count(s), 5);
	/* dependencies first, otherwise by name */
	ck_assert_str_eq(vos_def_name(vos_defs_at(s, 0)), "net");
	ck_assert_str_eq(vos_def_name(vos_defs_at(s, 1)), "fw");
	ck_assert_str_eq(vos_def_name(vos_defs_at(s, 2)), "tpl");
	ck_assert_str_eq(vos_def_name(vos_defs_at(s, 3)), "vault");
	ck_assert_str_eq(vos_def_name(vos_defs_at(s, 4)), "web");
	ck_assert_uint_eq(vos_def_flags(vos_defs_find(s, "tpl")), VOS_DEF_TEMPLATE);
	ck_assert_str_eq(vos_def_deps(vos_defs_find(s, "web"))[1], "net");
	vos_defs_free(s);

	/* an Uplink= that names a subsystem is a dependency too */
	put(dir, "prov.conf", "[Network]\nProvidesNetwork=yes\n");
	put(dir, "cli.conf", "[Network]\nUplink=prov\n");
	ck_assert_int_eq(load_set(&s), 0);
	ck_assert_str_eq(vos_def_deps(vos_defs_find(s, "cli"))[0], "prov");
	ck_assert_ptr_null(vos_def_deps(vos_defs_find(s, "cli"))[1]);
	ck_assert_uint_lt(index_of(s, "prov"), index_of(s, "cli"));
	vos_defs_free(s);
	unlink(strcat(strcpy((char[128]){ 0 }, dir), "/prov.conf"));
	ck_assert_int_eq(load_set(&s), -ENOENT);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx),
				     "cli.conf:2: Uplink=: 'prov' is not defined: add prov.conf"));
	unlink(strcat(strcpy((char[128]){ 0 }, dir), "/cli.conf"));

	/* a name in two directories */
	put(dir2, "net.conf", "[Subsystem]\n");
	ck_assert_int_eq(load_set(&s), -EEXIST);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "subsystem 'net' is defined twice, in "));
	unlink(strcat(strcpy((char[128]){ 0 }, dir2), "/net.conf"));

	/* a Requires= of a name not defined: the line that says it */
	put(dir, "web.conf", "[Subsystem]\nRequires=fw\nRequires=mail\n");
	ck_assert_int_eq(load_set(&s), -ENOENT);
	m = strstr(vos_ctx_errmsg(ctx), "web.conf");
	ck_assert_str_eq(
		m,
		"web.conf:3: Requires=: 'mail' is not defined: add mail.conf beside web.conf, or remove it");
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);

	/* of a template */
	put(dir, "web.conf", "[Subsystem]\nRequires=tpl\n");
	ck_assert_int_eq(load_set(&s), -EINVAL);
	ck_assert_ptr_nonnull(
		strstr(vos_ctx_errmsg(ctx), "web.conf:2: Requires=: 'tpl' is a template"));

	/* a cycle, spelled out */
	put(dir, "net.conf", "[Subsystem]\nRequires=web\n");
	put(dir, "web.conf", "[Subsystem]\nRequires=fw\n");
	ck_assert_int_eq(load_set(&s), -ELOOP);
	ck_assert_str_eq(
		vos_ctx_errmsg(ctx),
		"dependency cycle: fw -> net -> web -> fw: a subsystem cannot start before itself; remove one of these Requires= (or Uplink=)");
	ck_assert_ptr_null(s);

	/* one bad file refuses the set */
	put(dir, "net.conf", "[Limits]\nPids=many\n");
	ck_assert_int_eq(load_set(&s), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "net.conf:2: Pids=: --pids: 'many'"));
}
END_TEST

START_TEST(file_names)
{
	struct vos_def *d = NULL;
	char path[128];

	put(dir, "bad name.conf", "[Subsystem]\n");
	snprintf(path, sizeof(path), "%s/bad name.conf", dir);
	ck_assert_int_eq(vos_def_load(ctx, path, pdir, 0, &d), -EINVAL);
	ck_assert_ptr_nonnull(strstr(vos_ctx_errmsg(ctx), "the file name is not NAME.conf"));
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	ck_assert_int_lt(vos_def_load(ctx, path, pdir, 0, &d), 0);
	ck_assert_int_eq(vos_def_load(ctx, path, pdir, 0x80, &d), -EINVAL);
}
END_TEST

/* The shipped profiles load, and each says something of its own */
START_TEST(shipped_profiles)
{
	static const char *const names[] = { "net",   "firewall", "browser", "work",
					     "vault", "scanner",  "dev" };
	struct vos_def *d;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_msg(vos_profile_load(ctx, PROFILES, names[i], &d) == 0, "%s: %s",
			      names[i], vos_ctx_errmsg(ctx));
		ck_assert_ptr_nonnull(vos_def_value(d, "Network", "Uplink"));
		ck_assert_ptr_nonnull(vos_def_value(d, "Limits", "Memory"));
		vos_def_free(d);
	}
}
END_TEST

/* virtos.conf(5) names every key of the option table and of our own */
START_TEST(every_key_documented)
{
	static const char *const own[] = { "Description", "Profile",   "Tags",	   "Label",
					   "Requires",	  "Autostart", "Template", "Pool",
					   "Command",	  "Policy",    "Rule" };
	const struct vos_option *o;
	char want[64], *man = NULL;
	size_t n, i, len = 0;
	FILE *f;

	f = fopen("Documentation/virtos.conf.5", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_gt(getdelim(&man, &len, '\0', f), 1000);
	fclose(f);
	o = vos_options(&n);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "\n.SH [%s]", o[i].section);
		ck_assert_msg(strstr(man, want), "no section %s", want + 1);
		snprintf(want, sizeof(want), "%s=", o[i].key);
		ck_assert_msg(strstr(man, want), "virtos.conf.5 does not document %s", want);
	}
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		snprintf(want, sizeof(want), "%s=", own[i]);
		ck_assert_msg(strstr(man, want), "virtos.conf.5 does not document %s", want);
	}
	free(man);
}
END_TEST

static Suite *def_suite(void)
{
	Suite *s = suite_create("definitions");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, option_values_say_what_the_setter_says);
	tcase_add_test(t, keys_sections_and_lines);
	tcase_add_test(t, long_lines_and_commands);
	tcase_add_test(t, profiles_and_overrides);
	tcase_add_test(t, sets_order_and_refusals);
	tcase_add_test(t, file_names);
	tcase_add_test(t, shipped_profiles);
	tcase_add_test(t, every_key_documented);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(def_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
