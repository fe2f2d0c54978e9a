#!/bin/sh
# svlogd never writes through a symbolic link in a log directory (lock, current, the processor's state, newstate): it refuses the directory or the processor instead, and a target stays untouched; FIFOs there never block it.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
printf 'precious data, not to be touched by svlogd\n' > target
cp target want
untouched() { cmp -s target want; }

# issue 8, 5: a planted lock symlink
mkdir l
ln -s "$T/target" l/lock
echo hello | $SVLOGD l 2> err; rc=$?
ok "lock as a symbolic link: the target is untouched" untouched
is "$(head -1 err)" "svlogd: warning: unable to lock directory: l: symbolic link loop" "refused with a warning"
is "$rc" 111 "no other directory: fatal, as for any unusable one"

mkdir c
ln -s "$T/target" c/current
mkdir ok1
echo hello | $SVLOGD c ok1 2> err; rc=$?
ok "current as a symbolic link: the target is untouched" untouched
is "$(head -1 err)" "svlogd: warning: unable to open current: c: symbolic link loop" "the directory is refused with a warning"
is "$rc:$(cat ok1/current)" "0:hello" "the other directory logs"

# FIFOs where svlogd expects files must not block it
mkdir f g
mkfifo f/current g/lock
echo hello | timeout -k 1 10 $SVLOGD f g ok1 2> err; rc=$?
is "$rc" 0 "FIFOs as current and lock: no hang, exit 0"
is "$(grep -c 'warning' err)" 2 "both directories refused"

# the processor's state and newstate, as links: the processor is refused (it
# runs as svlogd's user), the rotated file kept unprocessed
for f in state newstate; do
	rm -rf p
	mkdir p
	echo '!cat' > p/config
	ln -s "$T/target" p/$f
	mkfifo fifo
	exec 5<> fifo
	spawn sh -c "exec $SVLOGD p < fifo 2> perr 5>&-"
	pid=$SPAWNED
	echo line >&5
	wait_for 5 grep -qs line p/current
	kill -ALRM $pid
	wait_for 5 grep -qs "unable to open $f for processor" perr
	kill -TERM $pid
	wait_exit $pid 10
	exec 5>&-
	rm fifo
	ok "$f as a symbolic link: the target is untouched" untouched
	like "$(grep -m1 fatal perr)" "^svlogd: fatal: unable to open $f for processor: p: symbolic link loop\$" "$f: the processor is refused"
	is "$(cat p/@*.u 2>/dev/null)" line "$f: the rotated file is kept unprocessed"
done

# config and the directory itself may be links: svlogd only reads config
mkdir real
printf 'pPFX:\n' > shared.conf
ln -s "$T/shared.conf" real/config
ln -s real linked
echo hi | $SVLOGD linked
is "$(cat real/current)" "PFX:hi" "a linked directory and a linked config are used"

# but not a FIFO, even through a link: the directory is refused, no hang
mkdir fc lc
mkfifo fc/config
ln -s "$T/fc/config" lc/config
echo hi | timeout -k 1 10 $SVLOGD fc lc ok1 2> err; rc=$?
is "$rc" 0 "a FIFO as config, or linked as config: no hang, exit 0"
is "$(cat err)" "svlogd: warning: unable to read config: fc: invalid argument
svlogd: warning: unable to read config: lc: invalid argument" "both directories refused"
done_testing
