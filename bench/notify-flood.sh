#!/bin/sh
# bench/notify-flood.sh: the CPU time runsv spends refusing a flood of sd_notify datagrams from a process outside the service.
# Usage: RNG_BIN=build/bin [RATE=datagrams/s] sh bench/notify-flood.sh [SECONDS] [kill-tree]
# Prints: datagrams sent, runsv's CPU ms (utime+stime from /proc/PID/stat)
# during the flood, and per datagram. Without RATE the sender sends as fast
# as runsv reads (its sends block on a full queue).
set -e
BIN=${RNG_BIN:-build/bin}
SECS=${1:-4}
T=$(mktemp -d)
trap 'kill "$R" 2>/dev/null; for p in $(cat "$T/s/run.pid" 2>/dev/null); do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
mkdir "$T/s"
printf '#!/bin/sh\necho $$ >run.pid\nexec sleep 1000\n' >"$T/s/run"
chmod 755 "$T/s/run"
: >"$T/s/notify"
[ "$2" != kill-tree ] || : >"$T/s/kill-tree"
"$BIN/runsv" "$T/s" 2>"$T/stderr" &
R=$!
i=0
until [ -S "$T/s/supervise/notify" ] && [ -s "$T/s/run.pid" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "runsv did not start" >&2; exit 1; }
	sleep 0.05
done
cpu() { awk '{ print $14 + $15 }' "/proc/$R/stat"; }
tck=$(getconf CLK_TCK)
[ -z "$PERF" ] || { perf record -q -g -o "$PERF" -p "$R" 2>/dev/null & P=$!; }
before=$(cpu)
n=$(python3 - "$T/s/supervise/notify" "$SECS" "${RATE:-0}" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
start = time.monotonic(); end = start + float(sys.argv[2]); n = 0; rate = float(sys.argv[3])
while time.monotonic() < end:
    if rate and n > rate * (time.monotonic() - start):
        time.sleep(0.001); continue
    for _ in range(64):
        try:
            s.sendto(b"READY=1\nSTATUS=flood", sys.argv[1]); n += 1
        except BlockingIOError:
            pass
        except OSError:
            time.sleep(0.0005)
print(n)
PY
)
sleep 0.2
after=$(cpu)
[ -z "$PERF" ] || { kill -INT $P; wait $P || :; }
ms=$(( (after - before) * 1000 / tck ))
echo "sent $n datagrams in ${SECS}s; runsv CPU $ms ms, $(( ms * 1000000 / (n > 0 ? n : 1) )) ns per datagram"
