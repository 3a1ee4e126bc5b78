// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seccomp-gen - the subsystem's seccomp rules, compiled at build time.
 *
 *   seccomp-gen OUTPUT.h
 *
 * Builds, with libseccomp, the part of the filter that does not depend on
 * the config (the refused syscalls, ioctls and namespace flags, x86_64 and
 * i386 rules, other arches killed), once without and once with the mount
 * API, and writes both BPF programs as C arrays into OUTPUT.h, which
 * seccomp.c includes. libseccomp compiled them on every start before (a
 * tenth of vosctl's start time in a guest that counts instructions,
 * Documentation/performance.md); the programs only depend on these tables
 * and on the architecture, so the library carries them ready and no longer
 * links libseccomp. Built for, and run on, the build machine: a cross
 * build would have to run it on the target (seccomp.c refuses a header
 * made for another architecture).
 *
 * What depends on the config, the socket families, and the personality
 * check (one rule per flag and other bit with libseccomp, 124 per arch) are
 * seccomp.c's hand-built prefix in front of these programs.
 */
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

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
static int add_rules(scmp_filter_ctx f, int allow_mount)
{
	static const unsigned long ns_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID |
					      CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |
					      CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */;
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
	return 0;
}

/*
 * The program for x86_64 and i386 (int 0x80 and sysenter reach the kernel
 * with AUDIT_ARCH_I386: the same rules are added for it); x32 syscalls and
 * any other arch kill the process (SCMP_FLTATR_ACT_BADARCH). The syscall
 * number is found by a binary search (SCMP_FLTATR_CTL_OPTIMIZE 2): every
 * syscall of a subsystem runs this program, and an allowed one, most of
 * them, went past every rule before. Written as a C array named @name to
 * @out.
 */
static int emit(FILE *out, const char *name, int allow_mount)
{
	scmp_filter_ctx f;
	struct stat st;
	unsigned char *buf = NULL;
	int mfd = -1, r;
	size_t i, n;

	f = seccomp_init(SCMP_ACT_ALLOW);
	if (!f)
		return -ENOMEM;
	r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) /* libseccomp found no kill-process support */
		r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL);
	if (!r)
		r = seccomp_attr_set(f, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!r && seccomp_arch_native() == SCMP_ARCH_X86_64) {
		r = seccomp_arch_add(f, SCMP_ARCH_X86);
		if (r == -EEXIST)
			r = 0;
	}
	if (!r)
		r = add_rules(f, allow_mount);
	if (!r) {
		mfd = memfd_create("seccomp-gen", MFD_CLOEXEC);
		r = mfd < 0 ? -errno : seccomp_export_bpf(f, mfd);
	}
	if (!r && fstat(mfd, &st) < 0)
		r = -errno;
	if (!r && (st.st_size <= 0 || st.st_size % 8))
		r = -EINVAL;
	if (!r && !(buf = malloc(st.st_size)))
		r = -ENOMEM;
	if (!r && pread(mfd, buf, st.st_size, 0) != st.st_size)
		r = -EIO;
	if (!r) {
		n = (size_t)st.st_size / 8;
		fprintf(out, "static const struct sock_filter %s[%zu] = {\n", name, n);
		for (i = 0; i < n; i++) {
			const unsigned char *b = buf + i * 8;

			fprintf(out, "\t{ 0x%02x%02x, %u, %u, 0x%02x%02x%02x%02x },\n", b[1], b[0],
				b[2], b[3], b[7], b[6], b[5], b[4]);
		}
		fprintf(out, "};\n\n");
	}
	free(buf);
	if (mfd >= 0)
		close(mfd);
	seccomp_release(f);
	return r;
}

int main(int argc, char **argv)
{
	FILE *out;
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: seccomp-gen OUTPUT.h\n");
		return 2;
	}
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
		fprintf(stderr, "seccomp-gen: writes the arrays of a little-endian machine\n");
		return 1;
	}
	out = fopen(argv[1], "w");
	if (!out) {
		fprintf(stderr, "seccomp-gen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fprintf(out,
		"/* Generated by lib/libvirtos/gen/seccomp-gen.c at build time: do not edit. */\n"
		"#define VOS_SECCOMP_GEN_ARCH 0x%08xU /* AUDIT_ARCH of the programs */\n\n",
		seccomp_arch_native());
	r = emit(out, "vos_seccomp_rules", 0);
	if (!r)
		r = emit(out, "vos_seccomp_rules_mount", 1);
	if (fclose(out) != 0 && !r)
		r = -errno;
	if (r < 0) {
		fprintf(stderr, "seccomp-gen: %s\n", strerror(-r));
		remove(argv[1]);
		return 1;
	}
	return 0;
}
