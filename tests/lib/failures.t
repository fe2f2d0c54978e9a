#!/bin/sh
# Diagnostics go to stderr (prove hides stdout), C and shell alike, and make check's summary repeats each failing file's reasons at the end, passing and skipped files left out.
. "$(dirname "$0")/tap.sh"

mkdir "$T/t" "$T/log"
cat >"$T/t/fails.t" <<'INNER'
#!/bin/sh
. "$RNG_TOP/tests/lib/tap.sh"
is "got-this" "wanted-that" "a string compare"
ok "passes" true
like "abc" '^x' "a pattern"
ok "a command" false with-args
diag "a note"
done_testing
INNER
printf '#!/bin/sh\n. "$RNG_TOP/tests/lib/tap.sh"\nok "fine" true\ndone_testing\n' >"$T/t/passes.t"
printf '#!/bin/sh\n. "$RNG_TOP/tests/lib/tap.sh"\nskip_all "nothing here"\n' >"$T/t/skips.t"
printf '#!/bin/sh\necho "ok 1 - then it died"\nexit 0\n' >"$T/t/noplan.t"
chmod +x "$T/t"/*.t

stdout=$("$T/t/fails.t" 2>/dev/null)
stderr=$("$T/t/fails.t" 2>&1 >/dev/null)
is "$(printf '%s\n' "$stdout" | grep -c '^#')" 0 "a failing shell test: nothing but results on stdout"
like "$stderr" "Failed test 1 - a string compare" "stderr names the failed test"
like "$stderr" "got: +got-this" "and what it got"
like "$stderr" "expected: +wanted-that" "and what was expected"
like "$stderr" "command: false with-args" "ok names the command that failed"
like "$stderr" "^# a note" "diag writes to stderr"

cat >"$T/unit.c" <<'INNER'
#include "tap.h"
int main(void)
{
	ok(1 == 2, "one is two");
	is_str("a", "b", "strings");
	return done_testing();
}
INNER
if cc -std=c17 -I"$RNG_TOP/tests/unit" -o "$T/unit" "$T/unit.c" 2>"$T/cc.log"; then
	is "$("$T/unit" 2>/dev/null | grep -c '^#')" 0 "a failing unit test: nothing but results on stdout"
	err=$("$T/unit" 2>&1 >/dev/null)
	like "$err" "Failed test 1 - one is two" "tap.h names the failed test on stderr"
	like "$err" "at .*unit.c:4" "and where"
	like "$err" "got: 'a'" "is_str's got on stderr"
else
	diag "cc: $(cat "$T/cc.log")"
	ok "tap.h compiles" false
fi

# the summary: every file through tests/lib/exec with RNG_LOG, as make check does
for t in fails passes skips noplan; do
	RNG_LOG=$T/log "$RNG_TOP/tests/lib/exec" "$T/t/$t.t" >/dev/null 2>&1
done
summary=$("$RNG_TOP/tests/lib/failures" "$T/log")
like "$summary" "======== .*/fails.t \(exit 1\)" "the failing file is named"
like "$summary" "got: +got-this" "with its reasons"
like "$summary" "======== .*/noplan.t" "a file that ended without a plan is failing"
like "$summary" "2 failing test file" "two failing files counted"
is "$(printf '%s\n' "$summary" | grep -cE 'passes.t|skips.t')" 0 "passing and skipped files are left out"
is "$(cat "$T/log"/*fails.t.rc)" 1 "exec keeps the exit status"
done_testing
