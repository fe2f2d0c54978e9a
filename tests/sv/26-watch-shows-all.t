#!/bin/sh
# sv watch shows what its line shows: -o json prints a line when a service becomes ready (notification-fd, sd_notify) and when its STATUS= text changes; and when it reads late (a crash loop while the watcher is stopped) the starts it did not see are told, never nothing: the run lines and the missed starts add up to runsv's own start count.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1

# fd: ready by the notification-fd once the file go exists
service fd 'while [ ! -e ../go ]; do sleep 0.05; done; echo >&3; exec sleep 1000'
echo 3 >fd/notification-fd
# sock: sd_notify, STATUS= once at start, then READY=1 and another STATUS= once go2 exists
service sock "exec python3 -c '
import os, socket, time
a = os.environ[\"NOTIFY_SOCKET\"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
addr = \"\\0\" + a[1:] if a[0] == \"@\" else a
s.sendto(b\"STATUS=starting\", addr)
while not os.path.exists(\"../go2\"): time.sleep(0.05)
s.sendto(b\"READY=1\", addr)
s.sendto(b\"STATUS=serving\", addr)
time.sleep(1000)'"
touch sock/notify
up runsv "$T/fd"
up runsv "$T/sock"
ok "fd runs" wait_for 5 is_state fd run
ok "sock runs and said its status" wait_for 5 grep -qs '^status_text=starting' sock/supervise/info

spawn "$SV" -o json watch fd >fd.json
spawn "$SV" -o json watch sock >sock.json
ok "the first lines: not ready" wait_for 5 sh -c 'grep -qs "\"ready\":false" fd.json && grep -qs "\"ready\":false" sock.json'
: >go
ok "notification-fd: a line when it becomes ready" wait_for 5 grep -qs '"ready":true' fd.json
is "$(grep -c . fd.json)" 2 "fd: two lines, not ready then ready"
: >go2
ok "sd_notify: a line with ready and the new STATUS= text" wait_for 5 grep -qs '"ready":true.*"status_text":"serving"' sock.json
ok "sd_notify: the first line had the first text" grep -qs '"ready":false.*"status_text":"starting"' sock.json

# A crash loop read late: the watcher is stopped for 3.5 s while ./run
# crashes about every second (runsv's 1 s pause between starts).
service loop 'sleep 0.2; exit 1'
up runsv "$T/loop"
spawn "$SV" -o json watch loop >loop.json
wpid=$SPAWNED
spawn "$SV" watch loop >loop.txt
tpid=$SPAWNED
ok "the first lines" wait_for 5 sh -c 'grep -qs . loop.json && grep -qs . loop.txt'
kill -STOP "$wpid" "$tpid"
s0=$(sed -n 's/^starts=//p' loop/supervise/info)
ok "runsv starts it at least 3 times more meanwhile" wait_for 15 sh -c "[ \$(sed -n 's/^starts=//p' loop/supervise/info) -ge $((s0 + 3)) ]"
kill -CONT "$wpid" "$tpid"
"$SV" -w 5 down loop >/dev/null
ok "the watchers get to the final down" wait_for 5 sh -c 'tail -n 1 loop.json | grep -qs "\"state\":\"down\"" && grep -q . loop.txt'
sleep 0.2 # (a last line would come now: none expected; the count below would show it)
final=$(sed -n 's/^starts=//p' loop/supervise/info)
cat >count.py <<'PY'
import json, sys
objs = [json.loads(l) for l in open("loop.json")]
first = objs[0]["starts"]
runs = missed = 0
pid = objs[0]["pid"] if objs[0].get("state") == "run" else None
for o in objs[1:]:
    if "missed_starts" in o:
        missed += o["missed_starts"]
    elif o.get("state") in ("run", "finish") and o["pid"] and o["pid"] != pid:
        runs += 1
    if "state" in o:
        pid = o["pid"] if o["state"] != "down" else None
print(first, runs, missed)
PY
set -- $(python3 count.py)
diag "starts: from $1 to $final; run lines $2, missed $3"
is "$(( $2 + $3 ))" "$(( final - $1 ))" "JSON: every start shows, as a run line or in a missed count"
txt_missed=$(sed -n 's/.* missed: loop: \([0-9]*\) starts\{0,1\} and \(its\|their\) ends$/\1/p' loop.txt | awk '{ s += $1 } END { print s + 0 }')
txt_runs=$(tail -n +2 loop.txt | grep -c ' run: loop: ')
is "$(( txt_runs + txt_missed ))" "$(( final - $1 ))" "text: the same ($txt_runs run lines, $txt_missed missed)"
done_testing
