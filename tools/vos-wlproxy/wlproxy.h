/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlproxy.h - what vos-wlproxy lets through (globals.c): the globals a
 * client in a subsystem may bind, each with the interface table its
 * messages are read by, and the names it must never have.
 */
#ifndef VOS_WLPROXY_H
#define VOS_WLPROXY_H

#include <stdbool.h>
#include <wayland-util.h>

/* The table of global @name if a client may bind it, else NULL. */
const struct wl_interface *wlp_global_allowed(const char *name);
/* Is @name one of the globals refused by name (the deny list)? */
bool wlp_global_denied(const char *name);

/* the interfaces the proxy rewrites or watches */
extern const struct wl_interface wl_display_interface;
extern const struct wl_interface wl_registry_interface;
extern const struct wl_interface xdg_surface_interface;
extern const struct wl_interface xdg_toplevel_interface;
extern const struct wl_interface wl_data_device_manager_interface;
extern const struct wl_interface wl_data_device_interface;
extern const struct wl_interface wl_data_source_interface;
extern const struct wl_interface wl_data_offer_interface;
extern const struct wl_interface wl_keyboard_interface;

#endif
