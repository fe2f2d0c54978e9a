#!/bin/sh
# The 5 s check where inotify cannot see: with no inotify at all, and with too few watches for the symlink targets' directories; a new service, a target moved away and a dangling link that comes to lead somewhere are each noticed by it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
unshare --user --map-root-user true 2>/dev/null || skip_all "cannot create a user namespace"

# limited SETTING VALUE DIR: runsvdir DIR in a user namespace whose inotify
# limit /proc/sys/user/SETTING is VALUE; its pid in SPAWNED.
limited() {
	spawn unshare --user --map-root-user sh -c '
		echo "$2" >"/proc/sys/user/$1" || exit 99; exec "$3" "$4"' sh \
		"$1" "$2" "$RNG_BIN/runsvdir" "$3" 2>"$T/err-$1"
}
# tree ROOT: a plain service, a linked one, and a link to nothing yet.
tree() {
	mkdir -p "$1/sv" "$1/targets"
	addsvc "$1/sv" plain
	mksvc "$1/targets" linked
	ln -s ../targets/linked "$1/sv/linked"
	ln -s ../targets/later "$1/sv/later"
}

cd "$T" || exit 1
tree none
tree few
limited max_inotify_instances 0 none/sv
pn=$SPAWNED
limited max_inotify_watches 1 few/sv
pf=$SPAWNED
for d in none few; do
	ok "$d: plain and linked services run" wait_for 10 sh -c "grep -qs run $d/sv/plain/supervise/stat 2>/dev/null && grep -qs run $d/targets/linked/supervise/stat 2>/dev/null"
done
# Both at once, so that one 5 s period serves both.
addsvc none/sv new
rn=$(kid_pid "$pn" "runsv linked") rf=$(kid_pid "$pf" "runsv linked")
mv none/targets/linked none/targets/moved
mv few/targets/linked few/targets/moved
ok "no inotify: a new service is picked up by the check" wait_for 12 has_kid "$pn" "runsv new"
ok "no inotify: a target moved away gets its runsv TERMed" wait_for 12 gone "$rn"
ok "one watch only: a target moved away gets its runsv TERMed" wait_for 12 gone "$rf"
# Then, alone (nothing else changed for the check to see): the dangling
# links' targets appear; while a link dangles unwatched, the check re-reads DIR.
mksvc none/targets .later && mv none/targets/.later none/targets/later
mksvc few/targets .later && mv few/targets/.later few/targets/later
ok "no inotify: the dangling link's target appeared: started" wait_for 12 has_kid "$pn" "runsv later"
ok "one watch only: the dangling link's target appeared: started" wait_for 12 has_kid "$pf" "runsv later"
ok "the plain services are untouched" sh -c "[ -n \"$(kid_pid "$pn" "runsv plain")\" ] && [ -n \"$(kid_pid "$pf" "runsv plain")\" ]"
done_testing
