// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_env - what of vosctl's environment reaches the app. The caller's
 * environment holds secrets (tokens, agent sockets, proxy passwords); the
 * app gets only PATH, HOME, TERM (with a terminal) and the locale (LANG,
 * LANGUAGE, LC_*), plus what --env and --keep-env add.
 *
 *   esc_env [NAME...]    every variable outside that list, and every NAME
 *                        given (the runner sets VOS_ESC_SECRET in vosctl's
 *                        environment), is an escape
 *   esc_env --control    outside: VOS_ESC_SECRET must be visible
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"

extern char **environ;

static bool allowed(const char *kv)
{
	static const char *const names[] = { "PATH=", "HOME=", "TERM=", "LANG=", "LANGUAGE=" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(kv, names[i], strlen(names[i])) == 0)
			return true;
	return strncmp(kv, "LC_", 3) == 0;
}

int main(int argc, char **argv)
{
	bool control = esc_is_control(argc, argv);
	char what[300];
	char **e;
	int i, n = 0, bad = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = control ? 2 : 1; i < argc; i++) {
		const char *v = getenv(argv[i]);

		esc_fmt(what, sizeof(what), "see the caller's %s", argv[i]);
		if (v)
			esc_escaped(what, "%s=%s", argv[i], v);
		else
			esc_refused(what, ENOENT);
	}
	if (control) {
		if (getenv("VOS_ESC_SECRET"))
			esc_escaped("see VOS_ESC_SECRET outside", "visible");
		else
			esc_refused("see VOS_ESC_SECRET outside", ENOENT);
		return esc_finish();
	}
	for (e = environ; *e; e++) {
		n++;
		if (allowed(*e)) {
			esc_info("%s", *e);
			continue;
		}
		esc_escaped("a variable outside PATH HOME TERM LANG LANGUAGE LC_*", "%.200s", *e);
		bad++;
	}
	if (!bad)
		esc_refused("any variable outside PATH HOME TERM LANG LANGUAGE LC_*", ENOENT);
	esc_info("%d variables", n);
	return esc_finish();
}
