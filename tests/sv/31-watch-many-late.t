#!/bin/sh
# sv -o json watch over many crash-looping services with a watcher stopped and resumed again and again: for every service the run lines and the missed starts add up to runsv's own start count, whatever the timing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
N=${SV_WATCH_MANY:-40}
[ -n "${RNG_ASAN:-}" ] && N=15
names=
i=0
while [ $i -lt $N ]; do
	service s$i 'sleep 0.1; exit 1'
	spawn runsv "$T/s$i"
	names="$names s$i"
	i=$((i + 1))
done
ok "every service started once" wait_for 20 sh -c 'for s in $1; do grep -qs "^starts=[1-9]" $s/supervise/info || exit 1; done' _ "$names"
spawn "$SV" -o json watch $names >watch.json
wpid=$SPAWNED
ok "a first line for each" wait_for 10 sh -c "[ \$(grep -c . watch.json) -ge $N ]"
# stopped and resumed: 0.3 to 1.5 s asleep, then a moment awake, eight times
for pause in 0.3 1.1 0.5 1.5 0.7 0.4 1.2 0.9; do
	kill -STOP "$wpid"
	sleep "$pause"
	kill -CONT "$wpid"
	sleep 0.05
done
for s in $names; do "$SV" down $s >/dev/null; done
ok "every service down and wanted down" wait_for 20 sh -c 'for s in $1; do [ "$(cat $s/supervise/stat 2>/dev/null)" = down ] || exit 1; done' _ "$names"
for s in $names; do printf '%s %s\n' "$s" "$(sed -n 's/^starts=//p' $s/supervise/info)"; done >final
# the watcher has caught up once each service's last line is down with the final count
ok "the watcher caught up" wait_for 10 python3 -c '
import json, sys
final = dict(l.split() for l in open("final"))
last = {}
for l in open("watch.json"):
    o = json.loads(l)
    if "state" in o:
        last[o["name"]] = o
sys.exit(0 if all(n in last and last[n]["state"] == "down" and last[n]["starts"] == int(c)
                  for n, c in final.items()) else 1)'
cat >count.py <<'PY'
import json, sys
final = dict(l.split() for l in open("final"))
seen = {}
for l in open("watch.json"):
    o = json.loads(l)
    n = o["name"]
    s = seen.setdefault(n, {"first": None, "runs": 0, "missed": 0, "pid": None})
    if "missed_starts" in o:
        s["missed"] += o["missed_starts"]
        continue
    if s["first"] is None:
        s["first"] = o["starts"]
        s["pid"] = o["pid"] if o["state"] in ("run", "finish") else None
        continue
    if o["state"] in ("run", "finish") and o["pid"] and o["pid"] != s["pid"]:
        s["runs"] += 1
    s["pid"] = o["pid"] if o["state"] != "down" else None
bad = [n for n, s in seen.items() if s["runs"] + s["missed"] != int(final[n]) - s["first"]]
total = sum(int(final[n]) - s["first"] for n, s in seen.items())
missed = sum(s["missed"] for s in seen.values())
print(len(seen), total, missed, len(bad), " ".join(bad[:5]))
PY
set -- $(python3 count.py)
diag "$1 services, $2 starts while watched, $3 told as missed"
is "$1" "$N" "every service watched"
ok "the watcher was late for some ($3 starts told as missed)" test "$3" -gt 0
is "$4" 0 "every start shows, as a run line or in a missed count, for every service"
done_testing
