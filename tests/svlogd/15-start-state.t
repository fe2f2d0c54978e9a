#!/bin/bash
# What svlogd finds at start-up: a processor's hand-over cut by a kill is finished (no line kept twice); a current that is a directory pauses svlogd until it can write, then every line is written; config values past what fits saturate, with a warning, instead of wrapping.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
has() { grep -q "$2" "$1" 2>/dev/null; }

# 6. a processor killed between renaming @X.t to @X.s and unlinking @X.u:
# both hold the same lines; the next svlogd finishes the hand-over
mkdir p
printf '!cat\n' > p/config
name=@400000006b0000000000000a
printf 'one\ntwo\n' > p/$name.u
printf 'one\ntwo\n' > p/$name.s
printf 'its state\n' > p/newstate
printf 'three\n' | $SVLOGD p 2> p.err
is "$(ls p | grep -c "^$name")" 1 "the processed lines are kept once"
ok "as the processor's output, @X.s" test -e p/$name.s
is "$(cat p/state 2>/dev/null)" "its state" "newstate became state"
like "$(cat p.err)" "processed before a kill, finish: p/$name.s" "with a warning"

# 9. current is a directory, and no other directory: svlogd pauses (no exit,
# the input not read) and writes every line once current can be opened
mkdir c c/current
exec 3< <(printf 'kept 1\nkept 2\n'; exec sleep 100000)
_tap_pids="$_tap_pids $!"
spawn sh -c "exec $SVLOGD c <&3 2> c.err"
pid=$SPAWNED
wait_for 10 has c.err 'pausing: unable to open current: c: is a directory'
ok "a current that is a directory: svlogd pauses, still running" kill -0 $pid
c1=$(cpu_ticks $pid); sleep 1; c2=$(cpu_ticks $pid)
ok "no busy loop while paused ($((c2 - c1)) cpu ticks in a second)" [ $((c2 - c1)) -le 5 ]
rmdir c/current
ok "and writes the lines once current can be opened" wait_for 10 has c/current 'kept 2'
is "$(cat c/current)" "kept 1
kept 2" "every line, once"
kill -TERM $pid; wait_exit $pid 5
exec 3<&-
# among working directories, the bad one is set aside (as before)
mkdir c2 c3 c3/current
printf 'x\n' | $SVLOGD c2 c3 2> c2.err
is "$(cat c2/current)" x "a bad current beside a good directory: the good one is written"

# 8. config values that do not fit: saturated, with a warning, no wrap; no
# rotation from a wrapped size or an overflowed age
mkdir s
printf 's18014398509481984k\nt4611686018427387904\n' > s/config
seq 1 2000 | $SVLOGD s 2> s.err
is "$(ls s | grep -c '^@')" 0 "a size of 2^64 (k) and an age of 2^62 s: no rotation"
is "$(grep -c 'config value too large, using the largest: s: ' s.err)" 2 "one warning per value"
is "$(wc -l < s/current)" 2000 "every line written"
done_testing
