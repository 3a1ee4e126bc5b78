// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-wlproxy - the Wayland socket of a subsystem started with --gui
 * (Documentation/vos-wlproxy.1). It listens on a socket that vosctl binds
 * into the subsystem and connects each client to the host's compositor
 * through itself: it reads every message both ways by the interface
 * tables (wlmsg.c), offers only the globals of the allow-list
 * (globals.c), prefixes every toplevel's title with "[NAME] " and its
 * app_id with "vos.NAME.", and forwards the fds (SCM_RIGHTS) it finds.
 *
 * The clipboard: the subsystem's own (clipstore.h, the one vos-clip
 * uses) is the selection of its windows, and the compositor's is not: see
 * "the selection" below.
 *
 * One thread, one epoll. A client is two sockets (its own, "c", and the
 * one to the compositor, "s") with a bounded buffer each way and a bounded
 * object map; a side is read only while the other has room to take what
 * it produces, so a slow reader holds its writer back instead of growing
 * a buffer. A client that breaks a rule is cut off (both sockets closed)
 * and the others carry on; the proxy ends when its subsystem does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "clipstore.h"
#include "wlmsg.h"
#include "wlproxy.h"

#define IN_SIZE (2 * WLM_MAX_SIZE)
/* a side stops reading while the other side's output holds this much */
#define OUT_HIGH (32 * 1024)
/* room past OUT_HIGH: one message read, rewritten, plus what we inject */
#define OUT_SIZE (OUT_HIGH + 4 * WLM_MAX_SIZE)
#define MAX_FDS	 64
/* libwayland reads at most 28 fds with one recvmsg (MAX_FDS_OUT) */
#define FDS_PER_SEND 28
#define MAX_OBJECTS  32768
#define MAX_HIDDEN   128
#define MAX_CLIENTS  64
#define NAME_MAX_LEN 63
/* the longest title or app_id a client gives that is kept, in bytes */
#define TEXT_MAX 1024

/* the selection: what one client may hold, what the proxy serves at once */
#define SEL_DEVICES 4
#define SEL_SOURCES 16
#define SEL_OFFERS  16
#define SEL_WRITERS 8
/* vos.ko's default and ceiling of clip_max_bytes (VOS_CLIP_HARD_MAX) */
#define CLIP_MAX_DEFAULT (4u << 20)
#define CLIP_MAX_HARD	 (64u << 20)

/* wayland.xml opcodes of the data device protocol and wl_keyboard */
#define DDM_CREATE_DATA_SOURCE 0
#define DDM_GET_DATA_DEVICE    1
#define SRC_OFFER	       0
#define SRC_DESTROY	       1
#define SRC_EV_SEND	       1
#define SRC_EV_CANCELLED       2
#define DEV_START_DRAG	       0
#define DEV_SET_SELECTION      1
#define DEV_RELEASE	       2
#define DEV_EV_DATA_OFFER      0
#define DEV_EV_SELECTION       5
#define OFFER_RECEIVE	       1
#define OFFER_DESTROY	       2
#define OFFER_EV_OFFER	       0
#define KBD_EV_ENTER	       1
#define KBD_EV_LEAVE	       2

/* xdg-shell opcodes (xdg-shell.xml) */
#define XDG_SURFACE_GET_TOPLEVEL 1
#define XDG_TOPLEVEL_SET_TITLE	 2
#define XDG_TOPLEVEL_SET_APP_ID	 3

struct client;

struct side {
	struct client *cl;
	int fd;
	bool up; /* the compositor's side */
	bool eof;
	uint8_t in[IN_SIZE];
	size_t inlen;
	int infds[MAX_FDS];
	unsigned int ninfds;
	uint8_t out[OUT_SIZE];
	size_t outlen;
	int outfds[MAX_FDS];
	unsigned int noutfds;
	uint32_t events; /* what epoll watches now */
};

struct client {
	struct proxy *px;
	unsigned int n;
	struct side c, s;
	struct wlm_map map;
	uint32_t hidden[MAX_HIDDEN];
	unsigned int nhidden;
	/* the selection: its wl_data_device and wl_data_source ids (0: a
	 * free slot), the text types each source offered (bit i:
	 * text_types[i]), and the proxy's offers it holds (index i: id
	 * WLM_SERVER_ID + i) */
	uint32_t dev[SEL_DEVICES];
	uint32_t src[SEL_SOURCES];
	uint8_t src_types[SEL_SOURCES];
	bool offer[SEL_OFFERS];
	/* one of its surfaces has the keyboard focus (enter, no leave since):
	 * only then is it sent the selection, as a compositor does */
	bool focus;
	struct client *next;
};

/* a client's selection being read (the one set last) */
struct sel_reader {
	int fd;
	struct client *cl; /* NULL once it is gone */
	uint32_t src;	   /* its wl_data_source, 0 once destroyed */
	const char *mime;  /* the type it is stored as */
	char *buf;
	size_t len, cap, max;
};

/* the store's content on its way to a client (wl_data_offer.receive) */
struct sel_writer {
	int fd;
	char *buf;
	size_t len, off;
};

struct proxy {
	const char *name;
	const char *listen_path;
	const char *upstream;
	int ep;
	int lfd;
	int ctl; /* vosctl's end: EOF ends us, unless it gave a pidfd */
	int pidfd;
	/* who may connect (SO_PEERCRED): the subsystem's host uids, told by
	 * vosctl once the subsystem exists; nobody before */
	uint32_t uid_lo, uid_n;
	/* handed over: vosctl is gone, so is its stderr: say it to syslog */
	bool detached;
	unsigned int nclients, seq;
	struct client *clients;
	/* the subsystem's root (O_PATH), where its clipboard is: that of the
	 * first client let in; -1 until then, or if it could not be opened */
	int rootfd;
	bool store_said;
	struct sel_reader rd;
	struct sel_writer wr[SEL_WRITERS];
	char title_prefix[NAME_MAX_LEN + 4];
	char appid_prefix[NAME_MAX_LEN + 6];
};

static void say(const struct proxy *px, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct proxy *px, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (px->detached)
		syslog(LOG_NOTICE, "%s: %s", px->name, msg);
	else
		fprintf(stderr, "vos-wlproxy %s: %s\n", px->name, msg);
}

/* ---- one message ----------------------------------------------------------- */

static int put(struct side *to, const void *p, size_t len)
{
	if (len > OUT_SIZE - to->outlen)
		return -ENOBUFS;
	memcpy(to->out + to->outlen, p, len);
	to->outlen += len;
	return 0;
}

/* a request or event of one string argument, @prefix then @s (truncated to
 * TEXT_MAX bytes, at a character boundary) */
static int put_string_msg(struct side *to, uint32_t id, uint16_t opcode, const char *prefix,
			  const char *s)
{
	uint32_t hdr[3], len;
	size_t pl = strlen(prefix), sl = s ? strlen(s) : 0;
	uint8_t buf[WLM_MAX_SIZE];

	if (sl > TEXT_MAX) {
		sl = TEXT_MAX;
		while (sl && ((unsigned char)s[sl] & 0xc0) == 0x80)
			sl--;
	}
	len = pl + sl + 1;
	hdr[0] = id;
	hdr[1] = (uint32_t)(12 + ((len + 3) & ~3u)) << 16 | opcode;
	hdr[2] = len;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + 12, prefix, pl);
	if (sl)
		memcpy(buf + 12 + pl, s, sl);
	return put(to, buf, hdr[1] >> 16);
}

static bool is_hidden(const struct client *cl, uint32_t name)
{
	unsigned int i;

	for (i = 0; i < cl->nhidden; i++)
		if (cl->hidden[i] == name)
			return true;
	return false;
}

/* ---- the selection ------------------------------------------------------------ */

/*
 * The proxy plays the compositor's part for wl_data_device selections. A
 * client's set_selection never reaches the compositor: the proxy asks the
 * source for its text (wl_data_source.send with a pipe of its own), reads
 * at most clip_max_bytes into the subsystem's store (clipstore.h, the one
 * vos-clip uses) and cancels the source. A client's data devices get the
 * store as an offer of the proxy's own (data_offer, offer, selection) when
 * keyboard focus enters one of its surfaces, and, while it has the focus,
 * when they are made and when a client of the subsystem sets a new
 * selection: when a compositor would send it (wl_data_device.selection);
 * clients such as wl-paste act on the first selection event and are not
 * ready for one before their surface has the focus. receive(fd) is served
 * from the store. The compositor's offers (the host's selection, drag and drop)
 * are destroyed unseen, its events on data devices and sources dropped, and
 * start_drag is dropped: nothing crosses by drag and drop either.
 *
 * Ids: the compositor's data offers are the only objects it makes for a
 * client (no other allowed global makes any), and the client never sees
 * them; so the ids at and above WLM_SERVER_ID that a client knows are all
 * the proxy's, handed out densely from there as libwayland-client wants.
 */

/* the text types taken and offered, the preferred first */
static const char *const text_types[] = {
	"text/plain;charset=utf-8", "UTF8_STRING", "text/plain", "TEXT", "STRING",
};

#define NTEXT (sizeof(text_types) / sizeof(text_types[0]))

static int text_type(const char *mime)
{
	unsigned int i;

	for (i = 0; mime && i < NTEXT; i++)
		if (!strcmp(mime, text_types[i]))
			return (int)i;
	return -1;
}

static bool store_is_text(const char *mime)
{
	return !strncmp(mime, "text/plain", 10);
}

/* a message of @n word arguments */
static int put_words(struct side *to, uint32_t id, uint16_t opcode, const uint32_t *w,
		     unsigned int n)
{
	uint32_t buf[2 + 2];

	buf[0] = id;
	buf[1] = (uint32_t)(8 + 4 * n) << 16 | opcode;
	if (n)
		memcpy(buf + 2, w, 4 * n);
	return put(to, buf, 8 + 4 * n);
}

/* @fd goes with the next message put on @to (closed on failure) */
static int put_fd(struct side *to, int fd)
{
	if (to->noutfds >= MAX_FDS) {
		close(fd);
		return -ENOBUFS;
	}
	to->outfds[to->noutfds++] = fd;
	return 0;
}

/* vos.ko's size limit of the clipboard, the bound of what is read */
static size_t clip_max(void)
{
	unsigned long v = 0;
	char b[32];
	ssize_t n;
	int fd;

	fd = open("/sys/module/vos/parameters/clip_max_bytes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CLIP_MAX_DEFAULT;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n > 0) {
		b[n] = '\0';
		v = strtoul(b, NULL, 10);
	}
	return v && v <= CLIP_MAX_HARD ? v : CLIP_MAX_DEFAULT;
}

/*
 * The root of the peer @pid, the subsystem's, if its uid is still one of
 * the subsystem's once the root is open (a pid reused meanwhile fails: the
 * /proc directory held is the first process's).
 */
static int peer_root(const struct proxy *px, pid_t pid)
{
	char path[32], b[2048], *u;
	unsigned int uid;
	int dfd, fd, sfd;
	ssize_t n = -1;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = openat(dfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	sfd = fd < 0 ? -1 : openat(dfd, "status", O_RDONLY | O_CLOEXEC);
	if (sfd >= 0) {
		n = read(sfd, b, sizeof(b) - 1);
		close(sfd);
	}
	close(dfd);
	if (fd < 0)
		return -EACCES;
	if (n > 0) {
		b[n] = '\0';
		u = strstr(b, "\nUid:");
		if (u && sscanf(u + 5, "%u", &uid) == 1 && uid - px->uid_lo < px->uid_n)
			return fd;
	}
	close(fd);
	return -ESRCH;
}

/* The store's content (free() *data), -ENOENT if it is empty */
static int store_get(struct proxy *px, char *mime, void **data, size_t *len)
{
	int r;

	*data = NULL;
	if (px->rootfd < 0) {
		if (!px->store_said)
			say(px,
			    "the subsystem's clipboard cannot be reached (its root could not be opened): its windows get no selection");
		px->store_said = true;
		return -ENXIO;
	}
	r = vos_clipstore_read(px->rootfd, true, mime, VOS_CLIPSTORE_MIME_MAX, data, len,
			       clip_max());
	if (r < 0 && r != -ENOENT)
		say(px, "read the subsystem's clipboard: %s", strerror(-r));
	return r;
}

/*
 * The store's content as the selection of @cl's data device @dev: an offer
 * of the proxy's with its types, or none (@mime NULL). All or nothing on
 * the client's output.
 */
static int offer_to(struct client *cl, uint32_t dev, const char *mime)
{
	uint32_t id = 0;
	unsigned int i;
	int r = 0;

	if (OUT_SIZE - cl->c.outlen < 2048)
		return -ENOBUFS;
	if (mime) {
		for (i = 0; i < SEL_OFFERS && cl->offer[i]; i++)
			;
		if (i == SEL_OFFERS)
			return -ENOSPC; /* it destroys none of them */
		id = WLM_SERVER_ID + i;
		r = put_words(&cl->c, dev, DEV_EV_DATA_OFFER, &id, 1);
		if (store_is_text(mime))
			for (i = 0; i < NTEXT && !r; i++)
				r = put_string_msg(&cl->c, id, OFFER_EV_OFFER, "", text_types[i]);
		else if (!r)
			r = put_string_msg(&cl->c, id, OFFER_EV_OFFER, "", mime);
		cl->offer[id - WLM_SERVER_ID] = true;
	}
	return r ? r : put_words(&cl->c, dev, DEV_EV_SELECTION, &id, 1);
}

/* The store as the selection of @cl's data devices (@only, or all if 0) */
static void offer_selection(struct client *cl, uint32_t only)
{
	char mime[VOS_CLIPSTORE_MIME_MAX];
	unsigned int i;
	size_t len;
	void *data;
	int r;

	for (i = 0; i < SEL_DEVICES && !(cl->dev[i] && (!only || cl->dev[i] == only)); i++)
		;
	if (i == SEL_DEVICES)
		return;
	r = store_get(cl->px, mime, &data, &len);
	free(data);
	for (i = 0; i < SEL_DEVICES; i++) {
		if (!cl->dev[i] || (only && cl->dev[i] != only))
			continue;
		if (offer_to(cl, cl->dev[i], r ? NULL : mime) < 0)
			say(cl->px,
			    "client %u: not offered the selection (its output is full, or it keeps %d offers)",
			    cl->n, SEL_OFFERS);
	}
}

/* a slot of @ids holding @id (0: a free one), or -1 */
static int slot_of(const uint32_t *ids, unsigned int n, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return (int)i;
	return -1;
}

static void reader_stop(struct proxy *px)
{
	if (px->rd.fd < 0)
		return;
	epoll_ctl(px->ep, EPOLL_CTL_DEL, px->rd.fd, NULL);
	close(px->rd.fd);
	px->rd.fd = -1;
	if (px->rd.buf)
		explicit_bzero(px->rd.buf, px->rd.cap);
	free(px->rd.buf);
	px->rd.buf = NULL;
	px->rd.len = px->rd.cap = 0;
}

/*
 * @cl set source @src as the selection: read its text into the store.
 * 0 when handled (whatever became of it), or a negative errno to cut the
 * client off.
 */
static int selection_set(struct client *cl, uint32_t src)
{
	struct proxy *px = cl->px;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &px->rd };
	int i, t, p[2];
	uint8_t types;

	i = src ? slot_of(cl->src, SEL_SOURCES, src) : -1;
	if (src && i < 0)
		return -EBADMSG;
	if (!src) { /* the selection unset: the store emptied */
		if (px->rootfd >= 0)
			vos_clipstore_clear(px->rootfd, true);
		return 0;
	}
	types = cl->src_types[i];
	for (t = 0; t < (int)NTEXT && !(types & (1u << t)); t++)
		;
	if (t == (int)NTEXT || px->rootfd < 0) {
		say(px, "client %u: a selection without text, or no clipboard to keep it: not kept",
		    cl->n);
		return put_words(&cl->c, src, SRC_EV_CANCELLED, NULL, 0);
	}
	reader_stop(px); /* the selection set before is forgotten */
	/* the client's end blocks, as a compositor's would */
	if (pipe2(p, O_CLOEXEC) < 0)
		return 0;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) < 0) {
		close(p[0]);
		close(p[1]);
		return 0;
	}
	if (put_string_msg(&cl->c, src, SRC_EV_SEND, "", text_types[t]) < 0 ||
	    put_fd(&cl->c, p[1]) < 0) {
		close(p[0]);
		return -ENOBUFS;
	}
	px->rd = (struct sel_reader){ .fd = p[0], .cl = cl, .src = src, .max = clip_max() };
	px->rd.mime = t < 2 ? "text/plain;charset=utf-8" : "text/plain";
	if (epoll_ctl(px->ep, EPOLL_CTL_ADD, p[0], &ev) < 0)
		reader_stop(px);
	return 0;
}

/* Serve the store to @fd (the client's pipe) as @mime, if it has that */
static void serve(struct proxy *px, const char *mime, int fd)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	char smime[VOS_CLIPSTORE_MIME_MAX];
	struct sel_writer *w = NULL;
	unsigned int i;
	size_t len;
	void *data;

	for (i = 0; i < SEL_WRITERS && !w; i++)
		if (px->wr[i].fd < 0)
			w = &px->wr[i];
	if (!w) {
		say(px, "%d pastes at once: one more refused", SEL_WRITERS);
		return;
	}
	if (store_get(px, smime, &data, &len))
		return;
	if (store_is_text(smime) ? text_type(mime) < 0 : strcmp(mime, smime)) {
		free(data);
		return;
	}
	w->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (w->fd < 0 || fcntl(w->fd, F_SETFL, O_NONBLOCK) < 0) {
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		free(data);
		return;
	}
	w->buf = data;
	w->len = len;
	w->off = 0;
	ev.data.ptr = w;
	if (epoll_ctl(px->ep, EPOLL_CTL_ADD, w->fd, &ev) < 0) {
		close(w->fd);
		w->fd = -1;
		free(data);
	}
}

static void writer_end(struct proxy *px, struct sel_writer *w)
{
	epoll_ctl(px->ep, EPOLL_CTL_DEL, w->fd, NULL);
	close(w->fd);
	w->fd = -1;
	explicit_bzero(w->buf, w->len);
	free(w->buf);
	w->buf = NULL;
}

static void writer_event(struct proxy *px, struct sel_writer *w)
{
	ssize_t n;

	while (w->off < w->len) {
		n = write(w->fd, w->buf + w->off, w->len - w->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;
		w->off += (size_t)n;
	}
	writer_end(px, w);
}

/*
 * A request of @cl about the selection (@iface one of the data device
 * protocol's), parsed; @fds its fds. 1 to pass it on, 0 to drop it, or a
 * negative errno with *why to cut the client off.
 */
static int sel_request(struct client *cl, const struct wl_interface *iface, struct wlm_msg *m,
		       const int *fds, const char **why)
{
	int i;

	if (m->id >= WLM_SERVER_ID) { /* one of the proxy's offers */
		if (m->opcode == OFFER_RECEIVE)
			serve(cl->px, m->a[0].str, fds[0]);
		else if (m->opcode == OFFER_DESTROY)
			cl->offer[m->id - WLM_SERVER_ID] = false;
		return 0; /* accept, finish, set_actions: drag and drop only */
	}
	if (iface == &wl_data_device_manager_interface) {
		/* the new id: one of the sources or devices kept */
		uint32_t *ids = m->opcode == DDM_CREATE_DATA_SOURCE ? cl->src : cl->dev;
		unsigned int n = m->opcode == DDM_CREATE_DATA_SOURCE ? SEL_SOURCES : SEL_DEVICES;

		i = slot_of(ids, n, 0);
		if (i < 0) {
			*why = "too many data sources or devices";
			return -ENOSPC;
		}
		ids[i] = m->a[0].u;
		if (m->opcode == DDM_CREATE_DATA_SOURCE)
			cl->src_types[i] = 0;
		else if (cl->focus)
			offer_selection(cl, ids[i]);
		return 1;
	}
	if (iface == &wl_data_source_interface) {
		i = slot_of(cl->src, SEL_SOURCES, m->id);
		if (i >= 0 && m->opcode == SRC_OFFER && text_type(m->a[0].str) >= 0)
			cl->src_types[i] |= 1u << text_type(m->a[0].str);
		if (i >= 0 && m->opcode == SRC_DESTROY) {
			cl->src[i] = 0;
			if (cl->px->rd.cl == cl && cl->px->rd.src == m->id)
				cl->px->rd.src = 0;
		}
		return 1;
	}
	if (iface == &wl_data_device_interface) {
		if (m->opcode == DEV_SET_SELECTION) {
			i = selection_set(cl, m->a[0].u);
			if (i < 0)
				*why = i == -EBADMSG ? "set_selection of an unknown source"
						     : "output buffer full";
			return i;
		}
		if (m->opcode == DEV_RELEASE) {
			i = slot_of(cl->dev, SEL_DEVICES, m->id);
			if (i >= 0)
				cl->dev[i] = 0;
		}
		return m->opcode != DEV_START_DRAG;
	}
	return 1;
}

/*
 * A request of the client, parsed (@m, @body). Returns 1 when it was put
 * (as it is or rewritten), 0 when it was dropped, or a negative errno
 * with *why to cut the client off.
 */
static int request(struct client *cl, const struct wl_interface *iface, struct wlm_msg *m,
		   const uint8_t *raw, const int *fds, const char **why)
{
	struct proxy *px = cl->px;
	const struct wl_interface *t;
	unsigned int i;
	struct wlm_arg *a;
	int r;

	for (i = 0; i < m->nargs; i++) {
		a = &m->a[i];
		if (a->type == 'o' && a->u) {
			/* no request takes an offer, the only objects there */
			t = a->u < WLM_SERVER_ID ? wlm_map_get(&cl->map, a->u) : NULL;
			if (!t || (a->iface && t != a->iface)) {
				*why = "an argument names an object that is not there or of another interface";
				return -EBADMSG;
			}
		}
		if (a->type != 'n')
			continue;
		if (a->u >= WLM_SERVER_ID || wlm_map_get(&cl->map, a->u)) {
			*why = "a new object id in use or not the client's";
			return -EBADMSG;
		}
		t = a->iface;
		if (!t) { /* wl_registry.bind */
			if (is_hidden(cl, m->a[0].u) || !(t = wlp_global_allowed(a->str))) {
				*why = "bind of a global that is not offered";
				return -EPERM;
			}
			if (a->version < 1 || a->version > (uint32_t)t->version) {
				*why = "bind of a version that is not offered";
				return -EPERM;
			}
		}
		r = wlm_map_set(&cl->map, a->u, t);
		if (r < 0) {
			*why = r == -ENOSPC ? "too many objects" : "out of memory";
			return r;
		}
	}
	if (m->id >= WLM_SERVER_ID || iface == &wl_data_device_manager_interface ||
	    iface == &wl_data_source_interface || iface == &wl_data_device_interface) {
		r = sel_request(cl, iface, m, fds, why);
		if (r <= 0)
			return r;
	}
	if (iface == &xdg_toplevel_interface &&
	    (m->opcode == XDG_TOPLEVEL_SET_TITLE || m->opcode == XDG_TOPLEVEL_SET_APP_ID)) {
		r = put_string_msg(&cl->s, m->id, m->opcode,
				   m->opcode == XDG_TOPLEVEL_SET_TITLE ? px->title_prefix
								       : px->appid_prefix,
				   m->a[0].str);
		return r < 0 ? r : 1;
	}
	r = put(&cl->s, raw, m->size);
	if (r < 0)
		return r;
	/* a new toplevel carries the prefixes from its first commit on,
	 * whether or not the client ever names it */
	if (iface == &xdg_surface_interface && m->opcode == XDG_SURFACE_GET_TOPLEVEL) {
		r = put_string_msg(&cl->s, m->a[0].u, XDG_TOPLEVEL_SET_TITLE, px->title_prefix, "");
		if (!r)
			r = put_string_msg(&cl->s, m->a[0].u, XDG_TOPLEVEL_SET_APP_ID,
					   px->appid_prefix, "");
		if (r < 0)
			return r;
	}
	return 1;
}

/* An event of the compositor, parsed: as request(). */
static int event(struct client *cl, const struct wl_interface *iface, struct wlm_msg *m,
		 uint8_t *raw, const char **why)
{
	const struct wl_interface *t;
	unsigned int i;
	uint32_t v;
	int r;

	/* the compositor's selection and drag and drop stay with it */
	if (iface == &wl_data_offer_interface || iface == &wl_data_source_interface)
		return 0;
	if (iface == &wl_data_device_interface) {
		if (m->opcode != DEV_EV_DATA_OFFER)
			return 0;
		if (m->a[0].u < WLM_SERVER_ID) {
			*why = "the compositor made an object the proxy cannot follow";
			return -EBADMSG;
		}
		/* followed until destroyed, so its late events are known */
		r = wlm_map_set(&cl->map, m->a[0].u, &wl_data_offer_interface);
		if (!r)
			r = put_words(&cl->s, m->a[0].u, OFFER_DESTROY, NULL, 0);
		if (r < 0)
			*why = r == -ENOSPC ? "too many objects" : "output buffer full";
		return r < 0 ? r : 0;
	}
	if (iface == &wl_keyboard_interface && m->opcode == KBD_EV_ENTER) {
		/* before the focus, as a compositor does; once for a client
		 * with more than one wl_keyboard */
		if (!cl->focus)
			offer_selection(cl, 0);
		cl->focus = true;
	} else if (iface == &wl_keyboard_interface && m->opcode == KBD_EV_LEAVE) {
		cl->focus = false;
	}
	if (iface == &wl_display_interface && m->opcode == 1) { /* delete_id */
		if (m->a[0].u < WLM_SERVER_ID)
			wlm_map_del(&cl->map, m->a[0].u);
	} else if (iface == &wl_registry_interface && m->opcode == 0) { /* global */
		t = wlp_global_allowed(m->a[1].str);
		if (!t) {
			if (is_hidden(cl, m->a[0].u))
				return 0;
			if (cl->nhidden >= MAX_HIDDEN) {
				*why = "the compositor hides more globals than the proxy tracks";
				return -ENOSPC;
			}
			cl->hidden[cl->nhidden++] = m->a[0].u;
			return 0;
		}
		/* offer no more than the version the proxy can read */
		if (m->a[2].u > (uint32_t)t->version) {
			v = t->version;
			memcpy(raw + WLM_HEADER + m->a[2].off, &v, sizeof(v));
		}
	} else if (iface == &wl_registry_interface && m->opcode == 1) { /* global_remove */
		for (i = 0; i < cl->nhidden; i++)
			if (cl->hidden[i] == m->a[0].u) {
				cl->hidden[i] = cl->hidden[--cl->nhidden];
				return 0;
			}
	}
	/* the ids at WLM_SERVER_ID and above are the proxy's on the client's
	 * side: the compositor's data offers (above) are the only objects it
	 * may make */
	for (i = 0; i < m->nargs; i++) {
		if (m->a[i].type == 'n') {
			*why = "the compositor made an object the proxy cannot follow";
			return -EBADMSG;
		}
	}
	return put(&cl->c, raw, m->size) < 0 ? -ENOBUFS : 1;
}

/*
 * Handle the whole messages in @from's input while the other side has
 * room. Returns 0, or a negative errno with *why to cut the client off.
 */
static int pump(struct side *from, const char **why)
{
	struct client *cl = from->cl;
	struct side *to = from->up ? &cl->c : &cl->s;
	const struct wl_interface *iface;
	struct wlm_msg m;
	unsigned int i;
	size_t off = 0;
	int r = 0;

	while (to->outlen < OUT_HIGH) {
		r = wlm_header(from->in + off, from->inlen - off, &m);
		if (r == -EAGAIN) {
			r = 0;
			break;
		}
		if (r < 0) {
			*why = m.why;
			break;
		}
		if (!from->up && m.id >= WLM_SERVER_ID) /* one of the proxy's offers? */
			iface = m.id - WLM_SERVER_ID < SEL_OFFERS && cl->offer[m.id - WLM_SERVER_ID]
					? &wl_data_offer_interface
					: NULL;
		else
			iface = wlm_map_get(&cl->map, m.id);
		if (!iface) {
			*why = "message to an object that is not there";
			r = -EBADMSG;
			break;
		}
		if (m.opcode >= (from->up ? iface->event_count : iface->method_count)) {
			*why = "unknown opcode";
			r = -EBADMSG;
			break;
		}
		r = wlm_parse(&m, from->up ? &iface->events[m.opcode] : &iface->methods[m.opcode],
			      from->in + off + WLM_HEADER);
		if (r < 0) {
			*why = m.why;
			break;
		}
		if (m.nfds > from->ninfds) {
			if (from->inlen == IN_SIZE || from->eof) {
				*why = "a message without the fds it carries";
				r = -EBADMSG;
			} else {
				r = 0;
			}
			break;
		}
		if (m.nfds > MAX_FDS - to->noutfds)
			break; /* after the next flush */
		r = from->up ? event(cl, iface, &m, from->in + off, why)
			     : request(cl, iface, &m, from->in + off, from->infds, why);
		if (r == -ENOBUFS)
			*why = "output buffer full";
		if (r < 0)
			break;
		/* a message passed on takes its fds along, one dropped closes them */
		if (r) {
			memcpy(to->outfds + to->noutfds, from->infds, m.nfds * sizeof(int));
			to->noutfds += m.nfds;
		} else {
			for (i = 0; i < m.nfds; i++)
				close(from->infds[i]);
		}
		from->ninfds -= m.nfds;
		memmove(from->infds, from->infds + m.nfds, from->ninfds * sizeof(int));
		off += m.size;
	}
	memmove(from->in, from->in + off, from->inlen - off);
	from->inlen -= off;
	return r < 0 ? r : 0;
}

/* ---- sockets ---------------------------------------------------------------- */

/* Read what @sd has (bytes and fds). 0, 1 at EOF, or a negative errno. */
static int side_read(struct side *sd, const char **why)
{
	union {
		char buf[CMSG_SPACE(FDS_PER_SEND * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { sd->in + sd->inlen, IN_SIZE - sd->inlen };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	unsigned int n, i;
	ssize_t r;
	int *fds;

	r = recvmsg(sd->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (r < 0 && errno == ECONNRESET)
		r = 0; /* gone in a hurry: gone all the same */
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(c);
		for (i = 0; i < n; i++) {
			if (sd->ninfds < MAX_FDS)
				sd->infds[sd->ninfds++] = fds[i];
			else
				close(fds[i]);
		}
		if (sd->ninfds == MAX_FDS && i < n) {
			*why = "too many fds";
			return -EMFILE;
		}
	}
	if (mh.msg_flags & MSG_CTRUNC) {
		*why = "too many fds in one message";
		return -EMFILE;
	}
	if (r == 0) {
		sd->eof = true;
		return 1;
	}
	sd->inlen += r;
	return 0;
}

/* Write what @sd holds, fds with the first bytes. 0 or a negative errno. */
static int side_flush(struct side *sd)
{
	union {
		char buf[CMSG_SPACE(FDS_PER_SEND * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	unsigned int n, i;
	ssize_t r;

	while (sd->outlen) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = sd->out;
		iov.iov_len = sd->outlen;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = sd->noutfds < FDS_PER_SEND ? sd->noutfds : FDS_PER_SEND;
		if (n) {
			/* the rest of the fds go with the next bytes */
			if (sd->noutfds > n && iov.iov_len > 4)
				iov.iov_len = 4;
			memset(&u, 0, sizeof(u)); /* the padding goes out too */
			mh.msg_control = u.buf;
			mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
			c = CMSG_FIRSTHDR(&mh);
			c->cmsg_level = SOL_SOCKET;
			c->cmsg_type = SCM_RIGHTS;
			c->cmsg_len = CMSG_LEN(n * sizeof(int));
			memcpy(CMSG_DATA(c), sd->outfds, n * sizeof(int));
		}
		r = sendmsg(sd->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		for (i = 0; i < n; i++)
			close(sd->outfds[i]);
		sd->noutfds -= n;
		memmove(sd->outfds, sd->outfds + n, sd->noutfds * sizeof(int));
		memmove(sd->out, sd->out + r, sd->outlen - r);
		sd->outlen -= r;
	}
	return 0;
}

static void side_close(struct proxy *px, struct side *sd)
{
	unsigned int i;

	if (sd->fd >= 0) {
		epoll_ctl(px->ep, EPOLL_CTL_DEL, sd->fd, NULL);
		close(sd->fd);
		sd->fd = -1;
	}
	for (i = 0; i < sd->ninfds; i++)
		close(sd->infds[i]);
	for (i = 0; i < sd->noutfds; i++)
		close(sd->outfds[i]);
	sd->ninfds = sd->noutfds = 0;
}

static void client_free(struct client *cl)
{
	struct proxy *px = cl->px;
	struct client **pp;

	for (pp = &px->clients; *pp; pp = &(*pp)->next)
		if (*pp == cl) {
			*pp = cl->next;
			break;
		}
	if (px->rd.cl == cl)
		px->rd.cl = NULL; /* what it wrote is still kept */
	side_close(px, &cl->c);
	side_close(px, &cl->s);
	wlm_map_free(&cl->map);
	px->nclients--;
	free(cl);
}

static void cut_off(struct client *cl, const char *why)
{
	say(cl->px, "client %u cut off: %s", cl->n, why);
	client_free(cl);
}

/* what epoll should watch on @sd now */
static int side_watch(struct side *sd)
{
	struct side *other = sd->up ? &sd->cl->c : &sd->cl->s;
	struct epoll_event ev = { 0 };

	if (!sd->eof && sd->inlen < IN_SIZE && other->outlen < OUT_HIGH)
		ev.events |= EPOLLIN;
	if (sd->outlen)
		ev.events |= EPOLLOUT;
	if (ev.events == sd->events)
		return 0;
	ev.data.ptr = sd;
	sd->events = ev.events;
	return epoll_ctl(sd->cl->px->ep, EPOLL_CTL_MOD, sd->fd, &ev) < 0 ? -errno : 0;
}

/* Something happened on @sd: read, handle, write. */
static void side_event(struct side *sd, uint32_t events)
{
	struct client *cl = sd->cl;
	const char *why = NULL;
	int r = 0, round;

	/* a hang-up with nothing left to read: that peer is gone */
	if ((events & (EPOLLHUP | EPOLLERR)) && !(events & EPOLLIN)) {
		client_free(cl);
		return;
	}
	if (events & EPOLLIN)
		r = side_read(sd, &why);
	/* both directions, twice: a flush makes room for the input a full
	 * buffer held back */
	for (round = 0; round < 2 && r >= 0 && !why; round++) {
		r = pump(&cl->c, &why);
		if (r >= 0 && !why)
			r = pump(&cl->s, &why);
		if (r >= 0 && !why)
			r = side_flush(&cl->s);
		if (r >= 0 && !why)
			r = side_flush(&cl->c);
	}
	/* a peer that closed while we wrote to it left: not cut off */
	if (!why && (r == -EPIPE || r == -ECONNRESET)) {
		client_free(cl);
		return;
	}
	if (r < 0 || why) {
		cut_off(cl, why ? why : strerror(-r));
		return;
	}
	/* the client left; or the compositor did (after a protocol error,
	 * say) and its last words reached the client */
	if (cl->c.eof || (cl->s.eof && !cl->c.outlen)) {
		client_free(cl);
		return;
	}
	if (side_watch(&cl->c) < 0 || side_watch(&cl->s) < 0)
		cut_off(cl, "epoll");
}

/* Flush what the selection put on every client's output; cut off those that fail */
static void flush_all(struct proxy *px)
{
	struct client *cl, *next;
	int r;

	for (cl = px->clients; cl; cl = next) {
		next = cl->next;
		r = side_flush(&cl->c);
		if (r == -EPIPE || r == -ECONNRESET)
			client_free(cl); /* it left */
		else if (r < 0 || side_watch(&cl->c) < 0 || side_watch(&cl->s) < 0)
			cut_off(cl, "write");
	}
}

/*
 * The selection's pipe: read until EOF, at most rd.max bytes, then keep
 * it in the store, cancel the source (it is kept: the client need not
 * serve it any more) and offer it to every client of the subsystem.
 */
static void reader_event(struct proxy *px)
{
	struct sel_reader *rd = &px->rd;
	size_t cap;
	char *n;
	ssize_t r;
	int ret;

	for (;;) {
		if (rd->len == rd->cap) {
			if (rd->cap > rd->max) {
				say(px, "a selection over clip_max_bytes (%zu): not kept", rd->max);
				break;
			}
			cap = rd->cap ? rd->cap * 2 : 65536;
			if (cap > rd->max + 1)
				cap = rd->max + 1;
			n = malloc(cap);
			if (!n)
				break;
			if (rd->buf) {
				memcpy(n, rd->buf, rd->len);
				explicit_bzero(rd->buf, rd->cap);
				free(rd->buf);
			}
			rd->buf = n;
			rd->cap = cap;
		}
		r = read(rd->fd, rd->buf + rd->len, rd->cap - rd->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		if (r < 0)
			break;
		if (r == 0) {
			ret = rd->len ? vos_clipstore_write_owner(px->rootfd, true, rd->mime,
								  rd->buf, rd->len)
				      : vos_clipstore_clear(px->rootfd, true);
			if (ret < 0)
				say(px, "keep the selection in the subsystem's clipboard: %s",
				    strerror(-ret));
			break;
		}
		rd->len += (size_t)r;
	}
	if (rd->cl && rd->src)
		put_words(&rd->cl->c, rd->src, SRC_EV_CANCELLED, NULL, 0);
	reader_stop(px);
	for (struct client *cl = px->clients; cl; cl = cl->next)
		if (cl->focus)
			offer_selection(cl, 0);
	flush_all(px);
}

static int connect_upstream(const struct proxy *px)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(px->upstream) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, px->upstream);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int watch(struct proxy *px, struct side *sd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = sd };

	if (fcntl(sd->fd, F_SETFL, O_NONBLOCK) < 0)
		return -errno;
	sd->events = EPOLLIN;
	return epoll_ctl(px->ep, EPOLL_CTL_ADD, sd->fd, &ev) < 0 ? -errno : 0;
}

static void accept_client(struct proxy *px)
{
	struct ucred cred = { .uid = (uid_t)-1 };
	socklen_t len = sizeof(cred);
	struct client *cl;
	int fd, up;

	fd = accept4(px->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* The socket's directory is reachable by other host users (the
	 * subsystem's ids must reach it): only the subsystem's own ids get
	 * a connection to the user's compositor. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.uid - px->uid_lo >= px->uid_n) {
		say(px, "refused a client of uid %u: not one of the subsystem's", cred.uid);
		close(fd);
		return;
	}
	/* the subsystem's clipboard is in its root: that of the first peer */
	if (px->rootfd < 0)
		px->rootfd = peer_root(px, cred.pid);
	if (px->nclients >= MAX_CLIENTS) {
		say(px, "refused a client: %d are connected", MAX_CLIENTS);
		close(fd);
		return;
	}
	up = connect_upstream(px);
	if (up < 0) {
		say(px, "cannot reach the compositor at %s: %s", px->upstream, strerror(-up));
		close(fd);
		return;
	}
	cl = calloc(1, sizeof(*cl));
	if (!cl) {
		close(fd);
		close(up);
		return;
	}
	cl->px = px;
	cl->n = ++px->seq;
	cl->c.cl = cl->s.cl = cl;
	cl->c.fd = fd;
	cl->s.fd = up;
	cl->s.up = true;
	wlm_map_init(&cl->map, MAX_OBJECTS);
	cl->next = px->clients;
	px->clients = cl;
	px->nclients++;
	if (wlm_map_set(&cl->map, 1, &wl_display_interface) < 0 || watch(px, &cl->c) < 0 ||
	    watch(px, &cl->s) < 0)
		cut_off(cl, "setup");
}

/* ---- the proxy ----------------------------------------------------------------- */

/*
 * The control socket, from vosctl: "U<first uid> <count>\n", the
 * subsystem's host uids, who may connect; "P" with a pidfd (SCM_RIGHTS),
 * the subsystem's first process, whose end is ours; EOF ends us unless a
 * pidfd came. 1 to stop, 0 to go on.
 */
static int control(struct proxy *px)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char b[64];
	struct iovec iov = { b, sizeof(b) - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int lo, n;
	ssize_t r;
	int fd;

	r = recvmsg(px->ctl, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : 1;
	if (r == 0) {
		epoll_ctl(px->ep, EPOLL_CTL_DEL, px->ctl, NULL);
		close(px->ctl);
		px->ctl = -1;
		return px->pidfd < 0;
	}
	b[r] = '\0';
	if (b[0] == 'U' && sscanf(b + 1, "%u %u", &lo, &n) == 2) {
		px->uid_lo = lo;
		px->uid_n = n;
	}
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int))) {
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		if (px->pidfd >= 0) {
			close(fd);
			return 0;
		}
		px->pidfd = fd;
		px->detached = true;
		openlog("vos-wlproxy", LOG_PID, LOG_USER);
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		ev.data.ptr = &px->pidfd;
		if (epoll_ctl(px->ep, EPOLL_CTL_ADD, px->pidfd, &ev) < 0)
			return 1;
	}
	return 0;
}

static int listen_on(struct proxy *px)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = px };

	if (strlen(px->listen_path) >= sizeof(sa.sun_path)) {
		say(px, "%s: path too long for a socket: use a shorter one", px->listen_path);
		return -1;
	}
	strcpy(sa.sun_path, px->listen_path);
	px->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (px->lfd < 0 || bind(px->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(px->lfd, 16) < 0) {
		say(px, "listen on %s: %s", px->listen_path, strerror(errno));
		return -1;
	}
	/* The subsystem's users are not ours (a private id range): the
	 * directory vosctl made, inside the user's own runtime directory,
	 * is what keeps other host users out. */
	if (chmod(px->listen_path, 0666) < 0) {
		say(px, "chmod %s: %s", px->listen_path, strerror(errno));
		return -1;
	}
	return epoll_ctl(px->ep, EPOLL_CTL_ADD, px->lfd, &ev);
}

static int name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* vosctl's directory of the socket (vos-gui-NAME.XXXXXX) goes with it */
static void remove_dir(const char *sock)
{
	char dir[PATH_MAX];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", sock);
	slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	slash = strrchr(dir, '/');
	if (slash && !strncmp(slash + 1, "vos-gui-", 8))
		rmdir(dir);
}

static const char usage[] =
	"usage: vos-wlproxy --name NAME --listen PATH [--upstream PATH] [--control-fd FD]\n";

static char upstream_buf[PATH_MAX];

static const char *default_upstream(void)
{
	const char *d = getenv("WAYLAND_DISPLAY"), *rt = getenv("XDG_RUNTIME_DIR");

	if (!d)
		d = "wayland-0";
	if (d[0] == '/')
		return d;
	if (!rt)
		return NULL;
	if ((size_t)snprintf(upstream_buf, sizeof(upstream_buf), "%s/%s", rt, d) >=
	    sizeof(upstream_buf))
		return NULL;
	return upstream_buf;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "upstream", required_argument, NULL, 'u' },
		{ "control-fd", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct proxy px = { .ctl = -1, .pidfd = -1, .lfd = -1, .rootfd = -1, .rd.fd = -1 };
	struct epoll_event evs[32];
	int c, n, i, stop = 0;
	char *end;
	long v;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			px.name = optarg;
			break;
		case 'l':
			px.listen_path = optarg;
			break;
		case 'u':
			px.upstream = optarg;
			break;
		case 'c':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > INT_MAX) {
				fprintf(stderr, "vos-wlproxy: --control-fd: '%s' is not an fd\n%s",
					optarg, usage);
				return 2;
			}
			px.ctl = (int)v;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!px.name || !px.listen_path || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (!name_ok(px.name)) {
		fprintf(stderr,
			"vos-wlproxy: --name: '%s' is not a subsystem name: use up to 63 letters, digits, '-', '_' or '.'\n",
			px.name);
		return 2;
	}
	if (!px.upstream)
		px.upstream = default_upstream();
	if (!px.upstream) {
		fprintf(stderr,
			"vos-wlproxy: no compositor: set WAYLAND_DISPLAY (and XDG_RUNTIME_DIR) or give --upstream PATH\n");
		return 2;
	}
	for (i = 0; i < SEL_WRITERS; i++)
		px.wr[i].fd = -1;
	snprintf(px.title_prefix, sizeof(px.title_prefix), "[%s] ", px.name);
	snprintf(px.appid_prefix, sizeof(px.appid_prefix), "vos.%s.", px.name);
	signal(SIGPIPE, SIG_IGN);

	px.ep = epoll_create1(EPOLL_CLOEXEC);
	if (px.ep < 0 || listen_on(&px) < 0)
		return 1;
	if (px.ctl >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &px.ctl };

		if (epoll_ctl(px.ep, EPOLL_CTL_ADD, px.ctl, &ev) < 0 ||
		    write(px.ctl, "R", 1) != 1) {
			say(&px, "control fd %d: %s", px.ctl, strerror(errno));
			unlink(px.listen_path);
			return 1;
		}
	}
	while (!stop) {
		n = epoll_wait(px.ep, evs, 32, -1);
		if (n < 0 && errno != EINTR)
			break;
		for (i = 0; i < n && !stop; i++) {
			void *p = evs[i].data.ptr;

			if (p == &px)
				accept_client(&px);
			else if (p == &px.ctl)
				stop = control(&px);
			else if (p == &px.pidfd)
				stop = 1; /* the subsystem's init ended */
			else if (p == &px.rd)
				reader_event(&px);
			else if (p >= (void *)px.wr && p < (void *)(px.wr + SEL_WRITERS))
				writer_event(&px, p);
			else
				side_event(p, evs[i].events);
			/* a client freed above may have later events in evs:
			 * restart the batch after any free (cheap: few events) */
			if (!stop && p != &px && p != &px.ctl && p != &px.pidfd)
				break;
		}
	}
	while (px.clients)
		client_free(px.clients);
	reader_stop(&px);
	for (i = 0; i < SEL_WRITERS; i++)
		if (px.wr[i].fd >= 0)
			writer_end(&px, &px.wr[i]);
	unlink(px.listen_path);
	remove_dir(px.listen_path);
	return 0;
}
