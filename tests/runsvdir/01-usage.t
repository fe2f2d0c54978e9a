#!/bin/sh
# U-runsvdir-1 and argument shapes: usage text and exit code, -P/-- handling, compared with Debian's runsvdir.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"

for args in "" "-P" "--" "-Pxyz"; do
	"$RNG_BIN/runsvdir" $args >"$T/out" 2>"$T/err"; rc=$?
	is "$rc" 1 "runsvdir $args: exit code 1"
	is "$(cat "$T/err"; echo x)" "usage: $RNG_BIN/runsvdir [-P] dir

x" "runsvdir $args: usage line and blank line on stderr"
	is "$(cat "$T/out")" "" "runsvdir $args: nothing on stdout"
	if [ -x "$DEB_RUNSVDIR" ]; then
		(cd "$T" && "$DEB_RUNSVDIR" $args) 2>"$T/deb" >/dev/null; drc=$?
		(cd "$T" && "$RNG_BIN/runsvdir" $args) 2>"$T/ours" >/dev/null
		is "$(sed "s|$RNG_BIN/runsvdir|PROG|" "$T/ours")" "$(sed "s|$DEB_RUNSVDIR|PROG|" "$T/deb")" "runsvdir $args: same stderr as Debian's"
		is "$rc" "$drc" "runsvdir $args: same exit code as Debian's"
	fi
done

(cd "$RNG_BIN" && ./runsvdir) 2>"$T/err"
like "$(head -n1 "$T/err")" '^usage: \./runsvdir \[-P\] dir$' "usage names the program as invoked"
done_testing
