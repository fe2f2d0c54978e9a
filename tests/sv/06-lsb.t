#!/bin/sh
# sv called by another name (LSB init-script mode): the service is the name, status exit codes 0/1/3/4, 2.3.0's main-service rule (D-sv-14, D-sv-15).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

export SVDIR=$T
cd "$T" || exit 1
mkdir initd
for n in s1 s2 s3 gone nodir bad; do ln -s "$RNG_BIN/sv" "initd/$n"; done

service s1; touch s1/down
service s2
service s3; touch s3/down; with_log s3
service gone
up runsv "$T/s1"; up runsv "$T/s2"; up runsv "$T/s3"
ok "s2 runs" wait_for 5 is_state s2 run
ok "s3's log runs" wait_for 5 is_state s3/log run

out=$(initd/s1 status); rc=$?
like "$rc:$out" '^3:down: s1: [0-9]+s$' "status of a down service: rc 3"
out=$(initd/s2 status ignored operands); rc=$?
like "$rc:$out" '^0:run: s2: \(pid [0-9]+\) [0-9]+s$' "status of a running service: rc 0, extra operands ignored"
out=$(initd/s3 status); rc=$?
like "$rc:$out" '^3:down: s3: [0-9]+s; run: log: \(pid [0-9]+\) [0-9]+s$' "main down, log up: rc 3 (2.3.0; Debian says 0)"
mkdir -p gone/supervise && mkfifo gone/supervise/ok
out=$(initd/gone status); rc=$?
is "$rc:$out" "1:fail: gone: runsv not running" "runsv gone: fail line, rc 1"
out=$(initd/nodir status); rc=$?
is "$rc:$out" "1:fail: nodir: unable to change to service directory: file does not exist" "missing directory: rc 1"
mkdir -p bad/supervise
out=$(initd/bad status); rc=$?
is "$rc:$out" "4:warning: bad: unable to open supervise/ok: file does not exist" "status unreadable: rc 4"
fake "$T/bad2"; ln -s "$RNG_BIN/sv" initd/bad2
record 1 1 0 u 0 1 | head -c 7 >bad2/supervise/status
out=$(initd/bad2 status); rc=$?
is "$rc:$out" "4:warning: bad2: unable to read supervise/status: bad format" "bad record: rc 4"
setrec bad2 1 1 0 u 0 1; ln -s down bad2/down
out=$(initd/bad2 status 2>/dev/null); rc=$?
is "$rc" 4 "down unstat-able: rc 4"

out=$(initd/s1 start); rc=$?
like "$rc:$out" '^0:ok: run: s1: \(pid [0-9]+\) [0-9]+s, normally down$' "start waits without -v"
out=$(initd/s1 -w 3 stop); rc=$?
like "$rc:$out" '^0:ok: down: s1: [0-9]+s$' "-w before the command"
out=$(initd/s1 up); rc=$?
is "$rc:$out" "0:" "up without -v does not wait"
out=$(initd/gone start); rc=$?
is "$rc:$out" "1:fail: gone: runsv not running" "start without runsv: rc 1"
# fatal errors exit 151 in LSB mode
mkdir -p "$T/cwd" && chmod 311 "$T/cwd"
ln -s "$RNG_BIN/sv" "$T/s9"
out=$(cd "$T/cwd" && setpriv --reuid=65534 --regid=65534 --clear-groups "$T/s9" status 2>&1); rc=$?
is "$rc:$out" "151:fatal: unable to open current directory: access denied" "LSB fatal: rc 151"
out=$(cd "$T/cwd" && setpriv --reuid=65534 --regid=65534 --clear-groups "$RNG_BIN/sv" status x 2>&1); rc=$?
is "$rc:$out" "100:fatal: unable to open current directory: access denied" "fatal: rc 100"
done_testing
