/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * focus.h - the subsystem of the focused window (vosctl clip --focused,
 * issue 15), asked of the compositor through its IPC: sway's (SWAYSOCK).
 */
#ifndef VOSCTL_FOCUS_H
#define VOSCTL_FOCUS_H

#include <stddef.h>

#include "vosctl.h"

/*
 * The name of the subsystem whose window has the focus into @name (@len
 * bytes). A window is a subsystem's only if the compositor's client for
 * it is that subsystem's vos-wlproxy (the one beside vosctl, by its pid)
 * and its app_id carries the proxy's prefix vos.NAME.; a host window,
 * no window, no sway: an error that says so. 0, or an exit code with @e
 * filled.
 */
int focused_subsystem(struct cli_err *e, char *name, size_t len);

/*
 * The focused node of sway's tree (the JSON of GET_TREE, NUL-terminated):
 * its app_id into @app_id (@len bytes; "" if it has none) and its pid
 * (-1 if none). 0, -ENOENT if no node has the focus, -EBADMSG if @json
 * is not JSON (or nests deeper than the parser goes). For the unit tests.
 */
int focus_parse_tree(const char *json, size_t jlen, char *app_id, size_t len, long *pid);

#endif
