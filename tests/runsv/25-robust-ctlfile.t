#!/bin/sh
# Robustness: supervise/control (or log/supervise/control) a regular file is fatal with runit's message (D-runsv-12); a regular supervise/ok is replaced by the FIFO, with a warning.
# needs: debian-runit
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

# A regular file as supervise/ok would answer every client's open for ever:
# runsv replaces it with its FIFO, and sv sees a runsv only while it runs.
mksvc "$T/okf" 'exec sleep 100'
mkdir "$T/okf/supervise"
: >"$T/okf/supervise/ok"
start_runsv "$T/okf"
ok "ok is a FIFO now" test -p "$T/okf/supervise/ok"
like "$(grep okf "$T/stderr")" "^runsv $T/okf: warning: supervise/ok exists but is not a fifo, replacing it$" "with a warning"
ctl "$T/okf" x
wait_exit "$RPID" 5
ok "after runsv exits, no client sees it alive" dead "$T/okf"
done_testing
