#!/bin/bash
# SIGHUP every few milliseconds while lines flow in pieces, the config changing between three variants each time: nothing lost, nothing repeated, every line whole and in order.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
cc -O2 -o feed "$RNG_TOP/tests/svlogd/feed.c" || skip_all "no C compiler for the feed helper"
LINES=30000
[ "${RNG_ASAN:-0}" = 1 ] && LINES=10000
awk -v n=$LINES 'BEGIN { for (i = 1; i <= n; i++)
	printf "line %06d %s with some padding to look like a log line\n", i, (i % 10 ? "keep" : "skip") }' > in
grep ' keep ' in > in.keep

# three configs that select the same lines in different ways (no rules;
# rules, so heads are needed; rules and rotation by size), for each directory
mkdir all sel
printf 'n0\n' > all.1
printf 'n0\n+*\ne*nothing*\n' > all.2
printf 'n0\ns20000\n-*\n+*line*\n' > all.3
printf 'n0\n-*skip*\n' > sel.1
printf 'n0\ns30000\n+*\n-*skip*\n' > sel.2
printf 'n0\n-*\n+*keep*\nE*\n' > sel.3
cp all.1 all/config
cp sel.1 sel/config

hold_pipe
spawn sh -c "exec $SVLOGD -tt all sel <&3 4>&- 3<&- 2> err"
pid=$SPAWNED
./feed -s 3 -l -p 5 -u 200 -b 300 -g 15 in >&4 &
writer=$!
_tap_pids="$_tap_pids $writer"
hups=0
while kill -0 $writer 2>/dev/null; do
	v=$((hups % 3 + 1))
	cp all.$v all/config.tmp && mv all/config.tmp all/config
	cp sel.$v sel/config.tmp && mv sel/config.tmp sel/config
	kill -HUP $pid
	hups=$((hups + 1))
	sleep 0.005
done
exec 4>&-
drained() { [ "$(cat all/@* all/current 2>/dev/null | wc -l)" -ge $LINES ] &&
	[ "$(cat sel/@* sel/current 2>/dev/null | wc -l)" -ge "$(wc -l < in.keep)" ]; }
wait_for 60 drained
kill -TERM $pid
wait_exit $pid 10
ok "$hups SIGHUPs while $LINES lines flowed, then SIGTERM: exit 0" [ "${EXITCODE:-1}" = 0 ]
ok "rotated meanwhile" [ "$(ls all | grep -c '^@')" -ge 1 ]
cat all/@* all/current | cut -c27- > got.all
cat sel/@* sel/current | cut -c27- > got.sel
ok "every line once, whole, in order ($(wc -l < got.all) of $LINES)" cmp -s got.all in
ok "every selected line once, whole, in order ($(wc -l < got.sel))" cmp -s got.sel in.keep
is "$(grep -cv '^svlogd: ' err)" 0 "no alert (e*nothing* never matches)"
done_testing
