#!/bin/sh
# runsvchdir without an argument: "usage: ARGV0 dir" and a blank line, exit 1, as Debian's (U-runsvchdir-1).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

mkdir "$T/ours" "$T/deb"
ln -s "$RNG_BIN/runsvchdir" "$T/ours/runsvchdir"
ln -s "$DEB_RUNSVCHDIR" "$T/deb/runsvchdir"
out=$(PATH=$T/ours; runsvchdir 2>&1; echo "rc=$?")
is "$out" "usage: runsvchdir dir

rc=1" "usage text, blank line, exit 1"
out=$("$RNG_BIN/runsvchdir" 2>&1)
is "$out" "usage: $RNG_BIN/runsvchdir dir" "ARGV0 verbatim"
if [ -x "$DEB_RUNSVCHDIR" ]; then
	is "$(PATH=$T/ours; runsvchdir 2>&1; echo "rc=$?")" "$(PATH=$T/deb; runsvchdir 2>&1; echo "rc=$?")" "same as Debian's"
else
	skip "Debian's runsvchdir not installed"
fi
done_testing
