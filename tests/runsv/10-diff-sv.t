#!/bin/sh
# Differential: Debian's sv drives Debian's runsv and ours through the same scenarios; sv status output, stat, pid and status bytes 12-19 must match (pids and seconds masked).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"
need_debian_runit

mask() { sed -E 's/\(pid [0-9]+\)/(pid P)/g; s/\) [0-9]+s/) Ns/g; s/: [0-9]+s/: Ns/g'; }

# record DIR: one masked line describing the service as sv and the files see it.
record() {
	st=$("$DEB_SV" status "$1" 2>&1; echo " rc=$?")
	pidf=missing
	[ -e "$1/supervise/pid" ] && pidf=$( [ -s "$1/supervise/pid" ] && echo set || echo empty)
	[ "$pidf" = set ] && [ "$(cat "$1/supervise/pid")" != "$(status_le_pid "$1")" ] && pidf=mismatch
	echo "$st | $(cat "$1/supervise/stat" | tr '\n' '/') | pid $pidf | $(status_hex "$1" 16 19)" | mask
}
status_le_pid() { echo $(( 0x$(od -An -tx1 -j12 -N4 "$1/supervise/status" | awk '{print $4 $3 $2 $1}') )); }
# settled DIR LINE: stat holds LINE and the status record agrees with it:
# runsv writes stat before status, and Debian's records "finish" with pid 0
# for an instant before it forks ./finish; a sample taken in such a gap
# would compare a moment, not a state.
settled() {
	stat_is "$1" "$2" || return 1
	case $2 in
	down*) [ "$(status_hex "$1" 19 19)" = 00 ] && [ "$(status_le_pid "$1")" = 0 ] ;;
	run*) [ "$(status_hex "$1" 19 19)" = 01 ] && [ "$(status_le_pid "$1")" != 0 ] ;;
	finish*) [ "$(status_hex "$1" 19 19)" = 02 ] && [ "$(status_le_pid "$1")" != 0 ] ;;
	esac
}

scenario() { # BINARY DIR
	B=$1 D=$2
	mksvc "$D" 'echo $$ >>starts
trap "echo TERM >>sigs; [ -e stubborn ] || exit 0" TERM
while :; do sleep 0.05; done'
	script "$D/finish" 'echo "finish $1 $2" >>fin; while [ -e slow ] && [ ! -e release ]; do sleep 0.05; done; rm -f release'
	start_runsv "$D" "$B"
	wait_for 5 settled "$D" run; record "$D"
	"$DEB_SV" once "$D"; echo "once rc=$?"
	wait_for 5 settled "$D" "run, want down"; record "$D"
	"$DEB_SV" pause "$D"; echo "pause rc=$?"
	wait_for 5 settled "$D" "run, paused, want down"; record "$D"
	"$DEB_SV" cont "$D"; echo "cont rc=$?"
	wait_for 5 settled "$D" "run, want down"; record "$D"
	"$DEB_SV" up "$D"; echo "up rc=$?"
	wait_for 5 settled "$D" "run"; record "$D"
	touch "$D/stubborn"
	"$DEB_SV" -w 1 down "$D" >"$D.out"; echo "down rc=$?"; mask <"$D.out"
	wait_for 5 settled "$D" "run, got TERM, want down"; record "$D"
	touch "$D/slow"
	"$DEB_SV" kill "$D"; echo "kill rc=$?"
	wait_for 5 settled "$D" "finish, want down"; record "$D"
	cat "$D/fin"
	touch "$D/release"
	wait_for 5 settled "$D" "down"; record "$D"
	rm -f "$D/slow"
	"$DEB_SV" -w 3 up "$D" >"$D.out"; echo "sv -w up rc=$?"; mask <"$D.out"
	wait_for 5 settled "$D" "run"; record "$D"
	rm -f "$D/stubborn"
	"$DEB_SV" -w 3 restart "$D" >"$D.out"; echo "restart rc=$?"; mask <"$D.out"
	wait_for 5 settled "$D" "run"; record "$D"
	touch "$D/slow"
	"$DEB_SV" exit "$D"; echo "exit rc=$?"
	wait_for 5 settled "$D" "finish, want exit"; record "$D"
	touch "$D/release"
	wait_exit "$RPID" 5; echo "runsv rc=$EXITCODE"
	record "$D"
	echo "starts $(lines "$D/starts") sigs $(tr '\n' ' ' <"$D/sigs")"
}

ours=$(scenario "$RUNSV" "$T/ours" 2>&1)
theirs=$(scenario "$DEB_RUNSV" "$T/deb" 2>&1)
is "$(echo "$ours" | sed "s|$T/ours|S|g")" "$(echo "$theirs" | sed "s|$T/deb|S|g")" "sv-driven scenario matches Debian's runsv"
[ -z "${RNG_VERBOSE:-}" ] || echo "$ours" | sed "s/^/# /"

# runit_files DIR: the files of DIR that runit knows (runit-ng's own, like info, left out).
runit_files() { ls "$1" | grep -vx -e info -e notify | tr '\n' ' '; echo; }

logscen() { # BINARY DIR: log/down (D-runsv-10), then the log started and exit with log (D-runsv-15)
	B=$1 D=$2
	mksvc "$D" 'echo hello; exec sleep 100'
	mkdir "$D/log"
	script "$D/log/run" 'exec cat >out'
	touch "$D/log/down"
	start_runsv "$D" "$B"
	wait_for 5 settled "$D" run
	record "$D"
	runit_files "$D/log/supervise"
	"$DEB_SV" status "$D/log" | mask
	"$DEB_SV" up "$D/log"; echo "up log rc=$?"
	wait_for 5 settled "$D/log" run
	runit_files "$D/log/supervise"
	record "$D"
	"$DEB_SV" exit "$D"; echo "exit rc=$?"
	wait_exit "$RPID" 5; echo "runsv rc=$EXITCODE"
	"$DEB_SV" status "$D"; echo "status rc=$?"
	cat "$D/log/out"
	cat "$D/log/supervise/stat"
}
ours=$(logscen "$RUNSV" "$T/lo" 2>&1)
theirs=$(logscen "$DEB_RUNSV" "$T/ld" 2>&1)
is "$(echo "$ours" | sed "s|$T/lo|S|g")" "$(echo "$theirs" | sed "s|$T/ld|S|g")" "log/down and exit with a log service match Debian's runsv"
done_testing
