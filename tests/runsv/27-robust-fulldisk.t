#!/bin/sh
# Robustness: supervise/ on a full tmpfs (private mount namespace): warnings, supervision goes on, status catches up once there is room.
if [ -z "${RNG_IN_NS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    unshare -m true 2>/dev/null; then
	RNG_IN_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
[ -n "${RNG_IN_NS:-}" ] || skip_all "needs root and mount namespaces"

mkdir "$T/mnt"
mount -t tmpfs -o size=64k tmpfs "$T/mnt" || skip_all "cannot mount tmpfs"
mksvc "$T/s" 'echo $$ >>"$0.starts"; exec sleep 100'
ln -s "$T/mnt/sup" "$T/s/supervise"
start_runsv "$T/s"
wait_for 5 stat_is "$T/s" run
dd if=/dev/zero of="$T/mnt/fill" bs=4k 2>/dev/null
ctl "$T/s" t
ok "restarted although the disk is full" wait_for 5 has_lines "$T/s/run.starts" 2
ok "warning about the full disk" wait_for 5 grep -qs "out of disk space" "$T/stderr"
like "$(grep -m1 'out of disk space' "$T/stderr")" "^runsv $T/s: warning: unable to write supervise/(pid|info|stat|status)\\.new: out of disk space$" "runit's wording"
ok "runsv alive" kill -0 "$RPID"
ok "CPU time stays small" test "$(cpu_ticks "$RPID")" -lt 50
rm -f "$T/mnt/fill"
ctl "$T/s" d
ok "status written again once there is room" wait_for 5 stat_is "$T/s" down
is "$(stat -c %s "$T/s/supervise/status")" 20 "status is whole"
ctl "$T/s" x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "exit 0"
done_testing
