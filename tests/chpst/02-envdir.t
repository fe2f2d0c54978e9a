#!/bin/sh
# chpst -e and the envdir personality: first line, trailing blanks, NUL->newline, empty file unsets, dot files, subdirectories, errors (U-chpst-3, D-chpst-1,2).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
personalities "$T/bin" "$C"

E=$T/env
mkdir "$E" "$E/sub"
printf 'val  \t\nsecond\n' >"$E/A"
: >"$E/EMPTY"
printf '\n' >"$E/NL"
printf 'a\0b' >"$E/NUL"
printf 'hidden\n' >"$E/.hidden"
printf 'no newline at end' >"$E/NOEOL"
printf ' lead\tmid \t \n' >"$E/BLANKS"
printf 'new\n' >"$E/KEEP"

run env EMPTY=was KEEP=old "$C" -e "$E" env
ok "exit 0" [ "$RC" = 0 ]
like "$OUT" "^A=val$" "first line, trailing blanks cut"
ok "second line not used" sh -c '! printf "%s\n" "$1" | grep -q second' - "$OUT"
like "$OUT" "^NL=$" "a lone newline sets the empty string"
ok "NUL becomes a newline" sh -c 'printf "%s\n" "$1" | grep -qx "NUL=a" && printf "%s\n" "$1" | grep -qx "b"' - "$OUT"
ok "an empty file unsets" sh -c '! printf "%s\n" "$1" | grep -q "^EMPTY"' - "$OUT"
ok "dot files ignored" sh -c '! printf "%s\n" "$1" | grep -q "hidden"' - "$OUT"
like "$OUT" "^NOEOL=no newline at end$" "a file without a newline is used whole"
like "$OUT" "^BLANKS= lead	mid$" "only trailing blanks are cut"
like "$OUT" "^KEEP=new$" "a file overrides the inherited value"
is "$(printf '%s\n' "$OUT" | grep -c '^KEEP=')" 1 "no duplicate entry left behind"
ok "a subdirectory is skipped silently" sh -c '! printf "%s\n" "$1" | grep -q "sub"' - "$OUT"

run "$C" -e"$E" true
is "$OUT$NL$RC" "${NL}0" "attached option argument works, nothing printed without -v (U-chpst-3)"
run "$C" -v -e "$E" true
is "$OUT$NL$RC" "chpst: warning: unable to read $E/sub: is a directory${NL}0" "-v warns about the subdirectory"

run "$T/bin/envdir" "$E" env
is "$OUT$NL$RC" "chpst: fatal: unable to read $E/sub: is a directory${NL}111" "envdir: a subdirectory is fatal (D-chpst-2)"
rmdir "$E/sub"
run "$T/bin/envdir" "$E" sh -c 'echo "$A|$NOEOL"'
is "$OUT$NL$RC" "val|no newline at end${NL}0" "envdir personality sets the same values"

run "$C" -e "$T/nonexistent" true
is "$OUT$NL$RC" "chpst: fatal: unable to switch to directory: $T/nonexistent: file does not exist${NL}111" "missing envdir"
run "$T/bin/envdir" "$E/A" true
is "$OUT$NL$RC" "chpst: fatal: unable to switch to directory: $E/A: not a directory${NL}111" "envdir on a file"

# PATH from the envdir goes to PROG, but chpst searches with the PATH it was given.
mkdir "$T/penv" && printf '/nonexistent\n' >"$T/penv/PATH"
run "$C" -e "$T/penv" env
ok "program found through the original PATH" [ "$RC" = 0 ]
like "$OUT" "^PATH=/nonexistent$" "the program sees the envdir's PATH"

# -U is applied after -e, so it wins over UID/GID files.
mkdir "$T/uenv" && printf '999\n' >"$T/uenv/UID" && printf '998\n' >"$T/uenv/GID"
run "$C" -e "$T/uenv" -U :12:34 env
like "$OUT" "^UID=12$" "-U overrides an envdir UID"
like "$OUT" "^GID=34$" "-U overrides an envdir GID"

# envdir read relative to the starting directory, before -/ (chroot).
mkdir "$T/rel" && printf 'yes\n' >"$T/rel/REL"
run sh -c "cd '$T' && '$C' -e rel env"
like "$OUT" "^REL=yes$" "relative envdir path from the cwd"

done_testing
