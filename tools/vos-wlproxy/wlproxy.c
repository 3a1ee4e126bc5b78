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
	struct client *next;
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

/*
 * A request of the client, parsed (@m, @body). Returns 1 when it was put
 * (as it is or rewritten), 0 when it was dropped, or a negative errno
 * with *why to cut the client off.
 */
static int request(struct client *cl, const struct wl_interface *iface, struct wlm_msg *m,
		   const uint8_t *raw, const char **why)
{
	struct proxy *px = cl->px;
	const struct wl_interface *t;
	unsigned int i;
	struct wlm_arg *a;
	int r;

	for (i = 0; i < m->nargs; i++) {
		a = &m->a[i];
		if (a->type == 'o' && a->u) {
			t = wlm_map_get(&cl->map, a->u);
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
	for (i = 0; i < m->nargs; i++) {
		if (m->a[i].type != 'n')
			continue;
		if (m->a[i].u < WLM_SERVER_ID || !m->a[i].iface) {
			*why = "the compositor made an object the proxy cannot follow";
			return -EBADMSG;
		}
		r = wlm_map_set(&cl->map, m->a[i].u, m->a[i].iface);
		if (r < 0) {
			*why = r == -ENOSPC ? "too many objects" : "out of memory";
			return r;
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
			     : request(cl, iface, &m, from->in + off, why);
		if (r == -ENOBUFS)
			*why = "output buffer full";
		if (r < 0)
			break;
		memcpy(to->outfds + to->noutfds, from->infds, m.nfds * sizeof(int));
		to->noutfds += m.nfds;
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
	struct proxy px = { .ctl = -1, .pidfd = -1, .lfd = -1 };
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
	unlink(px.listen_path);
	remove_dir(px.listen_path);
	return 0;
}
