// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * restrict.c - what the subsystem's processes may no longer do, besides
 * the seccomp filter (seccomp.c): capabilities (libcap) and the identity
 * they are kept for, Landlock, inherited file descriptors.
 */
#include <fcntl.h>
#include <linux/landlock.h>
#include <linux/securebits.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "private.h"

/* ------------------------------------------------------------------------ */
/* capabilities and identity                                                 */
/* ------------------------------------------------------------------------ */

/* The effective set raised to the permitted one (see vos_caps_drop()). */
static int effective_from_permitted(struct vos_ctx *ctx)
{
	cap_value_t last = (cap_value_t)cap_max_bits() - 1, c;
	cap_flag_value_t v;
	cap_t caps;
	int r = 0;

	caps = cap_get_proc();
	if (!caps)
		return vos_err(ctx, -errno, "capabilities: get:");
	for (c = 0; c <= last && !r; c++)
		if (cap_get_flag(caps, c, CAP_PERMITTED, &v) < 0 ||
		    cap_set_flag(caps, CAP_EFFECTIVE, 1, &c, v) < 0)
			r = vos_err(ctx, -errno, "capabilities: effective set:");
	if (!r && cap_set_proc(caps) < 0)
		r = vos_err(ctx, -errno, "capabilities: raise the effective set:");
	cap_free(caps);
	return r;
}

static void cap_freep(cap_t *caps)
{
	if (*caps)
		cap_free(*caps);
}

/*
 * Become @uid/@gid inside and keep only the capabilities in @keep, in every
 * set (bounding, permitted, effective, inheritable, ambient). Root inside
 * gets no capabilities from being root (SECBIT_NOROOT, locked): only the
 * kept ones, through the ambient set.
 */
int vos_caps_drop(struct vos_ctx *ctx, uint64_t keep, uid_t uid, gid_t gid)
{
	cap_value_t last = (cap_value_t)cap_max_bits() - 1, c;
	_cleanup_(cap_freep) cap_t caps = NULL;
	cap_value_t list[64];
	int n = 0, r;

	for (c = 0; c <= last && c < 64; c++) {
		if (keep & (1ULL << c)) {
			list[n++] = c;
			continue;
		}
		if (cap_drop_bound(c) < 0 && errno != EINVAL)
			return vos_err(ctx, -errno, "capabilities: drop %s from the bounding set:",
				       cap_to_name(c));
	}
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_KEEP_CAPS, 0, 0,
		  0) < 0)
		return vos_err(ctx, -errno, "capabilities: set securebits:");
	if (setresgid(gid, gid, gid) < 0)
		return vos_err(ctx, -errno, "setresgid %u:", (unsigned int)gid);
	if (setresuid(uid, uid, uid) < 0)
		return vos_err(ctx, -errno, "setresuid %u:", (unsigned int)uid);
	/* Leaving uid 0 of the namespace (an app uid other than 0 in a private
	 * range) cleared the effective set; keep-caps kept the permitted one.
	 * Raise it again for the steps below, which need CAP_SETPCAP.
	 */
	r = effective_from_permitted(ctx);
	if (r < 0)
		return r;
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0) < 0)
		return vos_err(ctx, -errno, "capabilities: clear keep-caps:");
	caps = cap_init();
	if (!caps)
		return vos_err(ctx, -ENOMEM, "capabilities:");
	if (n && (cap_set_flag(caps, CAP_PERMITTED, n, list, CAP_SET) < 0 ||
		  cap_set_flag(caps, CAP_EFFECTIVE, n, list, CAP_SET) < 0 ||
		  cap_set_flag(caps, CAP_INHERITABLE, n, list, CAP_SET) < 0))
		return vos_err(ctx, -errno, "capabilities: build set:");
	if (cap_set_proc(caps) < 0)
		return vos_err(ctx, -errno, "capabilities: set:");
	/* one prctl, where libcap's cap_reset_ambient() first asks for every
	 * capability whether it is ambient (41 calls)
	 */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return vos_err(ctx, -errno, "capabilities: clear ambient:");
	while (n-- > 0) {
		if (cap_set_ambient(list[n], CAP_SET) < 0)
			return vos_err(ctx, -errno,
				       "capabilities: raise ambient %s:", cap_to_name(list[n]));
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Landlock                                                                  */
/* ------------------------------------------------------------------------ */

/* The ruleset attr as of ABI 6 (the installed uapi header may be older). */
struct vos_ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define LL_WRITE_FILE	       (1ULL << 1)
#define LL_REMOVE_DIR	       (1ULL << 4)
#define LL_REMOVE_FILE	       (1ULL << 5)
#define LL_MAKE_CHAR	       (1ULL << 6)
#define LL_MAKE_DIR	       (1ULL << 7)
#define LL_MAKE_REG	       (1ULL << 8)
#define LL_MAKE_SOCK	       (1ULL << 9)
#define LL_MAKE_FIFO	       (1ULL << 10)
#define LL_MAKE_BLOCK	       (1ULL << 11)
#define LL_MAKE_SYM	       (1ULL << 12)
#define LL_REFER	       (1ULL << 13) /* ABI 2 */
#define LL_TRUNCATE	       (1ULL << 14) /* ABI 3 */
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)  /* ABI 6 */

static int ll_allow(int rs, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb = { .allowed_access = access };
	_cleanup_close_ int fd = -1;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		return -errno;
	return 0;
}

/*
 * Writes only where the subsystem has its own writable places: /tmp, /dev
 * (null, pts, shm), /run, /var/tmp, --rw binds and --tmpfs, and plain file writes in
 * /proc. Best effort by design: without Landlock (or with an older ABI) the
 * read-only mounts still hold; a kernel that has Landlock but refuses the
 * ruleset fails the spawn.
 * Returns 1 when enforced, 0 when the kernel has no Landlock.
 */
int vos_landlock_apply(struct vos_ctx *ctx, const struct vos_config *cfg)
{
	struct vos_ll_attr attr = { 0 };
	_cleanup_close_ int rs = -1;
	uint64_t all;
	size_t size = sizeof(uint64_t);
	unsigned int i;
	int abi, r;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1)
		return 0;
	all = LL_WRITE_FILE | LL_REMOVE_DIR | LL_REMOVE_FILE | LL_MAKE_CHAR | LL_MAKE_DIR |
	      LL_MAKE_REG | LL_MAKE_SOCK | LL_MAKE_FIFO | LL_MAKE_BLOCK | LL_MAKE_SYM;
	if (abi >= 2)
		all |= LL_REFER;
	if (abi >= 3)
		all |= LL_TRUNCATE;
	attr.handled_access_fs = all;
	if (abi >= 6 && cfg->share_net) {
		/* Sharing the host's network namespace shares its abstract
		 * unix sockets too: keep the app to its own. (With its own
		 * network namespace they are separate already, and scoping
		 * would cut processes joined later by vos_subsys_exec off the
		 * app's sockets. Signals are not scoped for the same reason;
		 * the PID namespace already hides everything outside.)
		 */
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX;
		size = sizeof(attr);
	}
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (rs < 0)
		return vos_err(ctx, -errno, "landlock: create ruleset (ABI %d):", abi);
	r = ll_allow(rs, "/tmp", all);
	if (!r)
		r = ll_allow(rs, "/dev", all);
	if (!r)
		r = ll_allow(rs, "/run", all);
	if (!r)
		r = ll_allow(rs, "/var/run", all);
	if (!r)
		r = ll_allow(rs, "/var/tmp", all);
	if (!r)
		r = ll_allow(rs, "/proc", LL_WRITE_FILE | (abi >= 3 ? LL_TRUNCATE : 0));
	for (i = 0; !r && i < cfg->ntmpfs; i++)
		r = ll_allow(rs, cfg->tmpfs[i], all);
	for (i = 0; !r && i < cfg->nbinds; i++)
		if (cfg->binds[i].flags & VOS_BIND_RW)
			r = ll_allow(rs, cfg->binds[i].dest, all);
	if (r < 0)
		return vos_err(ctx, r, "landlock: add rule:");
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		return vos_err(ctx, -errno, "landlock: restrict self:");
	return 1;
}

/* ------------------------------------------------------------------------ */
/* file descriptors                                                          */
/* ------------------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd >= 3 except those in @keep (n <= VOS_MAX_KEEP_FDS). */
int vos_close_fds(const int *keep, int n)
{
	int k[VOS_MAX_KEEP_FDS] = { 0 }, m = 0, i, from = 3;

	for (i = 0; i < n && m < VOS_MAX_KEEP_FDS; i++)
		if (keep[i] >= 3)
			k[m++] = keep[i];
	qsort(k, m, sizeof(int), cmp_int);
	for (i = 0; i <= m; i++) {
		int to = i < m ? k[i] - 1 : INT32_MAX;

		if (to >= from) {
			if (syscall(SYS_close_range, from, to, 0) < 0) {
				int fd, lim = (int)sysconf(_SC_OPEN_MAX);

				if (lim < 0 || lim > 1 << 20)
					lim = 1 << 20;
				for (fd = from; fd <= to && fd < lim; fd++)
					close(fd);
			}
		}
		if (i < m)
			from = k[i] + 1;
	}
	return 0;
}
