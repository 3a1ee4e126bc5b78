#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Provider chains (issue 12): net (--uplink host --provides-network) ->
# fw (--uplink net --provides-network) -> web, db (--uplink fw), and vault
# (no uplink). The outside world is a "wan" namespace this suite makes,
# host 192.0.2.1/24 <-> wan 192.0.2.2, with a UDP server on 192.0.2.2 ports
# 9000 and 9002 that answers each datagram with the source it came from and
# every payload it has received so far (on either port). No test waits for something that should not
# happen: a datagram that must be dropped is followed on the same path by
# one that must arrive, and the answer to that one says what came before.
# The chain is made once per test (about 1 s on TCG); about 40 s per kernel.

load helpers

WAN_PY='
import select, socket
socks = []
for port in (9000, 9002):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.2", port))
    socks.append(s)
print("ready", flush=True)
got = []
while True:
    for s in select.select(socks, [], [])[0]:
        data, a = s.recvfrom(100)
        got.append(data.decode())
        s.sendto(("from %s got %s" % (a[0], ",".join(got))).encode(), a)
'

# send.py DST PORT MPORT SRC PAYLOAD...: send each payload to DST:PORT (from
# SRC unless "none"), then "m" to DST:MPORT from the link's own address;
# print the answer to "m" (the marker must be answered: 30 s bounds a hang)
SEND_PY='
import socket, sys
dst, port, mport, src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
for p in sys.argv[5:]:
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if src != "none":
        a.bind((src, 0))
    a.sendto(p.encode(), (dst, port))
b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b.settimeout(30)
try:
    b.sendto(b"m", (dst, mport))
    print(b.recv(200).decode())
except OSError as e:
    print("error:", e.strerror or e)
'

# pyj CODE: run CODE with the JSON document on stdin as d
pyj() {
	python3 -c "import json, sys, ipaddress; d = json.load(sys.stdin)
$1"
}

# A UDP server on ADDR:9001 inside a subsystem that answers like WAN_PY
SERVER_PY='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 9001))
print("ready", flush=True)
got = []
while True:
    data, a = s.recvfrom(100)
    got.append(data.decode())
    s.sendto(("from %s got %s" % (a[0], ",".join(got))).encode(), a)
'

setup() {
	subsys_setup
	wan_up
	mkfifo "$TMPD/ready"
	ip netns exec vos-wan python3 -c "$WAN_PY" >"$TMPD/ready" 3>&- &
	WANPID=$!
	read -r _ <"$TMPD/ready"
	NET=$(tname net)
	FW=$(tname fw)
	WEB=$(tname web)
	DB=$(tname db)
}

teardown() {
	kill "$WANPID" 2>/dev/null || true
	wan_down
	subsys_teardown
}

chain() {
	vosctl create "$NET" --uplink host --provides-network
	vosctl create "$FW" --uplink "$NET" --provides-network --root --cap-add NET_ADMIN --allow-socket netlink
	vosctl create "$WEB" --uplink "$FW" --root --cap-add NET_ADMIN
	vosctl create "$DB" --uplink "$FW"
}

# addr NAME: the subsystem's link address
addr() {
	vosctl exec "$1" -- ip -4 -o addr show dev eth0 | awk '{ sub(/\/.*/, "", $4); print $4 }'
}

idof() {
	json_get "$(vosctl show "$1" --json)" 'd["id"]'
}

send() {
	local who=$1
	shift
	vosctl exec "$who" -- python3 -c "$SEND_PY" "$@"
}

@test "chain: net -> fw -> web comes up; net show reports uplinks, nested ranges, clients" {
	local j
	chain
	j=$(vosctl net show --json)
	assert_json "$j"
	run pyj "
r = {x['name']: x for x in d}
print([(r[n]['uplink'], sorted(r[n]['clients'])) for n in ('$NET', '$FW', '$WEB', '$DB')])" <<<"$j"
	[ "$output" = "[('host', ['$FW']), ('$NET', ['$DB', '$WEB']), ('$FW', []), ('$FW', [])]" ]
	# ranges nest: fw's /24 inside net's /20, web's address inside fw's
	run pyj "
r = {x['name']: x for x in d}
n, f, w = r['$NET'], r['$FW'], r['$WEB']
N, F = ipaddress.ip_network(n['range']), ipaddress.ip_network(f['range'])
print(N.prefixlen, F.prefixlen, F.subnet_of(N), ipaddress.ip_address(f['address']) in N,
      ipaddress.ip_address(w['address']) in F, w['range'], w['provider'] == f['id'],
      n['provider'], w['link'] == 'vos%d' % w['id'])" <<<"$j"
	[ "$output" = "20 24 True True True None True None True" ]
	run vosctl net show "$WEB"
	check_status 0
	[[ "${lines[1]}" =~ ^$WEB\ +$FW\ +10\.213\. ]]
	# a command exec'd in fw has fw's --cap-add NET_ADMIN; one in db, made
	# without it, has not
	vosctl exec "$FW" -- ip addr add 10.9.9.9/32 dev lo
	run vosctl exec "$DB" -- ip addr add 10.9.9.9/32 dev lo
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "chain: web reaches the outside through fw's namespace; fw counts it" {
	local wid before after
	chain
	wid=$(idof "$WEB")
	# /proc/net/dev is the reader's namespace's: fw's, where web's far end is
	before=$(vosctl exec "$FW" -- awk -v d="vos$wid:" '$1 == d { print $3 }' /proc/net/dev)
	run send "$WEB" 192.0.2.2 9000 9000 none
	[ "$output" = "from 192.0.2.1 got m" ]
	after=$(vosctl exec "$FW" -- awk -v d="vos$wid:" '$1 == d { print $3 }' /proc/net/dev)
	[ -n "$before" ] && [ "$after" -gt "$before" ]
	# and the route back: web's address is reached through net and fw
	run vosctl exec "$NET" -- ip route get "$(addr "$WEB")"
	[[ "$output" == *"dev vos$(idof "$FW")"* ]]
}

@test "chain: web's rules hold in fw's namespace; fw's own rules govern only fw" {
	chain
	vosctl firewall "$WEB" add action=drop proto=udp dsthost=192.0.2.2 dstports=9000
	run send "$WEB" 192.0.2.2 9000 9002 none p
	[ "$output" = "from 192.0.2.1 got m" ]
	run vosctl firewall "$WEB" list --json
	[ "$(json_get "$output" 'd["rules"][0]["packets"]')" = 1 ]
	vosctl firewall "$WEB" reset
	# fw at policy drop but for :9002: fw itself is cut off, its clients
	# are not
	vosctl firewall "$FW" add action=accept proto=udp dsthost=192.0.2.2 dstports=9002
	vosctl firewall "$FW" policy drop
	run send "$WEB" 192.0.2.2 9000 9000 none q
	[ "$output" = "from 192.0.2.1 got m,q,m" ]
	run vosctl net show "$FW" --json
	[ "$(json_get "$output" 'd[0]["policy"]')" = drop ]
	run send "$FW" 192.0.2.2 9000 9002 none r
	[ "$output" = "from 192.0.2.1 got m,q,m,m" ]
}

@test "chain: siblings behind fw reach each other only by a rule naming the other" {
	local dba
	chain
	dba=$(addr "$DB")
	mkfifo "$TMPD/dbready"
	vosctl exec "$DB" -- python3 -c "$SERVER_PY" "$dba" >"$TMPD/dbready" 3>&- &
	read -r _ <"$TMPD/dbready"
	# the rules are stateless: db's answers are traffic db sends, so db
	# needs a rule naming web for them
	vosctl firewall "$DB" add action=accept "dsthost=@$WEB"
	# p: no rule of web names db, dropped; then a rule for @db lets the
	# marker in
	vosctl exec "$WEB" -- python3 -c "
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'p', ('$dba', 9001))"
	vosctl firewall "$WEB" add action=accept proto=udp "dsthost=@$DB" dstports=9001
	run send "$WEB" "$dba" 9001 9001 none
	[ "$output" = "from $(addr "$WEB") got m" ]
	run vosctl firewall "$WEB" list --json
	[ "$(json_get "$output" 'd["dropped_other"]')" -ge 1 ]
	# db made again (a new id, maybe a new address): web's @db rule
	# follows the name, without being set again
	vosctl rm --force "$DB"
	vosctl create "$DB" --uplink "$FW"
	vosctl firewall "$DB" add action=accept "dsthost=@$WEB"
	dba=$(addr "$DB")
	mkfifo "$TMPD/dbready2"
	vosctl exec "$DB" -- python3 -c "$SERVER_PY" "$dba" >"$TMPD/dbready2" 3>&- &
	read -r _ <"$TMPD/dbready2"
	run send "$WEB" "$dba" 9001 9001 none
	[ "$output" = "from $(addr "$WEB") got m" ]
	run vosctl firewall "$WEB" list --json
	[ "$(json_get "$output" 'd["rules"][0]["dst_subsys"]')" = "$(idof "$DB")" ]
	[ "$(json_get "$output" 'd["rules"][0]["dsthost"]')" = "@$DB" ]
}

@test "chain: tampering inside fw (CAP_NET_ADMIN): forging web's address or flushing gains nothing" {
	local wa up l1 l2
	# fw's own program has CAP_NET_ADMIN (vosctl exec does not give
	# --cap-add). It says "up" (its link is bound before it runs), waits
	# for web's address on a fifo, tampers, reports, and waits to end.
	vosctl create "$NET" --uplink host --provides-network
	printf '%s' "$SEND_PY" >"$TMPD/send.py"
	mkfifo "$TMPD/go" "$TMPD/done" "$TMPD/fwout"
	chmod 644 "$TMPD/go" "$TMPD/done"
	vosctl run --name "$FW" --uplink "$NET" --provides-network --root --cap-add NET_ADMIN --allow-socket netlink \
		--ro "$TMPD" -- sh -c "
		echo up
		read wa <$TMPD/go
		nft flush ruleset 2>/dev/null
		ip addr add \$wa/32 dev lo &&
			python3 $TMPD/send.py 192.0.2.2 9000 9002 \$wa p &&
			ip addr add \${wa%.*}.250/32 dev lo &&
			python3 $TMPD/send.py 192.0.2.2 9002 9002 \${wa%.*}.250 q
		read x <$TMPD/done" >"$TMPD/fwout" 2>&1 3>&- &
	FWPID=$!
	exec 5<"$TMPD/fwout"
	read -r up <&5
	[ "$up" = up ]
	vosctl create "$WEB" --uplink "$FW"
	wa=$(addr "$WEB")
	vosctl firewall "$WEB" add action=drop proto=udp dsthost=192.0.2.2 dstports=9000
	echo "$wa" >"$TMPD/go"
	read -r l1 <&5
	read -r l2 <&5
	# web's address with what web's rules drop: dropped at fw's link; an
	# unowned address of fw's range: spoofed; the markers from fw's own
	# address arrive
	[ "$l1" = "from 192.0.2.1 got m" ]
	[ "$l2" = "from 192.0.2.1 got m,m" ]
	run vosctl firewall "$FW" list --json
	[ "$(json_get "$output" 'd["dropped_spoof"]')" = 2 ]
	echo >"$TMPD/done"
	wait "$FWPID"
	exec 5<&-
}

@test "chain: fails closed: fw's processes killed, web reaches nothing" {
	local pid
	chain
	run send "$WEB" 192.0.2.2 9000 9000 none
	[ "$output" = "from 192.0.2.1 got m" ]
	pid=$(json_get "$(vosctl show "$FW" --json)" 'd["init_pid"]')
	kill -9 "$pid"
	# the namespace goes after its last process; web's eth0 with it
	# (waiting on the device, bounded: not a sleep)
	timeout 20 sh -c "while vosctl exec '$WEB' -- ip link show eth0 >/dev/null 2>&1; do :; done"
	run send "$WEB" 192.0.2.2 9000 9000 none
	[ "$output" = "error: Network is unreachable" ]
	run vosctl net show "$WEB" --json
	[ "$(json_get "$output" 'd[0]["uplink"]')" = none ]
}

@test "chain: stopping a provider with running clients is refused, naming them; --force stops them first" {
	chain
	run --separate-stderr vosctl stop "$NET"
	check_status 125
	[[ "$stderr" == *"subsystem '$NET' provides the network of 1 running subsystem ($FW): stop it first, or give --force to stop it too"* ]]
	run --separate-stderr vosctl rm "$FW"
	check_status 125
	[[ "$stderr" == *"provides the network of 2 running subsystems"* ]]
	vosctl stop --force -t 2 "$NET"
	for n in "$WEB" "$DB" "$FW" "$NET"; do
		[ "$(json_get "$(vosctl show "$n" --json)" 'd["state"]')" = stopped ]
	done
}

@test "chain: bad uplinks are refused with what to do" {
	local v
	v=$(tname vault)
	vosctl create "$v"
	run --separate-stderr vosctl run --provides-network -- true
	check_status 124
	[[ "$stderr" == *"--provides-network needs an uplink to route to"* ]]
	run --separate-stderr vosctl run --uplink "$(tname nosuch)" -- true
	check_status 121
	[[ "$stderr" == *"the provider must exist first"* ]]
	run --separate-stderr vosctl run --uplink "$v" -- true
	check_status 124
	[[ "$stderr" == *"$v provides no network: create it with --provides-network and an uplink"* ]]
	run --separate-stderr vosctl run --uplink 'no/such' -- true
	check_status 124
	[[ "$stderr" == *"is not an uplink: use none (loopback only), host"* ]]
	# three providers deep is the most: /20, /24, /28
	chain
	vosctl create "$(tname p3)" --uplink "$FW" --provides-network
	run --separate-stderr vosctl run --uplink "$(tname p3)" --provides-network -- true
	check_status 124
	[[ "$stderr" == *"has no room for another provider's"* ]]
}

@test "chain: a published port reaches web through fw and net, and follows web and fw across restarts" {
	chain
	vosctl firewall "$WEB" policy drop
	# web answers what it is asked (its rules must let the answers out)
	vosctl firewall "$WEB" add action=accept proto=udp dsthost=192.0.2.0/24
	run --separate-stderr vosctl publish "$WEB" udp:192.0.2.1:7000:9000
	check_status 0
	run vosctl publish "$WEB" --json
	[ "$(json_get "$output" '[(p["publish"], p["to"]) for p in d]')" = "[('udp:192.0.2.1:7000:9000', '$(addr "$WEB")')]" ]
	server() {
		mkfifo "$TMPD/wready.$1"
		vosctl exec "$WEB" -- python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 9000))
print('ready', flush=True)
d, a = s.recvfrom(100)
s.sendto(b'web got ' + d, a)" >"$TMPD/wready.$1" 3>&- &
		read -r _ <"$TMPD/wready.$1"
	}
	ask() {
		ip netns exec vos-wan python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(30)
s.sendto(b'$1', ('192.0.2.1', 7000))
print(s.recv(100).decode())"
	}
	server 1
	run ask hello
	[ "$output" = "web got hello" ]
	# a host port has one owner
	run --separate-stderr vosctl publish "$DB" udp:7000:53
	check_status 124
	[[ "$stderr" == *"udp port 7000 of the host is published for $WEB already"* ]]
	# fw and web made again: new subsystems, new addresses; the port is
	# kept by name (rm does not remove it) and follows
	vosctl stop --force "$FW"
	vosctl rm "$WEB"
	vosctl rm "$DB"
	vosctl rm "$FW"
	run vosctl publish "$WEB"
	[[ "$output" == *"udp:192.0.2.1:7000:9000"* ]]
	vosctl create "$FW" --uplink "$NET" --provides-network
	vosctl create "$WEB" --uplink "$FW"
	vosctl firewall "$WEB" add action=accept proto=udp dsthost=192.0.2.0/24
	run vosctl publish "$WEB" --json
	[ "$(json_get "$output" '[p["to"] for p in d]')" = "['$(addr "$WEB")']" ]
	server 2
	run ask again
	[ "$output" = "web got again" ]
	vosctl unpublish "$WEB" udp:192.0.2.1:7000:9000
	run vosctl publish "$WEB"
	[ -z "$output" ]
	run --separate-stderr vosctl unpublish "$WEB" udp:7000:9000
	check_status 124
	[[ "$stderr" == *"has no published port udp:7000:9000"* ]]
}
