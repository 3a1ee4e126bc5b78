#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# guest-tests.sh: run every integration suite inside a vm-run guest (as root,
# vos.ko loaded, cwd at the top of the tree) and leave one TAP file per suite
# in $VOS_OUT/suites/ (<suite>.tap, .err, .status; "/" in a suite name is
# written "__"). scripts/check.sh reads them on the host. Suites:
#   - every executable build/tests/integration/<name> (C, TAP on stdout),
#     except bench-* (measurements, not tests)
#   - bats --tap on each tests/integration/cli/*.bats (on the debug kernel
#     only with VOS_DEBUG_CLI=1: see below)
#   - tests/escape/run, if it exists (TAP)
# Each suite gets $VOS_SUITE_TIMEOUT seconds (default 600, 1800 on the debug
# kernel: the bats suites take 2-5 minutes under TCG on a busy machine, the
# escape suite about 1000 s on the debug kernel).
set -uo pipefail

out=${VOS_OUT:?run me through tests/vm/vm-run}/suites
limit=${VOS_SUITE_TIMEOUT:-600}
# The escape suite takes about 1000 s on the debug kernel under TCG.
[ -z "${VOS_SUITE_TIMEOUT:-}" ] && [ "${VOS_KERNEL:-}" = debug ] && limit=1800
mkdir -p "$out"

run_suite() {
	# run_suite NAME CMD...: TAP to NAME.tap, stderr to NAME.err.
	local name=$1 file start status
	shift
	file=$out/${name//\//__}
	start=$(date +%s)
	timeout --kill-after=10 "$limit" "$@" </dev/null >"$file.tap" 2>"$file.err"
	status=$?
	[ "$status" = 124 ] && echo "# guest-tests: timed out after $limit s" >>"$file.err"
	echo "$status" >"$file.status"
	printf '  %-32s status %d, %d s\n' "$name" "$status" $(($(date +%s) - start))
}

echo "guest-tests on $(uname -r): $(nproc) CPUs, vos $(cat /sys/module/vos/version 2>/dev/null ||
	{ [ -d /sys/module/vos ] && echo loaded; } || echo "not loaded")"

for t in build/tests/integration/*; do
	if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
	case $(basename "$t") in bench-*) continue ;; esac
	# Line-buffered stdio, so that a test killed by the timeout still
	# shows how far it got (not for bats: every exec would pay for it).
	run_suite "integration/$(basename "$t")" stdbuf -oL -eL "$t"
done

# The CLI suites drive the module only through what the C suites and the
# escape suite already cover (create, attach, exec, signal, end, dump,
# events); the rest of what they test is user space, the same on every
# kernel. Under TCG the debug kernel (KASAN, lockdep, kmemleak) runs every
# exec about 10 times slower than the stock ones (20 runs of /bin/true:
# 15.4 s against 1.45 s), which makes the six CLI files alone take about
# 50 minutes there; so on the debug kernel they run only when asked for
# (VOS_DEBUG_CLI=1). Both stock kernels always run them.
if [ "${VOS_KERNEL:-}" = debug ] && [ "${VOS_DEBUG_CLI:-0}" != 1 ]; then
	echo "  cli/*.bats                       not run on the debug kernel (VOS_DEBUG_CLI=1 runs them)"
else
	for b in tests/integration/cli/*.bats; do
		[ -e "$b" ] || continue
		run_suite "cli/$(basename "$b" .bats)" bats --tap "$b"
	done
fi

if [ -x tests/escape/run ]; then
	run_suite escape tests/escape/run
fi
exit 0
