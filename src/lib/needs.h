/* needs.h: a service's needs file, where the services it names are, cycles among them, and whether one is ready by sv's rule of "started". */
#ifndef RNG_NEEDS_H
#define RNG_NEEDS_H
#include <stddef.h>
#include <stdint.h>

#include "svread.h"
#include "svwait.h"
#include "svwatch.h"

/*
 * The file: one service name a line. Blanks (space, tab, CR) around a
 * name are ignored, and so are empty lines and lines whose first non-blank
 * byte is '#'. A name is either a plain directory name (no '/', not "."
 * or ".."), looked up in the directory that holds the service as runsv was
 * given it (under runsvdir: the scan directory), or an absolute path. A
 * name may hold neither a blank nor '|' (supervise/info lists names split
 * by them); such a line, like any other that is not a name, is kept as an
 * invalid need, so that the service waits and says why instead of
 * starting without it. A NUL byte, more than NEEDS_MAX names or more than
 * NEEDS_FILE_MAX bytes make the whole file invalid.
 */
#define NEEDS_FILE "needs"
#define NEEDS_FILE_MAX 65536
#define NEEDS_MAX 4096
#define NEEDS_DEPTH_MAX 256 /* the longest chain the cycle search follows */

/* What a need is, as one word (supervise/info's waiting=, sv's JSON). */
enum need_state {
	NEED_READY,        /* started by sv's rule, or a oneshot that is done */
	NEED_INVALID,      /* the line is not a service name */
	NEED_MISSING,      /* no such service directory */
	NEED_UNSUPERVISED, /* no runsv holds supervise/ok */
	NEED_UNREADABLE,   /* supervise/ cannot be read */
	NEED_DOWN,         /* supervised and down (or finishing) */
	NEED_WAITING,      /* down, waiting for needs of its own */
	NEED_STARTING,     /* runs, not started yet by sv's rule */
	NEED_FAILED,       /* a oneshot whose ./run failed */
	NEED_CYCLE,        /* the service itself: its needs lead back to it */
	NEED_RUNNING,      /* (stop order) a dependent that still runs */
};
const char *need_state_word(enum need_state s);

#define NEED_REASON_MAX 96

struct need {
	const char *name;     /* as written (in the list's buffer) */
	enum need_state state;
	char reason[NEED_REASON_MAX];
	int asked;            /* `u` sent to its runsv in this wait */
	int alive;            /* a runsv held supervise/ok at the last look */
	int dirty;            /* an event: look again */
	uint64_t due_ms;      /* a timer: look again then (0 none) */
	struct svwait_settle settle;
	uint32_t check_pid;   /* the record ./check last ran for, and its back-off */
	struct tain check_stamp;
	unsigned check_ms;
	uint64_t check_at;
	struct svwatch_slot watch;
};

struct needs {
	char *buf;            /* the names, NUL-terminated, in one allocation */
	size_t len, bufcap;
	struct need *v;
	size_t n, cap;
};

/* Is this a name a needs line may hold? */
int needs_name_ok(const char *name);
/* Parses the file's bytes into l (emptied first). 0, or -1 with *why. */
int needs_parse(struct needs *l, const char *bytes, size_t len, const char **why);
/* Appends one name (copied). 0, or -1 (ENOMEM). */
int needs_add(struct needs *l, const char *name);
/* Reads dirfd's needs file through svfile_open: SVFILE_OK, SVFILE_ABSENT
 * (l empty), SVFILE_ERROR (errno) or SVFILE_INVALID (*why). */
int needs_read(struct needs *l, int dirfd, const char **why);
void needs_free(struct needs *l);

/* The directory of need NAME of a service held by parent_fd, opened
 * (O_DIRECTORY); -1 with errno. */
int needs_open(int parent_fd, const char *name);
/* The directory that holds need NAME (where its own plain names resolve);
 * -1 with errno. */
int needs_open_parent(int parent_fd, const char *name);

/*
 * Do the needs of the service SELF (held by parent_fd) lead back to it,
 * through the needs files of the services they name? 1 yes, and path gets
 * "SELF -> A -> SELF" (cut to size); 0 no; needs files that cannot be
 * read count as empty. At most NEEDS_DEPTH_MAX deep.
 */
int needs_cycle(int parent_fd, const char *self, char *path, size_t size);

/*
 * Looks at the need whose service directory is the current directory and
 * sets n->state and n->reason. up: the waiting service's rule (ready:
 * started, or a oneshot done), asking its runsv for `u` once while it has
 * not been asked (a oneshot that failed: t, its restart, once); else the stop order's (ready: nothing of it runs).
 * r is scratch space. Sets n->due_ms when only time can change the answer
 * (the settle time, ./check's back-off).
 */
void need_look(struct need *n, struct svread *r, int up, uint64_t now_ms);
#endif
