#!/bin/sh
# runsv outlives the reader of its stderr: under runit, runsv's stderr is
# runsvdir's log pipe, and runsvdir is gone (TERMed by runit) while stage 3
# stops the services. A warning written then (here: timeout-kill's KILL of a
# TERM-ignoring ./run) must not kill runsv with SIGPIPE: the service is
# stopped, ./finish runs, runsv answers sv.
. "$(dirname "$0")/../lib/tap.sh"

svc=$T/stubborn
mkdir -p "$svc"
printf '#!/bin/sh\ntrap "" TERM\nexec sleep 1000000\n' >"$svc/run"
printf '#!/bin/sh\necho "$1 $2" >"%s/finished"\n' "$T" >"$svc/finish"
chmod +x "$svc/run" "$svc/finish"
echo 200 >"$svc/timeout-kill"

# stderr into a pipe whose reader ends at once.
spawn sh -c 'runsv "$1" 2>&1 >/dev/null | true' sh "$svc"
ok "the service runs" wait_for 10 sh -c "[ \"\$(cat '$svc/supervise/stat' 2>/dev/null)\" = run ]"
# SigIgn and SigBlk of ./run: hex masks, or-ed.
run_masks=$(awk '/^Sig(Ign|Blk)/ {print $2}' "/proc/$(cat "$svc/supervise/pid")/status" | tr '\n' ' ')
out=$(sv -w 10 down "$svc" 2>&1)
like "$out" '^ok: down: ' "sv -w 10 down succeeds: runsv KILLed ./run after timeout-kill and lived on"
is "$(cat "$T/finished" 2>/dev/null)" "-1 9" "./finish ran, told that ./run died by KILL"
like "$(sv status "$svc" 2>&1)" '^down: ' "runsv still answers sv"
# SIGPIPE (13) is bit 12: 0x1000.
set -- $run_masks
ok "./run did not inherit a blocked or ignored SIGPIPE" \
	test $(( (0x$1 | 0x$2) & 0x1000 )) -eq 0
done_testing
