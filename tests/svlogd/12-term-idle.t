#!/bin/sh
# SIGTERM ends an idle svlogd whatever its standard input: a socket, a terminal, a pipe; and before any input came.
. "$(dirname "$0")/../lib/tap.sh"
SVLOGD=$RNG_BIN/svlogd
cd "$T" || exit 1
ready() { [ -e "$1/lock" ] && grep -qE '^State:[[:space:]]+S' "/proc/$2/status"; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status"; }

# a socket: perl holds the other end and waits
mkdir s
spawn perl -MSocket -e '
	socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
	my $pid = fork;
	if (!$pid) { open(STDIN, "<&", $a) or die; close $b; exec @ARGV; die "exec: $!" }
	close $a;
	print $b "one line\n";
	open(my $f, ">", "s.pid"); print $f $pid; close $f;
	waitpid($pid, 0); sleep 1000' $SVLOGD s
wait_for 5 test -s s.pid
pid=$(cat s.pid)
wait_for 5 grep -qs 'one line' s/current
wait_for 5 ready s $pid
kill -TERM $pid
ok "socket: TERM while idle ends it" wait_for 5 gone $pid
is "$(stat -c %a s/current)" 744 "socket: current finished"

# a terminal (script(1) gives svlogd a pty; its own input never ends)
if command -v script >/dev/null; then
	mkdir t
	spawn sh -c "sleep 1000 | script -qfc 'echo \$\$ > t.pid; exec $SVLOGD t' /dev/null > /dev/null"
	wait_for 5 test -s t.pid
	pid=$(cat t.pid)
	wait_for 5 ready t $pid
	kill -TERM $pid
	ok "terminal: TERM before any input ends it" wait_for 5 gone $pid
else
	skip "no script(1) for a terminal"
fi

# a pipe, before any input
mkdir p
mkfifo fifo
exec 5<> fifo
spawn sh -c "exec $SVLOGD p < fifo 5>&-"
pid=$SPAWNED
wait_for 5 ready p $pid
kill -TERM $pid
ok "pipe: TERM before any input ends it" wait_for 5 gone $pid
done_testing
