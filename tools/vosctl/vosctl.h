/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vosctl internals: the command table, the error contract and the pure
 * helpers (option parsing, JSON) that the unit tests exercise without a
 * module.
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

/* ---- option values (parse.c); each returns 0 or EXIT_USAGE with @e set ---- */

#define CLI_MAX_BINDS 64
#define CLI_MAX_CAPS  64
#define CLI_MAX_ENV   128

enum cli_bind_type {
	BIND_RO,
	BIND_RW,
	BIND_TMPFS
};

struct cli_bind {
	enum cli_bind_type type;
	const char *src; /* NULL for tmpfs */
	const char *dest;
};

enum cli_tty {
	TTY_AUTO = 0,
	TTY_ALWAYS,
	TTY_NEVER
};

/* Everything the isolation options of run/create can say. */
struct cli_spec {
	const char *name;
	const char *hostname;
	const char *rootfs;
	bool root;
	bool host_root;
	bool as_user;
	bool share_net;
	bool as_pid1;
	bool persistent;
	bool rm;
	/* 0 = not given (the library's host-scaled default), CLI_LIMIT_MAX = "max" */
	uint64_t memory;     /* bytes */
	uint32_t cpu_milli;  /* thousandths of a CPU, 0 = no limit */
	uint32_t pids;	     /* processes and threads */
	uint64_t tmpfs_size; /* bytes per tmpfs */
	enum cli_tty tty;
	struct cli_bind binds[CLI_MAX_BINDS];
	size_t nbinds;
	int caps[CLI_MAX_CAPS]; /* cap_value_t */
	size_t ncaps;
	uint64_t socket_families;     /* --allow-socket: bit 1 << AF_* */
	const char *env[CLI_MAX_ENV]; /* --env NAME=VALUE (run) */
	size_t nenv;
	const char *keep_env[CLI_MAX_ENV]; /* --keep-env NAME (run) */
	size_t nkeep_env;
	/* storage for split SRC:DEST strings */
	char bindbuf[CLI_MAX_BINDS][4096];
};

#define CLI_LIMIT_MAX UINT64_MAX
#define CLI_PIDS_MAX  UINT32_MAX

int parse_size(struct cli_err *e, const char *opt, const char *s, uint64_t *out);
int parse_cpus(struct cli_err *e, const char *opt, const char *s, uint32_t *milli);
int parse_pids(struct cli_err *e, const char *opt, const char *s, uint32_t *out);
int parse_cap(struct cli_err *e, const char *opt, const char *s, int *cap);
int parse_name(struct cli_err *e, const char *opt, const char *s);
int parse_hostname(struct cli_err *e, const char *opt, const char *s);
int parse_path(struct cli_err *e, const char *opt, const char *s);
int parse_bind(struct cli_err *e, const char *opt, const char *s, enum cli_bind_type type,
	       struct cli_spec *spec);
int parse_signal(struct cli_err *e, const char *opt, const char *s, int *sig);
int parse_socket_family(struct cli_err *e, const char *opt, const char *s, int *family);
int parse_env(struct cli_err *e, const char *opt, const char *s, bool with_value);

/* Long-only option codes shared by the commands (above any char). */
enum {
	OPT_ISOLATE = 256,
	OPT_ROOT,
	OPT_HOSTNAME,
	OPT_ROOTFS,
	OPT_RO,
	OPT_RW,
	OPT_TMPFS,
	OPT_MEMORY,
	OPT_CPUS,
	OPT_PIDS,
	OPT_CAP_ADD,
	OPT_SHARE_NET,
	OPT_AS_PID1,
	OPT_PERSISTENT,
	OPT_RM,
	OPT_NAME,
	OPT_JSON,
	OPT_FORCE,
	OPT_SIGNAL,
	OPT_TIMEOUT,
	OPT_HELP,
	OPT_TTY,
	OPT_NO_TTY,
	OPT_COUNT,
	OPT_QUIET,
	OPT_HOST_ROOT,
	OPT_ALLOW_SOCKET,
	OPT_ENV,
	OPT_KEEP_ENV,
	OPT_TMPFS_SIZE,
	OPT_AS_USER,
};

/* struct option initialisers for the isolation options of run and create */
/* clang-format off */
#define SPEC_LONGOPTS \
	{ "isolate", no_argument, NULL, OPT_ISOLATE }, \
	{ "root", no_argument, NULL, OPT_ROOT }, \
	{ "hostname", required_argument, NULL, OPT_HOSTNAME }, \
	{ "rootfs", required_argument, NULL, OPT_ROOTFS }, \
	{ "host-root", no_argument, NULL, OPT_HOST_ROOT }, \
	{ "as-user", no_argument, NULL, OPT_AS_USER }, \
	{ "ro", required_argument, NULL, OPT_RO }, \
	{ "rw", required_argument, NULL, OPT_RW }, \
	{ "tmpfs", required_argument, NULL, OPT_TMPFS }, \
	{ "memory", required_argument, NULL, OPT_MEMORY }, \
	{ "cpus", required_argument, NULL, OPT_CPUS }, \
	{ "pids", required_argument, NULL, OPT_PIDS }, \
	{ "tmpfs-size", required_argument, NULL, OPT_TMPFS_SIZE }, \
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD }, \
	{ "share-net", no_argument, NULL, OPT_SHARE_NET }, \
	{ "allow-socket", required_argument, NULL, OPT_ALLOW_SOCKET }, \
	{ "as-pid1", no_argument, NULL, OPT_AS_PID1 }, \
	{ "persistent", no_argument, NULL, OPT_PERSISTENT }
/* clang-format on */

/* Help text for SPEC_LONGOPTS */
extern const char spec_help[];

/*
 * The isolation options shared by run and create, for getopt_long: returns
 * 1 if @c was one of them (and handled it), 0 if not, or EXIT_USAGE.
 */
int spec_option(struct cli_err *e, struct cli_spec *spec, int c, const char *arg);
void spec_init(struct cli_spec *spec);

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
int cmd_version(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);
int cmd_help(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e);

/*
 * getopt_long for a command (stops at the first non-option: "+"; reports
 * problems itself: ":"). Returns the option, -1 at the end, or -2 with @e
 * set for an unknown option or a missing value. -h/--help is OPT_HELP.
 */
int cli_getopt(struct cli_err *e, const struct cli_cmd *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts);

/* Option parsing of run and create (cmd_run.c): 0, OPT_HELP or an exit code;
 * for run, the command starts at argv[optind].
 */
int run_parse(struct cli_err *e, struct cli_spec *spec, int argc, char **argv);
int create_parse(struct cli_err *e, struct cli_spec *spec, bool *json, int argc, char **argv);

/* Print `vosctl --help` text to @f. */
void cli_print_help(FILE *f);

/* Print `vosctl VERB --help` text for @cmd to @f. */
void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd);

/* Exit status of a wait status: the code, or 128+N for signal N. */
int cli_wait_status(int status);

#endif /* VOSCTL_H */
