#!/bin/sh
# Debian's layout (DIR/name -> ../sv/name, DIR itself reached through service -> runsvdir/current -> default): watches on the directories holding every link and target make removal and replacement of a target, a second symlink on the way and a switch of current immediate, and idle stays idle, with no 5 s check.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/service" "$T/sv"
for n in a b c; do
	mksvc "$T/sv" "$n"
	ln -s "../sv/$n" "$T/service/$n"
done
ln -s "$T/sv/c" "$T/service/c-absolute"
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" service 2>"$T/err"
p=$SPAWNED
wait_for 10 sh -c "cat sv/a/supervise/stat sv/b/supervise/stat sv/c/supervise/stat 2>/dev/null | grep -c run | grep -qx 3"
ok "three symlinked services run" test $? = 0
is "$(kids "$p" | wc -l)" 3 "one runsv per target (c and c-absolute share one)"

wait_for 5 sh -c "[ \"\$(awk '/^State/ {print \$2}' /proc/$p/status)\" = S ]"
w0=$(voluntary_switches "$p")
sleep 1.4
is "$(( $(voluntary_switches "$p") - w0 ))" 0 "symlinked services: no wake-ups in 1.4 s idle"

# Target moved away: the link dangles; runsv gets TERM at once, not after 5 s.
ra=$(kid_pid "$p" "runsv a")
mv sv/a "$T/a.away"
wait_for 2 gone "$ra"
ok "target moved away: its runsv exits within 2 s" test $? = 0

# Target replaced by a new directory of the same name: a new runsv for it.
rb=$(kid_pid "$p" "runsv b")
mv sv/b "$T/b.old"
mksvc "$T" .b.new
mv "$T/.b.new" sv/b
wait_for 2 gone "$rb"
ok "target replaced: the old runsv exits within 2 s" test $? = 0
wait_for 3 has_kid "$p" "runsv b"
ok "target replaced: a runsv for the new directory" test $? = 0
wait_for 10 grep -qs run sv/b/supervise/stat
ok "target replaced: the new service runs" test $? = 0

# A link that dangled comes back when its target reappears.
mv "$T/a.away" sv/a
wait_for 3 has_kid "$p" "runsv a"
ok "target back: its service starts again" test $? = 0

# A target reached through a second symlink (DIR/via2 -> ../via/v, via -> targets).
mkdir targets targets2
mksvc targets v
mksvc targets2 v
ln -s targets via
ln -s ../via/v service/via2
wait_for 3 has_kid "$p" "runsv via2"
ok "through two symlinks: started" test $? = 0
rv=$(kid_pid "$p" "runsv via2")
ln -s targets2 via.new
mv -T via.new via
wait_for 2 gone "$rv"
ok "the second symlink switched: the old runsv exits within 2 s" test $? = 0
wait_for 3 sh -c "grep -qs run targets2/v/supervise/stat 2>/dev/null"
ok "and the new target's service runs" test $? = 0

# Debian's system layout: the runsvdir's DIR is /etc/service ->
# runit/runsvdir/current, current -> an absolute path to default.
mkdir -p etc/runit/runsvdir/default etc/runit/runsvdir/single
mksvc etc/sv d1
mksvc etc/sv s1
ln -s ../../../sv/d1 etc/runit/runsvdir/default/d1
ln -s "$T/etc/sv/s1" etc/runit/runsvdir/single/s1
ln -s "$T/etc/runit/runsvdir/default" etc/runit/runsvdir/current
ln -s runit/runsvdir/current etc/service
spawn "$RNG_BIN/runsvdir" etc/service 2>"$T/err2"
p2=$SPAWNED
wait_for 10 grep -qs run etc/sv/d1/supervise/stat
ok "DIR through two symlinks: its service runs" test $? = 0
wait_for 5 sh -c "w=\$(awk '/^voluntary/ {print \$2}' /proc/$p2/status); sleep 0.3; [ \$(awk '/^voluntary/ {print \$2}' /proc/$p2/status) = \$w ]"
w0=$(voluntary_switches "$p2")
sleep 5.5
is "$(( $(voluntary_switches "$p2") - w0 ))" 0 "DIR through two symlinks: no wake-ups in 5.5 s idle (no 5 s check)"
r1=$(kid_pid "$p2" "runsv d1")
ln -s "$T/etc/runit/runsvdir/single" etc/runit/runsvdir/current.new
mv -T etc/runit/runsvdir/current.new etc/runit/runsvdir/current
wait_for 2 has_kid "$p2" "runsv s1"
ok "current switched (as runsvchdir does): the new tree's service starts within 2 s" test $? = 0
wait_for 2 gone "$r1"
ok "and the old tree's runsv exits" test $? = 0
done_testing
