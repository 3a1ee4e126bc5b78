#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl run: what the subsystem's root shows of the host (by default only
# its system directories; --host-root all of it) and where bind mount
# points can be made.

load helpers

setup() {
	subsys_setup
}

teardown() {
	subsys_teardown
}

@test "run: the default root shows only the host's system directories" {
	echo host-file > "$TMPD/f"
	run vosctl run -- ls -A /
	check_status 0
	local e
	for e in $output; do
		case $e in
		usr|bin|sbin|lib|lib32|lib64|libx32|etc|opt|proc|sys|dev|tmp|run|var|home|root|mnt|srv|media) ;;
		*) echo "unexpected /$e"; return 1 ;;
		esac
	done
	[[ " $(echo $output) " == *" usr "* ]] && [[ " $(echo $output) " == *" etc "* ]]
	# the test tree and a host file outside the system directories are not there
	run vosctl run -- test -e "$TMPD/f"
	check_status 1
	run vosctl run -- test -e "$TOP"
	check_status 1
	run vosctl run -- cat /etc/hostname
	check_status 0
	[ "$output" = "$(cat /etc/hostname)" ]
}

@test "run: --host-root shows the whole host root, read-only" {
	echo host-file > "$TMPD/f"
	run vosctl run --host-root -- cat "$TMPD/f"
	check_status 0
	[ "$output" = "host-file" ]
	run vosctl run --host-root -- sh -c "echo x > '$TMPD/g'"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "$TMPD/g" ]
}

@test "run: a bind destination is made on the root, not inside a read-only host directory" {
	echo deep > "$TMPD/f"
	run vosctl run --ro "$TMPD:/a/b/c" -- cat /a/b/c/f
	check_status 0
	[ "$output" = "deep" ]
	run --separate-stderr vosctl run --ro "$TMPD:/usr/vosctl-no-such-dir" -- true
	check_status 124
	[[ "$stderr" == *"mount point /usr/vosctl-no-such-dir"*"Read-only file system"* ]]
}
