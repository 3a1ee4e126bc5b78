// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * parse.c - the pure parsers behind the option values: sizes, CPU counts,
 * counts, subsystem names, capability and socket family names. No context,
 * no messages: the setters in options.c and config.c turn a refusal into
 * the option's message. Each accepts one documented form and nothing else
 * (no whitespace, no signs, no hex), so that a value means the same to
 * every front end.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "private.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII only: isalnum() would follow the caller's locale */
static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

VOS_EXPORT int vos_name_check(const char *name)
{
	size_t i, n;

	if (!name)
		return -EINVAL;
	n = strlen(name);
	if (n < 1 || n >= VOS_NAME_MAX)
		return -EINVAL;
	if (!is_alnum(name[0]))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!is_alnum(name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
			return -EINVAL;
	return 0;
}

bool vos_hostname_ok(const char *h, bool *long_label)
{
	size_t i, n = h ? strlen(h) : 0, label = 0;

	*long_label = false;
	if (n < 1 || n > 64)
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || h[i] == '.') {
			/* a label: 1..63 characters, no '-' at either end */
			if (label == 0 || h[i - 1] == '-')
				return false;
			if (label > 63)
				*long_label = true;
			label = 0;
			continue;
		}
		if (!is_alnum(h[i]) && h[i] != '-')
			return false;
		if (h[i] == '-' && label == 0)
			return false;
		label++;
	}
	return !*long_label;
}

VOS_EXPORT int vos_parse_count(const char *s, uint64_t *n)
{
	uint64_t v = 0;

	if (!s || !n || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v == 0)
		return -EINVAL;
	*n = v;
	return 0;
}

int vos_size_parse(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!s || !is_digit(*p))
		return -EINVAL;
	for (; is_digit(*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		p++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		p++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		p++;
		break;
	default:
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*bytes = v * mul;
	return 0;
}

VOS_EXPORT int vos_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v;
	int r;

	if (!bytes)
		return -EINVAL;
	r = vos_size_parse(s, &v);
	if (r < 0)
		return r;
	if (v == 0)
		return -EINVAL;
	*bytes = v;
	return 0;
}

int vos_cpus_parse(const char *s, uint32_t *milli)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!s || !is_digit(*p))
		return -EINVAL;
	for (; is_digit(*p); p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > VOS_CPUS_MAX)
			return -ERANGE;
	}
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return -EINVAL;
		for (; is_digit(*p); p++) {
			if (++digits > 3)
				return -EDOM; /* finer than a thousandth */
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*p)
		return -EINVAL;
	whole = whole * 1000 + frac;
	if (whole > VOS_CPUS_MAX * 1000)
		return -ERANGE;
	*milli = (uint32_t)whole;
	return 0;
}

VOS_EXPORT int vos_parse_cpus(const char *s, uint32_t *milli)
{
	uint32_t v;
	int r;

	if (!milli)
		return -EINVAL;
	r = vos_cpus_parse(s, &v);
	if (r == -EDOM || (r == 0 && v == 0))
		return -EINVAL;
	if (r < 0)
		return r;
	*milli = v;
	return 0;
}

VOS_EXPORT int vos_cap_from_name(const char *name)
{
	char buf[64];
	cap_value_t v;
	uint64_t n;
	size_t i;

	if (!name || !*name || strlen(name) >= sizeof(buf) - 4)
		return -EINVAL;
	if (strcmp(name, "0") == 0)
		return 0;
	if (vos_parse_count(name, &n) == 0)
		return n > CAP_LAST_CAP ? -EINVAL : (int)n;
	/* one name: libcap would stop at a ',' and take what came before */
	for (i = 0; name[i]; i++)
		if (!is_alnum(name[i]) && name[i] != '_')
			return -EINVAL;
	if (strncasecmp(name, "cap_", 4) == 0)
		snprintf(buf, sizeof(buf), "%s", name);
	else
		snprintf(buf, sizeof(buf), "cap_%s", name);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	if (cap_from_name(buf, &v) < 0)
		return -EINVAL;
	if (v < 0 || v > 63)
		return -EINVAL;
	return (int)v;
}

/* Socket family names as in socket(2) and address_families(7), AF_ left out. */
static const struct {
	const char *name;
	int family;
} af_names[] = {
	{ "unix", 1 },	      { "local", 1 },	  { "inet", 2 },      { "ax25", 3 },
	{ "ipx", 4 },	      { "appletalk", 5 }, { "netrom", 6 },    { "bridge", 7 },
	{ "atmpvc", 8 },      { "x25", 9 },	  { "inet6", 10 },    { "rose", 11 },
	{ "decnet", 12 },     { "netbeui", 13 },  { "security", 14 }, { "key", 15 },
	{ "netlink", 16 },    { "packet", 17 },	  { "ash", 18 },      { "econet", 19 },
	{ "atmsvc", 20 },     { "rds", 21 },	  { "sna", 22 },      { "irda", 23 },
	{ "pppox", 24 },      { "wanpipe", 25 },  { "llc", 26 },      { "ib", 27 },
	{ "mpls", 28 },	      { "can", 29 },	  { "tipc", 30 },     { "bluetooth", 31 },
	{ "iucv", 32 },	      { "rxrpc", 33 },	  { "isdn", 34 },     { "phonet", 35 },
	{ "ieee802154", 36 }, { "caif", 37 },	  { "alg", 38 },      { "nfc", 39 },
	{ "vsock", 40 },      { "kcm", 41 },	  { "qipcrtr", 42 },  { "smc", 43 },
	{ "xdp", 44 },	      { "mctp", 45 },
};

VOS_EXPORT int vos_socket_family_from_name(const char *name)
{
	uint64_t n;
	size_t i;

	if (!name || !*name)
		return -EINVAL;
	if (vos_parse_count(name, &n) == 0)
		return n < VOS_SOCKET_FAMILY_MAX ? (int)n : -EINVAL;
	if (strncasecmp(name, "af_", 3) == 0 || strncasecmp(name, "pf_", 3) == 0)
		name += 3;
	for (i = 0; i < sizeof(af_names) / sizeof(af_names[0]); i++)
		if (strcasecmp(name, af_names[i].name) == 0)
			return af_names[i].family;
	return -EINVAL;
}

/* "yes"/"no" and their usual spellings, as systemd and nspawn files take them */
int vos_bool_parse(const char *s)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; s && i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -EINVAL;
}
