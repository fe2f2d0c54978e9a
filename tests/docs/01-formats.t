#!/bin/sh
# docs/formats.md keeps up with the code: every key runsv writes into supervise/info and every command byte runsv knows is described there, and every place the code cites it names a heading it has.
. "$(dirname "$0")/../lib/tap.sh"

doc=$RNG_TOP/docs/formats.md
ok "docs/formats.md exists" test -s "$doc"

# the keys, from the code that writes them: "\nKEY=" (the first: "KEY=")
keys=$(grep -oE 'put\(out, len, "(\\n)?[a-z_]+="\)' "$RNG_TOP/src/lib/svinfo.c" | sed -E 's/.*"(\\n)?([a-z_]+)=".*/\2/')
ok "svinfo.c's keys found" test "$(echo $keys | wc -w)" -ge 10
missing=
for k in $keys; do
	grep -qE "^\| \`$k\` \|" "$doc" || missing="$missing $k"
done
is "$missing" "" "every info key has its row in the info table ($(echo $keys | wc -w) keys)"

# the command bytes, from control.h
bytes=$(grep -oE "CTL_[A-Z0-9]+ = '.'" "$RNG_TOP/src/lib/control.h" | sed -E "s/.*'(.)'/\1/")
is "$(echo $bytes | wc -w)" 14 "control.h's 14 command bytes found"
missing=
for b in $bytes; do
	grep -qE "^\| ([^|]* )?\`$b\`" "$doc" || missing="$missing $b"
done
is "$missing" "" "every command byte is in the control table"

# citations: docs/formats.md, "HEADING"
bad=
cites=$(grep -rhoE 'docs/formats\.md, "[^"]+"' "$RNG_TOP/src" | sed -E 's/.*"(.*)"/\1/' | sort -u)
ok "the code cites it" test -n "$cites"
printf '%s\n' "$cites" >"$T/cites"
while IFS= read -r h; do
	grep -qE "^## $h\$" "$doc" || bad="$bad [$h]"
done <"$T/cites"
is "$bad" "" "every citation in src/ names a heading of docs/formats.md"
is "$(grep -rlE 'formats\.md *§|spec/formats' "$RNG_TOP/src" | tr '\n' ' ')" "" "no citation of the old section numbers"
done_testing
