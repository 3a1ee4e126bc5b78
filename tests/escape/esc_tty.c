// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_tty - terminal injection: TIOCSTI and TIOCLINUX.
 *
 * bubblewrap CVE-2017-5226: a sandboxed program pushed characters into the
 * input queue of the terminal it shared with the user's shell (TIOCSTI),
 * which ran them after the sandbox exited. Filters that compare the whole
 * 64-bit ioctl argument were bypassed with a request number that has high
 * bits set (the kernel only looks at the low 32 bits). firejail
 * CVE-2023-28100: TIOCLINUX (selection paste) on a virtual console does the
 * same. TIOCSETD changes the terminal's line discipline: with --no-tty the
 * terminal is the caller's, and it stays changed after the app is gone
 * (and a discipline not loaded is a module request).
 *
 * Must be run with a terminal on stdin/stdout/stderr (tests/escape/run wraps
 * it in esc_ptywrap, which gives it a fresh pty as controlling terminal).
 * The injected byte is a space: harmless if it ever arrives.
 *
 *   esc_tty             the attack
 *   esc_tty --control   outside any sandbox as root: TIOCSTI on our own
 *                       terminal must work (and TIOCLINUX on /dev/tty1, a
 *                       read-only query, if the guest has a virtual console)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/tiocl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "esc.h"

static long raw_ioctl(int fd, unsigned long req, void *arg)
{
	return syscall(SYS_ioctl, fd, req, arg);
}

static void attack_fd(const char *name, int fd)
{
	char what[128], c = ' ';
	char sub[2] = { TIOCL_GETFGCONSOLE, 0 };
	int ldisc = 27, n_tty = 0;

	esc_check(esc_fmt(what, sizeof(what), "TIOCSTI on %s", name), raw_ioctl(fd, TIOCSTI, &c));
	esc_check(esc_fmt(what, sizeof(what), "TIOCSTI with high bits (0x100000000|TIOCSTI) on %s",
			  name),
		  raw_ioctl(fd, 0x100000000UL | TIOCSTI, &c));
	esc_check(esc_fmt(what, sizeof(what), "TIOCLINUX (get fg console) on %s", name),
		  raw_ioctl(fd, TIOCLINUX, sub));
	sub[0] = TIOCL_GETFGCONSOLE;
	esc_check(esc_fmt(what, sizeof(what), "TIOCLINUX with high bits on %s", name),
		  raw_ioctl(fd, 0xffffffff00000000UL | TIOCLINUX, sub));
	/* N_NULL (27): a discipline that does nothing, put back to N_TTY */
	if (esc_check(esc_fmt(what, sizeof(what), "TIOCSETD N_NULL on %s", name),
		      raw_ioctl(fd, TIOCSETD, &ldisc)))
		raw_ioctl(fd, TIOCSETD, &n_tty);
	if (esc_check(esc_fmt(what, sizeof(what), "TIOCSETD with high bits on %s", name),
		      raw_ioctl(fd, 0x100000000UL | TIOCSETD, &ldisc)))
		raw_ioctl(fd, TIOCSETD, &n_tty);
}

int main(int argc, char **argv)
{
	bool control = esc_is_control(argc, argv);
	int fd, ttys = 0, i;
	char name[32];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i <= 2; i++) {
		if (!isatty(i))
			continue;
		ttys++;
		snprintf(name, sizeof(name), "fd %d", i);
		attack_fd(name, i);
	}
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		ttys++;
		attack_fd("/dev/tty", fd);
		close(fd);
	} else {
		esc_info("no controlling terminal (/dev/tty: %s)", strerror(errno));
	}
	if (control) {
		fd = open("/dev/tty1", O_RDONLY | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0) {
			char sub[2] = { TIOCL_GETFGCONSOLE, 0 };

			esc_check("control: TIOCLINUX on the virtual console /dev/tty1",
				  raw_ioctl(fd, TIOCLINUX, sub));
			close(fd);
		} else {
			esc_info("control: no virtual console (/dev/tty1: %s)", strerror(errno));
		}
	}
	if (!ttys) {
		fprintf(stderr,
			"esc_tty: no terminal on fds 0-2 nor /dev/tty: the test is meaningless\n");
		return 2;
	}
	return esc_finish();
}
