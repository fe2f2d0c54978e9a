#!/bin/bash
# Recovery when the world changed between runs: a new pipe after a torn write keeps what reached current; the journal is found after its directory flapped; a held half line is not glued onto input someone else read meanwhile; a record forged to a 2^40-byte batch neither wedges nor cuts; a finished run's last line never comes back.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
LOCKREC=$RNG_TOP/tests/svlogd/lockrec.pl
cd "$T" || exit 1
[ -r /proc/sys/kernel/random/boot_id ] || skip_all "no boot id to name the pipe with"
has() { grep -q "$2" "$1" 2>/dev/null; }
start() { spawn sh -c "exec $SVLOGD $* <&3 4>&- 2>>err"; pid=$SPAWNED; }
lines() { cat "$1"/@* "$1"/current 2>/dev/null | tr '\n' '|'; }

# 1. a torn write, then a new pipe: what reached current is kept. Five lines
# are written; the record is then made to say that the last four were a
# write cut short (before = after the first line, after = past the end), as
# a full disk or a power failure leaves it; the next svlogd reads another pipe.
hold_pipe
mkdir t
start t
printf 'l1\nl2\nl3\nl4\nl5\n' >&4
wait_for 5 has t/current l5
kill -KILL $pid; wait $pid 2>/dev/null
perl "$LOCKREC" patch t/lock before=3 after=100
exec 3<&- 4>&-
printf 'new\n' | $SVLOGD t 2>>err
is "$(lines t)" "l1|l2|l3|l4|l5|new|" "a torn write on a pipe gone: every line on disk kept"

# 2. svlogd j1 j2: j1 missing at one SIGHUP (the journal moves to j2's lock),
# back at the next; half a line held; kill -9: the next svlogd finds the
# journal in j2's lock and writes the line whole, once
hold_pipe
mkdir j1 j2
start j1 j2
printf 'one\n' >&4
wait_for 5 has j2/current one
mv j1 j1.away
kill -HUP $pid
wait_for 5 has err 'unable to open log directory: j1'
printf 'two\n' >&4
wait_for 5 has j2/current two
mv j1.away j1
kill -HUP $pid
printf 'three\n' >&4
wait_for 5 has j1/current three
printf 'half a li' >&4
wait_for 5 pipe_empty
kill -KILL $pid; wait $pid 2>/dev/null
start j1 j2
printf 'ne\nfour\n' >&4
wait_for 5 has j1/current four
kill -TERM $pid; wait_exit $pid 5
is "$(lines j2)" "one|two|three|half a line|four|" "the first directory flapped: the held half line whole, once (j2)"
is "$(lines j1)" "one|three|half a line|four|" "and in j1, back at the second SIGHUP"
exec 3<&- 4>&-

# 3. half a line held at SIGTERM; Debian's svlogd (a downgrade) reads the
# same pipe and writes the rest into the same directory; then our svlogd
# again: its journal's half line must not be glued onto the next input
if [ -x "$DEB_SVLOGD" ]; then
	hold_pipe
	mkdir a b
	start a b
	printf 'one\nhalf a li' >&4
	wait_for 5 has a/current one
	wait_for 5 pipe_empty
	kill -TERM $pid; wait_exit $pid 5
	spawn sh -c "exec $DEB_SVLOGD a <&3 4>&- 2>>err"; dpid=$SPAWNED
	printf 'two\n' >&4
	wait_for 5 has a/current two
	kill -TERM $dpid; wait_exit $dpid 5
	start a b
	printf 'three\n' >&4
	wait_for 5 has a/current three
	kill -TERM $pid; wait_exit $pid 5
	ok "another reader meanwhile: no half line glued onto the next (a: $(lines a))" sh -c "! grep -q 'lithree' a/current b/current"
	like "$(lines a)" '(^|\|)three\|$' "three is a line of its own"
	like "$(cat err)" 'current written by another since' "with a warning"
	exec 3<&- 4>&-
else
	skip "Debian's svlogd not installed"; skip "Debian's svlogd not installed"; skip "Debian's svlogd not installed"
fi
# the same with our svlogd on another directory list meanwhile
hold_pipe
mkdir c d e
start c d
printf 'one\nhalf a li' >&4
wait_for 5 has c/current one
wait_for 5 pipe_empty
kill -TERM $pid; wait_exit $pid 5
start e c
printf 'two\n' >&4
wait_for 5 has e/current two
kill -TERM $pid; wait_exit $pid 5
start c d
printf 'three\n' >&4
wait_for 5 has c/current three
kill -TERM $pid; wait_exit $pid 5
ok "our svlogd with another list meanwhile: nothing glued (c: $(lines c))" sh -c "! grep -q 'lithree' c/current d/current"
exec 3<&- 4>&-

# 4. a record forged to a batch of 2^40 bytes on the same pipe: no wedge (the
# input reaches current, SIGTERM ends svlogd), nothing cut
hold_pipe
mkdir w
start w
printf 'w1\nw2\n' >&4
wait_for 5 has w/current w2
kill -KILL $pid; wait $pid 2>/dev/null
perl "$LOCKREC" patch w/lock len=1099511627776 mlen=1099511627776
: > err
start w
printf 'after\n' >&4
ok "a 2^40-byte batch in the record: the input still reaches current" wait_for 5 has w/current after
kill -TERM $pid
ok "and SIGTERM ends svlogd" wait_exit $pid 5
is "$(lines w)" "w1|w2|after|" "nothing cut, nothing twice"
like "$(cat err)" 'damaged record, not trusted: w/lock' "a warning names the lock"
exec 3<&- 4>&-
# a forged before/after pair (sealed again) on the same pipe cuts nothing
hold_pipe
mkdir f
start f
printf 'f1\nf2\n' >&4
wait_for 5 has f/current f2
kill -KILL $pid; wait $pid 2>/dev/null
perl "$LOCKREC" patch f/lock before=0 after=1000000
start f
printf 'f3\n' >&4
wait_for 5 has f/current f3
kill -TERM $pid; wait_exit $pid 5
is "$(lines f)" "f1|f2|f3|" "a forged before/after pair: nothing cut"
exec 3<&- 4>&-

# 5. a finished run's last line, then current rotated away: not written again
mkdir g
printf 'first\nabc' | $SVLOGD g
mv g/current g.old
printf 'next\n' | $SVLOGD g
is "$(cat g/current)" "next" "a finished run's last line does not come back"
done_testing
