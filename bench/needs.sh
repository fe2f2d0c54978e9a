#!/bin/sh
# bench/needs.sh: needs under runsvdir: time from runsvdir's start to every service ready for a chain of 50 and a fan-in of 200 (from runsv's own ready_since stamps), the voluntary wake-ups of a runsv waiting for a need that does not change, and the PSS of a runsv with needs (waiting, and after) beside one without.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${RNG_BIN:-$TOP/build/bin}
ROUNDS=${NEEDS_BENCH_ROUNDS:-5}
CHAIN=${NEEDS_BENCH_CHAIN:-50}
FAN=${NEEDS_BENCH_FAN:-200}
[ -x "$BIN/runsv" ] || { echo "needs.sh: build $BIN/runsv first" >&2; exit 1; }
PATH=$BIN:$PATH
W=$(mktemp -d "${TMPDIR:-/tmp}/needs-bench.XXXXXX")
RSD=
cleanup() {
	[ -z "$RSD" ] || stop_tree
	rm -rf "$W"
}
trap cleanup EXIT INT TERM

. "$TOP/bench/lib.sh" # median
now_ms() { awk '{ printf "%.0f\n", $1 * 1000 }' /proc/uptime; }
# ms DIR: its ready_since in Unix ms (empty while not ready).
ready_ms() { sed -n 's/^ready_since=//p' "$1/supervise/info" 2>/dev/null | awk -F. 'NF == 2 { printf "%.0f\n", $1 * 1000 + substr($2, 1, 3) }'; }
svc() { mkdir -p "$1"; printf '#!/bin/sh\n%s\n' "$2" >"$1/run"; chmod 755 "$1/run"; echo 3 >"$1/notification-fd"; }
stop_tree() {
	kill -HUP "$RSD" 2>/dev/null || :
	wait "$RSD" 2>/dev/null || :
	# every runsv of the tree gone (they exit on the TERM runsvdir sent)
	for _i in $(seq 1 100); do pgrep -f "^runsv (c|n|app)[0-9]*\$" >/dev/null || break; sleep 0.1; done
	RSD=
}
# all_ready DIR...: every one has a ready_since; prints the latest.
latest_ready() {
	_m=0
	for _s in "$@"; do _r=$(ready_ms "$_s"); [ -n "$_r" ] || return 1; [ "$_r" -le "$_m" ] || _m=$_r; done
	echo "$_m"
}
# run_tree DIR SERVICE...: runsvdir on DIR; prints ms from its start to the last ready_since.
run_tree() {
	_d=$1; shift
	_t0=$(date +%s%3N)
	"$BIN/runsvdir" "$_d" 2>/dev/null &
	RSD=$!
	_end=$(( $(date +%s) + 60 ))
	until _l=$(latest_ready "$@"); do
		[ "$(date +%s)" -lt "$_end" ] || { echo "needs.sh: not ready within 60 s" >&2; exit 1; }
		sleep 0.02
	done
	echo $((_l - _t0))
	stop_tree
	for _s in "$@"; do rm -rf "$_s/supervise"; done
}

echo "Needs: services declare readiness on notification-fd at once; medians of $ROUNDS rounds, $(nproc) cores."
echo
chain=
svc "$W/chain/c1" 'echo >&3; exec sleep 1000'
chain=$W/chain/c1
for i in $(seq 2 "$CHAIN"); do
	svc "$W/chain/c$i" 'echo >&3; exec sleep 1000'
	echo "c$((i - 1))" >"$W/chain/c$i/needs"
	chain="$chain $W/chain/c$i"
done
for r in $(seq 1 "$ROUNDS"); do run_tree "$W/chain" $chain; done | median >"$W/chain.ms"
fan=
for i in $(seq 1 "$FAN"); do svc "$W/fan/n$i" 'echo >&3; exec sleep 1000'; echo "n$i"; fan="$fan $W/fan/n$i"; done >"$W/fan.needs"
svc "$W/fan/app" 'echo >&3; exec sleep 1000'
cp "$W/fan.needs" "$W/fan/app/needs"
for r in $(seq 1 "$ROUNDS"); do run_tree "$W/fan" $fan "$W/fan/app"; done | median >"$W/fan.ms"
# The same services without needs: the cost of the order itself.
for i in $(seq 2 "$CHAIN"); do rm -f "$W/chain/c$i/needs"; done
for r in $(seq 1 "$ROUNDS"); do run_tree "$W/chain" $chain; done | median >"$W/plain.ms"

# A runsv waiting for a need that does not change: wake-ups in 10 s; PSS while waiting, after, and without needs.
mkfifo "$W/go"
svc "$W/idle/n1" "read x <$W/go; echo >&3; exec sleep 1000"
svc "$W/idle/app1" 'echo >&3; exec sleep 1000'
echo n1 >"$W/idle/app1/needs"
svc "$W/idle/plain1" 'echo >&3; exec sleep 1000'
"$BIN/runsvdir" "$W/idle" 2>/dev/null &
RSD=$!
for i in $(seq 1 100); do grep -q '^waiting=n1 starting' "$W/idle/app1/supervise/info" 2>/dev/null && break; sleep 0.05; done
for i in $(seq 1 100); do [ -n "$(ready_ms "$W/idle/plain1")" ] && break; sleep 0.05; done
pa=$(pgrep -P "$RSD" -f '^runsv app1$'); pp=$(pgrep -P "$RSD" -f '^runsv plain1$')
v0=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pa/status")
sleep 10
v1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pa/status")
pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
pss_wait=$(pss "$pa"); pss_plain=$(pss "$pp")
echo go >"$W/go"
for i in $(seq 1 100); do [ -n "$(ready_ms "$W/idle/app1")" ] && break; sleep 0.05; done
pss_after=$(pss "$pa")

echo "| measure | value |"
echo "|---|---|"
echo "| runsvdir start to all $CHAIN of a chain ready | $(cat "$W/chain.ms") ms |"
echo "| the same $CHAIN services without needs | $(cat "$W/plain.ms") ms |"
echo "| runsvdir start to $FAN needs and the app needing them ready | $(cat "$W/fan.ms") ms |"
echo "| wake-ups of a runsv waiting for a need, 10 s idle | $((v1 - v0)) |"
echo "| PSS of a runsv without needs | $pss_plain kB |"
echo "| PSS of a runsv waiting for a need | $pss_wait kB |"
echo "| PSS of that runsv once its ./run runs | $pss_after kB |"
