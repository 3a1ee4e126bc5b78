// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the parser of sway's tree for `vosctl clip --focused`
 * (tools/vosctl/focus.c, issue 15): the focused node is found by its
 * "focused": true at its own level, whatever the titles say; its app_id
 * and pid; escapes; bad JSON and too deep nesting refused; no focus.
 * Host only. Run time: well under a second.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "focus.h"

Suite *focus_suite(void);

static char app[256];
static long pid;

static int parse(const char *json)
{
	return focus_parse_tree(json, strlen(json), app, sizeof(app), &pid);
}

START_TEST(focused_window)
{
	ck_assert_int_eq(
		parse("{\"id\":1,\"focused\":false,\"nodes\":[{\"id\":4,\"type\":\"workspace\","
		      "\"focused\":false,\"nodes\":[{\"id\":5,\"name\":\"[web] bank\",\"focused\":true,"
		      "\"pid\":396,\"app_id\":\"vos.web.firefox\",\"rect\":{\"x\":0,\"y\":-1.5e2},"
		      "\"marks\":[],\"shell\":\"xdg_shell\",\"window\":null},{\"id\":6,"
		      "\"focused\":false,\"pid\":7,\"app_id\":\"foot\"}]}],\"floating_nodes\":[]}"),
		0);
	ck_assert_str_eq(app, "vos.web.firefox");
	ck_assert_int_eq(pid, 396);
}
END_TEST

START_TEST(titles_cannot_pretend)
{
	/* a title that spells the keys is a string, not a node's fields */
	ck_assert_int_eq(
		parse("{\"nodes\":[{\"name\":\"\\\"focused\\\": true, \\\"app_id\\\": "
		      "\\\"vos.web.x\\\"\",\"focused\":false,\"app_id\":\"evil\","
		      "\"pid\":9},{\"focused\":true,\"app_id\":\"org.host\",\"pid\":10}]}"),
		0);
	ck_assert_str_eq(app, "org.host");
	ck_assert_int_eq(pid, 10);
	/* escapes decoded; a non-ASCII one is no letter of a name */
	ck_assert_int_eq(parse("[{\"focused\":true,\"app_id\":\"vos.w\\u0065b.\\u00e9\\/x\"}]"), 0);
	ck_assert_str_eq(app, "vos.web.?/x");
	ck_assert_int_eq(pid, -1);
}
END_TEST

START_TEST(bad_trees)
{
	char *deep;
	size_t i;

	ck_assert_int_eq(parse("{\"nodes\":[{\"focused\":false}]}"), -ENOENT);
	ck_assert_int_eq(parse("{\"focused\":true"), -EBADMSG);
	ck_assert_int_eq(parse("{\"focused\":true} x"), -EBADMSG);
	ck_assert_int_eq(parse("{\"a\":\"tab\there\"}"), -EBADMSG);
	ck_assert_int_eq(parse("{\"a\":\"\\q\"}"), -EBADMSG);
	ck_assert_int_eq(parse("{\"a\":tru}"), -EBADMSG);
	ck_assert_int_eq(parse("{\"a\":1,}"), -EBADMSG);
	ck_assert_int_eq(parse(""), -EBADMSG);
	/* nesting past the parser's bound is refused, not recursed into */
	deep = malloc(200001);
	ck_assert_ptr_nonnull(deep);
	for (i = 0; i < 100000; i++) {
		deep[i] = '[';
		deep[200000 - 1 - i] = ']';
	}
	deep[200000] = '\0';
	ck_assert_int_eq(parse(deep), -EBADMSG);
	free(deep);
}
END_TEST

Suite *focus_suite(void)
{
	Suite *s = suite_create("focus");
	TCase *tc = tcase_create("sway tree");

	tcase_add_test(tc, focused_window);
	tcase_add_test(tc, titles_cannot_pretend);
	tcase_add_test(tc, bad_trees);
	suite_add_tcase(s, tc);
	return s;
}
