// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * options.c - the isolation options, each defined once: its setter, which
 * checks the value and says what is wrong with it, and its row in the table
 * (vos_options()) that names it for front ends: the long option, the form
 * of its value, its key in a definition file and its help text.
 *
 * vosctl builds its getopt table and the --help of run and create from the
 * rows and sets every value through vos_config_set_option(), which calls
 * the same setter a program calls: the checks and messages here are the
 * only ones, and a bad value fails the same way from the command line, a
 * definition file or a typed setter. A message reads "--OPTION: 'VALUE' is
 * not X: use Y"; front ends print it as it is. A failed call changes
 * nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

/* ---- the root and the host's files ---------------------------------------- */

#define ROOT_CONFLICT "--rootfs and --host-root both choose the root: give one of them"

VOS_EXPORT int vos_config_set_hostname(struct vos_config *cfg, const char *h)
{
	bool long_label;

	if (!cfg)
		return -EINVAL;
	if (!vos_hostname_ok(h, &long_label)) {
		if (long_label)
			return vos_err(
				cfg->ctx, -EINVAL,
				"--hostname: '%s' has a part longer than 63 characters: use shorter parts between the dots",
				h);
		return vos_err(
			cfg->ctx, -EINVAL,
			"--hostname: '%s' is not a host name: use up to 64 letters, digits, '-' and '.', e.g. web1",
			h ? h : "");
	}
	snprintf(cfg->hostname, sizeof(cfg->hostname), "%s", h);
	return 0;
}

VOS_EXPORT int vos_config_set_rootfs(struct vos_config *cfg, const char *dir)
{
	if (!cfg)
		return -EINVAL;
	/* both would be a root: refused either way round, not one winning */
	if (cfg->host_root)
		return vos_err(cfg->ctx, -EINVAL, ROOT_CONFLICT);
	return vos_config_set_path(cfg, &cfg->rootfs, "--rootfs", dir);
}

VOS_EXPORT int vos_config_set_host_root(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	if (on && cfg->rootfs)
		return vos_err(cfg->ctx, -EINVAL, ROOT_CONFLICT);
	cfg->host_root = on;
	return 0;
}

#define BIND_FORM "use absolute paths, e.g. /srv/data or /srv/data:/mnt"

VOS_EXPORT int vos_config_add_bind(struct vos_config *cfg, const char *src, const char *dest,
				   unsigned int flags)
{
	const char *what, *sep;
	struct vos_bind *b;

	if (!cfg)
		return -EINVAL;
	what = (flags & VOS_BIND_RW) ? "--rw" : "--ro";
	if (flags & ~VOS_BIND_RW)
		return vos_err(cfg->ctx, -EINVAL, "bind: unknown flags 0x%x", flags);
	/* the value as SRC[:DEST] spells it, for the messages */
	sep = dest ? ":" : "";
	if (!dest)
		dest = src;
	if (!src || src[0] != '/' || dest[0] != '/')
		return vos_err(cfg->ctx, -EINVAL, "%s: '%s%s%s' is not SRC[:DEST]: " BIND_FORM,
			       what, src ? src : "", sep, *sep ? dest : "");
	if (strlen(src) >= VOS_PATH_MAX || strlen(dest) >= VOS_PATH_MAX)
		return vos_err(cfg->ctx, -EINVAL,
			       "%s: a path is longer than %d bytes: use a shorter one", what,
			       VOS_PATH_MAX - 1);
	if (vos_path_has_dotdot(dest) || vos_path_has_dotdot(src))
		return vos_err(cfg->ctx, -EINVAL,
			       "%s: '%s%s%s' has a '..' component: use paths without '..'", what,
			       src, sep, *sep ? dest : "");
	if (strcmp(dest, "/") == 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"%s: '%s%s%s' would cover the whole root: use --rootfs DIR for another root",
			what, src, sep, *sep ? dest : "");
	if (cfg->nbinds >= VOS_MAX_BINDS)
		return vos_err(cfg->ctx, -EINVAL,
			       "%s: more than %d binds: combine them under fewer directories", what,
			       VOS_MAX_BINDS);
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
	char buf[2 * VOS_PATH_MAX];
	char *colon;

	if (!cfg)
		return -EINVAL;
	/* SRC[:DEST]: one ':' at most, else which one splits is a guess */
	colon = spec ? strchr(spec, ':') : NULL;
	if (!spec || (colon && strchr(colon + 1, ':')))
		return vos_err(cfg->ctx, -EINVAL, "%s: '%s' is not SRC[:DEST]: " BIND_FORM,
			       (flags & VOS_BIND_RW) ? "--rw" : "--ro", spec ? spec : "");
	if (strlen(spec) >= sizeof(buf))
		return vos_config_add_bind(cfg, spec, NULL, flags); /* says: too long */
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
	if (!dest || dest[0] != '/')
		return vos_err(
			cfg->ctx, -EINVAL,
			"--tmpfs: '%s' is not an absolute path: use a path starting with '/'",
			dest ? dest : "");
	if (strlen(dest) >= VOS_PATH_MAX)
		return vos_err(cfg->ctx, -EINVAL,
			       "--tmpfs: path is longer than %d bytes: use a shorter one",
			       VOS_PATH_MAX - 1);
	if (vos_path_has_dotdot(dest))
		return vos_err(cfg->ctx, -EINVAL,
			       "--tmpfs: '%s' has a '..' component: use a path without '..'", dest);
	if (strcmp(dest, "/") == 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--tmpfs: '/' would hide the whole root: use a directory, e.g. /scratch");
	if (cfg->ntmpfs >= VOS_MAX_TMPFS)
		return vos_err(cfg->ctx, -EINVAL,
			       "--tmpfs: more than %d: combine them under fewer directories",
			       VOS_MAX_TMPFS);
	dup = strdup(dest);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "--tmpfs:");
	cfg->tmpfs[cfg->ntmpfs++] = dup;
	return 0;
}

/* ---- limits ------------------------------------------------------------------ */

/*
 * The range of a size limit (--memory, --tmpfs-size): at least 1 MiB (the
 * kernel's memory.max needs a few pages to be useful, and nothing fits in
 * a smaller tmpfs), at most 1 PiB (far above any machine). @s is the value
 * as given, NULL for a number from a typed setter.
 */
static int size_range(struct vos_config *cfg, const char *opt, const char *s, uint64_t bytes)
{
	char num[24];

	if (!s) {
		snprintf(num, sizeof(num), "%" PRIu64, bytes);
		s = num;
	}
	if (bytes < VOS_SIZE_MIN)
		return vos_err(cfg->ctx, -EINVAL, "%s: '%s' is too small: use at least 1M", opt, s);
	if (bytes > VOS_SIZE_MAX)
		return vos_err(cfg->ctx, -EINVAL, "%s: '%s' is too large: use at most %lluG", opt,
			       s, VOS_SIZE_MAX >> 30);
	return 0;
}

/* "max" (0: no limit) or a size in its range */
static int size_arg(struct vos_config *cfg, const char *opt, const char *s, uint64_t *v)
{
	int r;

	if (s && !strcmp(s, "max")) {
		*v = 0;
		return 0;
	}
	r = vos_size_parse(s, v);
	if (r == -ERANGE)
		return size_range(cfg, opt, s, UINT64_MAX);
	if (r < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"%s: '%s' is not a size: use a number with an optional K, M or G suffix, e.g. 512M",
			opt, s ? s : "");
	return size_range(cfg, opt, s, *v);
}

VOS_EXPORT int vos_config_set_memory(struct vos_config *cfg, uint64_t bytes)
{
	int r;

	if (!cfg)
		return -EINVAL;
	if (bytes && (r = size_range(cfg, "--memory", NULL, bytes)) < 0)
		return r;
	cfg->memory = bytes;
	return 0;
}

VOS_EXPORT int vos_config_set_memory_str(struct vos_config *cfg, const char *s)
{
	uint64_t v;
	int r;

	if (!cfg)
		return -EINVAL;
	r = size_arg(cfg, "--memory", s, &v);
	if (r < 0)
		return r;
	cfg->memory = v;
	return 0;
}

VOS_EXPORT int vos_config_set_tmpfs_size(struct vos_config *cfg, uint64_t bytes)
{
	int r;

	if (!cfg)
		return -EINVAL;
	if (bytes && (r = size_range(cfg, "--tmpfs-size", NULL, bytes)) < 0)
		return r;
	cfg->tmpfs_size = bytes;
	return 0;
}

VOS_EXPORT int vos_config_set_tmpfs_size_str(struct vos_config *cfg, const char *s)
{
	uint64_t v;
	int r;

	if (!cfg)
		return -EINVAL;
	r = size_arg(cfg, "--tmpfs-size", s, &v);
	if (r < 0)
		return r;
	cfg->tmpfs_size = v;
	return 0;
}

#define CPUS_TOO_LARGE "--cpus: '%s' is too large: use at most %d"

VOS_EXPORT int vos_config_set_cpu_milli(struct vos_config *cfg, uint32_t milli)
{
	char s[24];

	if (!cfg)
		return -EINVAL;
	if (milli > VOS_CPUS_MAX * 1000) {
		snprintf(s, sizeof(s), "%u.%03u", milli / 1000, milli % 1000);
		return vos_err(cfg->ctx, -EINVAL, CPUS_TOO_LARGE, s, VOS_CPUS_MAX);
	}
	cfg->cpu_milli = milli;
	return 0;
}

VOS_EXPORT int vos_config_set_cpus_str(struct vos_config *cfg, const char *s)
{
	uint32_t v;
	int r;

	if (!cfg)
		return -EINVAL;
	r = vos_cpus_parse(s, &v);
	if (r == -ERANGE)
		return vos_err(cfg->ctx, -EINVAL, CPUS_TOO_LARGE, s, VOS_CPUS_MAX);
	if (r == -EDOM)
		return vos_err(cfg->ctx, -EINVAL,
			       "--cpus: '%s' has more than 3 decimals: use e.g. 0.5, 1.25 or 2", s);
	if (r < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--cpus: '%s' is not a CPU count: use a decimal number such as 0.5, 1.25 or 2",
			s ? s : "");
	if (v == 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--cpus: '%s' allows no CPU time: use a positive number, e.g. 0.5",
			       s);
	cfg->cpu_milli = v;
	return 0;
}

#define PIDS_TOO_LARGE "--pids: '%s' is too large: use at most %llu"

VOS_EXPORT int vos_config_set_pids(struct vos_config *cfg, uint64_t max)
{
	char s[24];

	if (!cfg)
		return -EINVAL;
	if (max > VOS_PIDS_MAX) {
		snprintf(s, sizeof(s), "%" PRIu64, max);
		return vos_err(cfg->ctx, -EINVAL, PIDS_TOO_LARGE, s, VOS_PIDS_MAX);
	}
	cfg->pids = max;
	return 0;
}

VOS_EXPORT int vos_config_set_pids_str(struct vos_config *cfg, const char *s)
{
	uint64_t v = 0;
	int r;

	if (!cfg)
		return -EINVAL;
	if (s && !strcmp(s, "max")) {
		cfg->pids = 0;
		return 0;
	}
	r = vos_parse_count(s, &v);
	if (r == -ERANGE || (r == 0 && v > VOS_PIDS_MAX))
		return vos_err(cfg->ctx, -EINVAL, PIDS_TOO_LARGE, s, VOS_PIDS_MAX);
	if (r < 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--pids: '%s' is not a positive integer: use e.g. 64", s ? s : "");
	cfg->pids = v;
	return 0;
}

/* ---- capabilities and sockets ------------------------------------------------ */

VOS_EXPORT int vos_config_add_cap(struct vos_config *cfg, const char *cap)
{
	int v;

	if (!cfg)
		return -EINVAL;
	v = vos_cap_from_name(cap);
	if (v < 0)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--cap-add: '%s' is not a capability: use a name from capabilities(7), e.g. CAP_NET_RAW or net_raw",
			cap ? cap : "");
	cfg->caps |= 1ULL << v;
	return 0;
}

#define FAMILY_FORM "use a name such as vsock, packet, alg, bluetooth, netlink or a number 1-%d"

VOS_EXPORT int vos_config_allow_socket_family(struct vos_config *cfg, int family)
{
	if (!cfg)
		return -EINVAL;
	if (family <= 0 || family >= VOS_SOCKET_FAMILY_MAX)
		return vos_err(cfg->ctx, -EINVAL,
			       "--allow-socket: '%d' is not a socket family: " FAMILY_FORM, family,
			       VOS_SOCKET_FAMILY_MAX - 1);
	cfg->socket_families |= 1ULL << family;
	return 0;
}

VOS_EXPORT int vos_config_allow_socket_family_str(struct vos_config *cfg, const char *name)
{
	int f;

	if (!cfg)
		return -EINVAL;
	f = vos_socket_family_from_name(name);
	if (f <= 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--allow-socket: '%s' is not a socket family: " FAMILY_FORM,
			       name ? name : "", VOS_SOCKET_FAMILY_MAX - 1);
	return vos_config_allow_socket_family(cfg, f);
}

/* ---- the table ----------------------------------------------------------------- */

static int set_isolate(struct vos_config *cfg, bool on)
{
	if (!on)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--isolate: the strict recipe is the default and stays: relax single options instead");
	return 0;
}

/* A decimal id below (uid_t)-1, to @end */
static int parse_id(const char *s, char **end, unsigned int *id)
{
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, end, 10);
	if (errno || v >= (unsigned long)(uid_t)-1)
		return -EINVAL;
	*id = (unsigned int)v;
	return 0;
}

/* --uid UID[:GID] (Uid=): the ids inside, GID defaulting to UID */
static int set_ids_str(struct vos_config *cfg, const char *spec)
{
	unsigned int uid, gid;
	char *end;

	if (parse_id(spec, &end, &uid) < 0 ||
	    (*end == ':' ? parse_id(end + 1, &end, &gid) < 0 || *end : (gid = uid, *end)))
		return vos_err_class(
			cfg->ctx, -EINVAL, VOS_ERR_USAGE,
			"--uid '%s': give UID or UID:GID, decimal ids inside the subsystem, e.g. 1000 or 1000:1000",
			spec);
	return vos_config_set_ids(cfg, (uid_t)uid, (gid_t)gid);
}

static int add_ro(struct vos_config *cfg, const char *spec)
{
	return vos_config_add_bind_spec(cfg, spec, VOS_BIND_RO);
}

static int add_rw(struct vos_config *cfg, const char *spec)
{
	return vos_config_add_bind_spec(cfg, spec, VOS_BIND_RW);
}

enum {
	O_ISOLATE,
	O_ROOT,
	O_UID,
	O_AS_USER,
	O_HOSTNAME,
	O_ROOTFS,
	O_HOST_ROOT,
	O_RO,
	O_RW,
	O_TMPFS,
	O_MEMORY,
	O_CPUS,
	O_PIDS,
	O_TMPFS_SIZE,
	O_CAP_ADD,
	O_SHARE_NET,
	O_UPLINK,
	O_PROVIDES_NETWORK,
	O_PUBLISH,
	O_ALLOW_SOCKET,
	O_AS_PID1,
	O_GUI,
	O_PERSISTENT,
	O_SERVICE,
	O_TAG,
	O_COUNT
};

#define REP VOS_OPTION_REPEATABLE

/* In the order vosctl's --help lists them. Keys: see issue 14's definitions. */
static const struct vos_option options[O_COUNT] = {
	[O_ISOLATE] = { "isolate", NULL, "Subsystem", "Isolate",
			"the strict default recipe (accepted for clarity)" },
	[O_ROOT] = { "root", NULL, "Exec", "Root",
		     "run as root inside (uid 0 of the subsystem's own private host id range, never a host user)" },
	[O_UID] = { "uid", "UID[:GID]", "Exec", "Uid",
		    "run as UID (and GID, default UID) inside, ids of the subsystem's private range (0..65535 with vos.ko's default id_block): its writable places belong to that id too; a user of vosd's group with that uid launches apps that can write there; not with --root" },
	[O_AS_USER] = { "as-user", NULL, "Exec", "AsUser",
			"run with your own host uid and gid instead of a private range (under sudo: host root, no capabilities)" },
	[O_HOSTNAME] = { "hostname", "H", "Exec", "Hostname",
			 "host name inside (default: the subsystem name)" },
	[O_ROOTFS] = { "rootfs", "DIR", "Files", "Rootfs",
		       "use DIR as the root (read-only) instead of the host's system directories (/usr /etc /opt /bin /sbin /lib*)" },
	[O_HOST_ROOT] = { "host-root", NULL, "Files", "HostRoot",
			  "show the whole host root read-only (its UNIX sockets outside /run and /tmp become reachable); not with --rootfs" },
	[O_RO] = { "ro", "SRC[:DEST]", "Files", "ReadOnly",
		   "bind SRC read-only at DEST (default DEST = SRC; repeatable)", REP },
	[O_RW] = { "rw", "SRC[:DEST]", "Files", "ReadWrite",
		   "bind SRC read-write at DEST (repeatable)", REP },
	[O_TMPFS] = { "tmpfs", "DEST", "Files", "Tmpfs",
		      "an empty private tmpfs at DEST (repeatable)", REP },
	[O_MEMORY] = { "memory", "SIZE|max", "Limits", "Memory",
		       "memory limit, e.g. 512M (K, M or G suffix); default half of RAM, max: none" },
	[O_CPUS] = { "cpus", "N[.N]", "Limits", "CPUs", "CPU limit in CPUs, e.g. 0.5 or 2" },
	[O_PIDS] = { "pids", "N|max", "Limits", "Pids",
		     "most processes/threads at once; default an eighth of kernel.threads-max (64..32768)" },
	[O_TMPFS_SIZE] = { "tmpfs-size", "SIZE|max", "Limits", "TmpfsSize",
			   "size of each tmpfs (/tmp, /var/tmp, /run, /dev/shm, --tmpfs); default an eighth of RAM" },
	[O_CAP_ADD] = { "cap-add", "CAP", "Exec", "Capability",
			"keep capability CAP inside (repeatable), e.g. NET_RAW", REP },
	[O_SHARE_NET] = { "share-net", NULL, "Network", "ShareNet",
			  "no network namespace: use the host network" },
	[O_UPLINK] = { "uplink", "none|host|NAME", "Network", "Uplink",
		       "the subsystem's network: none (loopback only, the default), host (a veth to the host, routed and masqueraded) or NAME, a running subsystem made with --provides-network (the link's far end in its namespace); vos.ko enforces the firewall rules at the far end; not with --share-net" },
	[O_PROVIDES_NETWORK] = { "provides-network", NULL, "Network", "ProvidesNetwork",
				 "route for the subsystems whose --uplink names this one (a client range, forwarding); needs an uplink itself" },
	[O_PUBLISH] = { "publish", "PROTO:[ADDR:]HOSTPORT:PORT", "Network", "Publish",
			"a connection to the host's ADDR:HOSTPORT (tcp or udp; no ADDR: any of its addresses) reaches PORT in the subsystem, through its chain (repeatable); needs --uplink",
			REP },
	[O_ALLOW_SOCKET] = { "allow-socket", "FAM", "Network", "AllowSocket",
			     "let socket() reach family FAM (repeatable), e.g. vsock, packet, alg, bluetooth, or netlink / inet / inet6 with every protocol (by default: unix, inet and inet6 for TCP/UDP/ICMP, netlink for routes)",
			     REP },
	[O_AS_PID1] = { "as-pid1", NULL, "Exec", "AsPid1",
			"the app is pid 1 (no mini init reaping zombies)" },
	[O_GUI] = { "gui", NULL, "Exec", "Gui",
		    "a Wayland socket of its own (vos-wlproxy, to your compositor): its windows' titles start with [NAME], their app_id with vos.NAME.; no screen capture, input injection, overlays or clipboard managers" },
	[O_PERSISTENT] = { "persistent", NULL, "Subsystem", "Persistent",
			   "the subsystem outlives its creator until it is removed ('vosctl rm')" },
	[O_SERVICE] = { "service", "NAME=COMMAND", "Services", "Service",
			"offer service NAME to other subsystems through vosd: COMMAND (an absolute path and arguments) runs inside for each call the policy allows, the caller's stream on its stdin and stdout (repeatable)",
			REP },
	[O_TAG] = { "tag", "T", "Services", "Tag",
		    "a tag of the subsystem for the crossing policy's @tag:T (repeatable)", REP },
};

/* The setter of each row: of a string for an option with a value, of a flag */
static const struct {
	int (*str)(struct vos_config *cfg, const char *value);
	int (*flag)(struct vos_config *cfg, bool on);
} setters[O_COUNT] = {
	[O_ISOLATE] = { .flag = set_isolate },
	[O_ROOT] = { .flag = vos_config_set_root },
	[O_UID] = { .str = set_ids_str },
	[O_AS_USER] = { .flag = vos_config_set_host_ids },
	[O_HOSTNAME] = { .str = vos_config_set_hostname },
	[O_ROOTFS] = { .str = vos_config_set_rootfs },
	[O_HOST_ROOT] = { .flag = vos_config_set_host_root },
	[O_RO] = { .str = add_ro },
	[O_RW] = { .str = add_rw },
	[O_TMPFS] = { .str = vos_config_add_tmpfs },
	[O_MEMORY] = { .str = vos_config_set_memory_str },
	[O_CPUS] = { .str = vos_config_set_cpus_str },
	[O_PIDS] = { .str = vos_config_set_pids_str },
	[O_TMPFS_SIZE] = { .str = vos_config_set_tmpfs_size_str },
	[O_CAP_ADD] = { .str = vos_config_add_cap },
	[O_SHARE_NET] = { .flag = vos_config_set_share_net },
	[O_UPLINK] = { .str = vos_config_set_uplink },
	[O_PROVIDES_NETWORK] = { .flag = vos_config_set_provides_network },
	[O_PUBLISH] = { .str = vos_config_add_publish },
	[O_ALLOW_SOCKET] = { .str = vos_config_allow_socket_family_str },
	[O_AS_PID1] = { .flag = vos_config_set_as_pid1 },
	[O_GUI] = { .flag = vos_config_set_gui },
	[O_PERSISTENT] = { .flag = vos_config_set_persistent },
	[O_SERVICE] = { .str = vos_config_add_service },
	[O_TAG] = { .str = vos_config_add_tag },
};

VOS_EXPORT const struct vos_option *vos_options(size_t *n)
{
	if (n)
		*n = O_COUNT;
	return options;
}

VOS_EXPORT const struct vos_option *vos_option_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	if (name[0] == '-' && name[1] == '-')
		name += 2;
	for (i = 0; i < O_COUNT; i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

VOS_EXPORT int vos_config_set_option(struct vos_config *cfg, const char *name, const char *value)
{
	const struct vos_option *o;
	size_t i;
	int on;

	if (!cfg)
		return -EINVAL;
	o = vos_option_find(name);
	if (!o)
		return vos_err(
			cfg->ctx, -EINVAL,
			"'%s' is not an isolation option: see vos_options() or 'vosctl run --help'",
			name ? name : "");
	i = (size_t)(o - options);
	if (o->arg) {
		if (!value)
			return vos_err(cfg->ctx, -EINVAL, "--%s: needs a value: give %s", o->name,
				       o->arg);
		return setters[i].str(cfg, value);
	}
	on = value ? vos_bool_parse(value) : 1;
	if (on < 0)
		return vos_err(cfg->ctx, -EINVAL,
			       "--%s: '%s' is not yes or no: give yes or no (or no value for yes)",
			       o->name, value);
	return setters[i].flag(cfg, on);
}
