// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vos-open [--to TARGET] URL|FILE: inside a subsystem, ask to open a URL
 * (service vos.OpenURL) or a file (vos.OpenFile) in another subsystem.
 * Without --to the call is routed (issue 15): it goes to @default with
 * the URL, or the file's MIME type by its name, as the request's subject
 * (proto.h), vosd routes it by the host's routes.d, and the policy decides
 * this subsystem -> the route's target; with no route, the policy's
 * target= (or, for an ask rule, the answer) picks the subsystem. vos-open
 * never names it.
 * A file crosses as vos.FileCopy does (filecopy.h): it lands in the
 * target's Incoming/<this subsystem>/ and is opened from there.
 *
 * vos-open --handle [--into DIR] [--with COMMAND...]: the handler of both
 * services inside the target (vosd's built-in one when the target offers
 * none): reads the URL (one line) or the one-file stream on stdin, checks
 * it, and runs COMMAND (default xdg-open) with the URL or the delivered
 * file's path as its last argument, never through a shell.
 *
 * Routing (lib/libvirtos/route.c) is vosd's, on the host: the subject
 * only picks a target this subsystem could name with --to, the policy
 * still decides, and this handler opens whatever arrives the same way.
 *
 * Exit status: the handler's (0 opened; 1 refused by the handler: a URL
 * scheme it does not open, a bad stream; else the opener's); 126 denied
 * by policy; 121 no such target or service; 123 over limit=; 120 refused
 * by the scanner; 124 bad usage; 125 other failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecopy.h"
#include "proto.h"

#define URL_MAX VOSD_SUBJECT_MAX

/* The schemes the handler opens: file: is vos-open FILE's job */
static const char *const schemes[] = { "http", "https", "ftp", "mailto", NULL };

/* 0 if @u is a URL vos.OpenURL carries: a known scheme, printable, no spaces */
static int url_check(const char *u)
{
	size_t i, n = strlen(u);
	const char *colon = strchr(u, ':');

	if (!colon || n > URL_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return -EINVAL;
	for (i = 0; schemes[i]; i++)
		if ((size_t)(colon - u) == strlen(schemes[i]) &&
		    !strncasecmp(u, schemes[i], strlen(schemes[i])))
			return 0;
	return -EPROTONOSUPPORT;
}

static int caller(const char *to, const char *what)
{
	const char *path = getenv("VOSD_SOCKET"), *svc;
	char req[VOSD_REQUEST_MAX], msg[VOSD_LINE_MAX], err[VOSD_LINE_MAX] = "";
	int conn, chan, code, fd = -1, in, pfd[2] = { -1, -1 }, ret = 0;
	bool url = fc_is_url(what);
	struct stat st;

	if (url && url_check(what) < 0) {
		fprintf(stderr,
			"vos-open: %s: only http, https, ftp and mailto URLs are opened "
			"elsewhere (a file: give its path)\n",
			what);
		return 124;
	}
	if (!url) {
		const char *base = strrchr(what, '/');

		fd = open(what, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "vos-open: %s: %s\n", what,
				fd < 0 ? strerror(errno) : "not a regular file (nor a URL)");
			return 124;
		}
		base = base ? base + 1 : what;
		if (!*base) {
			fprintf(stderr, "vos-open: %s: give a file\n", what);
			return 124;
		}
	}
	svc = url ? "vos.OpenURL" : "vos.OpenFile";
	if (!path || !*path)
		path = VOSD_INSIDE;
	/* routed (no --to): the URL, or the file's type, for vosd's routes */
	if (!strcmp(to, "@default"))
		snprintf(req, sizeof(req), "call %s %s %s", to, svc, url ? what : fc_mime_of(what));
	else
		snprintf(req, sizeof(req), "call %s %s", to, svc);
	conn = vosd_client_open(path, req, &chan, msg, sizeof(msg), &code);
	if (conn < 0) {
		fprintf(stderr, "vos-open: %s %s: %s%s\n", svc, to,
			code == 126 ? "denied by policy: " : "", msg);
		if (fd >= 0)
			close(fd);
		return code;
	}
	if (url) {
		if (write(chan, what, strlen(what)) < 0 || write(chan, "\n", 1) < 0)
			snprintf(err, sizeof(err), "the handler stopped reading");
	} else {
		const char *base = strrchr(what, '/');

		ret = fc_put_magic(chan, err, sizeof(err));
		if (!ret)
			ret = fc_put_file(chan, base ? base + 1 : what, fd, (uint64_t)st.st_size,
					  false, err, sizeof(err));
		if (!ret)
			ret = fc_put_end(chan, err, sizeof(err));
		close(fd);
	}
	/* the handler's words, then how the call ended */
	in = pipe(pfd) < 0 ? -1 : pfd[0];
	if (pfd[1] >= 0)
		close(pfd[1]);
	code = vosd_client_relay(conn, chan, in, STDOUT_FILENO, msg, sizeof(msg));
	if (code && msg[0])
		fprintf(stderr, "vos-open: %s %s: %s\n", svc, to, msg);
	else if (code && err[0])
		fprintf(stderr, "vos-open: %s\n", err);
	if (in >= 0)
		close(in);
	close(chan);
	close(conn);
	return code;
}

static int handler(int argc, char **argv)
{
	const char *svc = getenv("VOS_SERVICE"), *src = getenv("VOS_REMOTE");
	const char *into = FC_INCOMING, *def[] = { "xdg-open", NULL };
	const char **with = def;
	char *args[64], target[PATH_MAX + 8];
	int i, n = 0;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--into") && i + 1 < argc && argv[i + 1][0] == '/') {
			into = argv[++i];
		} else if (!strcmp(argv[i], "--with") && i + 1 < argc) {
			with = (const char **)&argv[i + 1];
			break;
		} else {
			printf("vos-open --handle: [--into DIR] [--with COMMAND [ARG...]]\n");
			return 124;
		}
	}
	if (!svc || !src || fc_source_check(src) < 0) {
		printf("vos-open --handle: no VOS_SERVICE/VOS_REMOTE: run by vosd only\n");
		return 124;
	}
	if (!strcmp(svc, "vos.OpenURL")) {
		char url[URL_MAX + 2];
		size_t got = 0;
		ssize_t r;

		while (got < sizeof(url) - 1 &&
		       (r = read(STDIN_FILENO, url + got, sizeof(url) - 1 - got)) > 0)
			got += (size_t)r;
		url[got] = '\0';
		if (got && url[got - 1] == '\n')
			url[--got] = '\0';
		if (url_check(url) < 0) {
			printf("vos-open: refused: not an http, https, ftp or mailto URL of at most "
			       "%d printable bytes\n",
			       URL_MAX);
			return 1;
		}
		snprintf(target, sizeof(target), "%s", url);
	} else if (!strcmp(svc, "vos.OpenFile")) {
		struct fc_limits lim = { .max_bytes = FC_MAX_BYTES, .max_files = 1 };
		struct fc_report rep;
		char err[512];
		int base, ret;

		umask(022);
		if (mkdir(into, 0755) < 0 && errno != EEXIST) {
			printf("vos-open: refused: cannot make %s: %s\n", into, strerror(errno));
			return 1;
		}
		base = open(into, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (base < 0) {
			printf("vos-open: refused: cannot open %s: %s\n", into, strerror(errno));
			return 1;
		}
		ret = fc_receive(STDIN_FILENO, base, src, &lim, &rep, err, sizeof(err));
		close(base);
		if (ret == 0 && !rep.first_file[0])
			snprintf(err, sizeof(err), "no file in the stream");
		if (ret < 0 || !rep.first_file[0]) {
			printf("vos-open: refused by the receiver: %s; nothing kept\n", err);
			return 1;
		}
		snprintf(target, sizeof(target), "%s/%s/%s", into, src, rep.first_file);
	} else {
		printf("vos-open --handle: serves vos.OpenURL and vos.OpenFile, not %s\n", svc);
		return 124;
	}
	for (i = 0; with[i] && n < 62; i++)
		args[n++] = (char *)with[i];
	args[n++] = target;
	args[n] = NULL;
	fflush(stdout);
	execvp(args[0], args);
	printf("vos-open: cannot run %s: %s\n", args[0], strerror(errno));
	return 127;
}

int main(int argc, char **argv)
{
	const char *to = "@default";
	int i = 1;

	if (argc >= 2 && !strcmp(argv[1], "--handle"))
		return handler(argc, argv);
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: vos-open [--to TARGET] URL|FILE\n"
		       "Open an http(s)/ftp/mailto URL or a file in another subsystem through vosd\n"
		       "(vos.OpenURL, vos.OpenFile): where the host's routes say, else where the\n"
		       "policy says, unless --to names it; the policy decides either way.\n"
		       "A file is copied to the target's Incoming/<this subsystem>/ first.\n"
		       "Exit: the handler's status; 126 denied by policy; 121 no such target or\n"
		       "service; 123 over limit=; 120 refused by the scanner; 124 bad usage;\n"
		       "125 other.\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--to")) {
		to = argv[2];
		i = 3;
	}
	if (argc != i + 1 || strlen(to) > 100 || strpbrk(to, " \t\n") || !argv[i][0]) {
		fprintf(stderr, "vos-open: give [--to TARGET] URL|FILE, e.g. vos-open "
				"https://example.org\n");
		return 124;
	}
	return caller(to, argv[i]);
}
