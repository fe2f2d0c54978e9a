#!/bin/sh
# Robustness: stdin that is not a pipe (regular file, /dev/null, a closed descriptor) is read plainly; a missing directory among good ones is skipped.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d e
seq 1 50000 > in
$SVLOGD d < in; rc=$?
is "$rc" 0 "regular file: exit 0"
ok "regular file: every line" cmp -s d/current in
$SVLOGD e < /dev/null; is "$?" 0 "/dev/null: exit 0"
is "$(wc -c < e/current | tr -d ' ')" 0 "/dev/null: nothing written"
seq 1 3 | $SVLOGD e missing 2> err; rc=$?
is "$rc" 0 "one good directory is enough"
is "$(cat err)" "svlogd: warning: unable to open log directory: missing: file does not exist" "the bad one is named"
is "$(cat e/current | tr '\n' ' ')" "1 2 3 " "the good one logs"
$SVLOGD e <&- 2> err; rc=$?
is "$rc" 0 "closed stdin: exit 0"
done_testing
