// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * defset.c - what a loaded definition says (its name, flags, dependencies,
 * command, values), its isolation options set on a config and its
 * firewall on a running subsystem, and a set of definitions: every
 * NAME.conf of some directories, checked together (a name twice, a
 * Requires= of no definition or of a template, cycles) and put in start
 * order, dependencies first. Reading a file is def.c's.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "def.h"

VOS_EXPORT const char *vos_def_name(const struct vos_def *d)
{
	return d ? d->name : NULL;
}

VOS_EXPORT const char *vos_def_path(const struct vos_def *d)
{
	return d ? d->path : NULL;
}

VOS_EXPORT unsigned int vos_def_pool(const struct vos_def *d)
{
	return d ? d->pool : 0;
}

VOS_EXPORT unsigned int vos_def_flags(const struct vos_def *d)
{
	return d ? d->flags : 0;
}

VOS_EXPORT uint64_t vos_def_digest(const struct vos_def *d)
{
	return d ? d->digest : 0;
}

VOS_EXPORT const char *const *vos_def_deps(const struct vos_def *d)
{
	return d ? d->deps : NULL;
}

VOS_EXPORT char *const *vos_def_argv(const struct vos_def *d)
{
	return d && d->has_argv ? d->argv : NULL;
}

VOS_EXPORT size_t vos_def_values(const struct vos_def *d, const char *section, const char *key,
				 const char **out, size_t room)
{
	size_t i, n = 0;

	if (!d || !section || !key)
		return 0;
	for (i = 0; i < d->n; i++) {
		if (strcmp(d->e[i].section, section) || strcmp(d->e[i].key, key))
			continue;
		if (n < room)
			out[n] = d->e[i].value;
		n++;
	}
	return n;
}

VOS_EXPORT const char *vos_def_value(const struct vos_def *d, const char *section, const char *key)
{
	const char *v = NULL;
	size_t i;

	if (!d || !section || !key)
		return NULL;
	for (i = 0; i < d->n; i++)
		if (!strcmp(d->e[i].section, section) && !strcmp(d->e[i].key, key))
			v = d->e[i].value;
	return v;
}

VOS_EXPORT int vos_def_config(const struct vos_def *d, struct vos_config *cfg)
{
	return vos_def_config_flags(d, cfg, 0);
}

VOS_EXPORT int vos_def_config_flags(const struct vos_def *d, struct vos_config *cfg,
				    unsigned int flags)
{
	const struct vos_option *o = vos_options(NULL);
	size_t i;
	int ret;

	if (!d || !cfg)
		return -EINVAL;
	if (flags & ~VOS_DEF_CONFIG_DISPOSABLE)
		return vos_err(d->ctx, -EINVAL, "definition: unknown flags 0x%x", flags);
	for (i = 0; i < d->n; i++) {
		const struct def_entry *en = &d->e[i];

		if (en->opt < 0)
			continue;
		if ((flags & VOS_DEF_CONFIG_DISPOSABLE) && !strcmp(o[en->opt].name, "persistent"))
			continue; /* a disposable goes with its command */
		if ((flags & VOS_DEF_CONFIG_DISPOSABLE) && !strcmp(o[en->opt].name, "rw")) {
			/* its own empty state where the template writes */
			const char *colon = strchr(en->value, ':');

			ret = vos_config_add_tmpfs(cfg, colon ? colon + 1 : en->value);
		} else {
			ret = vos_config_set_option(cfg, o[en->opt].name, en->value);
		}
		if (ret)
			return vos_err_prefix(d->ctx, ret, "%s:%u: %s=", en->file, en->line,
					      en->key);
	}
	return 0;
}

VOS_EXPORT int vos_def_set_rules(const struct vos_def *d, struct vos_subsys *s)
{
	struct vos_ruleset rs = { .policy = VOS_RULE_ACCEPT };
	const char *policy;
	size_t i;
	int ret;

	if (!d || !s)
		return -EINVAL;
	policy = vos_def_value(d, "Firewall", "Policy");
	if (!policy && !vos_def_value(d, "Firewall", "Rule"))
		return 0; /* nothing said: the set stays as vos.ko made it */
	if (policy && !strcmp(policy, "drop"))
		rs.policy = VOS_RULE_DROP;
	for (i = 0; i < d->n; i++) {
		const struct def_entry *en = &d->e[i];

		if (strcmp(en->section, "Firewall") || strcmp(en->key, "Rule"))
			continue;
		/* with its host name, for vosctl firewall NAME refresh */
		ret = vos_ruleset_insert_text(d->ctx, &rs, rs.count, en->value, 0);
		if (ret < 0) {
			vos_ruleset_clear(&rs);
			return vos_err_prefix(d->ctx, ret, "%s:%u: Rule=", en->file, en->line);
		}
	}
	ret = vos_subsys_set_rules(s, &rs);
	vos_ruleset_clear(&rs);
	if (ret)
		return vos_err_prefix(d->ctx, ret, "%s: [Firewall]", d->path);
	return 0;
}

/* ---- a set of definitions ------------------------------------------------------------ */

static struct vos_def *set_find(struct vos_def **d, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(d[i]->name, name))
			return d[i];
	return NULL;
}

static bool has_word(const char *v, const char *w)
{
	size_t n = strlen(w), len;

	while (*v) {
		v += strspn(v, " \t");
		len = strcspn(v, " \t");
		if (len == n && !strncmp(v, w, n))
			return true;
		v += len;
	}
	return false;
}

/* The line of @d's Requires= (or Uplink=) that names @dep, for messages */
static unsigned int dep_line(const struct vos_def *d, const char *dep, const char **file,
			     const char **key)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct def_entry *en = &d->e[i];

		if (strcmp(en->key, "Requires") && strcmp(en->key, "Uplink"))
			continue;
		if (has_word(en->value, dep)) {
			*file = en->file;
			*key = en->key;
			return en->line;
		}
	}
	*file = d->path;
	*key = "Requires";
	return 0;
}

enum {
	WHITE,
	GREY,
	BLACK
};

struct topo {
	struct vos_ctx *ctx;
	struct vos_def **in;
	size_t n;
	int *color;
	struct vos_def **out;
	size_t nout;
	struct vos_def *stack[DEF_FILES_MAX];
	size_t depth;
};

static int visit(struct topo *t, size_t i)
{
	const struct vos_def *d = t->in[i];
	size_t k, j;
	int ret;

	if (t->color[i] == BLACK)
		return 0;
	if (t->color[i] == GREY) {
		char cyc[VOS_ERRMSG_MAX / 2];
		size_t at = 0;

		for (k = 0; k < t->depth && t->stack[k] != d; k++)
			;
		for (; k < t->depth && at < sizeof(cyc); k++)
			at += (size_t)snprintf(cyc + at, sizeof(cyc) - at, "%s -> ",
					       t->stack[k]->name);
		if (at < sizeof(cyc))
			snprintf(cyc + at, sizeof(cyc) - at, "%s", d->name);
		return vos_err_class(
			t->ctx, -ELOOP, VOS_ERR_USAGE,
			"dependency cycle: %s: a subsystem cannot start before itself; remove one of these Requires= (or Uplink=)",
			cyc);
	}
	t->color[i] = GREY;
	t->stack[t->depth++] = t->in[i];
	for (k = 0; k < d->ndeps; k++) {
		for (j = 0; j < t->n; j++)
			if (!strcmp(t->in[j]->name, d->deps[k]))
				break;
		ret = visit(t, j); /* present: checked before */
		if (ret)
			return ret;
	}
	t->depth--;
	t->color[i] = BLACK;
	t->out[t->nout++] = t->in[i];
	return 0;
}

static int dep_check(struct vos_ctx *ctx, struct vos_def **d, size_t n)
{
	const char *file, *key;
	unsigned int line;
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < d[i]->ndeps; k++) {
			const struct vos_def *t = set_find(d, n, d[i]->deps[k]);

			line = dep_line(d[i], d[i]->deps[k], &file, &key);
			if (!t)
				return vos_err_class(
					ctx, -ENOENT, VOS_ERR_USAGE,
					"%s:%u: %s=: '%s' is not defined: add %s.conf beside %s.conf, or remove it",
					file, line, key, d[i]->deps[k], d[i]->deps[k], d[i]->name);
			if (t->flags & VOS_DEF_TEMPLATE)
				return vos_err_class(
					ctx, -EINVAL, VOS_ERR_USAGE,
					"%s:%u: %s=: '%s' is a template (Template=yes), which never runs: name a subsystem that runs",
					file, line, key, t->name);
		}
	}
	return 0;
}

static int cmp_def(const void *a, const void *b)
{
	return strcmp((*(struct vos_def *const *)a)->name, (*(struct vos_def *const *)b)->name);
}

static int load_dir(struct vos_ctx *ctx, const char *dir, const char *profile_dir,
		    struct vos_def **d, size_t *n)
{
	struct dirent **ents = NULL;
	_cleanup_free_ char *path = NULL;
	struct vos_def *dup;
	int i, m, ret = 0;

	m = scandir(dir, &ents, NULL, alphasort);
	if (m < 0)
		return vos_err_class(ctx, -errno, errno == ENOENT ? VOS_ERR_PATH : VOS_ERR_PERM,
				     "definitions: cannot read %s: %s", dir, strerror(errno));
	for (i = 0; i < m && !ret; i++) {
		const char *nm = ents[i]->d_name;
		size_t len = strlen(nm);

		if (nm[0] == '.' || len <= strlen(DEF_SUFFIX) ||
		    strcmp(nm + len - strlen(DEF_SUFFIX), DEF_SUFFIX))
			continue; /* editors' backups, README, ... */
		if (*n == DEF_FILES_MAX) {
			ret = vos_err_class(ctx, -E2BIG, VOS_ERR_USAGE,
					    "definitions: more than %d files: use fewer",
					    DEF_FILES_MAX);
			break;
		}
		free(path);
		if (asprintf(&path, "%s/%s", dir, nm) < 0) {
			path = NULL;
			ret = vos_err(ctx, -ENOMEM, "definitions:");
			break;
		}
		ret = vos_def_load(ctx, path, profile_dir, 0, &d[*n]);
		if (ret)
			break;
		dup = set_find(d, *n, d[*n]->name);
		if (dup) {
			ret = vos_err_class(
				ctx, -EEXIST, VOS_ERR_USAGE,
				"subsystem '%s' is defined twice, in %s and %s: remove one of them",
				dup->name, dup->path, d[*n]->path);
			vos_def_free(d[*n]);
			break;
		}
		(*n)++;
	}
	for (i = 0; i < m; i++)
		free(ents[i]);
	free(ents);
	return ret;
}

VOS_EXPORT int vos_defs_load(struct vos_ctx *ctx, const char *const *dirs, const char *profile_dir,
			     struct vos_defs **setp)
{
	struct vos_def **d = NULL;
	struct vos_defs *set = NULL;
	struct topo t = { .ctx = ctx };
	size_t n = 0, i;
	int ret;

	if (!ctx || !dirs || !setp)
		return -EINVAL;
	*setp = NULL;
	d = calloc(DEF_FILES_MAX, sizeof(*d));
	set = calloc(1, sizeof(*set));
	t.color = calloc(DEF_FILES_MAX, sizeof(*t.color));
	t.out = calloc(DEF_FILES_MAX, sizeof(*t.out));
	if (!d || !set || !t.color || !t.out) {
		ret = vos_err(ctx, -ENOMEM, "definitions:");
		goto err;
	}
	for (i = 0; dirs[i]; i++) {
		ret = load_dir(ctx, dirs[i], profile_dir, d, &n);
		if (ret)
			goto err;
	}
	qsort(d, n, sizeof(*d), cmp_def);
	ret = dep_check(ctx, d, n);
	if (ret)
		goto err;
	t.in = d;
	t.n = n;
	for (i = 0; i < n; i++) {
		ret = visit(&t, i);
		if (ret)
			goto err;
	}
	set->d = t.out;
	set->n = n;
	free(t.color);
	free(d);
	*setp = set;
	return 0;
err:
	for (i = 0; i < n; i++)
		vos_def_free(d[i]);
	free(d);
	free(set);
	free(t.color);
	free(t.out);
	return ret;
}

VOS_EXPORT void vos_defs_free(struct vos_defs *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		vos_def_free(set->d[i]);
	free(set->d);
	free(set);
}

VOS_EXPORT size_t vos_defs_count(const struct vos_defs *set)
{
	return set ? set->n : 0;
}

VOS_EXPORT struct vos_def *vos_defs_at(const struct vos_defs *set, size_t i)
{
	return set && i < set->n ? set->d[i] : NULL;
}

VOS_EXPORT struct vos_def *vos_defs_find(const struct vos_defs *set, const char *name)
{
	return set && name ? set_find(set->d, set->n, name) : NULL;
}
