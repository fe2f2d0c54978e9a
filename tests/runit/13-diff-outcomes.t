#!/bin/sh
# Stage 1 exit 100 and stage 2 exit 111 (restart after 5 s): our runit and Debian's print the same console lines (D-misc-6).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"
[ -x /sbin/runit ] || skip_all "Debian's /sbin/runit not installed"

touch "$T/etc/nocontainer" "$T/etc/nosync"
stage 3 'echo three >>'"$T"'/log'

run() { # BINARY: console lines (version masked), exit code, stage log
	rm -f "$T/console" "$T/log" "$T/count"
	mkfifo "$T/console"
	spawn sh -c 'exec cat "$1" >"$1.out"' sh "$T/console"
	reader=$SPAWNED
	boot "$1"
	wait_exit "$NS" 25 || { echo "timeout"; return; }
	rc=$EXITCODE
	wait_exit "$reader" 5
	sed 's/\$Id: [^$]*\$/VERSION/' "$T/console.out"
	echo "exit $rc"
	cat "$T/log"
}

stage 1 'exit 100'
stage 2 'echo two >>'"$T"'/log'
ours=$(run "$RNG_BIN/runit")
is "$ours" "$(run /sbin/runit)" "stage 1 exit 100: same as Debian's"
like "$ours" "skipping stage 2" "stage 1 exit 100: stage 2 skipped"

stage 1 ':'
stage 2 'n=$(cat '"$T"'/count 2>/dev/null || echo 0); echo $((n + 1)) >'"$T"'/count
echo two >>'"$T"'/log
[ $n -gt 0 ] || exit 111
for f in /etc/runit/stopit /run/runit.stopit; do : >$f; chmod 100 $f; done
kill -CONT 1; exec sleep 100'
ours=$(run "$RNG_BIN/runit")
is "$ours" "$(run /sbin/runit)" "stage 2 exit 111, restart, then stopit: same as Debian's"
like "$ours" "restarting\." "stage 2 restarted"
done_testing
