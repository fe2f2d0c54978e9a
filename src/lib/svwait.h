/* svwait.h: when a wait of sv is over: runit's per-letter tests, made truthful, and the rule of "started". */
#ifndef RNG_SVWAIT_H
#define RNG_SVWAIT_H
#include <stdint.h>

#include "status.h"
#include "svinfo.h"
#include "tai.h"

/*
 * A ./run that declares neither readiness nor ./check counts as started once
 * it has stayed up this long, counted from the start stamp of its status
 * record. runit's sv samples every 420 ms, so the service it reports as
 * failing is one whose ./run died within 420 ms of its start: dying at
 * 0.41 s is caught by runit's sample at 0.42 s. The same pid must still run
 * then, which /proc tells without waiting for runsv to reap it.
 */
#define SVWAIT_SETTLE_MS 420
/* Where /proc never showed the process (hidepid, another pid namespace)
 * only the status record can say it died: allow runsv this long to reap
 * the child and rewrite the record. A process /proc showed once and no
 * longer shows has been reaped: it is dead, however long runsv takes. */
#define SVWAIT_REAP_MS 80

/* What /proc says about a pid. */
enum svwait_proc { SVWAIT_ALIVE, SVWAIT_DEAD, SVWAIT_UNSEEN };

/* /proc/PID/stat of the child: a zombie is dead; no entry is unseen
 * (reaped already, or hidden: only the record can tell). */
enum svwait_proc svwait_proc(uint32_t pid);

/* How a running service shows it has started. */
enum svwait_rule {
	SVWAIT_BY_READINESS, /* runsv reports readiness: wait for ready (and ./check) */
	SVWAIT_BY_CHECK,     /* ./check exists: it must pass, as with runit */
	SVWAIT_BY_SETTLE,    /* nothing declared: stay up SVWAIT_SETTLE_MS */
};

/* info: runit-ng's supervise/info when it matches the status record, else
 * NULL (runit's runsv writes none: then declared readiness cannot be seen). */
enum svwait_rule svwait_rule(const struct svinfo *info, int has_check);

/* The settle rule for one record, followed across evaluations. */
struct svwait_settle {
	uint32_t pid;
	struct tain stamp;
	int64_t due_ms;  /* monotonic ms when the record has settled */
	int known;       /* pid, stamp and due_ms describe a record seen before */
	int seen_alive;  /* /proc showed the pid running */
};

/*
 * Has the running record st settled? now is the real time (the clock of
 * the stamps), now_ms the monotonic one (the clock of the timer; a real
 * clock that jumps cannot lengthen the wait beyond SVWAIT_SETTLE_MS from
 * the first look). look tells whether the pid still runs: it is asked
 * when a record is first seen and, if the pid ran then, once more when
 * it is due. 1 settled; 0 not (yet): *wait_ms is when to look again, or
 * -1 when only a new status record can change the answer (the process
 * is dead).
 */
int svwait_settled(struct svwait_settle *s, const struct sv_status *st,
    const struct tain *now, uint64_t now_ms, enum svwait_proc (*look)(uint32_t),
    long *wait_ms);

/* What one wait needs to judge a status record. */
struct svwait_view {
	const struct sv_status *st;
	const struct tain *sent; /* when sv sent the command, or looked when it did not */
	/* 1 when the running service has started (readiness, ./check, settle);
	 * called only when every other condition of the letter holds. */
	int (*started)(void *arg);
	void *arg;
	/* 1 when the down record is a oneshot's that is done (runit-ng's
	 * supervise/info says so): u and t count it as reached. May be NULL. */
	int (*done)(void *arg);
};

/*
 * Is the effect of the control letters reached? runit's test per letter
 * (sv.8), with three changes that make the answer true: a record whose
 * stamp is not after the command (t, k, o) is not fresh; u and d need a
 * record that wants up or down (runsv took the command: a running service
 * still wanted down has not been told up yet); and "running" means
 * started. C is check: d when the service is wanted down, else u. x is
 * not judged here: it is reached when runsv is gone. 1 yes, 0 no.
 */
int svwait_reached(const char *ctl, const struct svwait_view *v);

/* Back-off of ./check re-runs: FIRST ms after a failure, doubling up to
 * runit's interval, so a failing check runs a few times quickly and then
 * no more often than runit runs it. */
#define SVWAIT_CHECK_FIRST_MS 20
#define SVWAIT_CHECK_LAST_MS 420
unsigned svwait_check_backoff(unsigned previous_ms);
#endif
