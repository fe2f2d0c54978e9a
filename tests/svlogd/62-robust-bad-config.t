#!/bin/sh
# Robustness: broken config lines (bad address, bad port, unknown letters, binary junk) warn and leave logging working.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d
printf 'u1.2.3\nu1.2.3.4:x\nZunknown\n# comment\n\n\001\377junk\ns\n' > d/config
echo kept | $SVLOGD d 2> err; rc=$?
is "$rc" 0 "exit 0"
is "$(cat err)" "svlogd: warning: unable to scan ip address: 1.2.3
svlogd: warning: unable to scan port number: x" "one warning per bad address or port"
is "$(cat d/current)" kept "lines still written"
printf 'U1.2.3\n' > d/config
echo dropped | $SVLOGD d 2>/dev/null
is "$(cat d/current)" kept "a bad U line still makes the directory UDP-only (runit's quirk)"
done_testing
