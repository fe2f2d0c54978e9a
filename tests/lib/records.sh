# tests/lib/records.sh: how long something took, read from the records the supervisors and the kernel keep, never from a clock read in a test script (sourced after tap.sh).
#
# A clock read by the test (date before an action, date after it is seen)
# measures the test too: a loaded machine that stalls the test between the
# two reads changes the verdict. These helpers read moments written down by
# whoever acted, at the time it acted:
#   - a status record's TAI64N stamp (runsv: when ./run started or ended);
#   - when the kernel says a record was written (its mtime: runsv replaces
#     status by a rename on each update, so a copy kept with cp -p holds the
#     moment of that update; the kernel's coarse clock may lag a jiffy);
#   - an info key's Unix time with nine decimals (runsv);
#   - when the kernel forked a process (/proc/PID/stat's starttime, in
#     clock ticks since boot: the moment a supervisor spawned it).
# All times are in ms since the epoch, except starttime (ticks).

# rec_unix FILE: the stamp of the status record FILE as info writes one,
# Unix SEC.NNNNNNNNN; nothing if FILE is not a record.
rec_unix() {
	_rx=$(od -An -tx1 -N12 "$1" 2>/dev/null | tr -d ' \n')
	[ ${#_rx} = 24 ] || return 0
	printf '%d.%09d\n' $(( $(printf '%d' "0x${_rx%????????}") - 0x400000000000000a )) "$(printf '%d' "0x${_rx#????????????????}")"
}
# rec_stamp_ms FILE: the same in ms since the epoch.
rec_stamp_ms() { unix_ms "$(rec_unix "$1")"; }
# rec_bytes FILE FIRST LAST: bytes FIRST..LAST of the record FILE, as "xx xx".
rec_bytes() { od -An -tx1 -j "$2" -N $(($3 - $2 + 1)) "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }
# rec_written_ms FILE: when FILE was written, by the kernel (its mtime), in ms.
rec_written_ms() { _rw=$(stat -c %.3Y "$1" 2>/dev/null) && echo "${_rw%.*}${_rw#*.}"; }
# unix_ms SEC.NNNNNNNNN: an info stamp in ms since the epoch.
# Nothing for an empty or malformed stamp.
unix_ms() {
	case $1 in *[!0-9.]* | "" | .* | *.*.*) return 0 ;; esac
	_uf=${1#*.}000
	[ "$_uf" != "${1}000" ] || _uf=000
	echo $(( ${1%.*} * 1000 + 1$(printf %.3s "$_uf") - 1000 ))
}
# ms_between LATER EARLIER: LATER - EARLIER (ms, or whatever unit both are
# in); nothing if either is unknown.
ms_between() { [ -z "$1" ] || [ -z "$2" ] || echo $(( $1 - $2 )); }

# catch_status DIR HEX COPY: when bytes 17-19 of DIR/supervise/status
# (want, got TERM, state) are HEX, e.g. "64 01 01" for "run, got TERM,
# want down", keeps that record in COPY with the moment runsv wrote it.
# For wait_for: a record replaced while it was copied is not taken (cp
# refuses a file replaced under it; the bytes are checked on the copy).
catch_status() {
	cp -p "$1/supervise/status" "$3.tmp" 2>/dev/null && [ "$(rec_bytes "$3.tmp" 17 19)" = "$2" ] &&
	    mv "$3.tmp" "$3"
}

# stop_ms DIR HEX ACTION...: how long runsv took to stop DIR's ./run, by its
# own records: from the record it wrote when it signalled the stop (bytes
# 17-19 HEX, "got TERM"), kept with the moment it was written, to the stamp
# of the first record without "got TERM" (the slot down), or, when the next
# start replaced that one first, info's last_exit_at. ACTION runs in the
# background meanwhile; its output is in $T/action.out, its exit code in
# ACTION_RC. STOP_MS is empty when untold: the got TERM record was replaced
# before the test could copy it (try again). runsv's clock for the stop
# starts when it takes the command, a moment before it writes the record: a
# runsv throttled between the two writes it late, so a lower bound needs
# STOP_SLACK_MS of slack (one 100 ms period of a CPU-capped cgroup, as
# .ci/under-load makes). stop_begin (ACTION, and the got TERM record
# caught) and stop_end (the rest) let a test look between.
STOP_SLACK_MS=100
stop_ms() { stop_begin "$@" && stop_end "$1"; }
stop_begin() {
	_sd=$1 _sh=$2
	shift 2
	STOP_MS= ACTION_RC=none
	rm -f "$T/term.rec" "$T/end.rec"
	spawn sh -c '"$@" >"$0/action.out"' "$T" "$@"
	_sp=$SPAWNED
	wait_for 5 catch_status "$_sd" "$_sh" "$T/term.rec"
}
stop_end() {
	wait_exit "$_sp" 10 && ACTION_RC=$EXITCODE
	[ -s "$T/term.rec" ] || return 0
	wait_for 10 _stop_ended "$1" || return 0
	if [ "$(rec_bytes "$T/end.rec" 19 19)" = 00 ]; then
		_se=$(rec_stamp_ms "$T/end.rec")
	else
		_se=$(unix_ms "$(sed -n 's/^last_exit_at=//p' "$1/supervise/info")")
	fi
	STOP_MS=$(ms_between "$_se" "$(rec_written_ms "$T/term.rec")")
}
# (the first record without got TERM, in $T/end.rec)
_stop_ended() {
	cp "$1/supervise/status" "$T/end.tmp" 2>/dev/null && [ "$(rec_bytes "$T/end.tmp" 18 18)" = 00 ] &&
	    mv "$T/end.tmp" "$T/end.rec"
}

# started_ticks PID: when the kernel forked PID, in clock ticks since boot.
started_ticks() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat"; }
# forked_script FILE: FILE becomes a script that prints when the kernel
# forked the process whose pid it is given (started_ticks), for service
# scripts to note their own fork: "$T/forked" $$ >>runs (awk by its full
# path: the script works under any PATH).
forked_script() {
	printf '#!/bin/sh\nexec %s %s "/proc/$1/stat"\n' "$(command -v awk)" "'{ sub(/^.*\\) /, \"\"); print \$20 }'" >"$1" &&
	    chmod 755 "$1"
}
# keep_start_script FILE: FILE becomes a script for a ./run to call first
# ("$T/keeprec" $$): it waits until runsv's status record names that pid,
# up to 5 s, and keeps a copy of the record in rec.PID, the start's stamp.
keep_start_script() {
	printf '%s\n' '#!/bin/sh' 'n=0' \
	    'while [ "$(od -An -tu4 -j12 -N4 supervise/status | tr -d " ")" != "$1" ]; do' \
	    '	n=$((n + 1)); [ $n -lt 500 ] || exit 1; sleep 0.01' \
	    'done' 'cp supervise/status "rec.$1"' >"$1" && chmod 755 "$1"
}
# FORK_SLACK_MS: a supervisor reads its clock when it decides to start
# something and forks a moment later; throttled between the two (one 100 ms
# period of a CPU-capped cgroup), the fork comes late and the gap to the
# next fork looks that much shorter.
FORK_SLACK_MS=100
# CLK_TCK: clock ticks per second.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
