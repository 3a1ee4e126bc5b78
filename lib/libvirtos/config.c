// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * config.c - isolation options and the pure parsing helpers behind them.
 */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/wait.h>

#include "private.h"

extern char **environ;

VOS_EXPORT int vos_name_check(const char *name)
{
	size_t i, n;

	if (!name)
		return -EINVAL;
	n = strlen(name);
	if (n < 1 || n >= VOS_NAME_MAX)
		return -EINVAL;
	if (!isalnum((unsigned char)name[0]))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		unsigned char c = name[i];

		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return -EINVAL;
	}
	return 0;
}

VOS_EXPORT int vos_parse_count(const char *s, uint64_t *n)
{
	uint64_t v = 0;

	if (!s || !n || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v == 0)
		return -EINVAL;
	*n = v;
	return 0;
}

VOS_EXPORT int vos_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!s || !bytes || !*s)
		return -EINVAL;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		p++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		p++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		p++;
		break;
	case 't':
	case 'T':
		mul = 1ULL << 40;
		p++;
		break;
	case 'b':
	case 'B':
		break;
	default:
		return -EINVAL;
	}
	/* optional "B" or "iB" after a unit, "B" alone after a number */
	if (mul > 1 && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return -EINVAL;
	if (v == 0)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*bytes = v * mul;
	return 0;
}

VOS_EXPORT int vos_parse_cpus(const char *s, uint32_t *milli)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!s || !milli || !*s)
		return -EINVAL;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > 1024)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (digits == 3) {
				if (*p != '0')
					return -EINVAL; /* finer than 1/1000 */
				continue;
			}
			frac = frac * 10 + (uint64_t)(*p - '0');
			digits++;
		}
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p)
		return -EINVAL;
	whole = whole * 1000 + frac;
	if (whole == 0)
		return -EINVAL;
	if (whole > 1024000)
		return -ERANGE;
	*milli = (uint32_t)whole;
	return 0;
}

VOS_EXPORT int vos_cap_from_name(const char *name)
{
	char buf[64];
	cap_value_t v;
	uint64_t n;
	size_t i;

	if (!name || !*name || strlen(name) >= sizeof(buf) - 4)
		return -EINVAL;
	if (vos_parse_count(name, &n) == 0 || strcmp(name, "0") == 0) {
		if (strcmp(name, "0") == 0)
			n = 0;
		if (n > CAP_LAST_CAP)
			return -EINVAL;
		return (int)n;
	}
	if (strncasecmp(name, "cap_", 4) == 0)
		snprintf(buf, sizeof(buf), "%s", name);
	else
		snprintf(buf, sizeof(buf), "cap_%s", name);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	if (cap_from_name(buf, &v) < 0)
		return -EINVAL;
	if (v < 0 || v > 63)
		return -EINVAL;
	return (int)v;
}

VOS_EXPORT int vos_wstatus_to_exit(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 125;
}

VOS_EXPORT const char *vos_state_name(uint32_t state)
{
	switch (state) {
	case VOS_STATE_CREATED:
		return "created";
	case VOS_STATE_RUNNING:
		return "running";
	case VOS_STATE_STOPPED:
		return "stopped";
	case VOS_STATE_DESTROYED:
		return "destroyed";
	default:
		return "unknown";
	}
}

VOS_EXPORT const char *vos_event_type_name(uint32_t type)
{
	switch (type) {
	case VOS_EVENT_CREATED:
		return "created";
	case VOS_EVENT_ATTACHED:
		return "attached";
	case VOS_EVENT_EXEC:
		return "exec";
	case VOS_EVENT_EXIT:
		return "exit";
	case VOS_EVENT_STOPPED:
		return "stopped";
	case VOS_EVENT_DESTROYED:
		return "destroyed";
	case VOS_EVENT_DENIED:
		return "denied";
	default:
		return "unknown";
	}
}

VOS_EXPORT int vos_format_idmap(char *buf, size_t len, unsigned int inside, unsigned int outside)
{
	int n;

	if (!buf)
		return -EINVAL;
	n = snprintf(buf, len, "%u %u 1\n", inside, outside);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return n;
}

/* ------------------------------------------------------------------------ */

/* A number from a /proc file, 0 if unreadable: "/proc/meminfo" with @key
 * "MemTotal" (kB), or a one-number file with @key NULL.
 */
static uint64_t proc_number(const char *file, const char *key)
{
	char line[256];
	uint64_t v = 0;
	size_t n = key ? strlen(key) : 0;
	FILE *f = fopen(file, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (key && (strncmp(line, key, n) || line[n] != ':'))
			continue;
		v = strtoull(line + n + (key ? 1 : 0), NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

/*
 * The default limits, scaled to the host so that whatever runs inside
 * leaves the host room to fork and run (Documentation/security.md,
 * "Default limits"):
 *   memory   half of RAM (memory.max, no swap), at least 64 MiB
 *   pids     an eighth of kernel.threads-max, 64 .. 32768
 *   tmpfs    an eighth of RAM for each tmpfs of ours (/tmp, /var/tmp,
 *            /run, /dev/shm, --tmpfs), at least 16 MiB; the pages are
 *            charged to the subsystem's cgroup as well
 * Unreadable /proc files give the floors.
 */
void vos_default_limits(uint64_t *memory, uint64_t *pids, uint64_t *tmpfs_size)
{
	uint64_t ram = proc_number("/proc/meminfo", "MemTotal") * 1024;
	uint64_t threads = proc_number("/proc/sys/kernel/threads-max", NULL);

	*memory = ram / 2 & ~((1ULL << 20) - 1);
	if (*memory < (64ULL << 20))
		*memory = 64ULL << 20;
	*pids = threads / 8;
	if (*pids < 64)
		*pids = 64;
	if (*pids > 32768)
		*pids = 32768;
	*tmpfs_size = ram / 8 & ~((1ULL << 20) - 1);
	if (*tmpfs_size < (16ULL << 20))
		*tmpfs_size = 16ULL << 20;
}

VOS_EXPORT int vos_config_new(struct vos_ctx *ctx, struct vos_config **cfgp)
{
	struct vos_config *cfg;

	if (!ctx || !cfgp)
		return -EINVAL;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return vos_err(ctx, -ENOMEM, "config:");
	cfg->ctx = ctx;
	snprintf(cfg->name, sizeof(cfg->name), "vos-%d", (int)getpid());
	cfg->tty = VOS_TTY_AUTO;
	vos_default_limits(&cfg->memory, &cfg->pids, &cfg->tmpfs_size);
	cfg->stdio[0] = 0;
	cfg->stdio[1] = 1;
	cfg->stdio[2] = 2;
	*cfgp = cfg;
	return 0;
}

VOS_EXPORT void vos_config_free(struct vos_config *cfg)
{
	unsigned int i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nbinds; i++) {
		free(cfg->binds[i].src);
		free(cfg->binds[i].dest);
	}
	for (i = 0; i < cfg->ntmpfs; i++)
		free(cfg->tmpfs[i]);
	for (i = 0; i < cfg->nenv; i++)
		free(cfg->env[i]);
	for (i = 0; i < cfg->nkeep_env; i++)
		free(cfg->keep_env[i]);
	free(cfg->rootfs);
	free(cfg->cwd);
	free(cfg->cgroup_parent);
	free(cfg);
}

VOS_EXPORT int vos_config_set_name(struct vos_config *cfg, const char *name)
{
	if (!cfg)
		return -EINVAL;
	if (vos_name_check(name) < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"invalid name '%s': expected 1-%d characters of [A-Za-z0-9_.-] starting with a letter or digit",
			name ? name : "", VOS_NAME_MAX - 1);
	snprintf(cfg->name, sizeof(cfg->name), "%s", name);
	cfg->name_set = true;
	return 0;
}

VOS_EXPORT int vos_config_set_persistent(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->persistent = on;
	return 0;
}

VOS_EXPORT int vos_config_set_hostname(struct vos_config *cfg, const char *h)
{
	size_t i, n;

	if (!cfg)
		return -EINVAL;
	n = h ? strlen(h) : 0;
	if (n < 1 || n > 64)
		goto bad;
	for (i = 0; i < n; i++) {
		unsigned char c = h[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			goto bad;
	}
	snprintf(cfg->hostname, sizeof(cfg->hostname), "%s", h);
	return 0;
bad:
	return vos_err(cfg->ctx, -EINVAL,
		       "invalid hostname '%s': expected 1-64 characters of [A-Za-z0-9.-_]",
		       h ? h : "");
}

VOS_EXPORT int vos_config_set_root(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->root = on;
	return 0;
}

static int set_abs_path(struct vos_config *cfg, char **slot, const char *what, const char *path)
{
	char *dup;

	if (!path || path[0] != '/' || strlen(path) >= 4096)
		return vos_err(cfg->ctx, -EINVAL, "%s '%s': expected an absolute path", what,
			       path ? path : "");
	dup = strdup(path);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "%s:", what);
	free(*slot);
	*slot = dup;
	return 0;
}

/* ".." components would let a bind destination climb out of the new root */
static bool path_has_dotdot(const char *p)
{
	const char *s = p;

	while ((s = strstr(s, "..")) != NULL) {
		if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			return true;
		s += 2;
	}
	return false;
}

VOS_EXPORT int vos_config_set_rootfs(struct vos_config *cfg, const char *dir)
{
	if (!cfg)
		return -EINVAL;
	return set_abs_path(cfg, &cfg->rootfs, "rootfs", dir);
}

VOS_EXPORT int vos_config_set_host_root(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->host_root = on;
	return 0;
}

VOS_EXPORT int vos_config_set_host_ids(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->host_ids = on;
	return 0;
}

VOS_EXPORT bool vos_config_get_host_ids(const struct vos_config *cfg)
{
	return cfg && cfg->host_ids;
}

VOS_EXPORT int vos_config_set_cwd(struct vos_config *cfg, const char *dir)
{
	if (!cfg)
		return -EINVAL;
	return set_abs_path(cfg, &cfg->cwd, "cwd", dir);
}

VOS_EXPORT int vos_config_set_cgroup_parent(struct vos_config *cfg, const char *dir)
{
	if (!cfg)
		return -EINVAL;
	if (dir && path_has_dotdot(dir))
		return vos_err(cfg->ctx, -EINVAL, "cgroup parent '%s': '..' is not allowed", dir);
	return set_abs_path(cfg, &cfg->cgroup_parent, "cgroup parent", dir);
}

VOS_EXPORT int vos_config_add_bind(struct vos_config *cfg, const char *src, const char *dest,
				   unsigned int flags)
{
	struct vos_bind *b;
	const char *what;

	if (!cfg)
		return -EINVAL;
	what = (flags & VOS_BIND_RW) ? "--rw" : "--ro";
	if (flags & ~VOS_BIND_RW)
		return vos_err(cfg->ctx, -EINVAL, "bind: unknown flags 0x%x", flags);
	if (!dest)
		dest = src;
	if (!src || src[0] != '/' || !dest || dest[0] != '/')
		return vos_err(cfg->ctx, -EINVAL, "%s '%s%s%s': expected absolute paths SRC[:DEST]",
			       what, src ? src : "", dest != src ? ":" : "",
			       dest != src && dest ? dest : "");
	if (strlen(src) >= 4096 || strlen(dest) >= 4096)
		return vos_err(cfg->ctx, -EINVAL, "%s: path too long", what);
	if (path_has_dotdot(dest) || path_has_dotdot(src))
		return vos_err(cfg->ctx, -EINVAL, "%s '%s:%s': '..' is not allowed", what, src,
			       dest);
	if (strcmp(dest, "/") == 0)
		return vos_err(cfg->ctx, -EINVAL, "%s: cannot bind over '/' (use --rootfs)", what);
	if (cfg->nbinds >= VOS_MAX_BINDS)
		return vos_err(cfg->ctx, -E2BIG, "%s: at most %d binds", what, VOS_MAX_BINDS);
	b = &cfg->binds[cfg->nbinds];
	b->src = strdup(src);
	b->dest = strdup(dest);
	if (!b->src || !b->dest) {
		free(b->src);
		free(b->dest);
		return vos_err(cfg->ctx, -ENOMEM, "%s:", what);
	}
	b->flags = flags;
	cfg->nbinds++;
	return 0;
}

VOS_EXPORT int vos_config_add_bind_spec(struct vos_config *cfg, const char *spec,
					unsigned int flags)
{
	char buf[8192];
	char *colon;

	if (!cfg)
		return -EINVAL;
	if (!spec || !*spec || strlen(spec) >= sizeof(buf))
		return vos_err(cfg->ctx, -EINVAL, "%s '%s': expected SRC[:DEST] (absolute paths)",
			       (flags & VOS_BIND_RW) ? "--rw" : "--ro", spec ? spec : "");
	snprintf(buf, sizeof(buf), "%s", spec);
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		return vos_config_add_bind(cfg, buf, colon + 1, flags);
	}
	return vos_config_add_bind(cfg, buf, NULL, flags);
}

VOS_EXPORT int vos_config_add_tmpfs(struct vos_config *cfg, const char *dest)
{
	char *dup;

	if (!cfg)
		return -EINVAL;
	if (!dest || dest[0] != '/' || strcmp(dest, "/") == 0 || strlen(dest) >= 4096 ||
	    path_has_dotdot(dest))
		return vos_err(
			cfg->ctx, -EINVAL,
			"--tmpfs '%s': expected an absolute path other than '/' without '..'",
			dest ? dest : "");
	if (cfg->ntmpfs >= VOS_MAX_TMPFS)
		return vos_err(cfg->ctx, -E2BIG, "--tmpfs: at most %d", VOS_MAX_TMPFS);
	dup = strdup(dest);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "--tmpfs:");
	cfg->tmpfs[cfg->ntmpfs++] = dup;
	return 0;
}

/* the kernel's memory.max needs at least a few pages to be useful */
#define VOS_MEMORY_MIN (1ULL << 20)

VOS_EXPORT int vos_config_set_memory(struct vos_config *cfg, uint64_t bytes)
{
	if (!cfg)
		return -EINVAL;
	if (bytes && bytes < VOS_MEMORY_MIN)
		return vos_err(cfg->ctx, -EINVAL, "--memory %" PRIu64 ": at least 1M", bytes);
	cfg->memory = bytes;
	return 0;
}

VOS_EXPORT int vos_config_set_cpu_milli(struct vos_config *cfg, uint32_t milli)
{
	if (!cfg)
		return -EINVAL;
	if (milli > 1024000)
		return vos_err(cfg->ctx, -EINVAL, "--cpus: at most 1024");
	cfg->cpu_milli = milli;
	return 0;
}

VOS_EXPORT int vos_config_set_pids(struct vos_config *cfg, uint64_t max)
{
	if (!cfg)
		return -EINVAL;
	if (max > (1ULL << 22))
		return vos_err(cfg->ctx, -EINVAL, "--pids %" PRIu64 ": at most %llu", max,
			       1ULL << 22);
	cfg->pids = max;
	return 0;
}

/* A limit's string form: "max" is 0 (no limit), anything else goes
 * through @parse and must not be 0. Returns 0 or -EINVAL.
 */
static int parse_limit(const char *s, int (*parse)(const char *, uint64_t *), uint64_t *v)
{
	if (s && !strcmp(s, "max")) {
		*v = 0;
		return 0;
	}
	return parse(s, v) < 0 || !*v ? -EINVAL : 0;
}

VOS_EXPORT int vos_config_set_memory_str(struct vos_config *cfg, const char *s)
{
	uint64_t v;

	if (!cfg)
		return -EINVAL;
	if (parse_limit(s, vos_parse_size, &v) < 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--memory '%s': expected a size like 512K, 100M or 2G, or max",
			       s ? s : "");
	return vos_config_set_memory(cfg, v);
}

/* tmpfs takes any size; below 1 MiB nothing useful fits */
VOS_EXPORT int vos_config_set_tmpfs_size(struct vos_config *cfg, uint64_t bytes)
{
	if (!cfg)
		return -EINVAL;
	if (bytes && bytes < VOS_MEMORY_MIN)
		return vos_err(cfg->ctx, -EINVAL, "--tmpfs-size %" PRIu64 ": at least 1M", bytes);
	cfg->tmpfs_size = bytes;
	return 0;
}

VOS_EXPORT int vos_config_set_tmpfs_size_str(struct vos_config *cfg, const char *s)
{
	uint64_t v;

	if (!cfg)
		return -EINVAL;
	if (parse_limit(s, vos_parse_size, &v) < 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--tmpfs-size '%s': expected a size like 64M or 1G, or max",
			       s ? s : "");
	return vos_config_set_tmpfs_size(cfg, v);
}

VOS_EXPORT int vos_config_set_cpus_str(struct vos_config *cfg, const char *s)
{
	uint32_t v;

	if (!cfg)
		return -EINVAL;
	if (vos_parse_cpus(s, &v) < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--cpus '%s': expected a number of CPUs like 1, 0.5 or 2.25 (0.001..1024)",
			s ? s : "");
	return vos_config_set_cpu_milli(cfg, v);
}

VOS_EXPORT int vos_config_set_pids_str(struct vos_config *cfg, const char *s)
{
	uint64_t v;

	if (!cfg)
		return -EINVAL;
	if (parse_limit(s, vos_parse_count, &v) < 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--pids '%s': expected a positive number of processes, or max",
			       s ? s : "");
	return vos_config_set_pids(cfg, v);
}

VOS_EXPORT int vos_config_add_cap(struct vos_config *cfg, const char *cap)
{
	int v;

	if (!cfg)
		return -EINVAL;
	v = vos_cap_from_name(cap);
	if (v < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--cap-add '%s': unknown capability (expected a name like CAP_NET_BIND_SERVICE or net_bind_service)",
			cap ? cap : "");
	cfg->caps |= 1ULL << v;
	return 0;
}

VOS_EXPORT int vos_config_set_share_net(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->share_net = on;
	return 0;
}

/* Socket family names as in socket(2) and address_families(7), AF_ left out. */
static const struct {
	const char *name;
	int family;
} af_names[] = {
	{ "unix", 1 },	      { "local", 1 },	  { "inet", 2 },      { "ax25", 3 },
	{ "ipx", 4 },	      { "appletalk", 5 }, { "netrom", 6 },    { "bridge", 7 },
	{ "atmpvc", 8 },      { "x25", 9 },	  { "inet6", 10 },    { "rose", 11 },
	{ "decnet", 12 },     { "netbeui", 13 },  { "security", 14 }, { "key", 15 },
	{ "netlink", 16 },    { "packet", 17 },	  { "ash", 18 },      { "econet", 19 },
	{ "atmsvc", 20 },     { "rds", 21 },	  { "sna", 22 },      { "irda", 23 },
	{ "pppox", 24 },      { "wanpipe", 25 },  { "llc", 26 },      { "ib", 27 },
	{ "mpls", 28 },	      { "can", 29 },	  { "tipc", 30 },     { "bluetooth", 31 },
	{ "iucv", 32 },	      { "rxrpc", 33 },	  { "isdn", 34 },     { "phonet", 35 },
	{ "ieee802154", 36 }, { "caif", 37 },	  { "alg", 38 },      { "nfc", 39 },
	{ "vsock", 40 },      { "kcm", 41 },	  { "qipcrtr", 42 },  { "smc", 43 },
	{ "xdp", 44 },	      { "mctp", 45 },
};

VOS_EXPORT int vos_socket_family_from_name(const char *name)
{
	uint64_t n;
	size_t i;

	if (!name || !*name)
		return -EINVAL;
	if (vos_parse_count(name, &n) == 0)
		return n < VOS_SOCKET_FAMILY_MAX ? (int)n : -EINVAL;
	if (strncasecmp(name, "af_", 3) == 0 || strncasecmp(name, "pf_", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof(af_names) / sizeof(af_names[0]); i++)
		if (strcasecmp(name, af_names[i].name) == 0)
			return af_names[i].family;
	return -EINVAL;
}

VOS_EXPORT int vos_config_allow_socket_family(struct vos_config *cfg, int family)
{
	if (!cfg)
		return -EINVAL;
	if (family <= 0 || family >= VOS_SOCKET_FAMILY_MAX)
		return vos_err(cfg->ctx, -EINVAL, "--allow-socket %d: expected a family 1-%d",
			       family, VOS_SOCKET_FAMILY_MAX - 1);
	cfg->socket_families |= 1ULL << family;
	return 0;
}

VOS_EXPORT int vos_config_allow_socket_family_str(struct vos_config *cfg, const char *name)
{
	int f;

	if (!cfg)
		return -EINVAL;
	f = vos_socket_family_from_name(name);
	if (f < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--allow-socket '%s': unknown socket family (expected a name like vsock, packet, alg, bluetooth, netlink, or a number 1-%d)",
			name ? name : "", VOS_SOCKET_FAMILY_MAX - 1);
	return vos_config_allow_socket_family(cfg, f);
}

VOS_EXPORT uint64_t vos_config_get_socket_families(const struct vos_config *cfg)
{
	return cfg ? cfg->socket_families : 0;
}

/* An environment variable name: what a shell accepts, [A-Za-z_][A-Za-z0-9_]*. */
static bool env_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 1024 || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

VOS_EXPORT int vos_config_add_env(struct vos_config *cfg, const char *kv)
{
	const char *eq = kv ? strchr(kv, '=') : NULL;
	char *dup;

	if (!cfg)
		return -EINVAL;
	if (!eq || !env_name_ok(kv, (size_t)(eq - kv)) || strlen(kv) > 65536)
		return vos_err(cfg->ctx, -EINVAL,
			       "--env '%s': expected NAME=VALUE with a NAME of [A-Za-z0-9_]",
			       kv ? kv : "");
	if (cfg->nenv >= VOS_MAX_ENV)
		return vos_err(cfg->ctx, -E2BIG, "--env: at most %d", VOS_MAX_ENV);
	dup = strdup(kv);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "--env:");
	cfg->env[cfg->nenv++] = dup;
	return 0;
}

VOS_EXPORT int vos_config_add_keep_env(struct vos_config *cfg, const char *name)
{
	char *dup;

	if (!cfg)
		return -EINVAL;
	if (!name || !env_name_ok(name, strlen(name)))
		return vos_err(cfg->ctx, -EINVAL,
			       "--keep-env '%s': expected a variable NAME of [A-Za-z0-9_]",
			       name ? name : "");
	if (cfg->nkeep_env >= VOS_MAX_ENV)
		return vos_err(cfg->ctx, -E2BIG, "--keep-env: at most %d", VOS_MAX_ENV);
	dup = strdup(name);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "--keep-env:");
	cfg->keep_env[cfg->nkeep_env++] = dup;
	return 0;
}

/* The caller's "NAME=value" for @name (n bytes), or NULL. */
static char *caller_env(const char *name, size_t n)
{
	char **e;

	for (e = environ; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e;
	return NULL;
}

/* Put "NAME=..." in @env, replacing an entry of the same NAME. */
static void env_put(char **env, unsigned int *n, char *kv)
{
	size_t len = strcspn(kv, "=");
	unsigned int i;

	for (i = 0; i < *n; i++) {
		if (strncmp(env[i], kv, len) == 0 && env[i][len] == '=') {
			env[i] = kv;
			return;
		}
	}
	env[(*n)++] = kv;
}

/* Is @path where a --rw/--ro bind or a --tmpfs lands (so it exists inside)? */
static bool shown_inside(const struct vos_config *cfg, const char *path)
{
	unsigned int i;

	for (i = 0; i < cfg->nbinds; i++)
		if (strcmp(cfg->binds[i].dest, path) == 0)
			return true;
	for (i = 0; i < cfg->ntmpfs; i++)
		if (strcmp(cfg->tmpfs[i], path) == 0)
			return true;
	return false;
}

/*
 * The app's environment, minimal by default: nothing of the caller's
 * (tokens, agent sockets, proxy passwords, paths that do not exist inside)
 * unless asked for. PATH is the standard one; HOME is "/" unless the
 * caller's home is bound in; TERM only with a terminal; the caller's
 * locale (LANG, LANGUAGE, LC_*). Then --keep-env NAME from the caller and
 * --env NAME=VALUE, later ones winning.
 */
int vos_env_build(struct vos_ctx *ctx, const struct vos_config *cfg, bool tty, char ***envp)
{
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	static char home_root[] = "HOME=/";
	unsigned int n = 0, max, i;
	char **env, **e, *v;

	max = 4 + cfg->nkeep_env + cfg->nenv;
	for (e = environ; e && *e; e++)
		max++;
	env = calloc(max + 1, sizeof(char *));
	if (!env)
		return vos_err(ctx, -ENOMEM, "environment:");
	env_put(env, &n, path);
	v = caller_env("HOME", 4);
	env_put(env, &n, v && shown_inside(cfg, v + 5) ? v : home_root);
	for (i = 0; i < 3 && !tty; i++)
		tty = cfg->stdio[i] >= 0 && isatty(cfg->stdio[i]);
	if (tty && (v = caller_env("TERM", 4)))
		env_put(env, &n, v);
	for (e = environ; e && *e; e++)
		if (strncmp(*e, "LANG=", 5) == 0 || strncmp(*e, "LANGUAGE=", 9) == 0 ||
		    strncmp(*e, "LC_", 3) == 0)
			env_put(env, &n, *e);
	for (i = 0; i < cfg->nkeep_env; i++) {
		v = caller_env(cfg->keep_env[i], strlen(cfg->keep_env[i]));
		if (v)
			env_put(env, &n, v);
	}
	for (i = 0; i < cfg->nenv; i++)
		env_put(env, &n, cfg->env[i]);
	*envp = env;
	return 0;
}

VOS_EXPORT int vos_config_set_as_pid1(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->as_pid1 = on;
	return 0;
}

VOS_EXPORT int vos_config_set_tty(struct vos_config *cfg, enum vos_tty_mode m)
{
	if (!cfg)
		return -EINVAL;
	if (m != VOS_TTY_AUTO && m != VOS_TTY_NONE && m != VOS_TTY_PTY)
		return vos_err(cfg->ctx, -EINVAL, "tty mode %d: unknown", m);
	cfg->tty = m;
	return 0;
}

VOS_EXPORT int vos_config_set_stdio(struct vos_config *cfg, int in_fd, int out_fd, int err_fd)
{
	int fds[3] = { in_fd, out_fd, err_fd };
	int i;

	if (!cfg)
		return -EINVAL;
	for (i = 0; i < 3; i++) {
		if (fds[i] < -1 || (fds[i] >= 0 && fcntl(fds[i], F_GETFD) < 0))
			return vos_err(cfg->ctx, -EBADF, "stdio fd %d: not an open file descriptor",
				       fds[i]);
	}
	memcpy(cfg->stdio, fds, sizeof(fds));
	return 0;
}

VOS_EXPORT const char *vos_config_get_name(const struct vos_config *cfg)
{
	return cfg ? cfg->name : NULL;
}

VOS_EXPORT const char *vos_config_get_hostname(const struct vos_config *cfg)
{
	if (!cfg)
		return NULL;
	return cfg->hostname[0] ? cfg->hostname : cfg->name;
}

VOS_EXPORT uint64_t vos_config_get_memory(const struct vos_config *cfg)
{
	return cfg ? cfg->memory : 0;
}

VOS_EXPORT uint32_t vos_config_get_cpu_milli(const struct vos_config *cfg)
{
	return cfg ? cfg->cpu_milli : 0;
}

VOS_EXPORT uint64_t vos_config_get_pids(const struct vos_config *cfg)
{
	return cfg ? cfg->pids : 0;
}

VOS_EXPORT uint64_t vos_config_get_tmpfs_size(const struct vos_config *cfg)
{
	return cfg ? cfg->tmpfs_size : 0;
}
