# tests/svlogd/pipe.sh: an anonymous pipe that outlives each svlogd, as runsv's does (bash only).
# hold_pipe: fd 3 reads the pipe, fd 4 writes it (the same pipe, opened again through /proc).
hold_pipe() {
	exec 3< <(exec sleep 100000)
	_tap_pids="$_tap_pids $!"
	exec 4<>/proc/self/fd/3
}
