#!/bin/sh
# runsv of an instance: a template link inside wins over NAME@ beside; ./finish and log/run get INSTANCE too; the log directory is made from the template's; runsv . names the instance from its directory; a dir named a@b without a template is a service like any other; a dangling template link is a clear fatal error.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

umask 022
# The template sits elsewhere; the instance links to it.
mkdir -p "$T/tpl/log" "$T/sv/web@8080"
script "$T/tpl/run" 'echo "run $1 $INSTANCE" >>trace; echo "port $1"; exec sleep 1000'
script "$T/tpl/finish" 'echo "finish $INSTANCE" >>trace'
script "$T/tpl/log/run" 'echo "log $INSTANCE" >>trace; exec cat >>lines'
ln -s ../../tpl "$T/sv/web@8080/template"
start_runsv "$T/sv/web@8080"
I=$T/sv/web@8080
ok "./run came from the template link" wait_for 5 grep -qx "run 8080 8080" "$I/trace"
ok "log/run too, with INSTANCE" wait_for 5 grep -qx "log 8080" "$I/log/trace"
ok "the instance got its own log/ directory" test -d "$I/log" -a ! -L "$I/log"
ok "its output reached its own log" wait_for 5 grep -qx "port 8080" "$I/log/lines"
ok "log/supervise is the instance's" test -p "$I/log/supervise/control" -a ! -e "$T/tpl/log/supervise"
ok "supervise is the instance's" test -p "$I/supervise/control" -a ! -e "$T/tpl/supervise"
is "$(sed -n 's/^template=//p' "$I/supervise/info")" tpl "info: template= the link's target"
is "$(sed -n 's/^instance=//p' "$I/supervise/info")" 8080 "info: instance="
ctl "$I" d
ok "./finish came from the template, with INSTANCE" wait_for 5 grep -qx "finish 8080" "$I/trace"
ctl "$I" x
wait_for 5 dead "$I"

# NAME@ beside, runsv started as "runsv ." from inside the instance.
mkdir -p "$T/sv/job@" "$T/sv/job@7"
script "$T/sv/job@/run" 'echo "$1 $INSTANCE" >args; exec sleep 1000'
echo 300 >"$T/sv/job@/timeout-kill"
script "$T/sv/job@/down" ''
(cd "$T/sv/job@7" && exec env --default-signal "$RUNSV" . 2>>"$T/stderr") &
_tap_pids="$_tap_pids $!"
wait_for 5 alive "$T/sv/job@7"
is "$(cat "$T/sv/job@7/supervise/stat")" down "the template's down file keeps the instance down"
ctl "$T/sv/job@7" u
ok "runsv . names the instance from its directory" wait_for 5 grep -qx "7 7" "$T/sv/job@7/args"
ctl "$T/sv/job@7" x
wait_for 5 dead "$T/sv/job@7"

# A service named a@b without a template: its own files, no INSTANCE.
mksvc "$T/sv/a@b" 'echo "[$1] [${INSTANCE-unset}]" >args; exec sleep 1000'
start_runsv "$T/sv/a@b"
ok "a@b without a template runs as any service" wait_for 5 grep -qx "\[\] \[unset\]" "$T/sv/a@b/args"
ctl "$T/sv/a@b" x
wait_for 5 dead "$T/sv/a@b"

# A dangling template link: runsv says so and exits 111.
mkdir "$T/sv/bad@1"
ln -s ../nowhere "$T/sv/bad@1/template"
"$RUNSV" "$T/sv/bad@1" 2>"$T/bad.err"
is "$?" 111 "a dangling template link: exit 111"
is "$(cat "$T/bad.err")" "runsv $T/sv/bad@1: fatal: unable to open the template template: file does not exist" "and a clear message"
ok "nothing else was said" test ! -s "$T/stderr"
[ -s "$T/stderr" ] && sed 's/^/# /' "$T/stderr" >&2
done_testing
