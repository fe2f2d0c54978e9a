#!/bin/sh
# NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID of runsv's own environment (an outer manager's) never reach ./run, ./finish or control/ scripts of a service without the notify file; a service with it gets runsv's socket and no WATCHDOG_PID. Debian's sv drives it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
mksvc "$T/plain" 'env >env.run; exec sleep 1000'
script "$T/plain/finish" 'env >env.finish'
mkdir "$T/plain/control"
script "$T/plain/control/t" 'env >env.ctl; exit 1'
mksvc "$T/n" 'env >env.run; exec sleep 1000'
: >"$T/n/notify"

outer="NOTIFY_SOCKET=$T/outer.sock WATCHDOG_USEC=5000000 WATCHDOG_PID=1"
for d in plain n; do
	spawn env --default-signal $outer "$RUNSV" "$T/$d" 2>>"$T/stderr"
	eval "R_$d=\$SPAWNED"
	wait_for 5 alive "$T/$d"
done
wait_for 5 test -s "$T/plain/env.run"
wait_for 5 test -s "$T/n/env.run"
"$SVD" -w 5 restart "$T/plain" >/dev/null
wait_for 5 test -s "$T/plain/env.finish"
wait_for 5 test -s "$T/plain/env.ctl"

for f in env.run env.finish env.ctl; do
	is "$(grep -E '^(NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID)=' "$T/plain/$f" | tr '\n' ' ')" "" "no notify file: $f sees none of the outer manager's variables"
done
n=$(sed -n 's/^NOTIFY_SOCKET=//p' "$T/n/env.run")
ok "notify file: ./run gets runsv's socket, not the outer one ($n)" test -n "$n" -a "$n" != "$T/outer.sock"
is "$(grep -cE '^(WATCHDOG_USEC|WATCHDOG_PID)=' "$T/n/env.run")" 0 "notify file, no watchdog-ms: no WATCHDOG_USEC or WATCHDOG_PID"
for d in plain n; do
	"$SV" x "$T/$d" >/dev/null
	eval "wait_exit \$R_$d 5"
done
done_testing
