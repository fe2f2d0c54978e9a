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
