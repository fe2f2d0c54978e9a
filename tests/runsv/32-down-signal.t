#!/bin/sh
# down-signal: d and x send it (HUP, SIGQUIT, a number) instead of TERM, then CONT; t still sends TERM; an executable control/d or control/x runs first and, exiting 0, overrides it; a bad file is warned about and TERM is used.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

# Debian's sv drives these when it is there: they are plain control bytes.
if [ -x "$DEB_SV" ]; then DSV=$DEB_SV; else DSV=$SV; fi

# The service records every signal it gets and ends on any of TERM HUP QUIT USR1.
mksvc "$T/s" 'echo $$ >>starts
for s in TERM HUP QUIT USR1; do trap "echo $s >>sigs; exit 0" $s; done
trap "echo CONT >>sigs" CONT
while :; do sleep 0.05; done'
cd "$T/s" || exit 1
echo HUP >down-signal
start_runsv "$T/s"
wait_for 5 stat_is . run

# down_with EXPECTED DESCRIPTION: d, then the signals the service saw.
down_with() {
	: >sigs
	"$DSV" -w 5 down . >/dev/null
	wait_for 2 has_lines sigs 1
	is "$(tr '\n' ' ' <sigs)" "$1" "$2"
	"$DSV" -w 5 up . >/dev/null
}
down_with "HUP " "down-signal HUP: d sends HUP, not TERM"
printf 'SIGQUIT\n' >down-signal
down_with "HUP " "the file is read when ./run starts: still HUP"
"$DSV" -w 5 up . >/dev/null
down_with "QUIT " "down-signal SIGQUIT: d sends QUIT"
echo 10 >down-signal
"$DSV" t . >/dev/null
wait_for 5 has_lines starts 5
wait_for 5 stat_is . run
down_with "USR1 " "down-signal 10: d sends signal 10 (USR1)"

: >sigs
"$DSV" t .
wait_for 2 has_lines sigs 1
is "$(head -n 1 sigs)" TERM "t still sends TERM"
wait_for 5 stat_is . run

# control/d first: exit 0 overrides the down-signal.
echo HUP >down-signal
"$DSV" t . >/dev/null
wait_for 5 stat_is . run
mkdir control
script control/d 'echo control-d >>sigs; exit 0'
: >sigs
"$DSV" d . >/dev/null
ok "control/d ran" wait_for 5 grep -qs control-d sigs
sleep 0.3 # proving no signal follows
is "$(tr '\n' ' ' <sigs)" "control-d CONT " "control/d exiting 0 wins: no HUP (CONT as runit)"
is "$(cat supervise/stat)" "run, want down" "still running, want down, no got TERM"
script control/d 'echo control-d >>sigs; exit 1'
: >sigs
"$DSV" d . >/dev/null
ok "control/d exiting 1: down" wait_for 5 stat_is . down
is "$(tr '\n' ' ' <sigs)" "control-d HUP " "control/d runs first, then HUP"
rm control/d

# x: the down-signal too, and control/x first.
script control/x 'echo control-x >>sigs; exit 1'
"$DSV" -w 5 up . >/dev/null
: >sigs
"$DSV" x . >/dev/null
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: runsv exits 0"
is "$(tr '\n' ' ' <sigs)" "control-x HUP " "x: control/x first, then the down-signal"
rm -r control

# A name that is no signal: a warning, and TERM.
echo HUPP >down-signal
start_runsv "$T/s"
wait_for 5 stat_is . run
: >sigs
"$DSV" -w 5 down . >/dev/null
is "$(head -n 1 sigs)" TERM "a bad down-signal: TERM"
like "$(grep -m1 'down-signal' "$T/stderr")" "^runsv $T/s: warning: ignoring down-signal: " "warned in runit's shape"
"$DSV" x . >/dev/null
wait_exit "$RPID" 5
done_testing
