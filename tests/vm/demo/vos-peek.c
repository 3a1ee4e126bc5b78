// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-peek: print what this process can see of the system, so that running it
 * on the host and inside `vosctl run --isolate` shows what isolation changes:
 * pid and parent, host name, ids, capabilities, no_new_privs and seccomp,
 * mounts, network interfaces and how many processes are visible in /proc.
 */
#include <ctype.h>
#include <dirent.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/capability.h>

/* Print the /proc/self/status lines whose key is one of @keys. */
static void status_lines(const char *const *keys)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		perror("vos-peek: /proc/self/status");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		for (const char *const *k = keys; *k; k++) {
			size_t n = strlen(*k);

			if (!strncmp(line, *k, n) && line[n] == ':')
				printf("  %s", line);
		}
	}
	fclose(f);
}

/* Names of the capabilities set in the mask of status key @key ("CapEff"). */
static void cap_names(const char *key)
{
	char line[512];
	unsigned long long mask = 0;
	int found = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') {
			mask = strtoull(line + strlen(key) + 1, NULL, 16);
			found = 1;
		}
	}
	fclose(f);
	if (!found)
		return;
	printf("  %s names:", key);
	if (!mask) {
		printf(" (none)\n");
		return;
	}
	if (cap_max_bits() < 64 && mask == (1ULL << cap_max_bits()) - 1) {
		printf(" all %d capabilities\n", (int)cap_max_bits());
		return;
	}
	for (int c = 0; c < 64; c++) {
		char *name;

		if (!(mask & (1ULL << c)))
			continue;
		name = cap_to_name(c);
		printf(" %s", name ? name : "?");
		cap_free(name);
	}
	printf("\n");
}

static void mounts(void)
{
	char line[4096], mnt[1024], fstype[64];
	int n = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f) {
		perror("vos-peek: /proc/self/mountinfo");
		return;
	}
	printf("mounts:\n");
	while (fgets(line, sizeof(line), f)) {
		/* id parent major:minor root MOUNTPOINT opts ... - FSTYPE src opts */
		char *dash = strstr(line, " - ");

		if (sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 || !dash ||
		    sscanf(dash + 3, "%63s", fstype) != 1)
			continue;
		printf("  %-40s %s\n", mnt, fstype);
		n++;
	}
	fclose(f);
	printf("  (%d mounts)\n", n);
}

static void interfaces(void)
{
	struct if_nameindex *ifs = if_nameindex();

	printf("network interfaces:");
	if (!ifs) {
		printf(" (cannot list)\n");
		return;
	}
	for (struct if_nameindex *i = ifs; i->if_index; i++)
		printf(" %s", i->if_name);
	printf("\n");
	if_freenameindex(ifs);
}

static int visible_processes(void)
{
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			n++;
	closedir(dir);
	return n;
}

int main(void)
{
	static const char *const keys[] = { "CapEff", "CapBnd", "NoNewPrivs", "Seccomp", NULL };
	char host[256] = "";

	gethostname(host, sizeof(host) - 1);
	printf("pid %d, parent %d, hostname \"%s\"\n", (int)getpid(), (int)getppid(), host);
	printf("uid %d (effective %d), gid %d (effective %d)\n", (int)getuid(), (int)geteuid(),
	       (int)getgid(), (int)getegid());
	printf("status:\n");
	status_lines(keys);
	cap_names("CapEff");
	cap_names("CapBnd");
	mounts();
	interfaces();
	printf("processes visible in /proc: %d\n", visible_processes());
	return 0;
}
