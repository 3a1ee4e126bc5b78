/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * virtos.h - libvirtos, the virtos management library.
 *
 * Everything a management tool needs to run applications in isolated
 * subsystems supervised by vos.ko: talk to the module (ioctl on /dev/vos,
 * generic netlink family "vos") and build the isolated process (namespaces,
 * mounts, cgroup v2, capabilities, seccomp, Landlock).
 *
 * Conventions
 *   - Objects are opaque handles: struct vos_ctx (one per caller; no global
 *     state anywhere in the library), struct vos_config (isolation options),
 *     struct vos_subsys (a registered subsystem), struct vos_proc (a spawned
 *     process tree), struct vos_monitor (an event listener).
 *   - Functions are vos_<object>_<verb>(). Functions returning int return 0
 *     (or a documented non-negative value) on success and a negative errno
 *     on failure. On failure they store a human readable message, each layer
 *     adding context ("spawn: mount /proc: Permission denied"), that
 *     vos_ctx_errmsg() returns, and a class (enum vos_errclass) that says
 *     what kind of failure it was, so a front end can choose an exit code
 *     without parsing errnos.
 *   - The library never prints, exits or installs signal handlers.
 *   - Handles are not thread safe; use one vos_ctx per thread.
 *
 * Well-known results
 *   -ENODEV  vos.ko is not loaded (no /dev/vos, or no genl family "vos");
 *            class VOS_ERR_NOMODULE.
 *   -EPERM / -EACCES  the caller may not do this (e.g. creating a subsystem
 *            needs CAP_SYS_ADMIN); class VOS_ERR_PERM.
 *   -EEXIST  name taken; -ENOENT no such subsystem (or not visible to the
 *            caller); class VOS_ERR_NAME.
 *   -EINVAL  bad argument / option value; class VOS_ERR_USAGE (the message
 *            gives the accepted form).
 *   -ENOTTY  the loaded vos.ko does not know the request (an older module);
 *            class VOS_ERR_NOMODULE.
 *   -ESRCH   the subsystem has no running init to exec into; class
 *            VOS_ERR_NAME.
 *   Spawning a command that does not exist or cannot be executed fails with
 *   -ENOENT (class VOS_ERR_NOCMD) or -EACCES/-ENOEXEC (class VOS_ERR_NOEXEC);
 *   a bind source or destination, --tmpfs or --rootfs path that does not
 *   work with class VOS_ERR_PATH (VOS_ERR_PERM if the caller may not use
 *   it), and vos_ctx_errsubject() names the option; the cgroup the limits
 *   need with VOS_ERR_CGROUP_PERM (the caller may not make it: run without
 *   limits, or where it may) or VOS_ERR_CGROUP (cgroup v2 cannot give it).
 *
 * Typical use (see examples/vos-example.c):
 *   vos_ctx_new(&ctx);
 *   vos_config_new(ctx, &cfg); vos_config_set_name(cfg, "web"); ...
 *   vos_subsys_create(ctx, cfg, &s);
 *   vos_subsys_spawn(s, cfg, argv, NULL, &p);
 *   vos_proc_wait(p, &wstatus);  -> vos_wstatus_to_exit(wstatus)
 *   vos_proc_free(p); vos_subsys_free(s); vos_config_free(cfg);
 *   vos_ctx_free(ctx);
 *
 * ABI: symbols are versioned VIRTOS_0.1 (libvirtos.so.0). The API is only
 * extended; public structs start with a size field or end in reserved space.
 */
#ifndef VIRTOS_H
#define VIRTOS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/vos.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(VIRTOS_BUILDING)
#define VOS_EXPORT
#elif defined(__GNUC__)
#define VOS_EXPORT __attribute__((visibility("default")))
#else
#define VOS_EXPORT
#endif

/* Library version, e.g. "0.1.0". */
VOS_EXPORT const char *vos_lib_version(void);

/* ------------------------------------------------------------------------ */
/* Context                                                                   */
/* ------------------------------------------------------------------------ */

struct vos_ctx;

/* What kind of failure the last error was (vos_ctx_errclass()). */
enum vos_errclass {
	VOS_ERR_NONE = 0,    /* no error recorded */
	VOS_ERR_INTERNAL,    /* anything else (setup step failed, ENOMEM...) */
	VOS_ERR_USAGE,	     /* bad argument or option value */
	VOS_ERR_NOMODULE,    /* vos.ko not loaded / unavailable */
	VOS_ERR_PERM,	     /* permission denied */
	VOS_ERR_NAME,	     /* name taken, no such subsystem, or no running init */
	VOS_ERR_NOEXEC,	     /* command found but not executable */
	VOS_ERR_NOCMD,	     /* command not found */
	VOS_ERR_PATH,	     /* a path an option gives does not work (subject: the option) */
	VOS_ERR_CGROUP_PERM, /* may not make or join the cgroup the limits need */
	VOS_ERR_CGROUP,	     /* cgroup v2 cannot give the limits (no controller...) */
};

/*
 * Allocate a context. Opens nothing: /dev/vos and the netlink socket are
 * opened on first use (or with vos_ctx_connect()), so a tool can parse and
 * validate options before knowing whether the module is loaded.
 * Returns 0 or -ENOMEM.
 */
VOS_EXPORT int vos_ctx_new(struct vos_ctx **ctxp);
VOS_EXPORT void vos_ctx_free(struct vos_ctx *ctx);

/* Use another device node than /dev/vos (tests). Before connecting. */
VOS_EXPORT int vos_ctx_set_device(struct vos_ctx *ctx, const char *path);

/*
 * Open /dev/vos (and check VOS_GET_API_VERSION == VOS_API_VERSION).
 * -ENODEV if the module is not loaded, -EACCES if the node cannot be
 * opened, -EPROTO on an API version mismatch. Idempotent.
 */
VOS_EXPORT int vos_ctx_connect(struct vos_ctx *ctx);

/* The last error's message ("" if none) and class. Valid until the next
 * call on the same context.
 */
VOS_EXPORT const char *vos_ctx_errmsg(const struct vos_ctx *ctx);
VOS_EXPORT enum vos_errclass vos_ctx_errclass(const struct vos_ctx *ctx);
VOS_EXPORT void vos_ctx_clear_error(struct vos_ctx *ctx);
/* The option the last error is about, as vosctl spells it ("--ro", "--rw",
 * "--tmpfs", "--rootfs"), or NULL: set with VOS_ERR_PATH (and VOS_ERR_PERM
 * for such a path), so a front end can point at the value to fix.
 */
VOS_EXPORT const char *vos_ctx_errsubject(const struct vos_ctx *ctx);

/* VOS_GET_API_VERSION: returns the (positive) API version or -errno. */
VOS_EXPORT int vos_ctx_api_version(struct vos_ctx *ctx);

/* VOS_CHECK_EXTENSION: > 0 if the module has VOS_CAP_<cap>, 0 if not. */
VOS_EXPORT int vos_ctx_check_extension(struct vos_ctx *ctx, unsigned int cap);

/* Module-wide statistics (VOS_CMD_GET_STATS over netlink): a field per
 * VOS_A_STATS_* attribute.
 */
struct vos_stats {
	uint64_t subsys_now;
	uint64_t subsys_ever;
	uint64_t tasks_now;
	uint64_t event_seq; /* last event sequence number */
	uint64_t reserved[4];
};
VOS_EXPORT int vos_ctx_stats(struct vos_ctx *ctx, struct vos_stats *st);

/* What the running kernel offers to the isolation recipe (no module
 * needed): used by "vosctl version" and by the tests.
 */
struct vos_features {
	int landlock_abi; /* 0: no Landlock */
	bool userns;	  /* can create a user namespace */
	bool cgroup2;	  /* a cgroup v2 hierarchy is mounted */
	bool clone3;
	bool openat2;
	bool close_range;
	bool pidfd;
	uint32_t reserved[8];
};
VOS_EXPORT int vos_ctx_features(struct vos_ctx *ctx, struct vos_features *f);

/* ------------------------------------------------------------------------ */
/* Isolation configuration                                                   */
/* ------------------------------------------------------------------------ */

struct vos_config;

/*
 * A new configuration holds the strict default recipe ("--isolate"):
 * all namespaces, mini init, the host's system directories read-only on
 * an otherwise empty root, private /tmp, masked
 * /proc, minimal /dev, no network, mapped invoking user, no capabilities,
 * no_new_privs, seccomp, Landlock (when available), new session, only
 * stdin/stdout/stderr open. Every setter only relaxes or tunes what it
 * names; setters validate their value and fail with -EINVAL and a message
 * giving the accepted form. The config keeps a pointer to @ctx for errors.
 */
VOS_EXPORT int vos_config_new(struct vos_ctx *ctx, struct vos_config **cfgp);
VOS_EXPORT void vos_config_free(struct vos_config *cfg);

/* Subsystem name (see VOS_NAME_MAX). Default: "vos-<pid>" of the caller. */
VOS_EXPORT int vos_config_set_name(struct vos_config *cfg, const char *name);
/* A persistent subsystem outlives its creator (VOS_SUBSYS_PERSISTENT). */
VOS_EXPORT int vos_config_set_persistent(struct vos_config *cfg, bool on);
/* Hostname inside (default: the subsystem name): RFC 1123, 1..64 bytes of
 * letters, digits, '-' and '.', each dot-separated part 1..63 long and not
 * starting or ending with '-'.
 */
VOS_EXPORT int vos_config_set_hostname(struct vos_config *cfg, const char *h);
/* uid/gid 0 inside instead of the mapped invoking user ("--root"). */
VOS_EXPORT int vos_config_set_root(struct vos_config *cfg, bool on);
/*
 * The uid and gid the app has inside, chosen: for vos_subsys_spawn() and
 * vos_proc_spawn() instead of the caller's euid/egid ("--uid UID:GID";
 * not with vos_config_set_root(), each refusing the other with -EINVAL);
 * for vos_subsys_exec() instead of the ids of the subsystem's init. They must be ids the subsystem maps: 0..N-1 of its
 * private range of N (spawn), or inside the extent of its init's
 * uid_map/gid_map (exec: a subsystem with --as-user maps only one id);
 * else the spawn or exec fails with -ERANGE (VOS_ERR_USAGE), never
 * falling back to another id. The file access the app gets on the host is
 * that of the mapped id, never of a host user of the same number: vosd
 * runs a delegated launch as the caller's uid and gid inside this way.
 */
VOS_EXPORT int vos_config_set_ids(struct vos_config *cfg, uid_t uid, gid_t gid);
/*
 * The root filesystem. By default "/" is an empty read-only tmpfs showing
 * only the host's system directories (/usr, /etc, /opt and /bin, /sbin,
 * /lib* as the host has them), read-only; anything else the app needs is
 * bound in with vos_config_add_bind() (missing destination directories are
 * made in the root's tmpfs). The whole host root is not shown because any
 * path UNIX socket on it would be reachable: connect() needs write
 * permission on the socket, not a writable mount.
 */
/* Use DIR as the root filesystem (bound read-only) instead. */
VOS_EXPORT int vos_config_set_rootfs(struct vos_config *cfg, const char *dir);
/* Show the whole host root, read-only, as "/" ("--host-root"). A relaxation:
 * every host UNIX socket outside /run and /tmp becomes reachable. It and
 * a rootfs exclude each other: setting one while the other is set fails
 * with -EINVAL, whichever comes first.
 */
VOS_EXPORT int vos_config_set_host_root(struct vos_config *cfg, bool on);

/*
 * Identity. By default a subsystem's uids and gids 0..N-1 are a private
 * range of N host ids that vos.ko hands it at creation (never a host
 * user's, never another subsystem's), so no process inside has the file
 * access of any host user, root inside included. --ro and --rw binds are
 * idmapped mounts: inside, the bound directory's owner is the app's uid, so
 * what the app writes there belongs on the host to that owner. A --rw
 * directory must belong to a user other than root (chown it to the user the
 * app should write as) and be on a file system with idmapped mounts (ext4,
 * xfs, btrfs; tmpfs from Linux 6.3), else the spawn fails; a --ro one
 * that cannot be idmapped is bound as it is (the app reads what any user
 * may). Without a subsystem (vos_proc_spawn()) a root caller must set
 * host_ids: there is no range to use.
 *
 * vos_config_set_host_ids(cfg, true) ("--as-user") is the relaxation: ids
 * inside map to the caller's own euid and egid, as one id, so under sudo
 * the app is host root without capabilities. An unprivileged caller always
 * runs this way (the kernel lets it map only itself).
 */
VOS_EXPORT int vos_config_set_host_ids(struct vos_config *cfg, bool on);
VOS_EXPORT bool vos_config_get_host_ids(const struct vos_config *cfg);

/* Bind flags */
#define VOS_BIND_RO 0u	      /* read-only (the default) */
#define VOS_BIND_RW (1u << 0) /* writable */
/* Bind SRC to DEST (absolute; DEST NULL = same as SRC). SRC must exist
 * and is resolved at spawn time without following symlinks.
 */
VOS_EXPORT int vos_config_add_bind(struct vos_config *cfg, const char *src, const char *dest,
				   unsigned int flags);
/* Parse "SRC[:DEST]" (the --ro/--rw syntax) and add the bind. */
VOS_EXPORT int vos_config_add_bind_spec(struct vos_config *cfg, const char *spec,
					unsigned int flags);
/* A fresh tmpfs on DEST (absolute). */
VOS_EXPORT int vos_config_add_tmpfs(struct vos_config *cfg, const char *dest);

/* cgroup v2 limits. 0 = no limit. A new config has host-scaled defaults
 * for memory (half of RAM) and pids (an eighth of kernel.threads-max,
 * 64..32768); no CPU limit. Limits need a cgroup the caller may create:
 * without one the spawn fails unless memory and pids are both 0.
 */
VOS_EXPORT int vos_config_set_memory(struct vos_config *cfg, uint64_t bytes);
/* CPU limit in thousandths of a CPU (1500 = 1.5 CPUs). */
VOS_EXPORT int vos_config_set_cpu_milli(struct vos_config *cfg, uint32_t milli);
VOS_EXPORT int vos_config_set_pids(struct vos_config *cfg, uint64_t max);
/* String forms: "--memory SIZE" (N, NK, NM, NG; 1M..1048576G), "--cpus N[.N]"
 * (up to 3 decimals, 0.001..1024), "--pids N" (1..4194304); "max" is 0 (no
 * limit) for memory and pids. The numeric setters take the same ranges.
 */
VOS_EXPORT int vos_config_set_memory_str(struct vos_config *cfg, const char *s);
VOS_EXPORT int vos_config_set_cpus_str(struct vos_config *cfg, const char *s);
VOS_EXPORT int vos_config_set_pids_str(struct vos_config *cfg, const char *s);
/* Size of each tmpfs of the subsystem's (/tmp, /var/tmp, /run, /dev/shm,
 * --tmpfs). Default an eighth of RAM (at least 16 MiB); 0 or "max": the
 * kernel's default, half of RAM.
 */
VOS_EXPORT int vos_config_set_tmpfs_size(struct vos_config *cfg, uint64_t bytes);
VOS_EXPORT int vos_config_set_tmpfs_size_str(struct vos_config *cfg, const char *s);
/* Create the subsystem's cgroup under this cgroup v2 directory (absolute
 * path of the directory in the cgroup2 mount) instead of the caller's own
 * cgroup.
 */
VOS_EXPORT int vos_config_set_cgroup_parent(struct vos_config *cfg, const char *dir);

/* Keep one capability ("CAP_NET_ADMIN", "net_admin" or "12") in every set
 * (bounding, permitted, effective, inheritable, ambient). The seccomp
 * filter allows the mount syscalls only with --root plus CAP_SYS_ADMIN.
 */
VOS_EXPORT int vos_config_add_cap(struct vos_config *cfg, const char *cap);
/* Share the caller's network namespace ("--share-net"; the only way to get
 * host networking; the subsystem is created with VOS_NET_HOST policy).
 */
VOS_EXPORT int vos_config_set_share_net(struct vos_config *cfg, bool on);
/*
 * The subsystem's uplink ("--uplink"): "none" (the default: loopback only),
 * "host": a veth pair, "vos<ID>" on the host and eth0 inside, with an
 * address from 10.213.0.0/16, a default route via the host, and the host
 * forwarding and masquerading that range (it sets net.ipv4.ip_forward=1 and
 * keeps the nft table "ip virtos"), or the name of a running subsystem made
 * with vos_config_set_provides_network(): the pair's far end then lives in
 * that subsystem's network namespace and the address comes from its client
 * range. vos.ko binds the link to the subsystem and checks every packet it
 * sends there (see VOS_SUBSYS_SET_LINK). Needs a subsystem
 * (vos_subsys_spawn()); not with share_net. A name is checked when the
 * subsystem starts: -ENOENT/-ESRCH (VOS_ERR_NAME) if it does not exist or
 * does not run, -EADDRNOTAVAIL (VOS_ERR_USAGE) if it provides no network.
 */
VOS_EXPORT int vos_config_set_uplink(struct vos_config *cfg, const char *uplink);
/*
 * "--provides-network": the subsystem routes for the subsystems that name it
 * as their uplink. It gets a client range (a /20 under the host, /24 under a
 * provider, /28 below that), forwarding on in its namespace, and a route
 * for the range in its uplink's namespace; it needs an uplink itself.
 * vos.ko checks each client's packets at the client's own link; the
 * provider's rules apply to its own traffic only.
 */
VOS_EXPORT int vos_config_set_provides_network(struct vos_config *cfg, bool on);
/*
 * Socket families. By default socket() and socketpair() reach the kernel
 * only for AF_UNIX, AF_INET and AF_INET6 (TCP, UDP, UDP-Lite, ICMP, MPTCP
 * and raw sockets) and AF_NETLINK (NETLINK_ROUTE); any other family fails
 * with EAFNOSUPPORT, another protocol or type with EPROTONOSUPPORT or
 * ESOCKTNOSUPPORT, as if the kernel did not have it: most families are
 * not namespaced (AF_VSOCK reaches the host), and asking for one the
 * kernel has not loaded makes it load a module. Allow one whole family
 * ("--allow-socket"; for inet, inet6 and netlink: every protocol), a
 * relaxation. @family is an AF_* number (1..VOS_SOCKET_FAMILY_MAX-1).
 */
#define VOS_SOCKET_FAMILY_MAX 64
VOS_EXPORT int vos_config_allow_socket_family(struct vos_config *cfg, int family);
/* The same from "vsock", "AF_VSOCK" or "40". */
VOS_EXPORT int vos_config_allow_socket_family_str(struct vos_config *cfg, const char *name);
/* Bit mask (1 << AF_*) of the families allowed whole. */
VOS_EXPORT uint64_t vos_config_get_socket_families(const struct vos_config *cfg);

/*
 * The app's environment, when vos_subsys_spawn()/vos_proc_spawn()/
 * vos_subsys_exec() get envp NULL: minimal by default, nothing of the
 * caller's but PATH (the standard one, not the caller's), HOME ("/", or
 * the caller's if it is a bind or tmpfs destination), TERM (only when the
 * app has a terminal) and the locale (LANG, LANGUAGE, LC_*). Add
 * "NAME=VALUE" ("--env"; later ones win) or keep the caller's NAME
 * ("--keep-env"; nothing if the caller has none). An explicit envp is
 * passed as it is.
 */
VOS_EXPORT int vos_config_add_env(struct vos_config *cfg, const char *name_value);
VOS_EXPORT int vos_config_add_keep_env(struct vos_config *cfg, const char *name);

/* The app is pid 1 itself, no mini init ("--as-pid1"). */
VOS_EXPORT int vos_config_set_as_pid1(struct vos_config *cfg, bool on);
/*
 * A Wayland socket for the subsystem's windows ("--gui", Gui=yes): its
 * processes get XDG_RUNTIME_DIR=VOS_GUI_DIR and WAYLAND_DISPLAY=wayland-0.
 * The front end (vosctl) starts vos-wlproxy for the subsystem and binds
 * the directory of its socket at VOS_GUI_DIR; the library only records
 * the choice and sets the environment.
 */
#define VOS_GUI_DIR "/run/vos-gui"
VOS_EXPORT int vos_config_set_gui(struct vos_config *cfg, bool on);
VOS_EXPORT bool vos_config_get_gui(const struct vos_config *cfg);
/* Working directory inside (default: the caller's if visible, else "/"). */
VOS_EXPORT int vos_config_set_cwd(struct vos_config *cfg, const char *dir);

/*
 * Terminal handling of the app's stdio. With a terminal, the library
 * allocates a new pty, gives its slave to the app as its controlling
 * terminal (the app runs setsid() first, so it is the session leader and
 * its process group the foreground one: Ctrl-C reaches it), and
 * vos_proc_wait() relays between the caller's terminal (put in raw mode
 * meanwhile, restored after) and the pty master. The caller's own terminal
 * is never handed inside, so nothing inside can inject input into it;
 * TIOCSTI and TIOCLINUX are also refused by the seccomp filter.
 */
enum vos_tty_mode {
	VOS_TTY_AUTO = 0, /* a pty if the caller's stdin is a terminal */
	VOS_TTY_NONE = 1, /* pass the stdio fds through, no terminal */
	VOS_TTY_PTY = 2,  /* always a new pty relayed by vos_proc_wait() */
};
VOS_EXPORT int vos_config_set_tty(struct vos_config *cfg, enum vos_tty_mode m);
/* The app's stdin/stdout/stderr (default 0, 1, 2; -1 = /dev/null). */
VOS_EXPORT int vos_config_set_stdio(struct vos_config *cfg, int in_fd, int out_fd, int err_fd);

/*
 * The isolation options as data. Every option of a subsystem's (vosctl
 * run's and create's isolation options, the keys of a definition file) is
 * one row of a table the library owns: its name, the form of its value, its
 * key in a definition file and its help text. vos_config_set_option() sets
 * an option from its string form through the same setter as above, with
 * the same checks: a bad value fails with -EINVAL, class VOS_ERR_USAGE and
 * a message "--NAME: 'VALUE' is not ...: use ..." that names the option
 * and the accepted form, whichever way the value came. A front end needs
 * no rules of its own, and its option list and help cannot drift from the
 * library's.
 */
struct vos_option {
	const char *name;    /* "memory": the long option --memory */
	const char *arg;     /* the value's form, "SIZE|max"; NULL: a flag */
	const char *section; /* in a definition file: [Limits] */
	const char *key;     /*   Memory= */
	const char *help;    /* one line, no newline: a front end wraps it */
	unsigned int flags;  /* VOS_OPTION_* */
	unsigned int reserved0;
	const void *reserved[4];
};
#define VOS_OPTION_REPEATABLE (1u << 0) /* each use adds one (--ro, --cap-add) */

/* The table, in the order a help text lists it; *n gets its length. */
VOS_EXPORT const struct vos_option *vos_options(size_t *n);
/* The row of option @name ("memory" or "--memory"), or NULL. */
VOS_EXPORT const struct vos_option *vos_option_find(const char *name);
/*
 * Set option @name ("memory" or "--memory") from @value as a user wrote
 * it. A flag takes NULL (on) or yes/no, true/false, on/off, 1/0. An
 * unknown @name or a missing value fails like a bad value.
 */
VOS_EXPORT int vos_config_set_option(struct vos_config *cfg, const char *name, const char *value);

/* Read back (for "show" and tests). */
VOS_EXPORT const char *vos_config_get_name(const struct vos_config *cfg);
VOS_EXPORT const char *vos_config_get_hostname(const struct vos_config *cfg);
VOS_EXPORT uint64_t vos_config_get_memory(const struct vos_config *cfg);
VOS_EXPORT uint32_t vos_config_get_cpu_milli(const struct vos_config *cfg);
VOS_EXPORT uint64_t vos_config_get_pids(const struct vos_config *cfg);
VOS_EXPORT uint64_t vos_config_get_tmpfs_size(const struct vos_config *cfg);

/* ------------------------------------------------------------------------ */
/* Definitions and profiles (VIRTOS_0.11)                                   */
/* ------------------------------------------------------------------------ */

/*
 * A subsystem defined by a file, /etc/virtos/subsystems.d/NAME.conf (see
 * virtos.conf(5)): INI sections and keys, one key per isolation option (the
 * section and key of its row in vos_options(), set through
 * vos_config_set_option(): the same checks and messages as vosctl's
 * --OPTION) and the keys of a definition's own ([Subsystem] Description=,
 * Profile=, Tags=, Label=, Requires=, Autostart=, Template=; [Exec]
 * Command=; [Firewall] Policy=, Rule=). Profile=P reads
 * PROFILE_DIR/P.conf first; the file's single keys replace the
 * profile's, its repeatable keys add to them, and an empty value
 * ("ReadOnly=") empties the list so far. Keys of features that have not
 * landed (ProvidesNetwork=, Publish=, [Services]) are refused.
 *
 * Loading checks every value and the values together: an error is -EINVAL
 * (class VOS_ERR_USAGE) with "FILE:LINE: Key=: <what is wrong>: <the
 * accepted form>"; a definition is taken whole or not at all.
 */
#define VOS_DEF_DIR	"/etc/virtos/subsystems.d"
#define VOS_PROFILE_DIR "/usr/share/virtos/profiles"

struct vos_def;
struct vos_subsys;
struct vos_defs;

#define VOS_DEF_LOAD_PROFILE (1u << 0) /* read @path as a profile */
#define VOS_DEF_AUTOSTART    (1u << 0) /* vos_def_flags(): Autostart=yes */
#define VOS_DEF_TEMPLATE     (1u << 1) /* vos_def_flags(): Template=yes */

/* Load the definition at @path (its name: the file name without ".conf");
 * @profile_dir NULL: VOS_PROFILE_DIR.
 */
VOS_EXPORT int vos_def_load(struct vos_ctx *ctx, const char *path, const char *profile_dir,
			    unsigned int flags, struct vos_def **dp);
/* Load profile @name (a word) from @profile_dir (NULL: VOS_PROFILE_DIR). */
VOS_EXPORT int vos_profile_load(struct vos_ctx *ctx, const char *profile_dir, const char *name,
				struct vos_def **dp);
VOS_EXPORT void vos_def_free(struct vos_def *d);
VOS_EXPORT const char *vos_def_name(const struct vos_def *d);
VOS_EXPORT const char *vos_def_path(const struct vos_def *d);
VOS_EXPORT unsigned int vos_def_flags(const struct vos_def *d);
/* A digest of the effective keys and values (profile included): equal
 * digests, the same definition
 */
VOS_EXPORT uint64_t vos_def_digest(const struct vos_def *d);
/* Pool=N of a template: N disposables kept ready by vosd (0: none) */
#define VOS_DEF_POOL_MAX 16
VOS_EXPORT unsigned int vos_def_pool(const struct vos_def *d);
/* The subsystems that must run first (Requires=, and an Uplink= that names
 * a subsystem), NULL-terminated.
 */
VOS_EXPORT const char *const *vos_def_deps(const struct vos_def *d);
/* Command= split into words, NULL-terminated; NULL: none (an idle init). */
VOS_EXPORT char *const *vos_def_argv(const struct vos_def *d);
/* The values of @section/@key as given, in order: their number (the first
 * @room into @out); vos_def_value(): the last one, or NULL.
 */
VOS_EXPORT size_t vos_def_values(const struct vos_def *d, const char *section, const char *key,
				 const char **out, size_t room);
VOS_EXPORT const char *vos_def_value(const struct vos_def *d, const char *section, const char *key);
/* Set the definition's isolation options on @cfg (not its name). */
VOS_EXPORT int vos_def_config(const struct vos_def *d, struct vos_config *cfg);
/* The same for a disposable made from a template: every ReadWrite=SRC:DEST
 * becomes an empty tmpfs at DEST (its own state, gone with it) and
 * Persistent= is left out.
 */
#define VOS_DEF_CONFIG_DISPOSABLE (1u << 0)
VOS_EXPORT int vos_def_config_flags(const struct vos_def *d, struct vos_config *cfg,
				    unsigned int flags);
/* Give running subsystem @s the [Firewall] Policy= and Rule= (rules are
 * looked up now: @SUBSYS, host names); nothing if the file has neither.
 */
VOS_EXPORT int vos_def_set_rules(const struct vos_def *d, struct vos_subsys *s);

/*
 * Load every NAME.conf of the directories @dirs (NULL-terminated) as one
 * set: also refused with a message are a name defined twice, a Requires=
 * of a name not defined or of a template, and a dependency cycle (the
 * message spells it: "a -> b -> a"). vos_defs_at() gives the definitions
 * in start order, every dependency before its dependents.
 */
VOS_EXPORT int vos_defs_load(struct vos_ctx *ctx, const char *const *dirs, const char *profile_dir,
			     struct vos_defs **setp);
VOS_EXPORT void vos_defs_free(struct vos_defs *set);
VOS_EXPORT size_t vos_defs_count(const struct vos_defs *set);
VOS_EXPORT struct vos_def *vos_defs_at(const struct vos_defs *set, size_t i);
VOS_EXPORT struct vos_def *vos_defs_find(const struct vos_defs *set, const char *name);

/* ------------------------------------------------------------------------ */
/* Pure helpers (no context needed)                                         */
/* ------------------------------------------------------------------------ */

/* "512", "64K", "100M", "2G" (binary units, case-insensitive; nothing
 * else, no "B" or "iB"): bytes. -EINVAL on bad form or 0, -ERANGE on
 * overflow.
 */
VOS_EXPORT int vos_parse_size(const char *s, uint64_t *bytes);
/* "1", "0.5", "2.25" (a leading digit, up to 3 decimals): thousandths of a
 * CPU (1..1024000). -EINVAL on bad form or 0, -ERANGE over 1024.
 */
VOS_EXPORT int vos_parse_cpus(const char *s, uint32_t *milli);
/* Positive decimal count. */
VOS_EXPORT int vos_parse_count(const char *s, uint64_t *n);
/* 0 if @name is a valid subsystem name, else -EINVAL. */
VOS_EXPORT int vos_name_check(const char *name);
/* Socket family number from "vsock"/"AF_VSOCK"/"40", or -EINVAL. */
VOS_EXPORT int vos_socket_family_from_name(const char *name);
/* Capability number from "CAP_SYS_TIME"/"sys_time"/"25", or -EINVAL. */
VOS_EXPORT int vos_cap_from_name(const char *name);
/* Wait status to shell-style exit code: status, or 128+N if killed by N. */
VOS_EXPORT int vos_wstatus_to_exit(int wstatus);
/* "created", "running", "stopped", "destroyed", "unknown" */
VOS_EXPORT const char *vos_state_name(uint32_t state);
/* "created", "attached", "exec", "exit", "stopped", "destroyed", "denied",
 * "net-denied", "crossing", "clip"
 */
VOS_EXPORT const char *vos_event_type_name(uint32_t type);
/* Format the uid_map/gid_map line "INSIDE OUTSIDE 1\n" into buf. Returns
 * its length or -ENOSPC. Kept for the ABI (VIRTOS_0.1): the library itself
 * now writes the maps of a subsystem's id range without it.
 */
VOS_EXPORT int vos_format_idmap(char *buf, size_t len, unsigned int inside, unsigned int outside);

/* ------------------------------------------------------------------------ */
/* Subsystems                                                                */
/* ------------------------------------------------------------------------ */

struct vos_subsys;

/*
 * Register a new subsystem (VOS_CREATE_SUBSYS) named after @cfg, with its
 * persistence and network policy. Needs CAP_SYS_ADMIN (-EPERM otherwise).
 * The subsystem has no init yet: give it one with vos_subsys_spawn().
 * An ephemeral subsystem ends when its handle is freed and its tasks are
 * gone.
 */
VOS_EXPORT int vos_subsys_create(struct vos_ctx *ctx, const struct vos_config *cfg,
				 struct vos_subsys **sp);
/* Open an existing subsystem by name or id (-ENOENT if none visible). */
VOS_EXPORT int vos_subsys_open(struct vos_ctx *ctx, const char *name, struct vos_subsys **sp);
VOS_EXPORT int vos_subsys_open_id(struct vos_ctx *ctx, uint64_t id, struct vos_subsys **sp);
/* Close the handle (an ephemeral subsystem then ends). NULL is fine. */
VOS_EXPORT void vos_subsys_free(struct vos_subsys *s);

VOS_EXPORT uint64_t vos_subsys_id(const struct vos_subsys *s);
VOS_EXPORT const char *vos_subsys_name(const struct vos_subsys *s);
/* The subsystem fd (close-on-exec), e.g. to pass to poll(). */
VOS_EXPORT int vos_subsys_fd(const struct vos_subsys *s);
/* A handle on the subsystem file @fd (one received over a UNIX socket:
 * vosd hands a pooled disposable over so, issue 14); takes @fd, closes
 * it on failure (-ENOTTY: not a subsystem file).
 */
VOS_EXPORT int vos_subsys_adopt(struct vos_ctx *ctx, int fd, struct vos_subsys **sp);
/* Freeze (@freeze true) or thaw running subsystem @s with the cgroup v2
 * freezer (cgroup.freeze of its init's leaf, which must be the
 * subsystem's own "vos-<name>": -EOPNOTSUPP otherwise, nothing else is
 * ever frozen). A thaw returns at once; a freeze is complete once the
 * leaf's cgroup.events says "frozen 1". The first call finds the leaf and
 * keeps its cgroup.freeze open with @s, so the next costs one write.
 */
VOS_EXPORT int vos_subsys_freeze(struct vos_subsys *s, bool freeze);

/* Everything the module knows about a subsystem: a field per
 * VOS_A_SUBSYS_* attribute.
 */
struct vos_info {
	uint64_t id;
	char name[VOS_NAME_MAX];
	uint32_t flags; /* VOS_SUBSYS_* */
	uint32_t state; /* enum vos_state */
	uint32_t owner_uid;
	int32_t init_pid;    /* in the caller's PID ns, 0 if none */
	int32_t exit_status; /* wait status of init, when STOPPED */
	uint32_t net_policy; /* enum vos_net_policy */
	uint64_t tasks_now;
	uint64_t tasks_ever;
	uint64_t execs;
	uint64_t denials;
	uint64_t created_ns; /* CLOCK_BOOTTIME */
	uint64_t pidns_inum;
	uint64_t netns_inum;
	uint64_t cgroup_id;
	uint32_t id_base;  /* private host id range, */
	uint32_t id_count; /* 0 with VOS_SUBSYS_HOST_IDS */
	uint64_t reserved[7];
};
/* VOS_SUBSYS_INFO on the handle. */
VOS_EXPORT int vos_subsys_info(struct vos_subsys *s, struct vos_info *info);
/* Netlink get by name (no handle needed). -ENOENT if none visible. */
VOS_EXPORT int vos_subsys_get(struct vos_ctx *ctx, const char *name, struct vos_info *info);
/* Netlink dump of every visible subsystem. *infop is malloc'ed: free it
 * with vos_info_list_free(). *np may be 0 (then *infop is NULL).
 */
VOS_EXPORT int vos_subsys_list(struct vos_ctx *ctx, struct vos_info **infop, size_t *np);
VOS_EXPORT void vos_info_list_free(struct vos_info *info);

/* Signal every process in the subsystem (or only init with
 * VOS_SIGNAL_INIT_ONLY). Returns the number of processes signalled.
 */
VOS_EXPORT int vos_subsys_signal(struct vos_subsys *s, int signo, unsigned int flags);
/* VOS_SUBSYS_END: kill every member; a persistent subsystem is destroyed
 * once its tasks are gone and its last fd closed. Idempotent.
 */
VOS_EXPORT int vos_subsys_end(struct vos_subsys *s);

/* ------------------------------------------------------------------------ */
/* Network rules (VOS_CAP_NET_RULES)                                         */
/* ------------------------------------------------------------------------ */

/*
 * vos.ko holds each subsystem's rules and checks every packet the subsystem
 * sends at the far end of its link, out of its reach (see struct vos_link
 * and struct vos_rule in <linux/vos.h>): first match wins, then, to another
 * subsystem, drop, else the set's policy.
 *
 * The text form is Qubes' qvm-firewall grammar, one rule a string of
 * whitespace-separated KEY=VALUE tokens, each key at most once:
 *   action=accept|drop        required
 *   proto=tcp|udp|icmp        default any
 *   dsthost=A.B.C.D           one IPv4 address (/32)
 *   dsthost=A.B.C.D/N         a network, N 0..32, no host bits set
 *   dsthost=NAME              a host name, resolved now with getaddrinfo():
 *                             one rule per IPv4 address (/32); a name's later
 *                             changes are followed by vos_ruleset_refresh()
 *                             (vosctl firewall NAME refresh), not by itself
 *   dsthost=@SUBSYS           the subsystem named SUBSYS (looked up now; vos.ko
 *                             follows its id to its link's address, wherever
 *                             it is bound); @#ID names an id
 *   dstports=N or N-M         1..65535, with proto=tcp or proto=udp
 *   icmptype=N                0..255, with proto=icmp
 *   specialtarget=dns         udp and tcp (or the proto given) port 53 to the
 *                             subsystem's resolver @dns4 when the caller knows
 *                             it; with @dns4 0, port 53 to any destination
 *   dsthost=IPV6[/N]          an IPv6 range (no /N: /128), N 0..128, no bits
 *                             set past it; only through a rule set
 *                             (vos_ruleset_insert_text()): struct vos_rule
 *                             has no room for it; proto=icmp to it is ICMPv6
 *   proto=icmp6               ICMPv6 to any IPv6 destination (proto=icmp
 *                             with no dsthost is IPv4's ICMP)
 * A rule with no dsthost, or dsthost=@SUBSYS, is for IPv4 and IPv6 alike; an
 * address range or a NAME (IPv4 addresses only) for its own family. A
 * subsystem's IPv6 that no rule accepts is dropped, whatever the policy;
 * Qubes' expire= and comment= are refused with a message.
 */

/*
 * Parse @rule into up to @room kernel rules at @out (several for a NAME with
 * several addresses and for specialtarget=dns without proto): their number,
 * or a negative errno. A bad token: -EINVAL, class VOS_ERR_USAGE and a
 * message naming the token and the accepted form ("dstports=70000: a port
 * is 1..65535; use dstports=N or N-M"); more rules than @room: -E2BIG,
 * VOS_ERR_USAGE; @SUBSYS naming no subsystem: -ENOENT, VOS_ERR_NAME; a
 * NAME that cannot be resolved now: -EAGAIN. @SUBSYS needs vos.ko (its
 * errors then), NAME the resolver; nothing else does.
 */
VOS_EXPORT int vos_rule_parse(struct vos_ctx *ctx, const char *rule, uint32_t dns4,
			      struct vos_rule *out, size_t room);
/*
 * The resolver subsystems use, for @dns4 above: the first IPv4 nameserver
 * of the host's /etc/resolv.conf that is not a loopback address (network
 * byte order), 0 if there is none (then specialtarget=dns is port 53 to
 * any destination).
 */
VOS_EXPORT uint32_t vos_net_resolver4(void);

/* Room vos_rule_format() needs at most */
#define VOS_RULE_TEXT_MAX 192

/*
 * Format @r in the grammar above into @buf ("action=drop proto=udp
 * dsthost=10.0.0.0/8 dstports=53"): its length, -ENOSPC if it does not
 * fit, -EINVAL if vos.ko would not take it. A dst_subsys is "@NAME" while
 * the subsystem exists and @ctx can see it, else "@#ID" (also with @ctx
 * NULL); a /32 address is printed without "/32". A rule from a host NAME
 * shows its address, and specialtarget=dns its two rules (udp and tcp 53).
 * vos_rule_parse() of the text gives @r back.
 */
VOS_EXPORT int vos_rule_format(struct vos_ctx *ctx, const struct vos_rule *r, char *buf,
			       size_t len);

/* A subsystem's rule set as vos.ko holds it */
struct vos_ruleset {
	uint32_t policy;	/* VOS_RULE_ACCEPT or VOS_RULE_DROP: no rule matched */
	uint32_t count;		/* rules at @rules, at most VOS_RULES_MAX */
	struct vos_rule *rules; /* get: malloc'ed, with packets/bytes counters */
	uint64_t dropped_spoof; /* get: packets with a source not the link's */
	uint64_t dropped_other; /* get: no rule matched: IPv6, another subsystem, the policy */
	/* NULL, or @count blocks of VOS_RULE_HOST_MAX bytes: the host NAME
	 * each rule's address was resolved from ("" for none), kept by vos.ko
	 * with the set (VOS_CAP_RULE_HOSTS) for vos_ruleset_refresh(); malloc'ed,
	 * freed by vos_ruleset_clear(). Set by vos_ruleset_insert_text() and
	 * vos_subsys_get_rules(); kept in step by insert and delete.
	 */
	union {
		char *hosts;
		uint64_t reserved0;
	};
	/* NULL, or @count destinations: each VOS_RULE_IPV6 rule's IPv6 range
	 * (all zero for the other rules). Set by vos_ruleset_insert_text()
	 * and vos_subsys_get_rules() (VOS_CAP_NET_IPV6); malloc'ed, freed and
	 * kept in step as @hosts is.
	 */
	union {
		struct vos_rule_addr6 *addrs6;
		uint64_t reserved1;
	};
	uint64_t reserved[2];
};

/*
 * Read subsystem @s's set (VOS_SUBSYS_GET_RULES) into @rs, which must be
 * zeroed or cleared: policy (VOS_RULE_ACCEPT until set), rules with their
 * counters, drop counts. Free with vos_ruleset_clear().
 */
VOS_EXPORT int vos_subsys_get_rules(struct vos_subsys *s, struct vos_ruleset *rs);
/*
 * Replace @s's whole set with @rs's policy and rules (VOS_SUBSYS_SET_RULES):
 * vos.ko swaps it in at once, for new and existing flows; the rules'
 * counters start again at 0 (the drop counts go on: they are the link's).
 * Each rule is checked first ("rule 3: ..."); more than VOS_RULES_MAX:
 * -E2BIG, VOS_ERR_USAGE. Nothing changes on an error. An edit is read,
 * change, write: of two concurrent editors the last one wins.
 */
VOS_EXPORT int vos_subsys_set_rules(struct vos_subsys *s, const struct vos_ruleset *rs);
/* Insert @n rules at index @pos (0: first; @rs->count: last) of @rs, whose
 * rules are NULL or from vos_subsys_get_rules(); -E2BIG (VOS_ERR_USAGE)
 * past VOS_RULES_MAX. @rules must not point into @rs (it is reallocated);
 * the inserted rules have no host name.
 */
VOS_EXPORT int vos_ruleset_insert(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos,
				  const struct vos_rule *rules, size_t n);
/*
 * Parse rule text @rule (the grammar above; @dns4 as for vos_rule_parse())
 * and insert its rules at index @pos of @rs, noting the host NAME of a
 * dsthost=NAME rule with them so that vos_ruleset_refresh() can resolve it
 * again: the number of rules inserted, or vos_rule_parse()'s errors.
 */
VOS_EXPORT int vos_ruleset_insert_text(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos,
				       const char *rule, uint32_t dns4);
/*
 * Resolve again the host names @rs's rules came from (@rs->hosts): each run
 * of consecutive rules from one dsthost=NAME becomes one rule per address
 * the name has now, in the same place, with the same action, protocol and
 * ports. The number of names resolved (0: none in the set), or a negative
 * errno with @rs unchanged and vos_rule_parse()'s message for the name
 * (-EINVAL: it has no IPv4 address now; -EAGAIN: it cannot be resolved
 * now; -E2BIG: too many rules). Give the result to
 * vos_subsys_set_rules() to make it take effect.
 */
VOS_EXPORT int vos_ruleset_refresh(struct vos_ctx *ctx, struct vos_ruleset *rs);
/*
 * Format rule @i (0-based) of @rs as vos_rule_format() does, an IPv6 rule
 * with its destination from @rs->addrs6 (vos_rule_format() refuses those:
 * struct vos_rule has no room for an IPv6 address).
 */
VOS_EXPORT int vos_ruleset_format(struct vos_ctx *ctx, const struct vos_ruleset *rs, size_t i,
				  char *buf, size_t len);
/* Remove the rule at index @pos (0-based). */
VOS_EXPORT int vos_ruleset_delete(struct vos_ctx *ctx, struct vos_ruleset *rs, size_t pos);
/* Free @rs's rules; it is then empty, policy VOS_RULE_ACCEPT. */
VOS_EXPORT void vos_ruleset_clear(struct vos_ruleset *rs);

/*
 * Bind @s's link (VOS_SUBSYS_SET_LINK): the far end of its veth is device
 * @ifindex in the network namespace @netns_fd (-1: the caller's), and
 * @addr4 (network byte order) the subsystem's address on it. From then on
 * vos.ko checks every packet the subsystem sends there. Needs
 * CAP_NET_ADMIN over that namespace (VOS_ERR_PERM), a running init
 * (-ESRCH, VOS_ERR_NAME); a device that is not such a veth, or an address
 * another link has, is VOS_ERR_USAGE; -EBUSY if bound already.
 */
VOS_EXPORT int vos_subsys_set_link(struct vos_subsys *s, int netns_fd, unsigned int ifindex,
				   uint32_t addr4);

/* A subsystem's link as vos.ko has it bound (VOS_SUBSYS_GET_LINK). */
struct vos_link_state {
	bool bound;	       /* false: no link (none, or its device went) */
	uint32_t ifindex;      /* the far end, in its namespace */
	uint32_t addr4;	       /* network byte order */
	uint32_t range4;       /* a provider's client range, network byte order */
	uint32_t range_prefix; /* 0: not a provider */
	uint64_t provider;     /* id of the subsystem it is a client of, 0: the host */
	uint8_t addr6[16];     /* the IPv6 address (VOS_CAP_NET_IPV6), all zero: none */
	uint64_t reserved[2];
};
/* -ENOTTY (VOS_ERR_NOMODULE) from a vos.ko without VOS_CAP_NET_PROVIDER. */
VOS_EXPORT int vos_subsys_get_link(struct vos_subsys *s, struct vos_link_state *st);

/*
 * Published ports ("--publish PROTO:[ADDR:]HOSTPORT:PORT"): a connection to
 * the host's ADDR:HOSTPORT (tcp or udp; ADDR left out: any of the host's
 * addresses) is translated (nft table "ip virtos", chain "publish") to PORT
 * at the subsystem's link address and routed to it through its chain. The
 * rules follow the subsystem by name: whenever a subsystem of that name
 * gets a link, they point at its new address. vos_config_add_publish()
 * adds one to a config (applied when the link is made); vos_net_publish()
 * to a running subsystem with a link (-ENOLINK without); a host port has
 * one owner (-EADDRINUSE). vos_net_unpublish() removes one, or with @spec
 * NULL all of @name's. vos_net_published() writes "NAME SPEC ADDRESS\n"
 * lines of @name (NULL: every name) into @buf. Needs libnftables (-ENOSYS).
 */
VOS_EXPORT int vos_config_add_publish(struct vos_config *cfg, const char *spec);
VOS_EXPORT int vos_net_publish(struct vos_ctx *ctx, const char *name, const char *spec);
VOS_EXPORT int vos_net_unpublish(struct vos_ctx *ctx, const char *name, const char *spec);
VOS_EXPORT int vos_net_published(struct vos_ctx *ctx, const char *name, char *buf, size_t len);

/* ------------------------------------------------------------------------ */
/* Processes                                                                 */
/* ------------------------------------------------------------------------ */

struct vos_proc;

/*
 * Start @argv (argv[0] looked up in PATH inside) as the init of subsystem
 * @s, isolated as @cfg says, and attach it (VOS_SUBSYS_ATTACH). @envp NULL
 * means the minimal environment of @cfg (see vos_config_add_env(); argv[0]
 * is looked up in its PATH). @argv NULL starts an idle init (for a
 * persistent subsystem: it only reaps and waits to be ended) detached from
 * the caller's stdio. Returns once the command has been exec'ed (or failed
 * to: -ENOENT/-EACCES with class VOS_ERR_NOCMD/VOS_ERR_NOEXEC).
 * A subsystem has one init: a second spawn fails with -EBUSY.
 */
VOS_EXPORT int vos_subsys_spawn(struct vos_subsys *s, const struct vos_config *cfg,
				char *const argv[], char *const envp[], struct vos_proc **procp);

/*
 * The same isolation recipe without registering with vos.ko (@s NULL in
 * effect): for unprivileged users and for tests on hosts without the module.
 */
VOS_EXPORT int vos_proc_spawn(struct vos_ctx *ctx, const struct vos_config *cfg, char *const argv[],
			      char *const envp[], struct vos_proc **procp);

/*
 * Run @argv inside a running subsystem: join its namespaces (user, ipc,
 * uts, net, cgroup, pid, mnt: the subsystem's root and mounts) and its
 * cgroup, and apply the same restrictions as at spawn (capabilities,
 * no_new_privs, seccomp, Landlock, closed fds, new session). The identity
 * is the subsystem's (the inside uid/gid of its id maps), and so are its
 * Landlock write rules (read back from the subsystem's writable mounts:
 * its --rw binds and --tmpfs). @cfg NULL means the strict defaults; of
 * @cfg only capabilities (--cap-add), rw binds and tmpfs (more Landlock
 * write rules), cwd, tty, stdio and the ids of vos_config_set_ids() are
 * used. The process
 * is a child of the caller (pid != 1 inside, parent pid 0 inside).
 */
VOS_EXPORT int vos_subsys_exec(struct vos_subsys *s, const struct vos_config *cfg,
			       char *const argv[], char *const envp[], struct vos_proc **procp);

/* The process's pid in the caller's PID namespace and a pidfd for it. */
VOS_EXPORT pid_t vos_proc_pid(const struct vos_proc *p);
VOS_EXPORT int vos_proc_pidfd(const struct vos_proc *p);

/*
 * Forward these signals to the process while vos_proc_wait() runs. The
 * caller must block them (sigprocmask) first; the library reads them with
 * a signalfd and never installs handlers. SIGWINCH resizes the pty instead.
 */
VOS_EXPORT int vos_proc_set_forward(struct vos_proc *p, const sigset_t *set);

/* Wait flags */
#define VOS_WAIT_NOHANG (1u << 0)

/*
 * Wait for the process to end, relaying the terminal if a pty was set up
 * and forwarding signals. *wstatus gets the app's wait status (with the
 * mini init, an app killed by signal N is reported as killed by N).
 * Returns 0 when it ended, 1 with VOS_WAIT_NOHANG if still running.
 */
VOS_EXPORT int vos_proc_wait(struct vos_proc *p, int *wstatus, unsigned int flags);
/* Send a signal to the process (the mini init forwards it to the app). */
VOS_EXPORT int vos_proc_kill(struct vos_proc *p, int signo);
/* Free the handle; a process still running is left running (detached). */
VOS_EXPORT void vos_proc_free(struct vos_proc *p);

/* ------------------------------------------------------------------------ */
/* Events                                                                    */
/* ------------------------------------------------------------------------ */

struct vos_monitor;

#define VOS_EVENT_F_OVERRUN (1u << 0) /* the socket overflowed */

/* One event: a field per VOS_A_EVENT_* attribute, and the subsystem's id
 * and name.
 */
struct vos_event {
	uint32_t type;	/* enum vos_event_type */
	uint32_t flags; /* VOS_EVENT_F_* */
	uint64_t seq;
	uint64_t lost;	  /* events missed just before this one */
	uint64_t time_ns; /* CLOCK_BOOTTIME */
	uint64_t subsys_id;
	char subsys_name[VOS_NAME_MAX];
	int32_t pid;	     /* in the subsystem's PID ns, 0 if none */
	int32_t exit_status; /* VOS_EVENT_EXIT, VOS_EVENT_STOPPED: wait status */
	char comm[32];
	/* the first packet vos.ko dropped since the previous such event */
	uint32_t net_saddr;	 /* VOS_EVENT_NET_DENIED: IPv4, network order */
	uint32_t net_daddr;	 /* VOS_EVENT_NET_DENIED: IPv4, network order */
	uint16_t net_sport;	 /* VOS_EVENT_NET_DENIED: tcp/udp, else 0 */
	uint16_t net_dport;	 /* VOS_EVENT_NET_DENIED: tcp/udp, else 0 */
	uint8_t net_reason;	 /* VOS_EVENT_NET_DENIED: enum vos_net_drop */
	uint8_t net_proto;	 /* VOS_EVENT_NET_DENIED: IP protocol, 0 for IPv6 */
	uint16_t net_rule;	 /* VOS_EVENT_NET_DENIED: from 1, 0 if no rule */
	uint64_t net_suppressed; /* VOS_EVENT_NET_DENIED: drops not reported */
	uint64_t reserved[1];
};

/* Join the events multicast group with a new netlink socket. */
VOS_EXPORT int vos_monitor_new(struct vos_ctx *ctx, struct vos_monitor **mp);
VOS_EXPORT void vos_monitor_free(struct vos_monitor *m);
/* Non-blocking fd to poll() for POLLIN. */
VOS_EXPORT int vos_monitor_fd(const struct vos_monitor *m);
/*
 * Read one event. @timeout_ms: -1 blocks, 0 polls. Returns 1 with *ev
 * filled, 0 if none arrived in time, or -errno. A sequence gap or a socket
 * overrun is reported in ev->lost / VOS_EVENT_F_OVERRUN.
 */
VOS_EXPORT int vos_monitor_read(struct vos_monitor *m, struct vos_event *ev, int timeout_ms);

/* The addresses of an IPv6 packet vos.ko dropped (VOS_CAP_NET_IPV6): they do
 * not fit struct vos_event, whose net_saddr/net_daddr are 0 for it
 */
struct vos_net6_addrs {
	uint8_t saddr[16];
	uint8_t daddr[16];
};
/* The last event read's, if it was a VOS_EVENT_NET_DENIED of an IPv6
 * packet: 0; else -ENOENT (VIRTOS_0.13)
 */
VOS_EXPORT int vos_monitor_net6(const struct vos_monitor *m, struct vos_net6_addrs *a);

/* ------------------------------------------------------------------------ */
/* Crossing policy (VIRTOS_0.12)                                             */
/* ------------------------------------------------------------------------ */

/*
 * The policy that decides calls between subsystems (vosd, `vosctl policy`):
 * DIR/NAME.policy files, read in C-locale order of their names, one rule a
 * line, the first match decides, no match denies (qrexec's semantics):
 *
 *   SERVICE[+ARG]  SOURCE  TARGET  allow|deny|ask  [PARAM=VALUE...]
 *
 * SERVICE: a name or "*"; "NAME" matches any argument, "NAME+" only none,
 * "NAME+ARG" that one. SOURCE, TARGET: a subsystem name, "*" (anything,
 * the host too), @anyvm (any subsystem, never the host), @host, @tag:T;
 * TARGET also @default (the caller named none), @dispvm, @dispvm:TEMPLATE.
 * PARAMs (not with deny): target=NAME|@dispvm[:T] (where the call goes),
 * default_target= (ask only), limit=BYTES (K/M/G), scan=SERVICE@SUBSYS.
 * '#' starts a comment. Full reference: Documentation/policy.md.
 *
 * Fails closed: any problem (a line that does not parse, a file or the
 * directory that cannot be read) makes every evaluation deny.
 */
#define VOS_RPC_POLICY_DIR  "/etc/virtos/policy.d"
#define VOS_RPC_SERVICE_MAX 64		       /* service names and arguments, NUL included */
#define VOS_RPC_TARGET_MAX  (VOS_NAME_MAX + 8) /* a name or "@dispvm:" NAME */

enum vos_rpc_action {
	VOS_RPC_DENY = 0,
	VOS_RPC_ALLOW = 1,
	VOS_RPC_ASK = 2,
};

struct vos_rpc_policy;

/* One call, as the broker established it. */
struct vos_rpc_call {
	const char *service;		/* a service name (not "*") */
	const char *arg;		/* its argument; NULL or "" for none */
	const char *source;		/* a subsystem name, "@host" or "@user:NAME" */
	const char *target;		/* a name, "@host", "@default", "@dispvm[:T]" */
	const char *const *source_tags; /* NULL-terminated; NULL: none */
	const char *const *target_tags; /* the same, of a named target */
};

/* What the policy says about a call. */
struct vos_rpc_verdict {
	int action;				 /* enum vos_rpc_action */
	unsigned int line;			 /* the deciding rule's line; 0: none decided */
	char file[256];				 /* its file, "" if none */
	char target[VOS_RPC_TARGET_MAX];	 /* allow/ask: where the call goes ("" for
						 * ask with no target: the answer picks) */
	char default_target[VOS_RPC_TARGET_MAX]; /* ask: the offered target */
	uint64_t limit;				 /* bytes, 0: no limit= */
	char scan_service[VOS_RPC_SERVICE_MAX];	 /* scan=, "" if none */
	char scan_subsys[VOS_NAME_MAX];
	char reason[600]; /* one line: why */
	uint64_t reserved[4];
};

/*
 * Read the policy in @dir (NULL: VOS_RPC_POLICY_DIR). Returns the number
 * of problems found (0: clean) with *pp set, even when problems make it
 * deny everything (list them with vos_rpc_policy_problem()), or -ENOMEM.
 */
VOS_EXPORT int vos_rpc_policy_load(struct vos_ctx *ctx, const char *dir,
				   struct vos_rpc_policy **pp);
VOS_EXPORT void vos_rpc_policy_free(struct vos_rpc_policy *p);
/* Problems, each "FILE:LINE: what is wrong" (or "FILE: ..."); NULL past the end. */
VOS_EXPORT size_t vos_rpc_policy_problems(const struct vos_rpc_policy *p);
VOS_EXPORT const char *vos_rpc_policy_problem(const struct vos_rpc_policy *p, size_t i);
/* Rules parsed (those of lines without problems). */
VOS_EXPORT size_t vos_rpc_policy_rules(const struct vos_rpc_policy *p);
/*
 * Decide @c. Returns 0 with *v filled (deny included: no match, a broken
 * policy, an allow to @default without target=), or -EINVAL (class
 * VOS_ERR_USAGE) for a call whose fields are not valid names (a '/' or
 * ".." in a service name...), *v then a deny too.
 */
VOS_EXPORT int vos_rpc_policy_eval(struct vos_ctx *ctx, const struct vos_rpc_policy *p,
				   const struct vos_rpc_call *c, struct vos_rpc_verdict *v);
/* "allow", "deny", "ask" */
VOS_EXPORT const char *vos_rpc_action_name(int action);

/*
 * Who is calling (VOS_CAP_PEER): the subsystem of the peer of a connected
 * UNIX socket (as SO_PEERCRED names it) or of a pidfd's task, by vos.ko's
 * word. Needs CAP_SYS_ADMIN (-EPERM). A process of the host is one with
 * member false and ns VOS_PEER_NS_SAME; anything else that is no member
 * (another PID namespace vos.ko does not know) is neither.
 */
struct vos_peer {
	pid_t pid;   /* in the caller's PID namespace, 0: none */
	uint32_t ns; /* enum vos_peer_ns */
	bool member; /* id and name are set */
	uint64_t id;
	char name[VOS_NAME_MAX];
	uint64_t reserved[2];
};

VOS_EXPORT int vos_peer_of_socket(struct vos_ctx *ctx, int sockfd, struct vos_peer *p);
VOS_EXPORT int vos_peer_of_pidfd(struct vos_ctx *ctx, int pidfd, struct vos_peer *p);

/*
 * Channels (VOS_CAP_CHANNEL, VIRTOS_0.21): the stream of a call, minted by
 * vos.ko for a broker with CAP_SYS_ADMIN. vos_channel_create() returns two
 * fds: the target end, usable only by members of @target, and the source
 * end, usable only by members of @source or, with @peer_fd (a connected
 * UNIX socket), only by the host process at its other end. Nobody else
 * (the broker included) can read, write or shut them down: pass them on
 * and close them. Use an end as a pipe both ways; vos_channel_shutdown()
 * ends the writes of one end (the other reads EOF). vos.ko revokes the
 * channel when a subsystem of it ends and reports every step as a
 * VOS_EVENT_CROSSING. vos_channel_audit() reports a call that got no
 * channel (@verdict a refusing one; @target 0 with @target_name as the
 * caller named it, "" for the host). Errors: -ENOENT no such subsystem,
 * -ESRCH not running, -ENOSPC too many channels, -ENOTTY (VOS_ERR_NOMODULE)
 * a module without channels.
 */
struct vos_channel_req {
	uint64_t source;     /* the caller's subsystem id, 0: the host */
	uint64_t target;     /* the handler's subsystem id; audit: 0 for none */
	int peer_fd;	     /* create: -1, or a socket whose peer gets the source end */
	uint32_t verdict;    /* enum vos_crossing_verdict */
	const char *service; /* SERVICE[+ARG]: printable ASCII, no space */
	uint64_t reserved[2];
};

struct vos_channel_ends {
	uint64_t id;
	int source_fd; /* O_CLOEXEC */
	int target_fd; /* O_CLOEXEC */
};

VOS_EXPORT int vos_channel_create(struct vos_ctx *ctx, const struct vos_channel_req *req,
				  struct vos_channel_ends *out);
VOS_EXPORT int vos_channel_audit(struct vos_ctx *ctx, const struct vos_channel_req *req,
				 const char *target_name);
/* "allow", "deny", "ask-allowed", "ask-denied", "ask-timeout", "refused" */
VOS_EXPORT const char *vos_verdict_name(uint32_t verdict);
/* "opened", "closed", "revoked", "refused" */
VOS_EXPORT const char *vos_crossing_phase_name(uint32_t phase);

/* A VOS_EVENT_CROSSING's own attributes */
struct vos_crossing {
	uint32_t phase;	  /* enum vos_crossing_phase */
	uint32_t verdict; /* enum vos_crossing_verdict */
	char service[VOS_CROSSING_SERVICE_MAX];
	uint64_t target_id; /* 0: the host or none */
	char target_name[VOS_NAME_MAX];
	uint64_t channel;    /* 0: none */
	uint64_t bytes_out;  /* source to target, so far */
	uint64_t bytes_in;   /* target to source, so far */
	uint64_t suppressed; /* refused crossings of the source not reported */
	uint64_t reserved[2];
};

/*
 * The crossing attributes of the event vos_monitor_read() returned last
 * (its source is the event's subsys_id and subsys_name: 0 and "@host" for
 * the host). -ENOENT if that event was not a VOS_EVENT_CROSSING.
 */
VOS_EXPORT int vos_monitor_crossing(const struct vos_monitor *m, struct vos_crossing *c);

/*
 * The last crossing events vos.ko kept (VOS_CMD_GET_CROSSINGS, at most 64),
 * oldest first, each as it was sent: ev (type, seq, time_ns, the source as
 * subsys_id and subsys_name) and c. Needs CAP_SYS_ADMIN. Free the array
 * with vos_crossing_list_free().
 */
struct vos_crossing_entry {
	struct vos_event ev;
	struct vos_crossing c;
};

VOS_EXPORT int vos_crossing_list(struct vos_ctx *ctx, struct vos_crossing_entry **out, size_t *n);
VOS_EXPORT void vos_crossing_list_free(struct vos_crossing_entry *v);

/*
 * Services a subsystem offers through vosd ("--service NAME=COMMAND",
 * repeatable): COMMAND, an absolute program path and its arguments split
 * at spaces, runs inside the subsystem for each call the policy allows.
 * vos_subsys_create() records them in VOS_SERVICES_DIR/<name> (root's
 * alone) and fails, ending the subsystem, if it cannot.
 * vos_service_find() returns the COMMAND of @service offered by running
 * subsystem @subsys (@dir NULL: VOS_SERVICES_DIR), checking the record
 * against vos.ko's id and creation time: -ENOENT (VOS_ERR_NAME) if it
 * offers none.
 */
#define VOS_SERVICES_DIR    "/run/virtos/services"
#define VOS_SERVICE_CMD_MAX 1024
VOS_EXPORT int vos_config_add_service(struct vos_config *cfg, const char *spec);
VOS_EXPORT int vos_service_find(struct vos_ctx *ctx, const char *dir, const char *subsys,
				const char *service, char *cmd, size_t len);
/*
 * Tags ("--tag T", repeatable): 1-63 of A-Z a-z 0-9 _ . - (not starting
 * with . or -), at most 16; one given twice counts once. They
 * go in the same record as the services; vos_subsys_tags() puts running
 * subsystem @subsys's, separated by spaces, in @buf and returns how many
 * (0 without a record, or with an earlier subsystem's).
 */
VOS_EXPORT int vos_config_add_tag(struct vos_config *cfg, const char *tag);
VOS_EXPORT int vos_subsys_tags(struct vos_ctx *ctx, const char *dir, const char *subsys, char *buf,
			       size_t len);

/* ------------------------------------------------------------------------ */
/* The clipboard between subsystems (VIRTOS_0.17; issue 13, vos.Clipboard)  */
/* ------------------------------------------------------------------------ */

/*
 * Each subsystem has a clipboard of its own (a file inside it,
 * /run/vos-clip/clipboard: see lib/libvirtos/clipstore.h), and vos.ko holds
 * one global slot (VOS_CAP_CLIPBOARD) for the two-step copy between them:
 * vos_clip_copy() moves A's clipboard into the slot, vos.ko recording A as
 * its source; vos_clip_paste() lets the policy (service vos.Clipboard,
 * source A, target B) decide, then moves the slot's content into B's
 * clipboard and vos.ko wipes the slot, or records the refusal and leaves
 * both as they were. Everything here needs CAP_SYS_ADMIN (-EPERM) and a
 * connected context.
 */
struct vos_clip_info {
	char mime[VOS_CLIP_MIME_MAX]; /* type/subtype[;params] */
	uint64_t length;	      /* bytes */
	uint64_t seq;		      /* the content's number in vos.ko */
	uint64_t source_id;	      /* the subsystem it came from */
	char source[VOS_NAME_MAX];
	uint64_t expires_ns; /* CLOCK_BOOTTIME */
	uint64_t reserved[2];
};

/* What the slot holds (-ENOENT, class VOS_ERR_NAME: nothing, or expired) */
VOS_EXPORT int vos_clip_slot_info(struct vos_ctx *ctx, struct vos_clip_info *ci);
/* Wipe the slot (0 if it was empty) */
VOS_EXPORT int vos_clip_slot_clear(struct vos_ctx *ctx);
/* Running subsystem @s's own clipboard: its MIME type into @mime and its
 * bytes into a malloc()ed *@datap (-ENOENT, VOS_ERR_NAME: empty)
 */
VOS_EXPORT int vos_clip_get(struct vos_subsys *s, char *mime, size_t mimelen, void **datap,
			    size_t *lenp);
/* Replace it (-EINVAL, VOS_ERR_USAGE: @mime not type/subtype, or no bytes) */
VOS_EXPORT int vos_clip_set(struct vos_subsys *s, const char *mime, const void *data, size_t len);
/* A VOS_EVENT_CLIP's own attributes (its subsystem is the event's) */
struct vos_clip_event {
	uint32_t op; /* enum vos_clip_op */
	uint32_t pad;
	uint64_t seq;
	uint64_t bytes;
	uint64_t source_id; /* the subsystem the content came from */
	char mime[VOS_CLIP_MIME_MAX];
	uint64_t reserved[2];
};
/*
 * The clipboard attributes of the event vos_monitor_read() returned last:
 * -ENOENT if that event was not a VOS_EVENT_CLIP.
 */
VOS_EXPORT int vos_monitor_clip(const struct vos_monitor *m, struct vos_clip_event *c);
/* "copy", "paste", "denied", "cleared", "expired" */
VOS_EXPORT const char *vos_clip_op_name(uint32_t op);
/* @s's clipboard into the slot (-EFBIG: over vos.ko's clip_max_bytes) */
VOS_EXPORT int vos_clip_copy(struct vos_subsys *s, struct vos_clip_info *ci);
/*
 * The slot into @s's clipboard if policy @p allows the slot's source to
 * paste into @s: 0 with *@v the verdict (action VOS_RPC_ALLOW: pasted,
 * the slot wiped; else refused, recorded by vos.ko, nothing moved: "ask"
 * refuses too, having nobody to ask) and *@ci what the slot held;
 * -ENOENT if it is empty, -ESTALE if it changed while the policy decided.
 */
VOS_EXPORT int vos_clip_paste(struct vos_subsys *s, const struct vos_rpc_policy *p,
			      struct vos_rpc_verdict *v, struct vos_clip_info *ci);

/* ------------------------------------------------------------------------ */
/* Routes (VIRTOS_0.17; issue 15)                                            */
/* ------------------------------------------------------------------------ */

/*
 * Which subsystem opens a URL, a file of a MIME type or an app: DIR/NAME.route
 * files, one route a line, the first match wins (reference: virtos-routes(5),
 * lib/libvirtos/route.c):
 *
 *   url  REGEX  TARGET      POSIX extended regex, or * for any URL
 *   mime TYPE   TARGET      type/subtype, type/ * or *
 *   app  ID     TARGET      a desktop ID, or *
 *
 * TARGET: a subsystem name, @dispvm or @dispvm:TEMPLATE. A route picks
 * the target only: the crossing policy (vos.OpenURL, vos.OpenFile) still
 * decides. Fails closed: with any problem no route matches.
 */
#define VOS_ROUTE_DIR	      "/etc/virtos/routes.d"
#define VOS_ROUTE_PATTERN_MAX 512

enum vos_route_kind {
	VOS_ROUTE_URL = 1,
	VOS_ROUTE_MIME = 2,
	VOS_ROUTE_APP = 3,
};

struct vos_routes;

/* The route that matched */
struct vos_route {
	int kind; /* enum vos_route_kind */
	unsigned int line;
	char target[VOS_RPC_TARGET_MAX];
	char pattern[VOS_ROUTE_PATTERN_MAX];
	char file[256];
	uint64_t reserved[4];
};

/*
 * Read the routes of @dirs (NULL-terminated, in that order; NULL: the
 * user's $XDG_CONFIG_HOME/virtos/routes.d, default ~/.config/virtos/
 * routes.d, then VOS_ROUTE_DIR). A directory that does not exist holds
 * none. Returns the number of problems (0: clean) with *rp set, or -ENOMEM.
 */
VOS_EXPORT int vos_routes_load(struct vos_ctx *ctx, const char *const *dirs,
			       struct vos_routes **rp);
VOS_EXPORT void vos_routes_free(struct vos_routes *r);
/* Problems, each "FILE:LINE: what is wrong"; NULL past the end */
VOS_EXPORT size_t vos_routes_problems(const struct vos_routes *r);
VOS_EXPORT const char *vos_routes_problem(const struct vos_routes *r, size_t i);
VOS_EXPORT size_t vos_routes_count(const struct vos_routes *r);
/*
 * The first route of @kind matching @subject (a URL, a MIME type, a
 * desktop ID): 1 with *out filled, 0 if none matches, -EBADMSG (class
 * VOS_ERR_USAGE) if the routes have problems (none is used), -EINVAL for
 * an empty subject or one with control characters.
 */
VOS_EXPORT int vos_route_find(struct vos_ctx *ctx, const struct vos_routes *r, int kind,
			      const char *subject, struct vos_route *out);
/* "url", "mime", "app" */
VOS_EXPORT const char *vos_route_kind_name(int kind);
/*
 * One lookup in one call: the target of @url_or_mime (a URL has a scheme,
 * a MIME type none) by the routes in @routes_dir (NULL: the default
 * directories) into @target: 0, -ENOENT (VOS_ERR_NAME) if no route
 * matches, or vos_route_find()'s errors. @source: the calling subsystem
 * (routes do not depend on it yet). It reads and compiles the routes each
 * time: a caller that routes often (vosd) keeps vos_routes_load()'s set
 * and calls vos_route_find().
 */
VOS_EXPORT int vos_route_open(struct vos_ctx *ctx, const char *routes_dir, const char *source,
			      const char *url_or_mime, char *target, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* VIRTOS_H */
