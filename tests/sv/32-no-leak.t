#!/bin/sh
# sv frees what it allocates on every way out: runsv not running, a service directory missing, status (text, json, prom, LSB), control with and without a wait, check, log, watch. A leak checker runs each: LeakSanitizer in the ASan build (make check-asan turns it off for the other tests), else valgrind.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

# Exit code 97 means the checker found a leak (or valgrind another error).
if [ -n "${RNG_ASAN:-}" ]; then
	CHECK="env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=97"
elif command -v valgrind >/dev/null; then
	CHECK="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=97"
else
	skip_all "neither an ASan build nor valgrind"
fi

# verdict DESCRIPTION RC: ok unless the checker said 97 (its report on stderr).
verdict() {
	if [ "$2" = 97 ]; then
		sed 's/^/#   /' "$T/err" >&2
		ok "$1: nothing leaked" false
	else
		ok "$1: nothing leaked (exit $2)" true
	fi
}

# clean DESCRIPTION COMMAND...: COMMAND (sv, under the checker) leaks nothing.
clean() {
	_what=$1
	shift
	$CHECK "$@" >"$T/out" 2>"$T/err"
	verdict "$_what" $?
}

export SVDIR=$T
cd "$T" || exit 1
SVB=$RNG_BIN/sv
mkdir initd
ln -s "$SVB" initd/gone
ln -s "$SVB" initd/s
ln -s "$SVB" initd/bad

# runsv not running: supervise/ok a FIFO nobody reads
mkdir -p gone/supervise && mkfifo gone/supervise/ok gone/supervise/control
clean "status, runsv not running" "$SVB" status gone
clean "up, runsv not running" "$SVB" up gone
clean "-w 1 up, runsv not running" "$SVB" -w 1 up gone
clean "x, runsv not running" "$SVB" x gone
clean "two services, both not running" "$SVB" down gone ./gone
clean "LSB status, runsv not running" initd/gone status
clean "LSB start, runsv not running" initd/gone start
clean "no such service directory" "$SVB" status nosuch
mkdir -p bad/supervise
clean "LSB status, supervise/ok missing (exit 4)" initd/bad status
clean "-o json status, runsv not running" "$SVB" -o json status gone nosuch
clean "-o prom status, runsv not running" "$SVB" -o prom status gone gone

# a service our runsv supervises, with a log
service s
with_log s
up "$RNG_BIN/runsv" "$T/s"
ok "s runs" wait_for 5 is_state s run
clean "status" "$SVB" status s
clean "LSB status" initd/s status
clean "-w 5 down" "$SVB" -w 5 down s
clean "-w 5 up" "$SVB" -w 5 up s
clean "check" "$SVB" check s
clean "-o json status" "$SVB" -o json status s
clean "-o prom status" "$SVB" -o prom status s gone
clean "log" "$SVB" log s
# watch runs until INT or TERM: sent once its first line is out
$CHECK "$SVB" watch s >"$T/watch" 2>"$T/err" &
wpid=$!
_tap_pids="$_tap_pids $wpid"
ok "watch shows the service" wait_for 30 test -s "$T/watch"
kill -TERM "$wpid"
wait "$wpid"
verdict "watch, ended by TERM" $?
clean "x" "$SVB" -w 5 x s
done_testing
