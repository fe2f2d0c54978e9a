#!/bin/sh
# runsvdir watches a name before it looks at it: a link target's parent renamed into place between runsvdir's look (nothing there) and its watch is still followed, so that a later removal of the target stops its runsv. The race is made certain with an lstat that, once, returns only after the test has done the rename.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers.sh"

command -v cc >/dev/null || skip_all "no C compiler"
cd "$T" || exit 1
real=$(pwd -P)
cat >hold.c <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first lstat of $HOLD_PATH that finds nothing tells the test (HOLD_MARK.held)
 * and returns its answer only when the test says go (HOLD_MARK.go). */
static int hold(int r, const char *path)
{
	static int held;
	const char *want = getenv("HOLD_PATH"), *mark = getenv("HOLD_MARK");
	char name[4096];
	int e = errno;

	if (r == 0 || held || !want || !mark || strcmp(path, want))
		return r;
	held = 1;
	snprintf(name, sizeof name, "%s.held", mark);
	close(open(name, O_WRONLY | O_CREAT, 0644));
	snprintf(name, sizeof name, "%s.go", mark);
	for (int i = 0; i < 2000 && access(name, F_OK) < 0; i++)
		usleep(10000);
	errno = e;
	return r;
}

int lstat(const char *path, struct stat *st)
{
	int (*real)(const char *, struct stat *) = (int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, "lstat");

	return hold(real(path, st), path);
}

int lstat64(const char *path, struct stat64 *st)
{
	int (*real)(const char *, struct stat64 *) = (int (*)(const char *, struct stat64 *))dlsym(RTLD_NEXT, "lstat64");

	return hold(real(path, st), path);
}
EOF
cc -shared -fPIC -o hold.so hold.c -ldl 2>/dev/null || skip_all "cannot build the lstat shim"

# service/x -> ../sv/x, and sv not there yet: runsvdir's walk along the link finds nothing
mkdir service
tree() { mkdir -p "$1"; addsvc "$1" x; }
tree sv.new
ln -s ../sv/x service/x
HOLD_PATH=$real/sv HOLD_MARK=$real/mark LD_PRELOAD=$real/hold.so \
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
    spawn "$RNG_BIN/runsvdir" service 2>err
p=$SPAWNED
wait_for 10 test -e mark.held || skip_all "the shim did not take (a static build?)"
# between runsvdir's look at sv and its watch on sv's parent
mv sv.new sv
: >mark.go
ok "the service starts" wait_for 10 has_kid "$p" "runsv x"
old=$(kid_pid "$p" "runsv x")
rm -rf sv/x
ok "its target removed: the removal is seen, its runsv stopped" wait_for 5 gone "$old"
mkdir sv/.x && printf '#!/bin/sh\nexec sleep 1000\n' >sv/.x/run && chmod +x sv/.x/run && mv sv/.x sv/x
ok "made again: supervised again" wait_for 5 has_kid "$p" "runsv x"
done_testing
