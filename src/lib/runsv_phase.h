/* runsv_phase.h: runsv's per-slot state machine: phases, events, and the table of actions and allowed next phases. */
#ifndef RNG_RUNSV_PHASE_H
#define RNG_RUNSV_PHASE_H

#include <stdint.h>
#include <sys/types.h>

#include "notify.h"
#include "restartpol.h"
#include "status.h"
#include "svinfo.h"
#include "tai.h"

/*
 * Each slot (the service, or its log service) is a state machine: a phase,
 * the events below, and one table (runsv_phase.c) that names, for each
 * pair, the action and the phases it may lead to. The facts runit records
 * (want, paused, the TERM flag, pid, stamp) stay fields of the slot; the
 * phase decides what an event does to them, and phase_disk_state() gives
 * the state byte runit would write in each phase.
 *
 * This unit owns no descriptor and makes no system call: every side
 * effect goes through struct effects, which runsv.c supplies (and the
 * fuzz harness and the unit test fake).
 *
 * How to add a phase, an event or a row:
 *  - a phase: a name in enum phase (anywhere before P_COUNT; nothing
 *    depends on the order), its line in phase_table[] in runsv_phase.c
 *    (name, state byte on disk, and the PF_* flags that hold in it), and
 *    its rows. A phase with a child to reap gets PF_CHILD, a kill-tree
 *    drain PF_DRAIN. tests/unit/runsv_phase.c checks every phase has a
 *    line and takes the want changes (E_UP, E_ONCE, E_DOWN, E_EXIT).
 *  - an event: a name in enum event before E_COUNT; runsv.c dispatches
 *    it where the kernel tells it (and fuzz/runsv_control.c learns to
 *    send it).
 *  - a row: one ROW(phase, event, action, next) line in transitions[],
 *    where next is the set of phases the action may leave the slot in
 *    (TO(P_X) | ..., STAY for "the phase it was in"). slot_dispatch()
 *    asserts it, so a row's comment about where it goes is enforced.
 *    A missing row means the event changes nothing in that phase.
 */
enum phase {
	P_DOWN,     /* no child; the start step starts ./run when wanted up or once */
	P_HOLD,     /* no child; nothing starts before the deadline (1-second rule, restart-delay, failed fork) */
	P_STARTING, /* ./run runs, declares readiness, is not ready (yet, or again) */
	P_UP,       /* ./run runs, ready or declaring no readiness; the deadline is the watchdog's */
	P_STOPPING, /* ./run runs and was sent the stop signal */
	P_KILLED,   /* `k` sent KILL: the child counts as down until reaped (runit's quirk) */
	P_FINISH_PENDING, /* no child; the start step starts ./finish (a failed fork: after the deadline) */
	P_FINISH,   /* ./finish runs; the deadline is timeout-finish's */
	P_DRAIN_RUN,    /* ./run ended, what it left (kill-tree, or a MAINPID process) was sent the stop signal */
	P_DRAIN_FINISH, /* kill-tree: the same after ./finish */
	P_DRAIN_OLD,    /* kill-tree: a previous runsv's processes are stopped before ./run */
	/* needs and oneshot (needwait.h): */
	P_WAIT_NEEDS, /* no child; ./run waits for every need to be ready */
	P_WAIT_DEPS,  /* ./run runs, exit asked: it waits for the services that need it to stop */
	P_DONE,       /* oneshot: ./run exited 0; not restarted, ready for the services that need it */
	P_FAILED,     /* oneshot: ./run failed; not restarted */
	P_UNDO,       /* oneshot: `d` after done: ./stop runs; the deadline is timeout-kill's */
	P_GAVE_UP,  /* no child; restart-limit or ./finish's 125: down until u or o */
	P_COUNT
};

enum event {
	E_START,    /* the loop's start step */
	E_UP, E_ONCE, E_DOWN, E_EXIT, E_TERM, E_KILL, E_PAUSE, E_CONT,
	E_SIGNAL,   /* control bytes a h i q 1 2 */
	E_EXITED,   /* the child was reaped */
	E_DEADLINE, /* the phase's deadline passed */
	E_READY,    /* a newline on notification-fd, or READY=1 */
	E_NOT_READY, /* RELOADING=1 or STOPPING=1 */
	E_PING,     /* WATCHDOG=1 */
	E_WATCHDOG_TRIGGER, /* WATCHDOG=trigger */
	E_EMPTY,    /* kill-tree: no process of the service is left */
	E_NEEDS_MET, /* every need ready (WAIT_NEEDS), every dependent stopped (WAIT_DEPS) */
	E_OLD_LEFTOVERS, /* kill-tree: runsv starts and finds a previous runsv's processes */
	E_SCRIPT_ENDED, /* the control/ script the slot waits for ended (or was cut short) */
	E_COUNT
};

/* The service directory's optional files, read when ./run (or, finish_ms
 * alone, ./finish) starts; all zero means runit's behaviour. */
struct config {
	unsigned long kill_ms;   /* timeout-kill: KILL this long after the stop signal */
	unsigned long finish_ms; /* timeout-finish: KILL ./finish after this long */
	int down_signal;         /* down-signal: sent by d and x instead of TERM */
	int notification_fd;     /* notification-fd: ./run's fd for readiness; 0 none */
	int notify;              /* notify: the sd_notify socket */
	unsigned long watchdog_ms; /* watchdog-ms (with notify) */
	enum tree_mode { TREE_OFF, TREE_AUTO, TREE_PGRP } tree; /* kill-tree and its content */
	int oneshot;             /* oneshot: ./run runs once per up */
};

/*
 * What supervise/info tells beyond status, kept small: the STATUS= text
 * and the cgroup path live apart (runsv.c's cold area), and runsv.c puts
 * the whole record together when it writes it.
 */
struct facts {
	unsigned long starts;        /* ./run starts since runsv started */
	enum svinfo_exit exit_kind;  /* how the last ./run ended */
	int exit_value;
	struct tain exit_at;
	enum svinfo_readiness readiness;
	int ready;                   /* ready_since is valid */
	struct tain ready_since;
	enum svinfo_kill kill;       /* what the stop signals reach in this run */
	uint32_t main_pid;           /* the accepted MAINPID, while it lives (after ./run too) */
	enum svinfo_oneshot oneshot; /* a oneshot's outcome: done or failed */
	int notify_errno;            /* the notify socket of this run could not be made: why */
	struct tain next_start;      /* P_HOLD: when the next start is due */
};

struct slot {
	const char *dir;    /* "supervise" or "log/supervise", relative to the service */
	const char *prefix; /* "" or "log/": where the slot's own files are */
	int is_log;
	enum phase phase;
	enum sv_want want;
	pid_t pid;
	int paused;        /* SIGSTOP sent by `p` */
	int term;          /* the stop signal was sent ("got TERM"), the child not yet gone */
	int once;          /* `o` asked for one start that has not happened yet */
	int wstat;         /* wait status of the last ./run, for ./finish's arguments */
	int child_is_finish; /* the running child is ./finish, whatever the phase says */
	struct tain stamp;   /* last ./run start, or when the slot became down */
	long long run_ms;    /* monotonic time of the last ./run start */
	long long deadline;  /* monotonic ms of the phase's timed event; 0 none */
	int ctl_r, ctl_w, ok_fd, lock_fd;
	int dir_fd; /* the supervise directory, where status files are replaced */
	int svc_fd; /* the slot's service directory (AT_FDCWD for the main slot) */
	struct config cfg;
	/* The system side's descriptors (this unit leaves them alone). */
	int ready_fd;        /* runsv's end of the notification-fd pipe; -1 none */
	int ready_wfd;       /* ./run's end, between pipe and fork */
	int main_fd;         /* pidfd of the accepted MAINPID; -1 none */
	int notify_warned;   /* a refused datagram was told about in this run */
	int cg_open;         /* kill-tree by cgroup: the slot's cgroup is made and open */
	int cg_failed;       /* no cgroup could be made: told once, groups from then on */
	int cg_foreign;      /* its processes are a previous runsv's, not yet gone */
	struct notify_socket ns; /* supervise/notify; ns.fd -1 when closed */
	struct facts info;   /* for supervise/info */
	uint64_t info_sum;   /* FNV-1a of what supervise/info holds, and its */
	size_t info_len;     /* length: a status update that changes no fact of
	                      * info (u or d to a waiting slot) does not rewrite it */
	int info_announces;  /* what info holds announces a start (next_start), */
	struct tain info_since; /* and its since: svinfo_derive_start's input */
	char *text;          /* the last STATUS= text, or 0 before the first */
	int oneshot_run;     /* this ./run is a oneshot's: ONESHOT_* below */
	int child_is_stop;   /* the running child is a oneshot's ./stop */
	/* A control/X script runs (runsv.c holds its pid): the byte whose
	 * action waits for it (0 none), where that action resumes when it
	 * ends (CTL_STEP_*), and the stop signal a suspended stop sends. */
	int ctl_byte;
	int ctl_step;
	int ctl_sig;
	/* The restart policy (restartpol.h): read with the other files at each
	 * start, and decided on when the slot goes down wanted up. */
	struct restart_policy pol;
	struct restart_end end;      /* how the last ./run ended */
	struct restart_history hist;
};
enum { ONESHOT_NONE, ONESHOT_RUNS, ONESHOT_ENDED, ONESHOT_STOPPED };
/* Where an action that started a control/ script resumes (E_SCRIPT_ENDED). */
enum {
	CTL_STEP_NONE,
	CTL_STEP_TERM,       /* control/t of a stop: the signal unless it exited 0 */
	CTL_STEP_TERM_FIRST, /* the same, control/d or control/x to run next as an override */
	CTL_STEP_FIRST,      /* control/d or control/x before the down-signal (an override) */
	CTL_STEP_AFTER,      /* control/d or control/x after the stop: nothing follows */
	CTL_STEP_KILL,       /* control/k */
	CTL_STEP_PAUSE, CTL_STEP_CONT, CTL_STEP_CONT_WATCHED,
	CTL_STEP_SIGNAL,     /* control/a h i q 1 2 */
	CTL_STEP_UP,         /* control/u before ./run */
	CTL_STEP_UP_DONE,    /* (no script runs) control/u ran: the start step starts ./run */
};

/* Side effects the actions ask for; runsv.c supplies them, tests fake them. */
struct effects {
	void (*update)(struct slot *);         /* rewrite pid, stat, info, status */
	void (*signal)(struct slot *, int);    /* kill(child, sig): control bytes */
	void (*stop_signal)(struct slot *, int); /* the stop signals: the child (its tree, with kill-tree) */
	void (*info)(struct slot *);           /* rewrite info alone (readiness) */
	void (*report)(struct slot *, int what); /* tell stderr (enum report) */
	/* control/X: 1 when it was started (an E_SCRIPT_ENDED follows, and
	 * until then no control byte is read), 0 when there is none to run */
	int (*custom)(struct slot *, int);
	int (*finish_exists)(void);            /* ./finish can be opened */
	pid_t (*spawn)(struct slot *, int finish); /* fork ./run or ./finish; SPAWN_* */
	int (*tree_empty)(struct slot *);      /* nothing of the service runs (kill-tree, MAINPID) */
	/* needs: start waiting (NEEDS_UP: for the needs, before ./run;
	 * NEEDS_STOP: for the dependents, before the stop); 1 waiting (an
	 * E_NEEDS_MET comes), 0 nothing to wait for */
	int (*needs_begin)(struct slot *, int mode);
	void (*needs_end)(struct slot *);      /* the wait is over or given up */
	int (*undo_exists)(void);              /* a oneshot's ./stop can be opened */
};
enum { NEEDS_UP, NEEDS_STOP };
/* spawn's second argument: 0 ./run, 1 ./finish, SPAWN_STOP a oneshot's ./stop. */
#define SPAWN_STOP 2
/* A service stops at most this long after its exit was asked while the
 * services that need it still run (the whole tree's bound: they are all
 * asked at once, by runsvdir's HUP or runit's shutdown). */
#define NEEDS_STOP_WAIT_MS 5000

#define SPAWN_FAILED (-1)    /* fork failed */
#define SPAWN_LEFTOVERS (-2) /* kill-tree found a previous runsv's processes */

/* What an action is told about its event. */
struct event_ctx {
	const struct effects *fx;
	struct tain now;
	long long ms;    /* monotonic now */
	int byte;        /* the control byte, for E_SIGNAL */
	int wstat;       /* for E_EXITED */
	int script_ok;   /* for E_SCRIPT_ENDED: control/X exited 0 */
	int script_step; /* and where the action resumes (the slot's ctl_step) */
	int script_sig;
};

/* What runsv tells stderr when it acts on its own. */
enum report {
	R_KILL_TIMEOUT, R_FINISH_TIMEOUT, R_WATCHDOG_SILENT, R_WATCHDOG_TRIGGER,
	R_LEFTOVERS,      /* ./run ended by itself and left processes (or its MAINPID) */
	R_OLD_LEFTOVERS,  /* a previous runsv's processes found at the first start */
	R_TREE_TIMEOUT,   /* those still run after timeout-kill */
	R_DEPS_TIMEOUT,   /* services that need it still run after NEEDS_STOP_WAIT_MS */
	R_GAVE_UP,        /* restart-limit reached, or ./finish exited 125 */
};

#define HOLD_AFTER_FORK_FAILURE_MS 5000

/* runit keeps one "pid changed" flag for both slots (docs/formats.md, "pid"):
 * set by the actions when a pid changes, cleared by runsv.c once the pid
 * file is written. */
extern int slot_pid_changed;

/* The set of phases a row may lead to: TO(P_X) | TO(P_Y); STAY is the
 * phase the slot was in. */
typedef uint32_t phase_set;
#define TO(p) ((phase_set)1 << (p))
#define STAY ((phase_set)1 << 31)
_Static_assert(P_COUNT < 31, "phase_set holds every phase and STAY");

/* Runs the row of (s->phase, e), if there is one, and asserts the phase
 * it leaves is one the row allows. */
void slot_dispatch(struct slot *s, enum event e, const struct event_ctx *ev);
/* The phases the row of (p, e) may lead to, STAY resolved; TO(p) alone
 * when there is no row. */
phase_set phase_next(enum phase p, enum event e);
/* Does (p, e) have a row? */
int phase_has_row(enum phase p, enum event e);

/* The phase's name ("down", "drain-old"...), for messages and tests. */
const char *phase_name(enum phase p);
/* The state byte runit writes in supervise/status in phase p. */
enum sv_state phase_disk_state(enum phase p);

/* Applies one control byte; unknown bytes do nothing. 0 when the byte
 * was not taken because a control/ script runs (runsv.c reads none then:
 * they wait in supervise/control, in order), else 1. */
int slot_command(struct slot *s, int c, struct event_ctx *ev);
/* The control/ script the slot waited for ended, ok when it exited 0:
 * E_SCRIPT_ENDED, with the pending byte and step taken from the slot. */
void slot_script_ended(struct slot *s, int ok, struct event_ctx *ev);
/* Does the slot have a child to reap? (Draining, the pid on record is
 * that of a child already reaped.) */
int slot_has_child(const struct slot *s);
/* kill-tree: is the slot waiting for what its child (or a previous
 * runsv) left? */
int slot_draining(const struct slot *s);
/* The status record runit would write now. */
void slot_record(const struct slot *s, struct sv_status *st);

#endif
