#!/bin/sh
# restart-limit 5 10 gives up after the fifth end and sv start tries again; ./finish exit 125 gives up with a policy file and means nothing without; on-failure restarts after exit 1 and an outside KILL, not after exit 0 or an outside TERM, and sv restart always starts it again; never runs once per up; bad files are warned about and ignored.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

umask 022
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
starts() { lines "$1/starts"; }
# settled DIR: the slot has been down for 1.5 s by runsv's own record (past
# runit's one-second rule, so a restart that was coming has come).
settled() {
	_at=$(info_key "$1" last_exit_at)
	[ -n "$_at" ] && stat_is "$1" "down" &&
	    awk -v a="$_at" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - a > 1.5) }'
}
# run_body EXIT: ./run that counts its start, then exits EXIT (or, with
# "sleep", waits to be killed).
body() { printf 'echo $$ >>starts\n%s\n' "$1"; }

# restart-limit 5 10
mksvc "$T/l" "$(body 'exit 1')"
echo "5 10" >"$T/l/restart-limit"
start_runsv "$T/l"
ok "five starts" wait_for 20 has_lines "$T/l/starts" 5
wait_for 5 grep -qx "gave_up=5" "$T/l/supervise/info"
ok "gave up after the fifth end: gave_up=5 in info" grep -qx "gave_up=5" "$T/l/supervise/info"
wait_for 5 settled "$T/l"
is "$(starts "$T/l")" 5 "and no sixth start"
is "$(cat "$T/l/supervise/stat")" down "stat: down"
if [ -x "$DEB_SV" ]; then
	like "$("$DEB_SV" status "$T/l" 2>&1)" "^down: $T/l: [0-9]+s, normally up\$" "Debian's sv: runit's down line"
else
	skip "Debian's sv not installed"
fi
like "$("$SV" -o json status "$T/l" 2>&1)" '"gave_up":true,"gave_up_exits":5' "sv -o json: gave_up true with the count"
like "$(cat "$T/stderr")" "warning: ./run reached restart-limit, giving up until sv up" "runsv said why"
"$SV" start "$T/l" >/dev/null 2>&1
ok "sv start tries again" wait_for 10 has_lines "$T/l/starts" 6
ok "and clears the count: five more starts before giving up again" wait_for 20 has_lines "$T/l/starts" 10
wait_for 5 settled "$T/l"
is "$(starts "$T/l")" 10 "gave up again after five"
kill "$RPID"; wait_exit "$RPID" 10

# ./finish exit 125
mksvc "$T/f" "$(body 'exit 0')"
script "$T/f/finish" 'exit 125'
echo always >"$T/f/restart"
start_runsv "$T/f"
wait_for 10 has_lines "$T/f/starts" 1
wait_for 10 settled "$T/f"
is "$(starts "$T/f")" 1 "./finish 125 with a restart file: not started again"
is "$(info_key "$T/f" gave_up)" 1 "gave_up=1"
"$SV" up "$T/f" >/dev/null 2>&1
ok "sv up starts it again" wait_for 10 has_lines "$T/f/starts" 2
ctl "$T/f" d
wait_for 5 stat_is "$T/f" down
kill "$RPID"; wait_exit "$RPID" 10
rm "$T/f/restart" "$T/f/starts"
start_runsv "$T/f"
ok "without the policy files ./finish's 125 means nothing (runit)" wait_for 10 has_lines "$T/f/starts" 2
ctl "$T/f" d
kill "$RPID"; wait_exit "$RPID" 10

# on-failure: ./run exits with the code in the file "code", or sleeps.
mksvc "$T/o" 'echo $$ >>starts
c=$(cat code)
[ "$c" = sleep ] && exec sleep 1000
exit "$c"'
echo on-failure >"$T/o/restart"
echo 0 >"$T/o/code"
start_runsv "$T/o"
wait_for 10 has_lines "$T/o/starts" 1
wait_for 10 settled "$T/o"
is "$(starts "$T/o")" 1 "on-failure: not started again after exit 0"
is "$(status_hex "$T/o" 17 17)" 64 "and wanted down, as after sv once"
echo 1 >"$T/o/code"
"$SV" up "$T/o" >/dev/null 2>&1
ok "on-failure: started again after exit 1" wait_for 10 has_lines "$T/o/starts" 3
echo sleep >"$T/o/code"
wait_for 10 has_lines "$T/o/starts" 4
wait_for 10 stat_is "$T/o" run
kill -KILL "$(tail -n 1 "$T/o/starts")"
ok "on-failure: started again after an outside KILL" wait_for 10 has_lines "$T/o/starts" 5
wait_for 10 stat_is "$T/o" run
"$SV" restart "$T/o" >/dev/null 2>&1
ok "on-failure: sv restart (TERM, a clean end) starts it again" wait_for 10 has_lines "$T/o/starts" 6
wait_for 10 stat_is "$T/o" run
kill -TERM "$(tail -n 1 "$T/o/starts")"
wait_for 10 settled "$T/o"
is "$(starts "$T/o")" 6 "on-failure: an outside TERM is a clean end: not started again"
kill "$RPID"; wait_exit "$RPID" 10

# on-failure and the watchdog: its TERM is a failure (with systemd-notify).
if command -v systemd-notify >/dev/null; then
	mksvc "$T/w" 'echo $$ >>starts
systemd-notify --ready
systemd-notify WATCHDOG=1
exec sleep 1000'
	touch "$T/w/notify"
	echo 200 >"$T/w/watchdog-ms"
	echo on-failure >"$T/w/restart"
	start_runsv "$T/w"
	ok "on-failure: a service the watchdog stopped is started again" wait_for 10 has_lines "$T/w/starts" 2
	ctl "$T/w" d
	wait_for 5 stat_is "$T/w" down
	kill "$RPID"; wait_exit "$RPID" 10
	: >"$T/stderr"
else
	skip "systemd-notify missing"
fi

# never
mksvc "$T/n" "$(body 'exit 1')"
echo never >"$T/n/restart"
start_runsv "$T/n"
wait_for 10 has_lines "$T/n/starts" 1
wait_for 10 settled "$T/n"
is "$(starts "$T/n")" 1 "never: ran once, though it failed"
"$SV" up "$T/n" >/dev/null 2>&1
ok "never: sv up runs it once more" wait_for 10 has_lines "$T/n/starts" 2
wait_for 10 settled "$T/n"
is "$(starts "$T/n")" 2 "and only once"
kill "$RPID"; wait_exit "$RPID" 10

# The log service reads its own files in log/: log/restart never runs
# log/run once while the service goes on.
mksvc "$T/lg" 'exec sleep 1000'
mkdir "$T/lg/log"
script "$T/lg/log/run" 'echo $$ >>starts; exit 1'
echo never >"$T/lg/log/restart"
start_runsv "$T/lg"
wait_for 10 has_lines "$T/lg/log/starts" 1
wait_for 10 settled "$T/lg/log"
is "$(starts "$T/lg/log")" 1 "log/restart never: log/run ran once"
is "$(cat "$T/lg/supervise/stat")" run "and the service runs on"
ctl "$T/lg" x
wait_exit "$RPID" 10

# Garbage: warned about by name and why, then runit's behaviour.
: >"$T/stderr"
mksvc "$T/g" "$(body 'exit 1')"
echo sometimes >"$T/g/restart"
echo "1600 100" >"$T/g/restart-delay"
echo "5" >"$T/g/restart-limit"
start_runsv "$T/g"
ok "garbage: still restarted (runit's rule)" wait_for 10 has_lines "$T/g/starts" 2
like "$(cat "$T/stderr")" "runsv $T/g: warning: ignoring restart: neither always, on-failure nor never" "bad restart named"
like "$(cat "$T/stderr")" "warning: ignoring restart-delay: MAX is less than MIN" "bad restart-delay named"
like "$(cat "$T/stderr")" "warning: ignoring restart-limit: not N SECONDS" "bad restart-limit named"
ctl "$T/g" d
done_testing
