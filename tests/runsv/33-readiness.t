#!/bin/sh
# Readiness, runsv's side (the log service's too): notification-fd and notify set ready_since in supervise/info only (status bytes untouched), it is cleared when ./run exits; STATUS=, RELOADING=1, MAINPID= (own tree only) and foreign senders; a bad notification-fd is warned about; a ./run under chpst -u reaches the socket through the runtime directory only; a long path through /proc/PID/cwd.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"

info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
is_ready() { [ -n "$(info_key "$1" ready_since)" ]; }
hexdump() { od -An -tx1 "$1" | tr -d ' \n'; }

# notification-fd: fd 3 is a pipe; ready after the newline, not before.
mksvc "$T/f" 'readlink /proc/$$/fd/3 >fd3
while [ ! -e go ]; do sleep 0.02; done
echo >&3
exec sleep 1000'
echo 3 >"$T/f/notification-fd"
cd "$T/f" || exit 1
start_runsv "$T/f"
wait_for 5 test -s fd3
like "$(cat fd3)" "^pipe:" "notification-fd: ./run has a pipe on fd 3"
is "$(info_key . readiness)" fd "info: readiness=fd"
is "$(info_key . ready_since)" "" "not ready before the newline"
before=$(hexdump supervise/status)
t0=$(date +%s)
touch go
ok "ready after the newline" wait_for 5 is_ready .
since=$(info_key . ready_since)
ok "ready_since is now ($since)" test "${since%%.*}" -ge "$t0" -a "${since%%.*}" -le "$(date +%s)"
is "$(hexdump supervise/status)" "$before" "readiness leaves the 20 status bytes as they were"
is "$(cat supervise/stat)" run "and stat"
if [ -x "$DEB_SV" ]; then
	like "$("$DEB_SV" status .)" "^run: \.: \(pid [0-9]+\) [0-9]+s$" "Debian's sv reads the ready service as run"
else
	skip "Debian's sv missing"
fi
rm go
kill "$(cat supervise/pid)"
ok "ready_since cleared when ./run exits" wait_for 5 sh -c "[ \"\$(sed -n 's/^last_exit=//p' supervise/info)\" = 'signal 15' ]"
is "$(info_key . ready_since)" "" "the new run is not ready"
touch go
ok "until it says so" wait_for 5 is_ready .
"$SV" x . >/dev/null
wait_exit "$RPID" 5

# A notification-fd that is no fd >= 3: warned, ignored.
echo 2 >notification-fd
start_runsv "$T/f"
ok "bad notification-fd: a warning" wait_for 5 grep -qs "ignoring notification-fd" "$T/stderr"
like "$(grep -m1 'notification-fd' "$T/stderr")" "^runsv $T/f: warning: ignoring notification-fd: " "in runit's shape"
wait_for 5 stat_is . run
is "$(info_key . readiness)" none "ignored: readiness=none"
"$SV" x . >/dev/null
wait_exit "$RPID" 5

# notify: the socket, NOTIFY_SOCKET, READY=1 and STATUS= through systemd-notify.
mksvc "$T/n" 'echo "$NOTIFY_SOCKET" >sock
while [ ! -e go ]; do sleep 0.02; done
systemd-notify --ready --status="listening on :80"
while [ ! -e reload ]; do sleep 0.02; done
systemd-notify RELOADING=1
while [ ! -e reloaded ]; do sleep 0.02; done
systemd-notify --ready
exec sleep 1000'
touch "$T/n/notify"
cd "$T/n" || exit 1
start_runsv "$T/n"
wait_for 5 test -s sock
is "$(cat sock)" "/proc/$RPID/cwd/supervise/notify" "NOTIFY_SOCKET is supervise/notify through runsv's /proc/PID/cwd"
ok "supervise/notify is a socket" test -S supervise/notify
is "$(info_key . readiness)" notify "info: readiness=notify"
# A READY=1 from outside the service: ignored, and told once.
NOTIFY_SOCKET=$(cat sock) timeout 5 systemd-notify --ready --status=intruder
# (The refusal is told once runsv has read the datagram: after it, nothing more comes of it.)
ok "READY=1 from outside the service: refused" wait_for 5 grep -qs "sender not in the service" "$T/stderr"
like "$(grep -m1 'notify' "$T/stderr")" "^runsv $T/n: warning: supervise/notify: sender not in the service$" "told on stderr"
is "$(info_key . ready_since)" "" "READY=1 from outside the service is ignored"
is "$(info_key . status_text)" "" "and its STATUS= too"
touch go
ok "READY=1 from ./run's tree: ready" wait_for 5 is_ready .
is "$(info_key . status_text)" "listening on :80" "STATUS= text in info"
touch reload
ok "RELOADING=1: not ready" wait_for 5 sh -c "[ -z \"\$(sed -n 's/^ready_since=//p' supervise/info)\" ]"
touch reloaded
ok "READY=1 again: ready" wait_for 5 is_ready .

# STOPPING=1 while it is being stopped: not ready any more, though it runs on.
"$SV" x . >/dev/null
wait_exit "$RPID" 5
mksvc "$T/n" 'trap "systemd-notify STOPPING=1" TERM
systemd-notify --ready
while :; do sleep 0.05; done'
start_runsv "$T/n"
ok "ready" wait_for 5 is_ready .
"$SV" d . >/dev/null
ok "STOPPING=1 while stopping: not ready" wait_for 5 sh -c "[ -z \"\$(sed -n 's/^ready_since=//p' supervise/info)\" ]"
is "$(cat supervise/stat)" "run, got TERM, want down" "while it still runs"
"$SV" k . >/dev/null
wait_for 5 stat_is . "down"

# MAINPID: a foreign pid is refused; one in ./run's tree is taken, and gets sv hup.
"$SV" x . >/dev/null
wait_exit "$RPID" 5
rm -f go reload reloaded
mksvc "$T/n" 'sh -c "trap \"echo HUP >>main.sigs\" HUP; echo \$\$ >main.pid; while :; do sleep 0.05; done" &
while [ ! -s main.pid ]; do sleep 0.02; done
systemd-notify MAINPID=1
systemd-notify --ready --pid="$(cat main.pid)"
wait'
rm -f main.pid main.sigs
start_runsv "$T/n"
ok "MAINPID from the tree: taken" wait_for 5 sh -c "[ -s main.pid ] && [ \"\$(sed -n 's/^main_pid=//p' supervise/info)\" = \"\$(cat main.pid)\" ]"
like "$(grep 'MAINPID' "$T/stderr")" "supervise/notify: MAINPID not in the service$" "MAINPID=1 (not in the tree) refused and told"
"$SV" hup . >/dev/null
ok "sv hup reaches the MAINPID process" wait_for 5 grep -qs HUP main.sigs
kill "$(cat main.pid)"
ok "main_pid cleared when that process ends" wait_for 5 sh -c "[ -z \"\$(sed -n 's/^main_pid=//p' supervise/info)\" ]"
"$SV" x . >/dev/null
wait_exit "$RPID" 5
ok "supervise/notify removed when runsv exits" test ! -e supervise/notify

# A ./run that gives up root (chpst -u) cannot look into runsv's /proc
# entry: it reaches the socket only through the runtime directory, when
# the system made one (here in a private mount namespace, on a private /run).
chmod 711 "$T"
mksvc "$T/u" 'echo "$NOTIFY_SOCKET" >out/sock; exec chpst -u nobody sh -c "systemd-notify --ready || echo refused >>out/notify.err; exec sleep 1000"'
touch "$T/u/notify"
mkdir -m 777 "$T/u/out"
chmod 755 "$T/u"
start_runsv "$T/u"
ok "as nobody, without a runtime directory: refused" wait_for 5 test -s "$T/u/out/notify.err"
is "$(info_key "$T/u" ready_since)" "" "and not ready"
"$SV" x "$T/u" >/dev/null
wait_exit "$RPID" 5
if unshare --mount true 2>/dev/null; then
	: >"$T/u/out/sock"
	spawn unshare --mount sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/runit-ng/notify &&
	    exec env --default-signal "$1" "$2"' sh "$RUNSV" "$T/u" 2>>"$T/stderr"
	RPID=$SPAWNED
	ok "with /run/runit-ng/notify: ready as nobody" wait_for 5 is_ready "$T/u"
	like "$(cat "$T/u/out/sock")" "^/run/runit-ng/notify/[0-9a-f]+\.[0-9a-f]+$" "NOTIFY_SOCKET is in the runtime directory"
	"$SV" x "$T/u" >/dev/null
	wait_exit "$RPID" 5
else
	skip "no mount namespaces"; skip "no mount namespaces"
fi

# A service directory whose path does not fit sun_path: bound relative to
# it, named through /proc/PID/cwd (never an abstract name).
long=$T/$(printf 'd%.0s' $(seq 1 90))
mksvc "$long" 'echo "$NOTIFY_SOCKET" >sock; systemd-notify --ready; exec sleep 1000'
touch "$long/notify"
start_runsv "$long"
wait_for 5 test -s "$long/sock"
is "$(cat "$long/sock")" "/proc/$RPID/cwd/supervise/notify" "a long path: /proc/PID/cwd/supervise/notify"
ok "readiness through it" wait_for 5 is_ready "$long"
"$SV" x "$long" >/dev/null
wait_exit "$RPID" 5

# The log service reads the same files in log/: notification-fd, then notify.
mksvc "$T/l" 'exec sleep 1000'
mkdir "$T/l/log"
script "$T/l/log/run" 'readlink /proc/$$/fd/3 >fd3; echo >&3; exec 3>&-; exec cat >/dev/null'
echo 3 >"$T/l/log/notification-fd"
start_runsv "$T/l"
ok "log/notification-fd: log/run has a pipe on fd 3" wait_for 5 grep -qs "^pipe:" "$T/l/log/fd3"
is "$(info_key "$T/l/log" readiness)" fd "log/supervise/info: readiness=fd"
ok "the log service becomes ready" wait_for 5 is_ready "$T/l/log"
like "$("$SV" -w 5 start "$T/l/log")" "^ok: run: $T/l/log: " "sv -w 5 start log: ok"
is "$(info_key "$T/l" readiness)" none "the main service's readiness is its own"
"$SV" x "$T/l" >/dev/null
wait_exit "$RPID" 5
rm "$T/l/log/notification-fd"
touch "$T/l/log/notify"
script "$T/l/log/run" 'echo "$NOTIFY_SOCKET" >sock; systemd-notify --ready --status=logging; exec cat >/dev/null'
start_runsv "$T/l"
wait_for 5 test -s "$T/l/log/sock"
is "$(cat "$T/l/log/sock")" "/proc/$RPID/cwd/log/supervise/notify" "log/notify: NOTIFY_SOCKET is log/supervise/notify, through /proc/PID/cwd"
ok "the log service becomes ready through it" wait_for 5 is_ready "$T/l/log"
is "$(info_key "$T/l/log" status_text)" logging "its STATUS= text in log/supervise/info"
"$SV" x "$T/l" >/dev/null
wait_exit "$RPID" 5
done_testing
