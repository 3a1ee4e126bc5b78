// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_canary NAME - a process that sets its command name (comm) to NAME,
 * prints its pid and waits forever. The runner starts canaries on the host
 * and inside subsystems as targets for signal and ptrace attacks, and
 * checks afterwards that they are still alive.
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: esc_canary NAME\n");
		return 2;
	}
	prctl(PR_SET_NAME, argv[1], 0, 0, 0);
	printf("%d\n", getpid());
	fflush(stdout);
	for (;;)
		pause();
}
