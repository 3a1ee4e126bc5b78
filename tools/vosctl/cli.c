// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command table, help texts and the per-command getopt wrapper.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "vosctl.h"

static const char run_help[] =
	"Run CMD in a new isolated subsystem and exit with its status.\n"
	"The subsystem is ephemeral: it ends, with everything in it, when CMD\n"
	"exits or vosctl dies, unless --persistent keeps it (stopped, for\n"
	"'vosctl show') until 'vosctl rm'.\n\n"
	"  --name NAME         subsystem name (default vos-<pid>)\n"
	"  --rm                ephemeral (the default; conflicts with --persistent)\n"
	"  --tty / --no-tty    always / never give CMD a new terminal\n"
	"                      (default: a terminal if stdin is one)\n"
	"  --env NAME=VALUE    set NAME in CMD's environment (repeatable)\n"
	"  --keep-env NAME     pass vosctl's NAME on to CMD (repeatable); by\n"
	"                      default CMD gets only PATH (the standard one),\n"
	"                      HOME, TERM (with a terminal), LANG, LANGUAGE, LC_*\n"
	"  --disposable TEMPLATE  a fresh subsystem disp-<n> made from the\n"
	"                      definition TEMPLATE.conf (Template=yes): its isolation,\n"
	"                      an empty tmpfs at each of its ReadWrite= places, its\n"
	"                      Requires= started first; gone with everything in it\n"
	"                      when CMD exits or vosctl dies (no isolation options);\n"
	"                      taken from vosd's pool if the template has Pool=N\n"
	"  --verbose           say where the disposable came from (pool or made)\n"
	"  --config-dir DIR    definitions in DIR, not /etc/virtos/subsystems.d\n"
	"  --profile-dir DIR   profiles in DIR, not /usr/share/virtos/profiles\n";

static const char create_help[] =
	"Create a persistent subsystem with a long-lived idle init, for\n"
	"'vosctl exec'. It lives until 'vosctl rm NAME'.\n\n"
	"  --json              print {\"id\":N,\"name\":\"NAME\"}\n"
	"  --profile P         start from profile P (/usr/share/virtos/profiles/P.conf);\n"
	"                      the options given override it\n"
	"  --profile-dir DIR   profiles in DIR\n";

static const char exec_help[] =
	"Run CMD inside the running subsystem NAME, with the same isolation as\n"
	"its init, and exit with CMD's status.\n";

static const char ls_help[] = "List the subsystems you may see (yours; all of them as root).\n\n"
			      "  --json              a JSON array of objects\n"
			      "  -q, --quiet         names only\n";

static const char show_help[] = "Show everything vos.ko knows about subsystem NAME.\n\n"
				"  --json              one JSON object\n";

static const char stop_help[] =
	"Stop subsystem NAME: send SIGNAL to its processes, wait up to SEC\n"
	"seconds, then SIGKILL. A persistent subsystem stays (stopped) until\n"
	"'vosctl rm'.\n\n"
	"  -s, --signal SIG    first signal (default TERM)\n"
	"  -t, --timeout SEC   seconds before SIGKILL (default 10)\n\n"
	"A subsystem with a definition (NAME.conf) is also removed, and refused\n"
	"while defined subsystems that require it run (they are named):\n"
	"  -f, --force         stop those first, in reverse dependency order\n"
	"  --all               stop every defined subsystem, last started first\n"
	"  --config-dir DIR    definitions in DIR, not /etc/virtos/subsystems.d\n";

static const char rm_help[] =
	"Remove subsystem NAME. A running one is refused unless --force, which\n"
	"kills everything in it first.\n\n"
	"  -f, --force         kill and remove a running subsystem\n";

static const char events_help[] =
	"Stream subsystem events, one line each (all subsystems, or only NAME).\n"
	"A jump in sequence numbers is reported as a 'lost' line.\n\n"
	"  --json              one JSON object per line\n"
	"  -n, --count N       exit after N events\n";

static const char log_help[] =
	"Show the crossings between subsystems as vos.ko reported them: each\n"
	"call's channel opened, revoked and closed (with the bytes each way), and\n"
	"each refused call with its verdict. First the last 64 vos.ko keeps, then,\n"
	"with --follow, new ones as they happen; a jump in vos.ko's event numbers\n"
	"is reported as a 'lost' line. Needs root.\n\n"
	"  -f, --follow        keep printing new crossings\n"
	"  --json              one JSON object per line\n"
	"  -n, --count N       with --follow: exit after N new crossings\n";

static const char firewall_help[] =
	"Show or change the network rules vos.ko enforces on what subsystem NAME\n"
	"sends (at the far end of its link, out of its reach). First match wins;\n"
	"then, to another subsystem: drop; else the policy (accept until set).\n"
	"Rules are numbered from 1. A change reads the set, edits it and writes\n"
	"it whole (rule counters start again): of two editors at once, the last\n"
	"wins.\n\n"
	"  list                the rules, packets and bytes each, the policy and\n"
	"                      the drops no rule matched (the default action)\n"
	"  add RULE...         append a rule (Qubes' qvm-firewall grammar):\n"
	"                      action=accept|drop [proto=tcp|udp|icmp]\n"
	"                      [dsthost=A.B.C.D[/N]|NAME|@SUBSYS] [dstports=N[-M]]\n"
	"                      [icmptype=N] [specialtarget=dns]; a host NAME\n"
	"                      becomes one rule per IPv4 address it has now\n"
	"  del N               delete rule N\n"
	"  policy accept|drop  what happens to packets no rule matches\n"
	"  reset               no rules, policy accept\n"
	"  refresh             resolve the host NAMEs of the rules again: each\n"
	"                      name's rules become one per address it has now\n\n"
	"  --json              list, refresh: one JSON object\n"
	"  --before N          add: insert before rule N instead of appending\n";

static const char apply_help[] =
	"Make the running subsystems match the definitions (NAME.conf files in\n"
	"/etc/virtos/subsystems.d): start each one that does not run, its\n"
	"Requires= (and Uplink= provider) first. A running one whose file changed\n"
	"since it started is reported, not restarted. Templates never start.\n"
	"Nothing starts if any definition is wrong; a failed start stops what\n"
	"this apply started.\n\n"
	"  --autostart         only the Autostart=yes ones (and what they require)\n"
	"  --restart-changed   restart the changed ones (and their dependents)\n"
	"  --cgroup-parent DIR make the subsystems' cgroups under the cgroup v2\n"
	"                      directory DIR (no processes of its own)\n"
	"  --config-dir DIR    definitions in DIR (repeatable), not the default\n"
	"  --profile-dir DIR   profiles in DIR, not /usr/share/virtos/profiles\n";

static const char start_help[] =
	"Start the defined subsystem NAME, what it requires first.\n\n"
	"  --cgroup-parent DIR their cgroups under DIR (see apply)\n"
	"  --config-dir DIR    definitions in DIR (repeatable), not the default\n"
	"  --profile-dir DIR   profiles in DIR\n";

static const char status_help[] =
	"Every defined and every existing subsystem: state, uptime, uplink,\n"
	"dependencies, and whether the running one matches its file now\n"
	"(MATCHES: yes, NO, or - when not known or not running).\n\n"
	"  --json              a JSON array of objects\n"
	"  --config-dir DIR    definitions in DIR (repeatable), not the default\n"
	"  --profile-dir DIR   profiles in DIR\n";

static const char version_help[] =
	"Print the versions of vosctl, libvirtos and the loaded vos.ko, the\n"
	"module's capabilities and the kernel features the isolation uses.\n\n"
	"  --json              one JSON object\n";

static const char policy_help[] =
	"The crossing policy (DIR/*.policy, default /etc/virtos/policy.d; the\n"
	"file reference is Documentation/policy.md). First match wins, no match\n"
	"denies, and one problem anywhere denies every call.\n\n"
	"  lint                print every problem as FILE:LINE: what is wrong;\n"
	"                      exit 1 if there is any\n"
	"  check SERVICE[+ARG] SOURCE TARGET\n"
	"                      the verdict for that call and the FILE:LINE that\n"
	"                      decided it (SOURCE: a name or @host; TARGET: a\n"
	"                      name, @host, @default, @dispvm[:T]); exit 0\n"
	"  reload              make the running vosd read the policy again\n\n"
	"  --config-dir DIR    the policy directory (lint, check)\n"
	"  --source-tag T, --target-tag T\n"
	"                      check: tags of the source / target (repeatable)\n"
	"  --json              check: one JSON object\n";

static const char call_help[] =
	"Call SERVICE[+ARG] in subsystem TARGET through vosd, as the host (source\n"
	"@host) or, for root, as subsystem NAME: stdin and stdout are connected\n"
	"to the service's handler; exit with the handler's status.\n\n"
	"  --from NAME         call as subsystem NAME (root only)\n"
	"Exit 126 and 'denied by policy' when the policy denies the call.\n";

static const char net_help[] =
	"Show each subsystem's network as vos.ko has it: its uplink (none, host,\n"
	"shared for --share-net, or the provider's name), address, client range\n"
	"(a provider's), running clients, policy, rule count, packets its rules\n"
	"matched, and the drops no rule matched (spoofed source, other).\n\n"
	"  --json              a JSON array of objects\n";

static const char publish_help[] =
	"Publish a port of subsystem NAME on the host: a connection to the host's\n"
	"ADDR:HOSTPORT reaches PORT in NAME, through its chain of providers. SPEC\n"
	"is tcp:[ADDR:]HOSTPORT:PORT or udp:... (no ADDR: any of the host's\n"
	"addresses). The port follows NAME: when a subsystem of that name gets a\n"
	"link again, with a new address, the port leads there. Without SPEC, list\n"
	"NAME's published ports.\n\n"
	"  --json              list: a JSON array of objects\n";

static const char unpublish_help[] =
	"Remove published ports of NAME (all of them without SPEC). The end of\n"
	"'vosctl run --publish' removes them too; 'vosctl rm' does not (a port\n"
	"is kept by name for a subsystem made again under it).\n";

static const char ask_help[] =
	"Answer the calls the crossing policy says to ask about (action ask):\n"
	"vosd holds each caller until an answer, or denies it after its\n"
	"--ask-timeout (default 60 s). Root on the host only.\n\n"
	"  --list              the calls waiting: ID, service, source, target,\n"
	"                      the policy's target= and default_target=\n"
	"  --wait              with --list: wait until one is waiting\n"
	"  --json              with --list: a JSON array\n"
	"  ID allow|deny       answer call ID\n"
	"  --target NAME       allow: send it to NAME (default: the policy's\n"
	"                      target=, the target named, or default_target=)\n"
	"  --remember          the same answer for the same call until vosd stops\n";

static const char apps_help[] =
	"The desktop entries (.desktop files) of the running subsystem NAME, on\n"
	"the user's desktop (issue 15). Entries are read inside NAME, from\n"
	"/usr/local/share/applications, then /usr/share/applications.\n\n"
	"  list                each application entry: ID, whether exported, its\n"
	"                      Name and Exec, or why it cannot be exported\n"
	"  export ID           write $XDG_DATA_HOME/applications/virtos-NAME-ID.desktop\n"
	"                      (default ~/.local/share/applications): Name \"[NAME] ...\",\n"
	"                      Exec 'vosctl launch NAME ID' (%F or %U as the app\n"
	"                      takes files or URLs), its Icon, MimeType, Categories.\n"
	"                      An Exec that runs a shell or could chain commands\n"
	"                      (sh -c, ; | & $ ` < >, python3 -c ...) is refused\n"
	"  unexport ID         remove that file (NAME need not run)\n\n"
	"  --json              list: a JSON array of objects\n";

static const char launch_help[] =
	"Run the exported desktop entry ID of subsystem NAME: its own Exec,\n"
	"read again inside NAME and checked as export checks it, with %f/%u\n"
	"replaced by the one ARG, %F/%U by the ARGS, other field codes dropped,\n"
	"run as 'vosctl exec' would, and exit with its status. An ID that is not\n"
	"exported ('vosctl apps NAME export ID') is refused. ARGS are passed as\n"
	"they are: a host path means nothing inside NAME.\n";

static const char clip_help[] =
	"The two-step clipboard between subsystems (service vos.Clipboard).\n"
	"Each subsystem has its own clipboard (vos-clip put/get inside it);\n"
	"vos.ko holds one slot between them.\n\n"
	"  copy                the clipboard of --from NAME into the slot\n"
	"                      (replacing what it held); vos.ko records NAME as\n"
	"                      the source\n"
	"  paste               the slot into the clipboard of --to NAME if the\n"
	"                      policy allows vos.Clipboard from the source to NAME\n"
	"                      ('ask' is refused: nobody answers here); the slot\n"
	"                      is then wiped. Refused: exit 126, the slot and\n"
	"                      NAME's clipboard unchanged\n"
	"  show                what the slot holds: type, size, source, expiry\n"
	"  clear               wipe the slot\n\n"
	"  --from NAME         copy: the source subsystem\n"
	"  --to NAME           paste: the target subsystem\n"
	"  --config-dir DIR    paste: the policy directory (default\n"
	"                      /etc/virtos/policy.d)\n"
	"  --json              copy, paste, show: one JSON object (show: null\n"
	"                      when empty)\n"
	"The slot's content expires (vos.ko's clip_ttl_ms, default 60 s) and\n"
	"is limited in size (clip_max_bytes, default 4 MiB).\n"
	"  --focused           copy, paste: the subsystem of the window sway\n"
	"                      ($SWAYSOCK) has focused, instead of --from/--to;\n"
	"                      a host window: exit 121 (see vosctl(1))\n";

static const char copy_help[] =
	"Copy files and directories of subsystem SRC into DST's\n"
	"/var/tmp/Incoming/SRC/ (vos.FileCopy through vosd): vos-copy runs\n"
	"inside SRC, so the policy decides SRC -> DST. Symlinks, devices and\n"
	"FIFOs are skipped; nothing in DST is overwritten.\n"
	"  --vos-copy PATH     vos-copy inside SRC (default /usr/bin/vos-copy)\n"
	"Exit status: vos-copy's (see vos-copy(1)): 0 delivered, 1 refused by\n"
	"the receiver, 3 some path skipped, 126 denied by policy, 123 over\n"
	"limit= (or vos.ko not loaded), 120 dropped by the scanner.\n";

static const char open_help[] =
	"Open a URL or a FILE in the subsystem its route names (routes: the\n"
	"user's ~/.config/virtos/routes.d, then /etc/virtos/routes.d;\n"
	"virtos-routes(5)). The crossing policy decides as for vos-open (service\n"
	"vos.OpenURL or vos.OpenFile, source @host; target= redirects); then the\n"
	"target's handler runs inside it: the one it offers (--service), else\n"
	"vos-open --handle, which runs xdg-open, or HANDLER if given after '--'.\n"
	"A FILE is copied into the target's /var/tmp/Incoming/@host/, never\n"
	"bound; its route is by MIME type (from its name, or --type). A\n"
	"@dispvm:TEMPLATE target opens in a new disposable through vosd (its\n"
	"policy decides too), gone when the handler ends. --app ID: the app\n"
	"route's subsystem runs 'vosctl launch NAME ID ARGS' (exported entries\n"
	"only).\n\n"
	"  --explain           print the route that matched; open nothing\n"
	"  --lint              list the routes' problems (FILE:LINE: ...)\n"
	"  --json              --explain: one JSON object\n"
	"  --in NAME           no route: open in NAME (or @dispvm:TEMPLATE)\n"
	"  --type MIME         a FILE's MIME type\n"
	"  --app ID            launch the exported app ID where its route says\n"
	"  --routes-dir DIR    read the routes of DIR instead (repeatable, in\n"
	"                      order)\n"
	"  --policy-dir DIR    the policy directory (default /etc/virtos/policy.d)\n"
	"  --builtin-dir DIR   where subsystems have vos-open (default /usr/bin)\n"
	"Exit: the handler's status; 121 no route or no such subsystem; 126\n"
	"denied by policy; 124 bad usage or broken routes.\n";

static const char help_help[] = "Print help for vosctl or one command.\n";

const struct cli_cmd cli_cmds[] = {
	{ "run", cmd_run, "[--isolate] [--name NAME] [--rm] [options] [--] CMD [ARGS...]",
	  "run CMD in a new isolated subsystem", run_help },
	{ "create", cmd_create, "NAME [options]", "create a persistent subsystem", create_help },
	{ "exec", cmd_exec, "NAME [--] CMD [ARGS...]", "run CMD in an existing subsystem",
	  exec_help },
	{ "ls", cmd_ls, "[--json] [-q]", "list subsystems", ls_help },
	{ "show", cmd_show, "NAME [--json]", "show one subsystem", show_help },
	{ "stop", cmd_stop, "NAME|--all [-s SIG] [-t SEC] [--force]",
	  "stop a subsystem's processes", stop_help },
	{ "rm", cmd_rm, "NAME [--force]", "remove a subsystem", rm_help },
	{ "apply", cmd_apply, "[--autostart] [--restart-changed] [--config-dir DIR]",
	  "start the defined subsystems in dependency order", apply_help },
	{ "start", cmd_start, "NAME [--config-dir DIR]", "start a defined subsystem", start_help },
	{ "status", cmd_status, "[--json] [--config-dir DIR]",
	  "defined and running subsystems and their state", status_help },
	{ "events", cmd_events, "[NAME] [--json] [-n N]", "stream events", events_help },
	{ "log", cmd_log, "[--follow [-n N]] [--json]", "show the crossings between subsystems",
	  log_help },
	{ "firewall", cmd_firewall,
	  "NAME [list [--json] | add [--before N] RULE... | del N | policy accept|drop | reset]",
	  "show or change a subsystem's network rules", firewall_help },
	{ "net", cmd_net, "show [NAME] [--json]", "show subsystems' links, providers and counters",
	  net_help },
	{ "publish", cmd_publish, "NAME [SPEC...] [--json]",
	  "publish a subsystem's port on the host", publish_help },
	{ "unpublish", cmd_unpublish, "NAME [SPEC...]", "remove published ports", unpublish_help },
	{ "policy", cmd_policy,
	  "lint|check SERVICE[+ARG] SOURCE TARGET|reload [--config-dir DIR] [--json]",
	  "lint, test or reload the crossing policy", policy_help },
	{ "call", cmd_call, "[--from NAME] TARGET SERVICE[+ARG]",
	  "call a service in a subsystem through vosd", call_help },
	{ "copy", cmd_copy, "[--vos-copy PATH] SRC:PATH... DST",
	  "copy files of one subsystem into another's Incoming/SRC", copy_help },
	{ "ask", cmd_ask, "--list [--wait] [--json] | ID allow|deny [--target NAME] [--remember]",
	  "answer calls the policy asks about", ask_help },
	{ "apps", cmd_apps, "NAME list [--json] | NAME export ID | NAME unexport ID",
	  "list and export a subsystem's desktop entries", apps_help },
	{ "launch", cmd_launch, "NAME ID [ARGS...]", "run an exported desktop entry", launch_help },
	{ "clip", cmd_clip,
	  "copy --from NAME|--focused | paste --to NAME|--focused [--config-dir DIR] | show | clear",
	  "move a subsystem's clipboard into another one", clip_help },
	{ "open", cmd_open,
	  "[--explain [--json]] [options] URL|FILE [-- HANDLER [ARGS...]] | --app ID [-- ARGS...] "
	  "| --lint",
	  "open a URL or file in the subsystem its route names", open_help },
	{ "version", cmd_version, "[--json]", "show versions and capabilities", version_help },
	{ "help", cmd_help, "[COMMAND]", "show help", help_help },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const char exit_help[] =
	"Exit status: the app's own status (128+N if killed by signal N), or\n"
	"  121 name taken / no such subsystem   122 permission denied\n"
	"  123 vos.ko not loaded                124 bad usage or option value\n"
	"  125 other vosctl failure             126 command not executable\n"
	"  127 command not found\n";

const struct cli_cmd *cli_find(const char *name)
{
	const struct cli_cmd *c;

	for (c = cli_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static bool takes_spec(const struct cli_cmd *cmd)
{
	return cmd->fn == cmd_run || cmd->fn == cmd_create;
}

void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "Usage: vosctl %s %s\n\n%s", cmd->name, cmd->usage, cmd->help);
	if (takes_spec(cmd)) {
		fputc('\n', f);
		cli_print_options(f);
	}
	fprintf(f, "  -h, --help          this help\n\n%s", exit_help);
}

void cli_print_help(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f, "Usage: vosctl COMMAND [OPTIONS] [ARGS...]\n\n"
		   "Run applications in isolated subsystems supervised by vos.ko.\n\n"
		   "Commands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f,
		"\nExamples:\n"
		"  vosctl run -- /bin/sh             a shell, strictly isolated\n"
		"  vosctl run --memory 512M --pids 64 -- make -j4\n"
		"  vosctl create web && vosctl exec web -- ps ax\n"
		"  vosctl firewall web add action=drop proto=tcp dstports=25\n\n"
		"'vosctl COMMAND --help' for a command's options; man vosctl(1).\n"
		"Environment: VOSCTL_DEVICE overrides /dev/vos.\n\n%s",
		exit_help);
}

int cmd_help(struct cli_ctx *ctx, int argc, char **argv, struct cli_err *e)
{
	const struct cli_cmd *c;

	if (argc < 2) {
		cli_print_help(ctx->out);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		c = cli_find("help");
	else
		c = cli_find(argv[1]);
	if (!c)
		return cli_fail(e, EXIT_USAGE, "unknown command '%s': see 'vosctl --help'",
				argv[1]);
	cli_print_cmd_help(ctx->out, c);
	return 0;
}

int cli_getopt(struct cli_err *e, const struct cli_cmd *cmd, int argc, char **argv,
	       const char *shortopts, const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h')
		return OPT_HELP;
	if (c == '?') {
		const char *bad = argv[optind - 1];

		if (optopt && bad[0] == '-' && bad[1] != '-')
			cli_fail(e, EXIT_USAGE, "%s: unknown option '-%c': see 'vosctl %s --help'",
				 cmd->name, optopt, cmd->name);
		else
			cli_fail(e, EXIT_USAGE, "%s: unknown option '%s': see 'vosctl %s --help'",
				 cmd->name, bad, cmd->name);
		return -2;
	}
	if (c == ':') {
		cli_fail(e, EXIT_USAGE, "%s: option '%s' needs a value: see 'vosctl %s --help'",
			 cmd->name, argv[optind - 1], cmd->name);
		return -2;
	}
	return c;
}
