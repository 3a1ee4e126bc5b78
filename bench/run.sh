#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh - the host side of `make bench`.
#
# For each kernel in $BENCH_KERNELS (default stock61; any of stock61 stock612
# debug), builds vos.ko for it if missing, boots it once with tests/vm/vm-run
# and runs every benchmark section there (bench/guest.sh). The guest prints
# one "@@ {json}" line per result; they are saved, with the whole guest
# output, under results/bench/<UTC timestamp>/:
#
#   <kernel>.log     everything the guest printed (stdout and stderr)
#   <kernel>.jsonl   the result records
#   table.txt        the table printed at the end
#   results.json     all records by kernel, plus one row per number
#   results.csv      one row per number
#
# Speed never fails the bench: exit 0, unless a guest crashed, hung, tripped
# the health gate (vm-run 90/91/92) or the guest script itself failed.
#
# Knobs: BENCH_KERNELS, BENCH_MEMORY (guest MB, default 2048),
# BENCH_TIMEOUT (s, default 2400) and the VOS_BENCH_* variables of
# bench/guest.sh, which vm-run passes into the guest.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
kernels=${BENCH_KERNELS:-stock61}
memory=${BENCH_MEMORY:-2048}
timeout=${BENCH_TIMEOUT:-2400}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dir=results/bench/$stamp
mkdir -p "$dir"
failed=0
# The guest reads the host's files live: run a copy, so that editing
# bench/guest.sh during a run cannot change it under the guest.
cp bench/guest.sh "$dir/guest.sh"

for k in $kernels; do
	rel=$(scripts/kernels.sh release "$k") || { echo "bench: unknown kernel $k" >&2; failed=1; continue; }
	modopt=()
	echo "bench: building vos.ko for $k ($rel)" >&2
	if ! make --no-print-directory "module-$k" >"$dir/$k.build.log" 2>&1; then
		echo "bench: vos.ko does not build for $k (see $dir/$k.build.log):" \
			"the guest runs without it and the sections that need it say so" >&2
		modopt=(--no-module)
	fi
	echo "bench: $k ($rel): one guest run, all sections; output in $dir/$k.log" >&2
	start=$(date +%s)
	tests/vm/vm-run --kernel "$k" --memory "$memory" --timeout "$timeout" "${modopt[@]}" \
		-- "$dir/guest.sh" >"$dir/$k.out" 2>"$dir/$k.err"
	rc=$?
	cat "$dir/$k.out" "$dir/$k.err" >"$dir/$k.log"
	rm -f "$dir/$k.out" "$dir/$k.err"
	grep '^@@ ' "$dir/$k.log" | cut -c4- >"$dir/$k.jsonl"
	echo "bench: $k: guest finished with status $rc after $(($(date +%s) - start)) s," \
		"$(wc -l <"$dir/$k.jsonl") records" >&2
	if [ "$rc" != 0 ]; then
		echo "bench: $k: the guest run failed (status $rc); its last lines:" >&2
		grep -v '^@@ ' "$dir/$k.log" | tail -n 15 | sed 's/^/bench:   /' >&2
		failed=1
	fi
done

/usr/bin/python3 bench/report.py "$dir" $kernels || failed=1
echo
echo "bench: results in $dir (table.txt, results.json, results.csv, <kernel>.log)"
exit $failed
