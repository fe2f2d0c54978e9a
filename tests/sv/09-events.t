#!/bin/sh
# sv waits on events, not a clock: it notices a new status record, a departed runsv and a passing check long before the timeout, stays idle meanwhile, and still works with no inotify or fds to spare.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
fake "$T/f"
setrec f 5 0 0 u 0 0

# a status change ends the wait
(sleep 0.5; setrec f 0 4711 0 u 0 1) &
out=$("$SV" -w 30 up ./f); rc=$?
like "$rc:$out" '^0:ok: run: \./f: \(pid 4711\) [0-9]+s$' "a new status record is noticed"

# idle while waiting: CPU time stays tiny over a 2.5 s timeout
setrec f 5 0 0 u 0 0
/usr/bin/time -f '%U %S' -o cpu "$SV" -w 2 up ./f >out; rc=$?
like "$rc:$(cat out)" '^1:timeout: down: \./f: ' "times out when nothing happens"
ok "no busy loop while waiting" awk '{ exit !($1 + $2 < 0.3) }' cpu

# the runsv leaving (x) is noticed through the ok FIFO
service s
up runsv "$T/s"
spawn "$SV" -w 60 exit ./s >out
ok "exit returns when runsv ends, not at the timeout" wait_exit "$SPAWNED" 15
is "$EXITCODE" 0 "exit: rc 0"

# runsv dying while sv waits for something else: fail at once
fake "$T/g"
setrec g 5 0 0 u 0 0
spawn "$SV" -w 60 up ./g >out
svpid=$SPAWNED
sleep 0.3
for p in $(pgrep -f "sleep 1000"); do
	# only the holder of g's ok FIFO, which this test started
	[ "$(readlink "/proc/$p/fd/0" 2>/dev/null)" = "$T/g/supervise/ok" ] && kill "$p"
done
ok "a vanished runsv ends the wait" wait_exit "$svpid" 15
is "$EXITCODE" 1 "vanished runsv: rc 1"

# without inotify or spare descriptors sv falls back to polling
setrec f 5 0 0 u 0 0
(sleep 0.5; setrec f 0 4712 0 u 0 1) &
sh -c 'ulimit -n 6 && exec "$@"' _ "$SV" -w 30 up ./f >out 2>&1; rc=$?
like "$rc:$(cat out)" '^0:ok: run: \./f: \(pid 4712\) [0-9]+s$' "fallback polling with 6 fds"
done_testing
