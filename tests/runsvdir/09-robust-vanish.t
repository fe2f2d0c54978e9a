#!/bin/sh
# Robustness: a service directory that vanishes (also while its runsv is dead) is forgotten, its runsv TERMed, and runsvdir keeps going.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
addsvc "$T/sv" a
addsvc "$T/sv" b
addsvc "$T/sv" c
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 sh -c "cat sv/a/supervise/stat sv/b/supervise/stat sv/c/supervise/stat 2>/dev/null | grep -c run | grep -qx 3"
ok "three services run" test $? = 0

# Vanishes while supervised: runsv gets TERM and takes the service down.
ra=$(kid_pid "$p" "runsv a")
sa=$(pgrep -P "$ra")
rm -rf sv/a
wait_for 3 gone "$ra"
ok "vanished dir: its runsv exits" test $? = 0
wait_for 5 gone "$sa"
ok "vanished dir: its service process is gone" test $? = 0

# Vanishes at the same moment its runsv dies: not restarted, no error loop.
rb=$(kid_pid "$p" "runsv b")
sb=$(pgrep -P "$rb")
mv sv/b "$T/b.gone"
kill -KILL "$rb"
sleep 1.3
ok "vanished dir with a dead runsv: nothing restarted for it" no_kid "$p" "runsv b"
killtree $sb

# Still working: a new one arrives, the untouched one still runs.
addsvc sv d
wait_for 3 has_kid "$p" "runsv d"
ok "runsvdir still picks up new services" test $? = 0
ok "the untouched service still runs" has_kid "$p" "runsv c"
ok "runsvdir still alive" kill -0 "$p"
is "$(grep -v '^runsv ' "$T/err")" "" "no runsvdir warning for any of it"
done_testing
