// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-wltest - a small Wayland client for the guest suite of vos-wlproxy
 * (tests/integration/cli/gui.bats); not installed.
 *
 *   vos-wltest globals               print "NAME INTERFACE VERSION" per global
 *   vos-wltest bind NAME IFACE VER   bind global NAME as IFACE; exit 0 if the
 *                                    connection lives on, 3 if it was cut
 *   vos-wltest window TITLE APPID    map a window (an shm buffer: its fd goes
 *                                    through the proxy), print "mapped", then
 *                                    run stdin's lines: "title T", "appid A",
 *                                    "ping"; each answers "ok" after a round
 *                                    trip; exit at EOF (3 if cut off)
 *   vos-wltest vkbd                  give the seat a keyboard: a virtual one
 *                                    (zwp_virtual_keyboard_v1, which only a
 *                                    client of the compositor itself has: the
 *                                    proxy hides it), print "ready", then run
 *                                    stdin's lines: "key CODE" presses and
 *                                    releases evdev key CODE; each answers
 *                                    "ok" after a round trip; the keyboard
 *                                    goes at EOF
 * The selection is tested with wl-copy and wl-paste, which the keyboard of
 * vkbd lets work through the proxy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#include "xdg-shell-client-protocol.h"

struct st {
	struct wl_compositor *comp;
	struct wl_shm *shm;
	struct xdg_wm_base *wm;
	struct wl_seat *seat;
	struct wl_proxy *vkm;
	bool configured;
	bool list;
};

/*
 * virtual-keyboard-unstable-v1 is wlroots' protocol, not in Debian's
 * wayland-protocols: its two interfaces, the requests used here, by hand
 */
static const struct wl_interface vk_interface;

static const struct wl_interface *vkm_create_types[] = { &wl_seat_interface, &vk_interface };

static const struct wl_message vkm_requests[] = {
	{ "create_virtual_keyboard", "on", vkm_create_types },
};

static const struct wl_interface vkm_interface = {
	"zwp_virtual_keyboard_manager_v1", 1, 1, vkm_requests, 0, NULL,
};

static const struct wl_interface *vk_no_types[] = { NULL, NULL, NULL, NULL };

#define VK_KEYMAP  0
#define VK_KEY	   1
#define VK_DESTROY 3

static const struct wl_message vk_requests[] = {
	{ "keymap", "uhu", vk_no_types },
	{ "key", "uuu", vk_no_types },
	{ "modifiers", "uuuu", vk_no_types },
	{ "destroy", "", vk_no_types },
};

static const struct wl_interface vk_interface = {
	"zwp_virtual_keyboard_v1", 1, 4, vk_requests, 0, NULL,
};

static void global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
		   uint32_t version)
{
	struct st *st = data;

	if (st->list)
		printf("%u %s %u\n", name, iface, version);
	else if (!strcmp(iface, "wl_compositor"))
		st->comp = wl_registry_bind(reg, name, &wl_compositor_interface, 4);
	else if (!strcmp(iface, "wl_shm"))
		st->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	else if (!strcmp(iface, "xdg_wm_base"))
		st->wm = wl_registry_bind(reg, name, &xdg_wm_base_interface, 1);
	else if (!strcmp(iface, "wl_seat") && !st->seat)
		st->seat = wl_registry_bind(reg, name, &wl_seat_interface, 1);
	else if (!strcmp(iface, "zwp_virtual_keyboard_manager_v1"))
		st->vkm = wl_registry_bind(reg, name, &vkm_interface, 1);
}

static void global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
}

static const struct wl_registry_listener reg_l = { global, global_remove };

static void wm_ping(void *data, struct xdg_wm_base *wm, uint32_t serial)
{
	xdg_wm_base_pong(wm, serial);
}

static const struct xdg_wm_base_listener wm_l = { wm_ping };

static void surf_configure(void *data, struct xdg_surface *xs, uint32_t serial)
{
	struct st *st = data;

	xdg_surface_ack_configure(xs, serial);
	st->configured = true;
}

static const struct xdg_surface_listener surf_l = { surf_configure };

static void top_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
			  struct wl_array *states)
{
}

static void top_close(void *data, struct xdg_toplevel *t)
{
}

static const struct xdg_toplevel_listener top_l = { .configure = top_configure,
						    .close = top_close };

static int cut(struct wl_display *d)
{
	printf("cut off (%s)\n", strerror(wl_display_get_error(d)));
	return 3;
}

static struct wl_buffer *buffer(struct st *st, int w, int h)
{
	struct wl_shm_pool *pool;
	struct wl_buffer *b;
	size_t size = (size_t)w * h * 4;
	void *p;
	int fd;

	fd = memfd_create("vos-wltest", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size) < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x80, size);
	munmap(p, size);
	pool = wl_shm_create_pool(st->shm, fd, size);
	b = wl_shm_pool_create_buffer(pool, 0, w, h, w * 4, WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return b;
}

static int window(struct wl_display *d, struct st *st, const char *title, const char *appid)
{
	struct wl_surface *s;
	struct xdg_surface *xs;
	struct xdg_toplevel *t;
	char line[4096];
	size_t n;

	if (!st->comp || !st->shm || !st->wm) {
		fprintf(stderr, "vos-wltest: no wl_compositor, wl_shm or xdg_wm_base\n");
		return 1;
	}
	xdg_wm_base_add_listener(st->wm, &wm_l, st);
	s = wl_compositor_create_surface(st->comp);
	xs = xdg_wm_base_get_xdg_surface(st->wm, s);
	xdg_surface_add_listener(xs, &surf_l, st);
	t = xdg_surface_get_toplevel(xs);
	xdg_toplevel_add_listener(t, &top_l, st);
	xdg_toplevel_set_title(t, title);
	xdg_toplevel_set_app_id(t, appid);
	wl_surface_commit(s);
	while (!st->configured)
		if (wl_display_dispatch(d) < 0)
			return cut(d);
	wl_surface_attach(s, buffer(st, 64, 64), 0, 0);
	wl_surface_commit(s);
	if (wl_display_roundtrip(d) < 0)
		return cut(d);
	printf("mapped\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		n = strlen(line);
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!strncmp(line, "title ", 6))
			xdg_toplevel_set_title(t, line + 6);
		else if (!strncmp(line, "appid ", 6))
			xdg_toplevel_set_app_id(t, line + 6);
		else if (strcmp(line, "ping"))
			continue;
		wl_surface_commit(s);
		if (wl_display_roundtrip(d) < 0)
			return cut(d);
		printf("ok\n");
		fflush(stdout);
	}
	return 0;
}

/* ---- a keyboard for the seat ---- */

/* compiled by the compositor from xkeyboard-config's files */
static const char keymap[] = "xkb_keymap {\n"
			     "  xkb_keycodes { include \"evdev\" };\n"
			     "  xkb_types { include \"complete\" };\n"
			     "  xkb_compat { include \"complete\" };\n"
			     "  xkb_symbols { include \"pc+us\" };\n"
			     "};\n";

static int vkbd(struct wl_display *d, struct st *st)
{
	struct wl_proxy *vk;
	char line[256];
	unsigned int key, t = 0;
	int fd;

	if (!st->seat || !st->vkm) {
		fprintf(stderr, "vos-wltest: no wl_seat or zwp_virtual_keyboard_manager_v1\n");
		return 1;
	}
	fd = memfd_create("vos-wltest-keymap", MFD_CLOEXEC);
	if (fd < 0 || write(fd, keymap, sizeof(keymap)) != (ssize_t)sizeof(keymap)) {
		fprintf(stderr, "vos-wltest: keymap: %s\n", strerror(errno));
		return 1;
	}
	vk = wl_proxy_marshal_constructor(st->vkm, 0, &vk_interface, st->seat, NULL);
	wl_proxy_marshal(vk, VK_KEYMAP, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd,
			 (uint32_t)sizeof(keymap));
	close(fd);
	if (wl_display_roundtrip(d) < 0)
		return cut(d);
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "key %u", &key) != 1)
			continue;
		wl_proxy_marshal(vk, VK_KEY, ++t, key, WL_KEYBOARD_KEY_STATE_PRESSED);
		wl_proxy_marshal(vk, VK_KEY, ++t, key, WL_KEYBOARD_KEY_STATE_RELEASED);
		if (wl_display_roundtrip(d) < 0)
			return cut(d);
		printf("ok\n");
		fflush(stdout);
	}
	wl_proxy_marshal(vk, VK_DESTROY);
	wl_proxy_destroy(vk);
	return wl_display_roundtrip(d) < 0 ? cut(d) : 0;
}

int main(int argc, char **argv)
{
	struct st st = { 0 };
	struct wl_display *d;
	struct wl_registry *reg;
	struct wl_interface fake = { 0 };
	int r = 0;

	if (argc < 2) {
		fprintf(stderr,
			"usage: vos-wltest globals|bind NAME IFACE VER|window TITLE APPID|vkbd\n");
		return 2;
	}
	d = wl_display_connect(NULL);
	if (!d) {
		fprintf(stderr, "vos-wltest: cannot connect: %s\n", strerror(errno));
		return 1;
	}
	st.list = !strcmp(argv[1], "globals");
	reg = wl_display_get_registry(d);
	wl_registry_add_listener(reg, &reg_l, &st);
	if (wl_display_roundtrip(d) < 0)
		return cut(d);
	if (st.list) {
		r = 0;
	} else if (!strcmp(argv[1], "bind") && argc == 5) {
		fake.name = argv[3];
		fake.version = atoi(argv[4]);
		wl_registry_bind(reg, strtoul(argv[2], NULL, 10), &fake, fake.version);
		r = wl_display_roundtrip(d) < 0 ? cut(d) : 0;
	} else if (!strcmp(argv[1], "window") && argc == 4) {
		r = window(d, &st, argv[2], argv[3]);
	} else if (!strcmp(argv[1], "vkbd") && argc == 2) {
		r = vkbd(d, &st);
	} else {
		fprintf(stderr, "vos-wltest: unknown command %s\n", argv[1]);
		r = 2;
	}
	wl_display_disconnect(d);
	return r;
}
