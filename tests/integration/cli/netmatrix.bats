#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The connectivity matrix (issue 12): net (host, provider) -> fw (provider)
# -> web, db; lone (host); vault (no link); and a "wan" namespace behind
# the host at 192.0.2.2. Every subsystem sends to every listener and to
# wan; netmatrix.py predicts each pair from what `vosctl net show --json`
# and `vosctl firewall list --json` report and checks it: a closed pair
# must be counted as dropped by vos.ko, an open one must arrive. About 40 s
# per kernel (8 subsystems' execs on TCG).

load helpers

setup() {
	subsys_setup
	wan_up
	ip -n vos-wan route add default via 192.0.2.1
}

teardown() {
	wan_down
	subsys_teardown
}

@test "matrix: every subsystem to every listener and to wan, as net show and the rules predict" {
	local net fw web db lone vault
	net=$(tname net)
	fw=$(tname fw)
	web=$(tname web)
	db=$(tname db)
	lone=$(tname lone)
	vault=$(tname vault)
	vosctl create "$net" --uplink host --provides-network
	vosctl create "$fw" --uplink "$net" --provides-network
	vosctl create "$web" --uplink "$fw"
	vosctl create "$db" --uplink "$fw"
	vosctl create "$lone" --uplink host
	vosctl create "$vault"
	vosctl firewall "$web" add action=accept proto=udp "dsthost=@$db" dstports=9001
	vosctl firewall "$db" add action=accept "dsthost=@$web"
	vosctl firewall "$db" policy drop
	vosctl firewall "$lone" add action=accept dsthost=192.0.2.0/24
	vosctl firewall "$lone" policy drop
	vosctl firewall "$fw" add action=drop proto=udp dsthost=192.0.2.2 dstports=9001
	run python3 "$BATS_TEST_DIRNAME/netmatrix.py" "$VOSCTL" "$TMPD" \
		"$net" "$fw" "$web" "$db" "$lone" "$vault"
	printf '%s\n' "$output"
	check_status 0
	# the matrix is not trivial: both kinds are there
	[[ "$output" == *"31 pairs, 10 open, 21 closed as predicted; 0 differences"* ]]
}
