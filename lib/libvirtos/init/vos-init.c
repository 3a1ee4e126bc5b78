// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vos-init - the mini init of a subsystem, as a program of its own.
 *
 *   vos-init APP_PID STATUS_FD IDLE READY_FD   (run by inside.c, not by hand)
 *
 * pid 1 of a subsystem sets the subsystem up as a copy of the caller
 * (vosctl and every library it links), forks the app from that copy, and
 * then, rather than staying that large process for the app's lifetime,
 * executes this small static program (embedded in libvirtos and run from a
 * sealed memfd: nothing of the host's file system is needed once the view
 * is built). It does what the mini init did in inside.c, in the same way:
 * it waits for signals (all blocked, as the exec found them, with what was
 * pending then still pending), reaps every child, forwards every other
 * signal to the app, and when the app is gone writes its wait status to
 * STATUS_FD (-1: none) and exits with the status a shell would give it.
 * With IDLE 1 (a subsystem without an app) it only reaps, and exits on
 * SIGTERM, SIGINT or SIGHUP. The app waits for READY_FD (-1: none) to be
 * closed, which it is once this program has named itself "vos-init" (the
 * exec of an fd names a process after the fd's number). Its memory is its own few pages, not a copy
 * of the caller's (Documentation/performance.md, "Footprint").
 *
 * No C library: the few system calls it needs are made directly, so the
 * program is a few kilobytes and its exec costs little. Compiled
 * freestanding (lib.mk), for x86_64 and aarch64.
 */
#include <asm/unistd.h>
#include <linux/prctl.h>

#define SIGHUP	1
#define SIGINT	2
#define SIGCHLD 17
#define SIGTERM 15
#define WNOHANG 1

#if defined(__x86_64__)
static long sys4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	xor %rbp, %rbp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call start_c\n"
	"	hlt\n");
#elif defined(__aarch64__)
static long sys4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

__asm__(".text\n"
	".global _start\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x0, sp\n"
	"	bl start_c\n"
	"	brk #0\n");
#else
#error "vos-init: no system call glue for this architecture"
#endif

static void __attribute__((noreturn)) leave(int code)
{
	for (;;)
		sys4(__NR_exit_group, code, 0, 0, 0);
}

/* A decimal number, possibly negative; 0 for anything else. */
static long number(const char *s)
{
	long v = 0, sign = 1;

	if (*s == '-') {
		sign = -1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}

/* vos_wstatus_to_exit() */
static int exit_code(int st)
{
	if ((st & 0x7f) == 0)
		return (st >> 8) & 0xff;
	if (((signed char)((st & 0x7f) + 1) >> 1) > 0)
		return 128 + (st & 0x7f);
	return 125;
}

void __attribute__((noreturn, used)) start_c(long *sp);

void __attribute__((noreturn, used)) start_c(long *sp)
{
	char **argv = (char **)(sp + 1);
	long app, status_fd, idle, ready;
	/* what glibc's sigwaitinfo() waited for in the mini init: every
	 * signal but its two internal ones (32, 33)
	 */
	unsigned long set = ~((1UL << 31) | (1UL << 32));
	int st;

	/* not dumpable before anything else: the app may not ptrace its
	 * init (the exec made it dumpable again unless the kernel saw the
	 * program was not readable, see inside.c)
	 */
	sys4(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0);
	sys4(__NR_prctl, PR_SET_NAME, (long)"vos-init", 0, 0);
	if (sp[0] != 5)
		leave(125);
	app = number(argv[1]);
	status_fd = number(argv[2]);
	idle = number(argv[3]);
	ready = number(argv[4]);
	if (ready >= 0)
		sys4(__NR_close, ready, 0, 0, 0);
	if (!idle && app <= 0)
		leave(125); /* never kill(0) or kill(-1) */
	for (;;) {
		long info[16]; /* siginfo_t */
		long sig = sys4(__NR_rt_sigtimedwait, (long)&set, (long)info, 0, 8);
		long w;

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			while ((w = sys4(__NR_wait4, -1, (long)&st, WNOHANG, 0)) > 0) {
				if (w != app)
					continue;
				if (status_fd >= 0)
					sys4(__NR_write, status_fd, (long)&st, sizeof(st), 0);
				leave(exit_code(st));
			}
			continue;
		}
		if (idle) {
			if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP)
				leave(0);
			continue;
		}
		sys4(__NR_kill, app, sig, 0, 0);
	}
}
