#!/bin/sh
# Robustness: a full filesystem (small tmpfs in a mount namespace): svlogd pauses with a warning, stays idle, and writes every line once space returns.
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
done_testing
