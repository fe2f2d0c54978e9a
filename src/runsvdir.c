/* runsvdir.c: keeps one runsv per service directory of DIR, told of changes by inotify, and shows stderr in its own argv. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "diag.h"
#include "inoevents.h"
#include "instance.h"
#include "io.h"
#include "loop.h"

extern char **environ;

/*
 * Timing. runit re-reads DIR at most once a second and otherwise every
 * 5 s; we re-read it when inotify reports a change, so the only timers left
 * are the ones that stand for something the kernel cannot tell us.
 */
enum {
	RESTART_GAP_MS = 1000,	/* a runsv is started at most once a second */
	RESTART_SETTLE_MS = 50,	/* and not while its process group is being killed */
	MISSING_RETRY_MS = 1000, /* DIR unusable: warn and retry every second */
	FALLBACK_MS = 5000,	/* re-check when inotify cannot see everything */
	DOT_MS = 900000,	/* a '.' into the title so old text scrolls away */
	SCAN_GAP_MIN_MS = 10,	/* coalesce bursts of directory events */
	SCAN_GAP_MAX_MS = 1000,
};
#define NEVER INT64_MAX

/*
 * Each service is in one of two states; a scan adds new ones and forgets
 * those that are gone.
 *
 *   state     event                     action                    next
 *   (new)     seen by a scan            start runsv               RUNNING
 *   RUNNING   runsv exited (reaped)     -                         BACKOFF
 *   BACKOFF   restart due, name still   start runsv               RUNNING
 *             resolves to the same dir
 *   BACKOFF   restart due, name moved   request a full scan       BACKOFF
 *   BACKOFF   seen by a scan, due       start runsv               RUNNING
 *   any       fork failed               warn                      BACKOFF
 *   RUNNING   not seen by a good scan   TERM runsv, forget        (gone)
 *   BACKOFF   not seen by a good scan   forget                    (gone)
 *
 * "Not seen" includes a link that leads nowhere at that scan, even for a
 * moment (runit's scan does the same); a watch on the nearest directory
 * its target needs brings it back as a new service when it leads somewhere.
 */
enum svc_state { SVC_RUNNING, SVC_BACKOFF };

struct service {
	dev_t dev;		/* identity of the directory the entry resolves to */
	ino_t ino;
	pid_t pid;		/* runsv while RUNNING, else 0 */
	enum svc_state state;
	unsigned seen;		/* generation of the last scan that saw it */
	int via_symlink;	/* the entry is a symlink: inotify on DIR misses its target */
	int64_t started;	/* monotonic ms of the last start attempt */
	int64_t stopped;	/* monotonic ms its runsv was reaped, or the start failed */
	char *name;		/* entry name it was last seen or started under */
};

/*
 * Services live in one array; two open-addressing hash indexes (linear
 * probing, slot = service number + 1, 0 = empty) find them by directory
 * identity and by runsv pid, so scans and reaping stay linear in the
 * number of services. Both indexes have 2 * capacity slots, a power of two.
 */
static struct service *svc;
static size_t nsvc, capsvc;
static uint32_t *by_inode, *by_pid;
static size_t index_mask;

/* The directory and its watch. */
enum dir_state { DIR_OK, DIR_MISSING };
static const char *dir;
static enum dir_state dir_state = DIR_MISSING;
static int origfd = -1;		/* where DIR is resolved from, and returned to */
static int ifd = -1;		/* inotify, -1 when unavailable */
static int wd = -1;		/* watch on DIR, -1 when none */
static dev_t watched_dev;
static ino_t watched_ino;
static char start_real[PATH_MAX]; /* physical path DIR is relative to, "" if unknown */
static char dir_real[PATH_MAX];	/* DIR's physical path during a scan, "" if unknown */
static int dir_uncovered;	/* a symlink on DIR's path that no watch covers */
static size_t nsymlinked;	/* services reached through a symlink entry */
static size_t nuncovered;	/* ... whose path some change could alter unseen */
static size_t ndangling_uncovered; /* links to no directory, no watch for their target */

/*
 * Names, besides DIR's own entries, whose creation, removal or renaming
 * could change where DIR or a symlinked entry leads: each a (watch, name)
 * pair, kept sorted, names in one pool. A scan collects a fresh list, which
 * then replaces the old one; watches no longer named are removed.
 */
struct interest {
	int wd;
	size_t name;		/* offset of the name in the pool */
};
struct interests {
	struct interest *v;
	size_t n, cap;
	char *pool;
	size_t used, poolcap;
};
static struct interests interests, scan_interests;
static int scan_watch_cache = -1; /* the last directory the scan watched */
static struct stat last_dir_st;	/* DIR as of the last good scan */
static int last_dir_st_valid;
static unsigned scan_gen;
static int new_session;

/* Deadlines, monotonic ms; NEVER when not armed. */
static int64_t scan_due = 0;	/* first scan right away */
static int64_t restart_due = NEVER;
static int64_t fallback_due = NEVER;
static int64_t dot_due = NEVER;
static int64_t scan_gap = SCAN_GAP_MIN_MS;
static int64_t last_scan_end = -SCAN_GAP_MAX_MS;
static size_t nbackoff;

/* The title: LOG's bytes after the first five scroll left as stderr arrives. */
static char *title_window;
static size_t title_width;
static int logfd = -1;

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static size_t mix(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ b;

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return (size_t)h;
}

static size_t inode_slot(dev_t dev, ino_t ino)
{
	size_t pos = mix(dev, ino) & index_mask;

	while (by_inode[pos]) {
		const struct service *s = &svc[by_inode[pos] - 1];
		if (s->dev == dev && s->ino == ino)
			break;
		pos = (pos + 1) & index_mask;
	}
	return pos;
}

static size_t pid_slot(pid_t pid)
{
	size_t pos = mix((uint64_t)pid, 0) & index_mask;

	while (by_pid[pos] && svc[by_pid[pos] - 1].pid != pid)
		pos = (pos + 1) & index_mask;
	return pos;
}

/* Removes the pid slot at pos, shifting later members of its run back. */
static void pid_unindex(size_t pos)
{
	size_t next = pos;

	for (;;) {
		size_t home;

		next = (next + 1) & index_mask;
		if (!by_pid[next])
			break;
		home = mix((uint64_t)svc[by_pid[next] - 1].pid, 0) & index_mask;
		if (((next - home) & index_mask) >= ((next - pos) & index_mask)) {
			by_pid[pos] = by_pid[next];
			pos = next;
		}
	}
	by_pid[pos] = 0;
}

static void reindex(void)
{
	size_t i;

	memset(by_inode, 0, (index_mask + 1) * sizeof *by_inode);
	memset(by_pid, 0, (index_mask + 1) * sizeof *by_pid);
	for (i = 0; i < nsvc; i++) {
		by_inode[inode_slot(svc[i].dev, svc[i].ino)] = (uint32_t)i + 1;
		if (svc[i].pid > 0)
			by_pid[pid_slot(svc[i].pid)] = (uint32_t)i + 1;
	}
}

/* Makes room for one more service; 0, or -1 when memory runs out. */
static int reserve_service(void)
{
	size_t cap, slots;
	struct service *ns;
	uint32_t *bi, *bp;

	if (nsvc < capsvc)
		return 0;
	cap = capsvc ? capsvc * 2 : 64;
	if (cap > UINT32_MAX / 4)
		return -1;
	slots = cap * 2;
	ns = realloc(svc, cap * sizeof *svc);
	if (!ns)
		return -1;
	svc = ns;
	bi = malloc(slots * sizeof *bi);
	bp = malloc(slots * sizeof *bp);
	if (!bi || !bp) {
		free(bi);
		free(bp);
		return -1;
	}
	free(by_inode);
	free(by_pid);
	by_inode = bi;
	by_pid = bp;
	index_mask = slots - 1;
	capsvc = cap;
	reindex();
	return 0;
}

static int set_name(struct service *s, const char *name)
{
	char *copy;

	if (s->name && !strcmp(s->name, name))
		return 0;
	copy = strdup(name);
	if (!copy)
		return -1;
	free(s->name);
	s->name = copy;
	return 0;
}

/* Runs runsv NAME along $PATH, trying each element like execvp but with
 * runit's rules: an empty element is the current directory; ENOENT and
 * permission-like errors move on to the next one. Returns with errno set. */
static void exec_runsv(const char *name)
{
	char *argv[] = { "runsv", (char *)name, 0 };
	const char *path = getenv("PATH");
	int failure = ENOENT;
	char file[4096];

	if (!path)
		path = "/bin:/usr/bin";
	for (;;) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		if (len + sizeof "/runsv" > sizeof file) {
			failure = ENAMETOOLONG;
		} else {
			memcpy(file, path, len);
			if (len)
				file[len++] = '/';
			memcpy(file + len, "runsv", sizeof "runsv");
			execve(file, argv, environ);
			if (errno != ENOENT) {
				failure = errno;
				if (errno != EACCES && errno != EPERM && errno != EISDIR)
					break;
			}
		}
		if (!colon)
			break;
		path = colon + 1;
	}
	errno = failure;
}

static int64_t restart_time(const struct service *s)
{
	int64_t t = s->started + RESTART_GAP_MS;

	return t > s->stopped + RESTART_SETTLE_MS ? t : s->stopped + RESTART_SETTLE_MS;
}

static void backoff(size_t i, int64_t now)
{
	struct service *s = &svc[i];

	if (s->state != SVC_BACKOFF) {
		s->state = SVC_BACKOFF;
		nbackoff++;
	}
	s->stopped = now;
	restart_due = min64(restart_due, restart_time(s));
}

/* Starts runsv for service i under name; the caller's cwd is DIR. */
static void start(size_t i, const char *name, int64_t now)
{
	struct service *s = &svc[i];
	pid_t pid;

	s->started = now;
	if (set_name(s, name) < 0) {
		warn(DIAG_NOERR, "unable to start runsv ", name, ": too many services.");
		backoff(i, now);
		return;
	}
	/* vfork: thousands of services start without copying our page tables.
	 * The child borrows our memory and stack until it execs, so it does
	 * only what cannot disturb us: restore the signal mask (every
	 * disposition is SIG_DFL, so no handler of ours runs in it), setsid,
	 * the PATH search and execve of exec_runsv (its buffer lives in frames
	 * below ours), and on failure die(), which formats into a buffer in
	 * its own frame, writes it with write(2) and calls _exit: no stdio, no
	 * malloc, no atexit, no diag_hook (runsvdir sets none). errno is
	 * shared: the child's failure leaves it changed here, and we read it
	 * only when vfork itself fails. Anything more needs fork or posix_spawn. */
	pid = vfork();
	if (pid < 0) {
		warn(errno, "unable to fork for ", name);
		backoff(i, now);
		return;
	}
	if (pid == 0) {
		loop_child_signals();
		if (new_session)
			setsid();
		exec_runsv(name);
		die(100, errno, "unable to start runsv ", name);
	}
	s->pid = pid;
	by_pid[pid_slot(pid)] = (uint32_t)i + 1;
	if (s->state == SVC_BACKOFF)
		nbackoff--;
	s->state = SVC_RUNNING;
}

static void request_scan(int64_t now)
{
	int64_t due = last_scan_end + scan_gap;

	if (due < now)
		due = now;
	scan_due = min64(scan_due, due);
}

/* What every watch of ours asks inotify for. */
#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Points the inotify watch at the directory now in cwd, if that changed. */
static void watch_cwd(const struct stat *st)
{
	if (ifd < 0)
		return;
	if (wd >= 0 && watched_dev == st->st_dev && watched_ino == st->st_ino)
		return;
	if (wd >= 0)
		inotify_rm_watch(ifd, wd);
	wd = inotify_add_watch(ifd, ".", WATCH_MASK);
	watched_dev = st->st_dev;
	watched_ino = st->st_ino;
}

static int fallback_needed(void)
{
	return ifd < 0 || wd < 0 || dir_uncovered || nuncovered > 0 ||
	    ndangling_uncovered > 0;
}

static int interests_add(struct interests *l, int w, const char *name)
{
	size_t len = strlen(name) + 1;

	if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v, 16) < 0 ||
	    grow(&l->pool, &l->poolcap, l->used + len, 1, 256) < 0)
		return -1;
	memcpy(l->pool + l->used, name, len);
	l->v[l->n++] = (struct interest){ .wd = w, .name = l->used };
	l->used += len;
	return 0;
}

static const char *sort_pool;	/* the pool of the list qsort is ordering */

static int cmp_interest(const void *a, const void *b)
{
	const struct interest *x = a, *y = b;

	if (x->wd != y->wd)
		return (x->wd > y->wd) - (x->wd < y->wd);
	return strcmp(sort_pool + x->name, sort_pool + y->name);
}

/* Index of the first entry of sorted l not below (w, name); a null name
 * sorts before every name of w. */
static size_t interests_find(const struct interests *l, int w, const char *name)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct interest *m = &l->v[mid];
		int c;

		if (m->wd != w)
			c = (m->wd > w) - (m->wd < w);
		else
			c = name ? strcmp(l->pool + m->name, name) : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int interests_have_wd(const struct interests *l, int w)
{
	size_t i = interests_find(l, w, 0);

	return i < l->n && l->v[i].wd == w;
}

static int interested(int w, const char *name)
{
	size_t i = interests_find(&interests, w, name);

	return i < interests.n && interests.v[i].wd == w &&
	    !strcmp(interests.pool + interests.v[i].name, name);
}

/* After a complete scan: what it collected replaces the old list, and
 * the watches no name of the new list needs are removed. */
static void settle_interests(void)
{
	struct interests *l = &scan_interests, old;
	size_t i, k = 0;

	sort_pool = l->pool;
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, cmp_interest);
	for (i = 0; i < l->n; i++)
		if (!k || cmp_interest(&l->v[k - 1], &l->v[i]))
			l->v[k++] = l->v[i];
	l->n = k;
	for (i = 0; i < interests.n && ifd >= 0; i++) {
		int w = interests.v[i].wd;

		if ((i && interests.v[i - 1].wd == w) || w == wd)
			continue;
		if (!interests_have_wd(l, w))
			inotify_rm_watch(ifd, w);
	}
	old = interests;
	interests = *l;
	*l = old;
	l->n = 0;
	l->used = 0;
}

/* After a failed scan: keep the old interests as well as the new. */
static void keep_interests(void)
{
	size_t i;

	for (i = 0; i < interests.n; i++)
		if (interests_add(&scan_interests, interests.v[i].wd,
		    interests.pool + interests.v[i].name) < 0) {
			nuncovered++;	/* the list is short: the check covers it */
			break;
		}
	settle_interests();
}

/* A watch on the directory at path; the last one is remembered, since
 * most symlinked services share the directory holding their targets. */
static int watch_dir(const char *path)
{
	static char cached[PATH_MAX];
	int w;

	if (ifd < 0)
		return -1;
	if (scan_watch_cache >= 0 && !strcmp(path, cached))
		return scan_watch_cache;
	w = inotify_add_watch(ifd, path, WATCH_MASK);
	if (w >= 0 && strlen(path) < sizeof cached) {
		strcpy(cached, path);
		scan_watch_cache = w;
	}
	return w;
}

/* Asks to be told when name in directory parent ("" is /) is created,
 * removed or replaced. */
static int note_interest(const char *parent, const char *name)
{
	int w = watch_dir(parent[0] ? parent : "/");

	if (w < 0)
		return -1;
	if (w == wd && name[0] != '.')
		return 0;	/* DIR's own watch reports every such name */
	return interests_add(&scan_interests, w, name);
}

enum { LINKS_MAX = 40 };	/* symbolic links followed in one path, as Linux */

/*
 * Follows path from the physical directory base as the kernel does, and
 * notes an interest in each name whose change could make the path lead
 * elsewhere: every symbolic link on the way, the first name that is missing
 * or not a directory (where a dangling link waits for its target), and,
 * with last, the final name. Directories passed through are not watched:
 * renaming one of them is the documented blind spot. Such a name is watched
 * first and looked at after, so that a change between the two is an event;
 * the walk goes on with what that look finds. Returns 0, or -1 when some
 * of it cannot be watched and the fallback check must cover it.
 */
static int watch_path(const char *base, const char *path, int last)
{
	char cur[PATH_MAX], todo[PATH_MAX], link[PATH_MAX];
	size_t curlen = 0;
	const char *p;
	int links = 0;

	cur[0] = 0;
	if (path[0] != '/') {
		if (!base || !base[0] || strlen(base) >= sizeof cur)
			return -1;
		strcpy(cur, base);
		curlen = strcmp(cur, "/") ? strlen(cur) : 0;
		cur[curlen] = 0;
	}
	if (strlen(path) >= sizeof todo)
		return -1;
	strcpy(todo, path);
	p = todo;
	for (;;) {
		const char *end;
		char *name;
		size_t len;
		struct stat st;
		ssize_t n;
		int more, watched = 0;

		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		end = strchrnul(p, '/');
		len = (size_t)(end - p);
		more = end[strspn(end, "/")] != 0;
		if (len == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (curlen && cur[--curlen] != '/')
				;
			cur[curlen] = 0;
			p = end;
			continue;
		}
		if (curlen + 1 + len >= sizeof cur)
			return -1;
		cur[curlen] = '/';
		name = cur + curlen + 1;
		memcpy(name, p, len);
		name[len] = 0;
		for (;;) {
			if (lstat(cur, &st) < 0) {
				if (errno != ENOENT && errno != ENOTDIR)
					return -1;
				st.st_mode = 0; /* missing */
			}
			if (watched || (S_ISDIR(st.st_mode) && (more || !last)))
				break;
			cur[curlen] = 0;
			if (note_interest(cur, name) < 0)
				return -1;
			cur[curlen] = '/';
			watched = 1;
		}
		if (!st.st_mode) {
			cur[curlen] = 0;
			return 0; /* its creation is watched for */
		}
		if (S_ISLNK(st.st_mode)) {
			n = readlink(cur, link, sizeof link - 1);
			cur[curlen] = 0;
			if (n < 0 && (errno == ENOENT || errno == EINVAL))
				return 0; /* replaced since the look: the watch tells */
			if (n <= 0 || ++links > LINKS_MAX)
				return -1;
			link[n] = 0;
			if ((size_t)n + strlen(end) >= sizeof todo)
				return -1;
			memmove(todo + n, end, strlen(end) + 1);
			memcpy(todo, link, (size_t)n);
			p = todo;
			if (link[0] == '/')
				curlen = 0, cur[0] = 0;
			continue;
		}
		if (S_ISDIR(st.st_mode) && more) {
			curlen += 1 + len;
			p = end;
			continue;
		}
		cur[curlen] = 0;
		return 0;
	}
}

static int enter_dir(void)
{
	if (chdir(dir) < 0) {
		warn(errno, "unable to change directory to ", dir);
		return -1;
	}
	return 0;
}

static void leave_dir(int64_t now)
{
	if (fchdir(origfd) < 0) {
		warn(errno, "unable to change directory, pausing");
		scan_due = min64(scan_due, now + FALLBACK_MS);
	}
}

static void dir_unusable(int64_t now)
{
	dir_state = DIR_MISSING;
	last_dir_st_valid = 0;
	scan_due = now + MISSING_RETRY_MS;
}

/* Forgets services the last complete scan did not see; TERMs their runsv. */
static void drop_unseen(void)
{
	size_t i, kept = 0;

	for (i = 0; i < nsvc; i++) {
		struct service *s = &svc[i];
		if (s->seen == scan_gen) {
			svc[kept++] = *s;
			continue;
		}
		if (s->pid > 0)
			kill(s->pid, SIGTERM);
		if (s->state == SVC_BACKOFF)
			nbackoff--;
		free(s->name);
	}
	if (kept != nsvc) {
		nsvc = kept;
		reindex();
	}
}

static void scan(int64_t now)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int read_failed = 0;

	scan_due = NEVER;
	scan_gen++;
	if (stat(dir, &st) < 0) {
		warn(errno, "unable to stat ", dir);
		dir_unusable(now);
		return;
	}
	if (enter_dir() < 0) {
		dir_unusable(now);
		return;
	}
	if (stat(".", &st) == 0)
		watch_cwd(&st);
	if (!getcwd(dir_real, sizeof dir_real))
		dir_real[0] = 0;
	d = opendir(".");
	if (!d) {
		warn(errno, "unable to open directory ", dir);
		leave_dir(now);
		dir_unusable(now);
		return;
	}
	dir_state = DIR_OK;
	nsymlinked = 0;
	nuncovered = 0;
	ndangling_uncovered = 0;
	scan_interests.n = 0;
	scan_interests.used = 0;
	scan_watch_cache = -1;
	dir_uncovered = watch_path(start_real, dir, 0) < 0;
	for (;;) {
		size_t pos, i;
		int linked, blind;

		errno = 0;
		e = readdir(d);
		if (!e)
			break;
		if (e->d_name[0] == '.')
			continue;
		if (instance_is_template(e->d_name))
			continue; /* NAME@: a template, only its instances run */
		linked = e->d_type == DT_LNK;
		if (e->d_type == DT_UNKNOWN) {
			struct stat lst;
			linked = lstat(e->d_name, &lst) == 0 && S_ISLNK(lst.st_mode);
		}
		/* Where a link leads can change without DIR changing; a link
		 * that leads nowhere yet waits for its target to appear. */
		blind = linked && watch_path(dir_real, e->d_name, 1) < 0;
		if (stat(e->d_name, &st) < 0) {
			warn(errno, "unable to stat ", e->d_name);
			ndangling_uncovered += blind;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			ndangling_uncovered += blind;
			continue;
		}
		pos = inode_slot(st.st_dev, st.st_ino);
		if (by_inode[pos]) {
			struct service *s = &svc[by_inode[pos] - 1];
			if (s->seen == scan_gen)
				continue;	/* a second name for the same directory */
			s->seen = scan_gen;
			s->via_symlink = linked;
			nsymlinked += linked;
			nuncovered += blind;
			i = by_inode[pos] - 1;
			if (s->state == SVC_BACKOFF && now >= restart_time(s))
				start(i, e->d_name, now);
			else
				(void)set_name(s, e->d_name);	/* renamed: keep runsv */
			continue;
		}
		if (reserve_service() < 0) {
			warn(DIAG_NOERR, "unable to start runsv ", e->d_name, ": too many services.");
			continue;
		}
		i = nsvc++;
		svc[i] = (struct service){ .dev = st.st_dev, .ino = st.st_ino,
		    .seen = scan_gen, .via_symlink = linked, .state = SVC_RUNNING };
		nsymlinked += linked;
		nuncovered += blind;
		by_inode[inode_slot(st.st_dev, st.st_ino)] = (uint32_t)i + 1;
		start(i, e->d_name, now);
	}
	if (errno) {
		warn(errno, "unable to read directory ", dir);
		read_failed = 1;
	}
	closedir(d);
	leave_dir(now);
	if (read_failed) {
		keep_interests();
		request_scan(now + MISSING_RETRY_MS);
	} else {
		settle_interests();
		drop_unseen();
		if (stat(dir, &last_dir_st) == 0)
			last_dir_st_valid = 1;
	}
	fallback_due = fallback_needed() ? now + FALLBACK_MS : NEVER;
}

/* Restarts runsv of services whose restart is due, if their entry still
 * names the same directory; anything else is left to a full scan. */
static void restart_due_services(int64_t now)
{
	size_t i;
	int entered = 0;

	restart_due = NEVER;
	for (i = 0; i < nsvc && nbackoff; i++) {
		struct service *s = &svc[i];
		struct stat st;

		if (s->state != SVC_BACKOFF)
			continue;
		if (now < restart_time(s)) {
			restart_due = min64(restart_due, restart_time(s));
			continue;
		}
		if (!entered) {
			if (enter_dir() < 0) {
				request_scan(now);
				return;
			}
			entered = 1;
		}
		if (s->name && stat(s->name, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_dev == s->dev && st.st_ino == s->ino) {
			start(i, s->name, now);
			if (s->state == SVC_BACKOFF)
				restart_due = min64(restart_due, restart_time(s));
		} else {
			request_scan(now);
		}
	}
	if (entered)
		leave_dir(now);
}

/* Without a complete inotify view: rescan when DIR or a symlinked entry changed. */
static void fallback_check(int64_t now)
{
	struct stat st;
	size_t i;
	int changed = 0;

	fallback_due = now + FALLBACK_MS;
	if (!last_dir_st_valid || stat(dir, &st) < 0 ||
	    st.st_dev != last_dir_st.st_dev || st.st_ino != last_dir_st.st_ino ||
	    st.st_mtim.tv_sec != last_dir_st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != last_dir_st.st_mtim.tv_nsec) {
		request_scan(now);
		return;
	}
	/* A change within the clock tick of our last read may not move mtime:
	 * look again next time, as runit's same-second guard does. */
	if (st.st_mtim.tv_sec >= time(0) - 1)
		last_dir_st_valid = 0;
	if (ndangling_uncovered) {
		request_scan(now);	/* it may lead somewhere by now */
		return;
	}
	if (!nsymlinked)
		return;
	if (enter_dir() < 0) {
		request_scan(now);
		return;
	}
	for (i = 0; i < nsvc && !changed; i++) {
		if (!svc[i].via_symlink || !svc[i].name)
			continue;
		if (stat(svc[i].name, &st) < 0 || st.st_dev != svc[i].dev ||
		    st.st_ino != svc[i].ino)
			changed = 1;
	}
	leave_dir(now);
	if (changed)
		request_scan(now);
}

static void reap(int64_t now)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		size_t pos = pid_slot(pid);
		size_t i;

		if (!by_pid[pos])
			continue;	/* a runsv we already let go */
		i = by_pid[pos] - 1;
		pid_unindex(pos);
		svc[i].pid = 0;
		backoff(i, now);
	}
}

static void one_event(void *ctx, const struct inotify_event *ev)
{
	int64_t now = *(const int64_t *)ctx;
	int self;

	if (ev->mask & IN_Q_OVERFLOW) {
		request_scan(now);
		return;
	}
	self = ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF);
	if (ev->wd != wd) {
		/* Along a symlinked path: only the names it follows
		 * matter; or an old watch, which nothing names. */
		if (self ? interests_have_wd(&interests, ev->wd) :
		    ev->len && interested(ev->wd, ev->name))
			request_scan(now);
		return;
	}
	if (self) {
		if (ev->mask & IN_IGNORED)
			wd = -1;
		request_scan(now);
		return;
	}
	/* Hidden entries are never services, but may be link targets. */
	if (ev->len && ev->name[0] == '.' && !interested(wd, ev->name))
		return;
	request_scan(now);
}

static void read_inotify(int64_t now)
{
	if (inotify_each(ifd, one_event, &now) < 0) {
		/* Cannot read events any more: rely on the fallback rescan. */
		close_fd(ifd);
		ifd = -1;
		wd = -1;
		fallback_due = min64(fallback_due, now + FALLBACK_MS);
	}
}

static int title_has_text(void)
{
	size_t i;

	for (i = 0; i < title_width; i++)
		if (title_window[i] != '.')
			return 1;
	return 0;
}

/* A '.' into our own stderr pipe: it scrolls old text out of the title.
 * Best effort: a full pipe only loses a dot, so the result is not used. */
static void log_dot(void)
{
	ssize_t r = write(2, ".", 1);

	(void)r;
}

/* Scrolls the title left by the non-NUL bytes read from our stderr pipe. */
static void read_log(int64_t now)
{
	char buf[4096];
	ssize_t n;

	if (!title_has_text())
		dot_due = now + DOT_MS;	/* the dot timer runs only while there is text */
	while ((n = read(logfd, buf, sizeof buf)) > 0) {
		size_t k = 0, j;

		for (j = 0; j < (size_t)n; j++)
			if (buf[j])
				buf[k++] = buf[j];
		if (k >= title_width) {
			memcpy(title_window, buf + k - title_width, title_width);
		} else {
			memmove(title_window, title_window + k, title_width - k);
			memcpy(title_window + title_width - k, buf, k);
		}
	}
}

static void setup_log(char *log, int64_t now)
{
	int p[2];

	if (strlen(log) < 7) {
		warn(DIAG_NOERR, "log must have at least seven characters.");
		warn(DIAG_NOERR, "log service disabled.");
		return;
	}
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) {
		warn(DIAG_NOERR, "unable to create pipe for log.");
		warn(DIAG_NOERR, "log service disabled.");
		return;
	}
	if (fd_move(2, p[1]) < 0) {
		warn(DIAG_NOERR, "unable to set filedescriptor for log.");
		warn(DIAG_NOERR, "log service disabled.");
		close_fd(p[0]);
		close_fd(p[1]);
		return;
	}
	logfd = p[0];
	title_window = log + 5;
	title_width = strlen(log) - 5;
	log_dot();
	dot_due = now + DOT_MS;
}

/* Makes sure 0, 1 and 2 are open so no descriptor of ours lands there. */
static void open_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close_fd(fd);
}

static void term_all(void)
{
	size_t i;

	for (i = 0; i < nsvc; i++)
		if (svc[i].pid > 0)
			kill(svc[i].pid, SIGTERM);
}

int main(int argc, char **argv)
{
	static char prefix[4096];
	const char *prog = argc > 0 && argv[0] ? argv[0] : "runsvdir";
	char *log = 0;
	struct pollfd pfd[3];
	sigset_t sigs;
	int sigfd, i = 1;
	int64_t now;

	if (i < argc && argv[i][0] == '-') {
		if (argv[i][1] == 'P')
			new_session = 1, i++;
		else if (argv[i][1] == '-')
			i++;
	}
	if (i >= argc)
		die_usage(1, prog, "[-P] dir");
	dir = argv[i++];
	if (i < argc)
		log = argv[i];

	strcpy(prefix, "runsvdir ");
	strncat(prefix, dir, sizeof prefix - sizeof "runsvdir ");
	diag_prefix = prefix;
	open_std_fds();

	/* Children get default dispositions for these, whatever we inherited. */
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigfd = loop_signals(&sigs);
	if (sigfd < 0)
		die(111, errno, "unable to create signalfd");

	now = loop_mono_ms();
	if (log)
		setup_log(log, now);
	origfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (origfd < 0)
		die(100, errno, "unable to open current directory");
	if (!getcwd(start_real, sizeof start_real))
		start_real[0] = 0;
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (reserve_service() < 0)	/* the indexes exist from here on */
		die(111, ENOMEM, "unable to allocate memory");

	for (;;) {
		int64_t due = scan_due;
		int timeout = -1, nfds = 0, sigidx, ifdidx = -1;
		int hup = 0, term = 0, sig;

		if (nbackoff)
			due = min64(due, restart_due);
		if (fallback_needed() && dir_state == DIR_OK)
			due = min64(due, fallback_due);
		if (logfd >= 0 && title_has_text())
			due = min64(due, dot_due);
		now = loop_mono_ms();
		if (due != NEVER)
			timeout = due <= now ? 0 : (int)min64(due - now, INT32_MAX);

		sigidx = nfds;
		pfd[nfds++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		if (ifd >= 0) {
			ifdidx = nfds;
			pfd[nfds++] = (struct pollfd){ .fd = ifd, .events = POLLIN };
		}
		if (logfd >= 0) {
			pfd[nfds++] = (struct pollfd){ .fd = logfd, .events = POLLIN };
		}
		if (loop_poll(pfd, (nfds_t)nfds, timeout) < 0)
			die(111, errno, "unable to poll");
		now = loop_mono_ms();

		if (pfd[sigidx].revents) {
			while ((sig = loop_next_signal(sigfd)))
				if (sig == SIGCHLD)
					reap(now);
				else if (sig == SIGHUP)
					hup = 1;
				else if (sig == SIGTERM)
					term = 1;
		}
		if (ifdidx >= 0 && pfd[ifdidx].revents)
			read_inotify(now);
		if (scan_due <= now) {
			int64_t t0 = now;

			scan(now);
			now = loop_mono_ms();
			last_scan_end = now;
			/* Keep scanning under a third of our time when events never stop. */
			scan_gap = (now - t0) * 2;
			if (scan_gap < SCAN_GAP_MIN_MS)
				scan_gap = SCAN_GAP_MIN_MS;
			if (scan_gap > SCAN_GAP_MAX_MS)
				scan_gap = SCAN_GAP_MAX_MS;
		}
		if (nbackoff && restart_due <= now)
			restart_due_services(now);
		if (fallback_needed() && dir_state == DIR_OK && fallback_due <= now)
			fallback_check(now);
		if (logfd >= 0 && dot_due <= now) {
			log_dot();
			dot_due = now + DOT_MS;
		}
		/* Also drains what we wrote ourselves in this round. */
		if (logfd >= 0)
			read_log(now);
		if (hup) {
			term_all();
			_exit(111);
		}
		if (term)
			_exit(0);
	}
}
