/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * appentry.h - a subsystem's desktop entries read from inside its own root
 * (issue 15): one copy for `vosctl apps`/`vosctl launch` and for vosd's
 * vos.Launch (a user of the vos group launching an app through vosd), so
 * both read, parse and check an entry the same way. desktop.c parses;
 * this file finds and reads the files.
 */
#ifndef VOSCTL_APPENTRY_H
#define VOSCTL_APPENTRY_H

#include <stddef.h>

#include <virtos.h>

#include "desktop.h"

/* Where the entries are inside, the first one of an ID winning (XDG_DATA_DIRS' default order) */
extern const char *const app_dirs[];
#define APP_DIRS 2

/* openat2(@rootfd, @path, RESOLVE_IN_ROOT): a file of that root only; fd or -errno */
int app_open_in_root(int rootfd, const char *path, int flags);

/*
 * The root of running subsystem @s (named @name), as an O_PATH fd in
 * *rootfdp. 0 or an exit code with @e.
 */
int app_subsys_root(struct vos_ctx *vctx, struct vos_subsys *s, const char *name, int *rootfdp,
		    struct cli_err *e);

/*
 * Read entry @id from @dir inside @rootfd into @d: 0, -ENOENT if there is
 * none, or EXIT_FAIL with @e for one that cannot be read or parsed.
 */
int app_read_entry(int rootfd, const char *dir, const char *id, struct desktop_entry *d,
		   struct cli_err *e);

/* Entry @id of subsystem @name as launch and export see it: the first of app_dirs */
int app_find_entry(int rootfd, const char *name, const char *id, struct desktop_entry *d,
		   struct cli_err *e);

/*
 * The command line that launching @id of running subsystem @s (named
 * @name) with @args runs: the entry read again from inside (the subsystem
 * may have changed it since the export), an application entry with an
 * Exec that desktop_exec_check() accepts, expanded with @args. *runp as
 * desktop_exec_split(). 0, or an exit code with @e: EXIT_NAME (no such
 * entry, or not an app any more), EXIT_FAIL (refused: "ID of NAME
 * refused: why"), EXIT_USAGE (@args do not fit the Exec).
 */
int app_command(struct vos_ctx *vctx, struct vos_subsys *s, const char *name, const char *id,
		char *const *args, size_t nargs, char ***runp, struct cli_err *e);

#endif /* VOSCTL_APPENTRY_H */
