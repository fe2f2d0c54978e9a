# tests/svlogd/pipe.sh: an anonymous pipe that outlives each svlogd, as runsv's does (bash only).
# hold_pipe: fd 3 reads the pipe, fd 4 writes it (the same pipe, opened again through /proc).
hold_pipe() {
	exec 3< <(exec sleep 100000)
	_tap_pids="$_tap_pids $!"
	exec 4<>/proc/self/fd/3
}

# pipe_empty [FIFO]: no byte waits in the pipe of fd 3 (or in the named FIFO),
# that is, svlogd took all it was given.
pipe_empty() {
	if [ $# -gt 0 ]; then
		_pipe_empty < "$1"
	else
		_pipe_empty <&3
	fi
}
_pipe_empty() { perl -e 'ioctl(STDIN, 0x541B, my $n = "\0" x 4) or exit 1; exit(unpack("L", $n) != 0)'; }

# need_kill_injection: skips the test unless strace can kill svlogd at a
# chosen system call, and the kernel names its boot (the pipe's identity).
need_kill_injection() {
	command -v strace >/dev/null || skip_all "no strace"
	strace -D -o /dev/null -e inject=getpid:signal=KILL:when=1 true 2>/dev/null ||
		skip_all "strace cannot inject signals here"
	[ -r /proc/sys/kernel/random/boot_id ] || skip_all "no boot id to name the pipe with"
}
