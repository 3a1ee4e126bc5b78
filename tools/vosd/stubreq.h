/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stubreq.h - the one request a pooled disposable's stub takes (issue 14).
 *
 * vosd starts vos-stub as the app of every pooled disposable (pool.c): a
 * member with every restriction of `vosctl run` already applied. vos-run
 * (the fast client) gets the stub's end of a SOCK_SEQPACKET pair from
 * vosd and sends it one message: the payload below and, by SCM_RIGHTS,
 * exactly three fds (the app's stdin, stdout, stderr). The stub checks
 * it, forks, and the child takes the fds as 0, 1, 2 and execs the
 * command; the stub sends its wait status back (an int) on the same
 * socket when it ends. vosd itself never reads this message.
 *
 * Payload: NUL-terminated strings, nothing after the last NUL:
 *   "VOSSTUB1"        the magic, first
 *   "c" DIR           the caller's working directory (at most one; the
 *                     stub falls back to "/" if the subsystem has no DIR)
 *   "a" ARG           the command and its arguments, in order (>= 1)
 *   "e" NAME=VALUE    environment: only the locale (LANG, LANGUAGE, LC_*),
 *                     as the library's minimal environment keeps of the
 *                     caller's; anything else is refused
 *   "v" NAME=VALUE    a variable the caller asked for (vosctl run's --env,
 *                     and --keep-env's value), NAME a shell name
 *                     ([A-Za-z_][A-Za-z0-9_]*); in order, a later one of
 *                     a NAME replacing an earlier one and the minimal
 *                     environment's, as vos_config_add_env() does
 * No empty string; at most STUBREQ_ARGS arguments and STUBREQ_ENVS
 * variables of each kind; the whole at most STUBREQ_MAX bytes.
 */
#ifndef VOSD_STUBREQ_H
#define VOSD_STUBREQ_H

#include <stddef.h>

#define STUBREQ_MAGIC "VOSSTUB1"
#define STUBREQ_MAX   65536
#define STUBREQ_ARGS  1024
#define STUBREQ_ENVS  64
#define STUBREQ_FDS   3

struct stubreq {
	char *argv[STUBREQ_ARGS + 1]; /* NULL-terminated, pointing into the buffer */
	char *envp[STUBREQ_ENVS + 1];
	char *vars[STUBREQ_ENVS + 1]; /* "v": the caller's --env, in order */
	const char *cwd;	      /* NULL: none given */
	unsigned int argc, envc, varc;
};

/*
 * Parse @len bytes of @buf (kept: the pointers point into it) into @r.
 * 0, or a negative errno with @why saying what is wrong: -EBADMSG
 * (framing, magic, an unknown or empty string), -E2BIG (too many or too
 * long), -EPERM (an "e" variable that is not the locale), -EINVAL (no
 * command, a "v" that is not NAME=VALUE with a shell name).
 */
int stubreq_parse(char *buf, size_t len, struct stubreq *r, const char **why);

/* Build the payload of @argv (NULL-terminated), @cwd (NULL: none), the
 * locale variables of @envp and the variables @vars (NULL or
 * NULL-terminated NAME=VALUE) into @buf: its length, -E2BIG, or -EINVAL
 * (a variable of @vars that is not NAME=VALUE with a shell name).
 */
int stubreq_build(char *buf, size_t len, char *const argv[], const char *cwd, char *const envp[],
		  char *const vars[]);

/* Is @e "NAME=VALUE" with NAME a shell name ([A-Za-z_][A-Za-z0-9_]*)? */
int stubreq_var(const char *e);

/* Is NAME=VALUE @e a locale variable (LANG, LANGUAGE, LC_*)? */
int stubreq_locale(const char *e);

#endif /* VOSD_STUBREQ_H */
