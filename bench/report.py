#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Turn the "@@ {json}" records of bench/guest.sh into one table.

    report.py RESULTS_DIR [KERNEL...]

Reads RESULTS_DIR/<kernel>.jsonl (one JSON object per line) for each kernel
(default: every *.jsonl there), writes RESULTS_DIR/table.txt, results.json
(all records, by kernel, plus the derived rows) and results.csv (one row per
number), and prints the table. Medians and ratios only: the guest runs under
QEMU TCG, absolute times mean little.
"""
import csv
import json
import os
import statistics
import sys

from report_net import net


def load(path):
    recs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line.startswith("@@ "):
                line = line[3:]
            if not line.startswith("{"):
                continue
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                recs.append({"section": "parse", "error": f"{e}: {line[:120]}"})
    return recs


def fmt(v, nd=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def table(rows, header):
    cols = [header] + [[fmt(c) for c in r] for r in rows]
    w = [max(len(r[i]) for r in cols) for i in range(len(header))]
    out = []
    for k, r in enumerate(cols):
        out.append("  " + "  ".join(c.ljust(w[i]) if i == 0 or i == len(r) - 1 and not c[:1].isdigit()
                                     else c.rjust(w[i]) for i, c in enumerate(r)).rstrip())
        if k == 0:
            out.append("  " + "  ".join("-" * x for x in w))
    return out


def errors_of(recs, section):
    return [r for r in recs if r.get("section") == section and "error" in r and r.get("error")
            and "what" in r]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pct(a, b):
    if a is None or b in (None, 0):
        return None
    return (a - b) / b * 100.0


SUP_PLACES = ("host-unloaded", "host-loaded", "unshare-pidns", "unshare-seccomp", "unshare-seccomp-accounted",
              "unshare-seccomp-cgroup", "vos-subsys")
# (row, mode of the forkloop batch, field of the record; older records only have ns_per_iter)
SUP_METRICS = (("fork+exit+wait", "fork", "iter_median_ns"),
               ("  fork: call to return", "fork", "fork_median_ns"),
               ("  exit: _exit to wait", "fork", "exit_median_ns"),
               ("fork+exec+exit+wait", "exec", "iter_median_ns"))


def supervision(meta, sup, recs, add):
    """The supervision table: per loop and place the median over the batches (each batch gives the
    median of its iterations), the overheads, and the spread of the batches of each place."""
    lines = ["", f"2. Supervision cost (ns per iteration: median over {meta.get('reps', '?')} batches of each"
             f" batch's median; fork x{meta.get('forks', '?')}, fork+exec /bin/true x{meta.get('execs', '?')}"
             " per batch)"]
    rows = []
    for label, mode, field in SUP_METRICS:
        vals = {}
        for env in SUP_PLACES:
            v = [r.get(field, r.get("ns_per_iter") if field == "iter_median_ns" else None)
                 for r in sup if r.get("env") == env and r.get("mode") == mode]
            vals[env] = [x for x in v if x is not None]
        m = {env: med(v) for env, v in vals.items()}
        spread = {env: (max(v) - min(v)) / statistics.median(v) * 100 if v and statistics.median(v) else None
                  for env, v in vals.items()}

        def sp(*envs):
            xs = [spread[e] for e in envs if spread[e] is not None]
            return max(xs) if xs else None

        o_host = pct(m["host-loaded"], m["host-unloaded"])
        ref = "unshare-seccomp" if m["unshare-seccomp"] is not None else "unshare-pidns"
        o_sub = pct(m["vos-subsys"], m[ref])
        o_cg = pct(m["vos-subsys"], m["unshare-seccomp-cgroup"])
        o_acct = pct(m["vos-subsys"], m["unshare-seccomp-accounted"])
        s_host, s_sub = sp("host-loaded", "host-unloaded"), sp("vos-subsys", ref)
        s_cg = sp("vos-subsys", "unshare-seccomp-cgroup")
        s_acct = sp("vos-subsys", "unshare-seccomp-accounted")

        def p2(x):
            return f"{x:+.2f}%" if x is not None else "-"

        def s2(x):
            return f"{x:.2f}%" if x is not None else "-"

        rows.append([label, m["host-unloaded"], m["host-loaded"], p2(o_host), s2(s_host),
                     m["unshare-pidns"], m["unshare-seccomp"], m["unshare-seccomp-accounted"],
                     m["unshare-seccomp-cgroup"], m["vos-subsys"], p2(o_sub), s2(s_sub), p2(o_acct), s2(s_acct),
                     p2(o_cg), s2(s_cg)])
        name = f"{mode}/{field.replace('_median_ns', '').replace('iter', 'whole')}"
        for env in SUP_PLACES:
            add("supervision", f"{name}/{env}", "median_ns", m[env], "ns")
            add("supervision", f"{name}/{env}", "batch_spread", spread[env], "%")
        add("supervision", name, "overhead_host_loaded_vs_unloaded", o_host, "%")
        add("supervision", name, f"overhead_vos_subsys_vs_{ref}", o_sub, "%")
        add("supervision", name, "overhead_vos_subsys_vs_unshare-seccomp-accounted", o_acct, "%")
        add("supervision", name, "overhead_vos_subsys_vs_unshare-seccomp-cgroup", o_cg, "%")
    lines += table([[r[0]] + [f"{x:.0f}" if isinstance(x, float) else fmt(x) for x in r[1:]] for r in rows],
                   ["loop", "host unloaded", "loaded", "overhead", "spread", "unshare", "+seccomp",
                    "+accounted", "+cgroup", "vos subsys", "vs +seccomp", "spread", "vs +accounted", "spread",
                    "vs +cgroup", "spread"])
    lines.append("  host: outside any subsystem, vos.ko loaded vs unloaded (target: within 1%). unshare: a plain"
                 " unshare -Urpf PID namespace;")
    lines.append("  +seccomp: with the seccomp filter read from a running subsystem's app (vos subsys vs it:"
                 " target within 3%), in the root cgroup,")
    lines.append("  which no controller accounts; +accounted: in a cgroup with the memory and pids controllers"
                 " and no limits, as a process of")
    lines.append("  a systemd session is; +cgroup: in a cgroup with that app's limits (what is left is the"
                 " module, Landlock and the other")
    lines.append("  namespaces). spread: (max - min) /")
    lines.append("  median of the batches of the two places compared (the larger): an overhead smaller than it"
                 " is noise.")
    for r in errors_of(recs, "supervision"):
        lines.append(f"  ! {r['what']}: {r['error']}")
    return lines


def steps(recs, add):
    st = [r for r in recs if r.get("section") == "steps"]
    if not st:
        return []
    lines = ["", "2b. Where one start's time goes (ftrace of a few starts, one vCPU; ms per start)"]
    for r in st:
        if "what" in r:
            lines.append(f"  ! {r['what']}: {r.get('error')}")
            continue
        lines.append(f"  {r.get('tool')}: wall {fmt(r.get('wall_ms'), 2)}, CPU busy {fmt(r.get('busy_ms'), 2)},"
                     f" idle {fmt(r.get('idle_ms'), 2)} ({r.get('starts')} starts)")
        procs = r.get("procs") or {}
        lines.append("      on the CPU, in syscalls + outside: " + ", ".join(
            f"{p} {v['in_syscalls_ms']:.2f}+{v['outside_ms']:.2f}" for p, v in list(procs.items())[:8]))
        lines.append(f"      syscalls (wall, waits included; ms/calls): {r.get('syscalls')}")
        lines.append(f"      idle waiting for: {r.get('idle_causes') or '-'}")
        for k in ("wall_ms", "busy_ms", "idle_ms"):
            add("steps", r.get("tool"), k, r.get(k), "ms")
        for p, v in procs.items():
            add("steps", f"{r.get('tool')}/{p}", "in_syscalls_ms", v["in_syscalls_ms"], "ms")
            add("steps", f"{r.get('tool')}/{p}", "outside_ms", v["outside_ms"], "ms")
    return lines


# The issues' targets, as ratios of medians to bwrap's in the same run
TARGETS = (("vosctl", "run --isolate", 0.80, "issue 16"),
           ("vosctl-disposable-pooled", "run --disposable, warm pool", 0.30, "issue 14"),
           ("vos-run-pooled", "vos-run, warm pool", 0.30, "issue 14"))


def targets(recs, add):
    lines = []
    for variant, title in (("netns", "own netns"), ("hostnet", "host netns")):
        st = {r.get("tool"): r.get("median_us") for r in recs
              if r.get("section") == "start" and r.get("variant") == variant}
        ref = st.get("bwrap")
        for tool, what, goal, issue in TARGETS:
            m = st.get(tool)
            if not m or not ref:
                continue
            ratio = m / ref
            lines.append(f"  {title}: {what} ({tool}) {m / 1e3:.2f} ms = {ratio:.3f}x bwrap's median"
                         f" ({issue}'s target: at most {goal:.2f}x: {'met' if ratio <= goal else 'not met'})")
            add("start", f"{variant}/{tool}", "ratio_to_bwrap", round(ratio, 3), "x")
    return lines


def report(kernel, recs, csvrows):
    lines = []
    meta = next((r for r in recs if r.get("section") == "meta"), {})
    icount = meta.get("icount") or ""
    lines.append(f"=== kernel {kernel}: {meta.get('kernel', '?')} | {meta.get('ncpu', '?')} vCPU "
                 f"{meta.get('cpu', '?')} under QEMU TCG | {meta.get('memtotal', '?')} | "
                 f"{meta.get('date', '?')}")
    lines.append(f"    vosctl: {meta.get('vosctl') or '-'} | {meta.get('bwrap', '?')} | "
                 f"{meta.get('firejail', '?')} | {meta.get('unshare', '?')}")
    if icount:
        lines.append(f"    Guest clock counts instructions (QEMU -icount shift={icount}: one instruction ="
                     f" {2 ** int(icount)} ns), one vCPU: times are work done, not")
        lines.append("    the host's load; only time the guest spends idle (timers, I/O) is real time.")
    else:
        lines.append("    Absolute times are TCG-emulated: only medians and ratios within this run mean anything.")

    def add(section, name, metric, value, unit, note=""):
        csvrows.append([kernel, section, name, metric, "" if value is None else value, unit, note])

    # 1. start latency
    lines.append("")
    lines.append(f"1. Start latency of /bin/true ({meta.get('runs', '?')} interleaved runs per tool; ms)")
    rows = []
    for variant, title in (("netns", "own netns"), ("hostnet", "host netns")):
        st = [r for r in recs if r.get("section") == "start" and r.get("variant") == variant]
        ref = next((r.get("median_us") for r in st if r.get("tool") == "vosctl"), None)
        for r in st:
            m = r.get("median_us")
            ratio = m / ref if m is not None and ref else None
            note = r.get("note", "")
            if r.get("failed"):
                note = (note + " " if note else "") + f"{r['failed']} failed"
            rows.append([title, r.get("tool"),
                         r.get("min_us") / 1e3 if r.get("min_us") is not None else None,
                         m / 1e3 if m is not None else None,
                         r.get("max_us") / 1e3 if r.get("max_us") is not None else None,
                         f"{ratio:.2f}x" if ratio else "-", f"{r.get('ok', 0)}/{r.get('runs', 0)}",
                         (note[:70] + "...") if len(note) > 70 else note])
            for k in ("min_us", "median_us", "max_us"):
                add("start", f"{variant}/{r.get('tool')}", k, r.get(k), "us", r.get("cmd", ""))
            add("start", f"{variant}/{r.get('tool')}", "ratio_to_vosctl", ratio, "x", r.get("cmd", ""))
    lines += table(rows, ["variant", "tool", "min", "median", "max", "vs vosctl", "ok", "note"])
    lines += targets(recs, add)
    for r in errors_of(recs, "start"):
        lines.append(f"  ! {r['what']}: {r['error']}")
    lines.append("  like for like: own netns = vosctl run --isolate | bwrap --unshare-all | unshare -Urpfmiun"
                 " | firejail --net=none;")
    lines.append("  host netns = vosctl --share-net | bwrap without --unshare-net | unshare without -n |"
                 " firejail default (no netns)")

    # 2. supervision
    sup = [r for r in recs if r.get("section") == "supervision" and "env" in r]
    if sup or errors_of(recs, "supervision"):
        lines += supervision(meta, sup, recs, add)

    lines += steps(recs, add)

    # 3. scale
    sc = [r for r in recs if r.get("section") == "scale"]
    ev = [r for r in recs if r.get("section") == "events"]
    fp = [r for r in recs if r.get("section") == "footprint"]
    if sc:
        lines += scale(sc, add)
    if ev:
        lines += events(meta, ev, add)
    if fp:
        lines += footprint(fp, recs, add)
    lines += profile(recs, add)
    lines += net(recs, table, add)
    lines += crossing(recs, add)
    for r in [r for r in recs if r.get("section") == "parse"]:
        lines.append(f"  ! unparsable record: {r['error']}")
    return lines


def scale(recs, add):
    lines = []
    lines.append("")
    lines.append("3. Scale: N subsystems through the ioctl/netlink API (us per subsystem; memory from slab)")
    sc = [r for r in recs if r.get("section") == "scale" and r.get("mode") in ("baseline", "create", "attach")]
    rows = []
    first = {}
    by = {}
    for r in sc:
        mode, n = r.get("mode"), r.get("n")
        if not r.get("made"):
            rows.append([mode, n, 0, "-", "-", "-", "-", "-", "-", "-", r.get("error", "")])
            continue
        make = {"baseline": r.get("clone_us"), "create": r.get("create_ioctl_us")}.get(mode, r.get("per_item_us"))
        first.setdefault(mode, (n, make))
        growth = make / first[mode][1] if make and first[mode][1] else None
        kstack = r.get("kstack_kb_delta")
        kstack_b = kstack * 1024.0 / r["made"] if kstack is not None else None
        by[(mode, n)] = (make, r.get("bytes_per_item"), kstack_b)
        rows.append([mode, n, r.get("made"), make,
                     f"{growth:.2f}x" if growth else "-",
                     r.get("per_end_us"),
                     r.get("per_dump_item_us") if mode != "baseline" else None,
                     r.get("bytes_per_item"), kstack_b, r.get("slab_kb_left_after_end"),
                     (r.get("error") or "")[:60]])
        for k in ("per_item_us", "create_ioctl_us", "clone_us", "attach_us", "per_end_us", "dump_us",
                  "per_dump_item_us", "bytes_per_item", "slab_kb_delta", "kstack_kb_delta",
                  "slab_kb_left_after_end"):
            if k in r:
                add("scale", f"{mode}/{n}", k, r.get(k), "B" if "bytes" in k else
                    "kB" if "kb" in k else "us", r.get("top_caches", ""))
    lines += table([[f"{x:.0f}" if isinstance(x, float) and i in (7, 8) else x for i, x in enumerate(r)]
                    for r in rows],
                   ["pass", "N", "made", "make us/each", "vs first N", "end us/each", "dump us/each",
                    "slab B/each", "kstack B/each", "slab kB left", "error"])
    lines.append("  make: baseline = clone(CLONE_NEWPID) of an idle init, no module; create = VOS_CREATE_SUBSYS"
                 " only;")
    lines.append("        attach = create + clone + pidfd_open + VOS_SUBSYS_ATTACH. 'vs first N': per-item time"
                 " relative to the smallest N (1.00x = linear).")
    for r in sc:
        n = r.get("n")
        if r.get("mode") != "attach" or not r.get("made"):
            continue
        ioctl_us = (r.get("create_ioctl_us") or 0) + (r.get("attach_us") or 0)
        line = (f"  module share per attached subsystem at N={n}: {ioctl_us:.1f} us in VOS_CREATE_SUBSYS +"
                f" pidfd_open + VOS_SUBSYS_ATTACH")
        add("scale", f"module-share/{n}", "ioctl_us_per_subsys", ioctl_us, "us")
        base = next((b for b in sc if b.get("mode") == "baseline" and b.get("n") == n and b.get("made")), None)
        if base and base.get("bytes_per_item") is not None and r.get("bytes_per_item") is not None:
            d = r["bytes_per_item"] - base["bytes_per_item"]
            line += f"; {d:+.0f} B slab vs baseline"
            add("scale", f"module-share/{n}", "slab_bytes_vs_baseline", d, "B")
        lines.append(line)
    for r in sc:
        if r.get("top_caches") and r.get("mode") != "baseline" and r.get("n") == max(x.get("n", 0) for x in sc):
            lines.append(f"  top slab growth, {r['mode']} N={r['n']}: {r['top_caches']}")
    for r in [r for r in recs if r.get("section") == "scale" and r.get("mode") == "none"]:
        lines.append(f"  ! {r.get('error')}")
    return lines


def events(meta, recs, add):
    lines = [""]
    lines.append(f"4. Events under a fork/exec storm (2 workers x {meta.get('storm', '?')} fork+exec)")
    rows = []
    for r in recs:
        if "what" in r:
            continue
        tot = (r.get("received") or 0) + (r.get("lost") or 0)
        loss = r.get("lost", 0) / tot * 100 if tot else None
        rb = "libnl default" if not r.get("rcvbuf_req") else f"{r['rcvbuf_req'] // 1048576} MiB"
        live = r.get("reader", "live") == "live"
        rows.append([rb, r.get("rcvbuf"), r.get("reader", "live"), r.get("window"), r.get("received"),
                     r.get("lost"), f"{loss:.1f}%" if loss is not None else "-", r.get("lost_gaps"),
                     r.get("enobufs"),
                     r.get("events_per_s") if live else None, r.get("offered_per_s"),
                     (r.get("error") or "")[:60]])
        name = f"{'default' if not r.get('rcvbuf_req') else 'rcvbuf' + str(r['rcvbuf_req'])}/{r.get('reader', 'live')}"
        for k in ("window", "received", "lost", "lost_gaps", "enobufs", "events_per_s", "offered_per_s",
                  "storm_ms"):
            add("events", name, k, r.get(k), "/s" if "per_s" in k else "ms" if k.endswith("ms") else "")
    lines += table(rows, ["rcvbuf", "bytes", "reader", "sent", "received", "lost", "loss", "in gaps", "ENOBUFS",
                          "delivered/s", "offered/s", "error"])
    lines.append("  reader live: reads as events come; after: reads nothing until the storm is over (a listener"
                 " that falls behind).")
    lines.append("  sent = events the module numbered during the run (VOS_CMD_GET_STATS before/after); lost = sent -"
                 " received; in gaps = lost")
    lines.append("  events seen as sequence gaps; bytes = SO_RCVBUF as the kernel reports it (twice the request).")
    return lines


def crossing(recs, add):
    cr = [r for r in recs if r.get("section") == "crossing"]
    if not cr:
        return []
    lines = ["", "8. Crossing: a call's stream between two subsystems' inits, vos.ko channel vs UNIX socket pair"]
    rows = []
    for r in cr:
        if "error" in r:
            lines.append(f"  ! {r.get('what')}: {r['error']}")
            continue
        t = r.get("transport")
        if t == "ratio":
            continue
        rows.append([t, r.get("rtt_us"), r.get("mib_per_s"), r.get("roundtrips"), r.get("mib"), r.get("rounds")])
        add("crossing", t, "rtt_us", r.get("rtt_us"), "us")
        add("crossing", t, "mib_per_s", r.get("mib_per_s"), "MiB/s")
    if rows:
        lines += table(rows, ["transport", "round trip us", "MiB/s", "round trips", "MiB", "rounds (median)"])
    for r in cr:
        if r.get("transport") == "ratio":
            lines.append(f"  channel / socket pair: round trip {r.get('rtt_ratio')}x, throughput {r.get('throughput_ratio')}x")
            add("crossing", "ratio", "rtt_ratio", r.get("rtt_ratio"), "x")
            add("crossing", "ratio", "throughput_ratio", r.get("throughput_ratio"), "x")
    lines.append("  round trip: 1 byte written by A, echoed by B; throughput: A writes, B reads and counts;"
                 " each measurement a fresh stream")
    return lines


def footprint(fpall, recs, add):
    lines = [""]
    lines.append("5. Footprint while the app sleeps (kB, median of 3 samples)")
    fp = [r for r in fpall if "tool" in r]
    rows = []
    for tool in dict.fromkeys(r["tool"] for r in fp):
        rs = [r for r in fp if r["tool"] == tool]
        rss, hwm, hlp, pss, hpss = (med([r.get(k) for r in rs])
                                    for k in ("rss_kb", "hwm_kb", "helpers_rss_kb", "pss_kb", "helpers_pss_kb"))
        rows.append([tool, rss, hwm, pss, hlp, hpss, (pss or 0) + (hpss or 0), rs[0].get("helpers", "")])
        add("footprint", tool, "pss_kb", pss, "kB")
        add("footprint", tool, "helpers_pss_kb", hpss, "kB")
        add("footprint", tool, "rss_kb", rss, "kB", rs[0].get("cmd", ""))
        add("footprint", tool, "hwm_kb", hwm, "kB")
        add("footprint", tool, "helpers_rss_kb", hlp, "kB", rs[0].get("helpers", ""))
    lines += table([[r[0]] + [f"{x:.0f}" if isinstance(x, (int, float)) else x for x in r[1:]] for r in rows],
                   ["tool", "supervisor RSS", "HWM", "PSS", "helpers RSS", "helpers PSS", "total PSS",
                    "helpers (comm:RSS kB)"])
    lines.append("  RSS counts every page a process maps; PSS splits shared pages among their users (a forked"
                 " helper shares most of its pages with its parent).")
    tot = {r[0]: r[6] for r in rows}
    if tot.get("vosctl") and tot.get("bwrap"):
        ratio = tot["vosctl"] / tot["bwrap"]
        lines.append(f"  supervisor side, total PSS: vosctl {tot['vosctl']:.0f} kB, bwrap {tot['bwrap']:.0f} kB,"
                     f" {ratio:.2f}x (issue 16's target: at most 1.00x)")
        add("footprint", "vosctl", "total_pss_vs_bwrap", round(ratio, 3), "x")
    for r in errors_of(recs, "footprint"):
        lines.append(f"  ! {r['what']}: {r['error']}")
    return lines


def profile(recs, add):
    lines = []
    pr = [r for r in recs if r.get("section") == "profile"]
    if pr:
        lines.append("")
        lines.append("6. Where start time goes: syscall wall time per start under strace -f -c -w"
                     " (ms/calls per start; waits excluded; strace inflates everything)")
        for r in pr:
            if "what" in r:
                lines.append(f"  ! {r['what']}: {r.get('error')}")
                continue
            lines.append(f"  {r.get('tool')}: per start without strace: real {fmt(r.get('real_ms'))} ms,"
                         f" user {fmt(r.get('user_ms'))} ms, sys {fmt(r.get('sys_ms'))} ms")
            lines.append(f"      top syscalls: {r.get('top')}")
            for k in ("real_ms", "user_ms", "sys_ms"):
                add("profile", r.get("tool"), k, r.get(k), "ms")
            add("profile", r.get("tool"), "top_syscalls", None, "", r.get("top", ""))
    return lines


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    d = sys.argv[1]
    kernels = sys.argv[2:] or sorted(f[:-6] for f in os.listdir(d) if f.endswith(".jsonl"))
    allrecs, csvrows, out = {}, [], []
    for k in kernels:
        p = os.path.join(d, k + ".jsonl")
        if not os.path.exists(p):
            out.append(f"=== kernel {k}: no results ({p} missing)")
            continue
        allrecs[k] = load(p)
        out += report(k, allrecs[k], csvrows)
        out.append("")
    text = "\n".join(out)
    with open(os.path.join(d, "table.txt"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump({"kernels": allrecs,
                   "derived": [dict(zip(["kernel", "section", "name", "metric", "value", "unit", "note"], r))
                               for r in csvrows]}, f, indent=1)
    with open(os.path.join(d, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kernel", "section", "name", "metric", "value", "unit", "note"])
        w.writerows(csvrows)
    print(text)


if __name__ == "__main__":
    main()
