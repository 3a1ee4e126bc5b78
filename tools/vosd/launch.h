/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch.h - delegation (issue 15): what vosd does for a host user of the
 * vos group, who is neither root nor a subsystem. Such a user may ask for
 * one thing of their own, "launch" (an exported app of a subsystem, as
 * vosctl launch does it for root), and make the open calls of vosctl open
 * (vos.OpenURL, vos.OpenFile); the policy decides each with the source
 * @user:NAME. Everything else is refused (and audited, as any refusal).
 */
#ifndef VOSD_LAUNCH_H
#define VOSD_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <virtos.h>

#define VOSD_GROUP	 "vos" /* default --group */
#define VOSD_LAUNCH_ARGS 16    /* files or URLs of one launch */
#define VOSD_LAUNCH_FDS	 3     /* the caller's stdin, stdout, stderr */

/* A host caller that is not root, as the kernel describes it */
struct vosd_user {
	uid_t uid;
	gid_t gid;     /* its primary gid (SO_PEERCRED) */
	char name[40]; /* "@user:NAME"'s NAME, or "uid N" if it has none */
	bool named;    /* the uid has a user name the policy can name */
	bool in_group; /* a member of --group (its gid or a supplementary one) */
	char why[160]; /* !in_group: why not */
};

/*
 * Who is at the other end of host connection @fd (SO_PEERCRED and
 * SO_PEERGROUPS: the caller's groups when it connected) and whether group
 * @group is one of theirs. A group that does not exist, or groups that
 * cannot be read, make nobody a member (fail closed).
 */
void vosd_user_of(int fd, const char *group, struct vosd_user *u);

/*
 * A launch request's words after "launch": TARGET ID [ARG...], each ARG
 * %XX-encoded (vosd_launch_encode()). Checks TARGET (a subsystem name or
 * @dispvm:TEMPLATE)
 * and ID (a desktop ID), decodes the ARGs into @args (malloc'ed,
 * vosd_launch_args_free()). 0, or -EINVAL with @err.
 */
int vosd_launch_parse(char *words, char **target, char **id, char ***args, size_t *nargs, char *err,
		      size_t errlen);
void vosd_launch_args_free(char **args, size_t nargs);

/*
 * Start the app @id of running subsystem @s (@name in messages) with
 * @args, as vosctl launch does for root (appentry.c: the entry read again
 * from inside, checked, expanded), with @fds as its stdin, stdout and
 * stderr, as uid @uid and gid @gid inside: the caller's numbers, which the
 * subsystem's private range maps to host ids of that range, never to the
 * caller's host ids. 0 with *procp, or a negative errno with @err:
 * -ENOENT no such entry, -EPERM the entry is refused (a shell, extra
 * commands), -EINVAL arguments that do not fit its Exec, -ERANGE the
 * subsystem does not map @uid or @gid, another one a failure.
 */
int vosd_launch_start(struct vos_ctx *ctx, struct vos_subsys *s, const char *name, const char *id,
		      char *const *args, size_t nargs, const int *fds, uid_t uid, gid_t gid,
		      struct vos_proc **procp, char *err, size_t errlen);

#endif /* VOSD_LAUNCH_H */
