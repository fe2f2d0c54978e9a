#!/bin/sh
# Robustness: supervise/control (or log/supervise/control) a regular file is fatal with runit's message (D-runsv-12).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

mksvc "$T/ctl" 'exec sleep 100'
mkdir "$T/ctl/supervise"
: >"$T/ctl/supervise/control"
cd "$T" || exit 1
out=$("$RUNSV" ctl 2>&1; echo "rc=$?")
is "$out" "runsv ctl: fatal: supervise/control exists but is not a fifo
rc=111" "regular control file refused"
ok "ok FIFO never created: clients see no runsv" test ! -e ctl/supervise/ok
if [ -x "$DEB_RUNSV" ]; then
	theirs=$("$DEB_RUNSV" ctl 2>&1; echo "rc=$?")
	is "$out" "$theirs" "same as Debian's"
fi

# 2.3.0 checks the log slot's own control file (2.1.2 looked at the main one).
mksvc "$T/lc" 'exec sleep 100'
mkdir -p "$T/lc/log/supervise"
script "$T/lc/log/run" 'exec cat'
: >"$T/lc/log/supervise/control"
out=$("$RUNSV" lc 2>&1; echo "rc=$?")
is "$out" "runsv lc: fatal: log/supervise/control exists but is not a fifo
rc=111" "regular log control file refused"
done_testing
