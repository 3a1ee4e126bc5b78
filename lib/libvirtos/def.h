/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * def.h - the subsystem definitions' internals, shared by def.c (reading
 * one file and its profile) and defset.c (what a definition says, and a
 * set of them in start order).
 */
#ifndef VIRTOS_DEF_H
#define VIRTOS_DEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "private.h"

#define DEF_SUFFIX    ".conf"
#define DEF_TEXT_MAX  256 /* Description= */
#define DEF_WORD_MAX  32  /* Label=, Tags= words, profile names */
#define DEF_ARGV_MAX  64  /* Command= words */
#define DEF_DEPS_MAX  32  /* Requires= names (and the uplink provider) */
#define DEF_FILES_MAX 256 /* definitions in a set */

/* One KEY=VALUE as read, in the order read (the profile's first) */
struct def_entry {
	char *section;
	char *key;
	char *value;
	const char *file; /* the def's path or profile_path */
	unsigned int line;
	int opt; /* row of vos_options(), -1 for a key of the definition's own */
};

struct vos_def {
	struct vos_ctx *ctx;
	char name[VOS_NAME_MAX];
	char *path;
	char *profile_path;
	struct def_entry *e;
	size_t n, room;
	/* what the entries say, for the accessors */
	unsigned int flags;
	const char *deps[DEF_DEPS_MAX + 1];
	size_t ndeps;
	char *deps_buf; /* the Requires= names, cut apart */
	char *argv_buf;
	char *argv[DEF_ARGV_MAX + 1];
	bool has_argv;
	uint64_t digest;
	unsigned int pool; /* Pool= */
};

struct vos_defs {
	struct vos_def **d; /* in start order: every dependency before its dependents */
	size_t n;
};

#endif /* VIRTOS_DEF_H */
