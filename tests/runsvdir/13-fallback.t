#!/bin/sh
# The 5 s fallback rescan where inotify cannot see a change: a service linked through a second symlink whose target goes away, and DIR reached through a swapped symlink (runsvchdir).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv" "$T/targets"
mksvc "$T/targets" linked
ln -s targets "$T/via"
ln -s ../via/linked "$T/sv/linked"
addsvc "$T/sv" plain
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 sh -c "grep -q run targets/linked/supervise/stat 2>/dev/null && grep -q run sv/plain/supervise/stat 2>/dev/null"
ok "symlinked and plain services run" test $? = 0
r=$(kid_pid "$p" "runsv linked")
mv targets/linked targets/moved
wait_for 12 gone "$r"
ok "target behind two symlinks moved away: its runsv gets TERM at the next fallback check" test $? = 0
ok "the plain service is untouched" has_kid "$p" "runsv plain"

# DIR through a symlink that is swapped the way runsvchdir does it.
mkdir "$T/runsvdir"
mkdir "$T/runsvdir/one" "$T/runsvdir/two"
addsvc "$T/runsvdir/one" svc1
addsvc "$T/runsvdir/two" svc2
ln -s one "$T/runsvdir/current"
spawn "$RNG_BIN/runsvdir" runsvdir/current 2>"$T/err2"
p2=$SPAWNED
wait_for 10 has_kid "$p2" "runsv svc1"
ok "services of the current tree run" test $? = 0
r1=$(kid_pid "$p2" "runsv svc1")
ln -s two "$T/runsvdir/current.new"
mv -T "$T/runsvdir/current.new" "$T/runsvdir/current"
wait_for 12 has_kid "$p2" "runsv svc2"
ok "after the switch the new tree's services start" test $? = 0
wait_for 5 gone "$r1"
ok "and the old tree's runsv gets TERM" test $? = 0
done_testing
