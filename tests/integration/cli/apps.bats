#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Apps on the desktop (issue 15, first slice): a subsystem sees test desktop
# entries (a host directory bound with --ro at /usr/local/share/applications,
# on a --tmpfs /usr/local/share: the host has no such directory to bind on);
# 'vosctl apps NAME list' shows them, refuses the one whose Exec runs a shell
# and never follows a symlink out to a host file; export writes an entry
# that desktop-file-validate accepts; launch runs the entry's own command in
# the subsystem's PID namespace with the ARGS for %F, exits with its status,
# refuses an ID not exported and an entry changed to smuggle a shell after
# its export; unexport removes it.
# Run time: 32 s to 74 s (three runs) on the TCG guest (stock 6.1, 2 vCPUs),
# the 2-core host busy with another full check each time: two creates and
# about 30 vosctl starts.

load helpers

setup() {
	subsys_setup
	export XDG_DATA_HOME=$TMPD/xdg
	APPS=$TMPD/apps
	mkdir -p "$APPS"
	entry vostest.Hello "Name=Hello
Exec=/bin/readlink /proc/self/ns/pid
Icon=utilities-terminal
Categories=Utility;"
	entry vostest.Files "Name=Files
Exec=/bin/echo got %F
MimeType=text/plain;"
	entry vostest.False "Name=False
Exec=/bin/false"
	entry vostest.Evil "Name=Evil
Exec=sh -c \"echo pwned\""
	# a file of the host, and a link to it inside: the subsystem has a
	# private /var/tmp, so the link must resolve to nothing there
	printf '[Desktop Entry]\nType=Application\nName=HostSecret\nExec=/bin/true\n' \
		>"$TMPD/secret.desktop"
	ln -s "$TMPD/secret.desktop" "$APPS/vostest.Escape.desktop"
	chmod -R a+rX "$APPS"
	N=$(tname apps)
	vosctl create "$N" --tmpfs /usr/local/share --ro "$APPS:/usr/local/share/applications"
	EXP=$XDG_DATA_HOME/applications/virtos-$N
}

teardown() {
	subsys_teardown
}

# entry ID LINES: $APPS/ID.desktop, an application
entry() {
	printf '[Desktop Entry]\nType=Application\n%s\n' "$2" >"$APPS/$1.desktop"
}

@test "apps list: the entries inside, the shell refused, no host file through a symlink" {
	# the link really leads nowhere inside (else the last check proves nothing)
	run vosctl exec "$N" -- /bin/cat "$TMPD/secret.desktop"
	[ "$status" -ne 0 ]

	run --separate-stderr vosctl apps "$N" list
	check_status 0
	[[ $output == *"vostest.Hello "*"no "*"Hello "*"/bin/readlink /proc/self/ns/pid"* ]]
	[[ $output == *"vostest.Evil "*"refused: Exec runs a shell ('sh'"* ]]
	[[ $output != *HostSecret* ]]
	[[ $output != *vostest.Escape* ]]

	run --separate-stderr vosctl apps "$N" list --json
	check_status 0
	# one python3 start for all the checks;
	# the guest's own /usr/share/applications may add entries: only ours
	printf '%s' "$output" | python3 -c '
import json, sys
d = {a["id"]: a for a in json.load(sys.stdin) if a["id"].startswith("vostest.")}
assert sorted(d) == ["vostest.Evil", "vostest.False", "vostest.Files", "vostest.Hello"], sorted(d)
assert d["vostest.Evil"]["exportable"] is False and "shell" in d["vostest.Evil"]["problem"]
assert d["vostest.Files"]["mimetype"] == "text/plain;" and d["vostest.Files"]["exportable"]
assert d["vostest.Hello"]["exported"] is False and d["vostest.Hello"]["problem"] is None
'
}

@test "apps export, launch, unexport" {
	# not exported: refused, whatever the entry
	run --separate-stderr vosctl launch "$N" vostest.Hello
	check_status 121
	[[ $stderr == *"vostest.Hello of $N is not exported"*"'vosctl apps $N export vostest.Hello' first"* ]]

	run --separate-stderr vosctl apps "$N" export vostest.Evil
	check_status 125
	[[ $stderr == *"export: vostest.Evil of $N refused: Exec runs a shell"* ]]
	[ ! -e "$EXP-vostest.Evil.desktop" ]

	for id in vostest.Hello vostest.Files vostest.False; do
		vosctl apps "$N" export "$id"
		desktop-file-validate "$EXP-$id.desktop"
	done
	grep -qx "Name=\[$N\] Hello" "$EXP-vostest.Hello.desktop"
	grep -qx "Exec=vosctl launch $N vostest.Hello" "$EXP-vostest.Hello.desktop"
	grep -qx "Exec=vosctl launch $N vostest.Files %F" "$EXP-vostest.Files.desktop"
	grep -qx "Icon=utilities-terminal" "$EXP-vostest.Hello.desktop"
	run vosctl apps "$N" list
	[[ $output == *"vostest.Hello "*"yes "*"Hello"* ]]

	# the subsystem's PID namespace, not the host's
	run --separate-stderr vosctl launch "$N" vostest.Hello
	check_status 0
	[ "$output" = "pid:[$(json_get "$(vosctl show "$N" --json)" "d['pidns_inum']")]" ]
	[ "$output" != "$(readlink /proc/self/ns/pid)" ]

	# %F: each ARG one argument, never split or read by a shell
	run --separate-stderr vosctl launch "$N" vostest.Files "a b" "c;d"
	check_status 0
	[ "$output" = "got a b c;d" ]
	run --separate-stderr vosctl launch "$N" vostest.Hello extra
	check_status 124
	[[ $stderr == *"takes no files or URLs"* ]]

	run vosctl launch "$N" vostest.False
	check_status 1

	# changed inside after its export to run a shell: refused at launch
	entry vostest.Hello "Name=Hello
Exec=/bin/sh -c id"
	run --separate-stderr vosctl launch "$N" vostest.Hello
	check_status 125
	[[ $stderr == *"launch: vostest.Hello of $N refused: Exec runs a shell"* ]]

	vosctl apps "$N" unexport vostest.Files
	[ ! -e "$EXP-vostest.Files.desktop" ]
	run --separate-stderr vosctl launch "$N" vostest.Files x
	check_status 121
	run --separate-stderr vosctl apps "$N" unexport vostest.Files
	check_status 121
}
