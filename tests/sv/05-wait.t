#!/bin/sh
# sv waiting: -v/-w, the LSB verbs, ok/timeout/kill lines and their exit codes against a real runsv (D-sv-4..13, 19, 20, the wait-phase name quirk).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
service a 'trap "" HUP; exec sleep 1000'
service stubborn 'trap "" TERM HUP; exec sleep 1000'
printf '#!/bin/sh\necho "$@" >>finish.out\n' >stubborn/finish; chmod +x stubborn/finish
service b; with_log b
service c; touch c/down
for s in a stubborn b c; do up runsv "$T/$s"; done
ok "a runs" wait_for 5 is_state a run
ok "stubborn runs" wait_for 5 is_state stubborn run

out=$("$SV" -v up a); rc=$?
like "$out" '^ok: run: a: \(pid [0-9]+\) [0-9]+s$' "-v up on a running service: ok line"
is "$rc" 0 "-v up: rc 0"
out=$("$SV" -v hup a); rc=$?
like "$rc:$out" '^0:ok: run: a: \(pid [0-9]+\) [0-9]+s$' "-v hup: ok at once"
# a start in sv's own second would look fresh before runsv even read the t
ok "a is at least a second old" wait_for 5 sh -c '"$1" status a | grep -qs ") [1-9][0-9]*s"' _ "$SV"
old=$(cat a/supervise/pid)
out=$("$SV" restart a); rc=$?
like "$rc:$out" '^0:ok: run: a: \(pid [0-9]+\) [01]s$' "restart: ok with a fresh start"
new=$(printf '%s\n' "$out" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
ok "restart gave a new pid" test "$old" != "$new"

out=$("$SV" -v pause a); rc=$?
like "$rc:$out" '^0:ok: run: a: \(pid [0-9]+\) [0-9]+s, paused$' "-v pause"
out=$("$SV" -v cont a); rc=$?
like "$rc:$out" '^0:ok: run: a: \(pid [0-9]+\) [0-9]+s$' "-v cont"

out=$("$SV" -w 1 try-restart stubborn); rc=$?
like "$out" '^timeout: run: stubborn: \(pid [0-9]+\) [0-9]+s, got TERM$' "try-restart on a TERM-proof service times out"
is "$rc" 1 "try-restart timeout: rc 1"
out=$("$SV" reload stubborn); rc=$?
like "$rc:$out" '^0:ok: run: stubborn: \(pid [0-9]+\) [0-9]+s, got TERM$' "reload: h is always reached"
out=$("$SV" -w 0 down stubborn); rc=$?
like "$rc:$out" '^1:timeout: run: stubborn: \(pid [0-9]+\) [0-9]+s(, want down)?(, got TERM)?$' "-w 0: one round, then timeout"
out=$("$SV" -w 1 force-stop stubborn); rc=$?
like "$rc:$out" '^1:kill: run: stubborn: \(pid [0-9]+\) [0-9]+s, want down, got TERM$' "force-stop: kill line"
ok "force-stop sent KILL: finish ran with -1 9" wait_for 5 grep -qs -- '^-1 9$' stubborn/finish.out
ok "stubborn is down" wait_for 5 is_state stubborn down

out=$("$SV" -w 1 force-reload stubborn); rc=$?
like "$rc:$out" '^0:ok: down: stubborn: [0-9]+s, normally up$' "force-reload on down, want down: ok"
out=$("$SV" -w 3 force-restart stubborn); rc=$?
like "$rc:$out" '^0:ok: run: stubborn: \(pid [0-9]+\) [01]s$' "force-restart on a down service starts it"

out=$("$SV" -w 3 start c); rc=$?
like "$rc:$out" '^0:ok: run: c: \(pid [0-9]+\) [0-9]+s, normally down$' "start on a down-file service"
out=$("$SV" -w 3 stop c); rc=$?
like "$rc:$out" '^0:ok: down: c: [0-9]+s$' "stop"
"$SV" once c
ok "once runs it" wait_for 5 is_state c 'run, want down'
out=$("$SV" -w 3 down c); rc=$?
like "$rc:$out" '^0:ok: down: c: [0-9]+s$' "down after once is sent again (redundancy rule)"
ok "c is at least a second old" wait_for 5 sh -c '"$1" status c | grep -qs ": [1-9][0-9]*s"' _ "$SV"
out=$("$SV" -v once c); rc=$?
like "$rc:$out" '^0:ok: run: c: \(pid [0-9]+\) [0-9]+s, normally down, want down$' "-v once"
"$SV" -w 3 stop c >/dev/null

out=$("$SV" -w 1 exit b/log); rc=$?
like "$out" '^timeout: run: b/log: \(pid [0-9]+\) [0-9]+s$' "exit on the log slot is ignored: timeout"
is "$rc" 1 "log exit timeout: rc 1"
out=$("$SV" -w 3 exit b); rc=$?
is "$rc:$out" "0:ok: b: runsv not running" "exit: runsv not running is ok"
out=$("$SV" status b); rc=$?
is "$rc:$out" "1:fail: b: runsv not running" "status after exit: fail, rc 1"
out=$("$SV" -w 3 up b); rc=$?
is "$rc:$out" "1:fail: b: runsv not running" "up without runsv: fail"

# the wait phase resolves names by their first byte only (runit's quirk)
mkdir elsewhere && mv a elsewhere/ && cd elsewhere || exit 1
out=$(SVDIR=/nonexistent "$SV" -v up a/); rc=$?
is "$rc:$out" "1:fail: a/: unable to change to service directory: file does not exist" "sv -v up a/ sends to ./a/ but waits in SVDIR"
out=$(SVDIR=/nonexistent "$SV" -v up ./a); rc=$?
like "$rc:$out" '^0:ok: run: \./a: ' "./a is found in both phases"
cd "$T" || exit 1

# several services and the error count
out=$("$SV" -w 0 down stubborn nonexist missing2); rc=$?
is "$rc" 3 "rc counts timeouts and failures"
done_testing
