#!/bin/sh
# What keeps a service waiting, said in sv's JSON and supervise/info with runit's bytes unchanged: a missing need (then made), a oneshot that failed (one new attempt, no loop), cycles of 2 and 3 (told on stderr, nothing starts), a need whose runsv is killed meanwhile, a bad needs line; no busy loop while it waits.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

S=$T/sv
mkdir -p "$S"

# A missing need: b waits, says so, and sleeps; the need made and started: b starts.
mksvc "$S/b" "$STAMP >$T/b.start; exec sleep 1000"
needs "$S/b" nosuch
start_runsv "$S/b"
bp=$RPID
ok "b waits for a missing need" wait_for 20 json_has "$S/b" '"waiting_count":1,"waiting":[{"name":"nosuch","state":"missing","reason":"no such service"}]'
like "$("$SV" status "$S/b")" "^down: $S/b: [0-9]+s, normally up, want up$" "sv status: runit's text for down and wanted up"
is "$(od -An -tx1 -j 12 -N 8 "$S/b/supervise/status" | tr -d ' ')" "0000000000750000" "status bytes: no pid, not paused, want up, no TERM, down"
is "$(cat "$S/b/supervise/stat")" "down" "stat: down"
is "$(idle_switches "$bp" 1)" 0 "its runsv wakes up 0 times while nothing changes"
ok "b has not started" [ ! -e "$T/b.start" ]
mkdir "$T/nosuch.tmp"
script "$T/nosuch.tmp/run" "exec sleep 1000"
mv "$T/nosuch.tmp" "$S/nosuch"
ok "the need appears: b says it is not supervised" wait_for 20 json_has "$S/b" '"state":"unsupervised","reason":"runsv not running"'
start_runsv "$S/nosuch"
ok "its runsv starts it, and b starts 420 ms later (sv's rule)" wait_for 20 test -s "$T/b.start"
ok "b no longer waits" wait_for 20 json_has "$S/b" '"waiting_count":null,"waiting":null'

# A failed oneshot: c waits with the reason; the oneshot got one attempt more, not a loop.
mksvc "$S/f" "echo run >>$T/f.runs; exit 3"
touch "$S/f/oneshot"
start_runsv "$S/f"
ok "f failed" wait_for 20 info_has "$S/f" oneshot=failed
is "$(cut -d, -f1 "$S/f/supervise/stat")" down "f: down"
mksvc "$S/c" "$STAMP >$T/c.start; exec sleep 1000"
needs "$S/c" f
start_runsv "$S/c"
ok "c waits for f: failed, with the exit" wait_for 20 json_has "$S/c" '{"name":"f","state":"failed","reason":"oneshot failed, exit 3"}'
sleep 1.5
is "$(wc -l <"$T/f.runs" | tr -d ' ')" 2 "f ran twice: its start and the one attempt c asked for"
is "$(info_get "$S/f" starts)" 2 "f's starts: 2"
ok "c has not started" [ ! -e "$T/c.start" ]
script "$S/f/run" "exit 0"
"$SV" restart "$S/f" >/dev/null
ok "f fixed and restarted: c starts" wait_for 20 test -s "$T/c.start"

# Cycles of 2 and 3: reported, and nothing of them starts.
for x in x1 x2 y1 y2 y3; do mksvc "$S/$x" "echo $x >>$T/cycle.start; exec sleep 1000"; done
needs "$S/x1" x2; needs "$S/x2" x1
needs "$S/y1" y2; needs "$S/y2" y3; needs "$S/y3" y1
for x in x1 x2 y1 y2 y3; do start_runsv "$S/$x"; done
ok "x1's cycle in JSON" wait_for 20 json_has "$S/x1" '{"name":"x1","state":"cycle","reason":"x1 -> x2 -> x1"}'
ok "y2's cycle of 3 in JSON" wait_for 20 json_has "$S/y2" '{"name":"y2","state":"cycle","reason":"y2 -> y3 -> y1 -> y2"}'
ok "runsv told stderr of each cycle" wait_for 20 sh -c "[ \$(grep -c 'warning: cycle in needs: ' $T/stderr) -ge 5 ]"
like "$(grep 'runsv .*/y1: warning' "$T/stderr")" "runsv $S/y1: warning: cycle in needs: y1 -> y2 -> y3 -> y1, ./run does not start" "in runit's shape"
sleep 0.5
ok "none of them started" [ ! -e "$T/cycle.start" ]
out=$("$SV" -w 1 start "$S/x1"); rc=$?
like "$rc:$out" "^1:timeout: down: $S/x1: [0-9]+s, normally up, want up$" "sv -w 1 start of a waiting service: timeout, exit 1"
is "$(idle_switches "$RPID" 1)" 0 "y3's runsv sleeps"

# A need whose runsv is killed while d waits; a new runsv brings it back.
mksvc "$S/n" "exec sleep 1000"
echo 3 >"$S/n/notification-fd"
start_runsv "$S/n"
np=$RPID
mksvc "$S/d" "$STAMP >$T/d.start; exec sleep 1000"
needs "$S/d" n
start_runsv "$S/d"
dp=$RPID
ok "d waits: n not ready yet" wait_for 20 json_has "$S/d" '{"name":"n","state":"starting","reason":"not ready yet"}'
child=$(sed -n 's/^pid=//p' "$S/n/supervise/info")
kill -KILL "$np"
kill -TERM "$child" 2>/dev/null
ok "n's runsv killed: d says runsv not running" wait_for 20 json_has "$S/d" '{"name":"n","state":"unsupervised","reason":"runsv not running"}'
is "$(idle_switches "$dp" 1)" 0 "d's runsv sleeps meanwhile"
script "$S/n/run" "echo >&3; exec sleep 1000"
start_runsv "$S/n"
ok "a new runsv for n: d starts" wait_for 20 test -s "$T/d.start"

# A needs line that is no name, and a need given by absolute path.
mksvc "$S/e" "$STAMP >$T/e.start; exec sleep 1000"
printf '%s\n' "$S/n" "two words" >"$S/e/needs"
start_runsv "$S/e"
ok "e waits for its bad line, not for the absolute path" wait_for 20 json_has "$S/e" '"waiting_count":1,"waiting":[{"name":"?","state":"invalid","reason":"not a service name"}]'
ok "e has not started" [ ! -e "$T/e.start" ]
needs "$S/e" "$S/n"
"$SV" restart "$S/e" >/dev/null 2>&1
ok "fixed, it starts" wait_for 20 test -s "$T/e.start"

# A needs file that cannot be used (a NUL byte): told on stderr, in runit's shape; nothing starts.
mksvc "$S/nul" "$STAMP >$T/nul.start; exec sleep 1000"
printf 'n\0x\n' >"$S/nul/needs"
start_runsv "$S/nul"
ok "JSON: the needs file is invalid" wait_for 20 json_has "$S/nul" '{"name":"needs","state":"invalid","reason":"needs file: holds a NUL byte"}'
like "$(grep "runsv $S/nul:" "$T/stderr")" "^runsv $S/nul: warning: unable to use needs: holds a NUL byte, ./run does not start$" "stderr says why"
ok "it has not started" [ ! -e "$T/nul.start" ]

# d down by hand does not stop b (loose coupling); b's restart waits again.
"$SV" down "$S/nosuch" >/dev/null
ok "nosuch down" wait_for 20 stat_is "$S/nosuch" down
ok "b still runs" stat_is "$S/b" run
"$SV" -w 1 restart "$S/b" >/dev/null 2>&1
ok "b's restart brings nosuch up first (b asks it)" wait_for 20 stat_is "$S/nosuch" run
ok "then b runs" wait_for 20 stat_is "$S/b" run
# sv -w 5 start covers the needs: h and g are normally down; starting h brings g up first.
mksvc "$S/g" "sleep 0.5; $STAMP >$T/g.ready; echo >&3; exec sleep 1000"
echo 3 >"$S/g/notification-fd"
mksvc "$S/h" "$STAMP >$T/h.start; exec sleep 1000"
needs "$S/h" g
touch "$S/g/down" "$S/h/down"
start_runsv "$S/g"
start_runsv "$S/h"
out=$("$SV" -w 5 start "$S/h"); rc=$?
like "$rc:$out" "^0:ok: run: $S/h: \(pid [0-9]+\) [0-9]+s, normally down$" "sv -w 5 start h: ok, its need started first"
ok "h started after g was ready" [ "$(cat "$T/h.start")" -ge "$(cat "$T/g.ready")" ]
done_testing
