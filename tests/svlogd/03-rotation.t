#!/bin/sh
# Rotation by size (never splitting a line), pruning to n files, time-based rotation (t), the unclean-current rule, a directory removed before its rotation, one that cannot be searched.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1

mkdir s
printf 's1000\nn3\n' > s/config
seq -f 'size rotation line %050g' 1 200 > in
$SVLOGD -v s < in 2> err
is "$(ls s | grep -c '^@[0-9a-f]\{24\}\.s$')" 3 "n3 keeps three rotated files"
big=0 split=0
for f in s/@* s/current; do
	[ "$(wc -c < "$f")" -le 1000 ] || big=1
	[ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || split=1
done
is "$big$split" "00" "no file over s, and no line split across files"
is "$(cat s/@* s/current | tail -n 5)" "$(tail -n 5 in)" "the newest lines are kept"
like "$(grep 'rename:' err | head -1)" '^svlogd: info: rename: s/current @[0-9a-f]{24}\.s [0-9]+$' "verbose rename line"
like "$(grep 'delete:' err | head -1)" '^svlogd: info: delete: s/@[0-9a-f]{24}\.s$' "verbose delete line"
is "$(stat -c %a s/@* | sort -u)" 744 "rotated files are 0744"

mkdir t
echo t2 > t/config
(echo foo; sleep 3) | $SVLOGD t
is "$(wc -c < t/current | tr -d ' ')" 0 "t2: current empty after 3 s"
is "$(cat t/@*.s)" "foo" "t2: the line moved to a rotated file"

mkdir z
printf 's100\n' > z/config
L=123456789012345678901234567890123456789012345678901234567890
printf '%s\n' "1$L" "2$L" ab | $SVLOGD z
is "$(cat z/@*)|$(cat z/current)" "1$L|2$L
ab" "a line that does not fit rotates first, whole"

# a directory removed while svlogd runs: its rotation drops it (until the
# next SIGHUP) instead of pausing for ever, and the others go on
mkdir r1 r2
mkfifo fifo
exec 5<> fifo
spawn sh -c "exec $SVLOGD r1 r2 < fifo 2> rerr 5>&-"
pid=$SPAWNED
echo one >&5
wait_for 5 grep -qs one r1/current
rm -rf r1
kill -ALRM $pid
wait_for 5 grep -qs 'rename current: r1' rerr
echo two >&5
ok "removed directory: the other keeps logging" wait_for 5 grep -qs two r2/current
kill -TERM $pid
ok "removed directory: SIGTERM ends svlogd" wait_exit $pid 5
is "$(cat rerr)" "svlogd: warning: unable to rename current: r1: file does not exist" "removed directory: one warning, no pause"
is "$(cat r2/@* r2/current | tr '\n' ' ')" "one two " "removed directory: the other rotated and kept every line"

# a directory svlogd cannot search when it rotates (svlogd runs as nobody):
# it pauses, idle, and rotates once it can
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir x
	chown 65534 x
	chmod 711 "$T"
	mkfifo xfifo
	exec 6<> xfifo
	spawn sh -c "exec setpriv --reuid=65534 --regid=65534 --clear-groups $SVLOGD x < xfifo 2> xerr 6>&-"
	pid=$SPAWNED
	echo one >&6
	wait_for 5 grep -qs one x/current
	chmod 600 x
	kill -ALRM $pid
	ok "no search permission: pauses" wait_for 5 grep -qs 'pausing: unable to rename current: x: access denied' xerr
	c1=$(cpu_ticks $pid); sleep 2; c2=$(cpu_ticks $pid)
	ok "no search permission: idle meanwhile ($((c2 - c1)) ticks in 2 s)" [ $((c2 - c1)) -le 2 ]
	chmod 700 x
	ok "rotates once it can" wait_for 10 sh -c 'ls x | grep -q "^@.*\.s$"'
	kill -TERM $pid
	wait_exit $pid 5
else
	skip "needs root and setpriv to run svlogd unprivileged"
	skip "needs root and setpriv to run svlogd unprivileged"
	skip "needs root and setpriv to run svlogd unprivileged"
fi
done_testing
