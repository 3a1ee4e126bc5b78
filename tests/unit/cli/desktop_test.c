// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the desktop entries of `vosctl apps` and `vosctl launch`
 * (tools/vosctl/desktop.c, issue 15): the parser, the Exec splitting and
 * its refusal rules, the command line launch runs, the exported entry
 * (which desktop-file-validate, of desktop-file-utils, must accept: a
 * missing one fails the test), and the man page and completion naming the
 * commands. Host only, no module. Run time: well under a second, plus one
 * desktop-file-validate per exported sample (about 10 ms each).
 */
#include <check.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "desktop.h"

Suite *desktop_suite(void);

static struct cli_err e;

static int parse(struct desktop_entry *d, const char *text)
{
	memset(&e, 0, sizeof(e));
	memset(d, 0, sizeof(*d));
	snprintf(d->id, sizeof(d->id), "org.example.App");
	return desktop_parse(d, text, strlen(text), &e);
}

START_TEST(parse_fields)
{
	struct desktop_entry d;

	ck_assert_int_eq(parse(&d, "# comment\n\n[Desktop Entry]\nType=Application\n"
				   "Name = Text\\sEditor\nName[de]=Texteditor\n"
				   "Exec=gedit %U\nIcon=accessories-text-editor\n"
				   "MimeType=text/plain;\nCategories=Utility;TextEditor;\n"
				   "NoDisplay=false\nX-Other=1\n[Desktop Action new]\n"
				   "Name=New\nExec=sh -c evil\n"),
			 0);
	ck_assert_str_eq(d.name, "Text Editor");
	ck_assert_str_eq(d.exec, "gedit %U");
	ck_assert_str_eq(d.icon, "accessories-text-editor");
	ck_assert_str_eq(d.mimetype, "text/plain;");
	ck_assert_str_eq(d.categories, "Utility;TextEditor;");
	ck_assert(!d.nodisplay);
	ck_assert(desktop_is_app(&d));
	desktop_entry_clear(&d);

	ck_assert_int_eq(parse(&d, "[Desktop Entry]\nType=Link\nName=x\n"), 0);
	ck_assert(!desktop_is_app(&d));
	desktop_entry_clear(&d);
	ck_assert_int_eq(parse(&d, "[Desktop Entry]\nType=Application\nHidden=true\n"), 0);
	ck_assert(!desktop_is_app(&d));
	desktop_entry_clear(&d);
}
END_TEST

/* What the parser refuses rather than guess at */
START_TEST(parse_refusals)
{
	static const char *const bad[] = {
		"Name=x\n[Desktop Entry]\n",		      /* key before the group */
		"[Other]\n[Desktop Entry]\nName=x\n",	      /* not the first group */
		"[Desktop Entry]\nName=a\nName=b\n",	      /* a key twice */
		"[Desktop Entry]\nName=a\\qb\n",	      /* unknown escape */
		"[Desktop Entry]\nNoDisplay=yes\n",	      /* not true/false */
		"[Desktop Entry]\nTerminal=1\n",	      /* not true/false either */
		"[Desktop Entry]\nName\n",		      /* no = */
		"[Desktop Entry\nName=x\n",		      /* bad header */
		"[Desktop Entry]\n[Desktop Entry]\nName=x\n", /* the group twice */
		"",					      /* no group */
	};
	struct desktop_entry d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(&d, bad[i]) == EXIT_FAIL, "accepted: %s", bad[i]);
		ck_assert(e.msg[0]);
		desktop_entry_clear(&d);
	}
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(desktop_parse(&d, "[Desktop Entry]\nName=a\0b\n", 24, &e), EXIT_FAIL);
	ck_assert_ptr_nonnull(strstr(e.msg, "NUL"));
	desktop_entry_clear(&d);
}
END_TEST

START_TEST(ids)
{
	ck_assert_int_eq(desktop_id_check("org.gnome.Calculator"), 0);
	ck_assert_int_eq(desktop_id_check("foot-server"), 0);
	ck_assert_int_eq(desktop_id_check(""), -1);
	ck_assert_int_eq(desktop_id_check(".hidden"), -1);
	ck_assert_int_eq(desktop_id_check("-x"), -1);
	ck_assert_int_eq(desktop_id_check("a/b"), -1);
	ck_assert_int_eq(desktop_id_check("a b"), -1);
	ck_assert_int_eq(desktop_id_check("../x"), -1);
}
END_TEST

static char **split(const char *exec)
{
	char **argv = NULL;

	memset(&e, 0, sizeof(e));
	if (desktop_exec_split(exec, &argv, &e))
		return NULL;
	return argv;
}

START_TEST(exec_split)
{
	char **a = split("  /usr/bin/foo  --name=x \"a b\" \"q\\\"uote\" \"\\$HOME\" %U");

	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a[0], "/usr/bin/foo");
	ck_assert_str_eq(a[1], "--name=x");
	ck_assert_str_eq(a[2], "a b");
	ck_assert_str_eq(a[3], "q\"uote");
	ck_assert_str_eq(a[4], "$HOME");
	ck_assert_str_eq(a[5], "%U");
	ck_assert_ptr_null(a[6]);
	desktop_argv_free(a);

	/* shell syntax outside quotes, bad quoting, field codes in quotes, nothing */
	ck_assert_ptr_null(split("foo; rm -rf ~"));
	ck_assert_ptr_nonnull(strstr(e.msg, "';'"));
	ck_assert_ptr_null(split("foo | nc host 1"));
	ck_assert_ptr_null(split("foo && bar"));
	ck_assert_ptr_null(split("foo `id`"));
	ck_assert_ptr_null(split("foo $(id)"));
	ck_assert_ptr_null(split("foo > /tmp/x"));
	ck_assert_ptr_null(split("foo 'x'"));
	ck_assert_ptr_null(split("foo \"open"));
	ck_assert_ptr_null(split("foo \"a\"b"));
	ck_assert_ptr_null(split("foo \"%f\""));
	ck_assert_ptr_null(split("foo \"\\n\""));
	ck_assert_ptr_null(split("   "));
}
END_TEST

static int check(const char *exec)
{
	char **a = split(exec);
	int ret;

	ck_assert_msg(a, "split refused %s: %s", exec, e.msg);
	ret = desktop_exec_check(a, &e);
	desktop_argv_free(a);
	return ret;
}

START_TEST(exec_refusals)
{
	static const char *const bad[] = {
		"sh -c foo",
		"/bin/bash -c \"foo\"",
		"env FOO=1 dash -c x",
		"/usr/bin/env sh",
		"busybox sh",
		"xterm -e \"sh -c id\"",
		"env -S \"python3 -c x\"",
		"/usr/bin/env --split-string=id",
		"python3 -c \"import os\"",
		"perl -e \"system 1\"",
		"foo \"a;b\"",
		"foo \"a|b\"",
		"foo \"a && b\"",
		"foo \"\\`id\\`\"",
		"foo \"\\$(id)\"",
		"foo \"<x\"",
		"foo %F%U",
		"foo %f %u",
		"foo --files=%F",
		"foo %z",
		"foo 100%",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(check(bad[i]) == EXIT_FAIL, "accepted: %s", bad[i]);
		ck_assert(e.msg[0]);
	}
	ck_assert_int_eq(check("env GDK_BACKEND=x11 /usr/bin/gedit --new-window %U"), 0);
	ck_assert_int_eq(check("python3 /usr/share/foo/foo.py %f"), 0);
	ck_assert_int_eq(check("foo --level=100%% %i %c %k"), 0);
}
END_TEST

static char *joined(const char *exec, char *const *args, size_t n, int *ret)
{
	char **a = split(exec), **out = NULL, *s;
	size_t len = 0, i;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(desktop_exec_check(a, &e), 0);
	*ret = desktop_exec_expand(a, args, n, &out, &e);
	desktop_argv_free(a);
	if (*ret)
		return NULL;
	for (i = 0; out[i]; i++)
		len += strlen(out[i]) + 3;
	s = calloc(1, len + 1);
	for (i = 0; out[i]; i++) {
		strcat(s, i ? " [" : "[");
		strcat(s, out[i]);
		strcat(s, "]");
	}
	desktop_argv_free(out);
	return s;
}

START_TEST(exec_expand)
{
	char *two[] = { "/tmp/a b", "x;y" }, *s;
	int ret;

	s = joined("foo %U", two, 2, &ret);
	ck_assert_str_eq(s, "[foo] [/tmp/a b] [x;y]");
	free(s);
	s = joined("foo %F --x", NULL, 0, &ret);
	ck_assert_str_eq(s, "[foo] [--x]");
	free(s);
	s = joined("foo --file=%f %i %c %k 50%%", two, 1, &ret);
	ck_assert_str_eq(s, "[foo] [--file=/tmp/a b] [50%]");
	free(s);
	s = joined("foo %u", NULL, 0, &ret);
	ck_assert_str_eq(s, "[foo]");
	free(s);
	/* two for a single one, any for none */
	ck_assert_ptr_null(joined("foo %f", two, 2, &ret));
	ck_assert_int_eq(ret, EXIT_USAGE);
	ck_assert_ptr_null(joined("foo", two, 1, &ret));
	ck_assert_int_eq(ret, EXIT_USAGE);
	ck_assert_ptr_null(joined("%i", NULL, 0, &ret));
	ck_assert_int_eq(ret, EXIT_FAIL);
}
END_TEST

static char *export(const char *text, const char *subsys, int *ret)
{
	struct desktop_entry d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(parse(&d, text), 0);
	f = open_memstream(&buf, &len);
	*ret = desktop_export_write(f, &d, subsys, &e);
	fclose(f);
	desktop_entry_clear(&d);
	return buf;
}

/* desktop-file-validate on @text: its exit status */
static int validate(const char *text)
{
	char path[] = "/tmp/vosctl-desktop-test-XXXXXX.desktop";
	int fd = mkstemps(path, 8), status;
	pid_t pid;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execlp("desktop-file-validate", "desktop-file-validate", path, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	unlink(path);
	ck_assert_msg(
		!(WIFEXITED(status) && WEXITSTATUS(status) == 127),
		"desktop-file-validate is missing: scripts/deps.sh installs desktop-file-utils");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

START_TEST(exported_entry)
{
	int ret;
	char *s = export("[Desktop Entry]\nType=Application\nName=Text\\nEditor \\\\ [x]\n"
			 "Exec=/usr/bin/gedit --new-window %F\nIcon=accessories-text-editor\n"
			 "MimeType=text/plain;text/x-c\nCategories=Utility;TextEditor;\n",
			 "work", &ret);

	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(s, "[Desktop Entry]\nType=Application\n"
			    "Name=[work] Text\\nEditor \\\\ [x]\n"
			    "Exec=vosctl launch work org.example.App %F\n"
			    "Icon=accessories-text-editor\n"
			    "MimeType=text/plain;text/x-c;\n"
			    "Categories=Utility;TextEditor;\n"
			    "X-Virtos-Subsystem=work\nX-Virtos-Id=org.example.App\n");
	ck_assert_int_eq(validate(s), 0);
	free(s);

	/* URLs: %U; an icon path of the inside is left out; NoDisplay carried */
	s = export("[Desktop Entry]\nType=Application\nName=Web\nExec=browser %u\n"
		   "Icon=/usr/share/pixmaps/web.png\nNoDisplay=true\n",
		   "web.1", &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(s, "\nExec=vosctl launch web.1 org.example.App %U\n"));
	ck_assert_ptr_null(strstr(s, "Icon="));
	ck_assert_ptr_nonnull(strstr(s, "\nNoDisplay=true\n"));
	ck_assert_int_eq(validate(s), 0);
	free(s);

	/* a terminal app stays one */
	s = export("[Desktop Entry]\nType=Application\nName=Vim\nExec=vim %F\nTerminal=true\n", "w",
		   &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(s, "\nTerminal=true\n"));
	ck_assert_int_eq(validate(s), 0);
	free(s);

	/* no files or URLs: no field code */
	s = export("[Desktop Entry]\nType=Application\nName=Calc\nExec=calc\n", "w", &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_ptr_nonnull(strstr(s, "\nExec=vosctl launch w org.example.App\n"));
	ck_assert_int_eq(validate(s), 0);
	free(s);
}
END_TEST

START_TEST(export_refusals)
{
	static const char *const bad[] = {
		"[Desktop Entry]\nType=Application\nName=x\nExec=sh -c \"curl x | sh\"\n",
		"[Desktop Entry]\nType=Application\nName=x\nExec=foo;bar\n",
		"[Desktop Entry]\nType=Application\nExec=foo\n",
		"[Desktop Entry]\nType=Application\nName=x\n",
		"[Desktop Entry]\nType=Link\nName=x\nExec=foo\n",
		"[Desktop Entry]\nType=Application\nName=x\nExec=foo\nMimeType=text/pl\\nain\n",
		"[Desktop Entry]\nType=Application\nName=x\nExec=foo\nCategories=A=B;\n",
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		free(export(bad[i], "w", &ret));
		ck_assert_msg(ret == EXIT_FAIL, "exported: %s", bad[i]);
		ck_assert(e.msg[0]);
	}
}
END_TEST

static char *slurp_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *m;
	int c;

	ck_assert_msg(f, "%s missing (run from the top of the tree)", path);
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

START_TEST(docs_name_the_commands)
{
	char *man = slurp_file("Documentation/vosctl.1");
	char *comp = slurp_file("tools/vosctl/vosctl.bash-completion");
	char *cmds = strstr(comp, "\n_vosctl_commands=\"");

	ck_assert_ptr_nonnull(strstr(man, "\n.B apps \\fINAME\\fR"));
	ck_assert_ptr_nonnull(strstr(man, "\n.B launch \\fINAME\\fR"));
	ck_assert_ptr_nonnull(cmds);
	*strchr(cmds + 19, '"') = '\0';
	ck_assert_ptr_nonnull(strstr(cmds, " apps "));
	ck_assert_ptr_nonnull(strstr(cmds, " launch "));
	free(man);
	free(comp);
}
END_TEST

/* `vosctl VERB ARGS` as main() would call it, with no module to reach */
static int run_cmd(const char *verb, char **argv, int argc)
{
	struct cli_ctx ctx = { .device = "/nonexistent/vos", .prog = "vosctl" };
	const struct cli_cmd *c = cli_find(verb);
	char *out = NULL;
	size_t len = 0;
	int ret;

	ck_assert_ptr_nonnull(c);
	ctx.out = open_memstream(&out, &len);
	memset(&e, 0, sizeof(e));
	optind = 0;
	ret = c->fn(&ctx, argc, argv, &e);
	fclose(ctx.out);
	free(out);
	return ret;
}

/* Usage errors and an ID not exported come before the module is looked for */
START_TEST(commands_before_module)
{
	char dir[] = "/tmp/vosctl-desktop-xdg-XXXXXX";
	char *a1[] = { "apps", "web", NULL };
	char *a2[] = { "apps", "web", "export", "../x", NULL };
	char *a3[] = { "apps", "web", "frob", NULL };
	char *a4[] = { "apps", "bad/name", "list", NULL };
	char *a5[] = { "launch", "web", "org.example.App", "x", NULL };
	char *a6[] = { "apps", "web", "unexport", "org.example.App", NULL };
	char *a7[] = { "apps", "web", "list", NULL };
	char *a8[] = { "launch", "web", NULL };

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(setenv("XDG_DATA_HOME", dir, 1), 0);
	ck_assert_int_eq(run_cmd("apps", a1, 2), EXIT_USAGE);
	ck_assert_int_eq(run_cmd("apps", a2, 4), EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "'../x' is not a desktop ID"));
	ck_assert_int_eq(run_cmd("apps", a3, 3), EXIT_USAGE);
	ck_assert_int_eq(run_cmd("apps", a4, 3), EXIT_USAGE);
	ck_assert_int_eq(run_cmd("launch", a8, 2), EXIT_USAGE);
	ck_assert_int_eq(run_cmd("launch", a5, 4), EXIT_NAME);
	ck_assert_ptr_nonnull(strstr(e.msg, "org.example.App of web is not exported"));
	ck_assert_int_eq(run_cmd("apps", a6, 4), EXIT_NAME);
	/* list and export read the subsystem: they need the module */
	ck_assert_int_eq(run_cmd("apps", a7, 3), EXIT_NOMOD);
	unsetenv("XDG_DATA_HOME");
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *desktop_suite(void)
{
	Suite *s = suite_create("desktop");
	TCase *t;

	t = tcase_create("parse");
	tcase_add_test(t, parse_fields);
	tcase_add_test(t, parse_refusals);
	tcase_add_test(t, ids);
	suite_add_tcase(s, t);

	t = tcase_create("exec");
	tcase_add_test(t, exec_split);
	tcase_add_test(t, exec_refusals);
	tcase_add_test(t, exec_expand);
	suite_add_tcase(s, t);

	t = tcase_create("export");
	tcase_add_test(t, exported_entry);
	tcase_add_test(t, export_refusals);
	tcase_add_test(t, docs_name_the_commands);
	tcase_add_test(t, commands_before_module);
	suite_add_tcase(s, t);
	return s;
}
