# tests/runsvdir/helpers.sh: service-tree builders and process queries shared by the runsvdir tests.

# mksvc DIR NAME [RUN-BODY]: a service whose run script execs sleep (or RUN-BODY).
mksvc() {
	mkdir -p "$1/$2"
	printf '#!/bin/sh\n%s\n' "${3:-exec sleep 1000}" >"$1/$2/run"
	chmod +x "$1/$2/run"
}

# addsvc DIR NAME: builds the service under a dot name, then renames it into place.
addsvc() {
	mksvc "$1" ".new-$2"
	mv "$1/.new-$2" "$1/$2"
}

# kids PID: the argv of each direct child, one per line, sorted.
kids() { ps -o args= --ppid "$1" 2>/dev/null | sort; }

# kid_pid PID ARGS: pid of the direct child of PID whose argv is exactly ARGS.
kid_pid() { ps -o pid=,args= --ppid "$1" 2>/dev/null | awk -v a="$2" '{p=$1; sub(/^ *[0-9]+ /, ""); if ($0 == a) print p}'; }

has_kid() { [ -n "$(kid_pid "$1" "$2")" ]; }
no_kid() { [ -z "$(kid_pid "$1" "$2")" ]; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }


# count LINE-REGEX FILE
count() { grep -cE -- "$1" "$2" 2>/dev/null || true; }

# killtree PID...: KILL each pid and its descendants (for runsv left behind on purpose).
killtree() {
	for _k in "$@"; do
		_kc=$(pgrep -P "$_k" 2>/dev/null)
		kill -KILL "$_k" 2>/dev/null
		[ -z "$_kc" ] || killtree $_kc
	done
	return 0
}

# Freeze every spawned runsvdir before the tree is killed, so none of them
# restarts a runsv in the instant between its children's death and its own.
_rsd_cleanup() {
	[ -z "$_tap_pids" ] || kill -STOP $_tap_pids 2>/dev/null
	# One ps for the whole tree: thousands of runsv make a pgrep per process slow.
	_all=$(ps -eo pid=,ppid= | awk -v roots="$_tap_pids" '
		BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
		{ parent[$1] = $2 }
		END {
			do {
				more = 0
				for (c in parent) if (!(c in want) && (parent[c] in want)) { want[c] = 1; more = 1 }
			} while (more)
			for (c in want) print c
		}')
	[ -z "$_all" ] || kill -KILL $_all 2>/dev/null
	# A service forked in that instant escapes the tree, but it works inside $T.
	_all=$(find /proc/[0-9]*/cwd -maxdepth 0 -lname "$T/*" 2>/dev/null | cut -d/ -f3)
	[ -z "$_all" ] || kill -KILL $_all 2>/dev/null
	_tap_cleanup
}
trap _rsd_cleanup EXIT
