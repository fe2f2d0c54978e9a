#!/bin/sh
# chpst -/ -C -n -P -0 -1 -2 -b, pgrphack, and how PROG is found and run (PATH search, exec errors) (D-chpst-6,7,8,11).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
personalities "$T/bin" "$C"

# A static helper that reports what it sees from inside a chroot: "CWD marker|nomarker UID".
R=$T/root
mkdir -p "$R/bin" "$R/sub" "$R/etc"
: >"$R/marker"
cat >"$T/where.c" <<'CEOF'
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		return 2;
	printf("%s %s %u\n", cwd, access("/marker", F_OK) == 0 ? "marker" : "nomarker", (unsigned)getuid());
	return 0;
}
CEOF
if command -v musl-gcc >/dev/null && musl-gcc -static -o "$R/bin/where" "$T/where.c" 2>/dev/null; then
	HAVE_WHERE=1
elif cc -static -o "$R/bin/where" "$T/where.c" 2>/dev/null; then
	HAVE_WHERE=1
else
	HAVE_WHERE=
fi

if [ -n "$HAVE_WHERE" ] && [ "$(id -u)" = 0 ]; then
	run "$C" -/ "$R" /bin/where
	is "$OUT$NL$RC" "/ marker 0${NL}0" "-/: root and cwd are the new root"
	run env PATH=/bin "$C" -/ "$R" where
	is "$OUT$NL$RC" "/ marker 0${NL}0" "-/: PATH search inside the new root"
	run "$C" -/ "$R" -C /sub /bin/where
	is "$OUT$NL$RC" "/sub marker 0${NL}0" "-C after -/: relative to the new root"
	run "$C" -/ "$R" -C sub /bin/where
	is "$OUT$NL$RC" "/sub marker 0${NL}0" "-C relative after -/"
	echo 'inside:x:4242:4343::/:/bin/sh' >"$R/etc/passwd"
	run "$C" -/ "$R" -u inside /bin/where
	is "$OUT$NL$RC" "/ marker 4242${NL}0" "-u looks the account up inside the new root"
	run "$C" -/ "$T/nonexistent" /bin/where
	is "$OUT$NL$RC" "chpst: fatal: unable to change directory: $T/nonexistent: file does not exist${NL}111" "-/ missing root"
	run "$C" -u nobody "$C" -/ / true
	is "$OUT$NL$RC" "chpst: fatal: unable to change root directory: permission denied${NL}111" "-/ unprivileged"
else
	for i in 1 2 3 4 5 6 7; do skip "needs root and a static C compiler for the chroot helper"; done
fi
run "$C" -C "$R/sub" pwd
is "$OUT$NL$RC" "$R/sub${NL}0" "-C alone changes the cwd"
run "$C" -C "$T/nonexistent" pwd
is "$OUT$NL$RC" "chpst: fatal: unable to change directory: $T/nonexistent: file does not exist${NL}111" "-C missing directory"

base=$(nice)
want=$((base + 3)); [ $want -gt 19 ] && want=19
is "$("$C" -n 3 nice)" "$want" "-n 3 (D-chpst-8)"
is "$("$C" -n +2 nice)" "$(( base + 2 > 19 ? 19 : base + 2 ))" "-n +2"
if [ "$(id -u)" = 0 ]; then
	is "$("$C" -n -5 nice)" "$(( base - 5 < -20 ? -20 : base - 5 ))" "-n -5 (D-chpst-8)"
else
	skip "negative nice needs root"
fi

STAT='read pid comm state ppid pgrp sid rest </proc/$$/stat; echo "$pid $pgrp $sid"'
set -- $("$C" -P sh -c "$STAT")
ok "-P: new session and process group" [ "$#" = 3 ] && [ "$1" = "$2" ] && [ "$1" = "$3" ]
set -- $("$T/bin/pgrphack" sh -c "$STAT")
ok "pgrphack: pid = pgid = sid (D-chpst-11)" [ "$#" = 3 ] && [ "$1" = "$2" ] && [ "$1" = "$3" ]
set -- $("$C" sh -c "$STAT")
ok "without -P the session is inherited" [ "$#" = 3 ] && [ "$1" != "$3" ]

# Which of fds 0-2 the child has open, reported on fd 9.
FDS='exec 9>"$0"; for f in 0 1 2; do [ -e /proc/$$/fd/$f ] && printf "%s" $f >&9; done; :'
"$C" -0 sh -c "$FDS" "$T/fds" </dev/null >/dev/null 2>&1
is "$(cat "$T/fds")" 12 "-0 closes stdin"
"$C" -1 sh -c "$FDS" "$T/fds" </dev/null >/dev/null 2>&1
is "$(cat "$T/fds")" 02 "-1 closes stdout"
"$C" -2 sh -c "$FDS" "$T/fds" </dev/null >/dev/null 2>&1
is "$(cat "$T/fds")" 01 "-2 closes stderr"
"$C" -012 sh -c "$FDS" "$T/fds" </dev/null >/dev/null 2>&1
is "$(cat "$T/fds")" "" "-012 closes all three (U-chpst-7)"
run "$C" -0 true <&-
is "$OUT$NL$RC" "${NL}0" "-0 with stdin already closed is fine (runit fails here)"

run "$C" -b foo sh -c 'echo $0'
is "$OUT$NL$RC" "foo${NL}0" "-b sets argv[0] (D-chpst-6)"
run "$C" -b foo /nonexist
is "$OUT$NL$RC" "chpst: fatal: unable to run: foo: file does not exist${NL}111" "-b: the error names argv[0]"
run "$C" /nonexist
is "$OUT$NL$RC" "chpst: fatal: unable to run: /nonexist: file does not exist${NL}111" "missing program (D-chpst-7)"
run "$C" nonexistent-prog-rng
is "$OUT$NL$RC" "chpst: fatal: unable to run: nonexistent-prog-rng: file does not exist${NL}111" "not found in PATH"

mkdir "$T/d1" "$T/d2" "$T/d3"
printf '#!/bin/sh\necho d1\n' >"$T/d1/prog"
printf '#!/bin/sh\necho d2\n' >"$T/d2/prog" && chmod +x "$T/d2/prog"
printf 'echo noshebang\n' >"$T/d3/prog" && chmod +x "$T/d3/prog"
run env PATH="$T/d1:$T/d2" "$C" prog
is "$OUT$NL$RC" "d2${NL}0" "PATH: a non-executable match is passed over"
run env PATH="$T/d1:$T/nonexistent" "$C" prog
is "$OUT$NL$RC" "chpst: fatal: unable to run: prog: access denied${NL}111" "PATH: access denied wins over a later not-found"
run env PATH="$T/d3:$T/d2" "$C" prog
is "$OUT$NL$RC" "chpst: fatal: unable to run: prog: exec format error${NL}111" "no shell fallback for a script without #!"
run sh -c "cd '$T/d2' && PATH=':/nonexistent' '$C' prog"
is "$OUT$NL$RC" "d2${NL}0" "an empty PATH entry is the cwd"
run "$C" "$T/d1"
is "$OUT$NL$RC" "chpst: fatal: unable to run: $T/d1: access denied${NL}111" "a directory is not a program"
run env -u PATH "$C" sh -c 'echo ok'
is "$OUT$NL$RC" "ok${NL}0" "no PATH: /bin:/usr/bin"

run "$C" -P true
is "$RC" 0 "-P true (U-chpst-6)"

done_testing
