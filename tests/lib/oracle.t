#!/bin/sh
# The tests that use Debian's runit declare it in a header line, every one of them (a test naming one of its programs without the line fails here); .ci/run finds them by that line; a program of Debian's overwritten by another binary fails such a test at once, saying which; .ci/without-debian-runit hides every program they run, /lib/runit/runit-init too.
. "$(dirname "$0")/tap.sh"

cd "$RNG_TOP" || exit 1
# a test names Debian's runit when it calls one of its programs by path or
# through tap.sh's DEB_ names; install tests only name install paths
names='DEB_[A-Z_]+|need_debian_runit|/sbin/runit\b|/lib/runit/|/usr/bin/(sv|runsv|runsvdir|svlogd|chpst)\b|/usr/sbin/(runsvchdir|utmpset)\b'
undeclared=
for t in tests/*/*.t; do
	# tests/deb runs Debian's runit inside a bookworm chroot, never the host's
	case $t in tests/install/*|tests/lib/*|tests/deb/*) continue;; esac
	grep -qE "$names" "$t" || continue
	sed -n '2,5p' "$t" | grep -qx '# needs: debian-runit' || undeclared="$undeclared $t"
done
is "$undeclared" "" "every test that runs Debian's runit says so in its header"
listed=$(.ci/oracle-tests)
ok ".ci/oracle-tests lists the declared tests" sh -c 'printf "%s\n" "$1" | grep -qx tests/sv/10-truth.t' _ "$listed"
is "$(printf '%s\n' "$listed" | grep -c 'tests/sv/01-usage.t')" 0 ".ci/oracle-tests leaves the others out"
for t in $listed; do
	sed -n '2,5p' "$t" | grep -qx '# needs: debian-runit' || diag "listed without the line: $t"
done

if [ "$(id -u)" != 0 ]; then
	skip "not root: no mount namespace to overwrite or hide Debian's programs in"
	done_testing; exit
fi
# an inner test that declares the oracle, and one that does not
printf '#!/bin/sh\n# uses the oracle\n# needs: debian-runit\n. "$RNG_TOP/tests/lib/tap.sh"\nok "ran" true\ndone_testing\n' >"$T/declares.t"
printf '#!/bin/sh\n# does not\n. "$RNG_TOP/tests/lib/tap.sh"\nok "ran" true\ndone_testing\n' >"$T/plain.t"
chmod +x "$T/declares.t" "$T/plain.t"

# in a mount namespace of its own: our runsv bound over Debian's (or put where it would be)
inner() { # SETUP: a shell command run first in the namespace; then both tests
	unshare --mount --propagation private sh -c "$1"'
		"$0/declares.t" >"$0/declares.out" 2>"$0/declares.err"; echo "declares=$?"
		"$0/plain.t" >/dev/null 2>&1; echo "plain=$?"' "$T"
}
if [ -f /usr/bin/runsv ]; then
	out=$(inner "mount --bind '$RNG_BIN/runsv' /usr/bin/runsv || exit 111;")
	is "$out" "declares=1
plain=0" "our runsv over /usr/bin/runsv: a declaring test fails, another runs"
	like "$(cat "$T/declares.err")" "^# /usr/bin/runsv: md5sum [0-9a-f]+, the runit package's" "it says which program is not Debian's"
	like "$(cat "$T/declares.out")" "^not ok 1 - Debian's runit, the reference oracle, is Debian's" "as a failed test"
	out=$(inner "mount --bind /dev/null /usr/bin/runsv || exit 111;")
	is "$out" "declares=0
plain=0" "hidden by /dev/null: not checked (each test skips what it needs)"
	out=$(inner "")
	is "$out" "declares=0
plain=0" "Debian's own: the test runs"
else
	skip "Debian's runit not installed: cannot overwrite its runsv"
	skip "Debian's runit not installed"
	skip "Debian's runit not installed"
	skip "Debian's runit not installed"
	skip "Debian's runit not installed"
fi

# .ci/without-debian-runit hides every program a declared test runs
hidden=$(.ci/without-debian-runit sh -c '
	for f in "$@"; do [ ! -x "$f" ] || echo "$f"; done' _ \
	/sbin/runit /lib/runit/runit-init /usr/bin/sv /usr/bin/runsv /usr/bin/runsvdir /usr/bin/svlogd \
	/usr/bin/chpst /usr/sbin/runsvchdir /usr/sbin/utmpset)
is "$hidden" "" ".ci/without-debian-runit hides them all, /lib/runit/runit-init too"
done_testing
