/* svfile.h: the one-value files of a service directory (timeout-kill, timeout-finish, watchdog-ms, notification-fd, down-signal), and an instance's files taken from its template. */
#ifndef RNG_SVFILE_H
#define RNG_SVFILE_H
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>

/*
 * One set of rules for every such file, so that a service author learns
 * them once and runsv.8 states them once:
 *
 *   - the file holds the value, then at most one newline, then nothing:
 *     "300" and "300\n" are the same value; "", "\n", " 300", "300 ",
 *     "300\n\n", "300\r\n", "3\n4" and any NUL byte are garbage;
 *   - the value is at most SVFILE_VALUE_MAX bytes;
 *   - symlinks are followed, as runit follows them for ./run and ./finish
 *     (service directories are often assembled from links);
 *   - it must be a regular file: opening never blocks (O_NONBLOCK), so a
 *     FIFO in its place is refused instead of hanging runsv;
 *   - absent (ENOENT) means the feature is off.
 *
 * Garbage gets a warning naming the file and *why, and the file is then
 * treated as absent: runsv suggests
 *   warn(DIAG_NOERR, "ignoring ", name, ": ", why);
 *   -> runsv DIR: warning: ignoring timeout-kill: not a number
 * The why strings are static, lower case, without a final period.
 */
#define SVFILE_VALUE_MAX 63

enum svfile_result {
	SVFILE_ERROR = -1,  /* open, fstat or read failed: errno says why */
	SVFILE_OK = 0,
	SVFILE_ABSENT = 1,  /* ENOENT */
	SVFILE_INVALID = 2, /* *why says what is wrong */
};

/*
 * Checks a file's bytes (buf, len; no NUL needed). On SVFILE_OK, value
 * holds the value without its newline, NUL-terminated. Pure: the unit
 * test and the fuzzer drive it. Never returns SVFILE_ABSENT or ERROR.
 */
int svfile_parse(const char *buf, size_t len, char value[SVFILE_VALUE_MAX + 1],
    const char **why);

/* How a file of the service directory is opened for reading (these files,
 * needs, oneshot, ./stop's test): read-only, never blocking, close-on-exec.
 * Through svfile_open below, so that an instance takes it from its template. */
#define SVFILE_READ_FLAGS (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
/* A flag file (oneshot): 1 it can be opened, 0 absent, -1 with errno. */
int svfile_exists(int dirfd, const char *name);

/* Opens NAME relative to dirfd (AT_FDCWD: the current directory, which is
 * the service directory in runsv) and applies svfile_parse. */
int svfile_read(int dirfd, const char *name, char value[SVFILE_VALUE_MAX + 1],
    const char **why);

/*
 * Templated instances (instance.h): every service file runsv opens, stats
 * or executes goes through these, so that an instance directory takes
 * each file it lacks from its template, in one place. After
 * svfile_fallback(dirfd, tmpl_fd, tmpl_path), a name relative to dirfd
 * that is not there (ENOENT) is looked up relative to tmpl_fd instead;
 * any other error (EACCES...) is the instance's own answer. tmpl_path is
 * the template's path relative to dirfd's directory, for execve. At most
 * SVFILE_FALLBACKS pairs: a service and its log. dirfd may be AT_FDCWD.
 * Without a pair these are openat, fstatat and execve.
 */
#define SVFILE_FALLBACKS 2
int svfile_fallback(int dirfd, int tmpl_fd, const char *tmpl_path);
/* Forgets dirfd's pair (its descriptor stays the caller's). */
void svfile_fallback_drop(int dirfd);
int svfile_open(int dirfd, const char *name, int flags);
int svfile_stat(int dirfd, const char *name, struct stat *st);
/* execve of name, relative to the current directory, which must be
 * dirfd's; the template's file when there is none. Returns -1 (errno). */
int svfile_exec(int dirfd, const char *name, char *const argv[], char *const envp[]);

/*
 * Durations in milliseconds (timeout-kill, timeout-finish, watchdog-ms):
 * decimal digits only, no sign, no unit; 0 .. SVFILE_MS_MAX (an int, so it
 * fits poll's timeout; about 24.8 days). 0 is returned as 0: runsv gives
 * it s6's meaning, "no limit", the same as an absent file.
 */
#define SVFILE_MS_MAX 2147483647UL
int svfile_parse_ms(const char *value, unsigned long *ms, const char **why);
int svfile_read_ms(int dirfd, const char *name, unsigned long *ms, const char **why);

/* down-signal: a signal as signame.h reads it (HUP, SIGQUIT, 3, RTMIN+1). */
int svfile_read_signal(int dirfd, const char *name, int *sig, const char **why);
#endif
