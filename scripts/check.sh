#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check.sh                    what `make check` runs: install missing packages,
#                             build everything, host unit tests, then the guest
#                             tests on every kernel; prints one line per suite and
#                             the final line "N passed, N failed"
# check.sh unit BIN...        run Check unit test binaries on the host
# check.sh vm [KERNEL...]     run tests/vm/guest-tests.sh in a guest per kernel
#                             (default: all of scripts/kernels.sh list)
#
# Counts are test cases: Check's "Checks"/"Failures"/"Errors", TAP "ok"/"not
# ok". A suite that crashes, exits non-zero with no failure, or runs fewer
# tests than its plan adds one failure; a guest run whose health gate trips
# adds one failure for that kernel. With VOS_CI=1, a skipped test is a failure
# (tests must not skip in CI); otherwise skips are reported and not counted.
# Exit status: 0 if nothing failed, 1 otherwise.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
results=$top/build/check
make=${MAKE:-make}
ci=${VOS_CI:-0}

# One result line per suite: KERNEL SUITE PASSED FAILED SKIPPED NOTE...
record() {
	local kernel=$1 suite=$2 passed=$3 failed=$4 skipped=$5 note=${6:-}
	local verdict=PASS
	if [ "$ci" = 1 ] && [ "$skipped" -gt 0 ]; then
		failed=$((failed + skipped))
		note="${note:+$note; }$skipped skipped under VOS_CI=1"
	fi
	[ "$failed" -gt 0 ] && verdict=FAIL
	mkdir -p "$results"
	printf '%-9s %-32s %s  %d passed, %d failed, %d skipped%s\n' "$kernel" "$suite" \
		"$verdict" "$passed" "$failed" "$skipped" "${note:+  ($note)}" | tee -a "$results/table"
	echo "$passed $failed $skipped" >>"$results/counts"
}

# summary [table]: (the table again and) the final line over everything
# recorded.
summary() {
	local p=0 f=0 s=0 passed failed skipped
	[ -s "$results/counts" ] || { echo "0 passed, 1 failed (no results)"; return 1; }
	if [ "${1:-}" = table ]; then
		echo "== summary"
		cat "$results/table"
	fi
	while read -r passed failed skipped; do
		p=$((p + passed)); f=$((f + failed)); s=$((s + skipped))
	done <"$results/counts"
	[ "$s" -gt 0 ] && [ "$ci" != 1 ] && echo "($s skipped; with VOS_CI=1 they would fail)"
	echo "$p passed, $f failed"
	[ "$f" = 0 ]
}

# parse_tap FILE STATUS KERNEL SUITE
parse_tap() {
	local file=$1 status=$2 kernel=$3 suite=$4 counts passed failed skipped note=
	local plan ran bail
	# shellcheck disable=SC2016
	counts=$(awk '
		/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; if (plan == 0 && tolower($0) ~ /# *skip/) wholeskip = 1 }
		/^ok/ { if (tolower($0) ~ /# *skip/) s++; else p++ }
		/^not ok/ { f++ }
		/^Bail out!/ { bail = 1 }
		END { printf "%d %d %d %d %d %d\n", p, f, s, (plan == "" ? -1 : plan), bail, wholeskip }
	' "$file" 2>/dev/null)
	read -r passed failed skipped plan bail wholeskip <<<"${counts:-0 0 0 -1 0 0}"
	# a "not ok ... # TODO" is a failure like any other: no test here may
	# fail without failing the run
	ran=$((passed + failed + skipped))
	if [ "$wholeskip" = 1 ]; then
		skipped=$((skipped + 1))
		note="whole suite skipped"
	elif [ "$plan" -lt 0 ]; then
		failed=$((failed + 1)); note="no TAP plan"
	elif [ "$ran" != "$plan" ]; then
		failed=$((failed + 1)); note="plan $plan, ran $ran"
	fi
	if [ "$bail" = 1 ]; then
		failed=$((failed + 1)); note="${note:+$note; }bailed out"
	fi
	if [ "$status" != 0 ] && [ "$failed" = 0 ]; then
		failed=1; note="${note:+$note; }exit status $status"
	fi
	record "$kernel" "$suite" "$passed" "$failed" "$skipped" "$note"
}

run_unit() {
	local bin name log status sums n checks fails errs note failed=0
	mkdir -p "$results/unit"
	for bin in "$@"; do
		name=$(basename "$bin")
		log=$results/unit/$name.log
		timeout 600 "$bin" >"$log" 2>&1
		status=$?
		sed 's/^/    /' "$log" | grep -E 'Checks:|:[EF]:' | head -n 20
		# Sum over every "NN%: Checks: N, Failures: N, Errors: N" the binary printed.
		sums=$(grep -oE '[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" |
			awk -F'[:,] *' '{ c += $3; f += $5; e += $7; n++ }
				END { printf "%d %d %d %d\n", n, c, f, e }')
		read -r n checks fails errs <<<"$sums"
		note=
		if [ "$n" = 0 ]; then
			note="no Check summary (exit status $status)"
			fails=1 checks=1 errs=0
		elif [ "$status" != 0 ] && [ $((fails + errs)) = 0 ]; then
			note="exit status $status"
			errs=1 checks=$((checks + 1))
		fi
		record host "unit/$name" $((checks - fails - errs)) $((fails + errs)) 0 "$note"
		[ $((fails + errs)) = 0 ] || failed=1
	done
	return "$failed"
}

run_vm() {
	local k status dir suite file failed=0
	for k in "$@"; do
		dir=$results/$k
		rm -rf "$dir"
		mkdir -p "$dir"
		echo "== guest tests on $k"
		"$top/tests/vm/vm-run" --kernel "$k" --timeout "${VOS_CHECK_TIMEOUT:-3600}" \
			-- tests/vm/guest-tests.sh 2>&1 | tee "$dir/vm-run.log"
		status=${PIPESTATUS[0]}
		[ -d "$top/build/vm/$k/out/suites" ] && cp -r "$top/build/vm/$k/out/suites/." "$dir/"
		for file in "$dir"/*.tap; do
			[ -e "$file" ] || continue
			suite=$(basename "$file" .tap)
			parse_tap "$file" "$(cat "$dir/$suite.status" 2>/dev/null || echo 1)" "$k" "${suite//__//}"
		done
		case $status in
		0) record "$k" health-gate 1 0 0 ;;
		90) record "$k" health-gate 0 1 0 "tripped: see $dir/vm-run.log" ;;
		*) record "$k" guest 0 1 0 "vm-run status $status: see $dir/vm-run.log" ;;
		esac
		[ "$status" = 0 ] || failed=1
	done
	return "$failed"
}

# Results accumulate in build/check/{table,counts}; a standalone "unit" or
# "vm" run starts them afresh, the full run sets VOS_CHECK_KEEP for the
# "make check-unit" it calls.
fresh() {
	[ -n "${VOS_CHECK_KEEP:-}" ] && return 0
	rm -f "$results/table" "$results/counts"
}

case ${1:-all} in
unit)
	shift
	fresh
	run_unit "$@" || { [ -n "${VOS_CHECK_KEEP:-}" ] && exit 1; }
	[ -n "${VOS_CHECK_KEEP:-}" ] || summary
	;;
vm)
	shift
	fresh
	# shellcheck disable=SC2046
	[ $# -gt 0 ] || set -- $("$top/scripts/kernels.sh" list)
	run_vm "$@"
	summary
	;;
all)
	start=$(date +%s)
	"$top/scripts/deps.sh" || { echo "0 passed, 1 failed (scripts/deps.sh failed)"; exit 1; }
	rm -rf "$results"
	mkdir -p "$results"
	echo "== build"
	if ! "$make" -j"$(nproc)" all modules-all >"$results/build.log" 2>&1; then
		tail -n 40 "$results/build.log"
		record host build 0 1 0 "see $results/build.log"
		summary
		exit 1
	fi
	record host build 1 0 0
	echo "== unit tests"
	# The list of unit tests is the fragments' UNIT_TESTS: make builds them
	# and calls "check.sh unit" with it.
	if ! VOS_CHECK_KEEP=1 "$make" -s check-unit 2>"$results/unit-build.log" &&
		[ ! -d "$results/unit" ]; then
		tail -n 40 "$results/unit-build.log"
		record host unit-build 0 1 0 "see $results/unit-build.log"
	fi
	echo "== style"
	if "$top/scripts/style.sh" >"$results/style.log" 2>&1; then
		record host style 1 0 0
	else
		grep '^style:' "$results/style.log" | tail -n 20
		record host style 0 1 0 "see $results/style.log"
	fi
	echo "== health gate self-test"
	"$top/tests/vm/gate-selftest.sh" >"$results/gate-selftest.tap" 2>&1
	parse_tap "$results/gate-selftest.tap" $? host gate-selftest
	# shellcheck disable=SC2046
	run_vm $("$top/scripts/kernels.sh" list)
	echo "== make check took $(($(date +%s) - start)) s"
	summary table
	;;
*)
	sed -n '3,17s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
