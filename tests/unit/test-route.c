// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the routes (lib/libvirtos/route.c, confdir.c) and of a
 * subsystem's own clipboard store (clipstore.c), no module needed. Routes:
 * each kind of line, the first match over files in C-locale order and
 * over directories in the order given, regex anchoring, "*", MIME type
 * wildcards, case and parameters, targets, every problem with its exact
 * "FILE:LINE: ..." text, fail closed (a broken file makes every lookup
 * fail), which files count, a missing directory, bad subjects, and
 * vos_route_open() (one lookup in one call). The clipboard store:
 * write, read, replace, clear, resolved inside a root (RESOLVE_IN_ROOT: a
 * symlink out of it stays in it), a FIFO or a symlink as the file refused,
 * the size limit, a file that is no clipboard file. The routes case is
 * valgrind-clean (CK_RUN_CASE=routes CK_FORK=no valgrind --leak-check=full
 * --error-exitcode=1); the clipstore case needs openat2(), which valgrind
 * 3.19 does not know.
 *
 * Run time: well under a second.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clipstore.h"
#include "virtos.h"

static struct vos_ctx *ctx;
static char dir[64], dir2[80];

static void setup(void)
{
	ck_assert_int_eq(vos_ctx_new(&ctx), 0);
	snprintf(dir, sizeof(dir), "/tmp/vos-route-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dir2, sizeof(dir2), "%s/second", dir);
	ck_assert_int_eq(mkdir(dir2, 0755), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	vos_ctx_free(ctx);
}

static void put_in(const char *d, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void put(const char *name, const char *text)
{
	put_in(dir, name, text);
}

static struct vos_routes *load(int want_problems)
{
	const char *dirs[] = { dir, NULL };
	struct vos_routes *r = NULL;

	ck_assert_int_eq(vos_routes_load(ctx, dirs, &r), want_problems);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(vos_routes_problems(r), (size_t)want_problems);
	return r;
}

/* The target for @subject, "" if none matches */
static const char *route(struct vos_routes *r, int kind, const char *subject)
{
	static struct vos_route m;
	int ret = vos_route_find(ctx, r, kind, subject, &m);

	ck_assert_int_ge(ret, 0);
	return ret ? m.target : "";
}

static void problem_is(struct vos_routes *r, size_t i, const char *file, const char *text)
{
	char want[512];

	snprintf(want, sizeof(want), "%s/%s", dir, file);
	strncat(want, text, sizeof(want) - strlen(want) - 1);
	ck_assert_str_eq(vos_routes_problem(r, i), want);
}

START_TEST(kinds_and_first_match)
{
	struct vos_routes *r;
	struct vos_route m;

	put("10-corp.route", "# the intranet goes to work\n"
			     "url ^https://intranet\\.corp\\.example/ work\n"
			     "\n"
			     "  url\t^https?://([a-z0-9-]+\\.)*corp\\.example(/|$)   work\n"
			     "mime application/pdf @dispvm:viewer\n"
			     "mime image/* photos\n"
			     "app org.gnome.Evince viewer\n");
	put("90-rest.route", "url * web\nmime * @dispvm\napp * web\n");
	r = load(0);
	ck_assert_uint_eq(vos_routes_count(r), 8);
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://intranet.corp.example/wiki"), "work");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "http://mail.corp.example"), "work");
	/* search, not a whole match: anchors decide */
	ck_assert_str_eq(route(r, VOS_ROUTE_URL,
			       "https://evil.example/?https://intranet.corp.example/"),
			 "web");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://corp.example.evil.test/"), "web");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://example.org/"), "web");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "application/pdf"), "@dispvm:viewer");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "Application/PDF"), "@dispvm:viewer");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "application/pdf; charset=binary"),
			 "@dispvm:viewer");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "image/png"), "photos");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "imagex/png"), "@dispvm");
	ck_assert_str_eq(route(r, VOS_ROUTE_MIME, "text/plain"), "@dispvm");
	ck_assert_str_eq(route(r, VOS_ROUTE_APP, "org.gnome.Evince"), "viewer");
	ck_assert_str_eq(route(r, VOS_ROUTE_APP, "org.gnome.evince"), "web");

	ck_assert_int_eq(vos_route_find(ctx, r, VOS_ROUTE_URL, "http://mail.corp.example", &m), 1);
	ck_assert_int_eq(m.kind, VOS_ROUTE_URL);
	ck_assert_uint_eq(m.line, 4);
	ck_assert_str_eq(m.pattern, "^https?://([a-z0-9-]+\\.)*corp\\.example(/|$)");
	ck_assert(strstr(m.file, "/10-corp.route") != NULL);
	ck_assert_str_eq(vos_route_kind_name(VOS_ROUTE_MIME), "mime");
	vos_routes_free(r);
}
END_TEST

START_TEST(order_of_files_and_dirs)
{
	const char *dirs[] = { dir2, dir, NULL };
	struct vos_routes *r;

	put("b.route", "url ^https:// from-b\n");
	put("a.route", "url ^https://x/ from-a\n");
	put("A.route", "url ^https://x/y from-A\n"); /* 'A' < 'a' in C order */
	r = load(0);
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://x/y"), "from-A");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://x/z"), "from-a");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://q/"), "from-b");
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "ftp://q/"), "");
	vos_routes_free(r);
	/* the first directory wins */
	put_in(dir2, "z.route", "url ^https:// mine\n");
	ck_assert_int_eq(vos_routes_load(ctx, dirs, &r), 0);
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://x/y"), "mine");
	vos_routes_free(r);
}
END_TEST

START_TEST(which_files_count)
{
	struct vos_routes *r;

	put("routes", "url * nope\n");
	put("x.route~", "url * nope\n");
	put(".hidden.route", "url * nope\n");
	put(".route", "url * nope\n");
	put("ok.route", "url ^https:// yes\n");
	r = load(0);
	ck_assert_uint_eq(vos_routes_count(r), 1);
	ck_assert_str_eq(route(r, VOS_ROUTE_URL, "https://a/"), "yes");
	vos_routes_free(r);
}
END_TEST

START_TEST(problems_fail_closed)
{
	struct vos_routes *r;
	struct vos_route m;

	put("1.route", "url ^https://ok/ good\n"
		       "url ^a b c\n"
		       "url\n"
		       "link ^https:// web\n"
		       "url ^(https:// web\n"
		       "url ^https:// bad/name\n"
		       "url ^https:// @anyvm\n"
		       "mime pdf viewer\n"
		       "mime text/plain/x viewer\n"
		       "mime te(xt/plain viewer\n"
		       "app ../evil web\n"
		       "url ^https:// @dispvm:bad/t\n");
	r = load(11);
	problem_is(r, 0, "1.route",
		   ":2: too many fields: give KIND PATTERN TARGET (a regex has no blanks: use "
		   "[[:space:]])");
	problem_is(r, 1, "1.route",
		   ":3: give KIND PATTERN TARGET (e.g. 'url ^https://intranet\\. work')");
	problem_is(r, 2, "1.route", ":4: 'link': give url, mime or app");
	ck_assert(strstr(vos_routes_problem(r, 3), ":5: url '^(https://': ") != NULL);
	problem_is(r, 4, "1.route",
		   ":6: target 'bad/name': give a subsystem name, @dispvm or @dispvm:TEMPLATE");
	problem_is(r, 5, "1.route",
		   ":7: target '@anyvm': give a subsystem name, @dispvm or @dispvm:TEMPLATE");
	problem_is(r, 6, "1.route",
		   ":8: mime 'pdf': give type/subtype, type/* or * (e.g. application/pdf)");
	problem_is(
		r, 7, "1.route",
		":9: mime 'text/plain/x': give type/subtype, type/* or * (e.g. application/pdf)");
	problem_is(
		r, 8, "1.route",
		":10: mime 'te(xt/plain': give type/subtype, type/* or * (e.g. application/pdf)");
	problem_is(r, 9, "1.route",
		   ":11: app '../evil': give a desktop ID (A-Z a-z 0-9 _ . -) or *");
	ck_assert(strstr(vos_routes_problem(r, 10), ":12: target '@dispvm:bad/t'") != NULL);
	ck_assert_ptr_null(vos_routes_problem(r, 11));
	/* the good line is parsed, but nothing is routed */
	ck_assert_uint_eq(vos_routes_count(r), 1);
	ck_assert_int_eq(vos_route_find(ctx, r, VOS_ROUTE_URL, "https://ok/", &m), -EBADMSG);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_USAGE);
	ck_assert(strstr(vos_ctx_errmsg(ctx), "the routes do not parse") != NULL);
	vos_routes_free(r);
}
END_TEST

START_TEST(unreadable_and_odd_files)
{
	struct vos_routes *r;
	char path[256], big[2048];

	snprintf(path, sizeof(path), "%s/d.route", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	r = load(1);
	problem_is(r, 0, "d.route", ": not a regular file");
	vos_routes_free(r);
	rmdir(path);

	snprintf(path, sizeof(path), "%s/nul.route", dir);
	{
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fwrite("url * a\0\n", 1, 9, f);
		fclose(f);
	}
	r = load(1);
	problem_is(r, 0, "nul.route", ": holds a NUL byte: not a text file");
	vos_routes_free(r);
	unlink(path);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put("long.route", big);
	r = load(1);
	problem_is(r, 0, "long.route", ":1: longer than 1024 bytes");
	vos_routes_free(r);
}
END_TEST

START_TEST(missing_dir_and_subjects)
{
	const char *none[] = { "/nonexistent/virtos-routes.d", NULL };
	struct vos_routes *r = NULL;
	struct vos_route m;

	ck_assert_int_eq(vos_routes_load(ctx, none, &r), 0);
	ck_assert_uint_eq(vos_routes_count(r), 0);
	ck_assert_int_eq(vos_route_find(ctx, r, VOS_ROUTE_URL, "https://x/", &m), 0);
	ck_assert_int_eq(vos_route_find(ctx, r, VOS_ROUTE_URL, "", &m), -EINVAL);
	ck_assert_int_eq(vos_route_find(ctx, r, VOS_ROUTE_URL, "https://x/\n", &m), -EINVAL);
	ck_assert_int_eq(vos_route_find(ctx, r, 9, "x", &m), -EINVAL);
	vos_routes_free(r);
	ck_assert_int_eq(vos_routes_load(ctx, none, NULL), -EINVAL);
}
END_TEST

START_TEST(route_open_seam)
{
	char t[VOS_RPC_TARGET_MAX];

	put("r.route", "url ^https://intranet\\. work\nurl * web\nmime application/pdf viewer\n");
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "https://intranet.x/", t, sizeof(t)), 0);
	ck_assert_str_eq(t, "work");
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "https://else/", t, sizeof(t)), 0);
	ck_assert_str_eq(t, "web");
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "application/pdf", t, sizeof(t)), 0);
	ck_assert_str_eq(t, "viewer");
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "text/plain", t, sizeof(t)), -ENOENT);
	ck_assert_int_eq(vos_ctx_errclass(ctx), VOS_ERR_NAME);
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "https://else/", t, 3), -ENOSPC);
	put("s.route", "bogus\n");
	ck_assert_int_eq(vos_route_open(ctx, dir, "mail", "https://else/", t, sizeof(t)), -EBADMSG);
}
END_TEST

/* ---- the clipboard store ---- */

static int rootfd(void)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/run", dir);
	mkdir(path, 0755);
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

START_TEST(clipstore_roundtrip)
{
	char mime[VOS_CLIPSTORE_MIME_MAX], path[160];
	unsigned char img[300];
	size_t len, i;
	void *data;
	struct stat st;
	int fd = rootfd();

	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -ENOENT);
	ck_assert_int_eq(vos_clipstore_clear(fd, true), 0);
	ck_assert_int_eq(vos_clipstore_write(fd, true, "text/plain;charset=utf-8", "hi", 2,
					     (uid_t)-1, (gid_t)-1),
			 0);
	snprintf(path, sizeof(path), "%s/run/vos-clip", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100), 0);
	ck_assert_str_eq(mime, "text/plain;charset=utf-8");
	ck_assert_uint_eq(len, 2);
	ck_assert(!memcmp(data, "hi", 2));
	free(data);
	for (i = 0; i < sizeof(img); i++)
		img[i] = (unsigned char)i;
	ck_assert_int_eq(vos_clipstore_write(fd, true, "image/png", img, sizeof(img), (uid_t)-1,
					     (gid_t)-1),
			 0);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -EFBIG);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 300), 0);
	ck_assert_str_eq(mime, "image/png");
	ck_assert(len == sizeof(img) && !memcmp(data, img, sizeof(img)));
	free(data);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, 5, &data, &len, 300), -EBADMSG);
	ck_assert_int_eq(vos_clipstore_write(fd, true, "png", "x", 1, (uid_t)-1, (gid_t)-1),
			 -EINVAL);
	ck_assert_int_eq(vos_clipstore_write(fd, true, "text/plain", "x", 0, (uid_t)-1, (gid_t)-1),
			 -EINVAL);
	ck_assert_int_eq(vos_clipstore_clear(fd, true), 0);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 300),
			 -ENOENT);
	ck_assert(vos_clipstore_mime_valid("text/plain"));
	ck_assert(!vos_clipstore_mime_valid("text/"));
	ck_assert(!vos_clipstore_mime_valid("text/pl\nain"));
	close(fd);
}
END_TEST

START_TEST(clipstore_hostile)
{
	char mime[VOS_CLIPSTORE_MIME_MAX], path[256], out[160];
	size_t len;
	void *data;
	int fd = rootfd();

	/* a symlink as the directory, pointing out of the root: stays in it */
	snprintf(out, sizeof(out), "%s/outside", dir2);
	ck_assert_int_eq(mkdir(out, 0700), 0);
	snprintf(path, sizeof(path), "%s/run/vos-clip", dir);
	ck_assert_int_eq(symlink(out, path), 0);
	ck_assert_int_ne(vos_clipstore_write(fd, true, "text/plain", "x", 1, (uid_t)-1, (gid_t)-1),
			 0);
	snprintf(path, sizeof(path), "%s/clipboard", out);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/run/vos-clip", dir);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	/* a FIFO as the file: refused, not waited on */
	snprintf(path, sizeof(path), "%s/run/vos-clip/clipboard", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -EBADMSG);
	unlink(path);
	/* a symlink as the file */
	ck_assert_int_eq(symlink("/etc/passwd", path), 0);
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -EBADMSG);
	unlink(path);
	/* not a clipboard file: no type line, a bad type */
	put("run/vos-clip/clipboard", "no newline here");
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -EBADMSG);
	put("run/vos-clip/clipboard", "bad\ncontent");
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -EBADMSG);
	put("run/vos-clip/clipboard", "text/plain\n");
	ck_assert_int_eq(vos_clipstore_read(fd, true, mime, sizeof(mime), &data, &len, 100),
			 -ENOENT);
	close(fd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("routes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kinds_and_first_match);
	tcase_add_test(tc, order_of_files_and_dirs);
	tcase_add_test(tc, which_files_count);
	tcase_add_test(tc, problems_fail_closed);
	tcase_add_test(tc, unreadable_and_odd_files);
	tcase_add_test(tc, missing_dir_and_subjects);
	tcase_add_test(tc, route_open_seam);
	suite_add_tcase(s, tc);
	/* openat2() (RESOLVE_IN_ROOT), which valgrind 3.19 does not know */
	tc = tcase_create("clipstore");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, clipstore_roundtrip);
	tcase_add_test(tc, clipstore_hostile);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
