#!/bin/sh
# notify survives renames, under runsvdir (which keeps the same runsv): after mv of the service directory, and of the directory above it, the running ./run still reaches runsv (STATUS=), and every later ./run becomes ready (sv -w 8 restart: ok); Debian's sv restarts, ours waits for readiness.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
command -v systemd-notify >/dev/null || skip_all "systemd-notify missing"
if [ -x "$DEB_SV" ]; then SVD=$DEB_SV; else SVD=$SV; fi

info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
is_ready() { [ -n "$(info_key "$1" ready_since)" ]; }
status_is() { [ "$(info_key "$1" status_text)" = "$2" ]; }

# Ready half a second after each start; STATUS=go-N when told to (file go).
mkdir -p "$T/top/sv"
mksvc "$T/top/sv/a" 'echo $$ >>starts
sleep 0.5
systemd-notify --ready
n=0
while :; do
	if [ -e go ]; then n=$((n + 1)); rm -f go; systemd-notify --status=go-$n; fi
	sleep 0.05
done'
touch "$T/top/sv/a/notify"
cd "$T" || exit 1
spawn env --default-signal "$RNG_BIN/runsvdir" "$T/top/sv" 2>>"$T/stderr"
RDPID=$SPAWNED
ok "ready under runsvdir" wait_for 10 is_ready top/sv/a
rpid=$(cat top/sv/a/supervise/pid) # ./run's pid; runsv's is its parent
runsv=$(awk '{print $4}' "/proc/$rpid/stat")

# The service directory renamed: runsvdir keeps its runsv.
mv top/sv/a "$T/top/sv/b"
touch top/sv/b/go
ok "renamed: the running ./run still reaches runsv (STATUS=)" wait_for 5 status_is top/sv/b go-1
ok "Debian's sv restarts it" sh -c '"$1" -w 8 restart "$2" >/dev/null' sh "$SVD" "$T/top/sv/b"
ok "the new ./run becomes ready" wait_for 8 is_ready "$T/top/sv/b"
like "$("$SV" -w 8 restart "$T/top/sv/b")" "^ok: run: $T/top/sv/b: " "sv -w 8 restart waits for readiness: ok"
is "$(awk '{print $4}' "/proc/$(cat top/sv/b/supervise/pid)/stat")" "$runsv" "the same runsv all along"

# A directory above renamed (runsvdir's own, and the one above it).
mv top top2
touch top2/sv/b/go
ok "parent renamed: STATUS= still arrives" wait_for 5 status_is top2/sv/b go-1
like "$("$SV" -w 8 restart "$T/top2/sv/b")" "^ok: run: $T/top2/sv/b: " "and sv -w 8 restart: ok"
touch top2/sv/b/go
ok "after the restart too" wait_for 5 status_is top2/sv/b go-1
is "$(lines top2/sv/b/starts)" 4 "four starts, each one ready"
kill -HUP "$RDPID"
wait_exit "$RDPID" 10
done_testing
