// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_ptywrap CMD [ARGS...] - run CMD in a new session with a fresh pty as
 * its controlling terminal and stdin/stdout/stderr, copy what it prints to
 * our stdout (without the carriage returns the terminal adds), and exit
 * with its status. Whatever CMD injects into the terminal's input queue
 * stays in this pty and is thrown away with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int master, slave, st;
	char *name, buf[4096], out[4096];
	ssize_t n, i, j;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: esc_ptywrap CMD [ARGS...]\n");
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    !(name = ptsname(master))) {
		perror("esc_ptywrap: pty");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("esc_ptywrap: fork");
		return 2;
	}
	if (pid == 0) {
		if (setsid() < 0)
			_exit(125);
		slave = open(name, O_RDWR); /* becomes the controlling tty */
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
			_exit(125);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "esc_ptywrap: exec %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	for (;;) {
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EIO: every slave fd is closed */
		for (i = j = 0; i < n; i++)
			if (buf[i] != '\r')
				out[j++] = buf[i];
		if (write(1, out, j) < 0)
			break;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}
