#!/bin/sh
# .ci/under-load, CI's starved run: the command runs capped in a cgroup of its own (or beside busy loops where none can be made), its exit status is kept, and nothing it made is left behind.
. "$(dirname "$0")/tap.sh"

ul=$RNG_TOP/.ci/under-load
"$ul" 2>/dev/null
is "$?" 100 "no arguments: usage, exit 100"
"$ul" 30 sh -c 'exit 7' 2>/dev/null
is "$?" 7 "the command's exit status is kept"
out=$("$ul" 30 sh -c 'cat /proc/self/cgroup' 2>"$T/err")
how=$(cat "$T/err")
case $how in
*"capped at 30 % "*)
	cg=$(printf '%s\n' "$how" | sed -n 's/.*(\(.*\))$/\1/p')
	like "$out" "rng-load\\.[0-9]+" "the command runs in the capped cgroup"
	ok "the cgroup is removed afterwards" test ! -e "$cg"
	;;
*"busy loops"*)
	skip "no cgroup could be made here: the busy loops stand in"
	loops=$(printf '%s\n' "$how" | sed -n 's/.*(pids \(.*\))$/\1/p')
	gone() { for p in $loops; do ! kill -0 "$p" 2>/dev/null || return 1; done; }
	ok "the busy loops ($loops) end with the command" wait_for 5 gone
	;;
*)
	ok "under-load says how it loads the machine ($how)" false
	;;
esac
done_testing
