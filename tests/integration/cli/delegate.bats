#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Delegation (issue 15): a host user of vosd's group launches, through
# vosd and without root, the exported apps the policy allows for
# @user:NAME, and nothing else. One vosd for the file (--group users: the
# test user is nobody with group users added by setpriv; the outsider is
# nobody without it), one subsystem whose desktop entries are test files
# (as apps.bats), and a template for launches into disposables. Checked:
# an allowed app runs as a member of the subsystem, as the caller's uid
# and gid inside (nobody: 65534), which the kernel shows on the host as
# the subsystem's BASE+65534, its stdout reaching the caller and its
# status returned, with the caller's files or URLs for %F; a subsystem
# that does not map that uid (--as-user) refuses; one created --uid 65534
# lets the launched app write in its tmpfs (the control, root's, does
# not); @dispvm:TEMPLATE launches in a fresh disposable that ends with
# the app (and root is sent to run --disposable);
# and from a terminal (script(1)) a terminal of its own (vosctl's pty),
# resized with the caller's; the clipboard's two steps through vosd, each
# decided for the user, the paste's flow as root's;
# refused, each with its own exit code and message and each in 'vosctl
# log' with the user as the source: an app the policy does not allow, an
# unknown ID, an entry whose Exec runs a shell, a user outside the group,
# requests that are not launch or open (a free command line, a
# disposable); 'vosctl create' by the user fails (no vosd path exists for
# it); the app is killed when its caller goes away. Waits are on fds and
# the ready fd of vosd, never on sleeps.
# Run time: 24 s measured twice on the TCG guest (stock 6.1, 2 vCPUs;
# 48 s once with the machine's 2 cores shared by other guests); 24 s on
# 6.12, 110 s on the debug kernel: one create, about 20 vosctl starts.
# With the resize and clipboard tests (two more creates, about 15 more
# vosctl starts): 76 s on 6.1 while a full make check shared the cores.

load helpers

# the file's policy (the clipboard test changes it and puts it back)
base_policy() {
	policy "vos.Launch+vostest.Ns @user:nobody $N allow" \
		"vos.Launch+vostest.Id @user:nobody $N allow" \
		"vos.Launch+vostest.Files @user:nobody $N allow" \
		"vos.Launch+vostest.Status @user:nobody $N allow" \
		"vos.Launch+vostest.Evil @user:nobody $N allow" \
		"vos.Launch+vostest.Nope @user:nobody $N allow" \
		"vos.Launch+vostest.Yes @user:nobody $N allow" \
		"vos.Launch+vostest.Tty @user:nobody $N allow" \
		"vos.Launch+vostest.Winch @user:nobody $N allow" \
		"vos.Launch+vostest.Map @user:nobody $N allow" \
		"vos.Launch+vostest.Id @user:nobody $N-asu allow" \
		"vos.Launch+vostest.Write @user:nobody $N allow" \
		"vos.Launch+vostest.Write @user:nobody $N-own allow" \
		"vos.Launch+vostest.Ns @user:nobody @dispvm:$T allow" \
		"vos.Launch+vostest.Map @user:nobody @dispvm:$T allow" \
		"vos.Launch+vostest.Ns @user:nobody @dispvm:$T-none allow" \
		"vos.OpenURL @user:nobody $N allow" \
		"vos.Launch @host $N allow" \
		"* * * allow"
}

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-delegate.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d" "$XD/apps"
	app() {
		printf '[Desktop Entry]\nType=Application\nName=%s\nExec=%s\n' "$1" "$2" \
			>"$XD/apps/vostest.$1.desktop"
	}
	app Ns "/bin/readlink /proc/self/ns/pid"
	app Id "/usr/bin/id -u"
	app Map "/bin/cat /proc/self/uid_map /proc/self/gid_map"
	app Write "/usr/bin/touch /usr/local/share/w"
	app Files "/bin/echo got %F"
	app Seven "/bin/true"
	app Status "/bin/false"
	app Evil "sh -c \"echo pwned\""
	app Yes "/usr/bin/yes"
	app Tty "/bin/stty size"
	# prints ready, then, once a line comes in, its terminal's size
	printf '#!/bin/sh\necho ready\nread x\nexec stty size\n' >"$XD/apps/winch"
	chmod 755 "$XD/apps/winch"
	app Winch "/usr/local/share/applications/winch"
	chmod -R a+rX "$XD/apps"
	# a template, for launches into disposables: the same entries
	export T=dlgt-$$
	mkdir "$XD/defs"
	printf '[Subsystem]\nTemplate=yes\n[Files]\nTmpfs=/usr/local/share\nReadOnly=%s:/usr/local/share/applications\n' \
		"$XD/apps" >"$XD/defs/$T.conf"
	vosd_start --group users --subsystems-dir "$XD/defs" \
		--profile-dir "$TOP/tools/vosctl/profiles"
	export N=dlg-$$
	"$VOSCTL" create "$N" --tmpfs /usr/local/share --ro "$XD/apps:/usr/local/share/applications" \
		--service vos.OpenURL=/bin/cat
	base_policy
	# (the last two lines match no user: @host is root, * is not a user)
}

teardown_file() {
	[ -f "$XD/vosd.log" ] && sed 's/^/# /' "$XD/vosd.log" >&3
	for s in "$N" "$N-ca" "$N-cb" "$N-asu" "$N-own"; do
		"$VOSCTL" rm --force "$s" >/dev/null 2>&1 || true
	done
	"$VOSCTL" clip clear >/dev/null 2>&1 || true
	[ -f "$XD/vosd.pid" ] && kill "$(cat "$XD/vosd.pid")" 2>/dev/null
	rm -rf /run/virtos/vosd
	rm -rf "$XD"
}

# a member of vosd's group (users), and a user outside it
member() {
	setpriv --reuid=nobody --regid=nogroup --groups=users -- "$@"
}
outsider() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
}

# launch_yes FIFO: the member launches vostest.Yes (yes(1)) with its stdout
# the new fifo FIFO, read on fd 8; returns once the app runs (its first
# line came), with $caller the pid of that vosctl
launch_yes() {
	mkfifo "$1"
	# setpriv, not member: a simple command, so $! is vosctl (setpriv execs it)
	setpriv --reuid=nobody --regid=nogroup --groups=users -- \
		"$VOSCTL" launch "$N" vostest.Yes >"$1" &
	caller=$!
	exec 8<"$1"
	read -r -t 60 line <&8
	[ "$line" = y ]
}

# logged SERVICE TARGET VERDICT [PHASE]: vosctl log --json has a crossing
# of SERVICE from @user:nobody to TARGET with VERDICT, in PHASE (refused)
logged() {
	"$VOSCTL" log --json | python3 -c '
import json, sys
svc, target, verdict, phase = (sys.argv[1:] + ["refused"])[:4]
for l in sys.stdin:
    d = json.loads(l)
    if d.get("service") == svc and d.get("source") == "@user:nobody" and \
       d.get("target") == target and d.get("verdict") == verdict and d.get("phase") == phase:
        sys.exit(0)
sys.exit("no " + phase + " " + verdict + " " + svc + " @user:nobody -> " + target)
' "$@"
}

@test "allowed: the app runs in the subsystem as the caller's uid inside, mapped, stdout to the caller" {
	# the controls, as root: the subsystem's PID namespace and its processes' uid
	ns=$("$VOSCTL" exec "$N" -- /bin/readlink /proc/self/ns/pid)
	uid=$("$VOSCTL" exec "$N" -- /usr/bin/id -u)
	[ "$ns" != "$(readlink /proc/self/ns/pid)" ]
	[ "$uid" = 0 ]

	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Ns
	check_status 0
	[ "$output" = "$ns" ]
	# nobody's uid number inside (65534), not the init's (0)...
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Id
	check_status 0
	[ "$output" = 65534 ]
	# ...which the subsystem's private range maps to BASE+65534 on the
	# host, never to nobody's host uid: the maps are "0 BASE 65536"
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Map
	check_status 0
	[ "${#lines[@]}" -eq 2 ]
	read -r in base count <<<"${lines[0]}"
	[ "$in" = 0 ] && [ "$base" -gt 65535 ] && [ "$count" -gt 65534 ]
	[ "${lines[1]}" = "${lines[0]}" ]
	# the kernel's view from the host: the app's host ids are BASE+65534
	launch_yes "$XD/yes"
	p=$(pgrep -nxf /usr/bin/yes)
	ids=$(awk '/^[UG]id:/ { print $2, $3, $4, $5 }' "/proc/$p/status")
	kill -KILL "$caller"
	timeout 60 cat <&8 >/dev/null || true
	exec 8<&-
	want=$((base + 65534))
	[ "$ids" = "$want $want $want $want
$want $want $want $want" ] || { echo "ids: $ids, want $want" >&2; false; }
	# the caller's files or URLs, as one argument each, through %F
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Files -- "a b" "100%" "é"
	check_status 0
	[ "$output" = "got a b 100% é" ]
	# the app's status is the caller's
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Status
	check_status 1
	grep -q "vos.Launch+vostest.Ns @user:nobody -> $N: allow (.*50-test.policy:1) to $N" \
		"$XD/vosd.log"
	# audited by vos.ko as any allowed crossing: opened, closed with the app
	logged vos.Launch+vostest.Ns "$N" allow opened
	logged vos.Launch+vostest.Ns "$N" allow closed
}

@test "denied by policy: 126 with the rule to add, evented with the user" {
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Seven
	check_status 126
	[[ $stderr == *"denied by policy"*"vos.Launch+vostest.Seven @user:nobody $N allow"*"/etc/virtos/policy.d/"* ]]
	logged vos.Launch+vostest.Seven "$N" deny
}

@test "refused: an unknown ID (121), a smuggling Exec (122), each evented" {
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Nope
	check_status 121
	[[ $stderr == *"has no desktop entry vostest.Nope"* ]]
	logged vos.Launch+vostest.Nope "$N" refused
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Evil
	check_status 122
	[[ $stderr == *"vostest.Evil of $N refused: Exec runs a shell"* ]]
	[[ $output != *pwned* ]]
	logged vos.Launch+vostest.Evil "$N" refused
	# an ID that is not one never leaves vosctl
	run --separate-stderr member "$VOSCTL" launch "$N" ../x
	check_status 124
	# no subsystem of that name: nothing runs
	run --separate-stderr member "$VOSCTL" launch nosuch-$$ vostest.Ns
	check_status 126
}

@test "refused: a user outside the group (122, how to join), evented" {
	run --separate-stderr outsider "$VOSCTL" launch "$N" vostest.Ns
	check_status 122
	[[ $stderr == *"nobody: not in the users group: ask an administrator to run 'adduser nobody users'"* ]]
	logged vos.Launch+vostest.Ns "$N" refused
}

@test "refused: a subsystem that does not map the caller's uid (--as-user maps one id), evented" {
	"$VOSCTL" create "$N-asu" --as-user --tmpfs /usr/local/share \
		--ro "$XD/apps:/usr/local/share/applications"
	# control: root's processes there are uid 0 inside, the one id mapped
	run "$VOSCTL" exec "$N-asu" -- /bin/cat /proc/self/uid_map
	check_status 0
	[ "$(echo $output)" = "0 0 1" ]
	run --separate-stderr member "$VOSCTL" launch "$N-asu" vostest.Id
	check_status 122
	[[ $stderr == *"does not map uid 65534 or gid 65534 (it maps uids 0..0 and gids 0..0)"*"private id range"* ]]
	[ -z "$output" ]
	logged vos.Launch+vostest.Id "$N-asu" refused
	"$VOSCTL" rm --force "$N-asu"
}

@test "a subsystem created --uid 65534 is the user's inside: the launched app writes in its tmpfs" {
	# control: in $N (root made it, its init and tmpfs are uid 0 inside)
	# nobody's launched app may not write
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Write
	check_status 1
	[[ $stderr == *"Permission denied"* ]]
	"$VOSCTL" create "$N-own" --uid 65534 --tmpfs /usr/local/share \
		--ro "$XD/apps:/usr/local/share/applications"
	run "$VOSCTL" exec "$N-own" -- /usr/bin/id -u
	[ "$output" = 65534 ]
	run --separate-stderr member "$VOSCTL" launch "$N-own" vostest.Write
	check_status 0
	run "$VOSCTL" exec "$N-own" -- /usr/bin/stat -c %u:%g /usr/local/share/w
	[ "$output" = 65534:65534 ]
	"$VOSCTL" rm --force "$N-own"
	# an id past the private range: refused at the start, nothing made
	run --separate-stderr "$VOSCTL" create "$N-own" --uid 70000
	check_status 124
	[[ $stderr == *"the chosen uid 70000 or gid 70000 is past the 65536 ids of the subsystem's range: choose ids below it"* ]]
	run "$VOSCTL" ls -q
	[[ $output != *"$N-own"* ]]
}

@test "into a disposable: @dispvm:TEMPLATE launches in a fresh disp-N, gone when the app ends" {
	ns=$("$VOSCTL" exec "$N" -- /bin/readlink /proc/self/ns/pid)
	run --separate-stderr member "$VOSCTL" launch "@dispvm:$T" vostest.Ns
	check_status 0
	[[ $output == pid:* ]]
	[ "$output" != "$ns" ] && [ "$output" != "$(readlink /proc/self/ns/pid)" ]
	grep -q "call vos.Launch+vostest.Ns @user:nobody -> @dispvm:$T: in disp-" "$XD/vosd.log"
	# as the caller's uid inside, through the disposable's own private range
	run --separate-stderr member "$VOSCTL" launch "@dispvm:$T" vostest.Map
	check_status 0
	read -r in base count <<<"${lines[0]}"
	[ "$in" = 0 ] && [ "$base" -gt 65535 ]
	# each ended with its app: no disposable is left
	run "$VOSCTL" ls -q
	[[ $output != *disp-* ]]
	# an ID the policy does not allow there: denied, no disposable made
	run --separate-stderr member "$VOSCTL" launch "@dispvm:$T" vostest.Id
	check_status 126
	logged vos.Launch+vostest.Id "@dispvm:$T" deny
	# allowed, but no such template: refused, evented
	run --separate-stderr member "$VOSCTL" launch "@dispvm:$T-none" vostest.Ns
	check_status 121
	[[ $stderr == *"no template $T-none in $XD/defs"* ]]
	logged vos.Launch+vostest.Ns "@dispvm:$T-none" refused
	# root's launch into a disposable says what root uses instead
	run --separate-stderr "$VOSCTL" launch "@dispvm:$T" vostest.Ns
	check_status 124
	[[ $stderr == *"vosctl run --disposable $T -- CMD"* ]]
}

@test "refused: no free command line, no disposable, no create; evented" {
	# what root may ask vosd, asked by a member: refused before any policy
	run member python3 -c '
import socket, sys
for req in (b"VOS1 call-from @host '"$N"' vos.Launch+vostest.Ns\n",
            b"VOS1 call '"$N"' vos.Shell+x\n",
            b"VOS1 disposable '"$N"' 1\n"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("/run/virtos/vosd/vosd.sock")
    s.sendall(req)
    print(s.makefile().readline().strip())
'
	check_status 0
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do
		[[ $l == "err perm a host user may only launch apps, open URLs or files and move the clipboard"* ]]
	done
	logged vos.Shell+x "$N" refused
	# a launch without the caller's stdio is refused too
	run member python3 -c '
import socket
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("/run/virtos/vosd/vosd.sock")
s.sendall(b"VOS1 launch '"$N"' vostest.Ns\n")
print(s.makefile().readline().strip())
'
	[[ $output == "err usage a launch carries the caller's stdin, stdout and stderr"* ]]
	# creating a subsystem is root's: the kernel refuses it, no vosd path exists
	run --separate-stderr member "$VOSCTL" create "dlg-user-$$"
	[ "$status" -ne 0 ]
	run "$VOSCTL" ls -q
	[[ $output != *"dlg-user-$$"* ]]
}

@test "from a terminal: the app gets a terminal (a new pty, relayed), its output reaches ours" {
	# without one: no terminal inside (stty fails)
	run --separate-stderr member "$VOSCTL" launch "$N" vostest.Tty
	[ "$status" -ne 0 ]
	# script(1) gives vosctl a terminal: the app's is the pty vosctl made
	run member env SHELL=/bin/sh script -qec "$VOSCTL launch $N vostest.Tty" /dev/null
	check_status 0
	[[ $output =~ [0-9]+\ [0-9]+ ]] || { echo "output: '$output'" >&2; false; }
}

@test "from a terminal: a new size of the caller's terminal reaches the app's" {
	# vosctl in a pty of python's, 24x80; once the app runs, 33x99; the
	# app's next look at its own terminal sees that (waits: on output)
	run timeout 120 python3 - "$VOSCTL" "$N" <<-'EOF'
		import fcntl, os, pty, select, struct, sys, termios
		pid, fd = pty.fork()
		if pid == 0:
		    os.execvp("setpriv", ["setpriv", "--reuid=nobody", "--regid=nogroup",
		              "--groups=users", "--", sys.argv[1], "launch", sys.argv[2],
		              "vostest.Winch"])
		fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
		got = b""
		def until(want):
		    global got
		    while want not in got:
		        select.select([fd], [], [])
		        try:
		            data = os.read(fd, 4096)
		        except OSError:
		            data = b""
		        if not data:
		            sys.exit("no %r in %r" % (want, got))
		        got += data
		until(b"ready")
		fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 99, 0, 0))
		os.write(fd, b"\n")
		until(b"33 99")
		os.waitpid(pid, 0)
	EOF
	check_status 0
}

@test "the app is killed when its caller goes away" {
	launch_yes "$XD/out"
	kill -KILL "$caller"
	# the app was the fifo's last writer: EOF once vosd killed it
	st=0
	timeout 60 cat <&8 >/dev/null || st=$?
	exec 8<&-
	[ "$st" -eq 0 ]
	grep -q "vos.Launch+vostest.Yes @user:nobody -> $N: the caller left: the app is killed" \
		"$XD/vosd.log"
}

@test "open: a member's URL reaches the target's handler; a file is denied by policy" {
	run --separate-stderr member "$VOSCTL" open --in "$N" https://example.org/a
	check_status 0
	[ "$output" = https://example.org/a ]
	grep -q "call vos.OpenURL @user:nobody -> $N: allow" "$XD/vosd.log"
	echo note >"$XD/n.txt"
	chmod 644 "$XD/n.txt"
	run --separate-stderr member "$VOSCTL" open --in "$N" "$XD/n.txt"
	check_status 126
	logged vos.OpenFile "$N" deny
	run --separate-stderr outsider "$VOSCTL" open --in "$N" https://example.org/a
	check_status 122
}

@test "control: root's launch is unchanged (only what root exported)" {
	run --separate-stderr "$VOSCTL" launch "$N" vostest.Ns
	[ "$status" -ne 0 ]
	[[ $stderr == *"not exported"* ]] || [[ $stderr == *"export"* ]]
}

@test "clipboard: a member's copy and paste go through vosd, each step decided for @user:nobody" {
	local A=$N-ca B=$N-cb
	cp "$TOP/build/vos-clip" "$XD/"
	"$VOSCTL" create "$A" --ro "$XD:$XD"
	"$VOSCTL" create "$B" --ro "$XD:$XD"
	"$VOSCTL" clip clear
	"$VOSCTL" exec "$A" -- sh -c "printf 'from A' | $XD/vos-clip put"
	policy "vos.Clipboard+copy @user:nobody $A allow" \
		"vos.Clipboard+paste @user:nobody $B allow" \
		"vos.Clipboard $A $B allow" \
		"vos.Clipboard * * allow"
	# (the last line allows every flow but no user's step: * is not a user)

	# outside the group: refused before the policy
	run --separate-stderr outsider "$VOSCTL" clip copy --from "$A"
	check_status 122
	[[ $stderr == *"adduser nobody users"* ]]
	# no rule lets this user copy from B: denied, evented with the user
	run --separate-stderr member "$VOSCTL" clip copy --from "$B"
	check_status 126
	[[ $stderr == *"vos.Clipboard+copy @user:nobody $B allow"* ]]
	logged vos.Clipboard+copy "$B" deny
	run "$VOSCTL" clip show --json
	[ "$output" = null ]

	# copy from A: the slot holds A's clipboard
	run --separate-stderr member "$VOSCTL" clip copy --from "$A"
	check_status 0
	[[ $output == "copied 6 bytes (text/plain"*") from $A into the clipboard slot"* ]]
	[ "$(json_get "$("$VOSCTL" clip show --json)" 'd["source"]')" = "$A" ]
	# paste into B: both rules allow it; B's clipboard has it, the slot is empty
	run --separate-stderr member "$VOSCTL" clip paste --to "$B"
	check_status 0
	[[ $output == "pasted 6 bytes ("*") from $A into $B; the slot is empty" ]]
	run "$VOSCTL" exec "$B" -- "$XD/vos-clip" get
	[ "$output" = "from A" ]
	grep -q "clip paste $B by @user:nobody: 6 bytes" "$XD/vosd.log"

	# the flow decides too: the slot filled from B (by root), a user
	# allowed to paste into A, and the flow B -> A denied: refused, and A
	# keeps its own clipboard
	"$VOSCTL" exec "$B" -- sh -c "printf 'from B' | $XD/vos-clip put"
	"$VOSCTL" clip copy --from "$B" >/dev/null
	policy "vos.Clipboard+paste @user:nobody $A allow" "vos.Clipboard $A $B allow" \
		"vos.Clipboard * * deny"
	run --separate-stderr member "$VOSCTL" clip paste --to "$A"
	check_status 126
	[[ $stderr == *"$B -> $A denied by policy"* ]]
	logged vos.Clipboard+paste "$A" deny
	run "$VOSCTL" exec "$A" -- "$XD/vos-clip" get
	[ "$output" = "from A" ]
	# not a subsystem name: a usage error from vosctl, nothing sent
	run --separate-stderr member "$VOSCTL" clip paste --to "../x"
	check_status 124

	"$VOSCTL" clip clear
	"$VOSCTL" rm --force "$A" >/dev/null
	"$VOSCTL" rm --force "$B" >/dev/null
	base_policy
}
