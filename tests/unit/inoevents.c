/* Unit tests for inoevents.c: every queued event, in order; the end of a descriptor is an error. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inoevents.h"
#include "tap.h"

struct seen {
	char names[256];
	int count;
};

static void note(void *ctx, const struct inotify_event *ev)
{
	struct seen *s = ctx;

	s->count++;
	if (ev->len && ev->mask & IN_CREATE) {
		strcat(s->names, ev->name);
		strcat(s->names, "|");
	}
}

int main(void)
{
	char dir[] = "/tmp/rng-ino.XXXXXX", path[64];
	struct seen s = { "", 0 };
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	ok(fd >= 0 && mkdtemp(dir) && inotify_add_watch(fd, dir, IN_CREATE) >= 0, "a watched directory");
	ok(inotify_each(fd, note, &s) == 0 && s.count == 0, "nothing queued: 0, no call");
	for (int i = 0; i < 3; i++) {
		int f;

		snprintf(path, sizeof path, "%s/f%d", dir, i);
		f = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		close(f);
	}
	ok(inotify_each(fd, note, &s) == 0, "three events: 0");
	is_str(s.names, "f0|f1|f2|", "each, in order");
	s.count = 0;
	ok(inotify_each(fd, note, &s) == 0 && s.count == 0, "read once only");
	close(fd);
	ok(inotify_each(fd, note, &s) == -1 && errno == EBADF, "a closed descriptor: -1");
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/f%d", dir, i);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}
