// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * esc_common.c - reporting and small helpers for the escape test programs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

static int n_escaped, n_refused;

static const char *errname(int err)
{
	const char *n = strerrorname_np(err);

	return n ? n : "E?";
}

void esc_refused(const char *what, int err)
{
	n_refused++;
	printf("REFUSED %s: %s (%s)\n", what, errname(err), strerror(err));
	fflush(stdout);
}

void esc_escaped(const char *what, const char *fmt, ...)
{
	va_list ap;

	n_escaped++;
	printf("ESCAPED %s: ", what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void esc_info(const char *fmt, ...)
{
	va_list ap;

	printf("INFO    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

bool esc_check(const char *what, long ret)
{
	if (ret < 0) {
		esc_refused(what, errno);
		return false;
	}
	esc_escaped(what, "returned %ld", ret);
	return true;
}

const char *esc_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

int esc_escapes(void)
{
	return n_escaped;
}

int esc_finish(void)
{
	printf("SUMMARY %d attempt(s): %d refused, %d escaped\n", n_escaped + n_refused, n_refused,
	       n_escaped);
	fflush(stdout);
	if (n_escaped)
		return 1;
	return n_refused ? 0 : 2;
}

ssize_t esc_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, tot = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	while ((size_t)tot + 1 < len) {
		n = read(fd, buf + tot, len - 1 - tot);
		if (n < 0) {
			int e = errno;

			close(fd);
			buf[tot] = 0;
			return tot ? tot : -e;
		}
		if (!n)
			break;
		tot += n;
	}
	buf[tot] = 0;
	close(fd);
	return tot;
}

int esc_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return -errno;
	/*
	 * Kernel knobs (procfs, sysfs, cgroupfs files) are regular files.
	 * A device node here is a mask (/dev/null bound over the knob, and
	 * device nodes stay writable on read-only mounts): writing it reaches
	 * nothing, so it counts as refused.
	 */
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENODEV;
	}
	n = write(fd, s, strlen(s));
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

bool esc_mnt_id_visible(uint64_t id)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strtoull(line, NULL, 10) == id) {
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

uint64_t esc_mnt_id_of_fd(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
		return 0;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

bool esc_is_control(int argc, char **argv)
{
	return argc > 1 && !strcmp(argv[1], "--control");
}
