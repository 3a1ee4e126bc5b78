// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * globals.c - the allow-list of vos-wlproxy. A global reaches a client in
 * a subsystem only if it is listed here, with the table its messages are
 * read by (libwayland's core tables, and those wayland-scanner generates
 * from the wayland-protocols XML at build time): what the proxy cannot
 * read it cannot check, so an interface it has no table for is hidden
 * whatever it does. The deny list names the globals that give a client
 * power over other clients or the session; none of them is in the
 * allow-list, and the check by name stays so that adding a table later
 * cannot let one through by mistake. See Documentation/vos-wlproxy.1.
 */
#include <string.h>

#include "wlproxy.h"

extern const struct wl_interface wl_compositor_interface, wl_subcompositor_interface,
	wl_shm_interface, wl_seat_interface, wl_output_interface, wl_data_device_manager_interface,
	xdg_wm_base_interface, wp_viewporter_interface, wp_presentation_interface,
	zwp_linux_dmabuf_v1_interface, zxdg_decoration_manager_v1_interface,
	zxdg_output_manager_v1_interface, wp_fractional_scale_manager_v1_interface,
	xdg_activation_v1_interface, wp_single_pixel_buffer_manager_v1_interface;

static const struct wl_interface *const allowed[] = {
	&wl_compositor_interface,
	&wl_subcompositor_interface,
	&wl_shm_interface,
	&wl_seat_interface,
	&wl_output_interface,
	/* the host's selection reaches the focused window: see "What it does
	 * not do" in vos-wlproxy(1) */
	&wl_data_device_manager_interface,
	&xdg_wm_base_interface,
	&wp_viewporter_interface,
	&wp_presentation_interface,
	&zwp_linux_dmabuf_v1_interface,
	&zxdg_decoration_manager_v1_interface,
	&zxdg_output_manager_v1_interface,
	&wp_fractional_scale_manager_v1_interface,
	&xdg_activation_v1_interface,
	&wp_single_pixel_buffer_manager_v1_interface,
};

/* name, and whether it is a prefix (a family of versions) */
static const struct {
	const char *name;
	bool prefix;
} denied[] = {
	/* read or set the clipboard without focus */
	{ "zwlr_data_control_manager_v1", false },
	{ "ext_data_control", true },
	/* read the screen or other windows */
	{ "zwlr_screencopy_manager_v1", false },
	{ "ext_image_copy", true },
	{ "zwlr_export_dmabuf_manager_v1", false },
	/* type or click into other windows */
	{ "zwp_virtual_keyboard_manager_v1", false },
	{ "zwlr_virtual_pointer_manager_v1", false },
	/* draw over everything (a fake lock screen or prompt, no frame) */
	{ "zwlr_layer_shell_v1", false },
	/* read every key typed in other windows */
	{ "zwp_input_method", true },
	/* list and control other windows, titles included */
	{ "zwlr_foreign_toplevel_manager_v1", false },
	/* change the outputs, their colours; keep every shortcut */
	{ "zwlr_output_manager_v1", false },
	{ "zwlr_gamma_control_manager_v1", false },
	{ "zwp_keyboard_shortcuts_inhibit_manager_v1", false },
	/* lock the session (a fake lock screen) */
	{ "ext_session_lock_manager_v1", false },
	/* the primary selection: read without a paste gesture */
	{ "zwp_primary_selection_device_manager_v1", false },
	{ "gtk_primary_selection_device_manager", false },
};

bool wlp_global_denied(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (denied[i].prefix ? !strncmp(name, denied[i].name, strlen(denied[i].name))
				     : !strcmp(name, denied[i].name))
			return true;
	return false;
}

const struct wl_interface *wlp_global_allowed(const char *name)
{
	size_t i;

	if (wlp_global_denied(name))
		return NULL;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strcmp(name, allowed[i]->name))
			return allowed[i];
	return NULL;
}
