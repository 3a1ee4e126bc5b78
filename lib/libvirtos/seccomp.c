// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seccomp.c - the subsystem's seccomp filter: built by the caller (a
 * hand-built BPF prefix for socket families, then libseccomp's program for
 * the refused syscalls, ioctls and personalities), exported as one BPF
 * program, loaded by the process inside as its last restriction.
 */
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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
	/* other namespaces and their processes. Not ptrace: strace and gdb
	 * of the app's own processes need it, and the kernel confines it to
	 * them: nothing outside the PID namespace has a pid inside, the init
	 * and processes entering with vosctl exec are not dumpable (their mm
	 * belongs to the caller's user namespace, where the app has no
	 * CAP_SYS_PTRACE), each entering process has its own Landlock domain
	 * (a tracer may only trace its own domain or nested ones), and since
	 * Linux 4.8 seccomp checks a syscall again after a tracer changed
	 * it. The memory and fd shortcuts stay refused: no tool needs them
	 * (strace falls back to PTRACE_PEEKDATA).
	 */
	"setns",
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

/* ------------------------------------------------------------------------ */
/* socket families: a hand-built BPF prefix                                  */
/* ------------------------------------------------------------------------ */

/*
 * Every socket family the kernel does not have loaded is a module request
 * (net-pf-N), made by the kernel on behalf of anyone, before any
 * permission check; most families are not namespaced either (AF_VSOCK
 * reaches the host's and other subsystems' vsock services). So socket()
 * and socketpair() get only what a normal application needs:
 *
 *   AF_UNIX                 any type and protocol
 *   AF_INET, AF_INET6       SOCK_STREAM with TCP or MPTCP, SOCK_DGRAM with
 *                           UDP, UDP-Lite, ICMP or ICMPv6 (ping sockets),
 *                           SOCK_RAW with any protocol (raw matches a
 *                           wildcard entry: no module request; it still
 *                           needs CAP_NET_RAW); anything else would make
 *                           the kernel ask for a module (SCTP, DCCP, L2TP)
 *   AF_NETLINK              NETLINK_ROUTE only (ip, getifaddrs, glibc's
 *                           getaddrinfo). Not NETLINK_SOCK_DIAG: a request
 *                           for a family's diag loads its module
 *                           (net-pf-16-proto-4-type-N: vsock_diag pulls in
 *                           vsock); not NETLINK_AUDIT, GENERIC (module
 *                           requests per family name), KOBJECT_UEVENT ...
 *
 * A family refused is EAFNOSUPPORT and a protocol or type refused is
 * EPROTONOSUPPORT or ESOCKTNOSUPPORT: what the kernel says when it has no
 * such thing, so libraries take their "not there" paths. A family given in
 * cfg->socket_families is allowed whole (for inet, inet6 and netlink: with
 * every protocol and type).
 *
 * libseccomp can only compare whole 64-bit arguments or masks of them,
 * which needs one rule per refused value; this prefix does the same in a
 * few dozen instructions. It runs before the libseccomp program and falls
 * through into it for everything it allows; the kernel reads these
 * arguments as int, so only their low 32 bits are compared.
 *
 * i386 socketcall(2) passes the real arguments in memory, where seccomp
 * cannot look: its SYS_SOCKET and SYS_SOCKETPAIR calls are ENOSYS (the
 * direct i386 socket syscalls, Linux >= 4.3, are filtered like x86_64's;
 * a 32-bit libc that creates sockets only through socketcall cannot create
 * sockets at all: the safe outcome).
 */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]) + 4)
#endif

#define SOCK_PROG_MAX 160

#define I386_NR_socketcall 102
#define I386_NR_socket	   359
#define I386_NR_socketpair 360

enum {
	L_NEXT = 0, /* no jump: the next instruction */
	L_CONT,	    /* end of the prefix: the libseccomp program */
	L_NATIVE,
	L_I386,
	L_SOCKCALL,
	L_SOCK,
	L_INET,
	L_INET_STREAM,
	L_INET_DGRAM,
	L_NETLINK,
	L_EAFNOSUPPORT,
	L_EPROTONOSUPPORT,
	L_ESOCKTNOSUPPORT,
	L_ENOSYS,
	L_COUNT,
};

struct bpf_asm {
	struct sock_filter ins[SOCK_PROG_MAX];
	unsigned char jt[SOCK_PROG_MAX], jf[SOCK_PROG_MAX]; /* L_* targets */
	int at[L_COUNT];				    /* label positions */
	size_t n;
	bool full;
};

static void bpf_emit(struct bpf_asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n >= SOCK_PROG_MAX) {
		a->full = true;
		return;
	}
	a->ins[a->n] = (struct sock_filter)BPF_STMT(code, k);
	a->jt[a->n] = (unsigned char)jt;
	a->jf[a->n] = (unsigned char)jf;
	a->n++;
}

#define LD(off)	       bpf_emit(a, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off), 0, 0)
#define JEQ(k, jt, jf) bpf_emit(a, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), jt, jf)
#define JA(l)	       bpf_emit(a, BPF_JMP | BPF_JA, 0, l, 0)
#define AND(k)	       bpf_emit(a, BPF_ALU | BPF_AND | BPF_K, (uint32_t)(k), 0, 0)
#define RET(k)	       bpf_emit(a, BPF_RET | BPF_K, (uint32_t)(k), 0, 0)
#define LABEL(l)       (a->at[l] = (int)a->n)
#define RET_ERRNO(e)   RET(SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))

/* Resolve the label jumps (8-bit conditional offsets, forward only). */
static int bpf_resolve(struct bpf_asm *a)
{
	size_t i;

	if (a->full)
		return -E2BIG;
	for (i = 0; i < a->n; i++) {
		struct sock_filter *f = &a->ins[i];
		int jt = a->jt[i] ? a->at[a->jt[i]] - (int)i - 1 : 0;
		int jf = a->jf[i] ? a->at[a->jf[i]] - (int)i - 1 : 0;

		if ((a->jt[i] && a->at[a->jt[i]] < 0) || (a->jf[i] && a->at[a->jf[i]] < 0))
			return -EINVAL; /* a label never placed */
		if (BPF_CLASS(f->code) == BPF_JMP && BPF_OP(f->code) == BPF_JA) {
			if (jt < 0)
				return -EINVAL;
			f->k = (uint32_t)jt;
			continue;
		}
		if (jt < 0 || jt > 255 || jf < 0 || jf > 255)
			return -E2BIG;
		f->jt = (uint8_t)jt;
		f->jf = (uint8_t)jf;
	}
	return 0;
}

/* "the syscall number is one of socket, socketpair": to L_SOCK */
static void bpf_socket_nrs(struct bpf_asm *a, int nr_socket, int nr_socketpair)
{
	LD(offsetof(struct seccomp_data, nr));
	JEQ(nr_socket, L_SOCK, L_NEXT);
	JEQ(nr_socketpair, L_SOCK, L_NEXT);
}

static int socket_prefix(uint64_t families, struct sock_filter **progp, size_t *lenp)
{
	_cleanup_free_ struct bpf_asm *a = NULL;
	uint32_t native = seccomp_arch_native();
	int f, r;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (f = 0; f < L_COUNT; f++)
		a->at[f] = -1;
	a->at[L_NEXT] = 0;

	LD(offsetof(struct seccomp_data, arch));
	JEQ(native, L_NATIVE, L_NEXT);
	if (native == SCMP_ARCH_X86_64)
		JEQ(SCMP_ARCH_X86, L_I386, L_NEXT);
	JA(L_CONT); /* other arches: the libseccomp program kills */

	LABEL(L_NATIVE);
	bpf_socket_nrs(a, __NR_socket, __NR_socketpair);
#ifdef __NR_socketcall
	LD(offsetof(struct seccomp_data, nr));
	JEQ(__NR_socketcall, L_SOCKCALL, L_NEXT);
#endif
	JA(L_CONT);

	if (native == SCMP_ARCH_X86_64) {
		/* the i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl;
		 * libseccomp resolves the socket calls of x86 to its
		 * socketcall pseudo numbers instead)
		 */
		LABEL(L_I386);
		bpf_socket_nrs(a, I386_NR_socket, I386_NR_socketpair);
		LD(offsetof(struct seccomp_data, nr));
		JEQ(I386_NR_socketcall, L_SOCKCALL, L_CONT);
	}

	/* socketcall(call, args): only the call number is in a register */
	LABEL(L_SOCKCALL);
	LD(ARG_LO(0));
	JEQ(1 /* SYS_SOCKET */, L_ENOSYS, L_NEXT);
	JEQ(8 /* SYS_SOCKETPAIR */, L_ENOSYS, L_CONT);

	/* socket(family, type, protocol), socketpair(family, type, protocol, sv) */
	LABEL(L_SOCK);
	LD(ARG_LO(0));
	JEQ(AF_UNIX, L_CONT, L_NEXT);
	for (f = 1; f < 64; f++)
		if (families & (1ULL << f))
			JEQ(f, L_CONT, L_NEXT);
	JEQ(AF_INET, L_INET, L_NEXT);
	JEQ(AF_INET6, L_INET, L_NEXT);
	JEQ(AF_NETLINK, L_NETLINK, L_EAFNOSUPPORT);

	LABEL(L_INET);
	LD(ARG_LO(1));
	AND(0xf); /* SOCK_TYPE_MASK: the rest are SOCK_NONBLOCK, SOCK_CLOEXEC */
	JEQ(SOCK_RAW, L_CONT, L_NEXT);
	JEQ(SOCK_STREAM, L_INET_STREAM, L_NEXT);
	JEQ(SOCK_DGRAM, L_INET_DGRAM, L_ESOCKTNOSUPPORT);
	LABEL(L_INET_STREAM);
	LD(ARG_LO(2));
	JEQ(0, L_CONT, L_NEXT);
	JEQ(IPPROTO_TCP, L_CONT, L_NEXT);
	JEQ(262 /* IPPROTO_MPTCP */, L_CONT, L_EPROTONOSUPPORT);
	LABEL(L_INET_DGRAM);
	LD(ARG_LO(2));
	JEQ(0, L_CONT, L_NEXT);
	JEQ(IPPROTO_UDP, L_CONT, L_NEXT);
	JEQ(IPPROTO_UDPLITE, L_CONT, L_NEXT);
	JEQ(IPPROTO_ICMP, L_CONT, L_NEXT);
	JEQ(IPPROTO_ICMPV6, L_CONT, L_EPROTONOSUPPORT);

	LABEL(L_NETLINK);
	LD(ARG_LO(2));
	JEQ(NETLINK_ROUTE, L_CONT, L_EPROTONOSUPPORT);

	LABEL(L_EAFNOSUPPORT);
	RET_ERRNO(EAFNOSUPPORT);
	LABEL(L_EPROTONOSUPPORT);
	RET_ERRNO(EPROTONOSUPPORT);
	LABEL(L_ESOCKTNOSUPPORT);
	RET_ERRNO(ESOCKTNOSUPPORT);
	LABEL(L_ENOSYS);
	RET_ERRNO(ENOSYS);
	LABEL(L_CONT);

	r = bpf_resolve(a);
	if (r < 0)
		return r;
	*progp = malloc(a->n * sizeof(struct sock_filter));
	if (!*progp)
		return -ENOMEM;
	memcpy(*progp, a->ins, a->n * sizeof(struct sock_filter));
	*lenp = a->n;
	return 0;
}

#undef LD
#undef JEQ
#undef JA
#undef AND
#undef RET
#undef LABEL
#undef RET_ERRNO

static int rule_errno(scmp_filter_ctx f, int err, const char *name, unsigned int n,
		      const struct scmp_arg_cmp *args)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* unknown on every arch of the filter */
	return seccomp_rule_add_array(f, SCMP_ACT_ERRNO(err), nr, n, args);
}

/* EPERM for each syscall of the NULL-terminated @names */
static int refuse_all(scmp_filter_ctx f, const char *const *names)
{
	for (; *names; names++) {
		int r = rule_errno(f, EPERM, *names, 0, NULL);

		if (r < 0)
			return r;
	}
	return 0;
}

/* The rules: what is refused, and how (EPERM, ENOSYS). */
static int add_rules(scmp_filter_ctx f, bool allow_mount)
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
	/* TIOCSTI and TIOCLINUX: terminal input injection and the Linux
	 * console's tricks. TIOCSETD: setting a line discipline that is not
	 * loaded is a module request (tty-ldisc-N), and on a terminal passed
	 * in (--no-tty) it stays changed for the caller. TIOCCONS would
	 * redirect console output (it needs CAP_SYS_ADMIN anyway).
	 */
	static const unsigned long bad_ioctls[] = { TIOCSTI, TIOCLINUX, TIOCSETD, TIOCCONS };
	struct scmp_arg_cmp a;
	unsigned long bit;
	int r, i;

	r = refuse_all(f, blocked_always);
	if (!r && !allow_mount)
		r = refuse_all(f, blocked_mount);
	if (r < 0)
		return r;
	/* clone3 passes its flags in memory where seccomp cannot look: say it
	 * does not exist so libc falls back to clone(), which we can filter.
	 */
	r = rule_errno(f, ENOSYS, "clone3", 0, NULL);
	if (r < 0)
		return r;
	/* no new namespaces of any kind, by unshare() or clone() */
	for (bit = 1; bit; bit <<= 1) {
		if (!(ns_flags & bit))
			continue;
		a = SCMP_A0(SCMP_CMP_MASKED_EQ, bit, bit);
		r = rule_errno(f, EPERM, "unshare", 1, &a);
		if (!r)
			r = rule_errno(f, EPERM, "clone", 1, &a);
		if (r < 0)
			return r;
	}
	/* Terminal ioctls (bad_ioctls); the kernel reads cmd as 32 bits,
	 * so compare only those.
	 */
	for (i = 0; i < (int)(sizeof(bad_ioctls) / sizeof(bad_ioctls[0])); i++) {
		a = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffUL, bad_ioctls[i]);
		r = rule_errno(f, EPERM, "ioctl", 1, &a);
		if (r < 0)
			return r;
	}
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
				return r;
		}
	}
	return 0;
}

/* @f as BPF behind the @npre instructions of @pre, into *@progp. */
static int export_bpf(scmp_filter_ctx f, const struct sock_filter *pre, size_t npre,
		      struct sock_filter **progp, size_t *lenp)
{
	_cleanup_close_ int mfd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	int r;

	mfd = memfd_create("vos-seccomp", MFD_CLOEXEC);
	if (mfd < 0)
		return -errno;
	r = seccomp_export_bpf(f, mfd);
	if (r < 0)
		return r;
	if (fstat(mfd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
	    st.st_size / sizeof(struct sock_filter) + npre > BPF_MAXINSNS)
		return -E2BIG;
	buf = malloc(npre * sizeof(struct sock_filter) + st.st_size);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, pre, npre * sizeof(struct sock_filter));
	if (pread(mfd, buf + npre * sizeof(struct sock_filter), st.st_size, 0) != st.st_size)
		return -EIO;
	*progp = (struct sock_filter *)buf;
	buf = NULL;
	*lenp = npre + st.st_size / sizeof(struct sock_filter);
	return 0;
}

static void seccomp_releasep(scmp_filter_ctx *f)
{
	if (*f)
		seccomp_release(*f);
}

/*
 * Build the filter for x86_64 and i386 (int 0x80 and sysenter reach the
 * kernel with AUDIT_ARCH_I386: the same rules are added for it); x32
 * syscalls and any other arch kill the process (SCMP_FLTATR_ACT_BADARCH).
 * @cfg (NULL: the defaults) gives the socket families allowed beyond the
 * default ones. Returns the BPF program in *progp (malloc'ed, *lenp
 * instructions): the socket prefix, then the libseccomp program.
 */
int vos_seccomp_build(struct vos_ctx *ctx, const struct vos_config *cfg, bool allow_mount,
		      struct sock_filter **progp, size_t *lenp)
{
	_cleanup_(seccomp_releasep) scmp_filter_ctx f = NULL;
	_cleanup_free_ struct sock_filter *pre = NULL;
	size_t npre = 0;
	int r;

	r = socket_prefix(cfg ? cfg->socket_families : 0, &pre, &npre);
	if (r < 0)
		return vos_err(ctx, r, "seccomp: socket rules:");
	f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return vos_err(ctx, -ENOMEM, "seccomp: init:");
	r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) /* libseccomp found no kill-process support */
		r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL);
	if (r < 0)
		return vos_err(ctx, r, "seccomp: bad arch action:");
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		r = seccomp_arch_add(f, SCMP_ARCH_X86);
		if (r < 0 && r != -EEXIST)
			return vos_err(ctx, r, "seccomp: add arch x86:");
	}
	r = add_rules(f, allow_mount);
	if (r < 0)
		return vos_err(ctx, r, "seccomp: rules:");
	r = export_bpf(f, pre, npre, progp, lenp);
	if (r < 0)
		return vos_err(ctx, r, "seccomp: export:");
	return 0;
}

int vos_seccomp_load(struct vos_ctx *ctx, struct sock_filter *prog, size_t len)
{
	struct sock_fprog fp = { .len = (unsigned short)len, .filter = prog };

	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fp) < 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) < 0)
		return vos_err(ctx, -errno, "seccomp: load filter:");
	return 0;
}
