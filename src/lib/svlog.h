/* svlog.h: reading a service's svlogd directory for sv log: where it is, its files in order, stamps in local time, the last lines, following it. */
#ifndef RNG_SVLOG_H
#define RNG_SVLOG_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Where the log is: the first log directory on the command line of the
 * running svlogd (the log service itself, or a child of it when ./run does
 * not exec), relative to that process's working directory.
 */

/* The first log directory among svlogd's arguments (argv[0] not included),
 * or NULL. svlogd's options: -t... -v -V, and -r -R -l -b with a value
 * attached or next. */
const char *svlog_dir_arg(int argc, char *const argv[]);

/* Splits /proc/PID/cmdline into argv (at most max-1 words, NULL-ended) in
 * buf; returns argc, or -1 with errno. */
int svlog_cmdline(pid_t pid, char *buf, size_t size, char *argv[], int max);

/* The svlogd among pid and its children: its pid, or 0. */
pid_t svlog_find_svlogd(pid_t pid);

/* Is name a finished or unprocessed rotated file (@ + 24 hex + .s or .u)? */
int svlog_rotated(const char *name);

/* The rotated files of dir, oldest first (their names sort by time), as a
 * malloc'd array of malloc'd names; *n set. NULL with errno on failure. */
char **svlog_list(int dirfd, size_t *n);
void svlog_free(char **names, size_t n);

/*
 * A line with its svlogd stamp turned into local time: "@4000..." (-t),
 * "YYYY-MM-DD_HH:MM:SS.fffff" (-tt) or "YYYY-MM-DDTHH:MM:SS.fffff" (-ttt,
 * both UTC) followed by a space at the start of line becomes
 * "YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM". Writes the replacement into out and
 * returns how many bytes of line it replaces (0: no stamp, line unchanged).
 */
#define SVLOG_STAMP_MAX 48
size_t svlog_stamp(const char *line, size_t n, char out[SVLOG_STAMP_MAX], size_t *outn);

/*
 * Opens a file of the log directory for reading. The directory belongs to
 * the log's user, who could plant current -> /etc/shadow for root's sv to
 * print, or a FIFO to hang it: never through a symbolic link, never
 * blocking, regular files only. The descriptor; SVLOG_NOT_FILE when name
 * is something else; -1 with errno.
 */
#define SVLOG_NOT_FILE (-2)
int svlog_open(int dirfd, const char *name);

/* Opens a rotated file as svlog_open does; when it is missing, under its
 * other suffix (name is changed in place): svlogd's processor turns @X.u
 * into @X.s (the .s renamed into place before the .u goes), so a file
 * listed as one may be found as the other. -1 with errno ENOENT: neither
 * exists (pruned). */
int svlog_open_rotated(int dirfd, char *name);

/*
 * A snapshot of the log: current is opened first (curfd, -1 when there is
 * none) and the rotated files listed after, so that a rotation in between
 * cannot hide a file. svlog_before: how many of the listed names come
 * before the file opened as current (all n unless current was rotated
 * meanwhile: the names from it on are newer than the snapshot).
 */
size_t svlog_before(int dirfd, char *const names[], size_t n, int curfd);

/* Where the last `lines` lines of the rotated files names[0..n) and then
 * current (curfd, read by pread, or -1 for none) start: *file (an index
 * into the names, n for current) and *offset. With fewer lines, the start
 * of the first file; a file that is gone or not a regular file counts as
 * empty. 0, or -1 with errno. */
int svlog_tail(int dirfd, char *const names[], size_t n, int curfd, unsigned long lines,
    size_t *file, off_t *offset);

/* Complete lines, stamps converted, each after an optional prefix. */
struct svlog_reader {
	void (*put)(void *ctx, const char *s, size_t n);
	void *ctx;
	const char *prefix; /* "NAME: " when several logs are shown, or NULL */
	/* told of a file skipped while following: err 0 when it is not a
	 * regular file (svlog_open), else why it could not be read; or NULL */
	void (*skipped)(void *ctx, const char *name, int err);
	char *part;         /* a line still without its newline */
	size_t len, cap;
};

/* Reads fd to its end, putting each complete line; the rest waits for more.
 * 0, or -1 with errno. */
int svlog_read(struct svlog_reader *r, int fd);
/* Puts the partial line, if any, with a newline (a file that ended without one). */
void svlog_flush(struct svlog_reader *r);
void svlog_reader_free(struct svlog_reader *r);

/*
 * Following a log directory like tail -F: `current` is read as it grows;
 * when svlogd rotates it, the old file is read to its end, then every file
 * rotated since, then the new current. The caller watches the directory
 * (inotify: IN_MODIFY, IN_CREATE, IN_MOVED_TO, IN_MOVED_FROM) and pokes.
 */
#define SVLOG_STAMP_HEX 24 /* the hex digits of a rotated file's @stamp */
typedef char svlog_stamp_t[SVLOG_STAMP_HEX + 1];

struct svlog_follow {
	int dirfd;
	int fd;    /* current as it was opened; -1 until it exists */
	dev_t dev;
	ino_t ino;
	struct svlog_reader *rd;
	/*
	 * Rotated files are known by their stamp, which svlogd's processor
	 * keeps (@X.u becomes @X.s, another inode). base: every rotated file
	 * stamped up to it was read, or came before following began ("": no
	 * file yet). noted: the stamps current was renamed to, as inotify told
	 * them (IN_MOVED_FROM current, IN_MOVED_TO @X.u with one cookie), newer
	 * than base, oldest first: the first is what the file held open became,
	 * however late sv looks.
	 */
	svlog_stamp_t base;
	svlog_stamp_t *noted;
	size_t nnoted, cap;
	uint32_t cookie;  /* of the last IN_MOVED_FROM of current */
	int cookie_set;
	int lost;         /* the event queue overflowed: noted may lack some */
	/* reads the events pending now into svlog_follow_event (or NULL):
	 * a poke that finds current rotated learns every rotation so far,
	 * also those that happened while it was reading */
	void (*drain)(void *ctx);
	void *drain_ctx;
	unsigned long pruned; /* rotated files gone before they could be read */
};

/* Starts following: fd is current, already read to where following begins
 * (or -1 when there is no current yet); the rotated files older than it
 * count as read. Sets drain to NULL: the caller may set it after. */
void svlog_follow_start(struct svlog_follow *f, int dirfd, int fd, struct svlog_reader *rd);
/* An inotify event of the directory (mask, cookie, name or NULL): notes
 * the stamps current is rotated to. Call for every event, in order, before
 * the poke it causes. */
void svlog_follow_event(struct svlog_follow *f, uint32_t mask, uint32_t cookie, const char *name);
/* Something changed in the directory: read what is new. A rotated file or
 * a new current that cannot be read is passed to the reader's skipped; a
 * rotated file gone before it could be read (pruned) counts in f->pruned.
 * 0, or -1 with errno. */
int svlog_follow_poke(struct svlog_follow *f);
void svlog_follow_stop(struct svlog_follow *f);
#endif
