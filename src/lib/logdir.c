/* logdir.c: a svlogd log directory's life: open, lock and config; current's open, rotation and rename; pruning old files; timed rotations. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "logdir.h"
#include "logproc.h"
#include "num.h"
#include "tai.h"

static void info(const struct logdir *d, const char *a, const char *b)
{
	if (d->set->verbose)
		diag("info", DIAG_NOERR, a, d->name, b);
}

void logdir_pause(const struct logdir *d, const char *what, int err)
{
	struct timespec ts = { LOG_PAUSE_SECONDS, 0 };

	diag("pausing", err, what, ": ", d->name);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void logdir_mono_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static long long ms_until(const struct timespec *t, const struct timespec *now)
{
	return (long long)(t->tv_sec - now->tv_sec) * 1000 +
	    (t->tv_nsec - now->tv_nsec) / 1000000;
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

int logdir_open_own(int dirfd, const char *name, int flags, mode_t mode)
{
	struct stat st;

	return open_regular(dirfd, name, flags | O_NOFOLLOW, mode, &st);
}

void logset_init(struct logset *set, struct logdir *dirs, int n, char **names)
{
	memset(set, 0, sizeof *set);
	set->dir = dirs;
	set->n = n;
	set->linemax = 1000;
	for (int i = 0; i < n; i++) {
		struct logdir *d = &dirs[i];
		memset(d, 0, sizeof *d);
		d->set = set;
		d->name = names[i];
		d->fd = d->lockfd = d->curfd = d->udpfd = d->procdir = -1;
		logconf_init(&d->conf);
	}
}

/* --- old files ----------------------------------------------------------- */

int logdir_is_logname(const char *n)
{
	return n[0] == '@' && strlen(n) == LOG_NAMELEN - 1;
}

/* Deletes .t leftovers; returns the count of other @ files and the oldest. */
static long scan_dir(struct logdir *d, char oldest[LOG_NAMELEN], int remove_leftovers)
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
		if (!logdir_is_logname(e->d_name))
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
			memcpy(oldest, e->d_name, LOG_NAMELEN);
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
	char oldest[LOG_NAMELEN];
	long count = scan_dir(d, oldest, 1);

	if (count < 0) {
		diag("warning", errno, "unable to read directory: ", d->name);
		return;
	}
	if (d->conf.nmax && (unsigned long)count > d->conf.nmax) {
		if (d->set->verbose)
			diag("info", DIAG_NOERR, "delete: ", d->name, "/", oldest);
		if (unlinkat(d->fd, oldest, 0) < 0)
			diag("warning", DIAG_NOERR, "unable to unlink: ", d->name, "/", oldest);
	}
}

int logdir_free_space(struct logdir *d)
{
	char oldest[LOG_NAMELEN];
	long count;

	if (d->conf.nmin >= d->conf.nmax)
		return 0;
	count = scan_dir(d, oldest, 0);
	if (count < 0) {
		diag("warning", errno, "unable to read directory, want remove old logfile: ", d->name);
		return 0;
	}
	if ((unsigned long)count <= d->conf.nmin || !oldest[0])
		return 0;
	diag("warning", DIAG_NOERR, "out of disk space, delete: ", d->name, "/", oldest);
	return unlinkat(d->fd, oldest, 0) == 0;
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

	while ((fd = logdir_open_own(d->fd, "current", O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0) {
		if (errno == ELOOP || errno == EINVAL || errno == EISDIR || errno == ENXIO ||
		    dir_gone(d, errno)) {
			diag("warning", errno, "unable to open current: ", d->name);
			return -1;
		}
		logdir_pause(d, what, errno);
	}
	while (fchmod(fd, 0644) < 0)
		logdir_pause(d, "unable to set mode of current", errno);
	d->cur_ino = fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
	return fd;
}

static void close_current(struct logdir *d)
{
	while (fsync(d->curfd) < 0 && errno != EINVAL && errno != EROFS)
		logdir_pause(d, "unable to fsync current logfile", errno);
	while (fchmod(d->curfd, 0744) < 0)
		logdir_pause(d, "unable to set mode of current", errno);
	close_fd(d->curfd);
	d->curfd = -1;
}

/* A name for current to be rotated to, @ and its TAI64N label, that no
 * file has yet. An error other than "no such file" pauses and retries. */
static void fresh_name(struct logdir *d, char name[LOG_NAMELEN], char state)
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
			logdir_pause(d, "unable to rename current", errno);
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
		logdir_pause(d, "unable to rename current", err);
	}
	return 1;
}

void logdir_rotate(struct logdir *d)
{
	char name[LOG_NAMELEN], num[FMT_ULONG];
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
	fresh_name(d, name, d->conf.processor ? 'u' : 's');
	close_current(d);
	moved = rename_current(d, name);
	if (moved < 0) {
		/* a removed directory: the others go on, not a pause for ever */
		logdir_drop(d);
		return;
	}
	if (moved && d->set->verbose) {
		fmt_ulong(num, d->size);
		diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name, " ", num);
	}
	d->size = 0;
	d->curfd = open_current(d, "unable to create new current");
	if (d->curfd < 0) {
		logdir_drop(d);
		return;
	}
	prune(d);
	if (d->conf.processor && moved) {
		d->procdir = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
		if (d->procdir < 0) {
			diag("warning", errno, "unable to run processor: ", d->name);
			return;
		}
		memcpy(d->procname, name, LOG_NAMELEN);
		if (d->set->verbose)
			diag("info", DIAG_NOERR, "processing: ", d->name, "/", name);
		logproc_start(d);
	}
}

/* --- opening and closing ------------------------------------------------- */

/* config may be a symbolic link (svlogd only reads it), but not a FIFO or
 * other file a read could block on. */
static int read_config(struct logdir *d)
{
	struct stat st;
	int fd = open_regular(d->fd, "config", O_RDONLY, 0, &st);
	char *text;
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	text = malloc((size_t)st.st_size + 1);
	if (!text)
		die(111, DIAG_NOERR, "out of memory.");
	r = read_full(fd, text, (size_t)st.st_size);
	close(fd);
	if (r < 0) {
		free(text);
		return -1;
	}
	info(d, "read: ", "/config");
	if (logconf_parse(&d->conf, d->name, text, (size_t)r) < 0)
		die(111, DIAG_NOERR, "out of memory.");
	return 0;
}

/* The defaults, then the config file; a socket if it asks for udp. */
static int configure(struct logdir *d)
{
	logconf_free(&d->conf);
	if (d->udpfd >= 0)
		close(d->udpfd);
	d->udpfd = -1;
	if (read_config(d) < 0)
		return -1;
	if (d->conf.udpconf)
		d->udpfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	return 0;
}

void logdir_open(struct logdir *d)
{
	d->ok = 0;
	d->fd = open(d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		diag("warning", errno, "unable to open log directory: ", d->name);
		return;
	}
	/* svlogd writes its records into lock: never through a link */
	d->lockfd = logdir_open_own(d->fd, "lock", O_RDWR | O_CREAT, 0600);
	if (d->lockfd < 0 || flock(d->lockfd, LOCK_EX | LOCK_NB) < 0) {
		diag("warning", errno, "unable to lock directory: ", d->name);
		goto fail;
	}
	if (configure(d) < 0) {
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
	int fd = logdir_open_own(d->fd, "current", O_RDONLY, 0);

	if (fd >= 0) {
		if (pread(fd, &c, 1, size - 1) != 1)
			c = '\n';
		close(fd);
	}
	return c == '\n';
}

size_t logdir_batch_room(const struct logdir *d)
{
	return LOG_INBUF + 2 * (LOG_STAMP_LEN + d->conf.prefixlen + d->set->linemax +
	    LOG_UDP_WARN_MAX + 8);
}

void logdir_open_current(struct logdir *d, int on)
{
	struct stat st;
	int unended = 0, moved;
	size_t need;

	if (fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode)) {
			errno = S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
			diag("warning", errno, "unable to open current: ", d->name);
			goto fail;
		}
		unended = st.st_size > 0 && !on && !current_ends_line(d, st.st_size);
		if (st.st_size > 0 && !(st.st_mode & S_IXUSR) && !on && !d->rec_ok) {
			char name[LOG_NAMELEN];
			int fd;
			if (unended && (fd = logdir_open_own(d->fd, "current", O_WRONLY | O_APPEND, 0)) >= 0) {
				(void)write_all(fd, "\n", 1);
				close(fd);
			}
			unended = 0;
			fresh_name(d, name, 'u');
			moved = rename_current(d, name);
			if (moved < 0)
				goto fail;
			if (moved && d->set->verbose)
				diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name);
			d->size = 0;
			prune(d);
			info(d, "new: ", "/current");
		} else {
			d->size = (unsigned long)st.st_size;
			info(d, "append: ", "/current");
		}
	} else if (errno == ENOENT) {
		d->size = 0;
		info(d, "new: ", "/current");
	} else {
		diag("warning", errno, "unable to stat current: ", d->name);
		goto fail;
	}
	d->curfd = open_current(d, "unable to open current");
	if (d->curfd < 0)
		goto fail;
	need = logdir_batch_room(d);
	if (d->ocap < need) {
		free(d->obuf);
		d->obuf = malloc(need);
		d->ocap = need;
	}
	free(d->abuf);
	d->abuf = malloc(LOG_STAMP_LEN + d->conf.prefixlen + d->set->linemax + 4);
	if (!d->obuf || !d->abuf)
		die(111, DIAG_NOERR, "out of memory.");
	d->olen = 0;
	if (unended) {
		/* a line a killed svlogd began and no one will finish: end it
		 * now, before a rotation can come */
		d->obuf[d->olen++] = '\n';
		d->set->write_batch(d);
	}
	if (d->conf.tmax) {
		logdir_mono_now(&d->rotate_at);
		d->rotate_at.tv_sec += (time_t)d->conf.tmax;
	}
	return;
fail:
	logdir_drop(d);
}

void logdir_drop(struct logdir *d)
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
	if (d->set->dropped)
		d->set->dropped(d);
}

void logdir_close(struct logdir *d)
{
	if (!d->ok)
		return;
	if (d->olen)
		d->set->write_batch(d);
	close_current(d);
	close(d->lockfd);
	close(d->fd);
	d->lockfd = d->fd = -1;
	d->ok = 0;
	if (d->set->verbose)
		diag("info", DIAG_NOERR, "close: ", d->name);
}

int logdir_current_unusable(const struct logdir *d)
{
	struct stat st;

	if (fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISREG(st.st_mode))
		return 0;
	errno = S_ISDIR(st.st_mode) ? EISDIR : S_ISLNK(st.st_mode) ? ELOOP : EINVAL;
	return 1;
}

/* --- timers -------------------------------------------------------------- */

int logset_timers(struct logset *set)
{
	struct timespec now;
	long long next = -1, ms;

	logdir_mono_now(&now);
	for (int i = 0; i < set->n; i++) {
		struct logdir *d = &set->dir[i];
		if (d->ok && d->conf.tmax) {
			ms = ms_until(&d->rotate_at, &now);
			if (ms <= 0) {
				logdir_rotate(d);
				d->rotate_at = now;
				d->rotate_at.tv_sec += (time_t)d->conf.tmax;
				ms = (long long)d->conf.tmax * 1000;
			}
			if (next < 0 || ms < next)
				next = ms;
		}
		if (d->proc_retry.tv_sec) {
			ms = ms_until(&d->proc_retry, &now);
			if (ms > 0) {
				if (next < 0 || ms < next)
					next = ms;
			} else if (logproc_wanted(d))
				logproc_start(d);
			else
				logproc_give_up(d);
		}
	}
	if (next > 2744000)
		next = 2744000;
	return (int)next;
}

void logset_settle(struct logset *set)
{
	for (int i = 0; i < set->n; i++) {
		struct logdir *d = &set->dir[i];
		if (d->ok && !d->olen && (d->rotate_wanted ||
		    (d->conf.sizemax && d->size >= d->conf.sizemax)))
			logdir_rotate(d);
	}
}
