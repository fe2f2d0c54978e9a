#!/bin/sh
# timeout-kill: a TERM-ignoring service goes down, restarts and exits within timeout-kill plus a margin, by runsv's own records (Debian's sv and ours); "got TERM" until the KILL; a k that control/k holds back keeps it; without the file, as runit: no KILL; a bad file is warned about and ignored.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

. "$(dirname "$0")/../lib/records.sh"
# stubborn DIR: a service that ignores TERM (sleep inherits the ignored TERM).
stubborn() { mksvc "$1" 'echo $$ >>starts; trap "" TERM; exec sleep 1000'; }

EXITCODE=none # (set by wait_exit; a failed wait must not abort the test)
stubborn "$T/s"
echo 300 >"$T/s/timeout-kill"
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run

# How long a stop took: runsv's records tell it (stop_ms, records.sh), a
# test stalled meanwhile cannot change it.
# Debian's sv (if installed) and ours drive it alike.
for sv in "$DEB_SV" "$SV"; do
	[ -x "$sv" ] || { skip "$sv missing"; skip "$sv missing"; skip "$sv missing"; continue; }
	for try in 1 2 3; do
		"$sv" up . >/dev/null
		wait_for 5 stat_is . run
		stop_ms . "64 01 01" "$sv" -w 5 down .
		[ -z "$STOP_MS" ] || break
		diag "$sv -w 5 down, try $try: the got TERM record was replaced before it was seen"
	done
	diag "$sv -w 5 down: $STOP_MS ms by runsv's records"
	is "$ACTION_RC $(sed -E 's/ [0-9]+s/ Ns/' "$T/action.out")" "0 ok: down: .: Ns, normally up" "$sv -w 5 down: ok: down, exit 0"
	ok "$sv: after timeout-kill (300 ms), well before sv's 5 s (${STOP_MS:-untold} ms)" test "${STOP_MS:-0}" -ge $((300 - STOP_SLACK_MS)) -a "${STOP_MS:-0}" -lt 3000
	is "$(sed -n 's/^last_exit=//p' supervise/info)" "signal 9" "$sv: it took a KILL (info last_exit)"
done

like "$(grep -m1 'timeout-kill' "$T/stderr")" "^runsv $T/s: warning: \./run still runs after timeout-kill, sending KILL$" "the KILL is told on stderr"

# got TERM shows until the KILL.
"$SV" up . >/dev/null
wait_for 5 stat_is . run
echo 1500 >timeout-kill
"$SV" t . >/dev/null # still 300: files are read when ./run starts
wait_for 5 has_lines starts 4
"$SV" -w 5 up . >/dev/null
"$SV" d .
ok "got TERM while timeout-kill runs" wait_for 1 stat_is . "run, got TERM, want down"
ok "status bytes: TERM flag set, state run" wait_for 1 bytes_are . 18 19 "01 01"
ok "then down" wait_for 5 stat_is . down

# restart (t, then u) and exit (x) are bounded as well.
echo 300 >timeout-kill
"$SV" up . >/dev/null
wait_for 5 stat_is . run
n=$(lines starts)
for try in 1 2 3; do
	stop_ms . "75 01 01" "$SV" restart .
	[ -z "$STOP_MS" ] || break
	diag "restart, try $try: the got TERM record was replaced before it was seen"
	wait_for 5 stat_is . run
	n=$(lines starts)
done
ok "restart: a new ./run" wait_for 5 has_lines starts $((n + 1))
ok "restart within timeout-kill and a margin, by runsv's records (${STOP_MS:-untold} ms)" test "${STOP_MS:-0}" -ge $((300 - STOP_SLACK_MS)) -a "${STOP_MS:-0}" -lt 3000
wait_for 5 stat_is . run
stop_ms . "64 01 01" "$SV" x .
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0"
if [ -n "$STOP_MS" ]; then
	ok "x: within timeout-kill and a margin, by runsv's records ($STOP_MS ms)" test "$STOP_MS" -ge $((300 - STOP_SLACK_MS)) -a "$STOP_MS" -lt 3000
else
	ok "x: the last record is down, by KILL" test "$(sed -n 's/^last_exit=//p' supervise/info)" = "signal 9"
fi
ok "the stubborn process is gone" sh -c "! kill -0 $(tail -n 1 starts) 2>/dev/null"

# k while stopping, held back by control/k: timeout-kill's KILL still comes.
stubborn "$T/k"
echo 300 >"$T/k/timeout-kill"
mkdir "$T/k/control"
script "$T/k/control/k" 'echo k >>control-k.ran; exit 0'
start_runsv "$T/k"
wait_for 5 stat_is "$T/k" run
pid=$(cat "$T/k/supervise/pid")
ctl "$T/k" dk
ok "control/k ran (and sent nothing)" wait_for 5 test -s "$T/k/control-k.ran"
ok "timeout-kill's KILL still comes" wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
ok "down, the last exit by KILL" wait_for 5 sh -c "[ \"\$(sed -n 's/^last_exit=//p' '$T/k/supervise/info')\" = 'signal 9' ]"
"$SV" x "$T/k" >/dev/null
wait_exit "$RPID" 5

# Without the file: runit's behaviour, sv times out and nothing is KILLed.
stubborn "$T/n"
start_runsv "$T/n"
wait_for 5 stat_is "$T/n" run
out=$("$SV" -w 1 down "$T/n")
is "$? $(echo "$out" | sed -E 's/\(pid [0-9]+\) [0-9]+s/(pid P) Ns/')" \
    "1 timeout: run: $T/n: (pid P) Ns, want down, got TERM" "no timeout-kill: sv times out as today"
sleep 0.5 # proving nothing happens later either
is "$(cat "$T/n/supervise/stat")" "run, got TERM, want down" "no timeout-kill: still running"
"$SV" k "$T/n" >/dev/null
wait_for 5 stat_is "$T/n" down

# A malformed file: one warning per start, then runit's behaviour.
printf 'soon\n' >"$T/n/timeout-kill"
"$SV" -w 5 up "$T/n" >/dev/null
ok "warning for a bad timeout-kill" wait_for 5 grep -qs "ignoring timeout-kill" "$T/stderr"
like "$(grep -m1 'ignoring timeout-kill' "$T/stderr")" "^runsv $T/n: warning: ignoring timeout-kill: " "in runit's shape"
out=$("$SV" -w 1 down "$T/n")
is "$?" 1 "a bad timeout-kill is no timeout-kill"
"$SV" k "$T/n" >/dev/null
done_testing
