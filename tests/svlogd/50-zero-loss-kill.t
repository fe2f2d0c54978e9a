#!/bin/sh
# Zero loss: svlogd -tt killed with SIGKILL again and again under runsv while numbered lines flow; every line appears once, whole.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

RUNSV=$RNG_BIN/runsv
[ -x "$RUNSV" ] || { RUNSV=$DEB_RUNSV; diag "our runsv is not built; using Debian's"; }
[ -x "$RUNSV" ] || skip_all "no runsv"
BURSTS=40 PER=5000 KILLS=16
[ "${RNG_ASAN:-0}" = 1 ] && BURSTS=20 PER=3000 KILLS=8
LINES=$((BURSTS * PER))

S=$T/svc
mkdir -p "$S/log/main"
echo n0 > "$S/log/main/config"
# bursts at full speed with short gaps, so that kills land inside bursts and
# between them; stdio block buffering splits lines across writes
cat > "$S/run" <<EOS
#!/bin/sh
i=0
while [ \$i -lt $BURSTS ]; do
	seq -f 'line %09g of the numbered stream, padded to be a bit longer than usual' \$((i * $PER + 1)) \$((i * $PER + $PER))
	sleep 0.2
	i=\$((i + 1))
done
exec sleep 1000
EOS
cat > "$S/log/run" <<EOS
#!/bin/sh
exec $RNG_BIN/svlogd -tt main
EOS
chmod +x "$S/run" "$S/log/run"
spawn "$RUNSV" "$S"

pidof_log() { p=$(cat "$S/log/supervise/pid" 2>/dev/null) && [ -n "$p" ] && [ "$p" != "$1" ]; }
writing() { [ "$(cat "/proc/$(cat "$S/supervise/pid")/comm" 2>/dev/null)" = run ]; }
last=none killed=0 midflow=0
for i in $(seq 1 $KILLS); do
	wait_for 10 pidof_log "$last" || break
	last=$(cat "$S/log/supervise/pid")
	# let it write for a moment at full speed, then kill it mid-stream
	sleep 0.$(( (i * 37) % 9 ))5
	writing && midflow=$((midflow + 1))
	kill -KILL "$last" 2>/dev/null && killed=$((killed + 1))
done
ok "svlogd was killed $KILLS times" [ "$killed" -eq "$KILLS" ]

all() { cat "$S"/log/main/@* "$S/log/main/current" 2>/dev/null; }
drained() { [ "$(all | wc -l)" -ge "$LINES" ]; }
ok "every line arrives after the kills" wait_for 60 drained
ok "kills landed while lines flowed ($midflow of them)" [ "$midflow" -ge 1 ]
all > "$T/stamped"
cut -c27- "$T/stamped" > "$T/all"
is "$(wc -l < "$T/all" | tr -d ' ')" "$LINES" "no line duplicated"
is "$(grep -cvE '^[0-9-]{10}_[0-9:]{8}\.[0-9]{5} line [0-9]{9} of the numbered stream, padded to be a bit longer than usual$' "$T/stamped")" 0 "no line torn, each with one stamp"
seq -f 'line %09g of the numbered stream, padded to be a bit longer than usual' 1 $LINES > "$T/want"
sort "$T/all" > "$T/sorted"
ok "every number exactly once" cmp -s "$T/sorted" "$T/want"
done_testing
