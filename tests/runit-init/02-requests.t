#!/bin/sh
# runit-init 0|6 (not pid 1): the stop-it/reboot files get mode 0100 or 0 and process no. 1 gets SIGCONT; unwritable paths are fatal (111). Run in PID and mount namespaces with /etc/runit bound from $T.
. "$(dirname "$0")/../lib/tap.sh"
need_root
unshare --fork --pid --mount --mount-proc true 2>/dev/null || skip_all "cannot create PID and mount namespaces"
mkdir -p "$T/etc"

# inns ARG...: runit-init ARG... under a pid 1 that records SIGCONT; prints rc, modes, signal count.
inns() {
	rm -f "$T/cont"
	unshare --fork --pid --mount --mount-proc sh -c '
		mount --bind "$1" /etc/runit || exit 99
		trap "echo cont >>$2/cont" CONT
		shift 2
		runit-init "$@" 2>"$T/err"; rc=$?
		m() { stat -c %a "$1" 2>/dev/null || echo none; }
		echo "rc=$rc stopit=$(m /etc/runit/stopit) reboot=$(m /etc/runit/reboot)"
	' sh "$T/etc" "$T" "$@"
	echo "cont=$(wc -l <"$T/cont" 2>/dev/null || echo 0)"
}
export T

is "$(inns 0)" "rc=0 stopit=100 reboot=none
cont=1" "0: stopit 0100, no reboot file needed, SIGCONT to pid 1"
: >"$T/etc/reboot"; chmod 700 "$T/etc/reboot"
is "$(inns 0)" "rc=0 stopit=100 reboot=0
cont=1" "0: an existing reboot file is set to mode 0"
is "$(inns 6)" "rc=0 stopit=100 reboot=100
cont=1" "6: stopit and reboot 0100"
chmod 0 "$T/etc/reboot"
is "$(inns 6now)" "rc=0 stopit=100 reboot=100
cont=1" "only the first character counts"

if command -v setpriv >/dev/null; then
	rm -f "$T/etc/stopit"; chmod 755 "$T/etc"
	out=$(inns 0 2>&1)
	is "$(cat "$T/err")" "" "root: no message"
	out=$(unshare --fork --pid --mount --mount-proc sh -c '
		mount --bind "$1" /etc/runit && rm -f /etc/runit/stopit &&
		setpriv --reuid=65534 --regid=65534 --clear-groups runit-init 0; echo "rc=$?"' sh "$T/etc" 2>&1)
	is "$out" "init: fatal: unable to create /etc/runit/stopit: access denied
rc=111" "unwritable stop-it path: fatal, 111"
else
	skip "no setpriv"; skip "no setpriv"
fi
done_testing
