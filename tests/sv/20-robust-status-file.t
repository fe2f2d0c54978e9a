#!/bin/sh
# sv robustness: supervise/status of the wrong size, garbage bytes, a 1 MB file, a FIFO in its place: a warning line, never a crash or a hang.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
fake "$T/f"
bad='warning: ./f: unable to read supervise/status: bad format'
for n in 0 1 19 21 40; do
	head -c "$n" /dev/urandom >f/supervise/status
	out=$("$SV" status ./f 2>&1); rc=$?
	is "$rc:$out" "1:$bad" "$n-byte status: bad format"
done
head -c 1048576 /dev/zero >f/supervise/status
out=$("$SV" -w 1 up ./f 2>&1); rc=$?
is "$rc:$out" "1:$bad" "1 MB status: bad format, nothing sent"
for i in 1 2 3 4 5 6 7 8; do
	head -c 20 /dev/urandom >f/supervise/status
	out=$("$SV" status ./f 2>&1); rc=$?
	like "$rc:$out" '^0:' "random 20-byte record $i is printed, rc 0"
done
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' >f/supervise/status
out=$("$SV" status ./f 2>&1); rc=$?
is "$rc:$out" "0:./f: (pid 4294967295) 0s, paused, got TERM" "all-ones record"
out=$("$SV" -w 0 term ./f 2>&1); rc=$?
like "$rc:$out" '^1:timeout: ' "waiting on a garbage record times out"
rm f/supervise/status; mkfifo f/supervise/status
spawn sh -c 'exec sleep 1000 <>"$1"' _ "$T/f/supervise/status"
holder=$SPAWNED
holds_fifo() { [ "$(readlink /proc/$holder/fd/0)" = "$T/f/supervise/status" ]; }
ok "a writer holds the FIFO" wait_for 5 holds_fifo
spawn "$SV" status ./f >out 2>&1
ok "a FIFO as status does not hang sv" wait_exit "$SPAWNED" 5
is "$EXITCODE:$(cat out)" "1:warning: ./f: unable to read supervise/status: temporary failure" "FIFO status: read warning"
done_testing
