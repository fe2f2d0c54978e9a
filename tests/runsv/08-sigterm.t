#!/bin/sh
# SIGTERM to runsv acts as x (D-runsv-14): TERM then CONT to the service, the log drains, exit 0; other signals keep their default.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'trap "echo TERM >>sigs; exit 0" TERM
trap "echo CONT >>sigs" CONT
echo up
while :; do sleep 0.05; done'
mkdir "$T/s/log"
script "$T/s/log/run" 'exec cat >out'
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run
wait_for 5 stat_is log run
lpid=$(cat log/supervise/pid)
kill -TERM "$RPID"
wait_exit "$RPID" 5
is "$EXITCODE" 0 "SIGTERM: runsv exits 0"
ok "the service got TERM" grep -q TERM sigs
ok "the log service has ended too" sh -c "! kill -0 $lpid 2>/dev/null"
is "$(cat log/out)" up "log drained"
is "$(cat supervise/stat)" down "main down"

# SIGTERM while down with want down: exits at once.
mksvc "$T/d" 'exec sleep 100'
touch "$T/d/down"
start_runsv "$T/d"
wait_for 5 stat_is "$T/d" down
kill -TERM "$RPID"
wait_exit "$RPID" 5
is "$EXITCODE" 0 "SIGTERM on a down service: exit 0"

# SIGHUP is not handled: default action.
start_runsv "$T/d"
kill -HUP "$RPID"
wait_exit "$RPID" 5
is "$EXITCODE" 129 "SIGHUP kills runsv (default disposition)"
done_testing
