#!/bin/sh
# bench/svlogd.sh: log throughput (lines/s) and peak memory of our svlogd beside Debian's svlogd, s6-log and multilog.
# Each program reads the same file of numbered 100-byte lines through a pipe (cat FILE | PROG DIR).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OURS=${RNG_BIN:-$TOP/build/bin}/svlogd
DEB=/usr/bin/svlogd
LINES=${LINES:-300000}
RUNS=${RUNS:-3}
BASE=${BASE:-}                # another build's svlogd, measured beside ours (say main's)
W=$(mktemp -d "${TMPDIR:-/tmp}/svlogd-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
[ -x "$OURS" ] || { echo "build $OURS first" >&2; exit 1; }

# 100 bytes per line including the newline; every 10th line carries "skip"
awk -v n="$LINES" 'BEGIN { for (i = 1; i <= n; i++)
	printf "%09d %s %084d\n", i, (i % 10 ? "keep" : "skip"), i }' > in
have() { command -v "$1" >/dev/null 2>&1; }

# median seconds of one command line (a fresh empty directory "d" before each run)
median() {
	hyperfine -N --style none --runs "$RUNS" --warmup 1 \
		--prepare "sh -c 'rm -rf $W/d; mkdir $W/d; printf \"%s\" \"\$CFG\" > $W/d/config'" \
		--export-json m.json "sh -c '$1'" >/dev/null 2>&1
	jq -r '.results[0].median' m.json
}
# What the last run left in d, stamps cut off, must be the newest lines of
# what the mode keeps (every line, or with filter every "keep" line), in
# order, whole files only: old files beyond the default n10 (n5 in rotate)
# are deleted by every program here.
verify() { # mode
	if [ -f d/out ]; then cat d/out
	else cat $(ls d | grep '^@' | sort | sed 's|^|d/|') d/current
	fi > got
	[ "$1" != tt ] || { sed -E 's/^.* ([0-9]{9} (keep|skip) )/\1/' got > got.cut; mv got.cut got; }
	if [ "$1" = filter ]; then grep ' keep ' in; else cat in; fi | tail -n "$(wc -l < got)" > want
	[ -s got ] && cmp -s got want && echo OK || echo "FAIL ($(wc -l < got) lines kept, not the newest in order)"
}
row() { # mode name cmd [config]
	mode=$1 name=$2 cmd=$3
	CFG=${4:-}; export CFG
	t=$(median "cat $W/in | $cmd")
	v=$(verify "$mode")
	eval "base=\${base_$mode:-}"
	if [ "$name" = "Debian svlogd" ]; then base=$t; eval "base_$mode=$t"; fi
	awk -v m="$mode" -v n="$name" -v t="$t" -v l="$LINES" -v b="${base:-}" -v v="$v" 'BEGIN {
		r = b == "" ? "" : sprintf("%.2fx", b / t)
		printf "| %s | %s | %.1f | %.0f | %s | %s |\n", m, n, t * 1000, l / t, r, v }'
}

echo "## svlogd throughput: $LINES lines of 100 bytes through a pipe (hyperfine median of $RUNS)"
echo
echo "| mode | program | median ms | lines/s | vs Debian svlogd | verify |"
echo "|---|---|---|---|---|---|"
for mode in plain tt rotate filter; do
	case $mode in
	plain)  o=""; s=""; m=""; c="" ;;
	tt)     o="-tt"; s="T"; m="t"; c="" ;;
	rotate) o=""; s="n5 s1000000"; m="s1000000 n5"; c="s1000000
n5
" ;;
	filter) o=""; s="- +.*keep.*"; m="-* +*keep*"; c="-*
+*keep*
" ;;
	esac
	row $mode "Debian svlogd" "$DEB $o $W/d" "$c"
	row $mode "runit-ng svlogd" "$OURS $o $W/d" "$c"
	[ -z "$BASE" ] || row $mode "runit-ng svlogd (BASE)" "$BASE $o $W/d" "$c"
	have s6-log && row $mode "s6-log" "s6-log $s $W/d" ""
	have multilog && row $mode "multilog" "multilog $m $W/d" ""
	[ $mode = plain ] && row $mode "cat > file (ceiling)" "cat > $W/d/out" ""
done

echo
echo "## peak RSS (/usr/bin/time -v, maximum resident set size)"
echo
awk 'BEGIN { for (i = 0; i < 8; i++) { for (j = 0; j < 1048575; j++) printf "x"; printf "\n" } }' > big
echo "| input | Debian svlogd KiB | runit-ng svlogd KiB | s6-log KiB | multilog KiB |"
echo "|---|---|---|---|---|"
for f in in big; do
	line="| $( [ $f = in ] && echo "$LINES lines of 100 B" || echo "8 lines of 1 MiB")"
	for cmd in "$DEB -tt $W/d" "$OURS -tt $W/d" "s6-log T $W/d" "multilog t $W/d"; do
		rm -rf d; mkdir d
		kb=$( { /usr/bin/time -v sh -c "exec $cmd" < $f; } 2>&1 >/dev/null | awk '/Maximum resident/ { print $NF }')
		line="$line | $kb"
	done
	echo "$line |"
done

echo
echo "## file-modifying syscalls: 72 KB (720 lines of 100 B) fed one byte per write, 100 us apart (strace -f -c)"
echo
if have strace; then
	awk 'BEGIN { for (i = 1; i <= 720; i++) printf "%09d %089d\n", i, i }' > in72
	echo "| program | options | write | pwrite64 | splice | other | total | per line | verify |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for o in "" -tt; do
	for prog in "Debian svlogd:$DEB" "runit-ng svlogd:$OURS" ${BASE:+"runit-ng svlogd (BASE):$BASE"}; do
		rm -rf d; mkdir d
		perl -MTime::HiRes=usleep -e '$| = 1; local $/; my $d = <STDIN>;
			for my $c (split //, $d) { syswrite(STDOUT, $c); usleep(100) }' < in72 |
			strace -f -c -o calls -e trace=write,pwrite64,pwritev,splice,ftruncate,fallocate,rename,renameat,renameat2,unlink,unlinkat,fsync,fchmod,openat "${prog#*:}" $o d
		# -tt: each line's stamp and its space cut off first
		v=$(sed -E "${o:+s/^[^ ]+ //}" d/current | cmp -s - in72 && echo OK || echo FAIL)
		awk -v n="${prog%%:*}" -v opt="${o:-none}" -v v="$v" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ {
			if ($NF == "total") t = $4; else if ($NF == "write" || $NF == "pwrite64" || $NF == "splice") c[$NF] = $4; else o += $4 }
			END { printf "| %s | %s | %d | %d | %d | %d | %d | %.1f | %s |\n", n, opt, c["write"], c["pwrite64"], c["splice"], o, t, t / 720, v }' calls
	done
	done
else
	echo "(strace not installed)"
fi
