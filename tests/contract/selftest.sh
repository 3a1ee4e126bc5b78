#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# selftest.sh: scripts/contract.sh passes on this tree, and fails on copies
# of its files broken one way at a time, printing the file, line and
# difference that was made, so the check cannot pass by seeing nothing.
# Prints TAP; make check runs it as the host stage "contract".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/contract.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=(include/uapi/linux/vos.h Documentation/netlink/specs/vos.yaml Documentation/abi.md
	lib/libvirtos/virtos.h lib/libvirtos/libvirtos.map)
H=include/uapi/linux/vos.h Y=Documentation/netlink/specs/vos.yaml A=Documentation/abi.md
L=lib/libvirtos/virtos.h M=lib/libvirtos/libvirtos.map
n=0

echo "1..13"

# a fresh copy of the contract's files in $work/t
fresh() {
	local f
	rm -rf "$work/t"
	for f in "${files[@]}"; do
		mkdir -p "$work/t/$(dirname "$f")"
		cp "$top/$f" "$work/t/$f"
	done
}

# mutate FILE PATTERN REPLACEMENT: one re.sub (multi-line) in the copy;
# fails if the pattern is not found (the tree changed: fix the test)
mutate() {
	python3 - "$work/t/$1" "$2" "$3" <<'PY'
import re, sys
path, pat, rep = sys.argv[1:]
with open(path) as f:
    s = f.read()
s, k = re.subn(pat, rep, s, count=1, flags=re.M | re.S)
if k != 1:
    sys.exit("selftest: pattern not found in %s: %s" % (path, pat))
with open(path, "w") as f:
    f.write(s)
PY
}

# expect DESCRIPTION FILE REGEX: the check fails on $work/t (exit 1) and
# prints a line "FILE:N: ..." matching REGEX
expect() {
	local desc=$1 file=$2 re=$3 st=0
	n=$((n + 1))
	"$check" --root "$work/t" >"$work/out" 2>&1 || st=$?
	if [ "$st" = 1 ] && grep -Eq "^$file:[0-9]+: .*$re" "$work/out"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc: exit $st, no line $file:N: ...$re"
		sed 's/^/# /' "$work/out" | head -n 20
	fi
}

# broken BUILD DESCRIPTION FILE REGEX: fresh copy, BUILD (mutate calls),
# then expect
broken() {
	local build=$1
	shift
	fresh
	if ! eval "$build" 2>"$work/mutate.err"; then
		n=$((n + 1))
		echo "not ok $n - $1: $(cat "$work/mutate.err")"
		return
	fi
	expect "$@"
}

# 1: the tree itself
n=$((n + 1))
st=0
"$check" >"$work/out" 2>&1 || st=$?
if [ "$st" = 0 ] && [ ! -s "$work/out" ]; then
	echo "ok $n - vos.h, vos.yaml, abi.md, virtos.h and libvirtos.map agree"
else
	echo "not ok $n - the contract's files disagree (exit $st):"
	sed 's/^/# /' "$work/out"
fi

broken "mutate $Y '(name: subsys-exit-status\n\s+type: )s32' '\1u32'" \
	"an attribute's type differs in the spec" \
	"$Y" "attribute subsys-exit-status: type u32, $H:[0-9]+ says s32"

broken "mutate $H '^(\tVOS_A_STATS_SUBSYS_NOW,[^\n]*)\n(\tVOS_A_STATS_SUBSYS_EVER,[^\n]*)$' '\2\n\1'" \
	"two attributes swapped in the header" \
	"$Y" "attribute stats-subsys-now is [0-9]+ here, $H:[0-9]+ says VOS_A_STATS_SUBSYS_NOW = [0-9]+ \(order differs\)"

broken "mutate $H '(\n\t__VOS_A_MAX,)' '\n\tVOS_A_SUBSYS_SELFTEST,\t/* u32 */\n\1'" \
	"an attribute appended to the header only" \
	"$Y" "no attribute for VOS_A_SUBSYS_SELFTEST \($H:[0-9]+\)"

broken "mutate $H 'VOS_A_SUBSYS_EXIT_STATUS([^=]*?\*/\s*VOS_EVENT_EXIT =)' 'its exit status\1'" \
	"the header says EXIT carries no exit status (the old disagreement)" \
	"$A" "VOS_EVENT_EXIT: has VOS_A_SUBSYS_EXIT_STATUS \($H:[0-9]+ does not\)"

broken "mutate $L '(struct vos_event \{.*?int32_t exit_status;\s*/\*)[^*]*\*/' '\1 VOS_EVENT_STOPPED: init'\''s wait status */'" \
	"the library says only STOPPED sets exit_status" \
	"$L" "vos_event.exit_status is set in VOS_EVENT_STOPPED here, $H carries VOS_A_SUBSYS_EXIT_STATUS in VOS_EVENT_EXIT, VOS_EVENT_STOPPED"

broken "mutate $Y '(name: exit\n\s+doc: .*?)and subsys-exit-status' '\1and the wait status'" \
	"the spec's exit entry forgets its exit status" \
	"$Y" "event type exit: lacks VOS_A_SUBSYS_EXIT_STATUS"

broken "mutate $A '(\| .VOS_EVENT_EXIT. \|[^\n]*), .VOS_A_SUBSYS_EXIT_STATUS.' '\1'" \
	"abi.md's table forgets EXIT's exit status" \
	"$A" "VOS_EVENT_EXIT: lacks VOS_A_SUBSYS_EXIT_STATUS"

broken "mutate $H '^(#define VOS_CAP_\w+\s+\d+[^\n]*\n)(?!#define VOS_CAP_)' '\1#define VOS_CAP_SELFTEST\t99\n'" \
	"a capability the ABI reference does not count" \
	"$A" "capabilities: VOS_CAP_SELFTEST \(99, $H:[0-9]+\) is not listed"

broken "mutate $A '(Number: ._IOWR\(VOSIO, )0x41(, struct vos_subsys_info\))' '\g<1>0x44\2'" \
	"a wrong ioctl number in abi.md" \
	"$A" "VOS_SUBSYS_INFO: number .*0x44.*, $H:[0-9]+ says _IOWR\(VOSIO, 0x41, struct vos_subsys_info\)"

broken "mutate $A '(Parameters: .struct vos_subsys_info. \(in: )size' '\1sizes'" \
	"abi.md names a field the struct does not have" \
	"$A" "VOS_SUBSYS_INFO: in field 'sizes' is not in struct vos_subsys_info"

broken "mutate $M '^\s*vos_ctx_errmsg;\n' ''" \
	"a declared function missing from libvirtos.map" \
	"$M" "vos_ctx_errmsg \($L:[0-9]+\) is not exported"

broken "mutate $Y '^(  -\n    type: enum\n)    name:' '\1   name:'" \
	"a spec that does not parse is a failure, not a pass" \
	"$Y" "YAML: bad indentation"
