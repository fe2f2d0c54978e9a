#!/bin/sh
# kill-tree by cgroup with 301 processes (more than any fixed table held): the down-signal (RTMIN+2) reaches each of them exactly once, counted per process by its own trap; Debian's sv drives the stop.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
awk '$9 == "cgroup2" && $6 ~ /^rw/' /proc/self/mountinfo | grep -q . || skip_all "no writable cgroup2"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
N=300

# Each counter: RTMIN+2 ignored by the sleep it waits on (an ignored signal
# stays ignored across exec), counted by its own trap, one line per delivery.
sig=$(kill -l RTMIN+2 2>/dev/null || echo 36)
mksvc "$T/s" "i=0
while [ \$i -lt $N ]; do ./counter & i=\$((i + 1)); done
exec ./counter"
script "$T/s/counter" "trap '' $sig; sleep 1000 & trap 'echo \$\$ >>got' $sig; echo \$\$ >>pids; while :; do wait; done"
touch "$T/s/kill-tree"
echo RTMIN+2 >"$T/s/down-signal"
echo 4000 >"$T/s/timeout-kill"
cd "$T/s" || exit 1
start_runsv "$T/s"
ok "all $((N + 1)) counters run" wait_for 30 has_lines pids $((N + 1))
is "$(sed -n 's/^kill=//p' supervise/info)" cgroup "kill=cgroup"
"$SVD" d .
# Every counter gets the signal; then timeout-kill's KILL ends them all.
wait_for 20 stat_is . down
ok "down after timeout-kill" stat_is . down
got=$(sort got | uniq -c | awk '$1 != 1 { n++ } END { print n + 0 }')
is "$(sort -u got | wc -l | tr -d ' ')" $((N + 1)) "each of the $((N + 1)) counters got the down-signal"
is "$got" 0 "none got it more than once"
[ "$got" = 0 ] || sort got | uniq -c | awk '$1 != 1' | head -5 >&2
"$SV" x . >/dev/null
wait_exit "$RPID" 10
done_testing
