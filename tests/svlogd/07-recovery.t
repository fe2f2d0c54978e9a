#!/bin/sh
# Recovery after a kill: a line cut mid-way is continued in the same current; a torn batch (per the record in lock) is cut off.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1

mkdir c
printf 'whole\nhalf a li' > c/current
chmod 644 c/current
printf 'ne\nnext\n' | $SVLOGD c
is "$(cat c/current)" "whole
half a line
next" "an unfinished last line is continued, not set aside"
is "$(ls c | grep -c '^@')" 0 "no .u file for it"

mkdir r
printf 'good\ntorn-wri' > r/current
chmod 644 r/current
u64() { printf "\\$(printf %03o "$1")\\0\\0\\0\\0\\0\\0\\0"; }
# record: magic, input length, hash, size before, size after the write
{ printf svlogdR1; u64 10; u64 0; u64 5; u64 30; } > r/lock
printf 'torn-write\n' | $SVLOGD r
is "$(cat r/@*.u)" "good" "the torn write was cut off before the file was set aside"
is "$(cat r/current)" "torn-write" "and written again whole"
is "$(od -An -c -N8 r/lock | tr -d ' ')" '\0\0\0\0\0\0\0\0' "the record is cleared"
done_testing
