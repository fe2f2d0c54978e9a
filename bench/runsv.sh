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

# latency: ROUNDS times, write u to each runsv in turn (alternating, so load
# drift hits both alike) and time it to ./run's first instruction (µs).
latency() {
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for t in ours deb; do
			d=$W/lat-$t
			rm -f "$d/stamp"
			printf '%s ' "$t"
			"$W/lat" drive "$d"
			printf d >"$d/supervise/control"
			until [ "$(cat "$d/supervise/stat")" = down ]; do sleep 0.01; done
		done
		sleep 1.05 # past the 1-second rule, so every start is immediate
		r=$((r + 1))
	done >"$W/lat.txt"
}

mo=$(mem "$OURS" mo)
md=$(mem "$DEB" md)
setup_lat "$OURS" ours
setup_lat "$DEB" deb
sleep 0.2
latency
lo=$(awk '$1 == "ours" {print $2}' "$W/lat.txt" | median)
ld=$(awk '$1 == "deb" {print $2}' "$W/lat.txt" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "### runsv: ours vs Debian's runit 2.1.2"
echo
echo "| measure | ours | Debian | ours/Debian |"
echo "|---|---|---|---|"
echo "| PSS per runsv, median of $N (kB) | $mo | $md | $(ratio "$mo" "$md") |"
echo "| \`u\` to ./run running, median of $ROUNDS (µs) | $lo | $ld | $(ratio "$lo" "$ld") |"
