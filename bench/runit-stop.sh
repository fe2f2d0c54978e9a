#!/bin/sh
# bench/runit-stop.sh: time from SIGTERM to the exit of process no. 1 (what `docker stop` waits for), our runit against Debian's, 3 runsv services, in PID+mount namespaces.
set -u
RNG_BIN=${RNG_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/bin}
RUNS=${RUNS:-7}
DOCKER_GRACE=10 # docker stop's default before it sends KILL
[ "$(id -u)" = 0 ] || { echo "(needs root for namespaces: skipped)"; exit 0; }
for p in runit runsvdir runsv sv; do
	[ -x "$RNG_BIN/$p" ] || { echo "(our $p is not built: skipped)"; exit 0; }
done
W=$(mktemp -d) || exit 1
trap 'rm -rf "$W"' EXIT
[ -z "${KEEP:-}" ] || trap 'echo "kept $W"' EXIT

# setup WHO BIN-DIR: /etc/runit stages and 3 services running under that suite's runsvdir.
setup() {
	rm -rf "$W/$1"; mkdir -p "$W/$1/etc" "$W/$1/service"
	for s in a b c; do
		mkdir -p "$W/$1/service/$s"
		printf '#!/bin/sh\nexec sleep 1000\n' >"$W/$1/service/$s/run"
		chmod 755 "$W/$1/service/$s/run"
	done
	printf '#!/bin/sh\n:\n' >"$W/$1/etc/1"
	printf '#!/bin/sh\nexec %s/runsvdir -P %s/service\n' "$2" "$W/$1" >"$W/$1/etc/2"
	printf '#!/bin/sh\n%s/sv -w 7 force-stop %s/service/*\n%s/sv exit %s/service/*\nexit 0\n' \
		"$2" "$W/$1" "$2" "$W/$1" >"$W/$1/etc/3"
	chmod 755 "$W/$1/etc/1" "$W/$1/etc/2" "$W/$1/etc/3"
	: >"$W/$1/console"
}

# once WHO RUNIT SV: boots, waits for 3 services up, SIGTERMs pid 1; prints ms to exit or "timeout".
once() {
	: >"$W/$1/console"
	unshare --fork --pid --mount --mount-proc sh -c '
		mount --bind "$1/etc" /etc/runit && mount --bind "$1/console" /dev/console &&
		mount -t tmpfs tmpfs /run && exec "$2"' sh "$W/$1" "$2" </dev/null >/dev/null 2>&1 &
	ns=$!
	n=0
	while [ "$("$3" status "$W/$1"/service/* 2>/dev/null | grep -c '^run:')" -lt 3 ]; do
		n=$((n + 1)); [ $n -lt 1000 ] || { echo boot-timeout; kill -KILL $ns; return; }
		sleep 0.01
	done
	# Services normally run a while before a stop; runsv throttles a service
	# younger than 1 s, which would be measured instead of the shutdown.
	sleep 1.2
	pid1=$(pgrep -P $ns | head -n 1)
	[ -n "$pid1" ] || { echo no-pid1; kill -KILL $ns; return; }
	awk '/^(Rss|Pss):/ { printf "%s %s kB  ", $1, $2 }' "/proc/$pid1/smaps_rollup" >"$W/$1.mem" 2>/dev/null
	t0=$(date +%s%N)
	kill -TERM "$pid1"
	# docker's behaviour: KILL once its grace period is over. A watchdog, not
	# a polling loop, so that the measurement does not steal the CPU.
	(sleep "$DOCKER_GRACE"; kill -KILL "$pid1" 2>/dev/null && echo killed >"$W/$1/killed") &
	dog=$!
	rm -f "$W/$1/killed"
	wait $ns 2>/dev/null
	t1=$(date +%s%N)
	kill $dog 2>/dev/null; wait $dog 2>/dev/null
	if [ -e "$W/$1/killed" ]; then echo timeout; else echo $(( (t1 - t0) / 1000000 )); fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else print a[int((NR + 1) / 2)] }'; }

setup ours "$RNG_BIN"
ours=$(i=0; while [ $i -lt "$RUNS" ]; do once ours "$RNG_BIN/runit" "$RNG_BIN/sv"; i=$((i + 1)); done)
deb=n/a
if [ -x /sbin/runit ] && [ -x /usr/bin/runsvdir ]; then
	setup deb /usr/bin
	deb=$(once deb /sbin/runit /usr/bin/sv)
fi
om=$(printf '%s\n' $ours | grep -v timeout | median)
echo "SIGTERM to pid-1 exit, 3 runsv services (each stopped by stage 3's sv force-stop), $RUNS runs of ours, 1 of Debian's (it would take $DOCKER_GRACE s each):"
echo
echo "| init | median ms | runs (ms) | outcome |"
echo "|---|---|---|---|"
echo "| runit-ng runit (container mode) | $om | $(echo $ours) | exits 0 after stage 3 |"
if [ "$deb" = timeout ]; then
	echo "| Debian 2.1.2 /sbin/runit | >= $((DOCKER_GRACE * 1000)) | timeout | ignores SIGTERM: killed at docker's ${DOCKER_GRACE} s |"
	[ "$om" = n/a ] || echo "
ratio Debian/ours: >= $(awk -v d=$((DOCKER_GRACE * 1000)) -v o="$om" 'BEGIN { printf "%.0f", d / (o > 0 ? o : 1) }')x"
else
	echo "| Debian 2.1.2 /sbin/runit | $deb | $deb | |"
fi
echo
echo "Memory of pid 1 while the services run (/proc/PID/smaps_rollup):"
echo
echo "| init | memory |"
echo "|---|---|"
echo "| runit-ng runit | $(cat "$W/ours.mem" 2>/dev/null) |"
echo "| Debian 2.1.2 /sbin/runit | $(cat "$W/deb.mem" 2>/dev/null) |"
