#!/bin/sh
# sv watch follows a service by its name: a service directory replaced while its runsv is down (ln -sfn to a new directory, or moved away and made again) and a new runsv started there is seen, not left at "runsv not running"; also with runsvdir (sv -v x, then ln -sfn).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
mkdir -p sv scan
export SVDIR=$T/scan
last_is() { tail -n 1 "$1" 2>/dev/null | grep -Eqs "$2"; }

# A. a link into the scan directory pointed at a new directory
service sv/foo-v0; service sv/foo-v1
ln -s ../sv/foo-v0 scan/foo
up runsv "$T/scan/foo"
spawn "$SV" watch foo >foo.out
ok "foo: its run line" wait_for 5 last_is foo.out ' run: foo: \(pid [0-9]+\)'
"$SV" -w 5 exit foo >/dev/null
ok "foo: runsv gone" wait_for 5 last_is foo.out 'fail: foo: runsv not running$'
ln -sfn ../sv/foo-v1 scan/foo
up runsv "$T/scan/foo"
ok "foo: the new directory's runsv and service are seen" wait_for 5 last_is foo.out ' run: foo: \(pid [0-9]+\)'
is "$(sv status foo | cut -d: -f1)" run "(sv status agrees)"

# B. moved away, made again
service scan/bar
up runsv "$T/scan/bar"
spawn "$SV" -o json watch bar >bar.out
ok "bar: its run line" wait_for 5 last_is bar.out '"state":"run"'
"$SV" -w 5 exit bar >/dev/null
ok "bar: runsv gone" wait_for 5 last_is bar.out '"error":"runsv not running"'
mv scan/bar bar.old
service scan/bar
up runsv "$T/scan/bar"
ok "bar: the new directory is followed" wait_for 5 last_is bar.out '"state":"run"'

# C. with runsvdir: sv -v x, then ln -sfn at once
service sv/baz-v0; service sv/baz-v1 'exec sleep 999'
ln -s ../sv/baz-v0 scan/baz
rm scan/foo; mv scan/bar bar.new # supervised by the runsvs above
spawn runsvdir "$T/scan"
ok "baz runs under runsvdir" wait_for 10 sh -c '"$1" status baz | grep -qs "^run:"' _ "$SV"
spawn "$SV" watch baz >baz.out
ok "baz: its run line" wait_for 5 last_is baz.out ' run: baz: \(pid [0-9]+\)'
"$SV" -v x baz >/dev/null
ln -sfn ../sv/baz-v1 scan/baz
ok "runsvdir started the new directory's runsv" wait_for 15 sh -c 'test -p sv/baz-v1/supervise/ok && "$1" status baz | grep -qs "^run:"' _ "$SV"
ok "baz: the watch shows it running" wait_for 10 last_is baz.out ' run: baz: \(pid [0-9]+\)'
done_testing
