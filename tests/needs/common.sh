# tests/needs/common.sh: service trees with needs and oneshots, and what their supervise/ files say (sourced after tap.sh).
SV=$RNG_BIN/sv

# script FILE BODY: an executable /bin/sh script.
script() { printf '#!/bin/sh\n%s\n' "$2" >"$1" && chmod 755 "$1"; }
# mksvc DIR RUN-BODY: a service directory with an executable run script.
mksvc() { mkdir -p "$1" && script "$1/run" "$2"; }
# needs DIR NAME...: DIR/needs names them, one a line.
needs() { _d=$1; shift; printf '%s\n' "$@" >"$_d/needs"; }
# alive DIR: a runsv holds DIR/supervise/ok (an existing FIFO only).
alive() { [ -p "$1/supervise/ok" ] && timeout 0.5 sh -c ': >"$1"' sh "$1/supervise/ok" 2>/dev/null; }
dead() { ! alive "$1"; }
# start_runsv DIR: spawn our runsv (stderr to $T/stderr); RPID is its pid.
start_runsv() {
	spawn env --default-signal "$RNG_BIN/runsv" "$1" 2>>"$T/stderr"
	RPID=$SPAWNED
	wait_for 5 alive "$1"
}
# info_has DIR KEY=VALUE: DIR/supervise/info holds that line.
info_has() { grep -qxF -- "$2" "$1/supervise/info" 2>/dev/null; }
# info_get DIR KEY: the value of KEY in DIR/supervise/info.
info_get() { sed -n "s/^$2=//p" "$1/supervise/info" 2>/dev/null; }
# json DIR: our sv's JSON status line of DIR.
json() { "$SV" -o json status "$1" 2>&1; }
json_has() { json "$1" | grep -qF -- "$2"; }
# stat_is DIR WORD: supervise/stat says WORD first.
stat_is() { [ "$(cut -d, -f1 "$1/supervise/stat" 2>/dev/null)" = "$2" ]; }
# ctl DIR BYTES: command bytes to DIR/supervise/control.
ctl() { timeout 2 sh -c 'printf %s "$1" >"$2"' sh "$2" "$1/supervise/control"; }
# runsv_pid DIR: the runsv supervising DIR (the holder of its lock).
runsv_pid() { pgrep -f "^runsv $(basename "$1")\$" -P "${2:-1}" 2>/dev/null | head -n 1; }
# idle_switches PID SECONDS: its voluntary context switches over SECONDS.
idle_switches() {
	[ -n "$1" ] && [ -e "/proc/$1/status" ] || { echo "no such process: '$1'"; return; }
	_a=$(voluntary_switches "$1"); sleep "$2"; _b=$(voluntary_switches "$1")
	echo $((_b - _a))
}
# stamp: the service's own clock reading, ns.
STAMP='date +%s%N'
