#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/net.sh - the network section of the bench (issue 12), run by
# bench/guest.sh inside the guest (root, vos.ko loaded, cwd: the tree).
#
# What vos.ko's hooks cost a subsystem's traffic. The same path, C1 -> P ->
# C2 (two links, forwarded in P's namespace), built three ways:
#
#   module         vosctl create P --uplink host --provides-network, C1 and
#                  C2 with --uplink P, rules C1 -> @C2 and C2 -> @C1 (the
#                  rules are stateless: the answers need one); the tools run
#                  in C1 and C2 with vosctl exec. Every packet is checked at
#                  the far end of its sender's link, in P's namespace.
#   plain          the same shape by hand: namespaces, veth pairs, /30s,
#                  default routes, forwarding in P, no vos.ko binding; the
#                  tools run there as plain root processes (nsenter --net:
#                  ip netns exec would remount /sys, and with it the cgroup
#                  tree vosctl needs in the third setup).
#   plain-sandbox  the plain namespaces, the tools run in them by
#                  vosctl run --isolate --share-net (the subsystem's own
#                  seccomp filter, cgroup with its memory accounting, user
#                  namespace): module against this one is the hooks alone.
#
# bench/netperf measures, from C1 to a server in C2: UDP request/response
# round trips (32 bytes, one at a time) and TCP throughput for a fixed
# time. The setups are interleaved, VOS_BENCH_NET_ROUNDS rounds (the first
# setup of a round rotates), so a slow phase of the shared host hits all
# alike; bench/report.py takes the medians and the ratios.
#
# Knobs: VOS_BENCH_NET_ROUNDS (7), VOS_BENCH_NET_SECONDS (TCP seconds per
# measurement, 3), VOS_BENCH_NET_RTTS (timed round trips, 200).
# Run time in a 2-vCPU TCG guest: about 80 s with the defaults (59 s with 5
# rounds: each measurement the TCP seconds plus about 1 s of round trips and
# starting the client, and a few seconds of setup).
#
# One "@@ {json}" line per result (section "net"); a part that cannot run
# says so in a record with "error" and the rest still runs. Exit 0 unless
# the script itself is broken; the namespaces and subsystems it made are
# removed on every exit.
set -u

top=$PWD
bin=$top/build/bench
vosctl=$top/build/vosctl
rounds=${VOS_BENCH_NET_ROUNDS:-7}
seconds=${VOS_BENCH_NET_SECONDS:-3}
rtts=${VOS_BENCH_NET_RTTS:-200}
port=5201
sport=5202	# the plain-sandbox server's port, beside the plain one in C2
tmp=$(mktemp -d)
pids=()

P=bench-net-p
C1=bench-net-c1
C2=bench-net-c2
# the plain topology: its own /16 (the module's pool is 10.213.0.0/16),
# the same shape as vosctl's: a /30 per link, far end .1, inside .2
NS_P=vbn-p
NS_C1=vbn-c1
NS_C2=vbn-c2
PLAIN_C2=10.214.32.6

js() { printf '"%s"' "$(printf '%s' "$1" | tr -d '"\\' | tr '\n\t' '  ' | cut -c1-300)"; }
log() { echo "bench: net: $*" >&2; }
error() {
	# error SETUP MESSAGE
	echo "@@ {\"section\":\"net\",\"what\":$(js "$1"),\"error\":$(js "$2")}"
	log "$1: $2"
}

for v in rounds seconds rtts; do
	case ${!v} in
	'' | *[!0-9]* | 0)
		error config "VOS_BENCH_NET_${v^^}=${!v}: a whole number above 0"
		rmdir "$tmp"
		exit 0
		;;
	esac
done

cleanup() {
	local p out
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	# clients first: a provider with running clients is refused
	for p in "$C1" "$C2" "$P"; do
		"$vosctl" show "$p" >/dev/null 2>&1 || continue
		out=$("$vosctl" rm --force "$p" 2>&1) || error cleanup "vosctl rm --force $p: $out"
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	ip netns del $NS_C1 2>/dev/null
	ip netns del $NS_C2 2>/dev/null
	ip netns del $NS_P 2>/dev/null
	ip link del vbnp 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_server NAME CMD...: CMD (a netperf server) in the background;
# returns once it printed "ready" (0), or its error output (1) if it ended
start_server() {
	local name=$1 line=
	shift
	mkfifo "$tmp/$name.fifo"
	"$@" >"$tmp/$name.fifo" 2>"$tmp/$name.err" &
	pids+=($!)
	read -r line <"$tmp/$name.fifo"
	[ "$line" = ready ] && return 0
	server_why="server did not start: $(tr '\n' ' ' <"$tmp/$name.err")"
	return 1
}

# The module's topology. Sets mod_addr (C2's address) or mod_why.
setup_module() {
	local out
	[ -x "$vosctl" ] || { mod_why="build/vosctl was not built"; return 1; }
	[ -d /sys/module/vos ] || { mod_why="vos.ko is not loaded"; return 1; }
	if ! out=$("$vosctl" create "$P" --uplink host --provides-network 2>&1 &&
		"$vosctl" create "$C1" --uplink "$P" --ro "$bin" 2>&1 &&
		"$vosctl" create "$C2" --uplink "$P" --ro "$bin" 2>&1 &&
		"$vosctl" firewall "$C1" add action=accept dsthost=@"$C2" 2>&1 &&
		"$vosctl" firewall "$C2" add action=accept dsthost=@"$C1" 2>&1); then
		mod_why="topology: $out"
		return 1
	fi
	mod_addr=$("$vosctl" exec "$C2" -- ip -4 -o addr show dev eth0 2>&1 |
		awk '{ sub(/\/.*/, "", $4); print $4 }')
	case $mod_addr in
	10.*) ;;
	*) mod_why="no address on $C2's eth0: $mod_addr"; return 1 ;;
	esac
	start_server module "$vosctl" exec "$C2" -- "$bin/netperf" server -p $port ||
		{ mod_why=$server_why; return 1; }
	log "module topology: $P <- $C1, $C2; $C2 at $mod_addr; $("$vosctl" net show 2>&1 | tr -s ' ' | tr '\n' ';')"
}

# link NS_FAR DEV NS_IN FAR_CIDR IN_CIDR GW: a veth pair, DEV in NS_FAR
# (empty: this namespace) with FAR_CIDR, eth0 in NS_IN with IN_CIDR and
# the default route via GW; IPv6 off inside, as vosctl does
plain_link() {
	local far=() dev=$2 ns=$3
	[ -n "$1" ] && far=(-n "$1")
	ip "${far[@]}" link add "$dev" type veth peer name eth0 netns "$ns" &&
		ip "${far[@]}" addr add "$4" dev "$dev" &&
		ip "${far[@]}" link set "$dev" up &&
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 &&
		ip -n "$ns" addr add "$5" dev eth0 &&
		ip -n "$ns" link set eth0 up &&
		ip -n "$ns" link set lo up &&
		ip -n "$ns" route add default via "$6"
}

# The same shape by hand. Sets plain_why on failure.
setup_plain() {
	local out
	if ! out=$(ip netns add $NS_P 2>&1 && ip netns add $NS_C1 2>&1 && ip netns add $NS_C2 2>&1 &&
		plain_link "" vbnp $NS_P 10.214.0.1/30 10.214.0.2/30 10.214.0.1 2>&1 &&
		ip route add 10.214.32.0/20 via 10.214.0.2 2>&1 &&
		ip netns exec $NS_P sysctl -qw net.ipv4.ip_forward=1 2>&1 &&
		plain_link $NS_P vbn1 $NS_C1 10.214.32.1/30 10.214.32.2/30 10.214.32.1 2>&1 &&
		plain_link $NS_P vbn2 $NS_C2 10.214.32.5/30 $PLAIN_C2/30 10.214.32.5 2>&1); then
		plain_why="topology: $out"
		return 1
	fi
	start_server plain nsenter --net=/run/netns/$NS_C2 "$bin/netperf" server -p $port ||
		{ plain_why=$server_why; return 1; }
}

setup_sandbox() {
	[ -z "$plain_why" ] || { sandbox_why="no plain topology: $plain_why"; return 1; }
	[ -x "$vosctl" ] || { sandbox_why="build/vosctl was not built"; return 1; }
	start_server sandbox nsenter --net=/run/netns/$NS_C2 "$vosctl" run --isolate --share-net --ro "$bin" -- \
		"$bin/netperf" server -p $sport || { sandbox_why=$server_why; return 1; }
}

client() {
	# client SETUP ROUND
	local opts=(client -e "$1" -r "$2" -n "$rtts" -d "$seconds")
	case $1 in
	module) "$vosctl" exec "$C1" -- "$bin/netperf" "${opts[@]}" -p $port "$mod_addr" ;;
	plain) nsenter --net=/run/netns/$NS_C1 "$bin/netperf" "${opts[@]}" -p $port $PLAIN_C2 ;;
	plain-sandbox)
		nsenter --net=/run/netns/$NS_C1 "$vosctl" run --isolate --share-net --ro "$bin" -- \
			"$bin/netperf" "${opts[@]}" -p $sport $PLAIN_C2
		;;
	esac
}

mod_why='' plain_why='' sandbox_why='' mod_addr=''
setups=()
setup_module && setups+=(module) || error module "not measured: $mod_why"
setup_plain && setups+=(plain) || error plain "not measured: $plain_why"
setup_sandbox && setups+=(plain-sandbox) || error plain-sandbox "not measured: $sandbox_why"
echo "@@ {\"section\":\"net\",\"what\":\"config\",\"rounds\":$rounds,\"seconds\":$seconds,\"rtts\":$rtts,"\
"\"setups\":$(js "${setups[*]}"),\"module_addr\":$(js "$mod_addr"),\"plain_addr\":$(js "$PLAIN_C2")}"
[ ${#setups[@]} -gt 0 ] || exit 0

n=${#setups[@]}
for r in $(seq "$rounds"); do
	log "round $r/$rounds"
	for k in $(seq 0 $((n - 1))); do
		s=${setups[$(((k + r - 1) % n))]}
		client "$s" "$r" || error "$s" "round $r: the client failed (status $?)"
	done
done
exit 0
