/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libtest.h - TAP helpers for the libvirtos integration tests. They run as
 * root in a guest with vos.ko loaded (tests/vm/vm-run); every check is
 * made from inside the subsystem by a probe: the test binary re-executed
 * as "BINARY --probe NAME", which exits 0 if what it sees is right and
 * otherwise prints why on stderr and exits 1.
 */
#ifndef VOS_LIBTEST_H
#define VOS_LIBTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n;
static int tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

__attribute__((format(printf, 2, 3))) static inline void tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

__attribute__((format(printf, 1, 2))) static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * The build tree of the test binary @exe (build/tests/integration/NAME):
 * the binary and the libvirtos.so it runs with (RUNPATH $ORIGIN/../../lib)
 * are not on the default root, which shows only the host's system
 * directories, so probes bind it in read-only.
 */
static inline void tap_build_dir(const char *exe, char *out, size_t n)
{
	char *slash;
	int i;

	snprintf(out, n, "%s", exe);
	for (i = 0; i < 3; i++) {
		slash = strrchr(out, '/');
		if (!slash || slash == out)
			break;
		*slash = '\0';
	}
}

#endif
