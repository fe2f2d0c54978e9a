#!/bin/sh
# sv watch: the current state, then exactly one line per state change (down, up, restart, a crash), each stamped with the local time soon after the change, as text and as JSON; it follows a runsv replaced meanwhile a supervise link whose target is made later and a service directory removed and made again, stays asleep while nothing changes, ends with 0 on INT and TERM, and when its reader is gone.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1
lines() { cat "$1" 2>/dev/null | grep -c .; }
has() { [ "$(lines "$1")" -ge "$2" ]; }

service w
up runsv "$T/w"
ok "w runs" wait_for 5 is_state w run
spawn "$SV" watch w >text.out
tpid=$SPAWNED
spawn "$SV" -o json watch w >json.out
jpid=$SPAWNED
ok "the current state first" wait_for 5 sh -c 'grep -qs . text.out && grep -qs . json.out'

"$SV" -w 3 down w >/dev/null
ok "down: a line" wait_for 5 has text.out 2
"$SV" -w 3 up w >/dev/null
ok "up: a line" wait_for 5 has text.out 3
"$SV" -w 5 restart w >/dev/null
ok "restart: two lines" wait_for 5 has text.out 5
kill -9 "$(cat w/supervise/pid)"
ok "a crash: two lines" wait_for 5 has text.out 7
ok "the JSON watcher wrote as many" wait_for 5 has json.out 7

# nothing more while nothing happens: both asleep
t0=$(cpu_ticks "$tpid")
sleep 1 # a quiet second, measured
t1=$(cpu_ticks "$tpid")
ok "idle: no CPU ($((t1 - t0)) ticks)" test $((t1 - t0)) -le 1

mask() { sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} /TIME /; s/\(pid [0-9]+\)/(pid P)/; s/ [0-9]+s/ Ns/'; }
is "$(mask <text.out)" "TIME run: w: (pid P) Ns
TIME down: w: Ns, normally up
TIME run: w: (pid P) Ns
TIME down: w: Ns, normally up, want up
TIME run: w: (pid P) Ns
TIME down: w: Ns, normally up, want up
TIME run: w: (pid P) Ns" "exactly the expected lines, in order"
pids=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' text.out | sort -u | wc -l)
is "$pids" 4 "four processes: the first, after up, after restart, after the crash"

# each line soon after its change: the text line's time against the JSON "since"
cat >latency.py <<'EOF'
import datetime, json, sys
text = [l.split(" ", 1)[0] for l in open("text.out")]
# A JSON line also tells other changes (a next_start announced by sv up,
# readiness...): the state changes are the lines whose state differs.
objs = []
for l in open("json.out"):
    o = json.loads(l)
    if not objs or o["state"] != objs[-1]["state"]:
        objs.append(o)
states = [o["state"] for o in objs]
lat = [datetime.datetime.fromisoformat(t).timestamp() - o["since"] for t, o in zip(text[1:], objs[1:])]
print(" ".join(states), "|", " ".join("%.0f" % (x * 1000) for x in lat), "|", int(max(lat) * 1000))
EOF
out=$(python3 latency.py)
diag "states and per-line latency in ms: $out"
is "${out%% |*}" "run down run down run down run" "the JSON objects tell the same states"
ok "every line within 1000 ms of its change (the bench measures the figure)" test "${out##*| }" -lt 1000

# a runsv replaced while watching: its end, then the new one
"$SV" -w 3 exit w >/dev/null
ok "runsv gone: a fail line" wait_for 5 sh -c 'tail -n1 text.out | grep -qs "fail: w: runsv not running$"'
up runsv "$T/w"
ok "the new runsv's service: a run line" wait_for 5 sh -c 'tail -n1 text.out | grep -qs "run: w: (pid [0-9]*) [0-9]*s$"'

# supervise a link to a directory runsv makes when it starts (Void's
# supervise -> /run/runit/supervise.NAME): watched before runsv runs, the
# service coming up is seen
mkdir -p run
service v
ln -s ../run/supervise.v v/supervise
spawn "$SV" watch v >link.out
lpid=$SPAWNED
ok "dangling supervise link: the current state" wait_for 5 grep -qs 'unable to open supervise/ok' link.out
up runsv "$T/v"
ok "runsv made the target: its run line" wait_for 5 grep -qs 'run: v: (pid [0-9]*) [0-9]*s$' link.out
kill -TERM "$lpid"

# a service directory removed and made again (a package reinstall): followed
service r
up runsv "$T/r"
spawn "$SV" watch r >gone.out
gpid=$SPAWNED
ok "r: its run line" wait_for 5 grep -qs 'run: r: ' gone.out
"$SV" -w 3 exit r >/dev/null
rm -rf r
ok "r removed: said" wait_for 5 sh -c 'tail -n1 gone.out | grep -qs "fail: r: unable to change to service directory: file does not exist$"'
service r
up runsv "$T/r"
ok "r made again and run: its run line" wait_for 5 sh -c 'tail -n1 gone.out | grep -qs "run: r: (pid [0-9]*) [0-9]*s$"'
kill -TERM "$gpid"

# an info renamed into place ahead of its record: the line waits for the
# record, and if it never comes, shows what there is after a moment
fake "$T/f"
setrec f 0 4242 0 u 0 1
printf 'pid=4243\nsince=%s.000000000\n' $(( $(date +%s) + 100 )) >f/supervise/info
spawn "$SV" watch ./f >due.out
dpid=$SPAWNED
ok "a record due that never comes: shown all the same" wait_for 5 grep -qs 'run: ./f: (pid 4242) ' due.out
kill -TERM "$dpid"

kill -INT "$tpid"
ok "INT ends watch" wait_exit "$tpid" 5
is "$EXITCODE" 0 "with 0"
kill -TERM "$jpid"
ok "TERM ends watch" wait_exit "$jpid" 5
is "$EXITCODE" 0 "with 0"

# its reader gone, watch ends, though nothing changes (and SIGPIPE is ignored)
spawn sh -c 'trap "" PIPE; "$1" watch w | head -n 1 >head.out' _ "$SV"
ok "watch | head -n 1 returns" wait_exit "$SPAWNED" 10
like "$(cat head.out)" ' run: w: ' "with the one line"
done_testing
