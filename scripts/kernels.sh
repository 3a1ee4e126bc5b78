#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernels virtos is tested on, by short name:
#   stock61   Debian 12's kernel (linux-image-amd64 / linux-headers-amd64)
#   stock612  Debian's 6.12 kernel for Debian 12 (linux-image-6.12-amd64)
#   debug     the KASAN/lockdep/kmemleak 6.1 kernel in ../shared/kernels/
#
#   kernels.sh list               short names, in test order
#   kernels.sh kdir NAME          kernel build dir (headers) for NAME
#   kernels.sh vmlinuz NAME       bootable kernel image for NAME
#   kernels.sh release NAME       kernel release string for NAME
#   kernels.sh krelease KDIR      kernel release of a build dir
#   kernels.sh prepare-debug      unpack the debug kernel into build/kernels/debug
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
shared=${VOS_SHARED:-$top/../shared}
debug_dir=$top/build/kernels/debug

meta_release() {
	# linux-headers-amd64 Depends: linux-headers-6.1.0-56-amd64 (= ...)
	dpkg-query -W -f='${Depends}' "$1" 2>/dev/null |
		sed -n 's/.*linux-\(headers\|image\)-\([^ ,]*\).*/\2/p'
}

release() {
	case $1 in
	stock61) meta_release linux-headers-amd64 ;;
	stock612) meta_release linux-headers-6.12-amd64 ;;
	debug) echo 6.1.192-vosdebug ;;
	*) echo "unknown kernel '$1' (stock61, stock612, debug)" >&2; return 1 ;;
	esac
}

prepare_debug() {
	[ -e "$debug_dir/.unpacked" ] && return 0
	local img hdr
	img=$(find "$shared/kernels/" -maxdepth 1 -name 'linux-image-*-vosdebug_*.deb' | sort | head -n1)
	hdr=$(find "$shared/kernels/" -maxdepth 1 -name 'linux-headers-*-vosdebug_*.deb' | sort | head -n1)
	if [ -z "$img" ] || [ -z "$hdr" ]; then
		echo "debug kernel packages not found in $shared/kernels" >&2
		return 1
	fi
	(cd "$shared/kernels" && sha256sum --quiet -c SHA256SUMS) >&2
	rm -rf "$debug_dir"
	mkdir -p "$debug_dir"
	dpkg-deb -x "$img" "$debug_dir"
	dpkg-deb -x "$hdr" "$debug_dir"
	touch "$debug_dir/.unpacked"
}

case ${1:-} in
list) echo stock61 stock612 debug ;;
release) release "$2" ;;
kdir)
	if [ "$2" = debug ]; then
		prepare_debug
		echo "$debug_dir/usr/src/linux-headers-$(release debug)"
	else
		echo "/lib/modules/$(release "$2")/build"
	fi
	;;
vmlinuz)
	if [ "$2" = debug ]; then
		prepare_debug
		echo "$debug_dir/boot/vmlinuz-$(release debug)"
	else
		echo "/boot/vmlinuz-$(release "$2")"
	fi
	;;
krelease)
	# Not include/config/kernel.release: Debian's 6.1 headers have the
	# upstream version there (6.1.192), not the release (6.1.0-56-amd64).
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$2/include/generated/utsrelease.h"
	;;
prepare-debug) prepare_debug ;;
*)
	sed -n '4,14s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
