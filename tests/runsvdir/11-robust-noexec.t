#!/bin/sh
# Robustness: a run that cannot be executed leaves runsvdir's runsv alone; a runsv that cannot be executed gives runit's fatal line once a second, no busy loop.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

mkdir "$T/sv"
mksvc "$T/sv" .new-noexec
chmod -x "$T/sv/.new-noexec/run"
mv "$T/sv/.new-noexec" "$T/sv/noexec"
cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 10 has_kid "$p" "runsv noexec"
ok "runsv started for a service whose run is not executable" test $? = 0
r=$(kid_pid "$p" "runsv noexec")
c0=$(cpu_ticks "$p")
sleep 1.2
is "$(kid_pid "$p" "runsv noexec")" "$r" "its runsv keeps running, not restarted"
ok "runsvdir uses no CPU meanwhile" test $(( $(cpu_ticks "$p") - c0 )) -le 5

# No runsv anywhere on PATH.
mkdir "$T/sv2" "$T/emptybin"
addsvc "$T/sv2" a
PATH=$T/emptybin spawn "$RNG_BIN/runsvdir" sv2 2>"$T/err2"
p2=$SPAWNED
wait_for 10 sh -c "[ \$(grep -c . '$T/err2') -ge 2 ]"
ok "runsv not found: reported, and retried" test $? = 0
is "$(sort -u "$T/err2")" "runsvdir sv2: fatal: unable to start runsv a: file does not exist" "runsv not found: the message"
n0=$(grep -c . "$T/err2") c0=$(cpu_ticks "$p2")
sleep 1.4
n1=$(grep -c . "$T/err2")
ok "runsv not found: one or two retries in 1.4 s (got $((n1 - n0)))" test $((n1 - n0)) -ge 1 -a $((n1 - n0)) -le 2
ok "runsv not found: no busy loop" test $(( $(cpu_ticks "$p2") - c0 )) -le 10
ok "runsv not found: runsvdir keeps going" kill -0 "$p2"
if [ -x "$DEB_RUNSVDIR" ]; then
	PATH=$T/emptybin spawn "$DEB_RUNSVDIR" sv2 2>"$T/deb2"
	wait_for 10 grep -qs . "$T/deb2"
	is "$(sort -u "$T/deb2")" "$(sort -u "$T/err2")" "runsv not found: same message as Debian's"
else
	skip "Debian's runit not installed"
fi

# runsv found but not executable.
mkdir "$T/badbin"
printf '#!/bin/sh\nexit 0\n' >"$T/badbin/runsv"
PATH=$T/badbin spawn "$RNG_BIN/runsvdir" sv2 2>"$T/err3"
wait_for 10 grep -qs . "$T/err3"
is "$(sort -u "$T/err3")" "runsvdir sv2: fatal: unable to start runsv a: access denied" "runsv not executable: access denied"
done_testing
