#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl's own failures: usage (124), bad option values (124), module
# unavailable (123, via VOSCTL_DEVICE pointing nowhere, so it does not
# depend on the guest's state), permission (122), command not found or not
# executable (127/126), and the help and version outputs.

load helpers

@test "usage: no command, unknown command, unknown option" {
	require_vosctl
	run --separate-stderr "$VOSCTL"
	check_status 124
	[[ "$stderr" == "Usage: vosctl COMMAND"* ]]
	run --separate-stderr "$VOSCTL" frobnicate
	check_status 124
	[ "$stderr" = "vosctl: unknown command 'frobnicate': see 'vosctl --help'" ]
	run --separate-stderr "$VOSCTL" ls --bogus
	check_status 124
	[ "$stderr" = "vosctl: ls: unknown option '--bogus': see 'vosctl ls --help'" ]
	run --separate-stderr "$VOSCTL" run -Z -- true
	check_status 124
	[ "$stderr" = "vosctl: run: unknown option '-Z': see 'vosctl run --help'" ]
	run --separate-stderr "$VOSCTL" run --memory
	check_status 124
	[ "$stderr" = "vosctl: run: option '--memory' needs a value: see 'vosctl run --help'" ]
}

@test "usage: missing command for run" {
	require_vosctl
	run --separate-stderr "$VOSCTL" run
	check_status 124
	[ "$stderr" = "vosctl: run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'" ]
	run --separate-stderr "$VOSCTL" run --name x --
	check_status 124
	[ "$stderr" = "vosctl: run: missing command: give it after '--', e.g. 'vosctl run -- /bin/sh'" ]
}

@test "bad option values: 124 with the accepted form" {
	require_vosctl
	local -a cases=(
		"--memory 12X|vosctl: --memory: '12X' is not a size: use a number with an optional K, M or G suffix, e.g. 512M"
		"--memory 1K|vosctl: --memory: '1K' is too small: use at least 1M"
		"--cpus abc|vosctl: --cpus: 'abc' is not a CPU count: use a decimal number such as 0.5, 1.25 or 2"
		"--cpus 0|vosctl: --cpus: '0' allows no CPU time: use a positive number, e.g. 0.5"
		"--cpus 2000|vosctl: --cpus: '2000' is too large: use at most 1024"
		"--pids 0|vosctl: --pids: '0' is not a positive integer: use e.g. 64"
		"--pids -5|vosctl: --pids: '-5' is not a positive integer: use e.g. 64"
		"--cap-add bogus|vosctl: --cap-add: 'bogus' is not a capability: use a name from capabilities(7), e.g. CAP_NET_RAW or net_raw"
		"--name -x|vosctl: --name: '-x' is not a valid name: use 1 to 63 letters, digits, '_', '.' or '-', starting with a letter or digit"
		"--hostname a_b|vosctl: --hostname: 'a_b' is not a host name: use up to 64 letters, digits, '-' and '.', e.g. web1"
		"--ro rel|vosctl: --ro: 'rel' is not SRC[:DEST]: use absolute paths, e.g. /srv/data or /srv/data:/mnt"
		"--rw /a:b|vosctl: --rw: '/a:b' is not SRC[:DEST]: use absolute paths, e.g. /srv/data or /srv/data:/mnt"
		"--tmpfs tmp|vosctl: --tmpfs: 'tmp' is not an absolute path: use a path starting with '/'"
		"--rootfs root|vosctl: --rootfs: 'root' is not an absolute path: use a path starting with '/'"
	)
	local c opt val want
	for c in "${cases[@]}"; do
		opt=${c%%|*}
		want=${c#*|}
		val=${opt#* }
		opt=${opt%% *}
		run --separate-stderr "$VOSCTL" run "$opt" "$val" -- true
		echo "case: $opt $val -> $status: $stderr"
		check_status 124
		[ "$stderr" = "$want" ]
		[ "$output" = "" ]
		# create takes the same isolation options and says the same
		[ "$opt" = --name ] && continue
		run --separate-stderr "$VOSCTL" create okname "$opt" "$val"
		check_status 124
		[ "$stderr" = "$want" ]
	done
}

@test "--rootfs and --host-root together are a usage error (124), in either order" {
	require_vosctl
	local want="vosctl: --rootfs and --host-root both choose the root: give one of them"
	run --separate-stderr "$VOSCTL" run --rootfs / --host-root -- true
	check_status 124
	[ "$stderr" = "$want" ]
	run --separate-stderr "$VOSCTL" create okname --host-root --rootfs /
	check_status 124
	[ "$stderr" = "$want" ]
}

@test "module unavailable: every command that needs it gives 123 and what to do" {
	require_vosctl
	export VOSCTL_DEVICE=/nonexistent/vos
	local -a cmds=(
		"run -- true"
		"run --name x --memory 64M -- true"
		"create x"
		"exec x -- true"
		"ls"
		"ls --json"
		"show x"
		"stop x"
		"rm x"
		"events"
	)
	local c
	for c in "${cmds[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$VOSCTL" $c
		echo "case: $c -> $status: $stderr"
		check_status 123
		[ "$stderr" = "$NOMOD_MSG" ]
		[ "$output" = "" ]
	done
}

@test "module unavailable: version prints what it knows, valid JSON, then 123" {
	require_vosctl
	export VOSCTL_DEVICE=/nonexistent/vos
	run --separate-stderr "$VOSCTL" version
	check_status 123
	[ "$stderr" = "$NOMOD_MSG" ]
	[[ "${lines[0]}" =~ ^vosctl:\ +[0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ "$output" == *"vos.ko:       not available"* ]]
	run --separate-stderr "$VOSCTL" version --json
	check_status 123
	assert_json "$output"
	[ "$(json_get "$output" 'd["module"]')" = "None" ]
	[ "$(json_get "$output" 'd["api_compiled"]')" = "1" ]
}

@test "usage errors win over a missing module" {
	require_vosctl
	export VOSCTL_DEVICE=/nonexistent/vos
	run --separate-stderr "$VOSCTL" run --memory 12X -- true
	check_status 124
}

@test "version: module API and capabilities, text and JSON" {
	require_module
	run --separate-stderr vosctl version
	check_status 0
	[ "$stderr" = "" ]
	[[ "$output" == *"vos.ko API:   1"* ]]
	[[ "$output" == *"capabilities: create persistent"* ]]
	run vosctl version --json
	check_status 0
	assert_json "$output"
	[ "$(json_get "$output" 'd["module"]["api_version"]')" = "1" ]
	[ "$(json_get "$output" '"create" in d["module"]["capabilities"] and "events" in d["module"]["capabilities"]')" = "True" ]
	# this tree's vos.ko has every capability vosctl knows a name for
	[ "$(json_get "$output" 'all(c in d["module"]["capabilities"] for c in ("id_range", "net_rules", "net_provider", "peer", "rule_hosts", "channel", "clipboard", "net_ipv6"))')" = "True" ]
	[ "$(json_get "$output" 'd["vosctl"] == d["libvirtos"]')" = "True" ]
	run vosctl --version
	check_status 0
	[[ "${lines[0]}" == "vosctl:"* ]]
}

@test "permission: an unprivileged user gets 122 and what to do" {
	require_module
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all "$VOSCTL" run -- true
	check_status 122
	[[ "$stderr" == "vosctl: "*"run vosctl as root"* ]]
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all "$VOSCTL" create "$(tname perm)"
	check_status 122
	[[ "$stderr" == "vosctl: "*"run vosctl as root"* ]]
	run vosctl show "$(tname perm)"
	check_status 121
}

@test "permission: an unprivileged user cannot see or touch root's subsystem" {
	require_module
	n=$(tname priv)
	vosctl create "$n"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all "$VOSCTL" rm --force "$n"
	[[ "$status" -eq 121 || "$status" -eq 122 ]]
	run vosctl show "$n" --json
	[ "$(json_get "$output" 'd["state"]')" = "running" ]
	vosctl rm --force "$n"
}

@test "run: command not found is 127, not executable 126, with what to do" {
	require_module
	run --separate-stderr vosctl run -- no-such-command-xyz
	check_status 127
	[ "$stderr" = "vosctl: no-such-command-xyz: command not found: check the name, or give a full path that exists inside the subsystem" ]
	run --separate-stderr vosctl run -- /no/such/path
	check_status 127
	run --separate-stderr vosctl run -- /etc/passwd
	check_status 126
	[[ "$stderr" == "vosctl: /etc/passwd: cannot execute: "*": check that it is an executable file readable inside the subsystem" ]]
	run --separate-stderr vosctl run -- /etc
	check_status 126
}

@test "help: vosctl --help, help CMD and CMD --help for every command" {
	require_vosctl
	run --separate-stderr "$VOSCTL" --help
	check_status 0
	[ "$stderr" = "" ]
	[[ "$output" == *"123 vos.ko not loaded"* ]]
	local c top_help=$output
	for c in run create exec ls show stop rm events version help; do
		[[ "$top_help" == *"  $c "* ]]
		run --separate-stderr "$VOSCTL" "$c" --help
		check_status 0
		[[ "${lines[0]}" == "Usage: vosctl $c"* ]]
		[[ "$output" == *"124 bad usage or option value"* ]]
		run "$VOSCTL" help "$c"
		check_status 0
		[[ "${lines[0]}" == "Usage: vosctl $c"* ]]
	done
	run "$VOSCTL" run --help
	[[ "$output" == *"--memory SIZE"* && "$output" == *"--share-net"* && "$output" == *"--as-pid1"* ]]
}

@test "the man page renders without warnings" {
	run sh -c "groff -man -ww -z '$TOP/Documentation/vosctl.1' 2>&1"
	check_status 0
	[ "$output" = "" ]
	run sh -c "MANWIDTH=80 man -l '$TOP/Documentation/vosctl.1' 2>/dev/null | col -b"
	check_status 0
	local s
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "ISOLATION DEFAULTS" "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
		echo "$output" | grep -qx "$s"
	done
}
