#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pty-run.py [--no-intr] CMD [ARGS...]

Run CMD on a new pseudo-terminal as its controlling terminal, the way a
user's shell would. Unless --no-intr, wait for "ready" in its output, then
type Ctrl-C (the terminal's INTR character). Print everything CMD wrote and
a last line "exit=N" (N = exit code, 128+signal). Exits 0 unless the helper
itself failed (timeout: 2).
"""
import os
import pty
import select
import sys
import time


def main():
    args = sys.argv[1:]
    intr = True
    if args and args[0] == "--no-intr":
        intr = False
        args = args[1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(args[0], args)
    out = b""
    sent = not intr
    deadline = time.monotonic() + 60
    while True:
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            sys.stdout.write(out.decode(errors="replace"))
            print("pty-run: timeout")
            sys.exit(2)
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                break
            out += data
        if not sent and b"ready" in out:
            time.sleep(0.3)
            os.write(fd, b"\x03")
            sent = True
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    print("\nexit=%d" % code)


main()
