# tests/sv/helpers.sh: fake supervise/ directories and small service trees shared by the sv tests.

# record AGE PID PAUSED WANT TERM STATE [EXTRA]: a 20-byte status record (more with EXTRA) on stdout.
record() {
	perl -e 'my ($age, $pid, $p, $w, $t, $s, $x) = @ARGV;
		print pack("Q>NVCa1CC", (1 << 62) + 10 + time - $age, 500, $pid, $p, $w, $t, $s), $x // "";' -- "$@"
}

# fake DIR: a supervise/ with control and ok FIFOs, as if a runsv were alive.
# The control bytes sv writes collect in DIR.ctl. OKPID is the process that
# holds ok open for reading only, as runsv does (its exit is what sv hears).
fake() {
	mkdir -p "$1/supervise"
	mkfifo "$1/supervise/control" "$1/supervise/ok"
	: >"$1.ctl"
	# the control reader first: hold_ok's wait then covers its start too, and
	# sv never finds a control FIFO without a reader (ENXIO: nothing sent)
	spawn sh -c 'exec cat <>"$1" >"$2"' _ "$1/supervise/control" "$1.ctl"
	hold_ok "$1"
}

# hold_ok DIR: a process that holds DIR/supervise/ok open read-only; OKPID.
hold_ok() {
	spawn perl -MFcntl -e 'sysopen(my $f, $ARGV[0], O_RDONLY | O_NONBLOCK) or die "$!\n"; sleep 1000' \
	    "$1/supervise/ok"
	OKPID=$SPAWNED
	wait_for 5 sh -c '! "$1" status "$2" 2>&1 | grep -qs "runsv not running"' _ "$RNG_BIN/sv" "$1/"
}

# setrec DIR ARGS...: replace DIR/supervise/status with a record.
setrec() {
	_d=$1; shift
	record "$@" >"$_d/supervise/status.tmp" && mv "$_d/supervise/status.tmp" "$_d/supervise/status"
}

# service DIR [RUNLINE]: a service whose ./run execs a long sleep (or RUNLINE).
service() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "${2:-exec sleep 1000}" >"$1/run"
	chmod +x "$1/run"
}

# with_log DIR: add a log service that swallows its input.
with_log() {
	mkdir -p "$1/log"
	printf '#!/bin/sh\nexec cat >/dev/null\n' >"$1/log/run"
	chmod +x "$1/log/run"
}

# up RUNSV DIR: start a runsv on DIR and wait until runsv answers.
up() {
	spawn "$1" "$2"
	wait_for 5 sh -c '"$1" status "$2" >/dev/null 2>&1' _ "$RNG_BIN/sv" "$2"
}

# is_state DIR WORD: the supervise/stat line begins with WORD.
is_state() { case "$(cat "$1/supervise/stat" 2>/dev/null)" in "$2"*) return 0;; esac; return 1; }

# mask: hide pids and ages, which differ between runs.
mask() { sed -E 's/\(pid [0-9]+\)/(pid P)/g; s/ [0-9]+s([,;]|$)/ Ns\1/g'; }

