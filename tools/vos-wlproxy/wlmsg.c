// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wlmsg.c - the Wayland wire format, read defensively (see wlmsg.h). Every
 * length comes from the peer and is checked against what is there before
 * it is used; a failure says which rule the message broke.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wlmsg.h"

static uint32_t word(const void *p, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)p + off, sizeof(v));
	return v;
}

int wlm_header(const void *buf, size_t avail, struct wlm_msg *m)
{
	uint32_t w;

	if (avail < WLM_HEADER)
		return -EAGAIN;
	m->id = word(buf, 0);
	w = word(buf, 4);
	m->opcode = w & 0xffff;
	m->size = w >> 16;
	m->nargs = 0;
	m->nfds = 0;
	if (m->size < WLM_HEADER || m->size % 4 || m->size > WLM_MAX_SIZE) {
		m->why = "message size not a multiple of 4 in 8..4096";
		return -EBADMSG;
	}
	if (m->id == 0) {
		m->why = "message to object id 0";
		return -EBADMSG;
	}
	return avail < m->size ? -EAGAIN : 0;
}

static int bad(struct wlm_msg *m, const char *why)
{
	m->why = why;
	return -EBADMSG;
}

int wlm_parse(struct wlm_msg *m, const struct wl_message *sig, const void *body)
{
	size_t len = m->size - WLM_HEADER, off = 0, padded;
	const char *s = sig->signature;
	const char *last_str = NULL;
	uint32_t last_uint = 0;
	unsigned int ti = 0;
	bool nullable;
	struct wlm_arg *a;

	m->nargs = 0;
	m->nfds = 0;
	while (*s >= '0' && *s <= '9') /* the version that added the message */
		s++;
	for (; *s; s++) {
		nullable = false;
		if (*s == '?') {
			nullable = true;
			s++;
		}
		if (m->nargs >= WLM_MAX_ARGS)
			return bad(m, "more arguments than the proxy carries");
		a = &m->a[m->nargs];
		memset(a, 0, sizeof(*a));
		a->type = *s;
		a->nullable = nullable;
		a->off = off;
		a->iface = sig->types ? sig->types[ti] : NULL;
		ti++;
		if (a->type == 'h') {
			m->nfds++;
			m->nargs++;
			continue;
		}
		if (len - off < 4)
			return bad(m, "message shorter than its signature");
		a->u = word(body, off);
		a->words = 1;
		switch (a->type) {
		case 'i':
		case 'u':
		case 'f':
			last_uint = a->u;
			break;
		case 'o':
			if (!a->u && !nullable)
				return bad(m, "null object where the signature wants one");
			break;
		case 'n':
			if (!a->u)
				return bad(m, "new object id 0");
			if (!a->iface) { /* wl_registry.bind: "s u n" */
				if (m->nargs < 2 || m->a[m->nargs - 2].type != 's' ||
				    m->a[m->nargs - 1].type != 'u' || !last_str)
					return bad(m, "untyped new id without its interface");
				a->str = last_str;
				a->version = last_uint;
			}
			break;
		case 's':
		case 'a':
			/* length, then the bytes padded to a word */
			if (a->u > len - off - 4)
				return bad(m, "string or array longer than the message");
			padded = ((size_t)a->u + 3) & ~(size_t)3;
			if (padded > len - off - 4)
				return bad(m, "string or array padding past the message");
			a->words += padded / 4;
			if (a->type == 's') {
				if (a->u == 0) {
					if (!nullable)
						return bad(
							m,
							"null string where the signature wants one");
					last_str = NULL;
					break;
				}
				a->str = (const char *)body + off + 4;
				if (a->str[a->u - 1] != '\0')
					return bad(m,
						   "string not terminated where its length says");
				if (memchr(a->str, '\0', a->u - 1))
					return bad(m, "string with a NUL inside");
				last_str = a->str;
			}
			break;
		default:
			return bad(m, "unknown type in the protocol table");
		}
		off += (size_t)a->words * 4;
		m->nargs++;
	}
	if (off != len)
		return bad(m, "bytes after the last argument");
	return 0;
}

void wlm_map_init(struct wlm_map *map, uint32_t cap)
{
	memset(map, 0, sizeof(*map));
	map->cap = cap;
}

void wlm_map_free(struct wlm_map *map)
{
	free(map->side[0]);
	free(map->side[1]);
	memset(map->side, 0, sizeof(map->side));
	map->len[0] = map->len[1] = 0;
}

/* side 0: client ids 1.., side 1: server ids; *idx the slot */
static int slot(const struct wlm_map *map, uint32_t id, uint32_t *idx)
{
	if (id >= WLM_SERVER_ID) {
		*idx = id - WLM_SERVER_ID;
		return 1;
	}
	*idx = id;
	return 0;
}

const struct wl_interface *wlm_map_get(const struct wlm_map *map, uint32_t id)
{
	uint32_t i;
	int s = slot(map, id, &i);

	return i < map->len[s] ? map->side[s][i] : NULL;
}

int wlm_map_set(struct wlm_map *map, uint32_t id, const struct wl_interface *iface)
{
	const struct wl_interface **n;
	uint32_t i, len;
	int s;

	if (!id)
		return -EINVAL;
	s = slot(map, id, &i);
	if (i >= map->cap)
		return -ENOSPC;
	if (i >= map->len[s]) {
		len = map->len[s] ? map->len[s] : 64;
		while (len <= i)
			len *= 2;
		if (len > map->cap)
			len = map->cap;
		n = realloc(map->side[s], len * sizeof(*n));
		if (!n)
			return -ENOMEM;
		memset(n + map->len[s], 0, (len - map->len[s]) * sizeof(*n));
		map->side[s] = n;
		map->len[s] = len;
	}
	map->side[s][i] = iface;
	return 0;
}

void wlm_map_del(struct wlm_map *map, uint32_t id)
{
	uint32_t i;
	int s = slot(map, id, &i);

	if (i < map->len[s])
		map->side[s][i] = NULL;
}
