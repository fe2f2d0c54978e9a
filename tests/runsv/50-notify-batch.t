#!/bin/sh
# supervise/info is rewritten at most once per wake-up for what the service sends: the STATUS= datagrams queued while runsv is stopped (as many as the socket holds) cost one write when it reads them in one wake-up, not one each; the last text wins.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
command -v python3 >/dev/null || skip_all "python3 missing"
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
writes() { awk '/^syscw:/ { print $2 }' "/proc/$1/io"; }

mksvc "$T/s" 'exec python3 -c "
import os, socket, time
a = os.environ[\"NOTIFY_SOCKET\"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b\"READY=1\", a)
while not os.path.exists(\"go\"): time.sleep(0.02)
s.setblocking(False)
n = 0
for i in range(1, 201):
    try:
        s.sendto((\"STATUS=update %d\" % i).encode(), a); n = i
    except OSError:
        break
open(\"sent\", \"w\").write(\"%d\\n\" % n)
time.sleep(1000)"'
touch "$T/s/notify"
cd "$T/s" || exit 1
start_runsv "$T/s"
ready() { [ -n "$(info_key . ready_since)" ]; }
ok "ready" wait_for 5 ready
kill -STOP "$RPID"
touch go
wait_for 10 test -s sent
n=$(cat sent)
w0=$(writes "$RPID")
kill -CONT "$RPID"
last() { [ "$(info_key . status_text)" = "update $n" ]; }
ok "the last STATUS= arrives ($n sent)" wait_for 10 last
w=$(( $(writes "$RPID") - w0 ))
ok "$n updates queued (the socket's queue)" test "$n" -ge 5
ok "$n updates in one wake-up: $w write by runsv (info once)" test "$w" -le 1
"$SV" x . >/dev/null
wait_exit "$RPID" 5
done_testing
