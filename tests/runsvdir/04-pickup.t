#!/bin/sh
# D-runsvdir-3, D-runsvdir-4 with inotify: new services start and removed ones get TERM well inside runit's 5 s rescan; a rename keeps its runsv.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
addsvc "$T/sv" first
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 has_kid "$p" "runsv first"
ok "the initial service starts" test $? = 0

# Three pickups in a row, each within 2 s. A runsvdir that only rescans every
# 5 s passes one such check 40% of the time, all three about 6% of the time.
for n in 1 2 3; do
	addsvc "$T/sv" "new$n"
	wait_for 2 has_kid "$p" "runsv new$n"
	ok "new service $n picked up within 2 s" test $? = 0
	wait_for 10 grep -qs run "$T/sv/new$n/supervise/stat"
	ok "new service $n reports run" test $? = 0
done

# Removal: moving the directory out TERMs its runsv, which takes the service down.
rp=$(kid_pid "$p" "runsv new1")
svcpid=$(pgrep -P "$rp")
mv "$T/sv/new1" "$T/moved"
wait_for 2 gone "$rp"
ok "a removed service's runsv exits within 2 s" test $? = 0
wait_for 5 gone "$svcpid"
ok "and its service was stopped" test $? = 0
if [ -x "$DEB_SV" ]; then
	"$DEB_SV" status "$T/moved" >"$T/status" 2>&1
	like "$(cat "$T/status")" "runsv not running" "sv status on the moved dir: runsv not running"
else
	skip "Debian's sv not installed"
fi

# Deleting outright works the same way.
rp=$(kid_pid "$p" "runsv new2")
rm -rf "$T/sv/new2"
wait_for 2 gone "$rp"
ok "a deleted service's runsv exits within 2 s" test $? = 0

# Hiding with a dot name removes it too.
rp=$(kid_pid "$p" "runsv new3")
mv "$T/sv/new3" "$T/sv/.new3"
wait_for 2 gone "$rp"
ok "renaming to a dot name stops the service" test $? = 0

# A rename inside DIR (same inode) keeps the running runsv.
rp=$(kid_pid "$p" "runsv first")
mv "$T/sv/first" "$T/sv/renamed"
addsvc "$T/sv" marker
wait_for 2 has_kid "$p" "runsv marker"
ok "the scan after the rename happened" test $? = 0
is "$(kid_pid "$p" "runsv first")" "$rp" "renamed service keeps its runsv"
is "$(kids "$p" | wc -l)" 2 "no second runsv for the renamed directory"
done_testing
