#!/bin/sh
# Debian's runit-helper driven as dh_runit's maintainer scripts call it (install, upgrade with restart and with reload, reinstall, remove, install again, purge, an admin's .NAME link, a service that crashes) under our runit as process no. 1 with our runsvdir, runsv and sv, and under Debian's runit with its own; every step's output, exit code and resulting state compared.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
need_root
RH=/lib/runit-helper/runit-helper
[ -x "$RH" ] || skip_all "Debian's runit-helper not installed"
unshare --fork --pid --mount --mount-proc true 2>/dev/null || skip_all "cannot create PID and mount namespaces"
[ -d /etc/sv ] || skip_all "no /etc/sv to bind over"
if [ "$(readlink /etc/service)" = runit/runsvdir/current ]; then
	service_bind=
elif [ -d /etc/service ] && [ ! -h /etc/service ]; then
	service_bind=1
else
	skip_all "/etc/service is neither Debian's link nor a directory"
fi
for p in runit runsvdir runsv sv; do [ -x "$RNG_BIN/$p" ] || skip_all "our $p is not built"; done
FAKEDPKG=$(cd "$(dirname "$0")" && pwd)/fakedpkg

# The packages: NAME, ONUPGRADE, run script.
mkpkg() {
	mkdir -p "$T/src/$1/files"
	printf 'ENABLE=yes\nONUPGRADE=%s\n' "$2" >"$T/src/$1/control"
	printf '#!/bin/sh\n%s\n' "$3" >"$T/src/$1/files/run"
	chmod 755 "$T/src/$1/files/run"
}
mkpkg pkg restart 'exec sleep 1000'
mkpkg rel reload 'trap "echo reloaded >>/run/rel.reloads" HUP
trap "kill \$!; exit 0" TERM
while :; do sleep 1000 & wait $!; done'
mkpkg adm restart 'exec sleep 1000'
mkpkg crash restart 'exit 1'

# boot FLAVOUR RUNIT BINDIR: process no. 1 in new PID and mount namespaces,
# with $T/FLAVOUR/{runit,sv} on /etc/runit and /etc/sv, a tmpfs on /run,
# stage 2 running BINDIR's runsvdir as Debian's /etc/runit/2 does.
boot() {
	_d=$T/$1
	mkdir -p "$_d/runit/runsvdir/default" "$_d/sv" "$_d/db"
	ln -s /etc/runit/runsvdir/default "$_d/runit/runsvdir/current"
	: >"$_d/console"
	touch "$_d/runit/nosync"
	printf '#!/bin/sh\ninstall -m000 /dev/null /run/runit.stopit\ninstall -m000 /dev/null /run/runit.reboot\n' >"$_d/runit/1"
	printf '#!/bin/sh\nmkdir -p /run/runit/supervise\nexec env - PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin runsvdir -P /etc/service "log: ................................"\n' "$3" >"$_d/runit/2"
	printf '#!/bin/sh\nexec 2>&1\nsv force-stop /etc/service/*\nsv exit /etc/service/*\n' >"$_d/runit/3"
	chmod 755 "$_d/runit/1" "$_d/runit/2" "$_d/runit/3"
	_binds="mount --bind '$_d/runit' /etc/runit && mount --bind '$_d/sv' /etc/sv && mount -t tmpfs tmpfs /run && mount --bind '$_d/console' /dev/console"
	[ -z "$service_bind" ] || _binds="$_binds && mount --bind '$_d/runit/runsvdir/default' /etc/service"
	# is_installed in runit-helper looks for /sbin/runit: ours stands there.
	[ ! -e /sbin/runit ] || [ "$2" = /sbin/runit ] || _binds="$_binds && mount --bind '$2' /sbin/runit"
	spawn unshare --fork --pid --mount --mount-proc sh -c "$_binds && exec '$2'" 2>"$_d/unshare.err"
	ns=$SPAWNED
	wait_for 10 sh -c "[ -n \"\$(pgrep -P $ns)\" ]"
	init=$(pgrep -P "$ns" | head -n 1)
	bindir=$3 flavour=$1
	wait_for 10 inns pgrep -x runsvdir >/dev/null
	is "$(inns sh -c 'readlink /proc/1/exe; readlink /proc/$(pgrep -x runsvdir)/exe; command -v sv')" \
	    "$(readlink -f "$2")
$3/runsvdir
$3/sv" "$1: process no. 1 is $2, stage 2 runs $3/runsvdir, and runit-helper finds $3/sv first"
}

# inns COMMAND...: runs COMMAND inside the namespaces, with the flavour's sv first in PATH.
inns() {
	nsenter -t "$init" -m -p env PATH="$bindir:/usr/sbin:/usr/bin:/sbin:/bin" \
		SRC="$T/src" DB="$T/$flavour/db" "$@"
}
mask() { sed -E 's/\(pid [0-9]+\)/(pid N)/g; s/[0-9]+s(,|;|$)/Ns\1/g'; }
status() { inns sv status "/etc/sv/$1" 2>&1 | mask; }
# runs NAME: up for a second at least (past runsv's one-second start guard).
runs() { inns sv status "/etc/sv/$1" 2>&1 | grep -Eq '^run: [^ ]+ \(pid [0-9]+\) [1-9][0-9]*s'; }
no_runsv() { [ -z "$(inns pgrep -x -f "runsv $1")" ]; }
pid_of() { inns cat "/etc/sv/$1/supervise/pid" 2>/dev/null; }

# step N TEXT COMMAND...: one dpkg operation; its transcript (masked) into $T/FLAVOUR/N.
step() {
	_n=$1 _text=$2; shift 2
	inns "$@" >"$T/$flavour/$_n.raw" 2>&1
	_rc=$?
	{ echo "== $_text"; mask <"$T/$flavour/$_n.raw"; echo "rc=$_rc"; } >"$T/$flavour/$_n"
}
# note N TEXT: a fact about the state after step N, added to its transcript.
note() { echo "$2" >>"$T/$flavour/$1"; }

links() { inns ls -A /etc/runit/runsvdir/default | grep -vx .forced-rescan | tr '\n' ' '; }

# scenario: the steps, the same for both flavours; waits are for the state
# each step leads to (Debian's runsvdir needs up to 5 s to see a new link).
scenario() {
	# One apt run installing three packages: each configured in turn.
	step 01 "install pkg 1.0" "$FAKEDPKG" install pkg 1.0
	step 02 "install rel 1.0" "$FAKEDPKG" install rel 1.0
	step 03 "install adm 1.0" "$FAKEDPKG" install adm 1.0
	wait_for 15 runs pkg && wait_for 5 runs rel && wait_for 5 runs adm
	note 03 "links: $(links)"
	note 03 "$(status pkg; status rel; status adm)"

	p0=$(pid_of pkg)
	step 04 "upgrade pkg 1.0 -> 1.1 (ONUPGRADE=restart)" "$FAKEDPKG" upgrade pkg 1.1
	p1=$(pid_of pkg)
	note 04 "new pid: $([ -n "$p1" ] && [ "$p1" != "$p0" ] && echo yes || echo no)"
	# apt-get install --reinstall, straight after: a restart within a second of the last start.
	step 05 "reinstall pkg 1.1 at once" "$FAKEDPKG" reinstall pkg
	# What sv answered: the process then running, or one already gone.
	reported=$(sed -n 's/^ok: run: pkg: (pid \([0-9]*\)).*/\1/p' "$T/$flavour/05.raw")
	[ -n "$reported" ] && [ "$reported" = "$(pid_of pkg)" ] && [ "$reported" != "$p1" ] &&
		truthful=yes || truthful="no (reported ${reported:-nothing}, before ${p1:-none}, now $(pid_of pkg))"
	wait_for 5 runs pkg
	note 05 "$(status pkg)"

	step 06 "upgrade rel 1.0 -> 1.1 (ONUPGRADE=reload)" "$FAKEDPKG" upgrade rel 1.1
	wait_for 5 inns test -s /run/rel.reloads
	note 06 "reloads: $(inns cat /run/rel.reloads 2>/dev/null | wc -l)"

	# The admin disables adm Debian's way, with a dot link; an upgrade must not undo it.
	inns mv /etc/runit/runsvdir/default/adm /etc/runit/runsvdir/default/.adm
	wait_for 15 no_runsv adm
	step 07 "upgrade adm 1.0 -> 1.1, disabled by .adm" "$FAKEDPKG" upgrade adm 1.1
	note 07 "links: $(links)"
	note 07 "$(status adm)"

	step 08 "remove pkg" "$FAKEDPKG" remove pkg
	wait_for 15 no_runsv pkg
	note 08 "links: $(links)"
	note 08 "$(status pkg)"
	step 09 "install pkg 1.1 again" "$FAKEDPKG" install pkg 1.1
	wait_for 15 runs pkg
	note 09 "$(status pkg)"
	step 10 "purge pkg" "$FAKEDPKG" purge pkg
	wait_for 15 no_runsv pkg
	note 10 "links: $(links)"
	note 10 "files: $(inns sh -c 'ls -A /etc/sv/pkg 2>&1' | tr '\n' ' ')"

	step 11 "install crash 1.0" "$FAKEDPKG" install crash 1.0
	wait_for 15 inns test -p /etc/sv/crash/supervise/ok
	step 12 "upgrade crash 1.0 -> 1.1 (ONUPGRADE=restart)" "$FAKEDPKG" upgrade crash 1.1
	debian_dot=$(inns ls -A /etc/runit/runsvdir/default | grep -cx .forced-rescan)
}

# An install's postinst (fresh, or again after a remove) asks sv to start or
# restart the service only if runsv is already up when it looks (runit-helper's
# ok_pipe test, Debian bug #919296): Debian's runsvdir never is (it sees the
# new link up to 5 s later), ours may be. What sv said there is left out.
fresh_install_sv() { sed '/^\[postinst configure/,/^\[postinst rc=/{/^\[/!d}' "$1"; }

boot ours "$RNG_BIN/runit" "$RNG_BIN"
scenario
ours_truthful=$truthful
kill -KILL "$init"
wait_exit "$ns" 10

is "$ours_truthful" yes "ours: the reinstall's sv restart answers with the new process"
if [ -x /sbin/runit ] && [ -x "$DEB_RUNSVDIR" ] && [ -x "$DEB_RUNSV" ] && [ -x "$DEB_SV" ]; then
	boot debian /sbin/runit /usr/bin
	scenario
	kill -KILL "$init"
	wait_exit "$ns" 10
	diag "Debian's sv, the same reinstall: truthful $truthful"
	diag "Debian's runit answers runit-helper's SIGALRM by making /etc/service/.forced-rescan (ours ignores it; left out of the listings): present at the end: $debian_dot"
	for f in "$T"/ours/[0-9][0-9]; do
		n=${f##*/}
		got=$(cat "$f") want=$(cat "$T/debian/$n")
		case $n in
		01|02|03|09|11)
			[ "$(fresh_install_sv "$f")" = "$got" ] || diag "ours: $n: runsv was up in time: $(grep -v '^\[' "$f" | sed -n 2p)"
			got=$(fresh_install_sv "$f") want=$(fresh_install_sv "$T/debian/$n") ;;
		esac
		desc="$(head -n 1 "$f" | cut -c4-): output, exit code and state as under Debian's runit"
		is "$got" "$want" "$desc"
	done
else
	skip "Debian's runit not installed"
fi
for f in "$T"/ours/[0-9][0-9]; do sed 's/^/# /' "$f"; done
done_testing
