// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-copy TARGET FILE...: inside a subsystem, send regular files and
 * directories to subsystem TARGET's Incoming/<this subsystem>/ through
 * vosd (service vos.FileCopy; the policy decides). Symbolic links,
 * devices, FIFOs and sockets are skipped, never followed.
 *
 * vos-copy --receive [--into DIR] [--max-files N] [--max-bytes BYTES]:
 * the handler of vos.FileCopy, run inside the target by vosd; reads the
 * stream (filecopy.h) on stdin, writes under DIR/$VOS_REMOTE (default
 * /var/tmp/Incoming) and reports on stdout.
 *
 * Exit status (sender): the receiver's (0 delivered, 1 refused, nothing
 * kept); 3 some FILE was skipped (the rest was delivered); 126 denied by
 * policy; 123 over the policy's limit=; 120 refused by the scanner of
 * scan=; 121 no such target or service; 122 not permitted; 124 bad usage;
 * 125 other failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecopy.h"
#include "proto.h"

struct tx {
	int out;
	unsigned long skipped;
	char err[VOSD_LINE_MAX];
};

static int send_tree(struct tx *t, int dfd, const char *at, const char *name, int depth);

/* @at (in @dirfd) sent as @name: a regular file, a directory, or skipped */
static int send_one(struct tx *t, int dirfd, const char *at, const char *name, int depth)
{
	struct stat st;
	int fd, ret;

	if (fstatat(dirfd, at, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		snprintf(t->err, sizeof(t->err), "%s: %s", name, strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode))
		return send_tree(t, dirfd, at, name, depth);
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "vos-copy: %s: skipped: not a regular file or directory\n", name);
		t->skipped++;
		return 0;
	}
	fd = openat(dirfd, at, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(t->err, sizeof(t->err), "%s: %s", name,
			 fd < 0 ? strerror(errno) : "changed while being sent");
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	ret = fc_put_file(t->out, name, fd, (uint64_t)st.st_size, st.st_mode & 0100, t->err,
			  sizeof(t->err));
	close(fd);
	return ret;
}

static int send_tree(struct tx *t, int dfd, const char *at, const char *name, int depth)
{
	struct dirent *e;
	DIR *dir;
	int fd, ret;

	if (depth >= FC_DEPTH_MAX) {
		snprintf(t->err, sizeof(t->err), "%s: deeper than %d levels", name, FC_DEPTH_MAX);
		return -ELOOP;
	}
	ret = fc_put_dir(t->out, name, t->err, sizeof(t->err));
	if (ret < 0)
		return ret;
	fd = openat(dfd, at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		snprintf(t->err, sizeof(t->err), "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	while (ret == 0 && (e = readdir(dir))) {
		char sub[FC_NAME_MAX + 1];
		int n;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n = snprintf(sub, sizeof(sub), "%s/%s", name, e->d_name);
		if (n < 0 || (size_t)n >= sizeof(sub)) {
			snprintf(t->err, sizeof(t->err), "%s/...: a name over %d bytes", name,
				 FC_NAME_MAX);
			ret = -ENAMETOOLONG;
			break;
		}
		ret = send_one(t, dirfd(dir), e->d_name, sub, depth + 1);
	}
	closedir(dir);
	return ret;
}

/* The name FILE goes under: its last component ("." and ".." resolved) */
static int top_name(const char *file, char *out, size_t len)
{
	char buf[PATH_MAX], *end, *slash;

	snprintf(buf, sizeof(buf), "%s", file);
	for (end = buf + strlen(buf); end > buf + 1 && end[-1] == '/'; end--)
		end[-1] = '\0';
	slash = strrchr(buf, '/');
	slash = slash ? slash + 1 : buf;
	if (!*slash || !strcmp(slash, ".") || !strcmp(slash, "..")) {
		char real[PATH_MAX];

		if (!realpath(file, real) || !strcmp(real, "/"))
			return -EINVAL;
		slash = strrchr(real, '/') + 1;
		snprintf(out, len, "%s", slash);
		return 0;
	}
	snprintf(out, len, "%s", slash);
	return 0;
}

static int sender(int argc, char **argv)
{
	const char *path = getenv("VOSD_SOCKET");
	char req[VOSD_LINE_MAX], msg[VOSD_LINE_MAX];
	struct tx t = { 0 };
	int conn, chan, code, i, ret = 0, null;

	if (argc < 3 || strlen(argv[1]) > 100 || strpbrk(argv[1], " \t\n")) {
		fprintf(stderr, "vos-copy: give TARGET FILE..., e.g. vos-copy work report.pdf\n");
		return 124;
	}
	for (i = 2; i < argc; i++) {
		char name[FC_COMPONENT_MAX + 1];

		if (top_name(argv[i], name, sizeof(name)) < 0) {
			fprintf(stderr, "vos-copy: %s: give a file or directory with a name\n",
				argv[i]);
			return 124;
		}
	}
	if (!path || !*path)
		path = VOSD_INSIDE;
	snprintf(req, sizeof(req), "call %s vos.FileCopy", argv[1]);
	conn = vosd_client_open(path, req, &chan, msg, sizeof(msg), &code);
	if (conn < 0) {
		fprintf(stderr, "vos-copy: vos.FileCopy %s: %s%s\n", argv[1],
			code == 126 ? "denied by policy: " : "", msg);
		return code;
	}
	if (chan < 0) {
		fprintf(stderr, "vos-copy: vosd gave no stream\n");
		close(conn);
		return 125;
	}
	t.out = chan;
	ret = fc_put_magic(chan, t.err, sizeof(t.err));
	for (i = 2; i < argc && ret == 0; i++) {
		char name[FC_COMPONENT_MAX + 1];

		top_name(argv[i], name, sizeof(name));
		ret = send_one(&t, AT_FDCWD, argv[i], name, 0);
	}
	if (ret == 0)
		ret = fc_put_end(chan, t.err, sizeof(t.err));
	if (ret < 0 && ret != -EPIPE && ret != -ECONNRESET)
		/* the receiver sees the stream end early and keeps nothing */
		fprintf(stderr, "vos-copy: %s: nothing is delivered\n", t.err);
	/* what the receiver says, then vosd's word on how the call ended */
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	code = vosd_client_relay(conn, chan, null, STDOUT_FILENO, msg, sizeof(msg));
	if (code != 0 && msg[0])
		fprintf(stderr, "vos-copy: vos.FileCopy %s: %s\n", argv[1], msg);
	close(null);
	close(chan);
	close(conn);
	if (code == 0 && ret < 0)
		code = 125;
	if (code == 0 && t.skipped)
		code = 3;
	return code;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		n <<= 10, end++;
	else if (*end == 'M')
		n <<= 20, end++;
	else if (*end == 'G')
		n <<= 30, end++;
	if (*end || !n)
		return -EINVAL;
	*v = n;
	return 0;
}

static int receiver(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "receive", no_argument, NULL, 'R' },
		{ "into", required_argument, NULL, 'i' },
		{ "max-files", required_argument, NULL, 'f' },
		{ "max-bytes", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	struct fc_limits lim = { .max_bytes = FC_MAX_BYTES, .max_files = FC_MAX_FILES };
	const char *into = FC_INCOMING, *src = getenv("VOS_REMOTE");
	struct fc_report rep;
	char err[512];
	uint64_t v;
	int c, base, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'R':
			break;
		case 'i':
			into = optarg;
			break;
		case 'f':
			if (parse_size(optarg, &v) < 0 || v > 1000000) {
				printf("vos-copy --receive: --max-files: 1 to 1000000\n");
				return 124;
			}
			lim.max_files = (unsigned long)v;
			break;
		case 'b':
			if (parse_size(optarg, &v) < 0) {
				printf("vos-copy --receive: --max-bytes: a size (K, M, G)\n");
				return 124;
			}
			lim.max_bytes = v;
			break;
		default:
			printf("vos-copy --receive: [--into DIR] [--max-files N] [--max-bytes B]\n");
			return 124;
		}
	}
	if (!src || fc_source_check(src) < 0) {
		printf("vos-copy --receive: no caller in VOS_REMOTE: run by vosd only\n");
		return 124;
	}
	if (into[0] != '/') {
		printf("vos-copy --receive: --into: an absolute directory\n");
		return 124;
	}
	umask(022);
	if (mkdir(into, 0755) < 0 && errno != EEXIST) {
		printf("vos-copy: refused: cannot make %s: %s\n", into, strerror(errno));
		return 1;
	}
	base = open(into, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (base < 0) {
		printf("vos-copy: refused: cannot open %s: %s\n", into, strerror(errno));
		return 1;
	}
	ret = fc_receive(STDIN_FILENO, base, src, &lim, &rep, err, sizeof(err));
	close(base);
	if (ret < 0) {
		printf("vos-copy: refused by the receiver: %s; nothing kept\n", err);
		return 1;
	}
	printf("delivered %lu file%s (%llu bytes) and %lu director%s to %s/%s\n", rep.files,
	       rep.files == 1 ? "" : "s", (unsigned long long)rep.bytes, rep.dirs,
	       rep.dirs == 1 ? "y" : "ies", into, src);
	if (rep.renamed)
		printf("%lu renamed, the names existed (first: %s)\n", rep.renamed,
		       rep.first_rename);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && !strcmp(argv[1], "--receive"))
		return receiver(argc, argv);
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: vos-copy TARGET FILE...\n"
		       "Send files and directories to TARGET's Incoming/<this subsystem>/ through\n"
		       "vosd (vos.FileCopy). Symlinks, devices, FIFOs and sockets are skipped.\n"
		       "Exit: 0 delivered; 1 refused by the receiver (nothing kept); 3 some\n"
		       "FILE skipped; 126 denied by policy; 123 over limit=; 120 refused by\n"
		       "the scanner; 121 no such target or service; 124 bad usage; 125 other.\n");
		return 0;
	}
	return sender(argc, argv);
}
