#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Default limits (issue 11 D): with no option, a subsystem's cgroup caps
# memory at half of RAM (no swap) and tasks at an eighth of
# kernel.threads-max, and each of its tmpfs at an eighth of RAM; a fork
# bomb, a memory hog and a tmpfs hog inside leave the host able to fork and
# run. --memory/--pids/--tmpfs-size max lift them.
# Budget: 60 s on a stock kernel under TCG (1 GiB guest; measured 50-60 s).

load helpers

setup() {
	subsys_setup
	mib=$((1 << 20))
	ram=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) * 1024))
	threads=$(cat /proc/sys/kernel/threads-max)
	want_mem=$((ram / 2 / mib * mib))
	[ "$want_mem" -ge $((64 * mib)) ] || want_mem=$((64 * mib))
	want_pids=$((threads / 8))
	[ "$want_pids" -ge 64 ] || want_pids=64
	[ "$want_pids" -le 32768 ] || want_pids=32768
	want_tmpfs=$((ram / 8 / mib * mib))
	[ "$want_tmpfs" -ge $((16 * mib)) ] || want_tmpfs=$((16 * mib))
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
	cg=${cg%/}
}

teardown() {
	subsys_teardown
}

# host_can_fork: the host side still forks and execs
host_can_fork() {
	local out
	out=$(/bin/sh -c 'echo forked') && [ "$out" = forked ]
}

@test "limits: by default memory, swap and tasks are capped, scaled to the host" {
	run vosctl run -- sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max /sys/fs/cgroup/pids.max'
	check_status 0
	[ "${lines[0]}" = "$want_mem" ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = "$want_pids" ]
	# control: max lifts both (no limit means no cgroup values to show)
	run vosctl run --memory max --pids max -- sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max 2>/dev/null || echo none'
	check_status 0
	[ "${lines[0]}" != "$want_mem" ]
}

@test "limits: every tmpfs of the subsystem's is capped; --tmpfs-size sets it, max lifts it" {
	run vosctl run --tmpfs /scratch -- df -B1 --output=size,target /tmp /var/tmp /run /dev/shm /scratch
	check_status 0
	[ "${#lines[@]}" = 6 ]
	local l
	for l in "${lines[@]:1}"; do
		set -- $l
		[ "$1" = "$want_tmpfs" ] || { echo "$2 has $1 bytes, want $want_tmpfs"; return 1; }
	done
	run vosctl run --tmpfs-size 32M -- df -B1 --output=size /tmp
	check_status 0
	[ "${lines[1]// /}" = $((32 * mib)) ]
	run vosctl run --tmpfs-size max -- df -B1 --output=size /tmp
	check_status 0
	[ "${lines[1]// /}" -gt "$want_tmpfs" ]
	run vosctl run --tmpfs-size 1K -- true
	check_status 124
}

@test "limits: a fork bomb inside stops at pids.max and the host still forks" {
	local n i cur
	n=$(tname bomb)
	bg_vosctl run --no-tty --name "$n" -- sh -c 'b() { b | b & }; b; exec sleep 1000' >/dev/null 2>&1
	# wait until the bomb has hit the limit (pids.events counts the refusals)
	for i in $(seq 600); do
		[ "$(sed -n 's/^max //p' "$cg/vos-$n/pids.events" 2>/dev/null || echo 0)" -gt 0 ] && break
		sleep 0.1
	done
	cur=$(cat "$cg/vos-$n/pids.current")
	echo "pids.current $cur of $want_pids"
	[ "$(sed -n 's/^max //p' "$cg/vos-$n/pids.events")" -gt 0 ]
	[ "$cur" -le "$want_pids" ]
	host_can_fork
	run vosctl stop --timeout 5 "$n"
	wait_pid "$BGPID" 60
	host_can_fork
}

@test "limits: a memory hog inside is stopped at memory.max, the host runs on" {
	# allocates and touches 16 MiB at a time until the cgroup's OOM killer stops it
	run vosctl run -- python3 -c 'import sys
x = []
while True:
    x.append(bytearray(16 << 20))
    sys.stdout.write("."); sys.stdout.flush()'
	[ "$status" -eq 137 ]
	host_can_fork
	# control: a hog that stays below the limit is left alone
	run vosctl run -- python3 -c 'x = bytearray(32 << 20); print("fine")'
	check_status 0
	[ "$output" = fine ]
}

@test "limits: filling /dev/shm stops at the tmpfs size" {
	run vosctl run -- sh -c 'dd if=/dev/zero of=/dev/shm/fill bs=1M 2>&1; stat -c "size %s" /dev/shm/fill'
	[[ "$output" == *"No space left on device"* ]]
	local size=${lines[-1]#size }
	echo "filled $size of $want_tmpfs"
	[ "$size" -le "$want_tmpfs" ] && [ "$size" -gt $((want_tmpfs - mib)) ]
	host_can_fork
}
