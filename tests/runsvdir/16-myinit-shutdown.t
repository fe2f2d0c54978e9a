#!/bin/sh
# A phusion my_init-style process no. 1 (a shell running runsvdir; on SIGTERM it stops runsvdir, runs sv -w 5 force-stop on every service and loops while sv status shows run:) ends with a service that ignores TERM KILLed about 5 s after the others (by the runsv's records), and every service process gone; the same with Debian's runsvdir, runsv and sv.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
. "$(dirname "$0")/../lib/records.sh"
need_root
unshare --fork --pid --mount --mount-proc true 2>/dev/null || skip_all "cannot create PID and mount namespaces"

# The init, given the directory holding runsvdir, runsv and sv. Like
# my_init it TERMs runsvdir first (which leaves the runsv running), then
# stops the services with sv, re-issuing the force-stop while any still
# runs; what is left is listed before it exits (its namespace ends then).
cat >"$T/init" <<'EOF'
#!/bin/sh
PATH=$1:/usr/bin:/bin
shutdown() {
	kill -TERM "$rsd"
	wait "$rsd"
	sv -w 5 force-stop /etc/service/* >"$T/stop.out" 2>&1
	echo "rc=$?" >>"$T/stop.out"
	while sv status /etc/service/* | grep -q '^run:'; do
		sleep 0.1
		sv -w 5 force-stop /etc/service/* >/dev/null 2>&1
	done
	ps -e -o args= >"$T/left"
	exit 0
}
trap shutdown TERM
runsvdir -P /etc/service &
rsd=$!
: >"$T/ready"
while :; do wait; done
EOF
chmod 755 "$T/init"

mkdir "$T/service"
mksvc "$T/service" polite 'exec sleep 1001'
mksvc "$T/service" stubborn 'trap "" TERM; exec sleep 1002'

# run BINDIR LABEL: boots the init in new PID and mount namespaces with
# $T/service on /etc/service, sends it SIGTERM once both services run.
run() {
	rm -f "$T/ready" "$T/left" "$T/stop.out"
	rm -rf "$T/service/polite/supervise" "$T/service/stubborn/supervise"
	spawn unshare --fork --pid --mount --mount-proc sh -c '
		mount --bind "$1/service" /etc/service || exit 99
		T=$1 exec "$1/init" "$2"' sh "$T" "$1"
	ns=$SPAWNED
	up() { [ "$("$1/sv" status "$T"/service/* 2>/dev/null | grep -c '^run:')" = 2 ]; }
	ok "$2: both services run" wait_for 10 up "$1"
	# Past runsv's one-second start guard, as a container that was up a
	# while (a wait: a stalled test only waits longer).
	wait_for 5 sh -c '[ $(( $(date +%s%3N) - $1 )) -ge 1000 ]' _ "$(rec_written_ms "$T/service/stubborn/supervise/stat")"
	init=$(pgrep -P "$ns" | head -n 1)
	kill -TERM "$init"
	ok "$2: the init ends" wait_exit "$ns" 30
	# How long the stop took, by the runsv's records: polite ended on the
	# force-stop's TERM, stubborn on its KILL, which sv sends after its 5 s.
	d=$(ms_between "$(rec_stamp_ms "$T/service/stubborn/supervise/status")" "$(rec_stamp_ms "$T/service/polite/supervise/status")")
	diag "$2: polite's end to stubborn's, by the runsv's records: ${d:-untold} ms"
	ok "$2: stubborn KILLed about 5 s (the force-stop's wait) after polite ended, by the runsv's records: between 4.5 and 15 s (${d:-untold} ms)" \
	    test "${d:-0}" -ge 4500 -a "${d:-0}" -le 15000
	is "$(rec_bytes "$T/service/polite/supervise/status" 19 19) $(rec_bytes "$T/service/stubborn/supervise/status" 19 19)" "00 00" "$2: both records say down"
	report=$(sed -E 's/pid [0-9]+/pid N/; s/[0-9]+s\b/Ns/' "$T/stop.out")
	is "$report" "ok: down: /etc/service/polite: Ns, normally up
kill: run: /etc/service/stubborn: (pid N) Ns, want down, got TERM
rc=1" "$2: sv's report: polite stopped, stubborn killed, exit 1"
	is "$(grep -c '^sleep 100' "$T/left")" 0 "$2: no service process left when the init exits"
}

run "$RNG_BIN" ours
ours=$report
if [ -x "$DEB_RUNSVDIR" ] && [ -x "$DEB_RUNSV" ] && [ -x "$DEB_SV" ]; then
	run /usr/bin debian
	is "$ours" "$report" "sv's report is Debian's"
else
	skip "Debian's runit not installed"
fi
done_testing
