#!/bin/sh
# runit-ng's new sv words and options are usage errors to runit's sv (Debian's does nothing with them), and ours refuses them where they do not belong.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
cd "$T" || exit 1
fake "$T/f"
spawn sleep 1000
setrec f 5 "$SPAWNED" 0 u 0 1

if [ -x "$DEB_SV" ]; then
	for args in "watch ./f" "log ./f" "-o json status ./f" "-o prom status ./f" "-f log ./f" "-n 5 log ./f" "-o json watch ./f"; do
		# shellcheck disable=SC2086
		out=$("$DEB_SV" $args 2>err); rc=$?
		is "$rc:$out:$(grep -c '^usage: sv ' err)" "100::1" "Debian's sv $args: usage error, nothing done"
	done
	is "$(cat f.ctl)" "" "and not one byte reached the control FIFO"
else
	skip "Debian's sv not installed"
fi

usage() { # ARGS...: our sv answers with runit's usage and exit 100
	out=$("$SV" "$@" 2>err); rc=$?
	is "$rc:$out:$(head -n1 err)" "100::usage: sv [-v] [-w sec] command service ..." "sv $*: usage"
}
usage -o yaml status ./f
usage -o json up ./f
usage -o prom watch ./f
usage -f status ./f
usage -n 5 status ./f
usage -n x log ./f
usage watcher ./f
usage lo ./f
usage w ./f
is "$(cat f.ctl)" "" "none of them sent anything"
out=$("$SV" -o text status ./f; echo "rc=$?")
is "$out" "$("$SV" status ./f; echo "rc=$?")" "-o text is sv status, byte for byte"
like "$out" '^run: \./f: \(pid [0-9]+\) [0-9]+s' "-o text status"
done_testing
