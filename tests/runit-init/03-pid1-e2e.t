#!/bin/sh
# runit-init as process no. 1 execs /sbin/runit (ours, bound over it); from stage 2, "runit-init 6" reboots and "runit-init 0" halts.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../runit/ns.sh"
[ -e /sbin/runit ] || skip_all "no /sbin/runit to bind over"

touch "$T/etc/nocontainer" "$T/etc/nosync"
stage 1 ':'
stage 3 'echo three >>'"$T"'/log'
for req in 6 0; do
	: >"$T/console"; rm -f "$T/log"
	stage 2 'runit-init '"$req"'; exec sleep 100'
	boot "$RNG_BIN/runit-init" "mount --bind '$RNG_BIN/runit' /sbin/runit"
	ok "init $req: ends" wait_exit "$NS" 20
	ok "init $req: our runit booted" console_has "- runit: \$Id: runit-ng"
	is "$(cat "$T/log" 2>/dev/null)" three "init $req: stage 3 ran"
	if [ "$req" = 6 ]; then
		ok "init 6: reboot announced" console_has "- runit: system reboot."
		is "$EXITCODE" 129 "init 6: namespace init ends with SIGHUP (reboot)"
	else
		ok "init 0: power off announced" console_has "- runit: power off..."
		is "$EXITCODE" 130 "init 0: namespace init ends with SIGINT (halt)"
	fi
done

out=$(unshare --fork --pid --mount --mount-proc sh -c '
	mount -t tmpfs tmpfs /sbin 2>/dev/null || exit 99; exec "$1"' sh "$RNG_BIN/runit-init" 2>&1)
is "$out:$?" "init: fatal: unable to start runit: file does not exist:111" "no /sbin/runit: fatal, 111"
done_testing
