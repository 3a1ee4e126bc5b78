// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crossing.c - vosd's side of vos.ko's channels (crossing.h).
 *
 * The handler's end is bound to the target subsystem's members. The
 * caller's end is bound to the source subsystem's members, or, for a call
 * from the host (@host, or "call-from" by root on the host), to the host
 * process at the other end of the caller's connection to vosd: vos.ko
 * takes that process from the socket itself (SO_PEERCRED's record), so
 * vosd names nobody. vosd holds both ends only to hand them over and
 * cannot read or write either.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "crossing.h"

/*
 * "SERVICE[+ARG]" as vos.ko takes it: printable, no space ('?' instead).
 * A host user's call (issue 15) is "@user:NAME/SERVICE[+ARG]": vos.ko's
 * event has the host as its source, and the user in this text, which only
 * vosd writes ('/' and '@' of the caller's words are '?'); vosctl log
 * shows the user as the source.
 */
static void crossing_service(char *buf, size_t len, const struct vosd_caller *who, const char *svc,
			     const char *arg)
{
	bool user = !strncmp(who->source, "@user:", 6) || !strncmp(who->source, "@uid:", 5);
	size_t from = 0;
	char *p;

	if (user)
		from = (size_t)snprintf(buf, len, "%s/", who->source);
	if (from >= len)
		from = 0;
	snprintf(buf + from, len - from, "%s%s%s", svc && *svc ? svc : "?", arg ? "+" : "",
		 arg ? arg : "");
	for (p = buf; *p; p++)
		if (*p <= ' ' || *p > '~' || (p >= buf + from && (*p == '/' || *p == '@')))
			*p = '?';
}

/* The subsystem id of the call's source, 0 for the host or one not known */
static uint64_t source_id(struct vos_ctx *ctx, const struct vosd_caller *who)
{
	struct vos_info info;

	if (who->peer_id)
		return who->peer_id;
	if (!strcmp(who->source, "@host") || vos_subsys_get(ctx, who->source, &info) < 0)
		return 0;
	return info.id;
}

int vosd_stream(struct vos_ctx *ctx, bool channels, const struct vosd_caller *who,
		struct vos_subsys *target, uint32_t verdict, const char *svc, const char *arg,
		int sp[2], char *err, size_t errlen)
{
	char service[VOS_CROSSING_SERVICE_MAX];
	struct vos_channel_req r = { .verdict = verdict, .service = service, .peer_fd = -1 };
	struct vos_channel_ends e;

	if (!channels) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0)
			return 0;
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	crossing_service(service, sizeof(service), who, svc, arg);
	r.target = vos_subsys_id(target);
	r.source = source_id(ctx, who);
	/* a host caller (the peer of the connection is no member) */
	if (!who->peer_id)
		r.peer_fd = who->conn_fd;
	if (vos_channel_create(ctx, &r, &e) < 0) {
		snprintf(err, errlen, "%s", vos_ctx_errmsg(ctx));
		return -1;
	}
	sp[0] = e.target_fd;
	sp[1] = e.source_fd;
	return 0;
}

int vosd_audit(struct vos_ctx *ctx, bool channels, const struct vosd_caller *who,
	       const char *target, uint32_t verdict, const char *svc, const char *arg)
{
	char service[VOS_CROSSING_SERVICE_MAX], tname[VOS_NAME_MAX];
	struct vos_channel_req r = { .verdict = verdict, .service = service, .peer_fd = -1 };
	struct vos_info info;
	char *p;

	if (!channels)
		return 0;
	crossing_service(service, sizeof(service), who, svc, arg);
	r.source = source_id(ctx, who);
	snprintf(tname, sizeof(tname), "%s", target ? target : "");
	for (p = tname; *p; p++)
		if (*p <= ' ' || *p > '~')
			*p = '?';
	if (tname[0] != '@' && tname[0] && vos_subsys_get(ctx, tname, &info) == 0) {
		r.target = info.id;
		tname[0] = '\0';
	}
	/* no target: "@host" for the event; an unnamed one is "?" */
	if (!r.target && !tname[0] && target && *target)
		snprintf(tname, sizeof(tname), "?");
	return vos_channel_audit(ctx, &r, tname);
}
