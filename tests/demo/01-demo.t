#!/bin/sh
# make demo: the example tree comes up under runsvdir, sv drives it, svlogd logs, and all stops cleanly.
. "$(dirname "$0")/../lib/tap.sh"

out=$(TMPDIR=$T timeout 60 "$RNG_TOP/examples/demo.sh" 2>&1)
rc=$?
is "$rc" 0 "demo exits 0"
like "$out" '^run: clock: \(pid [0-9]+\) [0-9]+s; run: log: \(pid [0-9]+\) [0-9]+s$' "clock runs with its log service"
like "$out" '^down: worker: [0-9]+s$' "worker is normally down"
like "$out" '^ok: run: worker: \(pid [0-9]+\) [0-9]+s, normally down$' "sv -w up worker"
like "$out" '^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9:.]{14} tick 1$' "svlogd -tt wrote the clock's lines"
like "$out" '^ok: down: worker: 0s$' "sv -w down worker"
is "$(printf '%s\n' "$out" | grep -c 'runsv not running$')" 3 "every runsv gone after SIGHUP to runsvdir"
is "$(ls "$T")" "" "the demo removed its temp dir"
done_testing
