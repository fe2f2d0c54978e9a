#!/bin/sh
# Robustness: a broken symlink is warned about, never started, costs no CPU; once it is repointed at a directory it starts.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv" "$T/sv-targets"
addsvc "$T/sv" a
ln -s ../sv-targets/nothing-here "$T/sv/broken"
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 sh -c "grep -qs run sv/a/supervise/stat 2>/dev/null && grep -qs broken '$T/err'"
ok "the good service runs and the broken link is reported" test $? = 0
is "$(sort -u "$T/err")" "runsvdir sv: warning: unable to stat broken: file does not exist" "the warning text"
is "$(kids "$p")" "runsv a" "no runsv for the broken link"
c0=$(cpu_ticks "$p")
sleep 1.2
ok "no CPU burnt over the broken link" test $(( $(cpu_ticks "$p") - c0 )) -le 5

# Repointing the link (atomic rename of a new link) gets it started.
mksvc "$T/sv-targets" real
ln -s ../sv-targets/real "$T/sv/.broken.new"
mv -T "$T/sv/.broken.new" "$T/sv/broken"
wait_for 3 has_kid "$p" "runsv broken"
ok "the repointed link starts" test $? = 0
wait_for 10 grep -qs run sv-targets/real/supervise/stat
ok "and its service reports run" test $? = 0
done_testing
