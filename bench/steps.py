#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Where the time of a start goes, from an ftrace capture.

    steps.py TOOL TRACE_FILE

bench/guest.sh (section "steps") traces a few starts of TOOL with the
events raw_syscalls:sys_enter/sys_exit, sched:sched_switch (with a stack
trace each time the CPU goes idle), sched_process_exec/exit, and a
trace_marker line "vos-bench start N" / "vos-bench end N" around each
start, on a guest with one vCPU. This script walks the events in time
order and prints one "@@ {json}" record for TOOL, per start on average:

  wall_ms       start marker to end marker
  idle_ms       the CPU idle (waiting for a timer, an RCU grace period, I/O)
  procs         per process, by role: "<comm>#<n>" (n-th process of that
                name in the start): ms on the CPU inside syscalls and
                outside them (user code, page faults)
  syscalls      the syscalls with the most wall time (enter to exit, waits
                included), as "role:name:ms/calls"
  idle_causes   what the CPU waited for when it went idle: the kernel stack
                of the last task before idle, its innermost frames

Kernel threads (kworker, ksoftirqd, rcu) are grouped by name without the
number: their time is deferred work of the start (freeing namespaces,
mounts, RCU callbacks).
"""
import collections
import json
import re
import sys

LINE = re.compile(r"\s*(.+?)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+): ([\w<> ]+?): ?(.*)")
SKIP_FRAMES = {"trace_event_raw_event_sched_switch", "__traceiter_sched_switch", "__schedule",
               "schedule", "schedule_timeout", "io_schedule", "do_syscall_64",
               "entry_SYSCALL_64_after_hwframe", "schedule_hrtimeout_range_clock",
               "schedule_preempt_disabled"}


def syscall_names():
    names = {}
    try:
        with open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h") as f:
            for line in f:
                m = re.match(r"#define __NR_(\w+) (\d+)", line)
                if m:
                    names[int(m.group(2))] = m.group(1)
    except OSError:
        pass
    return names


def events(path):
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(" => "):
                if cur is not None:
                    cur["stack"].append(line[4:].strip())
                continue
            m = LINE.match(line)
            if not m:
                continue
            cur = {"pid": int(m.group(2)), "t": float(m.group(3)), "ev": m.group(4).strip(),
                   "rest": m.group(5), "stack": []}
            yield cur


def kthread(comm):
    base = re.sub(r"[/:].*", "", comm)
    return base if base in ("kworker", "ksoftirqd", "rcu_preempt", "rcu_sched", "migration",
                            "kcompactd", "khungtaskd", "cpuhp") or comm.startswith("rcu") else None


def analyse(tool, path):
    names = syscall_names()
    evs = list(events(path))
    # the stack trace of a switch comes as a separate "<stack trace>" event
    for i, e in enumerate(evs):
        if e["ev"] == "<stack trace>" and i and evs[i - 1]["ev"] == "sched_switch":
            evs[i - 1]["stack"] = e["stack"]
    gen = collections.Counter()  # pid -> how many execs: a process per (pid, gen)
    name = {}  # (pid, gen) -> its last name
    order = []  # (pid, gen) of this start, in order of appearance
    running = None
    in_sys = {}
    inside = False
    t_last = t0 = None
    starts = 0
    wall = idle = 0.0
    cpu = collections.defaultdict(lambda: [0.0, 0.0])  # (pid, gen) -> [in syscalls, outside]
    sysc = collections.defaultdict(float)  # ((pid, gen), syscall) -> s
    ncalls = collections.Counter()
    causes = collections.defaultdict(float)  # ((pid, gen) or name, frames) -> s
    idle_since = idle_cause = None
    # summed over the starts, by role
    r_cpu = collections.defaultdict(lambda: [0.0, 0.0])
    r_sysc = collections.Counter()
    r_calls = collections.Counter()
    r_causes = collections.Counter()

    def key(pid):
        k = (pid, gen[pid])
        if k not in name:
            name[k] = "?"
        if inside and k not in order:
            order.append(k)
        return k

    def close_start():
        seen = collections.Counter()
        role = {}
        for k in order:
            c = name.get(k, "?")
            r = kthread(c)
            if not r:
                seen[c] += 1
                r = f"{c}#{seen[c]}"
            role[k] = r
        for k, v in cpu.items():
            r = role.get(k, name.get(k, "?"))
            r_cpu[r][0] += v[0]
            r_cpu[r][1] += v[1]
        for (k, sc), v in sysc.items():
            r_sysc[f"{role.get(k, '?')}:{sc}"] += v
            r_calls[f"{role.get(k, '?')}:{sc}"] += ncalls[(k, sc)]
        for (k, frames), v in causes.items():
            r_causes[f"{role.get(k, k)}: {frames}"] += v
        order.clear()
        cpu.clear()
        sysc.clear()
        ncalls.clear()
        causes.clear()

    for e in evs:
        t = e["t"]
        if inside and t_last is not None and running:
            cpu[key(running)][0 if running in in_sys else 1] += t - t_last
        t_last = t
        ev, rest, pid = e["ev"], e["rest"], e["pid"]
        if ev == "tracing_mark_write":
            m = re.search(r"vos-bench (start|end) (\d+)", rest)
            if m and m.group(1) == "start" and not inside:
                inside, t0 = True, t
                if running == 0:
                    idle_since = t
            elif m and m.group(1) == "end" and inside:
                if idle_since is not None:
                    idle += t - idle_since
                    causes[idle_cause or ("?", "?")] += t - idle_since
                    idle_since = t
                inside = False
                starts += 1
                wall += t - t0
                close_start()
            continue
        if ev == "sched_switch":
            m = re.search(r"prev_comm=(.*) prev_pid=(\d+) .* ==> next_comm=(.*) next_pid=(\d+)", rest)
            if not m:
                continue
            ppid, npid = int(m.group(2)), int(m.group(4))
            if ppid:
                name[key(ppid)] = m.group(1)
            if npid:
                name[key(npid)] = m.group(3)
            if npid == 0:
                frames = " < ".join([f for f in e["stack"] if f not in SKIP_FRAMES][:4])
                idle_cause = (key(ppid) if ppid else "idle", frames)
                idle_since = t
            elif ppid == 0 and idle_since is not None:
                if inside:
                    idle += t - idle_since
                    causes[idle_cause or ("?", "?")] += t - idle_since
                idle_since = None
            running = npid
            continue
        if ev == "sched_process_exec":
            m = re.search(r"filename=(\S+)", rest)
            gen[pid] += 1
            name[key(pid)] = (m.group(1).rsplit("/", 1)[-1] if m else "?")[:15]
            continue
        if ev == "sys_enter":
            m = re.search(r"NR (\d+)", rest)
            in_sys[pid] = (int(m.group(1)) if m else -1, t, key(pid))
            continue
        if ev == "sys_exit":
            s = in_sys.pop(pid, None)
            if s and inside:
                k = (s[2], names.get(s[0], str(s[0])))
                sysc[k] += t - s[1]
                ncalls[k] += 1
            continue
    n = max(starts, 1)
    ms = 1000.0 / n
    procs = {r: {"in_syscalls_ms": round(v[0] * ms, 3), "outside_ms": round(v[1] * ms, 3)}
             for r, v in sorted(r_cpu.items(), key=lambda kv: -sum(kv[1])) if sum(v) * ms >= 0.01}
    rec = {
        "section": "steps", "tool": tool, "starts": starts,
        "wall_ms": round(wall * ms, 3), "idle_ms": round(idle * ms, 3),
        "busy_ms": round(sum(sum(v) for v in r_cpu.values()) * ms, 3),
        "procs": procs,
        "syscalls": ",".join(f"{k}:{v * ms:.3f}/{r_calls[k] / n:g}" for k, v in r_sysc.most_common(16)),
        "idle_causes": " | ".join(f"{k}: {v * ms:.3f}" for k, v in r_causes.most_common(6)),
    }
    print("@@ " + json.dumps(rec, separators=(",", ":")))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    analyse(sys.argv[1], sys.argv[2])
