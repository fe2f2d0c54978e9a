#!/bin/sh
# A chpst -l / setlock -n waiting on a held lock sleeps in the kernel: no CPU burnt while waiting, and a signal ends the wait cleanly.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
personalities "$T/bin" "$C"

is_comm() { [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]; }
blocked() { grep -q '^State:.*S' "/proc/$1/status" 2>/dev/null; }

spawn "$C" -l "$T/lk" sleep 60
HOLDER=$SPAWNED
ok "holder running" wait_for 10 is_comm $HOLDER sleep

spawn "$C" -l "$T/lk" echo got
W=$SPAWNED
ok "chpst -l waiter asleep" wait_for 10 blocked $W
t0=$(cpu_ticks $W)
sleep 1
t1=$(cpu_ticks $W)
ok "waiter used almost no CPU over 1 s ($t0 -> $t1 ticks)" [ $((t1 - t0)) -le 5 ]
ok "waiter still waiting" is_comm $W chpst

spawn "$T/bin/setlock" -n "$T/lk" echo got
W2=$SPAWNED
ok "setlock -n waiter asleep" wait_for 10 blocked $W2
kill -TERM $W2
ok "a signal ends the wait" wait_exit $W2 10
is "$EXITCODE" 143 "killed by TERM, nothing run"

kill $HOLDER
ok "chpst -l got the lock after release" wait_exit $W 10
is "$EXITCODE" 0 "and ran its program"

done_testing
