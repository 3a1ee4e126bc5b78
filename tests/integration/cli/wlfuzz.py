#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""wlfuzz.py SOCKET: malformed Wayland messages to vos-wlproxy (gui.bats).

Each case opens its own connection to SOCKET, sends one kind of garbage
and must see the proxy close the connection within 10 s (EOF or a reset),
without an answer from the compositor first being required. Prints one
"ok CASE" line per case and exits 1 at the first case whose connection
stays open. The random cases use a fixed seed: the same bytes every run.
"""
import random
import select
import socket
import struct
import sys


def msg(obj, opcode, body=b""):
    return struct.pack("<II", obj, (8 + len(body)) << 16 | opcode) + body


def string(s, length=None):
    b = s.encode() + b"\0"
    n = len(b) if length is None else length
    return struct.pack("<I", n) + b + b"\0" * (-len(b) % 4)


GET_REGISTRY = msg(1, 1, struct.pack("<I", 2))

CASES = [
    ("size not a multiple of 4", struct.pack("<II", 1, 10 << 16 | 1) + b"\0" * 8),
    ("size below the header", struct.pack("<II", 1, 4 << 16)),
    ("size above 4096", struct.pack("<II", 1, 8192 << 16) + b"\0" * 8),
    ("unknown object id", msg(77, 0, struct.pack("<I", 3))),
    ("bad opcode", msg(1, 9)),
    ("unterminated string",
     GET_REGISTRY + msg(2, 0, struct.pack("<I", 1) + string("wl_shm", 6)
                        + struct.pack("<II", 1, 3))),
    ("string longer than the message",
     GET_REGISTRY + msg(2, 0, struct.pack("<II", 1, 4000) + b"wl_s")),
    ("new id already in use", msg(1, 1, struct.pack("<I", 1))),
    ("bytes after the last argument", msg(1, 0, struct.pack("<II", 3, 0))),
    ("bind of an interface never offered",
     GET_REGISTRY + msg(2, 0, struct.pack("<I", 1) + string("zwlr_layer_shell_v1")
                        + struct.pack("<II", 1, 3))),
]

rnd = random.Random(15)
for i in range(6):
    body = bytes(rnd.randrange(256) for _ in range(4 * rnd.randrange(1, 16)))
    CASES.append(("random bytes %d" % i, msg(1, rnd.randrange(3), body)))


def closed(sock, timeout=10.0):
    """True if the peer closes @sock within @timeout (bounded, no sleeps)."""
    while True:
        r, _, _ = select.select([sock], [], [], timeout)
        if not r:
            return False
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            return True
        if not data:
            return True
        # events the compositor sent first (a registry's globals): read on


def main():
    path = sys.argv[1]
    for name, data in CASES:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not closed(s):
            print("not ok %s: the connection stayed open" % name)
            return 1
        print("ok %s" % name)
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
