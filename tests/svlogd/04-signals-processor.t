#!/bin/sh
# Signals and the processor: SIGALRM rotates, the processor gets its fds and state, SIGHUP re-reads config, SIGTERM ends cleanly, the lock.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d
echo '!tr a-z A-Z; echo newstate-$(cat <&4 | wc -c) >&5' > d/config
mkfifo in
spawn sh -c "exec $SVLOGD -v d < in 2> err"
pid=$SPAWNED
exec 3> in
has() { grep -q "$2" "$1" 2>/dev/null; }
count_s() { [ "$(ls d | grep -c '\.s$')" -ge "$1" ]; }
echo hello >&3
wait_for 5 has d/current hello
kill -ALRM $pid
ok "SIGALRM: first file processed" wait_for 5 count_s 1
echo world >&3
wait_for 5 has d/current world
kill -ALRM $pid
ok "SIGALRM: second file processed" wait_for 5 count_s 2
is "$(cat d/@*.s | tr '\n' ' ')" "HELLO WORLD " "processor output replaces the files"
is "$(cat d/state)" "newstate-11" "state passed on fd 4, newstate on fd 5"
is "$(ls d | grep -c '\.[ut]$')" 0 "no .u or .t left"
like "$(cat err)" 'processing: d/@[0-9a-f]{24}\.u' "verbose processing line"

# lock: a second svlogd on the same directory
echo x | $SVLOGD d 2> err2
is "$(head -1 err2)" "svlogd: warning: unable to lock directory: d: temporary failure" "second svlogd cannot lock"

# SIGHUP: new config is read
printf 'pPFX:\n' > d/config
kill -HUP $pid
wait_for 5 has err 'sighangup received'
echo after >&3
ok "SIGHUP re-reads config (prefix applies)" wait_for 5 has d/current '^PFX:after$'

# SIGTERM: exit 0, current finished 0744
kill -TERM $pid
wait_exit $pid 5
is "$EXITCODE" 0 "SIGTERM: exit 0"
is "$(stat -c %a d/current)" 744 "current marked finished"
done_testing
