// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From a library error (negative errno + message) and what vosctl was doing
 * to one line a user can act on, and a documented exit status.
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

int cli_errmap(struct cli_err *e, enum cli_op op, int err, int errclass, const char *subject,
	       const char *libmsg)
{
	const char *s = subject ? subject : "";

	if (err < 0)
		err = -err;

	/* The library's classification wins where it is unambiguous. */
	switch (errclass) {
	case VOS_ERR_NOMODULE:
		return cli_fail(e, EXIT_NOMOD, "vos.ko is not loaded: run 'sudo modprobe vos'");
	case VOS_ERR_USAGE:
		return cli_fail(e, EXIT_USAGE, "%s: %s: see 'vosctl --help'", what(op),
				why(err, libmsg));
	case VOS_ERR_NOCMD:
	case VOS_ERR_NOEXEC:
		return cli_exec_errmap(
			e, errclass == VOS_ERR_NOCMD ? ENOENT : (err == ENOENT ? EACCES : err), s);
	case VOS_ERR_NAME:
		if (op == OP_CREATE || err == EEXIST)
			err = EEXIST;
		else
			err = ENOENT;
		break;
	case VOS_ERR_PERM:
		if (err != EPERM && err != EACCES)
			err = EPERM;
		break;
	default:
		break;
	}

	/* The module is absent or too old for this request. */
	if (err == ENOTTY)
		return cli_fail(
			e, EXIT_NOMOD,
			"the loaded vos.ko does not know this request: load the vos.ko that came with this vosctl (see 'vosctl version')");

	switch (op) {
	case OP_DEVICE:
	case OP_LIST:
	case OP_EVENTS:
		if (err == ENOENT || err == ENODEV || err == ENXIO || err == EPROTONOSUPPORT ||
		    err == EAFNOSUPPORT)
			return cli_fail(e, EXIT_NOMOD,
					"vos.ko is not loaded: run 'sudo modprobe vos'");
		if (err == EACCES || err == EPERM)
			return cli_fail(
				e, EXIT_PERM,
				"%s: permission denied: run vosctl as root or get access to /dev/vos",
				what(op));
		break;
	case OP_CREATE:
		if (err == EPERM || err == EACCES)
			return cli_fail(
				e, EXIT_PERM,
				"creating a subsystem needs CAP_SYS_ADMIN: run vosctl as root");
		if (err == EEXIST)
			return cli_fail(
				e, EXIT_NAME,
				"a subsystem named '%s' exists: pick another --name or 'vosctl rm %s'",
				s, s);
		if (err == ENOENT || err == ENODEV || err == ENXIO)
			return cli_fail(e, EXIT_NOMOD,
					"vos.ko is not loaded: run 'sudo modprobe vos'");
		break;
	case OP_OPEN:
	case OP_SIGNAL:
		if (err == ENOENT)
			return cli_fail(
				e, EXIT_NAME,
				"no subsystem named '%s': see 'vosctl ls' for the ones you may use",
				s);
		if (err == EPERM || err == EACCES)
			return cli_fail(
				e, EXIT_PERM,
				"not permitted to act on subsystem '%s': run vosctl as its owner or as root",
				s);
		if (err == ENODEV || err == ENXIO)
			return cli_fail(e, EXIT_NOMOD,
					"vos.ko is not loaded: run 'sudo modprobe vos'");
		break;
	case OP_SPAWN:
	case OP_EXEC:
		/* the limits (host-scaled by default) need a cgroup to write */
		if ((err == EPERM || err == EACCES) && libmsg && strstr(libmsg, "cgroup"))
			return cli_fail(
				e, EXIT_PERM,
				"%s: %s: run vosctl as root (or where it may make a cgroup), or give --memory max --pids max to run without the default limits",
				what(op), why(err, libmsg));
		if (err == EPERM || err == EACCES)
			return cli_fail(e, EXIT_PERM, "%s: %s: run vosctl as root", what(op),
					why(err, libmsg));
		/* A path given with a mount option does not work out: the
		 * library's message names the option and the path.
		 */
		if (libmsg && (strstr(libmsg, "--ro ") || strstr(libmsg, "--rw ") ||
			       strstr(libmsg, "--tmpfs ") || strstr(libmsg, "--rootfs ")))
			return cli_fail(
				e, EXIT_USAGE,
				"%s: %s: fix the path of that option (see OPTIONS in vosctl(1))",
				what(op), libmsg);
		if (libmsg && strstr(libmsg, "cgroup"))
			return cli_fail(
				e, EXIT_FAIL,
				"%s: %s: enable the cpu, memory and pids controllers in /sys/fs/cgroup/cgroup.subtree_control",
				what(op), libmsg);
		if (op == OP_EXEC && err == ESRCH)
			return cli_fail(
				e, EXIT_NAME,
				"subsystem '%s' has no running init: start a new one with 'vosctl create'",
				s);
		break;
	case OP_WAIT:
		break;
	}
	return cli_fail(e, EXIT_FAIL, "%s: %s: check 'vosctl version' and the kernel log (dmesg)",
			what(op), why(err, libmsg));
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
