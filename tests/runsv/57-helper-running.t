#!/bin/sh
# svc.sh's running and ended, which the kill-tree tests trust to say a process is gone: a zombie has ended, and so has one reaped while it is being looked at (runsv, its subreaper, reaps it at any moment; a look in two steps once took it for a running daemon, tests/runsv/35 under load); a name that holds ") Z " does not fool it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

ok "this shell runs" running $$
spawn sleep 100
ok "a sleeping child runs" running "$SPAWNED"
kill "$SPAWNED"
wait "$SPAWNED" 2>/dev/null
ok "reaped: ended" ended "$SPAWNED"
cp "$(command -v sleep)" "$T/x) Z y"
spawn "$T/x) Z y" 100
odd=$SPAWNED
ok "a name with \") Z \" in it still runs" wait_for 5 sh -c "grep -q '^Name:.*Z' /proc/$odd/status"
ok "so says running" running "$odd"

# A zombie whose parent reaps it on USR1.
spawn perl -e '$SIG{USR1} = sub { waitpid($z, 0); }; $z = fork; exit 0 unless $z;
	open my $f, ">", $ARGV[0] or die; print $f "$z\n"; close $f; sleep 1 while 1' "$T/zombie"
reaper=$SPAWNED
zombie_now() { [ -s "$T/zombie" ] && grep -q '^State:.*Z' "/proc/$(cat "$T/zombie")/status"; }
ok "a zombie" wait_for 5 zombie_now
z=$(cat "$T/zombie")
ok "a zombie has ended" ended "$z"

# The same zombie, reaped just as the helper looks: every program the
# helper runs first has the parent reap it (and waits until it is gone).
mkdir "$T/shim"
for prog in sed grep cat cut awk; do
	real=$(command -v $prog)
	printf '#!/bin/sh\nkill -USR1 %s\ni=0\nwhile [ -e /proc/%s ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done\nexec %s "$@"\n' \
	    "$reaper" "$z" "$real" >"$T/shim/$prog"
	chmod 755 "$T/shim/$prog"
done
ok "still a zombie before the look" zombie_now
saved=$PATH
PATH=$T/shim:$PATH
ended "$z"
r=$?
PATH=$saved
is "$r" 0 "reaped while being looked at: ended"
ok "and it is gone now" test ! -e "/proc/$z"
done_testing
