#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Routing (issue 15). Through vosctl open on the host: routes send an
# intranet URL to "work" and anything else to "web", a PDF to "work" by
# its MIME type; --explain names the route that matched; the handler each
# target offers runs inside it and says where it ran; a file arrives as a
# copy in Incoming/@host; the policy still decides (a denied target opens
# nothing); broken routes fail closed. Through vos-open inside "web" (no
# --to): vosd routes by its own routes.d (--routes-dir), an intranet URL
# to "work", anything else to a new disposable of the template "view"
# (its handler runs in a disp-N subsystem that is gone afterwards), a PDF
# to "work"; a route whose target the policy denies is refused and
# audited. vosctl open to @dispvm:view from the host, a URL by its route
# and a file by --in.
# vosctl open --app ID: the app route's subsystem launches the exported
# entry; not exported, a disposable target and no route are refused.
# The opener prints what it got: no sleeps; vosd is waited on with
# --ready-fd, a disposable's end by a bounded loop on vosctl ls.
# Run time (measured under TCG, 2 vCPUs): 26-48 s on stock 6.1, 26 s on
# 6.12, 125 s on the debug kernel (vosd with a pool of one, two subsystems
# made once, three disposables, about thirty vosctl runs); 24 s on 6.1 with
# the routes' reload test (a fourth disposable, three reloads).

load helpers

setup_file() {
	require_module
	XD=$(mktemp -d -p /var/tmp vos-open.XXXXXX)
	export XD
	chmod 755 "$XD"
	mkdir "$XD/policy.d" "$XD/routes.d" "$XD/vroutes.d" "$XD/defs" "$XD/apps"
	cp "$TOP/build/vos-open" "$XD/"
	export WORK=owork-$$ WEB=oweb-$$ TPL=oview-$$
	for s in "$WORK" "$WEB"; do
		printf '#!/bin/sh\necho "%s opened $1"\n[ ! -f "$1" ] || cat "$1"\n' "$s" >"$XD/opener-$s"
		chmod 755 "$XD/opener-$s"
	done
	# the disposable's opener says which subsystem it ran in
	printf '#!/bin/sh\necho "$(hostname) opened $1"\n[ ! -f "$1" ] || cat "$1"\n' >"$XD/opener-disp"
	chmod 755 "$XD/opener-disp"
	printf '[Subsystem]\nTemplate=yes\nPool=1\n[Files]\nReadOnly=%s:%s\n[Services]\nService=vos.OpenURL=%s\nService=vos.OpenFile=%s\n' \
		"$XD" "$XD" "$XD/vos-open --handle --with $XD/opener-disp" \
		"$XD/vos-open --handle --with $XD/opener-disp" >"$XD/defs/$TPL.conf"
	# an app entry inside work (apps.bats does the same)
	printf '[Desktop Entry]\nType=Application\nName=Where\nExec=/bin/hostname\n' \
		>"$XD/apps/vostest.Where.desktop"
	printf '[Desktop Entry]\nType=Application\nName=Other\nExec=/bin/true\n' \
		>"$XD/apps/vostest.Other.desktop"
	chmod -R a+rX "$XD/apps"
	printf '%s\n' "# the intranet stays at work" \
		"url ^https://intranet\\.corp\\.example(/|\$) $WORK" \
		"mime application/pdf $WORK" \
		"url * $WEB" >"$XD/routes.d/50-test.route"
	printf '%s\n' "app vostest.Where $WORK" "app vostest.Other $WORK" \
		"app vostest.Disp @dispvm:$TPL" >"$XD/routes.d/60-apps.route"
	# vosd's routes, for vos-open inside and vosctl open to a disposable
	printf '%s\n' "url ^https://intranet\\.corp\\.example(/|\$) $WORK" \
		"url ^https://blocked\\.example/ $WEB" \
		"mime application/pdf $WORK" \
		"url * @dispvm:$TPL" >"$XD/vroutes.d/50-test.route"
	printf '%s\n' "vos.OpenURL @host $WORK allow" "vos.OpenURL @host $WEB allow" \
		"vos.OpenFile @host $WORK allow" \
		"vos.OpenURL $WEB $WORK allow" "vos.OpenFile $WEB $WORK allow" \
		"vos.OpenURL $WEB @dispvm:$TPL allow" \
		"vos.OpenURL @host @dispvm:$TPL allow" "vos.OpenFile @host @dispvm:$TPL allow" \
		>"$XD/policy.d/50-test.policy"
	# before the subsystems: they see its socket at /run/vos/vosd.sock
	vosd_start --routes-dir "$XD/vroutes.d" --subsystems-dir "$XD/defs" \
		--profile-dir "$TOP/tools/vosctl/profiles"
	for s in "$WORK" "$WEB"; do
		"$VOSCTL" create "$s" --ro "$XD:$XD" \
			--tmpfs /usr/local/share --ro "$XD/apps:/usr/local/share/applications" \
			--service "vos.OpenURL=$XD/vos-open --handle --with $XD/opener-$s" \
			--service "vos.OpenFile=$XD/vos-open --handle --with $XD/opener-$s"
	done
	export XDG_DATA_HOME=$XD/xdg
	"$VOSCTL" apps "$WORK" export vostest.Where >/dev/null
}

teardown_file() {
	[ -f "$XD/vosd.log" ] && sed 's/^/# /' "$XD/vosd.log" >&3
	for s in "$WORK" "$WEB"; do
		"$VOSCTL" rm --force "$s" >/dev/null 2>&1 || true
		rm -rf "/run/virtos/services/$s"
	done
	[ -f "$XD/vosd.pid" ] && kill "$(cat "$XD/vosd.pid")" 2>/dev/null
	for n in $("$VOSCTL" ls -q 2>/dev/null | grep '^disp-'); do
		"$VOSCTL" rm --force "$n" >/dev/null 2>&1 || true
	done
	rm -rf /run/virtos/vosd "$XD"
}

# gone NAME: NAME leaves vosctl ls (bounded: 30 s)
gone() {
	timeout 30 sh -c "while '$VOSCTL' ls -q | grep -qx '$1'; do :; done"
}

# raw_request LINE: LINE to vosd from inside web, its first answer
raw_request() {
	"$VOSCTL" exec "$WEB" -- python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect("/run/vos/vosd.sock")
s.sendall(("VOS1 " + sys.argv[1] + "\n").encode())
print(s.makefile().readline().strip())' "$1"
}

# vos-open inside web, without --to: routed by vosd
open_in_web() {
	"$VOSCTL" exec "$WEB" -- "$XD/vos-open" "$@"
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
	[ "$output" = "6 routes, no problems" ]
	run vopen --explain "$XD/notes.txt"
	check_status 121
	[[ $output == *"no route for mime 'text/plain'"* ]]
	run vosctl open
	check_status 124
	run vopen --explain https://example.org/ -- xdg-open
	check_status 124
}

@test "vos-open inside web: vosd routes the intranet to work, the rest to a disposable" {
	run open_in_web https://intranet.corp.example/wiki
	check_status 0
	[ "$output" = "$WORK opened https://intranet.corp.example/wiki" ]
	run open_in_web https://example.org/news
	check_status 0
	[[ ${lines[0]} == "disp-"*" opened https://example.org/news" ]]
	disp=${lines[0]%% *}
	gone "$disp"
	grep -q "call vos.OpenURL from $WEB: a URL routed to @dispvm:$TPL" "$XD/vosd.log"
	# a file by its type: copied into work's Incoming/<web>/
	printf 'minutes\n' >"$XD/m.pdf"
	run open_in_web "$XD/m.pdf"
	check_status 0
	[ "${lines[0]}" = "$WORK opened /var/tmp/Incoming/$WEB/m.pdf" ]
	[ "${lines[1]}" = "minutes" ]
	# control: --to names the target, no route is asked for
	run "$VOSCTL" exec "$WEB" -- "$XD/vos-open" --to "$WORK" https://example.org/news
	check_status 0
	[ "$output" = "$WORK opened https://example.org/news" ]
}

@test "vosd reads its routes at start and on reload, not for each call" {
	grep -q "routes: 4 routes from $XD/vroutes.d" "$XD/vosd.log"
	# a changed file is not read by a call: news still goes to a disposable
	printf '%s\n' "url ^https://example\.org/ $WORK" >"$XD/vroutes.d/40-news.route"
	run open_in_web https://example.org/news
	check_status 0
	[[ ${lines[0]} == "disp-"*" opened https://example.org/news" ]]
	gone "${lines[0]%% *}"
	# after a reload it is
	"$VOSCTL" policy reload
	grep -q "routes: 5 routes from $XD/vroutes.d" "$XD/vosd.log"
	run open_in_web https://example.org/news
	check_status 0
	[ "$output" = "$WORK opened https://example.org/news" ]
	# a broken file refuses every routed call once reloaded (fail closed)
	printf 'url ^(oops %s\n' "$WORK" >"$XD/vroutes.d/40-news.route"
	"$VOSCTL" policy reload
	grep -q "routes: 1 problem in $XD/vroutes.d: every routed call is refused until fixed" \
		"$XD/vosd.log"
	run open_in_web https://intranet.corp.example/wiki
	[ "$status" -ne 0 ]
	[[ $output == *"the host's routes are broken, so none is used"* ]]
	rm "$XD/vroutes.d/40-news.route"
	"$VOSCTL" policy reload
	run open_in_web https://intranet.corp.example/wiki
	check_status 0
	[ "$output" = "$WORK opened https://intranet.corp.example/wiki" ]
}

@test "vos-open inside: a route whose target the policy denies is refused, audited" {
	run open_in_web https://blocked.example/x
	check_status 126
	[[ $output == *"denied by policy: no rule matched, for the route's target $WEB"* ]]
	[[ $output != *"opened"* ]]
	grep -q "call vos.OpenURL $WEB -> $WEB: deny" "$XD/vosd.log"
	run "$VOSCTL" log --json
	check_status 0
	echo "$output" | python3 -c 'import json, sys
n = [d for d in map(json.loads, sys.stdin) if d.get("service") == "vos.OpenURL"
     and d.get("phase") == "refused" and d.get("verdict") == "deny"
     and d.get("source") == sys.argv[1] and d.get("target") == sys.argv[1]]
sys.exit(0 if n else 1)' "$WEB"
	# the subject is one printable word, a URL for vos.OpenURL, a type
	# without a scheme for vos.OpenFile, and only to @default
	run raw_request "call @default vos.OpenFile text:plain"
	[[ $output == "err usage a routed call is"* ]]
	run raw_request "call $WORK vos.OpenURL https://example.org/"
	[[ $output == "err usage a routed call is"* ]]
	run raw_request "call @default vos.Echo https://example.org/"
	[[ $output == "err usage a routed call is"* ]]
}

@test "vosctl open to @dispvm:T: a URL and a file open in a new disposable, gone after" {
	run vosctl open --routes-dir "$XD/vroutes.d" --policy-dir "$XD/policy.d" https://example.org/d
	check_status 0
	[[ ${lines[0]} == "disp-"*" opened https://example.org/d" ]]
	gone "${lines[0]%% *}"
	printf 'a note\n' >"$XD/n.txt"
	# --in names the disposable's template instead of a route
	run vosctl open --in "@dispvm:$TPL" --policy-dir "$XD/policy.d" "$XD/n.txt"
	check_status 0
	[[ ${lines[0]} == "disp-"*" opened /var/tmp/Incoming/@host/n.txt" ]]
	[ "${lines[1]}" = "a note" ]
	gone "${lines[0]%% *}"
	run vopen --in "@dispvm:../x" https://example.org/
	check_status 124
	# HANDLER words are for named subsystems only
	run vosctl open --routes-dir "$XD/vroutes.d" --policy-dir "$XD/policy.d" https://example.org/ -- cat
	check_status 124
}

@test "vosctl open --app: the app route's subsystem launches the exported entry" {
	run vopen --explain --app vostest.Where
	check_status 0
	[ "$output" = "app vostest.Where -> $WORK ($XD/routes.d/60-apps.route:1: app vostest.Where $WORK)" ]
	run vopen --app vostest.Where
	check_status 0
	[ "$output" = "$WORK" ]
	# routed, but not exported: launch's rule holds
	run vopen --app vostest.Other
	check_status 121
	[[ $output == *"vostest.Other of $WORK is not exported"* ]]
	# to a disposable: root is sent to run --disposable (a user goes
	# through vosd: delegate.bats)
	run vopen --app vostest.Disp
	check_status 124
	[[ $output == *"root runs commands in a disposable with 'vosctl run --disposable $TPL -- CMD'"* ]]
	run vopen --app vostest.None
	check_status 121
	[[ $output == *"no route for app 'vostest.None'"* ]]
	run vopen --app 'not/an id'
	check_status 124
}
