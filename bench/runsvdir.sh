#!/bin/sh
# bench/runsvdir.sh: runsvdir against Debian's: pickup latency of a new service, time until N services all report run, PSS of the tree, idle wake-ups (plain, and Debian's linked layout), recovery after a swap of the link targets' directory.
# Knobs: PICKUPS (10), N (1000), BIG (10000, ours only; 0 skips), IDLE_S (20), SWAPS (5).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
RNG_BIN=${RNG_BIN:-$top/build/bin}
DEB_BIN=/usr/bin
PICKUPS=${PICKUPS:-10} N=${N:-1000} BIG=${BIG:-10000} IDLE_S=${IDLE_S:-20} SWAPS=${SWAPS:-5}
w=$(mktemp -d "${TMPDIR:-/tmp}/rng-bench-runsvdir.XXXXXX") || exit 1
pids=
cleanup() {
	for p in $pids; do kill -HUP "$p" 2>/dev/null; done
	sleep 1
	rm -rf "$w"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$RNG_BIN/runsvdir" ] && [ -x "$RNG_BIN/runsv" ] || { echo "build ours first (make)"; exit 1; }
[ -x "$DEB_BIN/runsvdir" ] && [ -x "$DEB_BIN/runsv" ] || { echo "Debian's runit is not installed"; exit 1; }

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "-"}'; }

# tree DIR COUNT: COUNT services whose run execs sleep, built with a few processes.
tree() {
	mkdir -p "$1"
	(cd "$1" && seq -f 's%05g' 1 "$2" | xargs -r mkdir &&
		for d in s*; do printf '#!/bin/sh\nexec sleep 100000\n' >"$d/run"; done &&
		find . -name run -exec chmod +x {} +)
}

# start WHO DIR: runsvdir of WHO (ours/deb) with the matching runsv first in PATH; pid in RSD.
start() {
	if [ "$1" = ours ]; then
		(cd "$w" && PATH=$RNG_BIN:$PATH exec "$RNG_BIN/runsvdir" "$2" 2>/dev/null) &
	else
		(cd "$w" && PATH=$DEB_BIN:$PATH exec "$DEB_BIN/runsvdir" "$2" 2>/dev/null) &
	fi
	RSD=$!
	pids="$pids $RSD"
}

# stop PID: HUP (TERM to every runsv) and wait until its runsv are gone.
stop() {
	kids=$(ps -o pid= --ppid "$1")
	kill -HUP "$1"; wait "$1" 2>/dev/null
	for k in $kids; do while kill -0 "$k" 2>/dev/null; do sleep 0.05; done; done
}

running() { cat "$1"/*/supervise/stat 2>/dev/null | grep -c '^run'; }

pss_tree() { # kB: runsvdir plus every runsv, read by one awk whatever the count
	_f=
	for _p in "$1" $(ps -o pid= --ppid "$1"); do _f="$_f /proc/$_p/smaps_rollup"; done
	awk '/^Pss:/ {s += $2} END {print s + 0}' $_f 2>/dev/null
}

# pickup WHO: median ms from rename-into-place to supervise/ existing.
pickup() {
	d=$w/pick-$1
	tree "$d" 1
	start "$1" "pick-$1"
	while [ "$(running "$d")" -lt 1 ]; do sleep 0.05; done
	i=0
	while [ $i -lt "$PICKUPS" ]; do
		i=$((i + 1))
		mkdir "$d/.n$i"
		printf '#!/bin/sh\nexec sleep 100000\n' >"$d/.n$i/run"
		chmod +x "$d/.n$i/run"
		sleep 0.$(( $(od -An -N1 -tu1 /dev/urandom) % 9 + 1 ))	# land anywhere in a rescan period
		t0=$(ms)
		mv "$d/.n$i" "$d/n$i"
		while [ ! -d "$d/n$i/supervise" ]; do sleep 0.002; done
		echo $(( $(ms) - t0 ))
	done | median
	stop "$RSD"
}

# allup WHO COUNT: "ms-until-all-run pss-kB"
allup() {
	d=$w/many-$1-$2
	tree "$d" "$2"
	t0=$(ms)
	start "$1" "many-$1-$2"
	while [ "$(running "$d")" -lt "$2" ]; do
		sleep 0.1
		[ $(( $(ms) - t0 )) -lt 600000 ] || { echo "timeout -"; stop "$RSD"; return; }
	done
	t=$(( $(ms) - t0 ))
	echo "$t $(pss_tree "$RSD") $(awk '/^Pss:/ {print $2}' "/proc/$RSD/smaps_rollup")"
	stop "$RSD"
	rm -rf "$d"
}

wakeups() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }

# linked WHO COUNT: Debian's layout under $w/linked-WHO: service -> runsvdir/current
# -> default, default/sNNNNN -> ../../sv/sNNNNN; runsvdir started on service.
linked() {
	_l=$w/linked-$1
	tree "$_l/sv" "$2"
	mkdir -p "$_l/runsvdir/default"
	for _s in $(cd "$_l/sv" && echo s*); do ln -s "../../sv/$_s" "$_l/runsvdir/default/$_s"; done
	ln -s default "$_l/runsvdir/current"
	ln -s runsvdir/current "$_l/service"
	start "$1" "linked-$1/service"
}

# swap WHO ROUNDS: median ms from the second rename of "mv sv sv.old; mv sv.new sv"
# until every linked service runs from the new directories; "-" if not within 12 s.
swap() {
	linked "$1" 10
	_l=$w/linked-$1
	while [ "$(running "$_l/sv")" -lt 10 ]; do sleep 0.05; done
	i=0
	while [ $i -lt "$2" ]; do
		i=$((i + 1))
		rm -rf "$_l/sv.new" "$_l/sv.old"
		tree "$_l/sv.new" 10
		sleep 1.2	# past runsv's one-second guard and any rescan period
		mv "$_l/sv" "$_l/sv.old"
		t0=$(ms)
		mv "$_l/sv.new" "$_l/sv"
		while [ "$(running "$_l/sv")" -lt 10 ]; do
			sleep 0.005
			[ $(( $(ms) - t0 )) -lt 12000 ] || break
		done
		[ "$(running "$_l/sv")" -lt 10 ] && echo 999999 || echo $(( $(ms) - t0 ))
	done | median | sed 's/^999999$/-/'
	stop "$RSD"
}

echo "Machine load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
po=$(pickup ours); pd=$(pickup deb)
set -- $(allup ours "$N"); uo=$1 mo=$2 so=$3
set -- $(allup deb "$N"); ud=$1 md=$2 sd=$3

# Idle: trees of 10 plain services and of 10 in Debian's linked layout, all
# side by side, wake-ups counted over IDLE_S s.
tree "$w/idle-ours" 10; tree "$w/idle-deb" 10
start ours idle-ours; io=$RSD
start deb idle-deb; id=$RSD
linked ours 10; lo=$RSD
linked deb 10; ld=$RSD
while [ "$(running "$w/idle-ours")" -lt 10 ] || [ "$(running "$w/idle-deb")" -lt 10 ] ||
    [ "$(running "$w/linked-ours/sv")" -lt 10 ] || [ "$(running "$w/linked-deb/sv")" -lt 10 ]; do sleep 0.1; done
sleep 1
a0=$(wakeups "$io") b0=$(wakeups "$id") c0=$(wakeups "$lo") d0=$(wakeups "$ld")
sleep "$IDLE_S"
wo=$(( ($(wakeups "$io") - a0) * 60 / IDLE_S )) wdeb=$(( ($(wakeups "$id") - b0) * 60 / IDLE_S ))
wlo=$(( ($(wakeups "$lo") - c0) * 60 / IDLE_S )) wld=$(( ($(wakeups "$ld") - d0) * 60 / IDLE_S ))
stop "$io"; stop "$id"; stop "$lo"; stop "$ld"
rm -rf "$w/linked-ours" "$w/linked-deb"
so_swap=$(swap ours "$SWAPS"); sd_swap=$(swap deb 1)

echo "| measure | runit-ng | Debian runit 2.1.2 | ratio (ours/Debian) |"
echo "|---|---|---|---|"
echo "| new service picked up, median of $PICKUPS (ms) | $po | $pd | $(ratio "$po" "$pd") |"
echo "| $N services: all report run (ms) | $uo | $ud | $(ratio "$uo" "$ud") |"
echo "| $N services: PSS of runsvdir + all runsv (kB) | $mo | $md | $(ratio "$mo" "$md") |"
echo "| $N services: PSS of runsvdir alone (kB) | $so | $sd | $(ratio "$so" "$sd") |"
echo "| idle wake-ups of runsvdir per minute | $wo | $wdeb | - |"
echo "| idle wake-ups per minute, Debian's linked layout | $wlo | $wld | - |"
echo "| services back after a two-rename swap of their directory, median (ms) | $so_swap | $sd_swap | - |"
if [ "$BIG" -gt 0 ]; then
	set -- $(allup ours "$BIG"); ub=$1 mb=$2 sb=$3
	echo "| $BIG services: all report run (ms) | $ub | n/a (1000-service cap) | - |"
	echo "| $BIG services: PSS of runsvdir + all runsv (kB) | $mb | n/a | - |"
	echo "| $BIG services: PSS of runsvdir alone (kB) | $sb | n/a | - |"
fi
echo
echo "Services run 'exec sleep 100000'. Pickup: rename of a complete service dir into DIR until its supervise/ exists."
echo "Linked layout: DIR = service -> runsvdir/current -> default, each entry -> ../../sv/NAME. Swap: 10 linked services, sv replaced by mv sv sv.old; mv sv.new sv; timed from the second mv until all 10 new directories report run (ours: median of $SWAPS; Debian's: one round, '-' = not within 12 s)."
echo "Machine load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
