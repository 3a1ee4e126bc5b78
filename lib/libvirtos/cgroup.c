// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup.c - cgroup v2: find the hierarchy, make the subsystem's leaf,
 * write its limits.
 */
#include <stdio.h>
#include <string.h>

#include "private.h"

int vos_cgroup2_root(char *buf, size_t len)
{
	char line[8192];
	FILE *f;
	int r = -ENOENT;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[4096];

		if (!sep || strncmp(sep, " - cgroup2 ", 11) != 0)
			continue;
		/* id parent maj:min root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if ((size_t)snprintf(buf, len, "%s", mnt) >= len) {
			r = -ENAMETOOLONG;
			break;
		}
		r = 0;
		break;
	}
	fclose(f);
	return r;
}
