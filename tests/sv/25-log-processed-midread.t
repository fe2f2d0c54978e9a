#!/bin/sh
# sv log (and -n) while svlogd's processor turns a listed @X.u into @X.s: the file is found under its other suffix, not skipped as pruned; a file really gone is said on stderr; and snapshots taken while svlogd rotates and processes are lines 1..K with no gap.
. "$(dirname "$0")/../lib/tap.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1

A=@400000006000000000000000 B=@400000006000000100000000 C=@400000006000000200000000

# late_reader OUT: a reader of the FIFO fifo that opens it, then reads
# nothing (the writer blocks once the pipe is full) until the file go exists.
late_reader() {
	rm -f fifo go && mkfifo fifo
	spawn sh -c 'exec 3<fifo; while [ ! -e go ]; do sleep 0.01; done; exec cat <&3 >"$1"' _ "$1"
	rpid=$SPAWNED
}

# slow_read NAME OPTIONS...: sv OPTIONS log svc into a FIFO whose reader is
# stopped; once sv holds the first rotated file open (it has listed them
# all), the processor's steps are done on B; then the reader goes on.
slow_read() {
	_out=$1; shift
	rm -rf svc && mkdir -p svc/log/main
	seq 1 30000 >"svc/log/main/$A.s" # more than a pipe holds: sv blocks in it
	seq 30001 30010 >"svc/log/main/$B.u"
	seq 30011 30020 >"svc/log/main/$C.s"
	seq 30021 30030 >svc/log/main/current
	late_reader "$_out"
	spawn "$SV" "$@" log svc >fifo 2>"$_out.err"
	spid=$SPAWNED
	ok "sv lists the files and blocks in the first ($*)" wait_for 10 sh -c "ls -l /proc/$spid/fd 2>/dev/null | grep -qs '$A'"
	# what svlogd's processor does: the .s renamed into place, then the .u removed
	cp "svc/log/main/$B.u" svc/log/main/processed
	mv svc/log/main/processed "svc/log/main/$B.s"
	rm "svc/log/main/$B.u"
	: >go
	ok "sv ends" wait_exit "$spid" 10
	SVEXIT=$EXITCODE
	wait_exit "$rpid" 5
}

slow_read plain.out
seq 1 30030 >want
if cmp -s want plain.out; then ok "sv log: the processed file is printed" true; else
	ok "sv log: the processed file is printed" false
	diag "$(diff want plain.out | head -n 3 | tr '\n' ' ')"
fi
is "$(cat plain.out.err)" "" "no warning"
is "$SVEXIT" 0 "exit 0"

slow_read tail.out -n 30025
seq 6 30030 >want
if cmp -s want tail.out; then ok "sv log -n: the processed file is printed" true; else
	ok "sv log -n: the processed file is printed" false
	diag "$(diff want tail.out | head -n 3 | tr '\n' ' ')"
fi

# A file gone under both names was pruned: said, and counted with -s.
rm -rf svc && mkdir -p svc/log/main
seq 1 30000 >"svc/log/main/$A.s"
seq 30001 30010 >"svc/log/main/$B.s"
: >svc/log/main/current
late_reader pruned.out
spawn "$SV" -s log svc >fifo 2>pruned.err
spid=$SPAWNED
ok "sv blocks in the first file" wait_for 10 sh -c "ls -l /proc/$spid/fd 2>/dev/null | grep -qs '$A'"
rm "svc/log/main/$B.s"
: >go
ok "sv ends" wait_exit "$spid" 10
is "$(cat pruned.err)" "sv: warning: svc: 1 file pruned before it was read" "the pruned file is said"
is "$EXITCODE" 1 "with -s it counts"

# Real svlogd with a processor: snapshots while it rotates and processes.
rm -rf svc && mkdir -p svc/log/main
printf 's8192\nn1000\n!cat\n' >svc/log/main/config
perl -e '$| = 1; for (1 .. $ARGV[0]) { print "$_\n"; select(undef, undef, undef, 0.001) if $_ % 100 == 0 }' 60000 |
    "$RNG_BIN/svlogd" svc/log/main &
wpid=$!
snaps=0 gaps=0
while kill -0 "$wpid" 2>/dev/null && [ "$snaps" -lt 300 ]; do
	"$SV" log svc 2>>snap.err | perl -ne 'select(undef, undef, undef, 0.002) if $. % 5000 == 0; print' >snap
	awk 'NR != $0 { exit 1 }' snap || { gaps=$((gaps + 1)); cp snap gap.$gaps; }
	snaps=$((snaps + 1))
done
wait "$wpid"
ok "snapshots during rotations and processing: $snaps" test "$snaps" -ge 3
is "$gaps" 0 "every snapshot is lines 1..K with no gap"
is "$(cat snap.err 2>/dev/null)" "" "no warning"
done_testing
