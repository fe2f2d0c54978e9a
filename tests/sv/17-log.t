#!/bin/sh
# sv log: rotated files oldest first then current, svlogd stamps (-tt and -t) in local time, the last N lines, -f following across rotations; the directory found from the running svlogd's arguments (as svlogd sees it, in its own mount namespace too), else log/main, and a clear failure when neither.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T TZ=XYZ-3 # local time three hours east of UTC
cd "$T" || exit 1
count() { cat "$1" 2>/dev/null | grep -c .; }
has() { [ "$(count "$1")" -ge "$2" ]; }

# logged NAME SVLOGD-ARGS: a service copying what the test writes into NAME.in
# to its log, svlogd SVLOGD-ARGS (small files: a rotation every few lines)
logged() {
	service "$1" "exec cat <>../$1.in"
	mkfifo "$1.in"
	mkdir -p "$1/log"
	printf '#!/bin/sh\nexec svlogd %s\n' "$2" >"$1/log/run"
	chmod +x "$1/log/run"
}
# say NAME FROM TO: lines "line FROM".."line TO", then wait until svlogd wrote the last
say() {
	seq "$2" "$3" | sed 's/^/line /' >"$1.in"
	wait_for 10 sh -c 'cat "$1"/* 2>/dev/null | grep -qs "line $2\$"' _ "$4" "$3"
}
# plain: what sv log printed, stamps removed, after checking each stamp's shape
plain() {
	sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+03:00 //' "$1"
}
lines() { seq "$1" "$2" | sed 's/^/line /'; }

for stamp in tt t; do
	s=svc_$stamp
	logged $s "-$stamp ./main"
	mkdir -p $s/log/main; printf 's120\nn100\n' >$s/log/main/config
	up runsv "$T/$s"
	ok "$s: its log runs" wait_for 5 is_state $s/log run
	say $s 1 30 $s/log/main
	n=$(ls $s/log/main | grep -c '^@')
	ok "$s: svlogd rotated ($n files)" test "$n" -ge 3
	"$SV" log $s >out; rc=$?
	is "$rc:$(plain out)" "0:$(lines 1 30)" "$s: every line once, oldest first"
	is "$(grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+03:00 line [0-9]+$' out)" 0 \
	    "$s: every stamp in local ISO-8601 time"
	# the first line's stamp, as svlogd wrote it, three hours earlier
	first=$(cat $s/log/main/@* | head -n1 | cut -d' ' -f1)
	python3 - "$first" "$(head -n1 out | cut -d' ' -f1)" <<'EOF' >cmp
import datetime, sys
raw, shown = sys.argv[1], sys.argv[2]
if raw.startswith("@"):
    sec = int(raw[1:17], 16) - (1 << 62) - 10
    t = sec + int(raw[17:25], 16) / 1e9
else:
    t = datetime.datetime.strptime(raw, "%Y-%m-%d_%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()
print(abs(datetime.datetime.fromisoformat(shown).timestamp() - t) < 1e-5)
EOF
	is "$(cat cmp)" True "$s: the stamp is svlogd's moment ($first)"
	"$SV" -n 5 log $s >out
	is "$(plain out)" "$(lines 26 30)" "$s: -n 5: the last five"
	"$SV" -n 0 log $s >out
	is "$(count out)" 0 "$s: -n 0: nothing"

	spawn "$SV" -f -n 2 log $s >follow.out
	fpid=$SPAWNED
	ok "$s: -f prints the last two" wait_for 5 has follow.out 2
	say $s 31 70 $s/log/main
	ok "$s: -f follows" wait_for 10 has follow.out 42
	is "$(plain follow.out)" "$(lines 29 70)" "$s: across rotations: each line once, in order"
	kill -INT "$fpid"
	ok "$s: INT ends -f" wait_exit "$fpid" 5
	is "$EXITCODE" 0 "$s: with 0"
done

# its reader gone, log -f ends, though nothing is written (and SIGPIPE is ignored)
spawn sh -c 'trap "" PIPE; "$1" -f log svc_t | head -n 1 >head.out' _ "$SV"
ok "log -f | head -n 1 returns" wait_exit "$SPAWNED" 10
like "$(cat head.out)" 'line 1$' "with the one line"

# several services: each line says whose
"$SV" -n 1 log svc_tt svc_t >out
is "$(plain out | sed -E 's/^(svc_t+: )[0-9-]+T[0-9:.]+\+03:00 /\1/')" "svc_tt: line 70
svc_t: line 70" "two services: their last lines, prefixed"

# the directory is where the running svlogd writes, found from its arguments
logged far "-tt ../../elsewhere/logs"
mkdir -p elsewhere/logs
up runsv "$T/far"
ok "far's log runs" wait_for 5 is_state far/log run
say far 1 3 elsewhere/logs
"$SV" log far >out; rc=$?
is "$rc:$(plain out)" "0:$(lines 1 3)" "a log directory outside log/: found from svlogd's command line"

# svlogd not the log service itself (./run without exec): its child
logged shell "-tt ./main"
printf '#!/bin/sh\nsvlogd -tt ../../elsewhere/shell\n' >shell/log/run
mkdir -p elsewhere/shell
up runsv "$T/shell"
say shell 1 2 elsewhere/shell
"$SV" log shell >out; rc=$?
is "$rc:$(plain out)" "0:$(lines 1 2)" "svlogd as a child of ./run: found"

# an absolute directory, and one svlogd sees in its own mount namespace
# (a tmpfs over log/main there; sv's log/main holds a decoy): both as svlogd sees them
logged abs "-tt $T/elsewhere/abs"
mkdir -p elsewhere/abs
up runsv "$T/abs"
say abs 1 2 elsewhere/abs
"$SV" log abs >out; rc=$?
is "$rc:$(plain out)" "0:$(lines 1 2)" "an absolute log directory: found"
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
	logged ns x
	printf '#!/bin/sh
exec unshare --mount sh -c "mount -t tmpfs ns ./main && exec svlogd -tt ./main"
' >ns/log/run
	mkdir -p ns/log/main
	printf '2026-11-24_01:50:46.90211 decoy\n' >ns/log/main/current
	up runsv "$T/ns"
	ok "ns's log runs" wait_for 5 is_state ns/log run
	seq 1 2 | sed 's/^/line /' >ns.in
	ok "svlogd's own mount namespace: its log directory is read" \
	    wait_for 10 sh -c '"$1" log ns | grep -qs "line 2$"' _ "$SV"
	"$SV" log ns >out
	is "$(plain out)" "$(lines 1 2)" "and nothing from the directory sv sees there"
else
	skip "a mount namespace needs root and unshare"
	skip "a mount namespace needs root and unshare"
fi

# no svlogd running: log/main; nothing either: a clear failure
mkdir -p quiet/log/main
printf '2026-11-24_01:50:46.90211 old line\n' >quiet/log/main/current
out=$("$SV" log quiet); rc=$?
is "$rc:$out" "0:2026-11-24T04:50:46.902110+03:00 old line" "no svlogd runs: log/main"
mkdir -p nolog/log
out=$("$SV" log nolog); rc=$?
is "$rc:$out" "1:fail: nolog/log: unable to find the log directory: no svlogd runs, no log/main" \
    "neither: it says so, rc 1"
mkdir -p bare
out=$("$SV" log bare); rc=$?
is "$rc:$out" "1:fail: bare: unable to change to log directory: file does not exist" "no log service at all"
out=$("$SV" log missing); rc=$?
is "$rc:$out" "1:fail: missing: unable to change to service directory: file does not exist" "no service"
done_testing
