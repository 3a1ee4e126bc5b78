/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vosctl internals: the command table, the error contract and the pure
 * helpers (the isolation options from libvirtos's table, the values only
 * vosctl has, JSON) that the unit tests exercise without a module.
 *
 * Error contract (crun style): a command never prints to stderr. It returns
 * an exit status and, on failure, fills a struct cli_err with one line of
 * the form "<what went wrong>: <what to do>"; main() prints it as
 * "vosctl: <line>". Data (tables, JSON) goes to the FILE *out of the
 * context, which is stdout in vosctl and a memory stream in tests.
 */
#ifndef VOSCTL_H
#define VOSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <getopt.h>

/* Exit statuses of vosctl's own failures; anything else is the app's. */
enum {
	EXIT_NAME = 121,     /* name taken, or no such subsystem */
	EXIT_PERM = 122,     /* permission denied */
	EXIT_NOMOD = 123,    /* vos.ko not loaded / device unavailable */
	EXIT_USAGE = 124,    /* bad usage or option value */
	EXIT_FAIL = 125,     /* general or internal failure */
	EXIT_NOEXEC = 126,   /* command found but not executable */
	EXIT_NOTFOUND = 127, /* command not found */
	EXIT_POLICY = 1,     /* policy lint found problems */
	EXIT_DENIED = 126,   /* call: denied by policy (vos-call's code too) */
};

#define CLI_ERR_MAX 512

struct cli_err {
	int code;	       /* exit status to return, 0 if none */
	char msg[CLI_ERR_MAX]; /* "<what went wrong>: <what to do>" */
};

/* Fill @e and return its code. */
int cli_fail(struct cli_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* What the failing library call was doing: decides the message and code. */
enum cli_op {
	OP_DEVICE, /* opening /dev/vos or the netlink family */
	OP_CREATE, /* creating a subsystem */
	OP_OPEN,   /* opening an existing subsystem by name */
	OP_SPAWN,  /* starting the isolated init/app */
	OP_EXEC,   /* running a command inside an existing subsystem */
	OP_SIGNAL, /* signalling or ending a subsystem */
	OP_LIST,   /* listing / inspecting subsystems */
	OP_EVENTS, /* subscribing to events */
	OP_WAIT,   /* waiting for the app */
	OP_RULE,   /* parsing a rule or fitting it into a set: the library's message is the line */
	OP_RULES,  /* reading or replacing a subsystem's rules */
	OP_CLIP,   /* the clipboard: a subsystem's own, or vos.ko's slot */
};

/*
 * Map a libvirtos failure to an exit code and a user-actionable line in @e:
 * its error class (enum vos_errclass) alone decides the code; @op, the
 * negative errno @err and the message @libmsg (may be NULL or empty) only
 * word the line, which quotes @libmsg. @subject is the subsystem name (the
 * command for VOS_ERR_NOCMD/VOS_ERR_NOEXEC), may be NULL. Returns the code.
 */
int cli_errmap(struct cli_err *e, enum cli_op op, int err, int errclass, const char *subject,
	       const char *libmsg);

/*
 * The app's execve() failed with @err: 127 (not found) or 126 (not
 * executable), with a message naming @cmd.
 */
int cli_exec_errmap(struct cli_err *e, int err, const char *cmd);

/* ---- values only vosctl has (parse.c); each returns 0 or EXIT_USAGE with @e set ---- */

/* A subsystem NAME given as an argument (its rule: vos_name_check()) */
int parse_name(struct cli_err *e, const char *opt, const char *s);
int parse_signal(struct cli_err *e, const char *opt, const char *s, int *sig);
/* A positive integer up to @max (--count, --timeout) */
int parse_count(struct cli_err *e, const char *opt, const char *s, uint32_t max, uint32_t *out);

/* Long-only option codes of the commands' own options (above any char). */
enum {
	OPT_NAME = 256,
	OPT_RM,
	OPT_JSON,
	OPT_FORCE,
	OPT_SIGNAL,
	OPT_TIMEOUT,
	OPT_HELP,
	OPT_TTY,
	OPT_NO_TTY,
	OPT_COUNT,
	OPT_QUIET,
	OPT_ENV,
	OPT_KEEP_ENV,
	OPT_BEFORE,
	/* the subsystem definitions (issue 14) */
	OPT_ALL,
	OPT_CONFIG_DIR,
	OPT_PROFILE_DIR,
	OPT_DISPOSABLE,
	OPT_AUTOSTART,
	OPT_RESTART_CHANGED,
	OPT_PROFILE,
	OPT_CGROUP_PARENT,
	OPT_VERBOSE,
};

/* ---- the isolation options of run and create (options.c) ---- */

struct vos_ctx;
struct vos_config;

/* The getopt code of the library's option in row i of vos_options() */
#define OPT_LIB 512
/* Room for them and a command's own options */
#define CLI_MAX_LONGOPTS 64

/*
 * getopt_long's table: the library's isolation options, then @own (ended
 * by a zeroed entry), then a zeroed entry, into @out (@max entries).
 * Returns 0, or -1 if they did not all fit.
 */
int cli_longopts(struct option *out, size_t max, const struct option *own);
/*
 * If @c is the code of one of the library's options, set it to @arg in
 * @cfg: 1 if set, EXIT_USAGE with the library's message in @e for a bad
 * value (another code for another failure). 0 if @c is not one of them.
 */
int cli_lib_option(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, int c,
		   const char *arg);
/* Is @c the code of the library's option @name ("persistent")? */
bool cli_is_option(int c, const char *name);
/* Their help, one entry per row of the table, as run and create --help show it */
void cli_print_options(FILE *f);

/* ---- JSON (json.c) ---- */
void json_str(FILE *f, const char *s); /* "..." with escapes */
void json_strn(FILE *f, const char *s, size_t n);

/* ---- commands ---- */
struct cli_ctx {
	FILE *out;	    /* data */
	const char *device; /* VOSCTL_DEVICE or NULL for the default */
	const char *prog;   /* "vosctl" */
};

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
	const char *usage;   /* one line: arguments after the verb */
	const char *summary; /* one line */
	const char *help;    /* options, for `vosctl VERB --help` */
};

extern const struct cli_cmd cli_cmds[];
const struct cli_cmd *cli_find(const char *name);

int cmd_run(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_create(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_exec(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_ls(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_stop(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_rm(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_events(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_log(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_version(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_clip(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_open(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_firewall(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_help(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_policy(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_call(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_copy(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_ask(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_apply(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_start(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_status(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_net(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_publish(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_unpublish(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_apps(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_launch(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
/*
 * Before a stop or rm of @name (cmd_net.c): if it provides the network of
 * running subsystems, refuse naming them, or with @force stop them first.
 */
int net_before_stop(struct vos_ctx *vctx, const char *name, bool force, int sig, uint32_t timeout,
		    struct cli_err *e);

/* Send vosd the request @req ("reload") and report its answer (cmd_call.c) */
int vosd_request(struct cli_ctx *ctx, struct cli_err *e, const char *req);

/*
 * getopt_long for a command (stops at the first non-option: "+"; reports
 * problems itself: ":"). Returns the option, -1 at the end, or -2 with @e
 * set for an unknown option or a missing value. -h/--help is OPT_HELP.
 */
int cli_getopt(struct cli_err *e, const struct cli_cmd *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts);

/* What run and create decide themselves, besides the config */
#define CLI_FAST_VARS 64 /* variables the fast path carries, of each option */

struct cli_run {
	bool rm;		/* run --rm */
	bool persistent;	/* --persistent (create: always) */
	bool json;		/* create --json */
	int nlib;		/* isolation options given */
	const char *disposable; /* run --disposable TEMPLATE */
	bool verbose;		/* run --verbose */
	bool exec_opts;		/* --tty, or too many variables: not the fast path */
	/* --keep-env's NAMEs and --env's NAME=VALUEs, for the fast path */
	const char *keep_env[CLI_FAST_VARS];
	const char *env[CLI_FAST_VARS];
	unsigned int nkeep_env, nenv;
	const char *profile;	    /* create --profile P */
	const char *config_dirs[9]; /* --config-dir (NULL-terminated) */
	const char *profile_dir;    /* --profile-dir */
};

/*
 * Option parsing of run and create (cmd_run.c), straight into @cfg (a
 * config of @vctx, which need not be connected: usage errors come before
 * a missing module): 0, OPT_HELP or an exit code; for run, the command
 * starts at argv[optind].
 */
int run_parse(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, struct cli_run *r,
	      int argc, char **argv);
int create_parse(struct cli_err *e, struct vos_ctx *vctx, struct vos_config *cfg, struct cli_run *r,
		 int argc, char **argv);

/* Print `vosctl --help` text to @f. */
void cli_print_help(FILE *f);

/* Print `vosctl VERB --help` text for @cmd to @f. */
void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd);

/* Exit status of a wait status: the code, or 128+N for signal N. */
int cli_wait_status(int status);

#endif /* VOSCTL_H */
