#!/bin/sh
# supervise and log/supervise as symlinks (U-runsv-4), dangling targets created relative to each directory, an overlong target.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/s" 'echo starting; exec sleep 100'
mkdir "$T/s/log"
script "$T/s/log/run" 'exec cat >foo'
script "$T/s/control-t" 'echo term; exit 1'
mkdir "$T/s/control" && mv "$T/s/control-t" "$T/s/control/t"
ln -s foo "$T/s/supervise"
ln -s bar "$T/s/log/supervise"
cd "$T/s" || exit 1
spawn env --default-signal "$RUNSV" "$T/s" 2>>"$T/stderr"
RPID=$SPAWNED
ok "runsv comes up through the symlink" wait_for 5 stat_is . run
ok "target foo created in the service directory" test -d foo -a ! -L foo
ok "target bar created in log/" test -d log/bar
is "$(stat -c %a foo)" 700 "created 0700"
ok "status files live in the targets" test -p foo/control -a -f foo/status -a -f log/bar/status -a -p log/bar/ok
ok "log running" wait_for 5 stat_is log run
timeout 2 sh -c 'printf x >foo/control'
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x through the link target: exit 0"
is "$(tr '\n' ' ' <log/foo)" "starting term " "log got starting and term"

# A symlink target of 256 bytes or more is fatal.
mksvc "$T/l" 'exec sleep 100'
long=$(printf '%0256d' 0)
ln -s "$long" "$T/l/supervise"
out=$("$RUNSV" "$T/l" 2>&1; echo "rc=$?")
is "$out" "runsv $T/l: fatal: unable to readlink ./supervise: name too long
rc=111" "overlong symlink target"

# A symlink whose target already exists is used as is.
mksvc "$T/e" 'exec sleep 100'
mkdir "$T/e-state"
ln -s ../e-state "$T/e/supervise"
start_runsv "$T/e"
ok "existing target used" wait_for 5 test -f "$T/e-state/status"
ctl "$T/e" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
