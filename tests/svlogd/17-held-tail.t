#!/bin/bash
# A line whose head arrives a byte at a time waits in the pipe, its start too, until it ends (no syscall per byte; into the journal only after 200 ms or on a kernel without a wake at each write); the end of input, SIGHUP and SIGKILL while it waits lose nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
has() { grep -q "$2" "$1" 2>/dev/null; }
# slow TEXT...: each argument's bytes one write at a time, 2 ms apart
slow() { perl -e '$| = 1; select(undef, undef, undef, 0.002), syswrite(STDOUT, $_) for split //, join("", @ARGV)' "$@"; }

# the end of input while the rest of a line waits in the pipe
mkdir e
slow 'first line
a line that comes byte by byte' | $SVLOGD e
is "$(cat e/current | tr '\n' '|')" "first line|a line that comes byte by byte|" "end of input with a line's rest in the pipe: written whole, svlogd ends"

# file-modifying syscalls for 40 lines fed a byte at a time: where the kernel
# wakes svlogd at each write, a line waits in the pipe until its end (a
# record, the write, the take's splice: 3 a line); elsewhere its start goes
# into the journal (5 a line); never one per byte (960 bytes)
if command -v strace >/dev/null; then
	mkdir s
	lines=$(for i in $(seq 1 40); do printf 'line %02d, twenty bytes\n' $i; done)
	printf '%s\n' "$lines" > want
	slow "$lines
" | strace -f -c -o calls -e trace=write,pwrite64,splice,ftruncate,fallocate $SVLOGD s
	n=$(awk '$NF == "total" { print $4 }' calls)
	if [ "$(uname -r | awk -F. '{ print ($1 > 5 || ($1 == 5 && $2 >= 14)) ? 1 : 0 }')" = 1 ]; then
		ok "40 lines fed a byte at a time: $n file-modifying calls, at most 4 a line and 20 to start (a line's start waits in the pipe)" [ "${n:-99999}" -le 180 ]
	else
		ok "40 lines fed a byte at a time: $n file-modifying calls, at most 6 a line and 20 to start" [ "${n:-99999}" -le 260 ]
	fi
	ok "every line once" cmp -s s/current want
else
	skip "no strace"; skip "no strace"
fi

# SIGKILL and SIGHUP while the rest of a line waits in the pipe
hold_pipe
mkdir k
spawn sh -c "exec $SVLOGD k <&3 4>&- 3<&-"; pid=$SPAWNED
printf 'one\nhalf' >&4
wait_for 5 has k/current one
wait_for 5 pipe_empty
slow ' a li' >&4
kill -HUP $pid
slow 'ne, still ' >&4
kill -KILL $pid; wait $pid 2>/dev/null
spawn sh -c "exec $SVLOGD k <&3 4>&- 3<&-"; pid=$SPAWNED
printf 'coming\ntwo\n' >&4
wait_for 5 has k/current two
kill -TERM $pid; wait_exit $pid 5
is "$(cat k/@* k/current 2>/dev/null | tr '\n' '|')" "one|half a line, still coming|two|" "SIGHUP, then SIGKILL with the line's rest in the pipe: whole, once"

# a line's start waits in the pipe, and the writer then writes more than the
# pipe holds in one write: it sleeps halfway with no wake for svlogd (the
# kernel wakes a reader when such a write ends, or began on an empty pipe);
# svlogd must not wait for that wake for ever
exec 3<&- 4>&-
hold_pipe
mkdir w
spawn sh -c "exec $SVLOGD w <&3 4>&- 3<&-"; pid=$SPAWNED
printf 'one\nthe start' >&4
wait_for 5 has w/current one
v=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$pid/status)
slow ' of a line' >&4 # a writer that trickles: the line waits in the pipe
# svlogd woke for it, and sleeps again with it in the pipe
wait_for 5 sh -c "[ \$(awk '/^voluntary_ctxt_switches/ { print \$2 }' /proc/$pid/status) -gt $v ] && grep -q poll /proc/$pid/wchan"
spawn perl -e '$| = 1; syswrite(STDOUT, "\n" . join("", map { sprintf("%099d\n", $_) } 1 .. 3000)) == 300001 or exit 1' >&4
big=$SPAWNED
ok "a write larger than the pipe while a line's start waits there: every line written" wait_for 20 has w/current "^0*3000\$"
wait_exit $big 5
kill -TERM $pid; wait_exit $pid 5
is "$(head -2 w/current | tr '\n' '|')" "one|the start of a line|" "and the line whole"
done_testing
