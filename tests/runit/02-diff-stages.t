#!/bin/sh
# Stage order, stop-it protocol, KILL all and halt/reboot: our runit and Debian's print the same console lines and end the same way (D-misc-6).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"
[ -x /sbin/runit ] || skip_all "Debian's /sbin/runit not installed"

# Classic mode for ours (Debian's has no container mode); no sync of the host.
touch "$T/etc/nocontainer" "$T/etc/nosync"
stage 1 'echo one >>'"$T"'/log'
stage 2 'echo two >>'"$T"'/log
for f in /etc/runit/stopit /run/runit.stopit; do : >$f; chmod 100 $f; done
[ ! -e '"$T"'/reboot ] || for f in /etc/runit/reboot /run/runit.reboot; do : >$f; chmod 100 $f; done
kill -CONT 1
exec sleep 100'
stage 3 'echo three >>'"$T"'/log; exit 3'


ours=$(boot_logged "$RNG_BIN/runit")
deb=$(boot_logged /sbin/runit)
is "$ours" "$deb" "halt: same console output and exit as Debian's runit"
like "$ours" "power off\.\.\." "halt: power off is attempted"
like "$ours" "exit 130" "halt: reboot(2) in a PID namespace ends init with SIGINT"
is "$(printf '%s\n' "$ours" | tail -n 3 | tr '\n' ' ')" "one two three " "stages ran in order"

touch "$T/reboot"
ours=$(boot_logged "$RNG_BIN/runit")
deb=$(boot_logged /sbin/runit)
is "$ours" "$deb" "reboot: same console output and exit as Debian's runit"
like "$ours" "system reboot\." "reboot: announced"
like "$ours" "exit 129" "reboot: init ends with SIGHUP"
done_testing
