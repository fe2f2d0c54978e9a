#!/bin/sh
# kill-tree by cgroup, after a runsv was killed outright: the next runsv stops what the earlier one left as soon as it starts, even with a down file (the processes are not left running under a service that says down); a service directory renamed meanwhile finds the earlier cgroup by its device and inode and removes it. Debian's sv drives it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
awk '$9 == "cgroup2" && $6 ~ /^rw/' /proc/self/mountinfo | grep -q . || skip_all "no writable cgroup2"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
gone() { ! running "$1"; }
left=""
# orphan DIR: runsv starts ./run, then is killed outright; OLD is the
# ./run it leaves in its cgroup CG.
orphan() {
	start_runsv "$1"
	wait_for 5 has_lines "$1/pids" 1
	old=$(tail -n 1 "$1/pids") left="$left $old"
	cg=$(info_key "$1" cgroup)
	kill -KILL "$RPID"
	wait "$RPID" 2>/dev/null
}

# 1. A down file: the leftovers are stopped at start all the same.
mksvc "$T/s" 'echo $$ >>pids; exec sleep 1000'
touch "$T/s/kill-tree"
orphan "$T/s"
ok "the old ./run outlived its runsv" running "$old"
touch "$T/s/down"
start_runsv "$T/s"
ok "the new runsv stops it at once, down file or not" wait_for 5 gone "$old"
is "$(cat "$T/s/supervise/stat")" down "and stays down"
is "$(lines "$T/s/pids")" 1 "nothing started"
"$SVD" x "$T/s" >/dev/null
wait_exit "$RPID" 5
ok "its cgroup removed at exit" test ! -e "$cg"

# 2. Killed, then renamed: the new runsv removes the earlier cgroup.
rm "$T/s/down"
: >"$T/s/pids"
orphan "$T/s"
mv "$T/s" "$T/r"
start_runsv "$T/r"
ok "renamed: a new ./run" wait_for 5 has_lines "$T/r/pids" 2
ok "the old one is gone" wait_for 5 gone "$old"
ok "the earlier cgroup ($cg) is removed" wait_for 5 test ! -e "$cg"
like "$(grep -m1 'earlier runsv' "$T/stderr")" "^runsv $T/r: warning: removed $cg, left by an earlier runsv of \./run$" "told on stderr"
"$SVD" x "$T/r" >/dev/null
wait_exit "$RPID" 5
# What a failed run left, the test removes (by pid, then the cgroups).
kill_left KILL $left
for c in $(dirname "$cg")/s@* $(dirname "$cg")/r@*; do
	[ -d "$c" ] || continue
	empty() { [ -z "$(cat "$c/cgroup.procs")" ]; }
	wait_for 5 empty
	rmdir "$c"
done
done_testing
