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
# Cleanup must also get what a supervisor restarts while it is being killed.
cat >"$T/inner.t" <<'INNER'
#!/bin/sh
. "$RNG_TOP/tests/lib/tap.sh"
spawn sh -c 'while :; do sleep 100 & echo $! >>"$0"; wait; done' "$1"
wait_for 5 test -s "$1"
echo "outer=$SPAWNED"
INNER
chmod +x "$T/inner.t"
outer=$("$T/inner.t" "$T/kids" | sed -n 's/^outer=//p')
none_alive() {
	for p in $outer $(cat "$T/kids"); do
		[ ! -d /proc/$p ] || grep -q '^State:.*Z' /proc/$p/status 2>/dev/null || return 1
	done
}
ok "cleanup killed a restarting tree" wait_for 5 none_alive
done_testing
