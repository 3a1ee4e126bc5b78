#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-probe-cost.sh [PAIRS]: in one guest, alternate the fork+exec+exit
# and fork+exit loops (build/tests/integration/bench-forkexec) with vos.ko
# loaded and unloaded, PAIRS times (default 3), so that host load drifts
# hit both sides alike. Run it through vm-run (module loaded at start):
#   tests/vm/vm-run -- tests/integration/module/bench-probe-cost.sh
# Loop sizes: VOS_BENCH_EXEC_ITERS (200), VOS_BENCH_FORK_ITERS (400),
# VOS_BENCH_ROUNDS (5). Prints one "loaded|unloaded exec|fork MEDIAN_US" line per loop.
cd "$(dirname "$0")/../../.." || exit 1
b=build/tests/integration/bench-forkexec
ko=build/kmod/$(uname -r)/module/vos.ko
pairs=${1:-3}
run() {
	printf '%s exec %s\n' "$1" "$($b ${VOS_BENCH_EXEC_ITERS:-200} ${VOS_BENCH_ROUNDS:-5} | sed -n 's/^median: \([0-9.]*\).*/\1/p')"
	printf '%s fork %s\n' "$1" "$($b ${VOS_BENCH_FORK_ITERS:-400} ${VOS_BENCH_ROUNDS:-5} forkonly | sed -n 's/^median: \([0-9.]*\).*/\1/p')"
}
i=0
while [ "$i" -lt "$pairs" ]; do
	run loaded
	rmmod vos || exit 1
	run unloaded
	insmod "$ko" || exit 1
	i=$((i + 1))
done
