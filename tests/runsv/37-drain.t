#!/bin/sh
# kill-tree's drains, by process group (no root needed): while what ./run or ./finish left is stopped, t sends it TERM, d and x the down-signal again; a child that ended with ./run, reaped at the same wake-up, is no leftover.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

# A process that stays in the group, records HUP and ends on TERM.
LEFT='sh -c "trap \"echo HUP >>$1\" HUP; trap \"echo TERM >>$1; exit 0\" TERM; echo \$\$ >$2; while :; do sleep 0.05; done" &
while [ ! -s $2 ]; do sleep 0.02; done'

# After ./run: it ends by itself and leaves one; the drain sends the
# down-signal (HUP), t sends TERM.
mksvc "$T/r" "[ -e left.pid ] && exec sleep 1000
set -- sigs left.pid
$LEFT
exit 0"
echo HUP >"$T/r/down-signal"
echo pgrp >"$T/r/kill-tree"
cd "$T/r" || exit 1
start_runsv "$T/r"
ok "./run left a process, which got the down-signal" wait_for 5 grep -qs HUP sigs
ok "draining: run, got TERM" wait_for 5 stat_is . "run, got TERM"
ctl . t
ok "t while draining: TERM, not the down-signal" wait_for 5 grep -qs TERM sigs
is "$(tr '\n' ' ' <sigs)" "HUP TERM " "HUP from the drain, TERM from t"
ok "the leftover is gone" wait_for 5 ended "$(cat left.pid)"
ok "./run runs again" wait_for 5 stat_is . run
"$SV" x . >/dev/null
wait_exit "$RPID" 5

# After ./finish: d sends the down-signal again, t sends TERM.
mksvc "$T/f" 'exec sleep 1000'
script "$T/f/finish" "[ -e left.pid ] && exit 0
set -- fsigs left.pid
$LEFT
exit 0"
echo HUP >"$T/f/down-signal"
echo pgrp >"$T/f/kill-tree"
cd "$T/f" || exit 1
start_runsv "$T/f"
wait_for 5 stat_is . run
ctl . d
ok "./finish left a process, which got the down-signal" wait_for 5 grep -qs HUP fsigs
ok "draining after ./finish: finish, want down" wait_for 5 stat_is . "finish, want down"
ctl . d
ok "d while draining after ./finish: the down-signal again" wait_for 5 has_lines fsigs 2
ctl . t
ok "t while draining after ./finish: TERM" wait_for 5 grep -qs TERM fsigs
is "$(tr '\n' ' ' <fsigs)" "HUP HUP TERM " "HUP from the drain, HUP from d, TERM from t"
ok "then down" wait_for 5 stat_is . down
"$SV" x . >/dev/null
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: exit 0"

# ./run and the child it left in its group end together, and runsv reaps
# both at one wake-up (stopped meanwhile): the ended child is no leftover.
mksvc "$T/z" '[ -e go ] && exec sleep 1000
sh -c "while [ ! -e go ]; do sleep 0.02; done" &
echo $! >child.pid
echo $$ >run.pid
while [ ! -e go ]; do sleep 0.02; done
exit 0'
echo pgrp >"$T/z/kill-tree"
cd "$T/z" || exit 1
: >"$T/stderr" # the leftovers above were real ones
start_runsv "$T/z"
wait_for 5 test -s child.pid -a -s run.pid
kill -STOP "$RPID"
touch go
ok "./run and its child ended, runsv stopped" wait_for 5 sh -c "! grep -qs '^State:.*[^Z] (' /proc/$(cat run.pid)/status /proc/$(cat child.pid)/status"
kill -CONT "$RPID"
# (info as a reader takes it: a start announced when ./run went down is not written)
ok "./run runs again" wait_for 5 sh -c "\"\$1\" -o json status . | grep -q '\"starts\":2,'" _ "$SV"
is "$(grep -c 'left processes' "$T/stderr")" 0 "no false report of leftovers"
is "$(sed -n 's/^last_exit=//p' supervise/info)" "exit 0" "the exit of ./run recorded"
"$SV" x . >/dev/null
wait_exit "$RPID" 5
done_testing
