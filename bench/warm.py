#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Keep every file a measured command opens in the guest's memory.

    warm.py STRACE_LOG...

The guest's root is the host's, read over 9p under a tmpfs overlay
(tests/vm/initramfs-init). The 9p mount caches pages and names, but opening
a file, reading a symlink and executing a program still ask the host's 9p
server, and the guest waits for it: time that depends on the host, not on
the command, and that a machine with a warm page cache never pays.
bench/guest.sh runs each command once under `strace -f -e trace=%file,%process`
and gives the logs to this script, which copies every file and symlink
they name (and every symlink on the way to them) up into the overlay's
tmpfs (`touch -c -h`): from then on the measured commands find them in
memory, every tool alike. Prints how many paths it copied up.
"""
import os
import re
import subprocess
import sys

# calls whose failure (-1) means the path is not there: nothing to keep
PROBES = ("openat", "open", "access", "faccessat", "faccessat2", "newfstatat", "stat",
          "lstat", "statx", "readlink", "readlinkat", "execve")
# the guest's own file systems, not the host's
SKIP = ("/proc", "/sys", "/dev", "/tmp", "/run", "/var/tmp", "/vos-out", "/scratch")


def named(logs):
    paths = set()
    for log in logs:
        with open(log, errors="replace") as f:
            for line in f:
                call = re.match(r"(?:\d+\s+)?(\w+)\(", line)
                if call and call.group(1) in PROBES and re.search(r"\) = -1 ", line):
                    continue
                paths.update(re.findall(r'"(/[^"]*)"', line))
    return paths


def to_keep(paths):
    keep = set()
    for p in paths:
        cur = ""
        for comp in p.split("/")[1:]:
            cur = cur + "/" + comp
            if os.path.islink(cur):
                keep.add(cur)
                cur = os.path.realpath(cur)
        if os.path.isfile(cur) or os.path.islink(cur):
            keep.add(cur)
    return sorted(k for k in keep if not k.startswith(SKIP))


def main():
    keep = to_keep(named(sys.argv[1:]))
    done = sum(subprocess.run(["touch", "-c", "-h", k]).returncode == 0 for k in keep)
    print(f"warm: {done} of {len(keep)} files copied up into the guest's memory", file=sys.stderr)


if __name__ == "__main__":
    main()
