#!/bin/sh
# Missing or non-executable stage programs: a clear "unable to start child" message, the stage counts as successful, and the boot goes on.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/ns.sh"

# No stage 1 at all, a stage 2 without the execute bit, no stage 3.
printf '#!/bin/sh\necho two >>%s/log\n' "$T" >"$T/etc/2"
chmod 644 "$T/etc/2"
boot "$RNG_BIN/runit"
ok "runit ends" wait_exit "$NS" 15
is "$EXITCODE" 0 "a missing stage 3 counts as success"
ok "missing stage 1 reported" console_has "- runit: fatal: unable to start child: /etc/runit/1: file does not exist"
ok "stage 2 still entered" console_has "- runit: enter stage: /etc/runit/2"
ok "non-executable stage 2 reported" console_has "- runit: fatal: unable to start child: /etc/runit/2: access denied"
ok "missing stage 3 reported" console_has "- runit: fatal: unable to start child: /etc/runit/3: file does not exist"
ok "no stage was restarted" sh -c "[ \$(grep -c 'enter stage: /etc/runit/2' '$T/console') -eq 1 ]"
ok "stage 2 never ran" test ! -e "$T/log"
done_testing
