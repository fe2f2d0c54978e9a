#!/bin/sh
# chpst --caps, --ambient, --no-new-privs as root dropping to nobody: the sets read back by the child from /proc/self/status, port 80 bound through an ambient capability, a setuid program held down, and what the kernel refuses.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/common.sh"
need_root
getent passwd nobody >/dev/null || skip_all "needs the account nobody"
grep -q '^CapAmb:' /proc/self/status || skip_all "kernel without ambient capabilities"

# A directory nobody can read and run from.
P=$T/pub
chmod 711 "$T"
mkdir -m 755 "$P"

# The child's own sets, hex without leading zeros: "inh=I prm=P eff=E bnd=B amb=A nnp=N".
SETS='/^(NoNewPrivs|Cap(Inh|Prm|Eff|Bnd|Amb)):/ { x = $2; sub(/^0+/, "", x); v[$1] = x == "" ? 0 : x }
	END { printf "inh=%s prm=%s eff=%s bnd=%s amb=%s nnp=%s\n", v["CapInh"], v["CapPrm"], v["CapEff"], v["CapBnd"], v["CapAmb"], v["NoNewPrivs"] }'
sets() { run "$@" awk -F'[: \t]+' "$SETS" /proc/self/status; }
BND=$(awk -F'[: \t]+' '/^CapBnd:/ { x = $2; sub(/^0+/, "", x); print x }' /proc/self/status)
sets "$C" --caps net_bind_service,chown
is "$OUT$NL$RC" "inh=0 prm=401 eff=401 bnd=401 amb=0 nnp=0${NL}0" "--caps as root: bounding, permitted, effective are the list"
sets "$C" --caps CAP_NET_BIND_SERVICE
is "$OUT$NL$RC" "inh=0 prm=400 eff=400 bnd=400 amb=0 nnp=0${NL}0" "--caps: upper case with cap_"
sets "$C" --caps none
is "$OUT$NL$RC" "inh=0 prm=0 eff=0 bnd=0 amb=0 nnp=0${NL}0" "--caps none: nothing, even as root"
sets "$C" -u nobody
is "$OUT$NL$RC" "inh=0 prm=0 eff=0 bnd=$BND amb=0 nnp=0${NL}0" "-u alone: no capabilities, the bounding set untouched (runit)"
sets "$C" -u nobody --caps net_bind_service --ambient net_bind_service
is "$OUT$NL$RC" "inh=400 prm=400 eff=400 bnd=400 amb=400 nnp=0${NL}0" "-u with --caps and --ambient: all five sets are the one capability"
sets "$C" -u nobody --ambient net_bind_service
is "$OUT$NL$RC" "inh=400 prm=400 eff=400 bnd=$BND amb=400 nnp=0${NL}0" "--ambient without --caps: the bounding set stays"
sets "$C" --ambient kill "$C" -u nobody --ambient net_bind_service
is "$OUT$NL$RC" "inh=400 prm=400 eff=400 bnd=$BND amb=400 nnp=0${NL}0" "--ambient sets the whole ambient set: one inherited is gone"
sets "$C" -u nobody --ambient net_bind_service,kill "$C" --ambient kill
is "$OUT$NL$RC" "inh=20 prm=20 eff=20 bnd=$BND amb=20 nnp=0${NL}0" "--ambient without -u, as the user: a subset of what it has"
sets "$C" -u nobody --ambient kill "$C" --ambient none
is "$OUT$NL$RC" "inh=0 prm=0 eff=0 bnd=$BND amb=0 nnp=0${NL}0" "--ambient none empties the ambient set"
sets "$C" -u nobody --caps none --ambient none
is "$OUT$NL$RC" "inh=0 prm=0 eff=0 bnd=0 amb=0 nnp=0${NL}0" "--caps none --ambient none with -u"
sets "$C" --no-new-privs
is "${OUT##* }$NL$RC" "nnp=1${NL}0" "--no-new-privs: NoNewPrivs 1"
is "$(awk '/^NoNewPrivs:/ { print $2 }' /proc/self/status)" 0 "... and not in chpst's caller"
sets "$C" -u nobody --caps net_bind_service --ambient net_bind_service --no-new-privs
is "$OUT$NL$RC" "inh=400 prm=400 eff=400 bnd=400 amb=400 nnp=1${NL}0" "--no-new-privs keeps the ambient capabilities"

# Binding port 80 as nobody, in a network namespace of its own (port 80 is free there,
# and unprivileged ports start at 1024 whatever the host says).
cat >"$T/bind80.c" <<'CEOF'
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
int main(void)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons(80);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		puts(errno == EACCES ? "EACCES" : strerror(errno));
		return 1;
	}
	puts("bound");
	return 0;
}
CEOF
if ! cc -o "$P/bind80" "$T/bind80.c"; then
	skip "no C compiler"; skip "no C compiler"; skip "no C compiler"
elif ! unshare --net true 2>/dev/null; then
	skip "no network namespaces"; skip "no network namespaces"; skip "no network namespaces"
else
	run unshare --net "$C" -u nobody "$P/bind80"
	is "$OUT$NL$RC" "EACCES${NL}1" "nobody cannot bind port 80"
	run unshare --net "$C" -u nobody --ambient net_bind_service "$P/bind80"
	is "$OUT$NL$RC" "bound${NL}0" "with --ambient net_bind_service it can"
	run unshare --net "$C" -u nobody --caps chown --ambient chown "$P/bind80"
	is "$OUT$NL$RC" "EACCES${NL}1" "another ambient capability does not help"
fi

# A setuid-root copy of id, run as nobody.
cp /usr/bin/id "$P/id" && chmod 4755 "$P/id"
run "$C" -u nobody "$P/id" -u
if [ "$OUT" != 0 ]; then
	skip "setuid programs do not work here (nosuid?): $OUT"; skip "setuid"
else
	is "$OUT$NL$RC" "0${NL}0" "without --no-new-privs a setuid-root id gains uid 0"
	run "$C" -u nobody --no-new-privs "$P/id" -u
	is "$OUT$NL$RC" "$(id -u nobody)${NL}0" "--no-new-privs: it stays nobody"
fi

# Refused by the kernel: fatal, 111, the program not run.
run "$C" --caps chown,kill "$C" -u nobody --ambient net_bind_service echo ran
is "$OUT$NL$RC" "chpst: fatal: ambient capability not in the bounding set: net_bind_service${NL}111" \
	"--ambient outside the bounding set that chpst started with"
run "$C" -u nobody "$C" --ambient chown echo ran
is "$OUT$NL$RC" "chpst: fatal: unable to raise ambient capability: chown: permission denied${NL}111" \
	"--ambient without the capability"
run "$C" -u nobody "$C" --caps chown echo ran
like "$OUT|$RC" "^chpst: fatal: unable to drop capability: [a-z_]+: permission denied\|111$" \
	"--caps without the privilege to drop"
run "$C" -u nobody "$C" --caps none --no-new-privs echo ran
like "$OUT|$RC" "^chpst: fatal: unable to drop capability: [a-z_]+: permission denied\|111$" \
	"a failure before --no-new-privs stops everything"

done_testing
