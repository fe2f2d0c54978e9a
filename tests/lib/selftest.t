#!/bin/sh
# The shell test library itself: deadlines, spawn and cleanup.
. "$(dirname "$0")/tap.sh"

ok "scratch dir exists" test -d "$T"
spawn sleep 100
p=$SPAWNED
ok "spawned child runs" kill -0 $p
start=$(date +%s%N)
wait_for 0.2 false
r=$?
is "$r" 1 "wait_for returns 1 after the deadline"
ok "wait_for returned within a bounded time" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 5000
kill $p
ok "wait_exit reaps" wait_exit $p 5
is "$EXITCODE" 143 "exit code of a TERMed child"
is "${PATH%%:*}" "$RNG_BIN" "our build is first in PATH"
done_testing
