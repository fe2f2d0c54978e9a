#!/bin/sh
# Stage 1 outcomes: exit 100 or a signal death skips stage 2 (2.3.0), another failure goes on to stage 2; stage 3's code becomes the container exit code.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

stage 2 'echo two >>'"$T"'/log'
stage 3 'echo three >>'"$T"'/log; exit ${X3:-0}'

try() { # STAGE1-BODY: boots in container mode; sets RC, LOG
	rm -f "$T/log"; : >"$T/console"
	stage 1 "$1"
	boot "$RNG_BIN/runit"
	if wait_exit "$NS" 20; then RC=$EXITCODE; else RC=timeout; fi
	LOG=$(cat "$T/log" 2>/dev/null | tr '\n' ' ')
}

try 'exit 100'
is "$LOG" "three " "exit 100: stage 2 skipped"
ok "exit 100: child failed" console_has "- runit: warning: child failed: /etc/runit/1"
ok "exit 100: skipping message" console_has "- runit: warning: skipping stage 2..."
is "$RC" 0 "exit 100: runit exits 0 after a clean stage 3"

try 'kill -KILL $$'
is "$LOG" "three " "killed by a signal: stage 2 skipped (2.3.0)"
ok "killed by a signal: child crashed" console_has "- runit: warning: child crashed: /etc/runit/1"

try 'exit 5'
is "$LOG" "two three " "exit 5: stage 2 still runs"
ok "exit 5: child failed" console_has "- runit: warning: child failed: /etc/runit/1"
if console_has "skipping stage 2"; then ok "exit 5: no skipping message" false; else ok "exit 5: no skipping message" true; fi

export X3=7
try 'exit 0'
is "$RC" 7 "container mode: stage 3's exit code is runit's"
ok "stage 3 failure reported" console_has "- runit: warning: child failed: /etc/runit/3"
ok "exit announced" console_has "- runit: exit 7"
unset X3
done_testing
