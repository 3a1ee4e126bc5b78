#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Killing vosctl at any moment of a start leaves nothing of the network
# behind once the subsystem is gone (issue 12): no veth, no address, no
# route (on the host or in a provider), no binding in vos.ko. The kill is
# the stimulus (SIGKILL after 0 to 300 ms, spread over a start's steps);
# the checks wait only for the subsystems to be gone, which must happen.
# About 30 s per kernel (the published-port test adds about 5 s).

load helpers

setup() {
	subsys_setup
}

teardown() {
	subsys_teardown
}

# state NS: the links and routes of a namespace ("host" or a subsystem)
links() {
	if [ "$1" = host ]; then
		ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | grep '^vos' | sort
	else
		vosctl exec "$1" -- ip -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort
	fi
}

routes() {
	if [ "$1" = host ]; then
		ip -4 route show | grep ' dev vos' | sort
	else
		vosctl exec "$1" -- ip -4 route show | sort
	fi
}

@test "netkill: SIGKILL of vosctl during --uplink starts (host and provider) leaves no link, route or binding" {
	local net i ms before_links before_routes net_links net_routes n
	net=$(tname net)
	vosctl create "$net" --uplink host --provides-network
	before_links=$(links host)
	before_routes=$(routes host)
	net_links=$(links "$net")
	net_routes=$(routes "$net")
	for i in $(seq 1 24); do
		ms=$(((i * 37) % 300))
		case $((i % 3)) in
		0) timeout -s KILL "0.$(printf %03d $ms)" "$VOSCTL" run --name "$(tname k$i)" --uplink host -- true ;;
		1) timeout -s KILL "0.$(printf %03d $ms)" "$VOSCTL" run --name "$(tname k$i)" --uplink "$net" -- true ;;
		2) timeout -s KILL "0.$(printf %03d $ms)" "$VOSCTL" run --name "$(tname k$i)" --uplink "$net" --provides-network -- true ;;
		esac >/dev/null 2>&1 || true
	done
	# the killed ones end (their init goes with vosctl): wait for that
	timeout 60 sh -c "while '$VOSCTL' ls -q | grep -q '^$(tprefix)k'; do :; done"
	# ...and their namespaces, asynchronously after the last process: the
	# far ends go with them (bounded wait for a condition, not a sleep)
	timeout 60 sh -c "while [ \"\$(ip -o link show | grep -c ' vos')\" != \"$(echo "$before_links" | grep -c vos)\" ]; do :; done" || true
	[ "$(links host)" = "$before_links" ]
	[ "$(routes host)" = "$before_routes" ]
	n=0
	until [ "$(links "$net")" = "$net_links" ] || [ $n -ge 200 ]; do n=$((n + 1)); done
	[ "$(links "$net")" = "$net_links" ]
	[ "$(routes "$net")" = "$net_routes" ]
	# vos.ko: only net is bound, with no clients
	run vosctl net show --json
	[ "$(json_get "$output" "[r['name'] for r in d if r['link'] and r['name'].startswith('$(tprefix)')]")" = "['$net']" ]
	[ "$(json_get "$output" "[r['clients'] for r in d if r['name'] == '$net']")" = "[[]]" ]
	# and the nft table holds the one masquerade rule
	[ "$(nft list chain ip virtos postrouting | grep -c masquerade)" = 1 ]
}

@test "netkill: a killed 'vosctl run --publish' leaves no published port behind once its subsystem is gone" {
	local n line
	n=$(tname pk)
	mkfifo "$TMPD/out"
	# the fifo open here first (a read-write open does not block): the
	# redirections of a function call are made by this shell. The command
	# blocks until it is killed with vosctl's subsystem.
	exec 8<>"$TMPD/out"
	bg_vosctl run --name "$n" --uplink host --publish tcp:18081:80 -- \
		sh -c 'echo up; exec sleep infinity' >"$TMPD/out"
	read -r line <&8
	[ "$line" = up ]
	run vosctl publish "$n" --json
	[ "$(json_get "$output" '[p["publish"] for p in d]')" = "['tcp:18081:80']" ]
	kill -9 "$BGPID"
	exec 8<&-
	# the subsystem ends with vosctl's fd (bounded wait for a condition)
	timeout 60 sh -c "while '$VOSCTL' ls -q | grep -qx '$n'; do :; done"
	# listings leave the dead subsystem's port out at once
	run vosctl publish "$n" --json
	check_status 0
	[ "$output" = "[]" ]
	# the next change of the chain drops its rule, and its host port is free
	run vosctl run --uplink host --publish tcp:18081:80 -- true
	check_status 0
	run nft list chain ip virtos publish
	[[ $output != *"vos $n "* ]]
	[[ $output != *"18081"* ]]
}
