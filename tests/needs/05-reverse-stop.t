#!/bin/sh
# Stop in reverse order: on runsvdir's HUP and on SIGTERM to our runit as process no. 1 (PID and mount namespaces), db gets its stop signal only after app (which needs it) has stopped and its ./finish has run; a TERM-ignoring app with timeout-kill still lets the whole stop end; a service nothing needs stops at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

# tree DIR APP-RUN: app needs db and setup; z needs nothing and nothing needs it.
tree() {
	mkdir -p "$1"
	mksvc "$1/db" "trap '$STAMP >$T/db.term; kill \$!; exit 0' TERM; echo >&3; sleep 1000 & wait"
	echo 3 >"$1/db/notification-fd"
	mksvc "$1/setup" "exit 0"
	touch "$1/setup/oneshot"
	mksvc "$1/app" "$2"
	script "$1/app/finish" "$STAMP >$T/app.finish"
	needs "$1/app" db setup
	mksvc "$1/z" "trap '$STAMP >$T/z.term; kill \$!; exit 0' TERM; sleep 1000 & wait"
}
up() { stat_is "$1/app" run && stat_is "$1/z" run && [ -n "$(info_get "$1/db" ready_since)" ]; }
clear() { rm -f "$T/db.term" "$T/app.finish" "$T/z.term"; }
before() { [ -s "$T/$1" ] && [ -s "$T/$2" ] && [ "$(cat "$T/$1")" -le "$(cat "$T/$2")" ]; }

# runsvdir's HUP: TERM to every runsv at once; db's runsv waits for app's.
tree "$T/a" "exec sleep 1000"
spawn runsvdir "$T/a"
rd=$SPAWNED
ok "the tree is up" wait_for 10 up "$T/a"
clear
kill -HUP "$rd"
ok "runsvdir exits 111 after HUP" wait_exit "$rd" 5 && [ "$EXITCODE" = 111 ]
ok "db stopped" wait_for 10 test -s "$T/db.term"
ok "app's ./finish ran before db got TERM" before app.finish db.term
ok "every runsv exits" wait_for 10 sh -c "! pgrep -f '^runsv (app|db|setup|z)\$' -P 1 >/dev/null && ! pgrep -f '^runsv (app|db|setup|z)\$' -P $$ >/dev/null"

# A TERM-ignoring app with timeout-kill 1000: db waits for it; z does not.
tree "$T/b" "trap '' TERM; exec sleep 1000"
echo 1000 >"$T/b/app/timeout-kill"
# ./run ignores TERM as sh starts it: `exec sleep` keeps the ignored TERM
spawn runsvdir "$T/b"
rd=$SPAWNED
ok "the second tree is up" wait_for 10 up "$T/b"
clear
kill -HUP "$rd"
ok "db stopped, within timeout-kill and a margin" wait_for 10 test -s "$T/db.term"
ok "after app's KILL and ./finish" before app.finish db.term
ok "z, needed by nothing, stopped at once: before app's end" before z.term app.finish

# runit as process no. 1: SIGTERM stops the tree in reverse order, then runit exits.
if [ "$(id -u)" = 0 ] && unshare --fork --pid --mount --mount-proc true 2>/dev/null; then
	. "$(dirname "$0")/../runit/ns.sh"
	tree "$T/c" "exec sleep 1000"
	stage 1 ':'
	stage 2 "exec $RNG_BIN/runsvdir $T/c"
	stage 3 ':'
	clear
	boot "$RNG_BIN/runit"
	ok "the tree is up under runit" wait_for 15 up "$T/c"
	kill -TERM "$(init_pid)"
	ok "runit exits after SIGTERM" wait_exit "$NS" 20
	is "$EXITCODE" 0 "exit 0"
	ok "runit sent TERM to every runsv first" console_has "- runit: sending TERM signal to every runsv..."
	ok "app's ./finish ran before db got TERM" before app.finish db.term
	ok "db stopped by its runsv, not by the final TERM to all" sh -c "! grep -q 'runsv still running' '$T/console'"
else
	skip "runit as process no. 1 needs root and namespaces"
fi
done_testing
