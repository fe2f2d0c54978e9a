#!/bin/sh
# utmpset usage, -V and a bad option: messages and exit 1, as Debian's (U-utmpset-1, U-utmpset-2).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

mkdir "$T/ours" "$T/deb"
ln -s "$RNG_BIN/utmpset" "$T/ours/utmpset"
ln -s "$DEB_UTMPSET" "$T/deb/utmpset"
run() { _d=$1; shift; (PATH=$T/$_d; utmpset "$@" 2>&1; echo "rc=$?") | sed 's/\$Id: [^$]*\$/VERSION/'; }

is "$(run ours)" "usage: utmpset [-w] line

rc=1" "no line: usage, blank line, exit 1"
is "$(run ours -V)" "VERSION
usage: utmpset [-w] line

rc=1" "-V: version then usage, exit 1"
is "$(run ours -x tty1)" "utmpset: illegal option -- x
usage: utmpset [-w] line

rc=1" "bad option"
is "$(run ours -w)" "$(run ours)" "-w without a line: usage"
if [ -x "$DEB_UTMPSET" ]; then
	for a in "" -V -x -w "-w -V"; do
		is "$(run ours $a)" "$(run deb $a)" "same as Debian's for '$a'"
	done
else
	skip "Debian's utmpset not installed"
fi
done_testing
