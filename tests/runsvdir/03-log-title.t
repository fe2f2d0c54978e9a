#!/bin/sh
# D-runsvdir-2, D-runsvdir-8: the LOG argument; stderr of runsvdir and services scrolls through argv (/proc/PID/cmdline); short LOG warns.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

dots=.....................................................................
log="log: $dots"
mkdir "$T/sv"
mksvc "$T/sv" talker 'echo err-from-talker >&2; exec sleep 1000'
ln -s ../nonexistent "$T/sv/dangling"

title() { tr '\0' '|' <"/proc/$1/cmdline"; }

cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv "$log" 2>"$T/err2"
p=$SPAWNED
wait_for 10 sh -c "tr '\0' '|' </proc/$p/cmdline | grep -qs err-from-talker"
ok "a service's stderr shows up in the title" test $? = 0
t=$(title "$p")
like "$t" "^$RNG_BIN/runsvdir\|sv\|log: " "argv[0] and DIR unchanged, first five LOG characters kept"
like "$t" "unable to stat dangling: file does not exist" "runsvdir's own warning shows up in the title"
is "${#t}" "$(( ${#RNG_BIN} + 9 + 1 + 3 + ${#log} + 1 ))" "the title keeps its length"
tail=${t#*|sv|log: }
tail=${tail%|}
is "${#tail}" "${#dots}" "the window is LOG minus five characters"
like "$(printf '%s' "$tail" | od -An -c | tr -d ' \n')" '\\n' "newlines are kept as they came"

# A later message pushes the window left: the newest bytes are at the right end.
mksvc "$T/sv" second 'echo zzz-newest >&2; exec sleep 1000'
wait_for 10 sh -c "tr '\0\n' '|~' </proc/$p/cmdline | grep -qs 'zzz-newest~|\$'"
ok "the newest stderr text sits at the right end of the window" test $? = 0
is "$(cat "$T/err2")" "" "nothing reaches the original stderr"

# D-runsvdir-8: a LOG shorter than seven characters is refused; supervision goes on.
mkdir "$T/sv2"
mksvc "$T/sv2" a
spawn "$RNG_BIN/runsvdir" sv2 short 2>"$T/err8"
p8=$SPAWNED
wait_for 10 has_kid "$p8" "runsv a"
ok "short LOG: services still start" test $? = 0
is "$(cat "$T/err8")" "runsvdir sv2: warning: log must have at least seven characters.
runsvdir sv2: warning: log service disabled." "short LOG: the two warnings, in order"
like "$(title "$p8")" '\|sv2\|short\|$' "short LOG: argv untouched"

# Exactly seven characters is enough.
mkdir "$T/sv3"
spawn "$RNG_BIN/runsvdir" sv3 1234567 2>"$T/err7"
p7=$SPAWNED
wait_for 5 sh -c "tr '\0' '|' </proc/$p7/cmdline | grep -qs '|123457[.]|\$'"
ok "seven characters: accepted, the startup dot scrolls in" test $? = 0
is "$(cat "$T/err7")" "" "seven characters: no warning"
done_testing
