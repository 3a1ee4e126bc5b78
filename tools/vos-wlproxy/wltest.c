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
 *   vos-wltest copy TEXT             set the selection to TEXT (no window, serial
 *                                    0: vos-wlproxy asks for no focus), serve it
 *                                    until it is cancelled
 *   vos-wltest paste                 print the selection's text (as it is when
 *                                    the data device is made); exit 1 if there
 *                                    is none, 4 if it is not text
 *   vos-wltest vkbd                  give the seat a keyboard: a virtual one
 *                                    (zwp_virtual_keyboard_v1, which only a
 *                                    client of the compositor itself has: the
 *                                    proxy hides it), print "ready", then run
 *                                    stdin's lines: "key CODE" presses and
 *                                    releases evdev key CODE; each answers
 *                                    "ok" after a round trip; the keyboard
 *                                    goes at EOF
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
	struct wl_data_device_manager *ddm;
	struct wl_proxy *vkm;
	bool configured;
	bool list;
	/* copy: what is served, and whether the source was cancelled */
	const char *text;
	bool cancelled;
	/* paste: the selection event came, its offer, and if it has text */
	bool got_selection;
	struct wl_data_offer *offer;
	bool offer_text;
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
	else if (!strcmp(iface, "wl_data_device_manager"))
		st->ddm = wl_registry_bind(reg, name, &wl_data_device_manager_interface, 3);
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

/* ---- copy and paste ---- */

static void src_target(void *data, struct wl_data_source *src, const char *mime)
{
}

static void src_send(void *data, struct wl_data_source *src, const char *mime, int fd)
{
	struct st *st = data;
	size_t len = strlen(st->text), off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, st->text + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
}

static void src_cancelled(void *data, struct wl_data_source *src)
{
	((struct st *)data)->cancelled = true;
}

static const struct wl_data_source_listener src_l = { .target = src_target,
						      .send = src_send,
						      .cancelled = src_cancelled };

static void offer_offer(void *data, struct wl_data_offer *o, const char *mime)
{
	struct st *st = data;

	if (!strcmp(mime, "text/plain;charset=utf-8"))
		st->offer_text = true;
}

static const struct wl_data_offer_listener offer_l = { .offer = offer_offer };

static void dev_data_offer(void *data, struct wl_data_device *dev, struct wl_data_offer *o)
{
	struct st *st = data;

	st->offer_text = false;
	wl_data_offer_add_listener(o, &offer_l, st);
}

static void dev_enter(void *data, struct wl_data_device *dev, uint32_t serial, struct wl_surface *s,
		      wl_fixed_t x, wl_fixed_t y, struct wl_data_offer *o)
{
}

static void dev_leave(void *data, struct wl_data_device *dev)
{
}

static void dev_motion(void *data, struct wl_data_device *dev, uint32_t t, wl_fixed_t x,
		       wl_fixed_t y)
{
}

static void dev_drop(void *data, struct wl_data_device *dev)
{
}

static void dev_selection(void *data, struct wl_data_device *dev, struct wl_data_offer *o)
{
	struct st *st = data;

	st->got_selection = true;
	st->offer = o;
}

static const struct wl_data_device_listener dev_l = { dev_data_offer, dev_enter, dev_leave,
						      dev_motion,     dev_drop,	 dev_selection };

static int copy(struct wl_display *d, struct st *st, const char *text)
{
	struct wl_data_source *src;
	struct wl_data_device *dev;

	if (!st->seat || !st->ddm) {
		fprintf(stderr, "vos-wltest: no wl_seat or wl_data_device_manager\n");
		return 1;
	}
	st->text = text;
	src = wl_data_device_manager_create_data_source(st->ddm);
	wl_data_source_add_listener(src, &src_l, st);
	wl_data_source_offer(src, "text/plain;charset=utf-8");
	wl_data_source_offer(src, "UTF8_STRING");
	dev = wl_data_device_manager_get_data_device(st->ddm, st->seat);
	wl_data_device_add_listener(dev, &dev_l, st);
	wl_data_device_set_selection(dev, src, 0);
	while (!st->cancelled)
		if (wl_display_dispatch(d) < 0)
			return cut(d);
	wl_data_source_destroy(src);
	return wl_display_roundtrip(d) < 0 ? cut(d) : 0;
}

static int paste(struct wl_display *d, struct st *st)
{
	struct wl_data_device *dev;
	char buf[4096];
	int p[2];
	ssize_t n;

	if (!st->seat || !st->ddm) {
		fprintf(stderr, "vos-wltest: no wl_seat or wl_data_device_manager\n");
		return 1;
	}
	dev = wl_data_device_manager_get_data_device(st->ddm, st->seat);
	wl_data_device_add_listener(dev, &dev_l, st);
	if (wl_display_roundtrip(d) < 0 || wl_display_roundtrip(d) < 0)
		return cut(d);
	if (!st->got_selection || !st->offer) {
		fprintf(stderr, "vos-wltest: no selection\n");
		return 1;
	}
	if (!st->offer_text) {
		fprintf(stderr, "vos-wltest: the selection is not text\n");
		return 4;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return 1;
	wl_data_offer_receive(st->offer, "text/plain;charset=utf-8", p[1]);
	close(p[1]);
	if (wl_display_roundtrip(d) < 0)
		return cut(d);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(p[0]);
	wl_data_offer_destroy(st->offer);
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
			"usage: vos-wltest globals|bind NAME IFACE VER|window TITLE APPID|copy TEXT|paste|vkbd\n");
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
	} else if (!strcmp(argv[1], "copy") && argc == 3) {
		r = copy(d, &st, argv[2]);
	} else if (!strcmp(argv[1], "paste") && argc == 2) {
		r = paste(d, &st);
	} else if (!strcmp(argv[1], "vkbd") && argc == 2) {
		r = vkbd(d, &st);
	} else {
		fprintf(stderr, "vos-wltest: unknown command %s\n", argv[1]);
		r = 2;
	}
	wl_display_disconnect(d);
	return r;
}
