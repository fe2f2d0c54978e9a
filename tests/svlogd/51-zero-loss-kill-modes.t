#!/bin/bash
# Zero loss under SIGKILL in every mode: with patterns, with UDP, with lines longer than -l, and beside a directory without rules; lines written in two pieces, svlogd killed and restarted on the same pipe again and again.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
cc -O2 -o feed "$RNG_TOP/tests/svlogd/feed.c" || skip_all "no C compiler for the feed helper"
LINES=40000
[ "${RNG_ASAN:-0}" = 1 ] && LINES=15000
stamp='[0-9-]{10}_[0-9:]{8}\.[0-9]{5} '

spawn perl "$RNG_TOP/tests/svlogd/udplisten.pl" # datagrams into ./got
wait_for 10 test -s port || skip_all "no UDP listener"
port=$(cat port)

# kills NAME "SVLOGD OPTIONS" INPUT DIR...: feeds INPUT (each line in two
# writes, bursts and pauses) into a pipe held open across svlogds, kills
# svlogd at random moments while it flows, then lets a last one drain it.
kills() {
	local name=$1 opts=$2 input=$3
	shift 3
	local n=0 pid
	hold_pipe
	./feed -s $RANDOM -l -p 3 -u 300 -b 2000 -g 25 "$input" >&4 &
	local writer=$!
	_tap_pids="$_tap_pids $writer"
	while kill -0 $writer 2>/dev/null; do
		spawn sh -c "exec $SVLOGD -tt $opts $* <&3 4>&- 3<&- 2>>$name.err"
		pid=$SPAWNED
		sleep 0.0$((RANDOM % 9 + 1))
		kill -KILL $pid 2>/dev/null && n=$((n + 1))
		wait $pid 2>/dev/null
	done
	spawn sh -c "exec $SVLOGD -tt $opts $* <&3 4>&- 3<&- 2>>$name.err"
	pid=$SPAWNED
	exec 3<&- 4>&-
	diag "$name: killed $n times"
	KILLED=$n
	LAST=$pid
}
# drained N DIR: N lines are in DIR
drained() { [ "$(cat "$2"/@* "$2/current" 2>/dev/null | wc -l)" -ge "$1" ]; }
finish() { kill -TERM $LAST; wait_exit $LAST 10; }
# check NAME DIR WANT: every line of WANT once, whole, in order, each with one stamp
check() {
	cat "$2"/@* "$2/current" 2>/dev/null > "$1.all"
	cut -c27- "$1.all" > "$1.cut"
	is "$(wc -l < "$1.cut" | tr -d ' ')" "$(wc -l < "$3" | tr -d ' ')" "$1: as many lines as written"
	ok "$1: each line once, whole, in order" cmp -s "$1.cut" "$3"
	is "$(grep -cvE "^${stamp}" "$1.all")" 0 "$1: each with its stamp"
}

awk -v n=$LINES 'BEGIN { for (i = 1; i <= n; i++)
	printf "line %06d %s padded to look like a log line\n", i, (i % 10 ? "keep" : "skip") }' > in
grep ' keep ' in > in.keep

# patterns, beside a directory without rules
# n0 everywhere: each kill sets an unfinished current aside, and none may be pruned
mkdir pat all
printf -- 'n0\n-*\n+*keep*\n' > pat/config
echo n0 > all/config
kills pat "" in pat all
ok "patterns: the kills landed while lines flowed" [ "$KILLED" -ge 5 ]
wait_for 60 drained "$(wc -l < in.keep)" pat
wait_for 60 drained $LINES all
finish
check patterns pat in.keep
check "no rules beside them" all in

# UDP: current gets every line once; datagrams at least once, each whole
mkdir udp
printf 'n0\nu127.0.0.1:%s\n' "$port" > udp/config
kills udp "" in udp
ok "udp: the kills landed while lines flowed" [ "$KILLED" -ge 5 ]
wait_for 60 drained $LINES udp
finish
check udp udp in
wait_for 10 test -s got
ok "udp: datagrams came, each whole (of $LINES lines, $(cut -c27- got | sort -u | wc -l) came, $(wc -l < got) datagrams: at least once)" \
	test "$(grep -cvE "^${stamp}line [0-9]{6} (keep|skip) padded to look like a log line\$" got)" = 0 -a -s got

# lines longer than -l: heads decided at 50 bytes, bodies streamed
awk -v n=$((LINES / 2)) 'BEGIN { srand(7); for (i = 1; i <= n; i++) {
	l = int(rand() * 400); printf "long %06d ", i; for (j = 0; j < l; j++) printf "%c", 97 + j % 26; printf "\n" } }' > in.long
mkdir long
printf -- 'n0\n-*skip*\n' > long/config
kills long "-l 50 -b 51" in.long long
ok "long lines: the kills landed while lines flowed" [ "$KILLED" -ge 3 ]
wait_for 60 drained "$(wc -l < in.long)" long
finish
check "long lines" long in.long
done_testing
