#!/bin/sh
# Bad value files: the whole warning, its reason included, for timeout-kill, timeout-finish, down-signal and watchdog-ms (the reason was lost to an unspecified order of evaluation); Debian's sv drives the start.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'exec sleep 1000'
script "$T/s/finish" 'exit 0'
printf 'soon\n' >"$T/s/timeout-kill"
printf 'later\n' >"$T/s/timeout-finish"
printf 'SIGNOPE\n' >"$T/s/down-signal"
: >"$T/s/notify"
printf '%s\n' -5 >"$T/s/watchdog-ms"
touch "$T/s/down"
start_runsv "$T/s"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
"$SVD" up "$T/s" >/dev/null
wait_for 5 grep -qs "ignoring watchdog-ms" "$T/stderr"
"$SVD" down "$T/s" >/dev/null
wait_for 5 grep -qs "ignoring timeout-finish" "$T/stderr"

w="runsv $T/s: warning: ignoring"
is "$(grep -m1 'ignoring timeout-kill' "$T/stderr")" "$w timeout-kill: not a number of milliseconds" "timeout-kill: the whole warning"
is "$(grep -m1 'ignoring down-signal' "$T/stderr")" "$w down-signal: not a signal name or number" "down-signal: the whole warning"
is "$(grep -m1 'ignoring watchdog-ms' "$T/stderr")" "$w watchdog-ms: not a number of milliseconds" "watchdog-ms: the whole warning"
is "$(grep -m1 'ignoring timeout-finish' "$T/stderr")" "$w timeout-finish: not a number of milliseconds" "timeout-finish: the whole warning"
"$SV" x "$T/s" >/dev/null
wait_exit "$RPID" 5
done_testing
