// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * focus.c - the subsystem of the focused window (focus.h).
 *
 * sway's IPC (sway-ipc(7)): on the UNIX socket $SWAYSOCK, a message is
 * the magic "i3-ipc", its payload's length and its type (u32 each, host
 * order) and the payload; GET_TREE (4) answers the tree of nodes as JSON,
 * the focused one with "focused": true, a window's with its "app_id" and
 * the "pid" of the compositor's client. That client is, for a
 * subsystem's window, the subsystem's vos-wlproxy: the pid is what a
 * window cannot choose, so it, not the app_id, says whose window it is.
 *
 * The JSON is parsed whole (strings with their escapes, numbers,
 * literals, nesting bounded), not searched for a pattern: a title is
 * free text and could spell "focused": true.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <virtos.h>

#include "focus.h"
#include "gui.h"

#define IPC_MAGIC    "i3-ipc"
#define IPC_GET_TREE 4
#define IPC_HDR	     14
/* the most tree read: thousands of windows fit */
#define IPC_MAX	   (16u << 20)
#define JSON_DEPTH 256

struct jp {
	const char *p, *end;
	int depth;
	bool found;
	char *app_id;
	size_t len;
	long pid;
};

static void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A string at j->p into @out (@len bytes, NUL-terminated; NULL: skipped).
 * A \u escape other than ASCII becomes '?': only names are compared, and
 * they are ASCII. 1 if it did not fit (then no name matches it), 0, or -1.
 */
static int jstring(struct jp *j, char *out, size_t len)
{
	size_t n = 0;
	int trunc = 0, i, v;
	char c;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	for (j->p++; j->p < j->end && *j->p != '"'; j->p++) {
		c = *j->p;
		if ((unsigned char)c < 0x20)
			return -1;
		if (c == '\\') {
			if (++j->p >= j->end)
				return -1;
			switch (*j->p) {
			case '"':
			case '\\':
			case '/':
				c = *j->p;
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				if (j->end - j->p < 5)
					return -1;
				for (i = 1, v = 0; i <= 4; i++) {
					if (hexval(j->p[i]) < 0)
						return -1;
					v = v * 16 + hexval(j->p[i]);
				}
				j->p += 4;
				c = v > 0 && v < 0x80 ? (char)v : '?';
				break;
			default:
				return -1;
			}
		}
		if (!out)
			continue;
		if (n + 1 < len)
			out[n++] = c;
		else
			trunc = 1;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	if (out)
		out[n] = '\0';
	return trunc;
}

static int jnumber(struct jp *j, long *v)
{
	const char *s = j->p;
	char buf[32];
	size_t n;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' ||
				 *j->p == 'E' || *j->p == '+' || *j->p == '-'))
		j->p++;
	n = (size_t)(j->p - s);
	if (!n || (n == 1 && *s == '-'))
		return -1;
	if (v) {
		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		errno = 0;
		*v = strtol(buf, NULL, 10);
		if (errno)
			return -1;
	}
	return 0;
}

static int jlit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n))
		return -1;
	j->p += n;
	return 0;
}

static int jvalue(struct jp *j);

static int jarray(struct jp *j)
{
	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return 0;
	}
	for (;;) {
		if (jvalue(j) < 0)
			return -1;
		ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int jobject(struct jp *j)
{
	char key[16], app_id[256] = "";
	bool focused = false;
	long pid = -1;
	int r;

	j->p++;
	ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	for (;;) {
		ws(j);
		r = jstring(j, key, sizeof(key));
		if (r < 0)
			return -1;
		if (r)
			key[0] = '\0'; /* too long for any key looked at */
		ws(j);
		if (j->p >= j->end || *j->p++ != ':')
			return -1;
		ws(j);
		if (!strcmp(key, "focused") && !jlit(j, "true"))
			focused = true;
		else if (!strcmp(key, "app_id") && j->p < j->end && *j->p == '"')
			r = jstring(j, app_id, sizeof(app_id)) < 0 ? -1 : 0;
		else if (!strcmp(key, "pid") && j->p < j->end && *j->p != 'n')
			r = jnumber(j, &pid);
		else
			r = jvalue(j);
		if (r < 0)
			return -1;
		ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == '}')
			break;
		if (*j->p++ != ',')
			return -1;
	}
	j->p++;
	if (focused && !j->found) {
		j->found = true;
		snprintf(j->app_id, j->len, "%s", app_id);
		j->pid = pid;
	}
	return 0;
}

static int jvalue(struct jp *j)
{
	int r;

	ws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > JSON_DEPTH)
			return -1;
		r = *j->p == '{' ? jobject(j) : jarray(j);
		j->depth--;
		return r;
	case '"':
		return jstring(j, NULL, 0) < 0 ? -1 : 0;
	case 't':
		return jlit(j, "true");
	case 'f':
		return jlit(j, "false");
	case 'n':
		return jlit(j, "null");
	default:
		return jnumber(j, NULL);
	}
}

int focus_parse_tree(const char *json, size_t jlen, char *app_id, size_t len, long *pid)
{
	struct jp j = { .p = json, .end = json + jlen, .app_id = app_id, .len = len, .pid = -1 };

	app_id[0] = '\0';
	if (jvalue(&j) < 0)
		return -EBADMSG;
	ws(&j);
	if (j.p != j.end)
		return -EBADMSG;
	*pid = j.pid;
	return j.found ? 0 : -ENOENT;
}

static int full_io(int fd, void *buf, size_t len, bool wr)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = wr ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* sway's tree: a malloc()ed NUL-terminated JSON text in *out */
static int get_tree(struct cli_err *e, char **out, size_t *outlen)
{
	const char *path = getenv("SWAYSOCK");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char hdr[IPC_HDR];
	uint32_t w[2] = { 0, IPC_GET_TREE };
	char *buf;
	int fd, r;

	if (!path || !*path)
		return cli_fail(
			e, EXIT_USAGE,
			"--focused: SWAYSOCK is not set: run it from your sway session "
			"(other desktops: name the subsystem with --from or --to, see vosctl(1))");
	if (strlen(path) >= sizeof(sa.sun_path))
		return cli_fail(e, EXIT_USAGE, "--focused: SWAYSOCK '%s' is too long for a socket",
				path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = errno;
		if (fd >= 0)
			close(fd);
		return cli_fail(e, EXIT_FAIL, "--focused: cannot reach sway at %s: %s", path,
				strerror(r));
	}
	memcpy(hdr, IPC_MAGIC, 6);
	memcpy(hdr + 6, w, sizeof(w));
	r = full_io(fd, hdr, sizeof(hdr), true);
	if (!r)
		r = full_io(fd, hdr, sizeof(hdr), false);
	if (!r && memcmp(hdr, IPC_MAGIC, 6))
		r = -EBADMSG;
	if (!r) {
		memcpy(w, hdr + 6, sizeof(w));
		if (w[1] != IPC_GET_TREE || w[0] > IPC_MAX)
			r = -EBADMSG;
	}
	buf = r ? NULL : malloc((size_t)w[0] + 1);
	if (!r && !buf)
		r = -ENOMEM;
	if (!r)
		r = full_io(fd, buf, w[0], false);
	close(fd);
	if (r) {
		free(buf);
		return cli_fail(e, EXIT_FAIL, "--focused: sway's tree from %s: %s", path,
				strerror(-r));
	}
	buf[w[0]] = '\0';
	*out = buf;
	*outlen = w[0];
	return 0;
}

/*
 * The subsystem whose vos-wlproxy is process @pid: its --name, if it is
 * the vos-wlproxy beside us. 0 or -ESRCH.
 */
static int proxy_name(long pid, char *name, size_t len)
{
	char path[64], exe[PATH_MAX], want[PATH_MAX], cmd[512];
	size_t off;
	ssize_t n;
	FILE *f;

	if (pid <= 0 || gui_proxy_path(want, sizeof(want)))
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n < 0)
		return -ESRCH;
	exe[n] = '\0';
	if (strcmp(exe, want))
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	n = (ssize_t)fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	if (n <= 0)
		return -ESRCH;
	cmd[n] = '\0';
	/* vos-wlproxy --name NAME ... (gui.c starts it so) */
	off = strlen(cmd) + 1;
	if (off >= (size_t)n || strcmp(cmd + off, "--name"))
		return -ESRCH;
	off += strlen(cmd + off) + 1;
	if (off >= (size_t)n || vos_name_check(cmd + off) ||
	    (size_t)snprintf(name, len, "%s", cmd + off) >= len)
		return -ESRCH;
	return 0;
}

int focused_subsystem(struct cli_err *e, char *name, size_t len)
{
	char app_id[256], prefix[VOS_NAME_MAX + 8];
	size_t jlen = 0;
	char *json = NULL;
	long pid;
	int r;

	r = get_tree(e, &json, &jlen);
	if (r)
		return r;
	r = focus_parse_tree(json, jlen, app_id, sizeof(app_id), &pid);
	free(json);
	if (r == -EBADMSG)
		return cli_fail(e, EXIT_FAIL,
				"--focused: sway's tree is not JSON this parser reads");
	if (r || (pid <= 0 && !app_id[0]))
		return cli_fail(e, EXIT_NAME,
				"--focused: no window has the focus: click one first");
	if (proxy_name(pid, name, len))
		return cli_fail(e, EXIT_NAME,
				"--focused: the focused window (app_id '%s') is the host's, not a "
				"subsystem's: focus a window of a subsystem started with --gui",
				app_id);
	snprintf(prefix, sizeof(prefix), "vos.%s.", name);
	if (strncmp(app_id, prefix, strlen(prefix)))
		return cli_fail(
			e, EXIT_NAME,
			"--focused: the focused window (pid %ld) is %s's but its app_id '%s' "
			"lacks the prefix %s: report this as a bug",
			pid, name, app_id, prefix);
	return 0;
}
