#!/bin/sh
# An unchanged file is not rewritten: a u or c that changes nothing renames no pid, stat or status (runit rewrites stat and status), x leaves stat's "down" as it is, a restarted runsv leaves pid and stat that already hold its bytes; a file changed by someone else is still replaced.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v strace >/dev/null || skip_all "strace not installed"
strace -f -o /dev/null true 2>/dev/null || skip_all "strace cannot trace here"

umask 022
S=$T/s
mksvc "$S" 'exec sleep 1000'
# per FILE TRACE: renames of supervise/FILE.new (file names, once each:
# strace may split a call in two lines).
per() { grep -c "\"\(supervise/\)\?$1\.new\"" "$2" 2>/dev/null || :; }
at_least() { [ "$(per "$1" "$2")" -ge "$3" ]; }

spawn strace -f -qq -o "$T/trace" -e trace=rename,renameat,renameat2 \
    env --default-signal "$RUNSV" "$S"
wait_for 10 alive "$S"
wait_for 10 stat_is "$S" run
# startup's down record and the start: status twice
wait_for 10 at_least status "$T/trace" 2
pid0=$(per pid "$T/trace") stat0=$(per stat "$T/trace") status0=$(per status "$T/trace")
diag "after the start: pid $pid0, stat $stat0, status $status0"

# u and c change nothing on a running, wanted-up, unpaused service; p does.
ctl "$S" uucucu
ctl "$S" p
wait_for 10 stat_is "$S" "run, paused"
wait_for 10 at_least status "$T/trace" $((status0 + 1))
is "$(per stat "$T/trace")" $((stat0 + 1)) "u and c that change nothing rename no stat (p once)"
is "$(per status "$T/trace")" $((status0 + 1)) "nor status (p once)"
is "$(per pid "$T/trace")" "$pid0" "nor pid"

# Someone else damages stat: a p that changes nothing in runsv's view still
# puts its line back, and leaves status (unchanged) alone.
printf 'garbage\n' >"$S/supervise/stat"
ctl "$S" p
wait_for 10 stat_is "$S" "run, paused"
ok "a damaged stat is replaced by the next update" stat_is "$S" "run, paused"
ctl "$S" c
wait_for 10 stat_is "$S" run
wait_for 10 at_least status "$T/trace" $((status0 + 2))
is "$(per status "$T/trace")" $((status0 + 2)) "status renamed by c only, not by the p that changed nothing"

# d, then x: stat holds "down" before and after x and is not rewritten.
ctl "$S" d
wait_for 10 stat_is "$S" down
wait_for 10 at_least status "$T/trace" $((status0 + 3))
stat1=$(per stat "$T/trace")
ctl "$S" x
wait_for 10 dead "$S"
is "$(per stat "$T/trace")" "$stat1" "x leaves stat's down as it is"
ok "stat still says down" stat_is "$S" down
is "$(cat "$S/supervise/pid")" "" "pid is empty"

# A new runsv on the same directory, wanted down: pid (empty) and stat
# (down) already hold its bytes; status gets its new stamp.
: >"$S/down"
spawn strace -f -qq -o "$T/trace2" -e trace=rename,renameat,renameat2 \
    env --default-signal "$RUNSV" "$S"
wait_for 10 alive "$S"
wait_for 10 at_least status "$T/trace2" 1
is "$(per pid "$T/trace2")" 0 "a new runsv leaves pid, which is already empty"
is "$(per stat "$T/trace2")" 0 "and stat, which already says down"
is "$(per status "$T/trace2")" 1 "status gets its new stamp"
# and a stale pid left by a killed runsv is replaced
ctl "$S" x
wait_for 10 dead "$S"
echo 99999 >"$S/supervise/pid"
spawn strace -f -qq -o "$T/trace3" -e trace=rename,renameat,renameat2 \
    env --default-signal "$RUNSV" "$S"
wait_for 10 alive "$S"
wait_for 10 at_least status "$T/trace3" 1
is "$(per pid "$T/trace3")" 1 "a stale pid is replaced"
is "$(cat "$S/supervise/pid")" "" "by an empty one"
ctl "$S" x
wait_for 10 dead "$S"
done_testing
