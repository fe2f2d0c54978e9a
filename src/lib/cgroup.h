/* cgroup.h: a cgroup v2 of its own for a service (kill-tree): find the hierarchy, create, enter, signal, kill, watch, remove. */
#ifndef RNG_CGROUP_H
#define RNG_CGROUP_H
#include <stddef.h>
#include <sys/types.h>

/*
 * Every function returns -1 with errno on failure, so that runsv can fall
 * back to a process group and warn in runit's shape, e.g.
 *   runsv DIR: warning: unable to create cgroup, using a process group: read-only file system
 * Nothing allocates; paths are bounded by CGROUP_PATH_MAX (ENAMETOOLONG).
 */
#define CGROUP_PATH_MAX 1024 /* = SVINFO_PATH_MAX: supervise/info's cgroup= */
#define CGROUP_NAME_MAX 128

struct cgroup {
	int dir_fd;    /* the service's cgroup directory; -1 when closed */
	int procs_fd;  /* its cgroup.procs, write-only: the child enters by it */
	int events_fd; /* its cgroup.events, read-only: poll it for POLLPRI */
	int has_kill;  /* cgroup.kill exists (Linux 5.14 and later) */
	char path[CGROUP_PATH_MAX]; /* in the filesystem, e.g.
	                  /sys/fs/cgroup/unified/sshd@803-1a2b (supervise/info) */
	char rel[CGROUP_PATH_MAX];  /* as /proc/PID/cgroup names it, e.g.
	                  /sshd@803-1a2b (notify_sender.cgroup) */
};

/*
 * The parent of every service cgroup: runsv's own cgroup v2.
 *   - the hierarchy: the first mount of type cgroup2 in
 *     /proc/self/mountinfo whose mount options begin with "rw" (pure v2:
 *     /sys/fs/cgroup; hybrid: /sys/fs/cgroup/unified);
 *   - runsv's cgroup: the "0::PATH" line of /proc/self/cgroup;
 *   - path = MOUNT + PATH less the mount's root (4th mountinfo field; "/"
 *     unless the hierarchy was mounted from inside a cgroup namespace);
 *     rel = PATH.
 * ENOENT: no cgroup2 mount, or no 0:: line (a v1-only system), or
 * runsv's cgroup is outside what the mount shows. EROFS: every cgroup2
 * mount is read-only. Whether runsv may write there shows in cgroup_open.
 */
int cgroup_parent(char path[CGROUP_PATH_MAX], char rel[CGROUP_PATH_MAX]);
/* One /proc/self/mountinfo line (no newline needed): 1 when it is a rw
 * cgroup2 mount, with its mount point (octal escapes such as \040
 * undone) and root copied out; 0 otherwise. Pure. */
int cgroup_mountinfo_line(const char *line, size_t len, char mnt[CGROUP_PATH_MAX],
    char root[CGROUP_PATH_MAX]);
/* /proc/PID/cgroup text: where the path of its "0::" line starts, and its
 * length in *n (not NUL-terminated); NULL when there is no such line. Pure. */
const char *cgroup_v2_find(const char *text, size_t len, size_t *n);
/* The same path copied out, when it is absolute and fits. 1 found, 0 not. Pure. */
int cgroup_v2_path(const char *text, size_t len, char rel[CGROUP_PATH_MAX]);

/*
 * The service's cgroup name, for DIR, a directory relative to the current
 * one: "." for the service (runsv's cwd), "log" for its log service.
 *   NAME = BASE "@" DEV "-" INO
 * BASE is the last component of the physical service directory (getcwd),
 * followed by "." and DIR's last component unless DIR is "."; bytes other
 * than A-Z a-z 0-9 . _ - become "_", and BASE is cut to 64 bytes. DEV and
 * INO are DIR's st_dev and st_ino in lower-case hex. Examples:
 *   /etc/sv/sshd      -> sshd@803-1a2b3c
 *   /etc/sv/sshd/log  -> sshd.log@803-1a2b40
 * Why: runsvs of one runsvdir share one parent cgroup, and two service
 * directories of the same name may live in two runsvdirs; DEV-INO tells
 * every live directory apart (the lock of supervise/ allows one runsv per
 * directory), the main and log slots included. The name stays the same
 * when runsv restarts, so a new runsv finds what its predecessor left
 * running (see cgroup_open). BASE is only for the eye.
 */
int cgroup_name(char out[CGROUP_NAME_MAX], const char *dir);

/*
 * Creates NAME below cgroup_parent() (mode 0755) and opens it. An
 * existing one (EEXIST) is taken over as it is: if cgroup_populated()
 * then says 1, those are processes a previous runsv of this service left
 * behind, and runsv should cgroup_kill() them before starting ./run.
 * Errors: those of cgroup_parent, mkdir (EACCES, EPERM, EROFS) and open;
 * nothing is left created on failure (unless it existed before).
 */
int cgroup_open(struct cgroup *cg, const char *name);

/* In the forked child, before exec: moves the calling process into the
 * cgroup (writes "0" to cgroup.procs), so that ./run and everything it
 * starts is in it from its first instruction. Async-signal-safe.
 * On failure, the child should die (111) rather than exec: a ./run
 * outside its cgroup would count as down while it runs. */
int cgroup_enter_self(const struct cgroup *cg);
/* Whether a child may enter: a throwaway child does cgroup_enter_self and
 * exits. 0, or -1 with its errno (EACCES where the cgroup could be made
 * but not entered: runsv may write its own cgroup directory, not the
 * cgroup.procs of the one it is in, a delegation done by half). */
int cgroup_try_enter(const struct cgroup *cg);
/* Waits (poll on events_fd, no timer loop) until nothing is in the
 * cgroup, at most ms milliseconds: 0, or -1 with EBUSY at the deadline. */
int cgroup_wait_empty(const struct cgroup *cg, int ms);
/* Moves pid in, from the parent (racy against pid's own forks; prefer
 * cgroup_enter_self). */
int cgroup_enter(const struct cgroup *cg, pid_t pid);

/*
 * Sends sig to every process of the cgroup and of the cgroups below it
 * (a service may make its own), exactly once each, however many there
 * are. Processes fork meanwhile, so it reads cgroup.procs again until a
 * round finds nobody it has not signalled yet (at most 32 rounds). It
 * remembers every pid it signalled in a bitmap on the heap, freed before
 * it returns (only if that memory cannot be had may a pid get sig twice).
 * Processes that exit meanwhile are no error (ESRCH).
 * Returns the number of processes signalled, or -1.
 * The race of every kill(pid): a pid read from cgroup.procs may be gone
 * and reused before the kill; cgroup_kill has no such race.
 */
int cgroup_signal(const struct cgroup *cg, int sig);
/* SIGKILL to the whole subtree: cgroup.kill when has_kill (atomic, forks
 * in flight included), else cgroup_signal(SIGKILL). 0 or -1. */
int cgroup_kill(const struct cgroup *cg);

/*
 * "populated" of cgroup.events: 1 some process is in the cgroup or below,
 * 0 none, -1 error. It reads events_fd from offset 0, which also rearms
 * it: poll events_fd with events = POLLPRI (NOT POLLIN, which is always
 * set); the kernel raises POLLPRI|POLLERR when the file changes; call
 * cgroup_populated then. No polling, no timer.
 */
int cgroup_populated(const struct cgroup *cg);

/*
 * rmdir of the cgroup, after the empty cgroups the service made below it.
 * EBUSY while populated (the cgroup stays open and usable). On success the
 * descriptors are closed, as by cgroup_close.
 */
int cgroup_remove(struct cgroup *cg);
/*
 * A service directory that was renamed (or moved) gets a new NAME, its
 * BASE changed, but the same "@DEV-INO": a cgroup of the same tag and
 * another name beside cg was left by an earlier runsv of this service
 * (killed before it could remove it). Each one is emptied (cgroup.kill,
 * waited for at most 2 s) and removed; told(path, 0 or errno, arg) for
 * each. Returns how many were found, or -1.
 */
int cgroup_reclaim_renamed(const struct cgroup *cg, const char *name,
    void (*told)(const char *path, int err, void *arg), void *arg);
/* Closes the descriptors, leaves the directory. Harmless when closed. */
void cgroup_close(struct cgroup *cg);
#endif
