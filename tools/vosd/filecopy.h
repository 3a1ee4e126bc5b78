/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filecopy.h - the stream of vos.FileCopy (issue 13): vos-copy's sender
 * writes it, its receiver (vos-copy --receive, the handler, running inside
 * the target subsystem) reads and checks it. Not a library API.
 *
 * The stream, all integers big-endian:
 *
 *   stream := MAGIC record* END
 *   MAGIC  := "VOSFC1\n\0"                        (8 bytes)
 *   record := 'D' namelen:u16 name                a directory
 *           | 'F' namelen:u16 name mode:u16 size:u64 data[size]
 *                                                 a regular file
 *   END    := 'E' 0:u16                           nothing may follow
 *
 * A name is relative: components joined by '/', each 1 to 255 bytes, none
 * "." or "..", no byte below 0x20 nor 0x7f, no leading, trailing or double
 * '/', at most FC_NAME_MAX bytes and FC_DEPTH_MAX components. A record
 * below a directory comes after that directory's 'D' record. Of the mode
 * only the owner's execute bit counts (0755 or 0644, less the umask): no
 * set-id, sticky or other bits reach the disk. There is no record for a
 * symbolic link, a device, a FIFO or a socket: the sender skips them and
 * the receiver has no way to make one.
 *
 * The receiver writes under DIR/SOURCE only (DIR: --into, default
 * FC_INCOMING; SOURCE: the caller's subsystem from VOS_REMOTE, which vosd
 * sets from the kernel's word), opening every path with openat2()
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV from that directory and creating with O_EXCL: nothing
 * outside it is followed or written, nothing existing is overwritten (a
 * top-level name that exists gets a new one, NAME.1.EXT, NAME.2.EXT, ...),
 * and a stream that breaks the rules or ends early leaves nothing it made.
 */
#ifndef VOSD_FILECOPY_H
#define VOSD_FILECOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FC_MAGIC	 "VOSFC1\n" /* and a NUL: 8 bytes */
#define FC_MAGIC_LEN	 8
#define FC_NAME_MAX	 4095
#define FC_COMPONENT_MAX 255
#define FC_DEPTH_MAX	 64
#define FC_INCOMING	 "/var/tmp/Incoming"
#define FC_MAX_FILES	 10000	      /* default --max-files: entries */
#define FC_MAX_BYTES	 (1ULL << 30) /* default --max-bytes: 1 GiB of content */
#define FC_RENAME_MAX	 999	      /* NAME.1 .. NAME.999, then refused */

struct fc_limits {
	uint64_t max_bytes;	 /* all files' content together */
	unsigned long max_files; /* records (files and directories) */
};

struct fc_report {
	unsigned long files, dirs, renamed;
	uint64_t bytes;
	char first_rename[2 * FC_COMPONENT_MAX + 8]; /* "OLD -> NEW" of the first */
	char first_file[FC_COMPONENT_MAX + 1];	     /* the first top-level file made */
};

/* 0 if @name (of @len bytes, not NUL-terminated) is a valid stream name */
int fc_name_check(const char *name, size_t len);
/* 0 if @src may name a directory under Incoming: a subsystem name or @host */
int fc_source_check(const char *src);

/*
 * Receive one stream from @in into @basefd/@source (made if missing),
 * within @lim. 0, or a negative errno with @err saying what was wrong; on
 * failure everything this call created is removed again.
 */
int fc_receive(int in, int basefd, const char *source, const struct fc_limits *lim,
	       struct fc_report *rep, char *err, size_t errlen);

/* Sender side: each 0 or a negative errno (with @err) */
int fc_put_magic(int out, char *err, size_t errlen);
int fc_put_dir(int out, const char *name, char *err, size_t errlen);
/* @fd is read for exactly @size bytes (a file that shrinks is an error) */
int fc_put_file(int out, const char *name, int fd, uint64_t size, bool exec, char *err,
		size_t errlen);
int fc_put_end(int out, char *err, size_t errlen);

/* vos-open and vosctl open: an argument with a scheme ("x:") that is no
 * existing path is meant as a URL
 */
bool fc_is_url(const char *arg);
/* vos-open and vosctl open: a file's MIME type by its name's extension,
 * application/octet-stream when unknown; what routes.d's mime routes see
 */
const char *fc_mime_of(const char *path);

#endif /* VOSD_FILECOPY_H */
