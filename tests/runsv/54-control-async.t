#!/bin/sh
# control/ scripts run while runsv goes on: a hanging control/d (bound 30 s) does not hold back the stop (Debian's sv -w 5 down: ok while it runs), a byte written meanwhile waits and is acted on when it ends (t then p: in order), SIGTERM to runsv cuts it short (KILL) and runsv exits; control/t's exit 0 still holds back TERM and a failed one does not; control/u runs before ./run, which waits for it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi

mksvc "$T/s" 'echo $$ >>run.pid; exec sleep 1000'
mkdir "$T/s/control"
# control/d hangs until the test lets it go (its own bound is 30 s).
script "$T/s/control/d" 'echo $$ >>d.pid; until [ -e release ]; do sleep 0.05; done; echo ended >>d.log'
echo 30000 >"$T/s/timeout-kill"
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run
running() { [ -s "$1" ] && kill -0 "$(tail -n 1 "$1")" 2>/dev/null; }

out=$("$SVD" -w 5 down .)
is "$? $(echo "$out" | sed -E 's/[0-9]+s/Ns/')" "0 ok: down: .: Ns, normally up" \
    "sv -w 5 down: ok while control/d still runs"
ok "control/d still runs after it" running d.pid

# A byte meanwhile waits, acted on once control/d ends.
ctl . u
ok "the bytes wait while control/d runs" stat_is . down
: >release
ok "control/d ended" wait_for 5 has_lines d.log 1
ok "then u: run" wait_for 5 stat_is . run
is "$(lines run.pid)" 2 "./run started once more"

# SIGTERM to runsv while control/d hangs: cut short, runsv exits.
rm release
ctl . d
ok "control/d runs again" wait_for 5 has_lines d.pid 2
ok "the service is down meanwhile" wait_for 5 stat_is . down
kill -TERM "$RPID"
ok "runsv exits on SIGTERM while control/d hangs" wait_exit "$RPID" 10
is "$EXITCODE" 0 "exit 0"
is "$(grep -c 'control/d' "$T/stderr")" 1 "one line about control/d on stderr"
is "$(grep 'control/d' "$T/stderr")" "runsv $T/s: warning: control/d still runs at SIGTERM, sending KILL" "and it says why"
gone() { ! running d.pid; }
ok "control/d is gone" wait_for 5 gone
is "$(lines d.log)" 1 "it was cut short"

# control/t: exit 0 holds back TERM; the p written after it is acted on
# after it ended, on the same ./run.
rm -f control/d d.pid run.pid
script control/t 'echo t >>t.log; exit 0'
start_runsv "$T/s"
wait_for 5 stat_is . run
ctl . tp
ok "t then p: run, paused" wait_for 5 stat_is . "run, paused"
is "$(lines t.log) $(lines run.pid)" "1 1" "control/t ran, ./run was not restarted"
ok "./run still runs" running run.pid
ctl . c
# A control/t that fails: TERM is sent, ./run restarts.
script control/t 'echo t >>t.log; exit 1'
ctl . t
ok "control/t failed: ./run restarted" wait_for 5 has_lines run.pid 2
is "$(lines t.log)" 2 "control/t ran"

# control/u runs before ./run, which waits for it (exit status ignored).
rm -f control/t release
script control/u 'echo u >>u.log; until [ -e release ]; do sleep 0.05; done; exit 3'
script run '[ -e release ] || echo early >>early.log; echo $$ >>run.pid; exec sleep 1000'
"$SVD" -w 5 down . >/dev/null
ctl . u
ok "control/u runs" wait_for 5 has_lines u.log 1
ok "./run waits for it" stat_is . down
: >release
ok "./run starts after control/u" wait_for 5 has_lines run.pid 3
ok "not before it ended" test ! -e early.log
ctl . x
ok "runsv exits" wait_exit "$RPID" 10
kill_left KILL $(cat run.pid 2>/dev/null)
done_testing
