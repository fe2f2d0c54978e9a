#!/bin/sh
# Service directories swapped under symlinks (DIR/x -> ../sv/x): a two-rename swap of sv, a target removed and recreated, a package-style reinstall, a target that appears several levels deep; each ends with every service supervised, and a dangling link costs no wake-ups.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

# tree ROOT NAME...: ROOT/NAME for each, built under a dot name and renamed into place.
tree() {
	_r=$1; shift
	mkdir -p "$_r"
	for _n in "$@"; do addsvc "$_r" "$_n"; done
}
# supervised NAME...: each has a runsv under runsvdir $p, and the directory its
# link leads to now says run (so it is the new directory's runsv, not an old one).
supervised() {
	for _n in "$@"; do
		has_kid "$p" "runsv $_n" && grep -q '^run' "service/$_n/supervise/stat" 2>/dev/null || return 1
	done
}
# all_gone PID...
all_gone() { for _g in "$@"; do gone "$_g" || return 1; done; }
runsv_pids() { for _n in "$@"; do kid_pid "$p" "runsv $_n"; done; }
# settled: runsvdir slept through the last 0.3 s (no timer left over from a change).
settled() { _w=$(voluntary_switches "$p"); sleep 0.3; [ "$(voluntary_switches "$p")" = "$_w" ]; }

cd "$T" || exit 1
mkdir service
tree sv a b c
for n in a b c; do ln -s "../sv/$n" "service/$n"; done
spawn "$RNG_BIN/runsvdir" service 2>"$T/err"
p=$SPAWNED
ok "three linked services run" wait_for 10 supervised a b c

# 1. mv sv sv.old; mv sv.new sv, with runsvdir looking in between: the links
# dangle, every runsv is stopped; when sv comes back they must all start again.
tree sv.new a b c
old=$(runsv_pids a b c)
mv sv sv.old
ok "swap, gap seen: the old runsv are stopped while the links dangle" wait_for 5 all_gone $old
mv sv.new sv
ok "swap, gap seen: every service is supervised again" wait_for 5 supervised a b c
rm -rf sv.old

# 2. The same swap with the two renames back to back.
tree sv.new a b c
old=$(runsv_pids a b c)
mv sv sv.old && mv sv.new sv
ok "swap, back to back: every service is supervised again" wait_for 5 supervised a b c
ok "swap, back to back: the old runsv are gone" wait_for 5 all_gone $old
rm -rf sv.old

# 3. A target removed, then made again in place (mkdir, then its files).
old=$(runsv_pids b)
rm -rf sv/b
ok "target removed: its runsv is stopped" wait_for 5 all_gone $old
mkdir sv/b
printf '#!/bin/sh\nexec sleep 1000\n' >sv/b/run.tmp
chmod +x sv/b/run.tmp
mv sv/b/run.tmp sv/b/run
ok "target recreated: supervised again" wait_for 5 supervised b

# 4. A package-style reinstall, the package alone in its directory (pkgsv),
# its link left in place (as an admin's or a kept link is): dpkg removes the
# files and the directory, then unpacks again: mkdir, then FILE.dpkg-new
# renamed to FILE.
mkdir pkgsv
mksvc pkgsv pkg
ln -s ../pkgsv/pkg service/pkg
ok "package service supervised" wait_for 10 supervised pkg
old=$(runsv_pids pkg)
rm -f pkgsv/pkg/run
rm -rf pkgsv/pkg/supervise
rmdir pkgsv/pkg
ok "package removed: its runsv is stopped" wait_for 5 all_gone $old
mkdir pkgsv/pkg
printf '#!/bin/sh\nexec sleep 1000\n' >pkgsv/pkg/run.dpkg-new
chmod 755 pkgsv/pkg/run.dpkg-new
mv pkgsv/pkg/run.dpkg-new pkgsv/pkg/run
ok "package reinstalled: supervised again" wait_for 5 supervised pkg

# 5. A link whose target is several directories away from existing: runsvdir
# waits on the nearest directory that exists, and costs nothing meanwhile.
ln -s ../deep/er/still/d service/d
wait_for 5 sh -c "grep -qs 'unable to stat d' '$T/err'"
wait_for 5 settled
w0=$(voluntary_switches "$p")
sleep 1.4
is "$(( $(voluntary_switches "$p") - w0 ))" 0 "dangling link: no wake-ups in 1.4 s"
mkdir -p deep/er/still
tree deep/er/still .d-new
mv deep/er/still/.d-new deep/er/still/d
ok "target made several levels deep: supervised" wait_for 5 supervised d
ok "the others are untouched" supervised a b c pkg

# Nothing dangles any more: idle again, with no timer.
wait_for 5 settled
w0=$(voluntary_switches "$p")
sleep 1.4
is "$(( $(voluntary_switches "$p") - w0 ))" 0 "after all that: no wake-ups in 1.4 s"

# Debian's runsvdir, for the record: it re-reads DIR only when DIR's mtime
# changes or a runsv it knows exits, so a swap under its links goes unseen
# (old runsv keep the old directories), and one seen mid-swap is not undone
# until DIR's mtime changes again (2.1.2, measured: mv sv sv.old, touch DIR,
# runsv a gone 5 s later; mv sv.new sv: still no runsv 15 s later; touch DIR:
# a runs again 4.7 s later).
if [ -x "$DEB_RUNSVDIR" ] && [ -x "$DEB_RUNSV" ]; then
	mkdir "$T/deb" && cd "$T/deb" || exit 1
	mkdir service
	tree sv a
	ln -s ../sv/a service/a
	PATH=/usr/bin:$PATH spawn "$DEB_RUNSVDIR" service 2>"$T/deb/err"
	p=$SPAWNED
	if wait_for 10 supervised a; then
		# Past its first re-read (1 s after starting runsv), as on a running system.
		sleep 2
		tree sv.new a
		mv sv sv.old && mv sv.new sv
		wait_for 6 supervised a && r=supervised || r="not supervised"
		diag "Debian's runsvdir, 6 s after a back-to-back swap: $r"
	fi
	cd "$T" || exit 1	# the cleanup kills whatever works below $T
fi
done_testing
