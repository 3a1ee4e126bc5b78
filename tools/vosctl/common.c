// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Glue between the commands and libvirtos: open a context, wait for an
 * app while forwarding signals, and turn library errors into struct
 * cli_err.
 */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <virtos.h>

#include "common.h"

int lib_fail(struct cli_err *e, enum cli_op op, struct vos_ctx *vctx, int ret, const char *name,
	     const char *cmd)
{
	int cls = vctx ? (int)vos_ctx_errclass(vctx) : VOS_ERR_NONE;
	const char *msg = vctx ? vos_ctx_errmsg(vctx) : NULL;
	/* a command that could not be run is named, else the subsystem */
	const char *subject = cls == VOS_ERR_NOCMD || cls == VOS_ERR_NOEXEC ? cmd : name;
	const char *opt = vctx ? vos_ctx_errsubject(vctx) : NULL;

	/* another subsystem an option names (--uplink NAME): the library's
	 * message says which and what to do
	 */
	if (cls == VOS_ERR_NAME && opt && !strncmp(opt, "--", 2) && msg)
		return cli_fail(e, EXIT_NAME, "%s", msg);

	return cli_errmap(e, op, ret, cls, subject, msg);
}

int ctx_open(struct cli_ctx *ctx, struct vos_ctx **vctxp, bool connect, struct cli_err *e)
{
	struct vos_ctx *vctx;
	int ret;

	ret = vos_ctx_new(&vctx);
	if (ret)
		return cli_fail(e, EXIT_FAIL, "out of memory: free some memory and retry");
	if (ctx->device) {
		ret = vos_ctx_set_device(vctx, ctx->device);
		if (ret) {
			lib_fail(e, OP_DEVICE, vctx, ret, NULL, NULL);
			vos_ctx_free(vctx);
			return e->code;
		}
	}
	if (connect) {
		ret = vos_ctx_connect(vctx);
		if (ret) {
			lib_fail(e, OP_DEVICE, vctx, ret, NULL, NULL);
			vos_ctx_free(vctx);
			return e->code;
		}
	}
	*vctxp = vctx;
	return 0;
}

int lib_usage(struct cli_err *e, struct vos_ctx *vctx, int ret)
{
	/* the library's message names the option and the accepted form */
	if (vos_ctx_errclass(vctx) == VOS_ERR_USAGE)
		return cli_fail(e, EXIT_USAGE, "%s", vos_ctx_errmsg(vctx));
	return lib_fail(e, OP_SPAWN, vctx, ret, NULL, NULL);
}

int ctx_connect(struct vos_ctx *vctx, struct cli_err *e)
{
	int ret = vos_ctx_connect(vctx);

	return ret ? lib_fail(e, OP_DEVICE, vctx, ret, NULL, NULL) : 0;
}

/* The signals a user or a supervisor sends to "the app": while vosctl
 * waits they are blocked here and forwarded by the library (signalfd).
 */
static void forward_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
	sigaddset(set, SIGWINCH);
}

/* The lowest address of the main thread's stack mapping ([stack] in
 * /proc/self/maps), 0 if not found.
 */
static uintptr_t __attribute__((noinline)) stack_low(void)
{
	char maps[8192], *line, *end;
	unsigned long lo;
	ssize_t n, len = 0;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (len < (ssize_t)sizeof(maps) - 1 &&
	       (n = read(fd, maps + len, sizeof(maps) - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	maps[len] = '\0';
	line = strstr(maps, "[stack]");
	if (!line)
		return 0;
	while (line > maps && line[-1] != '\n')
		line--;
	lo = strtoul(line, &end, 16);
	return *end == '-' ? (uintptr_t)lo : 0;
}

/*
 * dl_iterate_phdr() callback: the PT_LOAD segments of the program itself
 * (the first object) that are never written, its code and read-only data,
 * given back: MADV_DONTNEED on a private file mapping that was never
 * written drops the page table entries only; a page touched again comes
 * back from the page cache as it was (a minor fault). Segments with PF_W
 * (.data, .bss, and the relocated RELRO part, read-only only since
 * relocation) are left alone: there the call would undo the writes. Only
 * whole pages inside a segment.
 */
static int drop_text(struct dl_phdr_info *info, size_t size, void *data)
{
	const uintptr_t page = 4096;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo, hi;

		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
			continue;
		lo = (info->dlpi_addr + ph->p_vaddr + page - 1) & ~(page - 1);
		hi = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	return 1; /* the program only, not the libraries */
}

/*
 * vosctl stays for the app's whole life; what its setup used need not:
 * - the stack pages more than 16 kB below this frame, which only the
 *   setup's deeper calls used (MADV_DONTNEED; touched again, they read as
 *   zeros): about 24 kB;
 * - the pages of vosctl's own code and read-only data the setup ran
 *   (drop_text()): about 400 kB of PSS, of which the wait loop faults a
 *   few pages back in.
 * Together most of the memory vosctl keeps while the app runs
 * (Documentation/performance.md, "Footprint").
 */
static void drop_setup_memory(void)
{
	uintptr_t lo = stack_low(), end;

	end = ((uintptr_t)__builtin_frame_address(0) - 16384) & ~(uintptr_t)4095;
	if (lo && end > lo)
		madvise((void *)lo, end - lo, MADV_DONTNEED);
	dl_iterate_phdr(drop_text, NULL);
}

int proc_wait_forward(struct vos_proc *p, struct vos_ctx *vctx, struct cli_err *e)
{
	sigset_t set, old;
	int ret, status = 0;

	drop_setup_memory();
	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	ret = vos_proc_set_forward(p, &set);
	if (ret) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return lib_fail(e, OP_WAIT, vctx, ret, NULL, NULL);
	}
	ret = vos_proc_wait(p, &status, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (ret < 0)
		return lib_fail(e, OP_WAIT, vctx, ret, NULL, NULL);
	return cli_wait_status(status);
}
