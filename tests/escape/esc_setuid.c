// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_setuid - gain privilege by exec: setuid-root and file-capability
 * binaries, su, sudo, and plain exec as uid 0 (which grants root's full
 * capability set unless the bounding set is empty).
 *
 *   esc_setuid DIR [PROG...]
 *       DIR holds copies of esc_suidhelper made by the runner: "suid"
 *       (root, mode 4755), "fcaps" (cap_setuid,cap_sys_admin,
 *       cap_dac_override+ep) and "plain"; each is run and reports the
 *       euid and effective capabilities it got: an euid different from ours
 *       or any capability we do not have is an escape. Each PROG (su,
 *       sudo...) is run non-interactively to run "plain" as root.
 *   esc_setuid --control DIR
 *       the same outside, as an unprivileged user: must escape
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

static unsigned long long my_caps;

/* Run argv with stdout captured; returns bytes of output or -1. */
static int run(char *const argv[], char *out, size_t len)
{
	int p[2], st;
	ssize_t n, tot = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(p[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while ((size_t)tot + 1 < len && (n = read(p[0], out + tot, len - 1 - tot)) > 0)
		tot += n;
	out[tot] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	return (int)tot;
}

static void judge(const char *what, const char *out)
{
	unsigned int ruid, euid;
	unsigned long long eff;
	const char *p = strstr(out, "ruid=");

	if (!p || sscanf(p, "ruid=%u euid=%u capeff=%llx", &ruid, &euid, &eff) != 3) {
		esc_refused(what, ENOEXEC);
		return;
	}
	if (euid != geteuid() || (eff & ~my_caps))
		esc_escaped(what, "ran with euid %u, capabilities %llx (we have euid %u, %llx)",
			    euid, eff, geteuid(), my_caps);
	else
		esc_refused(what, EPERM);
}

static void try_helper(const char *dir, const char *name)
{
	char path[512], what[600], out[512];
	char *argv[] = { path, NULL };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	esc_fmt(what, sizeof(what), "exec %s to gain privilege", path);
	if (access(path, X_OK) < 0) {
		fprintf(stderr, "esc_setuid: %s is missing: the runner must install it\n", path);
		exit(2);
	}
	if (run(argv, out, sizeof(out)) < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_info("%s said: %.*s", name, (int)strcspn(out, "\n"), out);
	judge(what, out);
}

static void try_prog(const char *prog, const char *dir)
{
	char plain[512], what[600], out[512];
	char *su[] = { (char *)prog, (char *)"root", (char *)"-c", plain, NULL };
	char *sudo[] = { (char *)prog, (char *)"-n", plain, NULL };
	const char *base = strrchr(prog, '/') ? strrchr(prog, '/') + 1 : prog;

	if (access(prog, X_OK) < 0) {
		esc_info("%s is not installed", prog);
		return;
	}
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	esc_fmt(what, sizeof(what), "%s to root", prog);
	run(strcmp(base, "sudo") ? su : sudo, out, sizeof(out));
	judge(what, out);
}

int main(int argc, char **argv)
{
	char st[4096], *p;
	int a = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (esc_is_control(argc, argv))
		a = 2;
	if (argc <= a) {
		fprintf(stderr, "usage: esc_setuid [--control] DIR [PROG...]\n");
		return 2;
	}
	if (esc_read_file("/proc/self/status", st, sizeof(st)) > 0) {
		if ((p = strstr(st, "CapEff:")))
			sscanf(p + 7, "%llx", &my_caps);
		if ((p = strstr(st, "NoNewPrivs:")))
			esc_info("NoNewPrivs:%.*s", (int)strcspn(p + 11, "\n"), p + 11);
	}
	esc_info("we run as uid %u euid %u with capabilities %llx", getuid(), geteuid(), my_caps);
	try_helper(argv[a], "suid");
	try_helper(argv[a], "fcaps");
	try_helper(argv[a], "plain");
	for (a = a + 1; a < argc; a++)
		try_prog(argv[a], argv[esc_is_control(argc, argv) ? 2 : 1]);
	return esc_finish();
}
