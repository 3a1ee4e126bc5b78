#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The view template (lib/libvirtos/viewtmpl.c): a start of the default view
# copies the host's part of it from a mount namespace kept on
# /run/virtos/view/<signature> instead of making it mount by mount. These
# tests show that it is used, that the view is the same mount for mount as
# one made whole, that it follows the host, and that a broken or untrusted
# template only means a whole view. About 30 s in a stock guest (2 vCPUs,
# TCG).

load helpers

TMPL=/run/virtos/view

setup() {
	subsys_setup
}

teardown() {
	if [ -n "${PROP_DIR:-}" ]; then
		umount "$PROP_DIR" 2>/dev/null || true
		rmdir "$PROP_DIR" 2>/dev/null || true
		umount /opt 2>/dev/null || true
	fi
	[ -z "${MADE_DIR:-}" ] || rmdir "$MADE_DIR" 2>/dev/null || true
	[ ! -d "$TMPL" ] || chmod 700 "$TMPL"
	subsys_teardown
}

# No template: the next start makes one.
drop_templates() {
	local t
	for t in "$TMPL"/*; do
		[ -e "$t" ] || continue
		umount "$t" 2>/dev/null || true
		rm -f "$t"
	done
}

# The templates there are (names), one per line
templates() {
	find "$TMPL" -mindepth 1 -maxdepth 1 -name '[0-9a-f]*' -printf '%f\n' 2>/dev/null | sort
}

# What a view is, mount for mount: mount point, per-mount options, type
VIEW_CMD='awk '\''{ for (i = 7; $i != "-"; i++); print $5, $6, $(i + 1) }'\'' /proc/self/mountinfo | sort'

@test "view: starts copy one template, kept on /run/virtos/view as a mount namespace" {
	drop_templates
	local before after a b overflow
	before=$(wc -l </proc/self/mountinfo)
	run vosctl run -- stat -c '%d %u' /
	check_status 0
	a=$output
	run vosctl run -- stat -c '%d %u' /
	check_status 0
	b=$output
	# one file system for every start's root, host root's (the overflow
	# id inside), not made by the subsystem
	overflow=$(cat /proc/sys/kernel/overflowuid)
	[ "$a" = "$b" ]
	[ "${a#* }" = "$overflow" ]
	run templates
	[ "${#lines[@]}" = 1 ]
	[ "$(stat -f -c %T "$TMPL/${lines[0]}")" = nsfs ]
	# the host's mount table gains that one entry, not the template's tree
	after=$(wc -l </proc/self/mountinfo)
	[ "$after" = $((before + 1)) ]
	# control: with --tmpfs the view is made whole, its root the subsystem's
	run vosctl run --tmpfs /srv -- stat -c '%d %u' /
	check_status 0
	[ "${output% *}" != "${a% *}" ]
	[ "${output#* }" = 0 ]
}

@test "view: the view from the template is the view made whole, mount for mount" {
	local from whole
	run vosctl run -- true
	check_status 0
	[ -n "$(templates)" ]
	run vosctl run -- sh -c "stat -c %u /; $VIEW_CMD"
	check_status 0
	[ "${lines[0]}" != 0 ] # from the template
	from=$(printf '%s\n' "${lines[@]:1}")
	# a template directory others may write to is not trusted: made whole
	chmod 777 "$TMPL"
	run vosctl run -- sh -c "stat -c %u /; $VIEW_CMD"
	check_status 0
	chmod 700 "$TMPL"
	[ "${lines[0]}" = 0 ] # whole
	whole=$(printf '%s\n' "${lines[@]:1}")
	echo "from the template:"
	echo "$from"
	echo "made whole:"
	echo "$whole"
	[ "$from" = "$whole" ]
	# and it is a real view: the root read-only, /proc masked, no host /run
	echo "$from" | grep -q '^/ ro,nosuid,nodev,[a-z]* tmpfs$'
	echo "$from" | grep -q '^/proc/kcore ro,'
	echo "$from" | grep -q '^/run rw,nosuid,nodev,[a-z]* tmpfs$'
	# with --share-net too (the host's /sys, masked)
	run vosctl run --share-net -- sh -c "stat -c %u /; $VIEW_CMD"
	check_status 0
	[ "${lines[0]}" != 0 ]
	from=$(printf '%s\n' "${lines[@]:1}")
	chmod 777 "$TMPL"
	run vosctl run --share-net -- sh -c "stat -c %u /; $VIEW_CMD"
	check_status 0
	chmod 700 "$TMPL"
	[ "${lines[0]}" = 0 ]
	whole=$(printf '%s\n' "${lines[@]:1}")
	# the same, but for the host's special file systems below its /sys:
	# made whole they are there under the masks, from the template (a
	# clone of the host's sysfs alone) not at all
	run comm -3 <(echo "$from") <(echo "$whole")
	echo "$output"
	for l in "${lines[@]}"; do
		[[ $l =~ ^$'\t'/sys/[^\ ]+\ [^\ ]+\ (debugfs|tracefs|securityfs|bpf|configfs|pstore|fusectl|cgroup2)$ ]]
	done
	echo "$from" | grep -q '^/sys/kernel/debug ro,.* tmpfs$'
}

@test "view: a new system directory on the host makes a new template, and the old one goes" {
	local d old new
	for d in /libx32 /lib32 ''; do [ -n "$d" ] && [ ! -e "$d" ] && break; done
	[ -n "$d" ] || {
		echo "the host has /libx32 and /lib32: no directory of the view to add" >&2
		return 1
	}
	run vosctl run -- test -e "$d"
	check_status 1
	old=$(templates)
	mkdir "$d"
	MADE_DIR=$d
	run vosctl run -- test -d "$d"
	check_status 0
	new=$(templates)
	[ -n "$new" ] && [ "$new" != "$old" ]
	[ "$(echo "$new" | wc -l)" = 1 ]
	rmdir "$d"
	MADE_DIR=
	run vosctl run -- test -e "$d"
	check_status 1
	[ "$(templates)" = "$old" ]
}

@test "view: a host mount made later shows in new subsystems, never in running ones" {
	local n
	n=$(tname run)
	# a host whose /opt is shared (as systemd makes every mount); the
	# guest has no systemd
	mount --bind /opt /opt
	mount --make-shared /opt
	PROP_DIR=/opt/vos-view-test.$$
	mkdir -p "$PROP_DIR"
	drop_templates
	vosctl create "$n"
	mount -t tmpfs vos-view-test "$PROP_DIR"
	touch "$PROP_DIR/marker"
	# control: the host sees it
	[ -e "$PROP_DIR/marker" ]
	run vosctl run -- test -e "$PROP_DIR/marker"
	check_status 0
	run vosctl exec "$n" -- test -e "$PROP_DIR/marker"
	check_status 1
	run vosctl exec "$n" -- test -d "$PROP_DIR"
	check_status 0
	vosctl rm --force "$n"
	drop_templates
}

@test "view: starts at once make one template" {
	local i pids=()
	drop_templates
	for i in 1 2 3 4; do
		vosctl run -- true &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
	run templates
	[ "${#lines[@]}" = 1 ]
	[ ! -e "$TMPL/.tmp" ]
}

@test "view: a template name that holds no mount namespace (bound in another one) is made again" {
	local t overflow
	overflow=$(cat /proc/sys/kernel/overflowuid)
	run vosctl run -- true
	check_status 0
	t=$(templates)
	[ -n "$t" ]
	# what a template bound by a service in its own mount namespace looks
	# like from here: the file, and no mount on it
	umount "$TMPL/$t"
	[ "$(stat -f -c %T "$TMPL/$t")" != nsfs ]
	run vosctl run -- stat -c %u /
	check_status 0
	[ "$output" = "$overflow" ]
	[ "$(templates)" = "$t" ]
	[ "$(stat -f -c %T "$TMPL/$t")" = nsfs ]
}
