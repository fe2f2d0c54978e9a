#!/bin/sh
# sv against runsv as in upstream's own check (U-sv-3): down, then exit, on an absolute service path.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
service "$T/t" 'echo starting; exec sleep 14'
spawn runsv "$T/t" >"$T/out"
rsv=$SPAWNED
ok "supervise/stat appears" wait_for 3 test -s "$T/t/supervise/stat"
# ./run must have printed before it is stopped: a TERM that lands between
# the fork and the echo kills it silently (this raced under load in CI).
ok "./run started" wait_for 5 grep -qx starting "$T/out"
"$SV" down "$T/t"; is "$?" 0 "down: rc 0"
ok "stat reads down" wait_for 3 is_state "$T/t" down
is "$(cat "$T/t/supervise/stat")" down "stat is exactly down"
"$SV" exit "$T/t"; is "$?" 0 "exit: rc 0"
ok "runsv exits" wait_exit "$rsv" 5
is "$EXITCODE" 0 "runsv exit code 0"
is "$(cat "$T/out")" starting "the service ran once"
done_testing
