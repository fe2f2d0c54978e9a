#!/bin/bash
# The three states a kill can leave a batch in, set up by hand in lock and the pipe: written but not taken, taken but for its last byte, taken. Each is settled exactly: no line written twice or lost, no alert repeated, no deselected line let in.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pipe.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
[ -r /proc/sys/kernel/random/boot_id ] || skip_all "no boot id to name the pipe with"
boot=$(tr -d '-' < /proc/sys/kernel/random/boot_id)
has() { grep -q "$2" "$1" 2>/dev/null; }

# The batch: three lines, the middle one deselected, every one alerted.
# current already holds what the batch wrote; lock says so.
batch='keep 1
skip 2
keep 3
'
# state NAME JOURNAL-BYTES PIPE-BYTES: sets up directory NAME, its lock
# (record and journal head), and the pipe as a kill left them
state() {
	local name=$1 journal=$2 pipe=$3
	mkdir "$name"
	printf -- '-*skip*\ne*\n' > "$name/config"
	printf 'keep 1\nkeep 3\n' > "$name/current"
	chmod 644 "$name/current"
	: > "$name/lock"
	hold_pipe
	read pdev pino < <(stat -L -c '%d %i' /proc/self/fd/3)
	read ldev lino < <(stat -c '%d %i' "$name/lock")
	cino=$(stat -c %i "$name/current")
	# struct origin: dev, ino, boot; struct record: magic, origin, home dev
	# and ino, seq, gen, jmark, carry, len, mlen, before, after, current's
	# inode, first and last byte, open0, sel0, open1, sel1, eof;
	# struct jhead: magic, origin, gen, carry_at, first (sec, nano)
	perl -e '
		my ($pdev, $pino, $boot, $ldev, $lino, $cino, $journal) = @ARGV;
		my $origin = pack("Q Q H32", $pdev, $pino, $boot);
		my $r = pack("a8 a32 Q11 C7 x", "svlogdR2", $origin, $ldev, $lino, 5, 0, 512,
		    0, 21, 1, 0, 14, $cino, ord("k"), ord("\n"), 0, 0, 0, 0, 0);
		my $h = pack("a8 a32 Q Q Q L x4", "svlogdJ1", $origin, 0, 512, 0, 0);
		print $r, "\0" x (256 - length $r), $h, "\0" x (256 - length $h), $journal;
	' "$pdev" "$pino" "$boot" "$ldev" "$lino" "$cino" "$journal" > "$name/lock"
	printf '%s' "$pipe" >&4
	spawn sh -c "exec $SVLOGD $name <&3 4>&- 3<&- 2> $name.err"
	pid=$SPAWNED
	printf 'skip 4\nkeep 5\n' >&4
	wait_for 5 has "$name/current" 'keep 5'
	kill -TERM $pid
	wait_exit $pid 5
	exec 3<&- 4>&-
	is "$(cat "$name"/@* "$name/current" 2>/dev/null | tr '\n' ' ')" "keep 1 keep 3 keep 5 " \
	    "$name: each selected line once, none deselected"
	is "$(grep -v '^svlogd: ' "$name.err" | tr '\n' ' ')" "skip 4 keep 5 " "$name: no alert repeated"
	is "$(ls "$name" | grep -c '^@')" 0 "$name: current kept, its end accounted for"
}

# written, not taken: the whole batch is still in the pipe
state pending "" "$batch"
# taken but for its last byte (the marker, not yet moved into the journal)
state marker "" $'\n'
# taken: the marker is in the journal
state taken $'\n' ""
done_testing
