#!/bin/sh
# sv -o prom status emits each series once whatever the operands (X X/log, a name twice) and names that differ only in bytes that are not UTF-8 stay distinct and reversible (\xHH, backslash doubled) in prom and JSON; over every state, no two samples share a name and label set, and promtool check metrics accepts the text when it is installed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1

# every state: run (with a log), down, paused, finish, runsv not running, no directory
service a; with_log a
service b; touch b/down
service c
service f 'exec sleep 1000'
printf '#!/bin/sh\nexec sleep 1000\n' >f/finish; chmod +x f/finish
service d
bad1=$(printf 'x\377') bad2=$(printf 'x\376') slash='we\ird'
service "$bad1"; service "$bad2"; service "$slash"
for s in a b c f "$bad1" "$bad2" "$slash"; do up runsv "$T/$s"; done
ok "a and its log run" wait_for 5 sh -c 'is_state() { case "$(cat "$1/supervise/stat" 2>/dev/null)" in "$2"*) return 0;; esac; return 1; }; is_state a run && is_state a/log run'
"$SV" pause c >/dev/null
"$SV" down f >/dev/null
ok "f finishes" wait_for 5 is_state f finish

# dup.py: no sample twice (name and label set); the services named, decoded
cat >dup.py <<'PY'
import re, sys
seen, dups, names = set(), 0, set()
for line in sys.stdin.read().splitlines():
    if line.startswith("#") or not line:
        continue
    key = line.rsplit(" ", 1)[0]
    if key in seen:
        dups += 1
        print("twice: " + key, file=sys.stderr)
    seen.add(key)
    m = re.search(r'service="((?:[^"\\]|\\.)*)"', key)
    names.add(m.group(1))
print(dups, len(names))
PY
ops="a a/log a b b c f d nosuch"
"$SV" -o prom status $ops "$bad1" "$bad2" "$slash" "$bad1" >prom.txt
set -- $(python3 dup.py <prom.txt)
is "$1" 0 "no series twice (operands $ops and two names that differ in a byte that is not UTF-8)"
is "$2" 10 "ten services: a, a/log, b, c, f, d, nosuch and the three odd names"
ok "the two odd names are two label values, escaped" sh -c 'grep -qs "runit_service_up{service=\"x\\\\\\\\xff\"}" prom.txt && grep -qs "runit_service_up{service=\"x\\\\\\\\xfe\"}" prom.txt'
ok "a name with a backslash: doubled in its shown form" grep -qs 'runit_service_up{service="we\\\\\\\\ird"}' prom.txt
if command -v promtool >/dev/null; then
	out=$(promtool check metrics <prom.txt 2>&1); rc=$?
	is "$rc:$out" "0:" "promtool check metrics accepts it"
else
	skip "promtool not installed (Debian's prometheus)"
fi

# JSON: each operand once, names distinct and reversible to the bytes
"$SV" -o json status a a b "$bad1" "$bad2" "$slash" "$bad1" >json.txt
cat >names.py <<'PY'
import json, re, sys
def undo(s):
    out, i = bytearray(), 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1] == "\\":
            out += b"\\"; i += 2
        elif s[i] == "\\" and s[i + 1] == "x":
            out.append(int(s[i + 2:i + 4], 16)); i += 4
        else:
            out += s[i].encode(); i += 1
    return bytes(out)
names = [json.loads(l)["name"] for l in open("json.txt", encoding="utf-8")]
print(" ".join(undo(n).hex() if "\\" in n else n for n in names))
PY
is "$(python3 names.py)" "a b 78ff 78fe $(printf 'we\\ird' | od -An -tx1 | tr -d ' \n')" \
    "JSON: one line per service, the odd names back to their bytes"
done_testing
