# SPDX-License-Identifier: GPL-2.0-or-later
"""The network section's table (bench/net.sh records), for bench/report.py.

Per setup (module, plain, plain-sandbox): TCP throughput and UDP round-trip
latency, the median over the interleaved rounds (each round gives one
throughput and the median of its round trips), the spread of the rounds
((max - min) / median), and the ratios module / plain and module /
plain-sandbox. The hook overhead target (issue 12) is stated on throughput:
under 5%. Nothing here fails on speed.
"""
import statistics

SETUPS = ("module", "plain", "plain-sandbox")
TARGET_PCT = 5.0


def _med(xs):
    return statistics.median(xs) if xs else None


def _spread(xs):
    m = _med(xs)
    return (max(xs) - min(xs)) / m * 100.0 if xs and m else None


def _f(x, nd=1, suffix=""):
    return "-" if x is None else f"{x:.{nd}f}{suffix}"


def _paired(nr, ref, test, key):
    """module / ref of each round that has both."""
    by = {}
    for r in nr:
        if r.get("test") == test and key in r and r.get("setup") in ("module", ref):
            by.setdefault(r.get("round"), {})[r["setup"]] = r[key]
    return [v["module"] / v[ref] for v in by.values() if "module" in v and v.get(ref)]


def net(recs, table, add):
    """Lines of the section; add(section, name, metric, value, unit, note) for the CSV."""
    nr = [r for r in recs if r.get("section") == "net"]
    if not nr:
        return []
    cfg = next((r for r in nr if r.get("what") == "config"), {})
    lines = ["", f"7. Network: C1 -> P -> C2 (P forwards; {cfg.get('rounds', '?')} interleaved rounds; TCP"
             f" {cfg.get('seconds', '?')} s per round, UDP 32-byte round trips x{cfg.get('rtts', '?')})"]
    tcp, rr, lost, errs = {}, {}, {}, {}
    for s in SETUPS:
        tcp[s] = [r["mbit_s"] for r in nr if r.get("setup") == s and r.get("test") == "tcp" and "mbit_s" in r]
        rr[s] = [r["median_us"] for r in nr if r.get("setup") == s and r.get("test") == "rr" and "median_us" in r]
        lost[s] = sum(r.get("lost", 0) for r in nr if r.get("setup") == s and r.get("test") == "rr")
        errs[s] = [r for r in nr if r.get("setup") == s and r.get("error")]
    rows = []
    for s in SETUPS:
        if not tcp[s] and not rr[s]:
            continue
        t, l = _med(tcp[s]), _med(rr[s])
        rows.append([s, _f(t), _f(min(tcp[s]) if tcp[s] else None), _f(max(tcp[s]) if tcp[s] else None),
                     _f(_spread(tcp[s]), 1, "%"), len(tcp[s]), _f(l), _f(min(rr[s]) if rr[s] else None),
                     _f(max(rr[s]) if rr[s] else None), _f(_spread(rr[s]), 1, "%"), lost[s]])
        add("net", s, "tcp_median_mbit_s", t, "Mbit/s")
        add("net", s, "tcp_round_spread", _spread(tcp[s]), "%")
        add("net", s, "rr_median_us", l, "us")
        add("net", s, "rr_round_spread", _spread(rr[s]), "%")
        add("net", s, "rr_lost", lost[s], "")
    if rows:
        lines += table(rows, ["setup", "TCP Mbit/s", "min", "max", "spread", "rounds", "RR us", "min", "max",
                              "spread", "lost"])
    m_t, m_l = _med(tcp["module"]), _med(rr["module"])
    for ref in ("plain", "plain-sandbox"):
        r_t, r_l = _med(tcp[ref]), _med(rr[ref])
        if m_t is None or not r_t or m_l is None or not r_l:
            continue
        # the same round's two measurements ran one after the other: their
        # ratio is less exposed to a slow phase of the host than the medians
        pt, pl = _paired(nr, ref, "tcp", "mbit_s"), _paired(nr, ref, "rr", "median_us")
        over = (1 - _med(pt) if pt else 1 - m_t / r_t) * 100
        noise = _spread(pt) if pt else None
        verdict = "within" if over < TARGET_PCT else "over"
        if noise is None or noise >= TARGET_PCT:
            verdict += " the 5% target, but the rounds' ratios spread by " + \
                (f"{noise:.0f}%: not conclusive" if noise is not None else "an unknown amount")
        else:
            verdict += f" the 5% target; the rounds' ratios spread by {noise:.1f}%"
        lines.append(f"  module / {ref}: throughput {m_t / r_t:.3f}x of the medians, {_f(_med(pt), 3)}x median of"
                     f" the rounds' ratios (overhead {over:+.1f}%: {verdict});")
        lines.append(f"      RR latency {m_l / r_l:.3f}x of the medians, {_f(_med(pl), 3)}x median of the rounds'"
                     f" ratios (spread {_f(_spread(pl), 0, '%')})")
        add("net", f"module/{ref}", "tcp_ratio", m_t / r_t, "x")
        add("net", f"module/{ref}", "tcp_ratio_paired", _med(pt), "x")
        add("net", f"module/{ref}", "tcp_ratio_paired_spread", noise, "%")
        add("net", f"module/{ref}", "tcp_overhead", over, "%")
        add("net", f"module/{ref}", "rr_ratio", m_l / r_l, "x")
        add("net", f"module/{ref}", "rr_ratio_paired", _med(pl), "x")
    lines.append("  module: vosctl create P --uplink host --provides-network, C1 and C2 --uplink P, rules C1 -> @C2,"
                 " C2 -> @C1; tools run by vosctl exec.")
    lines.append("  plain: the same namespaces, veths, /30s and routes made by hand, tools as root processes;"
                 " plain-sandbox: those, tools in")
    lines.append("  vosctl run --isolate --share-net (same seccomp, cgroup, user namespace as the module's:"
                 " what differs is the hooks).")
    lines.append("  TCP: Mbit/s of one connection, per round; RR: median us of a round's round trips, median"
                 " over rounds. spread = (max - min) / median.")
    for r in [r for r in nr if r.get("what") and r.get("error")]:
        lines.append(f"  ! {r['what']}: {r['error']}")
    for s in SETUPS:
        for r in errs[s]:
            lines.append(f"  ! {s} round {r.get('round')} {r.get('test')}: {r['error']}")
    return lines
