#!/bin/sh
# The build as a distribution runs it: CPPFLAGS, CFLAGS and LDFLAGS from the environment reach every compile and link, -Werror only with WERROR=1, and every object depends on the headers it includes (compiler-written .d files), shown by make -n.
. "$(dirname "$0")/../lib/tap.sh"

O=$(dirname "$RNG_BIN")
# as make check names it (relative to the tree): the name the .d files use
O=${O#"$RNG_TOP"/}
# plan VAR=VALUE...: what make would run for a fresh build into $T/b, nothing
# run, with only these of the builder's variables set (make check's own,
# WERROR=1 in CI say, are in our environment)
plan() {
	env -u CFLAGS -u CPPFLAGS -u LDFLAGS -u WERROR -u CC -u O "$@" \
	    make -s -n -B -C "$RNG_TOP" O="$T/b" all 2>&1
}

out=$(plan CFLAGS='-O1 -DBY_CFLAGS' CPPFLAGS='-DBY_CPPFLAGS' LDFLAGS='-Wl,-z,now -DBY_LDFLAGS')
compile=$(printf '%s\n' "$out" | grep -E ' -c -o ')
link=$(printf '%s\n' "$out" | grep -E " -o $T/b/bin/")
ok "make -n lists compiles" test -n "$compile"
ok "and links" test -n "$link"
is "$(printf '%s\n' "$compile" | grep -v -- '-DBY_CPPFLAGS' | grep -v '^$')" "" "CPPFLAGS reach every compile"
is "$(printf '%s\n' "$compile" | grep -v -- '-DBY_CFLAGS' | grep -v '^$')" "" "CFLAGS reach every compile"
is "$(printf '%s\n' "$link" | grep -v -- '-Wl,-z,now' | grep -v '^$')" "" "LDFLAGS reach every link"
is "$(printf '%s\n' "$compile" | grep -v -- '-MMD -MP' | grep -v '^$')" "" "every compile writes its dependency file"
is "$(printf '%s\n' "$out" | grep -c -- '-Werror\b' )" 0 "plain make: no -Werror"
is "$(plan WERROR=1 | grep -E ' -c -o ' | grep -vc -- '-Werror ')" 0 "make WERROR=1: -Werror on every compile"
is "$(plan | grep -E ' -c -o ' | grep -c -- '-O2 -g')" "$(printf '%s\n' "$compile" | wc -l)" "no CFLAGS given: -O2 -g"

# Every object whose source includes a header (directly or through another
# header) is rebuilt when that header changes, and no other: make -n -W
# pretends the header changed, on the build the tests run.
includers() { # HEADER: the sources that include it, through headers too
	_hs=$1
	while :; do
		_more=$(cd "$RNG_TOP/src/lib" && grep -lE "#include \"($(echo $_hs | tr ' ' '|'))\"" *.h | sort -u | tr '\n' ' ')
		_all=$(echo $_hs $_more | tr ' ' '\n' | sort -u | tr '\n' ' ')
		[ "$_all" != "$(echo $_hs | tr ' ' '\n' | sort -u | tr '\n' ' ')" ] || break
		_hs=$_all
	done
	(cd "$RNG_TOP" && grep -lE "#include \"($(echo $_hs | tr ' ' '|'))\"" src/*.c src/lib/*.c) |
		sed -E 's|^src/lib/(.*)\.c$|lib/\1.o|; s|^src/(.*)\.c$|obj/\1.o|' | sort
}
for h in tai.h grow.h svinfo.h; do
	rebuilt=$(make -s -n -C "$RNG_TOP" O="$O" -W "src/lib/$h" all 2>&1 |
		grep -E ' -c -o ' | sed -E "s|.* -c -o $O/([^ ]*) .*|\1|" | sort)
	[ -n "$rebuilt" ] || diag "make -n -W src/lib/$h: $(make -n -C "$RNG_TOP" O="$O" -W "src/lib/$h" all 2>&1 | head -5)"
	is "$rebuilt" "$(includers "$h")" "a change to $h rebuilds exactly the objects that include it"
done
done_testing
