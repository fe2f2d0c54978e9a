#!/bin/sh
# No squattable name: user nobody binds the abstract name an older runsv chose for a long service path first; the service (ready 2 s after start) is still reported ready only when it says so (Debian's sv starts it, ours waits). A socket that cannot be made leaves the service not ready: readiness_error in supervise/info and sv's JSON, and a warning on stderr.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_root
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"
command -v python3 >/dev/null || skip_all "python3 missing"
getent passwd nobody >/dev/null || skip_all "needs the account nobody"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi
info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }

long=$T/$(printf 'd%.0s' $(seq 1 90))
mksvc "$long" 'sleep 2; systemd-notify --ready; exec sleep 1000'
touch "$long/notify" "$long/down"
mkdir -m 700 "$long/supervise"
name=$(printf 'runit-ng/notify/%x.%x' "$(stat -c %d "$long/supervise")" "$(stat -c %i "$long/supervise")")
# The squatter: nobody holds the abstract name for as long as the test runs.
chmod 711 "$T"
mkdir -m 777 "$T/sq"
spawn setpriv --reuid nobody --regid nogroup --clear-groups python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
open(sys.argv[2], "w").write("bound\n")
time.sleep(1000)' "$name" "$T/sq/bound"
wait_for 5 test -s "$T/sq/bound"
ok "nobody holds @$name" grep -q "@$name" /proc/net/unix
start_runsv "$long"
"$SVD" up "$long" >/dev/null
like "$("$SV" -w 8 start "$long")" "^ok: run: $long: " "sv -w 8 start: ok"
is "$(info_key "$long" readiness)" notify "readiness=notify"
since=$(info_key "$long" since) ready=$(info_key "$long" ready_since)
ok "ready only when the service said so: $since -> $ready (2 s)" \
    awk -v a="$since" -v b="$ready" 'BEGIN { exit !(b != "" && b - a >= 1.9) }'
"$SV" x "$long" >/dev/null
wait_exit "$RPID" 5

# The socket cannot be made (a directory where it goes): never ready, and said so.
mksvc "$T/e" 'exec sleep 1000'
touch "$T/e/notify"
mkdir -p "$T/e/supervise/notify/x"
start_runsv "$T/e"
wait_for 5 stat_is "$T/e" run
out=$("$SV" -w 2 start "$T/e")
is "$? $(echo "$out" | cut -d: -f1)" "1 timeout" "sv -w 2 start: timeout, not ok"
is "$(info_key "$T/e" readiness)" notify "readiness=notify"
is "$(info_key "$T/e" ready_since)" "" "not ready"
like "$(info_key "$T/e" readiness_error)" "^unable to create the notify socket: " "info: readiness_error says why"
like "$("$SV" -o json status "$T/e")" '"readiness_error":"unable to create the notify socket: [^"]+"' "sv's JSON: readiness_error"
like "$(grep -m1 'notify socket' "$T/stderr")" "^runsv $T/e: warning: unable to create the notify socket for \./run, it stays not ready: " "a warning on stderr"
"$SV" x "$T/e" >/dev/null
wait_exit "$RPID" 5
done_testing
