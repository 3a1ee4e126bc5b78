/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proto.h - what vosd and its clients (vos-call inside a subsystem, vosctl
 * call / policy reload on the host) say to each other on vosd's socket.
 * Not a library API: the three programs are built from one tree.
 *
 * A client connects (SOCK_STREAM) and sends one request line:
 *
 *   VOS1 call TARGET SERVICE[+ARG]\n
 *   VOS1 call @default vos.OpenURL URL\n          (routed, issue 15: below)
 *   VOS1 call @default vos.OpenFile MIME/TYPE\n
 *   VOS1 launch TARGET DESKTOP-ID [ARG...]\n      (host users of vosd's --group)
 *   VOS1 clip copy|paste NAME\n                     (host users of vosd's --group)
 *   VOS1 call-from SOURCE TARGET SERVICE[+ARG]\n   (host root only)
 *   VOS1 reload\n                                   (host root only)
 *   VOS1 stats\n                                    (host root only)
 *   VOS1 ask-list [wait]\n                          (host root only)
 *   VOS1 ask-answer ID allow|deny [TARGET|-] [remember]\n (host root only)
 *
 * A routed call (vos-open inside a subsystem without --to) names what it
 * opens, so that vosd, on the host, routes it by routes.d
 * (virtos-routes(5), vosd --routes-dir): the first matching route's
 * target takes @default's place, then the policy decides SOURCE ->
 * that target as for any call (no route: @default, as before). The
 * subject is one word of printable ASCII (0x21-0x7e: a URL with a scheme,
 * or a MIME type without one), at most VOSD_SUBJECT_MAX bytes, so a
 * request line is at most VOSD_REQUEST_MAX. It only picks a target the
 * caller could also name itself (vos-open --to): the stream still carries
 * the URL or the file, and the handler checks it.
 *
 * A host user who is not root (issue 15, tools/vosd/launch.c) is the
 * source @user:NAME and may send three requests only: "clip copy|paste
 * NAME" (vosctl clip: vos.Clipboard+copy|paste to NAME for the policy,
 * then a paste's flow as root's; answered "ok BYTES SOURCE MIME"), "call
 * TARGET vos.OpenURL|vos.OpenFile" (vosctl open) and "launch", which carries the
 * caller's stdin, stdout and stderr (3 fds, SCM_RIGHTS) and starts the
 * exported app DESKTOP-ID of subsystem TARGET (service vos.Launch+ID for
 * the policy) with the ARGs (files or URLs, each %XX-escaped: bytes
 * 0x00-0x20, '%' and 0x7f-0xff), answered "ok" once it runs, then "exit
 * N"; the app is killed if the caller hangs up first. The caller must be
 * in vosd's --group (SO_PEERGROUPS) or every request is refused.
 *
 * The source of a call is never in the request: vosd asks vos.ko which
 * subsystem the peer (SO_PEERCRED) belongs to; a host process is @host.
 * vosd answers with lines:
 *
 *   ok\n             call: carries one fd (SCM_RIGHTS), the stream to the
 *                    handler (its stdin and stdout); reload/stats: done
 *                    (stats: "ok KEY=N ...")
 *   exit N\n         call: the handler exited with N (0-255, 128+signal)
 *                    (or "err limit|infected|timeout|fail TEXT": the call
 *                    was cut or dropped, see below)
 *   ok N\n + N x "ask ID SERVICE[+ARG] SOURCE TARGET TO|- DEFAULT|-\n"
 *                    ask-list: the calls waiting for an answer (a call the
 *                    policy says to ask about waits, silent, until
 *                    ask-answer or vosd's --ask-timeout decides); with
 *                    "wait", the answer comes once one is pending
 *   err KIND TEXT\n  refused; KIND is one of the words below
 *
 * vosd stays out of the stream: the handler and the caller hold the two
 * ends of a vos.ko channel bound to their two sides (crossing.c; a socket
 * pair with a module without VOS_CAP_CHANNEL), so a stalled caller stalls
 * only its own handler. A channel end is no socket: clients read, write
 * and end their writes with VOS_CHANNEL_SHUTDOWN (client.c does both).
 * The exception: a call whose rule has limit= or scan= gets a socket of
 * vosd's, which takes the payload first (spool.c); the handler then
 * answers on that socket.
 *
 * Pooled disposables (issue 14), root on the host only: "VOS1 disposable
 * TEMPLATE DIGEST" hands over a member's subsystem file; "VOS1 run
 * TEMPLATE DIGEST|-" (vos-run, vosctl run --disposable: fastrun.h) a
 * member's stub socket with "ok NAME", then "exit N" when its command has
 * ended; the client may send "kill SIG" lines (SIGINT, SIGTERM, SIGHUP)
 * meanwhile, and closing the connection ends the disposable.
 */
#ifndef VOSD_PROTO_H
#define VOSD_PROTO_H

#define VOSD_SOCKET_DIR "/run/virtos/vosd" /* host: holds vosd.sock only */
#define VOSD_SOCKET	VOSD_SOCKET_DIR "/vosd.sock"
#define VOSD_INSIDE_DIR "/run/vos" /* the same, seen in a subsystem */
#define VOSD_INSIDE	VOSD_INSIDE_DIR "/vosd.sock"
#define VOSD_MAGIC	"VOS1"
#define VOSD_LINE_MAX	512
/* a routed call's subject (URL or MIME type), and a request line with it */
#define VOSD_SUBJECT_MAX 4096
#define VOSD_REQUEST_MAX (VOSD_LINE_MAX + VOSD_SUBJECT_MAX)

/* err KINDs and the exit codes vos-call and vosctl call give them */
#define VOSD_ERR_DENIED	  "denied"   /* 126 "denied by policy" */
#define VOSD_ERR_NOTFOUND "notfound" /* 121 no such target, or service not offered */
#define VOSD_ERR_USAGE	  "usage"    /* 124 malformed request, bad name */
#define VOSD_ERR_PERM	  "perm"     /* 122 the caller may not (e.g. reload from inside) */
#define VOSD_ERR_BUSY	  "busy"     /* 125 rate or concurrency limit */
#define VOSD_ERR_FAIL	  "fail"     /* 125 anything else */
/* after "ok", instead of "exit N" (a call the policy gives limit= or scan=,
 * or whose handler ran past vosd's --handler-timeout)
 */
#define VOSD_ERR_LIMIT	  "limit"    /* 123 the payload passed limit=: cut */
#define VOSD_ERR_INFECTED "infected" /* 120 scan='s scanner said infected: dropped */
#define VOSD_ERR_TIMEOUT  "timeout"  /* 125 the handler was killed, or the payload was late */

/*
 * Client side (client.c): connect to @path, send @req (without the magic
 * and newline), read the first answer. Returns a file descriptor of the
 * connection (>= 0) with *chan the stream fd of an "ok" call (or -1), or
 * -1 with @msg ("KIND TEXT" of an err, or what failed) and *code the exit
 * code the clients give it.
 */
int vosd_client_open(const char *path, const char *req, int *chan, char *msg, size_t msglen,
		     int *code);
/*
 * The same, sending @nfds (at most VOSD_CLIENT_FDS) of @fds with the
 * request (a user's launch: its stdin, stdout and stderr)
 */
#define VOSD_CLIENT_FDS 3
int vosd_client_open_fds(const char *path, const char *req, const int *fds, size_t nfds, int *chan,
			 char *msg, size_t msglen, int *code);
/* The next answer line of @conn; 0 or a negative errno */
int vosd_client_line(int conn, char *line, size_t len);
/*
 * Send @len bytes of @line with @nfds (at most VOSD_CLIENT_FDS) of @fds
 * (SCM_RIGHTS) in one message; 0 or an errno (a request's, a stub's:
 * fastrun.c)
 */
int vosd_client_send_fds(int conn, const char *line, size_t len, const int *fds, size_t nfds);
/*
 * Relay @in -> @chan and @chan -> @out until the handler closes its end,
 * then read "exit N" from @conn. Returns N, or 125 with @msg set.
 */
int vosd_client_relay(int conn, int chan, int in, int out, char *msg, size_t msglen);

#endif /* VOSD_PROTO_H */
