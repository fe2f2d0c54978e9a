#!/bin/sh
# sv and the ./check script: stdout closed, stderr kept, re-run until it passes, exec failure passes, sv check as in 2.3.0 (D-sv-17, D-sv-18).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
service c 'trap "" HUP; exec sleep 1000'; touch c/down
cat >c/check <<'EOS'
#!/bin/sh
echo "check stdout" || echo "stdout closed" >&2
echo "check stderr" >&2
test -e flag
EOS
chmod +x c/check
up runsv "$T/c"

out=$("$SV" -w 1 start c 2>"$T/err"); rc=$?
like "$out" '^timeout: run: c: \(pid [0-9]+\) [0-9]+s, normally down$' "failing check: start times out"
is "$rc" 1 "start timeout: rc 1"
ok "check's stdout was closed" grep -q "stdout closed" "$T/err"
ok "check's stderr is kept" grep -q "check stderr" "$T/err"
ok "check stdout never reaches sv's stdout" sh -c "! printf '%s' \"\$1\" | grep -q 'check stdout'" _ "$out"
is "$(grep -c 'check stderr' "$T/err")" "$(grep -c 'check stderr' "$T/err")" "check was re-run"
ok "check was re-run while waiting" test "$(grep -c 'check stderr' "$T/err")" -ge 2

# the check passes while sv waits: sv notices without any status change
(sleep 0.5; touch c/flag) &
out=$("$SV" -w 5 check c 2>/dev/null); rc=$?
like "$rc:$out" '^0:ok: run: c: \(pid [0-9]+\) [0-9]+s, normally down$' "sv check waits until the check passes"
out=$("$SV" -w 3 stop c 2>/dev/null); rc=$?
like "$rc:$out" '^0:ok: down: c: [0-9]+s$' "stop does not run the check"

# 2.3.0: check on a service wanted up but down waits for up (Debian's says ok)
fake "$T/f"
setrec f 5 0 0 u 0 0
out=$("$SV" -w 1 check ./f); rc=$?
like "$rc:$out" '^1:timeout: down: \./f: [0-9]+s, normally up, want up$' "check on a wanted-up, down service times out (2.3.0)"
setrec f 5 0 0 d 0 0
out=$("$SV" -w 1 check ./f); rc=$?
like "$rc:$out" '^0:ok: down: \./f: [0-9]+s, normally up$' "check on a service wanted down: ok when down"
setrec f 5 77 0 d 0 1
out=$("$SV" -w 0 check ./f); rc=$?
like "$rc:$out" '^1:timeout: run: \./f: \(pid 77\) [0-9]+s, want down$' "check on a running service wanted down waits for down"

# a check that cannot be executed counts as passed, with a warning
printf 'not a script' >c/check; chmod 644 c/check
out=$("$SV" -w 3 start c 2>"$T/err"); rc=$?
like "$rc:$out" '^0:ok: run: c: ' "non-executable check passes"
is "$(sort -u "$T/err")" "warning: unable to run c/check: access denied" "exec failure warning from the child"
rm c/check; ln -s check c/check
out=$("$SV" -w 0 -v hup c 2>"$T/err"); rc=$?
like "$rc:$out" '^0:ok: run: c: ' "h does not run the check"
out=$("$SV" -w 0 up c 2>"$T/err"); rc=$?
like "$rc:$out" '^1:timeout: ' "check that cannot be stat'ed fails"
like "$(head -n1 "$T/err")" '^warning: unable to stat c/check: symbolic link loop$' "stat warning on stderr"
done_testing
