#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deps.sh: install the Debian 12 packages that building, testing, the demo
# and the benchmarks need. Idempotent and quick: asks dpkg first and only
# runs apt-get (update + install) for what is missing. Runs as root, or
# through sudo.
set -euo pipefail

packages=(
	# build
	build-essential make pkg-config gcc libc6-dev
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libcap-dev libseccomp-dev
	# --uplink host: the host's masquerade (libnftables), nft(8) for tests;
	# vm-run's scratch disk (mkfs.ext4)
	libnftables-dev nftables e2fsprogs
	# the subsystem definitions (lib/libvirtos/def.c): the INI reader
	libinih-dev
	# the module, against Debian's 6.1 and 6.12 kernels (headers), and the
	# guest kernels themselves (images)
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	# the guest
	qemu-system-x86 busybox-static kmod cpio xz-utils gzip
	# tests, demo, benchmarks
	check bats bubblewrap firejail strace iproute2 util-linux procps psmisc
	python3 coreutils findutils sed grep
	# vosctl apps export: the exported entries are checked with
	# desktop-file-validate (tests/unit/cli/desktop_test.c)
	desktop-file-utils
	# the reference scanner of scan= (vos.FileCopy's tests): clamscan with
	# a signature made by the test, no downloaded database
	clamav
	# vos-wlproxy (--gui): libwayland and the protocol XML it is built
	# from; its guest tests run a headless sway with foot and wayland-info,
	# and wl-clipboard for the selection (wl-copy, wl-paste)
	libwayland-dev libwayland-bin wayland-protocols sway foot wayland-utils grim wl-clipboard
	# cli/systemd runs vos-subsystems.service under Debian's systemd (as a
	# container's pid 1 in the guest)
	systemd
	# make deb (debian/: debhelper-compat 13, dh-dkms; lintian on the .debs)
	# and tests/pkg/run, whose guest builds vos.ko with the host's dkms
	debhelper dh-dkms dkms lintian
	# make style
	clang-format perl
	# .ci/run
	sudo git ca-certificates
)

missing=()
for p in "${packages[@]}"; do
	if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} = 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "deps.sh: run me as root (sudo is not installed)" >&2; exit 1; }
	sudo=(sudo)
fi
env=(DEBIAN_FRONTEND=noninteractive)
# In CI (.ci/run sets VOS_CI=1) the machine is thrown away and boots no
# kernel from /boot, and the guests boot with vm-run's own initramfs
# (tests/vm/mkinitramfs.sh): the initramfs-tools hook that the two kernel
# packages and its own trigger run (three images, about a minute each on
# the CI machine kind) is skipped. Anywhere else it runs as usual: a
# machine that may boot the kernel it installs needs its initramfs.
[ "${VOS_CI:-}" = 1 ] && env+=(INITRD=No)
"${sudo[@]}" env "${env[@]}" apt-get update -q
"${sudo[@]}" env "${env[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
