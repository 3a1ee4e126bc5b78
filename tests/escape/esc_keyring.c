// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_keyring - the session keyring. Keyrings are not namespaced: a
 * sandbox that inherits its caller's session keyring lets the app read the
 * caller's keys (container runtimes join a fresh session keyring, and
 * filter keyctl with seccomp).
 *
 *   esc_keyring host -- CMD [ARGS...]
 *       join a new session keyring "vesc-session", add a "user" key
 *       "vesc-secret" with a secret payload (readable by its possessor and
 *       by its user), then run CMD with every "@KEY@" argument replaced by
 *       the key's serial; exit with CMD's status
 *   esc_keyring attack SERIAL
 *       read the key by serial, describe it, search the session and user
 *       keyrings for it, request_key it, join "vesc-session" by name, and
 *       look for it in /proc/keys
 *   esc_keyring host -- esc_keyring --control @KEY@
 *       the control: the same attack outside any sandbox must work
 */
#include <errno.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

#define SECRET "VESC-KEY-SECRET"

static long add_key(const char *type, const char *desc, const void *payload, size_t len,
		    int32_t ring)
{
	return syscall(SYS_add_key, type, desc, payload, len, ring);
}

static long keyctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	return syscall(SYS_keyctl, op, a, b, c, d);
}

static void check_read(const char *what, long serial)
{
	char buf[256];
	long n;

	if (serial < 0) {
		esc_refused(what, errno);
		return;
	}
	n = keyctl(KEYCTL_READ, (unsigned long)serial, (unsigned long)buf, sizeof(buf) - 1, 0);
	if (n < 0) {
		esc_refused(what, errno);
		return;
	}
	buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = 0;
	if (strstr(buf, SECRET))
		esc_escaped(what, "read the secret payload");
	else
		esc_refused(what, EACCES);
}

static int attack(long serial)
{
	char buf[4096];
	long r, ring;

	check_read("KEYCTL_READ the host key by serial", serial);
	r = keyctl(KEYCTL_DESCRIBE, (unsigned long)serial, (unsigned long)buf, sizeof(buf), 0);
	esc_check("KEYCTL_DESCRIBE the host key", r);
	r = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_SESSION_KEYRING, (unsigned long)"user",
		   (unsigned long)"vesc-secret", 0);
	check_read("search our session keyring for it", r);
	r = keyctl(KEYCTL_SEARCH, (unsigned long)KEY_SPEC_USER_KEYRING, (unsigned long)"user",
		   (unsigned long)"vesc-secret", 0);
	check_read("search our user keyring for it", r);
	r = syscall(SYS_request_key, "user", "vesc-secret", NULL, 0);
	check_read("request_key(\"user\", \"vesc-secret\")", r);
	ring = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)"vesc-session", 0, 0, 0);
	if (ring >= 0) {
		r = keyctl(KEYCTL_SEARCH, (unsigned long)ring, (unsigned long)"user",
			   (unsigned long)"vesc-secret", 0);
		check_read("join the keyring \"vesc-session\" by name and search it", r);
	} else {
		esc_refused("join the keyring \"vesc-session\" by name", errno);
	}
	r = esc_read_file("/proc/keys", buf, sizeof(buf));
	if (r > 0 && strstr(buf, "vesc-secret"))
		esc_escaped("see the host key in /proc/keys", "listed");
	else
		esc_refused("see the host key in /proc/keys", r < 0 ? (int)-r : ENOENT);
	return esc_finish();
}

static int host(int argc, char **argv)
{
	char serial_s[32];
	long ring, key;
	pid_t pid;
	int i, st;

	ring = keyctl(KEYCTL_JOIN_SESSION_KEYRING, (unsigned long)"vesc-session", 0, 0, 0);
	if (ring < 0) {
		perror("esc_keyring: join a new session keyring");
		return 125;
	}
	key = add_key("user", "vesc-secret", SECRET, strlen(SECRET), KEY_SPEC_SESSION_KEYRING);
	if (key < 0) {
		perror("esc_keyring: add_key");
		return 125;
	}
	/* possessor: all; user: view, read, search (so a same-uid process
	 * that reaches the keyring can read it: the attack must be stopped by
	 * the sandbox, not by key permissions)
	 */
	keyctl(KEYCTL_SETPERM, (unsigned long)key, 0x3f0b0000, 0, 0);
	snprintf(serial_s, sizeof(serial_s), "%ld", key);
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "@KEY@"))
			argv[i] = serial_s;
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "esc_keyring: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 125;
	keyctl(KEYCTL_INVALIDATE, (unsigned long)key, 0, 0, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "host") && !strcmp(argv[2], "--"))
		return host(argc - 3, argv + 3);
	if (argc == 3 && (!strcmp(argv[1], "attack") || !strcmp(argv[1], "--control")))
		return attack(strtol(argv[2], NULL, 10));
	fprintf(stderr,
		"usage: esc_keyring host -- CMD [ARGS...] | attack SERIAL | --control SERIAL\n");
	return 2;
}
