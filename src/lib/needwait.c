/* needwait.c: runsv's wait, by inotify, for its needs to become ready (before ./run) or for the services that need it to stop (before its own stop). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "needwait.h"
#include "svfile.h"

int needwait_fd(const struct needwait *w)
{
	return w->active ? w->watch.fd : -1;
}

/* The services in parent_fd whose needs name self: the stop order's list. */
static int find_dependents(struct needwait *w)
{
	struct needs theirs = { 0 };
	char path[256 + sizeof "/" NEEDS_FILE];
	struct stat me, st;
	struct dirent *d;
	const char *why;
	DIR *dir;
	int fd = needs_open(w->parent_fd, w->self);

	if (fd < 0 || fstat(fd, &me) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	fd = openat(w->parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((d = readdir(dir))) {
		int svc, named = 0;

		if (d->d_name[0] == '.')
			continue;
		/* most services need nothing: one look each, in a directory of
		 * thousands (every runsv of it looks at once, on runsvdir's HUP) */
		if (strlen(d->d_name) + sizeof "/" NEEDS_FILE > sizeof path)
			continue;
		strcpy(path, d->d_name);
		strcat(path, "/" NEEDS_FILE);
		if (faccessat(w->parent_fd, path, F_OK, 0) < 0)
			continue;
		svc = needs_open(w->parent_fd, d->d_name);
		if (svc < 0)
			continue;
		if (fstat(svc, &st) == 0 && !(st.st_dev == me.st_dev && st.st_ino == me.st_ino) &&
		    needs_read(&theirs, svc, &why) == SVFILE_OK) {
			for (size_t i = 0; i < theirs.n && !named; i++) {
				int nfd = theirs.v[i].state == NEED_INVALID ? -1 :
				    needs_open(w->parent_fd, theirs.v[i].name);

				if (nfd >= 0 && fstat(nfd, &st) == 0 && st.st_dev == me.st_dev &&
				    st.st_ino == me.st_ino)
					named = 1;
				if (nfd >= 0)
					close(nfd);
			}
		}
		close(svc);
		if (named && needs_add(&w->list, d->d_name) < 0) {
			closedir(dir);
			needs_free(&theirs);
			return -1;
		}
	}
	closedir(dir);
	needs_free(&theirs);
	return 0;
}

int needwait_begin(struct needwait *w, enum needwait_mode mode, int home_fd,
    int parent_fd, const char *self)
{
	int r;

	w->mode = mode;
	w->home_fd = home_fd;
	w->parent_fd = parent_fd;
	w->self = self;
	w->cycle = 0;
	w->invalid = 0;
	w->not_ready = 0;
	if (mode == NEEDWAIT_UP) {
		r = needs_read(&w->list, home_fd, &w->invalid);
		if (r == SVFILE_ABSENT || (r == SVFILE_OK && w->list.n == 0))
			return 0;
		if (r == SVFILE_ERROR)
			w->invalid = "unable to read needs";
		else if (r == SVFILE_OK)
			w->invalid = 0;
		w->cycle = needs_cycle(parent_fd, self, w->cycle_path, sizeof w->cycle_path);
	} else {
		w->list.n = w->list.len = 0;
		if (find_dependents(w) < 0)
			return -1;
		if (w->list.n == 0)
			return 0;
	}
	if (!w->r && !(w->r = malloc(sizeof *w->r))) {
		errno = ENOMEM;
		return -1;
	}
	if (!w->watch_tried && svwatch_open(&w->watch) < 0)
		w->watch.fd = -1;
	w->watch_tried = 1;
	w->active = 1;
	return 1;
}

/* Arms the watch for a need whose directory is missing: its creation in
 * the directory that is to hold it. 0, or -1: look on a clock. */
static int arm_missing(struct needwait *w, size_t i)
{
	struct need *n = &w->list.v[i];
	int pfd = needs_open_parent(w->parent_fd, n->name), r;

	if (pfd < 0)
		return -1;
	r = fchdir(pfd) < 0 ? -1 : svwatch_arm_parent(&w->watch, (int)i, &n->watch, ".");
	close(pfd);
	return r;
}

/* One need, in its own directory and back; 0, or -1: look on a clock. */
static int look_one(struct needwait *w, size_t i, uint64_t now_ms)
{
	struct need *n = &w->list.v[i];
	int up = w->mode == NEEDWAIT_UP;
	int fd, armed, was_alive;

	n->dirty = 0;
	fd = needs_open(w->parent_fd, n->name);
	if (fd < 0) {
		/* watch first, then look: a directory made meanwhile is seen */
		armed = arm_missing(w, i);
		fd = needs_open(w->parent_fd, n->name);
		if (fd < 0) {
			n->alive = 0;
			n->asked = 0;
			n->state = up ? NEED_MISSING : NEED_READY;
			strcpy(n->reason, errno == ENOENT ? "no such service" : "unable to open it");
			n->due_ms = 0;
			return armed;
		}
	}
	if (fchdir(fd) < 0) {
		close(fd);
		n->state = up ? NEED_UNREADABLE : NEED_READY;
		strcpy(n->reason, "unable to change to it");
		return -1;
	}
	close(fd);
	was_alive = n->alive;
	armed = svwatch_arm(&w->watch, (int)i, &n->watch, n->alive);
	need_look(n, w->r, up, now_ms);
	/* a runsv seen for the first time: its ok's IN_OPEN is ours now */
	if (armed == 0 && n->alive != was_alive)
		armed = svwatch_arm(&w->watch, (int)i, &n->watch, n->alive);
	return armed;
}

int needwait_look(struct needwait *w, uint64_t now_ms)
{
	size_t i, left = 0, looked = 0;

	if (!w->active)
		return 1;
	for (i = 0; i < w->list.n; i++) {
		struct need *n = &w->list.v[i];

		if (n->state == NEED_INVALID)
			continue;
		if (n->dirty || (n->due_ms && n->due_ms <= now_ms)) {
			looked++;
			if (look_one(w, i, now_ms) < 0 && !n->due_ms)
				n->due_ms = now_ms + NEEDWAIT_POLL_MS;
		}
	}
	/* runsv works in its directory: nothing can go on without it */
	if (looked && fchdir(w->home_fd) < 0)
		return 0;
	for (i = 0; i < w->list.n; i++)
		if (w->list.v[i].state != NEED_READY)
			left++;
	w->not_ready = left + (w->cycle || w->invalid ? 1 : 0);
	return w->not_ready == 0;
}

static void mark(void *ctx, int id)
{
	struct needwait *w = ctx;

	if (id < 0) {
		for (size_t i = 0; i < w->list.n; i++)
			w->list.v[i].dirty = 1;
	} else if ((size_t)id < w->list.n) {
		w->list.v[id].dirty = 1;
	}
}

void needwait_event(struct needwait *w)
{
	if (w->active && svwatch_read(&w->watch, mark, w) < 0)
		mark(w, -1);
}

uint64_t needwait_due(const struct needwait *w)
{
	uint64_t due = 0;

	if (!w->active)
		return 0;
	for (size_t i = 0; i < w->list.n; i++) {
		uint64_t d = w->list.v[i].due_ms;

		if (d && (!due || d < due))
			due = d;
	}
	return due;
}

void needwait_end(struct needwait *w)
{
	if (!w->active)
		return;
	for (size_t i = 0; i < w->list.n; i++)
		svwatch_disarm(&w->watch, (int)i, &w->list.v[i].watch);
	/* a running service keeps none of it: the next wait reads all again */
	needs_free(&w->list);
	free(w->r);
	w->r = 0;
	w->active = 0;
	w->not_ready = 0;
}

/* Appends "NAME STATE REASON" if it fits, with a '|' before all but the first. */
static int put_entry(char *out, size_t size, size_t *len, const char *name,
    const char *state, const char *reason)
{
	size_t need = (*len ? 1 : 0) + strlen(name) + 1 + strlen(state) + 1 + strlen(reason);

	if (*len + need + 1 > size)
		return 0;
	if (*len)
		out[(*len)++] = '|';
	*len += (size_t)sprintf(out + *len, "%s %s %s", name, state, reason);
	return 1;
}

void needwait_text(const struct needwait *w, char *out, size_t size)
{
	size_t len = 0;

	if (!size)
		return;
	out[0] = 0;
	if (w->cycle)
		(void)put_entry(out, size, &len, w->self, need_state_word(NEED_CYCLE), w->cycle_path);
	if (w->invalid) {
		char why[NEED_REASON_MAX];

		snprintf(why, sizeof why, "needs file: %s", w->invalid);
		(void)put_entry(out, size, &len, NEEDS_FILE, need_state_word(NEED_INVALID), why);
	}
	for (size_t i = 0; i < w->list.n; i++) {
		const struct need *n = &w->list.v[i];

		if (n->state == NEED_READY)
			continue;
		if (!put_entry(out, size, &len, needs_name_ok(n->name) ? n->name : "?",
		    need_state_word(n->state),
		    n->state == NEED_INVALID ? "not a service name" : n->reason))
			break;
	}
}
