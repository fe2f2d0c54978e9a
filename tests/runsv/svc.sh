# tests/runsv/svc.sh: service-directory helpers shared by the runsv tests (sourced after tap.sh).
RUNSV=$RNG_BIN/runsv
# Tests of runsv itself drive it with our sv once it is built.
if [ -x "$RNG_BIN/sv" ]; then SV=$RNG_BIN/sv; else SV=$DEB_SV; fi

# script FILE BODY: an executable /bin/sh script.
script() { printf '#!/bin/sh\n%s\n' "$2" >"$1" && chmod 755 "$1"; }

# mksvc DIR RUN-BODY: a service directory with an executable run script.
mksvc() { mkdir -p "$1" && script "$1/run" "$2"; }

# alive DIR: a runsv holds DIR/supervise/ok open for reading. Only an
# existing FIFO is opened: ': >' on a name runsv has not made yet would
# create a regular file, which runsv then takes as its ok and which
# "answers" for ever after runsv is gone.
alive() { [ -p "$1/supervise/ok" ] && timeout 0.5 sh -c ': >"$1"' sh "$1/supervise/ok" 2>/dev/null; }

# start_runsv DIR [BINARY]: spawn runsv (stderr to $T/stderr); RPID is its pid.
start_runsv() {
	# Background jobs of sh start with INT and QUIT ignored; services must not.
	spawn env --default-signal "${2:-$RUNSV}" "$1" 2>>"$T/stderr"
	RPID=$SPAWNED
	wait_for 5 alive "$1"
}

# ctl DIR BYTES [SLOT-DIR]: write command bytes to DIR/supervise/control.
ctl() { timeout 2 sh -c 'printf %s "$1" >"$2"' sh "$2" "$1/supervise/control"; }

# stat_is DIR LINE: DIR/supervise/stat holds exactly LINE.
stat_is() { [ "$(cat "$1/supervise/stat" 2>/dev/null)" = "$2" ]; }

# status_hex DIR FIRST LAST: bytes FIRST..LAST of the status record, as "xx xx".
status_hex() {
	od -An -tx1 -j "$2" -N $(($3 - $2 + 1)) "$1/supervise/status" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# lines FILE: number of lines in FILE (0 if missing).
lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }

# has_lines FILE N: FILE has at least N lines.
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }

# running PID: the process has not ended. A zombie has ended: only its
# parent has not looked yet (process no. 1 may never). /proc/PID/stat is
# read once: a check in two steps (it exists, then it is not a zombie)
# takes a zombie reaped between the two for a running process.
running() {
	_state=$(sed -n 's/^.*) \(.\) .*$/\1/p' "/proc/$1/stat" 2>/dev/null)
	case $_state in ""|Z|X) return 1 ;; esac
}
ended() { ! running "$1"; }

# dead DIR: no runsv holds DIR/supervise/ok.
dead() { ! alive "$1"; }

# bytes_are DIR FIRST LAST HEX: status bytes FIRST..LAST are HEX. runsv writes
# stat before status: after waiting on stat, wait on the bytes too.
bytes_are() { [ "$(status_hex "$1" "$2" "$3")" = "$4" ]; }

# kill_left SIG PID...: signals each PID that is still a process of this
# test (its working directory inside $T), never a stranger that was given
# the pid after ours ended.
kill_left() {
	_sig=$1
	shift
	for _p in "$@"; do
		case "$(readlink "/proc/$_p/cwd" 2>/dev/null)" in
		"$T"/*) kill "-$_sig" "$_p" 2>/dev/null ;;
		esac
	done
}
