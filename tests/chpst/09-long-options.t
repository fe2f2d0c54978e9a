#!/bin/sh
# chpst's long options on the command line: mixed with runit's letters, "--" and option arguments untouched, and every bad argument a usage error (100) with its reason, nothing run.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
USAGE="usage: chpst $CHPST_USAGE$NL"

run "$C" --umask 027 -v sh -c umask
is "$OUT$NL$RC" "0027${NL}0" "a long option before a letter"
run "$C" -v --umask=027 sh -c umask
is "$OUT$NL$RC" "0027${NL}0" "after a letter, with =ARG"
run "$C" -b x --umask 027 -2 sh -c 'umask; echo $0'
is "$OUT$NL$RC" "0027${NL}x${NL}0" "between letters, the argument as the next word"
run "$C" --umask 077 --umask 022 sh -c umask
is "$OUT$NL$RC" "0022${NL}0" "given twice, the last wins"
run "$C" -b --umask sh -c 'echo $0; umask'
is "$OUT$NL$RC" "--umask${NL}$(umask)${NL}0" "an option's argument that looks like a long option stays the argument"
run "$C" -- --umask 027
is "$OUT$NL$RC" "chpst: fatal: unable to run: --umask: file does not exist${NL}111" "after --, a long option is the program"
run "$C" sh -c 'echo "$1"' sh --umask
is "$OUT$NL$RC" "--umask${NL}0" "after the program, a long option is its argument"
run "$C" -v--umask true
is "$OUT$NL$RC" "chpst: illegal option -- -$NL$USAGE${NL}100" "not inside a group of letters (as runit)"
run "$C" --umask 027
is "$OUT$NL$RC" "$USAGE${NL}100" "a program is still required"

# bad WHY ARGS...: usage error 100 with the line WHY before the usage; the program never runs.
bad() {
	_why=$1
	shift
	rm -f "$T/ran"
	run "$C" "$@" touch "$T/ran"
	[ -e "$T/ran" ] && OUT="$OUT (ran)"
	is "$OUT$NL$RC" "$_why$NL$USAGE${NL}100" "bad: $*"
}
bad "chpst: illegal option -- --no-such-option" --no-such-option
bad "chpst: illegal option -- --no-new-priv" --no-new-priv
bad "chpst: illegal option -- --cap" --cap=chown
bad "chpst: option takes no argument -- --no-new-privs" --no-new-privs=1
bad "chpst: option takes no argument -- --private-tmp" --private-tmp=yes
bad "chpst: unknown capability: net_bind_servce" --caps chown,net_bind_servce
bad "chpst: unknown capability: cap_foo" --ambient=cap_foo
bad "chpst: unknown capability: all" --caps all
bad "chpst: unknown capability: none" --caps none,chown
bad "chpst: empty name in list: chown,,kill" --caps chown,,kill
bad "chpst: empty name in list: " --caps=
bad "chpst: ambient capability not in --caps: kill" --caps chown,net_bind_service --ambient net_bind_service,kill
bad "chpst: ambient capability not in --caps: kill" --ambient kill --caps chown
bad "chpst: ambient capability not in --caps: chown" --caps none --ambient chown
bad "chpst: unknown namespace: pid" --unshare net,pid
bad "chpst: unknown namespace: user" --unshare user
bad "chpst: empty name in list: net," --unshare net,
for n in 1001 -1001 +2000 abc 1e3 12x - ''; do
	bad "chpst: oom score adjustment not from -1000 to 1000: $n" --oom-score-adj "$n"
done
for m in 8 0800 1000 -1 0x12 '' 'u=rwx'; do
	bad "chpst: umask not octal from 0 to 777: $m" --umask "$m"
done
for o in caps ambient unshare oom-score-adj umask; do
	run "$C" "--$o"
	is "$OUT$NL$RC" "chpst: option requires an argument -- --$o$NL$USAGE${NL}100" "missing argument: --$o"
done

# In range, and the forms the kernel's own files take.
run "$C" --umask 0 sh -c umask
is "$OUT$NL$RC" "0000${NL}0" "umask 0"
run "$C" --umask 00777 sh -c umask
is "$OUT$NL$RC" "0777${NL}0" "leading zeros"
# Raising the score is always allowed; lowering it may not be (11-isolation.t).
run "$C" --oom-score-adj +1000 cat /proc/self/oom_score_adj
is "$OUT$NL$RC" "1000${NL}0" "the top of the range, with a sign"

# The personalities keep runit's option syntax: no long options there.
personalities "$T/bin" "$C"
run "$T/bin/envdir" --umask true
is "$OUT$NL$RC" "chpst: fatal: unable to switch to directory: --umask: file does not exist${NL}111" "envdir: an operand, as before"

done_testing
