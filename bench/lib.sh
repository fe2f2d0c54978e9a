# bench/lib.sh: what the bench scripts share (sourced after TOP is set; not executable, so bench/run does not run it): a scratch directory and the processes a script starts, both gone when it ends; the runsv pair measured; the median and ratio of figures; runsv's state and memory.

# bench_setup NAME: W, a new scratch directory; PIDS, the processes to end
# (TERM, then KILL) and W to remove when the script exits, however it exits.
bench_setup() {
	W=$(mktemp -d "${TMPDIR:-/tmp}/$1-bench.XXXXXX") || exit 1
	PIDS=
	trap bench_cleanup EXIT
	# a signal ends the script (EXIT cleans up) rather than resume it without W
	trap 'exit 130' INT TERM
}
bench_cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || :; done
	sleep 0.3
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null || :; done
	rm -rf "$W"
}

# runsv_pair NAME: OURS, our runsv (RNG_BIN's, else this tree's build), and
# DEB, Debian's; NAME says which is missing and exits 1 when one is.
runsv_pair() {
	OURS=${RNG_BIN:-$TOP/build/bin}/runsv
	DEB=/usr/bin/runsv
	[ -x "$OURS" ] || { echo "$1: build $OURS first" >&2; exit 1; }
	[ -x "$DEB" ] || { echo "$1: Debian's runsv not installed" >&2; exit 1; }
}

# median: of the numbers on stdin, one a line.
median() { sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# ratio A B: A / B to two decimals; "-" where either is n/a.
ratio() { case $1$2 in *n/a*) echo - ;; *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' ;; esac; }

# wait_stat DIR WORD: until DIR/supervise/stat says WORD.
wait_stat() { until [ "$(cat "$1/supervise/stat" 2>/dev/null)" = "$2" ]; do sleep 0.02; done; }

# runsv_pss BINARY DIR...: a runsv (BINARY) on each DIR; once every one
# runs its service, the median of their PSS in kB; then they are stopped.
runsv_pss() {
	_bin=$1
	shift
	_pids=
	for _d in "$@"; do
		"$_bin" "$_d" 2>/dev/null &
		_pids="$_pids $!"
	done
	PIDS="$PIDS $_pids"
	for _d in "$@"; do wait_stat "$_d" run; done
	for _p in $_pids; do awk '/^Pss:/ {print $2}' "/proc/$_p/smaps_rollup"; done | median
	for _p in $_pids; do kill -TERM "$_p"; done
	for _p in $_pids; do wait "$_p" 2>/dev/null || :; done
}
