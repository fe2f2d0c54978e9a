/* logdir.h: a svlogd log directory's life: opening, locking and configuring it, current's open, rotation and rename, old files' pruning, and the set of directories svlogd writes. */
#ifndef RNG_LOGDIR_H
#define RNG_LOGDIR_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "logconf.h"

#define LOG_STAMP_LEN 26      /* a 25-character stamp and a space */
#define LOG_INBUF 65536       /* the most one read of input takes: a pipe's worth */
#define LOG_UDP_WARN_MAX 40   /* the longer UDP warning text */
#define LOG_PAUSE_SECONDS 3   /* a failing file operation is tried again after this */
#define LOG_NAMELEN 28        /* @, a TAI64N label, '.', a state letter (s, u, t), NUL */

struct logdir;

/* What the directories share: svlogd's settings, and what the directory
 * code asks of the rest of svlogd. */
struct logset {
	struct logdir *dir;
	int n;
	int verbose;              /* -v: say what is done */
	unsigned long linemax;    /* -l: a line's head at most */
	const int *stopping;      /* svlogd is ending: a failed processor is not run again */
	/* writes d's batch (obuf) to its current: before a close, or to end a line */
	void (*write_batch)(struct logdir *d);
	/* d is out of use until the next SIGHUP, its descriptors closed */
	void (*dropped)(struct logdir *d);
};

struct logdir {
	struct logset *set;
	const char *name;
	int fd;                   /* the directory, open read-only: every path is relative to it */
	int lockfd, curfd;
	int ok;                   /* in use */
	struct logconf conf;
	int udpfd;                /* a socket while conf asks for udp */
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
	/* processor (logproc.c) */
	pid_t procpid;
	int procdir;              /* the directory it runs in, kept for its bookkeeping */
	char procname[LOG_NAMELEN]; /* the @X.u it processes */
	unsigned procfails;       /* failures in a row: the next start waits 2^n s */
	struct timespec proc_retry; /* when to start it again; tv_sec 0: no wait */
	/* recovery */
	int rec_ok;               /* its record is about this current, and accounts for its end */
};

/* set of the n directories dirs, named by names[0..n), none open; the
 * rest of set zero (linemax 1000): the caller fills it in. */
void logset_init(struct logset *set, struct logdir *dirs, int n, char **names);

/* The directory, its lock and its config: the part of opening a directory
 * that comes before recovery. d->ok says whether it worked (a warning says
 * why not). */
void logdir_open(struct logdir *d);

/* current, once recovery has settled: set aside if it was not closed
 * cleanly, unless d goes on with a line in it (goes_on) or its record
 * accounts for its end; ended with a newline if it stops inside a line that
 * d does not go on with. The directory is dropped if current is unusable. */
void logdir_open_current(struct logdir *d, int goes_on);

/* Writes what waits, closes current (fsynced, and 0744: closed cleanly, as
 * runit leaves it), the lock and the directory. d in use has its current
 * open (logdir_open_current), or has been dropped. */
void logdir_close(struct logdir *d);

/* Takes d out of use (until the next SIGHUP) without touching its files. */
void logdir_drop(struct logdir *d);

/* current exists and is not a file svlogd can append to (a directory, a
 * symbolic link, a FIFO...); errno says which. */
int logdir_current_unusable(const struct logdir *d);

/* Rotates d if it can now; else it is wanted, and done when the line d is
 * writing ends or the previous processor finishes. Nothing may wait in obuf. */
void logdir_rotate(struct logdir *d);

/* On a full disk: deletes the oldest file while more than N exist. 1 if one went. */
int logdir_free_space(struct logdir *d);

/* The most one batch can add to d's current: its batch buffer. */
size_t logdir_batch_room(const struct logdir *d);

/* Rotations by age and restarts of failed processors that are due; the
 * milliseconds to the next one, or -1. */
int logset_timers(struct logset *set);

/* Rotations that had to wait for a batch to be written. */
void logset_settle(struct logset *set);

/* Says what, with err's text, and waits LOG_PAUSE_SECONDS ("pausing: ..."). */
void logdir_pause(const struct logdir *d, const char *what, int err);

/* Opens a file in dirfd that svlogd writes (or gives to its processor):
 * never through a symbolic link, never blocking on a FIFO, and only a
 * regular file. -1 with errno (EINVAL for a file of another kind). */
int logdir_open_own(int dirfd, const char *name, int flags, mode_t mode);

/* Whether name is one of svlogd's old files, @ and a label and a state. */
int logdir_is_logname(const char *name);

void logdir_mono_now(struct timespec *ts);

#endif
