#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [NAME...]: run the vos.ko integration tests (build/tests/integration/
# vos-*, or the named ones) one after the other, in a guest with vos.ko
# loaded, e.g.  tests/vm/vm-run -- tests/integration/module/run.sh
# Exit status: 0 if every test exited 0.
cd "$(dirname "$0")/../../.." || exit 1
bin=build/tests/integration
if [ $# -eq 0 ]; then
	set -- $(cd $bin && ls vos-* 2>/dev/null)
fi
failed=0
for t in "$@"; do
	echo "# === $t"
	start=$(date +%s)
	if "$bin/$t"; then
		echo "# === $t: passed ($(( $(date +%s) - start )) s)"
	else
		echo "# === $t: FAILED ($(( $(date +%s) - start )) s)"
		failed=$((failed + 1))
	fi
done
echo "# $# test programs, $failed failed"
[ "$failed" -eq 0 ]
