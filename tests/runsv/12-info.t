#!/bin/sh
# supervise/info: every key in order, pid and since equal to the status record, starts, last_exit after exit N and a signal, ./finish not counted, the log slot's own file.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
. "$(dirname "$0")/../lib/records.sh"

# raw_key DIR KEY: the value of KEY in DIR/supervise/info as written.
raw_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
# info_key DIR KEY: the value of KEY as a reader takes it: an info written
# down that announced a start (next_start) describes that start when the
# record shows ./run running within a second of it (runsv.8): pid and
# since are the record's, starts one more.
info_key() {
	if [ "$(raw_key "$1" pid)" = 0 ] && [ -n "$(raw_key "$1" next_start)" ] &&
	    [ "$(status_pid "$1")" != 0 ] && [ "$(status_hex "$1" 19 19)" = 01 ] &&
	    awk -v s="$(status_since "$1")" -v n="$(raw_key "$1" next_start)" 'BEGIN { exit !(s - n >= -0.05 && s - n <= 1) }'; then
		case $2 in
		pid) status_pid "$1" ;;
		since) status_since "$1" ;;
		starts) echo $(( $(raw_key "$1" starts) + 1 )) ;;
		next_start | status_text) echo ;;
		*) raw_key "$1" "$2" ;;
		esac
	else
		raw_key "$1" "$2"
	fi
}
# status_since DIR: the status record's stamp as Unix SEC.NNNNNNNNN.
status_since() { rec_unix "$1/supervise/status"; }
status_pid() { echo $(( 0x$(status_hex "$1" 12 15 | awk '{print $4 $3 $2 $1}') )); }
# matches DIR: info's pid and since are the status record's.
matches() {
	[ "$(info_key "$1" pid)" = "$(status_pid "$1")" ] &&
	    [ "$(info_key "$1" since)" = "$(status_since "$1")" ]
}

umask 022
mksvc "$T/s" 'echo $$ >>starts
while [ ! -e stop ]; do sleep 0.02; done
rm -f stop
exit 3'
script "$T/s/finish" 'exit 7'
mkdir "$T/s/log"
script "$T/s/log/run" 'exec cat >/dev/null'
cd "$T/s" || exit 1
start_runsv "$T/s"
wait_for 5 has_lines starts 1
wait_for 5 stat_is . run
wait_for 2 matches .
S=$T/s/supervise

ok "info exists" test -f "$S/info"
is "$(stat -c %a "$S/info")" 644 "info is 0644"
is "$(cut -d= -f1 "$S/info" | tr '\n' ' ')" \
    "pid since starts last_exit last_exit_at readiness ready_since status_text kill cgroup main_pid oneshot waiting_count waiting readiness_error next_start gave_up template instance " \
    "every key, in the documented order"
is "$(raw_key . pid)" 0 "the first start was announced, not written: info on disk is the down record"
ok "which announced it (next_start)" test -n "$(raw_key . next_start)"
is "$(info_key . pid)" "$(cat starts)" "pid is ./run's"
ok "pid and since are the status record's" matches .
is "$(info_key . starts)" 1 "starts=1 after the first start"
is "$(info_key . last_exit)" "" "no last_exit before the first end"
is "$(info_key . last_exit_at)" "" "no last_exit_at either"
is "$(info_key . readiness)" none "readiness=none without notification-fd or notify"
is "$(info_key . ready_since)" "" "ready_since empty"
is "$(info_key . kill)" process "kill=process without kill-tree"
is "$(info_key . cgroup)" "" "no cgroup"

before=$(date +%s)
touch stop
ok "restarted after exit 3 (and ./finish)" wait_for 5 has_lines starts 2
wait_for 5 stat_is . run
wait_for 2 matches .
is "$(info_key . last_exit)" "exit 3" "last_exit=exit 3, not ./finish's 7"
at=$(info_key . last_exit_at)
ok "last_exit_at is when it ended ($at)" test "${at%%.*}" -ge "$before" -a "${at%%.*}" -le "$(date +%s)"
is "$(info_key . starts)" 2 "starts=2: ./finish is not a start"
ok "pid and since follow the new run" matches .

kill -KILL "$(tail -n 1 starts)"
ok "restarted after SIGKILL" wait_for 5 has_lines starts 3
wait_for 5 stat_is . run
wait_for 2 matches .
is "$(info_key . last_exit)" "signal 9" "last_exit=signal 9"
is "$(info_key . starts)" 3 "starts=3"

ctl . d
wait_for 5 stat_is . down
wait_for 2 matches .
is "$(info_key . pid)" 0 "down: pid=0"
ok "down: since is the status record's" matches .
is "$(info_key . last_exit)" "signal 15" "last_exit=signal 15 after d"

# A command that changes no fact of info (d again: want down already)
# rewrites nothing (tests/runsv/54); p then changes status (its paused
# byte), not info: the same info file stays.
info_ino=$(stat -c %i supervise/info) status_ino=$(stat -c %i supervise/status)
ctl . d
ctl . p
ok "d again, then p: status rewritten" wait_for 5 sh -c '[ "$(stat -c %i supervise/status)" != "$1" ]' _ "$status_ino"
is "$(stat -c %i supervise/info)" "$info_ino" "d again and p: info not rewritten (same bytes)"
ok "and it still matches the record" matches .

ok "the log service has its own info" test -f log/supervise/info
is "$(info_key log pid)" "$(cat log/supervise/pid)" "log info: the log service's pid"
ok "log info matches its status record" matches log
is "$(info_key log starts)" 1 "log info: starts=1"

ls "$S" log/supervise | grep -q '\.new$'
ok "no .new files left behind" [ $? -ne 0 ]
ctl . x
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: exit 0"
is "$(cat "$T/stderr" 2>/dev/null)" "" "nothing on stderr"
done_testing
