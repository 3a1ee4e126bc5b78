// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spool.c - store-and-forward of calls with limit= or scan= (spool.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spool.h"

#define SPOOL_CHUNK 65536

struct vosd_spool {
	int sock;   /* vosd's end of the caller's pair */
	int caller; /* the caller's end until handed over */
	int file;   /* the payload: O_TMPFILE, never linked */
	uint64_t bytes, limit;
	char *buf;
};

int spool_new(uint64_t limit, struct vosd_spool **sp, char *err, size_t len)
{
	struct vosd_spool *s = calloc(1, sizeof(*s));
	int pair[2];

	*sp = NULL;
	if (!s || !(s->buf = malloc(SPOOL_CHUNK))) {
		free(s);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	s->limit = limit;
	s->file = open(VOSD_SPOOL_DIR, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->file < 0) {
		snprintf(err, len, "cannot make a spool file in %s: %s", VOSD_SPOOL_DIR,
			 strerror(errno));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
		snprintf(err, len, "socketpair: %s", strerror(errno));
		goto fail;
	}
	s->sock = pair[0];
	s->caller = pair[1];
	fcntl(s->sock, F_SETFL, fcntl(s->sock, F_GETFL) | O_NONBLOCK);
	*sp = s;
	return 0;
fail:
	if (s->file >= 0)
		close(s->file);
	free(s->buf);
	free(s);
	return -EIO;
}

int spool_caller_end(struct vosd_spool *sp)
{
	return sp->caller;
}

void spool_handed(struct vosd_spool *sp)
{
	if (sp->caller >= 0)
		close(sp->caller);
	sp->caller = -1;
}

int spool_fd(const struct vosd_spool *sp)
{
	return sp->sock;
}

int spool_read(struct vosd_spool *sp, char *err, size_t len)
{
	/* one chunk a turn: a fast caller does not starve the others */
	ssize_t n = recv(sp->sock, sp->buf, SPOOL_CHUNK, 0);
	const char *p = sp->buf;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n < 0) {
		snprintf(err, len, "reading the caller's stream: %s", strerror(errno));
		return -errno;
	}
	if (n == 0)
		return 0;
	if ((uint64_t)n > sp->limit - sp->bytes) {
		sp->bytes = sp->limit + 1;
		snprintf(err, len, "the payload is over the limit of %llu bytes",
			 (unsigned long long)sp->limit);
		return -EFBIG;
	}
	sp->bytes += (uint64_t)n;
	while (n > 0) {
		ssize_t w = write(sp->file, p, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, len, "cannot spool the payload: %s", strerror(errno));
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 1;
}

uint64_t spool_bytes(const struct vosd_spool *sp)
{
	return sp->bytes;
}

uint64_t spool_limit(const struct vosd_spool *sp)
{
	return sp->limit;
}

int spool_payload(const struct vosd_spool *sp)
{
	char path[64];
	int fd;

	/* a description of its own: read-only, at offset 0, for each reader */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", sp->file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int spool_out(struct vosd_spool *sp)
{
	/* the handler writes to it: blocking, as any stdout */
	fcntl(sp->sock, F_SETFL, fcntl(sp->sock, F_GETFL) & ~O_NONBLOCK);
	return sp->sock;
}

void spool_free(struct vosd_spool *sp)
{
	if (!sp)
		return;
	if (sp->caller >= 0)
		close(sp->caller);
	close(sp->sock);
	close(sp->file);
	free(sp->buf);
	free(sp);
}
