#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl log (issue 13): the crossings vos.ko reports, through vosd's calls.
# One vosd (its own policy directory, the default socket), a server
# subsystem offering vos.Echo and a client. Checked: an allowed call from a
# subsystem is a channel opened and closed with the bytes each way, in
# text and JSON, with the sequence numbers increasing; a denied call is
# "refused" with verdict deny; a call from the host goes through a channel
# bound to the calling vosctl (source @host) and works; --follow prints a
# call made after it started and --count ends it; usage errors. The
# channel's own guarantees (ends useless elsewhere, revocation, rmmod) are
# in tests/integration/module/vos-channel.c. vosd and the follower are
# waited on (--ready-fd, the events subscription), never by sleeping.
# Budget: under a minute on a stock kernel under TCG (two subsystems, five
# calls; measured on 6.1, 2 vCPUs, with other guests on the machine: 42 s).

load helpers

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-log.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d"
	cp "$TOP/build/vos-call" "$XD/vos-call"
	vosd_start
	export SRV=lsrv-$$ CLI=lcli-$$
	"$VOSCTL" create "$SRV" --ro "$XD:$XD" --service vos.Echo=/bin/cat
	"$VOSCTL" create "$CLI" --ro "$XD:$XD"
}

teardown_file() {
	[ -f "$XD/vosd.log" ] && sed 's/^/# /' "$XD/vosd.log" >&3
	"$VOSCTL" rm --force "$SRV" >/dev/null 2>&1 || true
	"$VOSCTL" rm --force "$CLI" >/dev/null 2>&1 || true
	[ -f "$XD/vosd.pid" ] && kill "$(cat "$XD/vosd.pid")" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf /run/virtos/vosd "/run/virtos/services/$SRV"
	rm -rf "$XD"
}

teardown() {
	kill_bg
}

# The JSON records of vosctl log about service $1, one per line
log_of() {
	"$VOSCTL" log --json | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    if d.get("service") == sys.argv[1]:
        print(json.dumps(d))' "$1"
}

@test "an allowed call: opened, then closed with the bytes each way" {
	policy "vos.Echo $CLI $SRV allow"
	run sh -c "printf 'twelve bytes' | '$VOSCTL' exec '$CLI' -- '$XD/vos-call' '$SRV' vos.Echo+one"
	check_status 0
	[ "$output" = "twelve bytes" ]
	run log_of vos.Echo+one
	check_status 0
	[ "${#lines[@]}" -eq 2 ]
	[ "$(json_get "${lines[0]}" 'd["phase"], d["verdict"], d["source"], d["target"]')" = \
		"opened allow $CLI $SRV" ]
	[ "$(json_get "${lines[1]}" 'd["phase"], d["bytes_out"], d["bytes_in"]')" = "closed 12 12" ]
	# the same channel, later in vos.ko's numbering
	[ "$(json_get "${lines[0]}" 'd["channel"]')" = "$(json_get "${lines[1]}" 'd["channel"]')" ]
	[ "$(json_get "${lines[0]}" 'd["seq"]')" -lt "$(json_get "${lines[1]}" 'd["seq"]')" ]
	# and as text
	run "$VOSCTL" log
	check_status 0
	[[ "$output" == *" closed allow vos.Echo+one $CLI -> $SRV channel="*" out=12 in=12"* ]]
}

@test "a denied call is reported refused, with the verdict" {
	policy "vos.Echo $CLI $SRV deny"
	run sh -c "echo x | '$VOSCTL' exec '$CLI' -- '$XD/vos-call' '$SRV' vos.Echo+two"
	check_status 126
	run log_of vos.Echo+two
	check_status 0
	[ "${#lines[@]}" -eq 1 ]
	[ "$(json_get "${lines[0]}" 'd["phase"], d["verdict"], d["source"], d["target"], d["channel"]')" = \
		"refused deny $CLI $SRV 0" ]
}

@test "a call from the host gets a channel bound to the calling vosctl" {
	policy "vos.Echo @host $SRV allow"
	run sh -c "echo from-host | '$VOSCTL' call '$SRV' vos.Echo+three"
	check_status 0
	[ "$output" = from-host ]
	run log_of vos.Echo+three
	check_status 0
	[ "${#lines[@]}" -eq 2 ]
	[ "$(json_get "${lines[1]}" 'd["phase"], d["source"], d["source_id"], d["bytes_out"], d["bytes_in"]')" = \
		"closed @host 0 10 10" ]
}

@test "--follow prints a call made after it started; --count ends it" {
	policy "vos.Echo $CLI $SRV allow"
	bg_vosctl log --follow --count 2 --json >"$XD/follow.out"
	wait_listening "$BGPID"
	run sh -c "echo late | '$VOSCTL' exec '$CLI' -- '$XD/vos-call' '$SRV' vos.Echo+four"
	check_status 0
	wait_pid "$BGPID" 30
	[ "$waited_status" -eq 0 ]
	run grep -c '"service":"vos.Echo+four"' "$XD/follow.out"
	[ "$output" = 2 ]
	grep -q '"phase":"opened"' "$XD/follow.out"
	grep -q '"phase":"closed"' "$XD/follow.out"
}

@test "usage: no argument, --count only with --follow" {
	run "$VOSCTL" log extra
	check_status 124
	[[ "$output" == *"unexpected argument 'extra'"* ]]
	run "$VOSCTL" log --count 3
	check_status 124
	[[ "$output" == *"--count goes with --follow"* ]]
}
