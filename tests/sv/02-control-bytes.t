#!/bin/sh
# sv: the control bytes each command word writes to supervise/control, redundancy suppression, and kill on timeout.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
fake "$T/f"
# want byte '?' matches no command: nothing is suppressed
setrec f 5 4242 0 '?' 0 1

# sends WORD EXPECTED [OPTIONS]: EXPECTED bytes arrive after "sv OPTIONS WORD ./f"
sends() {
	_w=$1 _e=$2; shift 2
	: >f.ctl
	"$SV" "$@" "$_w" ./f >/dev/null 2>&1
	wait_for 3 sh -c '[ "$(cat f.ctl)" = "$1" ]' _ "$_e"
	is "$(cat f.ctl)" "$_e" "'$_w' sends '$_e'"
}

for pair in up:u down:d once:o pause:p cont:c hup:h alarm:a interrupt:i quit:q \
    1:1 2:2 term:t kill:k exit:x e:x u:u d:d ugly:u termite:t cx:c h:h k:k q:q; do
	sends "${pair%%:*}" "${pair#*:}"
done
# the LSB verbs wait; -w 0 makes that one quick round
sends start u -w 0
sends stop d -w 0
sends restart tcu -w 0
sends reload h -w 0
sends shutdown x -w 0
sends try-restart tc -w 0
# kill-on-timeout verbs send k once the wait expires
sends force-stop dk -w 0
sends force-reload tck -w 0
sends force-restart tcuk -w 0
sends force-shutdown xk -w 0
sends Down dk -w 0
sends Term tck -w 0
sends Exit xk -w 0
sends Xray xk -w 0

# check and status send nothing
: >f.ctl
"$SV" -w 0 check ./f >/dev/null
"$SV" status ./f >/dev/null
"$SV" stopx ./f >/dev/null
sleep 0.3
is "$(cat f.ctl)" "" "check, status and stopx (status) send nothing"

# redundancy: want up suppresses u; want down suppresses d only while TERM is on its way
setrec f 5 4242 0 u 0 1
: >f.ctl
"$SV" up ./f; rc=$?
sleep 0.3
is "$rc:$(cat f.ctl)" "0:" "up to a service wanted up sends nothing, rc 0"
setrec f 5 4242 0 d 1 1
"$SV" down ./f
sleep 0.3
is "$(cat f.ctl)" "" "down while TERM is pending is not repeated"
setrec f 5 4242 0 d 0 1
sends down d
setrec f 5 4242 0 d 2 1
sends down d
setrec f 5 4242 0 d 0 1
sends once o
sends up u

# one service after another, each gets the bytes
fake "$T/g"
setrec g 5 4343 0 '?' 0 1
: >f.ctl
"$SV" term ./f ./g
wait_for 3 sh -c '[ "$(cat f.ctl)$(cat g.ctl)" = tt ]'
is "$(cat f.ctl)$(cat g.ctl)" tt "every operand gets the command"

# SVDIR resolution: plain names go through SVDIR, ./ and trailing / do not
: >f.ctl
SVDIR=$T "$SV" hup f
wait_for 3 sh -c '[ "$(cat f.ctl)" = h ]'
is "$(cat f.ctl)" h "plain name resolved in SVDIR"
: >f.ctl
(cd "$T" && SVDIR=/nonexistent "$SV" alarm f/)
wait_for 3 sh -c '[ "$(cat f.ctl)" = a ]'
is "$(cat f.ctl)" a "trailing slash resolved in the cwd"

done_testing
