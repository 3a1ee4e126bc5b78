// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * route.c - routes (issue 15): which subsystem opens a URL, a file of a
 * MIME type, or an app. Read from DIR/NAME.route files (the user's
 * $XDG_CONFIG_HOME/virtos/routes.d first, then /etc/virtos/routes.d, each
 * in C-locale order of the names; confdir.c), one rule a line, the first
 * match wins:
 *
 *   url  REGEX  TARGET     POSIX extended regex searched in the whole URL
 *                          (anchor it with ^ ... $), case-sensitive; "*"
 *                          alone matches any URL
 *   mime TYPE   TARGET     type/subtype, type/ * (any subtype, written
 *                          without the blank) or *; case-insensitive
 *   app  ID     TARGET     a desktop ID (the file name without .desktop), or *
 *
 * TARGET is a subsystem name, @dispvm or @dispvm:TEMPLATE. '#' starts a
 * comment line; fields are separated by blanks, so a REGEX has none (use
 * [[:space:]] or \s). A route only picks where something is to be opened:
 * the crossing policy (vos.OpenURL, vos.OpenFile) still decides whether it
 * may go there.
 *
 * Fails closed: one problem anywhere (a line that does not parse, a regex
 * that does not compile, a file that cannot be read) and no route matches
 * anything; vos_route_find() says the routes are broken and names the
 * first problem. A routes directory that does not exist holds no routes.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "private.h"

#define ROUTE_LINE_MAX	1024
#define ROUTE_FILE_MAX	(256 << 10)
#define ROUTE_FILES_MAX 256
#define ROUTE_RULES_MAX 4096
#define ROUTE_DIRS_MAX	8
#define ROUTE_URL_MAX	8192

struct route_rule {
	int kind;   /* enum vos_route_kind */
	bool any;   /* "*" */
	bool re_ok; /* @re compiled */
	regex_t re; /* url */
	char pattern[VOS_ROUTE_PATTERN_MAX];
	char target[VOS_RPC_TARGET_MAX];
	const char *file; /* one of vos_routes.files */
	unsigned int line;
};

struct vos_routes {
	struct route_rule *rules;
	size_t nrules;
	char **files;
	size_t nfiles;
	struct vos_problems problems;
};

static const char *const kind_names[] = { NULL, "url", "mime", "app" };

VOS_EXPORT const char *vos_route_kind_name(int kind)
{
	return kind >= VOS_ROUTE_URL && kind <= VOS_ROUTE_APP ? kind_names[kind] : "?";
}

/* type/subtype, type/ *, *: RFC 6838 restricted names, lower or upper case */
static bool mime_pattern_ok(const char *s)
{
	const char *slash = strchr(s, '/');
	size_t i;

	if (strcmp(s, "*") == 0)
		return true;
	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	if (strcmp(slash + 1, "*") == 0)
		slash = NULL; /* type/ *: the type's characters only */
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (slash && s + i == slash)
			continue;
		if (!slash && c == '/')
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("!#$&-^_.+", c)))
			return false;
	}
	return true;
}

/* A desktop ID: what vosctl apps accepts, [A-Za-z0-9_.-]+ not starting with '.' */
static bool app_id_ok(const char *s)
{
	size_t i;

	if (strcmp(s, "*") == 0)
		return true;
	if (!s[0] || s[0] == '.' || strlen(s) > 255)
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
			return false;
	return true;
}

static int route_file(void *arg, char *path)
{
	struct vos_routes *r = arg;
	char **nf = realloc(r->files, (r->nfiles + 1) * sizeof(*r->files));

	if (!nf) {
		free(path);
		return -ENOMEM;
	}
	r->files = nf;
	r->files[r->nfiles++] = path;
	return 0;
}

static int route_line(void *arg, const char *path, unsigned int line, char *s)
{
	struct vos_routes *r = arg;
	char *tok[4], *save = NULL, *t;
	struct route_rule *nr, rule;
	char err[256];
	int n = 0, ret;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return 0;
	for (t = strtok_r(s, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (n == 3) {
			vos_problem(
				&r->problems, path, line,
				"too many fields: give KIND PATTERN TARGET (a regex has no blanks: "
				"use [[:space:]])");
			return 0;
		}
		tok[n++] = t;
	}
	if (n < 3) {
		vos_problem(&r->problems, path, line,
			    "give KIND PATTERN TARGET (e.g. 'url ^https://intranet\\. work')");
		return 0;
	}
	memset(&rule, 0, sizeof(rule));
	for (rule.kind = VOS_ROUTE_URL; rule.kind <= VOS_ROUTE_APP; rule.kind++)
		if (strcmp(tok[0], kind_names[rule.kind]) == 0)
			break;
	if (rule.kind > VOS_ROUTE_APP) {
		vos_problem(&r->problems, path, line, "'%s': give url, mime or app", tok[0]);
		return 0;
	}
	if (strlen(tok[1]) >= sizeof(rule.pattern)) {
		vos_problem(&r->problems, path, line, "pattern longer than %zu bytes",
			    sizeof(rule.pattern) - 1);
		return 0;
	}
	if (!vos_target_ok(tok[2])) {
		vos_problem(&r->problems, path, line,
			    "target '%s': give a subsystem name, @dispvm or @dispvm:TEMPLATE",
			    tok[2]);
		return 0;
	}
	snprintf(rule.pattern, sizeof(rule.pattern), "%s", tok[1]);
	snprintf(rule.target, sizeof(rule.target), "%s", tok[2]);
	rule.any = strcmp(tok[1], "*") == 0;
	if (rule.kind == VOS_ROUTE_MIME && !mime_pattern_ok(tok[1])) {
		vos_problem(&r->problems, path, line,
			    "mime '%s': give type/subtype, type/* or * (e.g. application/pdf)",
			    tok[1]);
		return 0;
	}
	if (rule.kind == VOS_ROUTE_APP && !app_id_ok(tok[1])) {
		vos_problem(&r->problems, path, line,
			    "app '%s': give a desktop ID (A-Z a-z 0-9 _ . -) or *", tok[1]);
		return 0;
	}
	if (rule.kind == VOS_ROUTE_URL && !rule.any) {
		ret = regcomp(&rule.re, tok[1], REG_EXTENDED | REG_NOSUB);
		if (ret) {
			regerror(ret, &rule.re, err, sizeof(err));
			vos_problem(&r->problems, path, line, "url '%s': %s", tok[1], err);
			return 0;
		}
		rule.re_ok = true;
	}
	if (r->nrules == ROUTE_RULES_MAX) {
		vos_problem(&r->problems, path, line, "more than %d routes", ROUTE_RULES_MAX);
		goto drop;
	}
	nr = realloc(r->rules, (r->nrules + 1) * sizeof(*r->rules));
	if (!nr) {
		if (rule.re_ok)
			regfree(&rule.re);
		return -ENOMEM;
	}
	r->rules = nr;
	rule.file = r->files[r->nfiles - 1];
	rule.line = line;
	r->rules[r->nrules++] = rule;
	return 0;
drop:
	if (rule.re_ok)
		regfree(&rule.re);
	return 0;
}

VOS_EXPORT void vos_routes_free(struct vos_routes *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nrules; i++)
		if (r->rules[i].re_ok)
			regfree(&r->rules[i].re);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	vos_problems_clear(&r->problems);
	free(r->files);
	free(r->rules);
	free(r);
}

VOS_EXPORT int vos_routes_load(struct vos_ctx *ctx, const char *const *dirs, struct vos_routes **rp)
{
	struct vos_confdir c = {
		.suffix = ".route",
		.what = "routes",
		.files_max = ROUTE_FILES_MAX,
		.file_max = ROUTE_FILE_MAX,
		.line_max = ROUTE_LINE_MAX,
		.missing_ok = true,
		.file = route_file,
		.line = route_line,
	};
	const char *def[3] = { NULL, VOS_ROUTE_DIR, NULL };
	char user[4096] = "";
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct vos_routes *r;
	size_t i;

	if (!rp)
		return vos_err(ctx, -EINVAL, "routes: no place for the result");
	*rp = NULL;
	if (!dirs) {
		/* the user's own routes first: theirs to choose, the policy decides */
		if (cfg && cfg[0] == '/')
			snprintf(user, sizeof(user), "%s/virtos/routes.d", cfg);
		else if (home && home[0] == '/')
			snprintf(user, sizeof(user), "%s/.config/virtos/routes.d", home);
		def[0] = user[0] ? user : VOS_ROUTE_DIR;
		def[1] = user[0] ? VOS_ROUTE_DIR : NULL;
		dirs = def;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return vos_err(ctx, -ENOMEM, "routes:");
	c.problems = &r->problems;
	c.arg = r;
	for (i = 0; dirs[i]; i++) {
		if (i == ROUTE_DIRS_MAX) {
			vos_problem(&r->problems, dirs[i], 0, "more than %d routes directories",
				    ROUTE_DIRS_MAX);
			break;
		}
		if (vos_confdir_read(dirs[i], &c) < 0) {
			vos_routes_free(r);
			return vos_err(ctx, -ENOMEM, "routes:");
		}
	}
	*rp = r;
	return (int)(r->problems.n > INT32_MAX ? INT32_MAX : r->problems.n);
}

VOS_EXPORT size_t vos_routes_problems(const struct vos_routes *r)
{
	return r ? r->problems.n : 0;
}

VOS_EXPORT const char *vos_routes_problem(const struct vos_routes *r, size_t i)
{
	if (!r || i >= r->problems.n)
		return NULL;
	if (i >= VOS_PROBLEMS_MAX)
		return "(more problems)";
	return r->problems.list[i] ? r->problems.list[i] : "(out of memory describing a problem)";
}

VOS_EXPORT size_t vos_routes_count(const struct vos_routes *r)
{
	return r ? r->nrules : 0;
}

static bool mime_match(const char *pat, const char *mime)
{
	size_t tl;
	const char *ps = strchr(pat, '/'), *semi = strchr(mime, ';');
	size_t ml = semi ? (size_t)(semi - mime) : strlen(mime);

	if (strcmp(pat, "*") == 0)
		return true;
	while (ml && mime[ml - 1] == ' ')
		ml--;
	if (strcmp(ps + 1, "*") == 0) {
		tl = (size_t)(ps - pat);
		return ml > tl && mime[tl] == '/' && !strncasecmp(pat, mime, tl);
	}
	return strlen(pat) == ml && !strncasecmp(pat, mime, ml);
}

VOS_EXPORT int vos_route_find(struct vos_ctx *ctx, const struct vos_routes *r, int kind,
			      const char *subject, struct vos_route *out)
{
	const struct route_rule *rule;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (kind < VOS_ROUTE_URL || kind > VOS_ROUTE_APP || !subject || !subject[0])
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "route: nothing to route");
	n = strlen(subject);
	for (i = 0; i < n; i++)
		if ((unsigned char)subject[i] < 0x20 || subject[i] == 0x7f)
			return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE,
					     "route: a %s with a control character",
					     kind_names[kind]);
	if (n > ROUTE_URL_MAX)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "route: a %s over %d bytes",
				     kind_names[kind], ROUTE_URL_MAX);
	if (!r || r->problems.n)
		return vos_err_class(ctx, -EBADMSG, VOS_ERR_USAGE,
				     "the routes do not parse, so none is used (%s): fix them "
				     "('vosctl open --lint')",
				     r ? vos_routes_problem(r, 0) : "none loaded");
	for (i = 0; i < r->nrules; i++) {
		rule = &r->rules[i];
		if (rule->kind != kind)
			continue;
		if (!rule->any &&
		    !(kind == VOS_ROUTE_URL    ? regexec(&rule->re, subject, 0, NULL, 0) == 0
		      : kind == VOS_ROUTE_MIME ? mime_match(rule->pattern, subject)
					       : strcmp(rule->pattern, subject) == 0))
			continue;
		out->kind = kind;
		snprintf(out->target, sizeof(out->target), "%s", rule->target);
		snprintf(out->pattern, sizeof(out->pattern), "%s", rule->pattern);
		snprintf(out->file, sizeof(out->file), "%s", rule->file);
		out->line = rule->line;
		return 1;
	}
	return 0;
}

/* The seam agreed with vos-open/vosd (tools/vosd/vos-open.c) */
VOS_EXPORT int vos_route_open(struct vos_ctx *ctx, const char *routes_dir, const char *source,
			      const char *url_or_mime, char *target, size_t len)
{
	const char *dirs[2] = { routes_dir, NULL };
	struct vos_routes *r = NULL;
	struct vos_route m;
	int ret, kind;

	(void)source; /* routes do not depend on the caller (yet) */
	if (!url_or_mime || !target || !len)
		return vos_err_class(ctx, -EINVAL, VOS_ERR_USAGE, "route: nothing to route");
	/* a URL has a scheme (x:), a MIME type has none */
	kind = strchr(url_or_mime, ':') ? VOS_ROUTE_URL : VOS_ROUTE_MIME;
	ret = vos_routes_load(ctx, routes_dir ? dirs : NULL, &r);
	if (ret >= 0)
		ret = vos_route_find(ctx, r, kind, url_or_mime, &m);
	vos_routes_free(r);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_NAME, "no route for %s '%s'",
				     kind_names[kind], url_or_mime);
	if (strlen(m.target) >= len)
		return vos_err(ctx, -ENOSPC, "route: target longer than the room for it");
	memcpy(target, m.target, strlen(m.target) + 1);
	return 0;
}
