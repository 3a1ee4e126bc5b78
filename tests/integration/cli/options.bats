#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl run: every isolation option, seen from inside the subsystem (in
# its own file so that each file fits the per-suite time limit under TCG).

load helpers

setup() {
	subsys_setup
}

teardown() {
	subsys_teardown
}

@test "run: the app is not pid 1 by default (mini init), is with --as-pid1" {
	run vosctl run -- sh -c 'echo $$'
	check_status 0
	[ "$output" -gt 1 ]
	run vosctl run --as-pid1 -- sh -c 'echo $$'
	check_status 0
	[ "$output" = "1" ]
}

@test "run: its own PID namespace (pid 1 is not the host's init)" {
	host=$(readlink /proc/self/ns/pid)
	run vosctl run -- readlink /proc/self/ns/pid
	check_status 0
	[[ "$output" == pid:* ]]
	[ "$output" != "$host" ]
}

@test "run: --hostname sets the host name; default is the subsystem name" {
	run vosctl run --hostname h1.example -- cat /proc/sys/kernel/hostname
	check_status 0
	[ "$output" = "h1.example" ]
	n=$(tname host)
	run vosctl run --name "$n" -- cat /proc/sys/kernel/hostname
	check_status 0
	[ "$output" = "$n" ]
}

@test "run: no capabilities by default; --cap-add keeps exactly one" {
	run vosctl run -- grep '^CapEff' /proc/self/status
	check_status 0
	[ "$output" = "$(printf 'CapEff:\t0000000000000000')" ]
	# CAP_NET_RAW is bit 13
	run vosctl run --cap-add net_raw -- grep '^CapEff' /proc/self/status
	check_status 0
	[ "$output" = "$(printf 'CapEff:\t0000000000002000')" ]
	run vosctl run --cap-add CAP_NET_RAW --cap-add sys_time -- grep '^CapEff' /proc/self/status
	check_status 0
	# CAP_SYS_TIME is bit 25
	[ "$output" = "$(printf 'CapEff:\t0000000002002000')" ]
}

@test "run: --root is uid 0 and gid 0 inside" {
	run vosctl run --root -- sh -c 'echo $(id -u):$(id -g)'
	check_status 0
	[ "$output" = "0:0" ]
}

@test "run: no network namespace sharing by default; --share-net shares the host's" {
	host=$(readlink /proc/self/ns/net)
	run vosctl run -- readlink /proc/self/ns/net
	check_status 0
	[[ "$output" == net:* ]]
	[ "$output" != "$host" ]
	run vosctl run --share-net -- readlink /proc/self/ns/net
	check_status 0
	[ "$output" = "$host" ]
}

@test "run: without --share-net only loopback exists" {
	run vosctl run -- sh -c "awk 'NR>2 {sub(\":\",\"\",\$1); print \$1}' /proc/net/dev"
	check_status 0
	[ "$output" = "lo" ]
}

@test "run: --tmpfs makes a mount point for a bind on the read-only root" {
	echo deep > "$TMPD/f"
	run vosctl run --tmpfs /srv --ro "$TMPD:/srv/data" -- cat /srv/data/f
	check_status 0
	[ "$output" = "deep" ]
}

@test "run: --tmpfs gives an empty writable tmpfs" {
	run vosctl run --tmpfs /mnt -- sh -c 'ls -A /mnt | wc -l; echo x > /mnt/f && cat /mnt/f; stat -f -c %T /mnt'
	check_status 0
	[ "${lines[0]}" = "0" ]
	[ "${lines[1]}" = "x" ]
	[ "${lines[2]}" = "tmpfs" ]
}

@test "run: --ro binds read-only, at DEST when given" {
	echo content > "$TMPD/f"
	# a DEST on the read-only root must exist (or be under a --tmpfs)
	run vosctl run --ro "$TMPD:/mnt" -- cat /mnt/f
	check_status 0
	[ "$output" = "content" ]
	run vosctl run --ro "$TMPD:/mnt" -- sh -c 'echo y > /mnt/g'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "$TMPD/g" ]
	run vosctl run --ro "$TMPD" -- cat "$TMPD/f"
	check_status 0
	[ "$output" = "content" ]
}

@test "run: --ro and --rootfs accept sources under the host's /tmp" {
	d=$(mktemp -d)
	chmod 755 "$d" # open to others: the subsystem's ids are not host root
	echo in-tmp > "$d/f"
	run vosctl run --ro "$d:/mnt" -- cat /mnt/f
	rm -rf "$d"
	check_status 0
	[ "$output" = "in-tmp" ]
}

@test "run: a bind source that does not exist is a bad option value (124)" {
	run --separate-stderr vosctl run --ro /nonexistent-vosctl-src:/mnt -- true
	check_status 124
	[[ "$stderr" == "vosctl: cannot start the isolated process: "*"--ro /nonexistent-vosctl-src"*": fix the path of that option (see OPTIONS in vosctl(1))" ]]
}

@test "run: --rw binds writable; what the app writes is the directory owner's" {
	local d
	d=$(rw_dir rw)
	run vosctl run --rw "$d:/mnt" -- sh -c 'echo written > /mnt/g && stat -c %u /mnt/g'
	check_status 0
	[ "$output" = 0 ] # inside: the app (uid 0 of its range) owns it
	[ "$(cat "$d/g")" = "written" ]
	[ "$(stat -c %u:%g "$d/g")" = 4000:4000 ]
	rm -rf "$d"
}

@test "run: --rw on a tmpfs: idmapped from Linux 6.3, refused before, saying why (124)" {
	local d=/dev/shm/vosctl-tmpfs.$$ major minor
	mkdir -p "$d"
	chown 4000:4000 "$d"
	IFS=. read -r major minor _ < <(uname -r)
	run --separate-stderr vosctl run --rw "$d:/mnt" -- sh -c 'echo x > /mnt/f'
	if [ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 3 ]; }; then
		check_status 0
		[ "$(stat -c %u:%g "$d/f")" = 4000:4000 ]
	else
		check_status 124
		[[ "$stderr" == *"--rw $d: cannot be an idmapped mount"*"tmpfs (idmapped from Linux 6.3)"*"--as-user"* ]]
		[ ! -e "$d/f" ]
	fi
	rm -rf "$d"
}

@test "run: a root-owned --rw directory is refused (124), --as-user allows it" {
	run --separate-stderr vosctl run --rw "$TMPD:/mnt" -- true
	check_status 124
	[[ "$stderr" == *"--rw $TMPD: it belongs to root on the host"*"--as-user"* ]]
	run vosctl run --as-user --rw "$TMPD:/mnt" -- sh -c 'echo written > /mnt/g'
	check_status 0
	[ "$(stat -c %u "$TMPD/g")" = 0 ]
}

@test "run: the host root is read-only by default" {
	run vosctl run -- sh -c 'touch /etc/vosctl-test-file'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e /etc/vosctl-test-file ]
}

@test "run: --rootfs uses another root directory" {
	# the mount points the recipe needs exist in the new root
	mkdir -p "$TMPD/root/bin" "$TMPD/root/proc" "$TMPD/root/dev" "$TMPD/root/tmp" \
		"$TMPD/root/sys" "$TMPD/root/run" "$TMPD/root/mnt"
	cp /bin/busybox "$TMPD/root/bin/busybox"
	echo in-rootfs > "$TMPD/root/marker"
	run vosctl run --rootfs "$TMPD/root" -- /bin/busybox cat /marker
	check_status 0
	[ "$output" = "in-rootfs" ]
	run vosctl run --rootfs "$TMPD/root" -- /bin/busybox test -e /etc/passwd
	check_status 1
}

@test "run: --memory, --cpus and --pids reach the subsystem's cgroup" {
	run vosctl run --memory 64M --cpus 0.5 --pids 17 -- \
		sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max'
	check_status 0
	[ "${lines[0]}" = "67108864" ]
	[ "${lines[1]}" = "50000 100000" ]
	[ "${lines[2]}" = "17" ]
}

@test "run: --pids is enforced (forks beyond the limit fail with EAGAIN)" {
	# The children block on a pipe until the parent is done forking (not
	# on a timer: under TCG on the debug kernel a fork can take longer
	# than any sleep, and a child that exits early frees its pid slot).
	run vosctl run --pids 4 -- python3 -c '
import os
r, w = os.pipe()
ok = 0
for i in range(8):
    try:
        pid = os.fork()
    except OSError as e:
        print("fork failed", e.errno)
        break
    if pid == 0:
        os.close(w)
        os.read(r, 1)
        os._exit(0)
    ok += 1
print("forked", ok)
os.close(w)
'
	check_status 0
	[ "${lines[0]}" = "fork failed 11" ]
	[[ "${lines[1]}" =~ ^forked\ [0-3]$ ]]
}

@test "run: the app's environment is minimal; --env sets, --keep-env passes on" {
	export VOS_BATS_SECRET=s3cret LANG=C.UTF-8
	run vosctl run --no-tty -- env
	check_status 0
	[[ "$output" != *VOS_BATS_SECRET* ]]
	[[ "$output" == *"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"* ]]
	[[ "$output" == *"HOME=/"* ]]
	[[ "$output" == *"LANG=C.UTF-8"* ]]
	run vosctl run --no-tty --keep-env VOS_BATS_SECRET --env A=1 -- env
	check_status 0
	[[ "$output" == *"VOS_BATS_SECRET=s3cret"* ]]
	[[ "$output" == *"A=1"* ]]
	run vosctl run --env 1A=x -- true
	check_status 124
	[[ "$output" == *"is not NAME=VALUE"* ]]
}

@test "run: only unix, inet, inet6 and netlink-route sockets; --allow-socket lets a family through" {
	# errno of socket(family, type): 97 EAFNOSUPPORT from the filter
	probe='import socket, sys
try:
    socket.socket(int(sys.argv[1]), int(sys.argv[2])).close(); print(0)
except OSError as e:
    print(e.errno)'
	run vosctl run -- /usr/bin/python3 -c "$probe" 40 1
	check_status 0
	[ "$output" = 97 ]
	run vosctl run -- /usr/bin/python3 -c "$probe" 1 1
	check_status 0
	[ "$output" = 0 ]
	# AF_PACKET allowed: the kernel itself refuses (EPERM, no CAP_NET_RAW)
	run vosctl run --allow-socket packet -- /usr/bin/python3 -c "$probe" 17 2
	check_status 0
	[ "$output" = 1 ]
	run vosctl run --allow-socket nope -- true
	check_status 124
	[[ "$output" == *"is not a socket family"* ]]
}
