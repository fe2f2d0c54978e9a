#!/bin/sh
# make install lays files out like Debian's runit; personalities only on request.
. "$(dirname "$0")/../lib/tap.sh"

O=$(dirname "$RNG_BIN")
make -s -C "$RNG_TOP" O="$O" install DESTDIR="$T/root" PREFIX=/usr >"$T/log" 2>&1
is "$?" 0 "make install succeeds"
for p in runsv runsvdir sv svlogd chpst; do
	ok "/usr/bin/$p installed, executable" test -x "$T/root/usr/bin/$p"
done
for p in runsvchdir utmpset; do
	ok "/usr/sbin/$p installed" test -x "$T/root/usr/sbin/$p"
done
for p in runit runit-init; do
	ok "/sbin/$p installed" test -x "$T/root/sbin/$p"
done
for m in runsv runsvdir sv svlogd chpst runit runit-init runsvchdir utmpset; do
	ok "man page $m.8 installed" test -f "$T/root/usr/share/man/man8/$m.8"
done
ok "no personality links by default" test ! -e "$T/root/usr/bin/envdir"

make -s -C "$RNG_TOP" O="$O" install-personalities DESTDIR="$T/root" PREFIX=/usr >"$T/log" 2>&1
is "$?" 0 "make install-personalities succeeds"
for p in envdir envuidgid pgrphack setuidgid softlimit setlock; do
	is "$(readlink "$T/root/usr/bin/$p")" chpst "$p -> chpst"
done
out=$("$T/root/usr/bin/setuidgid" 2>&1)
like "$out" '^usage: setuidgid ' "an installed personality answers to its name"
done_testing
