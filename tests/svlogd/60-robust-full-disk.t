#!/bin/sh
# Robustness: a full filesystem (small tmpfs in a mount namespace): svlogd pauses with a warning, stays idle, and writes every line once space returns; it never frees space by deleting the input of a processor waiting to run again.
. "$(dirname "$0")/../lib/tap.sh"
need_root
unshare -m true 2>/dev/null || skip_all "no mount namespaces"
SVLOGD=$RNG_BIN/svlogd
mkdir "$T/mnt"
seq -f 'full disk line %06g, some padding to make it longer' 1 5000 > "$T/want"

cat > "$T/inner.sh" <<EOS
set -u
cd "$T" || exit 1
mount -t tmpfs -o size=1m tmpfs mnt || exit 1
mkdir mnt/log
dd if=/dev/zero of=mnt/fill bs=4k 2>/dev/null
cat want | $SVLOGD mnt/log 2> err &
pid=\$!
i=0
while ! grep -q pausing err && [ \$i -lt 1000 ]; do sleep 0.01; i=\$((i + 1)); done
cpu() { awk '{ print \$14 + \$15 }' /proc/\$pid/stat; }
c1=\$(cpu); sleep 1; c2=\$(cpu)
echo \$((c2 - c1)) > cputicks
kill -0 \$pid && echo alive > state
rm mnt/fill
wait \$pid; echo \$? > rc
cat mnt/log/@* mnt/log/current > got 2>/dev/null
EOS
unshare -m sh "$T/inner.sh"
like "$(grep -m1 pausing "$T/err")" '^svlogd: pausing: unable to write to current: mnt/log: out of disk space$' "pauses with a message naming the directory"
like "$(head -1 "$T/err")" '^svlogd: (pausing|warning: unable to write a record, a kill may now lose or repeat lines): ' "and says when its records are lost too"
is "$(cat "$T/state" 2>/dev/null)" alive "still running while the disk is full"
ok "no busy loop while paused (cpu ticks $(cat "$T/cputicks"))" [ "$(cat "$T/cputicks")" -le 5 ]
is "$(cat "$T/rc")" 0 "exits 0 at end of input once space returned"
ok "every line written exactly once" cmp -s "$T/got" "$T/want"

# a failed processor waits to run again: its @X.u is not what a full disk
# deletes (N0 allows deleting every other rotated file)
mkdir "$T/mnt2"
cat > "$T/inner2.sh" <<EOS
set -u
cd "$T" || exit 1
mount -t tmpfs -o size=1m tmpfs mnt2 || exit 1
mkdir mnt2/log
printf 'N0\n!exit 1\n' > mnt2/log/config
mkfifo fifo
exec 5<> fifo
$SVLOGD -v mnt2/log < fifo 2> err2 5>&- &
pid=\$!
until_has() { i=0; while ! grep -q "\$2" "\$1" 2>/dev/null && [ \$i -lt 1000 ]; do sleep 0.01; i=\$((i + 1)); done; }
echo one >&5
until_has mnt2/log/current one
kill -ALRM \$pid
until_has err2 'processor failed, restart'
dd if=/dev/zero of=mnt2/fill bs=4k 2>/dev/null
echo two >&5
until_has err2 'pausing\|delete'
ls mnt2/log | grep -c '\.u\$' > ucount
rm mnt2/fill
until_has mnt2/log/current two
kill -TERM \$pid
wait \$pid
EOS
unshare -m sh "$T/inner2.sh"
is "$(cat "$T/ucount" 2>/dev/null)" 1 "a processor waiting to run again keeps its input on a full disk"
is "$(grep -c 'out of disk space, delete' "$T/err2")" 0 "nothing deleted for it"
done_testing
