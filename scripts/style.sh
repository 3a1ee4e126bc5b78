#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# style.sh: the project's style checks (make style).
#   - kernel code (module/*.[ch], include/uapi/linux/vos.h): the kernel's
#     checkpatch.pl --strict, from $VOS_SHARED/tools/checkpatch
#     (default: ../shared beside the tree)
#   - user-space C (lib/ tools/ tests/ examples/ bench/): clang-format with
#     the tree's .clang-format, as a dry run (nothing is rewritten)
# Prints every complaint, one summary line per check, and exits 1 if any
# file fails.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
shared=${VOS_SHARED:-$top/../shared}
checkpatch=$shared/tools/checkpatch/checkpatch.pl
failed=0

kfiles=()
for f in module/*.[ch] include/uapi/linux/vos.h; do
	[ -e "$f" ] && kfiles+=("$f")
done
if [ ! -x "$checkpatch" ] && [ ! -r "$checkpatch" ]; then
	echo "style: $checkpatch not found: set VOS_SHARED to the shared material" >&2
	failed=1
else
	bad=0
	for f in "${kfiles[@]}"; do
		if ! perl "$checkpatch" --no-tree --strict --quiet -f "$f"; then
			bad=$((bad + 1))
		fi
	done
	echo "style: checkpatch: $bad of ${#kfiles[@]} kernel files have complaints"
	[ "$bad" = 0 ] || failed=1
fi

mapfile -t ufiles < <(git ls-files -- 'lib/*.[ch]' 'tools/*.[ch]' 'tests/*.[ch]' \
	'examples/*.[ch]' 'bench/*.[ch]' 2>/dev/null ||
	find lib tools tests examples bench -name '*.[ch]' 2>/dev/null)
bad=0
for f in "${ufiles[@]}"; do
	[ -e "$f" ] || continue
	if ! clang-format --dry-run -Werror "$f" 2>/dev/null; then
		bad=$((bad + 1))
		echo "style: clang-format: $f: $(clang-format --dry-run "$f" 2>&1 | grep -c 'warning:') lines differ (see: clang-format $f | diff -u $f -)"
	fi
done
echo "style: clang-format: $bad of ${#ufiles[@]} user-space files differ from .clang-format"
[ "$bad" = 0 ] || failed=1
exit "$failed"
