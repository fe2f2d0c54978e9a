#!/bin/sh
# runsvdir's HUP (TERM to every runsv, which acts as x) is bounded by timeout-kill: a TERM-ignoring service with it is KILLed and its runsv exits; one without it keeps its runsv waiting, as under runit.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
. "$(dirname "$0")/../lib/records.sh"

# runsv_of DIR: the pid of the runsv supervising DIR (it holds DIR/supervise/lock).
runsv_of() { fuser "$1/supervise/lock" 2>/dev/null | tr -d ' '; }

command -v fuser >/dev/null || skip_all "fuser missing"
mkdir "$T/sv"
for s in bounded plain stuck; do
	mksvc "$T/sv/$s" 'echo $$ >pid.seen; trap "" TERM; exec sleep 1000'
done
script "$T/sv/plain/run" 'echo $$ >pid.seen; exec sleep 1000'
echo 1000 >"$T/sv/bounded/timeout-kill"
spawn env --default-signal "$RNG_BIN/runsvdir" "$T/sv" 2>>"$T/stderr"
RD=$SPAWNED
for s in bounded plain stuck; do wait_for 10 stat_is "$T/sv/$s" run; done
wait_for 5 test -s "$T/sv/stuck/pid.seen"
b=$(runsv_of "$T/sv/bounded") p=$(runsv_of "$T/sv/plain") st=$(runsv_of "$T/sv/stuck")
ok "three runsv found ($b $p $st)" test -n "$b" -a -n "$p" -a -n "$st"
stuck_svc=$(cat "$T/sv/stuck/pid.seen")

# HUP to the KILL by runsv's records (stop_ms): from its "got TERM, want
# exit" record to its down record.
stop_begin "$T/sv/bounded" "64 01 01" kill -HUP "$RD"
wait_exit "$RD" 5
is "$EXITCODE" 111 "runsvdir exits 111 on HUP"
ok "the plain service's runsv exits at once" wait_for 5 ended "$p"
ok "the TERM-ignoring service with timeout-kill: its runsv exits too" wait_for 5 ended "$b"
stop_end "$T/sv/bounded"
diag "the bounded runsv's TERM to its service's end: ${STOP_MS:-untold} ms by its records"
ok "after timeout-kill (1000 ms), within a margin, by runsv's records (${STOP_MS:-untold} ms)" \
    test "${STOP_MS:-0}" -ge $((1000 - STOP_SLACK_MS)) -a "${STOP_MS:-0}" -lt 3700
ok "its service is gone" ended "$(cat "$T/sv/bounded/pid.seen")"
is "$(cat "$T/sv/bounded/supervise/stat")" down "its status says down"
like "$(grep bounded "$T/stderr")" "^runsv bounded: warning: \./run still runs after timeout-kill, sending KILL$" "runsv told why"
ok "without timeout-kill, runit's way: that runsv still waits" running "$st"
is "$(cat "$T/sv/stuck/supervise/stat")" "run, got TERM, want exit" "with got TERM, want exit"
kill -KILL "$stuck_svc" "$st"
done_testing
