#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check.sh                    what `make check` runs: install missing packages,
#                             build everything, host stages (unit tests, style,
#                             entry-point table, contract, bash completion,
#                             gate self-test), then the guest
#                             tests on every kernel; prints one line per suite
#                             with its wall time and the final line
#                             "N passed, N failed"
# check.sh quick [SUITE...]   what `make check-quick` runs: the host stages and
#                             the stock 6.1 guest (only SUITE..., if given: see
#                             tests/vm/guest-tests.sh for the patterns)
# check.sh unit BIN...        run Check unit test binaries on the host
# check.sh vm [KERNEL...]     run tests/vm/guest-tests.sh in a guest per kernel
#                             (default: all of scripts/kernels.sh list)
#
# The stock kernels' guests run side by side, VOS_CHECK_JOBS at a time
# (default 2 on a machine with 2 or more CPUs, else 1), each with
# nproc / VOS_CHECK_JOBS virtual CPUs; then the debug kernel's alone with
# every CPU. Under TCG a stock guest mostly keeps one host CPU busy, so two
# with one vCPU each finish sooner than one after the other with two
# (measured: see README).
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

# One result line per suite: KERNEL SUITE PASSED FAILED SKIPPED [NOTE [SECONDS]]
record() {
	local kernel=$1 suite=$2 passed=$3 failed=$4 skipped=$5 note=${6:-} secs=${7:-}
	local verdict=PASS
	if [ "$ci" = 1 ] && [ "$skipped" -gt 0 ]; then
		failed=$((failed + skipped))
		note="${note:+$note; }$skipped skipped under VOS_CI=1"
	fi
	[ "$failed" -gt 0 ] && verdict=FAIL
	mkdir -p "$results"
	printf '%-9s %-32s %s %6s  %d passed, %d failed, %d skipped%s\n' "$kernel" "$suite" \
		"$verdict" "${secs:+${secs}s}" "$passed" "$failed" "$skipped" "${note:+  ($note)}" |
		tee -a "$results/table"
	echo "$passed $failed $skipped" >>"$results/counts"
}

# timed VAR CMD...: run CMD, its wall time in seconds to VAR, its status returned
timed() {
	local __var=$1 __start=$SECONDS __st=0
	shift
	"$@" || __st=$?
	printf -v "$__var" '%d' $((SECONDS - __start))
	return "$__st"
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

# parse_tap FILE STATUS KERNEL SUITE [SECONDS]
parse_tap() {
	local file=$1 status=$2 kernel=$3 suite=$4 secs=${5:-} counts passed failed skipped note=
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
	record "$kernel" "$suite" "$passed" "$failed" "$skipped" "$note" "$secs"
}

run_unit() {
	local bin name log status sums n checks fails errs note failed=0 secs
	mkdir -p "$results/unit"
	for bin in "$@"; do
		name=$(basename "$bin")
		log=$results/unit/$name.log
		status=0
		timed secs timeout 600 "$bin" >"$log" 2>&1 || status=$?
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
		record host "unit/$name" $((checks - fails - errs)) $((fails + errs)) 0 "$note" "$secs"
		[ $((fails + errs)) = 0 ] || failed=1
	done
	return "$failed"
}

guest_pipe() {
	local k=$1 smp=$2 lock=$3
	env ${lock:+VOS_VM_LOCK="$lock"} "$top/tests/vm/vm-run" --kernel "$k" --smp "$smp" \
		--timeout "${VOS_CHECK_TIMEOUT:-3600}" -- tests/vm/guest-tests.sh 2>&1 |
		tee "$results/$k/vm-run.log" | sed -u "s/^/[$k] /"
	return "${PIPESTATUS[0]}"
}

# run_guest KERNEL SMP [LOCK]: one guest of KERNEL running guest-tests.sh;
# its output in build/check/KERNEL/vm-run.log (and on stdout, each line
# prefixed with the kernel), status and wall time beside it.
run_guest() {
	local k=$1 smp=$2 lock=${3:-} dir=$results/$1 secs status=0
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "== guest tests on $k ($smp vCPU)"
	timed secs guest_pipe "$k" "$smp" "$lock" || status=$?
	echo "$status" >"$dir/vm-run.status"
	echo "$secs" >"$dir/vm-run.time"
	echo "== $k: guest done in $secs s (status $status)"
}

# collect KERNEL: the results of run_guest KERNEL into the table
collect() {
	local k=$1 dir=$results/$1 status secs file suite out=$top/build/vm/$1/out
	status=$(cat "$dir/vm-run.status" 2>/dev/null || echo 92)
	secs=$(cat "$dir/vm-run.time" 2>/dev/null || echo 0)
	[ -d "$out/suites" ] && cp -r "$out/suites/." "$dir/"
	for file in kprobe_profile kprobes.err; do
		[ -e "$out/$file" ] && cp "$out/$file" "$dir/"
	done
	for file in "$dir"/*.tap; do
		[ -e "$file" ] || continue
		suite=$(basename "$file" .tap)
		parse_tap "$file" "$(cat "$dir/$suite.status" 2>/dev/null || echo 1)" "$k" "${suite//__//}" \
			"$(cat "$dir/$suite.time" 2>/dev/null)"
	done
	case $status in
	0) record "$k" health-gate 1 0 0 "guest total" "$secs" ;;
	90) record "$k" health-gate 0 1 0 "tripped: see $dir/vm-run.log" "$secs" ;;
	*) record "$k" guest 0 1 0 "vm-run status $status: see $dir/vm-run.log" "$secs" ;;
	esac
	if [ "$k" = debug ] && [ -z "${VOS_SUITES:-}" ] && [ "$status" != 91 ] && [ "$status" != 92 ]; then
		# every entry point of the module, entered in this run
		"$top/scripts/entry-points.sh" check "$dir/kprobe_profile" >"$dir/entry-points.tap" 2>&1
		parse_tap "$dir/entry-points.tap" $? debug entry-points-entered
		grep '^not ok' "$dir/entry-points.tap" | head -n 10
	fi
	[ "$status" = 0 ]
}

run_vm() {
	local k jobs smp failed=0
	local -a side=() solo=()
	jobs=${VOS_CHECK_JOBS:-$(($(nproc) >= 2 ? 2 : 1))}
	# The debug kernel runs alone, after the others, with every CPU: with
	# two vCPUs its races are SMP races, and its KASAN and kmemleak workers
	# use the second one (244 s against 429 s with one). The other kernels
	# run side by side with one vCPU each: a stock guest keeps about one
	# host CPU busy (their tests are mostly one process at a time).
	for k in "$@"; do
		if [ "$k" = debug ]; then solo+=("$k"); else side+=("$k"); fi
	done
	if [ "$jobs" -le 1 ] || [ "${#side[@]}" -le 1 ]; then
		for k in "${side[@]}" "${solo[@]}"; do
			run_guest "$k" "${VOS_VM_SMP:-2}"
		done
	else
		smp=$(($(nproc) / jobs))
		[ "$smp" -ge 1 ] || smp=1
		# Hold the tree's guest lock for the whole set (anyone else's
		# vm-run waits), and give each guest a lock of its own.
		mkdir -p "$top/build/vm"
		exec 7>>"$top/build/vm/lock"
		if ! flock -n 7; then
			echo "== waiting for another guest run ($(cat "$top/build/vm/lock.owner" 2>/dev/null))"
			flock 7
		fi
		echo "pid $$ in $top, check.sh: $*, since $(date -u +%H:%M:%S)" >"$top/build/vm/lock.owner"
		for k in "${side[@]}"; do
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
			run_guest "$k" "$smp" "$top/build/vm/lock.$k" &
		done
		wait
		for k in "${solo[@]}"; do
			run_guest "$k" "${VOS_VM_SMP:-$(nproc)}" "$top/build/vm/lock.$k"
		done
		rm -f "$top/build/vm/lock.owner"
		exec 7>&-
	fi
	for k in "$@"; do
		collect "$k" || failed=1
	done
	return "$failed"
}

# host stages: unit tests, style, the entry-point table, the contract's
# four places against each other, the bash completion, the gate self-test
host_stages() {
	local secs st
	echo "== unit tests"
	# The list of unit tests is the fragments' UNIT_TESTS: make builds them
	# and calls "check.sh unit" with it.
	if ! VOS_CHECK_KEEP=1 "$make" -s check-unit 2>"$results/unit-build.log" &&
		[ ! -d "$results/unit" ]; then
		tail -n 40 "$results/unit-build.log"
		record host unit-build 0 1 0 "see $results/unit-build.log"
	fi
	echo "== style"
	if timed secs "$top/scripts/style.sh" >"$results/style.log" 2>&1; then
		record host style 1 0 0 "" "$secs"
	else
		grep '^style:' "$results/style.log" | tail -n 20
		record host style 0 1 0 "see $results/style.log" "$secs"
	fi
	echo "== module entry points (table against the source)"
	st=0
	timed secs "$top/scripts/entry-points.sh" check >"$results/entry-points.tap" 2>&1 || st=$?
	grep '^not ok' "$results/entry-points.tap" | head -n 10
	parse_tap "$results/entry-points.tap" "$st" host entry-points "$secs"
	echo "== contract (vos.h, vos.yaml, abi.md, virtos.h agree; and the check's self-test)"
	st=0
	timed secs "$top/tests/contract/selftest.sh" >"$results/contract.tap" 2>&1 || st=$?
	grep -E '^(not ok|# [^ ]+:[0-9]+: )' "$results/contract.tap" | head -n 20
	parse_tap "$results/contract.tap" "$st" host contract "$secs"
	echo "== bash completion"
	st=0
	timed secs "$top/tests/pkg/completion" "$top/build/vosctl" >"$results/completion.tap" 2>&1 || st=$?
	grep '^not ok' "$results/completion.tap" | head -n 10
	parse_tap "$results/completion.tap" "$st" host pkg/completion "$secs"
	echo "== health gate self-test"
	st=0
	timed secs "$top/tests/vm/gate-selftest.sh" >"$results/gate-selftest.tap" 2>&1 || st=$?
	parse_tap "$results/gate-selftest.tap" "$st" host gate-selftest "$secs"
}

# build [TARGETS...]: make them, recorded as the host "build" stage
build() {
	local secs
	echo "== build"
	if ! timed secs "$make" -j"$(nproc)" "$@" >"$results/build.log" 2>&1; then
		tail -n 40 "$results/build.log"
		record host build 0 1 0 "see $results/build.log" "$secs"
		summary
		exit 1
	fi
	record host build 1 0 0 "" "$secs"
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
all | quick)
	mode=${1:-all}
	shift || true
	start=$SECONDS
	timed secs "$top/scripts/deps.sh" || { echo "0 passed, 1 failed (scripts/deps.sh failed)"; exit 1; }
	rm -rf "$results"
	mkdir -p "$results"
	record host deps 1 0 0 "" "$secs"
	if [ "$mode" = quick ]; then
		# the pkg suite installs build/deb: build it when it runs
		case " $* " in
		"  " | *" pkg "*) build all module-stock61 deb ;;
		*) build all module-stock61 ;;
		esac
		host_stages
		export VOS_SUITES="$*"
		run_vm stock61
	else
		build all modules-all deb
		host_stages
		# the CLI suites of user-space logic on one stock kernel each
		# (tests/vm/guest-tests.sh)
		export VOS_CHECK_SPLIT=1
		# shellcheck disable=SC2046
		run_vm $("$top/scripts/kernels.sh" list)
	fi
	echo "== make check$([ "$mode" = quick ] && echo -quick) took $((SECONDS - start)) s"
	summary table
	;;
*)
	sed -n '3,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//p}' "$0" >&2
	exit 2
	;;
esac
