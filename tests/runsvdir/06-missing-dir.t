#!/bin/sh
# D-runsvdir-9, D-runsvdir-10: a missing DIR (also "-X" taken as DIR) warns once a second and never exits; services start once it appears.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" -X 2>"$T/errx"
px=$SPAWNED
spawn "$RNG_BIN/runsvdir" nosuch 2>"$T/err"
p=$SPAWNED
wait_for 10 sh -c "[ \$(wc -l <'$T/err') -ge 3 ] && [ \$(wc -l <'$T/errx') -ge 3 ]"
ok "three warnings arrive" test $? = 0
is "$(sort -u "$T/errx")" "runsvdir -X: warning: unable to stat -X: file does not exist" "-X is taken as the directory"
is "$(sort -u "$T/err")" "runsvdir nosuch: warning: unable to stat nosuch: file does not exist" "missing DIR: the warning text"
ok "missing DIR: still running" kill -0 "$p" "$px"

# The cadence: about one a second, not a busy loop (the count over a window is bounded).
n0=$(wc -l <"$T/err") c0=$(cpu_ticks "$p")
sleep 1.4
n1=$(wc -l <"$T/err") c1=$(cpu_ticks "$p")
ok "missing DIR: one or two warnings in 1.4 s (got $((n1 - n0)))" test $((n1 - n0)) -ge 1 -a $((n1 - n0)) -le 2
ok "missing DIR: no CPU burnt while waiting" test $((c1 - c0)) -le 5

if [ -x "$DEB_RUNSVDIR" ]; then
	spawn "$DEB_RUNSVDIR" nosuch 2>"$T/deb"
	wait_for 10 sh -c "[ \$(wc -l <'$T/deb') -ge 2 ]"
	is "$(sort -u "$T/deb")" "$(sort -u "$T/err")" "missing DIR: same warning as Debian's"
	kill -KILL "$SPAWNED"	# it must not supervise what comes next
else
	skip "Debian's runit not installed"
fi

# When the directory appears, its services start.
mkdir "$T/.tmp"
mksvc "$T/.tmp" a
mv "$T/.tmp" "$T/nosuch"
wait_for 5 has_kid "$p" "runsv a"
ok "DIR appears: its service starts" test $? = 0
n0=$(wc -l <"$T/err")
sleep 1.2
is "$(wc -l <"$T/err")" "$n0" "DIR present: the warnings stop"

# DIR goes away again (renamed): the service keeps running, warnings resume.
mv "$T/nosuch" "$T/away"
wait_for 5 sh -c "[ \$(wc -l <'$T/err') -gt $n0 ]"
ok "DIR renamed away: warnings resume" test $? = 0
ok "DIR renamed away: its runsv is left alone" has_kid "$p" "runsv a"
mv "$T/away" "$T/nosuch"
addsvc "$T/nosuch" b
wait_for 5 has_kid "$p" "runsv b"
ok "DIR back: a new service there is picked up" test $? = 0
is "$(kids "$p" | grep -c 'runsv a')" 1 "DIR back: still one runsv for a"
done_testing
