#!/bin/sh
# One source for the container stop figure: the README's row is bench/results.md's median, and examples/container/README.md points there instead of giving a number of its own.
. "$(dirname "$0")/../lib/tap.sh"

measured=$(awk -F'|' '/^\| runit-ng runit \(container mode\)/ { gsub(/ /, "", $3); print $3 }' "$RNG_TOP/bench/results.md")
readme=$(sed -n 's/^| SIGTERM to PID-1 exit, container, 3 services | \([0-9.]*\) ms |.*/\1/p' "$RNG_TOP/README.md")
ok "bench/results.md has the median" test -n "$measured"
is "$readme" "$measured" "the README gives bench/results.md's median"
is "$(grep -nE '[0-9]+ ?ms' "$RNG_TOP/examples/container/README.md")" "" "examples/container/README.md gives no figure of its own"
done_testing
