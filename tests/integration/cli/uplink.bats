#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl run --uplink host: a subsystem's link to the host, routed and
# masqueraded, bound in vos.ko (issue 12). The outside world is a "wan"
# network namespace this suite makes: host 192.0.2.1/24 <-> wan 192.0.2.2
# (its host end is not named vos*: those are subsystems' links, which the
# host does not masquerade toward),
# with a UDP server on 192.0.2.2:9000 that answers each datagram with the
# source address it came from and every payload it has received so far.
# That answer is the event the tests wait for: a datagram sent before the
# answered one on the same path was received or dropped by then, so no test
# waits for something that should not happen. About 30 s per kernel.

load helpers

WAN_PY='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.2", 9000))
print("ready", flush=True)
got = []
while True:
    data, a = s.recvfrom(100)
    got.append(data.decode())
    s.sendto(("from %s got %s" % (a[0], ",".join(got))).encode(), a)
'

# Inside: send "p" from SRC (unless "none") and then "m" from the link's own
# address; print the server's answer to "m".
CLIENT_PY='
import socket, sys
if sys.argv[1] != "none":
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind((sys.argv[1], 0))
    a.sendto(b"p", ("192.0.2.2", 9000))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.settimeout(30)
try:
    b.sendto(b"m", ("192.0.2.2", 9000))
    print(b.recv(200).decode())
except OSError as e:
    print("error:", e.strerror or e)
'

setup() {
	subsys_setup
	wan_up
	# no reverse-path filter on the host: only vos.ko may drop a spoof
	sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	mkfifo "$TMPD/ready"
	ip netns exec vos-wan python3 -c "$WAN_PY" >"$TMPD/ready" 3>&- &
	WANPID=$!
	read -r _ <"$TMPD/ready" # the server is bound
}

teardown() {
	kill "$WANPID" 2>/dev/null || true
	ip link del ctl-h 2>/dev/null || true
	ip netns del vos-ctl 2>/dev/null || true
	wan_down
	subsys_teardown
}

@test "uplink host: eth0 with a /30 of 10.213.0.0/16, a default route via the host end" {
	run vosctl run --uplink host -- sh -c 'ip -4 -o addr show dev eth0; ip route show default'
	check_status 0
	[[ "${lines[0]}" =~ eth0\ +inet\ 10\.213\.[0-9]+\.[0-9]+/30 ]]
	[[ "${lines[1]}" =~ ^default\ via\ 10\.213\.[0-9]+\.[0-9]+\ dev\ eth0 ]]
}

@test "uplink host: the outside is reachable, masqueraded behind the host" {
	run vosctl run --uplink host -- python3 -c "$CLIENT_PY" none
	check_status 0
	[ "$output" = "from 192.0.2.1 got m" ]
}

@test "uplink none (the default): loopback only, the outside is unreachable" {
	run vosctl run -- python3 -c "$CLIENT_PY" none
	check_status 0
	[ "$output" = "error: Network is unreachable" ]
}

# The control of the next two: a namespace made by hand, linked and routed
# like a subsystem but not bound in vos.ko, gets a spoofed source through.
@test "uplink: control: without vos.ko's check the host forwards a spoofed source" {
	ip netns add vos-ctl
	ip link add ctl-h type veth peer name eth0 netns vos-ctl
	ip addr add 10.213.254.253/30 dev ctl-h
	ip link set ctl-h up
	ip -n vos-ctl addr add 10.213.254.254/30 dev eth0
	ip -n vos-ctl addr add 10.213.254.250/32 dev eth0
	ip -n vos-ctl link set eth0 up
	ip -n vos-ctl route add default via 10.213.254.253
	sysctl -qw net.ipv4.conf.ctl-h.rp_filter=0
	run ip netns exec vos-ctl python3 -c "$CLIENT_PY" 10.213.254.250
	[ "$output" = "from 192.0.2.1 got p,m" ]
}

@test "uplink host: a spoofed source (CAP_NET_ADMIN inside) is dropped by vos.ko, and reported" {
	local n ev
	n=$(tname spoof)
	bg_vosctl events --json "$n" >"$TMPD/ev"
	EVPID=$BGPID
	wait_listening "$EVPID"
	run vosctl run --name "$n" --uplink host --root --cap-add NET_ADMIN -- sh -c "
		ip addr add 10.213.255.250/32 dev eth0 &&
		python3 -c '$CLIENT_PY' 10.213.255.250"
	check_status 0
	[ "$output" = "from 192.0.2.1 got m" ]
	# the drop event: it comes within a tenth of a second (20 s: a hang)
	ev=$(timeout 20 tail -n +1 -f "$TMPD/ev" | grep -m1 '"net-denied"')
	kill "$EVPID"
	[ "$(json_get "$ev" '[d["reason"], d["src"], d["dst"], d["dport"], d["rule"]]')" = "['spoof', '10.213.255.250', '192.0.2.2', 9000, 0]" ]
	# the link is IPv4 only: no IPv6 from eth0 to drop
	run vosctl run --uplink host -- cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6
	[ "$output" = 1 ]
}

@test "uplink host: nothing inside undoes the check (flush nft, replace routes)" {
	# (the marker keeps the link's own address as its source; the spoofed
	# datagram is bound to the new one explicitly)
	run vosctl run --uplink host --root --cap-add NET_ADMIN -- sh -c "
		own=\$(ip -4 -o addr show dev eth0 | awk '{ sub(/\\/.*/, \"\", \$4); print \$4 }')
		gw=\$(ip route show default | awk '{ print \$3 }')
		nft flush ruleset 2>/dev/null
		ip route replace default via \$gw dev eth0 src \$own &&
		ip addr add 10.213.255.251/32 dev eth0 &&
		python3 -c '$CLIENT_PY' 10.213.255.251"
	check_status 0
	[ "$output" = "from 192.0.2.1 got m" ]
}

@test "uplink host: two subsystems get their own links and addresses" {
	local n1 n2 a1 a2 id1
	n1=$(tname one)
	n2=$(tname two)
	vosctl create "$n1" --uplink host
	vosctl create "$n2" --uplink host
	a1=$(vosctl exec "$n1" -- ip -4 -o addr show dev eth0 | awk '{print $4}')
	a2=$(vosctl exec "$n2" -- ip -4 -o addr show dev eth0 | awk '{print $4}')
	[[ "$a1" == 10.213.*/30 ]] && [[ "$a2" == 10.213.*/30 ]] && [ "$a1" != "$a2" ]
	id1=$(json_get "$(vosctl show "$n1" --json)" 'd["id"]')
	ip -o link show "vos$id1" | grep -q "vos$id1@"
	run vosctl exec "$n2" -- python3 -c "$CLIENT_PY" none
	[ "$output" = "from 192.0.2.1 got m" ]
}

@test "uplink: bad values and --share-net with --uplink host are refused (124)" {
	run --separate-stderr vosctl run --uplink mars/x -- true
	check_status 124
	[[ "$stderr" == *"--uplink: 'mars/x' is not an uplink: use none (loopback only), host"* ]]
	run --separate-stderr vosctl run --uplink host --share-net -- true
	check_status 124
	[[ "$stderr" == *"--share-net and --uplink both choose the network: give one of them"* ]]
	run --separate-stderr vosctl run --share-net --uplink host -- true
	check_status 124
	[[ "$stderr" == *"--share-net and --uplink both choose the network"* ]]
}

@test "uplink: the pool comes from network.conf; addresses and the masquerade follow it, a bad file is refused" {
	printf '# test\n[Network]\nPool=10.214.0.0/16\n' >"$TMPD/network.conf"
	export VIRTOS_NETWORK_CONF=$TMPD/network.conf
	run vosctl run --uplink host -- sh -c "ip -4 -o addr show dev eth0 | awk '{ print \$4 }'"
	[[ "$output" == 10.214.*/30 ]]
	run vosctl run --uplink host -- python3 -c "$CLIENT_PY" none
	[ "$output" = "from 192.0.2.1 got m" ]
	# both pools keep their way out
	nft list set ip virtos pools | grep -q '10.214.0.0/16'
	nft list set ip virtos pools | grep -q '10.213.0.0/16'
	printf '[Network]\nPool=10.214.0.0/26\n' >"$TMPD/network.conf"
	run --separate-stderr vosctl run --uplink host -- true
	unset VIRTOS_NETWORK_CONF
	check_status 124
	[[ "$stderr" == *"$TMPD/network.conf:2: Pool=10.214.0.0/26: use an IPv4 range A.B.C.D/N with N 8..24 and no host bits"* ]]
}
