/* restartpol.h: the restart policy of a service (restart, restart-delay, restart-limit): what runsv does after ./run ends. */
#ifndef RNG_RESTARTPOL_H
#define RNG_RESTARTPOL_H
#include <stdint.h>

/*
 * Three optional files of the service directory, each read by svfile's
 * rules (one value, at most one newline; garbage is warned about and the
 * file counts as absent):
 *
 *   restart        always (runit's behaviour), on-failure, or never
 *   restart-delay  MIN [MAX]: milliseconds, one blank between them;
 *                  1 <= MIN <= MAX (MAX defaults to MIN)
 *   restart-limit  N SECONDS: 1 <= N <= RESTART_LIMIT_MAX, SECONDS >= 1
 *
 * Without them runsv does what runit does: it starts ./run again after
 * every end, a second later when the slot went down (after ./finish)
 * less than a second after ./run started.
 *
 * The decision is a pure function of the policy, the way the run ended,
 * the clock and the history of earlier ends: the unit test and the
 * fuzzer drive it without a process.
 */
#define RESTART_LIMIT_MAX 64           /* N: the history keeps this many ends */
#define RESTART_SECONDS_MAX 2147483UL  /* SECONDS: its milliseconds fit an int */
#define RESTART_RUNIT_HOLD_MS 1000     /* runit's pause after a run under a second */
#define RESTART_FINISH_GIVE_UP 125     /* ./finish's exit code that means give up (s6) */

enum restart_mode { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

struct restart_policy {
	enum restart_mode mode;
	unsigned long delay_min, delay_max; /* 0, 0: runit's one-second rule */
	unsigned limit_n;                   /* 0: no limit */
	unsigned long limit_ms;
	int files; /* restart or restart-limit is there: ./finish's 125 gives up */
};

/* What runsv remembers between ends; all zero at first. */
struct restart_history {
	unsigned long delay;   /* the last back-off delay; 0 after a long run */
	unsigned gave_up;      /* ends counted when runsv gave up; 0 while it has not */
	unsigned count, next;  /* ends held in ends[], and where the next goes */
	uint32_t ends[RESTART_LIMIT_MAX]; /* monotonic ms of recent ends, a ring,
	                                   * modulo 2^32: SECONDS keeps every
	                                   * difference that counts below 2^31 */
};

/* How a run ended, all times monotonic milliseconds. */
struct restart_end {
	int wstat;         /* ./run's wait status */
	int finish_code;   /* ./finish's exit code; -1: no ./finish, or it was killed */
	int asked;         /* runsv stopped it itself (sv restart, sv term) while the
	                    * service is wanted up: it starts again whatever the
	                    * policy says, and the end does not count to the limit */
	int hung;          /* runsv stopped it for its watchdog: a failure, whatever
	                    * the signal, and it counts */
	long long started; /* when ./run started */
	long long ended;   /* when it ended */
	long long now;     /* now: the slot is down (after ./finish, if any) */
};

enum restart_verdict {
	RESTART_NOW,     /* start ./run again at once */
	RESTART_AFTER,   /* start it again after *delay_ms (counted from now) */
	RESTART_NO,      /* the policy says not again: down until sv up */
	RESTART_GIVE_UP, /* restart-limit reached, or ./finish exited 125 */
};

/* The three files' values (svfile_parse's output), each 0 or SVFILE_INVALID
 * with *why set, as svfile.h's functions answer. */
int restartpol_parse_mode(const char *value, enum restart_mode *mode, const char **why);
int restartpol_parse_delay(const char *value, unsigned long *min, unsigned long *max,
    const char **why);
int restartpol_parse_limit(const char *value, unsigned *n, unsigned long *ms, const char **why);

/* Reads the three files relative to dirfd (svfile_read: a template's file
 * when the instance has none). A file that is garbage (SVFILE_INVALID) or
 * cannot be read (SVFILE_ERROR, errno set) is told to complain and counts
 * as absent. */
typedef void restartpol_complain(const char *name, int result, const char *why);
void restartpol_read(int dirfd, struct restart_policy *p, restartpol_complain *complain);

/* The policy's word for a mode: always, on-failure, never. */
const char *restartpol_mode_word(enum restart_mode mode);

/* Is this wait status a failure in on-failure's sense? A non-zero exit, or
 * a signal other than TERM, INT, HUP and PIPE. */
int restartpol_failed(int wstat);

/* What to do after an end; updates the history (the back-off step, the
 * ends counted, gave_up). *delay_ms is set for RESTART_AFTER. */
enum restart_verdict restartpol_decide(const struct restart_policy *p, struct restart_history *h,
    const struct restart_end *e, unsigned long *delay_ms);

/* sv up or sv start: the count and the give-up are forgotten (the back-off
 * step is kept: it follows the runs themselves). */
void restartpol_clear(struct restart_history *h);
#endif
