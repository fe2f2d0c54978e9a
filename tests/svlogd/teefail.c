/* teefail.c: test helper, preloaded into svlogd: tee(2) fails with EINVAL while the file named by $TEEFAIL exists. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t tee(int in, int out, size_t len, unsigned int flags)
{
	static ssize_t (*real)(int, int, size_t, unsigned int);
	const char *flag = getenv("TEEFAIL");

	if (flag && access(flag, F_OK) == 0) {
		errno = EINVAL;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "tee");
	return real(in, out, len, flags);
}
