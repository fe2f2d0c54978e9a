/* needs.c: a service's needs file, where the services it names are, cycles among them, and whether one is ready by sv's rule of "started". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "grow.h"
#include "io.h"
#include "loop.h"
#include "needs.h"
#include "svfile.h"

static const char *const state_words[] = {
	"ready", "invalid", "missing", "unsupervised", "unreadable", "down",
	"waiting", "starting", "failed", "cycle", "running",
};

const char *need_state_word(enum need_state s)
{
	return (unsigned)s < sizeof state_words / sizeof *state_words ? state_words[s] : "unknown";
}

int needs_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || strpbrk(name, " \t\r|"))
		return 0;
	if (name[0] == '/')
		return n < 4096;
	return n <= 255 && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

void needs_free(struct needs *l)
{
	free(l->buf);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void needs_clear(struct needs *l)
{
	l->len = l->n = 0;
}

/* The names point into buf: after buf moves, they are set again. */
static void renames(struct needs *l)
{
	const char *p = l->buf;

	for (size_t i = 0; i < l->n; i++) {
		l->v[i].name = p;
		p += strlen(p) + 1;
	}
}

int needs_add(struct needs *l, const char *name)
{
	size_t n = strlen(name) + 1;
	char *old = l->buf;
	struct need *e;

	if (grow(&l->buf, &l->bufcap, l->len + n, 1, 256) < 0 ||
	    grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 16) < 0)
		return -1;
	memcpy(l->buf + l->len, name, n);
	e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	e->watch = (struct svwatch_slot)SVWATCH_SLOT_INIT;
	e->state = needs_name_ok(name) ? NEED_DOWN : NEED_INVALID;
	e->dirty = 1;
	l->len += n;
	if (l->buf != old)
		renames(l);
	else
		e->name = l->buf + l->len - n;
	return 0;
}

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int needs_parse(struct needs *l, const char *bytes, size_t len, const char **why)
{
	const char *p = bytes, *end = bytes + len;
	char name[4096];

	needs_clear(l);
	if (memchr(bytes, 0, len)) {
		*why = "holds a NUL byte";
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *s = p;

		p = nl ? nl + 1 : end;
		while (s < e && blank(*s))
			s++;
		while (e > s && blank(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (l->n >= NEEDS_MAX) {
			*why = "more than 4096 names";
			return -1;
		}
		if ((size_t)(e - s) >= sizeof name)
			e = s + sizeof name - 1; /* invalid all the same: too long */
		memcpy(name, s, (size_t)(e - s));
		name[e - s] = 0;
		if (needs_add(l, name) < 0) {
			*why = "out of memory";
			return -1;
		}
	}
	return 0;
}

int needs_read(struct needs *l, int dirfd, const char **why)
{
	struct stat st;
	char *buf;
	size_t cap;
	ssize_t n;
	int fd = svfile_open(dirfd, NEEDS_FILE, SVFILE_READ_FLAGS), r, e;

	needs_clear(l);
	if (fd < 0)
		return errno == ENOENT ? SVFILE_ABSENT : SVFILE_ERROR;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return SVFILE_ERROR;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > NEEDS_FILE_MAX) {
		close(fd);
		*why = S_ISREG(st.st_mode) ? "longer than 65536 bytes" : "not a regular file";
		return SVFILE_INVALID;
	}
	/* its size now and room to grow while it is read (an editor writing
	 * it); one byte past the limit tells "too long" */
	cap = (size_t)st.st_size + 4096 < NEEDS_FILE_MAX + 1 ? (size_t)st.st_size + 4096 : NEEDS_FILE_MAX + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return SVFILE_ERROR;
	}
	n = read_full(fd, buf, cap);
	e = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		errno = e;
		return SVFILE_ERROR;
	}
	if ((size_t)n == cap && cap <= NEEDS_FILE_MAX) {
		*why = "grew while it was read";
		r = SVFILE_INVALID;
	} else if (n > NEEDS_FILE_MAX) {
		*why = "longer than 65536 bytes";
		r = SVFILE_INVALID;
	} else {
		r = needs_parse(l, buf, (size_t)n, why) == 0 ? SVFILE_OK : SVFILE_INVALID;
	}
	free(buf);
	return r;
}

int needs_open(int parent_fd, const char *name)
{
	return openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int needs_open_parent(int parent_fd, const char *name)
{
	char dir[4096];
	const char *slash = strrchr(name, '/');
	size_t n;

	if (name[0] != '/')
		return fcntl(parent_fd, F_DUPFD_CLOEXEC, 0);
	n = slash == name ? 1 : (size_t)(slash - name);
	if (n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, name, n);
	dir[n] = 0;
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* ---- cycles ---- */

struct node {
	dev_t dev;
	ino_t ino;
};

struct walk {
	struct node self;
	struct node *seen;
	size_t nseen, cap;
	const char *stack[NEEDS_DEPTH_MAX]; /* names in the frames' lists */
	int depth;
	const char *self_name;
	char *path;
	size_t size;
};

static int seen_before(struct walk *w, const struct stat *st)
{
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == st->st_dev && w->seen[i].ino == st->st_ino)
			return 1;
	if (grow(&w->seen, &w->cap, w->nseen + 1, sizeof *w->seen, 32) == 0)
		w->seen[w->nseen++] = (struct node){ st->st_dev, st->st_ino };
	return 0;
}

static void append(char *path, size_t size, const char *s)
{
	size_t n = strlen(path);

	if (n + 1 < size)
		strncat(path, s, size - n - 1);
}

/* The path, written while every name on the stack still lives. */
static void write_path(struct walk *w)
{
	if (!w->size)
		return;
	w->path[0] = 0;
	append(w->path, w->size, w->self_name);
	for (int i = 0; i < w->depth; i++) {
		append(w->path, w->size, " -> ");
		append(w->path, w->size, w->stack[i]);
	}
}

/* Depth first from the service in dir_fd (its plain names resolve in
 * parent_fd): 1 when a path reaches self. */
static int walk(struct walk *w, int dir_fd, int parent_fd)
{
	struct needs l = { 0 };
	const char *why;
	int found = 0;

	if (needs_read(&l, dir_fd, &why) != SVFILE_OK) {
		needs_free(&l);
		return 0;
	}
	for (size_t i = 0; i < l.n && !found; i++) {
		const char *name = l.v[i].name;
		struct stat st;
		int fd, pfd;

		if (l.v[i].state == NEED_INVALID)
			continue;
		fd = needs_open(parent_fd, name);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0) {
			w->stack[w->depth++] = name;
			if (st.st_dev == w->self.dev && st.st_ino == w->self.ino) {
				write_path(w);
				found = 1;
			} else if (!seen_before(w, &st) && w->depth < NEEDS_DEPTH_MAX &&
			    (pfd = needs_open_parent(parent_fd, name)) >= 0) {
				found = walk(w, fd, pfd);
				close(pfd);
			}
			w->depth--;
		}
		close(fd);
	}
	needs_free(&l);
	return found;
}

int needs_cycle(int parent_fd, const char *self, char *path, size_t size)
{
	struct walk w;
	struct stat st;
	int fd = needs_open(parent_fd, self), found;

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	memset(&w, 0, sizeof w);
	w.self = (struct node){ st.st_dev, st.st_ino };
	w.self_name = self;
	w.path = path;
	w.size = size;
	found = walk(&w, fd, parent_fd);
	close(fd);
	free(w.seen);
	return found;
}

/* ---- readiness ---- */

static void set(struct need *n, enum need_state s, const char *why)
{
	size_t len = strlen(why);

	n->state = s;
	if (len >= sizeof n->reason)
		len = sizeof n->reason - 1;
	memcpy(n->reason, why, len);
	n->reason[len] = 0;
	for (char *p = n->reason; *p; p++)
		if (*p == '|' || *p == '\n')
			*p = '/';
}

/* ./check in the current directory, stdout closed, as sv runs it: exit 0
 * (or a check that cannot run: runit's quirk) passes. */
static int check_passes(void)
{
	static char *const argv[] = { "./check", 0 };
	extern char **environ;
	pid_t pid = fork();
	int ws;

	if (pid < 0)
		return 0;
	if (pid == 0) {
		loop_child_signals();
		close(1);
		execve("check", argv, environ);
		_exit(0);
	}
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 0;
	return !WIFEXITED(ws) || WEXITSTATUS(ws) == 0;
}

/* ./check's verdict for this record, no more often than sv's back-off. */
static int check_now(struct need *n, const struct sv_status *st, uint64_t now_ms)
{
	if (n->check_pid != st->pid || n->check_stamp.sec != st->stamp.sec ||
	    n->check_stamp.nano != st->stamp.nano) {
		n->check_pid = st->pid;
		n->check_stamp = st->stamp;
		n->check_ms = 0;
		n->check_at = 0;
	}
	if (now_ms < n->check_at) {
		n->due_ms = n->check_at;
		return 0;
	}
	if (check_passes())
		return 1;
	n->check_ms = svwait_check_backoff(n->check_ms);
	n->check_at = now_ms + n->check_ms;
	n->due_ms = n->check_at;
	return 0;
}

/* A running longrun: has it started, by sv's rule? */
static void judge_started(struct need *n, struct svread *r, uint64_t now_ms)
{
	const struct sv_status *st = &r->slot.st;
	struct stat sb;
	struct tain now;
	int has_check = stat("check", &sb) == 0 || errno != ENOENT;
	long wait;

	switch (svwait_rule(r->slot.info, has_check)) {
	case SVWAIT_BY_READINESS:
		if (!r->slot.info->ready)
			set(n, NEED_STARTING, "not ready yet");
		else if (has_check && !check_now(n, st, now_ms))
			set(n, NEED_STARTING, "ready, ./check fails");
		else
			set(n, NEED_READY, "ready");
		break;
	case SVWAIT_BY_CHECK:
		if (check_now(n, st, now_ms))
			set(n, NEED_READY, "./check passes");
		else
			set(n, NEED_STARTING, "./check fails");
		break;
	case SVWAIT_BY_SETTLE:
		tain_now(&now);
		if (svwait_settled(&n->settle, st, &now, now_ms, svwait_proc, &wait)) {
			set(n, NEED_READY, "up");
		} else {
			set(n, NEED_STARTING, "up less than 420 ms");
			if (wait >= 0)
				n->due_ms = now_ms + (uint64_t)wait;
		}
		break;
	}
}

static void exit_reason(char *out, size_t size, const char *what, const struct svinfo *in)
{
	char num[24];

	snprintf(num, sizeof num, "%d", in->exit_value);
	snprintf(out, size, "%s, %s %s", what,
	    in->exit_kind == SVINFO_EXIT_SIGNAL ? "signal" : "exit", num);
}

void need_look(struct need *n, struct svread *r, int up, uint64_t now_ms)
{
	const struct sv_status *st = &r->slot.st;
	const struct svinfo *in;
	char why[NEED_REASON_MAX];
	int res;

	n->due_ms = 0;
	/* no supervise/ok yet: no runsv was ever there */
	res = access("supervise/ok", F_OK) < 0 && errno == ENOENT ? 0 : svread_slot(r, n->name);
	n->alive = res != 0;
	if (res == 0) {
		n->asked = 0; /* a new runsv is asked again */
		set(n, up ? NEED_UNSUPERVISED : NEED_READY, "runsv not running");
		return;
	}
	if (res < 0) {
		set(n, NEED_UNREADABLE, r->error);
		return;
	}
	in = r->slot.info;
	if (!up) {
		if (st->pid || st->state != SV_DOWN)
			set(n, NEED_RUNNING, st->state == SV_FINISH ? "./finish runs" : "runs");
		else
			set(n, NEED_READY, "down");
		return;
	}
	if (!n->asked) {
		/* up, as sv up would ask; a oneshot that failed is wanted up
		 * already, and its restart (t) is its one new attempt */
		int failed = st->state == SV_DOWN && in && in->oneshot == SVINFO_ONESHOT_FAILED;

		n->asked = 1;
		(void)control_send("supervise/control", failed ? "t" : "u", 1);
	}
	if (r->due) {
		set(n, NEED_STARTING, "its status is being replaced");
		return;
	}
	if (st->state == SV_DOWN && in && in->oneshot == SVINFO_ONESHOT_DONE) {
		set(n, NEED_READY, "done");
	} else if (st->state == SV_DOWN && in && in->oneshot == SVINFO_ONESHOT_FAILED) {
		exit_reason(why, sizeof why, "oneshot failed", in);
		set(n, NEED_FAILED, why);
	} else if (st->state == SV_RUN && st->pid) {
		if (svfile_exists(AT_FDCWD, "oneshot") == 1)
			set(n, NEED_STARTING, "oneshot runs");
		else
			judge_started(n, r, now_ms);
	} else if (st->state == SV_FINISH) {
		set(n, NEED_DOWN, "./finish runs");
	} else if (in && in->waiting) {
		set(n, NEED_WAITING, "waits for its own needs");
	} else {
		set(n, NEED_DOWN, st->want == 'u' ? "down, wanted up" : "down");
	}
}
