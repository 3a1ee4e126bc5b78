#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The connectivity matrix of issue 12, driven from the host of a guest.

Usage: netmatrix.py VOSCTL TMPDIR NAME...  (the subsystems, already made
and linked by netmatrix.bats; "wan" is the namespace vos-wan at 192.0.2.2)

Every subsystem with a link runs a UDP listener on its link address, port
9001, that prints each payload; vos-wan runs one too. Every subsystem sends
"S>D" to every listener. What must happen is predicted from what vosctl
reports, not from what the test set up: `vosctl net show --json` (links,
providers) and `vosctl firewall NAME list --json` (rules, policy):

  - a sender without a link reaches nothing (the send fails at once);
  - a provider reaches what is behind it (it is the router: nothing is
    checked on the way down);
  - otherwise the sender's rules decide, first match; then to another
    subsystem drop, else the policy.

Nothing waits for a packet that should not come: every packet predicted
closed must be counted as dropped by the sender's link in vos.ko (the
counters of `vosctl firewall list`), which is polled until it is (bounded);
every packet predicted open must arrive (bounded). A closed packet that was
not dropped is an unexpected open, an open one that was is an unexpected
close. Prints the matrix and exits 1 on any difference.
"""
import ipaddress
import json
import os
import subprocess
import sys
import time

PORT = 9001
BOUND = 30.0

vosctl, tmp, names = sys.argv[1], sys.argv[2], sys.argv[3:]


def vj(*args):
    out = subprocess.run([vosctl, *args, "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


net = {r["name"]: r for r in vj("net", "show") if r["name"] in names}
rules = {n: vj("firewall", n, "list") for n in names}
ids = {r["id"]: n for n, r in net.items()}
addr = {n: r["address"] for n, r in net.items() if r["address"]}
addr["wan"] = "192.0.2.2"


def above(p, n):
    """Is p a provider of n, or of its provider, ...?"""
    seen = 0
    while n in net and net[n]["provider"] and seen < 8:
        n = ids.get(net[n]["provider"])
        if n == p:
            return True
        seen += 1
    return False


def predict(s, d):
    if s not in addr or s == "wan":
        return False
    if d != "wan" and above(s, d):
        return True
    dst = ipaddress.ip_address(addr[d])
    dst_subsys = net[d]["id"] if d != "wan" else None
    rs = rules[s]
    for r in rs["rules"]:
        if r["proto"] not in (None, "udp"):
            continue
        if r["dst_subsys"] is not None:
            if r["dst_subsys"] != dst_subsys:
                continue
        elif r["dsthost"] is not None:
            if dst not in ipaddress.ip_network(r["dsthost"], strict=False):
                continue
        elif dst_subsys is not None:
            continue  # "any" does not reach another subsystem
        if r["dstports"] is not None:
            lo, _, hi = r["dstports"].partition("-")
            if not int(lo) <= PORT <= int(hi or lo):
                continue
        return r["action"] == "accept"
    if dst_subsys is not None:
        return False
    return rs["policy"] == "accept"


def drops(s):
    """Packets of s's link dropped so far: by a drop rule or by no rule."""
    rs = vj("firewall", s, "list")
    return rs["dropped_other"] + sum(r["packets"] for r in rs["rules"] if r["action"] == "drop")


LISTEN = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], %d))
print("ready", flush=True)
while True:
    print(s.recv(100).decode(), flush=True)
""" % PORT

SEND = """
import socket, sys
me = sys.argv[1]
for d, a in zip(sys.argv[2::2], sys.argv[3::2]):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto((me + ">" + d).encode(), (a, PORT))
    except OSError as e:
        print(d + ": " + str(e.strerror), flush=True)
""".replace("PORT", str(PORT))

# the listeners, each ready before anything is sent
listeners = {}
for d in addr:
    log = open(os.path.join(tmp, "listen-%s" % d), "w+")
    cmd = ["ip", "netns", "exec", "vos-wan"] if d == "wan" else [vosctl, "exec", d, "--"]
    p = subprocess.Popen(cmd + ["python3", "-c", LISTEN, addr[d]], stdout=log,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    listeners[d] = (p, log)
    end = time.monotonic() + BOUND
    while "ready" not in open(log.name).read():
        if time.monotonic() > end or p.poll() is not None:
            sys.exit("listener in %s did not start" % d)
        time.sleep(0.05)  # polling a condition that must become true

senders = [n for n in names]
want = {(s, d): predict(s, d) for s in senders for d in addr if d != s}
bad = []
for s in senders:
    dests = [d for d in addr if d != s]
    closed = sum(1 for d in dests if not want[(s, d)])
    before = drops(s) if s in addr else 0
    args = []
    for d in dests:
        args += [d, addr[d]]
    out = subprocess.run([vosctl, "exec", s, "--", "python3", "-c", SEND, s, *args],
                         capture_output=True, text=True)
    if s not in addr:
        # no link: every send fails at once, nothing to count
        failed = {line.split(":")[0] for line in out.stdout.splitlines()}
        for d in dests:
            if d not in failed:
                bad.append("%s>%s: sent without a link" % (s, d))
        continue
    end = time.monotonic() + BOUND
    got = drops(s) - before
    while got < closed and time.monotonic() < end:
        time.sleep(0.05)
        got = drops(s) - before
    if got != closed:
        bad.append("%s: %d of its packets dropped, %d predicted closed" % (s, got, closed))

# every open pair arrives
end = time.monotonic() + BOUND
while True:
    seen = {}
    for d, (p, log) in listeners.items():
        seen[d] = set(open(log.name).read().split())
    missing = [(s, d) for (s, d), ok in want.items() if ok and "%s>%s" % (s, d) not in seen[d]]
    if not missing or time.monotonic() > end:
        break
    time.sleep(0.05)
for s, d in missing:
    bad.append("%s>%s: predicted open, did not arrive (unexpected close)" % (s, d))
for (s, d), ok in want.items():
    if not ok and d in seen and "%s>%s" % (s, d) in seen[d]:
        bad.append("%s>%s: predicted closed, arrived (unexpected open)" % (s, d))
for p, log in listeners.values():
    p.kill()
    p.wait()

cols = list(addr)
print("# %-10s %s" % ("from \\ to", " ".join("%-8s" % c[-8:] for c in cols)))
for s in senders:
    print("# %-10s %s" % (s[-10:], " ".join(
        "%-8s" % ("-" if s == d else "open" if want[(s, d)] else "closed") for d in cols)))
opens = sum(want.values())
print("# %d pairs, %d open, %d closed as predicted; %d differences" % (
    len(want), opens, len(want) - opens, len(bad)))
for b in bad:
    print("# " + b)
sys.exit(1 if bad else 0)
