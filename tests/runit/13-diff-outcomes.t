#!/bin/sh
# Stage 1 exit 100 and stage 2 exit 111 (restart after 5 s): our runit and Debian's print the same console lines (D-misc-6).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"
[ -x /sbin/runit ] || skip_all "Debian's /sbin/runit not installed"

touch "$T/etc/nocontainer" "$T/etc/nosync"
stage 3 'echo three >>'"$T"'/log'


stage 1 'exit 100'
stage 2 'echo two >>'"$T"'/log'
ours=$(boot_logged "$RNG_BIN/runit")
is "$ours" "$(boot_logged /sbin/runit)" "stage 1 exit 100: same as Debian's"
like "$ours" "skipping stage 2" "stage 1 exit 100: stage 2 skipped"

stage 1 ':'
stage 2 'n=$(cat '"$T"'/count 2>/dev/null || echo 0); echo $((n + 1)) >'"$T"'/count
echo two >>'"$T"'/log
[ $n -gt 0 ] || exit 111
for f in /etc/runit/stopit /run/runit.stopit; do : >$f; chmod 100 $f; done
kill -CONT 1; exec sleep 100'
rm -f "$T/count"; ours=$(boot_logged "$RNG_BIN/runit")
rm -f "$T/count"; deb=$(boot_logged /sbin/runit)
is "$ours" "$deb" "stage 2 exit 111, restart, then stopit: same as Debian's"
like "$ours" "restarting\." "stage 2 restarted"
done_testing
