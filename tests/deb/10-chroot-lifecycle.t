#!/bin/sh
# The runit-ng package in a real bookworm system: it installs over a running
# Debian runit with every service kept running, runit-helper's lifecycle of
# real packages (socklog-run, mini-httpd-run: install, upgrade, remove,
# purge) ends each step as it does under Debian's runit, and Debian's runit
# installs back over it and works. Each system is a chroot whose runit is
# process no. 1 of namespaces of its own (tests/deb/lib.sh).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/lib.sh"

deb_need debootstrap unshare nsenter chroot flock ip

# Inside the booted system apt has no network (its own network namespace):
# everything comes from the tree's cache. (--no-download is not used there:
# apt 2.6 then fails to install a local .deb that replaces another package.)
APT='apt-get -y -qq --no-install-recommends'
PKGS='socklog-run mini-httpd-run'
SERVICES='socklog-unix socklog-klog socklog-inet socklog-notify socklog-ucspi-tcp mini-httpd keeper'

# apt_in LOG ARGS...: apt-get inside the booted system; its output in $T/LOG.
apt_in() {
	_log=$T/$1; shift
	ns_run $APT "$@" >"$_log" 2>&1 || { echo "apt-get $* failed:" >&2; tail -20 "$_log" >&2; return 1; }
}

# settled: every service (and log service) linked in /etc/service is running.
settled() {
	ns_run sh -c 'for s in /etc/service/*/; do
		for d in "$s" "${s}log/"; do
			[ -d "$d" ] || continue
			[ "$(cat "${d}supervise/stat" 2>/dev/null)" = run ] || exit 1
		done
	done'
}

# pids: each service's pid, to tell which ones a step restarted.
pids() {
	ns_run sh -c 'for n in '"$SERVICES"'; do printf "%s=%s " "$n" "$(cat /etc/sv/$n/supervise/pid 2>/dev/null)"; done'
}

# snapshot: what runit-helper and the packages left, service by service, and
# what sv says (pids and times taken out), in the flavour's own sv.
snapshot() {
	ns_run sh -c 'for n in '"$SERVICES"'; do
		link=$(readlink /etc/runit/runsvdir/default/$n || echo -)
		dir=-; [ -d /etc/sv/$n ] && dir=yes
		sup=$(readlink /etc/sv/$n/supervise 2>/dev/null || { [ -d /etc/sv/$n/supervise ] && echo dir; } || echo -)
		log=-; [ -d /var/log/runit/$n ] && log=yes
		st=$(sv status $n 2>&1 | sed -E "s/\(pid [0-9]+\) //g; s/ [0-9]+s([,;]|\$)/\1/g")
		echo "$n: link=$link svdir=$dir supervise=$sup logdir=$log sv: $st"
	done
	for u in _runit-log _socklog-unix _socklog-klog; do getent passwd $u >/dev/null && echo "user $u" || echo "no user $u"; done'
}

# restarted BEFORE AFTER: the services whose pid changed.
restarted() {
	for _kv in $1; do
		_n=${_kv%%=*}
		_a=$(printf '%s\n' $2 | sed -n "s/^$_n=//p")
		[ "${_kv#*=}" = "$_a" ] || printf '%s ' "$_n"
	done
}

# quiet COMMAND...: its output would be read as TAP ("ok: run: ...").
quiet() { "$@" >/dev/null; }

# The keeper: a service of the administrator's own, running before the swap.
add_keeper() {
	mkdir -p "$1/etc/sv/keeper"
	printf '#!/bin/sh\nexec sleep 1000000\n' >"$1/etc/sv/keeper/run"
	chmod +x "$1/etc/sv/keeper/run"
	ln -s /etc/sv/keeper "$1/etc/runit/runsvdir/default/keeper"
}

# lifecycle FLAVOUR: the four runit-helper steps, a snapshot after each.
lifecycle() {
	apt_in "$1-install.log" install $PKGS || return 1
	wait_for 30 settled || echo "# $1: services not all running 30 s after install" >&2
	snapshot >"$T/$1.1-install"
	_before=$(pids)
	apt_in "$1-upgrade.log" install --reinstall $PKGS || return 1
	wait_for 30 settled || echo "# $1: services not all running 30 s after upgrade" >&2
	{ snapshot; echo "restarted: $(restarted "$_before" "$(pids)")"; } >"$T/$1.2-upgrade"
	apt_in "$1-remove.log" remove $PKGS || return 1
	snapshot >"$T/$1.3-remove"
	apt_in "$1-purge.log" purge $PKGS || return 1
	snapshot >"$T/$1.4-purge"
}

compare_step() {
	is "$(cat "$T/ng.$1")" "$(cat "$T/debian.$1")" "runit-helper step $1: runit-ng's result is Debian's runit's"
}

# --- Debian's runit: the reference ---------------------------------------
deb_copy_tree "$T/debian"
deb_chroot "$T/debian" $APT --no-download install runit >"$T/debian-runit.log" 2>&1
is "$?" 0 "Debian's runit installs in the tree"
add_keeper "$T/debian"
ns_boot "$T/debian" || deb_cannot "Debian's runit did not boot in the chroot (console: $(tail -5 "$T/debian.console"), output: $(tail -5 "$T/debian.out"))"
ok "Debian's runit boots in the chroot" true
lifecycle debian
ok "runit-helper lifecycle under Debian's runit" test -s "$T/debian.4-purge"
ok "Debian's runit stops on runit-init 0" ns_halt 60

# --- runit-ng over a running Debian runit ---------------------------------
deb_copy_tree "$T/ng"
deb_chroot "$T/ng" $APT --no-download install runit >"$T/ng-runit.log" 2>&1
add_keeper "$T/ng"
ns_boot "$T/ng" || deb_cannot "Debian's runit did not boot in the second chroot (console: $(tail -5 "$T/ng.console"), output: $(tail -5 "$T/ng.out"))"
wait_for 30 settled
runit_before=$NS_PID runsvdir_before=$(ns_pids runsvdir) runsv_before=$(ns_pids runsv)
keeper_before=$(ns_run cat /etc/sv/keeper/supervise/pid)
cp "$DEB_NG" "$DEB_NG_INIT" "$T/ng/root/"
apt_in ng-swap.log install "/root/$(basename "$DEB_NG")"
is "$?" 0 "apt-get install ./runit-ng_*.deb over Debian's runit succeeds"
is "$(ns_run dpkg-query -W -f '${Status}' runit-ng)" "install ok installed" "runit-ng is installed"
is "$(ns_run dpkg-query -W -f '${Status}' runit 2>/dev/null)" "deinstall ok config-files" "Debian's runit is removed (its configuration kept)"
is "$(ns_run dpkg --verify runit-ng 2>&1)" "" "every file of runit-ng is runit-ng's, the stage scripts in /etc/runit included (dpkg --verify)"
like "$(ns_run dpkg -S /usr/bin/sv /sbin/runit 2>&1 | tr '\n' ' ')" '^runit-ng: /usr/bin/sv runit-ng: /sbin/runit $' "sv and runit are runit-ng's"
like "$(ns_run apt-get -s install runit-services 2>&1)" 'Remv runit-ng' \
	"runit-services (which needs Debian's invoke-run, cpsv, trigger_sv) would take Debian's runit back, not break"
is "$NS_PID" "$runit_before" "process no. 1 kept running through the swap"
is "$(ns_pids runsvdir)" "$runsvdir_before" "runsvdir kept running through the swap"
ok "every runsv of before the swap still runs" sh -c "for p in $runsv_before; do kill -0 \$p || exit 1; done"
is "$(ns_run cat /etc/sv/keeper/supervise/pid)" "$keeper_before" "the administrator's service kept running, same pid"
like "$(ns_run sv status keeper)" "^run: keeper: \(pid $keeper_before\) " "runit-ng's sv reads Debian's runsv"
ok "runit-ng's sv restarts a service under Debian's runsv" quiet ns_run sv -w 10 restart keeper
ok "runit-ng's runit-init stops Debian's runit (its namespace ends)" ns_halt 60

ns_boot "$T/ng" || deb_cannot "runit-ng's runit did not boot in the chroot (console: $(tail -5 "$T/ng.console"), output: $(tail -5 "$T/ng.out"))"
like "$(cat "$T/ng.console")" 'container mode' "runit-ng's runit boots (in container mode, a child PID namespace)"
wait_for 30 settled
like "$(ns_run sv status keeper)" '^run: keeper: ' "the administrator's service runs under runit-ng"
lifecycle ng
for step in 1-install 2-upgrade 3-remove 4-purge; do
	compare_step "$step"
done

# --- back to Debian's runit -------------------------------------------------
apt_in ng-back.log install runit
is "$?" 0 "apt-get install runit (Debian's) in place of runit-ng succeeds"
is "$(ns_run dpkg-query -W -f '${Status}' runit)" "install ok installed" "Debian's runit is installed"
like "$(ns_run dpkg -S /sbin/runit /usr/bin/sv 2>&1 | tr '\n' ' ')" '^runit: /sbin/runit runit: /usr/bin/sv $' "its programs are Debian's again"
is "$(ns_run dpkg --verify runit 2>&1)" "" "every file of runit is Debian's again, the stage scripts included (dpkg --verify)"
ok "/etc/service still points at the current runsvdir" test "$(ns_run readlink -f /etc/service)" = /etc/runit/runsvdir/default
ns_halt 60
is "${EXITCODE:-}" 0 "runit-ng's runit stops on runit-init 0 with stage 3's status"
ns_boot "$T/ng" || deb_cannot "Debian's runit did not boot again after runit-ng's removal"
ok "Debian's runit boots again" true
apt_in ng-again.log install mini-httpd-run
ok "a runit-helper package installs and its service runs under Debian's runit again" wait_for 30 settled
like "$(ns_run sv status mini-httpd keeper | tr '\n' ' ')" '^run: mini-httpd: .*run: keeper: ' "mini-httpd and the administrator's service run"
ns_halt 60

for f in "$T"/debian.[0-9]* "$T"/ng.[0-9]*; do
	[ -f "$f" ] || continue
	echo "# --- ${f##*/}"; sed 's/^/#   /' "$f"
done
done_testing
