#!/bin/sh
# Idle runsv never wakes up (no periodic timer), also with readiness and kill-tree; during the 1-second hold it still serves control bytes at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

# quiet DIR DESC: RPID (on DIR) switches no context for 1.4 s; then it exits.
quiet() {
	_a=$(ctx_switches "$RPID")
	sleep 1.4
	_b=$(ctx_switches "$RPID")
	is "$((_b - _a))" 0 "$2: no wake-ups in 1.4 s (context switches $_a -> $_b)"
	ctl "$1" x
	wait_exit "$RPID" 5
}

mksvc "$T/s" 'exec sleep 100'
mkdir "$T/s/log"
script "$T/s/log/run" 'exec cat >/dev/null'
start_runsv "$T/s"
wait_for 5 stat_is "$T/s" run
wait_for 5 stat_is "$T/s/log" run
quiet "$T/s" "idle"

# Nor does a runsv whose service declared readiness, is ready, and runs in a
# cgroup of its own (kill-tree): readiness and the cgroup cost no timer.
mksvc "$T/r" 'echo >&3; exec sleep 100'
echo 3 >"$T/r/notification-fd"
touch "$T/r/kill-tree"
start_runsv "$T/r"
wait_for 5 grep -qs '^ready_since=.' "$T/r/supervise/info"
quiet "$T/r" "ready and with kill-tree"

# While the main slot waits out the 1-second rule, a command is acted on
# without waiting for the second to pass: p is reflected before the next run.
mksvc "$T/q" 'date +%s%N >>runs; exit 0'
cd "$T/q" || exit 1
start_runsv "$T/q"
wait_for 5 has_lines runs 2
# A blocking sleep would leave "down, paused" visible for microseconds only.
# A p that lands while the short-lived ./run runs stops it instead (then c
# lets it go on), and one landing at the very end of a hold may also be
# missed, so allow a few tries.
seen=0
for try in 1 2 3 4 5; do
	n=$(lines runs)
	ctl . p
	if wait_for 0.4 stat_is . "down, paused" && [ "$(lines runs)" = "$n" ]; then
		seen=1
		break
	fi
	ctl . c
done
is "$seen" 1 "the paused flag shows up during the hold, before the next start"
ctl . d
wait_for 5 stat_is . "down"
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
