// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the crossing policy (lib/libvirtos/policy.c), no module
 * needed: each test writes policy files into a fresh temporary directory,
 * loads it and asks for verdicts. Covered: every token and parameter of
 * the grammar, first match across files in C-locale order, every problem
 * with its exact "FILE:LINE: ..." text, fail closed (one broken file, an
 * unreadable directory, a non-regular *.policy), which files count, and
 * the checks on the call's own fields; and the --service option's checks
 * (services.c). Runs in well under a second.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtos.h"

static struct vos_ctx *ctx;
static char dir[64];

static void setup(void)
{
	ck_assert_int_eq(vos_ctx_new(&ctx), 0);
	snprintf(dir, sizeof(dir), "/tmp/vos-policy-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	vos_ctx_free(ctx);
}

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static struct vos_rpc_policy *load(int want_problems)
{
	struct vos_rpc_policy *p = NULL;

	ck_assert_int_eq(vos_rpc_policy_load(ctx, dir, &p), want_problems);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(vos_rpc_policy_problems(p), (size_t)want_problems);
	return p;
}

/* The verdict for one call; tags: "a,b" or NULL */
static struct vos_rpc_verdict eval_tags(struct vos_rpc_policy *p, const char *svc, const char *arg,
					const char *src, const char *dst, const char *stag,
					const char *ttag)
{
	const char *st[2] = { stag, NULL }, *tt[2] = { ttag, NULL };
	struct vos_rpc_call c = {
		.service = svc,
		.arg = arg,
		.source = src,
		.target = dst,
		.source_tags = stag ? st : NULL,
		.target_tags = ttag ? tt : NULL,
	};
	struct vos_rpc_verdict v;

	ck_assert_int_eq(vos_rpc_policy_eval(ctx, p, &c, &v), 0);
	return v;
}

static struct vos_rpc_verdict eval(struct vos_rpc_policy *p, const char *svc, const char *src,
				   const char *dst)
{
	return eval_tags(p, svc, NULL, src, dst, NULL, NULL);
}

static char *path_of(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

START_TEST(empty_dir_denies)
{
	struct vos_rpc_policy *p = load(0);
	struct vos_rpc_verdict v = eval(p, "vos.Echo", "a", "b");

	ck_assert_int_eq(v.action, VOS_RPC_DENY);
	ck_assert_uint_eq(v.line, 0);
	ck_assert_str_eq(v.reason, "no rule matched");
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(first_match_across_files)
{
	struct vos_rpc_policy *p;
	struct vos_rpc_verdict v;

	/* C order: "10" < "9" < "A" < "a" */
	put("9-late.policy", "vos.Echo a b deny\n");
	put("10-early.policy", "# first\n\nvos.Echo a b allow\nvos.Echo a b deny\n");
	put("a-last.policy", "* * * allow\n");
	put("A-mid.policy", "vos.Other a b deny\n");
	p = load(0);
	ck_assert_uint_eq(vos_rpc_policy_rules(p), 5);
	v = eval(p, "vos.Echo", "a", "b");
	ck_assert_int_eq(v.action, VOS_RPC_ALLOW);
	ck_assert_str_eq(v.file, path_of("10-early.policy"));
	ck_assert_uint_eq(v.line, 3);
	ck_assert_str_eq(v.target, "b");
	v = eval(p, "vos.Other", "a", "b");
	ck_assert_int_eq(v.action, VOS_RPC_DENY);
	ck_assert_str_eq(v.file, path_of("A-mid.policy"));
	v = eval(p, "vos.Third", "@host", "b");
	ck_assert_int_eq(v.action, VOS_RPC_ALLOW);
	ck_assert_str_eq(v.file, path_of("a-last.policy"));
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(files_that_count)
{
	struct vos_rpc_policy *p;

	put("x.policy~", "garbage\n");
	put(".hidden.policy", "garbage\n");
	put(".policy", "garbage\n");
	put("README", "garbage\n");
	put("ok.policy", "vos.Echo a b allow\n");
	p = load(0);
	ck_assert_uint_eq(vos_rpc_policy_rules(p), 1);
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(service_and_arg)
{
	struct vos_rpc_policy *p;

	put("a.policy", "vos.S+ a b deny\n"
			"vos.S+one a b ask\n"
			"vos.S a b allow\n"
			"* a c allow\n");
	p = load(0);
	ck_assert_int_eq(eval_tags(p, "vos.S", NULL, "a", "b", NULL, NULL).action, VOS_RPC_DENY);
	ck_assert_int_eq(eval_tags(p, "vos.S", "", "a", "b", NULL, NULL).action, VOS_RPC_DENY);
	ck_assert_int_eq(eval_tags(p, "vos.S", "one", "a", "b", NULL, NULL).action, VOS_RPC_ASK);
	ck_assert_int_eq(eval_tags(p, "vos.S", "two", "a", "b", NULL, NULL).action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval_tags(p, "vos.T", "x", "a", "c", NULL, NULL).action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval_tags(p, "vos.T", NULL, "a", "b", NULL, NULL).action, VOS_RPC_DENY);
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(tokens)
{
	struct vos_rpc_policy *p;
	struct vos_rpc_verdict v;

	put("a.policy", "s1 @anyvm @anyvm allow\n"
			"s2 @host work allow\n"
			"s3 @tag:red @tag:blue allow\n"
			"s4 @anyvm @default allow target=vault\n"
			"s5 @anyvm @dispvm:web allow\n"
			"s6 @anyvm @dispvm allow\n"
			"s7 * @host allow\n"
			"s8 @dispvm:web work allow\n");
	p = load(0);
	/* @anyvm: subsystems and disposables, never the host, never @default */
	ck_assert_int_eq(eval(p, "s1", "a", "b").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "s1", "a", "@dispvm:web").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "s1", "@host", "b").action, VOS_RPC_DENY);
	ck_assert_int_eq(eval(p, "s1", "a", "@host").action, VOS_RPC_DENY);
	ck_assert_int_eq(eval(p, "s1", "a", "@default").action, VOS_RPC_DENY);
	/* @host */
	ck_assert_int_eq(eval(p, "s2", "@host", "work").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "s2", "host", "work").action, VOS_RPC_DENY);
	/* @tag: the caller gives the tags */
	ck_assert_int_eq(eval_tags(p, "s3", NULL, "a", "b", "red", "blue").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval_tags(p, "s3", NULL, "a", "b", "blue", "red").action, VOS_RPC_DENY);
	ck_assert_int_eq(eval_tags(p, "s3", NULL, "a", "b", "red", NULL).action, VOS_RPC_DENY);
	/* @default with target= goes there */
	v = eval(p, "s4", "a", "@default");
	ck_assert_int_eq(v.action, VOS_RPC_ALLOW);
	ck_assert_str_eq(v.target, "vault");
	ck_assert_int_eq(eval(p, "s4", "a", "vault").action, VOS_RPC_DENY);
	/* @dispvm:T and @dispvm */
	ck_assert_int_eq(eval(p, "s5", "a", "@dispvm:web").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "s5", "a", "@dispvm:mail").action, VOS_RPC_DENY);
	ck_assert_int_eq(eval(p, "s5", "a", "web").action, VOS_RPC_DENY);
	ck_assert_int_eq(eval(p, "s6", "a", "@dispvm").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "s6", "a", "@dispvm:web").action, VOS_RPC_DENY);
	/* "*" includes the host */
	ck_assert_int_eq(eval(p, "s7", "@host", "@host").action, VOS_RPC_ALLOW);
	/* a disposable as a source: no call has one yet, never matches a name */
	ck_assert_int_eq(eval(p, "s8", "web", "work").action, VOS_RPC_DENY);
	vos_rpc_policy_free(p);
}
END_TEST

/* @user:NAME (issue 15): only its own rules match a user's call */
START_TEST(user_source)
{
	struct vos_rpc_policy *p;

	put("a.policy", "vos.Launch+org.Ed @user:alice web allow\n"
			"vos.Launch * web allow\n"
			"vos.Launch @host web allow\n"
			"vos.Launch @anyvm web allow\n"
			"vos.OpenURL @user:bob @dispvm:web allow\n");
	p = load(0);
	ck_assert_int_eq(
		eval_tags(p, "vos.Launch", "org.Ed", "@user:alice", "web", NULL, NULL).action,
		VOS_RPC_ALLOW);
	/* not another app, not another user, not through "*", @host or @anyvm */
	ck_assert_int_eq(
		eval_tags(p, "vos.Launch", "org.Sh", "@user:alice", "web", NULL, NULL).action,
		VOS_RPC_DENY);
	ck_assert_int_eq(
		eval_tags(p, "vos.Launch", "org.Ed", "@user:bob", "web", NULL, NULL).action,
		VOS_RPC_DENY);
	ck_assert_int_eq(eval(p, "vos.OpenURL", "@user:bob", "@dispvm:web").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "vos.OpenURL", "@user:alice", "@dispvm:web").action, VOS_RPC_DENY);
	/* root's and the subsystems' rules still work */
	ck_assert_int_eq(eval(p, "vos.Launch", "@host", "web").action, VOS_RPC_ALLOW);
	ck_assert_int_eq(eval(p, "vos.Launch", "a", "web").action, VOS_RPC_ALLOW);
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(params)
{
	struct vos_rpc_policy *p;
	struct vos_rpc_verdict v;

	put("a.policy", "vos.FileCopy work vault allow limit=10M scan=vos.Scan@av\n"
			"vos.OpenURL @anyvm @default ask default_target=@dispvm:web\n"
			"vos.OpenURL @anyvm @anyvm ask target=viewer\n"
			"vos.Any @anyvm @default allow\n");
	p = load(0);
	v = eval(p, "vos.FileCopy", "work", "vault");
	ck_assert_int_eq(v.action, VOS_RPC_ALLOW);
	ck_assert_uint_eq(v.limit, 10ULL << 20);
	ck_assert_str_eq(v.scan_service, "vos.Scan");
	ck_assert_str_eq(v.scan_subsys, "av");
	v = eval(p, "vos.OpenURL", "work", "@default");
	ck_assert_int_eq(v.action, VOS_RPC_ASK);
	ck_assert_str_eq(v.target, "");
	ck_assert_str_eq(v.default_target, "@dispvm:web");
	v = eval(p, "vos.OpenURL", "work", "mail");
	ck_assert_int_eq(v.action, VOS_RPC_ASK);
	ck_assert_str_eq(v.target, "viewer");
	/* qrexec's rule: allow to @default without target= is a deny */
	v = eval(p, "vos.Any", "work", "@default");
	ck_assert_int_eq(v.action, VOS_RPC_DENY);
	ck_assert_uint_eq(v.line, 4);
	ck_assert_ptr_nonnull(strstr(v.reason, "gives no target="));
	vos_rpc_policy_free(p);
}
END_TEST

/* Each bad line, its exact message; and the policy then denies all */
static const struct {
	const char *line;
	const char *msg;
} bad[] = {
	{ "a b c", "too few fields: SERVICE[+ARG] SOURCE TARGET ACTION [PARAM=VALUE...]" },
	{ "!include x", "'!include': directives (!include...) are not supported" },
	{ "vos/x a b allow",
	  "'vos/x': a service name is 1-63 characters of A-Z a-z 0-9 _ . - (not starting with . or "
	  "-, no ..), or *" },
	{ "vos..x a b allow",
	  "'vos..x': a service name is 1-63 characters of A-Z a-z 0-9 _ . - (not starting with . or "
	  "-, no ..), or *" },
	{ ".x a b allow",
	  "'.x': a service name is 1-63 characters of A-Z a-z 0-9 _ . - (not starting with . or -, "
	  "no ..), or *" },
	{ "*+x a b allow", "'*' takes no +ARG" },
	{ "s+../x a b allow",
	  "'+../x': an argument is 1-63 characters of A-Z a-z 0-9 _ . - + (not starting with . or -, "
	  "no ..)" },
	{ "s @default b allow", "source '@default': @default is a target, not a source" },
	{ "s @bogus b allow",
	  "source '@bogus': unknown token (known: @anyvm @host @tag:T @user:NAME @default @dispvm "
	  "@dispvm:T)" },
	{ "s a @user:alice allow", "target '@user:alice': @user:NAME is a source, not a target" },
	{ "s @user:9lives b allow",
	  "source '@user:9lives': @user:NAME needs a user name (1-32 characters of A-Z a-z 0-9 _ . -, "
	  "starting with a letter or _)" },
	{ "s @user: b allow",
	  "source '@user:': @user:NAME needs a user name (1-32 characters of A-Z a-z 0-9 _ . -, "
	  "starting with a letter or _)" },
	{ "s a/b b allow",
	  "source 'a/b': not a subsystem name (1-63 characters of A-Z a-z 0-9 _ . -, starting with a "
	  "letter or digit)" },
	{ "s a @tag: allow",
	  "target '@tag:': a tag is 1-63 characters of A-Z a-z 0-9 _ . - (not starting with . or -)" },
	{ "s a @dispvm:../x allow",
	  "target '@dispvm:../x': @dispvm:TEMPLATE needs a subsystem name as TEMPLATE" },
	{ "s a b permit", "action 'permit': give allow, deny or ask" },
	{ "s a b allow foo", "'foo': a parameter is NAME=VALUE" },
	{ "s a b allow =x", "'=x': a parameter is NAME=VALUE" },
	{ "s a b deny target=c", "'target=': deny takes no parameters" },
	{ "s a b allow target=../c",
	  "target='../c': give a subsystem name, @dispvm or @dispvm:TEMPLATE" },
	{ "s a b allow default_target=c", "default_target= goes with ask only" },
	{ "s a b ask default_target=@x",
	  "default_target='@x': give a subsystem name, @dispvm or @dispvm:TEMPLATE" },
	{ "s a b allow limit=0",
	  "limit='0': give a size in bytes, 1 to 1125899906842624, with an optional K, M or G suffix" },
	{ "s a b allow limit=2000000G",
	  "limit='2000000G': give a size in bytes, 1 to 1125899906842624, with an optional K, M or G "
	  "suffix" },
	{ "s a b allow scan=vos.Scan", "scan='vos.Scan': give SERVICE@SUBSYSTEM" },
	{ "s a b allow scan=vos.Scan@../av", "scan='vos.Scan@../av': give SERVICE@SUBSYSTEM" },
	{ "s a b allow limit=1 limit=2", "limit= given twice" },
	{ "s a b allow colour=red",
	  "unknown parameter 'colour' (known: target default_target limit scan)" },
	{ "s a b allow 1=1 2=2 3=3 4=4 5=5 6=6 7=7 8=8 9=9 10=0 11=1 12=2 13=3",
	  "too many fields (at most 4 and 12 parameters)" },
};

START_TEST(each_problem)
{
	struct vos_rpc_policy *p;
	struct vos_rpc_verdict v;
	char text[512], want[1024];

	put("00-ok.policy", "* * * allow\n");
	snprintf(text, sizeof(text), "# line 1\n%s\n", bad[_i].line);
	put("50-bad.policy", text);
	p = load(1);
	snprintf(want, sizeof(want), "%s:2: %s", path_of("50-bad.policy"), bad[_i].msg);
	ck_assert_str_eq(vos_rpc_policy_problem(p, 0), want);
	ck_assert_ptr_null(vos_rpc_policy_problem(p, 1));
	/* fail closed: the allow-all file before it does not count */
	v = eval(p, "vos.Echo", "a", "b");
	ck_assert_int_eq(v.action, VOS_RPC_DENY);
	ck_assert_uint_eq(v.line, 0);
	ck_assert_ptr_nonnull(strstr(v.reason, "the policy does not parse"));
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(all_problems_listed)
{
	struct vos_rpc_policy *p;
	char want[512];

	put("a.policy", "x\ny\n");
	put("b.policy", "z\n");
	p = load(3);
	snprintf(want, sizeof(want), "%s:2: too few", path_of("a.policy"));
	ck_assert_int_eq(strncmp(vos_rpc_policy_problem(p, 1), want, strlen(want)), 0);
	snprintf(want, sizeof(want), "%s:1: too few", path_of("b.policy"));
	ck_assert_int_eq(strncmp(vos_rpc_policy_problem(p, 2), want, strlen(want)), 0);
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(file_level_problems)
{
	struct vos_rpc_policy *p = NULL;
	char sub[256], want[512], big[5000];

	/* a directory named like a policy file */
	snprintf(sub, sizeof(sub), "%s/d.policy", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	p = load(1);
	snprintf(want, sizeof(want), "%s: not a regular file", sub);
	ck_assert_str_eq(vos_rpc_policy_problem(p, 0), want);
	vos_rpc_policy_free(p);
	ck_assert_int_eq(rmdir(sub), 0);

	/* a NUL byte */
	{
		int fd = open(path_of("n.policy"), O_WRONLY | O_CREAT, 0600);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "s a b allow\n\0x", 14), 14);
		close(fd);
	}
	p = load(1);
	snprintf(want, sizeof(want), "%s: holds a NUL byte: not a text file", path_of("n.policy"));
	ck_assert_str_eq(vos_rpc_policy_problem(p, 0), want);
	vos_rpc_policy_free(p);
	unlink(path_of("n.policy"));

	/* a long line */
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	put("l.policy", big);
	p = load(1);
	snprintf(want, sizeof(want), "%s:1: longer than 4096 bytes", path_of("l.policy"));
	ck_assert_str_eq(vos_rpc_policy_problem(p, 0), want);
	vos_rpc_policy_free(p);
	unlink(path_of("l.policy"));

	/* no directory at all: every call denied */
	ck_assert_int_eq(vos_rpc_policy_load(ctx, "/nonexistent/policy.d", &p), 1);
	ck_assert_str_eq(vos_rpc_policy_problem(p, 0),
			 "/nonexistent/policy.d: cannot list the policy directory: No such file "
			 "or directory");
	ck_assert_int_eq(eval(p, "s", "a", "b").action, VOS_RPC_DENY);
	vos_rpc_policy_free(p);
}
END_TEST

START_TEST(bad_calls)
{
	struct vos_rpc_policy *p;
	struct vos_rpc_verdict v;
	static const struct {
		const char *svc, *arg, *src, *dst;
	} calls[] = {
		{ "../x", NULL, "a", "b" },	  { "*", NULL, "a", "b" },
		{ "s", "../x", "a", "b" },	  { "s", "-x", "a", "b" },
		{ "s", NULL, "@anyvm", "b" },	  { "s", NULL, "a/b", "b" },
		{ "s", NULL, "a", "../b" },	  { "s", NULL, "a", "@tag:x" },
		{ "s", NULL, "a", "@dispvm:" },	  { NULL, NULL, "a", "b" },
		{ "s", NULL, NULL, "b" },	  { "s", NULL, "a", NULL },
		{ "s", NULL, "@user:../x", "b" }, { "s", NULL, "@user:", "b" },
	};
	size_t i;

	put("a.policy", "* * * allow\n");
	p = load(0);
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct vos_rpc_call c = { calls[i].svc, calls[i].arg, calls[i].src,
					  calls[i].dst, NULL,	      NULL };

		ck_assert_int_eq(vos_rpc_policy_eval(ctx, p, &c, &v), -EINVAL);
		ck_assert_int_eq(v.action, VOS_RPC_DENY);
		ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	}
	vos_rpc_policy_free(p);
}
END_TEST

/* --service NAME=COMMAND: what the options table accepts and refuses */
START_TEST(service_option)
{
	static const char *const bad_specs[] = {
		"vos.Echo",	"=/bin/cat", "vos/x=/bin/cat", "vos..x=/bin/cat",     ".x=/bin/cat",
		"vos.Echo=cat", "vos.Echo=", "-x=/bin/cat",    "vos.Echo=/bin/ca\nt",
	};
	struct vos_config *cfg;
	size_t i;

	ck_assert_int_eq(vos_config_new(ctx, &cfg), 0);
	ck_assert_int_eq(vos_config_set_option(cfg, "service", "vos.Echo=/bin/cat -u"), 0);
	ck_assert_int_eq(vos_config_add_service(cfg, "vos.Two=/usr/bin/two"), 0);
	ck_assert_int_eq(vos_config_add_service(cfg, "vos.Echo=/bin/other"), -EINVAL);
	ck_assert_str_eq(vos_ctx_errmsg(ctx), "--service: vos.Echo is given twice");
	for (i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		ck_assert_msg(vos_config_add_service(cfg, bad_specs[i]) == -EINVAL, "%s",
			      bad_specs[i]);
		ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
		ck_assert_int_eq(strncmp(vos_ctx_errmsg(ctx), "--service: '", 12), 0);
	}
	vos_config_free(cfg);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(vos_rpc_action_name(VOS_RPC_ALLOW), "allow");
	ck_assert_str_eq(vos_rpc_action_name(VOS_RPC_DENY), "deny");
	ck_assert_str_eq(vos_rpc_action_name(VOS_RPC_ASK), "ask");
	ck_assert_str_eq(vos_rpc_action_name(7), "unknown");
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_dir_denies);
	tcase_add_test(tc, first_match_across_files);
	tcase_add_test(tc, files_that_count);
	tcase_add_test(tc, service_and_arg);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, user_source);
	tcase_add_test(tc, params);
	tcase_add_loop_test(tc, each_problem, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, all_problems_listed);
	tcase_add_test(tc, file_level_problems);
	tcase_add_test(tc, bad_calls);
	tcase_add_test(tc, service_option);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
