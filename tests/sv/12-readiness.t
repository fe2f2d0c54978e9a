#!/bin/sh
# sv and readiness: a service declaring notification-fd or notify is started only once ready (and its ./check passes), sv check too; a dependent ./run waits for it; runit's runsv, or an info that does not match the status record, falls back to the settle rule.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
. "$(dirname "$0")/../lib/records.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
# When sv answered is when it wrote its line: the kernel's mtime of the
# file it wrote to (rec_written_ms). It is set from a coarse clock, up to a
# tick behind the stamps runsv takes (10 ms at HZ 100, the coarsest usual),
# and both are cut to ms: ANSWER_SLACK_MS of slack where sv's answer is
# compared with such a stamp.
ANSWER_SLACK_MS=15
# ready_ms DIR: ready_since of DIR's info, in ms
ready_ms() { unix_ms "$(sed -n 's/^ready_since=//p' "$1/supervise/info")"; }

# fdready DIR DELAY: ready by the notification-fd DELAY s after each start
fdready() {
	service "$1" "sleep $2; echo ready >&3; exec sleep 1000"
	echo 3 >"$1/notification-fd"
	touch "$1/down"
}
# sockready DIR DELAY: ready by sd_notify DELAY s after each start (the service itself sends)
sockready() {
	service "$1" "sleep $2; exec python3 -c '
import os, socket, time
a = os.environ[\"NOTIFY_SOCKET\"]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b\"STATUS=serving\\nREADY=1\", \"\\0\" + a[1:] if a[0] == \"@\" else a)
time.sleep(1000)'"
	touch "$1/notify" "$1/down"
}

fdready fd2 2
sockready sock2 2
fdready never 1000
for s in fd2 sock2 never; do up runsv "$T/$s"; done

for s in fd2 sock2; do
	"$SV" -w 10 start $s >sv.out; rc=$?
	out=$(cat sv.out)
	like "$rc:$out" "^0:ok: run: $s: \\(pid [0-9]+\\) [0-9]+s, normally down\$" "$s: start waits for readiness: ok"
	# by the records: runsv's ready_since, sv's answer (its line written)
	d=$(ms_between "$(rec_written_ms sv.out)" "$(ready_ms $s)")
	ok "$s: not before the service said so (sv answered ${d:-?} ms after ready_since; it is ready 2 s after its start)" test "${d:--99999}" -ge -$ANSWER_SLACK_MS
	ok "$s: and soon after (at most 2000 ms)" test "${d:-99999}" -le 2000
	like "$(grep '^ready_since=' $s/supervise/info)" '^ready_since=[0-9]' "$s: runsv recorded it ready"
	"$SV" -w 3 stop $s >/dev/null
	out=$("$SV" -w 1 start $s); rc=$?
	like "$rc:$out" "^1:timeout: run: $s: \\(pid [0-9]+\\) [0-9]+s, normally down\$" \
	    "$s: not ready within -w 1: runit's timeout line"
	is "$rc" 1 "$s: timeout rc 1"
	"$SV" -w 3 stop $s >/dev/null
done
sed -n 's/^status_text=//p' sock2/supervise/info >st
is "$(cat st)" "" "the STATUS= text is cleared when ./run exits"

# a service that never becomes ready is never started, however long it runs
out=$("$SV" -w 2 start never); rc=$?
like "$rc:$out" '^1:timeout: run: never: \(pid [0-9]+\) [0-9]+s, normally down$' "never ready: timeout after the settle time is long past"
out=$("$SV" -w 0 check never); rc=$?
like "$rc:$out" '^1:timeout: run: never: ' "sv check: not ready is not ok"

# readiness and ./check: both must pass
fdready both 0.2
printf '#!/bin/sh\ntest -e flag\n' >both/check; chmod +x both/check
up runsv "$T/both"
(sleep 1; touch both/flag) &
"$SV" -w 10 start both >sv.out 2>/dev/null; rc=$?
out=$(cat sv.out)
like "$rc:$out" '^0:ok: run: both: ' "ready and a passing check: started"
# by the records: the flag's mtime, sv's answer
d=$(ms_between "$(rec_written_ms sv.out)" "$(rec_written_ms both/flag 2>/dev/null)")
ok "only once the check passed too (sv answered ${d:-?} ms after the flag came)" test "${d:--99999}" -ge 0
out=$("$SV" -w 1 check both); rc=$?
like "$rc:$out" '^0:ok: run: both: ' "sv check on a ready service with a passing check: ok"

# a dependent service starts only after its dependency is ready
fdready dep 1
service app 'sv -w 10 start ../dep >start.out || exit 1; : >started; exec sleep 1000'
touch app/down
up runsv "$T/dep"
up runsv "$T/app"
"$SV" up app
ok "app started after dep" wait_for 10 test -e app/started
d=$(ms_between "$(rec_written_ms app/start.out)" "$(ready_ms dep)")
ok "and dep was ready by then: its sv answered ${d:-?} ms after dep's ready_since" test "${d:--99999}" -ge -$ANSWER_SLACK_MS
like "$(cat app/start.out)" '^ok: run: \.\./dep: ' "app's ./run saw runit's ok line"
"$SV" -w 3 down app >/dev/null
fdready dep2 1000
service app2 'sv -w 1 start ../dep2 || exit 1; : >started; exec sleep 1000'
touch app2/down
up runsv "$T/dep2"
up runsv "$T/app2"
"$SV" up app2
ok "app2's ./run gave up (its dependency never became ready)" wait_for 10 sh -c '[ "$(sed -n "s/^last_exit=//p" app2/supervise/info)" = "exit 1" ]'
ok "and never started its service" test ! -e app2/started
"$SV" -w 3 down app2 >/dev/null

# runit's runsv writes no info: declared readiness cannot be seen, the settle rule decides
if [ -x "$DEB_RUNSV" ]; then
	fdready deb 1000
	up "$DEB_RUNSV" "$T/deb"
	out=$("$SV" -w 3 start deb); rc=$?
	like "$rc:$out" '^0:ok: run: deb: \(pid [0-9]+\) [0-9]+s, normally down$' "Debian's runsv: settled is started"
else
	skip "Debian's runsv not installed"
fi

# an info that does not describe the status record read is not believed
fake "$T/f"
spawn sleep 1000
live=$SPAWNED
setrec f 10 "$live" 0 u 0 1
info() { # PID SINCE READY
	printf 'pid=%s\nsince=%s\nstarts=1\nlast_exit=\nlast_exit_at=\nreadiness=fd\nready_since=%s\nstatus_text=\nkill=process\ncgroup=\n' "$@" >f/supervise/info.new
	mv f/supervise/info.new f/supervise/info
}
# the record's own stamp (a second clock read could fall in the next second)
since=$(rec_unix f/supervise/status)
info "$live" "$since" ""
out=$("$SV" -w 0 up ./f); rc=$?
like "$rc:$out" '^1:timeout: run: \./f: ' "a matching info, not ready: not started"
info "$live" "$since" "$since"
out=$("$SV" -w 0 up ./f); rc=$?
like "$rc:$out" "^0:ok: run: \\./f: \\(pid $live\\) " "a matching info, ready: started at once"
info 1 "$(perl -e 'my $s = time - 100; print "$s.000000500"')" ""
out=$("$SV" -w 0 up ./f); rc=$?
like "$rc:$out" "^0:ok: run: \\./f: \\(pid $live\\) " "an older info (left by another runsv): the settle rule"
info 1 "$(perl -e 'my $s = time + 1; print "$s.000000500"')" ""
out=$("$SV" -w 0 up ./f); rc=$?
like "$rc:$out" '^1:timeout: run: \./f: ' "an info newer than the record: the record is outdated, not started"
# waiting for readiness is asleep (no 420 ms looks), and hears it at once
info "$live" "$since" ""
spawn "$SV" -w 10 up ./f >ready.out
svpid=$SPAWNED
ok "sv waits for readiness" wait_for 5 sh -c 'ls -l /proc/$1/fd 2>/dev/null | grep -qs inotify' _ "$svpid"
t0=$(cpu_ticks "$svpid") w0=$(ctx_switches "$svpid")
sleep 1.5 # the measured stretch of the wait: looks every 420 ms would wake it 3 times
t1=$(cpu_ticks "$svpid") w1=$(ctx_switches "$svpid")
ok "1.5 s of waiting cost $((t1 - t0)) clock ticks (at most 2)" test $((t1 - t0)) -le 2
ok "and $((w1 - w0)) wake-ups (at most 1)" test $((w1 - w0)) -le 1
info "$live" "$since" "$since"
ok "info turning ready while sv waits: the wait ends" wait_exit "$svpid" 10
like "$EXITCODE:$(cat ready.out)" '^0:ok: run: \./f: ' "heard: ok"
# by the records: the info's mtime, sv's answer (its line written)
d=$(ms_between "$(rec_written_ms ready.out)" "$(rec_written_ms f/supervise/info)")
ok "at once (sv answered ${d:-?} ms after the info was written; at most 2000)" test "${d:-99999}" -le 2000
done_testing
