#!/bin/sh
# End to end in container mode: stage 2 is our runsvdir with three runsv services (one ignores TERM); SIGTERM to pid 1 stops them all through stage 3's sv force-stop and runit exits 0.
. "$(dirname "$0")/../lib/tap.sh"
for p in runsvdir runsv sv; do [ -x "$RNG_BIN/$p" ] || skip_all "our $p is not built"; done
. "$(dirname "$0")/ns.sh"

for s in a b c; do
	mkdir -p "$T/service/$s"
	printf '#!/bin/sh\nexec sleep 1000\n' >"$T/service/$s/run"
	chmod 755 "$T/service/$s/run"
done
printf '#!/bin/sh\ntrap "" TERM\nexec sleep 1000\n' >"$T/service/c/run"
stage 1 ':'
stage 2 'exec runsvdir -P '"$T"'/service'
stage 3 'sv -w 2 force-stop '"$T"'/service/*; sv exit '"$T"'/service/*; exit 0'

all_up() { [ "$("$RNG_BIN/sv" status "$T"/service/* 2>/dev/null | grep -c '^run:')" -eq 3 ]; }

boot_stamped "$RNG_BIN/runit"
ok "three services up" wait_for 15 all_up
kill -TERM "$(init_pid)"
ok "runit exits" wait_exit "$NS" 15
ok "the console read whole" console_stamped
# how long, by runit's console lines as svlogd stamped them (boot_stamped)
ms=$(stop_span)
diag "SIGTERM to exit, with 3 runsv services: ${ms:-untold} ms by runit's stamped console lines"
is "$EXITCODE" 0 "exit code 0"
ok "well under docker's 10 s, by runit's stamped console lines (${ms:-untold} ms)" test "${ms:-99999}" -lt 9000
ok "a stopped by sv" console_has "ok: down: $T/service/a"
ok "b stopped by sv" console_has "ok: down: $T/service/b"
ok "c needed the KILL" console_has "kill: run: $T/service/c"
ok "runit announced its exit" console_has "- runit: exit 0"
done_testing
