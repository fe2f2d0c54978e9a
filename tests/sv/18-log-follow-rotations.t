#!/bin/sh
# sv log across many fast rotations: -f prints every line once and in order whatever svlogd rotates between sv's looks, and a plain sv log during the writes shows lines 1..K with no gap (a property at scale: 200,000 lines, a rotation every ~4 KiB).
. "$(dirname "$0")/../lib/tap.sh"

SV=$RNG_BIN/sv
N=${SV_FOLLOW_LINES:-200000}
[ -n "${RNG_ASAN:-}" ] && N=50000
export SVDIR=$T
cd "$T" || exit 1
# No runsv: sv log reads log/main, where this svlogd writes.
mkdir -p svc/log/main
printf 's4096\nn100000\n' >svc/log/main/config # keep every rotated file: none is pruned before sv reads it
: >svc/log/main/current

spawn "$SV" -f -n 0 log svc >follow.out 2>follow.err
fpid=$SPAWNED
# sv -f watches the directory before its first look: wait until it holds an inotify fd
ok "sv log -f follows" wait_for 5 sh -c "ls -l /proc/$fpid/fd 2>/dev/null | grep -qs inotify"
seq 1 "$N" | "$RNG_BIN/svlogd" svc/log/main
rotations=$(ls svc/log/main | grep -c '^@')
ok "svlogd rotated many times ($rotations)" test "$rotations" -ge 20
ok "sv log -f printed $N lines" wait_for 60 sh -c "[ \$(wc -l <follow.out) -ge $N ]"
kill -TERM "$fpid"
ok "TERM ends it" wait_exit "$fpid" 5
seq 1 "$N" >want
if cmp -s want follow.out; then ok "every line once, in order" true; else
	ok "every line once, in order" false
	diag "$(diff want follow.out | head -n 10)"
fi
is "$(cat follow.err)" "" "no warning"

# Snapshots while svlogd writes and rotates: each is lines 1..K, no gap
# (current is opened before the rotated files are listed).
rm -rf svc/log/main/@* svc/log/main/current
perl -e '$| = 1; for (1 .. $ARGV[0]) { print "$_\n"; select(undef, undef, undef, 0.001) if $_ % 100 == 0 }' "$N" |
    "$RNG_BIN/svlogd" svc/log/main &
wpid=$!
snaps=0 gaps=0
while kill -0 "$wpid" 2>/dev/null && [ "$snaps" -lt 400 ]; do
	"$SV" log svc >snap 2>>snap.err
	awk 'NR != $0 { exit 1 }' snap || { gaps=$((gaps + 1)); cp snap gap.$gaps; }
	snaps=$((snaps + 1))
done
wait "$wpid"
ok "sv log during the writes: $snaps snapshots taken" test "$snaps" -ge 5
is "$gaps" 0 "every snapshot is lines 1..K with no gap"
is "$(cat snap.err)" "" "no warning"
done_testing
