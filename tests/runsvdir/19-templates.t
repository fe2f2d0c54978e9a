#!/bin/sh
# Templated instances: the template NAME@ never starts; three instances run its ./run with their own pid, $1, INSTANCE and log directory; an override file applies to its instance only; removing an instance stops only it; Debian's sv reads each instance.
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

umask 022
mkdir -p "$T/sv/work@/log"
# The template's ./run records what it was given, in the instance's directory.
printf '#!/bin/sh\necho "$1 $INSTANCE $(pwd)" >args\necho "hello from $1"\nexec sleep 1000\n' >"$T/sv/work@/run"
printf '#!/bin/sh\nmkdir -p main && exec svlogd -t ./main\n' >"$T/sv/work@/log/run"
printf '#!/bin/sh\ntest -e ready\n' >"$T/sv/work@/check"
chmod +x "$T/sv/work@/run" "$T/sv/work@/log/run" "$T/sv/work@/check"
for i in a b c; do mkdir "$T/sv/work@$i"; done
# b overrides the template's ./run (and only b).
printf '#!/bin/sh\necho "override $1 $INSTANCE" >args\nexec sleep 1001\n' >"$T/sv/work@b/run"
chmod +x "$T/sv/work@b/run"

cd "$T" || exit 1
spawn "$RNG_BIN/runsvdir" sv 2>"$T/err"
p=$SPAWNED
for i in a b c; do
	wait_for 10 has_kid "$p" "runsv work@$i"
	ok "instance $i has its runsv" test $? = 0
done
for i in a c; do
	wait_for 10 test -s "$T/sv/work@$i/args"
	is "$(cat "$T/sv/work@$i/args" 2>/dev/null)" "$i $i $T/sv/work@$i" "instance $i: \$1, INSTANCE, and its own directory"
done
wait_for 10 test -s "$T/sv/work@b/args"
is "$(cat "$T/sv/work@b/args" 2>/dev/null)" "override b b" "instance b runs its own ./run, with \$1 and INSTANCE"
ok "the template has no runsv" no_kid "$p" "runsv work@"
ok "the template has no supervise/" test ! -e "$T/sv/work@/supervise"

# Own pids, own supervise/, own log directories.
pids=
for i in a b c; do
	wait_for 5 grep -qs '^run' "$T/sv/work@$i/supervise/stat"
	pids="$pids $(cat "$T/sv/work@$i/supervise/pid" 2>/dev/null)"
done
is "$(echo $pids | tr ' ' '\n' | sort -u | grep -c .)" 3 "three pids, one per instance"
for i in a c; do
	wait_for 10 grep -qs "hello from $i" "$T/sv/work@$i/log/main/current"
	ok "instance $i logs into its own log/main" grep -qs "hello from $i" "$T/sv/work@$i/log/main/current"
	ok "instance $i's log/supervise/ is its own" test -p "$T/sv/work@$i/log/supervise/control"
done
ok "no log in the template" test ! -e "$T/sv/work@/log/main"

if [ -x "$DEB_SV" ]; then
	for i in a b c; do
		like "$("$DEB_SV" status "$T/sv/work@$i" 2>&1)" "^run: $T/sv/work@$i: \(pid [0-9]+\)" "Debian's sv reads instance $i"
	done
else
	skip "Debian's sv not installed"; skip "Debian's sv not installed"; skip "Debian's sv not installed"
fi

like "$("$RNG_BIN/sv" -o json status "$T/sv/work@c")" '"template":"work@","instance":"c"' "sv -o json names the template and the instance"
"$RNG_BIN/sv" -w 1 check "$T/sv/work@c" >/dev/null 2>&1
ok "sv check runs the template's ./check in the instance (fails there)" test $? != 0
touch "$T/sv/work@c/ready"
out=$("$RNG_BIN/sv" -w 5 check "$T/sv/work@c" 2>&1)
like "$out" "^ok: run: " "and passes once the instance is ready ($out)"

# A second instance appears with mkdir; removing one stops only it.
mkdir "$T/sv/work@d"
wait_for 10 has_kid "$p" "runsv work@d"
ok "mkdir starts a new instance" test $? = 0
rp=$(kid_pid "$p" "runsv work@a")
apid=$(cat "$T/sv/work@a/supervise/pid")
mv "$T/sv/work@a" "$T/gone"
wait_for 10 gone "$rp"
ok "removing instance a ends its runsv" test $? = 0
wait_for 10 gone "$apid"
ok "and its service" test $? = 0
ok "the other instances keep their runsv" sh -c "kill -0 $(kid_pid "$p" "runsv work@b") && kill -0 $(kid_pid "$p" "runsv work@c")"
is "$(cat "$T/sv/work@c/supervise/pid")" "$(echo $pids | cut -d' ' -f3)" "instance c kept its pid"
ok "runsvdir said nothing" test ! -s "$T/err"
[ -s "$T/err" ] && sed 's/^/# /' "$T/err" >&2

done_testing
