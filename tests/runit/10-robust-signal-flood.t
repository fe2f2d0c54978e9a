#!/bin/sh
# A flood of SIGCONT/SIGINT/SIGHUP/SIGALRM/SIGPIPE without request files changes nothing, costs little CPU, and runit is idle (asleep, no wake-ups) afterwards.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

stage 1 ':'
stage 2 'touch '"$T"'/two; exec sleep 1000'
stage 3 ':'
boot "$RNG_BIN/runit"
ok "stage 2 up" wait_for 10 test -e "$T/two"
pid1=$(init_pid)
n=300; [ "${RNG_ASAN:-0}" = 1 ] && n=100
i=0
while [ $i -lt $n ]; do
	kill -CONT "$pid1"; kill -INT "$pid1"; kill -HUP "$pid1"; kill -ALRM "$pid1"; kill -PIPE "$pid1"
	i=$((i + 1))
done
ok "pid 1 survives" kill -0 "$pid1"
ok "stage 2 still running" sh -c "[ \$(pgrep -P $pid1 | wc -l) -eq 1 ]"
t0=$(cpu_ticks "$pid1")
ok "no more than 0.5 s of CPU for the flood" [ "$t0" -lt 50 ]
settled() { _a=$(voluntary_switches "$pid1"); sleep 0.2; [ "$_a" = "$(voluntary_switches "$pid1")" ]; }
ok "the flood is worked off" wait_for 5 settled
c0=$(voluntary_switches "$pid1")
sleep 1.2 # proving that nothing happens while idle
c1=$(voluntary_switches "$pid1")
is "$((c1 - c0))" 0 "no wake-ups while idle"
like "$(awk '/^State/ { print $2 }' "/proc/$pid1/status")" "^S" "asleep"
done_testing
