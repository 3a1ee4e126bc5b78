#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkinitramfs.sh RELEASE OUTPUT
#
# Build the small initramfs tests/vm/vm-run boots: busybox-static, the
# modules the guest needs to mount the host's root over 9p (taken from the
# host's /lib/modules/RELEASE and decompressed here, so the guest only runs
# insmod), and tests/vm/initramfs-init as /init. A kernel with 9p, virtio
# and overlayfs built in (the debug kernel) gets no modules; pass RELEASE "-".
set -euo pipefail

release=$1
output=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}	# busybox-static

[ -x "$busybox" ] || { echo "mkinitramfs: busybox not found: apt-get install busybox-static" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,lower,rw,newroot,modules}
cp "$busybox" "$stage/bin/busybox"
cp "$here/initramfs-init" "$stage/init"
chmod 755 "$stage/init" "$stage/bin/busybox"

# Modules in load order, without repeats; builtins are skipped.
: >"$stage/modules/order"
if [ "$release" != - ]; then
	for m in 9p 9pnet_virtio virtio_pci overlay virtio_blk ext4; do
		modprobe -S "$release" --show-depends "$m"
	# (not crc32c-intel: it needs SSE4.2, which VOS_VM_CPU=qemu64 lacks;
	# crc32c_generic serves ext4 on any CPU)
	done | awk '$1 == "insmod" && $2 !~ /crc32c-intel/ && !seen[$2]++ { print $2 }' | while read -r path; do
		name=$(basename "$path")
		case $name in
		*.ko.xz) xz -dc "$path" >"$stage/modules/${name%.xz}" ;;
		*.ko.zst) zstd -qdc "$path" >"$stage/modules/${name%.zst}" ;;
		*.ko.gz) gzip -dc "$path" >"$stage/modules/${name%.gz}" ;;
		*.ko) cp "$path" "$stage/modules/$name" ;;
		*) echo "mkinitramfs: unexpected module file $path" >&2; exit 1 ;;
		esac
		echo "${name%.ko*}.ko" >>"$stage/modules/order"
	done
fi

mkdir -p "$(dirname "$output")"
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet) | gzip -1 >"$output.tmp"
mv "$output.tmp" "$output"
