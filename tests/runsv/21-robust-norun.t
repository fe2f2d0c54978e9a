#!/bin/sh
# Robustness: missing ./run and non-executable ./run: the child's message about once a second, no busy loop.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mkdir "$T/m"
start_runsv "$T/m"
ok "missing run: message repeated" wait_for 5 sh -c "[ \$(grep -c . '$T/stderr') -ge 2 ]"
is "$(head -n 1 "$T/stderr")" "runsv $T/m: fatal: unable to start ./run: file does not exist" "message for a missing run"
sleep 1.2
n=$(grep -c . "$T/stderr")
ok "about once a second, not a busy loop ($n lines)" test "$n" -le 5
ok "CPU time stays small" test "$(cpu_ticks "$RPID")" -lt 50
ctl "$T/m" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x still works"

: >"$T/stderr"
mksvc "$T/n" 'exit 0'
chmod 644 "$T/n/run"
start_runsv "$T/n"
ok "non-executable run: message repeated" wait_for 5 sh -c "[ \$(grep -c . '$T/stderr') -ge 2 ]"
is "$(head -n 1 "$T/stderr")" "runsv $T/n: fatal: unable to start ./run: access denied" "message for a non-executable run"
ok "stat alternates but runsv lives" kill -0 "$RPID"
ctl "$T/n" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
