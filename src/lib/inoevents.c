/* inoevents.c: reading an inotify descriptor's queue, event by event. */
#include <errno.h>

#include "inoevents.h"
#include "io.h"

int inotify_each(int fd, void (*fn)(void *ctx, const struct inotify_event *ev), void *ctx)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while ((n = read_intr(fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof *ev + ev->len;
			fn(ctx, ev);
		}
	}
	if (n == 0) {
		errno = EIO;
		return -1;
	}
	return errno == EAGAIN ? 0 : -1;
}
