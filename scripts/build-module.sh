#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-module.sh KDIR OUTDIR: build vos.ko against the kernel build dir KDIR
# in OUTDIR, a tree of symlinks to the sources, so that one source tree can be
# built for several kernels at once (Kbuild writes objects next to sources).
# Builds with W=1; any compiler warning fails the build.
set -euo pipefail

kdir=$1
out=$(realpath -m "$2")	# Kbuild needs an absolute M=
top=$(cd "$(dirname "$0")/.." && pwd)

mkdir -p "$out/module" "$out/include"
# "make all modules-all" may build the same kernel twice at once.
exec 8>"$out/.lock"
flock 8
ln -sfn "$top/Kbuild" "$out/Kbuild"
ln -sfn "$top/include/uapi" "$out/include/uapi"
for f in "$top"/module/*.[ch] "$top"/module/Kbuild; do
	[ -e "$f" ] && ln -sfn "$f" "$out/module/$(basename "$f")"
done
# Drop links to sources that no longer exist.
find "$out/module" -xtype l -delete

log=$out/build.log
if ! make -C "$kdir" M="$out" W=1 modules >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module: warnings above are errors" >&2
	exit 1
fi
echo "built $out/module/vos.ko"
