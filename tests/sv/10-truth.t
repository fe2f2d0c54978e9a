#!/bin/sh
# sv -w answers truthfully, ten rounds each with our runsv and Debian's: a ./run that fails within 0.4 s of each start is not "started", and a restart soon after a start reports the new process, never the old one.
# needs: debian-runit
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

# How long a ./run lived is told by runsv's own records, never by a clock
# read in a script (a loaded machine delays the script, not the record):
# it began at the stamp of the record that names its pid, and ended before
# the stamp of the next record. Each ./run keeps a copy of its own record
# (rec.PID) before it exits, waiting until runsv has written it.
keep_record='n=0; while [ "$(od -An -tu4 --endian=little -j12 -N4 supervise/status | tr -d " ")" != $$ ]; do
	n=$((n + 1)); [ $n -lt 500 ] || break; sleep 0.01; done; cp supervise/status rec.$$'
for f in $flavors; do
	service crash_$f "$keep_record; exit 1"; touch crash_$f/down
	service late_$f "sleep 0.3; $keep_record; exit 1"; touch late_$f/down
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

# stamp_ms FILE: the stamp of a status record, in ms since the epoch
stamp_ms() {
	_x=$(od -An -tx1 -N12 "$1" | tr -d ' \n')
	echo $(( ($(printf '%d' "0x${_x%????????}") - 0x400000000000000a) * 1000 + $(printf '%d' "0x${_x#????????????????}") / 1000000 ))
}
# pid_of FILE: the pid of a status record
pid_of() { od -An -tu4 --endian=little -j12 -N4 "$1" | tr -d ' '; }
# moved_on SERVICE PID: the record no longer names PID; a copy in SERVICE/next
moved_on() {
	cp "$1/supervise/status" "$1/next.tmp" 2>/dev/null && [ "$(pid_of "$1/next.tmp")" != "$2" ] &&
	    mv "$1/next.tmp" "$1/next"
}
# lived SERVICE PID: at most how many ms the ./run of that pid lived, by
# runsv's records: from its record's stamp to the stamp of the record that
# replaced it (its down record, or the next start). Empty if unknown.
lived() {
	rm -f "$1/next"
	wait_for 5 test -s "$1/rec.$2" && wait_for 5 moved_on "$1" "$2" || return 0
	echo $(( $(stamp_ms "$1/next") - $(stamp_ms "$1/rec.$2") ))
}

# 1. start of a service that cannot stay up: runit's timeout line, rc 1
start_fails() { # ROUND SERVICE FLAVOR
	out=$("$SV" -w 1 start "$2"; echo "rc=$?")
	line=$(printf '%s\n' "$out" | tr '\n' ' ')
	pid=$(printf '%s' "$out" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p')
	case $line in
	"timeout: down: $2: "*", want up rc=1 "|"timeout: run: $2: "*" rc=1 ") ;;
	"ok: run: $2: "*)
		ms=$(lived "$2" "$pid")
		if [ -z "$ms" ]; then
			echo "round $1: $line (no record tells how long pid $pid lived)" >>"bad_$3"
		elif [ "$ms" -ge 400 ]; then
			diag "round $1: $2: the machine kept pid $pid up for up to $ms ms: sv may rightly have seen it run"
		else
			echo "round $1: $line (pid $pid lived at most $ms ms, by runsv's records)" >>"bad_$3"
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
# at once: sv never blocks in poll, select or a sleep, so however slow
# the machine, the answer came from its first look
if command -v strace >/dev/null; then
	out=$(strace -f -qq -o "$T/strace" -e trace=poll,ppoll,select,pselect6,epoll_wait,epoll_pwait,nanosleep,clock_nanosleep \
	    "$SV" -w 3 start good_ours); rc=$?
	like "$rc:$out" '^0:ok: run: good_ours: ' "start of a long-running service: ok"
	# (a zero timeout only looks: not a wait)
	waits=$(grep -vE '(poll|select|pselect6|epoll_p?wait)\(.*, 0\) += |\{tv_sec=0, tv_nsec=0\}' "$T/strace")
	is "$waits" "" "and at once: sv waited for nothing"
else
	out=$("$SV" -w 3 start good_ours); rc=$?
	like "$rc:$out" '^0:ok: run: good_ours: ' "start of a long-running service: ok"
	skip "strace not installed: cannot tell whether sv waited"
fi
done_testing
