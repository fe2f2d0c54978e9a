#!/bin/sh
# kill-tree by process group: a zombie left in ./run's group (its parent escaped with setsid and never reaps it) does not count as running: sv -w 4 down (Debian's sv) answers ok: down, with timeout-kill 1000.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi

# The escaping parent forks a child that ends at once (it stays in the
# group as a zombie), then leaves the group and never waits for it.
mksvc "$T/s" 'sh -c "sleep 0.3 & echo \$! >zombie.pid; echo \$\$ >escaped.pid; exec setsid sleep 1000" &
exec sleep 1000'
echo pgrp >"$T/s/kill-tree"
echo 1000 >"$T/s/timeout-kill"
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 test -s zombie.pid
wait_for 5 test -s escaped.pid
zombie=$(cat zombie.pid) escaped=$(cat escaped.pid)
is_zombie() { grep -q '^State:.*Z' "/proc/$zombie/status" 2>/dev/null; }
ok "the child is a zombie ($zombie)" wait_for 5 is_zombie
run=$(cat supervise/pid)
is "$(ps -o pgid= -p "$zombie" | tr -d ' ')" "$run" "in ./run's group"
out=$("$SVD" -w 4 down . 2>&1)
rc=$?
is "$rc $(echo "$out" | sed -E 's/[0-9]+s/Ns/')" "0 ok: down: .: Ns, normally up" "sv -w 4 down: ok: down"
is "$(cat supervise/stat)" down "stat: down"
ok "the zombie is still there (its parent never reaps it)" is_zombie
kill_left TERM "$escaped"
"$SV" x . >/dev/null
wait_exit "$RPID" 5
done_testing
