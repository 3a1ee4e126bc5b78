/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Desktop entries (issue 15): the small part of the freedesktop.org Desktop
 * Entry Specification that `vosctl apps` and `vosctl launch` need, as pure
 * functions the unit tests call (desktop.c). Nothing here touches a file
 * system: cmd_apps.c reads the entries out of a subsystem and writes the
 * exported ones.
 *
 * What is read is untrusted (a subsystem's own files), so the parser is
 * strict where a looser reader and ours could disagree: a key given twice,
 * an unknown escape, a bad boolean or a NUL byte makes the whole entry
 * invalid instead of being guessed at.
 */
#ifndef VOSCTL_DESKTOP_H
#define VOSCTL_DESKTOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vosctl.h"

/* Largest entry file read, and longest desktop ID (the file name minus .desktop) */
#define DESKTOP_FILE_MAX (64 * 1024)
#define DESKTOP_ID_MAX	 128

struct desktop_entry {
	char id[DESKTOP_ID_MAX];
	/* The [Desktop Entry] values, unescaped (\s \n \t \r \\), malloc'ed; NULL if absent */
	char *name, *exec, *icon, *mimetype, *categories, *type;
	bool nodisplay, hidden, terminal;
};

/*
 * 0 if @id is a desktop ID virtos handles: 1 to DESKTOP_ID_MAX-1 letters,
 * digits, '.', '_', '-', starting with a letter or digit. -1 otherwise.
 */
int desktop_id_check(const char *id);

/*
 * Parse @len bytes of @buf into @d (zeroed first; @d->id is left to the
 * caller). 0, or EXIT_FAIL with @e saying what is wrong (and where).
 * Free with desktop_entry_clear() either way.
 */
int desktop_parse(struct desktop_entry *d, const char *buf, size_t len, struct cli_err *e);
void desktop_entry_clear(struct desktop_entry *d);

/* An application entry that is not Hidden: what `apps list` shows */
bool desktop_is_app(const struct desktop_entry *d);

/*
 * Split an Exec value (already unescaped by desktop_parse) into arguments
 * by the specification's quoting rules: *argvp is malloc'ed and NULL
 * terminated (desktop_argv_free()). Field codes stay in the arguments as
 * written (%% too); a quoted argument cannot hold one. A character a shell
 * would read (e.g. ; | & $ ` < > ( ) *) outside quotes is refused.
 * 0 or EXIT_FAIL with @e.
 */
int desktop_exec_split(const char *exec, char ***argvp, struct cli_err *e);
void desktop_argv_free(char **argv);

/*
 * The refusal rules of export and launch on a split command line: no
 * shell (sh, bash, ... anywhere in it, so `env sh -c` too), no
 * interpreter given code on its command line (python3 -c, perl -e, ...),
 * no argument with ; | & $ ` < > or a newline even quoted, at most one of
 * %f %F %u %U, %F and %U only as a whole argument, no unknown field
 * code. 0 or EXIT_FAIL with @e saying which argument and why.
 */
int desktop_exec_check(char *const *argv, struct cli_err *e);

/* 'F' if the command takes files (%f or %F), 'U' for URLs (%u, %U), else 0 */
int desktop_exec_takes(char *const *argv);

/*
 * The command line to run: @argv (checked) with %f/%u replaced by the one
 * of @args, %F/%U by all of them, %% by %, every other field code dropped
 * (an argument that was only one is dropped). More than one of @args for
 * %f/%u, or any for a command that takes none: EXIT_USAGE with @e.
 * *outp as desktop_exec_split().
 */
int desktop_exec_expand(char *const *argv, char *const *args, size_t nargs, char ***outp,
			struct cli_err *e);

/*
 * Write to @f the entry exporting @d (checked: it has a Name and an Exec
 * that desktop_exec_check() accepts) of subsystem @subsys: Name "[SUBSYS]
 * Name", Exec "vosctl launch SUBSYS ID" with %F or %U as the original takes
 * files or URLs, its Icon (a name; a path inside the subsystem is left
 * out), MimeType, Categories, NoDisplay and Terminal, and X-Virtos-Subsystem and
 * X-Virtos-Id for launch. 0, or EXIT_FAIL with @e for a value that cannot
 * be carried over.
 */
int desktop_export_write(FILE *f, const struct desktop_entry *d, const char *subsys,
			 struct cli_err *e);

#endif /* VOSCTL_DESKTOP_H */
