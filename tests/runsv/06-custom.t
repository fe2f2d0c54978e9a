#!/bin/sh
# control/X scripts: t not overriding (U-runsv-2), i overriding with output to the log (U-runsv-3), u before every ./run, d and x after the stop, k and p overrides, non-executable ignored.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

# U-runsv-2: control/t exits 1, so TERM is still sent.
mksvc "$T/a" 'echo starting >>out; exec sleep 100'
mkdir "$T/a/control"
script "$T/a/control/t" 'echo term >>out; exit 1'
cd "$T/a" || exit 1
start_runsv "$T/a"
wait_for 5 stat_is . run
ctl . "$(printf 't\n')"
ok "control/t ran and TERM was sent: restarted" wait_for 5 has_lines out 3
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0"
is "$(tr '\n' ' ' <out)" "starting term starting term " "U-runsv-2 sequence"

# U-runsv-3: log service, control/i overrides; control script stdout goes to the log.
mksvc "$T/b" 'echo starting; exec sleep 100'
mkdir "$T/b/control" "$T/b/log"
script "$T/b/control/t" 'echo term; exit 1'
script "$T/b/control/i" 'echo no interrupt'
script "$T/b/log/run" 'exec cat >foo'
cd "$T/b" || exit 1
start_runsv "$T/b"
wait_for 5 stat_is . run
pid=$(cat supervise/pid)
ctl . i
ok "control/i output reaches the log" wait_for 5 grep -qs "no interrupt" log/foo
ok "the service was not interrupted" kill -0 "$pid"
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "runsv exits after the log drains"
is "$(tr '\n' ' ' <log/foo)" "starting no interrupt term " "U-runsv-3 log contents"

# control/u runs before every ./run (not ./finish); control/d after d, control/x after x.
# (HUP is ignored: the h below reaches the service, and x must find it running.)
mksvc "$T/c" 'echo run >>out; trap "echo TERM >>out; exit 0" TERM; trap "" HUP; while :; do sleep 0.05; done'
script "$T/c/finish" 'echo finish >>out'
mkdir "$T/c/control"
for c in u d x; do script "$T/c/control/$c" "echo control/$c >>out"; done
script "$T/c/control/k" 'echo control/k >>out'
script "$T/c/control/p" 'echo control/p >>out; exit 3'
script "$T/c/control/h" 'echo control/h >>out'
chmod 644 "$T/c/control/h"
cd "$T/c" || exit 1
start_runsv "$T/c"
wait_for 5 grep -qs '^run' out
ctl . d
ok "d: TERM, finish and control/d" wait_for 5 grep -qs finish out
wait_for 5 grep -qs control/d out
ok "control/u ran before run" test "$(head -n 2 out | tr '\n' ' ')" = "control/u run "
ok "control/d ran after the stop" grep -q control/d out
: >out
ctl . u
wait_for 5 grep -qs '^run' out
wait_for 5 stat_is . run
pid=$(cat supervise/pid)
ctl . k
ok "k overridden by control/k (exit 0)" wait_for 5 grep -qs control/k out
sleep 0.3
ok "no SIGKILL: the service still runs" kill -0 "$pid"
is "$(cat supervise/stat)" run "k writes no status (runit quirk)"
ctl . p
ok "k set the state down anyway: p now only sets the flag" wait_for 5 stat_is . "down, paused"
ok "control/p is not consulted while down" sh -c '! grep -q control/p out'
ctl . c
kill "$pid"
ok "the unreaped child's exit leads to finish, then a new run" wait_for 5 sh -c '[ "$(grep -c ^run out)" -ge 2 ]'
wait_for 5 stat_is . run
ctl . p
ok "control/p exiting 3 does not override: stopped and paused" wait_for 5 stat_is . "run, paused"
ok "control/p ran" grep -q control/p out
ok "the child is stopped" wait_for 5 sh -c "grep -qs '^State:.*T' /proc/$(cat supervise/pid)/status"
ctl . h
ctl . c
ok "c: the child continues" wait_for 5 stat_is . run
ok "a non-executable control/h is not run" sh -c '! grep -q control/h out'
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits"
ok "x runs control/x after the stop" grep -q control/x out
done_testing
