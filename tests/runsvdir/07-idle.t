#!/bin/sh
# Truly idle: with nothing changing runsvdir does not wake up at all (voluntary context switches stay put), with and without a LOG title.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
addsvc "$T/sv" a
addsvc "$T/sv" b
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
spawn "$RNG_BIN/runsvdir" sv2 "log: ............................................" 2>"$T/err"
pl=$SPAWNED
mkdir sv2
addsvc sv2 c
wait_for 10 sh -c "cat sv/a/supervise/stat sv/b/supervise/stat sv2/c/supervise/stat 2>/dev/null | grep -c run | grep -qx 3"
ok "services run" test $? = 0

# Give the last events a moment to be consumed, then watch for 1.4 s.
wait_for 5 sh -c "[ \"\$(awk '/^State/ {print \$2}' /proc/$p/status)\" = S ]"
w0=$(voluntary_switches "$p") l0=$(voluntary_switches "$pl")
sleep 1.4
w1=$(voluntary_switches "$p") l1=$(voluntary_switches "$pl")
is "$((w1 - w0))" 0 "no wake-ups in 1.4 s idle"
is "$((l1 - l0))" 0 "no wake-ups in 1.4 s idle with a LOG title"

# And it is not a dead process: a change wakes it.
addsvc sv d
wait_for 3 has_kid "$p" "runsv d"
ok "a change still wakes it" test $? = 0
ok "the wake-up counter moved" test "$(voluntary_switches "$p")" -gt "$w1"
done_testing
