#!/bin/sh
# bench/runsv.sh: runsv memory per instance (PSS) and latency from control byte u to ./run executing, ours vs Debian's runsv.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OURS=${RNG_BIN:-$TOP/build/bin}/runsv
DEB=/usr/bin/runsv
N=${RUNSV_BENCH_N:-50}
ROUNDS=${RUNSV_BENCH_ROUNDS:-20}
[ -x "$OURS" ] || { echo "runsv.sh: build $OURS first" >&2; exit 1; }
[ -x "$DEB" ] || { echo "runsv.sh: Debian's runsv not installed" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/runsv-bench.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || :; done
	sleep 0.3
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null || :; done
	rm -rf "$W"
}
trap cleanup EXIT INT TERM
cc -O2 -o "$W/lat" "$TOP/bench/runsv_lat.c"

median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# mem BINARY TAG: start N runsv on services running sleep; print the median PSS in kB.
mem() {
	mkdir "$W/$2"
	i=0
	pids=
	while [ $i -lt "$N" ]; do
		d=$W/$2/s$i
		mkdir "$d"
		printf '#!/bin/sh\nexec sleep 1000\n' >"$d/run"
		chmod 755 "$d/run"
		"$1" "$d" 2>/dev/null &
		pids="$pids $!"
		i=$((i + 1))
	done
	PIDS="$PIDS $pids"
	for d in "$W/$2"/s*; do
		until [ "$(cat "$d/supervise/stat" 2>/dev/null)" = run ]; do sleep 0.02; done
	done
	for p in $pids; do awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"; done | median
	for p in $pids; do kill -TERM "$p"; done
	for p in $pids; do wait "$p" 2>/dev/null || :; done
}

# latency BINARY TAG: ROUNDS times write u and time it to ./run's first instruction (µs).
# ./run is the compiled helper itself, so no shell start-up is in the figure.
latency() {
	d=$W/lat-$2
	mkdir "$d"
	cp "$W/lat" "$d/run"
	touch "$d/down"
	"$1" "$d" 2>/dev/null &
	p=$!
	PIDS="$PIDS $p"
	until [ -f "$d/supervise/stat" ] && [ -p "$d/supervise/ok" ]; do sleep 0.02; done
	sleep 0.2
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		rm -f "$d/stamp"
		"$W/lat" drive "$d"
		printf d >"$d/supervise/control"
		until [ "$(cat "$d/supervise/stat")" = down ]; do sleep 0.01; done
		sleep 1.05 # past the 1-second rule, so every start is immediate
		r=$((r + 1))
	done | median
	kill -TERM "$p"
	wait "$p" 2>/dev/null || :
}

mo=$(mem "$OURS" mo)
md=$(mem "$DEB" md)
lo=$(latency "$OURS" ours)
ld=$(latency "$DEB" deb)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "### runsv: ours vs Debian's runit 2.1.2"
echo
echo "| measure | ours | Debian | ours/Debian |"
echo "|---|---|---|---|"
echo "| PSS per runsv, median of $N (kB) | $mo | $md | $(ratio "$mo" "$md") |"
echo "| \`u\` to ./run running, median of $ROUNDS (µs) | $lo | $ld | $(ratio "$lo" "$ld") |"
