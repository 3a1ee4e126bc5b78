// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From a library error (its class, errno, message and subject) and what
 * vosctl was doing to one line a user can act on, and a documented exit
 * status: one case per class (enum vos_errclass); no message is parsed.
 */
#include <errno.h>
#include <string.h>

#include <virtos.h>

#include "vosctl.h"

static const char *what(enum cli_op op)
{
	switch (op) {
	case OP_DEVICE:
		return "cannot reach vos.ko";
	case OP_CREATE:
		return "cannot create the subsystem";
	case OP_OPEN:
		return "cannot open the subsystem";
	case OP_SPAWN:
		return "cannot start the isolated process";
	case OP_EXEC:
		return "cannot run the command in the subsystem";
	case OP_SIGNAL:
		return "cannot signal the subsystem";
	case OP_LIST:
		return "cannot list subsystems";
	case OP_EVENTS:
		return "cannot subscribe to events";
	case OP_WAIT:
		return "cannot wait for the app";
	case OP_RULE:
		return "bad rule";
	case OP_RULES:
		return "cannot read or replace the subsystem's rules";
	case OP_CLIP:
		return "clipboard";
	}
	return "failed";
}

/* The library's message if it has one, else strerror. */
static const char *why(int err, const char *libmsg)
{
	if (libmsg && *libmsg)
		return libmsg;
	return strerror(err);
}

#define NOMOD_MSG "vos.ko is not loaded: run 'sudo modprobe vos'"

/* VOS_ERR_PERM: what the caller lacked, by what it was doing */
static int perm_fail(struct cli_err *e, enum cli_op op, const char *s, const char *msg)
{
	switch (op) {
	case OP_CREATE:
		return cli_fail(e, EXIT_PERM,
				"creating a subsystem needs CAP_SYS_ADMIN: run vosctl as root");
	case OP_OPEN:
	case OP_SIGNAL:
		return cli_fail(
			e, EXIT_PERM,
			"not permitted to act on subsystem '%s': run vosctl as its owner or as root",
			s);
	case OP_SPAWN:
	case OP_EXEC:
	case OP_WAIT:
		return cli_fail(e, EXIT_PERM, "%s: %s: run vosctl as root", what(op), msg);
	default:
		return cli_fail(
			e, EXIT_PERM,
			"%s: permission denied: run vosctl as root or get access to /dev/vos",
			what(op));
	}
}

/* VOS_ERR_NAME: the name is taken, or names no (running) subsystem */
static int name_fail(struct cli_err *e, enum cli_op op, int err, const char *s, const char *msg)
{
	/* a rule's dsthost=@NAME: the library's message names the token */
	if (op == OP_RULE)
		return cli_fail(e, EXIT_NAME, "%s (see 'vosctl ls')", msg);
	/* an empty clipboard or slot: the library's message says what to do */
	if (op == OP_CLIP)
		return cli_fail(e, EXIT_NAME, "%s", msg);
	if (op == OP_CREATE || err == EEXIST)
		return cli_fail(
			e, EXIT_NAME,
			"a subsystem named '%s' exists: pick another --name or 'vosctl rm %s'", s,
			s);
	if (err == ESRCH)
		return cli_fail(
			e, EXIT_NAME,
			"subsystem '%s' has no running init: start a new one with 'vosctl create'",
			s);
	return cli_fail(e, EXIT_NAME,
			"no subsystem named '%s': see 'vosctl ls' for the ones you may use", s);
}

/*
 * The library's class decides the exit status; what vosctl was doing (@op),
 * the errno and the subject only word the message.
 */
int cli_errmap(struct cli_err *e, enum cli_op op, int err, int errclass, const char *subject,
	       const char *libmsg)
{
	const char *s = subject ? subject : "";

	if (err < 0)
		err = -err;

	switch (errclass) {
	case VOS_ERR_NOMODULE:
		if (err == ENOTTY)
			return cli_fail(
				e, EXIT_NOMOD,
				"the loaded vos.ko does not know this request: load the vos.ko that came with this vosctl (see 'vosctl version')");
		return cli_fail(e, EXIT_NOMOD, NOMOD_MSG);
	case VOS_ERR_USAGE:
		/* a rule's message names the token and the accepted form */
		if (op == OP_RULE)
			return cli_fail(e, EXIT_USAGE, "%s", why(err, libmsg));
		return cli_fail(e, EXIT_USAGE, "%s: %s: see 'vosctl --help'", what(op),
				why(err, libmsg));
	case VOS_ERR_PATH:
		/* the library's message names the option and the path */
		return cli_fail(e, EXIT_USAGE,
				"%s: %s: fix the path of that option (see OPTIONS in vosctl(1))",
				what(op), why(err, libmsg));
	case VOS_ERR_NOCMD:
		return cli_exec_errmap(e, ENOENT, s);
	case VOS_ERR_NOEXEC:
		return cli_exec_errmap(e, err == ENOENT ? EACCES : err, s);
	case VOS_ERR_NAME:
		return name_fail(e, op, err, s, why(err, libmsg));
	case VOS_ERR_PERM:
		return perm_fail(e, op, s, why(err, libmsg));
	case VOS_ERR_CGROUP_PERM:
		/* the limits (host-scaled by default) need a cgroup to write */
		return cli_fail(
			e, EXIT_PERM,
			"%s: %s: run vosctl as root (or where it may make a cgroup), or give --memory max --pids max to run without the default limits",
			what(op), why(err, libmsg));
	case VOS_ERR_CGROUP:
		return cli_fail(
			e, EXIT_FAIL,
			"%s: %s: enable the cpu, memory and pids controllers in /sys/fs/cgroup/cgroup.subtree_control",
			what(op), why(err, libmsg));
	default: /* VOS_ERR_INTERNAL, or no class recorded */
		/* a host name that cannot be resolved now: the message says what to do */
		if (op == OP_RULE)
			return cli_fail(e, EXIT_FAIL, "%s", why(err, libmsg));
		return cli_fail(e, EXIT_FAIL,
				"%s: %s: check 'vosctl version' and the kernel log (dmesg)",
				what(op), why(err, libmsg));
	}
}

/*
 * The app could not be executed: @err is the errno of its execve().
 * 127 if it does not exist, 126 if it exists but cannot be run.
 */
int cli_exec_errmap(struct cli_err *e, int err, const char *cmd)
{
	if (err < 0)
		err = -err;
	if (err == ENOENT || err == ENOTDIR)
		return cli_fail(
			e, EXIT_NOTFOUND,
			"%s: command not found: check the name, or give a full path that exists inside the subsystem",
			cmd);
	return cli_fail(
		e, EXIT_NOEXEC,
		"%s: cannot execute: %s: check that it is an executable file readable inside the subsystem",
		cmd, strerror(err));
}
