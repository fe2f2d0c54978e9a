#!/bin/sh
# Differential: the same input through Debian's svlogd and ours gives the same files (stamps masked), messages and exit codes.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
[ -x "$DEB_SVLOGD" ] || skip_all "Debian's svlogd not installed"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "msg %d\tkeep \001 err %s\n", i, (i % 7 ? "x" : "skip") }' > in

mask() { sed -E 's/^@[0-9a-f]{24} /@STAMP /; s/^[0-9]{4}-[0-9]{2}-[0-9]{2}[_T][0-9:]{8}\.[0-9]{5} /DATE /' "$@"; }
both() { # both NAME CONFIG SVLOGD-OPTIONS...
	name=$1 config=$2; shift 2
	for who in deb ours; do
		mkdir -p "$who-$name"
		[ -z "$config" ] || printf '%s\n' "$config" > "$who-$name/config"
	done
	$DEB_SVLOGD "$@" "deb-$name" < in 2> "deb-$name.err"; echo $? >> "deb-$name.err"
	$SVLOGD "$@" "ours-$name" < in 2> "ours-$name.err"; echo $? >> "ours-$name.err"
	is "$(cat "ours-$name"/@* "ours-$name/current" 2>/dev/null | mask)" \
	   "$(cat "deb-$name"/@* "deb-$name/current" 2>/dev/null | mask)" "$name: same lines"
	is "$(mask "ours-$name.err")" "$(mask "deb-$name.err")" "$name: same stderr and exit code"
}
both plain ""
both tt "" -tt
both t "" -t
both ttt "" -ttt
both replace "" -r: -R ms
both patterns "$(printf -- '-*skip\ne*err*\n+msg 1*')"
both alert "$(printf 'E*\ne*: * *')" -tt
both prefix "pPFX: " -tt
both short-l "" -l 5 -b 6

# the same arguments errors
for args in "-r ab x" "-l 2000 x" "-b 10 -l 10 x" "-Z x"; do
	$DEB_SVLOGD $args </dev/null 2>deb.err; echo $? >> deb.err
	$SVLOGD $args </dev/null 2>ours.err; echo $? >> ours.err
	is "$(sed "s|$SVLOGD|SVLOGD|" ours.err)" "$(sed "s|$DEB_SVLOGD|SVLOGD|" deb.err)" "usage error: $args"
done
done_testing
