#!/bin/sh
# supervise/ contents after startup: modes and types (D-runsv-1), status bytes (D-runsv-2), pid, stat, ok liveness.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

umask 022
mksvc "$T/s" 'echo $$ >pid.seen; exec sleep 100'
before=$(date +%s)
start_runsv "$T/s"
wait_for 5 stat_is "$T/s" run
wait_for 5 test -s "$T/s/pid.seen"
after=$(date +%s)
S=$T/s/supervise

is "$(stat -c %a "$S")" 700 "supervise/ is mode 0700"
is "$(stat -c '%F %a %s' "$S/control")" "fifo 600 0" "control is a FIFO, 0600"
is "$(stat -c '%F %a %s' "$S/ok")" "fifo 600 0" "ok is a FIFO, 0600"
is "$(stat -c '%F %a %s' "$S/lock")" "regular empty file 600 0" "lock is an empty file, 0600"
is "$(stat -c '%a %s' "$S/status")" "644 20" "status is 20 bytes, 0644"
is "$(stat -c %a "$S/stat")" 644 "stat is 0644"
is "$(stat -c %a "$S/pid")" 644 "pid is 0644"
pid=$(cat "$T/s/pid.seen")
is "$(cat "$S/pid")" "$pid" "pid file holds the child's pid"
is "$(od -An -c "$S/pid" | tr -d ' ' | tail -c 3)" '\n' "pid file ends in a newline"
is "$(cat "$S/stat")" run "stat reads run"
ls "$S" | grep -q '\.new$'
ok "no .new files left behind" [ $? -ne 0 ]

le=$(printf '%08x' "$pid" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4 \3 \2 \1/')
is "$(status_hex "$T/s" 12 19)" "$le 00 75 00 01" "bytes 12-19: pid little-endian, not paused, want u, no TERM, run"
is "$(status_hex "$T/s" 0 3)" "40 00 00 00" "bytes 0-3 are the TAI64 high word"
secs=$(( 0x$(status_hex "$T/s" 4 7 | tr -d ' ') - 10 ))
ok "bytes 4-7 are the start time in unix seconds + 10" test "$secs" -ge "$before" -a "$secs" -le "$after"
nano=$(( 0x$(status_hex "$T/s" 8 11 | tr -d ' ') ))
is "$((nano % 1000))" 500 "nanoseconds end in 500"
ok "nanoseconds below 10^9" [ "$nano" -lt 1000000000 ]

ok "ok FIFO has a reader while runsv runs" alive "$T/s"
ok "supervise/lock is held" sh -c "! flock -n '$S/lock' true"

ctl "$T/s" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0"
ok "no reader on ok after exit" dead "$T/s"
is "$(cat "$S/stat")" down "stat reads down after exit"
is "$(stat -c %s "$S/pid")" 0 "pid file is empty after exit"
ok "files kept after exit" test -p "$S/control" -a -p "$S/ok" -a -f "$S/lock"
is "$(cat "$T/stderr" 2>/dev/null)" "" "nothing on stderr"
done_testing
