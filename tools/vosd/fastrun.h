/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fastrun.h - the client side of a pooled disposable's fast path (issue
 * 14), shared by vos-run and `vosctl run --disposable`: no libvirtos.
 *
 *   1. "VOS1 run TEMPLATE DIGEST|-" to vosd (root on the host): "ok NAME"
 *      with the socket of the member's stub (vos-stub.c), or "err ...".
 *   2. One message to the stub (stubreq.h): the command, the working
 *      directory, the locale, and three fds as its stdin, stdout, stderr.
 *   3. The command's wait status (an int) from the stub on its socket as
 *      soon as the command has ended, or vosd's "exit N" once the
 *      member's init has exited (later: after the teardown of its
 *      namespaces); whichever comes first. "kill SIG" lines to vosd pass
 *      SIGINT, SIGTERM, SIGHUP on. Closing the connection ends the
 *      disposable: vosd ends it once the client has exited (or 0.2 s
 *      after the close), so that its teardown comes after the exit.
 */
#ifndef VOSD_FASTRUN_H
#define VOSD_FASTRUN_H

#include <stddef.h>

/*
 * Steps 1 and 2. @hex: the template's digest as the caller read it, or
 * "-" (vosd's own, checked against the file on disk). @vars: NULL, or
 * the command's own variables (NAME=VALUE, NULL-terminated), set over the
 * minimal environment. @fds: the command's stdin, stdout, stderr. Returns the connection to wait on (>= 0), with
 * the stub's socket in *@ctl and the member's name in @name; or -1 with
 * @msg and *@code: 121 no pooled member or template, 122 not permitted,
 * 124 usage, 125 vosd failed.
 */
int fastrun_start(const char *path, const char *tmpl, const char *hex, char *const argv[],
		  char *const vars[], const int fds[3], int *ctl, char *name, size_t nlen,
		  char *msg, size_t mlen, int *code);

/*
 * Step 3: the command's exit status (0-255, 128+N for signal N), or 125
 * with @msg. SIGINT, SIGTERM and SIGHUP must be blocked by the caller;
 * those that arrive are passed to the command. Closes @conn and @ctl.
 */
int fastrun_wait(int conn, int ctl, char *msg, size_t mlen);

#endif /* VOSD_FASTRUN_H */
