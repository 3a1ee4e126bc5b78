# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared by the vosctl CLI tests. They run as root in a guest with vos.ko
# loaded (tests/vm/vm-run -- bats --tap tests/integration/cli). Outside a
# guest the tests that need the module skip, except under CI (VOS_CI=1),
# where a missing module is a failure: a test must never skip in CI.

bats_require_minimum_version 1.5.0

# (bats gives the directory absolute and normalised: no subshell per test)
case $BATS_TEST_DIRNAME in
*/tests/integration/cli) TOP=${BATS_TEST_DIRNAME%/tests/integration/cli} ;;
*) TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd) ;;
esac
VOSCTL=${VOSCTL:-$TOP/build/vosctl}
NOMOD_MSG="vosctl: vos.ko is not loaded: run 'sudo modprobe vos'"

# vosctl with a clean signal state: a background job of a non-interactive
# shell starts with SIGINT/SIGQUIT ignored, which the app would inherit, and
# bash cannot undo that. Then (or with any other signal ignored) env puts
# them back; otherwise vosctl runs directly, without env's exec, which
# costs about 0.1 s under TCG (SigIgn read by builtins, no subshell).
# The loop only decides: what it runs would have its stdin.
vosctl() {
	local k v ign=
	while read -r k v; do
		[ "$k" = SigIgn: ] || continue
		[ "$v" = 0000000000000000 ] || ign=1
		break
	done </proc/$BASHPID/status
	if [ -n "$ign" ]; then
		env --default-signal "$VOSCTL" "$@"
	else
		"$VOSCTL" "$@"
	fi
}

require_vosctl() {
	[ -x "$VOSCTL" ] || {
		echo "no $VOSCTL: run 'make' first" >&2
		return 1
	}
}

require_module() {
	require_vosctl
	if [ ! -c /dev/vos ]; then
		if [ "${VOS_CI:-}" = 1 ]; then
			echo "vos.ko is not loaded but VOS_CI=1: run these tests via tests/vm/vm-run" >&2
			return 1
		fi
		skip "vos.ko not loaded (run via tests/vm/vm-run)"
	fi
}

# setup/teardown of the suites that run subsystems with a scratch
# directory $TMPD. It is under /var/tmp, not /tmp: see the /tmp bind test in
# options.bats.
#
# Every test runs these, and under TCG each process they start costs about
# 0.1 s: they start as few as they can (mkdir; vosctl ls and rm).
subsys_setup() {
	require_module
	# 0755, not mktemp's 0700: a subsystem's ids are not host root, so
	# like any other user they need it open to others to read what is bound
	# from it (see IDENTITY in vosctl(1)). mkdir without -p fails on a name
	# that is there, as mktemp would retry.
	TMPD=/var/tmp/vosctl-test.$$.$BATS_TEST_NUMBER.$RANDOM
	mkdir -m 755 "$TMPD"
}

# rw_dir NAME: a directory on the guest's ext4 scratch disk (idmapped
# mounts on every kernel) owned by host user 4000, for --rw binds; prints it
rw_dir() {
	local d=${VOS_SCRATCH:?no scratch disk (vm-run makes one)}/vosctl-$1.$$
	rm -rf "$d"
	mkdir -p "$d"
	chown 4000:4000 "$d"
	echo "$d"
}

subsys_teardown() {
	kill_bg
	cleanup_names
	rm -rf "$TMPD"
}

# A subsystem name unique to this test (and run); teardown removes every
# subsystem whose name starts with the test's prefix.
tprefix() {
	echo "bt-$$-${BATS_TEST_NUMBER}-"
}

tname() {
	echo "$(tprefix)${1:-x}"
}

cleanup_names() {
	local n p="bt-$$-${BATS_TEST_NUMBER}-" # tprefix, without its subshell
	[ -x "$VOSCTL" ] && [ -c /dev/vos ] || return 0
	for n in $("$VOSCTL" ls -q 2>/dev/null); do
		[[ $n == "$p"* ]] || continue
		"$VOSCTL" rm --force "$n" >/dev/null 2>&1 || true
	done
}

# assert_json FILE-OR-STRING: valid JSON (one document)
assert_json() {
	printf '%s' "$1" | python3 -m json.tool >/dev/null || {
		echo "not valid JSON: $1" >&2
		return 1
	}
}

# jq-like field access: json_get JSON PYEXPR (on variable d)
json_get() {
	printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"
}

# Wait until process $1 has a netlink socket that joined a multicast group
# (the events monitor's subscription), at most ~30 s. /proc/PID/net/netlink:
# sk Eth Pid Groups ... Inode; Groups shows the first 32 groups, where the
# genl families' groups are.
wait_listening() {
	local i ino
	for i in $(seq 300); do
		for ino in $(ls -l "/proc/$1/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p'); do
			awk -v ino="$ino" 'NR > 1 && $NF == ino && $4 != "00000000" { f = 1 }
				END { exit !f }' "/proc/$1/net/netlink" 2>/dev/null && return 0
		done
		sleep 0.1
	done
	echo "process $1 never subscribed to the events group" >&2
	return 1
}

# Wait for pid $1 to exit within $2 seconds; its status in $waited_status.
wait_pid() {
	local i
	for i in $(seq $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		echo "pid $1 did not exit within $2 s" >&2
		return 1
	fi
	waited_status=0
	wait "$1" || waited_status=$?
}

# Start vosctl in the background; its pid (not a subshell's) in $BGPID, so
# that signals sent to $BGPID reach vosctl itself. Call it directly (not in
# $(...)); redirections apply to vosctl. It does not inherit bats' fd 3,
# else bats would wait for it to close. kill_bg (in teardown) ends it.
bg_vosctl() {
	env --default-signal "$VOSCTL" "$@" 3>&- &
	BGPID=$!
}

kill_bg() {
	[ -n "${BGPID:-}" ] || return 0
	kill -9 "$BGPID" 2>/dev/null || true
}

# check_status N: $status is N, else show what the command printed
check_status() {
	[ "$status" -eq "$1" ] && return 0
	echo "status $status, expected $1" >&2
	echo "stdout: $output" >&2
	[ -n "${stderr:-}" ] && echo "stderr: $stderr" >&2
	return 1
}

# The outside world of the network suites (uplink, netchain, netmatrix): a
# network namespace vos-wan, 192.0.2.2/24 on its eth0, behind the host's
# wan-h 192.0.2.1 (not named vos*: those are subsystems' links, which the
# host does not masquerade toward). wan_down removes both.
wan_up() {
	ip netns del vos-wan 2>/dev/null || true
	ip netns add vos-wan
	ip link add wan-h type veth peer name eth0 netns vos-wan
	ip addr add 192.0.2.1/24 dev wan-h
	ip link set wan-h up
	ip -n vos-wan addr add 192.0.2.2/24 dev eth0
	ip -n vos-wan link set eth0 up
}

wan_down() {
	ip link del wan-h 2>/dev/null || true
	ip netns del vos-wan 2>/dev/null || true
}

# The crossing suites (crossing, filecopy): vosd on $XD/policy.d with the
# default socket, waited on through --ready-fd, never by sleeping; its log
# in $XD/vosd.log, its pid in $XD/vosd.pid.
VOSD=$TOP/build/vosd
vosd_start() {
	mkfifo "$XD/ready"
	"$VOSD" --foreground --config-dir "$XD/policy.d" --ready-fd 3 "$@" \
		3>"$XD/ready" >/dev/null 2>>"$XD/vosd.log" &
	echo $! >"$XD/vosd.pid"
	# killed on purpose by some tests: no "Killed" job notice
	disown $!
	read -r line <"$XD/ready"
	rm -f "$XD/ready"
	[ "$line" = ready ]
}

# The policy: these lines alone, read again by vosd
policy() {
	rm -f "$XD"/policy.d/*
	printf '%s\n' "$@" >"$XD/policy.d/50-test.policy"
	"$VOSCTL" policy reload
}
