#!/bin/bash
# Deterministic kills: svlogd killed (strace's syscall injection) before each of its system calls in turn, while it takes a fixed input and holds half a line (its start in the journal, and in a second round, written a byte at a time, all of it waiting in the pipe until svlogd's wait ends, or its rest in the pipe), and again while it recovers; the next one then runs in a world that changed or not (same pipe, the directory list reordered, a damaged record, a new pipe, Debian's svlogd reading the pipe meanwhile). Same pipe: every line exactly once in each directory. Otherwise: nothing that reached a current is lost, nothing glued.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
need_kill_injection
SYSCALLS="read tee splice write pwrite64 ftruncate openat fchmod fsync renameat unlinkat"
# SVLOGD_KILL_STEP: kill at every Nth point only (1: all; ASan runs take every 3rd)
STEP=${SVLOGD_KILL_STEP:-1}
[ "${RNG_ASAN:-0}" = 1 ] && STEP=${SVLOGD_KILL_STEP:-3}

A='a1\nskip a2\na3\nhal'     # the first svlogd's input: half a line at its end
B='f line\nb1\nskip b2\n'    # what the writer gives next
WANT_X='a1|skip a2|a3|half line|b1|skip b2|'
WANT_Y='a1|a3|half line|b1|'
ALLOWED='^(a1|skip a2|a3|half line|hal|f line|b1|skip b2)$' # on another input: split, never glued

has() { grep -q "$2" "$1" 2>/dev/null; }
# give TEXT: to the pipe, in one write; in the second round a byte at a time,
# 2 ms apart: a writer that trickles, whose held line waits in the pipe, its
# start too, until svlogd's wait for it ends
give() {
	if [ -n "$MORE" ]; then
		perl -e '$| = 1; for (split //, $ARGV[0]) { syswrite(STDOUT, $_); select(undef, undef, undef, 0.002) }' "$(printf "$1")" >&4
	else
		printf "$1" >&4
	fi
}
lines() { cat "$1"/@* "$1"/current 2>/dev/null | tr '\n' '|'; }
idle() { ! kill -0 "$1" 2>/dev/null || pipe_empty; }
# asleep PID: dead, or blocked in poll (the rest of a held line waits in the pipe)
asleep() { ! kill -0 "$1" 2>/dev/null || grep -q poll "/proc/$1/wchan" 2>/dev/null; }
# more PID: writes MORE (if any) while svlogd runs, and waits until it has
# woken for it and sleeps again
more() {
	[ -n "$MORE" ] || return 0
	local v
	v=$(voluntary_switches "$1" 2>/dev/null)
	give "$MORE"
	[ -n "$v" ] || return 0 # killed already: the next one reads it
	wait_for 10 sh -c "! kill -0 $1 2>/dev/null || { [ \$(awk '/^voluntary_ctxt_switches/ {print \$2}' /proc/$1/status) -gt $v ] && grep -q poll /proc/$1/wchan; }"
}

# run INJECT DIRS...: svlogd on fd 3, killed by INJECT (strace -e inject=...,
# or "none"), else stopped with SIGTERM once the pipe is drained
run() {
	local inject=$1 pid; shift
	if [ "$inject" = none ]; then
		spawn sh -c "exec $SVLOGD $* <&3 4>&- 3<&- 2>>err"
	else
		spawn sh -c "exec strace -D -o /dev/null -e inject=$inject $SVLOGD $* <&3 4>&- 3<&- 2>>err"
	fi
	pid=$SPAWNED
	[ -z "${GIVE:-}" ] || give "$GIVE"
	wait_for 10 idle $pid
	[ "${RUN_MORE:-}" = 1 ] && { wait_for 10 asleep $pid; more $pid; }
	kill -TERM $pid 2>/dev/null
	wait_exit $pid 10 2>/dev/null || { kill -KILL $pid; wait $pid 2>/dev/null; }
}

# counts DIRS...: how often a clean run on input A calls each syscall
counts() {
	hold_pipe
	rm -rf x y; mkdir x y; printf -- '-*skip*\n' > y/config
	[ -n "$MORE" ] || give "$A"
	spawn sh -c "exec strace -D -f -c -o calls $SVLOGD x y <&3 4>&- 3<&- 2>>err"
	local pid=$SPAWNED
	[ -z "$MORE" ] || give "$A"
	wait_for 10 pipe_empty
	wait_for 10 asleep $pid
	more $pid
	kill -TERM $pid; wait_exit $pid 10
	exec 3<&- 4>&-
}

# scenario STAGE SYSCALL N VARIANT: one kill and what follows; fails with a
# reason on stderr
scenario() {
	local stage=$1 call=$2 n=$3 variant=$4 inject="$2:signal=KILL:when=$3" snap
	rm -rf x y; mkdir x y; printf -- '-*skip*\n' > y/config
	hold_pipe
	# the second round gives A once svlogd runs: it sees a writer that
	# trickles before the held line begins
	[ -n "$MORE" ] || give "$A"
	if [ "$stage" = A ]; then
		GIVE=${MORE:+$A} RUN_MORE=1 run "$inject" x y
	else
		GIVE=${MORE:+$A} RUN_MORE=1 run none x y
	fi
	snap=$(cat x/@* x/current 2>/dev/null | grep -E '^(a1|skip a2|a3)$' | tr '\n' '|')
	case $variant in
	same) ;;
	reordered) ;;
	damaged) [ ! -s x/lock ] || perl -e 'open(F, "+<", "x/lock") or die; seek(F, 60, 0); print F "\xff"; close F' ;;
	newpipe) exec 3<&- 4>&-; hold_pipe ;;
	otherreader)
		# Debian's svlogd (a downgrade) reads what is left in the pipe
		# into x, then ours goes on
		spawn sh -c "exec $DEB_SVLOGD x <&3 4>&- 3<&- 2>/dev/null"
		local dpid=$SPAWNED
		wait_for 10 pipe_empty
		kill -TERM $dpid 2>/dev/null
		wait_exit $dpid 3 2>/dev/null || { kill -KILL $dpid; wait $dpid 2>/dev/null; } ;;
	esac
	printf "$B" >&4
	if [ "$stage" = B ]; then
		run "$inject" x y
	fi
	if [ "$variant" = reordered ]; then run none y x; else run none x y; fi
	exec 3<&- 4>&-
	local gx gy
	gx=$(lines x) gy=$(lines y)
	case $variant in
	same|reordered)
		[ "$gx" = "$WANT_X" ] && [ "$gy" = "$WANT_Y" ] && return 0
		echo "$stage $inject $variant: x=$gx y=$gy" >&2; return 1 ;;
	otherreader)
		# every whole line in x (ours or Debian's), nothing glued
		for l in a1 'skip a2' a3 b1 'skip b2'; do
			printf '%s' "$gx" | grep -q "\(^\||\)$l|" || { echo "$stage $inject otherreader: $l lost: x=$gx" >&2; return 1; }
		done
		printf '%s' "$gy" | tr '|' '\n' | grep -Evq "$ALLOWED" &&
			{ echo "$stage $inject otherreader: a glued line in y: y=$gy" >&2; return 1; } ;;
	damaged)
		# nothing lost (split or twice allowed), nothing glued
		for l in a1 'skip a2' a3 b1 'skip b2'; do
			printf '%s' "$gx" | grep -q "\(^\||\)$l|" || { echo "$stage $inject damaged: $l lost: x=$gx" >&2; return 1; }
		done
		printf '%s' "$gx" | grep -q '\(^\||\)half line|\|\(^\||\)hal|.*f l\?i\?n\?e\?|' ||
			{ echo "$stage $inject damaged: the half line lost: x=$gx" >&2; return 1; } ;;
	newpipe)
		# what reached current stays; the new input whole; nothing glued
		for l in $(printf '%s' "$snap" | tr ' |' '_ '); do
			l=$(printf '%s' "$l" | tr _ ' ')
			printf '%s' "$gx" | grep -q "\(^\||\)$l|" || { echo "$stage $inject newpipe: $l was in current, lost: x=$gx" >&2; return 1; }
		done ;;
	esac
	# (Debian's svlogd, reading a batch ours had taken but for its last
	# byte, writes that newline as an empty line: its own doing)
	printf '%s' "$gx" | tr '|' '\n' | grep -Ev "$ALLOWED" | grep -q "$([ "$variant" = otherreader ] && echo . || echo '^')" &&
		{ echo "$stage $inject $variant: a glued or foreign line: x=$gx" >&2; return 1; }
	[ "$variant" = newpipe ] && { printf '%s' "$gx" | grep -q '|b1|skip b2|$' ||
		{ echo "$stage $inject newpipe: the new input not whole at the end: x=$gx" >&2; return 1; }; }
	return 0
}

for MORE in '' 'f li'; do
if [ -n "$MORE" ]; then
	B='ne\nb1\nskip b2\n'
	# a byte at a time: on another pipe, what was read of a line and held
	# (in the journal, or its start there and its rest in the pipe) is a
	# line of its own: any start of a line, never two glued
	ALLOWED='^(a1?|s(k(i(p( (a2?)?)?)?)?)?|a3|h(a(l(f( (l(i(n(e)?)?)?)?)?)?)?)?|f( (l(i(n(e)?)?)?)?)?|ne|b1|skip b2)$'
fi
counts
points=
for c in $SYSCALLS; do
	k=$(awk -v c=$c '$NF == c { print ($5 ~ /^[0-9]+$/ && NF == 6) ? $4 : $4 }' calls)
	[ -n "$k" ] || continue
	for n in $(seq 1 "$STEP" $((k + 1))); do points="$points $c:$n"; done
done
[ -n "$points" ] || { echo "no syscalls counted: $(cat calls)" >&2; }
diag "kill points per stage: $(echo $points | wc -w)"

for stage in A B; do
	for variant in same reordered damaged newpipe otherreader; do
		[ $stage = B ] && [ $variant != same ] && continue
		# the held line's rest in the pipe: its own cases
		[ -n "$MORE" ] && [ $variant != same ] && [ $variant != newpipe ] && continue
		[ $variant = otherreader ] && [ ! -x "$DEB_SVLOGD" ] && { skip "Debian's svlogd not installed"; continue; }
		bad=0 total=0
		i=0
		for p in $points; do
			i=$((i + 1))
			# a damaged record and another reader take every other
			# point, in turn (so each point is taken by one), the others all
			case $variant in damaged) [ $((i % 2)) = 0 ] && continue ;; otherreader) [ $((i % 2)) = 1 ] && continue ;; esac
			total=$((total + 1))
			scenario $stage ${p%%:*} ${p##*:} $variant || bad=$((bad + 1))
		done
		is "$bad" 0 "killed before $([ $variant = damaged ] || [ $variant = otherreader ] && echo every other || echo each) syscall of the $([ $stage = A ] && echo first run || echo recovering run)$([ -n "$MORE" ] && echo ", written a byte at a time: the held line waiting in the pipe") ($total points), then $variant: $(case $variant in same|reordered) echo exactly once ;; otherreader) echo "Debian's svlogd read the pipe meanwhile: nothing lost, nothing glued" ;; *) echo nothing lost, nothing glued ;; esac)"
	done
done
done
done_testing
