#!/bin/sh
# Robustness: a killed runsv is restarted promptly (runit: up to 6 s); one that keeps dying is restarted at most once a second.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
addsvc "$T/sv" a
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 grep -qs run sv/a/supervise/stat
ok "service runs" test $? = 0
wait_for 10 sh -c "[ \$(( \$(date +%s) - \$(stat -c %Y sv/a/supervise/stat) )) -ge 1 ]"
r=$(kid_pid "$p" "runsv a")
orphan=$(pgrep -P "$r")
kill -KILL "$r"
wait_for 3 sh -c "r2=\$(ps -o pid=,args= --ppid $p | awk '\$3 == \"a\" {print \$1}'); [ -n \"\$r2\" ] && [ \"\$r2\" != $r ]"
ok "a killed runsv is back within 3 s" test $? = 0
killtree $orphan
ok "runsvdir is still alive" kill -0 "$p"

# A runsv that dies at once, every time: count its starts.
mkdir "$T/fakebin" "$T/sv2"
printf '#!/bin/sh\necho start >>"%s/starts"\nexit 1\n' "$T" >"$T/fakebin/runsv"
chmod +x "$T/fakebin/runsv"
addsvc "$T/sv2" crashy
PATH=$T/fakebin spawn "$RNG_BIN/runsvdir" sv2 2>"$T/err2"
p2=$SPAWNED
wait_for 10 test -s "$T/starts"
ok "the crashing runsv was started" test $? = 0
n0=$(grep -c . "$T/starts") c0=$(cpu_ticks "$p2")
sleep 1.4
n1=$(grep -c . "$T/starts")
ok "restarted about once a second: 1 or 2 in 1.4 s (got $((n1 - n0)))" test $((n1 - n0)) -ge 1 -a $((n1 - n0)) -le 2
ok "no busy loop" test $(( $(cpu_ticks "$p2") - c0 )) -le 10
done_testing
