#!/bin/sh
# Debian's layout (DIR/name -> ../sv/name): a watch on the targets' directory makes removal and replacement of a target immediate, and idle stays idle.
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
w0=$(wakeups "$p")
sleep 1.4
is "$(( $(wakeups "$p") - w0 ))" 0 "symlinked services: no wake-ups in 1.4 s idle"

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
wait_for 10 grep -q run sv/b/supervise/stat
ok "target replaced: the new service runs" test $? = 0

# A link that dangled comes back when its target reappears.
mv "$T/a.away" sv/a
wait_for 3 has_kid "$p" "runsv a"
ok "target back: its service starts again" test $? = 0
done_testing
