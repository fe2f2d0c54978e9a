#!/bin/sh
# bench/chpst.sh: cost of chpst in front of a program (plain, a typical run-script line, a 200-file envdir, softlimit), ours against Debian's 2.1.2, and of our long options alone, with hyperfine.
set -u
RNG_BIN=${RNG_BIN:-$(cd "$(dirname "$0")/.." && pwd)/build/bin}
OURS=$RNG_BIN/chpst DEB=/usr/bin/chpst
command -v hyperfine >/dev/null || { echo "(hyperfine not installed: skipped)"; exit 0; }
command -v jq >/dev/null || { echo "(jq not installed: skipped)"; exit 0; }
[ -x "$OURS" ] || { echo "(our chpst is not built: skipped)"; exit 0; }
[ -x "$DEB" ] || { echo "(Debian's chpst not installed: skipped)"; exit 0; }
RUNS=${RUNS:-300}
W=$(mktemp -d) || exit 1
trap 'rm -rf "$W"' EXIT

mkdir "$W/env" "$W/big" "$W/ours" "$W/deb"
for v in HOME LANG TZ PORT OPTS; do echo "value-of-$v" >"$W/env/$v"; done
i=0; while [ $i -lt 200 ]; do echo "value $i  " >"$W/big/VAR$i"; i=$((i + 1)); done
ln -s "$OURS" "$W/ours/softlimit"; ln -s "$DEB" "$W/deb/softlimit"
USER_OPT=
[ "$(id -u)" = 0 ] && USER_OPT="-u nobody"
TRUE=/bin/true

# bench NAME ARGS: one hyperfine run of both binaries with ARGS; prints a table row.
bench() {
	_name=$1; shift
	hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$W/r.json" \
		"$OURS $*" "$DEB $*" >/dev/null 2>&1 || { echo "| $_name | failed | | |"; return; }
	_o=$(jq '.results[0].median * 1000' "$W/r.json")
	_d=$(jq '.results[1].median * 1000' "$W/r.json")
	awk -v n="$_name" -v o="$_o" -v d="$_d" 'BEGIN { printf "| %s | %.3f | %.3f | %.2f |\n", n, o, d, d / o }'
}

echo "Wall time of one invocation ending in $TRUE (hyperfine -N, $RUNS runs, median):"
echo
echo "| command line | ours ms | Debian 2.1.2 ms | Debian/ours |"
echo "|---|---|---|---|"
bench "chpst true" "$TRUE"
bench "chpst $USER_OPT -e env(5) -o 1024 -m 100000000 true" "$USER_OPT -e $W/env -o 1024 -m 100000000 $TRUE"
bench "chpst -e env(200 files) true" "-e $W/big $TRUE"
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$W/r.json" \
	"$W/ours/softlimit -o 100 -d 100000000 $TRUE" "$W/deb/softlimit -o 100 -d 100000000 $TRUE" >/dev/null 2>&1 &&
	awk -v o="$(jq '.results[0].median * 1000' "$W/r.json")" -v d="$(jq '.results[1].median * 1000' "$W/r.json")" \
		'BEGIN { printf "| softlimit -o 100 -d 100000000 true | %.3f | %.3f | %.2f |\n", o, d, d / o }'
# Our long options, which Debian's chpst lacks: ours alone (as root, who may use them all).
bench_ours() {
	_name=$1; shift
	hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$W/r.json" "$OURS $*" >/dev/null 2>&1 ||
		{ echo "| $_name | failed | | |"; return; }
	awk -v n="$_name" -v o="$(jq '.results[0].median * 1000' "$W/r.json")" \
		'BEGIN { printf "| %s | %.3f | (no such options) | |\n", n, o }'
}
if [ "$(id -u)" = 0 ]; then
	bench_ours "chpst -u nobody --caps net_bind_service --ambient net_bind_service --no-new-privs --umask 022 true" \
		"-u nobody --caps net_bind_service --ambient net_bind_service --no-new-privs --umask 022 $TRUE"
	bench_ours "chpst --unshare ipc,uts,mount --private-tmp true" "--unshare ipc,uts,mount --private-tmp $TRUE"
	bench_ours "chpst --unshare net true" "--unshare net $TRUE"
fi
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$W/r.json" "$TRUE" >/dev/null 2>&1 &&
	awk -v t="$(jq '.results[0].median * 1000' "$W/r.json")" \
		'BEGIN { printf "| (reference: %s alone, no chpst) | %.3f | | |\n", "'"$TRUE"'", t }'
echo
echo "Binary size: ours $(stat -c %s "$OURS") bytes (dynamic, -O2 -g), Debian's $(stat -c %s "$DEB") bytes."
