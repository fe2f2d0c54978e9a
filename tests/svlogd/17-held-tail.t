#!/bin/bash
# A line whose head arrives a byte at a time: its start goes into the journal once, the rest waits in the pipe (no syscall per byte); the end of input, SIGHUP and SIGKILL while it waits lose nothing.
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

# file-modifying syscalls for 40 lines fed a byte at a time: a few per line
# (each line's start and end), not one per byte (960 bytes)
if command -v strace >/dev/null; then
	mkdir s
	lines=$(for i in $(seq 1 40); do printf 'line %02d, twenty bytes\n' $i; done)
	printf '%s\n' "$lines" > want
	slow "$lines
" | strace -f -c -o calls -e trace=write,pwrite64,splice,ftruncate,fallocate $SVLOGD s
	n=$(awk '$NF == "total" { print $4 }' calls)
	ok "40 lines fed a byte at a time: $n file-modifying calls, at most 6 a line and 20 to start" [ "${n:-99999}" -le 260 ]
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
done_testing
