#!/bin/sh
# Robustness: a second runsv on the same directory is refused with runit's message and 111 (D-runsv-11).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'exec sleep 100'
cd "$T" || exit 1
start_runsv s
out=$("$RUNSV" s 2>&1; echo "rc=$?")
is "$out" "runsv s: fatal: unable to lock supervise/lock: temporary failure
rc=111" "second runsv refused"
ok "first one unaffected" alive s
if [ -x "$DEB_RUNSV" ]; then
	out=$("$DEB_RUNSV" s 2>&1; echo "rc=$?")
	is "$out" "runsv s: fatal: unable to lock supervise/lock: temporary failure
rc=111" "Debian's runsv is refused by our lock too"
fi
ctl s x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
