#!/bin/sh
# sv waits without CPU: a long wait on a TERM-proof service (our runsv and Debian's) costs a few clock ticks and no wake-ups, and a failing ./check is re-run on a back-off that ends at runit's 420 ms, never in a tight loop.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
. "$(dirname "$0")/../lib/records.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
flavors=ours
[ -x "$DEB_RUNSV" ] && flavors="ours deb"
runsv_of() { if [ "$1" = deb ]; then echo "$DEB_RUNSV"; else echo "$RNG_BIN/runsv"; fi; }
waiting() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q inotify; }

for f in $flavors; do
	service stubborn_$f 'trap "" TERM; exec sleep 1000'
	up "$(runsv_of $f)" "$T/stubborn_$f"
	ok "stubborn_$f runs" wait_for 5 is_state stubborn_$f run
	spawn "$SV" -w 4 down stubborn_$f >"down.$f"
	svpid=$SPAWNED
	ok "sv is waiting ($f runsv)" wait_for 5 waiting "$svpid"
	t0=$(cpu_ticks "$svpid") w0=$(ctx_switches "$svpid")
	sleep 2 # the measured stretch of the wait
	t1=$(cpu_ticks "$svpid") w1=$(ctx_switches "$svpid")
	ok "2 s of waiting cost $((t1 - t0)) clock ticks ($f runsv; at most 2)" test $((t1 - t0)) -le 2
	ok "and $((w1 - w0)) wake-ups (at most 2)" test $((w1 - w0)) -le 2
	ok "the wait ends at its timeout" wait_exit "$svpid" 10
	like "$EXITCODE:$(cat "down.$f")" "^1:timeout: run: stubborn_$f: \\(pid [0-9]+\\) [0-9]+s, want down, got TERM\$" \
	    "runit's timeout line"
	"$SV" -w 3 force-stop stubborn_$f >/dev/null
done

# a ./check that keeps failing: a few quick re-runs, then every 420 ms.
# Each run notes when sv forked it, as the kernel recorded it (clock ticks):
# a stalled ./check cannot move that.
service checked
forked_script "$T/forked"
cat >checked/check <<EOS
#!/bin/sh
"$T/forked" \$\$ >>runs
exit 1
EOS
chmod +x checked/check
up "$RNG_BIN/runsv" "$T/checked"
ok "checked runs" wait_for 5 is_state checked run
out=$("$SV" -w 3 up checked); rc=$?
like "$rc:$out" '^1:timeout: run: checked: ' "a failing check times out"
n=$(wc -l <checked/runs)
ok "./check ran $n times in a 3 s wait (runit: 8; at most 16)" test "$n" -ge 3 -a "$n" -le 16
ok "the last re-runs were forked at least 300 ms apart (runit's 420 ms, give or take a tick): $(tail -n 4 checked/runs | tr '\n' ' ')ticks of 1/$CLK_TCK s" \
    awk -v hz="$CLK_TCK" 'NR > 1 { gap[NR] = ($1 - prev) * 1000 / hz } { prev = $1 } END { for (i = NR - 2; i <= NR; i++) if (gap[i] < 300) exit 1 }' checked/runs
done_testing
