#!/bin/sh
# Basics: usage and -V, appending, -r/-R replacement, timestamps, modes, a final line without newline, missing directory.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1

$SVLOGD 2>err; rc=$?
is "$rc" 111 "no directory: exit 111"
is "$(cat err)" "usage: $SVLOGD [-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ..." "usage text"
is "$(tail -c2 err | od -An -c | tr -d ' ')" '\n\n' "usage ends in a blank line"
$SVLOGD -V 2>err; rc=$?
is "$rc" 111 "-V: exit 111"
like "$(head -1 err)" '^\$Id: ' "-V prints the version first"
$SVLOGD -r ab d 2>/dev/null; is "$?" 111 "-r needs exactly one character"
$SVLOGD -l 2000 d 2>/dev/null; is "$?" 111 "-l not below -b is a usage error"

mkdir d
echo foo | $SVLOGD d; is "$?" 0 "exit 0 at end of input"
printf 'bar\nbaz\n' | $SVLOGD d
printf 'foo\nbar\nbaz\n' | $SVLOGD -r: -R fb d
is "$(cat d/current | tr '\n' ' ')" "foo bar baz :oo :ar :az " "appended, with replacement"
is "$(stat -c %a d/current) $(stat -c %a d/lock)" "744 600" "current finished 0744, lock 0600"

mkdir t
printf 'a\tb\n' | $SVLOGD -tt t
like "$(cat t/current)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{5} a	b$' "-tt stamp, TAB kept"
: > t/current
printf 'x\n' | $SVLOGD -t t
like "$(cat t/current)" '^@[0-9a-f]{24} x$' "-t stamp"
: > t/current
printf 'y\n' | $SVLOGD -ttt t
like "$(cat t/current)" '^[0-9-]{10}T[0-9:]{8}\.[0-9]{5} y$' "-ttt stamp"
: > t/current
printf 'tab\there\n' | $SVLOGD -r . t
is "$(cat t/current)" "tab.here" "-r . replaces TAB"

mkdir p
printf 'whole\npartial' | $SVLOGD p
is "$(cat p/current)" "whole
partial" "a final line without newline is written (runit drops it)"
is "$(tail -c1 p/current | od -An -c | tr -d ' ')" '\n' "and given its newline"

mkdir l
printf 'abcdefghij\n' | $SVLOGD -l 4 -b 5 -r _ l
is "$(cat l/current)" "abcdefghij" "long lines are not cut in the file"

$SVLOGD "$T/none" </dev/null 2>err; rc=$?
is "$rc" 111 "missing directory: exit 111"
is "$(cat err)" "svlogd: warning: unable to open log directory: $T/none: file does not exist
svlogd: fatal: no functional log directories." "missing directory: messages"

mkdir u
printf 'old\n' > u/current; chmod 644 u/current
echo new | $SVLOGD u
is "$(cat u/current)" "new" "an unfinished current is set aside"
is "$(cat u/@*.u)" "old" "as @....u"
done_testing
