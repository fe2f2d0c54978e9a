#!/bin/sh
# The suite's layout: no two tests of a directory share a number (they run, and are named in reports, by it), and every test script is executable and starts with a line saying what it proves.
. "$(dirname "$0")/tap.sh"

cd "$RNG_TOP/tests" || exit 1
dups=
for d in */; do
	n=$(ls "$d" | grep -oE '^[0-9]+-' | sort | uniq -d | tr '\n' ' ')
	[ -z "$n" ] || dups="$dups ${d}: $n"
done
is "$dups" "" "no two tests of a directory share a number"
bad=
for t in */*.t; do
	[ -x "$t" ] && sed -n 2p "$t" | grep -qE '^# .{20,}' || bad="$bad $t"
done
is "$bad" "" "every test is executable, its second line says what it proves"
done_testing
