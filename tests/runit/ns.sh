# tests/runit/ns.sh: boots a runit binary as process no. 1 in new PID and mount namespaces ($T/etc on /etc/runit, $T/console on /dev/console, a tmpfs on /run).
need_root
unshare --fork --pid --mount --mount-proc true 2>/dev/null || skip_all "cannot create PID and mount namespaces"
mkdir -p "$T/etc"
: >"$T/console"

# stage NAME BODY: writes the shell script /etc/runit/NAME.
stage() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/etc/$1" && chmod 755 "$T/etc/$1"
}

# boot BINARY [EXTRA-SETUP]: runs BINARY as pid 1 in the background; NS is unshare's pid.
boot() {
	spawn unshare --fork --pid --mount --mount-proc sh -c '
		mount --bind "$1" /etc/runit && mount --bind "$2" /dev/console &&
		mount -t tmpfs tmpfs /run && eval "$4" && exec "$3"' sh \
		"$T/etc" "${_console:-$T/console}" "$1" "${2:-:}"
	NS=$SPAWNED
}

# boot_stamped BINARY [EXTRA-SETUP]: boot, the console a FIFO read by our
# svlogd -tt, which stamps each line as it takes it: how long runit took
# is then told by those stamps, never by a clock of the test's (a stalled
# test cannot change them). Once the init has ended, console_stamped waits
# for svlogd and puts the lines, without stamps, in $T/console as boot's.
boot_stamped() {
	rm -rf "$T/conlog" "$T/console.fifo"
	mkdir "$T/conlog" && mkfifo "$T/console.fifo" || return 1
	spawn sh -c 'exec "$1" -tt "$2" <"$3"' sh "$RNG_BIN/svlogd" "$T/conlog" "$T/console.fifo"
	_conlog=$SPAWNED
	_console=$T/console.fifo
	boot "$@"
	_console=
}
console_stamped() {
	wait_exit "$_conlog" 10 || return 1
	sed 's/^[^ ]* //' "$T/conlog/current" >"$T/console"
}
# console_ms TEXT: when svlogd took the first console line holding TEXT, in
# ms since the epoch (svlogd -tt's UTC stamp); empty if no line holds it.
console_ms() {
	_cl=$(grep -F -m 1 -- "$1" "$T/conlog/current") || return 0
	_cs=${_cl%% *} _cf=${_cs#*.}000
	_cs=$(date -u -d "$(echo "${_cs%.*}" | tr _ ' ')" +%s) || return 0
	echo $(( _cs * 1000 + 1$(printf %.3s "$_cf") - 1000 ))
}
# stop_span: how long runit's stop took, by its stamped console lines: from
# the first line after a SIGTERM in container mode (it leaves stage 2) to
# its exit line; empty if either is missing.
stop_span() {
	_sa=$(console_ms "- runit: leave stage: /etc/runit/2") _sb=$(console_ms "- runit: exit ")
	[ -z "$_sa" ] || [ -z "$_sb" ] || echo $((_sb - _sa))
}

# The host's pid for the namespace's process no. 1.
init_pid() { pgrep -P "$NS" | head -n 1; }
console_has() { grep -qF -- "$1" "$T/console"; }

# Zombies whose parent is the namespace's init (none may linger).
zombies() {
	_ip=$(init_pid)
	[ -n "$_ip" ] || { echo 0; return; }
	for _s in /proc/[0-9]*/stat; do
		awk -v p="$_ip" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == p) print }' "$_s" 2>/dev/null
	done | wc -l
}
no_zombies() { [ "$(zombies)" -eq 0 ]; }

# boot_logged BINARY: boots with a FIFO console read into console.out (Debian's
# runit re-opens the console without O_APPEND, which would clobber a plain
# file), waits for the end; prints the console (version masked), the exit
# code and $T/log.
boot_logged() {
	rm -f "$T/console" "$T/log"
	mkfifo "$T/console"
	spawn sh -c 'exec cat "$1" >"$1.out"' sh "$T/console"
	_reader=$SPAWNED
	boot "$1"
	wait_exit "$NS" 25 || { echo "timeout"; return; }
	_rc=$EXITCODE
	wait_exit "$_reader" 5
	sed 's/\$Id: [^$]*\$/VERSION/' "$T/console.out"
	echo "exit $_rc"
	cat "$T/log"
}
