/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gui.h - --gui (gui.c): vosctl starts the subsystem's Wayland proxy,
 * vos-wlproxy, before the subsystem exists, and binds the directory of
 * its socket at VOS_GUI_DIR inside; once it exists, the proxy learns its
 * ids (gui_allow()) and, for one that outlives vosctl, its first process.
 */
#ifndef VOSCTL_GUI_H
#define VOSCTL_GUI_H

#include "vosctl.h"

/*
 * If @cfg asks for --gui: start vos-wlproxy for subsystem @name, wait
 * until it listens, and add the read-only bind of its socket's directory
 * to @cfg. *ctl: our end of its control socket (-1 without --gui); closing
 * it ends the proxy unless gui_hand_over() gave it the subsystem's init.
 * 0, or an exit code with @e filled.
 */
int gui_start(struct cli_err *e, struct vos_config *cfg, const char *name, int *ctl);

/* Tell the proxy the host uids of subsystem @s, the only peers it lets in. */
void gui_allow(int ctl, struct vos_subsys *s);

/* The proxy now lives as long as the process of @pidfd (the subsystem's
 * init), not as long as us; closes @ctl. */
void gui_hand_over(int ctl, int pidfd);

/* Closes @ctl (if >= 0): the proxy ends. */
void gui_stop(int ctl);

/* vos-wlproxy beside our own binary (build/ in the tree, BINDIR
 * installed), the one gui_start() runs: 0, or a negative errno */
int gui_proxy_path(char *buf, size_t len);

#endif
