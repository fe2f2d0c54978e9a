#!/bin/sh
# D-runsvdir-1: which entries are services (dirs, symlinks to dirs, one per dev/ino, no dot names, dangling warned), ours vs Debian's.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

# tree ROOT: the D-runsvdir-1 layout.
tree() {
	mkdir -p "$1/sv" "$1/target"
	mksvc "$1/sv" a
	mksvc "$1/sv" .hidden
	mksvc "$1/target" t1
	: >"$1/sv/file"
	ln -s ../target/t1 "$1/sv/link1"
	ln -s ../target/t1 "$1/sv/link2"
	ln -s ../nonexistent "$1/sv/dangling"
}

# run_tree ROOT RUNSVDIR PATH-HEAD: starts it, waits for two runsv, stores kids and stderr.
run_tree() {
	tree "$1"
	(cd "$1" && PATH=$3:$PATH exec "$2" sv) 2>"$1/err" &
	_p=$!
	_tap_pids="$_tap_pids $_p"
	wait_for 10 sh -c "[ \$(ps -o pid= --ppid $_p | wc -l) -ge 2 ] && grep -qs dangling '$1/err'"
	ok "$2: two runsv and the dangling warning appear" test $? = 0
	# Over a short interval: no third runsv turns up (proves nothing else is picked).
	sleep 0.5
	kids "$_p" >"$1/kids"
	kill -HUP "$_p"
	wait_exit "$_p" 10
}

run_tree "$T/ours" "$RNG_BIN/runsvdir" "$RNG_BIN"
is "$(cat "$T/ours/kids")" "runsv a
runsv link1" "ours: runsv for a and link1 only"
is "$(sort -u "$T/ours/err")" "runsvdir sv: warning: unable to stat dangling: file does not exist" "ours: only the dangling warning"
ok "ours: no runsv for .hidden" test ! -d "$T/ours/sv/.hidden/supervise"

if [ -x "$DEB_RUNSVDIR" ] && [ -x "$DEB_RUNSV" ]; then
	run_tree "$T/deb" "$DEB_RUNSVDIR" /usr/bin
	is "$(cat "$T/ours/kids")" "$(cat "$T/deb/kids")" "same runsv set as Debian's"
	is "$(sort -u "$T/ours/err")" "$(sort -u "$T/deb/err")" "same warnings as Debian's"
else
	skip "Debian's runit not installed"
	skip "Debian's runit not installed"
fi
done_testing
