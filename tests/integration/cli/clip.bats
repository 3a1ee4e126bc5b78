#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The two-step clipboard (issue 13, vos.Clipboard) through vosctl clip and
# vos-clip, with three running subsystems A, B and C and a policy that
# allows A -> B only: A's clipboard reaches B and nobody else, the slot is
# empty after the paste, a refused pair leaves the target's clipboard and
# the slot as they were, an image keeps its MIME type and its bytes, the
# slot's expiry (clip_ttl_ms 0) and size limit (clip_max_bytes) as vosctl
# reports them, and usage errors. vos.ko's own suite (vos-clip) covers the
# ioctls, events and bad input. No vosd, no sleeps.
# Run time: 56 s on the stock 6.1 kernel under TCG (measured; three
# subsystems made once, about forty vosctl runs).

load helpers

PARAM=/sys/module/vos/parameters

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-clip.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d"
	cp "$TOP/build/vos-clip" "$XD/"
	export A=clipa-$$ B=clipb-$$ C=clipc-$$
	for s in "$A" "$B" "$C"; do
		"$VOSCTL" create "$s" --ro "$XD:$XD"
	done
	printf '%s\n' "vos.Clipboard $A $B allow" "vos.Clipboard * * deny" \
		>"$XD/policy.d/50-clip.policy"
}

teardown_file() {
	for s in "$A" "$B" "$C"; do
		"$VOSCTL" rm --force "$s" >/dev/null 2>&1 || true
	done
	echo 60000 >$PARAM/clip_ttl_ms
	echo 4194304 >$PARAM/clip_max_bytes
	"$VOSCTL" clip clear >/dev/null 2>&1 || true
	rm -rf "$XD"
}

teardown() {
	kill_bg
}

setup() {
	"$VOSCTL" clip clear
	for s in "$A" "$B" "$C"; do
		"$VOSCTL" exec "$s" -- "$XD/vos-clip" clear
	done
}

# inside NAME 'shell command'
inside() {
	"$VOSCTL" exec "$1" -- sh -c "$2"
}

paste() {
	vosctl clip paste --config-dir "$XD/policy.d" --to "$@"
}

@test "A -> B: delivered with its type, C gets nothing, the slot is empty after" {
	inside "$A" "printf 'hello from A' | $XD/vos-clip put"
	run vosctl clip copy --from "$A"
	check_status 0
	[[ $output == "copied 12 bytes (text/plain;charset=utf-8) from $A into the clipboard slot"* ]]
	run vosctl clip show --json
	check_status 0
	[ "$(json_get "$output" 'd["source"]')" = "$A" ]
	[ "$(json_get "$output" 'd["bytes"]')" = 12 ]
	# the paste is an event about B, naming A's id as the source
	bg_vosctl events -n 1 "$B" >"$XD/ev"
	EVPID=$BGPID
	wait_listening "$EVPID"
	run paste "$B"
	check_status 0
	[ "$output" = "pasted 12 bytes (text/plain;charset=utf-8) from $A into $B; the slot is empty" ]
	wait_pid "$EVPID" 20
	ida=$(json_get "$("$VOSCTL" show "$A" --json)" 'd["id"]')
	grep -q " clip $B id=[0-9]* op=paste seq=[0-9]* bytes=12 source_id=$ida mime=text/plain;charset=utf-8\$" "$XD/ev" || {
		cat "$XD/ev" >&2
		false
	}
	run inside "$B" "$XD/vos-clip get"
	check_status 0
	[ "$output" = "hello from A" ]
	run inside "$B" "$XD/vos-clip type"
	[ "$output" = "text/plain;charset=utf-8" ]
	run vosctl clip show
	[ "$output" = "the clipboard slot is empty" ]
	# a second paste, and C, find nothing
	run paste "$B"
	check_status 121
	[[ $output == *"the clipboard slot is empty"* ]]
	run paste "$C"
	check_status 121
	run inside "$C" "$XD/vos-clip get"
	check_status 1
	[ "$output" = "vos-clip: the clipboard is empty" ]
}

@test "a refused pair: the target's clipboard and the slot stay as they were" {
	inside "$C" "printf 'C keeps this' | $XD/vos-clip put"
	inside "$A" "printf 'secret of A' | $XD/vos-clip put"
	vosctl clip copy --from "$A"
	run paste "$C"
	check_status 126
	[[ $output == *"$A -> $C denied by policy"* ]]
	run inside "$C" "$XD/vos-clip get"
	[ "$output" = "C keeps this" ]
	run vosctl clip show --json
	[ "$(json_get "$output" 'd["source"]')" = "$A" ]
	# B -> A is not allowed either: the policy names the direction
	inside "$B" "printf 'from B' | $XD/vos-clip put"
	vosctl clip copy --from "$B"
	run paste "$A"
	check_status 126
	run inside "$A" "$XD/vos-clip get"
	[ "$output" = "secret of A" ]
	# a policy directory that does not parse refuses everything
	mkdir -p "$XD/broken.d"
	echo 'vos.Clipboard nonsense' >"$XD/broken.d/1.policy"
	vosctl clip copy --from "$A"
	run vosctl clip paste --config-dir "$XD/broken.d" --to "$B"
	check_status 126
	[[ $output == *"does not parse"* ]]
	run inside "$B" "$XD/vos-clip get"
	[ "$output" = "from B" ]
}

@test "an image keeps its MIME type and every byte" {
	inside "$A" "{ printf '\\211PNG\\r\\n\\032\\n'; head -c 3000 /dev/urandom; } >/tmp/i.png &&
		$XD/vos-clip put </tmp/i.png && sha256sum </tmp/i.png >/tmp/sum"
	vosctl clip copy --from "$A"
	run paste "$B"
	check_status 0
	[[ $output == "pasted 3008 bytes (image/png) from $A into $B"* ]]
	want=$(inside "$A" "cat /tmp/sum")
	got=$(inside "$B" "$XD/vos-clip get | sha256sum")
	[ "$got" = "$want" ]
}

@test "expiry and size limit, as vos.ko's parameters set them" {
	inside "$A" "printf 'soon gone' | $XD/vos-clip put"
	echo 0 >$PARAM/clip_ttl_ms
	vosctl clip copy --from "$A"
	run paste "$B"
	echo 60000 >$PARAM/clip_ttl_ms
	check_status 121
	[[ $output == *"the clipboard slot is empty (nothing copied, or it expired)"* ]]
	echo 8 >$PARAM/clip_max_bytes
	run vosctl clip copy --from "$A"
	echo 4194304 >$PARAM/clip_max_bytes
	check_status 124
	[[ $output == *"over the slot's size limit"* ]]
	run vosctl clip show
	[ "$output" = "the clipboard slot is empty" ]
}

@test "copy from an empty clipboard, usage errors" {
	run vosctl clip copy --from "$A"
	check_status 121
	[[ $output == *"the clipboard of '$A' is empty"* ]]
	run vosctl clip copy
	check_status 124
	run vosctl clip paste --from "$A"
	check_status 124
	# --focused asks sway (gui.bats has it): none here
	SWAYSOCK='' run vosctl clip copy --focused
	check_status 124
	[[ $output == *"SWAYSOCK is not set"* ]]
	run vosctl clip copy --focused --from "$A"
	check_status 124
	[[ $output == *"--focused names the subsystem: no --from or --to"* ]]
	run vosctl clip frob
	check_status 124
	run vosctl clip copy --from 'no/such'
	check_status 124
	run vosctl clip copy --from nosuch-$$
	check_status 121
}
