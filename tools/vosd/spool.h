/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spool.h - vosd's store-and-forward of a call whose policy rule has
 * limit=BYTES or scan=SERVICE@SUBSYS (issue 13). Such a call does not get
 * the handler's stream: vosd hands the caller one end of a socket pair of
 * its own, reads what the caller sends (non-blocking, in its poll loop)
 * into an unlinked file in VOSD_SPOOL_DIR, and cuts the call the moment it
 * passes the limit. Once the caller has shut down its sending side the
 * payload is complete: the scanner (if any) reads it first, then the
 * handler gets it as its stdin (a read-only file) and writes its answer
 * straight to the caller's end. The payload is never in vosd's memory,
 * and a caller that stalls holds its own connection only.
 */
#ifndef VOSD_SPOOL_H
#define VOSD_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#define VOSD_SPOOL_DIR "/var/tmp"
/* A scan= rule without limit=: at most this much is held for the scanner */
#define VOSD_SCAN_MAX (1ULL << 30)

struct vosd_spool;

/* A new spool of at most @limit bytes; 0 or a negative errno with @err */
int spool_new(uint64_t limit, struct vosd_spool **sp, char *err, size_t len);
/* The end to hand to the caller (SCM_RIGHTS); vosd closes its copy after */
int spool_caller_end(struct vosd_spool *sp);
void spool_handed(struct vosd_spool *sp);
/* The fd vosd polls for POLLIN while the payload comes in */
int spool_fd(const struct vosd_spool *sp);
/*
 * Read what is there: 1 more to come, 0 the payload is complete (the
 * caller shut down its side), -EFBIG over the limit, another negative
 * errno on failure (@err says what).
 */
int spool_read(struct vosd_spool *sp, char *err, size_t len);
uint64_t spool_bytes(const struct vosd_spool *sp);
uint64_t spool_limit(const struct vosd_spool *sp);
/* A new read-only fd of the payload at its start, or a negative errno */
int spool_payload(const struct vosd_spool *sp);
/* The caller's end as vosd holds it, made blocking: the handler's stdout */
int spool_out(struct vosd_spool *sp);
void spool_free(struct vosd_spool *sp);

#endif /* VOSD_SPOOL_H */
