#!/bin/sh
# Robustness: a ./run that exits at once is restarted about once a second, never faster.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo x >>runs; exit 1'
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 has_lines runs 1
sleep 1.5
n=$(lines runs)
ok "at most 3 runs in ~1.5 s ($n)" test "$n" -le 3
ok "but it is restarted" test "$n" -ge 2
ok "CPU time stays small" test "$(cpu_ticks "$RPID")" -lt 50
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x during the hold exits at once"
done_testing
