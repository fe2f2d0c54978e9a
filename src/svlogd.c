/* svlogd.c: the log daemon: reads lines on stdin, selects, stamps and appends them to rotated log directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "journal.h"
#include "lineasm.h"
#include "loop.h"
#include "num.h"
#include "opt.h"
#include "tai.h"

#define USAGE "[-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ..."
#define STAMP_LEN 26          /* 25-character stamp and a space */
#define INBUF 65536           /* the most one read takes: a pipe's worth */
#define PAUSE_SECONDS 3
#define RETRY_MAX 64          /* seconds between starts of a failing processor, at most */
#define UDP_WARN_MAX 40       /* the longer UDP warning text */
#define PIPEFS_MAGIC_ 0x50495045
/* the longest rotation age, 34 years: a deadline past it would overflow a
 * 32-bit time_t, and its milliseconds a long long */
#define TMAX_MAX (1ul << 30)
#define TAIL_MAX 2048         /* a held head's tail left in the pipe, at most */

/*
 * No loss on a pipe. svlogd peeks at its input with tee(2), writes what it
 * read, and only then takes those bytes out of the pipe, so a killed svlogd
 * leaves the rest to the next one on the same pipe (runsv keeps it open).
 * What the next one must know is kept in the log directories' lock files
 * (src/lib/journal.c encodes it, and journal_recover reads it back):
 *
 * - Each batch (what a run of input gives each directory, written with one
 *   write per directory) is numbered and announced, before its write, by a
 *   record in every directory's lock: the size of current before and after,
 *   where the batch's input lies (its start in the journal, its rest in the
 *   pipe), and at either end whether a line is in its body (its head
 *   given out, its end to come) and written by that directory. current
 *   found between "before" and "after" holds a torn write, cut back to
 *   "before".
 * - Taking the batch's input out of the pipe is made as certain. It is read
 *   out but for its last byte, which splice(2) then moves into the journal,
 *   the part of one directory's lock (its home: the first in use, or where
 *   journal_rehome moved it, as the newest record says) from JOURNAL_AT on,
 *   which only grows (until it is emptied). A read of bytes already in a
 *   pipe is never cut short by a kill, and the journal's size says whether
 *   the last byte went; if it did not, the pipe's first byte tells the
 *   whole batch (its first byte) from its last byte alone. A batch whose first and last bytes are
 *   equal, one byte long among them, is moved into the journal whole
 *   instead: until the move, all of it is in the pipe.
 * - A line whose head (what its selection depends on) is still incomplete
 *   when the pipe runs dry is left there, fed but not taken, while an
 *   edge-triggered epoll wakes svlogd at each write (journal_head_may_wait:
 *   the journal kept, the pipe provable, the head at most TAIL_MAX bytes,
 *   well below the smallest pipe), for a writer that trickles and for
 *   HEAD_WAIT_MS at most (a writer asleep halfway through a write larger
 *   than the pipe's room wakes no one: see TRICKLE). A
 *   next svlogd on the same pipe reads it again, and stamps it when it does;
 *   on another pipe it is gone with the pipe, as any byte left there.
 *   Otherwise (no such wake, a longer head, the wait over, no writer left)
 *   it is moved into the journal (journal_hold), with its first byte's
 *   stamp: the pipe then empties, so that the writer's next bytes wake
 *   svlogd, and a next svlogd on any input finds the head there. Its later
 *   pieces may wait in the pipe as above.
 * - The batch step (records, writes, take, and at the end of input a new
 *   generation) is journal_commit, the one the simulator drives too.
 *
 * Journal and records name the pipe (its inode, and the boot): input is
 * taken up again only on the same pipe, when nothing says someone else
 * wrote a current since; on any other, a line begun ends, and what reached
 * a current stays.
 */
struct logdir {
	const char *name;
	int fd;                   /* the directory, open read-only: every path is relative to it */
	int lockfd, curfd;
	int ok;
	/* configuration */
	unsigned long sizemax, nmax, nmin, tmax;
	char *conftext;           /* config file, lines NUL-terminated in place */
	char **rules;             /* +, -, e, E lines in file order */
	size_t nrules;
	const char *processor;
	const char *prefix;
	size_t prefixlen;
	int udpfd, udponly, udpconf;
	struct sockaddr_in udpaddr;
	/* current */
	unsigned long size;       /* bytes in current, not counting obuf */
	uint64_t cur_ino;
	struct timespec rotate_at;
	int rotate_wanted;        /* due, but a line or the processor is in the way */
	char *obuf;               /* the batch for current */
	size_t olen, ocap;
	char *abuf;               /* alert and datagram line */
	/* the line in progress */
	int sel;                  /* this directory writes the open line */
	int sel0;                 /* sel where the batch began */
	uint64_t skip;            /* input before this is in current already (recovery) */
	int skip_sel;             /* sel at that point */
	/* processor */
	pid_t procpid;
	int procdir;              /* the directory it runs in, kept for its bookkeeping */
	char procname[28];        /* the @X.u it processes */
	unsigned procfails;       /* failures in a row: the next start waits 2^n s */
	struct timespec proc_retry; /* when to start it again; tv_sec 0: no wait */
	/* recovery */
	int rec_ok;               /* its record is about this current, and accounts for its end */
};

static struct logdir *dirs;
static int ndirs;
static unsigned stamplevel;
static int verbose;
static char replace_char;
static const char *replace_set = "";
static unsigned long linemax = 1000;
static char *headbuf;         /* a head after replacement */

/* input */
static struct lineasm la;
static char *inbuf;
static int piped;             /* stdin is a pipe: peek, write, take */
static int scratch[2] = { -1, -1 };
static int sigfd = -1;
static int stopping;

/* the journal and the input's positions (see above) */
static struct journal J = { .fd = -1, .home = -1 }; /* journal_init in main */
static int tail_epfd = -1;    /* stdin, edge-triggered */
static int tail_wakes;        /* a held head's tail may wait in the pipe */

static void info(const char *a, const char *b, const char *c)
{
	if (verbose)
		diag("info", DIAG_NOERR, a, b ? b : "", c ? c : "");
}

static void sleep_pause(void)
{
	struct timespec ts = { PAUSE_SECONDS, 0 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void pausing(const char *msg, const char *dir, int err)
{
	if (dir)
		diag("pausing", err, msg, ": ", dir);
	else
		diag("pausing", err, msg);
	sleep_pause();
}

static void mono_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static long long ms_until(const struct timespec *t, const struct timespec *now)
{
	return (long long)(t->tv_sec - now->tv_sec) * 1000 +
	    (t->tv_nsec - now->tv_nsec) / 1000000;
}

/* The stamp for a line whose first byte arrived at t; one per read in practice. */
static const char *stamp_of(const struct tain *t)
{
	static struct tain last = { UINT64_MAX, 0 };
	static char text[STAMP_LEN];

	if (t->sec != last.sec || t->nano != last.nano) {
		if (stamplevel == 1)
			tain_fmt_hex(text, t);
		else
			tain_fmt_date(text, t, stamplevel == 2 ? '_' : 'T');
		text[STAMP_LEN - 1] = ' ';
		last = *t;
	}
	return text;
}

/* Opens a regular file, never blocking on a FIFO or a device on the way
 * (flags say whether a symbolic link is followed); *st is what it is.
 * -1 with errno: EINVAL for a file of another kind. */
static int open_regular(int dirfd, const char *name, int flags, mode_t mode,
    struct stat *st)
{
	int fd = openat(dirfd, name, flags | O_NONBLOCK | O_CLOEXEC, mode);
	int e;

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0)
		e = errno;
	else if (!S_ISREG(st->st_mode))
		e = EINVAL;
	else
		return fd;
	close(fd);
	errno = e;
	return -1;
}

/* Opens a file in d that svlogd writes: never through a symbolic link,
 * and only a regular file. -1 with errno. */
static int open_own(int dirfd, const char *name, int flags, mode_t mode)
{
	struct stat st;

	return open_regular(dirfd, name, flags | O_NOFOLLOW, mode, &st);
}

/* --- pattern matching ---------------------------------------------------- */

int svlogd_match(const char *p, const char *s, size_t len)
{
	for (;;) {
		char c = *p++;

		if (!c)
			return len == 0;
		if (c == '*') {
			if (!*p)
				return 1;
			while (len && *s != *p) {
				s++;
				len--;
			}
			if (!len)
				return 0;
			continue;
		}
		if (c == '+' && *p) {
			c = *p++;
			if (!len || *s != c)
				return 0;
			while (len && *s == c) {
				s++;
				len--;
			}
			if (!len)
				return 1;
			continue;
		}
		if (!len || *s != c)
			return 0;
		s++;
		len--;
	}
}

/* --- directory files ----------------------------------------------------- */

static int is_logname(const char *n)
{
	return n[0] == '@' && strlen(n) == 27;
}

/* Deletes .t leftovers; returns the count of other @ files and the oldest. */
static long scan_dir(struct logdir *d, char oldest[28], int remove_leftovers)
{
	DIR *dp;
	struct dirent *e;
	long count = 0;
	int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	oldest[0] = 0;
	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((errno = 0, e = readdir(dp))) {
		if (!is_logname(e->d_name))
			continue;
		/* procname is kept while its processor runs, and while a
		 * failed one waits to run again: its files stay */
		if (e->d_name[26] == 't') {
			if (remove_leftovers && strncmp(e->d_name, d->procname, 26) &&
			    unlinkat(d->fd, e->d_name, 0) < 0 && errno != ENOENT)
				diag("warning", errno, "unable to unlink processor leftover: ",
				    e->d_name);
			continue;
		}
		if (!strcmp(e->d_name, d->procname))
			continue;
		count++;
		if (!oldest[0] || strcmp(e->d_name, oldest) < 0)
			memcpy(oldest, e->d_name, 28);
	}
	if (errno) {
		closedir(dp);
		return -1;
	}
	closedir(dp);
	return count;
}

static void prune(struct logdir *d)
{
	char oldest[28];
	long count = scan_dir(d, oldest, 1);

	if (count < 0) {
		diag("warning", errno, "unable to read directory: ", d->name);
		return;
	}
	if (d->nmax && (unsigned long)count > d->nmax) {
		if (verbose)
			diag("info", DIAG_NOERR, "delete: ", d->name, "/", oldest);
		if (unlinkat(d->fd, oldest, 0) < 0)
			diag("warning", DIAG_NOERR, "unable to unlink: ", d->name, "/", oldest);
	}
}

/* On a full disk: delete the oldest file while more than N exist. 1 if one went. */
static int free_space(struct logdir *d)
{
	char oldest[28];
	long count;

	if (d->nmin >= d->nmax)
		return 0;
	count = scan_dir(d, oldest, 0);
	if (count < 0) {
		diag("warning", errno, "unable to read directory, want remove old logfile: ", d->name);
		return 0;
	}
	if ((unsigned long)count <= d->nmin || !oldest[0])
		return 0;
	diag("warning", DIAG_NOERR, "out of disk space, delete: ", d->name, "/", oldest);
	return unlinkat(d->fd, oldest, 0) == 0;
}

/* --- processor ----------------------------------------------------------- */

static void rotate(struct logdir *d);

static _Noreturn void processor_fail(struct logdir *d, const char *what)
{
	die(111, errno, "unable to ", what, ": ", d->name);
}

/* Runs d's processor on procname in procdir, in the background. Returns
 * once the child has run the shell (or failed): until its exec the child
 * shares svlogd's locks, and a SIGHUP meanwhile could not take them again. */
static void processor_start(struct logdir *d)
{
	pid_t pid;
	char tname[28], c;
	int exec_seen[2];

	d->proc_retry.tv_sec = 0;
	while (pipe2(exec_seen, O_CLOEXEC) < 0)
		pausing("unable to fork for processor", d->name, errno);
	while ((pid = fork()) < 0)
		pausing("unable to fork for processor", d->name, errno);
	if (pid) {
		d->procpid = pid;
		close(exec_seen[1]);
		(void)!read_intr(exec_seen[0], &c, 1); /* end of file at its exec */
		close(exec_seen[0]);
		return;
	}
	loop_child_signals();
	signal(SIGPIPE, SIG_DFL);
	/* the processor's files take fds 0, 1, 4 and 5, whatever was there:
	 * keep a copy of the exec pipe above them, and enter procdir first */
	(void)fcntl(exec_seen[1], F_DUPFD_CLOEXEC, 6);
	if (fchdir(d->procdir) < 0)
		processor_fail(d, "change directory, want processor");
	memcpy(tname, d->procname, 28);
	tname[26] = 't';
	/* the processor may run as anyone: none of its files is opened or
	 * created through a symbolic link, and each must be a regular file
	 * (a FIFO would block here) */
	int in = open_own(AT_FDCWD, d->procname, O_RDONLY, 0);
	if (in < 0 || fd_move(0, in) < 0)
		processor_fail(d, "open input for processor");
	int out = open_own(AT_FDCWD, tname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || fd_move(1, out) < 0)
		processor_fail(d, "open output for processor");
	int st = open_own(AT_FDCWD, "state", O_RDONLY | O_CREAT, 0644);
	if (st < 0 || fd_move(4, st) < 0)
		processor_fail(d, "open state for processor");
	int ns = open_own(AT_FDCWD, "newstate", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ns < 0 || fd_move(5, ns) < 0)
		processor_fail(d, "open newstate for processor");
	execl("/bin/sh", "sh", "-c", d->processor, (char *)0);
	processor_fail(d, "run processor");
}

static void processor_release(struct logdir *d)
{
	if (d->procdir >= 0)
		close(d->procdir);
	d->procdir = -1;
	d->procname[0] = 0;
}

/* Whether a failed processor is to run again: it still is configured, and
 * svlogd goes on. */
static int processor_wanted(const struct logdir *d)
{
	return d->ok && d->processor && !stopping;
}

/* No more tries: its input stays for a later one (or a human). */
static void processor_give_up(struct logdir *d)
{
	d->proc_retry.tv_sec = 0;
	diag("warning", DIAG_NOERR, "processor failed, keep unprocessed: ",
	    d->name, "/", d->procname);
	processor_release(d);
}

/* Renames the processor's output into place; a failure is reported and
 * leaves @X.u where it is (nothing lost), never a pause: the directory may
 * be gone, and other directories must go on. */
static void processor_finished(struct logdir *d)
{
	char tname[28], sname[28];
	int fd;

	memcpy(tname, d->procname, 28);
	memcpy(sname, d->procname, 28);
	tname[26] = 't';
	sname[26] = 's';
	if (renameat(d->procdir, tname, d->procdir, sname) < 0) {
		diag("warning", errno, "unable to rename processed: ", d->name);
		return;
	}
	fd = open_own(d->procdir, sname, O_RDONLY, 0);
	if (fd < 0 || fchmod(fd, 0744) < 0)
		diag("warning", errno, "unable to set mode of processed: ", d->name);
	if (fd >= 0)
		close(fd);
	if (unlinkat(d->procdir, d->procname, 0) < 0 && errno != ENOENT)
		diag("warning", errno, "unable to unlink: ", d->name, "/", d->procname);
	if (renameat(d->procdir, "newstate", d->procdir, "state") < 0)
		diag("warning", errno, "unable to rename state: ", d->name);
	if (verbose)
		diag("info", DIAG_NOERR, "processed: ", d->name, "/", sname);
}

static void processor_done(struct logdir *d, int status)
{
	d->procpid = 0;
	/* runit counts a processor killed by a signal as done, and deletes
	 * its input: here it failed, and its input is kept */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char tname[28];
		memcpy(tname, d->procname, 28);
		tname[26] = 't';
		unlinkat(d->procdir, tname, 0);
		if (!processor_wanted(d)) {
			processor_give_up(d);
		} else {
			unsigned wait = d->procfails < 6 ? 1u << d->procfails : RETRY_MAX;
			diag("warning", DIAG_NOERR, "processor failed, restart: ", d->name);
			d->procfails++;
			mono_now(&d->proc_retry);
			d->proc_retry.tv_sec += (time_t)wait;
		}
		return;
	}
	d->procfails = 0;
	processor_finished(d);
	processor_release(d);
	if (d->rotate_wanted)
		rotate(d);
}

static void processor_wait(struct logdir *d)
{
	int status;
	pid_t r;

	while (d->procpid) {
		r = waitpid(d->procpid, &status, 0);
		if (r == d->procpid)
			processor_done(d, status);
		else if (r < 0 && errno != EINTR) {
			d->procpid = 0;
			processor_release(d);
		}
	}
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (int i = 0; i < ndirs; i++)
			if (dirs[i].procpid == pid)
				processor_done(&dirs[i], status);
}

/* A processor killed between renaming its output to @X.s and unlinking its
 * input @X.u left both, with the same lines: the hand-over is finished (the
 * input unlinked, newstate made state), so that no line is kept twice. */
static void finish_handovers(struct logdir *d)
{
	DIR *dp;
	struct dirent *e;
	struct stat st;
	int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(dp))) {
		char uname[28];
		if (!is_logname(e->d_name) || e->d_name[26] != 's')
			continue;
		memcpy(uname, e->d_name, 28);
		uname[26] = 'u';
		if (fstatat(d->fd, uname, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		diag("warning", DIAG_NOERR, "processed before a kill, finish: ", d->name, "/", e->d_name);
		if (unlinkat(d->fd, uname, 0) < 0 && errno != ENOENT)
			diag("warning", errno, "unable to unlink: ", d->name, "/", uname);
		if (renameat(d->fd, "newstate", d->fd, "state") < 0 && errno != ENOENT)
			diag("warning", errno, "unable to rename state: ", d->name);
	}
	closedir(dp);
}

/* --- current and rotation ------------------------------------------------ */

/* The directory was removed, or its file system lost it: err, from a
 * file operation in it, will not go away by waiting. */
static int dir_gone(const struct logdir *d, int err)
{
	struct stat st;

	if (err == ESTALE)
		return 1;
	return err == ENOENT && (fstat(d->fd, &st) < 0 || st.st_nlink == 0);
}

/* Opens current for appending. A transient failure pauses and retries; a
 * current that svlogd must not write (a symbolic link, not a regular file)
 * or a directory that is gone gives -1, and the directory is set aside
 * until the next SIGHUP. */
static int open_current(struct logdir *d, const char *what)
{
	struct stat st;
	int fd;

	while ((fd = open_own(d->fd, "current", O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0) {
		if (errno == ELOOP || errno == EINVAL || errno == EISDIR || errno == ENXIO ||
		    dir_gone(d, errno)) {
			diag("warning", errno, "unable to open current: ", d->name);
			return -1;
		}
		pausing(what, d->name, errno);
	}
	while (fchmod(fd, 0644) < 0)
		pausing("unable to set mode of current", d->name, errno);
	d->cur_ino = fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
	return fd;
}

static void close_current(struct logdir *d)
{
	while (fsync(d->curfd) < 0 && errno != EINVAL && errno != EROFS)
		pausing("unable to fsync current logfile", d->name, errno);
	while (fchmod(d->curfd, 0744) < 0)
		pausing("unable to set mode of current", d->name, errno);
	close_fd(d->curfd);
	d->curfd = -1;
}

/* A name for current to be rotated to, @ and its TAI64N label, that no
 * file has yet. An error other than "no such file" pauses and retries. */
static void fresh_name(struct logdir *d, char name[28], char state)
{
	struct tain t;
	struct stat st;

	for (;;) {
		tain_now(&t);
		tain_fmt_hex(name, &t);
		name[25] = '.';
		name[26] = state;
		name[27] = 0;
		if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			/* the same microsecond, or a clock going backwards */
			struct timespec ts = { 0, 1000 };
			nanosleep(&ts, 0);
		} else if (errno == ENOENT || dir_gone(d, errno))
			return; /* free, or the rename that follows will say */
		else
			pausing("unable to rename current", d->name, errno);
	}
}

/* Moves current to name: 1 once done; 0 if current is not there (someone
 * removed it: nothing to move); -1, with a warning, if the directory is
 * gone. Any other failure pauses and retries. */
static int rename_current(struct logdir *d, const char *name)
{
	while (renameat(d->fd, "current", d->fd, name) < 0) {
		int err = errno, gone = dir_gone(d, err);
		if (gone || err == ENOENT) {
			diag("warning", err, "unable to rename current: ", d->name);
			return gone ? -1 : 0;
		}
		pausing("unable to rename current", d->name, err);
	}
	return 1;
}

static void drop_dir(struct logdir *d);

/* Rotates d if it can now; else it is wanted, and done when the line d is
 * writing ends or the previous processor finishes. Nothing may wait in obuf. */
static void rotate(struct logdir *d)
{
	char name[28], num[FMT_ULONG];
	int moved;

	d->rotate_wanted = 0;
	if (!d->ok || d->size == 0)
		return;
	if (d->sel || d->procpid || d->proc_retry.tv_sec) {
		/* never split a line; runit blocks for the processor, here
		 * current grows meanwhile and the others go on */
		d->rotate_wanted = 1;
		return;
	}
	fresh_name(d, name, d->processor ? 'u' : 's');
	close_current(d);
	moved = rename_current(d, name);
	if (moved < 0) {
		/* a removed directory: the others go on, not a pause for ever */
		drop_dir(d);
		return;
	}
	if (moved && verbose) {
		fmt_ulong(num, d->size);
		diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name, " ", num);
	}
	d->size = 0;
	d->curfd = open_current(d, "unable to create new current");
	if (d->curfd < 0) {
		drop_dir(d);
		return;
	}
	prune(d);
	if (d->processor && moved) {
		d->procdir = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
		if (d->procdir < 0) {
			diag("warning", errno, "unable to run processor: ", d->name);
			return;
		}
		memcpy(d->procname, name, 28);
		if (verbose)
			diag("info", DIAG_NOERR, "processing: ", d->name, "/", name);
		processor_start(d);
	}
}

/* --- config -------------------------------------------------------------- */

/* A config number with an optional unit (k1 or k2), saturated at max with a
 * warning: a wrapped or overflowing value would rotate at random sizes or
 * times. */
static unsigned long scan_scaled(const struct logdir *d, const char *line, char k1,
    unsigned long m1, char k2, unsigned long m2, unsigned long max)
{
	unsigned long v, m = 1;
	size_t n = scan_ulong(line + 1, &v);

	if (line[1 + n] == k1)
		m = m1;
	else if (line[1 + n] == k2)
		m = m2;
	if (v > max / m) {
		diag("warning", DIAG_NOERR, "config value too large, using the largest: ",
		    d->name ? d->name : "", ": ", line);
		return max;
	}
	return v * m;
}

static void parse_udp(struct logdir *d, const char *arg)
{
	unsigned long part[4], port = 514;
	const char *s = arg;
	size_t n;

	for (int i = 0; i < 4; i++) {
		n = scan_ulong(s, &part[i]);
		if (!n || (i < 3 && s[n] != '.')) {
			diag("warning", DIAG_NOERR, "unable to scan ip address: ", arg);
			return;
		}
		s += n + (i < 3);
	}
	if (*s == ':') {
		n = scan_ulong(s + 1, &port);
		if (!n || !port) {
			diag("warning", DIAG_NOERR, "unable to scan port number: ", s + 1);
			return;
		}
	}
	memset(&d->udpaddr, 0, sizeof d->udpaddr);
	d->udpaddr.sin_family = AF_INET;
	d->udpaddr.sin_port = htons((uint16_t)port);
	d->udpaddr.sin_addr.s_addr = htonl((uint32_t)((part[0] & 255) << 24 |
	    (part[1] & 255) << 16 | (part[2] & 255) << 8 | (part[3] & 255)));
	d->udpconf = 1;
	if (d->udpfd < 0)
		d->udpfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static void config_defaults(struct logdir *d)
{
	d->sizemax = 1000000;
	d->nmax = 10;
	d->nmin = 10;
	d->tmax = 0;
	free(d->conftext);
	free(d->rules);
	d->conftext = 0;
	d->rules = 0;
	d->nrules = 0;
	d->processor = 0;
	d->prefix = "";
	d->prefixlen = 0;
	d->udponly = d->udpconf = 0;
	if (d->udpfd >= 0)
		close(d->udpfd);
	d->udpfd = -1;
}

/* Parses config text (NUL-terminating its lines in place). */
void svlogd_config(struct logdir *d, char *text, size_t len)
{
	size_t nrules = 0;

	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			nrules++;
	d->rules = malloc((nrules + 1) * sizeof *d->rules);
	if (!d->rules)
		die(111, DIAG_NOERR, "out of memory.");
	d->nrules = 0;
	for (size_t i = 0; i < len;) {
		char *line = text + i;
		char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		i += llen + 1;
		if (nl)
			*nl = 0;
		else if (llen == 1)
			break; /* runit ignores a one-character final line without newline */
		else
			line[llen] = 0;
		if (!llen)
			continue;
		switch (line[0]) {
		case 's':
			d->sizemax = scan_scaled(d, line, 'k', 1024, 'm', 1048576, ULONG_MAX);
			break;
		case 'n':
			scan_ulong(line + 1, &d->nmax);
			break;
		case 'N':
			scan_ulong(line + 1, &d->nmin);
			break;
		case 't':
			d->tmax = scan_scaled(d, line, 'm', 60, 'h', 3600, TMAX_MAX);
			break;
		case '!':
			if (line[1])
				d->processor = line + 1;
			break;
		case 'U':
			d->udponly = 1;
			/* fall through */
		case 'u':
			parse_udp(d, line + 1);
			break;
		case 'p':
			d->prefix = line + 1;
			d->prefixlen = llen - 1;
			break;
		case '+': case '-': case 'e': case 'E':
			d->rules[d->nrules++] = line;
			break;
		}
	}
}

/* config may be a symbolic link (svlogd only reads it), but not a FIFO or
 * other file a read could block on. */
static int read_config(struct logdir *d)
{
	struct stat st;
	int fd = open_regular(d->fd, "config", O_RDONLY, 0, &st);
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	d->conftext = malloc((size_t)st.st_size + 1);
	if (!d->conftext)
		die(111, DIAG_NOERR, "out of memory.");
	r = read_full(fd, d->conftext, (size_t)st.st_size);
	close(fd);
	if (r < 0)
		return -1;
	info("read: ", d->name, "/config");
	svlogd_config(d, d->conftext, (size_t)r);
	return 0;
}

/* --- opening and closing directories ------------------------------------- */

/* The directory, its lock and its config: the part of opening a directory
 * that comes before recovery. */
static void open_dir(struct logdir *d)
{
	d->ok = 0;
	d->fd = open(d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		diag("warning", errno, "unable to open log directory: ", d->name);
		return;
	}
	/* svlogd writes its records into lock: never through a link */
	d->lockfd = open_own(d->fd, "lock", O_RDWR | O_CREAT, 0600);
	if (d->lockfd < 0 || flock(d->lockfd, LOCK_EX | LOCK_NB) < 0) {
		diag("warning", errno, "unable to lock directory: ", d->name);
		goto fail;
	}
	config_defaults(d);
	if (read_config(d) < 0) {
		diag("warning", errno, "unable to read config: ", d->name);
		goto fail;
	}
	d->ok = 1;
	return;
fail:
	if (d->lockfd >= 0)
		close(d->lockfd);
	d->lockfd = -1;
	close(d->fd);
	d->fd = -1;
}

static int current_ends_line(struct logdir *d, off_t size)
{
	char c = '\n';
	int fd = open_own(d->fd, "current", O_RDONLY, 0);

	if (fd >= 0) {
		if (pread(fd, &c, 1, size - 1) != 1)
			c = '\n';
		close(fd);
	}
	return c == '\n';
}

static void write_batch(struct logdir *d);

/* Whether d's current ends inside a line that d goes on with. */
static int goes_on(const struct logdir *d)
{
	return d->skip ? d->skip_sel : d->sel && lineasm_inbody(&la);
}

/* current, after recovery: set aside if it was not closed cleanly, unless
 * d goes on with a line in it or its record accounts for its end; ended
 * with a newline if it stops inside a line that d does not go on with. */
static void open_dir_current(struct logdir *d)
{
	struct stat st;
	int on = goes_on(d), unended = 0, moved;
	size_t need;

	if (fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode)) {
			errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
			diag("warning", errno, "unable to open current: ", d->name);
			goto fail;
		}
		unended = st.st_size > 0 && !on && !current_ends_line(d, st.st_size);
		if (st.st_size > 0 && !(st.st_mode & S_IXUSR) && !on && !d->rec_ok) {
			char name[28];
			int fd;
			if (unended && (fd = open_own(d->fd, "current", O_WRONLY | O_APPEND, 0)) >= 0) {
				(void)write_all(fd, "\n", 1);
				close(fd);
			}
			unended = 0;
			fresh_name(d, name, 'u');
			moved = rename_current(d, name);
			if (moved < 0)
				goto fail;
			if (moved && verbose)
				diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name);
			d->size = 0;
			prune(d);
			info("new: ", d->name, "/current");
		} else {
			d->size = (unsigned long)st.st_size;
			info("append: ", d->name, "/current");
		}
	} else if (errno == ENOENT) {
		d->size = 0;
		info("new: ", d->name, "/current");
	} else {
		diag("warning", errno, "unable to stat current: ", d->name);
		goto fail;
	}
	d->curfd = open_current(d, "unable to open current");
	if (d->curfd < 0)
		goto fail;
	need = INBUF + 2 * (STAMP_LEN + d->prefixlen + linemax + UDP_WARN_MAX + 8);
	if (d->ocap < need) {
		free(d->obuf);
		d->obuf = malloc(need);
		d->ocap = need;
	}
	free(d->abuf);
	d->abuf = malloc(STAMP_LEN + d->prefixlen + linemax + 4);
	if (!d->obuf || !d->abuf)
		die(111, DIAG_NOERR, "out of memory.");
	d->olen = 0;
	if (unended) {
		/* a line a killed svlogd began and no one will finish: end it
		 * now, before a rotation can come */
		d->obuf[d->olen++] = '\n';
		write_batch(d);
	}
	if (d->tmax) {
		mono_now(&d->rotate_at);
		d->rotate_at.tv_sec += (time_t)d->tmax;
	}
	return;
fail:
	drop_dir(d);
}

/* Takes d out of use (until the next SIGHUP) without touching its files. */
static void drop_dir(struct logdir *d)
{
	if (d->curfd >= 0)
		close(d->curfd);
	if (d->lockfd >= 0)
		close(d->lockfd);
	if (d->fd >= 0)
		close(d->fd);
	d->curfd = d->lockfd = d->fd = -1;
	d->ok = 0;
	d->sel = 0;
	d->olen = 0;
	if (d - dirs == J.home)
		J.home_changed = 1;
}

static void close_dir(struct logdir *d)
{
	if (!d->ok)
		return;
	if (d->olen)
		write_batch(d);
	close_current(d);
	close(d->lockfd);
	close(d->fd);
	d->lockfd = d->fd = -1;
	d->ok = 0;
	info("close: ", d->name, 0);
}

static void need_one_dir(void)
{
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			return;
	die(111, DIAG_NOERR, "no functional log directories.");
}

/* current exists and is not a file svlogd can append to (a directory, a
 * symbolic link, a FIFO...); errno says which. */
static int current_unusable(const struct logdir *d)
{
	struct stat st;

	if (fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISREG(st.st_mode))
		return 0;
	errno = S_ISDIR(st.st_mode) ? EISDIR : S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
	return 1;
}

/* With every directory open, none of whose current can be written: pause
 * and look again, as runit does, rather than exit with the input unread (a
 * single bad directory among working ones is set aside instead). SIGTERM
 * meanwhile ends svlogd, nothing read. */
static void wait_usable_current(void)
{
	for (;;) {
		const struct logdir *bad = 0;
		struct pollfd p = { sigfd, POLLIN, 0 };
		int err = 0;

		for (int i = 0; i < ndirs; i++) {
			if (!dirs[i].ok)
				continue;
			if (!current_unusable(&dirs[i]))
				return;
			if (!bad) {
				bad = &dirs[i];
				err = errno;
			}
		}
		if (!bad)
			return;
		diag("pausing", err, "unable to open current: ", bad->name);
		if (loop_poll(&p, 1, PAUSE_SECONDS * 1000) <= 0)
			continue;
		for (int sig; (sig = loop_next_signal(sigfd));) {
			if (sig == SIGTERM)
				exit(0);
			if (sig == SIGCHLD)
				reap();
		}
	}
}

static void reopen_all(void)
{
	for (int i = 0; i < ndirs; i++) {
		open_dir(&dirs[i]);
		if (!dirs[i].ok)
			dirs[i].sel = 0;
	}
	need_one_dir();
	wait_usable_current();
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			open_dir_current(&dirs[i]);
	need_one_dir();
	J.home_changed = 1;
}

/* --- lines --------------------------------------------------------------- */

static int selected(struct logdir *d, const char *head, size_t hlen, int *alert)
{
	int sel = 1;

	*alert = 0;
	for (size_t i = 0; i < d->nrules; i++) {
		const char *r = d->rules[i];
		if (!svlogd_match(r + 1, head, hlen))
			continue;
		switch (r[0]) {
		case '+': sel = 1; break;
		case '-': sel = 0; break;
		case 'e': *alert = 1; break;
		case 'E': *alert = 0; break;
		}
	}
	return sel;
}

/* stamp, prefix, head, "..." when cut, newline: for stderr and UDP. */
static size_t short_line(struct logdir *d, const char *st, const char *head,
    size_t hlen, int cut)
{
	char *p = d->abuf;

	if (stamplevel) {
		memcpy(p, st, STAMP_LEN);
		p += STAMP_LEN;
	}
	memcpy(p, d->prefix, d->prefixlen);
	p += d->prefixlen;
	memcpy(p, head, hlen);
	p += hlen;
	if (cut) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p++ = '\n';
	return (size_t)(p - d->abuf);
}

static void put(struct logdir *d, const void *p, size_t n)
{
	memcpy(d->obuf + d->olen, p, n);
	d->olen += n;
}

static void send_udp(struct logdir *d, const char *st, const char *head, size_t hlen, int cut)
{
	size_t n = short_line(d, st, head, hlen, cut);
	ssize_t w = d->udpfd < 0 ? -1 :
	    sendto(d->udpfd, d->abuf, n, 0, (struct sockaddr *)&d->udpaddr, sizeof d->udpaddr);
	const char *what = d->udpfd < 0 ? "warning: no udp socket available: " :
	    "warning: failure sending through udp: ";

	if (w != (ssize_t)n) {
		put(d, what, strlen(what));
		put(d, d->abuf, n);
	}
}

static void commit(uint64_t upto, int inbody, int eof);

/*
 * The head of a line, at input [from, to). Each directory decides on it;
 * a directory whose batch lacks room, or whose current it would push past
 * its size, first has everything before the line written (and rotates), so
 * that batches and files end between lines. A directory whose current
 * holds the line already (recovery) only takes up its state.
 */
static void line_head(const struct linepiece *pc, uint64_t from, uint64_t to)
{
	const char *head = pc->p, *st = stamplevel ? stamp_of(&pc->first) : "";
	size_t hlen = pc->n;
	int cut = hlen >= linemax, flush = 0;

	if (replace_char) {
		for (size_t i = 0; i < hlen; i++) {
			unsigned char c = (unsigned char)head[i];
			headbuf[i] = c < 32 || c > 126 || strchr(replace_set, c) ?
			    replace_char : (char)c;
		}
		head = headbuf;
	}
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		size_t out = (stamplevel ? STAMP_LEN : 0) + d->prefixlen + hlen + 1 +
		    (d->udpconf ? UDP_WARN_MAX + STAMP_LEN + d->prefixlen + hlen + 4 : 0);

		if (!d->ok || to <= d->skip)
			continue;
		if (d->olen + out > d->ocap || (d->sizemax && d->size + d->olen > 0 &&
		    d->size + d->olen + out > d->sizemax))
			flush = 1;
	}
	if (flush) {
		commit(from, 0, 0);
		for (int i = 0; i < ndirs; i++) {
			struct logdir *d = &dirs[i];
			if (d->ok && to > d->skip && d->sizemax && d->size + hlen +
			    d->prefixlen + STAMP_LEN + 1 > d->sizemax)
				rotate(d);
		}
	}
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		int alert;

		if (!d->ok)
			continue;
		if (to <= d->skip) {
			d->sel = pc->ended ? 0 : d->skip_sel;
			continue;
		}
		d->sel = selected(d, head, hlen, &alert);
		if (alert)
			(void)write_all(2, d->abuf, short_line(d, st, head, hlen, cut));
		if (!d->sel)
			continue;
		if (d->udpconf)
			send_udp(d, st, head, hlen, cut);
		if (d->udponly) {
			d->sel = 0;
			continue;
		}
		if (stamplevel)
			put(d, st, STAMP_LEN);
		put(d, d->prefix, d->prefixlen);
		put(d, head, hlen);
		if (pc->ended) {
			put(d, "\n", 1);
			d->sel = 0;
		}
	}
}

/* More of a line beyond its head, verbatim, at input from. */
static void line_body(const char *p, size_t n, uint64_t from)
{
	while (n) {
		size_t k = n;

		for (int i = 0; i < ndirs; i++)
			if (dirs[i].ok && dirs[i].sel && dirs[i].ocap - dirs[i].olen < k)
				k = dirs[i].ocap - dirs[i].olen;
		if (!k) {
			commit(from, 1, 0);
			continue;
		}
		for (int i = 0; i < ndirs; i++) {
			struct logdir *d = &dirs[i];
			uint64_t skip = d->skip > from ? d->skip - from : 0;
			if (d->ok && d->sel && skip < k)
				put(d, p + skip, k - skip);
		}
		p += k;
		n -= k;
		from += k;
	}
}

/* The newline of a long line, at input from. */
static void line_end(uint64_t from)
{
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok && dirs[i].sel && dirs[i].olen == dirs[i].ocap)
			commit(from, 1, 0);
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		if (!d->ok || !d->sel)
			continue;
		if (from >= d->skip)
			put(d, "\n", 1);
		d->sel = 0;
	}
}

static void deliver(int kind, const struct linepiece *pc, uint64_t from, uint64_t to)
{
	if (kind == LINE_HEAD)
		line_head(pc, from, to);
	else if (kind == LINE_BODY)
		line_body(pc->p, pc->n, from);
	else
		line_end(from);
}

/*
 * Feeds in[0..n), input from position J.inpos that arrived at now, through
 * the line assembler into the batches. Returns where a head it holds (its
 * line still incomplete) begins; before that, everything is in a batch.
 */
size_t svlogd_feed(const char *in, size_t n, const struct tain *now)
{
	struct linepiece pc;
	struct tain t;
	size_t pos = 0, from = 0, before;
	int kind;

	/* a head completed here began before in, by the bytes held */
	(void)lineasm_held(&la, &before, &t);
	while ((kind = lineasm_next(&la, in, n, &pos, now, &pc)) != LINE_MORE) {
		deliver(kind, &pc, J.inpos + from - before, J.inpos + pos);
		from = pos;
		before = 0;
	}
	return from;
}

/* End of input: the line still open ends. */
void svlogd_finish(void)
{
	struct linepiece pc;
	int kind;

	while ((kind = lineasm_finish(&la, &pc)) != LINE_MORE)
		deliver(kind, &pc, J.inpos, J.inpos);
}

/* --- batches ------------------------------------------------------------- */

static void write_batch(struct logdir *d)
{
	size_t off = 0;

	while (off < d->olen) {
		ssize_t w = write(d->curfd, d->obuf + off, d->olen - off);
		int err;
		if (w >= 0) {
			off += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		err = errno; /* free_space reads the directory: keep the write's error */
		if (err == ENOSPC && free_space(d))
			continue;
		pausing("unable to write to current", d->name, err);
	}
	d->size += d->olen;
	d->olen = 0;
}

/* Keeps the journal in the lock of dirs[home], its head read into h: -1
 * if it cannot. A damaged head is reported and counts as none. */
static int open_journal(int home, struct jhead *h)
{
	int state;

	if (journal_open(&J, dirs[home].fd, home, h, &state) < 0)
		return -1;
	if (state == JREAD_DAMAGED)
		diag("warning", DIAG_NOERR, "damaged journal head, not trusted: ",
		    dirs[home].name, "/lock");
	return state == JREAD_OK;
}

/* The directories, as the journal's batch step sees them. */
static void dir_state(void *ctx, int i, struct jbatch_dir *out)
{
	const struct logdir *d = &dirs[i];

	(void)ctx;
	out->ok = d->ok;
	out->lockfd = d->lockfd;
	out->size = d->size;
	out->olen = d->olen;
	out->cur_ino = d->cur_ino;
	out->sel0 = d->sel0;
	out->sel1 = d->sel;
}

static void dir_write(void *ctx, int i)
{
	(void)ctx;
	write_batch(&dirs[i]);
}

static struct journal_dirs jdirs = { .state = dir_state, .write = dir_write }; /* .n in main */

/*
 * The journal must be in a lock svlogd holds: once its directory is no
 * longer in use (dropped, or not reopened at SIGHUP) or its lock is another
 * file, the journal moves to the first directory in use. The old one is
 * closed off (if no one else locked it meanwhile); the new one gets a new
 * generation, so that no older record naming it reads as a batch in the
 * pipe, and the held head's bytes. Called between reads, where the
 * journal's carry is exactly the head the line assembler holds.
 */
static void journal_rehome(void)
{
	struct stat st;
	struct jhead h;
	struct tain first;
	struct jrecord r;
	const char *held;
	uint64_t carry;
	size_t n;
	int home = -1;

	J.home_changed = 0;
	if (J.fd < 0)
		return;
	if (dirs[J.home].ok && fstat(dirs[J.home].lockfd, &st) == 0 &&
	    (uint64_t)st.st_dev == J.home_dev && (uint64_t)st.st_ino == J.home_ino)
		return;
	journal_close_off(&J);
	for (int i = 0; i < ndirs && home < 0; i++)
		if (dirs[i].ok)
			home = i;
	if (home < 0 || open_journal(home, &h) < 0) {
		journal_lost(&J, "move the journal", home < 0 ? DIAG_NOERR : errno);
		return;
	}
	J.gen = h.gen + 1;
	/* an empty batch, so that every lock names the new home (the newest
	 * record tells a next svlogd where the journal is) */
	carry = J.carry;
	J.carry = 0;
	journal_batch(&J, &r, inbuf, J.taken, J.inbody0, 0);
	J.carry = carry;
	journal_store_records(&J, &jdirs, &r);
	if (J.fd < 0)
		return;
	held = lineasm_held(&la, &n, &first);
	n = (size_t)carry; /* its start; the rest, if any, waits in the pipe */
	if (n && pwrite(J.fd, held, n, (off_t)J.size) != (ssize_t)n) {
		journal_lost(&J, "write the journal", errno);
		return;
	}
	journal_store_head(&J, J.size, n ? &first : 0);
	J.size += n;
	J.carry = n;
}

/*
 * Writes every directory's batch: the output of the input fed since the
 * last batch, up to input position upto, where a line is in its body
 * (inbody) or not, the input ending there (eof) or not (journal_commit:
 * with a journal, records first, and the pipe's part of that input taken
 * after).
 */
static void commit(uint64_t upto, int inbody, int eof)
{
	/* past the recovered batch, a directory's state is its own */
	for (int i = 0; i < ndirs; i++)
		if (upto >= dirs[i].skip)
			dirs[i].skip = 0;
	if (!journal_commit(&J, &jdirs, inbuf, upto, inbody, eof, piped))
		return;
	for (int i = 0; i < ndirs; i++)
		dirs[i].sel0 = dirs[i].sel;
}

/* The pipe holds, from where it was taken to where it was fed, only bytes
 * of a line whose head is incomplete: into the journal, with the stamp of
 * its first byte. */
static void hold(void)
{
	struct tain first;
	size_t nheld;

	(void)lineasm_held(&la, &nheld, &first);
	journal_hold(&J, inbuf, &first);
}

/* A line can be left open at exit and taken up by the next svlogd. */
static int continuable(void)
{
	return piped && J.fd >= 0 && J.provable;
}

/*
 * A writer asleep halfway through a write that found the pipe full wakes no
 * reader unless the pipe was empty when the write began; with a head
 * waiting there, it is not. A bulk writer (whose next write may well be
 * larger than the pipe's room) would then stall svlogd until the wait ends
 * (wait_tail): a head waits in the pipe only for a writer that trickles,
 * whose last TRICKLE writes each gave at most SMALL_PEEK bytes, and the
 * count starts again after a wait that timed out.
 */
#define TRICKLE 8
#define SMALL_PEEK 512
static unsigned small_peeks;

/* n bytes fed at input position J.inpos, arrived at now: each directory's
 * batch, and on a pipe their taking; a held head waits in the pipe where
 * it may (journal_head_may_wait: rather than a syscall or two per piece,
 * one per byte for a writer that writes a byte at a time), else it goes
 * into the journal. */
static void input_read(const char *buf, size_t n, const struct tain *now)
{
	size_t nheld;
	struct tain first;
	uint64_t end;

	svlogd_feed(buf, n, now);
	end = J.inpos + n;
	/* everything before a held head is in a batch */
	(void)lineasm_held(&la, &nheld, &first);
	commit(end - nheld, lineasm_inbody(&la), 0);
	J.fed = end;
	if (piped && J.fed > J.taken &&
	    !journal_head_may_wait(&J, tail_wakes && small_peeks >= TRICKLE, TAIL_MAX))
		hold();
	if (!piped)
		J.inpos = end;
}

/* The end of the input: the last line, ended, and the last batch. */
static void input_end(void)
{
	svlogd_finish();
	commit(J.inpos, 0, 1);
}

/* --- recovery ------------------------------------------------------------ */

/* Which pipe stdin is, if it can be told from every other pipe later: an
 * anonymous pipe (a named FIFO keeps its name, not its contents) in this
 * boot. */
static void find_origin(void)
{
	struct stat st;
	struct statfs fs;
	char id[36];
	int fd, k = 0;

	memset(&J.origin, 0, sizeof J.origin);
	J.provable = 0;
	if (!piped || fstat(0, &st) < 0 || fstatfs(0, &fs) < 0 || fs.f_type != PIPEFS_MAGIC_)
		return;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (read_full(fd, id, sizeof id) == (ssize_t)sizeof id)
		for (size_t i = 0; i < sizeof id && k < 32; i++) {
			int c = id[i], v = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (v >= 0) {
				J.origin.boot[k / 2] |= (unsigned char)(k % 2 ? v : v << 4);
				k++;
			}
		}
	close(fd);
	J.origin.dev = (uint64_t)st.st_dev;
	J.origin.ino = (uint64_t)st.st_ino;
	J.provable = k == 32;
}

/* Peeks at the pipe's first byte: 1 if there is one. */
static int peek_byte(unsigned char *c)
{
	ssize_t t;

	do
		t = tee(0, scratch[1], 1, SPLICE_F_NONBLOCK);
	while (t < 0 && errno == EINTR);
	return t == 1 && read_intr(scratch[0], c, 1) == 1;
}

/* The most one batch can add to d's current: its batch buffer. */
static size_t batch_room(const struct logdir *d)
{
	return INBUF + 2 * (STAMP_LEN + d->prefixlen + linemax + UDP_WARN_MAX + 8);
}

static struct jreplay replay; /* the journal's held head, to feed again */

/* At startup, with the directories and their locks open and current not
 * yet touched: settles what a killed svlogd left (journal_recover), and
 * takes up each directory's state. */
static void recover(void)
{
	struct jdir *jd = calloc((size_t)ndirs, sizeof *jd);

	if (!jd)
		die(111, DIAG_NOERR, "out of memory.");
	for (int i = 0; i < ndirs; i++) {
		jd[i].ok = dirs[i].ok;
		jd[i].fd = dirs[i].fd;
		jd[i].lockfd = dirs[i].lockfd;
		jd[i].name = dirs[i].name;
		jd[i].batch_room = batch_room(&dirs[i]);
	}
	journal_recover(&J, jd, ndirs, linemax, peek_byte, inbuf, &replay);
	if (replay.resume_body)
		lineasm_resume_body(&la);
	for (int i = 0; i < ndirs; i++) {
		dirs[i].rec_ok = jd[i].rec_ok;
		dirs[i].skip = jd[i].skip;
		dirs[i].skip_sel = jd[i].skip_sel;
		dirs[i].sel = dirs[i].sel0 = jd[i].sel;
	}
	free(jd);
}

/* After every current is open: feeds the held head again; if the input is
 * another, ends it as a line and starts afresh. */
static void recover_end(void)
{
	if (replay.n) {
		J.inpos = 0;
		svlogd_feed(replay.bytes, replay.n, &replay.first);
		free(replay.bytes);
		replay.bytes = 0;
	}
	J.inpos = replay.n;
	if (replay.ends) {
		if (lineasm_open(&la))
			input_end();
		for (int i = 0; i < ndirs; i++) {
			dirs[i].skip = 0;
			dirs[i].sel = dirs[i].sel0 = 0;
		}
		J.inpos = J.taken = J.carry = J.fed = 0;
		J.inbody0 = 0;
		if (J.fd >= 0)
			journal_store_head(&J, J.size, 0);
	}
	for (int i = 0; i < ndirs; i++)
		dirs[i].rec_ok = 0;
	if (!piped && J.fd >= 0) {
		close(J.fd);
		J.fd = -1;
	}
}
/* --- input --------------------------------------------------------------- */

/* Copies up to want bytes from the head of the stdin pipe without taking
 * them: the count, 0 at the end of input, -1 with EAGAIN while it is empty.
 * The end of input is a tee(2) of nothing: an empty pipe without writers. */
static ssize_t peek(char *buf, size_t want)
{
	ssize_t t, got = 0;

	do
		t = tee(0, scratch[1], want, SPLICE_F_NONBLOCK);
	while (t < 0 && errno == EINTR);
	if (t <= 0)
		return t;
	while (got < t) {
		ssize_t r = read_intr(scratch[0], buf + got, (size_t)(t - got));
		if (r <= 0) {
			errno = r < 0 ? errno : EIO;
			return -1;
		}
		got += r;
	}
	return got;
}

static void handle_signals(void)
{
	int sig;

	while ((sig = loop_next_signal(sigfd))) {
		switch (sig) {
		case SIGTERM:
			info("sigterm received.", 0, 0);
			stopping = 1;
			break;
		case SIGCHLD:
			info("sigchild received.", 0, 0);
			reap();
			break;
		case SIGALRM:
			info("sigalarm received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				rotate(&dirs[i]);
			break;
		case SIGHUP:
			info("sighangup received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				close_dir(&dirs[i]);
			reopen_all();
			break;
		}
	}
}

/* Rotations by age, restarts of failed processors; ms to the next one, or -1. */
static int timers(void)
{
	struct timespec now;
	long long next = -1, ms;

	mono_now(&now);
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		if (d->ok && d->tmax) {
			ms = ms_until(&d->rotate_at, &now);
			if (ms <= 0) {
				rotate(d);
				d->rotate_at = now;
				d->rotate_at.tv_sec += (time_t)d->tmax;
				ms = (long long)d->tmax * 1000;
			}
			if (next < 0 || ms < next)
				next = ms;
		}
		if (d->proc_retry.tv_sec) {
			ms = ms_until(&d->proc_retry, &now);
			if (ms > 0) {
				if (next < 0 || ms < next)
					next = ms;
			} else if (processor_wanted(d))
				processor_start(d);
			else
				processor_give_up(d);
		}
	}
	if (next > 2744000)
		next = 2744000;
	return (int)next;
}

/* Rotations that had to wait for the batch to be written. */
static void settle(void)
{
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		if (d->ok && !d->olen && (d->rotate_wanted || (d->sizemax && d->size >= d->sizemax)))
			rotate(d);
	}
}

/* Waits for input, a signal or a timer; 1 when stdin can be read. */
static int wait_input(void)
{
	struct pollfd p[2] = { { sigfd, POLLIN, 0 }, { 0, POLLIN, 0 } };

	return loop_poll(p, 2, timers()) > 0 && p[1].revents;
}

#define HEAD_WAIT_MS 200      /* a held head waits in the pipe this long at most */
static uint64_t wait_taken = UINT64_MAX; /* J.taken when the held head began to wait */
static uint64_t wait_until;   /* then it goes into the journal (ms, monotonic) */

/* ms on the monotonic clock */
static uint64_t now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die(111, errno, "unable to read the clock");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Waits, with a held head (or its tail) in the pipe, which keeps it
 * readable, for the writer's next bytes, a signal or a timer. The kernel
 * wakes the edge-triggered epoll at each write that completes, but not for
 * a writer that finds the pipe full halfway through a write and sleeps: so
 * a head waits HEAD_WAIT_MS at most, then goes into the journal, and the
 * pipe holds only what the writer gives after it. So does it once no writer
 * is left, so that the end of input can be seen.
 */
static void wait_tail(void)
{
	/* stdin asked for nothing: poll still says when no writer is left */
	struct pollfd p[3] = { { sigfd, POLLIN, 0 }, { tail_epfd, POLLIN, 0 }, { 0, 0, 0 } };
	struct epoll_event ev;
	uint64_t now = now_ms();
	int ms;

	if (J.taken != wait_taken) {
		wait_taken = J.taken;
		wait_until = now + HEAD_WAIT_MS;
	}
	if (now >= wait_until) {
		small_peeks = 0;
		hold();
		return;
	}
	ms = timers();
	if (ms < 0 || (uint64_t)ms > wait_until - now)
		ms = (int)(wait_until - now);
	if (loop_poll(p, 3, ms) <= 0)
		return;
	if (p[1].revents)
		while (epoll_wait(tail_epfd, &ev, 1, 0) > 0)
			;
	if (p[2].revents)
		hold();
}

/* Whether this kernel wakes an edge-triggered epoll at each write to a
 * pipe that is not empty (Linux from 5.14 on, and before 5.5). */
static int probe_tail_wakes(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int p[2], ep, ok = 0;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return 0;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0 &&
	    write(p[1], "x", 1) == 1 && epoll_wait(ep, &ev, 1, 0) == 1 &&
	    write(p[1], "x", 1) == 1)
		ok = epoll_wait(ep, &ev, 1, 0) == 1;
	if (ep >= 0)
		close(ep);
	close(p[0]);
	close(p[1]);
	return ok;
}

static void setup_tail(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	if (!piped || !probe_tail_wakes())
		return;
	tail_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (tail_epfd >= 0 && epoll_ctl(tail_epfd, EPOLL_CTL_ADD, 0, &ev) == 0)
		tail_wakes = 1;
}

static void run(void)
{
	struct tain now;
	ssize_t got;

	for (;;) {
		handle_signals();
		timers();
		if (J.home_changed)
			journal_rehome();
		/* on a pipe, what is not read stays there for the next svlogd,
		 * and so does a line begun (see the protocol above) */
		if (stopping && (continuable() || !lineasm_open(&la)))
			return;
		if (piped) {
			size_t seen = (size_t)(J.fed - J.taken); /* a held head's tail */
			got = peek(inbuf, INBUF);
			if (got < 0 && errno == EAGAIN) {
				wait_input();
				continue;
			}
			if (got < 0) {
				/* plain reads from here: the journal is of no use
				 * any more, and they start where the pipe was taken */
				journal_lost(&J, "peek at standard input", errno);
				if (J.fed > J.taken)
					hold();
				J.inpos = J.taken;
				piped = 0;
				continue;
			}
			if (got > 0 && (size_t)got <= seen) {
				wait_tail();
				continue;
			}
			J.peek_at = J.taken;
			J.inpos = J.fed;
			small_peeks = (size_t)got - seen <= SMALL_PEEK ? small_peeks + (small_peeks < TRICKLE) : 0;
			/* stopping: take only the rest of the open line */
			const char *nl = stopping ? memchr(inbuf + seen, '\n', (size_t)got - seen) : 0;
			if (nl)
				got = nl - inbuf + 1;
			if (got > 0) {
				tain_now(&now);
				input_read(inbuf + seen, (size_t)got - seen, &now);
				settle();
				continue;
			}
		} else {
			if (!wait_input())
				continue;
			/* stopping: read only the rest of the open line, as runit does */
			got = read_intr(0, inbuf, stopping ? 1 : INBUF);
			if (got < 0 && errno == EAGAIN)
				continue;
			if (got < 0)
				diag("warning", errno, "unable to read standard input");
		}
		if (got <= 0) {
			input_end();
			return;
		}
		tain_now(&now);
		input_read(inbuf, (size_t)got, &now);
		settle();
	}
}

static void finish(void)
{
	stopping = 1;
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		processor_wait(d);
		if (d->proc_retry.tv_sec)
			processor_give_up(d);
		close_dir(d);
	}
}

static void setup_input(void)
{
	struct stat st;

	piped = fstat(0, &st) == 0 && S_ISFIFO(st.st_mode);
	if (piped && pipe2(scratch, O_CLOEXEC) < 0) {
		diag("warning", errno, "unable to peek at standard input, a kill may now lose lines");
		piped = 0;
	}
}

int main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	unsigned long buflen = 1024;
	sigset_t set;
	char *held;
	int c;

	diag_prefix = "svlogd";
	/* a closed 0, 1 or 2 would be taken by our own descriptors */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return 111;
	while ((c = opt_next(&o, argc, argv, "R:r:l:b:tvV")) != -1) {
		switch (c) {
		case 'R':
			replace_set = o.arg;
			if (!replace_char)
				replace_char = '_';
			break;
		case 'r':
			if (!o.arg[0] || o.arg[1])
				die_usage(111, argv[0], USAGE);
			replace_char = o.arg[0];
			break;
		case 'l':
			scan_ulong(o.arg, &linemax);
			if (!linemax)
				linemax = 1000;
			break;
		case 'b':
			scan_ulong(o.arg, &buflen);
			if (!buflen)
				buflen = 1024;
			break;
		case 't':
			if (++stamplevel > 3)
				stamplevel = 3;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			print_version();
			/* fall through */
		default:
			die_usage(111, argv[0], USAGE);
		}
	}
	if (o.ind >= argc || buflen <= linemax)
		die_usage(111, argv[0], USAGE);

	inbuf = malloc(INBUF);
	headbuf = malloc(linemax);
	held = malloc(linemax);
	ndirs = argc - o.ind;
	dirs = calloc((size_t)ndirs, sizeof *dirs);
	if (!inbuf || !headbuf || !held || !dirs)
		die(111, DIAG_NOERR, "out of memory.");
	lineasm_init(&la, held, linemax);
	for (int i = 0; i < ndirs; i++) {
		dirs[i].name = argv[o.ind + i];
		dirs[i].fd = dirs[i].lockfd = dirs[i].curfd = dirs[i].udpfd = -1;
		dirs[i].procdir = -1;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGHUP);
	sigfd = loop_signals(&set);
	if (sigfd < 0)
		die(111, errno, "unable to watch signals");
	signal(SIGPIPE, SIG_IGN);

	journal_init(&J, 0);
	jdirs.n = ndirs;
	setup_input();
	setup_tail();
	find_origin();
	for (int i = 0; i < ndirs; i++) {
		open_dir(&dirs[i]);
		if (dirs[i].ok)
			finish_handovers(&dirs[i]);
	}
	need_one_dir();
	wait_usable_current();
	recover();
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			open_dir_current(&dirs[i]);
	need_one_dir();
	recover_end();
	run();
	finish();
	return 0;
}
