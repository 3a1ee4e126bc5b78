#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh - the host side of `make bench`.
#
# For each kernel in $BENCH_KERNELS (default stock61; any of stock61 stock612
# debug), builds vos.ko for it if missing, boots it once with tests/vm/vm-run
# and runs every benchmark section there (bench/guest.sh). Then it boots the
# same kernel once more with a clock that counts instructions (QEMU -icount
# shift=$BENCH_ICOUNT, one vCPU: see tests/vm/vm-run) and runs the sections
# $BENCH_ICOUNT_SECTIONS there: their times depend on the work done, not on
# the load of the host. The guest prints one "@@ {json}" line per result;
# they are saved, with the whole guest output, under
# results/bench/<UTC timestamp>/:
#
#   <kernel>.log     everything the guest printed (stdout and stderr)
#   <kernel>.jsonl   the result records
#   <kernel>-icount.log, <kernel>-icount.jsonl   the same, instruction clock
#   table.txt        the table printed at the end
#   results.json     all records by kernel, plus one row per number
#   results.csv      one row per number
#
# Speed never fails the bench: exit 0, unless a guest crashed, hung, tripped
# the health gate (vm-run 90/91/92) or the guest script itself failed.
#
# Knobs: BENCH_KERNELS, BENCH_MEMORY (guest MB, default 2048),
# BENCH_TIMEOUT (s, default 2400), BENCH_ICOUNT (the shift, default 0: one
# instruction is 1 ns of guest time; "off": no such run),
# BENCH_ICOUNT_SECTIONS (default "start supervision steps net") and the
# VOS_BENCH_* variables of bench/guest.sh, which vm-run passes into the
# guest (in the instruction-clock run VOS_BENCH_FORKS and VOS_BENCH_EXECS
# default to 400 and 100: batches cost little there; VOS_BENCH_NET_ROUNDS
# and VOS_BENCH_NET_SECONDS to 3 and 1: its rounds differ by under 1%, and
# each guest second of TCP costs several seconds of real time there).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
kernels=${BENCH_KERNELS:-stock61}
memory=${BENCH_MEMORY:-2048}
timeout=${BENCH_TIMEOUT:-2400}
icount=${BENCH_ICOUNT:-0}
icount_sections=${BENCH_ICOUNT_SECTIONS:-start supervision steps net}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir=results/bench/$stamp
mkdir -p "$dir"
failed=0
# The guest reads the host's files live: run a copy, so that editing
# bench/guest.sh during a run cannot change it under the guest.
cp bench/guest.sh "$dir/guest.sh"

guest() {
	# guest KERNEL NAME WHAT VM-RUN-OPTIONS...: one vm-run of bench/guest.sh,
	# its output in $dir/NAME.{log,jsonl}
	local k=$1 name=$2 what=$3 start rc
	shift 3
	echo "bench: $k ($rel): $what; output in $dir/$name.log" >&2
	start=$(date +%s)
	tests/vm/vm-run --kernel "$k" --memory "$memory" --timeout "$timeout" "$@" \
		-- "$dir/guest.sh" >"$dir/$name.out" 2>"$dir/$name.err"
	rc=$?
	cat "$dir/$name.out" "$dir/$name.err" >"$dir/$name.log"
	rm -f "$dir/$name.out" "$dir/$name.err"
	grep '^@@ ' "$dir/$name.log" | cut -c4- >"$dir/$name.jsonl"
	echo "bench: $name: guest finished with status $rc after $(($(date +%s) - start)) s," \
		"$(wc -l <"$dir/$name.jsonl") records" >&2
	if [ "$rc" != 0 ]; then
		echo "bench: $name: the guest run failed (status $rc); its last lines:" >&2
		grep -v '^@@ ' "$dir/$name.log" | tail -n 15 | sed 's/^/bench:   /' >&2
		failed=1
	fi
}

names=()
for k in $kernels; do
	rel=$(scripts/kernels.sh release "$k") || { echo "bench: unknown kernel $k" >&2; failed=1; continue; }
	modopt=()
	echo "bench: building vos.ko for $k ($rel)" >&2
	if ! make --no-print-directory "module-$k" >"$dir/$k.build.log" 2>&1; then
		echo "bench: vos.ko does not build for $k (see $dir/$k.build.log):" \
			"the guest runs without it and the sections that need it say so" >&2
		modopt=(--no-module)
	fi
	guest "$k" "$k" "one guest run, all sections" "${modopt[@]}"
	names+=("$k")
	if [ "$icount" != off ]; then
		VOS_VM_ICOUNT=$icount VOS_BENCH_SECTIONS=$icount_sections \
			VOS_BENCH_FORKS=${VOS_BENCH_FORKS:-400} VOS_BENCH_EXECS=${VOS_BENCH_EXECS:-100} \
			VOS_BENCH_NET_ROUNDS=${VOS_BENCH_NET_ROUNDS:-3} VOS_BENCH_NET_SECONDS=${VOS_BENCH_NET_SECONDS:-1} \
			guest "$k" "$k-icount" "guest clock counting instructions (-icount shift=$icount, 1 vCPU): $icount_sections" \
			--smp 1 "${modopt[@]}"
		names+=("$k-icount")
	fi
done

/usr/bin/python3 bench/report.py "$dir" "${names[@]}" || failed=1
echo
echo "bench: results in $dir (table.txt, results.json, results.csv, <kernel>.log)"
exit $failed
