#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# gate-selftest.sh: show that tests/vm/gate.sh trips on every kind of report
# it is meant to catch and stays quiet on clean logs of the three kernels
# (gate-samples/clean-*.log, real guest logs). Prints TAP.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gate=$here/gate.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0

# A guest out directory that passes: a clean log, allowed taint, clean rmmod.
fresh() {
	rm -rf "$work/out"
	mkdir -p "$work/out"
	cp "$here/gate-samples/clean-stock61.log" "$work/out/dmesg"
	echo finished >"$work/out/done"
	echo 12288 >"$work/out/tainted"
	echo 0 >"$work/out/insmod"
	echo 0 >"$work/out/rmmod"
	: >"$work/console.log"
}

check() {
	# check pass|trip DESCRIPTION: run the gate on $work/out.
	local want=$1 desc=$2 got
	n=$((n + 1))
	if "$gate" "$work/out" "$work/console.log" >"$work/gate.txt" 2>&1; then
		got=pass
	else
		got=trip
	fi
	if [ "$got" = "$want" ]; then
		echo "ok $n - $want: $desc"
	else
		echo "not ok $n - $desc: gate says $got, expected $want"
		sed 's/^/# /' "$work/gate.txt"
		failed=$((failed + 1))
	fi
}

# A line the kernel would print, inserted in the middle of a clean log.
with_line() {
	fresh
	{
		head -n 200 "$here/gate-samples/clean-stock61.log"
		printf '[   42.000000] %s\n' "$1"
		tail -n +201 "$here/gate-samples/clean-stock61.log"
	} >"$work/out/dmesg"
	check trip "$1"
}

for k in stock61 stock612 debug; do
	fresh
	cp "$here/gate-samples/clean-$k.log" "$work/out/dmesg"
	check pass "clean $k boot log"
done
fresh
echo not-loaded >"$work/out/rmmod"
check pass "module unloaded by the command itself"
fresh
cat "$here/gate-samples/memcg-oom.log" >>"$work/out/dmesg"
check pass "memory cgroup OOM kill (a --memory test)"

with_line 'WARNING: CPU: 1 PID: 144 at module/dev.c:17 vos_ioctl+0x3c/0x62 [vos]'
with_line 'BUG: KASAN: slab-use-after-free in vos_subsys_put+0x1c/0x80 [vos]'
with_line 'BUG: kernel NULL pointer dereference, address: 0000000000000008'
with_line 'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580'
with_line 'BUG: scheduling while atomic: vosctl/120/0x00000002'
with_line 'kernel BUG at module/subsys.c:100!'
with_line 'Oops: 0002 [#1] PREEMPT SMP KASAN NOPTI'
with_line 'general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN'
with_line 'Kernel panic - not syncing: Fatal exception'
with_line 'UBSAN: array-index-out-of-bounds in module/subsys.c:42:9'
with_line 'WARNING: possible circular locking dependency detected'
with_line 'WARNING: possible recursive locking detected'
with_line 'WARNING: inconsistent lock state'
with_line 'WARNING: suspicious RCU usage'
with_line '[ BUG: Invalid wait context ]'
with_line 'list_add corruption. prev->next should be next (ffff888003c1e0a8), but was 0000000000000000. (prev=ffff888003c1e0a8).'
with_line 'list_del corruption, ffff888004a1b000->next is LIST_POISON1 (dead000000000100)'
with_line 'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
with_line 'rcu: INFO: rcu_sched self-detected stall on CPU'
with_line 'INFO: task vosctl:123 blocked for more than 120 seconds.'
with_line 'watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [vosctl:99]'
with_line 'refcount_t: underflow; use-after-free.'
with_line 'ODEBUG: free active (active state 0) object type: timer_list hint: vos_timer+0x0/0x10 [vos]'
with_line 'watchdog: Watchdog detected hard LOCKUP on cpu 1'
with_line 'DEBUG_LOCKS_WARN_ON(lock->magic != lock)'
with_line 'INFO: lockdep is turned off.'
with_line 'kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'

fresh
echo 12800 >"$work/out/tainted"
check trip "taint W (512) on top of O and E"
fresh
echo 1 >"$work/out/tainted"
check trip "taint P (proprietary module)"
fresh
cat >"$work/out/kmemleak" <<'LEAK'
unreferenced object 0xff11000007f43d00 (size 128):
  comm "python3", pid 121, jiffies 4294763498
  backtrace:
    [<00000000e2a1f0c4>] kmalloc_trace+0x26/0xc0
LEAK
check trip "kmemleak report"
fresh
echo "rmmod vos: rmmod: ERROR: Module vos is in use" >"$work/out/rmmod"
check trip "failed rmmod vos"
fresh
echo "insmod /x/vos.ko: insmod: ERROR: could not insert module /x/vos.ko: Invalid module format" >"$work/out/insmod"
check trip "failed insmod"
fresh
rm "$work/out/done"
check trip "guest did not finish"
fresh
rm "$work/out/done" "$work/out/dmesg" "$work/out/tainted"
printf '[   12.000000] Oops: 0000 [#1] PREEMPT SMP NOPTI\n[   12.100000] Kernel panic - not syncing: Fatal exception\n' >"$work/console.log"
check trip "crash seen only on the console"

echo "1..$n"
[ "$failed" = 0 ]
