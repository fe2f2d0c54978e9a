#!/bin/sh
# tap.sh's clean-up kills only its own children's trees: a spawned pid that wait_exit already reaped may since belong to a stranger, who must survive.
. "$(dirname "$0")/tap.sh"

# A stranger: not our child (its parent exits at once, it is reparented).
sh -c 'sleep 1000 >/dev/null 2>&1 & echo $!' >"$T/pid"
stranger=$(cat "$T/pid")
ok "the stranger runs, not as our child" sh -c "[ \"\$(awk '/^PPid:/ {print \$2}' /proc/$stranger/status)\" != $$ ]"

# A test whose spawned child ended, was reaped, and whose pid the stranger
# now has: its clean-up runs (in a subshell, with a scratch directory of its own).
spawn true
wait_exit "$SPAWNED" 10
(
	T=$(mktemp -d)
	_tap_pids="$_tap_pids $stranger"
	_tap_cleanup
	trap - EXIT
)
# Alive, not a zombie its new parent has not reaped yet.
alive() { kill -0 "$1" 2>/dev/null && ! grep -qs '^State:.*Z' "/proc/$1/status"; }
ok "the stranger survives the clean-up" alive "$stranger"
kill "$stranger"
done_testing
