#!/bin/sh
# needs under runsvdir: app needs db (ready 1 s after its start, declared on notification-fd) and setup (a oneshot of 0.5 s); in 20 trees started all at once, app's ./run starts after both by their own stamps, and Debian's sv reads every status as ours does.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

ROUNDS=20
tree() {
	_d=$T/r$1
	mksvc "$_d/db" "sleep 1; $STAMP >$_d/db.ready; echo >&3; exec sleep 1000"
	echo 3 >"$_d/db/notification-fd"
	mksvc "$_d/setup" "sleep 0.5; $STAMP >$_d/setup.done"
	touch "$_d/setup/oneshot"
	mksvc "$_d/app" "$STAMP >$_d/app.start; exec sleep 1000"
	needs "$_d/app" db setup
}
started() { for _r in $(seq 1 $ROUNDS); do [ -s "$T/r$_r/app.start" ] || return 1; done; }
pids=
for r in $(seq 1 $ROUNDS); do
	tree "$r"
	spawn runsvdir "$T/r$r"
	pids="$pids $SPAWNED"
done
ok "app started in all $ROUNDS trees" wait_for 60 started
bad=0
for r in $(seq 1 $ROUNDS); do
	a=$(cat "$T/r$r/app.start"); d=$(cat "$T/r$r/db.ready"); s=$(cat "$T/r$r/setup.done")
	if [ "$a" -lt "$d" ] || [ "$a" -lt "$s" ]; then
		bad=$((bad + 1))
		echo "round $r: app started at $a, db ready at $d, setup done at $s" >&2
	fi
done
is "$bad" 0 "app's ./run never started before db was ready and setup done"
ok "setup is done (info)" info_has "$T/r1/setup" oneshot=done
is "$(cut -d, -f1 "$T/r1/setup/supervise/stat")" down "setup: down in runit's stat"
ok "the oneshot ran once in every tree" sh -c "for r in \$(seq 1 $ROUNDS); do [ \"\$(sed -n 's/^starts=//p' $T/r\$r/setup/supervise/info)\" = 1 ] || exit 1; done"

if [ -x "$DEB_SV" ]; then
	mask() { sed 's/[0-9][0-9]*s/Ns/g; s/pid [0-9]*/pid N/'; }
	for s in app db setup; do
		deb=$("$DEB_SV" status "$T/r1/$s" | mask)
		ours=$("$SV" status "$T/r1/$s" | mask)
		is "$deb" "$ours" "Debian's sv reads $s as ours does"
	done
	like "$("$DEB_SV" status "$T/r1/setup")" "^down: .*/setup: [0-9]+s, normally up, want up$" "a done oneshot: down, normally up, want up"
else
	skip "Debian's runit not installed"
fi
for p in $pids; do kill -HUP "$p"; done
ok "runsvdir's HUP stops every tree" wait_for 20 sh -c "for r in \$(seq 1 $ROUNDS); do for s in app db setup; do [ -p $T/r\$r/\$s/supervise/ok ] || continue; timeout 0.5 sh -c ': >$T/r\$r/'\$s'/supervise/ok' 2>/dev/null && exit 1; done; done; exit 0"
done_testing
