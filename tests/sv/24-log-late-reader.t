#!/bin/sh
# sv log -f with a reader that is really late while svlogd rotates, processes (!cat) and prunes: every rotated file is printed once, in order, found by its stamp whatever the processor renamed; files pruned before they could be read are said on stderr (exit non-zero only with -s).
. "$(dirname "$0")/../lib/tap.sh"

SV=$RNG_BIN/sv
N=${SV_LATE_LINES:-200000}
S=50000 # svlogd rotates at this size (not while its processor runs)
[ -n "${RNG_ASAN:-}" ] && N=60000 S=20000
export SVDIR=$T
cd "$T" || exit 1

# late_follow DIR CONFIG [SV OPTIONS]: sv -f -n 0 log follows DIR's log/main
# into a FIFO whose reader is stopped while svlogd writes N lines with
# CONFIG, and starts reading once svlogd is done.
# The reader's copy in DIR.out, sv's stderr in DIR.err, sv's pid in FPID.
late_follow() {
	_dir=$1 _config=$2; shift 2
	mkdir -p "$_dir/log/main"
	printf '%b' "$_config" >"$_dir/log/main/config"
	: >"$_dir/log/main/current"
	mkfifo "$_dir.fifo"
	spawn sh -c 'exec cat <"$1" >"$2"' _ "$_dir.fifo" "$_dir.out"
	RPID=$SPAWNED
	spawn "$SV" "$@" -f -n 0 log "$_dir" >"$_dir.fifo" 2>"$_dir.err"
	FPID=$SPAWNED
	wait_for 5 sh -c "ls -l /proc/$FPID/fd 2>/dev/null | grep -qs inotify"
	kill -STOP "$RPID"
	seq 1 "$N" | "$RNG_BIN/svlogd" "$_dir/log/main"
	ROTATIONS=$(ls "$_dir/log/main" | grep -c '^@')
	kill -CONT "$RPID"
}

# in_order FILE: each line a number greater than the one before (no line twice).
in_order() { awk 'NR > 1 && $0 <= prev { exit 1 } { prev = $0 }' "$1"; }

# 1. A processor renames each @X.u to @X.s (another inode) while sv lags.
late_follow proc "s$S\nn1000\n!cat\n"
ok "svlogd rotated and processed ($ROTATIONS files)" test "$ROTATIONS" -ge 5
ok "every line printed once the reader is back" wait_for 60 sh -c "[ \$(wc -l <proc.out) -ge $N ]"
seq 1 "$N" >want
if cmp -s want proc.out; then ok "every line once, in order, across processed files" true; else
	ok "every line once, in order, across processed files" false
	diag "$(wc -l <proc.out) lines; first difference: $(diff want proc.out | head -n 3 | tr '\n' ' ')"
fi
is "$(cat proc.err)" "" "no warning: nothing was pruned"
kill -TERM "$FPID"
ok "TERM ends it" wait_exit "$FPID" 5
is "$EXITCODE" 0 "exit 0"

# 2. Pruning (n5): what is still on disk is printed; what went is said.
late_follow prune "s$S\nn5\n" -s
ok "svlogd rotated and pruned" test "$(ls prune/log/main | grep -c '^@')" -le 5
# what is on disk now must all be printed: wait for its last line
ok "the reader gets to the last line" wait_for 60 sh -c "tail -n 1 prune.out | grep -qx $N"
ok "what was printed is in order, nothing twice" in_order prune.out
cat prune/log/main/@* prune/log/main/current | sort >ondisk
sort prune.out >printed
missing=$(comm -23 ondisk printed | wc -l)
diag "pruning: $(wc -l <prune.out) of $N lines printed, $(wc -l <ondisk) on disk at the end; stderr: $(cat prune.err)"
is "$missing" 0 "every line still on disk was printed"
if [ "$(wc -l <prune.out)" -lt "$N" ]; then
	like "$(cat prune.err)" "sv: warning: prune: ([0-9]+ files pruned before they were read|1 file pruned before it was read)" \
	    "lines lost to pruning are said on stderr"
else
	ok "nothing was lost (sv kept up): no warning needed" true
fi
kill -TERM "$FPID"
ok "TERM ends it" wait_exit "$FPID" 5
if [ "$(wc -l <prune.out)" -lt "$N" ]; then
	ok "with -s the loss makes the exit code ($EXITCODE)" test "$EXITCODE" -ne 0
else
	is "$EXITCODE" 0 "exit 0"
fi
done_testing
