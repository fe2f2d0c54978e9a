#!/bin/sh
# Robustness: status files cannot be written (supervise/ not writable): warnings, runsv keeps supervising.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
command -v setpriv >/dev/null || skip_all "setpriv missing"

# As root the directory mode would not stop us: run runsv as nobody.
chmod 755 "$T"
mksvc "$T/s" 'echo $$ >>/dev/null; exec sleep 100'
chown -R 65534:65534 "$T/s"
spawn env --default-signal setpriv --reuid=65534 --regid=65534 --clear-groups "$RUNSV" "$T/s" 2>>"$T/stderr"
RPID=$SPAWNED
wait_for 5 alive "$T/s"
wait_for 5 stat_is "$T/s" run
chmod 500 "$T/s/supervise"
ctl "$T/s" t
ok "warning printed" wait_for 5 grep -qs "warning: unable to open supervise/" "$T/stderr"
like "$(head -n 1 "$T/stderr")" "^runsv $T/s: warning: unable to open supervise/(pid|info|stat)\.new: access denied$" "runit's warning text"
ok "runsv keeps running" kill -0 "$RPID"
ok "and keeps supervising: the service was restarted" wait_for 5 sh -c "pgrep -P $RPID >/dev/null"
chmod 700 "$T/s/supervise"
ctl "$T/s" d
ok "status files written again once possible" wait_for 5 stat_is "$T/s" down
ctl "$T/s" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
