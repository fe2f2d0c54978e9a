#!/bin/sh
# Control bytes on supervise/control: signals a h i q 1 2, p/c (also while down), t, o, d, u, x, and tcu as three commands.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo $$ >>starts
for s in ALRM HUP INT QUIT USR1 USR2 CONT; do trap "echo $s >>sigs" $s; done
trap "echo TERM >>sigs; exit 0" TERM
while :; do sleep 0.05; done'
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 has_lines starts 1

n=0
for pair in a:ALRM h:HUP i:INT q:QUIT 1:USR1 2:USR2; do
	n=$((n + 1))
	ctl . "${pair%%:*}"
	wait_for 5 has_lines sigs $n
done
is "$(tr '\n' ' ' <sigs)" "ALRM HUP INT QUIT USR1 USR2 " "a h i q 1 2 deliver ALRM HUP INT QUIT USR1 USR2"

ctl . p
ok "p: stat says paused" wait_for 5 stat_is . "run, paused"
ok "p: status byte 16 is 1" wait_for 2 bytes_are . 16 16 01
ctl . c
ok "c: stat says run" wait_for 5 stat_is . "run"
ok "c: status byte 16 is 0" wait_for 2 bytes_are . 16 16 00
ok "c: the child got CONT" wait_for 5 grep -qs CONT sigs

pid1=$(cat supervise/pid)
ctl . t
ok "t with want up: TERM, then restarted" wait_for 5 has_lines starts 2
wait_for 5 stat_is . run
ok "t: new pid recorded" test "$(cat supervise/pid)" != "$pid1"

pid2=$(cat supervise/pid)
ctl . tcu
ok "tcu (sv restart) restarts" wait_for 5 has_lines starts 3
wait_for 5 stat_is . run
is "$(cat supervise/stat)" run "tcu: stat back to run"

ctl . o
ok "o while running: want down only" wait_for 5 stat_is . "run, want down"
ok "o: byte 17 is d, state run" wait_for 2 bytes_are . 17 19 "64 00 01"
ctl . t
ok "t with want down: stays down" wait_for 5 stat_is . down
is "$(stat -c %s supervise/pid)" 0 "down: pid file empty"
ok "down: pid 0, want d, state 0" wait_for 2 bytes_are . 12 19 "00 00 00 00 00 64 00 00"

ctl . p
ok "p while down: flag set anyway" wait_for 5 stat_is . "down, paused"
ok "p while down: byte 16 is 1" wait_for 2 bytes_are . 16 16 01
ctl . c
ok "c while down: flag cleared" wait_for 5 stat_is . down

ctl . d
sleep 0.3
is "$(lines starts)" 3 "d while down: nothing started"
ok "d while down: want d, state down" wait_for 2 bytes_are . 17 19 "64 00 00"

ctl . u
ok "u: started again" wait_for 5 has_lines starts 4
ok "u: stat run" wait_for 5 stat_is . run
ok "u: byte 17 is u" wait_for 2 bytes_are . 17 17 75

ctl . d
ok "d: down" wait_for 5 stat_is . down
is "$(tail -n 1 sigs)" TERM "d: the child got TERM"

ctl . o
ok "o while down: started once" wait_for 5 has_lines starts 5
ok "o: stat run, want down" wait_for 5 stat_is . "run, want down"
kill "$(cat supervise/pid)"
ok "o: down after the child exits" wait_for 5 stat_is . down
sleep 1.2
is "$(lines starts)" 5 "o: not restarted"

ctl . "$(printf 'u\n')"
ok "a newline after a command is ignored" wait_for 5 stat_is . run
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0 after the service stops"
is "$(tail -n 1 sigs)" TERM "x: the child got TERM"
is "$(cat "$T/stderr" 2>/dev/null)" "" "nothing on stderr"
done_testing
