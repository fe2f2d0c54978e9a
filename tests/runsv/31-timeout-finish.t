#!/bin/sh
# timeout-finish: a ./finish that never ends is KILLed after it and the service restarts; also after `k` left ./finish running; a bad file is warned about once per ./finish; without the file ./finish may run forever, as in runit.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

. "$(dirname "$0")/../lib/records.sh"

# ./run lives past runit's one-second rule, so the restart waits for
# timeout-finish alone.
mksvc "$T/s" 'echo $$ >>starts; exec sleep 1.2'
script "$T/s/finish" 'echo $$ >>finishes; exec sleep 1000'
echo 300 >"$T/s/timeout-finish"
cd "$T/s" || exit 1
start_runsv "$T/s"
ok "./finish runs" wait_for 5 has_lines finishes 1
ok "state finish (Debian's sv reads it)" wait_for 5 stat_is . "finish"
ok "the service is restarted" wait_for 5 has_lines starts 2
# From ./run's end (info's last_exit_at: ./finish starts then) to the
# restart (the status record's stamp), by runsv's records.
wait_for 5 sh -c '[ "$(od -An -tu4 -j12 -N4 supervise/status | tr -d " ")" = "$1" ]' _ "$(sed -n 2p starts)"
cp supervise/status "$T/start.rec"
t=$(ms_between "$(rec_stamp_ms "$T/start.rec")" "$(unix_ms "$(sed -n 's/^last_exit_at=//p' supervise/info)")")
diag "./run's end to the restart: ${t:-untold} ms by runsv's records"
ok "after timeout-finish (300 ms), and not much later, by runsv's records (${t:-untold} ms)" test "${t:-0}" -ge 290 -a "${t:-0}" -lt 3000
ok "the first ./finish is gone" sh -c "! kill -0 $(head -n 1 finishes) 2>/dev/null"
like "$(grep -m1 'timeout-finish' "$T/stderr")" "^runsv $T/s: warning: \./finish still runs after timeout-finish, sending KILL$" "the KILL is told on stderr"
if [ -x "$DEB_SV" ]; then
	# (stat is written before status: wait for the record, not the line)
	ok "Debian's sv reads the finish state" wait_for 5 sh -c \
	    "'$DEB_SV' status . | grep -Eq '^finish: \.: \(pid [1-9][0-9]*\) [0-9]+s\$'"
else
	skip "Debian's sv missing"
fi

# k while ./finish runs: runit's quirk makes the slot down, but ./finish
# still runs; timeout-finish still ends it (and ./finish runs again).
"$SV" d . >/dev/null
wait_for 5 stat_is . "finish, want down"
n=$(lines finishes)
f=$(tail -n 1 finishes)
"$SV" k . >/dev/null
ok "after k, the running ./finish is still KILLed in time" wait_for 5 sh -c "! kill -0 $f 2>/dev/null"
ok "and ./finish runs once more (runit's k quirk)" wait_for 5 has_lines finishes $((n + 1))
ok "that one is KILLed too; then down" wait_for 5 stat_is . down
"$SV" x . >/dev/null
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"

# A malformed file: warned about once per ./finish, never at ./run's start.
mksvc "$T/b" 'echo $$ >>starts; exit 0'
script "$T/b/finish" 'echo $$ >>finishes; exit 0'
printf 'soon\n' >"$T/b/timeout-finish"
touch "$T/b/down"
start_runsv "$T/b"
"$SV" o "$T/b" >/dev/null
ok "one run, one ./finish" wait_for 5 has_lines "$T/b/finishes" 1
ok "then down" wait_for 5 stat_is "$T/b" "down"
is "$(grep -c "ignoring timeout-finish" "$T/stderr")" 1 "one warning for the bad timeout-finish"
like "$(grep -m1 'ignoring timeout-finish' "$T/stderr")" "^runsv $T/b: warning: ignoring timeout-finish: " "in runit's shape"
"$SV" x "$T/b" >/dev/null
wait_exit "$RPID" 5

# Without the file: ./finish runs as long as it likes.
mksvc "$T/n" 'exec sleep 0.2'
script "$T/n/finish" 'echo $$ >>finishes; exec sleep 1000'
start_runsv "$T/n"
wait_for 5 has_lines "$T/n/finishes" 1
sleep 1 # proving nothing happens
is "$(cat "$T/n/supervise/stat")" finish "no timeout-finish: ./finish still runs after 1 s"
ok "no timeout-finish: not killed" kill -0 "$(cat "$T/n/finishes")"
done_testing
