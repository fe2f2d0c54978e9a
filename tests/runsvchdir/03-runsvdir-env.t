#!/bin/sh
# RUNSVDIR overrides the base directory (2.3.0; Debian ignores it); the swap keeps "current" present at every instant; a real directory as current still works (D-misc-3).
. "$(dirname "$0")/../lib/tap.sh"

mkdir -p "$T/base/a" "$T/base/b"
ln -s a "$T/base/current"
out=$(RUNSVDIR=$T/base "$RNG_BIN/runsvchdir" b 2>&1); rc=$?
is "$out:$rc" "runsvchdir: b: now current.:0" "RUNSVDIR: switched"
is "$(readlink "$T/base/current") $(readlink "$T/base/previous")" "b a" "current -> b, previous -> a"
out=$(RUNSVDIR=$T/base "$RNG_BIN/runsvchdir" b 2>&1); rc=$?
is "$out:$rc" "runsvchdir: b: current.:0" "again: already current"
ok "no current.new left behind" test ! -e "$T/base/current.new" -a ! -L "$T/base/current.new"
out=$(RUNSVDIR=$T/nosuch "$RNG_BIN/runsvchdir" b 2>&1); rc=$?
is "$out:$rc" "$RNG_BIN/runsvchdir: fatal: unable to chdir: $T/nosuch: file does not exist:111" "missing base"

# Watch "current" while switching back and forth: it must never be missing.
n=200; [ "${RNG_ASAN:-0}" = 1 ] && n=50
spawn sh -c 'while :; do [ -e "$1/current" ] || echo gap >>"$1/../gaps"; done' sh "$T/base"
i=0
while [ $i -lt $n ]; do
	RUNSVDIR=$T/base "$RNG_BIN/runsvchdir" a >/dev/null
	RUNSVDIR=$T/base "$RNG_BIN/runsvchdir" b >/dev/null
	i=$((i + 1))
done
kill "$SPAWNED"
ok "current never vanished during $n switches" test ! -e "$T/gaps"

# A real directory named current: moved to previous as runit does.
rm -rf "$T/base2"; mkdir -p "$T/base2/current" "$T/base2/b"
out=$(RUNSVDIR=$T/base2 "$RNG_BIN/runsvchdir" b 2>&1); rc=$?
is "$out:$rc" "runsvchdir: b: now current.:0" "current as a real directory: switched"
ok "the old directory became previous" test -d "$T/base2/previous" -a ! -L "$T/base2/previous"

# Unwritable base: a clear message, nothing changed.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	chmod 755 "$T" "$T/base"
	out=$(RUNSVDIR=$T/base setpriv --reuid=65534 --regid=65534 --clear-groups "$RNG_BIN/runsvchdir" a 2>&1); rc=$?
	is "$out:$rc" "$RNG_BIN/runsvchdir: fatal: unable to create: current.new -> a: access denied:111" "unwritable base: fatal, 111"
	is "$(readlink "$T/base/current")" b "unwritable base: current unchanged"
else
	skip "needs root and setpriv"; skip "needs root and setpriv"
fi
done_testing
