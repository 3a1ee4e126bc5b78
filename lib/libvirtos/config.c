// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * config.c - the isolation config object: its defaults, the settings that
 * are not options of a subsystem's (name, cwd, cgroup parent, environment,
 * terminal, stdio) and the flags, the getters, the app's environment, and
 * the names of states and events. The options with values, their checks
 * and their table are in options.c, their pure parsers in parse.c.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#include "private.h"

extern char **environ;

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
	case VOS_EVENT_NET_DENIED:
		return "net-denied";
	case VOS_EVENT_CROSSING:
		return "crossing";
	case VOS_EVENT_CLIP:
		return "clip";
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

/*
 * The number in the one-number file @file (/proc/sys) into *@v; -errno if
 * it cannot be read (an empty file: -ENODATA)
 */
int vos_proc_number(const char *file, uint64_t *v)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n <= 0)
		return n < 0 ? (int)n : -ENODATA;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return 0;
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
	uint64_t threads = 0;
	struct sysinfo si;
	uint64_t ram = 0;

	/* unreadable: 0, which gives the floor */
	vos_proc_number("/proc/sys/kernel/threads-max", &threads);
	/* MemTotal of /proc/meminfo, without having the kernel print all of
	 * it: the same count of pages (totalram_pages())
	 */
	if (sysinfo(&si) == 0)
		ram = (uint64_t)si.totalram * si.mem_unit;

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
	for (i = 0; i < cfg->npublish; i++)
		free(cfg->publish[i]);
	for (i = 0; i < cfg->nenv; i++)
		free(cfg->env[i]);
	for (i = 0; i < cfg->nkeep_env; i++)
		free(cfg->keep_env[i]);
	for (i = 0; i < cfg->nservices; i++)
		free(cfg->services[i]);
	for (i = 0; i < cfg->ntags; i++)
		free(cfg->tags[i]);
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
			"--name: '%s' is not a valid name: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit",
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

VOS_EXPORT int vos_config_set_root(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	if (on && cfg->ids_set)
		return vos_err_class(cfg->ctx, -EINVAL, VOS_ERR_USAGE, VOS_UID_CONFLICT);
	cfg->root = on;
	return 0;
}

VOS_EXPORT int vos_config_set_ids(struct vos_config *cfg, uid_t uid, gid_t gid)
{
	if (!cfg)
		return -EINVAL;
	/* (uid_t)-1 is "no change" to setresuid(): never an id to run as */
	if (uid == (uid_t)-1 || gid == (gid_t)-1)
		return vos_err_class(cfg->ctx, -EINVAL, VOS_ERR_USAGE,
				     "uid %u or gid %u: -1 is not an id a process can have",
				     (unsigned int)uid, (unsigned int)gid);
	if (cfg->root)
		return vos_err_class(cfg->ctx, -EINVAL, VOS_ERR_USAGE, VOS_UID_CONFLICT);
	cfg->ids_set = true;
	cfg->app_uid = uid;
	cfg->app_gid = gid;
	return 0;
}

int vos_config_set_path(struct vos_config *cfg, char **slot, const char *what, const char *path)
{
	char *dup;

	if (!path || path[0] != '/')
		return vos_err(cfg->ctx, -EINVAL,
			       "%s: '%s' is not an absolute path: use a path starting with '/'",
			       what, path ? path : "");
	if (strlen(path) >= VOS_PATH_MAX)
		return vos_err(cfg->ctx, -EINVAL,
			       "%s: path is longer than %d bytes: use a shorter one", what,
			       VOS_PATH_MAX - 1);
	dup = strdup(path);
	if (!dup)
		return vos_err(cfg->ctx, -ENOMEM, "%s:", what);
	free(*slot);
	*slot = dup;
	return 0;
}

/* ".." components would let a bind destination climb out of the new root */
bool vos_path_has_dotdot(const char *p)
{
	const char *s = p;

	while ((s = strstr(s, "..")) != NULL) {
		if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			return true;
		s += 2;
	}
	return false;
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
	return vos_config_set_path(cfg, &cfg->cwd, "cwd", dir);
}

VOS_EXPORT int vos_config_set_cgroup_parent(struct vos_config *cfg, const char *dir)
{
	if (!cfg)
		return -EINVAL;
	if (dir && vos_path_has_dotdot(dir))
		return vos_err(cfg->ctx, -EINVAL,
			       "cgroup parent: '%s' has a '..' component: use a path without '..'",
			       dir);
	return vos_config_set_path(cfg, &cfg->cgroup_parent, "cgroup parent", dir);
}

#define UPLINK_CONFLICT "--share-net and --uplink both choose the network: give one of them"

VOS_EXPORT int vos_config_set_share_net(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	if (on && cfg->uplink != VOS_UPLINK_NONE)
		return vos_err(cfg->ctx, -EINVAL, UPLINK_CONFLICT);
	if (on && cfg->provides_network)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--provides-network and --share-net: a provider needs its own network namespace");
	cfg->share_net = on;
	return 0;
}

VOS_EXPORT int vos_config_set_uplink(struct vos_config *cfg, const char *uplink)
{
	if (!cfg)
		return -EINVAL;
	if (!uplink ||
	    (strcmp(uplink, "none") && strcmp(uplink, "host") && vos_name_check(uplink) < 0))
		return vos_err(
			cfg->ctx, -EINVAL,
			"--uplink: '%s' is not an uplink: use none (loopback only), host (a link to the host, routed and masqueraded) or the name of a subsystem made with --provides-network",
			uplink ? uplink : "");
	if (strcmp(uplink, "none") && cfg->share_net)
		return vos_err(cfg->ctx, -EINVAL, UPLINK_CONFLICT);
	cfg->uplink = !strcmp(uplink, "none")	? VOS_UPLINK_NONE
		      : !strcmp(uplink, "host") ? VOS_UPLINK_HOST
						: VOS_UPLINK_SUBSYS;
	snprintf(cfg->uplink_name, sizeof(cfg->uplink_name), "%s",
		 cfg->uplink == VOS_UPLINK_SUBSYS ? uplink : "");
	return 0;
}

VOS_EXPORT int vos_config_set_provides_network(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	if (on && cfg->share_net)
		return vos_err(
			cfg->ctx, -EINVAL,
			"--provides-network and --share-net: a provider needs its own network namespace");
	cfg->provides_network = on;
	return 0;
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
			       "--env: '%s' is not NAME=VALUE: use e.g. LANG=C.UTF-8",
			       kv ? kv : "");
	if (cfg->nenv >= VOS_MAX_ENV)
		return vos_err(cfg->ctx, -EINVAL, "--env: more than %d: set fewer variables",
			       VOS_MAX_ENV);
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
			       "--keep-env: '%s' is not a variable NAME: use e.g. SSH_AUTH_SOCK",
			       name ? name : "");
	if (cfg->nkeep_env >= VOS_MAX_ENV)
		return vos_err(cfg->ctx, -EINVAL, "--keep-env: more than %d: keep fewer variables",
			       VOS_MAX_ENV);
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
	static char gui_runtime[] = "XDG_RUNTIME_DIR=" VOS_GUI_DIR;
	static char gui_display[] = "WAYLAND_DISPLAY=wayland-0";
	unsigned int n = 0, max, i;
	char **env, **e, *v;

	max = 6 + cfg->nkeep_env + cfg->nenv;
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
	/* --gui: the proxy's socket, before --env (which may change them) */
	if (cfg->gui) {
		env_put(env, &n, gui_runtime);
		env_put(env, &n, gui_display);
	}
	for (i = 0; i < cfg->nenv; i++)
		env_put(env, &n, cfg->env[i]);
	*envp = env;
	return 0;
}

VOS_EXPORT int vos_config_set_gui(struct vos_config *cfg, bool on)
{
	if (!cfg)
		return -EINVAL;
	cfg->gui = on;
	return 0;
}

VOS_EXPORT bool vos_config_get_gui(const struct vos_config *cfg)
{
	return cfg && cfg->gui;
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
