#!/bin/sh
# A chain of 50 (each needs the one before) and a fan-in of 200 needs, under runsvdir: each ./run starts only after what it needs is ready, and a runsv waiting for a need that does not change wakes up 0 times; the time to all ready is reported from the supervisors' own records.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

N=50
FAN=200
[ -z "${RNG_ASAN:-}" ] || { N=20; FAN=50; }

# ready_since DIR: ready_since of DIR's info in ms (empty while not ready).
ready_ms() { info_get "$1" ready_since | awk -F. 'NF == 2 { printf "%.0f\n", $1 * 1000 + substr($2, 1, 3) }'; }
all_ready() { for _s in "$@"; do [ -n "$(ready_ms "$_s")" ] || return 1; done; }

# The chain: c1 waits for $T/go before it declares readiness; c2..cN each need the one before.
mkdir -p "$T/chain"
mkfifo "$T/go"
mksvc "$T/chain/c1" "read x <$T/go; echo >&3; exec sleep 1000"
echo 3 >"$T/chain/c1/notification-fd"
svcs=$T/chain/c1
for i in $(seq 2 $N); do
	mksvc "$T/chain/c$i" "$STAMP >$T/chain/c$i.start; echo >&3; exec sleep 1000"
	echo 3 >"$T/chain/c$i/notification-fd"
	needs "$T/chain/c$i" "c$((i - 1))"
	svcs="$svcs $T/chain/c$i"
done
spawn runsvdir "$T/chain"
ok "the chain's runsv are up, c1 runs" wait_for 30 sh -c "[ \"\$(sed -n 's/^pid=//p' $T/chain/c1/supervise/info 2>/dev/null)\" != 0 ] && [ -s $T/chain/c$N/supervise/info ]"
ok "c$N waits, and says for what" wait_for 60 json_has "$T/chain/c$N" '"waiting":[{"name":"c'$((N - 1))'","state":"waiting"'
ok "c2 waits for c1: starting, not ready yet" wait_for 60 json_has "$T/chain/c2" '"state":"starting","reason":"not ready yet"'
p2=$(runsv_pid "$T/chain/c2" "$SPAWNED"); pN=$(runsv_pid "$T/chain/c$N" "$SPAWNED")
ok "found the waiting runsv" [ -n "$p2" ] && [ -n "$pN" ]
w2=$(idle_switches "$p2" 2); wN=$(idle_switches "$pN" 0)
is "$w2" 0 "c2's runsv, waiting, woke up 0 times in 2 s"
is "$(idle_switches "$pN" 1)" 0 "c$N's runsv, waiting, woke up 0 times in 1 s"
ok "nothing of the chain started yet" [ ! -e "$T/chain/c2.start" ]
echo go >"$T/go"
ok "the whole chain gets ready" wait_for 60 all_ready $svcs
bad=0
for i in $(seq 2 $N); do
	prev=$(ready_ms "$T/chain/c$((i - 1))"); start=$(( $(cat "$T/chain/c$i.start") / 1000000 ))
	[ "$start" -ge "$prev" ] || { bad=$((bad + 1)); echo "c$i started at $start ms, c$((i - 1)) ready at $prev" >&2; }
done
is "$bad" 0 "each of the $N started after the one it needs was ready"
diag "chain of $N: c1 ready to c$N ready: $(( $(ready_ms "$T/chain/c$N") - $(ready_ms "$T/chain/c1") )) ms"

# The fan-in: app needs n1..n$FAN; n$FAN waits for $T/go2.
mkdir -p "$T/fan"
mkfifo "$T/go2"
for i in $(seq 1 $FAN); do
	if [ "$i" = "$FAN" ]; then
		mksvc "$T/fan/n$i" "read x <$T/go2; $STAMP >$T/fan/last.ready; echo >&3; exec sleep 1000"
	else
		mksvc "$T/fan/n$i" "echo >&3; exec sleep 1000"
	fi
	echo 3 >"$T/fan/n$i/notification-fd"
	echo "n$i"
done >"$T/fan.needs"
mksvc "$T/fan/app" "$STAMP >$T/fan/app.start; exec sleep 1000"
cp "$T/fan.needs" "$T/fan/app/needs"
spawn runsvdir "$T/fan"
fanpid=$SPAWNED
ok "app waits for one need of $FAN" wait_for 60 json_has "$T/fan/app" '"waiting_count":1,"waiting":[{"name":"n'$FAN'","state":"starting"'
pa=$(runsv_pid "$T/fan/app" "$fanpid")
is "$(idle_switches "$pa" 2)" 0 "app's runsv, waiting, woke up 0 times in 2 s"
ok "app has not started" [ ! -e "$T/fan/app.start" ]
echo go >"$T/go2"
ok "app starts" wait_for 30 test -s "$T/fan/app.start"
ok "after the last need was ready" [ "$(cat "$T/fan/app.start")" -ge "$(cat "$T/fan/last.ready")" ]
diag "fan-in of $FAN: last need ready to app's ./run: $(( ($(cat "$T/fan/app.start") - $(cat "$T/fan/last.ready")) / 1000 )) us"
done_testing
