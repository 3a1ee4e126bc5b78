/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * private.h - libvirtos internals shared between its source files.
 * Nothing here is exported (the library is built with -fvisibility=hidden
 * and a version script).
 */
#ifndef VIRTOS_PRIVATE_H
#define VIRTOS_PRIVATE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "virtos.h"

#define VOS_ERRMSG_MAX	     512
#define VOS_ERRSUBJECT_MAX   32
#define VOS_DEFAULT_DEVICE   "/dev/vos"
#define VOS_MAX_BINDS	     64
#define VOS_MAX_TMPFS	     32
#define VOS_MAX_PUBLISH	     16
#define VOS_PUBLISH_SPEC_MAX 64
#define VOS_MAX_ENV	     128
#define VOS_MAX_SERVICES     32
#define VOS_MAX_TAGS	     16

struct nl_sock;

struct vos_ctx {
	char device[256];
	int dev_fd;	    /* /dev/vos, -1 until connected */
	struct nl_sock *nl; /* genl socket, NULL until first use */
	int family_id;	    /* genl family id of "vos" */
	int events_grp;	    /* multicast group id */
	int err;	    /* last negative errno */
	enum vos_errclass errclass;
	char errmsg[VOS_ERRMSG_MAX];
	char errsubject[VOS_ERRSUBJECT_MAX]; /* the option at fault, "" if none */
};

struct vos_bind {
	char *src;
	char *dest;
	unsigned int flags;
};

enum vos_uplink {
	VOS_UPLINK_NONE = 0,
	VOS_UPLINK_HOST,
	VOS_UPLINK_SUBSYS, /* a provider, uplink_name */
};

/* vos_config_set_root() and --uid, each refusing the other */
#define VOS_UID_CONFLICT "--uid and --root both choose the ids inside: give one of them"

struct vos_config {
	struct vos_ctx *ctx;
	char name[VOS_NAME_MAX];
	char hostname[65];
	bool name_set;
	bool persistent;
	bool root;
	bool share_net;
	bool as_pid1;
	bool host_root; /* the whole host root as / (hole: its sockets) */
	bool host_ids;	/* the caller's own host uid/gid, no private range */
	bool ids_set;	/* app_uid/app_gid chosen (vos_config_set_ids()) */
	uid_t app_uid;	/* the app's ids inside, when ids_set */
	gid_t app_gid;
	bool gui;		/* --gui: WAYLAND_DISPLAY in VOS_GUI_DIR */
	enum vos_uplink uplink; /* VOS_UPLINK_NONE: loopback only */
	char uplink_name[VOS_NAME_MAX];
	bool provides_network;
	char *publish[VOS_MAX_PUBLISH]; /* --publish specs, canonical */
	unsigned int npublish;
	char *rootfs;
	char *cwd;
	char *cgroup_parent;
	struct vos_bind binds[VOS_MAX_BINDS];
	unsigned int nbinds;
	char *tmpfs[VOS_MAX_TMPFS];
	unsigned int ntmpfs;
	uint64_t memory;
	uint32_t cpu_milli;
	uint64_t pids;
	uint64_t tmpfs_size; /* bytes per tmpfs of ours, 0 = the kernel's default (half of RAM) */
	uint64_t caps;	     /* bit mask of kept capabilities */
	uint64_t socket_families; /* bit mask: families allowed whole */
	char *env[VOS_MAX_ENV];	  /* --env "K=V", later ones win */
	unsigned int nenv;
	char *keep_env[VOS_MAX_ENV]; /* --keep-env K: from the caller */
	unsigned int nkeep_env;
	char *services[VOS_MAX_SERVICES]; /* --service NAME=COMMAND (services.c) */
	unsigned int nservices;
	char *tags[VOS_MAX_TAGS]; /* --tag T (services.c) */
	unsigned int ntags;
	enum vos_tty_mode tty;
	int stdio[3];
};

struct vos_subsys {
	struct vos_ctx *ctx;
	int fd;
	uint64_t id;
	char name[VOS_NAME_MAX];
	bool persistent;
	bool has_init;
	uint32_t id_base; /* private host id range, id_count 0 if none */
	uint32_t id_count;
	int freeze_fd; /* its leaf's cgroup.freeze, kept by vos_subsys_freeze(); -1 */
};

struct vos_proc {
	struct vos_ctx *ctx;
	pid_t pid;
	int pidfd;
	int status_fd;	/* app wait status from the mini init */
	int pty_master; /* -1 without a pty */
	int sig_fd;	/* signalfd, -1 if none */
	sigset_t fwd;
	bool fwd_set;
	bool done;
	int wstatus;
	char *cgroup_dir; /* removed after the end, if ours */
	/* terminal state of the caller, restored after the relay */
	int tty_fd;
	int in_fd; /* caller's side of the relay */
	int out_fd;
	bool tty_saved;
	unsigned char termios_buf[64];
};

/*
 * error.c: record a failure in @ctx (NULL: nothing recorded) and return
 * @err, a negative errno. A format ending in ':' gets ": <strerror>".
 * vos_err() classes the error by its errno, vos_err_class() as told.
 */
int vos_err(struct vos_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vos_err_class(struct vos_ctx *ctx, int err, enum vos_errclass cls, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* What @option names ("--uplink fw") is not there or not usable: class @cls,
 * subject @option, so a front end shows this message, not its own.
 */
int vos_err_option(struct vos_ctx *ctx, int err, enum vos_errclass cls, const char *option,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A path given with @option ("--ro") does not work: VOS_ERR_PATH (or
 * VOS_ERR_PERM if the caller may not use it), subject @option.
 */
int vos_err_path(struct vos_ctx *ctx, int err, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The cgroup the limits need: VOS_ERR_CGROUP_PERM if the caller may not
 * make or join it, VOS_ERR_CGROUP if cgroup v2 cannot give it.
 */
int vos_err_cgroup(struct vos_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the current message: "what: <old message>". Returns err. */
int vos_err_prefix(struct vos_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same, and the error is about the path of @option (as vos_err_path()) */
int vos_err_path_prefix(struct vos_ctx *ctx, int err, const char *option, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error as it crosses from the spawned child to its caller (a pipe) */
struct vos_err_record {
	int32_t err;
	int32_t cls;
	char subject[VOS_ERRSUBJECT_MAX];
	char msg[VOS_ERRMSG_MAX];
};
void vos_err_save(const struct vos_ctx *ctx, struct vos_err_record *rec);
/* Record what the child sent (@len bytes); -EPROTO if it is no record. */
int vos_err_restore(struct vos_ctx *ctx, const struct vos_err_record *rec, size_t len);

/* cgroup.c: the cgroup2 mount point (first in mountinfo); the cgroup v2
 * directory of @pid (0: the caller), the one parser of /proc/PID/cgroup
 */
int vos_cgroup2_root(char *buf, size_t len);
int vos_cgroup_path(pid_t pid, char *buf, size_t len);

/* The subsystem's leaf and its limits: *fdp -1 and @path "" if it gets
 * none (no limits asked for and no cgroup to have).
 */
int vos_cgroup_create(struct vos_ctx *ctx, const struct vos_config *cfg, char *path, size_t len,
		      int *fdp);
int vos_cgroup_enter(int cgfd, pid_t pid);
/* An ended subsystem's leaf: by the path of its init's cgroup (if it is
 * ours), or found by name (and cgroup id, if not 0) when it had no init.
 */
void vos_cgroup_remove(const char *path);
void vos_cgroup_collect(const char *name, uint64_t id);

/* config.c: the host-scaled defaults of vos_config_new() */
void vos_default_limits(uint64_t *memory, uint64_t *pids, uint64_t *tmpfs_size);
int vos_proc_number(const char *file, uint64_t *v);

/* The ranges of the options' values (options.c, parse.c) */
#define VOS_PATH_MAX 4096	  /* PATH_MAX: every path an option gives */
#define VOS_SIZE_MIN (1ULL << 20) /* --memory, --tmpfs-size: 1M */
#define VOS_SIZE_MAX (1ULL << 50) /* 1 PiB, 1048576G */
#define VOS_CPUS_MAX 1024	  /* --cpus */
#define VOS_PIDS_MAX 4194304ULL	  /* --pids: PID_MAX_LIMIT on 64-bit */

/* config.c: an absolute path of @what ("--rootfs") into *slot */
int vos_config_set_path(struct vos_config *cfg, char **slot, const char *what, const char *path);
bool vos_path_has_dotdot(const char *p);

/* parse.c: the parsers of the public vos_parse_*() with the refusals told
 * apart, for the messages. vos_size_parse: N[KMG], 0 too; -ERANGE past
 * 2^64. vos_cpus_parse: N[.NNN] in thousandths, 0 too; -EDOM finer than a
 * thousandth, -ERANGE over VOS_CPUS_MAX. vos_bool_parse: 1, 0 or -EINVAL.
 * vos_hostname_ok: RFC 1123 (letters, digits, '-' inside dot-separated
 * labels of 1..63), 1..64 bytes; *long_label says a label was too long.
 */
int vos_size_parse(const char *s, uint64_t *bytes);
int vos_cpus_parse(const char *s, uint32_t *milli);
int vos_bool_parse(const char *s);
bool vos_hostname_ok(const char *h, bool *long_label);

/*
 * fdmount.c: the mount primitives. Paths are relative to a directory fd and
 * never follow a symlink; the plain ones return 0, an fd or -errno, those
 * with a @ctx record their failure. @opts: "key", "value" pairs, NULL ends.
 */
#define VOS_MNT_RO_ALL \
	(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)
int vos_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve);
int vos_open_beneath(int dirfd, const char *path);
int vos_mnt_setattr(int fd, uint64_t set, bool recursive);
int vos_mnt_clone(int srcfd, uint64_t attrs);
int vos_mnt_bind(int srcfd, int dstfd, uint64_t attrs);
int vos_mnt_new_fs(const char *type, const char *const *opts, uint64_t attrs);
int vos_mnt_move(int mfd, int dstfd);
int vos_mnt_new_on(int dirfd, const char *path, const char *type, const char *const *opts,
		   uint64_t attrs);
int vos_mnt_point(struct vos_ctx *ctx, int nr, const char *path, bool dir);
int vos_mnt_new_at(struct vos_ctx *ctx, int nr, const char *path, const char *type,
		   const char *const *opts, uint64_t attrs, int *mfdp);
/* What masks are made of: the host's /dev/null, and the first mask of
 * each kind, which the others are clones of (-1: none yet)
 */
struct vos_masks {
	int devnull;
	int file;
	int dir;
};
int vos_mnt_mask_dir(struct vos_ctx *ctx, int dirfd, const char *path, struct vos_masks *mk,
		     const char *what);
int vos_mnt_mask_file(struct vos_ctx *ctx, int dirfd, const char *path, struct vos_masks *mk,
		      const char *what);
int vos_mnt_mask_fresh(struct vos_ctx *ctx, int dirfd, const char *const *names,
		       struct vos_masks *mk, bool file, const char *prefix);
void vos_masks_close(struct vos_masks *mk);

/*
 * kernfs.c: the view's /proc, /sys and /dev below the new root @nr, from
 * the host's root @oldroot. vos_view_proc() opens the host's /dev/null,
 * which the others mask files with, into @mk->devnull. @size: the "size"
 * option of our tmpfs mounts, NULL for the kernel's default.
 */
int vos_view_proc(struct vos_ctx *ctx, int nr, int oldroot, struct vos_masks *mk);
int vos_view_sys(struct vos_ctx *ctx, const struct vos_config *cfg, int nr, int oldroot,
		 struct vos_masks *mk);
int vos_view_dev(struct vos_ctx *ctx, int nr, int oldroot);
int vos_view_dev_fs(struct vos_ctx *ctx, int nr, const char *size);

/* rootfs.c; @trees: per bind, an idmapped tree to move in (idmap.c) or -1;
 * @from_tmpl: the process started in a copy of the view template, with
 * @vosd_tree the caller's clone of vosd's directory or -1 (viewtmpl.c)
 */
int vos_fs_setup(struct vos_ctx *ctx, const struct vos_config *cfg, uid_t uid, gid_t gid,
		 const int *trees, bool from_tmpl, int vosd_tree);
int vos_view_template_make(struct vos_ctx *ctx);
/* the host's vosd directory (holding vosd.sock), below a root fd */
#define VOS_VOSD_DIR "run/virtos/vosd"
int vos_view_vosd_dir(int root);

/*
 * viewtmpl.c: the view template. vos_view_tmpl_enter() moves the calling
 * process into it when @cfg's view can be made from it (0 if not: the
 * view is then made whole), and vos_view_tmpl_leave() back, right after
 * the clone of the subsystem's init.
 */
struct vos_view_tmpl {
	bool entered;
	int host_mnt; /* the caller's mount namespace, root and cwd */
	int root;
	int cwd;
	int vosd_tree; /* a clone of the host's vosd directory, or -1 */
};
#define VOS_VIEW_TMPL_NONE                                             \
	{                                                              \
		.host_mnt = -1, .root = -1, .cwd = -1, .vosd_tree = -1 \
	}
int vos_view_tmpl_enter(struct vos_ctx *ctx, const struct vos_config *cfg, struct vos_view_tmpl *t);
int vos_view_tmpl_leave(struct vos_ctx *ctx, struct vos_view_tmpl *t);
void vos_view_tmpl_close(struct vos_view_tmpl *t);

/* net.c: after the init is attached, before it is released */
/* publish.c: parse "tcp:[ADDR:]HOSTPORT:PORT" (@proto 4, @addr INET_ADDRSTRLEN
 * bytes, "" for any); after a link, point @name's ports at @addr and add
 * @cfg's
 */
int vos_publish_parse(struct vos_ctx *ctx, const char *spec, char *proto, char *addr,
		      unsigned int *hostport, unsigned int *port);
int vos_publish_link(struct vos_ctx *ctx, const char *name, const char *addr,
		     const struct vos_config *cfg, unsigned long long owner);
/* netpool.c: the pool of link addresses (network.conf) and its masquerade */
#define VOS_NETWORK_CONF "/etc/virtos/network.conf"
int vos_net_pool_parse(const char *s, uint32_t *base, unsigned int *prefix);
int vos_net_pool(struct vos_ctx *ctx, uint32_t *base, unsigned int *prefix);
int vos_net_host_nat(struct vos_ctx *ctx, uint32_t base, unsigned int prefix);
/* Write @val to the sysctl file @path: 0 or a positive errno (no message) */
int vos_write_sysctl(const char *path, const char *val);
/* firewall.c: VOS_SUBSYS_SET_LINK as given (network byte order): 0 or -errno,
 * no message (vos_subsys_set_link() words it)
 */
int vos_link_bind(struct vos_subsys *s, int netns_fd, unsigned int ifindex, uint32_t addr4,
		  uint32_t range4, unsigned int range_prefix, const uint8_t *addr6);
int vos_net_uplink(struct vos_ctx *ctx, struct vos_subsys *s, const struct vos_config *cfg,
		   pid_t pid);

/* idmap.c: who the subsystem is on the host. With @count, ids 0..count-1
 * inside are @base.. on the host; without, the app's @uid_in/@gid_in are
 * the caller's euid/egid.
 */
struct vos_identity {
	uint32_t base;
	uint32_t count;
	uid_t uid_in;
	gid_t gid_in;
};
int vos_write_proc_file(struct vos_ctx *ctx, pid_t pid, const char *file, const char *val);
int vos_idmap_write(struct vos_ctx *ctx, pid_t pid, const struct vos_identity *id);
/* One idmapped detached tree per bind of @cfg in @trees (-1: plain bind). */
int vos_idmap_binds(struct vos_ctx *ctx, const struct vos_config *cfg,
		    const struct vos_identity *id, int *trees);
void vos_idmap_close(int *trees, unsigned int n);

/* config.c: the app's environment when the caller gives none (a NULL
 * terminated array, free() it; its strings belong to cfg, the caller's
 * environ or are static). @tty: the app gets a terminal.
 */
int vos_env_build(struct vos_ctx *ctx, const struct vos_config *cfg, bool tty, char ***envp);

/* seccomp.c */
struct sock_filter;
int vos_seccomp_build(struct vos_ctx *ctx, const struct vos_config *cfg, bool allow_mount,
		      struct sock_filter **progp, size_t *lenp);
int vos_seccomp_load(struct vos_ctx *ctx, struct sock_filter *prog, size_t len);

/* restrict.c */
int vos_caps_drop(struct vos_ctx *ctx, uint64_t keep, uid_t uid, gid_t gid);
int vos_landlock_apply(struct vos_ctx *ctx, const struct vos_config *cfg);
/* Close every fd >= 3 but @keep's (n <= VOS_MAX_KEEP_FDS). */
#define VOS_MAX_KEEP_FDS (8 + VOS_MAX_BINDS)
int vos_close_fds(const int *keep, int n);

/* services.c: write @cfg's --service record for new subsystem @s */
int vos_services_record(struct vos_ctx *ctx, const struct vos_config *cfg, struct vos_subsys *s);

/* genl.c */
int vos_genl_ensure(struct vos_ctx *ctx);
void vos_genl_close(struct vos_ctx *ctx);

/*
 * Cleanup helpers: a variable marked _cleanup_close_ (an fd, -1 for none),
 * _cleanup_close_pair_ (a pipe or socket pair), _cleanup_free_ (a malloc'ed
 * pointer) or _cleanup_fclose_ is closed or freed when it goes out of
 * scope, on every return path. vos_take_fd() hands an fd on: it returns it
 * and leaves -1 behind. vos_closep() closes now and leaves -1.
 */
static inline void vos_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}
static inline void vos_close_pairp(int (*pair)[2])
{
	vos_closep(&(*pair)[0]);
	vos_closep(&(*pair)[1]);
}
static inline int vos_take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}
static inline void vos_freep(void *p)
{
	free(*(void **)p);
}
static inline void vos_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void vos_config_freep(struct vos_config **cfg)
{
	vos_config_free(*cfg);
}
#define _cleanup_(f)	      __attribute__((cleanup(f)))
#define _cleanup_close_	      _cleanup_(vos_closep)
#define _cleanup_close_pair_  _cleanup_(vos_close_pairp)
#define _cleanup_free_	      _cleanup_(vos_freep)
#define _cleanup_fclose_      _cleanup_(vos_fclosep)
#define _cleanup_config_free_ _cleanup_(vos_config_freep)

/*
 * confdir.c: a directory of DIR/NAME.SUFFIX files (not hidden), read in
 * C-locale order of their names, one line at a time, for the policy and
 * the routes; what is wrong goes into a problem list, "FILE:LINE: ...".
 */
#define VOS_PROBLEMS_MAX 100 /* listed; more are counted */
struct vos_problems {
	char *list[VOS_PROBLEMS_MAX]; /* NULL where memory ran out */
	size_t n;		      /* all of them, listed or not */
};
void vos_problem(struct vos_problems *pr, const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void vos_problems_clear(struct vos_problems *pr);
struct vos_confdir {
	const char *suffix; /* ".policy" */
	const char *what;   /* "policy": "cannot list the policy directory" */
	size_t files_max, file_max, line_max;
	bool missing_ok; /* a directory that does not exist holds no files */
	struct vos_problems *problems;
	void *arg;
	/* a file about to be read: @path is the callee's now (freed by it,
	 * also on failure); 0 or -ENOMEM. NULL: @path is freed after it.
	 */
	int (*file)(void *arg, char *path);
	/* one line, without its newline, writable; 0 or -ENOMEM */
	int (*line)(void *arg, const char *path, unsigned int line, char *s);
};
/* 0, or -ENOMEM (a read that cannot go on); the rest are problems */
int vos_confdir_read(const char *dir, const struct vos_confdir *c);
/* policy.c: a target= value: a subsystem name, @dispvm or @dispvm:TEMPLATE */
bool vos_target_ok(const char *v);

#endif /* VIRTOS_PRIVATE_H */
