#!/bin/sh
# Robustness: stdin that is not a pipe (regular file, /dev/null, a closed descriptor) is read plainly; a pipe that can no longer be peeked at is read plainly from where its lines were taken; a missing directory among good ones is skipped.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d e
seq 1 50000 > in
$SVLOGD d < in; rc=$?
is "$rc" 0 "regular file: exit 0"
ok "regular file: every line" cmp -s d/current in
$SVLOGD e < /dev/null; is "$?" 0 "/dev/null: exit 0"
is "$(wc -c < e/current | tr -d ' ')" 0 "/dev/null: nothing written"
seq 1 3 | $SVLOGD e missing 2> err; rc=$?
is "$rc" 0 "one good directory is enough"
is "$(cat err)" "svlogd: warning: unable to open log directory: missing: file does not exist" "the bad one is named"
is "$(cat e/current | tr '\n' ' ')" "1 2 3 " "the good one logs"
$SVLOGD e <&- 2> err; rc=$?
is "$rc" 0 "closed stdin: exit 0"

# tee(2) fails on a pipe (made to, by a preloaded helper): svlogd says so
# and reads on plainly from the first byte it has not taken, losing nothing
if cc -shared -fPIC -o teefail.so "$RNG_TOP/tests/svlogd/teefail.c" -ldl 2>/dev/null; then
	mkdir f
	mkfifo fifo
	exec 5<> fifo
	# an ASan build wants its runtime first among the libraries
	spawn sh -c "TEEFAIL=$T/teefail LD_PRELOAD=$T/teefail.so \
	    ASAN_OPTIONS=\${ASAN_OPTIONS:-}:verify_asan_link_order=0 exec $SVLOGD f < fifo 2> ferr 5>&-"
	pid=$SPAWNED
	has() { grep -q "$2" "$1" 2>/dev/null; }
	echo one >&5
	wait_for 5 has f/current one
	: > teefail
	for l in two three four five; do
		echo $l >&5
		wait_for 5 has f/current $l || break
	done
	kill -TERM $pid
	ok "peeking fails: SIGTERM still ends svlogd" wait_exit $pid 5
	is "$(cat f/current | tr '\n' ' ')" "one two three four five " "peeking fails: every line once, none eaten"
	is "$(cat ferr)" "svlogd: warning: unable to peek at standard input, a kill may now lose or repeat lines: invalid argument" "peeking fails: said once"
else
	skip "no C compiler for the tee helper"
	skip "no C compiler for the tee helper"
	skip "no C compiler for the tee helper"
fi
done_testing
