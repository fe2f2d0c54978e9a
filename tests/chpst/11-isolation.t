#!/bin/sh
# chpst --unshare, --private-tmp, --oom-score-adj, --umask: namespaces read back from /proc/self/ns, lo alone and down, an empty /tmp that stays inside, mounts that do not propagate back, the OOM score and the umask.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
need_root
getent passwd nobody >/dev/null || skip_all "needs the account nobody"
unshare --net --ipc --uts --mount true 2>/dev/null || skip_all "cannot create namespaces"

# Whatever could mount or rename runs in a throwaway mount and UTS namespace (private
# propagation), so a chpst that failed to make its own cannot touch the machine's.
contained() { unshare --mount --uts "$@"; }

# The child's net, ipc, uts and mount namespaces, each "same" as the caller's or "new".
NS='for n in net ipc uts mnt; do [ "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/$PPID/ns/$n)" ] && s=same || s=new; printf "%s=%s " $n $s; done; echo'
ns() { run contained sh -c "\"\$@\" sh -c '$NS'" sh "$@"; }
ns "$C"
is "$OUT$NL$RC" "net=same ipc=same uts=same mnt=same ${NL}0" "no option: the caller's namespaces"
ns "$C" --unshare net
is "$OUT$NL$RC" "net=new ipc=same uts=same mnt=same ${NL}0" "--unshare net"
ns "$C" --unshare ipc
is "$OUT$NL$RC" "net=same ipc=new uts=same mnt=same ${NL}0" "--unshare ipc"
ns "$C" --unshare uts
is "$OUT$NL$RC" "net=same ipc=same uts=new mnt=same ${NL}0" "--unshare uts"
ns "$C" --unshare mount
is "$OUT$NL$RC" "net=same ipc=same uts=same mnt=new ${NL}0" "--unshare mount"
ns "$C" --unshare UTS,net --unshare ipc
is "$OUT$NL$RC" "net=new ipc=new uts=new mnt=same ${NL}0" "a list, any case, and --unshare given twice adds up"
ns "$C" --private-tmp
is "$OUT$NL$RC" "net=same ipc=same uts=same mnt=new ${NL}0" "--private-tmp: a new mount namespace"

# --unshare net: the child sees lo alone (netlink and /proc/net look at its own namespace), and it is down.
run contained "$C" --unshare net sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
is "$OUT$NL$RC" "lo${NL}0" "--unshare net: only lo"
if command -v ip >/dev/null; then
	run contained "$C" --unshare net ip -o link show
	like "$OUT|$RC" '^1: lo: <LOOPBACK> .* state DOWN .*\|0$' "... and it is down"
else
	skip "no ip(8) (iproute2)"
fi
run contained sh -c '"$1" --unshare uts sh -c "hostname rng-inside && hostname" && hostname' sh "$C"
is "$OUT$NL$RC" "rng-inside${NL}$(hostname)${NL}0" "--unshare uts: the host name changes inside, not outside"

# Run in a mount namespace of its own whose mounts are all shared, as on a systemd host:
# a mount chpst's child makes shows up here if chpst left propagation on. The namespace
# goes away with it, so nothing reaches the machine's mounts even when that fails.
in_shared() { unshare --mount --propagation shared sh -c "$1" sh "$C" "$T"; }
mounted_at() { awk -v p="$1" '$5 == p { n++ } END { print n + 0 }' /proc/self/mountinfo; }
mkdir "$T/m"
run in_shared "\"\$1\" --unshare mount mount -t tmpfs rng \"\$2/m\" && awk -v p=\"\$2/m\" '\$5 == p { n++ } END { print n + 0 }' /proc/self/mountinfo"
is "$OUT$NL$RC" "0${NL}0" "--unshare mount: a mount made inside does not propagate back"
run in_shared "unshare --mount --propagation unchanged mount -t tmpfs rng \"\$2/m\" && awk -v p=\"\$2/m\" '\$5 == p { n++ } END { print n + 0 }' /proc/self/mountinfo"
is "$OUT$NL$RC" "1${NL}0" "(whereas a namespace left shared does propagate: the check can see it)"
run in_shared "\"\$1\" --private-tmp true && awk '\$5 == \"/tmp\" { n++ } END { print n + 0 }' /proc/self/mountinfo"
is "$OUT$NL$RC" "$(mounted_at /tmp)${NL}0" "--private-tmp: its /tmp does not propagate back"

# --private-tmp: the child sees an empty tmpfs; what it writes there stays there.
# (It writes only into an empty /tmp: never into the machine's, should chpst fail.)
run contained "$C" --private-tmp sh -c 'ls -A /tmp; [ -z "$(ls -A /tmp)" ] && f=/tmp/rng-private.$$ && : >"$f" && echo "$f"; stat -f -c %T /tmp; stat -c %a /tmp'
set -- $OUT
is "$#:${2-}:${3-}$NL$RC" "3:tmpfs:1777${NL}0" "--private-tmp: /tmp is an empty tmpfs, mode 1777"
written=
case ${1-} in /tmp/rng-private.*) written=$1 ;; esac
ok "... and the file written in it is not in the real /tmp" [ -n "$written" ] && [ ! -e "$written" ]
[ -z "$written" ] || rm -f "$written"
run contained "$C" --private-tmp -u nobody sh -c '[ -z "$(ls -A /tmp)" ] && : >/tmp/rng-nobody && echo written'
is "$OUT$NL$RC" "written${NL}0" "--private-tmp: writable by the new user"
run contained "$C" --private-tmp -C /tmp sh -c '[ "$(stat -c %d:%i .)" = "$(stat -c %d:%i /tmp)" ] && pwd'
is "$OUT$NL$RC" "/tmp${NL}0" "-C /tmp lands in the private /tmp, not the one under it"
# With -/: a static helper in the new root says what its /tmp is.
mkdir -p "$T/root/tmp" "$T/root/bin"
cat >"$T/tmpfs.c" <<'CEOF'
#include <stdio.h>
#include <sys/vfs.h>
int main(void)
{
	struct statfs st;
	if (statfs("/tmp", &st) < 0)
		return 2;
	puts(st.f_type == 0x01021994 ? "tmpfs" : "other");
	return 0;
}
CEOF
if [ "$(stat -f -c %T "$T/root/tmp")" = tmpfs ]; then
	skip "$T is on a tmpfs: a private /tmp would not look different"
	skip "$T is on a tmpfs"
elif { command -v musl-gcc >/dev/null && musl-gcc -static -o "$T/root/bin/tmpfs" "$T/tmpfs.c" 2>/dev/null; } ||
    cc -static -o "$T/root/bin/tmpfs" "$T/tmpfs.c" 2>/dev/null; then
	run contained "$C" -/ "$T/root" --private-tmp /bin/tmpfs
	is "$OUT$NL$RC" "tmpfs${NL}0" "with -/: the new root's /tmp"
	run "$C" -/ "$T/root" /bin/tmpfs
	is "$OUT$NL$RC" "other${NL}0" "... which was not a tmpfs before"
else
	skip "no static C compiler for the chroot helper"
	skip "no static C compiler for the chroot helper"
fi

# --oom-score-adj: raising is always allowed, lowering needs CAP_SYS_RESOURCE.
run "$C" --oom-score-adj 321 cat /proc/self/oom_score_adj
is "$OUT$NL$RC" "321${NL}0" "--oom-score-adj 321"
run "$C" -u nobody --oom-score-adj 500 cat /proc/self/oom_score_adj
is "$OUT$NL$RC" "500${NL}0" "set before -u, kept after it"
if sh -c 'echo -17 >/proc/self/oom_score_adj' 2>/dev/null; then
	run "$C" --oom-score-adj -17 cat /proc/self/oom_score_adj
	is "$OUT$NL$RC" "-17${NL}0" "--oom-score-adj -17 as root"
else
	run "$C" --oom-score-adj -17 echo ran
	is "$OUT$NL$RC" "chpst: fatal: unable to set oom score adjustment: access denied${NL}111" \
		"--oom-score-adj -17 where root may not lower it: fatal, not run"
fi
run "$C" -u nobody "$C" --oom-score-adj -1 echo ran
is "$OUT$NL$RC" "chpst: fatal: unable to set oom score adjustment: access denied${NL}111" \
	"lowering without privilege: fatal, not run"

# --umask: read back, and seen in a file's mode.
run "$C" --umask 027 sh -c umask
is "$OUT$NL$RC" "0027${NL}0" "--umask 027"
run "$C" --umask 077 -C "$T" sh -c ': >f && stat -c %a f'
is "$OUT$NL$RC" "600${NL}0" "--umask 077: a new file is 600"
run "$C" -u nobody --umask 7 sh -c umask
is "$OUT$NL$RC" "0007${NL}0" "--umask with -u"

# Refused by the kernel: fatal, 111, not run.
run "$C" -u nobody "$C" --unshare net echo ran
is "$OUT$NL$RC" "chpst: fatal: unable to unshare namespace: net: permission denied${NL}111" "--unshare without privilege"
run contained "$C" -u nobody "$C" --private-tmp echo ran
is "$OUT$NL$RC" "chpst: fatal: unable to unshare namespace: mount: permission denied${NL}111" "--private-tmp without privilege"
mkdir "$T/notmp"
run contained "$C" -/ "$T/notmp" --private-tmp echo ran
is "$OUT$NL$RC" "chpst: fatal: unable to mount a private /tmp: file does not exist${NL}111" "--private-tmp in a root without /tmp"

done_testing
