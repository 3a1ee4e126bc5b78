// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of vos-wlproxy's reader of the Wayland wire format
 * (tools/vos-wlproxy/wlmsg.c) and of its allow-list (globals.c): every
 * rule a message can break (sizes, lengths, terminators, nulls, leftover
 * bytes), the untyped new_id of wl_registry.bind, the fds counted, the
 * object map's bounds, and a loop of random bytes read as messages of
 * every interface the proxy carries, which must never read past a message
 * (each in an exact-size heap block; valgrind-clean: CK_FORK=no valgrind
 * --error-exitcode=9 build/tests/unit/test-wlmsg). About a second, a
 * minute under valgrind.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wlmsg.h"
#include "wlproxy.h"

extern const struct wl_interface wl_shm_interface, wl_compositor_interface;

/* a message buffer built word by word */
struct mb {
	uint32_t w[WLM_MAX_SIZE / 4];
	size_t n;
};

static void mb_start(struct mb *b, uint32_t id, uint16_t op)
{
	b->n = 2;
	b->w[0] = id;
	b->w[1] = op;
}

static void mb_u(struct mb *b, uint32_t v)
{
	b->w[b->n++] = v;
}

/* a string of @len bytes counted on the wire (NUL included), padded */
static void mb_s(struct mb *b, const char *s, uint32_t len)
{
	mb_u(b, len);
	memset(&b->w[b->n], 0, (len + 3) & ~3u);
	if (s)
		memcpy(&b->w[b->n], s, strlen(s) < len ? strlen(s) : len);
	b->n += (len + 3) / 4;
}

static void mb_end(struct mb *b)
{
	b->w[1] = (uint32_t)(b->n * 4) << 16 | (b->w[1] & 0xffff);
}

/* parse @b as message @op of @iface's requests */
static int parse_req(struct mb *b, const struct wl_interface *iface, struct wlm_msg *m)
{
	int r = wlm_header(b->w, b->n * 4, m);

	if (r)
		return r;
	return wlm_parse(m, &iface->methods[m->opcode], &b->w[2]);
}

START_TEST(header_bounds)
{
	struct wlm_msg m;
	uint32_t w[4] = { 1, 0 };

	ck_assert_int_eq(wlm_header(w, 7, &m), -EAGAIN);
	w[1] = 4 << 16;
	ck_assert_int_eq(wlm_header(w, 16, &m), -EBADMSG);
	w[1] = 10 << 16;
	ck_assert_int_eq(wlm_header(w, 16, &m), -EBADMSG);
	w[1] = 4100u << 16;
	ck_assert_int_eq(wlm_header(w, 16, &m), -EBADMSG);
	w[1] = 16 << 16 | 3;
	ck_assert_int_eq(wlm_header(w, 12, &m), -EAGAIN);
	ck_assert_int_eq(wlm_header(w, 16, &m), 0);
	ck_assert_int_eq(m.opcode, 3);
	ck_assert_int_eq(m.size, 16);
	w[0] = 0;
	ck_assert_int_eq(wlm_header(w, 16, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "message to object id 0");
}
END_TEST

START_TEST(registry_bind)
{
	struct wlm_msg m;
	struct mb b;

	mb_start(&b, 2, 0);
	mb_u(&b, 7);
	mb_s(&b, "wl_compositor", 14);
	mb_u(&b, 4);
	mb_u(&b, 5);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &wl_registry_interface, &m), 0);
	ck_assert_int_eq(m.nargs, 4);
	ck_assert_int_eq(m.a[0].u, 7);
	ck_assert_int_eq(m.a[3].type, 'n');
	ck_assert_ptr_null(m.a[3].iface);
	ck_assert_str_eq(m.a[3].str, "wl_compositor");
	ck_assert_int_eq(m.a[3].version, 4);
	ck_assert_int_eq(m.a[3].u, 5);
	/* new id 0 */
	b.w[b.n - 1] = 0;
	ck_assert_int_eq(parse_req(&b, &wl_registry_interface, &m), -EBADMSG);
}
END_TEST

START_TEST(strings)
{
	struct wlm_msg m;
	struct mb b;

	/* xdg_toplevel.set_title (opcode 2): "s" */
	mb_start(&b, 9, 2);
	mb_s(&b, "bank", 5);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), 0);
	ck_assert_str_eq(m.a[0].str, "bank");
	/* unterminated: the length leaves out the NUL */
	mb_start(&b, 9, 2);
	mb_s(&b, "bank", 4);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "string not terminated where its length says");
	/* a NUL inside */
	mb_start(&b, 9, 2);
	mb_s(&b, "ba", 5);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "string with a NUL inside");
	/* null where the signature wants a string */
	mb_start(&b, 9, 2);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	/* a length past the message */
	mb_start(&b, 9, 2);
	mb_u(&b, 1000);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "string or array longer than the message");
	/* a length so large that adding the padding would wrap */
	mb_start(&b, 9, 2);
	mb_u(&b, 0xffffffffu);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	/* bytes after the last argument */
	mb_start(&b, 9, 2);
	mb_s(&b, "bank", 5);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "bytes after the last argument");
	/* too short for its signature */
	mb_start(&b, 9, 2);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_toplevel_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "message shorter than its signature");
}
END_TEST

START_TEST(fds_and_objects)
{
	struct wlm_msg m;
	struct mb b;

	/* wl_shm.create_pool (0): "nhi", the fd out of band */
	mb_start(&b, 4, 0);
	mb_u(&b, 8);
	mb_u(&b, 4096);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &wl_shm_interface, &m), 0);
	ck_assert_int_eq(m.nfds, 1);
	ck_assert_int_eq(m.nargs, 3);
	ck_assert_ptr_nonnull(m.a[0].iface);
	/* wl_surface.attach (1): "?oii", a null buffer is allowed */
	mb_start(&b, 5, 1);
	mb_u(&b, 0);
	mb_u(&b, 0);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, wl_compositor_interface.methods[0].types[0], &m), 0);
	ck_assert(m.a[0].nullable);
	/* xdg_surface.get_popup (2): "n?oo", a null positioner is not */
	mb_start(&b, 6, 2);
	mb_u(&b, 10);
	mb_u(&b, 0);
	mb_u(&b, 0);
	mb_end(&b);
	ck_assert_int_eq(parse_req(&b, &xdg_surface_interface, &m), -EBADMSG);
	ck_assert_str_eq(m.why, "null object where the signature wants one");
}
END_TEST

START_TEST(map_bounds)
{
	struct wlm_map map;

	wlm_map_init(&map, 100);
	ck_assert_int_eq(wlm_map_set(&map, 0, &wl_display_interface), -EINVAL);
	ck_assert_int_eq(wlm_map_set(&map, 1, &wl_display_interface), 0);
	ck_assert_int_eq(wlm_map_set(&map, 99, &wl_registry_interface), 0);
	ck_assert_int_eq(wlm_map_set(&map, 100, &wl_registry_interface), -ENOSPC);
	ck_assert_int_eq(wlm_map_set(&map, 0xffffffffu, &wl_registry_interface), -ENOSPC);
	ck_assert_int_eq(wlm_map_set(&map, WLM_SERVER_ID + 5, &wl_shm_interface), 0);
	ck_assert_ptr_eq(wlm_map_get(&map, 1), &wl_display_interface);
	ck_assert_ptr_eq(wlm_map_get(&map, 99), &wl_registry_interface);
	ck_assert_ptr_eq(wlm_map_get(&map, WLM_SERVER_ID + 5), &wl_shm_interface);
	ck_assert_ptr_null(wlm_map_get(&map, 5));
	ck_assert_ptr_null(wlm_map_get(&map, 12345678));
	wlm_map_del(&map, 99);
	wlm_map_del(&map, 12345678);
	ck_assert_ptr_null(wlm_map_get(&map, 99));
	wlm_map_free(&map);
	ck_assert_ptr_null(wlm_map_get(&map, 1));
}
END_TEST

START_TEST(allow_list)
{
	static const char *const never[] = {
		"zwlr_data_control_manager_v1",
		"ext_data_control_manager_v1",
		"zwlr_screencopy_manager_v1",
		"ext_image_copy_capture_manager_v1",
		"zwlr_export_dmabuf_manager_v1",
		"zwp_virtual_keyboard_manager_v1",
		"zwlr_virtual_pointer_manager_v1",
		"zwlr_layer_shell_v1",
		"zwp_input_method_manager_v2",
		"zwp_input_method_v1",
		"zwlr_foreign_toplevel_manager_v1",
		"zwlr_output_manager_v1",
		"zwlr_gamma_control_manager_v1",
		"zwp_keyboard_shortcuts_inhibit_manager_v1",
		"zwlr_input_inhibit_manager_v1",
		"org_kde_kwin_idle",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_msg(!wlp_global_allowed(never[i]), "%s is offered", never[i]);
	ck_assert(wlp_global_denied("zwlr_layer_shell_v1"));
	ck_assert(wlp_global_denied("ext_image_copy_capture_manager_v1"));
	ck_assert(!wlp_global_denied("wl_compositor"));
	ck_assert_ptr_eq(wlp_global_allowed("wl_compositor"), &wl_compositor_interface);
	ck_assert_ptr_nonnull(wlp_global_allowed("xdg_wm_base"));
	ck_assert_ptr_null(wlp_global_allowed("wl_compositor2"));
}
END_TEST

/* every interface the proxy can meet, reached from the allow-list */
static const struct wl_interface *ifaces[256];
static size_t nifaces;

static void add_iface(const struct wl_interface *i)
{
	size_t k;
	int j;
	unsigned int a;

	if (!i || nifaces == sizeof(ifaces) / sizeof(ifaces[0]))
		return;
	for (k = 0; k < nifaces; k++)
		if (ifaces[k] == i)
			return;
	ifaces[nifaces++] = i;
	for (j = 0; j < i->method_count; j++)
		for (a = 0; i->methods[j].types && a < strlen(i->methods[j].signature); a++)
			add_iface(i->methods[j].types[a]);
	for (j = 0; j < i->event_count; j++)
		for (a = 0; i->events[j].types && a < strlen(i->events[j].signature); a++)
			add_iface(i->events[j].types[a]);
}

/* the number of arguments of @sig (its types[] has one entry per argument) */
static unsigned int nargs(const char *sig)
{
	unsigned int n = 0;

	for (; *sig; sig++)
		if (strchr("iufsonah", *sig))
			n++;
	return n;
}

START_TEST(random_bytes)
{
	static const char *const globals[] = {
		"wl_compositor",   "wl_subcompositor",	     "wl_shm",		 "wl_seat",
		"wl_output",	   "wl_data_device_manager", "xdg_wm_base",	 "wp_viewporter",
		"wp_presentation", "zxdg_output_manager_v1", "xdg_activation_v1"
	};
	const struct wl_interface *iface;
	const struct wl_message *msg;
	unsigned int seed = 1234, i, k, ok = 0;
	struct wlm_msg m;
	uint8_t *buf;
	size_t size, words, j;
	int r;

	add_iface(&wl_display_interface);
	add_iface(&wl_registry_interface);
	for (i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
		add_iface(wlp_global_allowed(globals[i]));
	ck_assert_uint_gt(nifaces, 30);
	for (i = 0; i < 200000; i++) {
		iface = ifaces[rand_r(&seed) % nifaces];
		if (!iface->method_count && !iface->event_count)
			continue;
		if (iface->method_count && (!iface->event_count || rand_r(&seed) & 1))
			msg = &iface->methods[rand_r(&seed) % iface->method_count];
		else
			msg = &iface->events[rand_r(&seed) % iface->event_count];
		/* mostly small messages, where the lengths can fit */
		size = 8 + 4 * (rand_r(&seed) % ((rand_r(&seed) & 7) ? 8 : 1022));
		/* an exact-size heap block: valgrind sees any read past it */
		buf = malloc(size);
		ck_assert_ptr_nonnull(buf);
		for (j = 0; j < size; j++)
			buf[j] = (rand_r(&seed) & 3) ? (uint8_t)(rand_r(&seed) % 8)
						     : (uint8_t)rand_r(&seed);
		memcpy(buf, &(uint32_t){ 1 }, 4);
		memcpy(buf + 4, &(uint32_t){ (uint32_t)size << 16 }, 4);
		ck_assert_int_eq(wlm_header(buf, size, &m), 0);
		r = wlm_parse(&m, msg, buf + 8);
		if (r == 0) {
			ok++;
			words = 0;
			ck_assert_uint_eq(m.nargs, nargs(msg->signature));
			for (k = 0; k < m.nargs; k++) {
				words += m.a[k].words;
				if (m.a[k].type == 's' && m.a[k].str)
					ck_assert_uint_eq(strlen(m.a[k].str) + 1, m.a[k].u);
			}
			ck_assert_uint_eq(words * 4, size - 8);
		} else {
			ck_assert_int_eq(r, -EBADMSG);
			ck_assert_ptr_nonnull(m.why);
		}
		free(buf);
	}
	/* the loop reached both outcomes, not only the rejections */
	ck_assert_uint_gt(ok, 1000);
}
END_TEST

static Suite *wlmsg_suite(void)
{
	Suite *s = suite_create("wlmsg");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, header_bounds);
	tcase_add_test(tc, registry_bind);
	tcase_add_test(tc, strings);
	tcase_add_test(tc, fds_and_objects);
	tcase_add_test(tc, map_bounds);
	tcase_add_test(tc, allow_list);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wlmsg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
