#!/bin/sh
# utmpset -w on a full file system: a clear wtmp warning, exit 111, the utmp logout kept, and wtmp left a whole number of records (no torn record).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

mk 7:100:tty1:alice:h >"$T/utmp"
out=$(unshare --mount sh -c '
	t=$1
	mount -t tmpfs tmpfs /run && cp "$t/utmp" /run/utmp || exit 99
	mkdir "$t/full" && mount -t tmpfs -o size=64k tmpfs "$t/full" || exit 99
	# 10 records = 3840 bytes: the next record fits only 256 bytes into the
	# last page, so the write is cut short (a torn record unless undone).
	i=0; while [ $i -lt 10 ]; do perl "$2/mkutmp.pl" 8:1:old::; i=$((i + 1)); done >"$t/full/wtmp"
	dd if=/dev/zero of="$t/full/fill" bs=4k 2>/dev/null
	mount --bind "$t/full/wtmp" /var/log/wtmp || exit 99
	"$3" -w tty1 2>&1; echo "rc=$?"
	echo "wtmp=$(wc -c <"$t/full/wtmp")"
	cp /run/utmp "$t/utmp"
' sh "$T" "$here" "$RNG_BIN/utmpset")
is "$out" "utmpset: warning: unable to logout line tty1 in wtmp: out of disk space
rc=111
wtmp=3840" "full disk: warning, 111, the short write undone"
is "$(dump "$T/utmp")" "8 100 tty1 - - len=384" "the utmp logout was kept"
done_testing
