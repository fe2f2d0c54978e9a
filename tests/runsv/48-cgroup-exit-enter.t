#!/bin/sh
# kill-tree by cgroup: k then x (one write, as sv force-shutdown does it) still removes the cgroup (runsv waits, bounded, for the KILLed to be gone); a cgroup runsv can make but not enter (a delegation done by half: its own directory, not the parent's cgroup.procs) falls back to a process group with a warning, and the service runs. Debian's sv drives it.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
getent passwd nobody >/dev/null || skip_all "needs the account nobody"
mnt=$(awk '$9 == "cgroup2" && $6 ~ /^rw/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$mnt" ] || skip_all "no writable cgroup2"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }

# 1. k then x: 300 processes, and ./run holding 512 MB (its exit takes a
# while: the pages are freed as it dies, and x comes before it is reaped).
command -v python3 >/dev/null || skip_all "python3 missing"
mksvc "$T/k" 'i=0; while [ $i -lt 300 ]; do sleep 1000 & i=$((i + 1)); done
exec python3 -c "b = bytearray(b\"x\") * (512 << 20); open(\"big\", \"a\").write(\"1\\n\"); import time; time.sleep(1000)"'
touch "$T/k/kill-tree"
start_runsv "$T/k"
wait_for 5 stat_is "$T/k" run
cg=$(info_key "$T/k" cgroup)
many() { [ "$(wc -l <"$cg/cgroup.procs")" -ge 301 ]; }
ok "301 processes in $cg" wait_for 10 many
ok "./run holds its memory" wait_for 20 has_lines "$T/k/big" 1
printf kx >"$T/k/supervise/control"
wait_exit "$RPID" 10
is "$EXITCODE" 0 "runsv exits 0"
ok "the cgroup is gone" test ! -e "$cg"
# (What runsv left, the test removes: nothing of the machine stays changed.)
if [ -d "$cg" ]; then
	empty() { [ -z "$(cat "$cg/cgroup.procs")" ]; }
	wait_for 5 empty
	rmdir "$cg"
fi
is "$(grep -c 'unable to remove' "$T/stderr")" 0 "no warning"

# 2. A cgroup made but not entered: runsv as nobody in a cgroup whose
# directory nobody owns, but not its cgroup.procs.
X=$mnt/rng-i18-$$
mkdir "$X" || skip_all "cannot make a cgroup"
cleanup_x() { for d in "$X"/*/; do [ -d "$d" ] && rmdir "$d"; done 2>/dev/null; rmdir "$X" 2>/dev/null; }
chown nobody "$X"
chmod 711 "$T"
mksvc "$T/e" 'echo $$ >>starts; exec sleep 1000'
touch "$T/e/down"
chown -R nobody "$T/e"
spawn setpriv --reuid nobody --regid nogroup --clear-groups env --default-signal "$RUNSV" "$T/e" 2>>"$T/stderr"
RPID=$SPAWNED
wait_for 5 alive "$T/e"
echo "$RPID" >"$X/cgroup.procs" || { cleanup_x; skip_all "cannot move runsv into $X"; }
touch "$T/e/kill-tree" # (now: runsv makes its cgroup when ./run first starts)
"$SVD" up "$T/e" >/dev/null
ok "the service runs" wait_for 5 has_lines "$T/e/starts" 1
ok "and stays up" wait_for 5 stat_is "$T/e" run
is "$(info_key "$T/e" kill)" pgrp "kill=pgrp: the fallback"
like "$(grep -m1 'unable to enter' "$T/stderr")" "^runsv $T/e: warning: unable to enter $X/e@[0-9a-f]+-[0-9a-f]+, using a process group: " "warned, in runit's shape"
is "$(grep -c 'fatal' "$T/stderr")" 0 "no child died with fatal"
"$SVD" x "$T/e" >/dev/null
wait_exit "$RPID" 10
echo $$ >"$mnt/cgroup.procs" 2>/dev/null
cleanup_x
ok "cleaned up" test ! -e "$X"
done_testing
