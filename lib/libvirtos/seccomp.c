// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seccomp.c - the subsystem's seccomp filter: a hand-built BPF prefix for
 * the socket families the config allows, then the program of the refused
 * syscalls, ioctls and personalities, compiled by libseccomp at build time
 * (gen/seccomp-gen.c, which holds those rules); put together by the caller
 * and loaded by the process inside as its last restriction.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <string.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "private.h"
#include "seccomp-prog.h"

/* The rules were compiled for this architecture (a cross build must run
 * gen/seccomp-gen on the target).
 */
#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#endif
#if !defined(NATIVE_ARCH) || VOS_SECCOMP_GEN_ARCH != NATIVE_ARCH
#error "seccomp-prog.h was generated for another architecture than this build's"
#endif

/* ------------------------------------------------------------------------ */
/* socket families and personality: a hand-built BPF prefix                  */
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
 *
 * personality(2): no flags that weaken ASLR or NX (READ_IMPLIES_EXEC,
 * ADDR_NO_RANDOMIZE, ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO) are set: a value
 * with one of them is EPERM, except the query 0xffffffff, which has every
 * bit set. The kernel reads the argument as unsigned int. (As libseccomp
 * rules this took one rule per flag and other bit, "flag set and that bit
 * clear": 124 rules per arch, three quarters of the program.)
 */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args[i]) + 4)
#endif

#define SOCK_PROG_MAX 160

#define I386_NR_socketcall  102
#define I386_NR_personality 136
#define I386_NR_socket	    359
#define I386_NR_socketpair  360

#define BAD_PERSONALITY \
	(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | MMAP_PAGE_ZERO)

enum {
	L_NEXT = 0, /* no jump: the next instruction */
	L_CONT,	    /* end of the prefix: the libseccomp program */
	L_NATIVE,
	L_I386,
	L_SOCKCALL,
	L_SOCK,
	L_PERSONALITY,
	L_INET,
	L_INET_STREAM,
	L_INET_DGRAM,
	L_NETLINK,
	L_EAFNOSUPPORT,
	L_EPROTONOSUPPORT,
	L_ESOCKTNOSUPPORT,
	L_ENOSYS,
	L_EPERM,
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

#define LD(off)		bpf_emit(a, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off), 0, 0)
#define JEQ(k, jt, jf)	bpf_emit(a, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)(k), jt, jf)
#define JA(l)		bpf_emit(a, BPF_JMP | BPF_JA, 0, l, 0)
#define JSET(k, jt, jf) bpf_emit(a, BPF_JMP | BPF_JSET | BPF_K, (uint32_t)(k), jt, jf)
#define AND(k)		bpf_emit(a, BPF_ALU | BPF_AND | BPF_K, (uint32_t)(k), 0, 0)
#define RET(k)		bpf_emit(a, BPF_RET | BPF_K, (uint32_t)(k), 0, 0)
#define LABEL(l)	(a->at[l] = (int)a->n)
#define RET_ERRNO(e)	RET(SECCOMP_RET_ERRNO | ((e)&SECCOMP_RET_DATA))

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

/* "the syscall number is one of socket, socketpair": to L_SOCK;
 * personality: to L_PERSONALITY
 */
static void bpf_socket_nrs(struct bpf_asm *a, int nr_socket, int nr_socketpair, int nr_personality)
{
	LD(offsetof(struct seccomp_data, nr));
	JEQ(nr_socket, L_SOCK, L_NEXT);
	JEQ(nr_socketpair, L_SOCK, L_NEXT);
	JEQ(nr_personality, L_PERSONALITY, L_NEXT);
}

static int socket_prefix(uint64_t families, struct sock_filter **progp, size_t *lenp)
{
	_cleanup_free_ struct bpf_asm *a = NULL;
	const uint32_t native = NATIVE_ARCH;
	int f, r;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (f = 0; f < L_COUNT; f++)
		a->at[f] = -1;
	a->at[L_NEXT] = 0;

	LD(offsetof(struct seccomp_data, arch));
	JEQ(native, L_NATIVE, L_NEXT);
	if (native == AUDIT_ARCH_X86_64)
		JEQ(AUDIT_ARCH_I386, L_I386, L_NEXT);
	JA(L_CONT); /* other arches: the libseccomp program kills */

	LABEL(L_NATIVE);
	bpf_socket_nrs(a, __NR_socket, __NR_socketpair, __NR_personality);
#ifdef __NR_socketcall
	LD(offsetof(struct seccomp_data, nr));
	JEQ(__NR_socketcall, L_SOCKCALL, L_NEXT);
#endif
	JA(L_CONT);

	if (native == AUDIT_ARCH_X86_64) {
		/* the i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl;
		 * libseccomp resolves the socket calls of x86 to its
		 * socketcall pseudo numbers instead)
		 */
		LABEL(L_I386);
		bpf_socket_nrs(a, I386_NR_socket, I386_NR_socketpair, I386_NR_personality);
		LD(offsetof(struct seccomp_data, nr));
		JEQ(I386_NR_socketcall, L_SOCKCALL, L_CONT);
	}

	/* socketcall(call, args): only the call number is in a register */
	LABEL(L_SOCKCALL);
	LD(ARG_LO(0));
	JEQ(1 /* SYS_SOCKET */, L_ENOSYS, L_NEXT);
	JEQ(8 /* SYS_SOCKETPAIR */, L_ENOSYS, L_CONT);

	/* personality(persona): the query, or none of the bad flags */
	LABEL(L_PERSONALITY);
	LD(ARG_LO(0));
	JEQ(0xffffffff, L_CONT, L_NEXT);
	JSET(BAD_PERSONALITY, L_EPERM, L_CONT);

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
	LABEL(L_EPERM);
	RET_ERRNO(EPERM);
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
#undef JSET
#undef AND
#undef RET
#undef LABEL
#undef RET_ERRNO

/*
 * The filter: the socket prefix for @cfg's families (NULL: the defaults),
 * then the rules compiled at build time, with the mount API refused unless
 * @allow_mount. Returns the BPF program in *progp (malloc'ed, *lenp
 * instructions).
 */
int vos_seccomp_build(struct vos_ctx *ctx, const struct vos_config *cfg, bool allow_mount,
		      struct sock_filter **progp, size_t *lenp)
{
	const struct sock_filter *rules = allow_mount ? vos_seccomp_rules_mount : vos_seccomp_rules;
	const size_t nrules = allow_mount ? sizeof(vos_seccomp_rules_mount) / sizeof(rules[0])
					  : sizeof(vos_seccomp_rules) / sizeof(rules[0]);
	_cleanup_free_ struct sock_filter *pre = NULL;
	struct sock_filter *prog;
	size_t npre = 0;
	int r;

	r = socket_prefix(cfg ? cfg->socket_families : 0, &pre, &npre);
	if (r < 0)
		return vos_err(ctx, r, "seccomp: socket rules:");
	if (npre + nrules > BPF_MAXINSNS)
		return vos_err(ctx, -E2BIG, "seccomp: export:");
	prog = realloc(pre, (npre + nrules) * sizeof(*prog));
	if (!prog)
		return vos_err(ctx, -ENOMEM, "seccomp: export:");
	pre = NULL;
	memcpy(prog + npre, rules, nrules * sizeof(*prog));
	*progp = prog;
	*lenp = npre + nrules;
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
