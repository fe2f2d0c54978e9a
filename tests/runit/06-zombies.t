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
# Inside the pause runit has no children at all once the orphans are reaped.
# On a badly overloaded machine the pause may end first: then this proves nothing.
childless_or_restarted() { [ -z "$(pgrep -P "$ip")" ] || console_has "restarting."; }
wait_for 5 childless_or_restarted
if [ -z "$(pgrep -P "$ip")" ] && ! console_has "restarting."; then
	ok "orphans ended and reaped during the restart pause" true
elif console_has "restarting."; then
	skip "machine too slow: the pause ended before the orphans"
else
	ok "orphans ended and reaped during the restart pause" false
fi
ok "second orphans made" wait_for 15 test -e "$T/orphans2"
sleep 0.7 # the orphans end
ok "orphans reaped in stage 2" wait_for 10 no_zombies
ok "no orphans left at all" wait_for 10 sh -c "[ \$(pgrep -P $(init_pid) | wc -l) -eq 1 ]"
done_testing
