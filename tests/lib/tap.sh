# tests/lib/tap.sh: TAP output, scratch directories, child tracking and deadlines for shell tests.
# Source it first thing: . "$(dirname "$0")/../lib/tap.sh"
set -u

: "${RNG_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RNG_BIN:=$RNG_TOP/build/bin}"
# Our build comes first: runsvdir finds runsv, and scripts find sv, through PATH.
PATH=$RNG_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH RNG_TOP RNG_BIN
# A test that runs make gets a make of its own: not the flags and variables
# (WERROR=1, CFLAGS, TESTS...) of the make check that started it.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
# Debian's runit 2.1.2, the reference oracle; always called by these full paths.
DEB_RUNSV=/usr/bin/runsv DEB_SV=/usr/bin/sv DEB_RUNSVDIR=/usr/bin/runsvdir
DEB_SVLOGD=/usr/bin/svlogd DEB_CHPST=/usr/bin/chpst
DEB_RUNSVCHDIR=/usr/sbin/runsvchdir DEB_UTMPSET=/usr/sbin/utmpset
DEB_RUNIT=/sbin/runit DEB_RUNIT_INIT=/lib/runit/runit-init

T=$(mktemp -d "${TMPDIR:-/tmp}/rng-test.XXXXXX") || exit 1
_tap_n=0
_tap_fail=0
_tap_pids=

# Every process descended from the given pids (them included), from one ps snapshot.
_tap_tree() {
	ps -e -o pid= -o ppid= 2>/dev/null | awk -v roots="$*" '
		BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) mine[r[i]] = 1 }
		{ parent[$1] = $2 }
		END {
			do {
				grown = 0
				for (p in parent)
					if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; grown = 1 }
			} while (grown)
			for (p in mine) print p
		}'
}

# Freeze the whole tree first (a stopped supervisor cannot restart what we kill),
# until no new process appears in it, then kill it.
_tap_cleanup() {
	# Only those still our children: a spawned pid already reaped (wait_exit)
	# may belong to a stranger by now, whose whole tree would go with it.
	_live=
	for _p in $_tap_pids; do
		[ "$(awk '/^PPid:/ { print $2 }' "/proc/$_p/status" 2>/dev/null)" != "$$" ] || _live="$_live $_p"
	done
	if [ -n "$_live" ]; then
		_prev=
		for _round in 1 2 3 4 5; do
			_all=$(_tap_tree $_live | sort -n | tr '\n' ' ')
			kill -STOP $_all 2>/dev/null
			[ "$_all" != "$_prev" ] || break
			_prev=$_all
		done
		kill -KILL $_all 2>/dev/null
		for _p in $_tap_pids; do wait "$_p" 2>/dev/null; done
	fi
	# A test that runs in a mount namespace of its own may leave mounts under $T there.
	awk -v t="$T" 'index($2, t "/") == 1 { print $2 }' /proc/self/mounts 2>/dev/null |
		sort -r | while read -r _m; do umount -l "$_m" 2>/dev/null; done
	rm -rf "$T"
}
trap _tap_cleanup EXIT
trap 'exit 130' INT TERM

# Why a test failed goes to stderr: prove shows it without -v, and make
# check repeats it for every failing file at the end.
diag() { printf '# %s\n' "$*" >&2; }
# _tap_not_ok DESCRIPTION: the failure line on stdout, its name on stderr.
_tap_not_ok() {
	echo "not ok $_tap_n - $1"
	printf '#   Failed test %d - %s\n' "$_tap_n" "$1" >&2
	_tap_fail=$((_tap_fail + 1))
}

# ok DESCRIPTION COMMAND...: passes when the command succeeds.
ok() {
	_d=$1; shift
	_tap_n=$((_tap_n + 1))
	if "$@"; then
		echo "ok $_tap_n - $_d"
	else
		_tap_not_ok "$_d"
		printf '#   command: %s\n' "$*" >&2
	fi
}

# is GOT EXPECTED DESCRIPTION: exact string comparison.
is() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_tap_n - $3"
	else
		_tap_not_ok "$3"
		{
			printf '#   got:      %s\n' "$1" | sed '2,$s/^/#             /'
			printf '#   expected: %s\n' "$2" | sed '2,$s/^/#             /'
		} >&2
	fi
}

# like GOT EXTENDED-REGEX DESCRIPTION
like() {
	_tap_n=$((_tap_n + 1))
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		echo "ok $_tap_n - $3"
	else
		_tap_not_ok "$3"
		printf '#   got: %s\n#   expected to match: %s\n' "$1" "$2" >&2
	fi
}

skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # skip $1"; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }

# spawn COMMAND...: start in the background; remembered in SPAWNED and killed
# (with everything it started) when the test ends.
spawn() {
	"$@" &
	SPAWNED=$!
	_tap_pids="$_tap_pids $SPAWNED"
}

# wait_for SECONDS COMMAND...: polls every 10 ms until the command succeeds;
# returns 1 if the deadline passes first.
wait_for() {
	_limit=$(( $(date +%s%N) / 1000000 + $(echo "$1" | awk '{printf "%d", $1 * 1000}') ))
	shift
	while ! "$@"; do
		[ $(( $(date +%s%N) / 1000000 )) -lt "$_limit" ] || return 1
		sleep 0.01
	done
}

# wait_exit PID SECONDS: waits for a spawned child to end; its status in EXITCODE.
wait_exit() {
	wait_for "$2" sh -c "! kill -0 $1 2>/dev/null || grep -qs '^State:.*Z' /proc/$1/status 2>/dev/null" || return 1
	wait "$1"
	EXITCODE=$?
}

# cpu_ticks PID: user and system clock ticks the process has used (the
# fields after its name, which may hold spaces).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
# ctx_switches PID: its context switches so far, voluntary and not: every
# wake-up is one.
ctx_switches() { awk '/^voluntary_ctxt_switches/ {v = $2} /^nonvoluntary_ctxt_switches/ {n = $2} END {print v + n}' "/proc/$1/status"; }
# voluntary_switches PID: its voluntary context switches: each is a sleep that ended.
voluntary_switches() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }

need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }
need_debian_runit() { [ -x "$DEB_RUNSV" ] && [ -x "$DEB_SV" ] || skip_all "Debian's runit not installed"; }

# A test that runs any of Debian's programs says so in its header, in a line
# of its own: "# needs: debian-runit" (.ci/run finds them by it). Before such
# a test starts, every one of them present is checked against the runit
# package's checksums (/var/lib/dpkg/info/runit.md5sums): a program that is
# not Debian's (a make install over /sbin/runit, say) would have us compared
# with ourselves, so the test fails at once, saying which. An absent or
# hidden (.ci/without-debian-runit) program is not checked: each test skips
# what needs it.
_tap_oracle_check() {
	_sums=/var/lib/dpkg/info/runit.md5sums
	_bad=
	for _f in "$DEB_RUNSV" "$DEB_SV" "$DEB_RUNSVDIR" "$DEB_SVLOGD" "$DEB_CHPST" \
	    "$DEB_RUNSVCHDIR" "$DEB_UTMPSET" "$DEB_RUNIT" "$DEB_RUNIT_INIT"; do
		[ -f "$_f" ] && [ -x "$_f" ] || continue
		_want=$(awk -v f="${_f#/}" '$2 == f { print $1 }' "$_sums" 2>/dev/null)
		_got=$(md5sum <"$_f" | cut -d' ' -f1)
		[ "$_got" = "$_want" ] ||
			_bad="$_bad$_f: md5sum $_got, the runit package's ${_want:-(none: is runit installed with dpkg?)}
"
	done
	[ -n "$_bad" ] || return 0
	echo "not ok 1 - Debian's runit, the reference oracle, is Debian's"
	printf '%s' "$_bad" | sed 's/^/# /' >&2
	echo "# these are not Debian's runit: comparing with them would compare us with ourselves." >&2
	echo "# Reinstall it (apt-get install --reinstall runit), or hide it: .ci/without-debian-runit COMMAND" >&2
	echo "1..1"
	exit 1
}
sed -n '2,5p' "$0" 2>/dev/null | grep -qx '# needs: debian-runit' && _tap_oracle_check

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
}
