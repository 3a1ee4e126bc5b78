#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Examples of Documentation/user-guide.md, run as the guide writes them
# (without "sudo": the tests run as root).
# Budget: 30 s on a stock kernel under TCG (measured 15-22 s).

load helpers

setup() {
	subsys_setup
}

teardown() {
	subsys_teardown
}

GUIDE=$TOP/Documentation/user-guide.md

# The command of the guide's example line that starts with "$ sudo vosctl"
# and contains $1, without the prompt and "sudo".
guide_cmd() {
	local line
	line=$(grep -F -- "$1" "$GUIDE" | grep -m1 '^ *\$ sudo vosctl ') || {
		echo "no example with '$1' in $GUIDE" >&2
		return 1
	}
	line=${line#*\$ sudo }
	echo "$line"
}

@test "guide: apt-get --simulate with the package state bound read-only" {
	# issue 11 F: the example ran in the default root, whose /var is empty
	[ -d /var/lib/apt/lists ] && [ -d /var/lib/dpkg ]
	cmd=$(guide_cmd "apt-get --simulate")
	[[ "$cmd" == *"--ro /var/lib/dpkg"* ]]
	read -r -a argv <<<"$cmd"
	argv[0]=$VOSCTL
	run "${argv[@]}"
	check_status 0
	[[ "$output" == *"Inst hello"* ]]
	# control: without the binds it fails as the guide's old example did
	run "$VOSCTL" run --root -- apt-get --simulate install hello
	[ "$status" -ne 0 ]
}
