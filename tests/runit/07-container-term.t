#!/bin/sh
# Container mode: SIGTERM to process no. 1 runs stage 3, TERMs what is left, KILLs a TERM-ignoring service after the grace time, and runit exits 0, well within docker's 10 s; a runsv service with timeout-kill bounds the stop to about that.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"
. "$(dirname "$0")/../lib/records.sh"

stage 1 ':'
# Three "services": two that die on TERM, one that ignores it.
stage 2 'cd '"$T"'
sh -c "trap \"echo a-term >>svc.log; exit 0\" TERM; sleep 1000 & wait" &
sh -c "trap \"echo b-term >>svc.log; exit 0\" TERM; sleep 1000 & wait" &
sh -c "trap \"\" TERM; while :; do sleep 0.2; done" &
touch ready
exec sleep 1000'
stage 3 'echo three >>'"$T"'/log'

# How long the stop took is told by runit's console lines, stamped by
# svlogd as they came (boot_stamped, stop_span).
boot_stamped "$RNG_BIN/runit"
ok "services up" wait_for 10 test -e "$T/ready"
ok "container mode detected from the PID namespace" wait_for 5 grep -qsF -- "- runit: container mode" "$T/conlog/current"
kill -TERM "$(init_pid)"
ok "runit exits after SIGTERM" wait_exit "$NS" 15
ok "the console read whole" console_stamped
ms=$(stop_span)
diag "SIGTERM to exit, by runit's stamped console lines: ${ms:-untold} ms"
is "$EXITCODE" 0 "exit code 0 on a clean stop"
ok "well under docker's 10 s, by runit's stamped console lines (${ms:-untold} ms)" test "${ms:-99999}" -lt 9000
is "$(cat "$T/log")" three "stage 3 ran"
ok "stage 2 left" console_has "- runit: leave stage: /etc/runit/2"
ok "TERM sent to all" console_has "- runit: sending TERM signal to all processes..."
ok "the TERM-ignoring service needed KILL" console_has "- runit: sending KILL signal to all processes..."
is "$(sort "$T/svc.log" | tr '\n' ' ')" "a-term b-term " "the other services got TERM and ended"

# runsvdir with a TERM-ignoring service that has timeout-kill: stage 3 (as
# runit.8 suggests) and the whole stop take about timeout-kill, not sv's
# 7 s nor runit's 3 s grace, and runit needs no KILL of its own.
: >"$T/console"; rm -f "$T/log"
mkdir -p "$T/service/stub"
printf '#!/bin/sh\ntrap "" TERM\necho $$ >%s/stub.pid\nexec sleep 1000\n' "$T" >"$T/service/stub/run"
chmod 755 "$T/service/stub/run"
echo 500 >"$T/service/stub/timeout-kill"
stage 2 'exec '"$RNG_BIN"'/runsvdir '"$T"'/service'
stage 3 "$RNG_BIN"'/sv -w 7 force-stop '"$T"'/service/*; '"$RNG_BIN"'/sv exit '"$T"'/service/*; echo three >>'"$T"'/log'
boot_stamped "$RNG_BIN/runit"
ok "the TERM-ignoring service runs" wait_for 10 test -s "$T/stub.pid"
wait_for 5 sh -c "[ \"\$(cat '$T/service/stub/supervise/stat' 2>/dev/null)\" = run ]"
# the service's stop by its runsv's records (stop_ms): its got TERM record
# (stage 3's force-stop) to its down record
stop_begin "$T/service/stub" "64 01 01" kill -TERM "$(init_pid)"
ok "runit exits after SIGTERM" wait_exit "$NS" 15
ok "the console read whole" console_stamped
stop_end "$T/service/stub"
ms=$(stop_span)
diag "SIGTERM to exit with timeout-kill 500: ${ms:-untold} ms by runit's stamped console lines, the service's stop ${STOP_MS:-untold} ms by runsv's records"
is "$EXITCODE" 0 "exit 0"
ok "the service stopped in about timeout-kill, by runsv's records: at least 500 ms, well under runit's 3 s grace (${STOP_MS:-untold} ms)" \
    test "${STOP_MS:-0}" -ge $((500 - STOP_SLACK_MS)) -a "${STOP_MS:-99999}" -lt 2900
ok "and so did the whole stop, by runit's stamped console lines (${ms:-untold} ms)" test "${ms:-0}" -ge $((500 - STOP_SLACK_MS)) -a "${ms:-99999}" -lt 2900
is "$(cat "$T/log")" three "stage 3 ran"
ok "runsv sent the KILL after timeout-kill" console_has "warning: ./run still runs after timeout-kill, sending KILL"
ok "runit did not need its own KILL" sh -c "! grep -q 'sending KILL signal' '$T/console'"
stage 2 'cd '"$T"'
sh -c "trap \"echo a-term >>svc.log; exit 0\" TERM; sleep 1000 & wait" &
sh -c "trap \"echo b-term >>svc.log; exit 0\" TERM; sleep 1000 & wait" &
sh -c "trap \"\" TERM; while :; do sleep 0.2; done" &
touch ready
exec sleep 1000'
stage 3 'echo three >>'"$T"'/log'

# SIGTERM during stage 1: stage 1 is TERMed and stage 2 skipped.
: >"$T/console"; rm -f "$T/log"
stage 1 'touch '"$T"'/in1; exec sleep 100'
boot "$RNG_BIN/runit"
ok "stage 1 running" wait_for 10 test -e "$T/in1"
kill -TERM "$(init_pid)"
ok "runit exits after SIGTERM in stage 1" wait_exit "$NS" 15
ok "stage 2 skipped" console_has "- runit: warning: skipping stage 2..."
is "$(cat "$T/log")" three "stage 3 ran"

# nocontainer: SIGTERM is ignored as on a real machine.
: >"$T/console"; rm -f "$T/log" "$T/ready"
touch "$T/etc/nocontainer" "$T/etc/nosync"
stage 1 ':'
boot "$RNG_BIN/runit"
ok "services up (classic mode)" wait_for 10 test -e "$T/ready"
kill -TERM "$(init_pid)"
sleep 0.5 # proving that nothing happens
ok "classic mode: SIGTERM ignored" sh -c "kill -0 $NS && [ ! -e '$T/log' ]"
ok "classic mode: no container line" sh -c "! grep -q 'container mode' '$T/console'"
kill -PWR "$(init_pid)"
ok "classic mode: SIGPWR shuts down (as Debian's)" wait_exit "$NS" 15
is "$EXITCODE" 130 "classic mode: ends in halt"
done_testing
