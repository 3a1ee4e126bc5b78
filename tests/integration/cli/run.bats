#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vosctl run: exit codes, stdio, signals, terminal, lifetime (the isolation
# options are in options.bats).

load helpers

setup() {
	subsys_setup
}

teardown() {
	subsys_teardown
}

@test "run: exit status 0 and nothing printed by vosctl" {
	run --separate-stderr vosctl run -- true
	check_status 0
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "run: the app's exit status is vosctl's (3, 255)" {
	run vosctl run -- sh -c 'exit 3'
	check_status 3
	run vosctl run -- sh -c 'exit 255'
	check_status 255
}

@test "run: an app killed by SIGKILL gives 128+9" {
	run vosctl run -- sh -c 'kill -9 $$'
	check_status 137
}

@test "run: an app killed by SIGTERM gives 128+15" {
	run vosctl run -- sh -c 'kill -TERM $$'
	check_status 143
}

@test "run: stdout and stderr reach the caller separately" {
	run --separate-stderr vosctl run -- sh -c 'echo to-out; echo to-err >&2'
	check_status 0
	[ "$output" = "to-out" ]
	[ "$stderr" = "to-err" ]
}

@test "run: stdin reaches the app" {
	run sh -c "printf 'line1\nline2\n' | '$VOSCTL' run -- cat"
	check_status 0
	[ "$output" = "$(printf 'line1\nline2')" ]
}

@test "run: the app ignores no signal though vosctl's caller, a background job, ignores two; the tests' vosctl() keeps its stdin" {
	# the control: a command of a background job ignores SIGINT and SIGQUIT
	grep ^SigIgn: /proc/self/status >"$TMPD/bg" &
	wait $!
	grep -q "^SigIgn:" "$TMPD/bg"
	grep -qx "SigIgn:[[:space:]]*0000000000000000" "$TMPD/bg" && return 1
	# vosctl itself, not the helper (which gives it default signals): the
	# library gives the app default signals, whatever its caller ignores
	"$VOSCTL" run -- grep ^SigIgn: /proc/self/status >"$TMPD/out" 2>&1 &
	wait $!
	cat "$TMPD/out"
	grep -qx "SigIgn:[[:space:]]*0000000000000000" "$TMPD/out"
	# helpers.bash's vosctl() from a background job: its check of the
	# caller's signals must not take the app's stdin
	echo through-the-file >"$TMPD/in"
	vosctl run -- sh -c 'read -r l; echo "$l"' <"$TMPD/in" >"$TMPD/out" 2>&1 &
	wait $!
	cat "$TMPD/out"
	grep -qx through-the-file "$TMPD/out"
}

@test "run: arguments are passed unchanged, options after the command are the app's" {
	run vosctl run -- printf '%s|' a 'b c' --memory '*'
	check_status 0
	[ "$output" = "a|b c|--memory|*|" ]
	run vosctl run printf '%s|' x --pids
	check_status 0
	[ "$output" = "x|--pids|" ]
}

@test "run: the app's exec searches a long PATH; a script without #! runs under sh with 20000 arguments" {
	# the app's last steps run on a stack of their own (inside.c,
	# fork_app()): execvp() puts each PATH entry joined to the name, and a
	# script's whole argv, on it
	local long
	long=/$(head -c 60000 /dev/zero | tr '\0' a)
	run vosctl run --env "PATH=$long:/usr/bin:/bin" -- true
	check_status 0
	printf 'echo "$# arguments, the last ${20000}, at $0"\n' >"$TMPD/script"
	chmod 755 "$TMPD/script"
	run vosctl run --ro "$TMPD:/mnt" -- /mnt/script $(seq 20000)
	check_status 0
	[ "$output" = "20000 arguments, the last 20000, at /mnt/script" ]
}

@test "run: --isolate is accepted (the default)" {
	run vosctl run --isolate -- sh -c 'echo ok'
	check_status 0
	[ "$output" = "ok" ]
}

@test "run: --name shows the subsystem in ls while it runs; ephemeral: gone after" {
	n=$(tname eph)
	# Inside, /dev/vos is not reachable: vosctl there cannot list (the
	# binary is bound in: the default root has only system directories).
	run vosctl run --name "$n" --ro "$VOSCTL" -- sh -c "'$VOSCTL' ls -q; echo rc=\$?"
	check_status 0
	[ "${lines[0]}" = "$NOMOD_MSG" ]
	[ "${lines[1]}" = "rc=123" ]
	bg_vosctl run --name "$n" -- sleep 60
	pid=$BGPID
	for i in $(seq 300); do
		"$VOSCTL" ls -q | grep -qx "$n" && break
		sleep 0.1
	done
	run "$VOSCTL" show "$n" --json
	check_status 0
	[ "$(json_get "$output" '(d["state"], d["persistent"])')" = "('running', False)" ]
	# the app ends (SIGTERM forwarded): the ephemeral subsystem goes with it
	kill -TERM "$pid"
	wait_pid "$pid" 30
	[ "$waited_status" -eq 143 ]
	run "$VOSCTL" show "$n"
	check_status 121
}

@test "run: --rm is the default; --rm with --persistent is refused" {
	run vosctl run --rm -- sh -c 'exit 5'
	check_status 5
	run --separate-stderr vosctl run --rm --persistent -- true
	check_status 124
	[ "$stderr" = "vosctl: run: --rm and --persistent contradict each other: give one of them" ]
}

@test "run: --persistent keeps the stopped subsystem with the exit status until rm" {
	n=$(tname keep)
	run vosctl run --persistent --name "$n" -- sh -c 'exit 4'
	check_status 4
	run vosctl show "$n" --json
	check_status 0
	[ "$(json_get "$output" 'd["state"]')" = "stopped" ]
	[ "$(json_get "$output" 'd["exit_code"]')" = "4" ]
	[ "$(json_get "$output" 'd["persistent"]')" = "True" ]
	run vosctl rm "$n"
	check_status 0
	run vosctl show "$n"
	check_status 121
}

@test "run: SIGTERM to vosctl reaches the app" {
	bg_vosctl run --no-tty -- sh -c 'trap "exit 42" TERM; echo ready; while :; do sleep 0.1; done' >"$TMPD/out"
	pid=$BGPID
	for i in $(seq 100); do grep -q ready "$TMPD/out" && break; sleep 0.1; done
	grep -q ready "$TMPD/out"
	kill -TERM "$pid"
	wait_pid "$pid" 20
	[ "$waited_status" -eq 42 ]
}

@test "run: SIGINT to vosctl reaches the app" {
	bg_vosctl run --no-tty -- sh -c 'trap "exit 43" INT; echo ready; while :; do sleep 0.1; done' >"$TMPD/out"
	pid=$BGPID
	for i in $(seq 100); do grep -q ready "$TMPD/out" && break; sleep 0.1; done
	grep -q ready "$TMPD/out"
	kill -INT "$pid"
	wait_pid "$pid" 20
	[ "$waited_status" -eq 43 ]
}

@test "run: on a terminal, the app has one and Ctrl-C reaches it" {
	run python3 "$BATS_TEST_DIRNAME/pty-run.py" "$VOSCTL" run -- \
		sh -c 'tty >/dev/null && echo has-tty; trap "echo got-int; exit 7" INT; echo ready; while :; do sleep 0.1; done'
	check_status 0
	[[ "$output" == *"has-tty"* ]]
	[[ "$output" == *"got-int"* ]]
	[[ "$output" == *"exit=7"* ]]
}

@test "run: --no-tty passes a pipe through even on a terminal; --tty gives one without" {
	run python3 "$BATS_TEST_DIRNAME/pty-run.py" --no-intr "$VOSCTL" run --no-tty -- \
		sh -c 'if [ -t 0 ]; then echo stdin-tty; else echo stdin-notty; fi'
	check_status 0
	[[ "$output" == *"stdin-tty"* ]]
	run vosctl run --tty -- sh -c 'if [ -t 1 ]; then echo out-tty; else echo out-notty; fi' </dev/null
	check_status 0
	[[ "$output" == *"out-tty"* ]]
	run vosctl run -- sh -c 'if [ -t 1 ]; then echo out-tty; else echo out-notty; fi' </dev/null
	check_status 0
	[ "$output" = "out-notty" ]
}

@test "run: only stdin, stdout and stderr are open inside" {
	run vosctl run -- sh -c 'ls /proc/self/fd'
	check_status 0
	# 0 1 2 and the fd ls itself uses to read the directory
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
}

@test "run: /dev/vos is not reachable inside" {
	run vosctl run -- sh -c 'test -e /dev/vos && echo visible || echo absent'
	check_status 0
	[ "$output" = "absent" ]
}

@test "run: NoNewPrivs and seccomp are on" {
	run vosctl run -- grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
	check_status 0
	[ "${lines[0]}" = "$(printf 'NoNewPrivs:\t1')" ]
	[ "${lines[1]}" = "$(printf 'Seccomp:\t2')" ]
}

@test "run: a caller with CAP_SYS_ADMIN but no writable cgroup runs without a leaf" {
	# issue 11 F: the negative errno of the failed cgroup mkdir went to
	# VOS_SUBSYS_ATTACH as the cgroup fd ("attach init: Bad file descriptor")
	# (with CAP_SETUID and CAP_SETGID too: they write the id maps of the
	# subsystem's private range)
	local as_user=(setpriv --reuid=4000 --regid=4000 --clear-groups
		--inh-caps=+sys_admin,+setuid,+setgid --ambient-caps=+sys_admin,+setuid,+setgid)
	local cg
	cg=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
	# precondition: this user cannot make a cgroup where vosctl would
	run "${as_user[@]}" mkdir "$cg/vos-$(tname probe)"
	[ "$status" -ne 0 ]
	# without the default limits: they need a cgroup
	run --separate-stderr "${as_user[@]}" "$VOSCTL" run --memory max --pids max \
		--name "$(tname nocg)" -- echo inside
	check_status 0
	[ "$output" = inside ]
	# the same caller with a limit still fails, and says why
	run --separate-stderr "${as_user[@]}" "$VOSCTL" run --memory max --pids 10 -- true
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"cgroup"* ]]
	[[ "$stderr" != *"Bad file descriptor"* ]]
}

# The init's clone in vosctl's memory (lib/libvirtos/spawn.c, "The init's
# clone") is taken only where nothing inside can reach that memory: with
# fs.suid_dumpable 1 a credential change makes a process dumpable by its
# user again, so the init is a copy then. strace shows which: the clone3
# of vosctl's own pid with CLONE_PIDFD is the init's (posix_spawn()'s
# clones have none); with 0 and 2 it has CLONE_VM, with 1 not. The app
# runs every way. About 3 s.
@test "run: the init shares vosctl's memory only with fs.suid_dumpable 0 or 2" {
	local old v
	old=$(cat /proc/sys/fs/suid_dumpable)
	for v in 0 1 2; do
		echo "$v" >/proc/sys/fs/suid_dumpable
		strace -f -qq -e trace=clone3 -o "$TMPD/clone$v" "$VOSCTL" run --isolate -- \
			/bin/true && echo "$v ok" >>"$TMPD/ran" || true
	done
	echo "$old" >/proc/sys/fs/suid_dumpable
	# init_clones FILE [CLONE_VM]: the init's clones in FILE (with CLONE_VM)
	init_clones() {
		awk -v p="$(awk 'NR == 1 { print $1 }' "$1")" -v vm="${2:-}" \
			'$1 == p && /clone3\(/ && /CLONE_PIDFD/ && (vm == "" || /CLONE_VM/)' "$1" | wc -l
	}
	grep clone3 "$TMPD"/clone?
	[ "$(cat "$TMPD/ran")" = "0 ok
1 ok
2 ok" ]
	for v in 0 1 2; do
		[ "$(init_clones "$TMPD/clone$v")" = 1 ]
	done
	[ "$(init_clones "$TMPD/clone0" CLONE_VM)" = 1 ]
	[ "$(init_clones "$TMPD/clone2" CLONE_VM)" = 1 ]
	[ "$(init_clones "$TMPD/clone1" CLONE_VM)" = 0 ]
}

@test "run: strace and gdb work on the app's own processes, never on its init" {
	# issue 11 F: seccomp refused ptrace; the kernel now decides
	run vosctl run -- strace -f -qq -e trace=execve sh -c '/bin/true'
	check_status 0
	[[ "$output" == *'execve("/bin/true"'* ]]
	run vosctl run -- gdb -batch -nx -ex 'set disable-randomization off' -ex run --args /bin/true
	check_status 0
	[[ "$output" == *"exited normally"* ]]
	# attach to a running child (the shell becomes gdb, the child's parent)
	run vosctl run -- sh -c 'sleep 100 & exec gdb -batch -nx -p $!'
	echo "$output"
	check_status 0
	[[ "$output" == *"[Inferior 1 (process "*") detached]"* ]]
	[[ "$output" != *"not permitted"* ]]
	# the init (pid 1) belongs to the sandbox: the kernel refuses
	run vosctl run -- strace -qq -p 1
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}
