// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_suidhelper - the payload of the setuid test. The runner installs
 * copies of it setuid-root and with file capabilities; it prints the
 * identity and effective capabilities it actually runs with:
 *   ruid=R euid=E capeff=HEX
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "esc.h"

int main(void)
{
	char st[4096], *p;
	unsigned long long eff = 0;

	if (esc_read_file("/proc/self/status", st, sizeof(st)) > 0 && (p = strstr(st, "CapEff:")))
		sscanf(p + 7, "%llx", &eff);
	printf("ruid=%u euid=%u capeff=%llx\n", getuid(), geteuid(), eff);
	return 0;
}
