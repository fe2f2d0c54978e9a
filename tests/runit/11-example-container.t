#!/bin/sh
# The examples/container image contents run as documented: runit-init as pid 1, both services up and logging, SIGTERM ends everything cleanly with exit 0 (our binaries bound over Debian's in a mount namespace).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
for p in runsvdir runsv sv svlogd runit runit-init; do [ -x "$RNG_BIN/$p" ] || skip_all "our $p is not built"; done
. "$(dirname "$0")/ns.sh"
for f in /sbin/runit /usr/bin/runsvdir /usr/bin/runsv /usr/bin/sv /usr/bin/svlogd; do
	[ -e "$f" ] || skip_all "no $f to bind over"
done
[ "$(readlink /etc/service)" = runit/runsvdir/current ] || skip_all "/etc/service is not Debian's link"

ex=$RNG_TOP/examples/container
cp -p "$ex"/etc/runit/1 "$ex"/etc/runit/2 "$ex"/etc/runit/3 "$T/etc/"
mkdir -p "$T/etc/runsvdir" "$T/varlog/ticker"
cp -Rp "$ex/service" "$T/etc/runsvdir/current"
binds="mount --bind '$RNG_BIN/runit' /sbin/runit"
for p in runsvdir runsv sv svlogd; do binds="$binds && mount --bind '$RNG_BIN/$p' /usr/bin/$p"; done
binds="$binds && mount --bind '$T/varlog' /var/log"

up() { [ "$("$RNG_BIN/sv" status "$T"/etc/runsvdir/current/* 2>/dev/null | grep -c '^run: .*; run: log')" -ge 1 ] &&
	[ "$("$RNG_BIN/sv" status "$T"/etc/runsvdir/current/* 2>/dev/null | grep -c '^run:')" -eq 2 ]; }
boot_stamped "$RNG_BIN/runit-init" "$binds"
ok "both services and the log service run" wait_for 15 up
ok "ticker logs through svlogd" wait_for 10 grep -qs tick "$T/varlog/ticker/current"
sleep 1.1 # let runsv's restart throttle pass, as a real container would
kill -TERM "$(init_pid)"
ok "runit exits" wait_exit "$NS" 15
ok "the console read whole" console_stamped
# how long, by runit's console lines as svlogd stamped them (boot_stamped)
ms=$(stop_span)
diag "SIGTERM to exit, docker-stop equivalent: ${ms:-untold} ms by runit's stamped console lines"
is "$EXITCODE" 0 "exit code 0"
ok "well under docker's 10 s, by runit's stamped console lines (${ms:-untold} ms)" test "${ms:-99999}" -lt 9000
ok "worker finished cleanly on TERM" console_has "worker: finishing up"
ok "both services reported down by sv" sh -c "[ \$(grep -c '^ok: down: /etc/service/' '$T/console') -eq 2 ]"
ok "no KILL needed" sh -c "! grep -q 'sending KILL' '$T/console'"
done_testing
