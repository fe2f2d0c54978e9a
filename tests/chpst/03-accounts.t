#!/bin/sh
# chpst -u/-U and setuidgid/envuidgid: uid, gid and supplementary groups read back from the child, every account form, lookup errors (D-chpst-4,5,10).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
need_root
getent passwd nobody >/dev/null && getent group nogroup >/dev/null || skip_all "needs nobody and nogroup"
personalities "$T/bin" "$C"
NOBODY_UID=$(id -u nobody) NOBODY_GID=$(id -g nobody) NOGROUP=$(getent group nogroup | cut -d: -f3)

# What the child really is: "euid ruid/egid rgid/groups" from its own /proc/self/status.
IDS='/^Uid:/{u=$2" "$3} /^Gid:/{g=$2" "$3} /^Groups:/{$1=""; sub(/^ +/,""); sub(/ +$/,""); gs=$0} END{print u"/"g"/"gs}'
ids() { run "$@" awk "$IDS" /proc/self/status; }

ids "$C" -u nobody
is "$OUT$NL$RC" "$NOBODY_UID $NOBODY_UID/$NOBODY_GID $NOBODY_GID/$NOBODY_GID${NL}0" "-u USER: uid, gid, and only the primary group"
ids "$C" -u nobody:nogroup:root
is "$OUT$NL$RC" "$NOBODY_UID $NOBODY_UID/$NOGROUP $NOGROUP/0 $NOGROUP${NL}0" "-u USER:GRP:GRP: gid is the first group, groups are all listed (kernel sorts them)"
ids "$C" -u :4321:5432:6543:7654
is "$OUT$NL$RC" "4321 4321/5432 5432/5432 6543 7654${NL}0" "-u :UID:GID:GID...: numeric ids, no lookup"
ids "$C" -u :4321:5432
is "$OUT$NL$RC" "4321 4321/5432 5432/5432${NL}0" "-u :UID:GID"
ids "$T/bin/setuidgid" nobody
is "$OUT$NL$RC" "$NOBODY_UID $NOBODY_UID/$NOBODY_GID $NOBODY_GID/$NOBODY_GID${NL}0" "setuidgid ACCOUNT (D-chpst-10)"

run "$C" -u nosuchuser-rng true
is "$OUT$NL$RC" "chpst: fatal: unknown user/group: nosuchuser-rng${NL}111" "unknown user (D-chpst-4)"
run "$C" -u nobody:nosuchgroup-rng true
is "$OUT$NL$RC" "chpst: fatal: unknown user/group: nobody:nosuchgroup-rng${NL}111" "unknown group"
run "$C" -u nobody: true
is "$OUT$NL$RC" "chpst: fatal: unknown user/group: nobody:${NL}111" "empty group name"
run "$C" -u :1000 true
is "$OUT$NL$RC" "chpst: fatal: invalid uid/gids: 1000${NL}111" ":UID without a gid (D-chpst-4)"
for bad in ':' '::5' ':5:' ':5:6:' ':5::6' ':5:6x' ':x:1' ':4294967295:1' ':1:99999999999'; do
	run "$C" -u "$bad" true
	is "$OUT$NL$RC" "chpst: fatal: invalid uid/gids: ${bad#:}${NL}111" "refused numeric form '$bad' (runit would read empty fields as root)"
done
g=$(seq -s: 1 61)
run "$C" -u ":1:$g" true
is "$RC" 111 "more than 60 groups refused"
g=$(seq -s: 1 60)
ids "$C" -u ":1:$g"
is "$RC" 0 "60 groups accepted"
is "$(echo "$OUT" | awk -F/ '{print $3}' | wc -w)" 60 "all 60 groups set"

run "$T/bin/setuidgid" nobody:nogroup true
is "$OUT$NL$RC" "chpst: fatal: unknown account: nobody:nogroup${NL}111" "setuidgid takes only an account name"
run "$T/bin/setuidgid" nosuchuser-rng true
is "$OUT$NL$RC" "chpst: fatal: unknown account: nosuchuser-rng${NL}111" "setuidgid unknown account"
run "$T/bin/envuidgid" nosuchuser-rng true
is "$OUT$NL$RC" "chpst: fatal: unknown account: nosuchuser-rng${NL}111" "envuidgid unknown account"

# -U: environment only, the process keeps its ids.
run "$C" -U nobody sh -c 'echo "$UID $GID $(id -u)"'
is "$OUT$NL$RC" "$NOBODY_UID $NOBODY_GID 0${NL}0" "-U USER sets UID and GID, ids unchanged (D-chpst-5)"
run "$C" -U :12:34 sh -c 'echo "$UID $GID"'
is "$OUT" "12 34" "-U :UID:GID (D-chpst-5)"
run "$C" -U nobody:root:nogroup sh -c 'echo "$UID $GID"'
is "$OUT" "$NOBODY_UID 0" "-U USER:GRP: GID is the first group"
run "$T/bin/envuidgid" nobody sh -c 'echo "$UID $GID $(id -u)"'
is "$OUT$NL$RC" "$NOBODY_UID $NOBODY_GID 0${NL}0" "envuidgid ACCOUNT"
run "$C" -U nosuchuser-rng true
is "$OUT$NL$RC" "chpst: fatal: unknown user/group: nosuchuser-rng${NL}111" "-U unknown user"

# After dropping privileges, further changes are refused with runit's messages.
run "$C" -u nobody "$C" -u root true
is "$OUT$NL$RC" "chpst: fatal: unable to setgroups: permission denied${NL}111" "unprivileged -u: setgroups refused"
run "$C" -u nobody "$C" -n -5 true
is "$OUT$NL$RC" "chpst: fatal: unable to set nice level: permission denied${NL}111" "unprivileged negative nice refused"

# -u happens before the lock is opened: the lock is opened as the new user.
mkdir "$T/private" && chmod 700 "$T/private"
run "$C" -u nobody -l "$T/private/lk" true
is "$OUT$NL$RC" "chpst: fatal: unable to open lock: $T/private/lk: access denied${NL}111" "lock opened as the new user"

done_testing
