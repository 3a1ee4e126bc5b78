// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spawnbench - start latency of several commands, measured the same way.
 *
 *   spawnbench [-n RUNS] [-w WARMUP] [-s SECTION] [-v VARIANT] [-R RAWFILE]
 *              [-S SETTLE] LABEL CMD [ARGS...] ::: LABEL CMD [ARGS...] ::: ...
 *
 * Each command is started with posix_spawn() and reaped with waitpid(); the
 * time between the two, on CLOCK_MONOTONIC, is one sample. The harness does
 * the same few syscalls for every command, so its own overhead is small and
 * equal for all of them. Commands are interleaved: iteration i starts with
 * command (i mod T) and goes round the list, so a slow phase of the machine
 * hits every command alike. stdin/stdout/stderr of the commands go to
 * /dev/null, except in the warm-up runs, where stderr is kept so that a
 * command that cannot run here is reported with its own message.
 *
 * -S SETTLE: the shell command SETTLE runs, untimed, before every timed
 * sample of every command: it waits for background work (vosd refilling
 * its pool of disposables) to be over, so that no sample pays for work
 * that another command caused.
 *
 * The first command is the reference: every median is also given as a ratio
 * to its median.
 *
 * Output: one line per command on stdout, "@@ " followed by a JSON object
 * (section, variant, tool, cmd, runs, failed, min/median/max/mean in
 * microseconds, ratio, note). The host side collects these lines.
 * Exit status: 0 unless the harness itself failed (a command that fails is
 * a result, not an error).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NOTE_MAX 240

struct tool {
	const char *label;
	char **argv;
	int64_t *samples; /* ns */
	int nsamples;
	int failed;
	int last_status;
	int unavailable;
	char note[NOTE_MAX];
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double median_us(int64_t *s, int n)
{
	if (n == 0)
		return -1;
	qsort(s, n, sizeof(*s), cmp_i64);
	if (n % 2)
		return s[n / 2] / 1000.0;
	return (s[n / 2 - 1] + s[n / 2]) / 2000.0;
}

/* Print @s as a JSON string (ASCII control characters dropped). */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n' || c == '\t')
			fputc(' ', f);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, f);
	}
	fputc('"', f);
}

/*
 * Run @t once. @errfd >= 0 receives the command's stderr, else /dev/null.
 * Returns the elapsed ns, or -1 if it could not be spawned; *status gets
 * the wait status.
 */
static int64_t run_once(struct tool *t, int errfd, int *status)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int64_t t0, t1;
	int ret;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (errfd >= 0)
		posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);

	t0 = now_ns();
	ret = posix_spawnp(&pid, t->argv[0], &fa, NULL, t->argv, environ);
	if (ret) {
		posix_spawn_file_actions_destroy(&fa);
		snprintf(t->note, sizeof(t->note), "cannot spawn %s: %s", t->argv[0],
			 strerror(ret));
		return -1;
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR) {
			posix_spawn_file_actions_destroy(&fa);
			return -1;
		}
	}
	t1 = now_ns();
	posix_spawn_file_actions_destroy(&fa);
	return t1 - t0;
}

static void describe_status(char *buf, size_t len, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status 0x%x", status);
}

/* Warm-up run that keeps stderr: decides whether @t can run here at all. */
static void warmup(struct tool *t)
{
	char msg[NOTE_MAX / 2], st[32];
	int fd, status = 0;
	int64_t ns;
	ssize_t n;

	fd = memfd_create("spawnbench-stderr", MFD_CLOEXEC);
	ns = run_once(t, fd, &status);
	if (ns < 0) {
		t->unavailable = 1;
		if (fd >= 0)
			close(fd);
		return;
	}
	if (status == 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	t->unavailable = 1;
	msg[0] = '\0';
	if (fd >= 0) {
		n = pread(fd, msg, sizeof(msg) - 1, 0);
		msg[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	describe_status(st, sizeof(st), status);
	snprintf(t->note, sizeof(t->note), "fails here (%s): %s", st, msg);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: spawnbench [-n RUNS] [-w WARMUP] [-s SECTION] [-v VARIANT] [-R RAWFILE]\n"
		"                  [-S SETTLE] LABEL CMD [ARGS...] ::: LABEL CMD [ARGS...] ...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *section = "start", *variant = "", *rawpath = NULL;
	char *settle_argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct tool settle = { 0 };
	int runs = 50, warm = 3, ntools = 0, opt, i, j, k;
	struct tool *tools;
	double ref_med = -1;
	FILE *raw = NULL;

	while ((opt = getopt(argc, argv, "+n:w:s:v:R:S:")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warm = atoi(optarg);
			break;
		case 's':
			section = optarg;
			break;
		case 'v':
			variant = optarg;
			break;
		case 'R':
			rawpath = optarg;
			break;
		case 'S':
			settle.label = "settle";
			settle.argv = settle_argv;
			settle_argv[2] = optarg;
			break;
		default:
			usage();
		}
	}
	if (runs < 1 || warm < 1 || optind >= argc)
		usage();

	tools = calloc(argc, sizeof(*tools));
	if (!tools)
		return 1;
	/* Split the rest at ":::" into LABEL CMD ARGS groups (in place). */
	for (i = optind; i < argc;) {
		struct tool *t = &tools[ntools];

		if (i + 1 >= argc || !strcmp(argv[i + 1], ":::"))
			usage();
		t->label = argv[i];
		t->argv = &argv[i + 1];
		for (j = i + 1; j < argc && strcmp(argv[j], ":::"); j++)
			;
		if (j < argc)
			argv[j] = NULL; /* terminates this argv */
		i = j + 1;
		t->samples = calloc(runs, sizeof(*t->samples));
		if (!t->samples)
			return 1;
		ntools++;
	}

	/* Warm-up: caches, and find out what cannot run at all. */
	for (k = 0; k < warm; k++) {
		for (i = 0; i < ntools; i++) {
			int status;

			if (tools[i].unavailable)
				continue;
			if (k == 0)
				warmup(&tools[i]);
			else
				run_once(&tools[i], -1, &status);
		}
	}

	if (rawpath) {
		raw = fopen(rawpath, "a");
		if (!raw)
			perror(rawpath);
	}
	for (k = 0; k < runs; k++) {
		for (j = 0; j < ntools; j++) {
			struct tool *t = &tools[(k + j) % ntools];
			int status = 0;
			int64_t ns;

			if (t->unavailable)
				continue;
			if (settle.argv)
				run_once(&settle, -1, &status);
			ns = run_once(t, -1, &status);
			if (ns < 0 || status != 0) {
				t->failed++;
				t->last_status = status;
				continue;
			}
			t->samples[t->nsamples++] = ns;
			if (raw)
				fprintf(raw, "%s,%s,%s,%d,%lld\n", section, variant, t->label, k,
					(long long)ns);
		}
	}
	if (raw)
		fclose(raw);

	for (i = 0; i < ntools; i++) {
		struct tool *t = &tools[i];
		double med = median_us(t->samples, t->nsamples); /* sorts */
		double mean = 0;

		for (j = 0; j < t->nsamples; j++)
			mean += t->samples[j] / 1000.0;
		if (t->nsamples)
			mean /= t->nsamples;
		if (i == 0)
			ref_med = med;
		if (t->failed && !t->note[0]) {
			char st[32];

			describe_status(st, sizeof(st), t->last_status);
			snprintf(t->note, sizeof(t->note), "%d of %d runs failed (last: %s)",
				 t->failed, runs, st);
		}
		printf("@@ {\"section\":");
		json_str(stdout, section);
		printf(",\"variant\":");
		json_str(stdout, variant);
		printf(",\"tool\":");
		json_str(stdout, t->label);
		printf(",\"cmd\":\"");
		for (j = 0; t->argv[j]; j++) {
			char *q = t->argv[j];

			if (j)
				putchar(' ');
			for (; *q; q++)
				if (*q != '"' && *q != '\\')
					putchar(*q);
		}
		printf("\",\"runs\":%d,\"ok\":%d,\"failed\":%d", runs, t->nsamples, t->failed);
		if (t->nsamples) {
			printf(",\"min_us\":%.1f,\"median_us\":%.1f,\"max_us\":%.1f,\"mean_us\":%.1f",
			       t->samples[0] / 1000.0, med, t->samples[t->nsamples - 1] / 1000.0,
			       mean);
			if (ref_med > 0)
				printf(",\"ratio\":%.3f", med / ref_med);
		}
		printf(",\"note\":");
		json_str(stdout, t->note);
		printf("}\n");
	}
	fflush(stdout);
	return 0;
}
