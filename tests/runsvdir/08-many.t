#!/bin/sh
# No 1000-service cap: 2000 services (200 under ASan) all get a runsv and report run; adding one more still works; HUP stops them all.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

n=2000
[ "${RNG_ASAN:-0}" = 1 ] && n=200
mkdir "$T/sv"
cd "$T/sv" || exit 1
# A handful of processes in all, however many services (the machine may be busy).
seq -f 's%04g' 1 "$n" | xargs mkdir
for d in s*; do printf '#!/bin/sh\nexec sleep 1000\n' >"$d/run"; done
chmod +x s*/run
cd "$T" || exit 1

running() { cat sv/*/supervise/stat 2>/dev/null | grep -c '^run'; }

t0=$(date +%s)
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
wait_for 300 sh -c "[ \$(cat sv/*/supervise/stat 2>/dev/null | grep -c '^run') -ge $n ]"
ok "all $n services report run" test $? = 0
diag "all up $(( $(date +%s) - t0 )) s after start"
is "$(ps -o pid= --ppid "$p" | wc -l)" "$n" "exactly one runsv each"
is "$(grep -c 'too many' "$T/err")" 0 "no 'too many services' warning"

addsvc sv zzextra
wait_for 10 has_kid "$p" "runsv zzextra"
ok "one more service on top is picked up" test $? = 0

rm -rf sv/s0001
wait_for 10 sh -c "[ \$(ps -o pid= --ppid $p | wc -l) -eq $n ]"
ok "a removal among $n is noticed" test $? = 0

kill -HUP "$p"
wait_exit "$p" 20
t1=$(date +%s)
is "$EXITCODE" 111 "HUP exits 111"
wait_for 120 sh -c "[ \$(cat sv/*/supervise/stat 2>/dev/null | grep -c '^run') -eq 0 ]"
ok "every service was taken down" test $? = 0
diag "all down $(( $(date +%s) - t1 )) s after HUP"
done_testing
