/* svwatch.h: inotify on services' supervise/ directories, waking sv only for what a runsv does. */
#ifndef RNG_SVWATCH_H
#define RNG_SVWATCH_H
#include <stddef.h>

/*
 * What wakes sv, and why nothing else does:
 *  - supervise/: IN_MOVED_TO of status or info, the renames with which
 *    runsv replaces them. sv's own reads of those files cause only
 *    IN_OPEN/IN_CLOSE_NOWRITE, which this watch does not ask for.
 *  - supervise/ok: IN_CLOSE_NOWRITE, when its only reader, runsv, exits
 *    (sv's probe opens it for writing: IN_CLOSE_WRITE, not asked for).
 *    While no runsv runs, IN_OPEN too: a new runsv opening it (the probe
 *    of a dead runsv fails with ENXIO and opens nothing).
 *  - the service's entry in its parent directory (svwatch_arm_name):
 *    made, removed or renamed, for a service directory replaced.
 *  - supervise/ or ok missing: IN_CREATE in the directory that should
 *    hold them, until they appear. supervise a symbolic link to a
 *    directory not there yet (runsv makes the target, e.g. in /run):
 *    IN_CREATE and IN_MOVED_TO of any name in the target's parent, and
 *    the link's own name in the service directory.
 * No descriptor is held per service: the liveness of runsv is learned from
 * these events and a fresh probe, so any number of services can be followed
 * and a runsv replaced meanwhile is simply probed again.
 */
struct svwatch_slot {
	int wd_dir; /* supervise/ */
	int wd_ok;  /* supervise/ok */
	int wd_up;  /* the service directory, only while supervise/ is missing */
	int wd_far; /* the parent of a dangling supervise link's target */
	int wd_name; /* the directory holding the service's own entry */
};
#define SVWATCH_SLOT_INIT { -1, -1, -1, -1, -1 }

/* Which of a slot's watches a ref stands for: what its events mean. */
enum svwatch_kind { SVWATCH_DIR, SVWATCH_OK, SVWATCH_UP, SVWATCH_FAR, SVWATCH_NAME };

struct svwatch_ref {
	int wd, id;
	enum svwatch_kind kind;
	const char *name; /* SVWATCH_NAME: the entry whose changes wake */
};

struct svwatch {
	int fd; /* the inotify instance, -1 when there is none */
	int armed; /* a watch was ever added: closing it is slow */
	struct svwatch_ref *refs; /* which slots use which watch, sorted */
	size_t nrefs, cap;
};

/* 0, or -1 with errno when the kernel gives no inotify instance. */
int svwatch_open(struct svwatch *w);
void svwatch_close(struct svwatch *w);
/* Closes it for a process about to exit. The kernel tears down an inotify
 * instance that held watches only after a grace period of its own
 * (5 to 15 ms here), and an exit waits for it: sv's caller would wait too.
 * So a child takes the last reference, and lets it go when this process
 * has exited. */
void svwatch_abandon(struct svwatch *w);

/* Arms (again) the slot for the service directory that is sv's current
 * directory. alive: a runsv holds supervise/ok now. Cheap when nothing
 * changed (the kernel hands back the same watches). 0 when the service can
 * be followed by events; -1 with errno when not (no inotify, no watches
 * left, supervise/ a dangling link whose target's parent is missing too):
 * the caller must look on a clock. */
int svwatch_arm(struct svwatch *w, int id, struct svwatch_slot *s, int alive);
/* Arms the slot for a service directory that is missing: a watch on the
 * directory that is to hold it (path as for open), any name made there
 * waking the slot. 0, or -1 with errno: the caller must look on a clock. */
int svwatch_arm_parent(struct svwatch *w, int id, struct svwatch_slot *s, const char *parent);
/* Also wakes the slot when the entry `name` of directory `parent` (as
 * for open) is made, removed or renamed: the service directory replaced
 * (ln -sfn to a new one, or moved away and made again), after which a
 * look by path finds the new one and arms for it. name must stay valid
 * while armed. 0, or -1 with errno. */
int svwatch_arm_name(struct svwatch *w, int id, struct svwatch_slot *s, const char *parent,
    const char *name);
/* Drops the slot's watches that no other slot uses. */
void svwatch_disarm(struct svwatch *w, int id, struct svwatch_slot *s);

/* Reads every pending event and calls hit(ctx, id) for each slot to look
 * at again (a look arms again too); a lost queue calls hit(ctx, -1): every
 * slot. 0, or -1 with errno on a read error. */
int svwatch_read(struct svwatch *w, void (*hit)(void *ctx, int id), void *ctx);
#endif
