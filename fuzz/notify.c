/* fuzz/notify.c: libFuzzer harness for sd_notify datagrams and the /proc lines of the sender check. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct notify_msg m;
	size_t nl = 0, i;

	if (notify_parse(buf, size, &m) == 0) {
		assert(size <= NOTIFY_DGRAM_MAX && !memchr(buf, '\0', size));
		if (m.what & NOTIFY_STATUS) {
			assert(m.status >= buf && m.status + m.status_len <= buf + size);
			assert(!memchr(m.status, '\n', m.status_len));
		}
		if (m.what & NOTIFY_MAINPID)
			assert(m.mainpid > 0);
		for (i = 0; i < size; i++)
			nl += buf[i] == '\n';
		assert(m.ignored <= nl + 1);
	} else {
		assert(size > NOTIFY_DGRAM_MAX || memchr(buf, '\0', size));
	}
	/* the same bytes as /proc/PID/stat and /proc/PID/cgroup */
	assert(notify_stat_ppid(buf, size) >= -1);
	(void)notify_cgroup_match(buf, size, "/svc@1-2");
	(void)notify_cgroup_match(buf, size, "/");
	return 0;
}
