#!/bin/sh
# Orphans reparented to process no. 1 are reaped at once, in stage 2 and during the 5 s stage-2 restart pause.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

stage 1 ':'
stage 2 'n=$(cat '"$T"'/count 2>/dev/null || echo 0); n=$((n + 1)); echo $n >'"$T"'/count
i=0; while [ $i -lt 20 ]; do setsid sh -c "sh -c \"sleep 0.\$((i % 5 + 1))\" & exit 0" & i=$((i + 1)); done
wait
[ $n -gt 1 ] || { touch '"$T"'/orphans1; exit 111; }
touch '"$T"'/orphans2; exec sleep 100'
stage 3 ':'

boot "$RNG_BIN/runit"
ok "first orphans made" wait_for 10 test -e "$T/orphans1"
ok "restart pause entered" wait_for 10 console_has "killing all processes in stage 2"
ip=$(init_pid)
ok "orphans ended and reaped during the restart pause" wait_for 3 sh -c "[ -z \"\$(pgrep -P $ip)\" ]"
if console_has "restarting."; then skip "machine too slow to check inside the pause"; else ok "still in the pause" true; fi
ok "second orphans made" wait_for 15 test -e "$T/orphans2"
sleep 0.7 # the orphans end
ok "orphans reaped in stage 2" wait_for 3 no_zombies
ok "no orphans left at all" wait_for 3 sh -c "[ \$(pgrep -P $(init_pid) | wc -l) -eq 1 ]"
done_testing
