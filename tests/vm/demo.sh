#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# demo.sh: what `make demo` runs inside a guest with vos.ko loaded. Shows what
# vos-peek sees as root on the (guest's) host, then inside
# `vosctl run --isolate`, then with --root (uid 0 inside its own user
# namespace, still no privilege outside).
set -uo pipefail

top=$(pwd)
peek=$top/build/tests/vm/vos-peek
vosctl=$top/build/vosctl

banner() {
	printf '\n=============================================================\n'
	printf '== %s\n' "$@"
	printf '=============================================================\n'
}

banner "vos-peek as root on the host (kernel $(uname -r))" "\$ $peek"
"$peek"

# The default root shows the host's system directories only: the program,
# which lives in this build tree, is bound in read-only.
bind=(--ro "$(dirname "$peek")")

banner "the same program in a subsystem" "\$ vosctl run --isolate ${bind[*]} -- $peek" \
	"own pid namespace (pid 1 is the subsystem's init, the app pid 2)," \
	"own host name and mounts (of the host only its system directories, read-only)," \
	"no network but lo, no capabilities," \
	"no_new_privs, a seccomp filter"
"$vosctl" run --isolate "${bind[@]}" -- "$peek"
status=$?
echo "(vosctl exit status $status)"

banner "with --root: uid 0 inside, mapped to the caller outside" \
	"\$ vosctl run --isolate --root ${bind[*]} -- $peek"
"$vosctl" run --isolate --root "${bind[@]}" -- "$peek"
status2=$?
echo "(vosctl exit status $status2)"

banner "what the module saw" "\$ vosctl ls; vosctl version"
"$vosctl" ls
"$vosctl" version
[ "$status" = 0 ] && [ "$status2" = 0 ]
