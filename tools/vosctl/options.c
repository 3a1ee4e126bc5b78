// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The isolation options of run and create, from libvirtos's table
 * (vos_options()): getopt's long options and the --help lines are made
 * from its rows, and a value goes to vos_config_set_option() as the user
 * wrote it. vosctl has no rule or message of its own for them, so they
 * cannot drift from the library's (or from a definition file's, which
 * uses the same table).
 */
#include <string.h>

#include <virtos.h>

#include "common.h"

int cli_longopts(struct option *out, size_t max, const struct option *own)
{
	const struct vos_option *o;
	size_t n, i, j, k = 0;

	o = vos_options(&n);
	for (i = 0; i < n && k + 1 < max; i++, k++) {
		out[k].name = o[i].name;
		out[k].has_arg = o[i].arg ? required_argument : no_argument;
		out[k].flag = NULL;
		out[k].val = OPT_LIB + (int)i;
	}
	for (j = 0; own[j].name && k + 1 < max; j++)
		out[k++] = own[j];
	memset(&out[k], 0, sizeof(out[k]));
	/* a table too long for @out would lose options: a vosctl bug */
	return i < n || own[j].name ? -1 : 0;
}

int cli_lib_option(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, int c,
		   const char *arg)
{
	const struct vos_option *o;
	size_t n;
	int ret;

	o = vos_options(&n);
	if (c < OPT_LIB || c >= OPT_LIB + (int)n)
		return 0;
	o += c - OPT_LIB;
	ret = vos_config_set_option(cfg, o->name, o->arg ? arg : NULL);
	if (ret)
		return lib_usage(e, vctx, ret);
	return 1;
}

bool cli_is_option(int c, const char *name)
{
	const struct vos_option *o = vos_option_find(name);

	return o && c == OPT_LIB + (int)(o - vos_options(NULL));
}

/* --help: "  --NAME ARG" and the help from column 22, wrapped before 80 */
#define HELP_COL   22
#define HELP_WIDTH 78

static void wrap(FILE *f, const char *text, size_t col)
{
	const char *p = text;
	size_t w;

	while (*p) {
		w = strcspn(p, " ");
		if (col > HELP_COL && col + 1 + w > HELP_WIDTH) {
			fputc('\n', f);
			col = 0;
		}
		if (col < HELP_COL) {
			fprintf(f, "%*s", (int)(HELP_COL - col), "");
			col = HELP_COL;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		for (p += w; *p == ' '; p++)
			;
	}
	fputc('\n', f);
}

void cli_print_options(FILE *f)
{
	const struct vos_option *o;
	size_t n, i;
	int col;

	o = vos_options(&n);
	fputs("Isolation (strict by default; each option relaxes or limits one thing):\n", f);
	for (i = 0; i < n; i++) {
		col = fprintf(f, "  --%s%s%s", o[i].name, o[i].arg ? " " : "",
			      o[i].arg ? o[i].arg : "");
		/* at least three spaces before the help, or a line of its own */
		if (col > HELP_COL - 3) {
			fputc('\n', f);
			col = 0;
		}
		wrap(f, o[i].help, col < 0 ? 0 : (size_t)col);
	}
}
