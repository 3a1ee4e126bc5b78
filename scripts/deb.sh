#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# deb.sh VERSION: what `make deb` runs. Builds the Debian binary packages
# (debian/: virtos, virtos-dkms, libvirtos0, libvirtos-dev) with
# dpkg-buildpackage -us -uc -b from a copy of the tree in
# build/deb/src/virtos-VERSION, so that neither the tree nor its parent
# directory gets a file: dpkg-buildpackage writes the packages to the
# copy's parent, build/deb/src, and this script moves them to build/deb.
# VERSION is the Makefile's; debian/changelog must carry the same.
set -euo pipefail

version=${1:?usage: deb.sh VERSION}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
src=$out/src/virtos-$version

cd "$top"
changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$changelog" != "$version" ]; then
	echo "deb.sh: debian/changelog is at $changelog but the Makefile's VERSION is $version:" \
		"add an entry (dch -v $version)" >&2
	exit 1
fi

rm -rf "$out"
mkdir -p "$src"
# The files git knows plus new ones it does not ignore (so a change not yet
# committed is in the package); build/ never. Outside a git checkout: all
# but build/.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		grep -zv '^build/' |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build -cf - . | tar -xf - -C "$src"
fi

cd "$src"
log=$out/build.log
if ! dpkg-buildpackage -us -uc -b >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "deb.sh: dpkg-buildpackage failed; the whole log is $log" >&2
	exit 1
fi
# The debug symbols apart, so that "apt install ./build/deb/*.deb" installs
# the four packages.
mkdir -p "$out/dbgsym"
mv "$out"/src/*-dbgsym_*.deb "$out/dbgsym/"
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/
cd "$out"
ls -1 ./*.deb ./dbgsym/*.deb
# Debian's checks: an error fails the build, the rest is shown.
st=0
lintian --fail-on error ./*.deb ./dbgsym/*.deb >lintian.log 2>&1 || st=$?
grep -v '^running with root privileges' lintian.log || true
[ "$st" = 0 ] || { echo "deb.sh: lintian found errors (above)" >&2; exit 1; }
