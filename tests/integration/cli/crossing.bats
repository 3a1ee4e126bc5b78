#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Crossings (issue 13): vosd, the policy, vos-call and vosctl call with
# real subsystems. One vosd for the file (its own policy directory, the
# default socket /run/virtos/vosd/vosd.sock, which every subsystem made
# after it starts sees at /run/vos/vosd.sock), a server subsystem "srv"
# offering services (--service) and a client "cli". The policy is
# rewritten and reloaded per test. Checked: allow (the handler's stream,
# VOS_REMOTE, its exit status), deny (126, "denied by policy"), no match,
# a broken file denies everything (fail closed) until fixed, SIGHUP
# reloads, a forged source in the request is refused, a caller in a PID
# namespace that is no subsystem is refused, a service nobody offers and
# a target that does not exist (121), the host as @host, and the audit
# lines. vosd is waited on with --ready-fd, never by sleeping.
# Budget: about 15 s on a stock kernel under TCG (two subsystems made once).

load helpers

VOSD=$TOP/build/vosd

# Start vosd on $XD/policy.d, wait until it listens
vosd_start() {
	mkfifo "$XD/ready"
	"$VOSD" --foreground --config-dir "$XD/policy.d" --ready-fd 3 \
		3>"$XD/ready" 2>>"$XD/vosd.log" &
	echo $! >"$XD/vosd.pid"
	read -r line <"$XD/ready"
	rm -f "$XD/ready"
	[ "$line" = ready ]
}

policy() {
	rm -f "$XD"/policy.d/*
	printf '%s\n' "$@" >"$XD/policy.d/50-test.policy"
	"$VOSCTL" policy reload
}

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-crossing.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d"
	cp "$TOP/build/vos-call" "$XD/vos-call"
	cat >"$XD/whoami" <<-'EOF'
		#!/bin/sh
		echo "remote=$VOS_REMOTE service=$VOS_SERVICE arg=$VOS_SERVICE_ARG"
		exec cat
	EOF
	printf '#!/bin/sh\nexit 7\n' >"$XD/seven"
	chmod 755 "$XD/whoami" "$XD/seven"
	vosd_start
	export SRV=xsrv-$$ CLI=xcli-$$
	"$VOSCTL" create "$SRV" --ro "$XD:$XD" --service vos.Echo=/bin/cat \
		--service "vos.Whoami=$XD/whoami" --service "vos.Seven=$XD/seven"
	"$VOSCTL" create "$CLI" --ro "$XD:$XD"
}

teardown_file() {
	# what vosd said, as TAP comments
	[ -f "$XD/vosd.log" ] && sed 's/^/# /' "$XD/vosd.log" >&3
	"$VOSCTL" rm --force "$SRV" >/dev/null 2>&1 || true
	"$VOSCTL" rm --force "$CLI" >/dev/null 2>&1 || true
	[ -f "$XD/vosd.pid" ] && kill "$(cat "$XD/vosd.pid")" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$XD"
}

# vos-call inside the client subsystem, stdin from $1
call_in() {
	local input=$1
	shift
	printf '%s' "$input" | "$VOSCTL" exec "$CLI" -- "$XD/vos-call" "$@"
}

@test "the socket is there inside, and nothing else of the host's /run" {
	run "$VOSCTL" exec "$CLI" -- sh -c 'ls -A /run/vos; ls -A /run'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = vosd.sock ]
	[ "${lines[1]}" = vos ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "allow: the handler gets the stream and the caller's name from the kernel" {
	policy "vos.Echo $CLI $SRV allow" "vos.Whoami @anyvm @anyvm allow"
	run call_in "hello through vosd" "$SRV" vos.Echo
	[ "$status" -eq 0 ]
	[ "$output" = "hello through vosd" ]
	run call_in "x" "$SRV" vos.Whoami+arg1
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "remote=$CLI service=vos.Whoami arg=arg1" ]
	[ "${lines[1]}" = x ]
	grep -q "call vos.Echo $CLI -> $SRV: allow (.*50-test.policy:1) to $SRV" "$XD/vosd.log"
}

@test "allow: vos-call exits with the handler's status" {
	policy "* @anyvm @anyvm allow"
	run call_in "" "$SRV" vos.Seven
	[ "$status" -eq 7 ]
}

@test "deny and no match: 126, denied by policy, audited" {
	policy "vos.Echo $CLI $SRV deny" "vos.Whoami $SRV $CLI allow"
	run call_in "x" "$SRV" vos.Echo
	[ "$status" -eq 126 ]
	[[ "$output" == *"denied by policy (denied by $XD/policy.d/50-test.policy:1)"* ]]
	run call_in "x" "$SRV" vos.Whoami
	[ "$status" -eq 126 ]
	[[ "$output" == *"denied by policy (no rule matched)"* ]]
	grep -q "call vos.Echo $CLI -> $SRV: deny (denied by" "$XD/vosd.log"
}

@test "fail closed: one broken file denies every call until it is fixed" {
	policy "* @anyvm @anyvm allow"
	echo "vos.Echo $CLI" >"$XD/policy.d/90-broken.policy"
	run "$VOSCTL" policy reload
	[ "$status" -eq 0 ]
	[ "$output" = "rules=1 problems=1" ]
	run call_in "x" "$SRV" vos.Echo
	[ "$status" -eq 126 ]
	[[ "$output" == *"the policy does not parse"*"90-broken.policy:1: too few fields"* ]]
	# fixed, and read again on SIGHUP (handled before the next connection)
	rm "$XD/policy.d/90-broken.policy"
	kill -HUP "$(cat "$XD/vosd.pid")"
	run call_in "back" "$SRV" vos.Echo
	[ "$status" -eq 0 ]
	[ "$output" = back ]
}

@test "a forged source in the request is refused; the kernel's source decides" {
	policy "vos.Echo $SRV $SRV allow"
	# call-from is the host administrator's; from inside it is refused
	run "$VOSCTL" exec "$CLI" -- python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect("/run/vos/vosd.sock")
s.sendall(("VOS1 call-from %s %s vos.Echo\n" % (sys.argv[1], sys.argv[1])).encode())
print(s.recv(200).decode().strip())' "$SRV"
	[ "$status" -eq 0 ]
	[ "$output" = "err perm 'call-from' is for root on the host only" ]
	# and a plain call from cli is cli's, whatever it claims elsewhere
	run call_in "x" "$SRV" vos.Echo
	[ "$status" -eq 126 ]
}

@test "a caller in a PID namespace that is no subsystem is refused" {
	policy "* * * allow"
	VOSD_SOCKET=/run/virtos/vosd/vosd.sock run unshare --pid --fork "$XD/vos-call" "$SRV" vos.Echo </dev/null
	[ "$status" -eq 122 ]
	[[ "$output" == *"callers outside the host and vos subsystems are refused"* ]]
}

@test "a service nobody offers, a target that does not exist, bad names: refused" {
	policy "* @anyvm @anyvm allow"
	run call_in "" "$SRV" vos.Nothing
	[ "$status" -eq 121 ]
	[[ "$output" == *"offers no service vos.Nothing"* ]]
	run call_in "" nosuch-$$ vos.Echo
	[ "$status" -eq 121 ]
	[[ "$output" == *"no subsystem nosuch-$$"* ]]
	run call_in "" "$SRV" ../etc
	[ "$status" -eq 124 ]
	[[ "$output" == *"invalid service name in the call"* ]]
}

@test "the host calls as @host; vosctl call exits 126 when denied" {
	policy "vos.Echo @host $SRV allow"
	run sh -c "echo from-host | '$VOSCTL' call '$SRV' vos.Echo"
	[ "$status" -eq 0 ]
	[ "$output" = from-host ]
	run "$VOSCTL" call "$CLI" vos.Echo </dev/null
	[ "$status" -eq 126 ]
	[[ "$output" == *"denied by policy"* ]]
	# root on the host may call as a subsystem
	policy "vos.Echo $CLI $SRV allow"
	run sh -c "echo as-cli | '$VOSCTL' call --from '$CLI' '$SRV' vos.Echo"
	[ "$status" -eq 0 ]
	[ "$output" = as-cli ]
}
