#!/bin/sh
# runit-init usage: no/unknown argument prints "usage: ARGV0 0|6" and a blank line and exits 0; -V adds the version and an empty line; same as Debian's (U-runit-init-1, D-misc-5).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

mkdir "$T/ours" "$T/deb"
ln -s "$RNG_BIN/runit-init" "$T/ours/runit-init"
ln -s /lib/runit/runit-init "$T/deb/runit-init"
run() { # DIR ARGS...: stderr (version masked) and exit code, argv0 "runit-init"
	_d=$1; shift
	(PATH=$T/$_d; runit-init "$@" 2>&1 >/dev/null; echo "rc=$?") | sed 's/\$Id: [^$]*\$/VERSION/'
}

is "$(run ours)" "usage: runit-init 0|6

rc=0" "no argument: usage, blank line, exit 0"
is "$(run ours -V)" "VERSION

usage: runit-init 0|6

rc=0" "-V: version, empty line, usage"
is "$(run ours 5)" "$(run ours)" "5: usage (D-misc-5)"
is "$(run ours '')" "$(run ours)" "empty argument: usage"
if [ -x /lib/runit/runit-init ]; then
	for a in "" -V 5 -x 7abc; do
		is "$(run ours $a)" "$(run deb $a)" "same as Debian's for '$a'"
	done
else
	skip "Debian's runit-init not installed"
fi
done_testing
