/* svwatch.c: inotify on services' supervise/ directories, waking sv only for what a runsv does. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "grow.h"
#include "inoevents.h"
#include "io.h"
#include "svwatch.h"

#define DIR_MASK (IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define OK_MASK (IN_CLOSE_NOWRITE | IN_DELETE_SELF | IN_MOVE_SELF)
/* one mask for every watch on a directory of entries: a directory may be
 * watched as several kinds (a service's own directory holding another's
 * entry), and each inotify_add_watch replaces the mask of the last */
#define UP_MASK (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR)
#define FAR_MASK UP_MASK
#define NAME_MASK UP_MASK

int svwatch_open(struct svwatch *w)
{
	memset(w, 0, sizeof *w);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return w->fd < 0 ? -1 : 0;
}

void svwatch_close(struct svwatch *w)
{
	if (w->fd >= 0)
		close_fd(w->fd);
	free(w->refs);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

/* Every descriptor from `from` up closes. */
static void close_from(int from)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)from, ~0U, 0) == 0)
		return;
#endif
	for (int fd = from; fd < 1024; fd++)
		(void)close(fd);
}

void svwatch_abandon(struct svwatch *w)
{
	int p[2];
	pid_t pid;

	if (w->fd < 0 || !w->armed || pipe2(p, O_CLOEXEC) < 0) {
		svwatch_close(w);
		return;
	}
	pid = fork();
	if (pid == 0) {
		char c;

		/* nothing else: whoever reads our stdout must see it end with us */
		if (dup2(w->fd, 0) < 0 || dup2(p[0], 1) < 0)
			_exit(0);
		close_from(2);
		/* end of file once the parent has exited; nothing is read */
		ssize_t r = read(1, &c, 1);
		_exit(r < 0);
	}
	close_fd(p[0]);
	/* p[1] stays open until this process exits; then the child goes */
	svwatch_close(w);
}

static int ref_below(const struct svwatch_ref *r, int wd, int id, enum svwatch_kind kind)
{
	if (r->wd != wd)
		return r->wd < wd;
	if (r->id != id)
		return r->id < id;
	return r->kind < kind;
}

/* Index of the first ref not below (wd, id, kind). */
static size_t ref_find(const struct svwatch *w, int wd, int id, enum svwatch_kind kind)
{
	size_t lo = 0, hi = w->nrefs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ref_below(&w->refs[mid], wd, id, kind))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int ref_is(const struct svwatch *w, size_t i, int wd, int id, enum svwatch_kind kind)
{
	return i < w->nrefs && w->refs[i].wd == wd && w->refs[i].id == id && w->refs[i].kind == kind;
}

static int ref_add(struct svwatch *w, int wd, int id, enum svwatch_kind kind, const char *name)
{
	size_t i = ref_find(w, wd, id, kind);

	if (ref_is(w, i, wd, id, kind)) {
		w->refs[i].name = name;
		return 0;
	}
	if (grow(&w->refs, &w->cap, w->nrefs + 1, sizeof *w->refs, 16) < 0)
		return -1;
	memmove(w->refs + i + 1, w->refs + i, (w->nrefs - i) * sizeof *w->refs);
	w->refs[i] = (struct svwatch_ref){ wd, id, kind, name };
	w->nrefs++;
	return 0;
}

/* Forgets that id uses wd as kind; the watch itself goes when no ref uses it. */
static void ref_drop(struct svwatch *w, int wd, int id, enum svwatch_kind kind)
{
	size_t i = ref_find(w, wd, id, kind);

	if (wd < 0 || !ref_is(w, i, wd, id, kind))
		return;
	memmove(w->refs + i, w->refs + i + 1, (w->nrefs - i - 1) * sizeof *w->refs);
	w->nrefs--;
	i = ref_find(w, wd, -1, 0);
	if (i >= w->nrefs || w->refs[i].wd != wd)
		(void)inotify_rm_watch(w->fd, wd); /* EINVAL when the kernel dropped it already */
}

/* Points the slot's watch *cur at what inotify_add_watch gave (wd, or -1). */
static int track_named(struct svwatch *w, int id, enum svwatch_kind kind, int *cur, int wd,
    const char *name)
{
	if (*cur != wd || (wd >= 0 && name)) {
		int old = *cur;

		*cur = wd;
		if (wd >= 0 && ref_add(w, wd, id, kind, name) < 0) {
			*cur = -1;
			errno = ENOMEM;
			return -1;
		}
		if (old != wd)
			ref_drop(w, old, id, kind);
	}
	return 0;
}

static int track(struct svwatch *w, int id, enum svwatch_kind kind, int *cur, int wd)
{
	return track_named(w, id, kind, cur, wd, 0);
}

/* supervise is a link to a directory not there yet: a watch on the
 * directory that is to hold it (relative to the service directory), or -1
 * with errno. */
static int watch_link_target(struct svwatch *w)
{
	char target[PATH_MAX], *slash;
	ssize_t n = readlink("supervise", target, sizeof target - 1);

	if (n <= 0) {
		if (n == 0)
			errno = ENOENT;
		return -1;
	}
	while (n > 1 && target[n - 1] == '/')
		n--;
	target[n] = 0;
	slash = strrchr(target, '/');
	if (!slash)
		return inotify_add_watch(w->fd, ".", FAR_MASK);
	slash[slash == target] = 0; /* "/x": the root */
	return inotify_add_watch(w->fd, target, FAR_MASK);
}

int svwatch_arm(struct svwatch *w, int id, struct svwatch_slot *s, int alive)
{
	int ok, dir, up, far, err, ok_err, dir_err;
	struct stat sb;

	if (w->fd < 0) {
		errno = EBADF;
		return -1;
	}
	for (int pass = 0;; pass++) {
		up = far = -1;
		ok = inotify_add_watch(w->fd, "supervise/ok", OK_MASK | (alive ? 0 : IN_OPEN));
		ok_err = err = ok < 0 ? errno : 0;
		/* until ok exists, its creation is the event to wait for */
		dir = inotify_add_watch(w->fd, "supervise", DIR_MASK | (ok < 0 ? IN_CREATE : 0));
		dir_err = dir < 0 ? errno : 0;
		if (dir_err == ENOENT) {
			/* no supervise/ yet: wait for it in the service directory */
			up = inotify_add_watch(w->fd, ".", UP_MASK);
			err = up < 0 ? errno : 0;
			/* a link to what is not there yet: wait where it will appear */
			if (!err && lstat("supervise", &sb) == 0 && S_ISLNK(sb.st_mode)) {
				far = watch_link_target(w);
				err = far < 0 ? errno : 0;
			}
		} else if (dir_err) {
			err = dir_err;
		} else if (ok_err == ENOENT) {
			err = 0;
		}
		if (ok >= 0 || dir >= 0 || up >= 0 || far >= 0)
			w->armed = 1;
		if (track(w, id, SVWATCH_OK, &s->wd_ok, ok) < 0 ||
		    track(w, id, SVWATCH_DIR, &s->wd_dir, dir) < 0 ||
		    track(w, id, SVWATCH_UP, &s->wd_up, up) < 0 ||
		    track(w, id, SVWATCH_FAR, &s->wd_far, far) < 0)
			return -1;
		/* what was missing may have appeared before its creation was
		 * watched for: arm for what is there now */
		if (pass < 2 && ((dir_err == ENOENT && stat("supervise", &sb) == 0) ||
		    (ok_err == ENOENT && dir >= 0 && access("supervise/ok", F_OK) == 0)))
			continue;
		break;
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int svwatch_arm_parent(struct svwatch *w, int id, struct svwatch_slot *s, const char *parent)
{
	int far, err;

	if (w->fd < 0) {
		errno = EBADF;
		return -1;
	}
	far = inotify_add_watch(w->fd, parent, FAR_MASK);
	err = far < 0 ? errno : 0;
	if (far >= 0)
		w->armed = 1;
	if (track(w, id, SVWATCH_OK, &s->wd_ok, -1) < 0 ||
	    track(w, id, SVWATCH_DIR, &s->wd_dir, -1) < 0 ||
	    track(w, id, SVWATCH_UP, &s->wd_up, -1) < 0 ||
	    track(w, id, SVWATCH_FAR, &s->wd_far, far) < 0)
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int svwatch_arm_name(struct svwatch *w, int id, struct svwatch_slot *s, const char *parent,
    const char *name)
{
	int wd;

	if (w->fd < 0) {
		errno = EBADF;
		return -1;
	}
	wd = inotify_add_watch(w->fd, parent, NAME_MASK);
	if (wd >= 0)
		w->armed = 1;
	if (track_named(w, id, SVWATCH_NAME, &s->wd_name, wd, name) < 0)
		return -1;
	return wd < 0 ? -1 : 0;
}

void svwatch_disarm(struct svwatch *w, int id, struct svwatch_slot *s)
{
	(void)track(w, id, SVWATCH_OK, &s->wd_ok, -1);
	(void)track(w, id, SVWATCH_DIR, &s->wd_dir, -1);
	(void)track(w, id, SVWATCH_UP, &s->wd_up, -1);
	(void)track(w, id, SVWATCH_FAR, &s->wd_far, -1);
	(void)track(w, id, SVWATCH_NAME, &s->wd_name, -1);
}

/* Does an event on a watch of this kind call for a new look at the slot? */
static int wakes(const struct inotify_event *ev, const struct svwatch_ref *ref)
{
	enum svwatch_kind kind = ref->kind;
	const char *name = ev->len ? ev->name : "";
	int made = (ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0;

	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
		return 1;
	switch (kind) {
	case SVWATCH_OK: /* runsv closed it, or a new runsv opened it */
		return ev->mask & (IN_CLOSE_NOWRITE | IN_OPEN) ? 1 : 0;
	case SVWATCH_DIR:
		if (ev->mask & IN_MOVED_TO && (!strcmp(name, "status") || !strcmp(name, "info")))
			return 1;
		return made && !strcmp(name, "ok") ? 1 : 0;
	case SVWATCH_UP: /* supervise itself, or the link replaced */
		return made && !strcmp(name, "supervise") ? 1 : 0;
	case SVWATCH_FAR: /* the target, whatever its name */
		return made ? 1 : 0;
	case SVWATCH_NAME: /* the service directory's own entry, replaced */
		return ev->mask & (IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM) && ref->name &&
		    !strcmp(name, ref->name);
	}
	return 0;
}

struct reading {
	struct svwatch *w;
	void (*hit)(void *ctx, int id);
	void *ctx;
};

static void one_event(void *arg, const struct inotify_event *ev)
{
	struct reading *r = arg;
	struct svwatch *w = r->w;
	size_t i;

	if (ev->mask & IN_Q_OVERFLOW) {
		r->hit(r->ctx, -1);
		return;
	}
	for (i = ref_find(w, ev->wd, -1, 0); i < w->nrefs && w->refs[i].wd == ev->wd; i++) {
		if (wakes(ev, &w->refs[i]))
			r->hit(r->ctx, w->refs[i].id);
	}
	if (ev->mask & IN_IGNORED) {
		/* the kernel dropped the watch: forget who used it */
		i = ref_find(w, ev->wd, -1, 0);
		while (i < w->nrefs && w->refs[i].wd == ev->wd) {
			memmove(w->refs + i, w->refs + i + 1, (w->nrefs - i - 1) * sizeof *w->refs);
			w->nrefs--;
		}
	}
}

int svwatch_read(struct svwatch *w, void (*hit)(void *ctx, int id), void *ctx)
{
	struct reading r = { w, hit, ctx };

	if (w->fd < 0)
		return 0;
	return inotify_each(w->fd, one_event, &r);
}
