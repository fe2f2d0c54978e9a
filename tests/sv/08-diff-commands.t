#!/bin/sh
# Our sv and Debian's sv driving the same Debian runsv: identical stdout, stderr and exit codes for a matrix of commands and states (pids and ages masked).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
need_debian_runit

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
service s1
service s2; touch s2/down
service s5; with_log s5
service st 'trap "" TERM HUP; exec sleep 1000'
service s4
mkdir -p ld; ln -s "$DEB_SV" ld/s5; ln -s "$DEB_SV" ld/s2; mkdir -p lo; ln -s "$SV" lo/s5; ln -s "$SV" lo/s2
for s in s1 s2 s5 st s4; do up "$DEB_RUNSV" "$T/$s"; done
ok "s5 and its log run" wait_for 5 sh -c 'is_state() { case "$(cat "$1/supervise/stat")" in run*) ;; *) return 1;; esac; }; is_state s5 && is_state s5/log && is_state s1 && is_state st'
"$SV" exit s4 >/dev/null
ok "s4's runsv is gone" wait_for 5 sh -c '"$1" status s4 | grep -qs "runsv not running"' _ "$SV"

# pair [-r RESET] ARGS...: Debian's sv, then ours, from the same state
pair() {
	_reset=
	if [ "$1" = -r ]; then _reset=$2; shift 2; fi
	[ -z "$_reset" ] || eval "$_reset" >/dev/null 2>&1
	_deb=$("$DEB_SV" "$@" 2>&1; echo "rc=$?")
	[ -z "$_reset" ] || eval "$_reset" >/dev/null 2>&1
	_ours=$("$SV" "$@" 2>&1; echo "rc=$?")
	is "$(printf '%s\n' "$_ours" | mask)" "$(printf '%s\n' "$_deb" | mask)" "sv $*"
}
# lsb NAME ARGS...: the same through init-script symlinks
lsb() {
	_n=$1; shift
	_deb=$("ld/$_n" "$@" 2>&1; echo "rc=$?")
	_ours=$("lo/$_n" "$@" 2>&1; echo "rc=$?")
	is "$(printf '%s\n' "$_ours" | mask)" "$(printf '%s\n' "$_deb" | mask)" "LSB $_n $*"
}

pair status s1 s2 s5 st s4 nonexist
pair status ./s1 s1/ "$T/s5" ''
pair s s1
pair stopx s1
pair -v up s1
pair up s1 nonexist s4
pair -v hup st
pair reload st
pair -w 1 down s2
pair -w 2 start s2
pair -v pause s2
pair -v cont s2
pair -w 2 stop s2
pair -w 1 force-reload s2
pair -r '"$SV" -w 3 up s2' -v once s2
pair -r '"$SV" -w 3 down s2' -w 1 force-restart s2
pair -w 3 up s2
pair -w 1 try-restart st
pair -r '"$SV" -w 5 up st' -w 1 force-stop st
pair -r '"$SV" -w 3 up st' -w 0 down st
pair -w 1 exit s5/log
pair -w 1 check s1
pair -w 1 up s4
pair -w 1 exit s4
pair -w 1 force-shutdown s4
pair -w 1 X s4
pair -x up s1
_deb=$("$DEB_SV" -V 2>&1 | sed 1d; echo "rc=$?"); _ours=$("$SV" -V 2>&1 | sed 1d; echo "rc=$?")
is "$_ours" "$_deb" "sv -V (version line aside)"
pair bogus s1
lsb s5 status
lsb s2 status
lsb s2 -w 2 start
lsb s2 -w 2 stop
lsb s5 stat
lsb s5
done_testing
