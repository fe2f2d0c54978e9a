#!/bin/sh
# sv waits on events, not a clock: it notices a new status record and a departed runsv at once, follows a runsv replaced while it waits, stays idle meanwhile, and still works with no inotify or fds to spare.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
# a live process for the records to name: the settle rule looks it up in /proc
spawn sleep 1000
LIVE=$SPAWNED

fake "$T/f"
setrec f 5 0 0 u 0 0

# a status change ends the wait
(sleep 0.5; setrec f 10 "$LIVE" 0 u 0 1) &
out=$("$SV" -w 30 up ./f); rc=$?
like "$rc:$out" "^0:ok: run: \\./f: \\(pid $LIVE\\) [0-9]+s\$" "a new status record is noticed"

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

# runsv dying while sv waits for something else: sv waits for a new one
# until the timeout, then says what runit says
fake "$T/g"
setrec g 5 0 0 u 0 0
spawn "$SV" -w 1 up ./g >out
svpid=$SPAWNED
wait_for 5 sh -c 'ls -l /proc/$1/fd 2>/dev/null | grep -qs inotify' _ "$svpid"
kill "$OKPID"
ok "a runsv that does not come back: the wait ends at the timeout" wait_exit "$svpid" 15
is "$EXITCODE:$(cat out)" "1:fail: ./g: runsv not running" "runit's line and exit code"

# a runsv that is not replaced costs about two seconds, not the whole -w;
# its fail line comes where runit prints it: before the lines of services
# that got there after it was found gone
fake "$T/i"
iok=$OKPID
fake "$T/j"
setrec i 5 0 0 u 0 0
setrec j 5 0 0 u 0 0
spawn "$SV" -w 60 up ./i ./j >out
svpid=$SPAWNED
wait_for 5 sh -c 'ls -l /proc/$1/fd 2>/dev/null | grep -qs inotify' _ "$svpid"
kill "$iok"
ok "i's runsv is gone" wait_for 5 sh -c '"$1" status ./i | grep -qs "runsv not running"' _ "$SV"
setrec j 10 "$LIVE" 0 u 0 1
ok "-w 60: a runsv gone for good ends the wait long before the timeout" wait_exit "$svpid" 20
like "$EXITCODE:$(cat out | tr '\n' '|')" "^1:fail: \\./i: runsv not running\\|ok: run: \\./j: \\(pid $LIVE\\) [0-9]+s\\|\$" \
    "runit's fail line first, then j's ok, and rc 1"

# replaced while sv waits (runsvdir starting a new runsv): sv goes on with
# the new one, and does not spin meanwhile
fake "$T/h"
setrec h 5 0 0 u 0 0
spawn "$SV" -w 30 up ./h >out
svpid=$SPAWNED
wait_for 5 sh -c 'ls -l /proc/$1/fd 2>/dev/null | grep -qs inotify' _ "$svpid"
kill "$OKPID"
ok "the old runsv is gone" wait_for 5 sh -c '"$1" status ./h | grep -qs "runsv not running"' _ "$SV"
t0=$(cpu_ticks "$svpid")
sleep 0.5 # a gap before the new runsv (under the 2 s sv allows): sv sleeps through it
t1=$(cpu_ticks "$svpid")
ok "no CPU while no runsv runs ($((t1 - t0)) ticks)" test $((t1 - t0)) -le 2
ok "still waiting" kill -0 "$svpid"
hold_ok "$T/h"
setrec h 10 "$LIVE" 0 u 0 1
ok "the wait ends with the new runsv's record" wait_exit "$svpid" 10
like "$EXITCODE:$(cat out)" "^0:ok: run: \\./h: \\(pid $LIVE\\) [0-9]+s\$" "ok from the new runsv"

# without inotify or spare descriptors sv falls back to polling
setrec f 5 0 0 u 0 0
(sleep 0.5; setrec f 10 "$LIVE" 0 u 0 1) &
sh -c 'ulimit -n 6 && exec "$@"' _ "$SV" -w 30 up ./f >out 2>&1; rc=$?
like "$rc:$(cat out)" "^0:ok: run: \\./f: \\(pid $LIVE\\) [0-9]+s\$" "fallback polling with 6 fds"
done_testing
