#!/bin/sh
# End of input is a read of nothing, never a short one: a large pipe holding many writes, its writer gone before svlogd reads it, gives every line.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
cc -O2 -o feed "$RNG_TOP/tests/svlogd/feed.c" || skip_all "no C compiler for the feed helper"

# 14 lines of 50000 bytes and a last one, in 234 separate writes of 3000
# bytes into a 1 MiB pipe (a FIFO here, held open for reading) whose writer
# is gone before svlogd starts. A tee(2) copies only as many writes as it
# has pages (16): its reads are short, and hold no whole line, nor (with
# -l 60000) a whole head.
awk 'BEGIN { for (i = 1; i <= 14; i++) printf "%04d %049994d\n", i, 0; print "last" }' > in
through_big_pipe() { # input dir
	rm -f fifo
	mkfifo fifo
	exec 5<> fifo
	exec 6< fifo
	./feed -z 1048576 -c 3000 "$1" >&5
	exec 5>&-
	$SVLOGD -l 60000 -b 60001 "$2" <&6
	rc=$?
	exec 6<&-
}
for rules in "" "-*
+*0*
+last"; do
	name=${rules:+with rules}
	name=${name:-no rules}
	rm -rf d
	mkdir d
	printf '%s\n' "$rules" > d/config
	through_big_pipe in d
	is "$rc" 0 "$name: exit 0 at the end of input"
	cat d/@* d/current > got 2>/dev/null
	is "$(wc -l < got | tr -d ' ')" 15 "$name: all 15 lines"
	ok "$name: each whole, in order" cmp -s got in
done

# and a last line without newline
head -c -1 in > in2
mkdir r
through_big_pipe in2 r
cat r/@* r/current > got 2>/dev/null
ok "the unterminated last line too" cmp -s got in
done_testing
