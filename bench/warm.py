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
memory, every tool alike; the ELF interpreter of each program too (the
kernel opens it at exec: no strace log names it). Prints how many paths it
copied up.
"""
import os
import re
import struct
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


def interpreter(path):
    """The PT_INTERP of the 64-bit little-endian ELF file @path, or None: the
    kernel opens it at exec, so no strace log names it."""
    try:
        with open(path, "rb") as f:
            eh = f.read(64)
            if len(eh) < 64 or eh[:4] != b"\x7fELF" or eh[4] != 2 or eh[5] != 1:
                return None
            phoff, = struct.unpack_from("<Q", eh, 32)
            phentsize, phnum = struct.unpack_from("<HH", eh, 54)
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                ptype, _, off = struct.unpack("<IIQ", f.read(16))
                if ptype == 3:  # PT_INTERP
                    f.seek(off)
                    return f.read(256).split(b"\0")[0].decode()
    except (OSError, struct.error, UnicodeDecodeError):
        pass
    return None


def to_keep(paths):
    """Every file of @paths and every symlink on the way to it (those in
    the symlinks' targets too), and the programs' interpreters."""
    keep = set()
    todo = list(paths)
    seen = set()
    while todo:
        p = os.path.normpath(todo.pop())
        if p in seen or len(seen) > 100000:
            continue
        seen.add(p)
        comps = p.split("/")[1:]
        cur = ""
        for i, comp in enumerate(comps):
            cur = cur + "/" + comp
            if os.path.islink(cur):
                keep.add(cur)
                target = os.path.join(os.path.dirname(cur), os.readlink(cur))
                todo.append("/".join([target] + comps[i + 1:]))
                break
        else:
            if os.path.isfile(cur):
                if cur not in keep:
                    interp = interpreter(cur)
                    if interp:
                        todo.append(interp)
                keep.add(cur)
    return sorted(k for k in keep if not k.startswith(SKIP))


def main():
    keep = to_keep(named(sys.argv[1:]))
    done = sum(subprocess.run(["touch", "-c", "-h", k]).returncode == 0 for k in keep)
    print(f"warm: {done} of {len(keep)} files copied up into the guest's memory", file=sys.stderr)


if __name__ == "__main__":
    main()
