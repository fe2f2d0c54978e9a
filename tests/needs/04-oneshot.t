#!/bin/sh
# oneshot: ./run once per up, then done (exit 0) or failed, never restarted; ./finish after it; u of a done oneshot is a no-op, t (restart) runs it again, d runs ./stop and undoes it, u then runs it again; a down file keeps it from running at runsv's start; sv -w 5 start returns when it is done; Debian's sv reads it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

S=$T/sv
mkdir -p "$S"
runs() { if [ -f "$T/$1.runs" ]; then wc -l <"$T/$1.runs" | tr -d ' '; else echo 0; fi; }

mksvc "$S/o" "echo run >>$T/o.runs; echo ran >>$T/o.order"
script "$S/o/finish" "echo finish \$1 >>$T/o.order"
script "$S/o/stop" "echo stop >>$T/o.order; echo undone >>$T/o.undone"
touch "$S/o/oneshot"
start_runsv "$S/o"
ok "done" wait_for 20 info_has "$S/o" oneshot=done
is "$(cat "$T/o.order" | tr '\n' ' ')" "ran finish 0 " "./finish ran after ./run, with its exit code"
like "$("$SV" status "$S/o")" "^down: $S/o: [0-9]+s, normally up, want up$" "sv status: runit's text for a down service"
ok "JSON: oneshot done, exit 0" json_has "$S/o" '"last_exit":{"code":0},"starts":1,"status_text":null,"oneshot":"done"'
sleep 1.5
is "$(runs o)" 1 "not restarted (1.5 s later)"
out=$("$SV" up "$S/o"); rc=$?
is "$rc:$out" "0:" "sv up of a done oneshot: exit 0, nothing to say"
out=$("$SV" -w 5 start "$S/o"); rc=$?
like "$rc:$out" "^0:ok: down: $S/o: [0-9]+s, normally up, want up$" "sv start of a done oneshot: ok at once"
is "$(runs o)" 1 "neither ran it again"
out=$("$SV" -w 5 restart "$S/o"); rc=$?
like "$rc:$out" "^0:ok: down: $S/o: 0s, normally up, want up$" "sv restart: runs it again, ok once done"
is "$(runs o)" 2 "it ran again"
"$SV" -w 5 down "$S/o" >/dev/null; rc=$?
is "$rc" 0 "sv -w 5 down: ok"
is "$(cat "$T/o.undone" 2>/dev/null)" undone "./stop undid it"
ok "no longer done" json_has "$S/o" '"state":"down","pid":null'
ok "JSON: oneshot null" json_has "$S/o" '"oneshot":null'
like "$("$SV" status "$S/o")" "^down: $S/o: [0-9]+s, normally up$" "down, normally up, no longer wanted up"
"$SV" -w 5 up "$S/o" >/dev/null
ok "sv up runs ./run again" wait_for 20 sh -c "[ \$(wc -l <$T/o.runs) = 3 ]"

# failed: not restarted, the exit in JSON; u gives it one more attempt; restart too.
mksvc "$S/f" "echo run >>$T/f.runs; exit 7"
touch "$S/f/oneshot"
start_runsv "$S/f"
ok "failed" wait_for 20 info_has "$S/f" oneshot=failed
ok "JSON: failed, exit 7" json_has "$S/f" '"last_exit":{"code":7},"starts":1,"status_text":null,"oneshot":"failed"'
sleep 1.5
is "$(runs f)" 1 "not restarted"
out=$("$SV" -w 2 start "$S/f"); rc=$?
like "$rc:$out" "^1:timeout: down: $S/f: " "sv start of a failed oneshot: timeout, exit 1"
ctl "$S/f" u
sleep 1
is "$(runs f)" 1 "u: wanted up already, nothing to do"
"$SV" -w 1 restart "$S/f" >/dev/null 2>&1
ok "restart: one attempt more" wait_for 20 sh -c "[ \$(wc -l <$T/f.runs) = 2 ]"
sleep 1
is "$(runs f)" 2 "and only one"
mksvc "$S/k" "echo run >>$T/k.runs; kill -9 \$\$"
touch "$S/k/oneshot"
start_runsv "$S/k"
ok "killed by a signal: failed, with the signal" wait_for 20 json_has "$S/k" '"last_exit":{"signal":9},"starts":1,"status_text":null,"oneshot":"failed"'

# a down file: not run at runsv's start; sv -w 5 start runs it and returns when done.
mksvc "$S/d" "sleep 0.3; $STAMP >$T/d.done"
touch "$S/d/oneshot" "$S/d/down"
start_runsv "$S/d"
sleep 0.5
ok "not run at runsv's start" [ ! -e "$T/d.done" ]
out=$("$SV" -w 5 start "$S/d"); rc=$?
like "$rc:$out" "^0:ok: down: $S/d: 0s, want up$" "sv -w 5 start: ok"
ok "it returned once ./run was done" test -s "$T/d.done"

# a long oneshot stopped by d is neither done nor failed.
mksvc "$S/l" "exec sleep 1000"
touch "$S/l/oneshot"
start_runsv "$S/l"
ok "running" wait_for 20 stat_is "$S/l" run
"$SV" -w 5 down "$S/l" >/dev/null
ok "d stops it: down, neither done nor failed" json_has "$S/l" '"oneshot":null'

# timeout-kill applies to ./stop.
mksvc "$S/s" "exit 0"
script "$S/s/stop" "trap '' TERM; exec sleep 1000"
touch "$S/s/oneshot"
echo 300 >"$S/s/timeout-kill"
start_runsv "$S/s"
ok "done" wait_for 20 info_has "$S/s" oneshot=done
"$SV" down "$S/s" >/dev/null
ok "./stop shows as a finish" wait_for 20 stat_is "$S/s" finish
ok "./stop killed after timeout-kill: down" wait_for 20 stat_is "$S/s" down
like "$(cat "$T/stderr")" "runsv $S/s: warning: ./stop still runs after timeout-kill, sending KILL" "told"

# a oneshot's log/ works as for any service: its output is logged, the log service keeps running.
mksvc "$S/lg" "echo hello from the oneshot"
touch "$S/lg/oneshot"
mkdir "$S/lg/log"
script "$S/lg/log/run" "exec cat >>$T/lg.log"
start_runsv "$S/lg"
ok "done" wait_for 20 info_has "$S/lg" oneshot=done
ok "its output reached log/run" wait_for 20 grep -qx "hello from the oneshot" "$T/lg.log"
ok "the log service still runs" stat_is "$S/lg/log" run

if [ -x "$DEB_SV" ]; then
	like "$("$DEB_SV" status "$S/f")" "^down: $S/f: [0-9]+s, normally up, want up$" "Debian's sv reads a failed oneshot"
else
	skip "Debian's runit not installed"
fi
done_testing
