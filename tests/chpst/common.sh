# tests/chpst/common.sh: helpers shared by the chpst tests (sourced after tap.sh).
C=$RNG_BIN/chpst
NL='
'
CHPST_USAGE='[-vVP012] [-u user[:group]] [-U user[:group]] [-b argv0] [-e dir] [-/ root] [-C pwd] [-n nice] [-l|-L lock] [-m n] [-d n] [-o n] [-p n] [-f n] [-c n] [-t n] [--no-new-privs] [--caps list] [--ambient list] [--unshare list] [--private-tmp] [--oom-score-adj n] [--umask mode] prog'

# run CMD...: stdout+stderr in OUT (its final newline dropped, blank lines kept), exit code in RC
run() {
	OUT=$("$@" 2>&1; echo "x$?")
	RC=${OUT##*x}
	OUT=${OUT%x*}
	OUT=${OUT%"$NL"}
}

# personalities DIR TARGET: DIR/envdir, DIR/setlock, ... as symlinks to TARGET
# (never the daemontools programs of the same names in /usr/bin).
personalities() {
	mkdir -p "$1"
	for _p in envdir envuidgid pgrphack setuidgid softlimit setlock denvdir dsetlock; do
		ln -sf "$2" "$1/$_p"
	done
}
