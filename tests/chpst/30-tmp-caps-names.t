#!/bin/sh
# chpst: --private-tmp started inside the real /tmp writes nothing there (it changes into its directory again, or /); --caps reads the kernel's last capability and accepts cap_N; a user name of 256 bytes or more is an unknown user, whatever errno an earlier step left (Debian's words).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
need_root
unshare --mount true 2>/dev/null || skip_all "cannot create namespaces"
contained() { unshare --mount "$@"; }

# --private-tmp from a directory in /tmp ($T is one).
mkdir "$T/work"
run contained sh -c 'cd "$1" && "$2" --private-tmp sh -c ": >leaked; pwd"' sh "$T/work" "$C"
is "$OUT$NL$RC" "/${NL}0" "--private-tmp from inside /tmp: the directory is gone from the new /tmp, so /"
ok "--private-tmp: nothing lands in the host's /tmp" test ! -e "$T/work/leaked"
# -C after --private-tmp still goes where it says.
run contained "$C" --private-tmp -C /tmp sh -c 'pwd; ls -A | wc -l'
is "$OUT$NL$RC" "/tmp${NL}0${NL}0" "--private-tmp -C /tmp: the new, empty /tmp"

# --caps: numbers for capabilities the table may not name; the bounding set read to the kernel's end.
last=$(cat /proc/sys/kernel/cap_last_cap)
run "$C" --caps cap_0,cap_$last sh -c 'grep ^CapBnd: /proc/self/status'
want=$(printf 'CapBnd:\t%016x' $(( 1 | (1 << last) )))
is "$OUT$NL$RC" "$want${NL}0" "--caps cap_0,cap_$last: exactly those two stay in the bounding set"
run "$C" --caps CAP_CHOWN,cap_1 sh -c 'grep ^CapBnd: /proc/self/status'
is "$OUT$NL$RC" "$(printf 'CapBnd:\t%016x' 3)${NL}0" "names and numbers mix"
run "$C" --caps cap_64 true
is "$(echo "$OUT" | head -1) $RC" "chpst: unknown capability: cap_64 100" "cap_64 is past any set"
run "$C" --caps cap_07 true
is "$(echo "$OUT" | head -1) $RC" "chpst: unknown capability: cap_07 100" "cap_N without leading zeros"

# Long names: unknown, not a stale errno (--caps left one behind).
long=$(printf '%0300d' 0 | tr 0 x)
for opts in "" "--caps chown" "--caps chown -e $T"; do
	run "$C" $opts -u "$long" true
	is "$OUT$NL$RC" "chpst: fatal: unknown user/group: $long${NL}111" "-u with a 300-byte name ${opts:+after $opts}"
	run "$C" $opts -u "root:$long" true
	is "$OUT$NL$RC" "chpst: fatal: unknown user/group: root:$long${NL}111" "-u with a 300-byte group ${opts:+after $opts}"
done
if [ -x "$DEB_CHPST" ]; then
	run "$DEB_CHPST" -u "$long" true
	is "$OUT$NL$RC" "chpst: fatal: unknown user/group: $long${NL}111" "Debian's chpst says the same"
else
	skip "Debian's chpst missing"
fi
done_testing
