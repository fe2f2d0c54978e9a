#!/bin/sh
# sv log in a log directory its user may have tampered with: a link planted as current or as a rotated file is never read through, a FIFO never blocks; each is left out with a warning line, and the rest of the log is shown; no descriptor is kept per log shown.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
echo 'root:SECRET:0:0' >secret

# x/log/main as the log's user could leave it: no svlogd runs, so sv reads it
mkdir -p x/log/main
printf 'first\n' >x/log/main/@400000006b04df7000000000.s
mkfifo x/log/main/@400000006b04df7100000000.s
printf 'third\n' >x/log/main/@400000006b04df7200000000.s
ln -s ../../../secret x/log/main/current
out=$(timeout 10 "$SV" log x 2>&1); rc=$?
is "$rc" 2 "a link and a FIFO: two warnings, no hang (rc $rc)"
is "$out" "first
warning: x: unable to read log file @400000006b04df7100000000.s: not a regular file
third
warning: x: unable to read log file current: not a regular file" "the regular files shown, the others named"
out=$(timeout 10 "$SV" -n 1 log x 2>&1); rc=$?
is "$rc:$out" "1:third
warning: x: unable to read log file current: not a regular file" "-n 1: the link counts as empty"
out=$(timeout 10 "$SV" -n 0 log x 2>&1); rc=$?
is "$rc:$out" "1:warning: x: unable to read log file current: not a regular file" "-n 0: nothing read through the link"

# following: a current that becomes a link is told once and never read
rm x/log/main/current
printf 'fourth\n' >x/log/main/current
spawn "$SV" -f -n 1 log x >follow.out 2>&1
fpid=$SPAWNED
ok "-f: the last line" wait_for 5 grep -qs '^fourth$' follow.out
mv x/log/main/current x/log/main/@400000006b04df7300000000.s
ln -s ../../../secret x/log/main/current.tmp
mv x/log/main/current.tmp x/log/main/current
ok "-f: a link as the new current: said" wait_for 5 grep -qs 'current: not a regular file' follow.out
rm x/log/main/current
printf 'fifth\n' >x/log/main/current.tmp
mv x/log/main/current.tmp x/log/main/current
ok "-f: a regular current again: followed" wait_for 5 grep -qs '^fifth$' follow.out
kill -TERM "$fpid"
ok "-f: TERM ends it" wait_exit "$fpid" 5
is "$(grep -c SECRET follow.out)" 0 "-f: nothing read through the link"
is "$(grep -c 'not a regular file' follow.out)" 1 "-f: told once"

# more services than descriptors: each log directory is closed when shown
for i in $(seq 1 40); do
	mkdir -p many$i/log/main
	echo "line of $i" >many$i/log/main/current
done
out=$(ulimit -n 24 && "$SV" log $(seq -f 'many%g' 1 40) 2>&1); rc=$?
is "$rc:$(printf '%s\n' "$out" | grep -c '^many[0-9]*: line of [0-9]*$')" "0:40" \
    "40 logs under a limit of 24 descriptors: each shown, rc 0"
done_testing
