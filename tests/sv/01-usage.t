#!/bin/sh
# sv usage errors, -V, bad options, unknown commands and their exit codes (U-sv-1, U-sv-2, D-sv-16, D-sv-14 usage part).
. "$(dirname "$0")/../lib/tap.sh"

SV=$RNG_BIN/sv
usage='usage: sv [-v] [-w sec] command service ...'

out=$("$SV" 2>&1); rc=$?
is "$out" "$usage" "no arguments: usage"
is "$rc" 100 "no arguments: rc 100"
"$SV" 2>"$T/err"; is "$(od -An -c "$T/err" | tr -d ' \n' | tail -c 4)" '\n\n' "usage ends in a blank line"

out=$("$SV" -V 2>&1); rc=$?
like "$out" '^\$Id: .* \$' "-V prints the version first"
is "$(printf "%s\n" "$out" | sed -n 2p)" "$usage" "-V then usage"
is "$rc" 100 "-V: rc 100"

out=$("$SV" -x status s1 2>&1); rc=$?
is "$out" "sv: illegal option -- x
$usage" "bad option message"
is "$rc" 100 "bad option: rc 100"

out=$("$SV" -w 2>&1); rc=$?
is "$out" "sv: option requires an argument -- w
$usage" "-w without argument"
is "$rc" 100 "-w without argument: rc 100"

for w in foo reboot fxx r '' Z; do
	"$SV" "$w" s1 >/dev/null 2>&1
	is "$?" 100 "unknown command '$w': rc 100"
done
out=$("$SV" status 2>&1); rc=$?
is "$rc:$out" "100:$usage" "status without a service: usage"
out=$("$SV" -v -- 2>&1); rc=$?
is "$rc" 100 "no command after --: usage"

# stdout stays empty on usage errors
is "$("$SV" foo s1 2>/dev/null)" "" "usage goes to stderr only"

# LSB personality: any other name
mkdir "$T/initd"; ln -s "$SV" "$T/initd/s1"
out=$("$T/initd/s1" 2>&1); rc=$?
is "$rc:$out" "2:usage: s1 [-w sec] command" "LSB no command: usage, rc 2"
"$T/initd/s1" foo >/dev/null 2>&1; is "$?" 2 "LSB unknown command: rc 2"
"$T/initd/s1" stat >/dev/null 2>&1; is "$?" 2 "LSB accepts only exactly 'status'"
"$T/initd/s1" statusx >/dev/null 2>&1; is "$?" 2 "LSB statusx: rc 2"
out=$("$T/initd/s1" -V 2>&1); rc=$?
like "$out" '^\$Id: ' "LSB -V prints the version"
is "$rc" 2 "LSB -V: rc 2"
out=$("$T/initd/s1" -q 2>&1); rc=$?
is "$rc:$out" "2:s1: illegal option -- q
usage: s1 [-w sec] command" "LSB bad option"

done_testing
