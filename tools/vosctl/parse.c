// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The values only vosctl has: a subsystem NAME given as an argument, a
 * count or a number of seconds, a signal. Each parser accepts one
 * documented form and, on anything else, says which option was wrong, what
 * it got and what it accepts. The isolation options' values are the
 * library's to check (options.c).
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include <linux/vos.h>

#include <virtos.h>

#include "vosctl.h"

int cli_fail(struct cli_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

/* As the kernel checks it (uapi VOS_NAME_MAX): the library's rule */
int parse_name(struct cli_err *e, const char *opt, const char *s)
{
	if (vos_name_check(s) == 0)
		return 0;
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a valid name: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit",
		opt, s ? s : "", VOS_NAME_MAX - 1);
}

int parse_count(struct cli_err *e, const char *opt, const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int r = vos_parse_count(s, &v);

	if (r == -ERANGE || (r == 0 && v > max))
		return cli_fail(e, EXIT_USAGE, "%s: '%s' is too large: use at most %u", opt, s,
				max);
	if (r < 0)
		return cli_fail(e, EXIT_USAGE, "%s: '%s' is not a positive integer: use e.g. 10",
				opt, s ? s : "");
	*out = (uint32_t)v;
	return 0;
}

static const struct {
	const char *name;
	int sig;
} signames[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },	  { "QUIT", SIGQUIT },	 { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM },	 { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "ALRM", SIGALRM }, { "WINCH", SIGWINCH },
};

/* TERM, SIGTERM or 15 */
int parse_signal(struct cli_err *e, const char *opt, const char *s, int *sig)
{
	const char *n = s;
	unsigned long v;
	char *end;
	size_t i;

	if (!s || !*s)
		goto bad;
	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || *end || v < 1 || v >= (unsigned long)SIGRTMAX + 1)
			goto bad;
		*sig = (int)v;
		return 0;
	}
	if (strncasecmp(n, "SIG", 3) == 0)
		n += 3;
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++) {
		if (strcasecmp(n, signames[i].name) == 0) {
			*sig = signames[i].sig;
			return 0;
		}
	}
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a signal: use a name such as TERM, SIGKILL or a number 1-%d", opt,
		s ? s : "", SIGRTMAX);
}

int cli_wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_FAIL;
}
