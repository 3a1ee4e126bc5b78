/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlmsg.h - the Wayland wire format as vos-wlproxy reads it: a message's
 * header, its arguments decoded from the signature of its struct
 * wl_message (libwayland's tables and those wayland-scanner generates from
 * the wayland-protocols XML), and the map of a connection's object ids to
 * their interfaces. Nothing here does I/O or allocates without a bound:
 * the unit tests (tests/unit/test-wlmsg.c) feed it random bytes.
 *
 * The wire format (wayland.freedesktop.org, "Wire Format"): a message is
 * the object id (u32), then size << 16 | opcode (u32), then the arguments,
 * each a multiple of 4 bytes: int/uint/fixed/object/new_id one word;
 * string and array a length word then the bytes padded to 4 (a string's
 * length counts its NUL, 0 is a null string); a new_id whose interface the
 * signature leaves open (wl_registry.bind) is spelled string interface,
 * uint version, uint id; fds ('h') travel out of band (SCM_RIGHTS).
 */
#ifndef VOS_WLMSG_H
#define VOS_WLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wayland-util.h>

/* libwayland 1.21's limit of one message, header included */
#define WLM_MAX_SIZE 4096
#define WLM_HEADER   8
/* the most arguments a message of any protocol we carry has, with room */
#define WLM_MAX_ARGS 24
/* ids the server allocates start here (wl_display's WL_SERVER_ID_START) */
#define WLM_SERVER_ID 0xff000000u

struct wlm_arg {
	char type; /* i u f s o n a h */
	bool nullable;
	uint32_t off;	  /* byte offset of the argument's first word in the body */
	uint32_t words;	  /* how many words it takes on the wire */
	uint32_t u;	  /* i u f o h(-) n: the value / the new id; s a: the length */
	const char *str;  /* s: the string (NUL-terminated, in the body), NULL if null;
			  * untyped n: the interface name */
	uint32_t version; /* untyped n: the version asked for */
	const struct wl_interface *iface; /* typed n and o: from the message's types */
};

struct wlm_msg {
	uint32_t id;
	uint16_t opcode;
	uint16_t size; /* header included */
	unsigned int nargs;
	unsigned int nfds;
	struct wlm_arg a[WLM_MAX_ARGS];
	const char *why; /* what was wrong, for a failed parse */
};

/*
 * The header at @buf, @avail bytes there: 0 and @m's id, opcode, size
 * filled if a whole message is there, -EAGAIN if more bytes are needed,
 * -EBADMSG (m->why says why) if the size cannot be a message's.
 */
int wlm_header(const void *buf, size_t avail, struct wlm_msg *m);

/*
 * Decode the body of @m (header already read; @body its m->size - 8 bytes,
 * 4-aligned) by @sig, the message's description: every argument in the
 * body, none past it, strings terminated where their length says, no null
 * where the signature does not allow one, and no bytes left over.
 * Returns 0 or -EBADMSG with m->why.
 */
int wlm_parse(struct wlm_msg *m, const struct wl_message *sig, const void *body);

/*
 * The objects of one connection: id -> interface, for ids the client
 * allocates (1 ...) and those the server allocates (WLM_SERVER_ID ...),
 * each side at most @cap ids (the bound of its memory). NULL: no object.
 */
struct wlm_map {
	const struct wl_interface **side[2];
	uint32_t len[2];
	uint32_t cap;
};

void wlm_map_init(struct wlm_map *map, uint32_t cap);
void wlm_map_free(struct wlm_map *map);
const struct wl_interface *wlm_map_get(const struct wlm_map *map, uint32_t id);
/* -ENOSPC past the cap, -ENOMEM, -EINVAL for id 0 */
int wlm_map_set(struct wlm_map *map, uint32_t id, const struct wl_interface *iface);
void wlm_map_del(struct wlm_map *map, uint32_t id);

#endif
