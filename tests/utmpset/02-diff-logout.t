#!/bin/sh
# Logging out a line in utmp (and wtmp with -w), in a mount namespace with a tmpfs on /run and a wtmp bound over /var/log/wtmp; same records as Debian's utmpset; errors (D-misc-4).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

# inns PROG ARGS...: runs PROG with $T/utmp as /var/run/utmp and $T/wtmp as /var/log/wtmp.
inns() {
	unshare --mount sh -c '
		t=$1; shift
		mount -t tmpfs tmpfs /run && mount --bind "$t/wtmp" /var/log/wtmp || exit 99
		[ ! -e "$t/utmp" ] || cp "$t/utmp" /run/utmp
		"$@" 2>&1; rc=$?
		[ ! -e /run/utmp ] || cp /run/utmp "$t/utmp"
		echo "rc=$rc"' sh "$T" "$@"
}
fresh() {
	mk 7:100:tty10:bob:host1 7:101:tty1:alice:host2 7:102:tty1:carol:host3 6:103:tty2::x >"$T/utmp"
	: >"$T/wtmp"
}

# Debian's utmpset is the oracle where it is installed; without it, only ours runs.
[ -x "$DEB_UTMPSET" ] && whos="ours deb" || whos=ours
same_as_debian() {
	if [ -x "$DEB_UTMPSET" ]; then is "$1" "$2" "$3"; else skip "Debian's utmpset not installed"; fi
}

for who in $whos; do
	[ $who = ours ] && p=$RNG_BIN/utmpset || p=$DEB_UTMPSET
	fresh
	out=$(inns "$p" -w tty1)
	eval "out_$who=\$out"
	eval "utmp_$who=\$(dump '$T/utmp')"
	eval "wtmp_$who=\$(dump '$T/wtmp')"
	fresh
	out=$(inns "$p" tty2)
	eval "nouser_$who=\$out"
	eval "nouserw_$who=\$(wc -c <'$T/wtmp')"
done
is "$out_ours" "rc=0" "tty1: logged out, exit 0"
is "$utmp_ours" "7 100 tty10 bob host1 len=384
8 101 tty1 - - len=384
7 102 tty1 carol host3 len=384
6 103 tty2 - x len=384" "only the first tty1 record changed: DEAD_PROCESS, user and host cleared; tty10 not matched"
is "$wtmp_ours" "8 0 tty1 - - len=384" "-w: one logout record appended to wtmp"
same_as_debian "$out_ours|$utmp_ours|$wtmp_ours" "${out_deb-}|${utmp_deb-}|${wtmp_deb-}" "same as Debian's utmpset"
is "$nouser_ours" "utmpset: warning: unable to logout line tty2 in utmp: no such entry
rc=111" "a record without user does not match: warning, 111"
same_as_debian "$nouser_ours" "${nouser_deb-}" "same as Debian's"
is "$nouserw_ours" 0 "wtmp untouched when utmp failed"

rm -f "$T/utmp"; : >"$T/wtmp"
out=$(inns "$RNG_BIN/utmpset" -w nosuchtty)
is "$out" "utmpset: fatal: unable to open /var/run/utmp: file does not exist
rc=111" "D-misc-4: no utmp"
[ ! -x "$DEB_UTMPSET" ] || deb=$(inns "$DEB_UTMPSET" -w nosuchtty)
same_as_debian "$out" "${deb-}" "same as Debian's"

fresh
long=abcdefghijklmnopqrstuvwxyz0123456
out=$(inns "$RNG_BIN/utmpset" -w "$long")
is "$out" "utmpset: fatal: unable to logout line $long in utmp: name too long
rc=111" "a line longer than the field is rejected (2.3.0)"
l32=abcdefghijklmnopqrstuvwxyz012345
mk "7:5:$l32:dave:h" >"$T/utmp"
out=$(inns "$RNG_BIN/utmpset" "$l32")
is "$out" "rc=0" "a line exactly as long as the field matches"
done_testing
