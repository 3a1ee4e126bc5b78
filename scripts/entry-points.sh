#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# entry-points.sh: every way into vos.ko, and proof that the debug-kernel run
# goes through each of them.
#
#   entry-points.sh list              the entry points found in module/*.c
#   entry-points.sh functions         the functions to count in the guest
#                                     (kprobes: tests/vm/guest-tests.sh)
#   entry-points.sh check [PROFILE]   TAP, one test per entry point
#
# An entry point is code the rest of the kernel or user space runs: each
# ioctl command (and each VOS_OPEN_BY_* way of opening), each file operation,
# each generic netlink handler, each tracepoint probe, each work item, each
# netfilter hook, notifier, timer, the module's init and exit. They are found
# in the source by their shape (see extract() below: a new kind of kernel
# object needs a line there).
#
# tests/entry-points.tsv maps each one to the function that runs for it, the
# C integration suite that drives it (they all run on the debug kernel) and a
# token that suite's source must use. `check` fails an entry point that has
# no row, a row whose entry point is gone, a suite that does not use the
# token, and, given PROFILE (the guest's kprobe_profile after the debug run),
# a function the run never entered. make check runs it after the debug guest.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
table=$top/tests/entry-points.tsv

extract() {
	# shellcheck disable=SC2016
	awk '
	function field(s) { sub(/^[ \t]*\./, "", s); sub(/[ \t]*=.*/, "", s); return s }
	function value(s) { sub(/.*=[ \t]*/, "", s); sub(/[ \t,;]*$/, "", s); return s }
	/struct file_operations [a-z_]+ = \{/ { fops = $0; sub(/.*file_operations /, "", fops); sub(/ .*/, "", fops); next }
	fops != "" && /^\};/ { fops = ""; next }
	fops != "" && /^\t\.[a-z_]+ *= *[a-z_]+,/ {
		f = field($0); v = value($0)
		if (f != "owner" && f != "llseek") print "fops " fops "." f
		next
	}
	/struct genl_(small_|split_)?ops [a-z_]+\[\] = \{/ { genl = 1; next }
	genl && /^\};/ { genl = 0; cmd = ""; next }
	genl && /\.cmd *=/ { cmd = value($0); next }
	genl && /\.(doit|dumpit|start|done) *=/ { print "genl " cmd "." field($0); next }
	/case VOS_IOC_NOSIZE\([A-Z0-9_]+\):/ { s = $0; sub(/.*NOSIZE\(/, "", s); sub(/\).*/, "", s); print "ioctl " s; next }
	/case VOS_OPEN_BY_[A-Z]+:/ { s = $0; sub(/.*case /, "", s); sub(/:.*/, "", s); print "ioctl VOS_OPEN_SUBSYS/" s; next }
	/tracepoint_probe_register\(/ { s = $0; sub(/.*register\([^,]*, */, "", s); sub(/,.*/, "", s); print "tracepoint " s; next }
	/(INIT_WORK|INIT_DELAYED_WORK|DECLARE_WORK|DECLARE_DELAYED_WORK)\(/ { s = $0; sub(/.*, */, "", s); sub(/\).*/, "", s); print "work " s; next }
	/timer_setup\(/ { s = $0; sub(/[^,]*, */, "", s); sub(/,.*/, "", s); print "timer " s; next }
	/\.hook *= *[a-z_]+/ { print "hook " value($0); next }
	/\.notifier_call *= *[a-z_]+/ { print "notifier " value($0); next }
	/^module_init\(/ { print "module init"; next }
	/^module_exit\(/ { print "module exit"; next }
	' "$top"/module/*.c | sort -u
}

# table: the rows without comments, tab-separated: entry function suite token
rows() {
	grep -v '^[[:space:]]*\(#\|$\)' "$table"
}

suite_source() {
	local s=$1 f
	for f in "$top"/tests/integration/module/"$s".c "$top"/tests/integration/lib/"$s".c; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

check() {
	local profile=${1:-} entries n=0 bad=0 e fn suite token src hits row
	entries=$(extract)
	[ -n "$entries" ] || { echo "Bail out! no entry points found in module/*.c"; exit 1; }
	if [ -n "$profile" ] && [ ! -s "$profile" ]; then
		echo "Bail out! no kprobe profile at $profile (did the debug guest run?)"
		exit 1
	fi
	local stale
	stale=$(rows | cut -f1 | sort -u | grep -vxF -f <(printf '%s\n' "$entries") || true)
	echo "1..$(($(printf '%s\n' "$entries" | wc -l) + $(printf '%s' "$stale" | grep -c . || true)))"
	while read -r e; do
		n=$((n + 1))
		row=$(rows | awk -F'\t' -v e="$e" '$1 == e' | head -n1)
		if [ -z "$row" ]; then
			echo "not ok $n - $e: no row in tests/entry-points.tsv (which suite drives it?)"
			bad=1
			continue
		fi
		IFS=$'\t' read -r _ fn suite token <<<"$row"
		if [ "$suite" = gate ]; then
			echo "ok $n - $e: insmod and rmmod of every guest run (health gate)"
			continue
		fi
		if ! src=$(suite_source "$suite"); then
			echo "not ok $n - $e: suite $suite is not a C integration suite"
			bad=1
			continue
		fi
		if ! grep -qF -- "$token" "$src"; then
			echo "not ok $n - $e: ${src#"$top"/} does not use $token"
			bad=1
			continue
		fi
		if [ -n "$profile" ]; then
			hits=$(awk -v f="vosep_$fn" '$1 == f { print $2 }' "$profile")
			if [ -z "$hits" ]; then
				echo "not ok $n - $e: $fn was not probed in the debug run (inlined? see the guest's kprobes.err)"
				bad=1
				continue
			fi
			if [ "$hits" = 0 ]; then
				echo "not ok $n - $e: the debug run never entered $fn"
				bad=1
				continue
			fi
			echo "ok $n - $e: $suite, $fn entered $hits times"
		else
			echo "ok $n - $e: $suite ($token)"
		fi
	done <<<"$entries"
	while read -r e; do
		[ -n "$e" ] || continue
		n=$((n + 1))
		echo "not ok $n - $e: in tests/entry-points.tsv but not in module/*.c (stale row)"
		bad=1
	done <<<"$stale"
	return "$bad"
}

case ${1:-} in
list) extract ;;
functions) rows | cut -f2 | sort -u ;;
check) shift; check "$@" ;;
*) sed -n '3,/^set -e/{/^set -e/d;s/^# \{0,1\}//p}' "$0" >&2; exit 2 ;;
esac
