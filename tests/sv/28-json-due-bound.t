#!/bin/sh
# sv -o json status with many services whose supervise/info is ahead of status for good (Debian's runsv after the clock stepped back; info left by another runsv): the wait for a record that does not come is bounded for the whole command, not paid per service. Counted as sv's sleeps (voluntary context switches), never as time.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
[ -x /usr/bin/time ] || skip_all "/usr/bin/time not installed"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
N=30
ahead=$(( $(date +%s) + 3600 ))
i=0
while [ $i -lt $N ]; do
	fake s$i
	setrec s$i 5 0 0 u 0 0
	printf 'pid=4242\nsince=%s.000000000\nstarts=1\n' "$ahead" >s$i/supervise/info
	i=$((i + 1))
done
names=$(i=0; while [ $i -lt $N ]; do printf 's%s ' $i; i=$((i + 1)); done)

/usr/bin/time -f '%w' -o sleeps "$SV" -o json status $names >json.out 2>json.err
is "$(grep -c '"state":"down"' json.out)" "$N" "every service shown, with the record it has"
sleeps=$(cat sleeps)
diag "sv slept $sleeps times for $N services (one bounded wait: a few; per service: $((2 * N)) or more)"
ok "the wait is bounded once for the command ($sleeps sleeps, at most 10)" test "$sleeps" -le 10
/usr/bin/time -f '%w' -o sleeps "$SV" -o prom status $names >prom.out 2>prom.err
ok "prom too ($(cat sleeps) sleeps)" test "$(cat sleeps)" -le 10
done_testing
