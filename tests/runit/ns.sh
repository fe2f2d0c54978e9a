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
		"$T/etc" "$T/console" "$1" "${2:-:}"
	NS=$SPAWNED
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
