#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vos-subsystems.service (issue 14) run by systemd itself: Debian's systemd
# 252 is started as pid 1 of a container in the guest (its own pid, mount,
# cgroup, UTS and IPC namespaces; vos.ko and the host's root as the guest
# has them) with a default target that wants only the unit. It must start
# the Autostart=yes definitions, what they require first, in the unit's
# delegated cgroup with the memory and pids controllers, leave the others
# alone, and stop every one of them when the container's systemd is told
# to power off (the unit's ExecStop=, run by systemd's shutdown ordering).
#
# The unit is the shipped file; only the path of vosctl is changed to this
# tree's build (there is no /usr/bin/vosctl in the guest). The definitions
# are bound at /etc/virtos/subsystems.d inside the container only.
#
# Not covered: systemd-modules-load loading vos.ko from modules-load.d
# (the guest's vos.ko is this tree's, loaded by vm-run; the packages'
# suite checks the file is installed).
#
# Run time: 40 s on the TCG guest (6.1, 2 vCPUs, measured 2026-12-02), most
# of it systemd starting up and shutting down. In make check it runs on
# stock 6.12 only (tests/vm/guest-tests.sh).

load helpers

setup() {
	subsys_setup
	command -v systemctl >/dev/null && [ -x /lib/systemd/systemd ] || {
		echo "no systemd: run scripts/deps.sh" >&2
		return 1
	}
	P=$(tprefix)
	CG=/sys/fs/cgroup/vos-sdtest-$$
	SDPID=
	UPID=
	MADE_ETC=
}

teardown() {
	[ -n "$SDPID" ] && kill -9 "$SDPID" 2>/dev/null
	[ -n "$UPID" ] && wait "$UPID" 2>/dev/null
	subsys_teardown
	# the unit's cgroups, deepest first, once their processes are gone
	[ -d "$CG" ] && find "$CG" -depth -type d -exec rmdir {} + 2>/dev/null
	[ -n "$MADE_ETC" ] && rm -rf /etc/virtos
	true
}

# in_sd CMD...: CMD in the container (its mount and pid namespaces)
in_sd() {
	nsenter -t "$SDPID" -m -p "$@"
}

# boot_sd: start systemd as pid 1 of a container that sees only the unit,
# a default target wanting it, and the few special units of the boot and
# of a poweroff, copied from the guest's systemd (SYSTEMD_UNIT_PATH): none
# of the guest's own units runs, so the container changes nothing of the
# guest (no tmpfiles, sysctl, udev). Sets SDPID (its pid here) and UPID.
boot_sd() {
	local units=$TMPD/units defs=$TMPD/defs inner=$TMPD/inner.sh u
	mkdir -p "$units"
	sed "s|/usr/bin/vosctl|$VOSCTL|g" "$TOP/tools/vosctl/vos-subsystems.service" \
		>"$units/vos-subsystems.service"
	printf '[Unit]\nDescription=virtos test\nWants=vos-subsystems.service\n' \
		>"$units/vostest.target"
	for u in sysinit.target basic.target local-fs.target network.target shutdown.target \
		umount.target final.target poweroff.target systemd-poweroff.service; do
		cp "/lib/systemd/system/$u" "$units/"
	done
	if [ ! -d /etc/virtos ]; then
		mkdir -p /etc/virtos/subsystems.d
		MADE_ETC=1
	fi
	mkdir -p /etc/virtos/subsystems.d "$CG"
	# pid 1 of the new pid namespace: its own cgroup (a namespace rooted
	# there, which systemd then manages and delegates), the definitions
	# bound over the guest's, its own /run and /tmp, then systemd
	cat >"$inner" <<-EOF
		#!/bin/sh
		set -e
		mount --make-rprivate /
		mount -t tmpfs tmpfs /run
		mount -t tmpfs tmpfs /tmp
		mount --bind "$defs" /etc/virtos/subsystems.d
		echo \$\$ >"$CG/cgroup.procs"
		exec unshare --cgroup sh -c 'umount -l /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
			exec env container=vostest SYSTEMD_UNIT_PATH="$units" /lib/systemd/systemd \
				--unit=vostest.target --log-target=console --show-status=no'
	EOF
	chmod 755 "$inner"
	unshare --pid --fork --mount --mount-proc --uts --ipc "$inner" </dev/null \
		>"$TMPD/sd.out" 2>&1 &
	UPID=$!
	# systemd is the unshare's child; then its private socket (no sleep
	# for a time: each step waits for its condition, bounded)
	timeout 60 sh -c "until pgrep -P $UPID -x systemd >/dev/null; do sleep 0.05; done"
	SDPID=$(pgrep -P "$UPID" -x systemd)
	[ -n "$SDPID" ]
	timeout 120 sh -c "until [ -S /proc/$SDPID/root/run/systemd/private ]; do sleep 0.05; done"
	run timeout 120 nsenter -t "$SDPID" -m -p systemctl is-system-running --wait
	echo "system: $output"
	in_sd systemctl list-units --all --no-pager --plain
}

@test "systemd starts the Autostart=yes definitions in order, in its delegated cgroup, and stops them at poweroff" {
	mkdir -p "$TMPD/defs"
	printf '[Subsystem]\nAutostart=yes\n' >"$TMPD/defs/${P}a.conf"
	printf '[Subsystem]\nAutostart=yes\nRequires=%sa\n' "$P" >"$TMPD/defs/${P}b.conf"
	printf '[Subsystem]\nRequires=%sa\n' "$P" >"$TMPD/defs/${P}c.conf"
	boot_sd

	run in_sd systemctl is-active vos-subsystems.service
	echo "$output"
	[ "$output" = active ]
	run in_sd systemctl show -p Result --value vos-subsystems.service
	[ "$output" = success ]
	# both autostarted ones run, the required one made first (ids grow)
	local ida idb
	ida=$(vosctl ls | awk -v n="${P}a" '$2 == n && $3 == "running" { print $1 }')
	idb=$(vosctl ls | awk -v n="${P}b" '$2 == n && $3 == "running" { print $1 }')
	[ -n "$ida" ] && [ -n "$idb" ]
	[ "$ida" -lt "$idb" ]
	# a definition without Autostart=yes is left alone
	run vosctl ls -q
	[[ $output != *"${P}c"* ]]
	# their inits are in the unit's delegated cgroup, with the controllers
	# their limits need
	local leaf=$CG/system.slice/vos-subsystems.service/vos-${P}a
	[ -d "$leaf" ]
	grep -qw "$(vosctl ls | awk -v n="${P}a" '$2 == n { print $4 }')" "$leaf/cgroup.procs"
	grep -qw memory "$leaf/cgroup.controllers"
	grep -qw pids "$leaf/cgroup.controllers"
	grep -q '^max$\|^[0-9]' "$leaf/memory.max"

	# poweroff: the unit's ExecStop (vosctl stop --all) ends them
	kill -s SIGRTMIN+4 "$SDPID"
	timeout 120 sh -c "while kill -0 $UPID 2>/dev/null; do sleep 0.05; done"
	wait "$UPID" || true
	SDPID=
	UPID=
	run vosctl ls
	echo "$output"
	[[ $output != *"${P}a"* ]]
	[[ $output != *"${P}b"* ]]
}
