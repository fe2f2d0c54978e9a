#!/bin/sh
# restart-delay 100 1600: a service that fails at once is started again after 100, 200, 400, 800, 1600, 1600 ms (from runsv's own records: each start's since against the last_exit_at before it); a run longer than MAX resets the step; next_start is shown while waiting; sv -w up waits through a delay.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
. "$(dirname "$0")/../lib/records.sh"

umask 022
# ./run waits until runsv recorded its start in info (a few ms), keeps a
# copy of that info, and fails; the file "long" makes one run last 2 s.
# (The status record's pid is read as a native u4: little-endian on the
# machines this runs on.)
mksvc "$T/s" 'n=0
while [ "$(od -An -tu4 -j12 -N4 supervise/status | tr -d " ")" != $$ ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
cp supervise/status "status.$$"
cp supervise/info "info.$$"
echo $$ >>starts
if [ -e long ]; then rm -f long; sleep 2; fi
[ ! -e stay ] || exec sleep 1000
exit 1'
echo "100 1600" >"$T/s/restart-delay"
cd "$T/s" || exit 1
start_runsv "$T/s"
ok "seven starts" wait_for 30 has_lines starts 7
ctl . d
wait_for 5 stat_is . down

# delay_ms PID: the start's stamp in the status record copied at that
# start, less the last_exit_at of info, in ms.
delay_ms() {
	ms_between "$(rec_stamp_ms "status.$1")" "$(unix_ms "$(sed -n 's/^last_exit_at=//p' "info.$1")")"
}
i=0
for want in 100 200 400 800 1600 1600; do
	i=$((i + 1))
	pid=$(sed -n "$((i + 1))p" starts)
	got=$(delay_ms "$pid")
	# Never sooner than asked (the timer is monotonic, the stamps real time:
	# a few ms of slack); later by at most 1.5 s on a busy machine, which
	# still tells 1600 from the 3200 an uncapped doubling would give.
	ok "start $((i + 1)) came $want ms after the end before it (got $got)" \
	    test "$got" -ge $((want - 5)) -a "$got" -le $((want + 1500))
	[ "$got" -ge $((want - 5)) ] && [ "$got" -le $((want + 1500)) ] || echo "# start $((i + 1)): $got ms, want $want" >&2
done

# A run longer than MAX resets the step: its end is followed by an
# immediate start, the next quick failure waits MIN again.
: >starts
rm -f info.* status.*
touch long
ctl . u
ok "three more starts" wait_for 30 has_lines starts 3
ctl . d
wait_for 5 stat_is . down
got=$(delay_ms "$(sed -n 2p starts)")
ok "after a 2 s run: started again at once (got $got ms)" test "$got" -lt 100
got=$(delay_ms "$(sed -n 3p starts)")
ok "the next quick failure waits MIN again (got $got ms)" test "$got" -ge 95 -a "$got" -lt 1100

# While a delay runs: down, wanted up, and info says when the next start is due.
echo "3000 3000" >restart-delay
: >starts
ctl . u
wait_for 10 has_lines starts 1
ok "waiting out the delay: down, wanted up" wait_for 5 sh -c 'grep -qx "next_start=.*[0-9]" supervise/info'
is "$(cat supervise/stat)" "down" "stat says down"
is "$(status_hex . 17 17)" 75 "status says want up"
due=$(sed -n 's/^next_start=//p' supervise/info)
end=$(sed -n 's/^last_exit_at=//p' supervise/info)
ok "next_start is 3 s after the end ($due, $end)" awk -v d="$due" -v e="$end" 'BEGIN { x = d - e; exit !(x > 2.99 && x < 3.01) }'
like "$("$SV" -o json status . 2>&1)" '"next_start":[0-9]+\.[0-9]+' "sv -o json shows next_start"
# sv -w up waits through the delay within its timeout: started, then up.
touch stay
out=$("$SV" -w 10 up . 2>&1)
like "$out" "^ok: run: \.: \(pid [0-9]+\)" "sv -w 10 up waits through the delay ($out)"
ctl . d
wait_for 5 stat_is . down
ok "runsv said nothing" test ! -s "$T/stderr"
[ -s "$T/stderr" ] && sed 's/^/# /' "$T/stderr" >&2
done_testing
