#!/bin/sh
# watchdog-ms: WATCHDOG_USEC is passed; silence after the first WATCHDOG=1 longer than watchdog-ms stops ./run (told on stderr; not before watchdog-ms, by runsv's records) and runit restarts it; a service that never pings is left alone; WATCHDOG=trigger stops it at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"

. "$(dirname "$0")/../lib/records.sh"

# Pings twice, 100 ms apart, then falls silent. The second ping comes with
# READY=1: runsv stamps ready_since when it takes that message, so the last
# ping's moment is in runsv's records (./run keeps a copy of that info: its
# end empties ready_since). The silence is measured from there to the end
# runsv recorded (last_exit_at): no clock of the test's.
mksvc "$T/w" 'echo "$$ $WATCHDOG_USEC" >>starts
systemd-notify WATCHDOG=1
sleep 0.1
systemd-notify --ready WATCHDOG=1
n=0
while ! grep -qs "^ready_since=." supervise/info && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
cp supervise/info "info.$$"
echo "$$" >>last-ping
exec sleep 1000'
touch "$T/w/notify"
echo 1000 >"$T/w/watchdog-ms"
cd "$T/w" || exit 1
start_runsv "$T/w"
ok "started" wait_for 5 has_lines last-ping 1
is "$(head -n 1 starts | cut -d' ' -f2)" 1000000 "WATCHDOG_USEC=1000000 in ./run's environment"
ok "killed and restarted after the silence" wait_for 10 has_lines starts 2
wait_for 5 stat_is . run
pinged=$(sed -n 's/^ready_since=//p' "info.$(head -n 1 last-ping)")
ended=$(sed -n 's/^last_exit_at=//p' supervise/info)
t=$(ms_between "$(unix_ms "$ended")" "$(unix_ms "$pinged")")
diag "last ping to the end, by runsv's records: ${t:-untold} ms"
ok "not before watchdog-ms (1000 ms), by runsv's records (${t:-untold} ms)" test "${t:-0}" -ge 1000
like "$(grep -m1 WATCHDOG "$T/stderr")" "^runsv $T/w: warning: \./run sent no WATCHDOG=1 within watchdog-ms, stopping it$" "told on stderr"
is "$(sed -n 's/^last_exit=//p' supervise/info)" "signal 15" "stopped with TERM (the stop sequence)"
"$SV" x . >/dev/null
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"

# Never pings: the watchdog never starts.
mksvc "$T/q" 'echo $$ >>starts; systemd-notify --ready; exec sleep 1000'
touch "$T/q/notify"
echo 200 >"$T/q/watchdog-ms"
start_runsv "$T/q"
wait_for 5 has_lines "$T/q/starts" 1
sleep 0.6 # proving nothing happens
is "$(lines "$T/q/starts")" 1 "no WATCHDOG=1 ever: not stopped"
"$SV" x "$T/q" >/dev/null
wait_exit "$RPID" 5

# WATCHDOG=trigger: at once, whatever watchdog-ms says.
mksvc "$T/t" 'echo $$ >>starts
systemd-notify --ready
[ "$(wc -l <starts)" -gt 1 ] || systemd-notify WATCHDOG=trigger
exec sleep 1000'
touch "$T/t/notify"
start_runsv "$T/t"
ok "WATCHDOG=trigger: stopped and restarted" wait_for 5 has_lines "$T/t/starts" 2
like "$(grep -m1 trigger "$T/stderr")" "^runsv $T/t: warning: \./run sent WATCHDOG=trigger, stopping it$" "told on stderr"
"$SV" x "$T/t" >/dev/null
wait_exit "$RPID" 5
done_testing
