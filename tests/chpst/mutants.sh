#!/bin/sh
# tests/chpst/mutants.sh: shows that the long-option tests fail without each step of the feature.
# Builds chpst with one step removed or changed at a time (and chpst before the long options,
# at commit BASE), runs tests/chpst/09-11 against each, and prints "test:failed/total[numbers]".
# Not part of make check. As root, after make, and inside throwaway namespaces, since a broken
# chpst may mount or rename where it should not:
#   unshare --mount --uts --ipc tests/chpst/mutants.sh [BASE]
set -u
W=$(cd "$(dirname "$0")/../.." && pwd)
M=$W/build/mutants
BASE=${1:-959e1cf}
cd "$W"
export TMPDIR=$M/tmp
mkdir -p "$TMPDIR"
tests() { # NAME
	printf '%-11s' "$1"
	for t in 09-long-options 10-privileges 11-isolation; do
		out=$(RNG_BIN=$M/$1 RNG_TOP=$W "tests/chpst/$t.t" 2>/dev/null)
		printf ' %s:%s/%s[%s]' "${t%%-*}" "$(echo "$out" | grep -c '^not ok')" "$(echo "$out" | grep -c '^ok\|^not ok')" \
			"$(echo "$out" | sed -n 's/^not ok \([0-9]*\).*/\1/p' | tr '\n' ',' | sed 's/,$//')"
	done
	echo
}
mutate() { # NAME OLD NEW
	mkdir -p "$M/$1"
	python3 - "$2" "$3" "$M/$1/chpst.c" <<'PY' || exit 1
import sys
old, new, out = sys.argv[1], sys.argv[2], sys.argv[3]
s = open('src/chpst.c').read()
assert s.count(old) == 1, old
open(out, 'w').write(s.replace(old, new))
PY
	cc -std=c17 -D_GNU_SOURCE -O1 -Isrc/lib -o "$M/$1/chpst" "$M/$1/chpst.c" build/lib/libng.a || exit 1
	tests "$1"
}
mkdir -p "$M/feature"; cp build/bin/chpst "$M/feature/"; tests feature
mkdir -p "$M/before"
git show "$BASE:src/chpst.c" >"$M/before/chpst.c"
cc -std=c17 -D_GNU_SOURCE -O1 -Isrc/lib -o "$M/before/chpst" "$M/before/chpst.c" build/lib/libng.a
tests before
mutate private    'mount(0, "/", 0, MS_REC | MS_PRIVATE, 0) < 0' '0'
mutate keepcaps   'if (s->ambient_wanted && caps_keep_on_setuid(1) < 0)' 'if (0)'
mutate inhor      'c.inheritable = s->ambient;' 'c.inheritable |= s->ambient;'
mutate bounding   'cap_bounding_drop(cap) < 0)' '0)'
mutate prmcut     'c.permitted &= s->caps;' ';'
mutate usercut    'c.permitted &= s->ambient;' ';'
mutate ambraise   'cap_ambient_raise(cap) < 0)' '0)'
mutate nnp        'if (s->no_new_privs && prctl' 'if (0 && prctl'
mutate tmpfs      'if (s->private_tmp)
		tmp_private();' ''
mutate tmpafterC  'if (s->private_tmp)
		tmp_private();
	if (s->cwd && chdir(s->cwd) < 0)
		die(111, errno, "unable to change directory: ", s->cwd);' 'if (s->cwd && chdir(s->cwd) < 0)
		die(111, errno, "unable to change directory: ", s->cwd);
	if (s->private_tmp)
		tmp_private();'
mutate ambincaps  'if (s->caps_wanted && s->ambient_wanted && (s->ambient & ~s->caps)) {' 'if (0) {'
mutate ambbnd     'if (!has && (s->ambient & CAP_BIT(cap)))
			break;' ''
mutate oom        'if (s->oom_wanted)
		oom_score_set' 'if (0)
		oom_score_set'
mutate umask      'umask((mode_t)s->umask);' ';'
mutate nsflags    'CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNS };' 'CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWNS, CLONE_NEWUTS };'
mutate longarg    'arg = argv[o->ind++];' 'arg = argv[o->ind];'
mutate unshareadd 's->unshare |= set;' 's->unshare = set;'
mutate umaskrange 'if (v > 0777)' 'if (v > 07777)'
mutate oomrange   '|| v > OOM_SCORE_ADJ_MAX)' ')'
mutate mixed      'if (at_long_option(&o, argc, argv)) {' 'if (o.ind == 1 && at_long_option(&o, argc, argv)) {'
mutate noargflag  'if (!long_options[i].takes_arg)
			return complain' 'if (0)
			return complain'
rm -rf "$M"
