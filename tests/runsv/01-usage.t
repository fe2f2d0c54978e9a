#!/bin/sh
# runsv command line: usage errors (U-runsv-1) and a missing service directory (D-runsv-13), against Debian's.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

out=$(bash -c 'exec -a runsv "$0"' "$RUNSV" 2>&1; echo "rc=$?")
is "$out" "usage: runsv dir

rc=1" "no operand: usage with a blank line, exit 1"

out=$(bash -c 'exec -a ./x/runsv "$0" a b' "$RUNSV" 2>&1; echo "rc=$?")
is "$out" "usage: ./x/runsv dir

rc=1" "two operands: usage names argv[0] verbatim"

out=$("$RUNSV" "$T/none" 2>&1; echo "rc=$?")
is "$out" "runsv $T/none: fatal: unable to change to directory: file does not exist
rc=111" "missing directory is fatal, exit 111"

: >"$T/file"
out=$("$RUNSV" "$T/file" 2>&1; echo "rc=$?")
is "$out" "runsv $T/file: fatal: unable to change to directory: not a directory
rc=111" "a regular file as the service directory"

if [ -x "$DEB_RUNSV" ]; then
	for args in "" "a b" "$T/none" "$T/file"; do
		# shellcheck disable=SC2086
		ours=$(bash -c 'exec -a runsv "$0" "$@"' "$RUNSV" $args 2>&1; echo "rc=$?")
		# shellcheck disable=SC2086
		theirs=$(bash -c 'exec -a runsv "$0" "$@"' "$DEB_RUNSV" $args 2>&1; echo "rc=$?")
		is "$ours" "$theirs" "same as Debian's runsv for '$args'"
	done
else
	skip "Debian's runsv not installed"
fi
done_testing
