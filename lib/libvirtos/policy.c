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
 * @anyvm (any subsystem, never the host), @host, @tag:T; TARGET also
 * @default (the caller named no target), @dispvm and @dispvm:TEMPLATE.
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

#define POL_LINE_MAX	 4096	   /* longer lines are refused */
#define POL_FILE_MAX	 (1 << 20) /* bytes per file */
#define POL_FILES_MAX	 256
#define POL_RULES_MAX	 65536
#define POL_PROBLEMS_MAX 100 /* listed; more are counted */
#define POL_LIMIT_MAX	 (1ULL << 50)

enum tok_kind {
	TOK_NAME = 1, /* a subsystem */
	TOK_STAR,     /* "*": anything */
	TOK_ANYVM,    /* any subsystem */
	TOK_HOST,
	TOK_TAG,
	TOK_DEFAULT,
	TOK_DISPVM,   /* @dispvm: the default template's disposable */
	TOK_DISPVM_T, /* @dispvm:T */
};

struct pol_tok {
	enum tok_kind kind;
	char val[VOS_NAME_MAX]; /* NAME, TAG, DISPVM_T */
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
	char *problems[POL_PROBLEMS_MAX];
	size_t nproblems; /* all of them, listed or not */
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

static void problem(struct vos_rpc_policy *p, const char *file, unsigned int line, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void problem(struct vos_rpc_policy *p, const char *file, unsigned int line, const char *fmt,
		    ...)
{
	char msg[512], *s = NULL;
	va_list ap;
	int n;

	if (p->nproblems++ >= POL_PROBLEMS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		n = asprintf(&s, "%s:%u: %s", file, line, msg);
	else
		n = asprintf(&s, "%s: %s", file, msg);
	/* out of memory: the count still says the policy is broken */
	p->problems[p->nproblems - 1] = n < 0 ? NULL : s;
}

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
	} else if (s[0] == '@') {
		return "unknown token (known: @anyvm @host @tag:T @default @dispvm @dispvm:T)";
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
static bool redirect_ok(const char *v)
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
		if (!redirect_ok(v))
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
		else if (!redirect_ok(v))
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
		size_t before = p->nproblems;

		parse_param(p, file, line, &r, tok[i], &seen);
		if (p->nproblems != before)
			return 0;
	}
	if (p->nrules >= POL_RULES_MAX) {
		problem(p, file, line, "more than %d rules", POL_RULES_MAX);
		return 0;
	}
	return add_rule(p, &r);
}

static int parse_file(struct vos_rpc_policy *p, int dirfd, const char *name, const char *path)
{
	unsigned int line = 0;
	char *buf = NULL, *s, *nl;
	struct stat st;
	ssize_t got;
	size_t len = 0;
	int fd, ret = 0;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		problem(p, path, 0, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		problem(p, path, 0, "not a regular file");
		goto out;
	}
	if (st.st_size > POL_FILE_MAX) {
		problem(p, path, 0, "larger than %d bytes", POL_FILE_MAX);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 2);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (len <= (size_t)st.st_size) {
		got = read(fd, buf + len, (size_t)st.st_size + 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			problem(p, path, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > (size_t)st.st_size) {
		problem(p, path, 0, "changed while being read");
		goto out;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		problem(p, path, 0, "holds a NUL byte: not a text file");
		goto out;
	}
	for (s = buf; *s && ret == 0; s = nl ? nl + 1 : s + strlen(s)) {
		line++;
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		if (strlen(s) > POL_LINE_MAX) {
			problem(p, path, line, "longer than %d bytes", POL_LINE_MAX);
			continue;
		}
		ret = parse_line(p, path, line, s);
	}
out:
	free(buf);
	close(fd);
	return ret;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files that count: NAME.policy, NAME not empty and not hidden */
static bool policy_name(const char *n)
{
	size_t len = strlen(n);

	return n[0] != '.' && len > 7 && strcmp(n + len - 7, ".policy") == 0;
}

VOS_EXPORT void vos_rpc_policy_free(struct vos_rpc_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	for (i = 0; i < p->nproblems && i < POL_PROBLEMS_MAX; i++)
		free(p->problems[i]);
	free(p->files);
	free(p->rules);
	free(p);
}

static int list_dir(struct vos_rpc_policy *p, DIR *d, char ***namesp, size_t *np)
{
	char **names = NULL, **nn;
	struct dirent *de;
	size_t n = 0;

	errno = 0;
	while ((de = readdir(d))) {
		if (!policy_name(de->d_name))
			continue;
		if (n == POL_FILES_MAX) {
			*namesp = names;
			*np = n;
			return -E2BIG;
		}
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			goto nomem;
		names = nn;
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto nomem;
		n++;
	}
	*namesp = names;
	*np = n;
	return errno ? -errno : 0;
nomem:
	*namesp = names;
	*np = n;
	return -ENOMEM;
}

VOS_EXPORT int vos_rpc_policy_load(struct vos_ctx *ctx, const char *dir, struct vos_rpc_policy **pp)
{
	struct vos_rpc_policy *p;
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;
	int ret;

	if (!pp)
		return vos_err(ctx, -EINVAL, "policy: no place for the result");
	*pp = NULL;
	if (!dir)
		dir = VOS_RPC_POLICY_DIR;
	p = calloc(1, sizeof(*p));
	if (!p)
		return vos_err(ctx, -ENOMEM, "policy:");
	d = opendir(dir);
	if (!d) {
		problem(p, dir, 0, "cannot list the policy directory: %s", strerror(errno));
		goto done;
	}
	ret = list_dir(p, d, &names, &n);
	closedir(d);
	if (ret == -ENOMEM)
		goto nomem;
	if (ret == -E2BIG)
		problem(p, dir, 0, "more than %d policy files", POL_FILES_MAX);
	else if (ret < 0)
		problem(p, dir, 0, "cannot list the policy directory: %s", strerror(-ret));
	qsort(names, n, sizeof(*names), name_cmp);
	p->files = calloc(n ? n : 1, sizeof(*p->files));
	if (!p->files)
		goto nomem;
	d = opendir(dir);
	if (!d) {
		problem(p, dir, 0, "cannot list the policy directory: %s", strerror(errno));
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&p->files[i], "%s/%s", dir, names[i]) < 0) {
			p->files[i] = NULL;
			closedir(d);
			goto nomem;
		}
		p->nfiles++;
		if (parse_file(p, dirfd(d), names[i], p->files[i]) < 0) {
			closedir(d);
			goto nomem;
		}
	}
	closedir(d);
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	*pp = p;
	return (int)(p->nproblems > INT32_MAX ? INT32_MAX : p->nproblems);
nomem:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	vos_rpc_policy_free(p);
	return vos_err(ctx, -ENOMEM, "policy:");
}

VOS_EXPORT size_t vos_rpc_policy_problems(const struct vos_rpc_policy *p)
{
	return p ? p->nproblems : 0;
}

VOS_EXPORT const char *vos_rpc_policy_problem(const struct vos_rpc_policy *p, size_t i)
{
	if (!p || i >= p->nproblems)
		return NULL;
	if (i >= POL_PROBLEMS_MAX)
		return "(more problems)";
	return p->problems[i] ? p->problems[i] : "(out of memory describing a problem)";
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

	switch (t->kind) {
	case TOK_STAR:
		return true;
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
	if (!c->source || (strcmp(c->source, "@host") != 0 && vos_name_check(c->source) < 0))
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
	if (p->nproblems) {
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
