#!/bin/sh
# What a stage program gets: argv [PATH], no blocked or ignored signals (SIGCONT at default, 2.3.0), stages 2 and 3 in sessions of their own, stage 1 in runit's, runit's environment.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

rec='{ echo "argv=$0 args=$#"; grep -E "^Sig(Blk|Ign)" /proc/self/status | tr "\t" " ";
	echo "sid=$(ps -o sid= -p $$ | tr -d " ") pid=$$ env=${RNG_STAGE_ENV:-unset}"; } >'"$T"'/stage'
stage 1 "$rec"1
stage 2 "$rec"2
stage 3 "$rec"3
RNG_STAGE_ENV=kept; export RNG_STAGE_ENV
boot "$RNG_BIN/runit"
ok "runit ends" wait_exit "$NS" 15
for n in 1 2 3; do
	s=$(cat "$T/stage$n")
	like "$s" "argv=/etc/runit/$n args=0" "stage $n: argv is just its path"
	like "$s" "SigBlk: 0+$" "stage $n: no signal blocked"
	# Signals 32 and 33 belong to the C library (glibc refuses to change them and make
	# leaves them ignored): they are not runit's to reset.
	ign=$(echo "$s" | sed -n 's/^SigIgn: //p')
	is "$(( 0x$ign & ~0x180000000 ))" 0 "stage $n: no signal ignored (SIGCONT at default)"
	like "$s" "env=kept" "stage $n: runit's environment"
done
like "$(cat "$T/stage1")" "sid=1 " "stage 1 shares runit's session"
for n in 2 3; do
	s=$(cat "$T/stage$n")
	sid=$(echo "$s" | sed -n 's/.*sid=\([0-9]*\) pid=\([0-9]*\).*/\1/p')
	pid=$(echo "$s" | sed -n 's/.*sid=\([0-9]*\) pid=\([0-9]*\).*/\2/p')
	is "$sid" "$pid" "stage $n: leads its own session"
done
done_testing
