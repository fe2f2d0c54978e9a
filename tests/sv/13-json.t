#!/bin/sh
# sv -o json status: every state parsed by python3's json module and checked field by field against the status bytes, info's last_exit, starts and readiness, errors as objects, exit codes as for sv status.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"
command -v python3 >/dev/null || skip_all "python3 not installed"

SV=$RNG_BIN/sv
export SVDIR=$T
cd "$T" || exit 1

# check ROOT NOW_LO NOW_HI: sv's JSON lines on stdin, each checked against
# its service directory as copied into ROOT (the status bytes, the down file,
# supervise/info) while sv ran, sv having read its clock between NOW_LO and
# NOW_HI; prints "ok" or the differences.
cat >check.py <<'EOF'
import json, os, struct, sys

root = sys.argv[1]

def at(*parts):
    return os.path.join(root, *parts)

def info_of(d):
    try:
        lines = open(at(d, "supervise/info")).read().split("\n")
    except OSError:
        return None
    return dict(l.split("=", 1) for l in lines if "=" in l)

def expect(d, name, now):
    raw = open(at(d, "supervise/status"), "rb").read()
    sec, nano = struct.unpack(">QL", raw[:12])
    pid, paused, want, term, state = struct.unpack("<LBcBB", raw[12:])
    unix = sec - (1 << 62) - 10
    e = {"name": name,
         "state": {0: "down", 1: "run", 2: "finish"}.get(state),
         "pid": pid or None,
         "since": unix + nano / 1e9,
         "seconds": (max(now[0] - unix, 0), max(now[1] - unix, 0)),
         "want": {b"u": "up", b"d": "down"}.get(want),
         "normally": "down" if os.path.exists(at(d, "down")) else "up",
         "paused": paused != 0,
         "got_term": term != 0}
    try:
        stat = open(at(d, "supervise/stat")).read()
    except OSError:
        stat = ""
    if e["want"] == "down" and state != 0 and "want exit" in stat:
        e["want"] = "exit"
    i = info_of(d)
    # An info written down, announcing the start this record shows, is the
    # start's (svinfo_derive_start): pid and since the record's, one more start.
    if (i is not None and i["pid"] == "0" and i.get("next_start") and not i.get("gave_up")
            and not i["ready_since"] and not i["main_pid"] and pid and state == 1
            and -0.05 <= unix + nano / 1e9 - float(i["next_start"]) <= 1.0):
        i.update(pid=str(pid), since="%d.%09d" % (unix, nano), starts=str(int(i["starts"]) + 1),
                 status_text="")
    if i is not None and int(i["pid"]) == pid and i["since"] == "%d.%09d" % (unix, nano):
        declared = i["readiness"] != "none"
        e["ready"] = (i["ready_since"] != "") if declared else None
        e["ready_since"] = float(i["ready_since"]) if declared and i["ready_since"] else None
        le = i["last_exit"]
        e["last_exit"] = None if not le else {"exit": {"code": 0}, "signal": {"signal": 0}}[le.split()[0]]
        if le:
            e["last_exit"][list(e["last_exit"])[0]] = int(le.split()[1])
        e["starts"] = int(i["starts"])
        e["status_text"] = i["status_text"] or None
        e["oneshot"] = i.get("oneshot") or None
        wc = i.get("waiting_count")
        e["waiting_count"] = int(wc) if wc else None
        e["waiting"] = [dict(zip(("name", "state", "reason"), (w.split(" ", 2) + ["", ""])[:3]))
                        for w in i.get("waiting", "").split("|") if w] if wc else None
        e["readiness_error"] = i.get("readiness_error") or None
    else:
        e.update(ready=None, ready_since=None, last_exit=None, starts=None, status_text=None,
                 oneshot=None, waiting_count=None, waiting=None, readiness_error=None)
    return e

now = (int(sys.argv[2]), int(sys.argv[3]))

def differs(k, got, want):
    if k == "seconds" and want is not None and got is not None:
        return not (want[0] - 1 <= got <= want[1] + 1)  # sv's clock, read between
    if k in ("since", "ready_since") and want is not None and got is not None:
        return abs(got - want) > 1e-6
    return got != want

for line in sys.stdin:
    o = json.loads(line)
    name = o["name"]
    if "error" in o:
        print("error:", o["error"], sorted(o))
        continue
    keys = ["name", "state", "pid", "since", "seconds", "want", "normally", "paused", "got_term",
            "ready", "ready_since", "last_exit", "starts", "status_text", "oneshot",
            "waiting_count", "waiting", "readiness_error",
            "next_start", "gave_up", "gave_up_exits", "template", "instance", "log"]
    if list(o) != keys:
        print("keys:", list(o)); continue
    e = expect(name, name, now)
    bad = [k for k in e if differs(k, o[k], e[k])]
    log = o["log"]
    if os.path.isdir(at(name, "log")) != (log is not None):
        bad.append("log presence")
    elif log is not None and "error" not in log:
        el = expect(os.path.join(name, "log"), name + "/log", now)
        bad += ["log." + k for k in el if k not in ("since", "seconds", "ready_since") and log[k] != el[k]]
        if list(log) != keys[:-1]:
            bad.append("log keys")
    print("ok" if not bad else "differs: " + ", ".join("%s=%r (bytes say %r)" % (k, o.get(k), e.get(k)) for k in bad))
EOF
# snap DIR NAME...: copies of every file sv reads for the services, into DIR
snap() {
	rm -rf "$1"; _s=$1; shift
	for _n; do
		mkdir -p "$_s/$_n"
		[ ! -d "$_n/log" ] || mkdir -p "$_s/$_n/log"
		for _f in supervise/status supervise/stat supervise/info down \
		    log/supervise/status log/supervise/stat log/supervise/info log/down; do
			[ -e "$_n/$_f" ] || continue
			mkdir -p "$_s/$(dirname "$_n/$_f")"
			cp "$_n/$_f" "$_s/$_n/$_f" 2>/dev/null
		done
	done
}
# json NAME...: sv's JSON checked against what its files held while it ran:
# copies taken just before and just after sv must be the same (else a
# supervisor changed them meanwhile, as a crash loop does: try again)
json() {
	_try=0
	while [ $_try -lt 50 ]; do
		snap "$T/before" "$@"; _lo=$(date +%s)
		_out=$("$SV" -o json status "$@")
		_hi=$(date +%s); snap "$T/after" "$@"
		if diff -r "$T/before" "$T/after" >/dev/null; then
			printf '%s\n' "$_out" | python3 check.py "$T/before" "$_lo" "$_hi"
			return
		fi
		_try=$((_try + 1))
	done
	echo "the files of $* changed during each of 50 runs of sv"
}

# every state, as records a runsv would write
fake "$T/f"
spawn sleep 1000
live=$SPAWNED
state() { setrec f "$@"; is "$(json ./f)" ok "$*"; }
state 5 "$live" 0 u 0 1    # run
state 5 0 0 u 0 0          # down, want up
state 5 0 0 d 0 0          # down
state 5 "$live" 1 u 0 1    # paused
state 5 "$live" 0 d 0 1    # want down
state 5 "$live" 0 d 1 1    # want down, got TERM
state 5 "$live" 0 d 0 2    # finish
touch f/down
state 5 "$live" 0 u 0 1    # normally down
rm f/down
printf 'run, want exit\n' >f/supervise/stat
setrec f 5 "$live" 0 d 0 1
like "$("$SV" -o json status ./f)" '"want":"exit"' "want exit, from supervise/stat"
setrec f 5 "$live" 0 u 0 7
like "$("$SV" -o json status ./f)" '"state":null' "a state byte runit does not know: null"

# errors are objects, exit codes as for sv status
kill "$OKPID"
wait_for 5 sh -c '"$1" status ./f | grep -qs "runsv not running"' _ "$SV"
out=$("$SV" -o json status ./f); rc=$?
is "$rc:$out" '1:{"name":"./f","error":"runsv not running"}' "runsv not running: an error object, rc 1"
out=$("$SV" -o json status nonexist); rc=$?
is "$rc:$out" '1:{"name":"nonexist","error":"unable to change to service directory: file does not exist"}' \
    "missing directory: an error object, rc 1"
mkdir -p bad/supervise; mkfifo bad/supervise/ok
hold_ok "$T/bad"
printf 'short' >bad/supervise/status
out=$("$SV" -o json status bad nonexist ./f); rc=$?
t=$("$SV" status bad nonexist ./f >/dev/null 2>&1; echo $?)
is "$rc" "$t" "rc counts errors as sv status does ($t)"
like "$out" '^\{"name":"bad","error":"unable to read supervise/status: bad format"\}$' "a bad record: an error object"
ln -s "$RNG_BIN/sv" bad2
mkdir -p initd; ln -s "$RNG_BIN/sv" initd/f; ln -s "$RNG_BIN/sv" initd/bad
is "$(initd/f -o json status >/dev/null; echo $?):$(initd/f status >/dev/null; echo $?)" "1:1" "LSB: runsv not running: 1, as text"
is "$(initd/bad -o json status >/dev/null; echo $?):$(initd/bad status >/dev/null; echo $?)" "4:4" "LSB: unreadable: 4, as text"

# real runsv: log service, last_exit, starts, readiness
service a; with_log a
service ex3 'exit 3'; touch ex3/down
service crash 'exit 1'
service rd 'echo ready >&3; exec sleep 1000'; echo 3 >rd/notification-fd
for s in a ex3 crash rd; do up runsv "$T/$s"; done
ok "a and its log run" wait_for 5 sh -c '"$1" status a | grep -qs "^run: a: .*; run: log:"' _ "$SV"
is "$(json a)" ok "a running service with a running log"
out=$("$SV" -o json status a)
like "$out" '"log":\{"name":"a/log","state":"run","pid":[0-9]+,' "the log object"
"$SV" -w 3 down a/log >/dev/null
is "$(json a)" ok "log down"
"$SV" once ex3
ok "ex3 ran once" wait_for 5 grep -qx 'last_exit=exit 3' ex3/supervise/info
is "$(json ex3)" ok "ex3 after exit 3"
like "$("$SV" -o json status ex3)" '"last_exit":\{"code":3\},"starts":1,' "last_exit code 3, one start"
"$SV" -w 3 up a >/dev/null
pid=$(cat a/supervise/pid)
"$SV" kill a
ok "a was killed and restarted" wait_for 5 sh -c 'grep -qx "last_exit=signal 9" a/supervise/info && p=$(cat a/supervise/pid) && [ -n "$p" ] && [ "$p" != "$1" ]' _ "$pid"
like "$("$SV" -o json status a)" '"last_exit":\{"signal":9\},"starts":2,' "last_exit signal 9, two starts"
ok "crash restarted a few times" wait_for 10 sh -c '[ "$(sed -n "s/^starts=//p" crash/supervise/info)" -ge 3 ]'
n=$("$SV" -o json status crash | python3 -c 'import json, sys; print(json.load(sys.stdin)["starts"])')
ok "starts counts the crash loop's restarts ($n)" test "$n" -ge 3
is "$(json crash)" ok "crash loop, field by field"
ok "rd is ready" wait_for 5 grep -qs '^ready_since=[0-9]' rd/supervise/info
is "$(json rd)" ok "a ready service"
like "$("$SV" -o json status rd)" '"ready":true,"ready_since":[0-9.]+,' "ready, and since when"
is "$("$SV" -o json status crash a ex3 rd | wc -l)" 4 "one line per service"
done_testing
