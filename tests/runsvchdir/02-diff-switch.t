#!/bin/sh
# Switching current/previous and every error path, against Debian's runsvchdir with /etc/runit/runsvdir bound from $T (D-misc-1..3).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
need_root
[ -x "$DEB_RUNSVCHDIR" ] || skip_all "Debian's runsvchdir not installed"
unshare --mount true 2>/dev/null || skip_all "cannot create mount namespaces"
[ -d /etc/runit/runsvdir ] || skip_all "no /etc/runit/runsvdir to bind over"

mkdir -p "$T/ours" "$T/deb"
ln -s "$RNG_BIN/runsvchdir" "$T/ours/runsvchdir"
ln -s "$DEB_RUNSVCHDIR" "$T/deb/runsvchdir"

# scenario WHO: a fresh base, a series of calls; prints outputs, codes and the links.
scenario() {
	rm -rf "$T/base"; mkdir -p "$T/base/a" "$T/base/b"
	ln -s a "$T/base/current"; : >"$T/base/file"
	unshare --mount sh -c '
		mount --bind "$1/base" /etc/runit/runsvdir || exit 99
		PATH=$1/$2:$PATH
		cd /tmp
		for d in b b a .x file nosuch "" /etc/runit/runsvdir/b; do
			echo "== $d"; runsvchdir "$d" 2>&1; echo "rc=$?"
			echo "current=$(readlink /etc/runit/runsvdir/current) previous=$(readlink /etc/runit/runsvdir/previous)"
		done
		rm /etc/runit/runsvdir/current
		echo "== no current"; runsvchdir b 2>&1; echo "rc=$?"
	' sh "$T" "$1"
}
ours=$(scenario ours)
deb=$(scenario deb)
is "$ours" "$deb" "same outputs, exit codes and links as Debian's"
like "$ours" "runsvchdir: b: now current\." "switch announced on stdout"
like "$ours" "runsvchdir: b: current\." "second call: already current"
like "$ours" "runsvchdir: fatal: filenot a directory\." "D-misc-1: regular file (sic)"
like "$ours" "runsvchdir: fatal: \.x: must not start with a dot\." "D-misc-2: dot"
like "$ours" "runsvchdir: fatal: nosuch: file does not exist" "missing directory"
like "$ours" "runsvchdir: fatal: unable to stat: current: file does not exist" "missing current"
done_testing
