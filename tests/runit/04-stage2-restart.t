#!/bin/sh
# Stage 2 ending with 111, or killed by a signal (2.3.0), gets its process group KILLed and is restarted after 5 s; a plain exit goes to stage 3.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

stage 1 ':'
stage 2 'n=$(cat '"$T"'/count 2>/dev/null || echo 0); n=$((n + 1)); echo $n >'"$T"'/count
if [ -e '"$T"'/bgpid ]; then kill -0 $(cat '"$T"'/bgpid) 2>/dev/null && echo alive >>'"$T"'/log || echo gone >>'"$T"'/log; fi
sleep 100 & echo $! >'"$T"'/bgpid
case $n in 1) exit 111;; 2) kill -KILL $$;; esac
exit 0'
stage 3 'echo three >>'"$T"'/log'

boot "$RNG_BIN/runit"
ok "runit ends" wait_exit "$NS" 25
is "$EXITCODE" 0 "exit code 0"
is "$(cat "$T/count")" 3 "stage 2 ran three times"
is "$(tr '\n' ' ' <"$T/log")" "gone gone three " "stage 2's process group was killed before each restart"
ok "exit 111 reported" console_has "- runit: warning: child failed: /etc/runit/2"
ok "signal death reported" console_has "- runit: warning: child crashed: /etc/runit/2"
is "$(grep -c 'killing all processes in stage 2\.\.\.' "$T/console")" 2 "both times: killing message"
is "$(grep -c -- '- runit: warning: restarting\.' "$T/console")" 2 "both times: restarting message"
is "$(grep -c 'leave stage: /etc/runit/2' "$T/console")" 1 "leave stage only after the last run"
done_testing
