#!/bin/sh
# make install PREFIX=DIR writes nothing outside DIR: run in a private mount namespace where /sbin and /usr are read-only, every file it wrote is listed and lies under DIR; PREFIX=/usr alone keeps Debian's /sbin; SBINDIR_ROOT still chooses.
. "$(dirname "$0")/../lib/tap.sh"

O=$(dirname "$RNG_BIN")
progs_bin="chpst runsv runsvdir sv svlogd"
progs_sbin="runit runit-init runsvchdir utmpset"
# expected ROOT: every file make install should write, relative to ROOT
expected() {
	for p in $progs_bin; do echo "$1/bin/$p"; done
	for p in $progs_sbin; do echo "$1/sbin/$p"; done
	for m in $progs_bin $progs_sbin; do echo "$1/share/man/man8/$m.8"; done
}

touch "$T/before"
sleep 0.01 # -newer compares timestamps: anything written from now on is newer
if [ "$(id -u)" = 0 ]; then
	# /sbin may be a symlink to usr/sbin: bind what it points to, then /usr over it
	unshare --mount --propagation private sh -c '
		for d in /sbin /usr; do
			r=$(readlink -f "$d")
			mount --bind "$r" "$r" && mount -o remount,bind,ro "$r" || exit 111
		done
		exec make -s -C "$1" O="$2" install PREFIX="$3"' _ "$RNG_TOP" "$O" "$T/p" >"$T/log" 2>&1
	rc=$?
else
	diag "not root: /sbin and /usr are not made read-only, a non-root install cannot write them anyway"
	make -s -C "$RNG_TOP" O="$O" install PREFIX="$T/p" >"$T/log" 2>&1
	rc=$?
fi
[ "$rc" = 0 ] || diag "make install: $(cat "$T/log")"
is "$rc" 0 "make install PREFIX=\$tmp/p succeeds with /sbin and /usr read-only"
written=$(find "$T/p" ! -type d | sort)
is "$written" "$(expected "$T/p" | sort)" "every file written lies under PREFIX: bin, sbin (runit, runit-init too), share/man/man8"
outside=$(find /sbin/ /usr/bin/ /usr/sbin/ /usr/local/ /usr/share/man/ /etc/ -xdev -newer "$T/before" ! -type d 2>/dev/null | head -20)
is "$outside" "" "nothing newer than the install under /sbin, /usr/bin, /usr/sbin, /usr/local, /usr/share/man or /etc"

# DESTDIR with another PREFIX: everything under DESTDIR/PREFIX
make -s -C "$RNG_TOP" O="$O" install DESTDIR="$T/d" PREFIX=/opt/rng >"$T/log" 2>&1
is "$?" 0 "make install DESTDIR=... PREFIX=/opt/rng succeeds"
is "$(cd "$T/d" && find . ! -type d | sed 's|^\.||' | sort)" "$(expected /opt/rng | sort)" \
    "with PREFIX=/opt/rng, every file lies under DESTDIR/opt/rng"

# PREFIX=/usr: Debian's layout, runit and runit-init in /sbin
make -s -C "$RNG_TOP" O="$O" install DESTDIR="$T/u" PREFIX=/usr >"$T/log" 2>&1
is "$?" 0 "make install DESTDIR=... PREFIX=/usr succeeds"
ok "PREFIX=/usr: runit in DESTDIR/sbin" test -x "$T/u/sbin/runit"
ok "PREFIX=/usr: runit-init in DESTDIR/sbin" test -x "$T/u/sbin/runit-init"
ok "PREFIX=/usr: runsvchdir in DESTDIR/usr/sbin" test -x "$T/u/usr/sbin/runsvchdir"
ok "PREFIX=/usr: nothing of runit's in DESTDIR/usr/sbin" test ! -e "$T/u/usr/sbin/runit"

# SBINDIR_ROOT chooses where runit and runit-init go
make -s -C "$RNG_TOP" O="$O" install DESTDIR="$T/s" PREFIX=/usr SBINDIR_ROOT=/usr/sbin >"$T/log" 2>&1
is "$?" 0 "make install SBINDIR_ROOT=/usr/sbin succeeds"
ok "SBINDIR_ROOT=/usr/sbin: runit there" test -x "$T/s/usr/sbin/runit"
ok "SBINDIR_ROOT=/usr/sbin: no DESTDIR/sbin" test ! -e "$T/s/sbin"
done_testing
