/* svcmd_wait.h: sv's waiting phase: after the commands are sent, sleep until each service reaches their effect, runit's timeout, or its runsv is gone for good. */
#ifndef RNG_SVCMD_WAIT_H
#define RNG_SVCMD_WAIT_H
#include <stdint.h>

#include "svout.h"
#include "svwait.h"
#include "svwatch.h"
#include "tai.h"

struct service {
	const char *name;
	int pending;     /* still to be reported in the waiting phase */
	int dirty;       /* something happened: look at it again */
	int polled;      /* no events arrive for it: look every POLL_RUNIT_MS */
	int orphaned;    /* its runsv went away: waiting for a new one */
	uint64_t orphaned_ms; /* since then */
	struct svout_hold hold; /* orphaned: where its fail line would stand */
	int settling;    /* runs, but not yet for the settle time */
	int looked;      /* looked at once already */
	uint64_t due_ms; /* a timer looks at it again then (0: none) */
	struct svwatch_slot watch;
	struct tain sent;             /* when its command was sent, or found redundant */
	struct svwait_settle settle;  /* the settle rule across looks */
	uint32_t check_pid;           /* the record ./check last ran for */
	struct tain check_stamp;
	unsigned check_ms;            /* ./check back-off */
	uint64_t check_at;            /* ./check runs again no earlier */
};

/* For a service just made (a link into the scan directory): in its
 * directory, waits until runsvdir has started its runsv, i.e. a runsv
 * holds supervise/ok, or until deadline_ms (monotonic). Woken by inotify
 * (supervise/ made, ok made, ok opened). 1: a runsv runs; 0: not by then,
 * or supervise/ok cannot be looked at for another reason (the caller
 * reports it as runit does). */
int sv_await_runsv(uint64_t deadline_ms);

/* Waits for the n services whose pending is set (their commands sent,
 * each with its sent time), reporting each as runit does: ok:, timeout:,
 * kill:, or fail: runsv not running. Gives up at runit's first 420 ms
 * round past -w's seconds, counted from sv.wait_start when it is set. */
void sv_wait_all(struct service *svc, int n);
#endif
