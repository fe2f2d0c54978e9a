#!/bin/sh
# Robustness: a non-root user can neither control a root service (control is 0600) nor take or read its lock.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
command -v setpriv >/dev/null || skip_all "setpriv missing"

chmod 755 "$T"
mksvc "$T/s" 'exec sleep 100'
chmod 755 "$T/s"
start_runsv "$T/s"
wait_for 5 stat_is "$T/s" run
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
out=$(nobody sh -c 'printf d >"$1"' sh "$T/s/supervise/control" 2>&1)
like "$out" "Permission denied" "nobody cannot open the control FIFO (supervise is 0700)"
chmod 755 "$T/s/supervise"
out=$(nobody timeout 2 sh -c 'printf d >"$1"' sh "$T/s/supervise/control" 2>&1)
like "$out" "Permission denied" "nobody cannot open control even with supervise/ readable (0600)"
out=$(nobody sh -c 'cat "$1"' sh "$T/s/supervise/lock" 2>&1)
like "$out" "Permission denied" "nobody cannot read the lock"
out=$(nobody "$RUNSV" "$T/s" 2>&1; echo "rc=$?")
is "$out" "runsv $T/s: fatal: unable to open supervise/lock: access denied
rc=111" "nobody's runsv cannot open the lock"
is "$(cat "$T/s/supervise/stat")" run "service untouched"
ctl "$T/s" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
