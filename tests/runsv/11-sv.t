#!/bin/sh
# U-sv-3: our sv drives our runsv: down, status file, exit; runsv exits 0.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo starting >>"$0.out"; exec sleep 14'
start_runsv "$T/s"
ok "stat appears within 3 s" wait_for 3 test -f "$T/s/supervise/stat"
wait_for 5 test -s "$T/s/run.out"
"$SV" down "$T/s" >/dev/null
r1=$?
wait_for 3 stat_is "$T/s" down
st=$(cat "$T/s/supervise/stat")
"$SV" exit "$T/s" >/dev/null
r2=$?
wait_exit "$RPID" 5
is "$(cat "$T/s/run.out") $r1 $st $r2 $EXITCODE" "starting 0 down 0 0" "starting, 0, down, 0, 0 (using $SV)"
done_testing
