#!/bin/sh
# Robustness: all 256 byte values and a 64 KB write on supervise/control: no crash, only known commands acted on, CPU stays low.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo $$ >>starts; exec sleep 100'
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run
# Every byte except the 14 commands.
awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' | LC_ALL=C tr -d 'udoxtkpcahiq12' >"$T/garbage"
is "$(wc -c <"$T/garbage")" 242 "242 non-command bytes"
timeout 5 sh -c 'cat "$1" >supervise/control' sh "$T/garbage"
head -c 65536 /dev/zero | tr '\0' 'Z' >"$T/big"
timeout 10 sh -c 'cat "$1" >supervise/control' sh "$T/big"
ok "runsv drains the garbage" wait_for 20 sh -c '[ "$(stat -c %s supervise/control)" = 0 ] && ! timeout 0.2 dd if=supervise/control bs=1 count=1 iflag=nonblock 2>/dev/null | grep -qs .'
ok "runsv still alive" kill -0 "$RPID"
is "$(lines starts)" 1 "service untouched by unknown bytes"
is "$(cat supervise/stat)" run "still run"
ok "CPU time stays small" test "$(cpu_ticks "$RPID")" -lt 200
ctl . d
ok "still obeys commands afterwards" wait_for 5 stat_is . down
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
is "$(cat "$T/stderr" 2>/dev/null)" "" "nothing on stderr"
done_testing
