// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * restrict.c - what the subsystem's processes may no longer do:
 * capabilities (libcap), no_new_privs, seccomp (libseccomp), Landlock,
 * inherited file descriptors.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>

#include "private.h"

/* ------------------------------------------------------------------------ */
/* seccomp                                                                   */
/* ------------------------------------------------------------------------ */

/* Syscalls no subsystem process needs and that widen the kernel attack
 * surface or reach outside the subsystem. EPERM, as if the capability
 * were missing, so programs take their fallback paths.
 */
static const char *const blocked_always[] = {
	/* keyrings are not namespaced */
	"keyctl",
	"add_key",
	"request_key",
	/* kernel modules, kexec, reboot, swap, accounting, kernel log */
	"init_module",
	"finit_module",
	"delete_module",
	"create_module",
	"kexec_load",
	"kexec_file_load",
	"reboot",
	"swapon",
	"swapoff",
	"acct",
	"syslog",
	/* other namespaces and their processes */
	"setns",
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"pidfd_getfd",
	"kcmp",
	/* big attack surfaces */
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"fanotify_init",
	/* file handles bypass the mount view */
	"open_by_handle_at",
	"name_to_handle_at",
	/* obsolete or hardware access */
	"uselib",
	"vm86",
	"vm86old",
	"iopl",
	"ioperm",
	"nfsservctl",
	"get_kernel_syms",
	"query_module",
	"_sysctl",
	"lookup_dcookie",
	"quotactl",
	"quotactl_fd",
	/* clock changes */
	"settimeofday",
	"stime",
	"clock_settime",
	"clock_settime64",
	"adjtimex",
	"clock_adjtime",
	"clock_adjtime64",
	/* NUMA policy (may affect the host) */
	"move_pages",
	"mbind",
	"set_mempolicy",
	"migrate_pages",
	NULL,
};

/* The mount API: only with a root inside that asked for it (it still needs
 * CAP_SYS_ADMIN in the subsystem's user namespace, dropped by default).
 */
static const char *const blocked_mount[] = {
	"mount",  "umount",   "umount2", "pivot_root", "chroot",	"move_mount", "open_tree",
	"fsopen", "fsconfig", "fsmount", "fspick",     "mount_setattr", NULL,
};

static int rule_errno(scmp_filter_ctx f, int err, const char *name, unsigned int n,
		      const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* unknown on every arch of the filter */
	return seccomp_rule_add_array(f, SCMP_ACT_ERRNO(err), nr, n, args);
}

/*
 * Build the filter for x86_64 and i386 (int 0x80 and sysenter reach the
 * kernel with AUDIT_ARCH_I386: the same rules are added for it); x32
 * syscalls and any other arch kill the process (SCMP_FLTATR_ACT_BADARCH).
 * Returns the BPF program in *progp (malloc'ed, *lenp instructions).
 */
int vos_seccomp_build(struct vos_ctx *ctx, bool allow_mount, struct sock_filter **progp,
		      size_t *lenp)
{
	static const unsigned long ns_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
					      CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |
					      CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */;
	static const unsigned long bad_personality[] = {
		READ_IMPLIES_EXEC,
		ADDR_NO_RANDOMIZE,
		ADDR_COMPAT_LAYOUT,
		MMAP_PAGE_ZERO,
	};
	struct scmp_arg_cmp a;
	scmp_filter_ctx f;
	const char *step = "init";
	int r, i, mfd = -1;
	unsigned long bit;
	struct stat st;
	void *buf = NULL;

	f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return vos_err(ctx, -ENOMEM, "seccomp: init:");
	step = "bad arch action";
	r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) /* libseccomp found no kill-process support */
		r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL);
	if (r < 0)
		goto fail;
	step = "add arch x86";
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		r = seccomp_arch_add(f, SCMP_ARCH_X86);
		if (r < 0 && r != -EEXIST)
			goto fail;
	}
	step = "rules";
	for (i = 0; blocked_always[i]; i++) {
		r = rule_errno(f, EPERM, blocked_always[i], 0, NULL);
		if (r < 0)
			goto fail;
	}
	if (!allow_mount) {
		for (i = 0; blocked_mount[i]; i++) {
			r = rule_errno(f, EPERM, blocked_mount[i], 0, NULL);
			if (r < 0)
				goto fail;
		}
	}
	/* clone3 passes its flags in memory where seccomp cannot look: say it
	 * does not exist so libc falls back to clone(), which we can filter.
	 */
	r = rule_errno(f, ENOSYS, "clone3", 0, NULL);
	if (r < 0)
		goto fail;
	/* no new namespaces of any kind, by unshare() or clone() */
	for (bit = 1; bit; bit <<= 1) {
		if (!(ns_flags & bit))
			continue;
		a = SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit);
		r = rule_errno(f, EPERM, "unshare", 1, &a);
		if (!r)
			r = rule_errno(f, EPERM, "clone", 1, &a);
		if (r < 0)
			goto fail;
	}
	/* terminal input injection and the Linux console's tricks; the
	 * kernel reads cmd as 32 bits, so compare only those
	 */
	a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, TIOCSTI);
	r = rule_errno(f, EPERM, "ioctl", 1, &a);
	if (r < 0)
		goto fail;
	a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, TIOCLINUX);
	r = rule_errno(f, EPERM, "ioctl", 1, &a);
	if (r < 0)
		goto fail;
	/* personality: no flags that weaken ASLR or NX. The query value
	 * 0xffffffff has every bit set, so "flag set and any other bit clear"
	 * catches every setting of the flag and lets the query through.
	 */
	for (i = 0; i < (int)(sizeof(bad_personality) / sizeof(bad_personality[0])); i++) {
		unsigned long y;

		for (y = 1; y <= 0x80000000UL; y <<= 1) {
			if (y == bad_personality[i])
				continue;
			a = SCMP_A0(SCMP_CMP_MASKED_EQ, bad_personality[i] | y, bad_personality[i]);
			r = rule_errno(f, EPERM, "personality", 1, &a);
			if (r < 0)
				goto fail;
		}
	}

	step = "export";
	mfd = memfd_create("vos-seccomp", MFD_CLOEXEC);
	if (mfd < 0) {
		r = -errno;
		goto fail;
	}
	r = seccomp_export_bpf(f, mfd);
	if (r < 0)
		goto fail;
	if (fstat(mfd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		r = -E2BIG;
		goto fail;
	}
	buf = malloc(st.st_size);
	if (!buf) {
		r = -ENOMEM;
		goto fail;
	}
	if (pread(mfd, buf, st.st_size, 0) != st.st_size) {
		r = -EIO;
		goto fail;
	}
	close(mfd);
	seccomp_release(f);
	*progp = buf;
	*lenp = st.st_size / sizeof(struct sock_filter);
	return 0;
fail:
	free(buf);
	if (mfd >= 0)
		close(mfd);
	seccomp_release(f);
	return vos_err(ctx, r, "seccomp: %s:", step);
}

int vos_seccomp_load(struct vos_ctx *ctx, struct sock_filter *prog, size_t len)
{
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = prog };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fp) < 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) < 0)
		return vos_err(ctx, -errno, "seccomp: load filter:");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* capabilities and identity                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Become @uid/@gid inside and keep only the capabilities in @keep, in every
 * set (bounding, permitted, effective, inheritable, ambient). Root inside
 * gets no capabilities from being root (SECBIT_NOROOT, locked): only the
 * kept ones, through the ambient set.
 */
int vos_caps_drop(struct vos_ctx *ctx, uint64_t keep, uid_t uid, gid_t gid)
{
	cap_value_t last = (cap_value_t)cap_max_bits() - 1, c;
	cap_value_t list[64];
	int n = 0, r;
	cap_t caps;

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
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0) < 0)
		return vos_err(ctx, -errno, "capabilities: clear keep-caps:");
	caps = cap_init();
	if (!caps)
		return vos_err(ctx, -ENOMEM, "capabilities:");
	if (n && (cap_set_flag(caps, CAP_PERMITTED, n, list, CAP_SET) < 0 ||
		  cap_set_flag(caps, CAP_EFFECTIVE, n, list, CAP_SET) < 0 ||
		  cap_set_flag(caps, CAP_INHERITABLE, n, list, CAP_SET) < 0)) {
		r = -errno;
		cap_free(caps);
		return vos_err(ctx, r, "capabilities: build set:");
	}
	if (cap_set_proc(caps) < 0) {
		r = -errno;
		cap_free(caps);
		return vos_err(ctx, r, "capabilities: set:");
	}
	cap_free(caps);
	if (cap_reset_ambient() < 0 && errno != EINVAL)
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
	int r;

	pb.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = (int)syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	r = r < 0 ? -errno : 0;
	close(pb.parent_fd);
	return r;
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
	uint64_t all;
	size_t size = sizeof(uint64_t);
	unsigned int i;
	int abi, rs, r;

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
	if (r < 0) {
		close(rs);
		return vos_err(ctx, r, "landlock: add rule:");
	}
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		r = -errno;
		close(rs);
		return vos_err(ctx, r, "landlock: restrict self:");
	}
	close(rs);
	return 1;
}

/* ------------------------------------------------------------------------ */
/* file descriptors                                                          */
/* ------------------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd >= 3 except those in @keep (n <= 8). */
int vos_close_fds(const int *keep, int n)
{
	int k[10] = { 0 }, m = 0, i, from = 3;

	for (i = 0; i < n && m < 8; i++)
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
