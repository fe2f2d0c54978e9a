/* fuzz/svfile.c: libFuzzer harness for the one-value service-directory files (ms, signal, notification-fd) and the cgroup lines of /proc. */
#include <assert.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "cgroup.h"
#include "notify.h"
#include "signame.h"
#include "svfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *why = 0;
	char value[SVFILE_VALUE_MAX + 1], name[SIGNAME_MAX];
	static char mnt[CGROUP_PATH_MAX], root[CGROUP_PATH_MAX], rel[CGROUP_PATH_MAX];
	unsigned long ms;
	int r, sig, fd;

	r = svfile_parse(buf, size, value, &why);
	if (r == SVFILE_OK) {
		size_t n = strlen(value);
		assert(n > 0 && n <= SVFILE_VALUE_MAX && !strchr(value, '\n'));
		assert(n == size || (n + 1 == size && buf[n] == '\n'));
		if (svfile_parse_ms(value, &ms, &why) == SVFILE_OK)
			assert(ms <= SVFILE_MS_MAX);
		else
			assert(why);
		fd = notify_fd_parse(value, &why);
		assert(fd >= 3 || (fd == NOTIFY_FD_INVALID && why));
	} else {
		assert(r == SVFILE_INVALID && why);
	}
	sig = signame_parse(buf, size);
	assert(sig >= 0 && sig <= 64);
	if (sig) {
		size_t n = signame_fmt(name, sig);
		assert(n < SIGNAME_MAX && signame_parse(name, n) == sig);
	}
	if (cgroup_mountinfo_line(buf, size, mnt, root))
		assert(strlen(mnt) < CGROUP_PATH_MAX && strlen(root) < CGROUP_PATH_MAX);
	if (cgroup_v2_path(buf, size, rel))
		assert(strlen(rel) < CGROUP_PATH_MAX);
	return 0;
}
