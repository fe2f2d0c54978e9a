/* svcmd_log.c: sv log: the service's svlogd directory, read and followed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "control.h"
#include "diag.h"
#include "errstr.h"
#include "inoevents.h"
#include "io.h"
#include "loop.h"
#include "num.h"
#include "status.h"
#include "svcmd_log.h"
#include "svlog.h"
#include "svout.h"
#include "svrun.h"

/* The log directory of the service whose directory is the current one, as
 * an open descriptor: where its running svlogd writes (its first log
 * directory, relative to its working directory), else log/main. -1 reported. */
static int open_log_dir(void)
{
	struct sv_status st;
	char buf[8192], *argv[64];
	const char *dir = 0;
	pid_t svlogd = 0;
	int fd, argc;

	if (chdir("log") < 0) {
		sv_fail("unable to change to log directory", errno);
		return -1;
	}
	sv.islog = 1;
	if (supervise_alive("supervise/ok") == 1 && status_read("supervise/status", &st) == 0 &&
	    st.pid && st.state == SV_RUN)
		svlogd = svlog_find_svlogd((pid_t)st.pid);
	if (svlogd && (argc = svlog_cmdline(svlogd, buf, sizeof buf, argv, 64)) > 1)
		dir = svlog_dir_arg(argc - 1, argv + 1);
	if (dir) {
		char link[sizeof "/proc//root" + FMT_ULONG];
		const char *rel = dir;
		int base;

		/* as svlogd sees it: relative to its working directory (normally
		 * this log/), absolute from its root; both through /proc, so that
		 * another mount namespace or a directory since renamed is no matter */
		snprintf(link, sizeof link, "/proc/%ld/%s", (long)svlogd, dir[0] == '/' ? "root" : "cwd");
		while (*rel == '/')
			rel++;
		base = open(link, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (base >= 0) {
			fd = openat(base, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			close_fd(base);
		} else {
			/* svlogd gone meanwhile: the path as sv sees it */
			fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (fd < 0) {
			svout_put("fail: ");
			svout_put(sv.name);
			svout_put("/log: unable to open svlogd's log directory ");
			svout_put(dir);
			svout_put(": ");
			svout_put(errstr(errno));
			svout_put("\n");
			svout_flush();
			sv_count_error();
		}
		sv.islog = 0;
		return fd;
	}
	fd = open("main", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		sv_fail(errno == ENOENT ? "unable to find the log directory: no svlogd runs, no log/main" :
		    "unable to open log/main", errno == ENOENT ? DIAG_NOERR : errno);
	sv.islog = 0;
	return fd;
}

/* what the log directory's watch hears: rotations and a new current */
#define LOG_DIR_MASK (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR)

struct logged {
	const char *name;
	int dirfd;
	int wd;
	int told;       /* following: its first trouble was reported */
	int dirty;      /* following: an event came for it */
	int cur_wd;     /* following: the watch on the file read as current, or -1 */
	dev_t cur_dev;  /* which file that is */
	ino_t cur_ino;
	struct svlog_reader rd;
	struct svlog_follow follow;
	char *prefix;
};

static void put_log(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	svout_write(s, n);
}

/* The warning for a log file left out: err 0 when it is not a regular
 * file (a link or a FIFO planted by the log's user). */
static void log_file_skipped(const char *file, int err)
{
	char msg[sizeof "unable to read log file : not a regular file" + NAME_MAX];

	snprintf(msg, sizeof msg, "unable to read log file %s%s", file,
	    err ? "" : ": not a regular file");
	sv_warning(msg, err ? err : DIAG_NOERR);
}

/* While following, the first trouble of each log is told, not every poke's. */
static void follow_skipped(void *ctx, const char *file, int err)
{
	struct logged *l = ctx;

	if (l->told)
		return;
	l->told = 1;
	sv.name = l->name;
	log_file_skipped(file, err);
}

/* Rotated files that were gone before they could be read: said on
 * stderr, after the lines that came before them; with -s they count as
 * errors. */
static void tell_pruned(const char *name, unsigned long *pruned)
{
	const char *prefix = diag_prefix;
	char num[FMT_ULONG];

	if (!*pruned)
		return;
	svout_flush();
	num[fmt_ulong(num, *pruned)] = 0;
	diag_prefix = "sv";
	diag("warning", DIAG_NOERR, name, ": ", num, *pruned == 1 ? " file pruned before it was read" :
	    " files pruned before they were read");
	diag_prefix = prefix;
	if (sv.args.strict)
		sv_count_error();
	*pruned = 0;
}

static int events_fd(void);

/*
 * The file read as current is watched for its growth on its own: were the
 * directory watched for IN_MODIFY, a processor writing its @X.t while
 * svlogd writes current would interleave two events per write, which the
 * kernel cannot fold into one, and a late reader's queue would overflow
 * (then the names of rotations are lost). The directory's watch has only
 * creations and renames. A new file watched is poked once more: what was
 * written before its watch.
 */
static void watch_current(struct logged *l)
{
	char path[sizeof "/proc/self/fd/" + FMT_ULONG];
	int wd;

	if (l->follow.fd < 0 || (l->cur_wd >= 0 && l->cur_ino == l->follow.ino &&
	    l->cur_dev == l->follow.dev))
		return;
	snprintf(path, sizeof path, "/proc/self/fd/%d", l->follow.fd);
	wd = inotify_add_watch(events_fd(), path, IN_MODIFY);
	if (l->cur_wd >= 0 && l->cur_wd != wd && l->cur_wd != l->wd)
		(void)inotify_rm_watch(events_fd(), l->cur_wd);
	if (wd < 0) {
		/* no watch left: the directory's changes of any file, then */
		snprintf(path, sizeof path, "/proc/self/fd/%d", l->dirfd);
		wd = inotify_add_watch(events_fd(), path, LOG_DIR_MASK | IN_MODIFY);
	}
	l->cur_wd = wd;
	l->cur_dev = l->follow.dev;
	l->cur_ino = l->follow.ino;
	l->dirty = 1;
}

static void follow_poke(struct logged *l)
{
	l->dirty = 0;
	if (svlog_follow_poke(&l->follow) < 0 && !l->told) {
		l->told = 1;
		sv.name = l->name;
		sv_warning("unable to follow the log", errno);
	}
	tell_pruned(l->name, &l->follow.pruned);
	watch_current(l);
}

/* Prints the last lines (all without -n) of the directory's files, oldest
 * first, current last; returns current's descriptor, read to its end, for
 * following (-1 when there is none or when not following). */
static int print_log(struct logged *l)
{
	size_t n, file, shown;
	unsigned long pruned = 0;
	char **names;
	int cur = svlog_open(l->dirfd, "current");
	int cur_err = cur == -1 ? errno : 0; /* told in reading order, last */
	off_t off;

	names = svlog_list(l->dirfd, &n);
	if (!names) {
		sv_warning("unable to read the log directory", errno);
		if (cur >= 0)
			close_fd(cur);
		return -1;
	}
	shown = svlog_before(l->dirfd, names, n, cur);
	if (!sv.args.lines_set)
		file = 0, off = 0;
	else if (svlog_tail(l->dirfd, names, shown, cur, sv.args.lines, &file, &off) < 0) {
		sv_warning("unable to find the last lines, showing all", errno);
		file = 0, off = 0;
	}
	for (size_t i = file; i < shown; i++) {
		/* processed meanwhile (@X.u now @X.s): found all the same */
		int fd = svlog_open_rotated(l->dirfd, names[i]);

		if (fd < 0) {
			if (fd == -1 && errno == ENOENT)
				pruned++; /* pruned meanwhile */
			else
				log_file_skipped(names[i], fd == -1 ? errno : 0);
			continue;
		}
		if (i == file && off > 0)
			(void)lseek(fd, off, SEEK_SET);
		if (svlog_read(&l->rd, fd) < 0)
			sv_warning("unable to read the log", errno);
		svlog_flush(&l->rd);
		close_fd(fd);
	}
	svlog_free(names, n);
	tell_pruned(l->name, &pruned);
	if (cur < 0 && (cur != -1 || cur_err != ENOENT))
		log_file_skipped("current", cur_err);
	if (cur >= 0) {
		if (file == shown && off > 0)
			(void)lseek(cur, off, SEEK_SET);
		if (svlog_read(&l->rd, cur) < 0)
			sv_warning("unable to read the log", errno);
		if (!sv.args.follow) {
			svlog_flush(&l->rd);
			close_fd(cur);
			cur = -1;
		}
	}
	svout_flush();
	return cur;
}

struct logs {
	struct logged *l;
	int n;
};

/* Every event is told to its log (rotations are noted by name); what
 * touches current makes a poke, once all pending events are in. */
static void log_event(void *ctx, const struct inotify_event *ev)
{
	struct logs *logs = ctx;
	int all = (ev->mask & IN_Q_OVERFLOW) != 0;
	const char *name = ev->len ? ev->name : 0;

	for (int i = 0; i < logs->n; i++) {
		struct logged *l = &logs->l[i];

		if (l->wd < 0)
			continue;
		if (!all && ev->wd == l->cur_wd && ev->wd != l->wd) {
			l->dirty = 1; /* current grew */
			continue;
		}
		if (!all && ev->wd != l->wd)
			continue;
		svlog_follow_event(&l->follow, ev->mask, ev->cookie, name);
		/* svlogd's lock, state and newstate change too: only current matters */
		if (all || (name && !strcmp(name, "current")))
			l->dirty = 1;
	}
}

/* The inotify descriptor and the logs it tells of, for drain_events. */
static struct {
	int ifd;
	struct logs logs;
} events = { -1, { 0, 0 } };

static int events_fd(void)
{
	return events.ifd;
}

/* Reads the pending events into the logs' notes (pokes come later). */
static void drain_events(void *ctx)
{
	(void)ctx;
	if (events.ifd >= 0)
		(void)inotify_each(events.ifd, log_event, &events.logs);
}

/* Asleep until svlogd writes or rotates (inotify); INT, TERM or the reader gone end it, exit: the errors. */
static _Noreturn void follow_logs(struct logged *l, int n, int ifd)
{
	struct pollfd pfd[3];
	int sigfd, poked;

	sigfd = sv_stop_signals();
	pfd[0] = (struct pollfd){ sigfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ ifd, POLLIN, 0 };
	pfd[2] = svout_reader_pollfd();
	for (;;) {
		/* a poke may read events for the others (drain_events): each
		 * log with news is poked before sleeping again */
		do {
			poked = 0;
			for (int i = 0; i < n; i++)
				if (l[i].dirty) {
					follow_poke(&l[i]);
					poked = 1;
				}
		} while (poked);
		svout_flush();
		(void)loop_poll(pfd, 3, -1);
		if (loop_next_signal(sigfd) || svout_reader_gone(&pfd[2])) {
			svout_flush();
			exit(sv_exit_code());
		}
		(void)inotify_each(ifd, log_event, &events.logs);
	}
}

int sv_log_all(char **names, int n)
{
	struct logged *l = calloc((size_t)n, sizeof *l);
	int ifd = -1, following = 0;

	if (!l)
		sv_out_of_memory();
	if (sv.args.follow && (ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		sv_fatal("unable to follow with inotify");
	events.ifd = ifd;
	events.logs = (struct logs){ l, n };
	for (int i = 0; i < n; i++) {
		int cur;

		l[i].dirfd = l[i].wd = l[i].cur_wd = -1;
		l[i].name = sv.name = names[i];
		if (sv_enter_service(names[i], 1) < 0) {
			sv_leave_service();
			continue;
		}
		l[i].dirfd = open_log_dir();
		sv_leave_service();
		if (l[i].dirfd < 0)
			continue;
		l[i].rd.put = put_log;
		l[i].rd.skipped = follow_skipped;
		l[i].rd.ctx = &l[i];
		if (n > 1) {
			size_t k = strlen(names[i]);

			if (!(l[i].prefix = malloc(k + 3)))
				sv_out_of_memory();
			memcpy(l[i].prefix, names[i], k);
			memcpy(l[i].prefix + k, ": ", 3);
			l[i].rd.prefix = l[i].prefix;
		}
		if (sv.args.follow) {
			char path[sizeof "/proc/self/fd/" + FMT_ULONG];

			/* watched before the first read: every rotation after it is told */
			snprintf(path, sizeof path, "/proc/self/fd/%d", l[i].dirfd);
			l[i].wd = inotify_add_watch(ifd, path, LOG_DIR_MASK);
			if (l[i].wd < 0)
				sv_warning("unable to follow the log", errno);
		}
		cur = print_log(&l[i]);
		if (!sv.args.follow || l[i].wd < 0) {
			/* shown, not followed */
			if (cur >= 0) {
				svlog_flush(&l[i].rd);
				close_fd(cur);
			}
			close_fd(l[i].dirfd);
			l[i].dirfd = -1;
		} else {
			svlog_follow_start(&l[i].follow, l[i].dirfd, cur, &l[i].rd);
			l[i].follow.drain = drain_events;
			/* what came between the read and the start */
			follow_poke(&l[i]);
			following++;
		}
	}
	svout_flush();
	if (following)
		follow_logs(l, n, ifd);
	return sv.errors;
}
