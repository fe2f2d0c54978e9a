#!/bin/sh
# Robustness: a 1 MB line among short ones is written whole, stamps stay correct, and memory stays small (fixed buffers).
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
mkdir d
{ echo first; awk 'BEGIN { for (j = 0; j < 1048576; j++) printf "y"; printf "\n" }'; echo last; } > in
cat in | /usr/bin/time -f %M -o rss $SVLOGD -tt d
cat d/@* d/current > all
is "$(cut -c27- all | cmp - in && echo same)" same "every line whole after its stamp"
is "$(wc -l < all | tr -d ' ')" 3 "three lines"
is "$(cat d/current | cut -c27-)" last "the line past s rotated the file after it, not inside it"
like "$(sed -n 2p all | cut -c1-26)" '^[0-9-]{10}_[0-9:]{8}\.[0-9]{5} $' "the long line has one stamp"
if [ "${RNG_ASAN:-0}" = 1 ]; then skip "RSS is not meaningful under ASan"
else ok "peak RSS under 2 MB ($(cat rss) KiB)" [ "$(cat rss)" -lt 2048 ]; fi
done_testing
