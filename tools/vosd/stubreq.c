// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stubreq.c - parse and build a stub's request (stubreq.h). No library
 * but libc's string functions: linked into vos-stub, vos-run and the
 * unit test.
 */
#include <errno.h>
#include <string.h>

#include "stubreq.h"

int stubreq_locale(const char *e)
{
	const char *eq = strchr(e, '=');
	size_t n;

	if (!eq || eq == e)
		return 0;
	n = (size_t)(eq - e);
	return (n == 4 && !strncmp(e, "LANG", 4)) || (n == 8 && !strncmp(e, "LANGUAGE", 8)) ||
	       (n > 3 && !strncmp(e, "LC_", 3) &&
		strspn(e + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == n - 3);
}

int stubreq_var(const char *e)
{
	size_t n = strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");

	return n > 0 && e[n] == '=' && !(e[0] >= '0' && e[0] <= '9');
}

int stubreq_parse(char *buf, size_t len, struct stubreq *r, const char **why)
{
	size_t off = 0;
	int first = 1;

	memset(r, 0, sizeof(*r));
	if (len == 0 || len > STUBREQ_MAX || buf[len - 1] != '\0') {
		*why = "the request is empty, too long or does not end with a NUL";
		return len > STUBREQ_MAX ? -E2BIG : -EBADMSG;
	}
	while (off < len) {
		char *s = buf + off;
		size_t n = strlen(s);

		off += n + 1;
		if (first) {
			if (strcmp(s, STUBREQ_MAGIC)) {
				*why = "not a stub request (" STUBREQ_MAGIC ")";
				return -EBADMSG;
			}
			first = 0;
			continue;
		}
		switch (n ? s[0] : '\0') {
		case 'a':
			if (r->argc == STUBREQ_ARGS) {
				*why = "too many arguments";
				return -E2BIG;
			}
			r->argv[r->argc++] = s + 1;
			break;
		case 'e':
			if (r->envc == STUBREQ_ENVS) {
				*why = "too many variables";
				return -E2BIG;
			}
			if (!stubreq_locale(s + 1)) {
				*why = "only the locale (LANG, LANGUAGE, LC_*) is passed in";
				return -EPERM;
			}
			r->envp[r->envc++] = s + 1;
			break;
		case 'v':
			if (r->varc == STUBREQ_ENVS) {
				*why = "too many variables";
				return -E2BIG;
			}
			if (!stubreq_var(s + 1)) {
				*why = "a variable that is not NAME=VALUE with a shell name";
				return -EINVAL;
			}
			r->vars[r->varc++] = s + 1;
			break;
		case 'c':
			if (r->cwd || s[1] != '/') {
				*why = "a second or a relative working directory";
				return -EBADMSG;
			}
			r->cwd = s + 1;
			break;
		default:
			*why = "an empty or unknown string";
			return -EBADMSG;
		}
	}
	if (!r->argc || !r->argv[0][0]) {
		*why = "no command";
		return -EINVAL;
	}
	return 0;
}

/* Append @tag and @s with its NUL at *@off */
static int put(char *buf, size_t len, size_t *off, char tag, const char *s)
{
	size_t n = strlen(s);

	if (*off + (tag ? 1 : 0) + n + 1 > len)
		return -E2BIG;
	if (tag)
		buf[(*off)++] = tag;
	memcpy(buf + *off, s, n + 1);
	*off += n + 1;
	return 0;
}

int stubreq_build(char *buf, size_t len, char *const argv[], const char *cwd, char *const envp[],
		  char *const vars[])
{
	size_t off = 0;
	unsigned int i, ne = 0;
	int ret;

	if (len > STUBREQ_MAX)
		len = STUBREQ_MAX;
	ret = put(buf, len, &off, 0, STUBREQ_MAGIC);
	if (!ret && cwd && cwd[0] == '/')
		ret = put(buf, len, &off, 'c', cwd);
	for (i = 0; !ret && argv[i]; i++)
		ret = i < STUBREQ_ARGS ? put(buf, len, &off, 'a', argv[i]) : -E2BIG;
	for (i = 0; !ret && envp && envp[i]; i++)
		if (stubreq_locale(envp[i]) && ne++ < STUBREQ_ENVS)
			ret = put(buf, len, &off, 'e', envp[i]);
	for (i = 0; !ret && vars && vars[i]; i++)
		ret = !stubreq_var(vars[i]) ? -EINVAL
		      : i < STUBREQ_ENVS    ? put(buf, len, &off, 'v', vars[i])
					    : -E2BIG;
	return ret ? ret : (int)off;
}
