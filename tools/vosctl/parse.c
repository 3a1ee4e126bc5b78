// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Option values: each parser accepts one documented form and, on anything
 * else, says which option was wrong, what it got and what it accepts.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/wait.h>

#include <linux/vos.h>

#include <virtos.h>

#include "vosctl.h"

int cli_fail(struct cli_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

/* Largest memory limit we accept: 1 PiB, far above any machine, far below
 * overflow of the K/M/G multiplication.
 */
#define SIZE_MAX_BYTES (1ULL << 50)
/* cgroup v2 memory.max needs room for the kernel and the app: 1 MiB floor */
#define SIZE_MIN_BYTES (1ULL << 20)

int parse_size(struct cli_err *e, const char *opt, const char *s, uint64_t *out)
{
	unsigned long long v;
	uint64_t mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	default:
		goto bad;
	}
	if (*end)
		goto bad;
	if (v > SIZE_MAX_BYTES / mult)
		return cli_fail(e, EXIT_USAGE, "%s: '%s' is too large: use at most 1048576G", opt,
				s);
	if (v * mult < SIZE_MIN_BYTES)
		return cli_fail(e, EXIT_USAGE, "%s: '%s' is too small: use at least 1M", opt, s);
	*out = v * mult;
	return 0;
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a size: use a number with an optional K, M or G suffix, e.g. 512M",
		opt, s ? s : "");
}

/* Up to 1024 CPUs with three decimals: "2", "0.5", "1.25". */
#define CPUS_MAX 1024

int parse_cpus(struct cli_err *e, const char *opt, const char *s, uint32_t *milli)
{
	uint64_t whole = 0, frac = 0;
	int ndig = 0, nfrac = 0;
	const char *p = s;

	if (!s)
		goto bad;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > CPUS_MAX)
			goto range;
		ndig++;
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++) {
			if (++nfrac > 3)
				return cli_fail(
					e, EXIT_USAGE,
					"%s: '%s' has more than 3 decimals: use e.g. 0.5, 1.25 or 2",
					opt, s);
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (!nfrac)
			goto bad;
	}
	if (*p || (!ndig && !nfrac))
		goto bad;
	while (nfrac++ < 3)
		frac *= 10;
	if (whole * 1000 + frac == 0)
		return cli_fail(e, EXIT_USAGE,
				"%s: '%s' allows no CPU time: use a positive number, e.g. 0.5", opt,
				s);
	if (whole * 1000 + frac > CPUS_MAX * 1000)
		goto range;
	*milli = (uint32_t)(whole * 1000 + frac);
	return 0;
range:
	return cli_fail(e, EXIT_USAGE, "%s: '%s' is too large: use at most %d", opt, s, CPUS_MAX);
bad:
	return cli_fail(e, EXIT_USAGE,
			"%s: '%s' is not a CPU count: use a decimal number such as 0.5, 1.25 or 2",
			opt, s ? s : "");
}

/* PID_MAX_LIMIT on 64-bit */
#define PIDS_MAX 4194304

int parse_pids(struct cli_err *e, const char *opt, const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		goto bad;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end)
		goto bad;
	if (v == 0)
		goto bad;
	if (v > PIDS_MAX)
		return cli_fail(e, EXIT_USAGE, "%s: '%s' is too large: use at most %d", opt, s,
				PIDS_MAX);
	*out = (uint32_t)v;
	return 0;
bad:
	return cli_fail(e, EXIT_USAGE, "%s: '%s' is not a positive integer: use e.g. 64", opt,
			s ? s : "");
}

/* CAP_NET_RAW, cap_net_raw, NET_RAW and net_raw all name the same one. */
int parse_cap(struct cli_err *e, const char *opt, const char *s, int *cap)
{
	char buf[64];
	cap_value_t v;
	size_t i, n;

	if (!s || !*s || strlen(s) >= sizeof(buf) - 4)
		goto bad;
	n = 0;
	if (strncasecmp(s, "cap_", 4) != 0) {
		memcpy(buf, "cap_", 4);
		n = 4;
	}
	for (i = 0; s[i]; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			goto bad;
		buf[n++] = (char)tolower((unsigned char)s[i]);
	}
	buf[n] = '\0';
	if (cap_from_name(buf, &v) != 0)
		goto bad;
	*cap = v;
	return 0;
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a capability: use a name from capabilities(7), e.g. CAP_NET_RAW or net_raw",
		opt, s ? s : "");
}

/* As the kernel checks it (uapi VOS_NAME_MAX). */
int parse_name(struct cli_err *e, const char *opt, const char *s)
{
	size_t i, len = s ? strlen(s) : 0;

	if (len == 0 || len >= VOS_NAME_MAX)
		goto bad;
	if (!isalnum((unsigned char)s[0]) || (signed char)s[0] < 0)
		goto bad;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || !(isalnum(c) || c == '_' || c == '.' || c == '-'))
			goto bad;
	}
	return 0;
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a valid name: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit",
		opt, s ? s : "", VOS_NAME_MAX - 1);
}

/* RFC 1123 host name: labels of [A-Za-z0-9-], at most 64 bytes (HOST_NAME_MAX). */
int parse_hostname(struct cli_err *e, const char *opt, const char *s)
{
	size_t i, len = s ? strlen(s) : 0, label = 0;

	if (len == 0 || len > 64)
		goto bad;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				goto bad;
			label = 0;
			continue;
		}
		if (c >= 0x80 || !(isalnum(c) || c == '-'))
			goto bad;
		if (c == '-' && label == 0)
			goto bad;
		label++;
	}
	if (label == 0)
		goto bad;
	return 0;
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a host name: use up to 64 letters, digits, '-' and '.', e.g. web1",
		opt, s ? s : "");
}

int parse_path(struct cli_err *e, const char *opt, const char *s)
{
	if (!s || s[0] != '/')
		return cli_fail(e, EXIT_USAGE,
				"%s: '%s' is not an absolute path: use a path starting with '/'",
				opt, s ? s : "");
	if (strlen(s) >= PATH_MAX)
		return cli_fail(e, EXIT_USAGE,
				"%s: path is longer than %d bytes: use a shorter one", opt,
				PATH_MAX - 1);
	return 0;
}

/* --ro/--rw SRC[:DEST] (DEST defaults to SRC), --tmpfs DEST */
int parse_bind(struct cli_err *e, const char *opt, const char *s, enum cli_bind_type type,
	       struct cli_spec *spec)
{
	struct cli_bind *b;
	char *buf, *colon;

	if (spec->nbinds >= CLI_MAX_BINDS)
		return cli_fail(e, EXIT_USAGE,
				"%s: more than %d mounts: combine them under fewer directories",
				opt, CLI_MAX_BINDS);
	buf = spec->bindbuf[spec->nbinds];
	if (!s || strlen(s) >= sizeof(spec->bindbuf[0]))
		goto bad;
	strcpy(buf, s);
	b = &spec->binds[spec->nbinds];
	b->type = type;
	if (type == BIND_TMPFS) {
		if (parse_path(e, opt, buf))
			return EXIT_USAGE;
		b->src = NULL;
		b->dest = buf;
	} else {
		colon = strchr(buf, ':');
		if (colon) {
			*colon = '\0';
			b->dest = colon + 1;
			if (strchr(b->dest, ':'))
				goto bad;
		} else {
			b->dest = buf;
		}
		b->src = buf;
		if (b->src[0] != '/' || b->dest[0] != '/')
			goto bad;
	}
	spec->nbinds++;
	return 0;
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not SRC[:DEST]: use absolute paths, e.g. /srv/data or /srv/data:/mnt",
		opt, s ? s : "");
}

static const struct {
	const char *name;
	int sig;
} signames[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },	  { "QUIT", SIGQUIT },	 { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM },	 { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "ALRM", SIGALRM }, { "WINCH", SIGWINCH },
};

/* TERM, SIGTERM or 15 */
int parse_signal(struct cli_err *e, const char *opt, const char *s, int *sig)
{
	const char *n = s;
	unsigned long v;
	char *end;
	size_t i;

	if (!s || !*s)
		goto bad;
	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || *end || v < 1 || v >= (unsigned long)SIGRTMAX + 1)
			goto bad;
		*sig = (int)v;
		return 0;
	}
	if (strncasecmp(n, "SIG", 3) == 0)
		n += 3;
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++) {
		if (strcasecmp(n, signames[i].name) == 0) {
			*sig = signames[i].sig;
			return 0;
		}
	}
bad:
	return cli_fail(
		e, EXIT_USAGE,
		"%s: '%s' is not a signal: use a name such as TERM, SIGKILL or a number 1-%d", opt,
		s ? s : "", SIGRTMAX);
}

/* vsock, AF_VSOCK or 40 (the library's table: socket(2) family names) */
int parse_socket_family(struct cli_err *e, const char *opt, const char *s, int *family)
{
	int f = vos_socket_family_from_name(s);

	if (f < 0)
		return cli_fail(
			e, EXIT_USAGE,
			"%s: '%s' is not a socket family: use a name such as vsock, packet, alg, bluetooth, netlink or a number 1-%d",
			opt, s ? s : "", VOS_SOCKET_FAMILY_MAX - 1);
	*family = f;
	return 0;
}

/* NAME=VALUE (--env) or NAME (--keep-env), NAME of [A-Za-z0-9_] */
int parse_env(struct cli_err *e, const char *opt, const char *s, bool with_value)
{
	size_t i, n = s ? strcspn(s, "=") : 0;

	if (!s || n == 0 || isdigit((unsigned char)s[0]) || (with_value != (s[n] == '=')))
		goto bad;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			goto bad;
	return 0;
bad:
	return cli_fail(e, EXIT_USAGE, "%s: '%s' is not %s: use e.g. %s", opt, s ? s : "",
			with_value ? "NAME=VALUE" : "a variable NAME",
			with_value ? "LANG=C.UTF-8" : "SSH_AUTH_SOCK");
}

void spec_init(struct cli_spec *spec)
{
	memset(spec, 0, offsetof(struct cli_spec, bindbuf));
}

int cli_wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_FAIL;
}

const char spec_help[] =
	"Isolation (strict by default; each option relaxes or limits one thing):\n"
	"  --isolate           the full strict recipe (the default; accepted for clarity)\n"
	"  --root              run as root inside (uid 0 of the subsystem's own\n"
	"                      private host id range, never a host user)\n"
	"  --as-user           run with your own host uid and gid instead of a\n"
	"                      private range (under sudo: host root, no capabilities)\n"
	"  --hostname H        host name inside (default: the subsystem name)\n"
	"  --rootfs DIR        use DIR as the root (read-only) instead of the host's\n"
	"                      system directories (/usr /etc /opt /bin /sbin /lib*)\n"
	"  --host-root         show the whole host root read-only (its UNIX sockets\n"
	"                      outside /run and /tmp become reachable)\n"
	"  --ro SRC[:DEST]     bind SRC read-only at DEST (default DEST = SRC)\n"
	"  --rw SRC[:DEST]     bind SRC read-write at DEST\n"
	"  --tmpfs DEST        an empty private tmpfs at DEST\n"
	"  --memory SIZE|max   memory limit, e.g. 512M (K, M or G suffix);\n"
	"                      default half of RAM, max: none\n"
	"  --cpus N[.N]        CPU limit in CPUs, e.g. 0.5 or 2\n"
	"  --pids N|max        most processes/threads at once; default an\n"
	"                      eighth of kernel.threads-max (64..32768)\n"
	"  --tmpfs-size SIZE|max  size of each tmpfs (/tmp, /var/tmp, /run,\n"
	"                      /dev/shm, --tmpfs); default an eighth of RAM\n"
	"  --cap-add CAP       keep capability CAP inside (repeatable), e.g. NET_RAW\n"
	"  --share-net         no network namespace: use the host network\n"
	"  --allow-socket FAM  let socket() reach family FAM (repeatable), e.g.\n"
	"                      vsock, packet, alg, bluetooth, or netlink / inet /\n"
	"                      inet6 with every protocol (by default: unix, inet\n"
	"                      and inet6 for TCP/UDP/ICMP, netlink for routes)\n"
	"  --as-pid1           the app is pid 1 (no mini init reaping zombies)\n"
	"  --persistent        the subsystem outlives vosctl until 'vosctl rm'\n";

int spec_option(struct cli_err *e, struct cli_spec *spec, int c, const char *arg)
{
	switch (c) {
	case OPT_ISOLATE:
		return 1;
	case OPT_ROOT:
		spec->root = true;
		return 1;
	case OPT_HOSTNAME:
		if (parse_hostname(e, "--hostname", arg))
			return EXIT_USAGE;
		spec->hostname = arg;
		return 1;
	case OPT_ROOTFS:
		if (parse_path(e, "--rootfs", arg))
			return EXIT_USAGE;
		if (spec->host_root)
			goto root_conflict;
		spec->rootfs = arg;
		return 1;
	case OPT_AS_USER:
		spec->as_user = true;
		return 1;
	case OPT_HOST_ROOT:
		if (spec->rootfs)
			goto root_conflict;
		spec->host_root = true;
		return 1;
	case OPT_RO:
		return parse_bind(e, "--ro", arg, BIND_RO, spec) ? EXIT_USAGE : 1;
	case OPT_RW:
		return parse_bind(e, "--rw", arg, BIND_RW, spec) ? EXIT_USAGE : 1;
	case OPT_TMPFS:
		return parse_bind(e, "--tmpfs", arg, BIND_TMPFS, spec) ? EXIT_USAGE : 1;
	case OPT_MEMORY:
		if (arg && !strcmp(arg, "max")) {
			spec->memory = CLI_LIMIT_MAX;
			return 1;
		}
		return parse_size(e, "--memory", arg, &spec->memory) ? EXIT_USAGE : 1;
	case OPT_TMPFS_SIZE:
		if (arg && !strcmp(arg, "max")) {
			spec->tmpfs_size = CLI_LIMIT_MAX;
			return 1;
		}
		return parse_size(e, "--tmpfs-size", arg, &spec->tmpfs_size) ? EXIT_USAGE : 1;
	case OPT_CPUS:
		return parse_cpus(e, "--cpus", arg, &spec->cpu_milli) ? EXIT_USAGE : 1;
	case OPT_PIDS:
		if (arg && !strcmp(arg, "max")) {
			spec->pids = CLI_PIDS_MAX;
			return 1;
		}
		return parse_pids(e, "--pids", arg, &spec->pids) ? EXIT_USAGE : 1;
	case OPT_CAP_ADD:
		if (spec->ncaps >= CLI_MAX_CAPS)
			return cli_fail(e, EXIT_USAGE,
					"--cap-add: too many capabilities: give each at most once");
		if (parse_cap(e, "--cap-add", arg, &spec->caps[spec->ncaps]))
			return EXIT_USAGE;
		spec->ncaps++;
		return 1;
	case OPT_SHARE_NET:
		spec->share_net = true;
		return 1;
	case OPT_ALLOW_SOCKET: {
		int f;

		if (parse_socket_family(e, "--allow-socket", arg, &f))
			return EXIT_USAGE;
		spec->socket_families |= 1ULL << f;
		return 1;
	}
	case OPT_AS_PID1:
		spec->as_pid1 = true;
		return 1;
	case OPT_PERSISTENT:
		spec->persistent = true;
		return 1;
	}
	return 0;
root_conflict:
	return cli_fail(e, EXIT_USAGE,
			"--rootfs and --host-root both choose the root: give one of them");
}
