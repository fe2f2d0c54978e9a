#!/bin/sh
# SIGINT runs an owner-executable ctrlaltdel and then acts as SIGCONT; without the files SIGINT/SIGCONT are ignored; outside stage 2 they are refused with a warning.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

stage 1 'touch '"$T"'/in1; while [ ! -e '"$T"'/go ]; do sleep 0.02; done'
stage 2 'echo $$ >'"$T"'/two; exec sleep 100'
stage 3 'echo three >>'"$T"'/log'
printf '#!/bin/sh\necho cad >>%s/log\n: >/etc/runit/stopit; chmod 100 /etc/runit/stopit\n' "$T" >"$T/etc/ctrlaltdel"
chmod 644 "$T/etc/ctrlaltdel" # not owner-executable yet

boot "$RNG_BIN/runit"
wait_for 10 test -e "$T/in1"
pid1=$(init_pid)
kill -CONT "$pid1"
ok "stage 1: signals refused" wait_for 10 console_has "- runit: warning: signals only work in stage 2."
touch "$T/go"
ok "stage 2 starts" wait_for 10 test -s "$T/two"
kill -INT "$pid1"; kill -CONT "$pid1"
sleep 0.5 # proving that nothing happens
ok "without ctrlaltdel and stopit: stage 2 keeps running" sh -c "[ ! -e '$T/log' ] && [ \$(pgrep -P $pid1 | wc -l) -eq 1 ]"
ok "without the files: no message" sh -c "! grep -q 'ctrl-alt-del' '$T/console'"
chmod 700 "$T/etc/ctrlaltdel"
kill -INT "$pid1"
ok "runit ends" wait_exit "$NS" 20
ok "ctrl-alt-del announced" console_has "- runit: ctrl-alt-del request..."
ok "ctrlaltdel entered" console_has "- runit: enter stage: /etc/runit/ctrlaltdel"
is "$(tr '\n' ' ' <"$T/log")" "cad three " "ctrlaltdel ran, then stage 3"
is "$(stat -c %a "$T/etc/stopit")" 0 "stopit consumed (mode 0)"
done_testing
