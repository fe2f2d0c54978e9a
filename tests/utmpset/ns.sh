# tests/utmpset/ns.sh: preconditions for running utmpset against files bound over /var/run/utmp and /var/log/wtmp in a mount namespace, and the record helpers.
need_root
unshare --mount true 2>/dev/null || skip_all "cannot create mount namespaces"
[ -e /var/log/wtmp ] || skip_all "no /var/log/wtmp to bind over"
[ "$(readlink -f /var/run)" = /run ] || skip_all "/var/run is not /run"
here=$(cd "$(dirname "$0")" && pwd)
mk() { perl "$here/mkutmp.pl" "$@"; }
dump() { perl "$here/mkutmp.pl" -d "$1"; }
