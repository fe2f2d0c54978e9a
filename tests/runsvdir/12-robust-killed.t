#!/bin/sh
# Robustness: a killed runsv is restarted promptly (runit: up to 6 s); one that keeps dying is restarted at most once a second (both by the kernel's fork times).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
. "$(dirname "$0")/../lib/records.sh"

mkdir "$T/sv"
addsvc "$T/sv" a
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 grep -qs run sv/a/supervise/stat
ok "service runs" test $? = 0
# past the one-second rule: a second since runsv wrote stat, in ms (whole
# seconds, each cut, could pass at once); a stalled test only waits longer
wait_for 10 sh -c '[ $(( $(date +%s%3N) - $1 )) -ge 1000 ]' _ "$(rec_written_ms sv/a/supervise/stat)"
r=$(kid_pid "$p" "runsv a")
orphan=$(pgrep -P "$r")
kill -KILL "$r"
# now, as the kernel counts since boot (/proc/uptime), read after the kill
killed=$(awk '{ printf "%d\n", $1 * 100 }' /proc/uptime)
again() {
	r2=$(ps -o pid=,args= --ppid "$p" | awk '$3 == "a" { print $1 }')
	[ -n "$r2" ] && [ "$r2" != "$r" ] && forked=$(started_ticks "$r2")
}
ok "a killed runsv is back" wait_for 10 again
# how soon, by the kernel's records: the new runsv's fork, in the ticks
# since boot that /proc/uptime counts too; taken after the kill, the later
# reading can only make it look sooner, never later
soon=$(( (forked * 100 / CLK_TCK - killed) * 10 ))
ok "within 3 s of the kill, by the kernel's fork time ($soon ms)" test "$soon" -le 3000
killtree $orphan
ok "runsvdir is still alive" kill -0 "$p"

# A runsv that dies at once, every time: count its starts.
mkdir "$T/fakebin" "$T/sv2"
forked_script "$T/forked"
printf '#!/bin/sh\n"%s/forked" $$ >>"%s/starts"\nexit 1\n' "$T" "$T" >"$T/fakebin/runsv"
chmod +x "$T/fakebin/runsv"
addsvc "$T/sv2" crashy
PATH=$T/fakebin spawn "$RNG_BIN/runsvdir" sv2 2>"$T/err2"
p2=$SPAWNED
wait_for 10 test -s "$T/starts"
ok "the crashing runsv was started" test $? = 0
c0=$(cpu_ticks "$p2")
ok "and started again, a few times" wait_for 15 sh -c '[ "$(grep -c . "$1")" -ge 5 ]' _ "$T/starts"
# when runsvdir forked each, by the kernel's records: never two within a
# second (FORK_SLACK_MS of slack), and not much more than a second apart
gaps=$(head -n 5 "$T/starts" | awk -v hz="$CLK_TCK" 'NR > 1 { printf "%d ", ($1 - prev) * 1000 / hz } { prev = $1 }')
ok "restarted about once a second, by the kernel's fork times: gaps of $((1000 - FORK_SLACK_MS)) to 2000 ms (got $gaps)" \
    sh -c 'min=$2; set -- $1; [ $# = 4 ] || exit 1; for g; do [ "$g" -ge "$min" ] && [ "$g" -le 2000 ] || exit 1; done' _ "$gaps" $((1000 - FORK_SLACK_MS))
ok "no busy loop ($(( $(cpu_ticks "$p2") - c0 )) ticks over four restarts)" test $(( $(cpu_ticks "$p2") - c0 )) -le 10
done_testing
