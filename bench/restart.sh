#!/bin/sh
# bench/restart.sh: a crash loop's disk wear under supervise/ (renames and bytes written per restart, from strace), ours vs Debian's runsv; PSS of an instance's runsv against a plain service's.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/bench/lib.sh"
LOOP=${RESTART_BENCH_SECONDS:-20}
N=${RESTART_BENCH_N:-30}
runsv_pair restart.sh
command -v strace >/dev/null || { echo "restart.sh: strace not installed" >&2; exit 1; }
bench_setup restart

# Both crash loops (./run exits 1 at once: runit's one second between
# starts) run side by side under strace for LOOP seconds, then get x.
for which in ours deb; do
	mkdir "$W/$which"
	printf '#!/bin/sh\nexit 1\n' >"$W/$which/run"
	chmod 755 "$W/$which/run"
	bin=$OURS
	[ "$which" = deb ] && bin=$DEB
	strace -f -qq -y -o "$W/$which.trace" -e trace=write,rename,renameat,renameat2,execve "$bin" "$W/$which" &
	PIDS="$PIDS $!"
done
sleep "$LOOP"
for which in ours deb; do printf x >"$W/$which/supervise/control"; done
for p in $PIDS; do wait "$p" 2>/dev/null || :; done
PIDS=

# figures WHICH: restarts, renames and bytes written into supervise/*.new,
# per restart (each file's line names it: rename's argument, write's fd path),
# and renames per restart in the steady state: from the first start to the
# last (each start marked by runsv's write of "run" into stat.new, always
# at the same place of its update), startup and x left out.
figures() {
	awk '
		/execve\("\.\/run"/ { runs++ }
		/rename/ && /\.new"/ && !/resumed/ { renames++ }
		/^[0-9]+ +write\(/ && /supervise\/stat\.new>, "run\\n"/ { at[++starts] = renames }
		/^[0-9]+ +write\(/ && /supervise\/[a-z]+\.new>/ { n = $NF; if (n ~ /^[0-9]+$/) bytes += n }
		END { printf "%d %.2f %.1f %.2f\n", runs, renames / runs, bytes / runs, (at[starts] - at[1]) / (starts - 1) }' "$W/$1.trace"
}
set -- $(figures ours)
or=$1 on=$2 ob=$3 os=$4
set -- $(figures deb)
dr=$1 dn=$2 db=$3 ds=$4

# PSS: N runsv on plain services, N on instances of one template.
mkdir -p "$W/plain" "$W/inst/t@"
printf '#!/bin/sh\nexec sleep 1000\n' >"$W/inst/t@/run"
chmod 755 "$W/inst/t@/run"
i=0
plain= inst=
while [ $i -lt "$N" ]; do
	mkdir "$W/plain/s$i" "$W/inst/t@$i"
	cp "$W/inst/t@/run" "$W/plain/s$i/run"
	plain="$plain $W/plain/s$i" inst="$inst $W/inst/t@$i"
	i=$((i + 1))
done
pp=$(runsv_pss "$OURS" $plain)
pi=$(runsv_pss "$OURS" $inst)

echo "### restart: a crash loop's writes under supervise/, ours vs Debian's runit 2.1.2"
echo
echo "| measure | ours | Debian | ours/Debian |"
echo "|---|---|---|---|"
echo "| restarts in ${LOOP} s (./run exits 1 at once) | $or | $dr | - |"
echo "| renames under supervise/ per restart (startup and x included) | $on | $dn | $(ratio "$on" "$dn") |"
echo "| renames per restart in the steady state (first start to last) | $os | $ds | $(ratio "$os" "$ds") |"
echo "| bytes written under supervise/ per restart | $ob | $db | $(ratio "$ob" "$db") |"
echo
echo "In the steady state runit's runsv renames pid, stat and status at each start and each end (6); ours the same and info at each end (7, the least: runsv.8, Disk wear)."
echo
echo "### restart: PSS of an instance's runsv (ours)"
echo
echo "| measure | value | against |"
echo "|---|---|---|"
echo "| PSS per runsv, instance of a template, median of $N (kB) | $pi | $(ratio "$pi" "$pp") of a plain service's ($pp kB) |"
