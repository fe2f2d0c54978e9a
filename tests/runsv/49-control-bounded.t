#!/bin/sh
# A hanging control/ script is bounded by timeout-kill: control/d that never ends is KILLed (with what it started) after timeout-kill, told on stderr, and the stop goes on (Debian's sv -w 5 down: ok); SIGTERM to runsv while control/t hangs is handled once the bound passes.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi

mksvc "$T/s" 'exec sleep 1000'
mkdir "$T/s/control"
script "$T/s/control/d" 'echo $$ >>d.pid; sleep 1000 & echo $! >>d.pid; wait'
echo 500 >"$T/s/timeout-kill"
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run
out=$("$SVD" -w 5 down .)
is "$? $(echo "$out" | sed -E 's/[0-9]+s/Ns/')" "0 ok: down: .: Ns, normally up" "sv -w 5 down: ok, though control/d hangs"
# (runsv goes on while control/d runs: the warning comes at its bound)
told() { grep -q 'control/d' "$T/stderr"; }
wait_for 5 told
like "$(grep -m1 'control/d' "$T/stderr")" "^runsv $T/s: warning: control/d still runs after 500 ms, sending KILL$" "told on stderr"
# Gone, or a zombie (ended; its parent, init, reaps it when it looks).
all_gone() {
	for p in $(cat d.pid); do
		running "$p" && return 1
	done
	return 0
}
ok "control/d and its child are gone" wait_for 5 all_gone

# SIGTERM while control/t hangs: control/t is cut short, runsv exits.
script control/t 'exec sleep 1000'
rm control/d
"$SVD" up .
wait_for 5 stat_is . run
ctl . t
sleep 0.1 # (control/t now hangs; runsv is in its bound)
kill -TERM "$RPID"
ok "runsv exits" wait_exit "$RPID" 10
is "$EXITCODE" 0 "exit 0"
done_testing
