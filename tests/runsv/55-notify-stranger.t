#!/bin/sh
# A stranger's datagrams on the notify socket, sent over many wake-ups, cost runsv one look at /proc in all, not one walk per wake-up (the refused sender is remembered while it lives); it stays refused, and the service's own READY=1 is still believed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 missing"
reads() { awk '/^syscr:/ { print $2 }' "/proc/$1/io"; }
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }

mksvc "$T/s" 'exec python3 -c "
import os, socket, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
while not os.path.exists(\"go\"): time.sleep(0.02)
s.sendto(b\"READY=1\nSTATUS=mine\", os.environ[\"NOTIFY_SOCKET\"])
time.sleep(1000)
"'
: >"$T/s/notify"
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 stat_is . run
wait_for 5 test -S supervise/notify
before=$(reads "$RPID")
# 60 datagrams, 20 ms apart: as many wake-ups, nearly.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for i in range(60):
    s.sendto(b"READY=1\nSTATUS=stranger", sys.argv[1]); time.sleep(0.02)
s.sendto(b"STATUS=last", sys.argv[1])
' "$T/s/supervise/notify"
told() { grep -q 'sender not in the service' "$T/stderr"; }
ok "the stranger is refused (told once)" wait_for 5 told
is "$(grep -c 'sender not in the service' "$T/stderr")" 1 "told once"
after=$(reads "$RPID")
n=$((after - before))
# (each recvmsg counts as one read; a walk of /proc is several more)
ok "runsv made $n reads for 61 datagrams: fewer than 2 each" test "$n" -lt 122
is "$(info_key . status_text)$(info_key . ready_since)" "" "nothing of the stranger taken"
: >go
mine() { [ "$(info_key . status_text)" = mine ] && [ -n "$(info_key . ready_since)" ]; }
ok "the service's own READY=1 and STATUS= are believed" wait_for 5 mine
ctl . x
ok "runsv exits" wait_exit "$RPID" 10
done_testing
