#!/bin/sh
# examples/demo.sh (make demo): runs runsvdir on a copy of examples/services, shows sv at work, stops cleanly.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${RNG_BIN:-$top/build/bin}
PATH=$bin:$PATH
export PATH
dir=$(mktemp -d "${TMPDIR:-/tmp}/runit-ng-demo.XXXXXX")
svdir=$dir/service
cp -R "$top/examples/services" "$svdir"
export SVDIR=$svdir

runsvdir_pid=
cleanup() {
	if [ -n "$runsvdir_pid" ] && kill -0 "$runsvdir_pid" 2>/dev/null; then
		kill -HUP "$runsvdir_pid" # runsvdir TERMs every runsv, which stop their services
		wait "$runsvdir_pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -t 1 ]; then bold='\033[1m' plain='\033[0m'; else bold= plain=; fi
say() { printf "\n${bold}$ %s${plain}\n" "$*"; }
run() { say "$*"; "$@" || true; }

echo "runit-ng demo in $dir, binaries from $bin"
say "runsvdir -P $svdir 'log: ...'"
runsvdir -P "$svdir" 'log: ..........................................................' &
runsvdir_pid=$!

# Wait (at most 5 s) until every service has a live runsv.
i=0
until out=$(sv status clock worker flaky 2>&1) &&
	! printf '%s\n' "$out" | grep -Eq 'runsv not running|warning'; do
	i=$((i + 1))
	[ $i -lt 500 ] || { echo "demo: services did not come up" >&2; exit 1; }
	sleep 0.01
done
run sv status clock worker flaky
run sv -w 5 up worker
sleep 2
run sv -w 5 restart clock
sleep 2
run sv status clock worker flaky
say "cat $svdir/clock/log/main/current"
cat "$svdir/clock/log/main/current"
run sv -w 5 down worker
run sv status worker
say "kill -HUP runsvdir (stops every service and runsv)"
kill -HUP "$runsvdir_pid"
wait "$runsvdir_pid" 2>/dev/null || echo "runsvdir exited with $?"
runsvdir_pid=
# Each runsv got TERM: it stops its service (and log) and exits; wait for that (at most 10 s).
i=0
while [ "$(sv status clock worker flaky | grep -c 'runsv not running')" -lt 3 ]; do
	i=$((i + 1))
	[ $i -lt 1000 ] || { echo "demo: services did not stop" >&2; exit 1; }
	sleep 0.01
done
run sv status clock worker flaky
echo
echo "demo done"
