#!/bin/sh
# bench/sv.sh: sv restart round trip and sv status over 1000 services, ours against Debian's 2.1.2, both driving the same Debian runsv processes, with hyperfine.
set -u
RNG_BIN=${RNG_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/bin}
OURS=$RNG_BIN/sv DEB=/usr/bin/sv RUNSV=/usr/bin/runsv
command -v hyperfine >/dev/null || { echo "(hyperfine not installed: skipped)"; exit 0; }
command -v jq >/dev/null || { echo "(jq not installed: skipped)"; exit 0; }
[ -x "$OURS" ] || { echo "(our sv is not built: skipped)"; exit 0; }
[ -x "$DEB" ] && [ -x "$RUNSV" ] || { echo "(Debian's runit not installed: skipped)"; exit 0; }
RESTARTS=${RESTARTS:-20}
SERVICES=${SERVICES:-1000}
W=$(mktemp -d) || exit 1
PIDS=
cleanup() {
	[ -z "$PIDS" ] || kill $PIDS 2>/dev/null
	sleep 0.2
	[ -z "$PIDS" ] || kill -9 $PIDS 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# runsv_on DIR: start Debian's runsv there (remembered for cleanup).
runsv_on() {
	"$RUNSV" "$1" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}
ready() { "$OURS" status "$1" 2>/dev/null | grep -q '^[a-z]*: '; }
wait_ready() { i=0; until ready "$1"; do sleep 0.01; i=$((i + 1)); [ $i -lt 1000 ] || return 1; done; }

# 1. restart round trip: one service per client, shown at least 2 s old
# (so really more than 1 s) before every run: runsv's one-second rule would
# otherwise delay the new start, and a start in sv's own second looks fresh
for s in ours deb; do
	mkdir -p "$W/r/$s"
	printf '#!/bin/sh\nexec sleep 100000\n' >"$W/r/$s/run"
	chmod +x "$W/r/$s/run"
	runsv_on "$W/r/$s"
done
for s in ours deb; do wait_ready "$W/r/$s" || { echo "runsv did not start"; exit 1; }; done
old="sh -c 'until $OURS status \$0 | grep -Eq \") ([2-9]|[1-9][0-9]+)s\"; do sleep 0.02; done'"
hyperfine -N --runs "$RESTARTS" --export-json "$W/restart.json" \
	--prepare "$old $W/r/ours" "$OURS restart $W/r/ours" \
	--prepare "$old $W/r/deb" "$DEB restart $W/r/deb" >/dev/null 2>&1 ||
	{ echo "restart benchmark failed"; exit 1; }

# 2. status of many services (down, so runsv has no children)
mkdir -p "$W/many"
i=1
while [ $i -le "$SERVICES" ]; do
	mkdir "$W/many/s$i"
	printf '#!/bin/sh\nexec sleep 100000\n' >"$W/many/s$i/run"
	chmod +x "$W/many/s$i/run"
	touch "$W/many/s$i/down"
	runsv_on "$W/many/s$i"
	i=$((i + 1))
done
wait_ready "$W/many/s$SERVICES" && wait_ready "$W/many/s1" || { echo "runsv did not start"; exit 1; }
names=$(cd "$W/many" && ls -d s* | tr '\n' ' ')
cd "$W/many" || exit 1
SVDIR=$W/many hyperfine -N --warmup 3 --runs 30 --export-json "$W/status.json" \
	"$OURS status $names" "$DEB status $names" >/dev/null 2>&1 ||
	{ echo "status benchmark failed"; exit 1; }

row() { # NAME FILE: a table row with medians in ms and the ratio
	_o=$(jq '.results[0].median * 1000' "$2")
	_d=$(jq '.results[1].median * 1000' "$2")
	awk -v n="$1" -v o="$_o" -v d="$_d" 'BEGIN { printf "| %s | %.1f | %.1f | %.1f |\n", n, o, d, d / o }'
}
echo "sv wall time (hyperfine -N, median; both clients drive Debian's runsv):"
echo
echo "| operation | ours ms | Debian 2.1.2 ms | Debian/ours |"
echo "|---|---|---|---|"
row "sv restart, round trip ($RESTARTS runs)" "$W/restart.json"
row "sv status, $SERVICES services (30 runs)" "$W/status.json"
