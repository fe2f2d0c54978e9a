#!/bin/sh
# Differential: the same chpst/personality command lines against Debian's chpst 2.1.2 and ours; output, messages and exit codes must match (D-chpst-1..12).
# needs: debian-runit
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
[ -x "$DEB_CHPST" ] || skip_all "Debian's chpst not installed"
need_root
# Each side gets its own directory of names: chpst, envdir, setlock, ... all -> that side's binary.
personalities "$T/deb" "$DEB_CHPST"; ln -s "$DEB_CHPST" "$T/deb/chpst"
personalities "$T/ours" "$C"; ln -s "$C" "$T/ours/chpst"

E=$T/env
mkdir "$E" "$E/sub"
printf 'val  \t\nsecond\n' >"$E/A"
: >"$E/EMPTY"
printf '\n' >"$E/NL"
printf 'a\0b' >"$E/NUL"
printf 'hidden\n' >"$E/.hidden"
mkdir "$T/e2" && printf 'x\n' >"$T/e2/V"
printf '#!/bin/sh\n' >"$T/noexec"
printf 'echo hi\n' >"$T/noshebang" && chmod +x "$T/noshebang"
LIMITS="sed -n 's/^Max \\(data\\|stack\\|locked\\|address\\|open\\|processes\\|file size\\|core\\|resident\\|cpu\\)/&/p' /proc/self/limits"
SIDS='read p c s pp pg sid r </proc/$$/stat; [ $p = $pg ] && [ $p = $sid ] && echo same'

# Masked: our usage shows 2.3.0's [-C pwd], which Debian's 2.1.2 lacks, and our long
# options, which runit lacks; the version strings differ.
mask() { sed -e 's/ \[-C pwd\]//' -e 's/ \[--[a-z-]*\( [a-z]*\)*\]//g' -e 's/^\$Id: .* \$$/$Id$/'; }

# diff_case CASE: runs the shell command CASE with $B = each side's directory
# and $X = each side's binary (for use as nobody, who cannot enter $T).
diff_case() {
	_deb=$(B=$T/deb X=$DEB_CHPST sh -c "$1" 2>&1 </dev/null; echo "rc=$?")
	_ours=$(B=$T/ours X=$C sh -c "$1" 2>&1 </dev/null; echo "rc=$?")
	is "$(printf '%s\n' "$_ours" | mask)" "$(printf '%s\n' "$_deb" | mask)" "same as Debian: $1"
}

while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	diff_case "$line"
done <<EOF2
\$B/chpst
\$B/chpst -V
\$B/chpst -V true
env -i EMPTY=was KEEP=old PATH=/usr/bin:/bin \$B/chpst -e $E env | sort
env -i PATH=/usr/bin:/bin \$B/chpst -v -e $E true
\$B/envdir $E env
\$B/envdir $T/e2 sh -c 'echo \$V'
\$B/chpst -e $T/nonexistent true
\$B/envdir $T/nonexistent true
\$B/envdir $E/A true
\$B/denvdir
\$B/envdir
\$B/envdir -x true
\$B/chpst -u nosuchuser true
\$B/chpst -u :1000 true
\$B/chpst -u nobody:nosuchgroup true
\$B/chpst -u nobody: true
\$B/chpst -u :x:1 true
\$B/chpst -u nobody id
\$B/chpst -u nobody:nogroup:root id
\$B/chpst -u :65534:65534:0 id
\$B/chpst -u :4321:5432:6543 id
\$B/chpst -U nobody env | grep ID= | sort
\$B/chpst -U :12:34 env | grep ID= | sort
\$B/chpst -U nobody:root env | grep ID= | sort
\$B/chpst -b foo sh -c 'echo \$0'
\$B/chpst -b foo /nonexist
\$B/chpst /nonexist
\$B/chpst nonexistent-prog-rng
\$B/chpst $T/noexec
\$B/chpst $T/noshebang
\$B/chpst $T
\$B/chpst -m abc true
\$B/chpst -o 1x true
\$B/chpst -n 1a true
\$B/chpst -n -5 nice
\$B/chpst -n 3 nice
\$B/chpst -n +3 nice
\$B/chpst -o 7 sh -c 'ulimit -n'
\$B/chpst -o 99999999 sh -c 'ulimit -n'
\$B/chpst -m 300000000 -d 200000000 -o 77 -p 4321 -f 7654321 -c 12345 -r 23456789 -t 77 $LIMITS
\$B/chpst -c '' sh -c 'ulimit -c'
\$B/softlimit -o 9 sh -c 'ulimit -n'
\$B/chpst -o 5 \$B/softlimit -o = sh -c 'ulimit -n'
\$B/softlimit -a 400000000 -c 0 -d 200000000 -f 7654321 -l 65536 -o 88 -p 4321 -r 23456789 -s 9000000 -t 66 $LIMITS
\$B/softlimit -m 300000000 $LIMITS
\$B/softlimit -o x true
\$B/softlimit -z true
\$B/softlimit
\$B/setuidgid
\$B/setuidgid nobody id
\$B/setuidgid nobody:nogroup id
\$B/setuidgid nosuchuser true
\$B/envuidgid nobody env | grep ID= | sort
\$B/envuidgid
\$B/pgrphack
\$B/pgrphack sh -c '$SIDS'
\$B/chpst -P sh -c '$SIDS'
\$B/pgrphack -x
\$B/setlock
\$B/setlock -V $T/lk true
\$B/setlock $T/nonexistent/lk true
\$B/setlock -x $T/nonexistent/lk true
\$B/setlock -x $T/lk /nonexist
\$B/chpst -l $T/nonexistent/lk true
\$B/chpst -l $T/lk -L $T/lk true
\$B/chpst -012 true
\$B/chpst -P true
\$B/chpst -l $T/lk true
\$B/chpst -u nobody \$X -u root true
\$B/chpst -u nobody \$X -n -5 true
\$B/chpst -u nobody \$X -/ / true
\$B/chpst -/ $T/nonexistent true
\$B/chpst -Q true
\$B/chpst -u
\$B/chpst -- echo dashdash
EOF2

# A lock held by another process (D-chpst-12).
is_comm() { [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]; }
spawn "$C" -l "$T/held" sleep 60
ok "holder running" wait_for 10 is_comm $SPAWNED sleep
diff_case "\$B/setlock $T/held echo got"
diff_case "\$B/setlock -x $T/held echo got"
diff_case "\$B/setlock -N $T/held echo got"
diff_case "\$B/chpst -L $T/held echo got"

done_testing
