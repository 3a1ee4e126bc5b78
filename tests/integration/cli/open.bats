#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Routing (issue 15) through vosctl open: routes send an intranet URL to
# "work" and anything else to "web" (a named subsystem, until disposables
# are routed from the host), a PDF to "work" by its MIME type; --explain
# names the route that matched; the handler each target offers runs inside
# it and says where it ran; a file arrives as a copy in Incoming/@host; the
# policy still decides (a denied target opens nothing); broken routes fail
# closed. The opener prints what it got: no sleeps, no vosd.
# Run time: 31 s on the stock 6.1 kernel under TCG (measured; two
# subsystems made once, about fifteen vosctl runs).

load helpers

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-open.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d" "$XD/routes.d"
	cp "$TOP/build/vos-open" "$XD/"
	export WORK=owork-$$ WEB=oweb-$$
	for s in "$WORK" "$WEB"; do
		printf '#!/bin/sh\necho "%s opened $1"\n[ ! -f "$1" ] || cat "$1"\n' "$s" >"$XD/opener-$s"
		chmod 755 "$XD/opener-$s"
		"$VOSCTL" create "$s" --ro "$XD:$XD" \
			--service "vos.OpenURL=$XD/vos-open --handle --with $XD/opener-$s" \
			--service "vos.OpenFile=$XD/vos-open --handle --with $XD/opener-$s"
	done
	printf '%s\n' "# the intranet stays at work" \
		"url ^https://intranet\\.corp\\.example(/|\$) $WORK" \
		"mime application/pdf $WORK" \
		"url * $WEB" >"$XD/routes.d/50-test.route"
	printf '%s\n' "vos.OpenURL @host $WORK allow" "vos.OpenURL @host $WEB allow" \
		"vos.OpenFile @host $WORK allow" >"$XD/policy.d/50-test.policy"
}

teardown_file() {
	for s in "$WORK" "$WEB"; do
		"$VOSCTL" rm --force "$s" >/dev/null 2>&1 || true
		rm -rf "/run/virtos/services/$s"
	done
	rm -rf "$XD"
}

vopen() {
	vosctl open --routes-dir "$XD/routes.d" --policy-dir "$XD/policy.d" "$@"
}

@test "--explain: the intranet to work, the rest to web, a PDF to work" {
	run vopen --explain https://intranet.corp.example/wiki/Start
	check_status 0
	[ "$output" = "url https://intranet.corp.example/wiki/Start -> $WORK ($XD/routes.d/50-test.route:2: url ^https://intranet\\.corp\\.example(/|\$) $WORK)" ]
	run vopen --explain https://intranet.corp.example.evil.test/
	check_status 0
	[[ $output == *" -> $WEB ($XD/routes.d/50-test.route:4: url * $WEB)" ]]
	run vopen --explain --json https://example.org/
	check_status 0
	[ "$(json_get "$output" 'd["target"]')" = "$WEB" ]
	[ "$(json_get "$output" 'd["line"]')" = 4 ]
	touch "$XD/report.pdf"
	run vopen --explain "$XD/report.pdf"
	[[ $output == "mime application/pdf -> $WORK ("* ]]
	run vopen --explain --in "$WEB" https://intranet.corp.example/
	[[ $output == *" -> $WEB (--in)" ]]
}

@test "open: each URL is opened inside the subsystem its route names" {
	run vopen https://intranet.corp.example/wiki
	check_status 0
	[ "$output" = "$WORK opened https://intranet.corp.example/wiki" ]
	run vopen https://example.org/news
	check_status 0
	[ "$output" = "$WEB opened https://example.org/news" ]
}

@test "open FILE: copied into the target's Incoming/@host, then opened there" {
	printf 'quarterly numbers\n' >"$XD/q.pdf"
	run vopen "$XD/q.pdf"
	check_status 0
	[ "${lines[0]}" = "$WORK opened /var/tmp/Incoming/@host/q.pdf" ]
	[ "${lines[1]}" = "quarterly numbers" ]
	# a copy, not a bind: changing the host's file changes nothing inside
	echo changed >"$XD/q.pdf"
	run "$VOSCTL" exec "$WORK" -- cat /var/tmp/Incoming/@host/q.pdf
	[ "$output" = "quarterly numbers" ]
	# a second open gets a new name
	run vopen "$XD/q.pdf"
	[ "${lines[0]}" = "$WORK opened /var/tmp/Incoming/@host/q.1.pdf" ]
}

@test "the policy still decides: a denied target opens nothing" {
	mkdir -p "$XD/deny.d"
	echo "vos.OpenURL @host $WORK allow" >"$XD/deny.d/1.policy"
	run vosctl open --routes-dir "$XD/routes.d" --policy-dir "$XD/deny.d" https://example.org/
	check_status 126
	[[ $output == *"vos.OpenURL @host -> $WEB denied by policy"* ]]
	[[ $output != *"opened"* ]]
	# vos.OpenFile to web is not allowed either
	printf 'x' >"$XD/note.pdf"
	run vopen --in "$WEB" "$XD/note.pdf"
	check_status 126
}

@test "broken routes fail closed; --lint lists the problems; no route" {
	mkdir -p "$XD/bad.d"
	printf 'url ^https:// %s\nurl ^(oops %s\nmime pdf %s\n' "$WORK" "$WORK" "$WORK" >"$XD/bad.d/1.route"
	run vosctl open --routes-dir "$XD/bad.d" --lint
	check_status 1
	[ "${lines[0]}" = "$XD/bad.d/1.route:2: url '^(oops': Unmatched ( or \\(" ]
	[[ ${lines[1]} == "$XD/bad.d/1.route:3: mime 'pdf': give type/subtype"* ]]
	run vosctl open --routes-dir "$XD/bad.d" --policy-dir "$XD/policy.d" https://x.example/
	check_status 124
	[[ $output == *"the routes do not parse, so none is used"* ]]
	run vopen --lint
	check_status 0
	[ "$output" = "3 routes, no problems" ]
	run vopen --explain "$XD/notes.txt"
	check_status 121
	[[ $output == *"no route for mime 'text/plain'"* ]]
	run vosctl open
	check_status 124
	run vopen --explain https://example.org/ -- xdg-open
	check_status 124
}
