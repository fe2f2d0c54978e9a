#!/bin/bash
# Recovery after a kill: a line is continued only on the same pipe, ended first on any other input; the journal follows when its directory is dropped; a torn write (per the record in lock) is kept when its batch cannot come again.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
stamp='[0-9-]{10}_[0-9:]{8}\.[0-9]{5} '

hold_pipe
start() { spawn sh -c "exec $SVLOGD $* <&3 4>&-"; pid=$SPAWNED; }
has() { grep -q "$2" "$1" 2>/dev/null; }

# issue 8, 6: half a line from a killed svlogd, then an unrelated input
mkdir g
start -tt g
printf 'first line\nhalf of a line' >&4
wait_for 5 has g/current 'first line'
wait_for 5 pipe_empty
kill -KILL $pid; wait $pid 2>/dev/null
echo "next session line" | $SVLOGD -tt g
all=$(cat g/@* g/current 2>/dev/null)
is "$(printf '%s\n' "$all" | wc -l | tr -d ' ')" 3 "another input: the half line is a line of its own"
like "$(printf '%s\n' "$all" | sed -n 2p)" "^${stamp}half of a line\$" "ended, with the stamp of its first byte"
like "$(printf '%s\n' "$all" | sed -n 3p)" "^${stamp}next session line\$" "the new line has its own stamp"

# the same pipe: the next svlogd goes on with the line
mkdir c
start -tt c
printf 'whole\nhalf a li' >&4
wait_for 5 has c/current whole
wait_for 5 pipe_empty
kill -KILL $pid; wait $pid 2>/dev/null
start -tt c
printf 'ne\nnext\n' >&4
wait_for 5 has c/current next
kill -TERM $pid; wait_exit $pid 5
all=$(cat c/@* c/current 2>/dev/null)
like "$(printf '%s\n' "$all" | sed -n 2p)" "^${stamp}half a line\$" "same pipe: the held half is continued"
is "$(printf '%s\n' "$all" | cut -c27- | tr '\n' ' ')" "whole half a line next " "each line once"

# SIGTERM on a pipe while a line is half read: svlogd ends at once, and the
# next one on the same pipe finishes the line
mkdir t
start t
printf 'first\nhalf a' >&4
wait_for 5 has t/current first
wait_for 5 pipe_empty
kill -TERM $pid
ok "SIGTERM with half a line read: ends at once" wait_exit $pid 5
start t
printf ' line\n' >&4
wait_for 5 has t/current 'half a line'
kill -TERM $pid; wait_exit $pid 5
is "$(cat t/@* t/current 2>/dev/null | tr '\n' '|')" "first|half a line|" "the next svlogd finishes it"

# the directory holding the journal (the first) is not reopened at SIGHUP:
# the journal moves to a directory still in use, and a held head survives
mkdir j1 j2
spawn sh -c "exec $SVLOGD j1 j2 <&3 4>&- 2> j.err"
pid=$SPAWNED
printf 'one\n' >&4
wait_for 5 has j2/current one
mv j1 j1.old
kill -HUP $pid
wait_for 5 has j.err 'unable to open log directory: j1'
printf 'half a li' >&4
wait_for 5 pipe_empty
kill -KILL $pid; wait $pid 2>/dev/null
spawn sh -c "exec $SVLOGD j1 j2 <&3 4>&- 2>> j.err"
pid=$SPAWNED
printf 'ne\n' >&4
wait_for 5 has j2/current 'half a line'
kill -TERM $pid; wait_exit $pid 5
is "$(cat j2/@* j2/current 2>/dev/null | tr '\n' '|')" "one|half a line|" "the journal's directory dropped at SIGHUP: a held head still survives a kill"

# the same pipe, a long line being written out (past -l) when killed; -r
# replaces in its head only, the rest goes on verbatim (a TAB kept)
mkdir b
start -l 4 -b 5 -r _ b
printf 'a\tlong line beg' >&4
wait_for 5 has b/current 'long line beg'
kill -KILL $pid; wait $pid 2>/dev/null
start -l 4 -b 5 -r _ b
printf '\tins here\nshort\n' >&4
wait_for 5 has b/current short
kill -TERM $pid; wait_exit $pid 5
is "$(cat b/@* b/current 2>/dev/null | tr '\n\t' '|T')" "a_long line begTins here|short|" "a long line goes on in the same current, -r only in its head"
is "$(ls b | grep -c '^@')" 0 "its current was not set aside"

# -l past 1 MiB, unprivileged (no pipe can be enlarged that far): a held head
# still survives a kill
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir n
	chown 65534 n
	chmod 711 "$T"
	asnobody() { spawn sh -c "exec setpriv --reuid=65534 --regid=65534 --clear-groups $SVLOGD -l 2000000 -b 2000001 n <&3 4>&-"; pid=$SPAWNED; }
	asnobody
	printf 'held head' >&4
	wait_for 5 test -e n/lock
	wait_for 5 pipe_empty
	kill -KILL $pid; wait $pid 2>/dev/null
	asnobody
	printf ', and its end\n' >&4
	ok "-l 2000000, unprivileged: the held head survives a kill" wait_for 5 has n/current 'held head, and its end'
	kill -TERM $pid; wait_exit $pid 5
else
	skip "needs root and setpriv to run svlogd unprivileged"
fi

# a line begun in current with no record of it: ended first
mkdir e
printf 'whole\nhalf a li' > e/current
chmod 644 e/current
printf 'ne\nnext\n' | $SVLOGD e
is "$(cat e/@*.u)" "whole
half a li" "an unrecorded half line is ended and set aside"
is "$(cat e/current)" "ne
next" "the new input starts its own lines"

# the same, current closed cleanly (kept): the newline that ends the half
# line is written at once, so that a rotation before any input keeps it
mkdir i
printf 'whole\nhalf a li' > i/current
chmod 744 i/current
start i
wait_for 5 test -e i/lock
kill -ALRM $pid
wait_for 5 sh -c 'ls i | grep -q "^@.*\.s$"'
printf 'next\n' >&4
wait_for 5 has i/current next
kill -TERM $pid; wait_exit $pid 5
is "$(cat i/@*.s 2>/dev/null | tr '\n' '|')" "whole|half a li|" "rotated before any input: the half line is ended in its own file"
is "$(cat i/current | tr '\n' '|')" "next|" "and the new current starts with the new line"

# a torn write: the record says current was to grow from 5 to 30 bytes;
# the input is another pipe, which will never give that batch again: what
# reached current stays, its torn line ended, and current is set aside
mkdir r
printf 'good\ntorn-wri' > r/current
chmod 644 r/current
ino=$(stat -c %i r/current)
# the record: no pipe, home, seq 1, gen 0, jmark 512, carry 0, len 10, mlen 1,
# before 5, after 30, current's inode, first and last byte, five flags
perl "$RNG_TOP/tests/svlogd/lockrec.pl" record 0 0 0 0 0 1 0 512 0 10 1 5 30 "$ino" t x 0 0 0 0 0 > r/lock
printf 'torn-write\n' | $SVLOGD r
is "$(cat r/@*.u 2>/dev/null | tr '\n' '|')" "good|torn-wri|" "another pipe: the torn write is kept, its line ended"
is "$(cat r/current)" "torn-write" "and the new input is written whole"

done_testing
