#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# gate.sh OUTDIR [CONSOLE_LOG]
#
# The health gate of a guest run. Reads what tests/vm/guest-init left in
# OUTDIR (dmesg, tainted, kmemleak, insmod, rmmod, done) and the guest's
# serial console log, prints one line per problem found and exits 1 if there
# is any, 0 if the guest is healthy. Problems:
#   - a kernel report in the log: WARNING:, BUG:, Oops, general protection
#     fault, kernel panic, KASAN, UBSAN, lockdep, list corruption, RCU stall,
#     hung task, soft/hard lockup, refcount or debug-objects complaints
#   - a taint other than O (out-of-tree module, 4096) and E (unsigned, 8192)
#   - anything kmemleak reports
#   - insmod or rmmod of vos failing
#   - no "done" file: the guest died or was killed before the end
set -uo pipefail

outdir=$1
console=${2:-}

# Extended regexps, matched case-sensitively against each log line.
patterns=(
	'WARNING:'
	'BUG:'
	'kernel BUG at'
	'Oops'
	'general protection fault'
	'Kernel panic'
	'KASAN'
	'UBSAN'
	'possible circular locking'
	'possible recursive locking'
	'inconsistent lock state'
	'suspicious RCU usage'
	'DEBUG_LOCKS_WARN_ON'
	'INFO: lockdep'
	'lock held when returning to user space'
	'list_add corruption'
	'list_del corruption'
	'rcu: INFO: .* detected stalls'
	'rcu_.* self-detected stall'
	'detected stall on CPU'
	'blocked for more than [0-9]+ seconds'
	'soft lockup'
	'hard LOCKUP'
	'refcount_t: '
	'ODEBUG: '
	'kmemleak: [0-9]+ new suspected memory leaks'
)
# Not "Call Trace:" alone: a memory cgroup OOM kill (what a test of
# --memory provokes on purpose) prints one too.

tripped=0
trip() {
	echo "gate: $*"
	tripped=1
}

scan_log() {
	# scan_log FILE LABEL: report the first few matching lines.
	local file=$1 label=$2 re hits
	[ -s "$file" ] || return 0
	re=$(IFS='|'; echo "${patterns[*]}")
	hits=$(grep -aE -- "$re" "$file" | head -n 5)
	if [ -n "$hits" ]; then
		while IFS= read -r line; do
			trip "$label: $line"
		done <<<"$hits"
	fi
}

scan_log "$outdir/dmesg" "kernel log"
# The console holds what happened after dmesg was saved or when the guest
# died; only look at it for reports the kernel log did not already give.
if [ -n "$console" ] && [ "$tripped" = 0 ]; then
	scan_log "$console" "console"
fi

if [ ! -e "$outdir/done" ]; then
	trip "the guest did not finish (crashed, hung or timed out): see ${console:-the console log}"
fi

if [ -s "$outdir/tainted" ]; then
	taint=$(tr -dc '0-9' <"$outdir/tainted")
	taint=${taint:-0}
	# O (4096): out-of-tree module, E (8192): unsigned module.
	if (( taint & ~(4096 | 8192) )); then
		trip "kernel tainted: $taint (allowed: O=4096, E=8192; see Documentation/admin-guide/tainted-kernels.rst)"
	fi
fi

if [ -s "$outdir/kmemleak" ]; then
	n=$(grep -c '^unreferenced object' "$outdir/kmemleak")
	trip "kmemleak: $n unreferenced object(s):"
	head -n 40 "$outdir/kmemleak" | sed 's/^/gate:   /'
fi

if [ -s "$outdir/insmod" ] && [ "$(cat "$outdir/insmod")" != 0 ]; then
	trip "$(head -n 3 "$outdir/insmod")"
fi

if [ -s "$outdir/rmmod" ]; then
	case $(cat "$outdir/rmmod") in
	0) ;;
	not-loaded) ;;	# CMD unloaded it itself; nothing left to check
	*) trip "$(head -n 3 "$outdir/rmmod")" ;;
	esac
fi

exit "$tripped"
