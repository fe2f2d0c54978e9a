#!/bin/sh
# Robustness of -e/envdir against hostile directories: huge lines, a FIFO, unreadable files, dangling links, odd names.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"

# A 100 KB first line arrives whole; a 1 MB one is refused by execve with a clear message.
mkdir "$T/big"
head -c 100000 /dev/zero | tr '\0' x >"$T/big/BIG"
run "$C" -e "$T/big" sh -c 'printf %s "$BIG" | wc -c'
is "$(echo $OUT)$NL$RC" "100000${NL}0" "100 KB value passed intact"
head -c 1048576 /dev/zero | tr '\0' y >"$T/big/BIG"
run "$C" -e "$T/big" true
is "$OUT$NL$RC" "chpst: fatal: unable to run: true: argument list too long${NL}111" "1 MB value: clear fatal message, no crash"
ln -sf /dev/zero "$T/big/BIG"
run "$C" -e "$T/big" true
is "$OUT$NL$RC" "chpst: fatal: unable to read $T/big/BIG: file too big${NL}111" "endless first line (a link to /dev/zero): stops at 1 MiB with a clear message"
rm "$T/big/BIG"
# A short first line followed by a lot of data: only the first line is read.
{ echo short; head -c 4000000 /dev/zero; } >"$T/big/BIG"
run "$C" -e "$T/big" sh -c 'echo "$BIG"'
is "$OUT$NL$RC" "short${NL}0" "only the first line of a 4 MB file is used"

# A FIFO with no writer must not hang chpst: it reads as empty, which unsets.
mkdir "$T/fifo" && mkfifo "$T/fifo/F"
spawn env F=set "$C" -e "$T/fifo" sh -c 'echo "${F-unset}" >"$0"' "$T/fifo.out"
ok "a FIFO in the envdir does not block" wait_exit $SPAWNED 10
is "$EXITCODE:$(cat "$T/fifo.out" 2>/dev/null)" "0:unset" "a writerless FIFO reads as an empty file"

mkdir "$T/dang" && ln -s "$T/nowhere" "$T/dang/D"
run "$C" -e "$T/dang" true
is "$OUT$NL$RC" "chpst: fatal: unable to read $T/dang/D: file does not exist${NL}111" "dangling symlink: fatal with the name"

if [ "$(id -u)" = 0 ]; then
	mkdir -m 755 "$T/pub" && mkdir -m 755 "$T/pub/env" && printf 'x\n' >"$T/pub/env/SECRET" && chmod 600 "$T/pub/env/SECRET"
	chmod 711 "$T"
	run "$C" -u nobody "$C" -e "$T/pub/env" true
	is "$OUT$NL$RC" "chpst: fatal: unable to read $T/pub/env/SECRET: access denied${NL}111" "unreadable file: fatal, access denied"
	mkdir -m 700 "$T/pub/closed"
	run "$C" -u nobody "$C" -e "$T/pub/closed" true
	is "$OUT$NL$RC" "chpst: fatal: unable to switch to directory: $T/pub/closed: access denied${NL}111" "unreadable envdir: fatal, access denied"
	chmod 700 "$T"
else
	skip "needs root to drop privileges"
	skip "needs root to drop privileges"
fi

# A name with '=' cannot be a variable name: skipped (runit would set a different variable).
mkdir "$T/eq" && printf 'v\n' >"$T/eq/A=B" && printf 'ok\n' >"$T/eq/C"
run env -u A "$C" -e "$T/eq" sh -c 'echo "${A-unset} $C"'
is "$OUT$NL$RC" "unset ok${NL}0" "a name containing = is ignored"
run "$C" -v -e "$T/eq" true
is "$OUT$NL$RC" "chpst: warning: ignoring $T/eq/A=B: name contains =${NL}0" "-v says so"

# Many files: every one applied.
mkdir "$T/many"
i=0; while [ $i -lt 500 ]; do echo "v$i" >"$T/many/V$i"; i=$((i + 1)); done
run "$C" -e "$T/many" sh -c 'env | grep -c "^V[0-9]*=v[0-9]*$"'
is "$OUT$NL$RC" "500${NL}0" "500 variables from one envdir"

done_testing
