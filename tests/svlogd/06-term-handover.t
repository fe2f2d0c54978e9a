#!/bin/sh
# SIGTERM: svlogd finishes the line it is in, exits 0, and leaves unread lines in the pipe for the next svlogd (a restart loses nothing).
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d
mkfifo in
exec 3<> in # holds the pipe (and its contents) across svlogd instances, like runsv
spawn sh -c "exec $SVLOGD -v d < in 2> err"
pid=$SPAWNED
has() { grep -q "$2" "$1" 2>/dev/null; }
printf 'one\ntwo\nthr' >&3
wait_for 5 has d/current two
kill -TERM $pid
wait_for 5 has err 'sigterm received'
sleep 0.3
ok "still running while its line is unfinished" kill -0 $pid
printf 'ee\nfour\nfive\n' >&3
wait_exit $pid 5
is "$EXITCODE" 0 "exit 0 once the line is complete"
is "$(cat d/current | tr '\n' ' ')" "one two three " "the unfinished line was completed, nothing after it taken"
spawn sh -c "exec $SVLOGD d < in"
pid=$SPAWNED
ok "the next svlogd gets the rest" wait_for 5 has d/current five
is "$(cat d/@* d/current 2>/dev/null | tr '\n' ' ')" "one two three four five " "each line once"
kill -TERM $pid
wait_exit $pid 5
done_testing
