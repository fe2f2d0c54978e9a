# tests/deb/lib.sh: what the Debian-package tests share: the cached bookworm
# tree, a runit booted as process no. 1 of a chroot in namespaces of its own,
# and commands run inside it. Source after tests/lib/tap.sh.
#
# These tests need root, the built packages (RNG_DEB_DIR: the directory that
# `make deb` fills, build-deb/), debootstrap and a Debian mirror (only to
# build the cache, see deb_base_tree), and podman with runc for the container
# test. With RNG_DEB_REQUIRED=1 (as .ci/run sets it), a missing need fails
# the test with the reason; without it, the test is skipped with the reason.

DEB_SUITE=bookworm
# Everything the tests install inside the tree, downloaded once into the
# cache so that the tests themselves never reach the network.
DEB_CACHED_PACKAGES='runit runit-helper adduser socklog-run mini-httpd-run'
# Change this when deb_base_tree makes a different tree: old caches are rebuilt.
DEB_CACHE_FORMAT=1
DEB_CACHE_ROOT=${RNG_DEB_CACHE:-/var/tmp/runit-ng-deb-cache}

# deb_cannot REASON: this test cannot run here; fail (CI) or skip, saying why.
deb_cannot() {
	echo "$0: cannot run: $1" >&2
	# Once a test has run, a skip would hide its result: bail out instead.
	if [ "${RNG_DEB_REQUIRED:-0}" = 1 ] || [ "$_tap_n" -gt 0 ]; then
		echo "Bail out! $1"
		exit 1
	fi
	skip_all "$1"
}

# deb_need TOOL...: root, the built packages, and these programs.
deb_need() {
	[ "$(id -u)" = 0 ] || deb_cannot "needs root (chroot, namespaces, debootstrap)"
	[ -n "${RNG_DEB_DIR:-}" ] || deb_cannot "RNG_DEB_DIR is not set: make deb, then RNG_DEB_DIR=\$PWD/build-deb"
	DEB_NG=$(ls "$RNG_DEB_DIR"/runit-ng_*.deb 2>/dev/null | tail -1)
	DEB_NG_INIT=$(ls "$RNG_DEB_DIR"/runit-ng-init_*.deb 2>/dev/null | tail -1)
	[ -n "$DEB_NG" ] && [ -n "$DEB_NG_INIT" ] || deb_cannot "no runit-ng_*.deb and runit-ng-init_*.deb in $RNG_DEB_DIR (make deb)"
	for tool in "$@"; do
		command -v "$tool" >/dev/null || deb_cannot "$tool is not installed"
	done
}

# deb_mirror: the Debian mirror this machine's apt uses for $DEB_SUITE
# (deb822 .sources files first, then one-line sources.list entries).
deb_mirror() {
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null
		echo
		awk '$1 == "deb" { u = ""; for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { u = $i; s = $(i + 1); break }
			if (u != "") printf "Types: deb\nURIs: %s\nSuites: %s\n\n", u, s }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
	} | awk -v suite="$DEB_SUITE" '
		function check() { if (deb && uri != "" && (" " suites " ") ~ (" " suite " ")) { print uri; found = 1; exit } }
		/^[ \t]*$/ { check(); deb = 0; uri = ""; suites = ""; next }
		/^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
		END { if (!found) check() }'
}

# deb_base_tree: sets DEB_BASE to the path of a minimal bookworm tree (debootstrap
# minbase) whose apt cache holds $DEB_CACHED_PACKAGES and their dependencies.
# Cached in $DEB_CACHE_ROOT/KEY; the key covers the mirror, the suite, the
# package list, this format's version and the ISO week, so a changed recipe
# or a week-old tree is rebuilt (and older caches removed). Never modify the
# tree: copy it (deb_copy_tree).
deb_base_tree() {
	command -v debootstrap >/dev/null || deb_cannot "debootstrap is not installed (apt-get install debootstrap)"
	_mirror=$(deb_mirror)
	[ -n "$_mirror" ] || deb_cannot "no apt source for $DEB_SUITE in /etc/apt/sources.list(.d): no mirror for debootstrap"
	_key=$(printf '%s\n' "$DEB_CACHE_FORMAT" "$_mirror" "$DEB_SUITE" "$DEB_CACHED_PACKAGES" "$(date -u +%G-%V)" |
		sha256sum | cut -c1-16)
	_cache=$DEB_CACHE_ROOT/$_key
	mkdir -p "$DEB_CACHE_ROOT" || deb_cannot "cannot create $DEB_CACHE_ROOT"
	# One builder at a time; the others wait for its result.
	exec 9>"$DEB_CACHE_ROOT/lock"
	flock -w 900 9 || deb_cannot "the cache lock $DEB_CACHE_ROOT/lock was held for 15 minutes"
	if [ ! -f "$_cache/done" ]; then
		rm -rf "$_cache" "$_cache.new"
		mkdir -p "$_cache.new"
		echo "# building the $DEB_SUITE tree in $_cache from $_mirror" >&2
		if ! debootstrap --variant=minbase "$DEB_SUITE" "$_cache.new/tree" "$_mirror" >"$_cache.new/debootstrap.log" 2>&1; then
			tail -20 "$_cache.new/debootstrap.log" >&2
			deb_cannot "debootstrap of $DEB_SUITE from $_mirror failed (log above)"
		fi
		cp /etc/resolv.conf "$_cache.new/tree/etc/resolv.conf" 2>/dev/null
		# Ours, not the host's: the tree's sysv scripts must never touch the real clock.
		rm -f "$_cache.new"/tree/etc/rc?.d/*hwclock*
		if ! chroot "$_cache.new/tree" sh -c "apt-get update -qq && apt-get install -y -qq -d --no-install-recommends $DEB_CACHED_PACKAGES" \
			>"$_cache.new/apt.log" 2>&1; then
			tail -20 "$_cache.new/apt.log" >&2
			deb_cannot "downloading $DEB_CACHED_PACKAGES into the tree failed (log above)"
		fi
		touch "$_cache.new/done"
		mv "$_cache.new" "$_cache"
		for _old in "$DEB_CACHE_ROOT"/*; do
			[ "$_old" = "$_cache" ] || [ ! -d "$_old" ] || rm -rf "$_old"
		done
	fi
	exec 9>&-
	DEB_BASE=$_cache/tree
}

# deb_copy_tree DEST: a private copy of the cached tree.
deb_copy_tree() {
	deb_base_tree
	cp -a "$DEB_BASE" "$1" || deb_cannot "cannot copy $DEB_BASE to $1"
	# Services bind to "localhost" (mini-httpd-run does); debootstrap writes no /etc/hosts.
	[ -s "$1/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost\n' >"$1/etc/hosts"
	# No sysv scripts in stage 2 (rc2.d is empty anyway): Debian's stage 2 runs
	# them under its async-timeout, which now and then holds stage 2 back for
	# longer than our 30 s (seen here: runsvdir not started, nothing running).
	mkdir -p "$1/etc/runit" && : >"$1/etc/runit/no.emulate.sysv"
}

# deb_chroot TREE COMMAND...: runs COMMAND in TREE with a clean environment,
# outside any runit (for set-up only: nothing there may signal process no. 1).
deb_chroot() {
	_tree=$1; shift
	chroot "$_tree" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# ns_boot TREE: boots TREE's /sbin/runit as process no. 1 of new PID, mount,
# network, UTS and IPC namespaces (so runit-helper's "kill -ALRM 1", the
# services' sockets and runit's kill(-1) stay inside). Its console is the
# file TREE.console (stdout and stderr: TREE.out); the loopback
# interface is up; /proc/kmsg is a FIFO nobody writes (socklog-klog must
# not read the host's kernel log). Sets NS_UNSHARE (our child) and NS_PID
# (runit's pid as we see it).
ns_boot() {
	_tree=$1
	: >"$_tree.console"
	rm -f "$_tree.kmsg"; mkfifo "$_tree.kmsg"
	spawn unshare --pid --fork --mount --propagation private --net --uts --ipc \
		sh -c 'ip link set lo up && mount -t proc proc "$1/proc" && mount --bind "$1.console" "$1/dev/console" &&
			mount -t devpts -o newinstance,ptmxmode=0666 devpts "$1/dev/pts" &&
			mount --bind "$1.kmsg" "$1/proc/kmsg" && exec chroot "$1" /sbin/runit' sh "$_tree" \
		</dev/null >>"$_tree.out" 2>&1
	NS_UNSHARE=$SPAWNED
	NS_PID=
	if ! wait_for 10 _ns_pid_known; then
		echo "ns_boot: no chrooted child of unshare ($NS_UNSHARE) within 10 s" >&2
		return 1
	fi
	# Up once runsvdir runs (stage 2).
	if ! wait_for 30 ns_has runsvdir; then
		echo "ns_boot: no runsvdir within 30 s; processes:" >&2
		ps -o pid,ppid,stat,wchan:20,args -p "$(_tap_tree "$NS_PID" | tr '\n' ' ')" >&2
		return 1
	fi
}
_ns_pid_known() {
	NS_PID=$(cat "/proc/$NS_UNSHARE/task/$NS_UNSHARE/children" 2>/dev/null | awk '{print $1}')
	[ -n "$NS_PID" ] && [ "$(readlink "/proc/$NS_PID/root")" != / ]
}

# ns_pids NAME: pids (ours) of the processes named NAME inside the namespace.
ns_pids() {
	_tap_tree "$NS_PID" | while read -r _p; do
		[ "$(cat "/proc/$_p/comm" 2>/dev/null)" != "$1" ] || echo "$_p"
	done | sort -n | tr '\n' ' '
}
ns_has() { [ -n "$(ns_pids "$1")" ]; }

# ns_run COMMAND...: runs COMMAND inside the booted tree (its root, its
# namespaces), with a clean environment.
ns_run() {
	nsenter -t "$NS_PID" -p -m -n -u -i -r -w /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# ns_halt SECONDS: asks runit to stop (runit-init 0) and waits for the
# namespace to end; its exit status in EXITCODE.
ns_halt() {
	ns_run /lib/runit/runit-init 0 || return 1
	wait_exit "$NS_UNSHARE" "$1"
}
