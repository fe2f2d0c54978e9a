#!/bin/sh
# sv robustness as an unprivileged user: unreadable supervise/, unwritable control, unreadable status, unreadable SVDIR.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
need_root
command -v setpriv >/dev/null || skip_all "setpriv missing"

SV=$RNG_BIN/sv
chmod 755 "$T"
cd "$T" || exit 1
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
fake "$T/f"
setrec f 3 10 0 u 0 1
chmod 755 f
chmod 700 f/supervise
out=$(nobody "$SV" status ./f 2>&1); rc=$?
is "$rc:$out" "1:warning: ./f: unable to open supervise/ok: access denied" "unreadable supervise/"
chmod 755 f/supervise; chmod 622 f/supervise/ok; chmod 600 f/supervise/status
out=$(nobody "$SV" status ./f 2>&1); rc=$?
is "$rc:$out" "1:warning: ./f: unable to open supervise/status: access denied" "unreadable status"
chmod 644 f/supervise/status; chmod 600 f/supervise/control
out=$(nobody "$SV" down ./f 2>&1); rc=$?
is "$rc:$out" "1:warning: ./f: unable to open supervise/control: access denied" "unwritable control"
mkdir -p svdir/x; chmod 700 svdir
out=$(SVDIR=$T/svdir nobody "$SV" status x 2>&1); rc=$?
is "$rc:$out" "1:fail: x: unable to change to service directory: access denied" "SVDIR not searchable"
done_testing
