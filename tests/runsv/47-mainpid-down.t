#!/bin/sh
# An accepted MAINPID (another process than ./run) is tracked after ./run ends: it gets the stop signal, KILL at timeout-kill, and the service is down only when it is gone (Debian's sv -w 5 down answers ok: down then, not before); a ./run that exits by itself with its MAINPID running has it stopped before the next start (never two daemons).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
gone() { ! running "$1"; }

# The daemon ignores TERM (sleep inherits the ignored TERM); ./run names it and waits.
mksvc "$T/m" 'sh -c "trap \"\" TERM; exec sleep 1000" &
echo $! >>main.pid
systemd-notify --ready --pid=$!
exec sleep 1000'
touch "$T/m/notify"
echo 500 >"$T/m/timeout-kill"
cd "$T/m" || exit 1
start_runsv "$T/m"
wait_for 5 test -s main.pid
main=$(cat main.pid)
has_main() { [ "$(info_key . main_pid)" = "$main" ]; }
ok "MAINPID accepted ($main)" wait_for 5 has_main
out=$("$SVD" -w 5 down .)
rc=$?
alive_then=no; running "$main" && alive_then=yes
is "$rc $(echo "$out" | sed -E 's/[0-9]+s/Ns/')" "0 ok: down: .: Ns, normally up" "sv -w 5 down: ok: down"
is "$alive_then" no "the MAINPID process was gone when sv said down"
like "$(grep -m1 'timeout-kill' "$T/stderr")" "^runsv $T/m: warning: processes of \./run still run after timeout-kill, sending KILL$" "KILLed at timeout-kill, told on stderr"
is "$(info_key . main_pid)" "" "info: main_pid cleared"

# ./run ends by itself; its MAINPID runs on: stopped before the next ./run.
mv main.pid main1.pid
script run 'sh -c "trap \"echo TERM >>got; exit 0\" TERM; while :; do sleep 0.05; done" &
echo $! >>main.pid
systemd-notify --ready --pid=$!
sleep 0.5
exit 0'
"$SVD" up .
ok "a second ./run starts" wait_for 10 has_lines main.pid 2
first=$(head -n 1 main.pid)
ok "the first MAINPID got TERM and ended before it" gone "$first"
is "$(cat got 2>/dev/null | head -n 1)" TERM "it got TERM"
"$SV" x . >/dev/null
wait_exit "$RPID" 10
# Whatever a failed run left (runit's behaviour leaves the daemons), by pid.
kill_left KILL $(cat main1.pid main.pid)
done_testing
