// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Desktop entries: parsing, the Exec command line and the exported entry
 * (desktop.h says what each function promises).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "desktop.h"

int desktop_id_check(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n >= DESKTOP_ID_MAX || !isalnum((unsigned char)id[0]))
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._-", id[i]))
			return -1;
	return 0;
}

void desktop_entry_clear(struct desktop_entry *d)
{
	free(d->name);
	free(d->exec);
	free(d->icon);
	free(d->mimetype);
	free(d->categories);
	free(d->type);
	d->name = d->exec = d->icon = d->mimetype = d->categories = d->type = NULL;
}

bool desktop_is_app(const struct desktop_entry *d)
{
	return d->type && strcmp(d->type, "Application") == 0 && !d->hidden;
}

/* The string escapes of a value (\s \n \t \r \\); NULL with @e on another one */
static char *unescape(const char *v, size_t n, unsigned int line, struct cli_err *e)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out) {
		cli_fail(e, EXIT_FAIL, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (v[i] != '\\') {
			*o++ = v[i];
			continue;
		}
		switch (i + 1 < n ? v[++i] : '\0') {
		case 's':
			*o++ = ' ';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case ';':
			/* kept for the lists (MimeType, Categories), which refuse it */
			*o++ = '\\';
			*o++ = ';';
			break;
		default:
			free(out);
			cli_fail(e, EXIT_FAIL, "line %u: an unknown escape '\\%c' in a value", line,
				 i < n ? v[i] : ' ');
			return NULL;
		}
	}
	*o = '\0';
	return out;
}

static int set_bool(bool *b, const char *v, unsigned int line, const char *key, struct cli_err *e)
{
	if (strcmp(v, "true") == 0)
		*b = true;
	else if (strcmp(v, "false") == 0)
		*b = false;
	else
		return cli_fail(e, EXIT_FAIL, "line %u: %s is '%s', not true or false", line, key,
				v);
	return 0;
}

int desktop_parse(struct desktop_entry *d, const char *buf, size_t len, struct cli_err *e)
{
	static const char *const keys[] = { "Name",	 "Exec",   "Icon", "MimeType", "Categories",
					    "NoDisplay", "Hidden", "Type", "Terminal" };
	bool seen[sizeof(keys) / sizeof(keys[0])] = { false };
	const char *p = buf, *end = buf + len;
	bool in_main = false, any_group = false;
	unsigned int line = 0;

	memset(&d->name, 0, sizeof(*d) - offsetof(struct desktop_entry, name));
	if (memchr(buf, '\0', len))
		return cli_fail(e, EXIT_FAIL, "a NUL byte in the file");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *eq, *k, *ke, *v;
		size_t i;
		char *val;
		bool b = false;

		line++;
		k = p;
		p = nl ? nl + 1 : end;
		while (k < le && (*k == ' ' || *k == '\t'))
			k++;
		if (k == le || *k == '#')
			continue;
		if (*k == '[') {
			const char *close = memchr(k, ']', (size_t)(le - k));

			if (!close || close + 1 != le)
				return cli_fail(e, EXIT_FAIL, "line %u: a bad group header", line);
			if (!any_group && strncmp(k, "[Desktop Entry]", 15) != 0)
				return cli_fail(e, EXIT_FAIL,
						"line %u: the first group is not [Desktop Entry]",
						line);
			if (any_group && strncmp(k, "[Desktop Entry]", 15) == 0 && close - k == 14)
				return cli_fail(e, EXIT_FAIL, "line %u: [Desktop Entry] twice",
						line);
			in_main = !any_group;
			any_group = true;
			continue;
		}
		if (!any_group)
			return cli_fail(e, EXIT_FAIL, "line %u: a key before [Desktop Entry]",
					line);
		eq = memchr(k, '=', (size_t)(le - k));
		if (!eq)
			return cli_fail(e, EXIT_FAIL, "line %u: neither KEY=VALUE nor a group",
					line);
		if (!in_main)
			continue;
		ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		v = eq + 1;
		while (v < le && (*v == ' ' || *v == '\t'))
			v++;
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strlen(keys[i]) == (size_t)(ke - k) &&
			    !memcmp(keys[i], k, (size_t)(ke - k)))
				break;
		if (i == sizeof(keys) / sizeof(keys[0]))
			continue; /* another key, or a translation (Name[de]) */
		if (seen[i])
			return cli_fail(e, EXIT_FAIL, "line %u: %s given twice", line, keys[i]);
		seen[i] = true;
		val = unescape(v, (size_t)(le - v), line, e);
		if (!val)
			return e->code;
		switch (i) {
		case 5:
		case 6:
		case 8:
			if (set_bool(&b, val, line, keys[i], e)) {
				free(val);
				return e->code;
			}
			*(i == 5 ? &d->nodisplay : i == 6 ? &d->hidden : &d->terminal) = b;
			free(val);
			break;
		default: {
			char **slot[] = { &d->name,	  &d->exec, &d->icon, &d->mimetype,
					  &d->categories, NULL,	    NULL,     &d->type };

			*slot[i] = val;
		}
		}
	}
	if (!any_group)
		return cli_fail(e, EXIT_FAIL, "no [Desktop Entry] group");
	return 0;
}

void desktop_argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* Outside quotes, a shell would read these: the specification says to quote them */
static const char reserved[] = "\t\n\"'\\><~|&;$*?#()`";

int desktop_exec_split(const char *exec, char ***argvp, struct cli_err *e)
{
	size_t n = 0, len = strlen(exec);
	char **argv = calloc(len / 2 + 2, sizeof(*argv));
	const char *p = exec;

	*argvp = NULL;
	if (!argv)
		return cli_fail(e, EXIT_FAIL, "out of memory");
	for (;;) {
		char *arg, *o;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		arg = malloc(strlen(p) + 1);
		if (!arg) {
			desktop_argv_free(argv);
			return cli_fail(e, EXIT_FAIL, "out of memory");
		}
		argv[n++] = arg;
		o = arg;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\') {
					if (!p[1] || !strchr("\"`$\\", p[1]))
						goto bad_escape;
					p++;
				} else if (*p == '%') {
					desktop_argv_free(argv);
					return cli_fail(
						e, EXIT_FAIL,
						"Exec: a field code (%%) in quoted argument %zu",
						n);
				}
				*o++ = *p;
			}
			if (*p != '"' || (p[1] && p[1] != ' ')) {
				desktop_argv_free(argv);
				return cli_fail(e, EXIT_FAIL,
						"Exec: argument %zu is not quoted whole (\"...\")",
						n);
			}
			p++;
		} else {
			for (; *p && *p != ' '; p++) {
				if (strchr(reserved, *p)) {
					desktop_argv_free(argv);
					return cli_fail(
						e, EXIT_FAIL,
						"Exec: '%c' outside quotes in argument %zu: a shell would read it",
						*p, n);
				}
				*o++ = *p;
			}
		}
		*o = '\0';
	}
	if (n == 0) {
		free(argv);
		return cli_fail(e, EXIT_FAIL, "Exec is empty");
	}
	*argvp = argv;
	return 0;

bad_escape:
	desktop_argv_free(argv);
	return cli_fail(e, EXIT_FAIL, "Exec: a bad escape in quoted argument %zu", n);
}

static const char *base(const char *a)
{
	const char *s = strrchr(a, '/');

	return s ? s + 1 : a;
}

/*
 * A shell as @a, or as the first word of @a: a terminal's "-e 'sh -c x'"
 * or env's "-S 'sh -c x'" hands one argument to a shell or splits it
 */
static bool is_shell(const char *arg)
{
	char a[256];

	static const char *const shells[] = { "sh",  "bash", "dash", "zsh",  "ksh",	"mksh",
					      "ash", "csh",  "tcsh", "fish", "busybox", "rbash" };
	size_t i;

	snprintf(a, sizeof(a), "%.*s", (int)strcspn(arg, " \t"), arg);
	for (i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (strcmp(base(a), shells[i]) == 0)
			return true;
	return false;
}

/* An interpreter that runs code given with -c or -e */
static bool is_interpreter(const char *a)
{
	static const char *const prefixes[] = { "python", "perl", "ruby",  "node",
						"lua",	  "php",  "tclsh", "osascript" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(base(a), prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

int desktop_exec_check(char *const *argv, struct cli_err *e)
{
	size_t i;
	int files = 0;

	for (i = 0; argv[i]; i++) {
		const char *a = argv[i], *bad, *pc;

		if (is_shell(a))
			return cli_fail(
				e, EXIT_FAIL,
				"Exec runs a shell ('%s', argument %zu): a shell runs any command given to it",
				a, i + 1);
		if (strncmp(a, "-S", 2) == 0 || strncmp(a, "--split-string", 14) == 0)
			for (size_t j = 0; j < i; j++)
				if (strcmp(base(argv[j]), "env") == 0)
					return cli_fail(
						e, EXIT_FAIL,
						"Exec has env split a string into a command line ('%s')",
						a);
		if (i && is_interpreter(argv[i - 1]) &&
		    (strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0))
			return cli_fail(
				e, EXIT_FAIL,
				"Exec gives '%s' code to run ('%s'): that is a command line of its own",
				argv[i - 1], a);
		bad = strpbrk(a, ";|&$`<>\n");
		if (bad)
			return cli_fail(
				e, EXIT_FAIL,
				"Exec has '%s' in argument %zu: a shell would run more commands with it",
				*bad == '\n' ? "\\n" : (char[2]){ *bad, '\0' }, i + 1);
		for (pc = strchr(a, '%'); pc; pc = strchr(pc + 2, '%')) {
			switch (pc[1]) {
			case 'f':
			case 'u':
				files++;
				break;
			case 'F':
			case 'U':
				files++;
				if (pc != a || a[2])
					return cli_fail(e, EXIT_FAIL,
							"Exec: %%%c is not a whole argument (%zu)",
							pc[1], i + 1);
				break;
			case '%':
			case 'i':
			case 'c':
			case 'k':
			case 'd':
			case 'D':
			case 'n':
			case 'N':
			case 'v':
			case 'm':
				break;
			default:
				return cli_fail(e, EXIT_FAIL,
						"Exec: an unknown field code in argument %zu",
						i + 1);
			}
		}
	}
	if (files > 1)
		return cli_fail(e, EXIT_FAIL, "Exec has more than one of %%f %%F %%u %%U");
	return 0;
}

/* The first of %f %F %u %U in @argv ('f', 'F', 'u', 'U'), else 0 */
static int file_code(char *const *argv)
{
	size_t i;
	const char *pc;

	for (i = 0; argv[i]; i++)
		for (pc = strchr(argv[i], '%'); pc && pc[1]; pc = strchr(pc + 2, '%'))
			if (strchr("fFuU", pc[1]))
				return pc[1];
	return 0;
}

int desktop_exec_takes(char *const *argv)
{
	int c = file_code(argv);

	return c == 'f' || c == 'F' ? 'F' : c ? 'U' : 0;
}

int desktop_exec_expand(char *const *argv, char *const *args, size_t nargs, char ***outp,
			struct cli_err *e)
{
	size_t i, j, n = 0, cap = nargs + 1;
	int code = file_code(argv);
	char **out;

	*outp = NULL;
	for (i = 0; argv[i]; i++)
		cap++;
	if (nargs && !code)
		return cli_fail(
			e, EXIT_USAGE,
			"launch: this app takes no files or URLs: run it without arguments");
	if (nargs > 1 && (code == 'f' || code == 'u'))
		return cli_fail(
			e, EXIT_USAGE,
			"launch: this app takes one file or URL: give one, or launch it once each");
	out = calloc(cap, sizeof(*out));
	if (!out)
		return cli_fail(e, EXIT_FAIL, "out of memory");
	for (i = 0; argv[i]; i++) {
		const char *a = argv[i];
		size_t len = strlen(a) + 1;
		bool only_code = a[0] == '%' && a[1] && a[1] != '%' && !a[2];
		char *o;

		if (strcmp(a, "%F") == 0 || strcmp(a, "%U") == 0) {
			for (j = 0; j < nargs; j++)
				if (!(out[n++] = strdup(args[j])))
					goto nomem;
			continue;
		}
		if (only_code && !((a[1] == 'f' || a[1] == 'u') && nargs))
			continue; /* dropped whole */
		for (const char *pc = a; (pc = strchr(pc, '%')); pc += 2) {
			if (!pc[1])
				break;
			if (pc[1] == 'f' || pc[1] == 'u')
				len += nargs ? strlen(args[0]) : 0;
		}
		o = out[n++] = malloc(len);
		if (!o)
			goto nomem;
		while (*a) {
			if (a[0] != '%' || !a[1]) {
				*o++ = *a++;
				continue;
			}
			if (a[1] == '%') {
				*o++ = '%';
			} else if ((a[1] == 'f' || a[1] == 'u') && nargs) {
				strcpy(o, args[0]);
				o += strlen(args[0]);
			}
			a += 2;
		}
		*o = '\0';
	}
	if (n == 0) {
		desktop_argv_free(out);
		return cli_fail(e, EXIT_FAIL, "launch: Exec has nothing but field codes");
	}
	*outp = out;
	return 0;
nomem:
	desktop_argv_free(out);
	return cli_fail(e, EXIT_FAIL, "out of memory");
}

/* @s as a desktop entry string value */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* A ;-separated list whose items are made of @ok (and letters, digits) */
static int put_list(FILE *f, const char *key, const char *v, const char *ok, struct cli_err *e)
{
	const char *p;
	bool any = false;

	if (!v)
		return 0;
	for (p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(ok, *p) && *p != ';')
			return cli_fail(e, EXIT_FAIL,
					"%s has '%c', which virtos does not carry over", key, *p);
	for (p = v; *p; p++)
		if (*p != ';')
			any = true;
	if (!any)
		return 0;
	fprintf(f, "%s=%s%s\n", key, v, v[strlen(v) - 1] == ';' ? "" : ";");
	return 0;
}

int desktop_export_write(FILE *f, const struct desktop_entry *d, const char *subsys,
			 struct cli_err *e)
{
	char **argv;
	int takes, ret;

	if (!desktop_is_app(d))
		return cli_fail(e, EXIT_FAIL, "%s is not an application entry (Type=Application)",
				d->id);
	if (!d->name || !*d->name)
		return cli_fail(e, EXIT_FAIL, "%s has no Name", d->id);
	if (!d->exec)
		return cli_fail(e, EXIT_FAIL, "%s has no Exec", d->id);
	ret = desktop_exec_split(d->exec, &argv, e);
	if (ret)
		return ret;
	ret = desktop_exec_check(argv, e);
	takes = desktop_exec_takes(argv);
	desktop_argv_free(argv);
	if (ret)
		return ret;

	fputs("[Desktop Entry]\nType=Application\nName=", f);
	fprintf(f, "[%s] ", subsys);
	put_escaped(f, d->name);
	fprintf(f, "\nExec=vosctl launch %s %s%s\n", subsys, d->id,
		takes == 'F'   ? " %F"
		: takes == 'U' ? " %U"
			       : "");
	/* a theme icon's name; a path would name a file of the host here */
	if (d->icon && *d->icon && !strchr(d->icon, '/')) {
		fputs("Icon=", f);
		put_escaped(f, d->icon);
		fputc('\n', f);
	}
	ret = put_list(f, "MimeType", d->mimetype, "/.+-_", e);
	if (!ret)
		ret = put_list(f, "Categories", d->categories, "-_", e);
	if (ret)
		return ret;
	if (d->nodisplay)
		fputs("NoDisplay=true\n", f);
	/* the desktop then starts vosctl launch in a terminal, whose stdio the app gets */
	if (d->terminal)
		fputs("Terminal=true\n", f);
	fprintf(f, "X-Virtos-Subsystem=%s\nX-Virtos-Id=%s\n", subsys, d->id);
	return 0;
}
