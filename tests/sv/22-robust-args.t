#!/bin/sh
# sv robustness: missing service dirs, a file as service, a huge number of operands (count capped at 99), -w and SVWAIT garbage.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
out=$("$SV" status ./nope 2>&1); rc=$?
is "$rc:$out" "1:fail: ./nope: unable to change to service directory: file does not exist" "missing service dir"
touch afile
out=$("$SV" up ./afile 2>&1); rc=$?
is "$rc:$out" "1:fail: ./afile: unable to change to service directory: not a directory" "a file as service"
mkdir plain
out=$("$SV" up ./plain 2>&1); rc=$?
is "$rc:$out" "1:warning: ./plain: unable to open supervise/ok: file does not exist" "a directory never supervised"
out=$(SVDIR= "$SV" status x 2>&1); rc=$?
is "$rc:$out" "1:fail: x: unable to change to service directory: file does not exist" "empty SVDIR"

n=20000; [ "${RNG_ASAN:-0}" = 1 ] && n=3000
set -- $(seq "$n" | sed 's|^|./none|')
"$SV" status "$@" >out 2>&1; rc=$?
is "$rc" 99 "$n missing services: rc capped at 99"
is "$(wc -l <out | tr -d ' ')" "$n" "one line per operand"

fake "$T/f"
setrec f 3 0 0 u 0 0
set -- $(yes ./f | head -n 2000)
"$SV" -w 0 up "$@" >out 2>&1; rc=$?
is "$rc" 99 "2000 waiting operands time out, rc 99"
is "$(grep -c '^timeout: down: \./f: ' out)" 2000 "each operand reports its timeout"

for w in garbage -1 '' 0x10 99999999999999999999999; do
	out=$("$SV" -w "$w" status ./f 2>&1); rc=$?
	like "$rc:$out" '^0:down: \./f: ' "-w '$w' is accepted as a number prefix"
done
out=$(SVWAIT=junk "$SV" -v up ./f 2>&1); rc=$?
like "$rc:$out" '^1:timeout: down: \./f: ' "SVWAIT junk means 0 seconds"
out=$("$SV" -w junk -v up ./f 2>&1); rc=$?
like "$rc:$out" '^1:timeout: down: \./f: ' "-w junk means 0 seconds"
spawn "$SV" -w 99999999999999999999999 -v up ./f
pid=$SPAWNED
sleep 1
ok "a huge -w keeps waiting" kill -0 "$pid"
done_testing
