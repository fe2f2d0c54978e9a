#!/bin/sh
# runit not run as process no. 1: the fatal message and exit 111, as Debian's (U-runit-1).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

out=$("$RNG_BIN/runit" 2>&1); rc=$?
is "$out" "- runit: fatal: must be run as process no 1." "message when not pid 1"
is "$rc" 111 "exit 111 when not pid 1"
out=$("$RNG_BIN/runit" -x foo 2>&1); rc=$?
is "$out:$rc" "- runit: fatal: must be run as process no 1.:111" "arguments change nothing"
if [ -x /sbin/runit ]; then
	deb=$(/sbin/runit 2>&1); drc=$?
	is "$out:$rc" "$deb:$drc" "same message and code as Debian's runit"
else
	skip "Debian's /sbin/runit not installed"
fi
done_testing
