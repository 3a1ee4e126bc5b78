#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Persistent subsystems: create, exec, ls, show, stop, rm, and their errors.

load helpers

setup() {
	require_module
}

teardown() {
	kill_bg
	cleanup_names
}

@test "create: a running persistent subsystem; --json prints id and name" {
	n=$(tname web)
	run --separate-stderr vosctl create "$n" --json
	check_status 0
	[ "$stderr" = "" ]
	assert_json "$output"
	[ "$(json_get "$output" 'd["name"]')" = "$n" ]
	[ "$(json_get "$output" 'd["id"] > 0')" = "True" ]
	run vosctl show "$n" --json
	check_status 0
	[ "$(json_get "$output" 'd["state"]')" = "running" ]
	[ "$(json_get "$output" 'd["persistent"]')" = "True" ]
	[ "$(json_get "$output" 'd["init_pid"] > 0')" = "True" ]
}

@test "create: without --json prints nothing" {
	n=$(tname quiet)
	run --separate-stderr vosctl create "$n"
	check_status 0
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "create: a taken name gives 121 with what to do" {
	n=$(tname dup)
	vosctl create "$n"
	run --separate-stderr vosctl create "$n"
	check_status 121
	[ "$stderr" = "vosctl: a subsystem named '$n' exists: pick another --name or 'vosctl rm $n'" ]
	run --separate-stderr vosctl run --name "$n" -- true
	check_status 121
	[ "$stderr" = "vosctl: a subsystem named '$n' exists: pick another --name or 'vosctl rm $n'" ]
}

@test "create: missing or bad NAME gives 124" {
	run --separate-stderr vosctl create
	check_status 124
	[ "$stderr" = "vosctl: create: missing NAME: e.g. 'vosctl create web'" ]
	run --separate-stderr vosctl create 'no/slash'
	check_status 124
	[[ "$stderr" == "vosctl: NAME: 'no/slash' is not a valid name: "* ]]
	run --separate-stderr vosctl create "$(printf 'a%.0s' $(seq 64))"
	check_status 124
}

@test "exec: runs in the subsystem's namespaces with its hostname" {
	n=$(tname ex)
	vosctl create "$n" --hostname exhost
	run vosctl exec "$n" -- cat /proc/sys/kernel/hostname
	check_status 0
	[ "$output" = "exhost" ]
	pidns=$(json_get "$(vosctl show "$n" --json)" 'd["pidns_inum"]')
	run vosctl exec "$n" -- readlink /proc/self/ns/pid
	check_status 0
	[ "$output" = "pid:[$pidns]" ]
	# without "--" too
	run vosctl exec "$n" echo no-dashdash
	check_status 0
	[ "$output" = "no-dashdash" ]
}

@test "exec: exit status, signals and stdio are the command's" {
	n=$(tname exs)
	vosctl create "$n"
	run vosctl exec "$n" -- sh -c 'exit 3'
	check_status 3
	run vosctl exec "$n" -- sh -c 'kill -9 $$'
	check_status 137
	run sh -c "echo piped | '$VOSCTL' exec '$n' -- cat"
	check_status 0
	[ "$output" = "piped" ]
	run --separate-stderr vosctl exec "$n" -- sh -c 'echo e >&2'
	[ "$stderr" = "e" ]
}

@test "exec: the same restrictions as the init (no caps, NoNewPrivs, seccomp)" {
	n=$(tname exr)
	vosctl create "$n"
	run vosctl exec "$n" -- grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status
	check_status 0
	[ "${lines[0]}" = "$(printf 'NoNewPrivs:\t1')" ] || [ "${lines[1]}" = "$(printf 'NoNewPrivs:\t1')" ]
	[[ "$output" == *"$(printf 'CapEff:\t0000000000000000')"* ]]
	[[ "$output" == *"$(printf 'Seccomp:\t2')"* ]]
}

@test "exec: writes where the init may: its --rw binds and --tmpfs (same Landlock rules)" {
	# issue 11 F: exec built Landlock from a default config, so these
	# writes failed with EACCES although the mounts are writable
	n=$(tname exl)
	d=$(rw_dir exec)
	vosctl create "$n" --rw "$d:/data" --tmpfs /scratch
	run --separate-stderr vosctl exec "$n" -- \
		sh -c 'echo d >/data/f && mkdir /scratch/dir && echo s >/scratch/dir/g && echo t >/tmp/t && cat /data/f /scratch/dir/g /tmp/t'
	check_status 0
	[ "$(echo "$output" | tr '\n' ' ')" = "d s t " ]
	[ "$(cat "$d/f")" = d ]
	rm -rf "$d"
	# and nowhere else: the root and a read-only bind stay read-only
	run vosctl exec "$n" -- sh -c 'echo x >/etc/vos-exec-probe'
	[ "$status" -ne 0 ]
}

@test "exec: command not found is 127, not executable is 126" {
	n=$(tname exe)
	vosctl create "$n"
	run --separate-stderr vosctl exec "$n" -- no-such-command-xyz
	check_status 127
	[ "$stderr" = "vosctl: no-such-command-xyz: command not found: check the name, or give a full path that exists inside the subsystem" ]
	run --separate-stderr vosctl exec "$n" -- /etc/passwd
	check_status 126
	[[ "$stderr" == "vosctl: /etc/passwd: cannot execute: "* ]]
}

@test "exec: no such subsystem is 121; missing command is 124" {
	run --separate-stderr vosctl exec no-such-subsys-xyz -- true
	check_status 121
	[ "$stderr" = "vosctl: no subsystem named 'no-such-subsys-xyz': see 'vosctl ls' for the ones you may use" ]
	run --separate-stderr vosctl exec somename
	check_status 124
	[ "$stderr" = "vosctl: exec: missing command: give it after '--', e.g. 'vosctl exec somename -- /bin/sh'" ]
	run --separate-stderr vosctl exec
	check_status 124
}

@test "exec: tasks_now and execs counters move" {
	n=$(tname cnt)
	vosctl create "$n"
	before=$(json_get "$(vosctl show "$n" --json)" 'd["execs"]')
	vosctl exec "$n" -- true
	vosctl exec "$n" -- true
	after=$(json_get "$(vosctl show "$n" --json)" 'd["execs"]')
	[ "$after" -ge $((before + 2)) ]
}

@test "ls: table, -q and --json list the subsystem" {
	n=$(tname ls)
	vosctl create "$n"
	run vosctl ls
	check_status 0
	[[ "${lines[0]}" =~ ^ID\ +NAME\ +STATE\ +PID\ +TASKS\ +OWNER\ +KIND\ +NET\ +AGE$ ]]
	line=$(echo "$output" | grep " $n ")
	[[ "$line" =~ ^[0-9]+\ +$n\ +running\ +[0-9]+\ +[0-9]+\ +0\ +persistent\ +isolated\ +[0-9]+s$ ]]
	run vosctl ls -q
	check_status 0
	echo "$output" | grep -qx "$n"
	run vosctl ls --json
	check_status 0
	assert_json "$output"
	[ "$(json_get "$output" "[x['state'] for x in d if x['name'] == '$n']")" = "['running']" ]
}

@test "ls: --json is an empty array or objects, never broken, with every field" {
	n=$(tname lsj)
	vosctl create "$n" --share-net
	run vosctl ls --json
	check_status 0
	assert_json "$output"
	run json_get "$output" "sorted([x for x in d if x['name'] == '$n'][0].keys())"
	[ "$output" = "['age_s', 'cgroup_id', 'created_ns', 'denials', 'execs', 'exit_code', 'exit_status', 'id', 'id_base', 'id_count', 'init_pid', 'name', 'net', 'netns_inum', 'owner_uid', 'persistent', 'pidns_inum', 'pooled', 'state', 'tasks_ever', 'tasks_now']" ]
	run json_get "$(vosctl ls --json)" "[x['net'] for x in d if x['name'] == '$n']"
	[ "$output" = "['host']" ]
}

@test "show: text form and --json agree" {
	n=$(tname show)
	vosctl create "$n"
	run vosctl show "$n"
	check_status 0
	[ "${lines[0]}" = "name:        $n" ]
	[[ "$output" == *"state:       running"* ]]
	[[ "$output" == *"kind:        persistent"* ]]
	[[ "$output" == *"network:     isolated"* ]]
	id=$(echo "$output" | sed -n 's/^id: *//p')
	run vosctl show "$n" --json
	check_status 0
	assert_json "$output"
	[ "$(json_get "$output" 'd["id"]')" = "$id" ]
	[ "$(json_get "$output" 'd["exit_code"]')" = "None" ]
	# a private host id range, above every usual host id, disjoint from
	# a second subsystem's; --as-user has none
	local base count base2
	base=$(json_get "$output" 'd["id_base"]')
	count=$(json_get "$output" 'd["id_count"]')
	[ "$count" -ge 65536 ] && [ "$base" -ge 65536 ]
	vosctl create "$n-2"
	base2=$(json_get "$(vosctl show "$n-2" --json)" 'd["id_base"]')
	[ "$base2" -ge $((base + count)) ] || [ $((base2 + count)) -le "$base" ]
	run vosctl show "$n"
	[[ "$output" == *"host ids:    $base-$((base + count - 1)) (private: $count ids from "* ]]
	vosctl create "$n-3" --as-user
	[ "$(json_get "$(vosctl show "$n-3" --json)" '[d["id_base"], d["id_count"]]')" = "[0, 0]" ]
	run vosctl show "$n-3"
	[[ "$output" == *"host ids:    the creator's own (--as-user)"* ]]
}

@test "show: no such subsystem is 121, a bad name 124" {
	run --separate-stderr vosctl show no-such-subsys-xyz
	check_status 121
	[ "$stderr" = "vosctl: no subsystem named 'no-such-subsys-xyz': see 'vosctl ls' for the ones you may use" ]
	run --separate-stderr vosctl show
	check_status 124
	[ "$stderr" = "vosctl: show: missing NAME: see 'vosctl ls' for names" ]
	run --separate-stderr vosctl show a b
	check_status 124
}

@test "stop: ends the processes, keeps the subsystem stopped; idempotent" {
	n=$(tname stop)
	vosctl create "$n"
	run vosctl stop -t 2 "$n"
	check_status 0
	[ "$output" = "" ]
	run vosctl show "$n" --json
	[ "$(json_get "$output" 'd["state"]')" = "stopped" ]
	[ "$(json_get "$output" 'd["tasks_now"]')" = "0" ]
	run vosctl stop "$n"
	check_status 0
	run vosctl exec "$n" -- true
	[ "$status" -ne 0 ]
}

@test "stop: a process that ignores SIGTERM is killed after --timeout" {
	n=$(tname stopk)
	bg_vosctl run --no-tty --persistent --name "$n" -- sh -c 'trap "" TERM; echo ready; while :; do sleep 0.2; done' >"$TMPD/out"
	pid=$BGPID
	# the trap is set once it says so
	for i in $(seq 300); do grep -q ready "$TMPD/out" && break; sleep 0.1; done
	grep -q ready "$TMPD/out"
	start=$(date +%s)
	run vosctl stop --timeout 1 "$n"
	check_status 0
	wait_pid "$pid" 20
	# the app died of SIGKILL (or the mini init reported it so)
	[ "$waited_status" -eq 137 ]
	run vosctl show "$n" --json
	[ "$(json_get "$output" 'd["state"]')" = "stopped" ]
}

@test "stop: --signal picks the first signal" {
	n=$(tname stops)
	bg_vosctl run --no-tty --persistent --name "$n" -- sh -c 'trap "exit 11" USR1; echo ready; while :; do sleep 0.2; done' >"$TMPD/out"
	pid=$BGPID
	for i in $(seq 300); do grep -q ready "$TMPD/out" && break; sleep 0.1; done
	grep -q ready "$TMPD/out"
	run vosctl stop -s USR1 -t 5 "$n"
	check_status 0
	wait_pid "$pid" 20
	[ "$waited_status" -eq 11 ]
	[ "$(json_get "$(vosctl show "$n" --json)" 'd["exit_code"]')" = "11" ]
}

@test "stop: bad values are 124, unknown subsystem 121" {
	run --separate-stderr vosctl stop -s FOO x
	check_status 124
	[[ "$stderr" == "vosctl: --signal: 'FOO' is not a signal: "* ]]
	run --separate-stderr vosctl stop -t -1 x
	check_status 124
	run --separate-stderr vosctl stop no-such-subsys-xyz
	check_status 121
}

@test "rm: a running subsystem is refused without --force (125)" {
	n=$(tname rmr)
	vosctl create "$n"
	run --separate-stderr vosctl rm "$n"
	check_status 125
	[ "$stderr" = "vosctl: subsystem '$n' is running: stop it first with 'vosctl stop $n', or kill and remove it with 'vosctl rm --force $n'" ]
	run vosctl show "$n" --json
	[ "$(json_get "$output" 'd["state"]')" = "running" ]
	run vosctl rm --force "$n"
	check_status 0
	run vosctl show "$n"
	check_status 121
}

@test "rm: after stop; the name is free at once for a new subsystem" {
	n=$(tname rms)
	vosctl create "$n"
	vosctl stop -t 2 "$n"
	run vosctl rm "$n"
	check_status 0
	run vosctl create "$n"
	check_status 0
	run vosctl rm -f "$n"
	check_status 0
}

@test "rm: no such subsystem is 121; missing NAME 124" {
	run --separate-stderr vosctl rm no-such-subsys-xyz
	check_status 121
	[ "$stderr" = "vosctl: no subsystem named 'no-such-subsys-xyz': see 'vosctl ls' for the ones you may use" ]
	run --separate-stderr vosctl rm
	check_status 124
	[ "$stderr" = "vosctl: rm: missing NAME: see 'vosctl ls' for names" ]
}

@test "rm --force of an ephemeral run ends the app" {
	n=$(tname rme)
	bg_vosctl run --name "$n" -- sleep 60
	pid=$BGPID
	for i in $(seq 50); do "$VOSCTL" ls -q | grep -qx "$n" && break; sleep 0.1; done
	run vosctl rm --force "$n"
	check_status 0
	wait_pid "$pid" 20
	[ "$waited_status" -eq 137 ]
}
