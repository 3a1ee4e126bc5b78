/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * esc.h - shared helpers of the virtos escape test programs.
 *
 * Every attack program makes a series of attempts and reports each on its
 * own line on stdout:
 *
 *   REFUSED <what>: <errno name> (<message>)    the attempt failed
 *   ESCAPED <what>: <detail>                    the attempt worked
 *   INFO    <text>                              context, never a verdict
 *
 * and exits 0 when every attempt was refused, 1 when at least one worked,
 * 2 when it could not run in a meaningful way (bad usage, no attempt made).
 * The runner (tests/escape/run) turns the exit status into a TAP result and
 * the lines into TAP comments. The same program run outside any sandbox (its
 * "control" mode) must exit 1, which proves that the detection works.
 */
#ifndef VESC_H
#define VESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Report one attempt. */
void esc_refused(const char *what, int err);
void esc_escaped(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void esc_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Report a syscall-style result: ret < 0 is a refusal with errno, anything
 * else an escape. Returns true if it escaped.
 */
bool esc_check(const char *what, long ret);

/* printf into a static-sized buffer, for "what" strings. */
const char *esc_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 0, 1 or 2 as described above; prints a summary line. */
int esc_finish(void);

/* Number of escapes so far. */
int esc_escapes(void);

/* Read a small file into buf (NUL-terminated); returns bytes or -errno. */
ssize_t esc_read_file(const char *path, char *buf, size_t len);

/*
 * Write a string to a file (O_WRONLY, no O_CREAT); 0 or -errno. A target
 * that is not a regular file (a /dev/null mask) gives -ENODEV, unwritten.
 */
int esc_write_file(const char *path, const char *s);

/* Is mount id @id one of this process's mount namespace (mountinfo)? */
bool esc_mnt_id_visible(uint64_t id);

/* Mount id of an fd (statx STATX_MNT_ID), 0 on error. */
uint64_t esc_mnt_id_of_fd(int fd);

/* The argument vector has "--control" in it (first argument). */
bool esc_is_control(int argc, char **argv);

#endif /* VESC_H */
