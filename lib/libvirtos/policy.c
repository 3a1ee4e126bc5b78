// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * policy.c - the crossing policy (issue 13): which subsystem may call which
 * service in which other one. Read from DIR/<name>.policy files (by default
 * /etc/virtos/policy.d), in C-locale (strcmp) order of their names; one rule
 * per line:
 *
 *   SERVICE[+ARG]  SOURCE  TARGET  ACTION  [PARAM=VALUE...]
 *
 * the semantics of Qubes' qrexec multifile policy, which users know: the
 * first rule that matches decides; no match denies. SERVICE is a name or
 * "*"; "NAME" matches any argument, "NAME+" only none, "NAME+ARG" that one.
 * SOURCE and TARGET are a subsystem name, "*" (anything, the host too),
 * @anyvm (any subsystem, never the host), @host, @tag:T; SOURCE also
 * @user:NAME (host user NAME of the vos group, calling through vosd:
 * issue 15), TARGET also @default (the caller named no target), @dispvm
 * and @dispvm:TEMPLATE. A user's call is matched by @user:NAME rules only:
 * not by "*" (rules written before users could call would otherwise
 * start granting them) and not by @host (root's host processes).
 * ACTION is allow, deny or ask. Parameters: target= (allow, ask: where the
 * call goes instead of the named target), default_target= (ask: what the
 * answerer is offered first), limit=BYTES (the stream's size limit; K, M, G
 * suffixes), scan=SERVICE@SUBSYS (content goes to that service first).
 *
 * Fail closed: one problem anywhere (a file that does not parse, a file
 * that cannot be read, a directory that cannot be listed) and every call
 * is denied, the verdict naming the first problem. The parse keeps going
 * after a problem so that a linter can list them all.
 *
 * The evaluation is a pure function of the parsed policy and the call: it
 * looks nothing up. The caller (vosd) gives the source's and the target's
 * tags and has established the source itself (from the kernel).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "private.h"

#define POL_LINE_MAX	  4096	    /* longer lines are refused */
#define POL_FILE_MAX	  (1 << 20) /* bytes per file */
#define POL_FILES_MAX	  256
#define POL_RULES_MAX	  65536
#define POL_LIMIT_MAX	  (1ULL << 50)
#define VOS_USER_NAME_MAX 33 /* a user name of @user:NAME, NUL included */

enum tok_kind {
	TOK_NAME = 1, /* a subsystem */
	TOK_STAR,     /* "*": anything */
	TOK_ANYVM,    /* any subsystem */
	TOK_HOST,
	TOK_TAG,
	TOK_DEFAULT,
	TOK_DISPVM,   /* @dispvm: the default template's disposable */
	TOK_DISPVM_T, /* @dispvm:T */
	TOK_USER,     /* @user:NAME: a host user of the vos group (a source) */
};

struct pol_tok {
	enum tok_kind kind;
	char val[VOS_NAME_MAX]; /* NAME, TAG, DISPVM_T, USER */
};

enum arg_mode {
	ARG_ANY,   /* SERVICE */
	ARG_NONE,  /* SERVICE+ */
	ARG_EXACT, /* SERVICE+ARG */
};

struct pol_rule {
	const char *file; /* one of vos_rpc_policy.files */
	unsigned int line;
	bool any_service;
	char service[VOS_RPC_SERVICE_MAX];
	enum arg_mode arg_mode;
	char arg[VOS_RPC_SERVICE_MAX];
	struct pol_tok src, dst;
	int action;
	char target[VOS_RPC_TARGET_MAX];
	char default_target[VOS_RPC_TARGET_MAX];
	uint64_t limit;
	char scan_service[VOS_RPC_SERVICE_MAX];
	char scan_subsys[VOS_NAME_MAX];
};

struct vos_rpc_policy {
	struct pol_rule *rules;
	size_t nrules, cap;
	char **files;
	size_t nfiles;
	struct vos_problems problems;
};

static bool is_alnum_c(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * A service name, its argument or a tag: 1..max-1 bytes of [A-Za-z0-9_.-]
 * (and '+' in an argument), not starting with '.' or '-', no "..": nothing
 * that a handler could take for a path or an option.
 */
static bool word_ok(const char *s, size_t max, bool plus)
{
	size_t i, n = strlen(s);

	if (n < 1 || n >= max || s[0] == '.' || s[0] == '-' || strstr(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum_c(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-' &&
		    !(plus && s[i] == '+'))
			return false;
	return true;
}

/*
 * A host user name as @user:NAME gives it: 1..VOS_USER_NAME_MAX-1 bytes of
 * [A-Za-z0-9_.-], starting with a letter or '_' (what adduser accepts).
 */
static bool vos_user_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 1 || n >= VOS_USER_NAME_MAX || !(is_alnum_c(s[0]) || s[0] == '_') ||
	    (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum_c(s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

/* "@user:NAME" with a NAME vos_user_name_ok() accepts */
static bool is_user(const char *who)
{
	return strncmp(who, "@user:", 6) == 0 && vos_user_name_ok(who + 6);
}

#define problem(p, file, line, ...) vos_problem(&(p)->problems, file, line, __VA_ARGS__)

/* A SOURCE (@target false) or TARGET token; NULL or the reason it is bad. */
static const char *parse_tok(const char *s, bool target, struct pol_tok *t)
{
	memset(t, 0, sizeof(*t));
	if (strcmp(s, "*") == 0) {
		t->kind = TOK_STAR;
	} else if (strcmp(s, "@anyvm") == 0) {
		t->kind = TOK_ANYVM;
	} else if (strcmp(s, "@host") == 0) {
		t->kind = TOK_HOST;
	} else if (strncmp(s, "@tag:", 5) == 0) {
		if (!word_ok(s + 5, VOS_NAME_MAX, false))
			return "a tag is 1-63 characters of A-Z a-z 0-9 _ . - (not starting with . or -)";
		t->kind = TOK_TAG;
		snprintf(t->val, sizeof(t->val), "%s", s + 5);
	} else if (strcmp(s, "@default") == 0) {
		if (!target)
			return "@default is a target, not a source";
		t->kind = TOK_DEFAULT;
	} else if (strcmp(s, "@dispvm") == 0) {
		t->kind = TOK_DISPVM;
	} else if (strncmp(s, "@dispvm:", 8) == 0) {
		if (vos_name_check(s + 8) < 0)
			return "@dispvm:TEMPLATE needs a subsystem name as TEMPLATE";
		t->kind = TOK_DISPVM_T;
		snprintf(t->val, sizeof(t->val), "%s", s + 8);
	} else if (strncmp(s, "@user:", 6) == 0) {
		if (target)
			return "@user:NAME is a source, not a target";
		if (!vos_user_name_ok(s + 6))
			return "@user:NAME needs a user name (1-32 characters of A-Z a-z 0-9 _ . -, "
			       "starting with a letter or _)";
		t->kind = TOK_USER;
		snprintf(t->val, sizeof(t->val), "%s", s + 6);
	} else if (s[0] == '@') {
		return "unknown token (known: @anyvm @host @tag:T @user:NAME @default @dispvm "
		       "@dispvm:T)";
	} else {
		if (vos_name_check(s) < 0)
			return "not a subsystem name (1-63 characters of A-Z a-z 0-9 _ . -, starting "
			       "with a letter or digit)";
		t->kind = TOK_NAME;
		snprintf(t->val, sizeof(t->val), "%s", s);
	}
	if (!target && (t->kind == TOK_DISPVM || t->kind == TOK_DISPVM_T))
		t->kind = TOK_DISPVM_T; /* a disposable of that template as caller */
	return NULL;
}

/* target= and default_target=: a subsystem, @dispvm or @dispvm:T */
bool vos_target_ok(const char *v)
{
	if (strcmp(v, "@dispvm") == 0)
		return true;
	if (strncmp(v, "@dispvm:", 8) == 0)
		return vos_name_check(v + 8) == 0;
	return vos_name_check(v) == 0;
}

static int parse_limit(const char *v, uint64_t *out)
{
	uint64_t b;

	if (vos_size_parse(v, &b) < 0 || b == 0 || b > POL_LIMIT_MAX)
		return -EINVAL;
	*out = b;
	return 0;
}

static void parse_param(struct vos_rpc_policy *p, const char *file, unsigned int line,
			struct pol_rule *r, char *tok, unsigned int *seen)
{
	char *eq = strchr(tok, '='), *v, *at;

	if (!eq || eq == tok) {
		problem(p, file, line, "'%s': a parameter is NAME=VALUE", tok);
		return;
	}
	*eq = '\0';
	v = eq + 1;
	if (r->action == VOS_RPC_DENY) {
		problem(p, file, line, "'%s=': deny takes no parameters", tok);
		return;
	}
	if (strcmp(tok, "target") == 0) {
		if (*seen & 1)
			goto dup;
		*seen |= 1;
		if (!vos_target_ok(v))
			problem(p, file, line,
				"target='%s': give a subsystem name, @dispvm or @dispvm:TEMPLATE",
				v);
		else
			snprintf(r->target, sizeof(r->target), "%s", v);
	} else if (strcmp(tok, "default_target") == 0) {
		if (*seen & 2)
			goto dup;
		*seen |= 2;
		if (r->action != VOS_RPC_ASK)
			problem(p, file, line, "default_target= goes with ask only");
		else if (!vos_target_ok(v))
			problem(p, file, line,
				"default_target='%s': give a subsystem name, @dispvm or "
				"@dispvm:TEMPLATE",
				v);
		else
			snprintf(r->default_target, sizeof(r->default_target), "%s", v);
	} else if (strcmp(tok, "limit") == 0) {
		if (*seen & 4)
			goto dup;
		*seen |= 4;
		if (parse_limit(v, &r->limit) < 0)
			problem(p, file, line,
				"limit='%s': give a size in bytes, 1 to 1125899906842624, with an "
				"optional K, M or G suffix",
				v);
	} else if (strcmp(tok, "scan") == 0) {
		if (*seen & 8)
			goto dup;
		*seen |= 8;
		at = strchr(v, '@');
		if (at)
			*at = '\0';
		if (!at || !word_ok(v, VOS_RPC_SERVICE_MAX, false) || vos_name_check(at + 1) < 0) {
			if (at)
				*at = '@';
			problem(p, file, line, "scan='%s': give SERVICE@SUBSYSTEM", v);
		} else {
			snprintf(r->scan_service, sizeof(r->scan_service), "%s", v);
			snprintf(r->scan_subsys, sizeof(r->scan_subsys), "%s", at + 1);
		}
	} else {
		problem(p, file, line,
			"unknown parameter '%s' (known: target default_target limit scan)", tok);
	}
	return;
dup:
	problem(p, file, line, "%s= given twice", tok);
}

static int add_rule(struct vos_rpc_policy *p, const struct pol_rule *r)
{
	if (p->nrules == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct pol_rule *n = realloc(p->rules, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		p->rules = n;
		p->cap = cap;
	}
	p->rules[p->nrules++] = *r;
	return 0;
}

/* One line (NUL-terminated, no newline). A bad line adds no rule. */
static int parse_line(struct vos_rpc_policy *p, const char *file, unsigned int line, char *s)
{
	char *tok[16], *save = NULL, *t, *plus;
	unsigned int n = 0, i, seen = 0;
	struct pol_rule r;
	const char *why;

	for (t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (t[0] == '#')
			break;
		if (n == sizeof(tok) / sizeof(tok[0])) {
			problem(p, file, line, "too many fields (at most 4 and 12 parameters)");
			return 0;
		}
		tok[n++] = t;
	}
	if (n == 0)
		return 0;
	if (tok[0][0] == '!') {
		problem(p, file, line, "'%s': directives (!include...) are not supported", tok[0]);
		return 0;
	}
	if (n < 4) {
		problem(p, file, line,
			"too few fields: SERVICE[+ARG] SOURCE TARGET ACTION [PARAM=VALUE...]");
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.file = file;
	r.line = line;

	plus = strchr(tok[0], '+');
	if (plus)
		*plus = '\0';
	if (strcmp(tok[0], "*") == 0) {
		if (plus) {
			problem(p, file, line, "'*' takes no +ARG");
			return 0;
		}
		r.any_service = true;
	} else if (!word_ok(tok[0], VOS_RPC_SERVICE_MAX, false)) {
		problem(p, file, line,
			"'%s': a service name is 1-63 characters of A-Z a-z 0-9 _ . - (not starting "
			"with . or -, no ..), or *",
			tok[0]);
		return 0;
	} else {
		snprintf(r.service, sizeof(r.service), "%s", tok[0]);
	}
	if (plus && plus[1] == '\0') {
		r.arg_mode = ARG_NONE;
	} else if (plus) {
		if (!word_ok(plus + 1, VOS_RPC_SERVICE_MAX, true)) {
			problem(p, file, line,
				"'+%s': an argument is 1-63 characters of A-Z a-z 0-9 _ . - + (not "
				"starting with . or -, no ..)",
				plus + 1);
			return 0;
		}
		r.arg_mode = ARG_EXACT;
		snprintf(r.arg, sizeof(r.arg), "%s", plus + 1);
	}
	why = parse_tok(tok[1], false, &r.src);
	if (why) {
		problem(p, file, line, "source '%s': %s", tok[1], why);
		return 0;
	}
	why = parse_tok(tok[2], true, &r.dst);
	if (why) {
		problem(p, file, line, "target '%s': %s", tok[2], why);
		return 0;
	}
	if (strcmp(tok[3], "allow") == 0) {
		r.action = VOS_RPC_ALLOW;
	} else if (strcmp(tok[3], "deny") == 0) {
		r.action = VOS_RPC_DENY;
	} else if (strcmp(tok[3], "ask") == 0) {
		r.action = VOS_RPC_ASK;
	} else {
		problem(p, file, line, "action '%s': give allow, deny or ask", tok[3]);
		return 0;
	}
	for (i = 4; i < n; i++) {
		size_t before = p->problems.n;

		parse_param(p, file, line, &r, tok[i], &seen);
		if (p->problems.n != before)
			return 0;
	}
	if (p->nrules >= POL_RULES_MAX) {
		problem(p, file, line, "more than %d rules", POL_RULES_MAX);
		return 0;
	}
	return add_rule(p, &r);
}

VOS_EXPORT void vos_rpc_policy_free(struct vos_rpc_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	vos_problems_clear(&p->problems);
	free(p->files);
	free(p->rules);
	free(p);
}

static int pol_file(void *arg, char *path)
{
	struct vos_rpc_policy *p = arg;
	char **nf = realloc(p->files, (p->nfiles + 1) * sizeof(*p->files));

	if (!nf) {
		free(path);
		return -ENOMEM;
	}
	p->files = nf;
	p->files[p->nfiles++] = path;
	return 0;
}

static int pol_line(void *arg, const char *path, unsigned int line, char *s)
{
	return parse_line(arg, path, line, s);
}

VOS_EXPORT int vos_rpc_policy_load(struct vos_ctx *ctx, const char *dir, struct vos_rpc_policy **pp)
{
	struct vos_confdir c = {
		.suffix = ".policy",
		.what = "policy",
		.files_max = POL_FILES_MAX,
		.file_max = POL_FILE_MAX,
		.line_max = POL_LINE_MAX,
		.file = pol_file,
		.line = pol_line,
	};
	struct vos_rpc_policy *p;

	if (!pp)
		return vos_err(ctx, -EINVAL, "policy: no place for the result");
	*pp = NULL;
	if (!dir)
		dir = VOS_RPC_POLICY_DIR;
	p = calloc(1, sizeof(*p));
	if (!p)
		return vos_err(ctx, -ENOMEM, "policy:");
	c.problems = &p->problems;
	c.arg = p;
	if (vos_confdir_read(dir, &c) < 0) {
		vos_rpc_policy_free(p);
		return vos_err(ctx, -ENOMEM, "policy:");
	}
	*pp = p;
	return (int)(p->problems.n > INT32_MAX ? INT32_MAX : p->problems.n);
}

VOS_EXPORT size_t vos_rpc_policy_problems(const struct vos_rpc_policy *p)
{
	return p ? p->problems.n : 0;
}

VOS_EXPORT const char *vos_rpc_policy_problem(const struct vos_rpc_policy *p, size_t i)
{
	if (!p || i >= p->problems.n)
		return NULL;
	if (i >= VOS_PROBLEMS_MAX)
		return "(more problems)";
	return p->problems.list[i] ? p->problems.list[i] : "(out of memory describing a problem)";
}

VOS_EXPORT size_t vos_rpc_policy_rules(const struct vos_rpc_policy *p)
{
	return p ? p->nrules : 0;
}

static bool has_tag(const char *const *tags, const char *tag)
{
	for (; tags && *tags; tags++)
		if (strcmp(*tags, tag) == 0)
			return true;
	return false;
}

/*
 * Does rule token @t match the call's @who (a name or one of @host,
 * @default, @dispvm, @dispvm:T), with @who's @tags?
 */
static bool tok_match(const struct pol_tok *t, const char *who, const char *const *tags)
{
	bool host = strcmp(who, "@host") == 0;
	bool def = strcmp(who, "@default") == 0;
	bool disp = strcmp(who, "@dispvm") == 0;
	bool disp_t = strncmp(who, "@dispvm:", 8) == 0;
	bool named = who[0] != '@';
	bool user = strncmp(who, "@user:", 6) == 0;

	switch (t->kind) {
	case TOK_STAR:
		/* a user is matched by its own @user: rules only */
		return !user;
	case TOK_USER:
		return user && strcmp(t->val, who + 6) == 0;
	case TOK_ANYVM:
		/* a disposable is a subsystem too; the host and "no target" are not */
		return named || disp || disp_t;
	case TOK_HOST:
		return host;
	case TOK_NAME:
		return named && strcmp(t->val, who) == 0;
	case TOK_TAG:
		return named && has_tag(tags, t->val);
	case TOK_DEFAULT:
		return def;
	case TOK_DISPVM:
		return disp;
	case TOK_DISPVM_T:
		return disp_t && strcmp(t->val, who + 8) == 0;
	}
	return false;
}

static bool rule_match(const struct pol_rule *r, const struct vos_rpc_call *c)
{
	const char *arg = c->arg ? c->arg : "";

	if (!r->any_service) {
		if (strcmp(r->service, c->service) != 0)
			return false;
		if (r->arg_mode == ARG_NONE && arg[0])
			return false;
		if (r->arg_mode == ARG_EXACT && strcmp(r->arg, arg) != 0)
			return false;
	}
	return tok_match(&r->src, c->source, c->source_tags) &&
	       tok_match(&r->dst, c->target, c->target_tags);
}

/* The call's own fields: the caller's word, so checked like any input */
static const char *call_bad(const struct vos_rpc_call *c)
{
	if (!c->service || !word_ok(c->service, VOS_RPC_SERVICE_MAX, false))
		return "service name";
	if (c->arg && c->arg[0] && !word_ok(c->arg, VOS_RPC_SERVICE_MAX, true))
		return "service argument";
	if (!c->source || (strcmp(c->source, "@host") != 0 && !is_user(c->source) &&
			   vos_name_check(c->source) < 0))
		return "source";
	if (!c->target)
		return "target";
	if (strcmp(c->target, "@host") == 0 || strcmp(c->target, "@default") == 0 ||
	    strcmp(c->target, "@dispvm") == 0)
		return NULL;
	if (strncmp(c->target, "@dispvm:", 8) == 0)
		return vos_name_check(c->target + 8) < 0 ? "target" : NULL;
	return vos_name_check(c->target) < 0 ? "target" : NULL;
}

VOS_EXPORT int vos_rpc_policy_eval(struct vos_ctx *ctx, const struct vos_rpc_policy *p,
				   const struct vos_rpc_call *c, struct vos_rpc_verdict *v)
{
	const struct pol_rule *r;
	const char *bad;
	size_t i;

	if (!v)
		return vos_err(ctx, -EINVAL, "policy: no place for the verdict");
	memset(v, 0, sizeof(*v));
	v->action = VOS_RPC_DENY;
	if (!p || !c) {
		snprintf(v->reason, sizeof(v->reason), "no policy or no call");
		return vos_err(ctx, -EINVAL, "policy: no policy or no call");
	}
	bad = call_bad(c);
	if (bad) {
		snprintf(v->reason, sizeof(v->reason), "invalid %s in the call", bad);
		return vos_err(ctx, -EINVAL, "policy: invalid %s in the call", bad);
	}
	if (p->problems.n) {
		snprintf(v->reason, sizeof(v->reason), "the policy does not parse (%s)",
			 vos_rpc_policy_problem(p, 0));
		return 0;
	}
	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (!rule_match(r, c))
			continue;
		v->action = r->action;
		snprintf(v->file, sizeof(v->file), "%s", r->file);
		v->line = r->line;
		v->limit = r->limit;
		snprintf(v->scan_service, sizeof(v->scan_service), "%s", r->scan_service);
		snprintf(v->scan_subsys, sizeof(v->scan_subsys), "%s", r->scan_subsys);
		snprintf(v->default_target, sizeof(v->default_target), "%s", r->default_target);
		if (r->action == VOS_RPC_DENY) {
			snprintf(v->reason, sizeof(v->reason), "denied by %s:%u", r->file, r->line);
			return 0;
		}
		if (r->target[0])
			snprintf(v->target, sizeof(v->target), "%s", r->target);
		else if (strcmp(c->target, "@default") != 0)
			snprintf(v->target, sizeof(v->target), "%s", c->target);
		if (!v->target[0] && r->action == VOS_RPC_ALLOW) {
			/* qrexec's rule: allow to @default must say where */
			v->action = VOS_RPC_DENY;
			snprintf(v->reason, sizeof(v->reason),
				 "%s:%u allows a call with no target but gives no target=", r->file,
				 r->line);
			return 0;
		}
		snprintf(v->reason, sizeof(v->reason), "%s by %s:%u",
			 r->action == VOS_RPC_ALLOW ? "allowed" : "to be asked", r->file, r->line);
		return 0;
	}
	snprintf(v->reason, sizeof(v->reason), "no rule matched");
	return 0;
}

VOS_EXPORT const char *vos_rpc_action_name(int action)
{
	switch (action) {
	case VOS_RPC_ALLOW:
		return "allow";
	case VOS_RPC_DENY:
		return "deny";
	case VOS_RPC_ASK:
		return "ask";
	}
	return "unknown";
}
