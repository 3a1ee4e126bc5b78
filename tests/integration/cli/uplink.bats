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
# waits for something that should not happen. About 30 s per kernel
# (measured before the two IPv6 tests, which add a few seconds).

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
	# IPv6 is on (its twin address), taken from no advertisement
	run vosctl run --uplink host -- cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6 /proc/sys/net/ipv6/conf/eth0/accept_ra
	[ "$output" = "0
0" ]
}

# Inside, IPv6: send "p" to [GW6]:9006 from SRC ("link": the link's own
# address); with "answer", print the host server's answer to it; else send
# the IPv4 marker "m" to wan and print its answer (by then "p" was
# delivered or dropped: one link, in order).
CLIENT6_PY='
import socket, sys
src, gw6, mode = sys.argv[1:4]
a = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
if src != "link":
    a.bind((src, 0))
a.settimeout(30)
a.sendto(b"p", (gw6, 9006))
try:
    if mode == "answer":
        print(a.recv(200).decode())
    else:
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        b.settimeout(30)
        b.sendto(b"m", ("192.0.2.2", 9000))
        print(b.recv(200).decode())
except OSError as e:
    print("error:", e.strerror or e)
'

# The IPv6 server on the host: answers "from SRC" at [GW6]:9006
SERVER6_PY='
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 9006))
print("ready", flush=True)
while True:
    data, a = s.recvfrom(100)
    s.sendto(("from %s" % a[0]).encode(), a)
'

# drops of subsystem $1 no rule matched: "spoofed other"
drops() {
	json_get "$(vosctl firewall "$1" list --json)" '"%d %d" % (d["dropped_spoof"], d["dropped_other"])'
}

@test "uplink host: IPv6: the twin address; the host over IPv6 only by a rule; a forged IPv6 source dropped" {
	local n a6 gw6 d0 d1 spid
	n=$(tname six)
	run vosctl create "$n" --uplink host --cap-add NET_ADMIN
	check_status 0
	a6=$(json_get "$(vosctl net show "$n" --json)" 'd[0]["address6"]')
	[[ $a6 == fd76:6f73::* ]]
	[ "$(vosctl exec "$n" -- ip -6 -o addr show dev eth0 scope global | awk '{ print $4 }')" = "$a6/126" ]
	gw6=$(vosctl exec "$n" -- ip -6 route show default | awk '{ print $3 }')
	[[ $gw6 == fd76:6f73::* ]]
	mkfifo "$TMPD/ready6"
	python3 -c "$SERVER6_PY" "$gw6" >"$TMPD/ready6" 3>&- &
	spid=$!
	read -r _ <"$TMPD/ready6"
	# no rule: dropped though the policy accepts (IPv4 passes: the marker)
	d0=$(drops "$n")
	run vosctl exec "$n" -- python3 -c "$CLIENT6_PY" link "$gw6" marker
	[ "$output" = "from 192.0.2.1 got m" ]
	d1=$(drops "$n")
	[ "${d1#* }" -ge $((${d0#* } + 1)) ]
	# a rule for it: it gets through and is answered
	run vosctl firewall "$n" add action=accept proto=udp dsthost="$gw6" dstports=9006
	check_status 0
	run vosctl exec "$n" -- python3 -c "$CLIENT6_PY" link "$gw6" answer
	[ "$output" = "from $a6" ]
	run vosctl firewall "$n" list --json
	[ "$(json_get "$output" '(d["rules"][0]["dsthost"], d["rules"][0]["packets"])')" = "('$gw6', 1)" ]
	# a second address inside (CAP_NET_ADMIN there): spoofed, even with the rule
	run vosctl exec "$n" -- ip -6 addr add fd76:6f73::ffff:1/128 dev eth0 nodad
	check_status 0
	d0=$(drops "$n")
	run vosctl exec "$n" -- python3 -c "$CLIENT6_PY" fd76:6f73::ffff:1 "$gw6" marker
	[ "$output" = "from 192.0.2.1 got m,m" ] # (the wan server's second marker)
	d1=$(drops "$n")
	[ "${d1% *}" -ge $((${d0% *} + 1)) ]
	kill "$spid"
}

@test "uplink PROVIDER: IPv6 through a provider: the client's rule decides at its link, the provider forwards, the answer comes back" {
	local p c c6 gw6 spid
	p=$(tname p6)
	c=$(tname c6)
	run vosctl create "$p" --uplink host --provides-network
	check_status 0
	run vosctl create "$c" --uplink "$p"
	check_status 0
	c6=$(json_get "$(vosctl net show "$c" --json)" 'd[0]["address6"]')
	[[ $c6 == fd76:6f73::* ]]
	# the host end of the provider's link
	gw6=$(vosctl exec "$p" -- ip -6 route show default | awk '{ print $3 }')
	mkfifo "$TMPD/ready6"
	python3 -c "$SERVER6_PY" "$gw6" >"$TMPD/ready6" 3>&- &
	spid=$!
	read -r _ <"$TMPD/ready6"
	# the provider drops all IPv4 to the outside: it does not matter to
	# what it forwards (the client's own rules were checked at its link)
	run vosctl firewall "$p" policy drop
	check_status 0
	run vosctl firewall "$c" add action=accept proto=udp dsthost="$gw6/128" dstports=9006
	check_status 0
	run vosctl exec "$c" -- python3 -c "$CLIENT6_PY" link "$gw6" answer
	[ "$output" = "from $c6" ]
	[ "$(json_get "$(vosctl firewall "$c" list --json)" 'd["rules"][0]["packets"]')" = 1 ]
	[ "$(drops "$p")" = "0 0" ]
	kill "$spid"
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
