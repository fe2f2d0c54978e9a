#!/bin/sh
# sv -w answers truthfully, ten rounds each with our runsv and Debian's: a ./run that fails within 0.4 s of each start is not "started", and a restart soon after a start reports the new process, never the old one.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
ROUNDS=10
export SVDIR=$T
cd "$T" || exit 1
flavors=ours
[ -x "$DEB_RUNSV" ] && flavors="ours deb"
# wants_down DIR: runsv has taken a down: byte 17 of the record is 'd'
wants_down() { [ "$(od -An -c -j17 -N1 "$1/supervise/status" | tr -d ' ')" = d ]; }
# pid_is LINE: what the process named in an sv line is doing (why it still ran)
pid_is() {
	_p=$(printf '%s' "$1" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	[ -z "$_p" ] || printf ' [%s]' "$(ps -o stat=,wchan=,etimes=,args= -p "$_p" 2>/dev/null)"
}
runsv_of() { if [ "$1" = deb ]; then echo "$DEB_RUNSV"; else echo "$RNG_BIN/runsv"; fi; }

for f in $flavors; do
	# each ./run notes how long it lived, to tell sv's mistake from a machine
	# so loaded that it kept a "crashing" process alive past 0.4 s
	service crash_$f 'b=$(date +%s%N); echo "$$ $b $(date +%s%N)" >>life; exit 1'; touch crash_$f/down
	service late_$f 'b=$(date +%s%N); sleep 0.3; echo "$$ $b $(date +%s%N)" >>life; exit 1'; touch late_$f/down
	service good_$f
	for s in crash late good; do up "$(runsv_of $f)" "$T/${s}_$f"; done
done

# rounds CHECK ARG...: ROUNDS times, CHECK ROUND ARG for every ARG at once;
# each CHECK appends what went wrong to bad_FLAVOR. Then one assertion per flavor.
rounds() {
	_check=$1; shift
	for f in $flavors; do : >"bad_$f"; done
	round=1
	while [ $round -le $ROUNDS ]; do
		jobs=
		for a in "$@"; do
			"$_check" $round $a &
			jobs="$jobs $!"
		done
		wait $jobs # not a bare wait: the runsvs are children too
		round=$((round + 1))
	done
}

# lived SERVICE PID: how many ms the ./run of that pid lived, as it noted
# (empty while it still runs)
lived() { awk -v p="$2" '$1 == p { printf "%d", ($3 - $2) / 1e6 }' "$1/life" 2>/dev/null; }

# 1. start of a service that cannot stay up: runit's timeout line, rc 1
start_fails() { # ROUND SERVICE FLAVOR
	out=$("$SV" -w 1 start "$2"; echo "rc=$?")
	line=$(printf '%s\n' "$out" | tr '\n' ' ')
	pid=$(printf '%s' "$out" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	case $line in
	"timeout: down: $2: "*", want up rc=1 "|"timeout: run: $2: "*" rc=1 ") ;;
	"ok: run: $2: "*)
		wait_for 5 sh -c '[ -n "$(awk -v p="$2" "\$1 == p" "$1/life")" ]' _ "$2" "$pid"
		ms=$(lived "$2" "$pid")
		if [ "${ms:-0}" -ge 400 ]; then
			diag "round $1: $2: the machine kept pid $pid up for $ms ms: sv rightly saw it run"
		else
			echo "round $1: $line (pid $pid lived ${ms:-?} ms)" >>"bad_$3"
		fi ;;
	*) echo "round $1: $line$(pid_is "$out")" >>"bad_$3" ;;
	esac
	"$SV" down "$2" >/dev/null
	wait_for 5 wants_down "$2"
}
pairs=
for f in $flavors; do pairs="$pairs crash_$f:$f late_$f:$f"; done
start_fails_pair() { start_fails "$1" "${2%%:*}" "${2##*:}"; }
rounds start_fails_pair $pairs
for f in $flavors; do
	is "$(cat "bad_$f")" "" "$ROUNDS rounds, $f runsv: a ./run failing at once or after 0.3 s is never reported started"
done

# 2. restart 0.3 s after a restart: the new pid, which then runs
restart_twice() { # ROUND FLAVOR
	first=$("$SV" -w 5 restart good_$2)
	sleep 0.3 # the scenario: a second restart within runsv's one-second rule
	second=$("$SV" -w 5 restart good_$2); rc=$?
	after=$("$SV" status good_$2)
	p1=$(printf '%s' "$first" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	p2=$(printf '%s' "$second" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	{
		case "$rc:$second" in
		"0:ok: run: good_$2: (pid $p2) "*) ;;
		*) echo "round $1: rc $rc: $second" ;;
		esac
		[ -n "$p2" ] && [ "$p1" != "$p2" ] || echo "round $1: the old pid again: $first / $second"
		case "$after" in
		"run: good_$2: (pid $p2) "*) ;;
		*) echo "round $1: status after: $after (printed $p2)" ;;
		esac
	} >>"bad_$2"
}
rounds restart_twice $flavors
for f in $flavors; do
	is "$(cat "bad_$f")" "" "$ROUNDS rounds, $f runsv: the second restart reports the new pid, and it runs"
done
[ "$flavors" = ours ] && skip "Debian's runsv not installed"

# a healthy service still starts, and one long up answers at once
out=$("$SV" -w 3 start good_ours); rc=$?
like "$rc:$out" '^0:ok: run: good_ours: \(pid [0-9]+\) [0-9]+s$' "a service that stays up is started"
ok "good_ours up for more than the settle time" wait_for 5 sh -c '"$1" status good_ours | grep -qs ") [1-9][0-9]*s"' _ "$SV"
t0=$(date +%s%N)
out=$("$SV" -w 3 start good_ours); rc=$?
t1=$(date +%s%N)
like "$rc:$out" '^0:ok: run: good_ours: ' "start of a long-running service: ok"
ok "and at once ($(( (t1 - t0) / 1000000 )) ms, well under the 420 ms settle time)" test $(( (t1 - t0) / 1000000 )) -lt 300
done_testing
