#!/bin/sh
# bench/runsv.sh: runsv memory per instance (PSS) and latency from control byte u to ./run executing, ours vs Debian's runsv; ours with kill-tree and readiness; sv down of a TERM-ignoring service with timeout-kill; wake-ups of an idle runsv whose service is ready.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/bench/lib.sh"
N=${RUNSV_BENCH_N:-50}
ROUNDS=${RUNSV_BENCH_ROUNDS:-20}
runsv_pair runsv.sh
bench_setup runsv
cc -O2 -o "$W/lat" "$TOP/bench/runsv_lat.c"

# service DIR KIND: a service running sleep; KIND plain, kill-tree (its
# cgroup), fd (ready through notification-fd) or notify (through sd_notify).
service() {
	mkdir "$1"
	case $2 in
	fd) echo 3 >"$1/notification-fd"
		printf '#!/bin/sh\necho >&3\nexec sleep 1000\n' >"$1/run" ;;
	notify) touch "$1/notify"
		printf '#!/bin/sh\nsystemd-notify --ready\nexec sleep 1000\n' >"$1/run" ;;
	*) printf '#!/bin/sh\nexec sleep 1000\n' >"$1/run" ;;
	esac
	[ "$2" != kill-tree ] || : >"$1/kill-tree"
	chmod 755 "$1/run"
}

# mem BINARY TAG [KIND]: start N runsv on services running sleep; print the median PSS in kB.
mem() {
	mkdir "$W/$2"
	i=0
	while [ $i -lt "$N" ]; do
		service "$W/$2/s$i" "${3:-plain}"
		i=$((i + 1))
	done
	runsv_pss "$1" "$W/$2"/s*
}

# setup_lat BINARY TAG: a down service whose ./run is the compiled helper
# itself (no shell start-up in the figure), under BINARY.
setup_lat() {
	d=$W/lat-$2
	mkdir "$d"
	cp "$W/lat" "$d/run"
	touch "$d/down"
	"$1" "$d" 2>/dev/null &
	PIDS="$PIDS $!"
	until [ -f "$d/supervise/stat" ] && [ -p "$d/supervise/ok" ]; do sleep 0.02; done
}

# latency: ROUNDS times, write u to each runsv in turn and time it to
# ./run's first instruction (µs). The order alternates from round to round:
# the first start after the 1-second pause is the slower one (measured:
# whichever binary goes first loses about 1.7x), so neither may always go first.
latency() {
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		if [ $((r % 2)) = 0 ]; then order='ours deb'; else order='deb ours'; fi
		for t in $order; do
			d=$W/lat-$t
			rm -f "$d/stamp"
			printf '%s ' "$t"
			"$W/lat" drive "$d"
			printf d >"$d/supervise/control"
			wait_stat "$d" down
		done
		sleep 1.05 # past the 1-second rule, so every start is immediate
		r=$((r + 1))
	done >"$W/lat.txt"
}

mo=$(mem "$OURS" mo)
md=$(mem "$DEB" md)
mk=$(mem "$OURS" mk kill-tree)
mf=$(mem "$OURS" mf fd)
if command -v systemd-notify >/dev/null; then mn=$(mem "$OURS" mn notify); else mn=n/a; fi
setup_lat "$OURS" ours
setup_lat "$DEB" deb
sleep 0.2
latency
lo=$(awk '$1 == "ours" {print $2}' "$W/lat.txt" | median)
ld=$(awk '$1 == "deb" {print $2}' "$W/lat.txt" | median)

# stop_latency: a TERM-ignoring service with timeout-kill 100; ROUNDS times
# sv -w 5 down (ours), from its start to its "ok: down" (ms).
SV=${RNG_BIN:-$TOP/build/bin}/sv
stop_latency() {
	d=$W/stop
	mkdir "$d"
	printf '#!/bin/sh\ntrap "" TERM\nexec sleep 1000\n' >"$d/run"
	chmod 755 "$d/run"
	echo 100 >"$d/timeout-kill"
	"$OURS" "$d" 2>/dev/null &
	PIDS="$PIDS $!"
	wait_stat "$d" run
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		"$SV" -w 5 up "$d" >/dev/null
		t0=$(date +%s%N)
		out=$("$SV" -w 5 down "$d")
		t1=$(date +%s%N)
		case $out in ok:*) echo $(( (t1 - t0) / 1000000 ));; *) echo 99999;; esac
		r=$((r + 1))
	done | median
}

# idle_wakeups KIND: a runsv whose service is up (and ready, for fd and
# notify); its context switches over IDLE seconds, scaled to a minute.
IDLE=${RUNSV_BENCH_IDLE:-60}
ctxsw() { awk '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {print v + n}' "/proc/$1/status"; }
idle_wakeups() {
	d=$W/idle-$1
	service "$d" "$1"
	"$OURS" "$d" 2>/dev/null &
	p=$!
	PIDS="$PIDS $p"
	wait_stat "$d" run
	case $1 in fd|notify) until grep -q '^ready_since=.' "$d/supervise/info"; do sleep 0.02; done;; esac
	sleep 0.5
	a=$(ctxsw "$p")
	sleep "$IDLE"
	b=$(ctxsw "$p")
	echo $(( (b - a) * 60 / IDLE ))
}

echo "### runsv: ours vs Debian's runit 2.1.2"
echo
echo "| measure | ours | Debian | ours/Debian |"
echo "|---|---|---|---|"
echo "| PSS per runsv, median of $N (kB) | $mo | $md | $(ratio "$mo" "$md") |"
echo "| \`u\` to ./run running, median of $ROUNDS (µs) | $lo | $ld | $(ratio "$lo" "$ld") |"

# In this shell, not in $(...): their runsv must stay in PIDS for cleanup.
stop_latency >"$W/sl"
idle_wakeups fd >"$W/wf"
if command -v systemd-notify >/dev/null; then idle_wakeups notify >"$W/wn"; else echo n/a >"$W/wn"; fi
idle_wakeups kill-tree >"$W/wk"
sl=$(cat "$W/sl") wf=$(cat "$W/wf") wn=$(cat "$W/wn") wk=$(cat "$W/wk")
echo
echo "### runsv: stop policy and readiness (ours)"
echo
echo "| measure | value | against |"
echo "|---|---|---|"
echo "| PSS per runsv, service with kill-tree (its cgroup), median of $N (kB) | $mk | $(ratio "$mk" "$mo") of ours without |"
echo "| PSS per runsv, service ready through notification-fd, median of $N (kB) | $mf | $(ratio "$mf" "$mo") of ours without, $(ratio "$mf" "$md") of Debian's |"
echo "| PSS per runsv, service ready through sd_notify, median of $N (kB) | $mn | $(ratio "$mn" "$mo") of ours without, $(ratio "$mn" "$md") of Debian's |"
echo "| \`sv -w 5 down\` to \`ok: down\`, TERM-ignoring service, timeout-kill 100, median of $ROUNDS (ms) | $sl | goal < 150; Debian's runsv never stops it |"
echo "| wake-ups per minute of an idle runsv, service ready through notification-fd (${IDLE} s window) | $wf | goal 0 |"
echo "| wake-ups per minute of an idle runsv, service ready through sd_notify (${IDLE} s window) | $wn | goal 0 |"
echo "| wake-ups per minute of an idle runsv, service with kill-tree (${IDLE} s window) | $wk | goal 0 |"
