#!/bin/sh
# kill-tree: with a cgroup, sv down leaves nothing behind (double forks and setsid included), the service is down only once its cgroup is empty, what ./run leaves when it exits is stopped before the restart, and a previous runsv's leftovers are stopped first (x meanwhile leaves them); "pgrp" forces a process group, which takes the children in the group but not a setsid; without the file, runit's behaviour.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
. "$(dirname "$0")/../lib/records.sh"
need_root

info_key() { sed -n "s/^$2=//p" "$1/supervise/info"; }
alive_pids() { for p in "$@"; do running "$p" && echo "$p"; done; }
none_alive() { [ -z "$(alive_pids "$@")" ]; }
# The daemon-like ./run: a setsid'd sleep, a double fork, then exec; each
# writes its pid to its own file, and a line to pids.
DAEMONS='setsid sh -c "echo \$\$ >setsid.pid; echo \$\$ >>pids; exec sleep 1000" &
sh -c "sh -c \"echo \\\$\$ >fork.pid; echo \\\$\$ >>pids; exec sleep 1000\" &"
echo $$ >run.pid
echo $$ >>pids
exec sleep 1000'
if [ -x "$DEB_SV" ]; then DSV=$DEB_SV; else DSV=$SV; fi
cgroups=0
awk '$9 == "cgroup2" && $6 ~ /^rw/' /proc/self/mountinfo | grep -q . && cgroups=1

# Without kill-tree: the daemons outlive sv down, as under runit.
mksvc "$T/n" "$DAEMONS"
start_runsv "$T/n"
wait_for 5 has_lines "$T/n/pids" 3
"$DSV" -w 5 down "$T/n" >/dev/null
wait_for 5 stat_is "$T/n" down
is "$(alive_pids $(cat "$T/n/pids") | wc -l)" 2 "no kill-tree: the two daemons survive sv down (runit)"
is "$(info_key "$T/n" kill)" process "info: kill=process"
kill_left TERM $(cat "$T/n/pids")
"$SV" x "$T/n" >/dev/null

if [ "$cgroups" = 1 ]; then
	# kill-tree with a cgroup: everything goes.
	mksvc "$T/c" "$DAEMONS"
	touch "$T/c/kill-tree"
	cd "$T/c" || exit 1
	start_runsv "$T/c"
	wait_for 5 has_lines pids 3
	is "$(info_key . kill)" cgroup "info: kill=cgroup"
	cg=$(info_key . cgroup)
	ok "the cgroup exists ($cg)" test -f "$cg/cgroup.procs"
	is "$(sort -n "$cg/cgroup.procs" | tr '\n' ' ')" "$(sort -n pids | tr '\n' ' ')" "./run and both daemons are in it"
	like "$(grep '^0::' /proc/"$(head -n 1 pids)"/cgroup)" "@" "the setsid'd one too, by /proc/PID/cgroup"
	out=$("$DSV" -w 5 down .)
	is "$?" 0 "sv -w 5 down: exit 0"
	like "$out" "^ok: down: " "ok: down"
	ok "nothing is left" none_alive $(cat pids)
	is "$(cat "$cg/cgroup.procs")" "" "the cgroup is empty"

	# Down only once the cgroup is empty: a daemon that ignores TERM holds it.
	: >pids
	script run 'sh -c "trap \"\" TERM; echo \$\$ >>pids; exec sleep 1000" &
	echo $$ >run.pid
	echo $$ >>pids
	exec sleep 1000'
	echo 600 >timeout-kill
	"$DSV" up .
	wait_for 5 has_lines pids 2
	# how long: runsv's records (stop_ms), from its got TERM record to its down record
	stop_begin . "64 01 01" "$DSV" d .
	ok "./run ends at once" wait_for 5 ended "$(cat run.pid)"
	is "$(cat supervise/stat)" "run, got TERM, want down" "but the service is not down: run, got TERM"
	like "$("$DSV" status .)" "^run: \.: \(pid [0-9]+\) [0-9]+s, want down, got TERM$" "sv status says so"
	ok "down once the cgroup is empty" wait_for 5 stat_is . down
	stop_end .
	ok "that took timeout-kill, by runsv's records (${STOP_MS:-untold} ms)" test "${STOP_MS:-0}" -ge $((600 - STOP_SLACK_MS))
	ok "the TERM-ignoring daemon was KILLed" none_alive $(cat pids)
	like "$(grep -m1 'processes of' "$T/stderr")" "^runsv $T/c: warning: processes of \./run still run after timeout-kill, sending KILL$" "told on stderr"

	# ./run exits by itself: what it left gets TERM, then ./run starts again.
	: >pids
	script run 'sh -c "trap \"echo TERM >>got; exit 0\" TERM; echo \$\$ >>pids; while :; do sleep 0.05; done" &
	echo $$ >>pids
	sleep 0.3
	exit 0'
	"$DSV" up .
	ok "./run starts again" wait_for 5 has_lines pids 3
	ok "after what it left got TERM" grep -q TERM got
	ok "and was gone" none_alive $(sed -n 1,2p pids)
	like "$(grep -m1 'left processes' "$T/stderr")" "^runsv $T/c: warning: \./run exited and left processes, stopping them \(kill-tree\)$" "told on stderr"
	"$DSV" -w 5 down . >/dev/null

	# A runsv killed outright leaves its service in the cgroup: the next one
	# stops those processes before it starts ./run.
	: >pids
	script run 'echo $$ >>pids; exec sleep 1000'
	"$DSV" up .
	wait_for 5 has_lines pids 1
	old=$(cat pids)
	kill -KILL "$RPID"
	wait "$RPID" 2>/dev/null
	ok "the old ./run outlived its runsv" running "$old"
	start_runsv "$T/c"
	ok "a new ./run starts" wait_for 5 has_lines pids 2
	ok "the old one was stopped first" none_alive "$old"
	like "$(grep -m1 'left in' "$T/stderr")" "^runsv $T/c: warning: stopping the processes left in $cg before \./run starts$" "told on stderr"
	"$DSV" x . >/dev/null
	wait_exit "$RPID" 5
	is "$EXITCODE" 0 "x: exit 0"
	ok "the cgroup is removed when runsv exits" test ! -e "$cg"

	# Old processes that ignore TERM, no timeout-kill: x still ends the
	# new runsv at once, and it leaves them as it found them.
	rm -f timeout-kill
	: >pids
	script run 'trap "" TERM; echo $$ >>pids; exec sleep 1000'
	start_runsv "$T/c"
	wait_for 5 has_lines pids 1
	old=$(cat pids)
	kill -KILL "$RPID"
	wait "$RPID" 2>/dev/null
	start_runsv "$T/c"
	ok "the new runsv stops the old processes first" wait_for 5 sh -c "[ \$(grep -c 'left in' '$T/stderr') = 2 ]"
	EXITCODE=none
	"$DSV" x . >/dev/null
	wait_exit "$RPID" 5
	is "$EXITCODE" 0 "x while they ignore TERM: runsv exits 0 at once"
	ok "and leaves them running" running "$old"
	kill -KILL "$old"
	ok "the cgroup can go once they are gone" wait_for 5 sh -c "rmdir '$cg' 2>/dev/null"
else
	skip "no writable cgroup2 mount"
fi

# kill-tree "pgrp": the group goes; a setsid escapes it (only a cgroup catches that).
mksvc "$T/p" "$DAEMONS"
echo pgrp >"$T/p/kill-tree"
cd "$T/p" || exit 1
start_runsv "$T/p"
wait_for 5 has_lines pids 3
is "$(info_key . kill)" pgrp "info: kill=pgrp"
is "$(info_key . cgroup)" "" "no cgroup"
wait_for 5 test -s fork.pid -a -s setsid.pid
runpid=$(cat run.pid) setsidpid=$(cat setsid.pid) forked=$(cat fork.pid)
is "$(ps -o pgid= -p "$forked" | tr -d ' ')" "$runpid" "./run leads a process group of its own, and the double fork stays in it"
out=$("$DSV" -w 5 down .)
like "$out" "^ok: down: " "sv -w 5 down: ok"
ok "./run and the double-forked daemon are gone" none_alive "$runpid" "$forked"
ok "the setsid'd daemon escaped the group (documented)" running "$setsidpid"
kill "$setsidpid"
"$SV" x . >/dev/null
wait_exit "$RPID" 5
is "$EXITCODE" 0 "x: exit 0"
done_testing
