// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * launch.c - vosd's delegation to host users of the vos group (launch.h).
 *
 * Who the caller is comes from the kernel alone: SO_PEERCRED's uid and
 * SO_PEERGROUPS' groups, both recorded when the caller connected, so a
 * caller cannot claim a group it did not have then (and setpriv or newgrp
 * give exactly the groups the kernel reports). The name the policy sees is
 * the uid's login name from the host's user database, read by vosd.
 *
 * The app is started as vosctl launch starts it for root, by the same code
 * (tools/vosctl/appentry.c, desktop.c): the entry is read from inside the
 * subsystem's root again, refused if its Exec would run a shell or more
 * commands, and only its own command line runs, expanded with the
 * caller's files or URLs. Nothing of the caller's choosing but the target,
 * the ID and those arguments reaches the start: no command, binds,
 * options or limits. The process joins the subsystem as vosctl exec does
 * (vos_subsys_exec() with the strict defaults), as the caller's uid and
 * gid inside (vos_config_set_ids()): alice, uid 1000 on the host, is uid
 * 1000 inside, which the subsystem's private id range maps to the host uid
 * BASE+1000 of that range, never to the host's 1000 (mapping it would give
 * the subsystem alice's files). A subsystem that does not map that number
 * (an --as-user one maps one id) refuses the launch: no other id is
 * chosen instead. A @dispvm:TEMPLATE target is a disposable of the
 * template, the connection's: it ends when the app does.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../vosctl/appentry.h"
#include "launch.h"

#define VOSD_GROUPS_MAX 256 /* supplementary groups read of a caller */

void vosd_user_of(int fd, const char *group, struct vosd_user *u)
{
	gid_t groups[VOSD_GROUPS_MAX];
	struct ucred cred = { .uid = (uid_t)-1, .gid = (gid_t)-1 };
	socklen_t len = sizeof(cred);
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char buf[4096];
	size_t i, n;

	memset(u, 0, sizeof(*u));
	u->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		snprintf(u->name, sizeof(u->name), "?");
		snprintf(u->why, sizeof(u->why), "SO_PEERCRED: %s", strerror(errno));
		return;
	}
	u->uid = cred.uid;
	u->gid = cred.gid;
	if (getpwuid_r(cred.uid, &pw, buf, sizeof(buf), &pwp) == 0 && pwp &&
	    strlen(pwp->pw_name) < sizeof(u->name)) {
		snprintf(u->name, sizeof(u->name), "%s", pwp->pw_name);
		u->named = true;
	} else {
		snprintf(u->name, sizeof(u->name), "uid %u", (unsigned int)cred.uid);
	}
	if (getgrnam_r(group, &gr, buf, sizeof(buf), &grp) != 0 || !grp) {
		snprintf(u->why, sizeof(u->why), "the group %s does not exist on this host", group);
		return;
	}
	len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		snprintf(u->why, sizeof(u->why), "SO_PEERGROUPS: %s", strerror(errno));
		return;
	}
	n = len / sizeof(groups[0]);
	u->in_group = cred.gid == grp->gr_gid;
	for (i = 0; i < n && !u->in_group; i++)
		u->in_group = groups[i] == grp->gr_gid;
	if (!u->in_group)
		snprintf(u->why, sizeof(u->why), "not in the %s group", group);
}

/* %XX of @s in place; -1 on a bad escape or a NUL */
static int unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		unsigned int v;

		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if (!isxdigit((unsigned char)s[1]) || !isxdigit((unsigned char)s[2]))
			return -1;
		v = (unsigned int)strtoul((char[3]){ s[1], s[2], '\0' }, NULL, 16);
		if (!v)
			return -1;
		*o++ = (char)v;
		s += 2;
	}
	*o = '\0';
	return 0;
}

void vosd_launch_args_free(char **args, size_t nargs)
{
	size_t i;

	if (!args)
		return;
	for (i = 0; i < nargs; i++)
		free(args[i]);
	free(args);
}

int vosd_launch_parse(char *words, char **target, char **id, char ***args, size_t *nargs, char *err,
		      size_t errlen)
{
	char *save = NULL, *t;
	char **v;
	size_t n = 0;

	*args = NULL;
	*nargs = 0;
	*target = strtok_r(words, " ", &save);
	*id = strtok_r(NULL, " ", &save);
	if (!*target || !*id) {
		snprintf(err, errlen, "give 'launch TARGET ID [ARG...]'");
		return -EINVAL;
	}
	if (vos_name_check(strncmp(*target, "@dispvm:", 8) ? *target : *target + 8) < 0) {
		snprintf(err, errlen,
			 "the target of a launch is a subsystem name or @dispvm:TEMPLATE");
		return -EINVAL;
	}
	if (desktop_id_check(*id) < 0) {
		snprintf(err, errlen, "'%.*s' is not a desktop ID", DESKTOP_ID_MAX, *id);
		return -EINVAL;
	}
	v = calloc(VOSD_LAUNCH_ARGS, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while ((t = strtok_r(NULL, " ", &save))) {
		if (n == VOSD_LAUNCH_ARGS || unescape(t) < 0 || !(v[n] = strdup(t))) {
			vosd_launch_args_free(v, n);
			snprintf(err, errlen, "at most %d arguments, each %%XX-escaped",
				 VOSD_LAUNCH_ARGS);
			return -EINVAL;
		}
		n++;
	}
	*args = v;
	*nargs = n;
	return 0;
}

int vosd_launch_start(struct vos_ctx *ctx, struct vos_subsys *s, const char *name, const char *id,
		      char *const *args, size_t nargs, const int *fds, uid_t uid, gid_t gid,
		      struct vos_proc **procp, char *err, size_t errlen)
{
	struct cli_err e = { 0 };
	struct vos_config *cfg = NULL;
	char **run = NULL;
	int ret;

	*procp = NULL;
	ret = app_command(ctx, s, name, id, args, nargs, &run, &e);
	if (ret) {
		snprintf(err, errlen, "%s", e.msg);
		return ret == EXIT_NAME ? -ENOENT : ret == EXIT_USAGE ? -EINVAL : -EPERM;
	}
	/* the strict defaults, the caller's stdio and ids inside; nothing else of theirs */
	ret = vos_config_new(ctx, &cfg);
	if (ret == 0)
		ret = vos_config_set_tty(cfg, VOS_TTY_NONE);
	if (ret == 0)
		ret = vos_config_set_stdio(cfg, fds[0], fds[1], fds[2]);
	if (ret == 0)
		ret = vos_config_set_ids(cfg, uid, gid);
	if (ret == 0)
		ret = vos_subsys_exec(s, cfg, run, NULL, procp);
	if (ret < 0)
		snprintf(err, errlen, "cannot start %s in %s as uid %u: %s%s", run[0], name,
			 (unsigned int)uid, vos_ctx_errmsg(ctx),
			 ret == -ERANGE ? ": launches go to subsystems with a private id range "
					  "(not --as-user)"
					: "");
	vos_config_free(cfg);
	desktop_argv_free(run);
	return ret == -ERANGE ? -ERANGE : ret < 0 ? -EIO : 0;
}
