#!/bin/bash
# Lines that arrive in pieces are taken as if whole: selection, alerts, UDP, directories without rules beside ones with, the last unterminated line, stamps, SIGHUP between pieces.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
cc -O2 -o feed "$RNG_TOP/tests/svlogd/feed.c" || skip_all "no C compiler for the feed helper"
has() { grep -q "$2" "$1" 2>/dev/null; }
all() { cat "$1"/@* "$1/current" 2>/dev/null; }

# 200,000 lines of 100 bytes, every tenth an ERROR line: many straddle a 64 KiB read
awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "%08d %s %084d\n", i, (i % 10 ? "info " : "ERROR"), i }' > in
grep ERROR in > want
mkdir p
printf -- '-*\n+*ERROR*\n' > p/config
cat in | $SVLOGD p
all p > kept
ok "-* +*ERROR* through cat: all $(wc -l < want) ERROR lines ($(wc -l < kept) kept)" cmp -s kept want

# each line in two writes, and with pauses, so that svlogd often reads half a line;
# directories with +/- rules, with e only, with U only, and with no rules
head -n 20000 in > in2
grep ERROR in2 > want2
spawn perl "$RNG_TOP/tests/svlogd/udplisten.pl" # datagrams into ./got
wait_for 10 test -s port || skip_all "no UDP listener"
mkdir sel alert udp plain
printf -- '-*\n+*ERROR*\n' > sel/config
printf 'e*ERROR*\n' > alert/config
printf 'U127.0.0.1:%s\n-*\n+*ERROR*\n' "$(cat port)" > udp/config
./feed -s 1 -l -p 20 -u 300 in2 | $SVLOGD sel alert udp plain 2> err
ok "+/- rules, lines in two writes: every selected line" cmp -s want2 sel/current
grep -v '^svlogd: ' err > alerts
ok "e rules: every alert, once, whole ($(wc -l < alerts) of $(wc -l < want2))" cmp -s want2 alerts
all plain > kept
ok "a directory without rules beside them: every line" cmp -s in2 kept
udp_all() { [ "$(wc -l < got)" -ge "$(wc -l < want2)" ]; }
wait_for 10 udp_all
ok "U rules: every datagram, whole ($(wc -l < got) of $(wc -l < want2))" cmp -s want2 got
is "$(wc -c < udp/current | tr -d ' ')" 0 "U: nothing in current"

# the last line, unterminated, with rules
mkdir last
printf -- '-*\n+*ERROR*\n' > last/config
printf 'info 1\nERROR at the end' | $SVLOGD last
is "$(cat last/current)" "ERROR at the end" "with rules the unterminated last line is kept"

# stamps: a line's stamp is when its first piece came; a SIGHUP between
# pieces (the config changed meanwhile) judges the line whole, by the new config
mkfifo fifo
exec 5<> fifo
mkdir h
printf -- '-*\n' > h/config
spawn sh -c "exec $SVLOGD -v -tt h < fifo 2> herr"
pid=$SPAWNED
t0=$(( $(date +%s%N) / 10000 )) # in units of the stamp's 10 us
printf 'ERR' >&5
wait_for 5 pipe_empty fifo
printf -- '-*\n+*ERROR*\n' > h/config
kill -HUP $pid
wait_for 5 has herr 'sighangup received'
t1=$(( $(date +%s%N) / 10000 ))
printf 'OR line\ninfo\n' >&5
ok "the line judged whole by the config read between its pieces" wait_for 5 has h/current 'ERROR line'
read -r day clock frac <<EOF
$(sed -n 's/^\([0-9-]*\)_\([0-9:]*\)\.\([0-9]*\) ERROR line$/\1 \2 \3/p' h/current)
EOF
t=$(( $(date -u -d "$day $clock" +%s 2>/dev/null || echo 0) * 100000 + 10#${frac:-0} ))
ok "its stamp is when its first piece came, before the second ($day $clock.$frac)" test "$t" -ge "$t0" -a "$t" -lt "$t1"
kill -TERM $pid
wait_exit $pid 5
done_testing
