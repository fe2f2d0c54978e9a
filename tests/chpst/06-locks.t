#!/bin/sh
# chpst -l/-L and setlock -n/-N/-x/-X against a lock held by another process; the lock stays held by PROG (U-chpst-4,5, D-chpst-12).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
personalities "$T/bin" "$C"
L=$T/lk

run "$C" -l "$L" true
is "$OUT$NL$RC" "${NL}0" "-l on a free lock (U-chpst-4)"
is "$(stat -c %a "$L")" 600 "lock file created 0600"
run "$C" -L"$T/lk2" true
is "$OUT$NL$RC" "${NL}0" "-L on a free lock, attached argument (U-chpst-5)"

is_comm() { [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]; }

# The holder: chpst locks, then execs sleep, which inherits the lock.
spawn "$C" -l "$L" sleep 60
HOLDER=$SPAWNED
ok "holder running with the lock" wait_for 10 is_comm $HOLDER sleep

run "$C" -L "$L" echo got
is "$OUT$NL$RC" "chpst: fatal: unable to lock: $L: temporary failure${NL}111" "-L on a held lock fails at once (D-chpst-12)"
run "$T/bin/setlock" "$L" echo got
is "$OUT$NL$RC" "chpst: fatal: unable to lock: $L: temporary failure${NL}111" "setlock defaults to non-blocking (D-chpst-12)"
run "$T/bin/setlock" -n -N "$L" echo got
is "$OUT$NL$RC" "chpst: fatal: unable to lock: $L: temporary failure${NL}111" "setlock -N: non-blocking (last letter wins)"
run "$T/bin/setlock" -x "$L" echo got
is "$OUT$NL$RC" "${NL}0" "setlock -x: held lock exits 0, program not run (D-chpst-12)"
run "$T/bin/setlock" -x -X "$L" echo got
is "$RC" 111 "setlock -X undoes -x"
run "$T/bin/setlock" -x "$T/nonexistent/lk" echo got
is "$OUT$NL$RC" "${NL}0" "setlock -x: unopenable lock exits 0"
run "$T/bin/setlock" "$T/nonexistent/lk" echo got
is "$OUT$NL$RC" "chpst: fatal: unable to open lock: $T/nonexistent/lk: file does not exist${NL}111" "setlock: unopenable lock"
run "$T/bin/setlock" -x "$T/lk3" /nonexist
is "$OUT$NL$RC" "${NL}0" "setlock -x: exec failure exits 0"
run "$T/bin/setlock" "$T/lk3" /nonexist
is "$OUT$NL$RC" "chpst: fatal: unable to run: /nonexist: file does not exist${NL}111" "setlock: exec failure"

# Blocking waiters: both must still be waiting while the holder lives, then run.
spawn sh -c "'$T/bin/setlock' -n '$L' echo got >'$T/setlock.out'"
W1=$SPAWNED
spawn sh -c "'$C' -l '$L' echo got >'$T/chpst.out'"
W2=$SPAWNED
sleep 0.5
is "$(cat "$T/setlock.out" "$T/chpst.out" 2>/dev/null)" "" "setlock -n and chpst -l wait while the lock is held"
kill $HOLDER
ok "setlock -n ran once the lock was released (D-chpst-12)" wait_exit $W1 10
is "$EXITCODE:$(cat "$T/setlock.out")" "0:got" "setlock -n: rc 0, program output"
ok "chpst -l ran once the lock was released" wait_exit $W2 10
is "$EXITCODE:$(cat "$T/chpst.out")" "0:got" "chpst -l: rc 0, program output"

# With stdin closed the lock file could land on fd 0; -0 must not release it.
spawn sh -c "exec <&- && exec '$C' -0 -L '$L' sleep 60"
H2=$SPAWNED
ok "holder with -0 running" wait_for 10 is_comm $H2 sleep
run "$C" -L "$L" true
is "$OUT$NL$RC" "chpst: fatal: unable to lock: $L: temporary failure${NL}111" "-0 does not drop the lock"
kill $H2

run "$C" -l "$T/nonexistent/lk" true
is "$OUT$NL$RC" "chpst: fatal: unable to open lock: $T/nonexistent/lk: file does not exist${NL}111" "-l: unopenable lock"

done_testing
