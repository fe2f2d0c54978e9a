#!/bin/sh
# sv -w N start right after a service is linked into the scan directory (Ansible, Chef, socklog-conf): with a wait, sv waits within its timeout for runsvdir to start the runsv (supervise/ok to appear), then reports as usual; without a wait it answers at once as runit does; and the whole wait stays within -w.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
mkdir -p sv service
export SVDIR=$T/service

# 1. Deterministic: sv waits first, the runsv comes after.
service sv/a
ln -s ../sv/a service/a
spawn "$SV" -w 20 start a >a.out 2>a.err
spid=$SPAWNED
ok "sv waits, woken by inotify (it holds an inotify descriptor)" wait_for 5 sh -c "ls -l /proc/$spid/fd 2>/dev/null | grep -qs inotify"
ok "and has not answered" test ! -s a.out
spawn runsv "$T/sv/a"
ok "sv ends once the runsv started the service" wait_exit "$spid" 20
is "$EXITCODE" 0 "exit 0"
like "$(cat a.out)" '^ok: run: a: \(pid [0-9]+\) [0-9]+s$' "runit's ok line"
is "$(cat a.err)" "" "no warning"

# 2. With runsvdir, as Ansible does it: link, then start at once; five times.
rm service/a # supervised by the runsv above
spawn runsvdir "$T/service"
fails=0
for s in b c d e f; do
	service sv/$s
	ln -s ../sv/$s service/$s
	out=$("$SV" -w 20 start $s 2>&1); rc=$?
	case "$rc:$out" in "0:ok: run: $s: (pid "*) ;; *) fails=$((fails + 1)); diag "$s: $rc: $out";; esac
done
is "$fails" 0 "five services linked and started at once: each ok"

# 3. Without a wait: runit's answer at once (same as Debian's sv).
mkdir -p alone
service alone/g
out=$(SVDIR=$T/alone "$SV" up g 2>&1); rc=$?
is "$rc:$out" "1:warning: g: unable to open supervise/ok: file does not exist" "sv up (no wait): runit's warning at once"
if [ -x "$DEB_SV" ]; then
	deb=$(SVDIR=$T/alone "$DEB_SV" up g 2>&1); drc=$?
	is "$rc:$out" "$drc:$deb" "the same as Debian's sv"
else
	skip "Debian's sv not installed"
fi

# 4. The runsv never comes: runit's warning, after the wait (-w 1).
out=$(SVDIR=$T/alone "$SV" -w 1 start g 2>&1); rc=$?
is "$rc:$out" "1:warning: g: unable to open supervise/ok: file does not exist" "no runsv within -w: runit's warning"
done_testing
