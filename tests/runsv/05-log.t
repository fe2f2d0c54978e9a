#!/bin/sh
# Log service: the pipe survives restarts of either side, log control FIFO, log/down and the pid-file quirk (D-runsv-10), exit with log (D-runsv-15).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo "start $$"
trap "echo hup" HUP
while :; do sleep 0.05; done'
mkdir "$T/s/log"
script "$T/s/log/run" 'echo $$ >>starts; exec cat >>out'
cd "$T/s" || exit 1
start_runsv "$T/s"
ok "main output reaches the log service" wait_for 5 grep -qs start log/out
ok "log cwd is log/, log stat run" wait_for 5 stat_is log run
lpid=$(cat log/supervise/pid)
ok "log pid file holds the log's pid" test "$lpid" = "$(cat log/starts)"

ctl . t
ok "after a main restart the new output arrives" wait_for 5 has_lines log/out 2
is "$(cat log/supervise/pid)" "$lpid" "log service not restarted by a main restart"

ctl log k
ok "log killed with k on log/supervise/control restarts" wait_for 5 has_lines log/starts 2
ctl . h
ok "main output written after the log restart arrives" wait_for 5 grep -qs hup log/out

ctl log x
sleep 0.3
is "$(cat log/supervise/stat)" run "x on the log control FIFO is ignored"
ctl log d
ok "d on the log slot takes it down" wait_for 5 stat_is log down
ctl . h
ctl log u
ok "u brings it back; output written meanwhile is kept in the pipe" wait_for 5 sh -c "[ \$(grep -c hup log/out) -ge 2 ]"

# D-runsv-15: x with a running log: main stops, log sees EOF, runsv exits.
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0 once the log service has drained"
is "$(cat log/supervise/stat)" down "log stat down"
is "$(tail -n 1 log/out)" hup "everything the main service wrote is in the log"
out=$("$SV" status "$T/s" 2>&1)
is "$out" "fail: $T/s: runsv not running" "sv status afterwards: runsv not running"

# D-runsv-10: log/down: no log/supervise/pid at startup (shared pid-changed flag).
mksvc "$T/d" 'exec sleep 100'
mkdir "$T/d/log"
script "$T/d/log/run" 'exec cat >>out'
touch "$T/d/log/down"
cd "$T/d" || exit 1
start_runsv "$T/d"
wait_for 5 stat_is . run
ok "log/supervise has control, lock, ok, stat, status" test -p log/supervise/control -a -p log/supervise/ok -a -f log/supervise/lock -a -f log/supervise/stat -a -f log/supervise/status
ok "but no pid file" test ! -e log/supervise/pid
is "$(cat log/supervise/stat)" down "log stat down"
is "$(status_hex log 17 19)" "64 00 00" "log status: want d, down"
ctl log u
ok "log started with u" wait_for 5 stat_is log run
ok "now the log pid file appears" wait_for 5 test -s log/supervise/pid
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "runsv exits"
is "$(cat "$T/stderr" 2>/dev/null)" "" "nothing on stderr"
done_testing
