#!/bin/sh
# Robustness: on a full disk with more rotated files allowed than kept at least (n20), the pause message still names the reason (the directory scan that looks for a file to delete must not clear it).
. "$(dirname "$0")/../lib/tap.sh"
need_root
unshare -m true 2>/dev/null || skip_all "no mount namespaces"
SVLOGD=$RNG_BIN/svlogd
mkdir "$T/mnt"
cat > "$T/inner.sh" <<EOS
set -u
cd "$T" || exit 1
mount -t tmpfs -o size=1m tmpfs mnt || exit 1
mkdir mnt/log
printf 'n20\n' > mnt/log/config
dd if=/dev/zero of=mnt/fill bs=4k 2>/dev/null
seq -f 'full disk line %06g' 1 2000 | $SVLOGD mnt/log 2> err &
pid=\$!
i=0
while ! grep -q pausing err && [ \$i -lt 1000 ]; do sleep 0.01; i=\$((i + 1)); done
rm mnt/fill
wait \$pid
EOS
unshare -m sh "$T/inner.sh"
like "$(grep -m1 pausing "$T/err")" '^svlogd: pausing: unable to write to current: mnt/log: out of disk space$' "n20 on a full disk: the pause says out of disk space"
done_testing
