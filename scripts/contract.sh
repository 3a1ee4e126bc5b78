#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# contract.sh [--root DIR]: the kernel/user contract is written in four
# places; fail if they disagree.
#
#   include/uapi/linux/vos.h              the source, what is compiled
#   Documentation/netlink/specs/vos.yaml  the generic netlink family (YNL)
#   Documentation/abi.md                  one stanza per ioctl and command
#   lib/libvirtos/virtos.h                the library (and libvirtos.map)
#
# Compared: the genl family, its commands (names, values, do/dump/event),
# the attributes (names, order, values, types) and which each command
# takes and returns, the event types and the attributes each carries, the
# enums, flags and constants of the spec, VOS_CAP_* numbers, ioctl numbers,
# the fd type each belongs to and the struct fields abi.md names (with
# in/out), the library structs that mirror attribute sets, and the
# library's exports against libvirtos.map. No name is built in: every list
# is read from the files, by the conventions listed in contract.py.
#
# Prints one line per mismatch, "file:line: what differs", and exits 1 if
# there is any, 0 if none (2: bad usage). --root checks the copies under
# DIR instead of this tree (tests/contract/selftest.sh does, on broken
# ones). make check runs the self-test, which runs this on the tree first,
# as the host stage "contract"; make check-contract runs this alone.
set -euo pipefail

exec python3 "$(dirname "$0")/contract.py" "$@"
