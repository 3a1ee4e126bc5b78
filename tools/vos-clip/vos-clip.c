// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-clip: the subsystem's own clipboard, from inside it (issue 13,
 * vos.Clipboard). put stores stdin with its MIME type, get writes the
 * content to stdout (or its type with --type), clear empties it. The
 * clipboard is the one `vosctl clip copy --from NAME` takes from and
 * `vosctl clip paste --to NAME` fills on the host (lib/libvirtos/
 * clipstore.h). No library but libc and clipstore.c: it runs in any root.
 *
 * Exit status: 0; 1 get or type: the clipboard is empty; 2 bad usage;
 * 3 any other failure (the message says which).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clipstore.h"

#define CLIP_MAX (64u << 20) /* vos.ko's ceiling for the slot (VOS_CLIP_HARD_MAX) */

enum {
	EX_EMPTY = 1,
	EX_USAGE = 2,
	EX_FAIL = 3
};

static const char usage[] =
	"Usage: vos-clip put [--type MIME] < DATA\n"
	"       vos-clip get | type | clear\n"
	"\n"
	"This subsystem's own clipboard (/run/vos-clip/clipboard). On the host,\n"
	"'vosctl clip copy --from NAME' and 'vosctl clip paste --to NAME' move it\n"
	"between subsystems, as the policy (service vos.Clipboard) allows.\n\n"
	"  put         store stdin (at most 64 MiB), as MIME type --type, else\n"
	"              image/png, image/jpeg or image/gif by its first bytes,\n"
	"              text/plain;charset=utf-8 for UTF-8 text, else\n"
	"              application/octet-stream\n"
	"  get         write the content to stdout\n"
	"  type        write its MIME type and a newline to stdout\n"
	"  clear       empty it\n\n"
	"Exit status: 0; 1 the clipboard is empty (get, type); 2 bad usage;\n"
	"3 failure.\n";

__attribute__((format(printf, 3, 4))) static int fail(int code, int err, const char *fmt, ...)
{
	va_list ap;

	fputs("vos-clip: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	return code;
}

static bool utf8_text(const unsigned char *p, size_t n)
{
	size_t i = 0, k, more;

	while (i < n) {
		unsigned char c = p[i];

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3;
		else
			return false;
		if (i + more >= n)
			return false;
		for (k = 1; k <= more; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
		i += more + 1;
	}
	return true;
}

static const char *sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (n >= 3 && !memcmp(p, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (n >= 6 && (!memcmp(p, "GIF87a", 6) || !memcmp(p, "GIF89a", 6)))
		return "image/gif";
	return utf8_text(p, n) ? "text/plain;charset=utf-8" : "application/octet-stream";
}

static int put(int root, const char *type)
{
	size_t len = 0, cap = 65536;
	unsigned char *buf = malloc(cap), *nb;
	ssize_t n;
	int ret;

	if (!buf)
		return fail(EX_FAIL, 0, "%s", "out of memory");
	for (;;) {
		if (len == cap) {
			if (cap > CLIP_MAX) {
				free(buf);
				return fail(EX_FAIL, 0, "%s", "more than 64 MiB on stdin");
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return fail(EX_FAIL, 0, "%s", "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		n = read(0, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return fail(EX_FAIL, errno, "%s", "read stdin");
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	if (len > CLIP_MAX) {
		free(buf);
		return fail(EX_FAIL, 0, "%s", "more than 64 MiB on stdin");
	}
	if (!len) {
		free(buf);
		return fail(EX_USAGE, 0, "%s",
			    "nothing on stdin: use 'vos-clip clear' to empty it");
	}
	if (!type)
		type = sniff(buf, len);
	ret = vos_clipstore_write(root, false, type, buf, len, (uid_t)-1, (gid_t)-1);
	free(buf);
	if (ret)
		return fail(EX_FAIL, -ret, "%s", "write /run/vos-clip/clipboard");
	return 0;
}

static int get(int root, bool type_only)
{
	char mime[VOS_CLIPSTORE_MIME_MAX];
	size_t len, off = 0;
	void *data;
	ssize_t n;
	int ret;

	ret = vos_clipstore_read(root, false, mime, sizeof(mime), &data, &len, CLIP_MAX);
	if (ret == -ENOENT)
		return fail(EX_EMPTY, 0, "%s", "the clipboard is empty");
	if (ret == -EBADMSG)
		return fail(EX_FAIL, 0, "%s", "/run/vos-clip/clipboard is not a clipboard file");
	if (ret)
		return fail(EX_FAIL, -ret, "%s", "read /run/vos-clip/clipboard");
	if (type_only) {
		free(data);
		return printf("%s\n", mime) < 0 ? EX_FAIL : 0;
	}
	while (off < len) {
		n = write(1, (char *)data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return fail(EX_FAIL, errno, "%s", "write stdout");
		}
		off += (size_t)n;
	}
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL, *verb;
	int c, root;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		if (c != 't')
			return fail(EX_USAGE, 0, "%s", "bad option: see 'vos-clip --help'");
		type = optarg;
	}
	if (optind + 1 != argc)
		return fail(EX_USAGE, 0, "%s",
			    "give put, get, type or clear: see 'vos-clip --help'");
	verb = argv[optind];
	if (strcmp(verb, "put") && strcmp(verb, "get") && strcmp(verb, "type") &&
	    strcmp(verb, "clear"))
		return fail(EX_USAGE, 0, "unknown action '%s': use put, get, type or clear", verb);
	if (type && strcmp(verb, "put"))
		return fail(EX_USAGE, 0, "%s", "--type goes with put");
	if (type && !vos_clipstore_mime_valid(type))
		return fail(EX_USAGE, 0, "--type %s: give a MIME type, type/subtype (image/png)",
			    type);
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return fail(EX_FAIL, errno, "%s", "open /");
	if (strcmp(verb, "put") == 0)
		return put(root, type);
	if (strcmp(verb, "get") == 0 || strcmp(verb, "type") == 0)
		return get(root, strcmp(verb, "type") == 0);
	c = vos_clipstore_clear(root, false);
	return c ? fail(EX_FAIL, -c, "%s", "clear /run/vos-clip/clipboard") : 0;
}
