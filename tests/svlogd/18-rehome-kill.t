#!/bin/bash
# The journal's move, killed at each system call: svlogd x y holds half a line (its start in the journal, in x's lock); x is renamed away and a SIGHUP drops it, so the journal moves to y; svlogd is killed (strace's injection, attached after the hold) before each of its system calls in turn from the SIGHUP on; x comes back and the next svlogd on the same pipe writes every line exactly once in y, and nothing lost or glued in x.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
need_kill_injection
# SVLOGD_KILL_STEP: kill at every Nth point only (ASan runs take every 2nd)
STEP=${SVLOGD_KILL_STEP:-1}
[ "${RNG_ASAN:-0}" = 1 ] && STEP=${SVLOGD_KILL_STEP:-2}

WANT='a1|half line|b1|'
lines() { cat "$1"/@* "$1"/current 2>/dev/null | tr '\n' '|'; }
# asleep PID: dead, or blocked in poll/epoll for more input
asleep() { ! kill -0 "$1" 2>/dev/null || grep -q poll "/proc/$1/wchan" 2>/dev/null; }
lock_size() { stat -c %s "$1/lock" 2>/dev/null || echo 0; }
# held_in DIR: DIR's lock holds the journal with "hal" in it
held_in() { [ "$(lock_size "$1")" -gt 512 ] && tail -c +513 "$1/lock" | grep -q hal; }
stop() {
	kill -TERM "$1" 2>/dev/null
	wait_exit "$1" 10 2>/dev/null || { kill -KILL "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
}

# first STRACE-ARGS...: svlogd x y holds "hal" in x's journal; strace (with
# STRACE-ARGS) attached; x renamed away and a SIGHUP; returns once svlogd
# is dead or asleep again, with the journal in y
first() {
	local pid spid
	rm -rf x x.away y; mkdir x y
	hold_pipe
	printf 'a1\nhal' >&4
	spawn sh -c "exec $SVLOGD x y <&3 4>&- 3<&- 2>>err"
	pid=$SPAWNED
	wait_for 10 pipe_empty || { echo "svlogd did not take its input" >&2; return 1; }
	wait_for 10 held_in x || { echo "no held head in x's journal: $(od -c x/lock | tail -3)" >&2; return 1; }
	wait_for 10 asleep "$pid"
	: > strace.err
	spawn strace -p "$pid" -o strace.out "$@" 2>strace.err
	spid=$SPAWNED
	wait_for 10 grep -q attached strace.err || { echo "strace did not attach: $(cat strace.err)" >&2; return 1; }
	mv x x.away
	kill -HUP "$pid" 2>/dev/null
	# dead, or the move done and asleep again
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null || { grep -q hal y/lock 2>/dev/null && grep -q poll /proc/$pid/wchan 2>/dev/null; }"
	stop "$pid"
	wait "$spid" 2>/dev/null
	mv x.away x
	FIRST=$pid
}

# second: x is back; the writer goes on; the next svlogd on the same pipe
second() {
	local pid
	printf 'f line\nb1\n' >&4
	spawn sh -c "exec $SVLOGD x y <&3 4>&- 3<&- 2>>err"
	pid=$SPAWNED
	wait_for 10 pipe_empty
	wait_for 10 asleep "$pid"
	stop "$pid"
	exec 3<&- 4>&-
}

# a clean run: how often each system call is made from the SIGHUP on
first -c -S calls || echo "the clean run did not set up" >&2
ok "no kill: the journal moved to y with the held head" held_in y
second
is "$(lines y)" "$WANT" "no kill: y has every line once"
grep -q 'warning:.*x' err || diag "no warning about x at SIGHUP: $(cat err)"
points=
for c in $(awk '$4 ~ /^[0-9]+$/ && $NF ~ /^[a-z_0-9]+$/ && $NF != "total" { print $NF ":" $4 }' strace.out); do
	k=${c##*:}
	for n in $(seq 1 "$STEP" $((k + 1))); do points="$points ${c%%:*}:$n"; done
done
ok "system calls counted after the SIGHUP: $(echo $points | wc -w) kill points" [ -n "$points" ]

bad=0 total=0 moved=0
for p in $points; do
	total=$((total + 1))
	if ! first -e inject="${p%%:*}:signal=KILL:when=${p##*:}"; then
		bad=$((bad + 1)); continue
	fi
	held_in y && moved=$((moved + 1))
	second
	gy=$(lines y) gx=$(lines x)
	if [ "$gy" != "$WANT" ]; then
		echo "killed at $p: y not exactly once: y=$gy (want $WANT)" >&2
		bad=$((bad + 1))
	elif ! printf '%s' "$gx" | grep -q '^a1|' || ! printf '%s' "$gx" | grep -q '|b1|$' ||
	    printf '%s' "$gx" | tr '|' '\n' | grep -Evq '^(a1|half line|hal|f line|b1)$'; then
		echo "killed at $p: x lost or glued a line: x=$gx" >&2
		bad=$((bad + 1))
	fi
done
diag "$moved of $total kills came after the held head reached y's lock"
is "$bad" 0 "killed before each system call from the SIGHUP that drops the journal's home on ($total points): every line exactly once in y, nothing lost or glued in x"
done_testing
