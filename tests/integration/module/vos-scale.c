// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-scale: 10,000 subsystems created, found by name and id, dumped over
 * netlink (each exactly once) and destroyed. Prints the times and the
 * kernel memory per subsystem (/proc/meminfo SUnreclaim delta) as TAP
 * diagnostics; speed itself is not asserted (see the benchmarks).
 */
#include "vostest.h"

#define N 10000

static uint64_t ids[N];
static unsigned char seen[N];
static int dump_total, dump_dup, dump_foreign;

static int dump_cb(struct nlattr **tb, void *arg)
{
	const char *name = tb[VOS_A_SUBSYS_NAME] ? nla_get_string(tb[VOS_A_SUBSYS_NAME]) : "";
	int i;

	(void)arg;
	dump_total++;
	if (sscanf(name, "scale-%d", &i) != 1 || i < 0 || i >= N ||
	    ids[i] != attr_u64(tb, VOS_A_SUBSYS_ID)) {
		dump_foreign++;
		return NL_OK;
	}
	if (seen[i]++)
		dump_dup++;
	return NL_OK;
}

static long meminfo_kb(const char *key)
{
	char line[256];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = atol(line + n + 1);
	if (f)
		fclose(f);
	return v;
}

static void settle(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	sync();
	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			diag("drop_caches failed");
		close(fd);
	}
	/* measurement only (the memory numbers are diagnostics, nothing
	 * waits on this): give RCU-freed objects a moment to go
	 */
	sleep_ms(200);
}

int main(void)
{
	int dev = vos_open_dev(), i, fd, bad = 0, missing = 0;
	double t0, t_create, t_lookup, t_dump, t_destroy;
	long sunr0, sunr1, slab0, slab1, sunr2;
	struct vnl v;
	char name[32];

	if (vnl_open(&v))
		bail("genl");
	settle();
	sunr0 = meminfo_kb("SUnreclaim");
	slab0 = meminfo_kb("Slab");

	t0 = now_ms();
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "scale-%05d", i);
		fd = vos_create(dev, name, VOS_SUBSYS_PERSISTENT);
		if (fd < 0) {
			bad++;
			continue;
		}
		ids[i] = vos_id_of(fd);
		close(fd);
	}
	t_create = now_ms() - t0;
	is_num(bad, 0, "%d persistent subsystems created", N);

	settle();
	sunr1 = meminfo_kb("SUnreclaim");
	slab1 = meminfo_kb("Slab");

	t0 = now_ms();
	for (i = 0; i < N; i += 7) {
		snprintf(name, sizeof(name), "scale-%05d", i);
		fd = i % 2 ? vos_open_name(dev, name) : vos_open_id(dev, ids[i]);
		if (fd < 0 || vos_id_of(fd) != ids[i])
			missing++;
		if (fd >= 0)
			close(fd);
	}
	t_lookup = now_ms() - t0;
	is_num(missing, 0, "every 7th found by name or id");

	t0 = now_ms();
	is_num(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_SUBSYS, NLM_F_DUMP), dump_cb, NULL), 0,
	       "dump");
	t_dump = now_ms() - t0;
	is_num(dump_total, N, "dump returned %d subsystems", N);
	is_num(dump_dup, 0, "none twice");
	is_num(dump_foreign, 0, "none unknown");
	for (i = 0, missing = 0; i < N; i++)
		missing += !seen[i];
	is_num(missing, 0, "none missing");

	t0 = now_ms();
	for (i = 0, bad = 0; i < N; i++) {
		fd = vos_open_id(dev, ids[i]);
		if (fd < 0 || ioctl(fd, VOS_SUBSYS_END, 0)) {
			bad++;
			continue;
		}
		close(fd);
	}
	t_destroy = now_ms() - t0;
	is_num(bad, 0, "all ended and closed");
	snprintf(name, sizeof(name), "scale-%05d", N - 1);
	ok(vos_wait_gone(dev, name, 5000), "the last one is gone");
	dump_total = 0;
	memset(seen, 0, sizeof(seen));
	is_num(vnl_request(&v, vnl_msg(&v, VOS_CMD_GET_SUBSYS, NLM_F_DUMP), dump_cb, NULL), 0,
	       "dump again");
	is_num(dump_total, 0, "empty");

	settle();
	sunr2 = meminfo_kb("SUnreclaim");
	diag("create %d: %.0f ms (%.1f us each)", N, t_create, t_create * 1000 / N);
	diag("open %d by name/id: %.0f ms", (N + 6) / 7, t_lookup);
	diag("dump %d: %.0f ms", N, t_dump);
	diag("open+end+close %d: %.0f ms (%.1f us each)", N, t_destroy, t_destroy * 1000 / N);
	diag("total create+dump+destroy: %.0f ms", t_create + t_dump + t_destroy);
	diag("SUnreclaim: %ld kB before, %ld kB with %d subsystems (%.0f bytes each), %ld kB after",
	     sunr0, sunr1, N, (sunr1 - sunr0) * 1024.0 / N, sunr2);
	diag("Slab: %ld -> %ld kB (%.0f bytes each)", slab0, slab1, (slab1 - slab0) * 1024.0 / N);
	vnl_close(&v);
	close(dev);
	return tap_done();
}
