// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * def.c - subsystem definitions (issue 14): one INI file per subsystem,
 * /etc/virtos/subsystems.d/NAME.conf, and the profiles they may start from
 * (/usr/share/virtos/profiles/P.conf).
 *
 * The files are read by libinih (a small, well-kept INI reader; Debian's
 * libinih-dev): it splits lines into section, key and value and strips
 * comments and blanks; everything a key means is decided here. Every key
 * of an isolation option is the option's row of the table in options.c
 * (its section and key): its value goes through vos_config_set_option(),
 * the same setter and message as "vosctl create --OPTION VALUE", and only
 * gets "FILE:LINE: Key=: " in front. The keys that are not isolation
 * options (what a definition adds: Requires=, Command=, [Firewall]...) are
 * checked here, at load, with the same "what is wrong: accepted form"
 * messages. A file is taken whole or not at all; a set of files
 * (vos_defs_load()) likewise: a conflict, a missing or template Requires=
 * target, or a dependency cycle refuses the set before anything starts.
 *
 * Override rules: a definition's Profile= is read first, then the file;
 * the file's value of a single-valued key replaces the profile's, and a
 * repeatable key adds to the profile's list, where an empty value
 * ("ReadOnly=") first empties the list (as in systemd units).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <ini.h>

#include "def.h"
#include "firewall.h"

/* ---- the keys of a definition's own ------------------------------------------- */

enum kind {
	K_TEXT,	   /* Description= */
	K_WORDS,   /* Tags=, Label= (one word) */
	K_NAMES,   /* Requires= */
	K_BOOL,	   /* Autostart=, Template= */
	K_PROFILE, /* Profile= */
	K_COMMAND, /* Command= */
	K_POLICY,  /* [Firewall] Policy= */
	K_RULE,	   /* [Firewall] Rule= */
	K_POOL,	   /* Pool= */
	K_LATER,   /* a key of a feature that has not landed: refused */
};

#define NOT_PROFILE (1u << 0) /* refused in a profile: it is about one subsystem */

static const struct own_key {
	const char *section;
	const char *key;
	enum kind kind;
	bool repeatable;
	unsigned int flags;
	const char *form;
} own_keys[] = {
	{ "Subsystem", "Description", K_TEXT, false, 0, "one line of text, up to 255 bytes" },
	{ "Subsystem", "Profile", K_PROFILE, false, NOT_PROFILE,
	  "the name of a profile, e.g. Profile=browser" },
	{ "Subsystem", "Tags", K_WORDS, true, 0,
	  "words of letters, digits, '_', '.' or '-', separated by spaces" },
	{ "Subsystem", "Label", K_WORDS, false, 0,
	  "one word of letters, digits, '_', '.' or '-', e.g. Label=red" },
	{ "Subsystem", "Requires", K_NAMES, true, NOT_PROFILE,
	  "names of defined subsystems, separated by spaces, e.g. Requires=net fw" },
	{ "Subsystem", "Autostart", K_BOOL, false, NOT_PROFILE, "yes or no" },
	{ "Subsystem", "Template", K_BOOL, false, NOT_PROFILE, "yes or no" },
	{ "Subsystem", "Pool", K_POOL, false, NOT_PROFILE,
	  "a number of disposables kept ready, 0 to 16, with Template=yes" },
	{ "Exec", "Command", K_COMMAND, false, 0,
	  "a program and its arguments, separated by spaces; '...' or \"...\" keep spaces" },
	{ "Firewall", "Policy", K_POLICY, false, 0, "accept or drop" },
	{ "Firewall", "Rule", K_RULE, true, 0,
	  "a rule of 'vosctl firewall add', e.g. Rule=action=accept proto=tcp dstports=443" },
};

#define N_OWN (sizeof(own_keys) / sizeof(own_keys[0]))

static const char *const sections[] = { "Subsystem", "Exec",	 "Files",   "Limits",
					"Network",   "Firewall", "Services" };

/* ---- entries ------------------------------------------------------------------ */

static void entry_clear(struct def_entry *en)
{
	free(en->section);
	free(en->key);
	free(en->value);
}

static int entry_add(struct vos_def *d, const char *section, const char *key, const char *value,
		     const char *file, unsigned int line, int opt)
{
	struct def_entry *en;

	if (d->n == d->room) {
		size_t room = d->room ? 2 * d->room : 16;

		en = realloc(d->e, room * sizeof(*en));
		if (!en)
			return vos_err(d->ctx, -ENOMEM, "definition:");
		d->e = en;
		d->room = room;
	}
	en = &d->e[d->n];
	en->section = strdup(section);
	en->key = strdup(key);
	en->value = strdup(value);
	en->file = file;
	en->line = line;
	en->opt = opt;
	if (!en->section || !en->key || !en->value) {
		entry_clear(en);
		return vos_err(d->ctx, -ENOMEM, "definition:");
	}
	d->n++;
	return 0;
}

/* Remove the entries of @section/@key from index @from on that came from @file */
static void entries_drop(struct vos_def *d, const char *section, const char *key, const char *file)
{
	size_t i, j = 0;

	for (i = 0; i < d->n; i++) {
		if (d->e[i].file == file && !strcmp(d->e[i].section, section) &&
		    !strcmp(d->e[i].key, key)) {
			entry_clear(&d->e[i]);
			continue;
		}
		d->e[j++] = d->e[i];
	}
	d->n = j;
}

/* ---- values --------------------------------------------------------------------- */

static bool word_ok(const char *w, size_t len)
{
	size_t i;

	if (len < 1 || len >= DEF_WORD_MAX)
		return false;
	for (i = 0; i < len; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

/*
 * Split @s into words at spaces and tabs; '...' and "..." keep what they
 * hold together (no escapes inside). Into @buf (strlen(s)+1 bytes) and
 * @argv (@room pointers, NULL-terminated): the number of words, -E2BIG
 * past @room, -EINVAL for a quote not closed.
 */
static int split_words(const char *s, char *buf, char **argv, size_t room)
{
	size_t n = 0;
	char *o = buf;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == room)
			return -E2BIG;
		argv[n++] = o;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'' || *s == '"') {
				char q = *s++;

				while (*s && *s != q)
					*o++ = *s++;
				if (*s != q)
					return -EINVAL;
				s++;
				continue;
			}
			*o++ = *s++;
		}
		*o++ = '\0';
	}
	argv[n] = NULL;
	return (int)n;
}

/* The state of reading one file with inih */
struct reader {
	struct vos_def *d;
	struct vos_config *scratch; /* the option values' checks */
	FILE *f;
	const char *file;
	const char *profile_dir;
	bool profile;	   /* reading a profile */
	unsigned int line; /* of the line inih handles now */
	int err;	   /* the first error, recorded in d->ctx */
	char profile_name[DEF_WORD_MAX];
};

static int fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct reader *r, const char *fmt, ...)
{
	char msg[VOS_ERRMSG_MAX];
	va_list ap;

	if (r->err)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->err = vos_err_class(r->d->ctx, -EINVAL, VOS_ERR_USAGE, "%s:%u: %s", r->file, r->line,
			       msg);
	return 0; /* inih: an error on this line; we stop at the first one */
}

/* A profile's file: @dir/@name.conf, after checking @name is a word */
static int profile_path(struct vos_ctx *ctx, const char *dir, const char *name, char **pathp)
{
	if (!name || !word_ok(name, strlen(name)) || name[0] == '.')
		return vos_err_class(
			ctx, -EINVAL, VOS_ERR_USAGE,
			"profile '%s' is not a profile name: use a word such as browser or vault",
			name ? name : "");
	if (asprintf(pathp, "%s/%s" DEF_SUFFIX, dir ? dir : VOS_PROFILE_DIR, name) < 0)
		return vos_err(ctx, -ENOMEM, "profile:");
	return 0;
}

/* Rules are checked at load without vos.ko or a resolver: any @SUBSYS and
 * host name pass here and are looked up when the rules are set
 */
static int fake_subsys_id(struct vos_ctx *ctx, const char *name, uint64_t *id)
{
	(void)ctx;
	(void)name;
	*id = 1;
	return 0;
}

static int fake_resolve(struct vos_ctx *ctx, const char *host, uint32_t *addrs, size_t room)
{
	(void)ctx;
	(void)host;
	if (room)
		addrs[0] = htonl(0x0a000001);
	return 1;
}

/* Pool=: 0..VOS_DEF_POOL_MAX, digits only; -1 otherwise */
static int vos_def_pool_parse(const char *v)
{
	int n = 0;

	if (!*v || strlen(v) > 2)
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -1;
		n = n * 10 + (*v - '0');
	}
	return n <= VOS_DEF_POOL_MAX ? n : -1;
}

static int own_value(struct reader *r, const struct own_key *k, const char *v)
{
	struct vos_def *d = r->d;
	char *argv[DEF_ARGV_MAX + 1];
	_cleanup_free_ char *buf = NULL;
	int n, i;

	switch (k->kind) {
	case K_TEXT:
		if (strlen(v) >= DEF_TEXT_MAX)
			return fail(r, "%s=: longer than %d bytes: use %s", k->key,
				    DEF_TEXT_MAX - 1, k->form);
		return 1;
	case K_BOOL:
		if (vos_bool_parse(v) < 0)
			return fail(r, "%s=: '%s' is not yes or no: use %s", k->key, v, k->form);
		return 1;
	case K_POLICY:
		if (strcmp(v, "accept") && strcmp(v, "drop"))
			return fail(r, "%s=: '%s' is not a policy: use %s", k->key, v, k->form);
		return 1;
	case K_LATER:
		return fail(r, "%s=: %s", k->key, k->form);
	case K_POOL:
		if (vos_def_pool_parse(v) < 0)
			return fail(r, "%s=: '%s' is not a number of disposables: use %s", k->key,
				    v, k->form);
		return 1;
	case K_RULE: {
		struct vos_rule_lookup lk = { .subsys_id = fake_subsys_id,
					      .resolve = fake_resolve };
		struct vos_rule out[2];
		struct vos_rule_addr6 a6[2];
		int ret;

		if (!*v)
			return 1; /* empties the list */
		ret = vos_rule_parse_host_with(d->ctx, &lk, v, 0, out, a6, 2, NULL);
		if (ret < 0)
			return fail(r, "%s=: %s", k->key, vos_ctx_errmsg(d->ctx));
		return 1;
	}
	default:
		break;
	}
	/* word lists and commands */
	buf = strdup(v);
	if (!buf)
		return fail(r, "%s=: out of memory", k->key);
	n = split_words(v, buf, argv, DEF_ARGV_MAX);
	if (n == -EINVAL)
		return fail(r, "%s=: a quote is not closed: use %s", k->key, k->form);
	if (n < 0)
		return fail(r, "%s=: more than %d words: use fewer", k->key, DEF_ARGV_MAX);
	switch (k->kind) {
	case K_WORDS:
		if (!k->repeatable && n != 1)
			return fail(r, "%s=: '%s' is not one word: use %s", k->key, v, k->form);
		for (i = 0; i < n; i++)
			if (!word_ok(argv[i], strlen(argv[i])))
				return fail(r, "%s=: '%s' is not a word: use %s", k->key, argv[i],
					    k->form);
		return 1;
	case K_NAMES:
		for (i = 0; i < n; i++)
			if (vos_name_check(argv[i]) < 0)
				return fail(r, "%s=: '%s' is not a subsystem name: use %s", k->key,
					    argv[i], k->form);
		return 1;
	case K_COMMAND:
		if (n == 0)
			return fail(r, "%s=: empty: use %s (or no Command= for the idle init)",
				    k->key, k->form);
		return 1;
	case K_PROFILE: {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if (n != 1 || profile_path(d->ctx, r->profile_dir, v, &path) < 0)
			return fail(r, "%s=: '%s' is not a profile name: use %s", k->key, v,
				    k->form);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			return fail(r,
				    "%s=: there is no profile '%s' (%s): see %s for the profiles",
				    k->key, v, path,
				    r->profile_dir ? r->profile_dir : VOS_PROFILE_DIR);
		snprintf(r->profile_name, sizeof(r->profile_name), "%s", v);
		return 1;
	}
	default:
		return fail(r, "%s=: unhandled kind: a libvirtos bug", k->key);
	}
}

static bool section_known(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (!strcmp(sections[i], s))
			return true;
	return false;
}

/* "A=, B=" of @section's keys (the table's and our own) */
static void keys_of(const char *section, char *buf, size_t len)
{
	const struct vos_option *o;
	size_t n, i, at = 0;

	buf[0] = '\0';
	o = vos_options(&n);
	for (i = 0; i < n && at < len; i++)
		if (!strcmp(o[i].section, section))
			at += (size_t)snprintf(buf + at, len - at, "%s%s=", at ? ", " : "",
					       o[i].key);
	for (i = 0; i < N_OWN && at < len; i++)
		if (!strcmp(own_keys[i].section, section) && own_keys[i].kind != K_LATER)
			at += (size_t)snprintf(buf + at, len - at, "%s%s=", at ? ", " : "",
					       own_keys[i].key);
}

/* Is @section/@key already in the entries read from this file? Its line. */
static unsigned int seen_at(struct reader *r, const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < r->d->n; i++)
		if (r->d->e[i].file == r->file && !strcmp(r->d->e[i].section, section) &&
		    !strcmp(r->d->e[i].key, key))
			return r->d->e[i].line;
	return 0;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct reader *r = user;
	const struct vos_option *o;
	const struct own_key *k = NULL;
	char keys[VOS_ERRMSG_MAX / 2];
	unsigned int first;
	bool repeatable;
	size_t n, i;
	int opt = -1;

	if (r->err)
		return 0;
	if (!*section)
		return fail(
			r,
			"%s=: a key before any [Section]: put it under its section, e.g. [Subsystem]",
			key);
	if (!section_known(section))
		return fail(
			r,
			"[%s]: not a section: use [Subsystem], [Exec], [Files], [Limits], [Network], [Firewall] or [Services]",
			section);
	o = vos_options(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(o[i].section, section) && !strcmp(o[i].key, key))
			break;
	if (i < n) {
		opt = (int)i;
		repeatable = o[i].flags & VOS_OPTION_REPEATABLE;
	} else {
		for (i = 0; i < N_OWN; i++)
			if (!strcmp(own_keys[i].section, section) && !strcmp(own_keys[i].key, key))
				k = &own_keys[i];
		if (!k) {
			keys_of(section, keys, sizeof(keys));
			return fail(r, "%s=: not a key of [%s]: use one of %s", key, section, keys);
		}
		repeatable = k->repeatable;
		if (r->profile && (k->flags & NOT_PROFILE))
			return fail(
				r,
				"%s=: not in a profile (it is about one subsystem): put it in the subsystem's definition",
				key);
	}
	first = seen_at(r, section, key);
	if (first && !repeatable && *value)
		return fail(r, "%s=: given twice (first on line %u): give it once", key, first);
	if (repeatable && !*value) {
		/* "Key=" empties the list: this file's so far here, the
		 * profile's when it is merged (the empty entry marks it)
		 */
		entries_drop(r->d, section, key, r->file);
		if (entry_add(r->d, section, key, "", r->file, r->line, opt) < 0)
			r->err = -ENOMEM;
		return r->err ? 0 : 1;
	}
	if (opt >= 0) {
		vos_ctx_clear_error(r->d->ctx);
		if (vos_config_set_option(r->scratch, o[opt].name, o[opt].arg ? value : value) < 0)
			return fail(r, "%s=: %s", key, vos_ctx_errmsg(r->d->ctx));
	} else if (!own_value(r, k, value)) {
		return 0;
	}
	if (entry_add(r->d, section, key, value, r->file, r->line, opt) < 0) {
		r->err = -ENOMEM;
		return 0;
	}
	return 1;
}

/* inih's line reader: counts lines, refuses one longer than inih takes */
static char *reader_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	size_t len;

	if (r->err || !fgets(str, num, r->f))
		return NULL;
	r->line++;
	len = strlen(str);
	if (len && str[len - 1] != '\n' && !feof(r->f)) {
		fail(r,
		     "the line is longer than %d bytes: shorten it (a repeatable key can be given on several lines)",
		     num - 2);
		return NULL;
	}
	return str;
}

static int read_file(struct reader *r)
{
	_cleanup_fclose_ FILE *f = NULL;
	struct stat st;
	int fd, ret;

	fd = open(r->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return vos_err_class(r->d->ctx, -errno,
				     errno == ENOENT ? VOS_ERR_PATH : VOS_ERR_PERM,
				     "%s: cannot open: %s", r->file, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return vos_err_class(r->d->ctx, -EINVAL, VOS_ERR_PATH,
				     "%s: not a regular file: a definition is a file NAME.conf",
				     r->file);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return vos_err(r->d->ctx, -errno, "%s:", r->file);
	}
	r->f = f;
	ret = ini_parse_stream(reader_line, r, handler, r);
	if (r->err)
		return r->err;
	if (ret > 0) {
		r->line = (unsigned int)ret;
		fail(r, "not [Section] or KEY=VALUE: fix the line (a comment starts with # or ;)");
		return r->err;
	}
	if (ret < 0)
		return vos_err(r->d->ctx, -ENOMEM, "%s:", r->file);
	return 0;
}

/* ---- one definition ---------------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL; /* a separator no text has */
}

/* What the entries say: flags, dependencies, command, digest */
static int summarise(struct vos_def *d)
{
	size_t i, j, at = 0, len = 1;
	int n;

	for (i = 0; i < d->n; i++)
		len += strlen(d->e[i].value) + 1;
	d->deps_buf = malloc(len);
	if (!d->deps_buf)
		return vos_err(d->ctx, -ENOMEM, "definition:");
	d->digest = 0xcbf29ce484222325ULL;
	for (i = 0; i < d->n; i++) {
		struct def_entry *en = &d->e[i];

		d->digest = fnv(fnv(fnv(d->digest, en->section), en->key), en->value);
		if (!strcmp(en->key, "Autostart") && vos_bool_parse(en->value) == 1)
			d->flags |= VOS_DEF_AUTOSTART;
		if (!strcmp(en->key, "Template") && vos_bool_parse(en->value) == 1)
			d->flags |= VOS_DEF_TEMPLATE;
		if (!strcmp(en->section, "Subsystem") && !strcmp(en->key, "Pool"))
			d->pool = (unsigned int)vos_def_pool_parse(en->value);
		if (!strcmp(en->key, "Command")) {
			free(d->argv_buf);
			d->argv_buf = strdup(en->value);
			if (!d->argv_buf)
				return vos_err(d->ctx, -ENOMEM, "definition:");
			n = split_words(en->value, d->argv_buf, d->argv, DEF_ARGV_MAX);
			d->has_argv = n > 0;
		}
		if (!strcmp(en->section, "Network") && !strcmp(en->key, "Uplink") &&
		    strcmp(en->value, "none") && strcmp(en->value, "host")) {
			/* a provider's name (once the option takes one): a dependency */
			if (d->ndeps == DEF_DEPS_MAX)
				goto too_many;
			d->deps[d->ndeps++] = en->value;
		}
		if (!strcmp(en->key, "Requires")) {
			char *p = d->deps_buf + at;

			/* the value was checked: names separated by blanks */
			at += strlen(en->value) + 1;
			memcpy(p, en->value, strlen(en->value) + 1);
			while (*p) {
				while (*p == ' ' || *p == '\t')
					*p++ = '\0';
				if (!*p)
					break;
				for (j = 0; j < d->ndeps; j++)
					if (!strcmp(d->deps[j], p))
						break;
				if (j == d->ndeps) {
					if (d->ndeps == DEF_DEPS_MAX)
						goto too_many;
					d->deps[d->ndeps++] = p;
				}
				p += strcspn(p, " \t");
			}
		}
	}
	d->deps[d->ndeps] = NULL;
	if ((d->flags & VOS_DEF_TEMPLATE) && (d->flags & VOS_DEF_AUTOSTART))
		return vos_err_class(
			d->ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: Template=yes and Autostart=yes: a template never runs itself; drop Autostart= (disposables are made with 'vosctl run --disposable %s')",
			d->path, d->name);
	if (d->pool && !(d->flags & VOS_DEF_TEMPLATE))
		return vos_err_class(
			d->ctx, -EINVAL, VOS_ERR_USAGE,
			"%s: Pool=%u without Template=yes: a pool holds disposables of a template; add Template=yes or drop Pool=",
			d->path, d->pool);
	return 0;
too_many:
	return vos_err_class(d->ctx, -EINVAL, VOS_ERR_USAGE,
			     "%s: more than %d dependencies: use fewer", d->path, DEF_DEPS_MAX);
}

/* Check the option values together (Rootfs= with HostRoot=...): replayed
 * into a fresh config as vos_def_config() will
 */
static int check_whole(struct vos_def *d)
{
	struct vos_config *cfg;
	int ret;

	ret = vos_config_new(d->ctx, &cfg);
	if (ret)
		return ret;
	ret = vos_def_config(d, cfg);
	vos_config_free(cfg);
	return ret;
}

static bool is_repeatable(const struct def_entry *en)
{
	size_t k;

	if (en->opt >= 0)
		return vos_options(NULL)[en->opt].flags & VOS_OPTION_REPEATABLE;
	for (k = 0; k < N_OWN; k++)
		if (!strcmp(own_keys[k].section, en->section) && !strcmp(own_keys[k].key, en->key))
			return own_keys[k].repeatable;
	return false;
}

static int def_read(struct vos_def *d, const char *path, const char *profile_dir, bool profile)
{
	struct reader r = { .d = d, .file = path, .profile_dir = profile_dir, .profile = profile };
	struct reader pr = { .d = d, .profile_dir = profile_dir, .profile = true };
	struct vos_def tmp;
	size_t i;
	int ret;

	ret = vos_config_new(d->ctx, &r.scratch);
	if (ret)
		return ret;
	ret = read_file(&r);
	vos_config_free(r.scratch);
	if (ret)
		return ret;
	if (!r.profile_name[0])
		goto markers;

	/* The profile: read into the same def, then its entries moved first */
	ret = profile_path(d->ctx, profile_dir, r.profile_name, &d->profile_path);
	if (ret)
		return ret;
	pr.file = d->profile_path;
	ret = vos_config_new(d->ctx, &pr.scratch);
	if (ret)
		return ret;
	tmp = *d;
	tmp.e = NULL;
	tmp.n = tmp.room = 0;
	pr.d = &tmp;
	ret = read_file(&pr);
	vos_config_free(pr.scratch);
	if (ret) {
		for (i = 0; i < tmp.n; i++)
			entry_clear(&tmp.e[i]);
		free(tmp.e);
		return vos_err_prefix(d->ctx, ret, "%s: Profile=%s:", path, r.profile_name);
	}
	/* the file's single-valued keys replace the profile's; its
	 * repeatable ones add (an empty one emptied the profile's: below)
	 */
	for (i = 0; i < d->n; i++) {
		const struct def_entry *en = &d->e[i];

		if (!is_repeatable(en) || !*en->value)
			entries_drop(&tmp, en->section, en->key, d->profile_path);
	}
	/* profile entries, then the file's */
	for (i = 0; i < d->n; i++) {
		ret = entry_add(&tmp, d->e[i].section, d->e[i].key, d->e[i].value, d->e[i].file,
				d->e[i].line, d->e[i].opt);
		if (ret)
			break;
	}
	for (i = 0; i < d->n; i++)
		entry_clear(&d->e[i]);
	free(d->e);
	d->e = tmp.e;
	d->n = tmp.n;
	d->room = tmp.room;
	if (ret)
		return ret;
markers:
	/* the empty values of repeatable keys have done their work */
	for (i = 0, r.line = 0; i < d->n; i++) {
		if (!d->e[i].value[0] && is_repeatable(&d->e[i])) {
			entry_clear(&d->e[i]);
			continue;
		}
		d->e[r.line++] = d->e[i];
	}
	d->n = r.line;
	return 0;
}

/* A definition's name: its file name without ".conf" */
static int name_of(struct vos_ctx *ctx, const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len <= strlen(DEF_SUFFIX) || strcmp(base + len - strlen(DEF_SUFFIX), DEF_SUFFIX) ||
	    len - strlen(DEF_SUFFIX) >= VOS_NAME_MAX)
		goto bad;
	memcpy(name, base, len - strlen(DEF_SUFFIX));
	name[len - strlen(DEF_SUFFIX)] = '\0';
	if (vos_name_check(name) == 0)
		return 0;
bad:
	return vos_err_class(
		ctx, -EINVAL, VOS_ERR_USAGE,
		"%s: the file name is not NAME.conf with a subsystem name: use 1 to %d letters, digits, '_', '.' or '-', e.g. web.conf",
		path, VOS_NAME_MAX - 1);
}

VOS_EXPORT int vos_def_load(struct vos_ctx *ctx, const char *path, const char *profile_dir,
			    unsigned int flags, struct vos_def **dp)
{
	struct vos_def *d;
	int ret;

	if (!ctx || !path || !dp)
		return -EINVAL;
	*dp = NULL;
	if (flags & ~VOS_DEF_LOAD_PROFILE)
		return vos_err(ctx, -EINVAL, "definition: unknown flags 0x%x", flags);
	d = calloc(1, sizeof(*d));
	if (!d)
		return vos_err(ctx, -ENOMEM, "definition:");
	d->ctx = ctx;
	d->path = strdup(path);
	if (!d->path) {
		ret = vos_err(ctx, -ENOMEM, "definition:");
		goto err;
	}
	ret = name_of(ctx, path, d->name);
	if (ret)
		goto err;
	ret = def_read(d, d->path, profile_dir, flags & VOS_DEF_LOAD_PROFILE);
	if (ret)
		goto err;
	ret = summarise(d);
	if (ret)
		goto err;
	ret = check_whole(d);
	if (ret)
		goto err;
	*dp = d;
	return 0;
err:
	vos_def_free(d);
	return ret;
}

VOS_EXPORT int vos_profile_load(struct vos_ctx *ctx, const char *profile_dir, const char *name,
				struct vos_def **dp)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;
	int ret;

	if (!ctx || !dp)
		return -EINVAL;
	*dp = NULL;
	ret = profile_path(ctx, profile_dir, name, &path);
	if (ret)
		return ret;
	if (stat(path, &st) < 0)
		return vos_err_class(ctx, -ENOENT, VOS_ERR_USAGE,
				     "profile '%s': there is no %s: see %s for the profiles", name,
				     path, profile_dir ? profile_dir : VOS_PROFILE_DIR);
	return vos_def_load(ctx, path, profile_dir, VOS_DEF_LOAD_PROFILE, dp);
}

VOS_EXPORT void vos_def_free(struct vos_def *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		entry_clear(&d->e[i]);
	free(d->e);
	free(d->argv_buf);
	free(d->deps_buf);
	free(d->path);
	free(d->profile_path);
	free(d);
}
