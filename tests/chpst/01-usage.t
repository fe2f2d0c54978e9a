#!/bin/sh
# chpst usage errors: no program, -V, bad numbers, -l with -L, and every personality's usage text (U-chpst-1,2, D-chpst-3,8,9,10).
. "$(dirname "$0")/../lib/tap.sh"

. "$(dirname "$0")/common.sh"
SOFT_USAGE='[-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] child'
personalities "$T" "$C"

run "$C"
is "$OUT$NL$RC" "usage: chpst $CHPST_USAGE$NL${NL}100" "no program: usage and a blank line, 100"
run "$C" -V
like "${OUT%%"$NL"*}" '^\$Id: .+ \$$' "-V: a version line"
is "${OUT#*"$NL"}$NL$RC" "usage: chpst $CHPST_USAGE$NL${NL}100" "-V: then usage, 100"
run "$C" -V true
is "$RC" 100 "-V with a program still ends in usage"

for bad in "-m abc" "-d 1k" "-o -1" "-p 1.5" "-f x" "-c 0x1" "-r 9z" "-t 1s" "-n 1a" "-n --3"; do
	run "$C" $bad true
	is "$OUT$NL$RC" "usage: chpst $CHPST_USAGE$NL${NL}100" "bad number: $bad"
done
run "$C" -l "$T/a" -L "$T/b" true
is "$RC" 100 "-l and -L together: usage"
run "$C" -l "$T/a" -l "$T/b" true
is "$RC" 100 "-l twice: usage"
ok "no lock file created by a usage error" test ! -e "$T/a"
run "$C" -Q true
is "$OUT$NL$RC" "chpst: illegal option -- Q${NL}usage: chpst $CHPST_USAGE$NL${NL}100" "unknown option"
run "$C" -u
is "$OUT$NL$RC" "chpst: option requires an argument -- u${NL}usage: chpst $CHPST_USAGE$NL${NL}100" "missing option argument"
run "$C" -- echo dashdash
is "$OUT$NL$RC" "dashdash${NL}0" "-- ends options"

ln -s "$C" "$T/xyz"
run "$T/xyz"
is "$OUT" "usage: xyz $CHPST_USAGE$NL" "any other name is chpst proper, usage under that name"

run "$T/envdir"
is "$OUT$NL$RC" "usage: envdir dir child$NL${NL}100" "envdir usage"
run "$T/envdir" "$T"
is "$RC" 100 "envdir without a child: usage"
run "$T/denvdir"
is "$OUT$NL$RC" "usage: envdir dir child$NL${NL}100" "denvdir is envdir (D-chpst-3)"
run "$T/envuidgid" nobody
is "$OUT$NL$RC" "usage: envuidgid account child$NL${NL}100" "envuidgid usage"
run "$T/setuidgid"
is "$OUT$NL$RC" "usage: setuidgid account child$NL${NL}100" "setuidgid usage (D-chpst-10)"
run "$T/pgrphack"
is "$OUT$NL$RC" "usage: pgrphack child$NL${NL}100" "pgrphack usage"
run "$T/setlock" "$T/lk"
is "$OUT$NL$RC" "usage: setlock [ -nNxX ] file program [ arg ... ]$NL${NL}100" "setlock without a program: usage"
run "$T/dsetlock" -V "$T/lk" true
is "$OUT$NL$RC" "dsetlock: illegal option -- V${NL}usage: setlock [ -nNxX ] file program [ arg ... ]$NL${NL}100" "setlock has no -V"
run "$T/softlimit"
is "$OUT$NL$RC" "usage: softlimit $SOFT_USAGE$NL${NL}100" "softlimit usage"
run "$T/softlimit" -o x true
is "$OUT$NL$RC" "usage: softlimit $CHPST_USAGE$NL${NL}100" "softlimit bad number: chpst's text under softlimit's name (D-chpst-9)"
run "$T/softlimit" -z true
is "$OUT$NL$RC" "softlimit: illegal option -- z${NL}usage: softlimit $SOFT_USAGE$NL${NL}100" "softlimit unknown option (D-chpst-9)"

# The option-less personalities take a leading "-" literally.
run "$T/pgrphack" -x
is "$OUT$NL$RC" "chpst: fatal: unable to run: -x: file does not exist${NL}111" "pgrphack has no options"
run "$T/envdir" -x true
is "$OUT$NL$RC" "chpst: fatal: unable to switch to directory: -x: file does not exist${NL}111" "envdir has no options"

done_testing
