#!/bin/sh
# Property: random lines, configs and pipe writes give what the same input gives read whole from a file (and Debian's svlogd, where they agree).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
cd "$T" || exit 1
# SVLOGD_PROP_SEED repeats a run (every case's seed is printed when it fails);
# SVLOGD_PROP_SECONDS sets the budget (make fuzz-run gives a longer one).
# One case alone: cc -O2 -o prop tests/svlogd/prop.c &&
#   ./prop -o build/bin/svlogd -d /usr/bin/svlogd -s SEED -n 1 (in an empty directory)
seed=${SVLOGD_PROP_SEED:-$(( $(date +%s) % 1000000 * 1000 ))}
secs=${SVLOGD_PROP_SECONDS:-30}
cc -O2 -o prop "$RNG_TOP/tests/svlogd/prop.c" || skip_all "no C compiler for the driver"
deb=
[ -x "$DEB_SVLOGD" ] && deb="-d $DEB_SVLOGD"
diag "seed $seed, $secs s"
./prop -o "$RNG_BIN/svlogd" $deb -s "$seed" -n 1000000 -t "$secs" > report
sed -n '/^#/p' report >&2 # why a case differed: prove shows stderr
set -- $(tail -1 report) # cases N failed N debian N disagree N first-seed N
ok "$2 random cases through a pipe, each the same as from a file (seed $seed)" test "${2:-0}" -gt 0 -a "${4:-1}" = 0
if [ -n "$deb" ]; then
	ok "$6 of them, where no difference is known, the same as Debian's svlogd" test "${6:-0}" -gt 0 -a "${8:-1}" = 0
else
	skip "Debian's svlogd not installed"
fi
done_testing
