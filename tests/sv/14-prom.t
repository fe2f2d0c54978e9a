#!/bin/sh
# sv -o prom status: Prometheus text format that a strict line parser accepts (HELP, TYPE, name{labels} value; one block per family), with values that match the services.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1

# strict: every line one of the three shapes; HELP then TYPE once per family,
# its samples right after it; no series twice; a trailing newline
cat >strict.py <<'EOF'
import re, sys
NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r'^(%s)(\{%s(?:,%s)*\})? (-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[+-]Inf|NaN)$' % (NAME, LABEL, LABEL))
HELP = re.compile(r'^# HELP (%s) (\S.*)$' % NAME)
TYPE = re.compile(r'^# TYPE (%s) (counter|gauge|histogram|summary|untyped)$' % NAME)
text = sys.stdin.read()
if not text.endswith("\n"):
    sys.exit("no final newline")
seen_family, current, helped, series = set(), None, None, set()
for n, line in enumerate(text[:-1].split("\n"), 1):
    m = HELP.match(line)
    if m:
        if m.group(1) in seen_family or helped:
            sys.exit("line %d: HELP out of place: %s" % (n, line))
        helped = m.group(1)
        continue
    m = TYPE.match(line)
    if m:
        if m.group(1) in seen_family or (helped and helped != m.group(1)):
            sys.exit("line %d: TYPE out of place: %s" % (n, line))
        seen_family.add(m.group(1))
        current, helped = m.group(1), None
        continue
    m = SAMPLE.match(line)
    if not m:
        sys.exit("line %d: not a sample: %r" % (n, line))
    if m.group(1) != current:
        sys.exit("line %d: sample outside its family's block: %s" % (n, line))
    key = (m.group(1), m.group(2))
    if key in series:
        sys.exit("line %d: series twice: %s" % (n, line))
    series.add(key)
print("ok")
EOF

service a; with_log a
service b; touch b/down
service 'we"ird\name'
for s in a b 'we"ird\name'; do up runsv "$T/$s"; done
ok "a and its log run" wait_for 5 sh -c '"$1" status a | grep -qs "^run: a: .*; run: log:"' _ "$SV"
mkdir gone gone/supervise; mkfifo gone/supervise/ok

"$SV" -o prom status a b 'we"ird\name' gone nonexist >prom; rc=$?
t=$("$SV" status a b 'we"ird\name' gone nonexist >/dev/null 2>&1; echo $?)
is "$rc" "$t" "exit code as for sv status ($t)"
is "$(python3 strict.py <prom)" ok "a strict parser accepts every line"
sample() { grep -F "$1" prom | grep -c .; }
is "$(sample 'runit_service_up{service="a"} 1')" 1 "a is up"
is "$(sample 'runit_service_up{service="a/log"} 1')" 1 "its log is a series of its own"
is "$(sample 'runit_service_up{service="b"} 0')" 1 "b is not"
is "$(sample 'runit_service_normally_up{service="b"} 0')" 1 "b has a down file"
is "$(sample 'runit_service_state{service="b",state="down"} 1')" 1 "b's state"
is "$(sample 'runit_service_up{service="we\"ird\\\\name"} 1')" 1 "a name with a quote and a backslash, escaped (the backslash doubled in the shown form)"
is "$(sample 'runit_service_supervised{service="gone"} 0')" 1 "a service without runsv: supervised 0"
is "$(grep -c 'service="gone"' prom)" 1 "and nothing else about it"
is "$(sample 'runit_service_supervised{service="nonexist"} 0')" 1 "a missing service: supervised 0"
since=$(awk '/^runit_service_start_time_seconds\{service="a"\}/ {print $2}' prom)
stamp=$(python3 -c 'import struct, sys; s, n = struct.unpack(">QL", open(sys.argv[1], "rb").read(12)); print("%d.%09d" % (s - (1 << 62) - 10, n))' a/supervise/status)
is "$since" "$stamp" "start time is the record's stamp, to the nanosecond"
is "$(sample 'runit_service_starts_total{service="a"} 1')" 1 "starts, from runsv's info"
"$SV" -o prom status a >one
is "$(grep -c '^runit_service_up{service="a/log"} 1$' one):$(python3 strict.py <one)" "1:ok" "one service with a log: the log's series too"
for m in supervised up state start_time_seconds want_up normally_up paused got_term ready starts_total last_exit_code last_exit_signal; do
	grep -q "^# TYPE runit_service_$m " prom || echo "missing $m"
done >missing
is "$(cat missing)" "" "every documented metric has its TYPE line"
done_testing
