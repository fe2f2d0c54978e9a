#!/bin/sh
# D-runsvdir-5..7: SIGHUP TERMs every runsv and exits 111, SIGTERM exits 0 leaving them, -P makes each runsv a session leader.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
addsvc "$T/sv" a
addsvc "$T/sv" b
cd "$T" || exit 1

# field N of /proc/PID/stat after the command name: 5 pgrp, 6 session (1-based from pid).
statf() { sed 's/^.*) //' "/proc/$1/stat" | awk -v f="$2" '{print $(f - 2)}'; }

# SIGHUP
spawn "$RNG_BIN/runsvdir" sv
p=$SPAWNED
wait_for 10 sh -c "grep -qs run sv/a/supervise/stat && grep -qs run sv/b/supervise/stat"
ok "HUP: both services run" test $? = 0
ra=$(kid_pid "$p" "runsv a") rb=$(kid_pid "$p" "runsv b")
sa=$(pgrep -P "$ra")
is "$(statf "$ra" 5)" "$(statf "$p" 5)" "without -P runsv stays in runsvdir's process group"
kill -HUP "$p"
wait_exit "$p" 10
is "$EXITCODE" 111 "HUP: runsvdir exits 111"
wait_for 10 sh -c "! kill -0 $ra 2>/dev/null && ! kill -0 $rb 2>/dev/null && ! kill -0 $sa 2>/dev/null"
ok "HUP: each runsv got TERM, stopped its service and exited" test $? = 0

# SIGTERM
rm -rf sv/a/supervise sv/b/supervise
spawn "$RNG_BIN/runsvdir" sv
p=$SPAWNED
wait_for 10 sh -c "grep -qs run sv/a/supervise/stat && grep -qs run sv/b/supervise/stat"
ok "TERM: both services run" test $? = 0
ra=$(kid_pid "$p" "runsv a") rb=$(kid_pid "$p" "runsv b")
kill -TERM "$p"
wait_exit "$p" 10
is "$EXITCODE" 0 "TERM: runsvdir exits 0"
sleep 0.3
ok "TERM: the runsv processes keep running" kill -0 "$ra" "$rb"
killtree "$ra" "$rb"

# -P
rm -rf sv/a/supervise sv/b/supervise
spawn "$RNG_BIN/runsvdir" -P sv
p=$SPAWNED
wait_for 10 sh -c "grep -qs run sv/a/supervise/stat && grep -qs run sv/b/supervise/stat"
ok "-P: both services run" test $? = 0
for n in a b; do
	r=$(kid_pid "$p" "runsv $n")
	is "$(statf "$r" 5) $(statf "$r" 6)" "$r $r" "-P: runsv $n has pid = pgid = sid"
done
like "$(tr '\0' ' ' <"/proc/$p/cmdline")" "^$RNG_BIN/runsvdir -P sv \$" "-P: command line shape kept"

# A runsv started after -P's first scan is a session leader too (restart path).
r=$(kid_pid "$p" "runsv a")
orphan=$(pgrep -P "$r")
kill -KILL "$r"
wait_for 5 sh -c "[ -n \"\$(ps -o pid= --ppid $p)\" ] && [ \"\$(ps -o pid=,args= --ppid $p | awk '\$3==\"a\" {print \$1}')\" != '' ] && [ \"\$(ps -o pid=,args= --ppid $p | awk '\$3==\"a\" {print \$1}')\" != $r ]"
r2=$(kid_pid "$p" "runsv a")
is "$(statf "$r2" 5) $(statf "$r2" 6)" "$r2 $r2" "-P: a restarted runsv is a session leader"
killtree $orphan
done_testing
