#!/bin/sh
# ./finish: its arguments (exit code, -1 and signal, 111 0), no delay before it, the 1-second rule, TERM re-sent by d, the k quirk, u during finish.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
. "$(dirname "$0")/../lib/records.sh"

# D-runsv-8: ./run exits 3 at once, ./finish records its arguments. Each
# ./run keeps the record of its start (runsv's stamp); ./finish notes when
# runsv forked it beside ./run's fork (the kernel's starttime, in clock
# ticks): a test or script stalled meanwhile cannot move either.
keep_start_script "$T/keeprec"
forked_script "$T/forked"
mksvc "$T/a" "'$T/keeprec' \$\$; echo \$\$ \$('$T/forked' \$\$) >>runs; exit 3"
script "$T/a/finish" "echo \"\$1 \$2 \$('$T/forked' \$\$)\" >>fin"
cd "$T/a" || exit 1
start_runsv "$T/a"
wait_for 10 has_lines runs 3
ctl . d
wait_for 5 stat_is . down
is "$(head -n 1 fin | cut -d' ' -f1-2)" "3 0" "finish gets the exit code and 0"
# start_ms N: the stamp of the Nth start, by runsv's record
start_ms() { rec_stamp_ms "rec.$(sed -n "$1p" runs | cut -d' ' -f1)"; }
g1=$(ms_between "$(start_ms 2)" "$(start_ms 1)") g2=$(ms_between "$(start_ms 3)" "$(start_ms 2)")
# (runsv's hold is on the monotonic clock, its stamps real time: 5 ms of slack)
ok "successive quick runs are at least 1 s apart, by runsv's records (${g1:-?}, ${g2:-?} ms)" test "${g1:-0}" -ge 995 -a "${g2:-0}" -ge 995
r1=$(sed -n 1p runs | cut -d' ' -f2)
f1=$(sed -n 1p fin | cut -d' ' -f3)
d=$(ms_between "$f1" "$r1")
ok "finish starts right after run exits (no 1 s wait before it: forked ${d:-?} ticks of 1/$CLK_TCK s after ./run)" \
    test $(( ${d:-99999} * 1000 / CLK_TCK )) -lt 700
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "runsv exits 0"

# D-runsv-6/7: TERM ignored; d twice re-sends TERM; k gives finish -1 9; k during finish runs finish again.
mksvc "$T/b" 'echo $$ >>starts
trap "echo TERM >>sigs" TERM
trap "echo CONT >>sigs" CONT
while :; do sleep 0.05; done'
script "$T/b/finish" 'echo "$1 $2" >>fin
echo $$ >finpid
while [ ! -e release ]; do sleep 0.05; done
rm -f release'
cd "$T/b" || exit 1
start_runsv "$T/b"
wait_for 5 has_lines starts 1
wait_for 5 stat_is . run
stamp=$(status_hex . 0 11)
ctl . d
ok "d on a TERM-ignoring service: got TERM, want down" wait_for 5 stat_is . "run, got TERM, want down"
ok "bytes 16-19: 00 64 01 01" wait_for 2 bytes_are . 16 19 "00 64 01 01"
wait_for 5 grep -qs CONT sigs
ok "d sent TERM then CONT" test "$(head -n 2 sigs | tr '\n' ' ')" = "TERM CONT "
ctl . d
ok "a second d sends TERM again" wait_for 5 has_lines sigs 4
ctl . k
ok "k: ./finish runs" wait_for 5 has_lines fin 1
is "$(cat fin)" "-1 9" "finish gets -1 9 after SIGKILL"
ok "during finish: stat finish, want down" wait_for 5 stat_is . "finish, want down"
wait_for 5 test -s finpid
is "$(cat supervise/pid)" "$(cat finpid)" "pid file holds finish's pid"
ok "bytes 16-19 during finish" wait_for 2 bytes_are . 16 19 "00 64 00 02"
ok "timestamp still the start of ./run" wait_for 2 bytes_are . 0 11 "$stamp"
ctl . k
sleep 0.3
is "$(lines fin)" 1 "k during finish: finish is not killed"
touch release
ok "k during finish: when finish exits, finish runs again" wait_for 5 has_lines fin 2
is "$(sed -n 2p fin)" "0 0" "second finish sees the first finish's exit status"
ok "and the slot says finish again" wait_for 5 stat_is . "finish, want down"
ctl . u
ok "u during finish: only want changes" wait_for 5 stat_is . finish
is "$(lines starts)" 1 "u during finish: run not started yet"
touch release
ok "after finish: run starts again" wait_for 5 has_lines starts 2
ok "stat run" wait_for 5 stat_is . run
ctl . x
ok "x: TERM ignored, still running, want exit" wait_for 5 stat_is . "run, got TERM, want exit"
ctl . k
wait_for 5 has_lines fin 3
touch release
wait_exit "$RPID" 5
is "$EXITCODE" 0 "runsv exits after finish"

# D-runsv-9 in part: exec failure reaches finish as 111 0.
mksvc "$T/c" 'exit 0'
chmod 644 "$T/c/run"
script "$T/c/finish" 'echo "$1 $2" >>fin'
cd "$T/c" || exit 1
: >"$T/stderr"
start_runsv "$T/c"
wait_for 5 has_lines fin 1
is "$(head -n 1 fin)" "111 0" "finish gets 111 0 when ./run cannot be executed"
ctl . x
wait_exit "$RPID" 5
is "$(head -n 1 "$T/stderr")" "runsv $T/c: fatal: unable to start ./run: access denied" "the child's message"
done_testing
