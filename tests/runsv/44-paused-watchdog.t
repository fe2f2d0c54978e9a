#!/bin/sh
# watchdog-ms and sv pause: a paused service is not stopped by the watchdog (it is suspended while paused, and armed again by sv cont); a stop signal to a paused service is followed by CONT (sv term restarts it instead of leaving it "paused, got TERM" for ever). Debian's sv drives it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi

mksvc "$T/w" 'echo $$ >>starts
systemd-notify --ready
while :; do systemd-notify WATCHDOG=1; date +%s%N >ping.new && mv -f ping.new ping; sleep 0.05; done'
touch "$T/w/notify"
echo 300 >"$T/w/watchdog-ms"
cd "$T/w" || exit 1
start_runsv "$T/w"
wait_for 5 test -s ping
"$SVD" pause . >/dev/null
ok "paused" wait_for 5 stat_is . "run, paused"
# Three watchdog periods without a ping: measured by the service's own silence.
p0=$(cat ping)
silent_long() { [ $(( ($(date +%s%N) - p0) / 1000000 )) -ge 1000 ]; }
wait_for 10 silent_long
is "$(cat supervise/stat) $(lines starts)" "run, paused 1" "paused for 3 watchdog periods: not stopped"
is "$(grep -c 'WATCHDOG' "$T/stderr")" 0 "no watchdog warning"
"$SVD" cont . >/dev/null
ping_after() { [ "$(cat ping)" -gt "$1" ]; }
ok "cont: pinging again" wait_for 5 ping_after "$p0"
p1=$(cat ping)
# ping is replaced whole (a new file renamed over it): never read empty or half
# written, or the comparisons above fail with a shell error instead of an answer.
torn=0 i=0
while [ $i -lt 200 ]; do
	case $(cat ping) in ""|*[!0-9]*) torn=$((torn + 1)) ;; esac
	i=$((i + 1))
done
is "$torn" 0 "200 reads of ping while ./run rewrites it: each a whole number"
wait_for 10 ping_after $((p1 + 500000000))
is "$(lines starts)" 1 "after cont: still the same ./run"

# t to a paused service: TERM, then CONT; it ends and runit restarts it.
"$SVD" pause . >/dev/null
wait_for 5 stat_is . "run, paused"
n=$(lines starts)
"$SVD" term . >/dev/null
ok "term while paused: ./run ends and starts again" wait_for 5 has_lines starts $((n + 1))
ok "and runs" wait_for 5 stat_is . run
"$SV" x . >/dev/null
wait_exit "$RPID" 5
done_testing
