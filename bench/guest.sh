#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The benchmark sections, run inside one vm-run guest (cwd: top of the tree,
# vos.ko loaded). Every result is one line "@@ {json}" on stdout; bench/run.sh
# on the host collects them and makes the table. A section that cannot run
# says so in a record with "error" and the others still run: this script
# exits 0 unless it crashed itself.
#
# Knobs (environment; vm-run passes VOS_* through):
#   VOS_BENCH_RUNS      start-latency runs per tool and variant   (60)
#   VOS_BENCH_REPS      supervision batches per environment       (9)
#   VOS_BENCH_FORKS     fork-only iterations per batch            (100)
#   VOS_BENCH_EXECS     fork+exec iterations per batch            (30)
#   VOS_BENCH_SCALE     subsystem counts for the scale section    ("100 1000 10000")
#   VOS_BENCH_ATTACH_MAX  largest N created with a live init      (10000)
#   VOS_BENCH_STORM     fork+exec per storm worker (2 workers)    (250)
#   VOS_BENCH_SECTIONS  which sections       ("start supervision scale events footprint profile net crossing")
#   VOS_BENCH_CROSS     crossing: round trips, MiB, rounds         ("1000 16 3")
#   VOS_BENCH_STEPS     starts traced per tool in the steps section (5)
#   VOS_BENCH_NET_*     the net section's knobs (bench/net.sh)
#   VOS_BENCH_COMPARE   other vosctl builds timed beside this one in the
#                       start and steps sections: "LABEL=PATH ..." (a
#                       before/after comparison in one interleaved run;
#                       with a pool, also LABEL-disposable-pooled)
#   VOS_VM_ICOUNT       set by bench/run.sh for the guest whose clock counts
#                       instructions (QEMU -icount shift=N): recorded in meta
#
# Before the sections, every command they time is run once under strace and
# the files it opens are copied into the guest's memory (bench/warm.py), so
# that no measured start waits for the host's 9p server.
set -u

top=$PWD
bin=$top/build/bench
vosctl=$top/build/vosctl
runs=${VOS_BENCH_RUNS:-60}
reps=${VOS_BENCH_REPS:-9}
nforks=${VOS_BENCH_FORKS:-100}
nexecs=${VOS_BENCH_EXECS:-30}
scale_ns=${VOS_BENCH_SCALE:-100 1000 10000}
attach_max=${VOS_BENCH_ATTACH_MAX:-10000}
storm=${VOS_BENCH_STORM:-250}
sections=${VOS_BENCH_SECTIONS:-start supervision scale events footprint profile net crossing}
nsteps=${VOS_BENCH_STEPS:-5}
compare=${VOS_BENCH_COMPARE:-}
icount=${VOS_VM_ICOUNT:-}
module=$top/build/kmod/$(uname -r)/module/vos.ko

# JSON string from $1 (quotes, backslashes and control characters removed).
js() { printf '"%s"' "$(printf '%s' "$1" | tr -d '"\\' | tr '\n\t' '  ' | cut -c1-300)"; }

record_error() {
	# record_error SECTION WHAT MESSAGE
	echo "@@ {\"section\":\"$1\",\"what\":$(js "$2"),\"error\":$(js "$3")}"
}

log() { echo "bench: $*" >&2; }

have_vosctl() {
	[ -x "$vosctl" ] || { vosctl_why="build/vosctl was not built"; return 1; }
	local out
	if ! out=$("$vosctl" run --isolate -- /bin/true 2>&1); then
		vosctl_why="'vosctl run --isolate -- /bin/true' fails here: $out"
		return 1
	fi
	return 0
}

meta() {
	local cpu mem vv
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	mem=$(sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo)
	vv=$("$vosctl" version 2>/dev/null | head -n1)
	echo "@@ {\"section\":\"meta\",\"kernel\":$(js "$(uname -r)"),\"kernel_version\":$(js "$(uname -v)"),"\
"\"cpu\":$(js "$cpu"),\"ncpu\":$(nproc),\"memtotal\":$(js "$mem"),"\
"\"module\":$(js "$( [ -d /sys/module/vos ] && echo loaded || echo absent)"),"\
"\"vosctl\":$(js "$vv"),\"bwrap\":$(js "$(bwrap --version 2>&1 | head -n1)"),"\
"\"firejail\":$(js "$(firejail --version 2>&1 | head -n1)"),"\
"\"unshare\":$(js "$(unshare --version 2>&1 | head -n1)"),"\
"\"date\":$(js "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),"\
"\"runs\":$runs,\"reps\":$reps,\"forks\":$nforks,\"execs\":$nexecs,\"storm\":$storm,"\
"\"icount\":$(js "$icount"),\"clocksource\":$(js "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)")}"
}

# Copy what each command reads into the guest's memory (bench/warm.py).
warm() {
	# warm CMD... ::: CMD... (each run once under strace)
	local logs=() cmd=() f
	command -v strace >/dev/null || { record_error warm strace "files not copied up: strace is not installed"; return; }
	while [ $# -gt 0 ]; do
		cmd=()
		while [ $# -gt 0 ] && [ "$1" != ::: ]; do
			cmd+=("$1")
			shift
		done
		[ $# -gt 0 ] && shift
		[ ${#cmd[@]} -gt 0 ] || continue
		f=$(mktemp)
		strace -f -qq -e trace=%file,%process -o "$f" "${cmd[@]}" >/dev/null 2>&1
		logs+=("$f")
	done
	/usr/bin/python3 "$top/bench/warm.py" "${logs[@]}"
	rm -f "${logs[@]}"
}

# The commands timed, as the sections run them.
bwrap_net=(bwrap --unshare-all --die-with-parent --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp)
bwrap_host=(bwrap --unshare-user --unshare-ipc --unshare-pid --unshare-uts --unshare-cgroup-try
	--die-with-parent --ro-bind / / --proc /proc --dev /dev --tmpfs /tmp)

# 1. Start latency, interleaved, with and without a network namespace.
section_start() {
	local vos_net=() vos_nonet=() c
	if [ -n "$vosctl_ok" ]; then
		vos_net=(vosctl "$vosctl" run --isolate -- /bin/true :::
			vosctl-disposable "$vosctl" run --config-dir "$disp_defs" --disposable bench \
			-- /bin/true :::)
		# a warm pool (issue 14): vosd refills it while the other rows run
		[ -n "$pool_ok" ] && vos_net+=(vosctl-disposable-pooled "$vosctl" run \
			--config-dir "$pool_defs" --disposable benchpool -- /bin/true :::)
		# the same pool on the fast path: vos-run and each member's vos-stub
		[ -n "$pool_ok" ] && vos_net+=(vos-run-pooled "$top/build/vos-run" --no-fallback \
			benchpool -- /bin/true :::)
		vos_nonet=(vosctl "$vosctl" run --isolate --share-net -- /bin/true :::
			vosctl-as-pid1 "$vosctl" run --isolate --share-net --as-pid1 -- /bin/true :::)
		for c in $compare; do
			vos_net+=("${c%%=*}" "${c#*=}" run --isolate -- /bin/true :::)
			vos_nonet+=("${c%%=*}" "${c#*=}" run --isolate --share-net -- /bin/true :::)
			# and its start from the same pool (the fast path's vosctl side)
			[ -n "$pool_ok" ] && vos_net+=("${c%%=*}-disposable-pooled" "${c#*=}" run \
				--config-dir "$pool_defs" --disposable benchpool -- /bin/true :::)
		done
	else
		record_error start "vosctl" "not measured: $vosctl_why"
	fi
	log "start latency, own network namespace ($runs runs each)"
	# with a pool: before every sample, untimed, vosd's refill is waited for
	"$bin/spawnbench" -n "$runs" -w 3 -s start -v netns -S "$start_settle" \
		"${vos_net[@]}" \
		bwrap "${bwrap_net[@]}" /bin/true ::: \
		unshare unshare -Urpfmiun --mount-proc /bin/true ::: \
		firejail firejail --quiet --noprofile --net=none /bin/true ::: \
		true /bin/true
	log "start latency, host network namespace ($runs runs each)"
	"$bin/spawnbench" -n "$runs" -w 3 -s start -v hostnet -S "$start_settle" \
		"${vos_nonet[@]}" \
		bwrap "${bwrap_host[@]}" /bin/true ::: \
		unshare unshare -Urpfmiu --mount-proc /bin/true ::: \
		firejail firejail --quiet --noprofile /bin/true ::: \
		true /bin/true
}

each_tool() {
	# each_tool FUNC: FUNC TOOL CMD... for vosctl and bwrap, with their own
	# network namespace and the host's
	local c
	if [ -n "$vosctl_ok" ]; then
		"$1" vosctl "$vosctl" run --isolate -- /bin/true
		"$1" vosctl-share-net "$vosctl" run --isolate --share-net -- /bin/true
		for c in $compare; do
			"$1" "${c%%=*}" "${c#*=}" run --isolate -- /bin/true
		done
	fi
	"$1" bwrap "${bwrap_net[@]}" /bin/true
	"$1" bwrap-host-net "${bwrap_host[@]}" /bin/true
}

# 1b. Where the start time goes: syscall wall time under strace -f -c -w
# (10 starts per tool; waits excluded: they only mirror the children's time).
# strace slows everything down: this is for the split, not for the latency.
profile() {
	# profile TOOL CMD...
	local tool=$1 f top
	shift
	f=$(mktemp)
	if ! strace -f -c -w -o "$f" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done' \
		sh "$@" 2>/dev/null; then
		record_error profile "$tool" "strace failed"
		rm -f "$f"
		return
	fi
	top=$(awk '$NF !~ /^(wait4|waitid|poll|ppoll|pselect6|select|epoll_wait|epoll_pwait|futex|rt_sigsuspend|rt_sigtimedwait|total|syscall)$/ &&
		$2 ~ /^[0-9.]+$/ { printf "%s %.2f %d\n", $NF, $2 * 1000 / 10, $4 / 10 }' "$f" |
		sort -k2,2 -rn | head -n 8 | awk '{ printf "%s%s:%sms/%d", (NR > 1 ? "," : ""), $1, $2, $3 }')
	# CPU split without strace: user and system time of 10 starts
	# (children included), per start.
	local TIMEFORMAT='%3R %3U %3S' t
	t=$( { time for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done; } 2>&1 | tail -n1)
	set -- $t
	echo "@@ {\"section\":\"profile\",\"tool\":$(js "$tool"),\"top\":$(js "$top"),"\
"\"real_ms\":$(awk -v x="$1" 'BEGIN { print x * 100 }'),\"user_ms\":$(awk -v x="$2" 'BEGIN { print x * 100 }'),"\
"\"sys_ms\":$(awk -v x="$3" 'BEGIN { print x * 100 }')}"
	rm -f "$f"
}

section_profile() {
	command -v strace >/dev/null || { record_error profile strace "not measured: strace is not installed"; return; }
	log "profile: syscall time per start under strace"
	each_tool profile
	profile unshare unshare -Urpfmiun --mount-proc /bin/true
}

# 2. Supervision cost: fork and fork+exec loops in six places. Without
# address space randomisation (setarch -R, inherited by everything the
# loop runs in): where the mappings land changes how many page tables a
# fork copies, which made batches of the same place differ by several
# percent in the instruction-clock guest.
loops() {
	# loops ENV FORKLOOP_OPTIONS PREFIX...: one fork batch and one exec batch
	local env=$1 opts=$2
	shift 2
	# shellcheck disable=SC2086
	setarch "$(uname -m)" -R "$@" "$bin/forkloop" $opts -e "$env" fork "$nforks" ||
		record_error supervision "$env fork" "forkloop failed ($?)"
	# shellcheck disable=SC2086
	setarch "$(uname -m)" -R "$@" "$bin/forkloop" $opts -e "$env" exec "$nexecs" ||
		record_error supervision "$env exec" "forkloop failed ($?)"
}

# What a subsystem's app runs under, read from a running one: its seccomp
# program into the file $1 (bench/seccomp-dump), which the unshare places
# load too, and the limits of its cgroup copied to the cgroup $2, which the
# last unshare place runs in (what the cgroup's accounting costs). Not named
# vos-*: vosctl collects empty vos-* leaves beside its own.
subsys_filter() {
	local pid app out cg f
	"$vosctl" run --isolate -- /bin/sleep 60 >/dev/null 2>&1 &
	pid=$!
	app=$(sleeping_app "$pid")
	if [ -z "$app" ]; then
		wait "$pid"
		filter_why="the app of 'vosctl run --isolate' never ran (status $?)"
		return 1
	fi
	out=$("$bin/seccomp-dump" "$app" "$1" 2>&1) || filter_why="seccomp-dump: $out"
	cg=$(sed -n 's/^0:://p' /proc/"$app"/cgroup)
	if [ -n "$cg" ] && [ "$cg" != / ] && mkdir -p "$2"; then
		for f in memory.max memory.swap.max pids.max; do
			[ -r "/sys/fs/cgroup$cg/$f" ] && cat "/sys/fs/cgroup$cg/$f" >"$2/$f"
		done
		log "supervision: the subsystem's cgroup $cg: $(cd "$2" && grep . memory.max memory.swap.max pids.max | tr '\n' ' ')"
	else
		cgroup_why="the subsystem's app is in no cgroup of its own ($cg)"
	fi
	kill -KILL "$app" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -z "$filter_why" ] && log "supervision: the subsystem's seccomp filter: $out"
	[ -z "$filter_why" ]
}

section_supervision() {
	local rep can_unload=1 msg filter filter_why= cmpcg=/sys/fs/cgroup/bench-cmp cgroup_why=
	# a cgroup that accounts memory and pids but limits nothing, as a systemd
	# session's scope does for any process: what every process there pays
	local acctcg=/sys/fs/cgroup/bench-acct
	if [ ! -r "$module" ]; then
		can_unload=
		record_error supervision "host-unloaded" "not measured: $module not found"
	fi
	filter=$(mktemp)
	if [ -z "$vosctl_ok" ]; then
		record_error supervision "vos-subsys" "not measured: $vosctl_why"
		filter_why="no subsystem to read it from: $vosctl_why"
	else
		subsys_filter "$filter" "$cmpcg"
	fi
	if [ -z "$cgroup_why" ]; then
		mkdir -p "$acctcg"
		grep -qw memory "$acctcg/cgroup.controllers" && grep -qw pids "$acctcg/cgroup.controllers" ||
			cgroup_why="$acctcg has no memory or pids controller: $(cat "$acctcg/cgroup.controllers" 2>&1)"
	fi
	[ -n "$filter_why" ] && record_error supervision "unshare-seccomp" "not measured: $filter_why"
	[ -z "$filter_why" ] && [ -n "$cgroup_why" ] &&
		record_error supervision "unshare-seccomp-cgroup" "not measured: $cgroup_why" &&
		record_error supervision "unshare-seccomp-accounted" "not measured: $cgroup_why"
	for rep in $(seq "$reps"); do
		log "supervision batch $rep/$reps"
		loops host-loaded ""
		if [ -n "$can_unload" ]; then
			if msg=$(rmmod vos 2>&1); then
				loops host-unloaded ""
				if ! msg=$(insmod "$module" 2>&1); then
					record_error supervision "insmod" "reload failed: $msg"
					return
				fi
			else
				can_unload=
				record_error supervision "host-unloaded" "not measured: rmmod vos: $msg"
			fi
		fi
		loops unshare-pidns "" unshare -Urpf --mount-proc
		[ -z "$filter_why" ] && loops unshare-seccomp "-s $filter" unshare -Urpf --mount-proc
		[ -z "$filter_why$cgroup_why" ] && loops unshare-seccomp-accounted "-s $filter" \
			sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$acctcg" unshare -Urpf --mount-proc
		[ -z "$filter_why$cgroup_why" ] && loops unshare-seccomp-cgroup "-s $filter" \
			sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cmpcg" unshare -Urpf --mount-proc
		if [ -n "$vosctl_ok" ]; then
			loops vos-subsys "" "$vosctl" run --isolate --ro "$bin" --
		fi
	done
	rm -f "$filter"
	rmdir "$cmpcg" "$acctcg" 2>/dev/null
}

# 2b. Where the time of one start goes: a few starts traced with ftrace
# (syscalls, scheduler switches with the stack when the CPU goes idle),
# taken apart by bench/steps.py. Needs one vCPU (the instruction-clock run).
steps_of() {
	# steps_of TOOL CMD...
	local tool=$1 T=/sys/kernel/tracing f i
	shift
	f=$(mktemp)
	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 16384 >$T/buffer_size_kb
	echo 'stacktrace if next_pid == 0' >$T/events/sched/sched_switch/trigger
	echo 1 >$T/events/sched/sched_switch/enable
	echo 1 >$T/events/sched/sched_process_exec/enable
	echo 1 >$T/events/raw_syscalls/enable
	echo 1 >$T/tracing_on
	for i in $(seq "$nsteps"); do
		echo "vos-bench start $i" >$T/trace_marker
		"$@" >/dev/null 2>&1
		echo "vos-bench end $i" >$T/trace_marker
	done
	echo 0 >$T/tracing_on
	echo 0 >$T/events/enable
	echo '!stacktrace if next_pid == 0' >$T/events/sched/sched_switch/trigger
	cat $T/trace >"$f"
	echo >$T/trace
	/usr/bin/python3 "$top/bench/steps.py" "$tool" "$f" || record_error steps "$tool" "steps.py failed"
	rm -f "$f"
}

section_steps() {
	if [ "$(nproc)" != 1 ]; then
		record_error steps steps "not measured: needs a guest with one vCPU (BENCH_ICOUNT's run)"
		return
	fi
	if [ ! -w /sys/kernel/tracing/events/raw_syscalls/enable ]; then
		record_error steps steps "not measured: no tracefs with syscall events"
		return
	fi
	log "steps: $nsteps traced starts per tool"
	each_tool steps_of
}

# 3. Scale: the ioctl and netlink API, N subsystems at once.
section_scale() {
	log "scale: $scale_ns (attach up to $attach_max)"
	# Sized from RAM at boot: 2 GiB allows ~16k threads and half as many PID
	# namespaces, fewer than 10,000 idle inits plus the rest. Guest only.
	echo 100000 >/proc/sys/kernel/threads-max
	echo 100000 >/proc/sys/user/max_pid_namespaces
	# shellcheck disable=SC2086
	"$bin/scale" -a "$attach_max" $scale_ns || record_error scale "scale" "scale exited with $?"
}

# 4. Events under a fork/exec storm, default and large receive buffer, read
# live and read only after the storm (what a listener that falls behind keeps).
section_events() {
	local rb
	log "events: storm of 2 x $storm fork+exec, libnl default and 8 MiB receive buffer"
	for rb in 0 8388608; do
		"$bin/events" -p 2 -r "$rb" "$storm" ||
			record_error events "rcvbuf $rb live" "events exited with $?"
		"$bin/events" -p 2 -r "$rb" -d "$storm" ||
			record_error events "rcvbuf $rb after" "events exited with $?"
	done
}

# 5. Footprint: resident memory of each supervisor while its app sleeps.
children() {
	# all descendants of $1, depth first
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		echo "$c"
		children "$c"
	done
}

sleeping_app() {
	# sleeping_app PID: the pid of the "sleep" below PID once it runs
	# (waits up to 60 s, TCG is slow), nothing if PID ends first
	local i c
	for i in $(seq 600); do
		for c in $(children "$1"); do
			[ "$(cat /proc/"$c"/comm 2>/dev/null)" = sleep ] && { echo "$c"; return; }
		done
		kill -0 "$1" 2>/dev/null || return
		sleep 0.1
	done
}

pss_kb() {
	# pss_kb PID: proportional set size in kB (shared pages split among their
	# users), or null
	local v
	v=$(sed -n 's/^Pss:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$1"/smaps_rollup 2>/dev/null)
	echo "${v:-null}"
}

status_kb() {
	# status_kb PID FIELD: the value in kB, or null if the process is gone
	local v
	v=$(sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/"$1"/status 2>/dev/null)
	echo "${v:-null}"
}

footprint() {
	# footprint TOOL CMD... (CMD ends with the app: /bin/sleep SECONDS, long
	# enough to be found on a loaded machine; it is killed once sampled)
	local tool=$1 pid app c comm rss helpers= hsum=0 psum=0 n=0 rss_top hwm_top pss_top p
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	app=$(sleeping_app "$pid")
	if [ -z "$app" ]; then
		wait "$pid"
		record_error footprint "$tool" "the app never ran (status $?)"
		return
	fi
	sleep 0.5
	rss_top=$(status_kb "$pid" VmRSS)
	hwm_top=$(status_kb "$pid" VmHWM)
	pss_top=$(pss_kb "$pid")
	for c in $(children "$pid"); do
		[ "$c" = "$app" ] && continue
		comm=$(cat /proc/"$c"/comm 2>/dev/null) || continue
		rss=$(status_kb "$c" VmRSS)
		[ "$rss" != null ] || continue
		helpers+="${helpers:+,}$comm:$rss"
		hsum=$((hsum + rss))
		p=$(pss_kb "$c")
		[ "$p" != null ] && psum=$((psum + p))
		n=$((n + 1))
	done
	kill -KILL "$app" 2>/dev/null	# it may be pid 1 of its namespace: only SIGKILL
	echo "@@ {\"section\":\"footprint\",\"tool\":$(js "$tool"),\"cmd\":$(js "$*"),"\
"\"rss_kb\":$rss_top,\"hwm_kb\":$hwm_top,\"pss_kb\":$pss_top,\"helpers_pss_kb\":$psum,"\
"\"helpers\":$(js "$helpers"),\"helpers_rss_kb\":$hsum,\"nhelpers\":$n}"
	wait "$pid" 2>/dev/null
}

section_footprint() {
	local k
	log "footprint"
	for k in 1 2 3; do
		if [ -n "$vosctl_ok" ]; then
			footprint vosctl "$vosctl" run --isolate -- /bin/sleep 60
		elif [ "$k" = 1 ]; then
			record_error footprint vosctl "not measured: $vosctl_why"
		fi
		footprint bwrap "${bwrap_net[@]}" /bin/sleep 60
		footprint firejail firejail --quiet --noprofile --net=none /bin/sleep 60
		footprint unshare unshare -Urpfmiun --mount-proc /bin/sleep 60
	done
}

# 8. Crossing: a call's stream through a vos.ko channel against a UNIX socket
# pair between the same two subsystem inits (bench/crossing.c).
section_crossing() {
	local n m r
	read -r n m r <<<"${VOS_BENCH_CROSS:-1000 16 3}"
	log "crossing: $n round trips, $m MiB, $r rounds, channel and socket pair"
	"$bin/crossing" -n "$n" -m "$m" -r "$r" ||
		record_error crossing crossing "crossing exited with $?"
}

# 7. Network: vos.ko's hooks against plain veths, same topology (bench/net.sh).
section_net() {
	log "net: C1 -> P -> C2, the module's links against plain veths"
	"$top/bench/net.sh" || record_error net net "bench/net.sh exited with $?"
}

vosctl_ok=
vosctl_why=
have_vosctl && vosctl_ok=1
# run --disposable (issue 14) from a template with the strict defaults, the
# same isolation as "run --isolate": the row shows what reading the
# definitions and naming disp-<n> add (no pool of disposables yet)
disp_defs=$(mktemp -d)
printf '[Subsystem]\nTemplate=yes\n' >"$disp_defs/bench.conf"
# the same template with Pool=16, held by a vosd of the bench's own
pool_defs=$(mktemp -d)
printf '[Subsystem]\nTemplate=yes\nPool=16\n' >"$pool_defs/benchpool.conf"
pool_ok=
# only for the start section, and ended after it: a vosd holds vos.ko, which
# the supervision section unloads for its "host unloaded" place
if [ -n "$vosctl_ok" ] && [ -x "$top/build/vosd" ] && [[ " $sections " == *" start "* ]]; then
	mkdir -p "$pool_defs/policy.d"
	# vos-stub where a source build installs it and the template's view (the
	# host's /usr) shows it: the guest's /usr is an overlay of its own
	install -D -m 0755 "$top/build/vos-stub" /usr/local/lib/virtos/vos-stub
	export VOSD_SOCKET=$pool_defs/vosd.sock
	"$top/build/vosd" --config-dir "$pool_defs/policy.d" --socket "$VOSD_SOCKET" \
		--subsystems-dir "$pool_defs" --stub /usr/local/lib/virtos/vos-stub 2>/dev/null &
	pool_vosd=$!
	# until it listens and its pool is full (bounded; no sleeps)
	for _ in $(seq 20000); do
		[ "$("$vosctl" ls 2>/dev/null | grep -c ' pooled ')" = 16 ] && pool_ok=1 && break
	done
	[ -n "$pool_ok" ] || record_error start vosctl-disposable-pooled "vosd's pool did not fill"
fi
pool_stop() {
	if [ -n "${pool_vosd:-}" ]; then
		kill "$pool_vosd" && wait "$pool_vosd"
		pool_vosd=
	fi
	return 0
}
pool_settle="i=0; until [ \"\$('$vosctl' ls | grep -c ' pooled ')\" = 16 ] || [ \$i = 2000 ]; do i=\$((i + 1)); done"
# Before every sample of the start section, untimed: the pool full again
# (above), then 50 ms of idle guest. What a sample leaves to the kernel's
# workers (the freeing of its network and mount namespaces, its cgroup's
# offlining, each after an RCU grace period) otherwise ran inside the next
# sample, on the instruction clock's one vCPU in full: the pooled vosctl's
# median was 5.34 ms after vosctl-disposable's samples and 4.42 ms with the
# idle time, unshare's 6.65 and 5.58 ms, and every row's spread shrank
# (2026-12-02). Counting the namespaces still to be freed was tried: the
# net_namespace slab's objects in use do not come back to their count.
start_settle="${pool_ok:+$pool_settle; }sleep 0.05"
meta
log "copying the files the measured commands read into the guest's memory"
warm "$vosctl" run --isolate -- /bin/true ::: "$vosctl" run --isolate --share-net --as-pid1 -- /bin/true ::: \
	"$vosctl" run --config-dir "$disp_defs" --disposable bench -- /bin/true ::: \
	${pool_ok:+"$top/build/vos-run" --no-fallback benchpool -- /bin/true :::} \
	"$vosctl" run --isolate --ro "$bin" -- "$bin/forkloop" exec 1 ::: "$vosctl" run --isolate -- /bin/sleep 0 ::: \
	"${bwrap_net[@]}" /bin/sleep 0 ::: "${bwrap_host[@]}" /bin/true ::: \
	unshare -Urpfmiun --mount-proc /bin/true ::: unshare -Urpf --mount-proc "$bin/forkloop" exec 1 ::: \
	firejail --quiet --noprofile --net=none /bin/sleep 0 ::: firejail --quiet --noprofile /bin/true ::: \
	"$bin/spawnbench" -n 1 -w 0 true /bin/true ::: "$bin/forkloop" exec 1
for c in $compare; do
	warm "${c#*=}" run --isolate -- /bin/true ::: "${c#*=}" run --isolate --share-net -- /bin/true
done
for s in $sections; do
	case $s in
	start|supervision|steps|scale|events|footprint|profile|net|crossing)
		t0=$(date +%s)
		"section_$s"
		log "section $s took $(($(date +%s) - t0)) s"
		[ "$s" = start ] && pool_stop
		;;
	*) record_error "$s" "$s" "unknown section" ;;
	esac
done
pool_stop
exit 0
