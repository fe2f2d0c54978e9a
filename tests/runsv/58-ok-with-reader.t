#!/bin/sh
# A new supervise/ok appears with its reader: runsv makes and opens ok.new, then renames it to ok. So sv -w up, run while a new service's runsv is between making ok and opening it, waits for it instead of saying "runsv not running" (sv -w start just after a link, 1 time in 40). The moment is made certain by an open of ok that returns only when the test says go. A runsv killed there leaves ok.new, which the next one takes.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/svc.sh"

command -v cc >/dev/null || skip_all "no C compiler"
cd "$T" || exit 1
cat >hold.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first open for reading of supervise/ok (or ok.new) tells the test
 * (HOLD_MARK.held) and goes on only when the test says go (HOLD_MARK.go). */
static void hold(const char *path, int flags)
{
	static int held;
	const char *mark = getenv("HOLD_MARK"), *slash = strrchr(path, '/');
	char name[4096];

	if (held || !mark || (flags & O_ACCMODE) != O_RDONLY || !slash ||
	    (strcmp(slash, "/ok") && strcmp(slash, "/ok.new")))
		return;
	held = 1;
	snprintf(name, sizeof name, "%s.held", mark);
	close(open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	snprintf(name, sizeof name, "%s.go", mark);
	for (int i = 0; i < 2000 && access(name, F_OK) < 0; i++)
		usleep(10000);
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	hold(path, flags);
	return real(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	return open(path, flags, mode);
}
EOF
cc -shared -fPIC -o hold.so hold.c -ldl 2>/dev/null || skip_all "cannot build the open shim"

# held_runsv DIR MARK: a runsv on DIR whose first open of ok waits for MARK.go.
held_runsv() {
	HOLD_MARK=$2 LD_PRELOAD=$T/hold.so ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    spawn env --default-signal "$RUNSV" "$1" 2>>"$T/stderr"
	RPID=$SPAWNED
	wait_for 10 test -e "$2.held" || skip_all "the shim did not take (a static build?)"
}

mksvc "$T/a" 'exec sleep 1000'
held_runsv "$T/a" "$T/a.mark"
ok "between making ok and opening it: no ok without its reader" \
    sh -c '[ ! -e "$1/supervise/ok" ] || timeout 0.5 sh -c ": >\"\$1\"" sh "$1/supervise/ok"' sh "$T/a"
spawn "$SV" -w 10 up "$T/a" >a.out 2>&1
spid=$SPAWNED
# sv either answered already or waits (an inotify descriptor): both are settled
settled() { ! kill -0 "$spid" 2>/dev/null || ls -l "/proc/$spid/fd" 2>/dev/null | grep -qs inotify; }
wait_for 10 settled
ok "sv -w 10 up waits for the runsv (no \"runsv not running\": $(cat a.out))" kill -0 "$spid"
: >"$T/a.mark.go"
ok "it answers once ok is open" wait_exit "$spid" 10
like "$EXITCODE $(cat a.out)" "^0 ok: run: $T/a: \(pid [0-9]+\) [0-9]+s$" "ok: run"
ok "ok is the FIFO, ok.new gone" sh -c 'test -p "$1/supervise/ok" && test ! -e "$1/supervise/ok.new"' sh "$T/a"
ctl "$T/a" x
wait_exit "$RPID" 5

# Killed between the two: ok.new stays; the next runsv takes it.
mksvc "$T/b" 'exec sleep 1000'
held_runsv "$T/b" "$T/b.mark"
kill -KILL "$RPID"
wait "$RPID" 2>/dev/null
ok "a runsv killed before the rename leaves ok.new, and no ok" \
    sh -c 'test -p "$1/supervise/ok.new" && test ! -e "$1/supervise/ok"' sh "$T/b"
kill_left TERM $(cat "$T/b/supervise/pid" 2>/dev/null)
start_runsv "$T/b"
ok "the next runsv runs, its ok found" alive "$T/b"
ok "from the ok.new it renamed" test ! -e "$T/b/supervise/ok.new"
ctl "$T/b" x
wait_exit "$RPID" 5
is "$(grep -c 'supervise/ok' "$T/stderr")" 0 "no warning about supervise/ok"
done_testing
