// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_sockets - the kernel's attack surface behind socket() and line
 * disciplines: families that are not namespaced (AF_VSOCK reaches the
 * host's and other subsystems' vsock services), families, netlink
 * protocols and IP protocols the kernel loads a module for on anyone's
 * request (net-pf-N, net-pf-16-proto-N, net-pf-2-proto-132 ...), line
 * disciplines (TIOCSETD: tty-ldisc-N), through every door: socket(),
 * socketpair(), a family with high bits set (the kernel reads an int), and
 * on the i386 entry point socket (359) and socketcall (102, whose arguments
 * are in memory, out of seccomp's sight).
 *
 * A socket created (or a line discipline set) is an escape. Whether a
 * refusal also loaded no module is checked by the runner, from outside,
 * in /proc/modules.
 *
 *   esc_sockets              the attack
 *   esc_sockets --control    outside, as root: a representative subset
 *                            must work (AF_PACKET is in every kernel we
 *                            run on; the others are reported whether they
 *                            exist or not)
 *   esc_sockets reach FAM    FAM (a number) reaches the kernel: created, or
 *                            refused with another errno than EAFNOSUPPORT
 *                            (what a relaxation must give); exit 1 if so
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "esc.h"

struct
try {
	const char *name;
	int family, type, protocol;
	bool control; /* also tried by --control */
};

static const struct try tries[] = {
	{ "AF_VSOCK", 40, SOCK_STREAM, 0, true },
	{ "AF_ALG", 38, SOCK_SEQPACKET, 0, true },
	{ "AF_PACKET", 17, SOCK_DGRAM, 0, true },
	{ "AF_KEY", 15, SOCK_RAW, 2, true },
	{ "AF_TIPC", 30, SOCK_RDM, 0, false },
	{ "AF_CAN", 29, SOCK_RAW, 1, false },
	{ "AF_BLUETOOTH", 31, SOCK_SEQPACKET, 0, false },
	{ "AF_RDS", 21, SOCK_SEQPACKET, 0, false },
	{ "AF_LLC", 26, SOCK_DGRAM, 0, false },
	{ "AF_X25", 9, SOCK_SEQPACKET, 0, false },
	{ "AF_APPLETALK", 5, SOCK_DGRAM, 0, false },
	{ "AF_AX25", 3, SOCK_SEQPACKET, 0, false },
	{ "AF_NETROM", 6, SOCK_SEQPACKET, 0, false },
	{ "AF_ROSE", 11, SOCK_SEQPACKET, 0, false },
	{ "AF_ATMPVC", 8, SOCK_DGRAM, 0, false },
	{ "AF_ATMSVC", 20, SOCK_DGRAM, 0, false },
	{ "AF_PPPOX", 24, SOCK_STREAM, 0, false },
	{ "AF_PHONET", 35, SOCK_DGRAM, 0, false },
	{ "AF_IEEE802154", 36, SOCK_RAW, 0, false },
	{ "AF_CAIF", 37, SOCK_SEQPACKET, 0, false },
	{ "AF_NFC", 39, SOCK_SEQPACKET, 0, false },
	{ "AF_KCM", 41, SOCK_DGRAM, 0, false },
	{ "AF_QIPCRTR", 42, SOCK_DGRAM, 0, false },
	{ "AF_SMC", 43, SOCK_STREAM, 0, false },
	{ "AF_XDP", 44, SOCK_RAW, 0, false },
	{ "AF_MCTP", 45, SOCK_DGRAM, 0, false },
	{ "AF_RXRPC", 33, SOCK_DGRAM, 2, false },
	{ "AF_IUCV", 32, SOCK_STREAM, 0, false },
	{ "AF_NETLINK/NETLINK_SOCK_DIAG", 16, SOCK_RAW, 4, true },
	{ "AF_NETLINK/NETLINK_GENERIC", 16, SOCK_RAW, 16, true },
	{ "AF_NETLINK/NETLINK_AUDIT", 16, SOCK_RAW, 9, false },
	{ "AF_NETLINK/NETLINK_KOBJECT_UEVENT", 16, SOCK_RAW, 15, false },
	{ "AF_NETLINK/NETLINK_XFRM", 16, SOCK_RAW, 6, false },
	{ "AF_NETLINK/NETLINK_NETFILTER", 16, SOCK_RAW, 12, false },
	{ "AF_NETLINK/NETLINK_CRYPTO", 16, SOCK_RAW, 21, false },
	{ "AF_NETLINK/NETLINK_RDMA", 16, SOCK_RAW, 20, false },
	{ "AF_NETLINK/NETLINK_SCSITRANSPORT", 16, SOCK_RAW, 18, false },
	{ "AF_NETLINK/NETLINK_CONNECTOR", 16, SOCK_RAW, 11, false },
	{ "AF_INET/SCTP", 2, SOCK_STREAM, 132, true },
	{ "AF_INET/SCTP seqpacket", 2, SOCK_SEQPACKET, 132, false },
	{ "AF_INET6/SCTP", 10, SOCK_STREAM, 132, false },
	{ "AF_INET/DCCP", 2, 6 /* SOCK_DCCP */, 33, false },
	{ "AF_INET/L2TP", 2, SOCK_DGRAM, 115, false },
	{ "AF_INET6/L2TP", 10, SOCK_DGRAM, 115, false },
};

static void try_socket(const struct try *t, long family)
{
	char what[160];
	long fd = syscall(SYS_socket, family, t->type, t->protocol);

	esc_fmt(what, sizeof(what), "socket(%s%s)", t->name,
		family != t->family ? " with high bits set" : "");
	if (fd < 0) {
		esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "created");
	close((int)fd);
}

static void try_socketpair(const struct try *t)
{
	char what[160];
	int sv[2];

	esc_fmt(what, sizeof(what), "socketpair(%s)", t->name);
	if (socketpair(t->family, t->type, t->protocol, sv) < 0) {
		/* EOPNOTSUPP: the family was there (and loaded) but has no pairs */
		if (errno == EOPNOTSUPP)
			esc_escaped(what, "reached the family (EOPNOTSUPP)");
		else
			esc_refused(what, errno);
		return;
	}
	esc_escaped(what, "created");
	close(sv[0]);
	close(sv[1]);
}

/* i386: int 0x80 */
static long int80(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

/* The i386 doors, in a child: without IA32 emulation int 0x80 is SIGSEGV. */
static void try_i386(int family, const char *name)
{
	char what[160];
	int st, i;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		esc_fmt(what, sizeof(what), "i386 %s(%s)", i ? "socketcall(SYS_SOCKET" : "socket",
			name);
		if (i)
			strcat(what, ")");
		pid = fork();
		if (pid < 0) {
			esc_refused(what, errno);
			continue;
		}
		if (pid == 0) {
			unsigned int *args;
			long r;

			args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
			if (args == MAP_FAILED)
				_exit(100 + ENOMEM);
			args[0] = (unsigned int)family;
			args[1] = SOCK_STREAM;
			args[2] = 0;
			r = i ? int80(102, 1, (long)args, 0) : int80(359, family, SOCK_STREAM, 0);
			_exit(r >= 0 ? 0 : 100 + (int)(-r & 0x7f));
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			esc_escaped(what, "created");
		else if (WIFEXITED(st) && WEXITSTATUS(st) >= 100)
			esc_refused(what, WEXITSTATUS(st) - 100);
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
			esc_info("%s: no IA32 emulation in this kernel (SIGSEGV)", what);
		else
			esc_refused(what, EINTR);
	}
}

/* TIOCSETD on a pty of our own: the module request tty-ldisc-N. */
static void try_ldiscs(bool control)
{
	int m, sl, d, tty = 0;
	char what[80];

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || unlockpt(m) < 0) {
		esc_info("no pty to set line disciplines on: %s", strerror(errno));
		return;
	}
	sl = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sl < 0) {
		esc_info("no pty peer: %s", strerror(errno));
		close(m);
		return;
	}
	/* N_SLIP .. N_DEVELOPMENT; the control only N_HDLC and N_NULL (benign) */
	for (d = 1; d <= 29; d++) {
		if (control && d != 13 && d != 27)
			continue;
		esc_fmt(what, sizeof(what), "TIOCSETD %d on a new pty", d);
		if (esc_check(what, syscall(SYS_ioctl, sl, TIOCSETD, &d)))
			ioctl(sl, TIOCSETD, &tty);
		if (d == 13) {
			esc_fmt(what, sizeof(what), "TIOCSETD %d with high bits set", d);
			if (esc_check(what, syscall(SYS_ioctl, sl, (1UL << 32) | TIOCSETD, &d)))
				ioctl(sl, TIOCSETD, &tty);
		}
	}
	close(sl);
	close(m);
}

static int reach(const char *arg)
{
	int family = atoi(arg), type = family == 17 ? SOCK_DGRAM : SOCK_STREAM;
	long fd = syscall(SYS_socket, family, type, 0);
	char what[80];

	esc_fmt(what, sizeof(what), "socket(%d) reaches the kernel", family);
	if (fd >= 0) {
		esc_escaped(what, "created");
		close((int)fd);
	} else if (errno != EAFNOSUPPORT) {
		esc_escaped(what, "the kernel said %s", strerrorname_np(errno));
	} else {
		esc_refused(what, errno);
	}
	return esc_finish();
}

int main(int argc, char **argv)
{
	bool control = esc_is_control(argc, argv);
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "reach") == 0)
		return reach(argv[2]);
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (control && !tries[i].control)
			continue;
		try_socket(&tries[i], tries[i].family);
	}
	if (!control) {
		try_socket(&tries[0], (1L << 32) | tries[0].family);
		try_socket(&tries[1], (0xffffffffL << 32) | tries[1].family);
		try_socketpair(&tries[0]);
		try_socketpair(&tries[1]);
		try_socketpair(&tries[4]);
	}
	try_i386(40, "AF_VSOCK");
	try_i386(38, "AF_ALG");
	try_ldiscs(control);
	return esc_finish();
}
