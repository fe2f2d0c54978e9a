#!/bin/bash
# The states a kill can leave a batch in, set up by hand in lock and the pipe: written but not taken, taken but for its last byte, taken; and a batch of one byte (a held head's newline), written or not. After a recovered batch, a SIGHUP does not cut a long line. Each is settled exactly: no line written twice or lost, no alert repeated, no deselected line let in.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
LOCKREC=$RNG_TOP/tests/svlogd/lockrec.pl
cd "$T" || exit 1
[ -r /proc/sys/kernel/random/boot_id ] || skip_all "no boot id to name the pipe with"
boot=$(tr -d '-' < /proc/sys/kernel/random/boot_id)
has() { grep -q "$2" "$1" 2>/dev/null; }

# lock NAME: writes NAME/lock (record and journal head) for the pipe on fd 3
# and NAME/current as the record describes them. The batch: JOURNAL holds
# CARRY bytes of it (a held head), then LEN bytes from FIRST to LAST came
# from the pipe; current was to grow from BEFORE to AFTER, and holds CUR.
lock() {
	local name=$1
	mkdir "$name"
	printf -- '-*skip*\ne*\n' > "$name/config"
	printf '%s' "$CUR" > "$name/current"
	chmod 644 "$name/current"
	: > "$name/lock"
	read pdev pino < <(stat -L -c '%d %i' /proc/self/fd/3)
	read ldev lino < <(stat -c '%d %i' "$name/lock")
	cino=$(stat -c %i "$name/current")
	# the record: pipe, home lock, seq 5, gen 0, jmark, carry, len, mlen,
	# before, after, current's inode, first and last byte, five flags; the
	# journal head: pipe, gen 0, carry_at 512, no stamp
	perl "$LOCKREC" record "$pdev" "$pino" "$boot" "$ldev" "$lino" 5 0 $((512 + CARRY)) \
	    "$CARRY" "$LEN" "$MLEN" "$BEFORE" "$AFTER" "$cino" "$FIRST" "$LAST" 0 0 0 0 0 > "$name.rec"
	perl "$LOCKREC" head "$pdev" "$pino" "$boot" 0 512 0 0 > "$name.head"
	perl "$LOCKREC" lock "$name.rec" "$name.head" "$JOURNAL" > "$name/lock"
}

# state NAME PIPE-BYTES WANT ALERTS: sets up NAME (see lock) and the pipe as a
# kill left them, then runs svlogd on it with two more lines
state() {
	local name=$1 pipe=$2 want=$3 alerts=$4
	hold_pipe
	lock "$name"
	printf '%s' "$pipe" >&4
	spawn sh -c "exec $SVLOGD $name <&3 4>&- 3<&- 2> $name.err"
	pid=$SPAWNED
	printf 'skip 4\nkeep 5\n' >&4
	wait_for 5 has "$name/current" 'keep 5'
	kill -TERM $pid
	wait_exit $pid 5
	exec 3<&- 4>&-
	is "$(cat "$name"/@* "$name/current" 2>/dev/null | tr '\n' ' ')" "$want" \
	    "$name: each selected line once, none deselected"
	is "$(grep -v '^svlogd: ' "$name.err" | tr '\n' ' ')" "$alerts" "$name: no alert repeated"
	is "$(ls "$name" | grep -c '^@')" 0 "$name: current kept, its end accounted for"
}

# The batch: three lines, the middle one deselected, every one alerted.
# current already holds what the batch wrote; lock says so.
batch='keep 1
skip 2
keep 3
'
JOURNAL= CARRY=0 LEN=21 MLEN=1 BEFORE=0 AFTER=14 FIRST=k LAST=$'\n' CUR=$'keep 1\nkeep 3\n'
# written, not taken: the whole batch is still in the pipe
state pending "$batch" "keep 1 keep 3 keep 5 " "skip 4 keep 5 "
# taken but for its last byte (the marker, not yet moved into the journal)
state marker $'\n' "keep 1 keep 3 keep 5 " "skip 4 keep 5 "
# taken: the marker is in the journal
JOURNAL=$'\n' state taken "" "keep 1 keep 3 keep 5 " "skip 4 keep 5 "

# A batch of one byte: the journal held the head "keep 6", the newline that
# ends it came alone. Its first byte is its last: in the pipe, it is the
# whole batch, not its marker.
JOURNAL='keep 6' CARRY=6 LEN=1 MLEN=1 BEFORE=14 FIRST=$'\n' LAST=$'\n'
# written, not taken
AFTER=21 CUR=$'keep 1\nkeep 3\nkeep 6\n' state one-written $'\n' \
    "keep 1 keep 3 keep 6 keep 5 " "skip 4 keep 5 "
# announced, and the kill came before its write
AFTER=21 CUR=$'keep 1\nkeep 3\n' state one-unwritten $'\n' \
    "keep 1 keep 3 keep 6 keep 5 " "keep 6 skip 4 keep 5 "

# After a recovered batch (the pending one above, which ends no line open),
# a SIGHUP while a line longer than -l is written: the line goes on whole
hold_pipe
JOURNAL= CARRY=0 LEN=21 MLEN=1 BEFORE=0 AFTER=14 FIRST=k LAST=$'\n' CUR=$'keep 1\nkeep 3\n' lock hup
printf '%s' "$batch" >&4
spawn sh -c "exec $SVLOGD -v -l 4 -b 5 hup <&3 4>&- 3<&- 2> hup.err"
pid=$SPAWNED
printf 'a long line beg' >&4
wait_for 5 has hup/current 'a long line beg'
kill -HUP $pid
wait_for 5 has hup.err 'sighangup received'
printf 'un here\n' >&4
wait_for 5 has hup/current 'here'
kill -TERM $pid
wait_exit $pid 5
exec 3<&- 4>&-
is "$(cat hup/@* hup/current 2>/dev/null | tr '\n' '|')" "keep 1|keep 3|a long line begun here|" \
    "SIGHUP after a recovered batch: a long line goes on in the reopened current"
done_testing
