#!/bin/sh
# bench/sv.sh: sv against Debian's 2.1.2: restart round trips (settle time, ./check, readiness), readiness-to-return latency, status and -o json/prom over 1000 services, sv watch idle over 1000 services and its line latency.
set -u
RNG_BIN=${RNG_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/bin}
OURS=$RNG_BIN/sv DEB=/usr/bin/sv DEB_RUNSV=/usr/bin/runsv RUNSV=$RNG_BIN/runsv
for tool in hyperfine jq python3 bash; do
	command -v $tool >/dev/null || { echo "($tool not installed: skipped)"; exit 0; }
done
[ -x "$OURS" ] && [ -x "$RUNSV" ] || { echo "(our sv is not built: skipped)"; exit 0; }
[ -x "$DEB" ] && [ -x "$DEB_RUNSV" ] || { echo "(Debian's runit not installed: skipped)"; exit 0; }
RESTARTS=${RESTARTS:-20}
SERVICES=${SERVICES:-1000}
IDLE=${IDLE:-30} # seconds sv watch is watched idle
. "$(dirname "$0")/lib.sh"
bench_setup sv

# supervise RUNSV DIR: start a runsv there (remembered for cleanup)
supervise() {
	"$1" "$2" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
}
# svc DIR RUN-BODY [SHELL]: a service directory
svc() {
	mkdir -p "$1"
	printf '#!%s\n%s\n' "${3:-/bin/sh}" "$2" >"$1/run"
	chmod +x "$1/run"
}
ready() { "$OURS" status "$1" 2>/dev/null | grep -q '^[a-z]*: '; }
wait_ready() { i=0; until ready "$1"; do sleep 0.01; i=$((i + 1)); [ $i -lt 1000 ] || return 1; done; }

# 1. restart round trips, each service shown at least 2 s old before every
# run (runsv's one-second rule would otherwise hold the new start)
svc "$W/r/plain_ours" 'exec sleep 100000'
svc "$W/r/plain_deb" 'exec sleep 100000'
svc "$W/r/check_ours" 'exec sleep 100000'
svc "$W/r/check_deb" 'exec sleep 100000'
for s in check_ours check_deb; do printf '#!/bin/sh\nexit 0\n' >"$W/r/$s/check"; chmod +x "$W/r/$s/check"; done
svc "$W/r/ready_ours" 'echo ready >&3; exec sleep 100000'
svc "$W/r/ready_deb" 'echo ready >&3; exec sleep 100000'
for s in ready_ours ready_deb; do echo 3 >"$W/r/$s/notification-fd"; done
for s in plain_ours plain_deb check_ours check_deb; do supervise "$DEB_RUNSV" "$W/r/$s"; done
for s in ready_ours ready_deb; do supervise "$RUNSV" "$W/r/$s"; done
for s in plain_ours plain_deb check_ours check_deb ready_ours ready_deb; do
	wait_ready "$W/r/$s" || { echo "runsv did not start"; exit 1; }
done
old="sh -c 'until $OURS status \$0 | grep -Eq \") ([2-9]|[1-9][0-9]+)s\"; do sleep 0.02; done'"
for kind in plain check ready; do
	hyperfine -N --runs "$RESTARTS" --export-json "$W/restart_$kind.json" \
		--prepare "$old $W/r/${kind}_ours" "$OURS restart $W/r/${kind}_ours" \
		--prepare "$old $W/r/${kind}_deb" "$DEB restart $W/r/${kind}_deb" >/dev/null 2>&1 ||
		{ echo "restart benchmark ($kind) failed"; exit 1; }
done

# 2. readiness: from the service's notification to sv -w 5 start returning
svc "$W/late" 'sleep 0.3; echo $EPOCHREALTIME >../late.ready; echo ready >&3; exec sleep 100000' /bin/bash
echo 3 >"$W/late/notification-fd"
touch "$W/late/down"
supervise "$RUNSV" "$W/late"
wait_ready "$W/late" || { echo "runsv did not start"; exit 1; }
i=0
: >"$W/late.ms"
while [ $i -lt "$RESTARTS" ]; do
	"$OURS" -w 5 stop "$W/late" >/dev/null
	rm -f "$W/late.ready"
	bash -c '"$1" -w 5 start "$2" >/dev/null; echo $EPOCHREALTIME' _ "$OURS" "$W/late" >"$W/late.done"
	awk -v r="$(cat "$W/late.ready")" '{ printf "%.2f\n", ($1 - r) * 1000 }' "$W/late.done" >>"$W/late.ms"
	i=$((i + 1))
done

# 3. status of many services (down, so runsv has no children), our runsv:
# -o json also reads supervise/info
mkdir -p "$W/many"
i=1
while [ $i -le "$SERVICES" ]; do
	svc "$W/many/s$i" 'exec sleep 100000'
	touch "$W/many/s$i/down"
	supervise "$RUNSV" "$W/many/s$i"
	i=$((i + 1))
done
wait_ready "$W/many/s$SERVICES" && wait_ready "$W/many/s1" || { echo "runsv did not start"; exit 1; }
names=$(cd "$W/many" && ls -d s* | tr '\n' ' ')
cd "$W/many" || exit 1
SVDIR=$W/many hyperfine -N --warmup 3 --runs 30 --export-json "$W/status.json" \
	"$OURS status $names" "$OURS -o json status $names" "$OURS -o prom status $names" \
	"$DEB status $names" >/dev/null 2>&1 ||
	{ echo "status benchmark failed"; exit 1; }

# the ratios, from pairs run back to back (load drifting over a run hits both)
pairs() { # OPTIONS...: median of (sv OPTIONS status / sv status) over 30 pairs
	for k in $(seq 1 30); do
		t0=$(date +%s%N); SVDIR=$W/many "$OURS" status $names >/dev/null
		t1=$(date +%s%N); SVDIR=$W/many "$OURS" "$@" status $names >/dev/null
		t2=$(date +%s%N)
		echo "$(( (t2 - t1) * 1000 / (t1 - t0) ))"
	done | median | awk '{ printf "%.2f", $1 / 1000 }'
}
json_ratio=$(pairs -o json)
prom_ratio=$(pairs -o prom)

# 4. sv watch over all of them: asleep while nothing changes
: >"$W/watch.out"
SVDIR=$W/many "$OURS" watch $names >"$W/watch.out" 2>&1 &
wpid=$!
PIDS="$PIDS $wpid"
i=0
until [ "$(wc -l <"$W/watch.out")" -ge "$SERVICES" ]; do
	sleep 0.05; i=$((i + 1)); [ $i -lt 1200 ] || { echo "sv watch did not start"; exit 1; }
done
sample() { awk '{ printf "%d ", $14 + $15 }' "/proc/$wpid/stat"; awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$wpid/status"; }
before=$(sample)
sleep "$IDLE"
after=$(sample)
watch_ticks=$(( ${after% *} - ${before% *} ))
watch_wakeups=$(( (${after#* } - ${before#* }) * 60 / IDLE ))
watch_fds=$(ls "/proc/$wpid/fd" | wc -l)
kill "$wpid"

# 5. sv watch line latency: the line's time against the change's stamp
svc "$W/wl" 'exec sleep 100000'
supervise "$RUNSV" "$W/wl"
wait_ready "$W/wl" || { echo "runsv did not start"; exit 1; }
"$OURS" watch "$W/wl" >"$W/wl.text" &
PIDS="$PIDS $!"
"$OURS" -o json watch "$W/wl" >"$W/wl.json" &
PIDS="$PIDS $!"
i=0
while [ $i -lt "$RESTARTS" ]; do
	"$OURS" -w 5 down "$W/wl" >/dev/null
	"$OURS" -w 5 up "$W/wl" >/dev/null
	i=$((i + 1))
done
sleep 0.2
python3 - "$W/wl.text" "$W/wl.json" >"$W/wl.ms" <<'EOF'
import datetime, json, sys
text = [l.split(" ", 1)[0] for l in open(sys.argv[1])]
objs = [json.loads(l) for l in open(sys.argv[2])]
for t, o in list(zip(text, objs))[1:]:
    print("%.2f" % ((datetime.datetime.fromisoformat(t).timestamp() - o["since"]) * 1000))
EOF

ms() { jq ".results[$2].median * 1000" "$1"; }
row() { # NAME FILE: a table row with medians in ms and the ratio
	awk -v n="$1" -v o="$(ms "$2" 0)" -v d="$(ms "$2" 1)" 'BEGIN { printf "| %s | %.1f | %.1f | %.2f |\n", n, o, d, d / o }'
}
echo "sv wall time (hyperfine -N, median):"
echo
echo "| operation | ours ms | Debian 2.1.2 ms | Debian/ours |"
echo "|---|---|---|---|"
row "sv restart, plain service: settle time ($RESTARTS runs, Debian's runsv)" "$W/restart_plain.json"
row "sv restart, with a passing ./check ($RESTARTS runs, Debian's runsv)" "$W/restart_check.json"
row "sv restart, declaring readiness ($RESTARTS runs, our runsv; Debian's sv cannot see it)" "$W/restart_ready.json"
awk -v p="$(ms "$W/status.json" 0)" -v d="$(ms "$W/status.json" 3)" -v n="$SERVICES" \
	'BEGIN { printf "| sv status, %d services (30 runs, our runsv) | %.1f | %.1f | %.2f |\n", n, p, d, d / p }'
echo
echo "| figure | value |"
echo "|---|---|"
echo "| readiness notification to \`sv -w 5 start\` returning, median of $RESTARTS | $(median <"$W/late.ms") ms |"
awk -v j="$(ms "$W/status.json" 1)" -v r="$(ms "$W/status.json" 2)" -v n="$SERVICES" \
    -v jr="$json_ratio" -v rr="$prom_ratio" 'BEGIN {
	printf "| sv -o json status, %d services | %.1f ms; %sx plain sv status (median of 30 back-to-back pairs) |\n", n, j, jr
	printf "| sv -o prom status, %d services | %.1f ms; %sx plain sv status (median of 30 back-to-back pairs) |\n", n, r, rr }'
echo "| sv watch, $SERVICES services, idle ${IDLE} s: CPU | $watch_ticks clock ticks |"
echo "| sv watch, $SERVICES services, idle: wake-ups per minute | $watch_wakeups |"
echo "| sv watch, $SERVICES services: descriptors held | $watch_fds |"
echo "| sv watch line after the change, median / max of $((2 * RESTARTS)) | $(median <"$W/wl.ms") / $(sort -n "$W/wl.ms" | tail -n1) ms |"
