#!/bin/sh
# watchdog-ms: WATCHDOG_USEC is passed; silence after the first WATCHDOG=1 longer than watchdog-ms stops ./run (told on stderr) and runit restarts it; a service that never pings is left alone; WATCHDOG=trigger stops it at once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Pings twice, 100 ms apart, then falls silent.
mksvc "$T/w" 'echo "$$ $WATCHDOG_USEC" >>starts
systemd-notify --ready
systemd-notify WATCHDOG=1
sleep 0.1
systemd-notify WATCHDOG=1
date +%s%N >>last-ping
exec sleep 1000'
touch "$T/w/notify"
echo 300 >"$T/w/watchdog-ms"
cd "$T/w" || exit 1
start_runsv "$T/w"
ok "started" wait_for 5 has_lines last-ping 1
is "$(head -n 1 starts | cut -d' ' -f2)" 300000 "WATCHDOG_USEC=300000 in ./run's environment"
ok "killed and restarted after the silence" wait_for 5 has_lines starts 2
t=$(( ($(date +%s%N) - $(head -n 1 last-ping)) / 1000000 ))
diag "last ping to restart: $t ms"
ok "not before watchdog-ms ($t ms)" test "$t" -ge 290
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
