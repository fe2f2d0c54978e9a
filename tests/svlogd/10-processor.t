#!/bin/sh
# Processor robustness: removed or changed by SIGHUP while it runs; one that hangs, is killed, fails or writes nothing; its directory renamed or removed. No fork loop, no busy loop, no wedge, and the other directory keeps logging.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
has() { grep -q -- "$2" "$1" 2>/dev/null; }
count() { grep -c -- "$2" "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status"; }
nfiles() { ls "$1" | grep -c "$2"; }
# at most 1 % of a CPU over secs seconds (100 ticks a second)
idle_over() { # pid secs
	c1=$(cpu_ticks "$1"); sleep "$2"; c2=$(cpu_ticks "$1")
	used=$((c2 - c1))
	[ "$used" -le "$2" ]
}

# start NAME DIR...: svlogd -v on a FIFO of its own (fd 5 writes it), stderr in NAME.err
start() {
	n=$1; shift
	rm -f "$n.fifo"
	mkfifo "$n.fifo"
	exec 5<> "$n.fifo"
	spawn sh -c "exec $SVLOGD -v $* < $n.fifo 2> $n.err 5>&-"
	pid=$SPAWNED
}
stop() {
	kill -TERM $pid
	wait_exit $pid 10
}
line() { echo "$1" >&5; wait_for 5 has "$2/current" "$1"; }

# issue 8, 3: the processor removed by SIGHUP, then failing
mkdir a1
echo '!sleep 1; exit 1' > a1/config
start r a1
line one a1
kill -ALRM $pid
wait_for 5 has r.err 'processing: a1/'
: > a1/config
kill -HUP $pid
wait_for 5 has r.err 'sighangup received'
wait_for 5 has r.err 'processor failed'
ok "removed by SIGHUP: svlogd stays idle after it failed" idle_over $pid 2
is "$(count r.err 'requires an argument')" 0 "no shell started without a command"
is "$(count r.err 'processor failed')" 1 "it is not restarted"
is "$(nfiles a1 '\.u$')" 1 "its input is kept as @X.u"
stop

# changed by SIGHUP while it runs: a restart runs the new one
mkdir a2
echo '!sleep 1; exit 1' > a2/config
start c a2
line hello a2
kill -ALRM $pid
wait_for 5 has c.err 'processing: a2/'
echo '!tr a-z A-Z' > a2/config
kill -HUP $pid
ok "changed by SIGHUP: the new processor does it" wait_for 10 sh -c 'cat a2/@*.s 2>/dev/null | grep -qs HELLO'
stop

# issue 8, 4: the directory renamed away while its processor runs, then SIGHUP
mkdir a3 b3
echo '!sleep 1; cat' > a3/config
start m a3 b3
line one a3
kill -ALRM $pid
wait_for 5 has m.err 'processing: a3/'
mv a3 a3.old
kill -HUP $pid
wait_for 5 has m.err 'unable to open log directory: a3'
ok "renamed: the processor's work is finished where it ran" wait_for 10 sh -c 'cat a3.old/@*.s 2>/dev/null | grep -qs one'
echo two >&5
ok "renamed: the other directory keeps logging" wait_for 5 has b3/current two
kill -TERM $pid
ok "renamed: SIGTERM still ends svlogd" wait_exit $pid 10
is "$EXITCODE" 0 "exit 0"

# removed while its processor runs
mkdir a4 b4
echo '!sleep 1; cat' > a4/config
start x a4 b4
line one a4
kill -ALRM $pid
wait_for 5 has x.err 'processing: a4/'
rm -rf a4
wait_for 5 has x.err 'unable to rename processed: a4'
echo two >&5
ok "removed: the other directory keeps logging" wait_for 5 has b4/current two
kill -TERM $pid
ok "removed: SIGTERM still ends svlogd" wait_exit $pid 10

# hangs: current keeps growing past a rotation that waits for it
mkdir a5 b5
echo '!exec sleep 1000' > a5/config
start h a5 b5
line one a5
kill -ALRM $pid
wait_for 5 has h.err 'processing: a5/'
line two a5
kill -ALRM $pid
line three a5
ok "hangs: svlogd is idle meanwhile" idle_over $pid 2
is "$(cat a5/current | tr '\n' ' ')" "two three " "hangs: the next rotation waits, current keeps the lines"
is "$(cat b5/@* b5/current | tr '\n' ' ')" "one two three " "hangs: the other directory keeps logging (and rotating)"
proc=$(pgrep -P $pid)
kill -TERM $pid
wait_for 5 has h.err 'sigterm received'
# blocked in waitpid(2) for its one child, the processor
ok "hangs: at SIGTERM svlogd waits for it" wait_for 5 grep -qs '^do_wait' /proc/$pid/wchan
kill -KILL $proc
ok "hangs: and ends once it is gone" wait_exit $pid 10
is "$(nfiles a5 '\.u$')" 1 "hangs: killed, its input is kept (runit would delete it)"

# killed by a signal: failed, run again
mkdir a6
echo '!test -e ../again && exec cat; touch ../again; exec sleep 1000' > a6/config
start k a6
line once a6
kill -ALRM $pid
wait_for 5 has k.err 'processing: a6/'
wait_for 5 test -e again
kill -KILL "$(pgrep -P $pid)"
ok "killed: run again, and done" wait_for 10 sh -c 'cat a6/@*.s 2>/dev/null | grep -qs once'
is "$(nfiles a6 '\.u$')" 0 "killed: its input deleted only once done"
stop

# fails every time: restarted, each time later, never busy
mkdir a7 b7
echo '!exit 1' > a7/config
start f a7 b7
line one a7
kill -ALRM $pid
wait_for 5 has f.err 'processor failed'
ok "fails: svlogd is idle meanwhile" idle_over $pid 3
fails=$(count f.err 'processor failed, restart')
ok "fails: restarted at growing intervals ($fails times in 3 s)" test "$fails" -ge 2 -a "$fails" -le 4
echo two >&5
ok "fails: the other directory keeps logging" wait_for 5 has b7/current two
stop
is "$(nfiles a7 '\.u$')" 1 "fails: its input kept"

# its directory fd is not taken by the processor's own files (fds 4 and 5
# are free once a directory before it was dropped, stdin being a file)
mkdir a9 b9
ln -s /dev/null a9/current
printf 's100\n!cat\n' > b9/config
seq -f 'processor fd line %g, long enough to rotate' 1 12 > in9
$SVLOGD a9 b9 < in9 2> p.err
is "$(count p.err 'processor failed')" 0 "a dropped directory before it: the processor runs"
is "$(cat b9/@*.s b9/current 2>/dev/null)" "$(cat in9)" "and processes every rotated file"

# writes nothing, and succeeds
mkdir a8
echo '!true' > a8/config
start n a8
line one a8
kill -ALRM $pid
ok "writes nothing: an empty .s" wait_for 5 sh -c '[ "$(ls a8 | grep -c "\.s$")" = 1 ] && [ ! -s a8/@*.s ]'
is "$(nfiles a8 '\.u$')" 0 "writes nothing: its input deleted"
stop
done_testing
