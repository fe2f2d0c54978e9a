/* runsv_phase.c: runsv's per-slot state machine: the actions, the phase x event table and its allowed next phases. */
#include <assert.h>
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>

#include "control.h"
#include "runsv_phase.h"

int slot_pid_changed;

/* What holds in a phase, beyond its name and state byte. */
enum {
	PF_CHILD = 1, /* a child (./run or ./finish) runs and will be reaped */
	PF_DRAIN = 2, /* kill-tree: waiting for what a child (or an earlier runsv) left */
};

/* One line per phase: its name, the state byte runit would write, its flags. */
static const struct {
	const char *name;
	enum sv_state disk;
	unsigned flags;
} phase_table[P_COUNT] = {
	[P_DOWN] = { "down", SV_DOWN, 0 },
	[P_HOLD] = { "hold", SV_DOWN, 0 },
	[P_STARTING] = { "starting", SV_RUN, PF_CHILD },
	[P_UP] = { "up", SV_RUN, PF_CHILD },
	[P_STOPPING] = { "stopping", SV_RUN, PF_CHILD },
	[P_KILLED] = { "killed", SV_DOWN, PF_CHILD },
	[P_FINISH_PENDING] = { "finish-pending", SV_FINISH, 0 },
	[P_FINISH] = { "finish", SV_FINISH, PF_CHILD },
	/* Draining, the record keeps the pid and state of the program that
	 * ended, so that sv (even runit's) waits until all is gone. */
	[P_DRAIN_RUN] = { "drain-run", SV_RUN, PF_DRAIN },
	[P_DRAIN_FINISH] = { "drain-finish", SV_FINISH, PF_DRAIN },
	[P_DRAIN_OLD] = { "drain-old", SV_DOWN, PF_DRAIN },
	/* Waiting for needs, a service is down and wanted up, in runit's
	 * bytes; a oneshot done or failed is down; its ./stop shows as a
	 * finish, so that sv -w down waits for it. */
	[P_WAIT_NEEDS] = { "wait-needs", SV_DOWN, 0 },
	[P_WAIT_DEPS] = { "wait-deps", SV_RUN, PF_CHILD },
	[P_DONE] = { "done", SV_DOWN, 0 },
	[P_FAILED] = { "failed", SV_DOWN, 0 },
	[P_UNDO] = { "undo", SV_FINISH, PF_CHILD },
	[P_GAVE_UP] = { "gave-up", SV_DOWN, 0 },
};

const char *phase_name(enum phase p)
{
	return (unsigned)p < P_COUNT && phase_table[p].name ? phase_table[p].name : "?";
}

enum sv_state phase_disk_state(enum phase p)
{
	return phase_table[p].disk;
}

int slot_draining(const struct slot *s)
{
	return (phase_table[s->phase].flags & PF_DRAIN) != 0;
}

int slot_has_child(const struct slot *s)
{
	return s->pid != 0 && (phase_table[s->phase].flags & PF_CHILD);
}

typedef void action(struct slot *, const struct event_ctx *);

/* Want changes: every phase takes them and rewrites the status. */
static void want_up(struct slot *s, const struct event_ctx *ev)
{
	s->want = WANT_UP;
	ev->fx->update(s);
}

static void want_down(struct slot *s, const struct event_ctx *ev)
{
	s->want = WANT_DOWN;
	s->once = 0; /* d cancels a start that o asked for */
	ev->fx->update(s);
}

static void want_exit(struct slot *s, const struct event_ctx *ev)
{
	s->want = WANT_EXIT;
	s->once = 0;
	ev->fx->update(s);
}

/* `o` while something runs: only the want changes. */
static void once_running(struct slot *s, const struct event_ctx *ev)
{
	s->want = WANT_DOWN;
	ev->fx->update(s);
}

/* `o` while down: one start, not restarted. */
static void once_down(struct slot *s, const struct event_ctx *ev)
{
	once_running(s, ev);
	s->once = 1;
}

/*
 * control/X runs asynchronously: script() starts it and, when it did,
 * the action stops there, its byte and step kept in the slot; the
 * E_SCRIPT_ENDED row resumes it at that step (resume_script). 1 started.
 * One runs at a time: what the service itself causes meanwhile (the
 * watchdog) acts as if there were no script.
 */
static int script(struct slot *s, const struct event_ctx *ev, int c, int step, int sig)
{
	if (s->ctl_byte || !ev->fx->custom(s, c))
		return 0;
	s->ctl_byte = c;
	s->ctl_step = step;
	s->ctl_sig = sig;
	return 1;
}

/* The control/d or control/x a stop runs, when wanted down or gone. */
static int stop_script(const struct slot *s)
{
	return s->want == WANT_DOWN ? CTL_DOWN : s->want == WANT_EXIT ? CTL_EXIT : 0;
}

/*
 * The stop sequence, runit's: sig (TERM) unless control/t handles it;
 * then CONT and control/d or control/x when the service is wanted down or
 * gone. With a down-signal, d and x send it instead of TERM and run their
 * control/d or control/x first, as an override: exit 0 holds the
 * down-signal back, as control/t's exit 0 holds back TERM; CONT follows
 * either way, as in runit after control/t. The first stop signal starts
 * timeout-kill's clock; later ones do not move it. Three steps, each
 * resumed when the script before it ends: stop_with, stop_after_t,
 * stop_send.
 */
static void stop_send(struct slot *s, const struct event_ctx *ev, int sig, int overridden, int dx_ran)
{
	const struct effects *fx = ev->fx;
	int dx = stop_script(s);

	if (!overridden) {
		fx->stop_signal(s, sig);
		s->term = 1;
		if (s->phase != P_STOPPING)
			s->deadline = s->cfg.kill_ms ? ev->ms + (long long)s->cfg.kill_ms : 0;
		s->phase = P_STOPPING;
		fx->update(s);
	}
	if (dx) {
		fx->stop_signal(s, SIGCONT);
		if (!dx_ran)
			(void)script(s, ev, dx, CTL_STEP_AFTER, 0); /* its end changes nothing */
	} else if (!overridden && s->paused) {
		/* A stopped process cannot act on the stop signal: t and the
		 * watchdog wake a paused service as d and x do. */
		fx->stop_signal(s, SIGCONT);
	}
}

static void stop_after_t(struct slot *s, const struct event_ctx *ev, int sig, int first, int overridden)
{
	int dx = stop_script(s);

	if (!overridden && dx && first) {
		if (script(s, ev, dx, CTL_STEP_FIRST, sig))
			return;
		stop_send(s, ev, sig, 0, 1);
		return;
	}
	stop_send(s, ev, sig, overridden, 0);
}

static void stop_with(struct slot *s, const struct event_ctx *ev, int sig, int script_first)
{
	if (script(s, ev, CTL_TERM, script_first ? CTL_STEP_TERM_FIRST : CTL_STEP_TERM, sig))
		return;
	stop_after_t(s, ev, sig, script_first, 0);
}

/* t: TERM, whatever down-signal says (it is the command "term"). */
static void stop(struct slot *s, const struct event_ctx *ev)
{
	stop_with(s, ev, SIGTERM, 0);
}

/* What d and x send: the down-signal, or TERM. */
static int down_signal(const struct slot *s)
{
	return s->cfg.down_signal ? s->cfg.down_signal : SIGTERM;
}

/* d and x: the down-signal when there is one. */
static void stop_down(struct slot *s, const struct event_ctx *ev)
{
	stop_with(s, ev, down_signal(s), s->cfg.down_signal != 0);
}

static void down_stop(struct slot *s, const struct event_ctx *ev)
{
	want_down(s, ev);
	stop_down(s, ev);
}

/* x (or TERM) while ./run runs: first the services that need this one
 * stop (bounded), then this one. */
static void exit_stop(struct slot *s, const struct event_ctx *ev)
{
	want_exit(s, ev);
	if (!s->is_log && s->phase != P_STOPPING && ev->fx->needs_begin(s, NEEDS_STOP)) {
		s->phase = P_WAIT_DEPS;
		s->deadline = ev->ms + NEEDS_STOP_WAIT_MS;
		return;
	}
	stop_down(s, ev);
}

/* timeout-kill (or timeout-finish) ran out: KILL, once. */
static void kill_overdue(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->report(s, slot_draining(s) ? R_TREE_TIMEOUT :
	    s->child_is_finish && !s->child_is_stop ? R_FINISH_TIMEOUT : R_KILL_TIMEOUT);
	ev->fx->stop_signal(s, SIGKILL);
	s->deadline = 0;
}

/* k while draining: KILL what is left (control/k has no child to speak for). */
static void kill_leftovers(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->stop_signal(s, SIGKILL);
	s->deadline = 0;
}

/* A stop signal to what is left while draining, then CONT. */
static void drain_signal(struct slot *s, const struct event_ctx *ev, int sig)
{
	ev->fx->stop_signal(s, sig);
	ev->fx->stop_signal(s, SIGCONT);
}

/* While draining, the commands send what they send to a running ./run:
 * t TERM, d and x the down-signal (no control/ script: no child to
 * speak for). */
static void drain_term(struct slot *s, const struct event_ctx *ev)
{
	drain_signal(s, ev, SIGTERM);
}

static void drain_down(struct slot *s, const struct event_ctx *ev)
{
	want_down(s, ev);
	drain_signal(s, ev, down_signal(s));
}

static void drain_exit(struct slot *s, const struct event_ctx *ev)
{
	want_exit(s, ev);
	drain_signal(s, ev, down_signal(s));
}

/*
 * kill-tree: the child ended but processes of the service remain. They
 * get the down-signal (TERM) and CONT, and KILL at timeout-kill's
 * deadline (one already running, from a stop, is kept). The slot keeps
 * the ended child's pid and state on disk, with the TERM flag, until they
 * are gone.
 */
static void drain(struct slot *s, const struct event_ctx *ev, enum phase next)
{
	if (s->phase != P_STOPPING || !s->deadline)
		s->deadline = s->cfg.kill_ms ? ev->ms + (long long)s->cfg.kill_ms : 0;
	if (s->phase == P_STARTING || s->phase == P_UP)
		ev->fx->report(s, R_LEFTOVERS);
	s->phase = next;
	drain_signal(s, ev, down_signal(s));
	s->term = next == P_DRAIN_RUN;
	ev->fx->update(s);
}

static void ready(struct slot *s, const struct event_ctx *ev)
{
	s->phase = P_UP;
	s->info.ready = 1;
	s->info.ready_since = ev->now;
	ev->fx->info(s);
}

/* STOPPING=1 while ./run is being stopped (or spared by control/k): not
 * ready any more, and the phase stays. */
static void unready(struct slot *s, const struct event_ctx *ev)
{
	if (!s->info.ready)
		return;
	s->info.ready = 0;
	ev->fx->info(s);
}

static void not_ready(struct slot *s, const struct event_ctx *ev)
{
	s->phase = P_STARTING;
	unready(s, ev);
}

/* WATCHDOG=1: the next one is due within watchdog-ms (not while paused:
 * the watchdog is suspended then). */
static void watchdog_ping(struct slot *s, const struct event_ctx *ev)
{
	if (s->cfg.watchdog_ms && !s->paused)
		s->deadline = ev->ms + (long long)s->cfg.watchdog_ms;
}

/* Silence past watchdog-ms, or WATCHDOG=trigger: stop ./run as t would,
 * with the down-signal; want is untouched, so runit's restart follows. */
static void watchdog_stop(struct slot *s, const struct event_ctx *ev, int what)
{
	ev->fx->report(s, what);
	s->deadline = 0;
	s->end.hung = 1; /* for the restart policy: a failure */
	stop_with(s, ev, down_signal(s), 0);
}

static void watchdog_silent(struct slot *s, const struct event_ctx *ev)
{
	watchdog_stop(s, ev, R_WATCHDOG_SILENT);
}

static void watchdog_trigger(struct slot *s, const struct event_ctx *ev)
{
	watchdog_stop(s, ev, R_WATCHDOG_TRIGGER);
}

/* `k` while ./run runs: KILL unless control/k handles it; then, as in
 * runit, the slot counts as down without a status update. A KILL sent
 * leaves no timer to run; when control/k held it back, timeout-kill's
 * KILL (after a stop) is still owed, and comes at its deadline. */
static void kill_send(struct slot *s, const struct event_ctx *ev, int killed)
{
	if (killed)
		ev->fx->stop_signal(s, SIGKILL);
	if (killed || s->phase != P_STOPPING)
		s->deadline = 0;
	s->phase = P_KILLED;
}

static void kill_run(struct slot *s, const struct event_ctx *ev)
{
	if (!script(s, ev, CTL_KILL, CTL_STEP_KILL, 0))
		kill_send(s, ev, 1);
}

/* `k` while ./finish runs: no signal, but down all the same (runit);
 * timeout-finish still runs. */
static void kill_finish(struct slot *s, const struct event_ctx *ev)
{
	(void)ev;
	s->phase = P_KILLED;
}

/* `k` before ./finish started: down, and that ./finish never starts. */
static void kill_pending_finish(struct slot *s, const struct event_ctx *ev)
{
	(void)ev;
	s->deadline = 0;
	s->phase = P_DOWN;
}

static void pause_send(struct slot *s, const struct event_ctx *ev, int send)
{
	/* Running, the deadline is the watchdog's: a paused service cannot
	 * ping, so it is suspended (as systemd does), also when a ping came
	 * while control/p ran. */
	if (s->phase == P_STARTING || s->phase == P_UP)
		s->deadline = 0;
	if (send)
		ev->fx->signal(s, SIGSTOP);
	s->paused = 1;
	ev->fx->update(s);
}

static void pause_run(struct slot *s, const struct event_ctx *ev)
{
	if (!script(s, ev, CTL_PAUSE, CTL_STEP_PAUSE, 0))
		pause_send(s, ev, 1);
}

static void pause_flag(struct slot *s, const struct event_ctx *ev)
{
	s->paused = 1;
	ev->fx->update(s);
}

/* c: CONT unless control/c exited 0; watched, the watchdog gets a whole
 * watchdog-ms again, armed as by a ping. */
static void cont_send(struct slot *s, const struct event_ctx *ev, int send, int watched)
{
	int was_paused = s->paused;

	if (send)
		ev->fx->signal(s, SIGCONT);
	s->paused = 0;
	ev->fx->update(s);
	if (watched && was_paused && s->cfg.watchdog_ms &&
	    (s->phase == P_STARTING || s->phase == P_UP)) /* (not stopped while control/c ran) */
		s->deadline = ev->ms + (long long)s->cfg.watchdog_ms;
}

static void cont_run(struct slot *s, const struct event_ctx *ev)
{
	if (!script(s, ev, CTL_CONT, CTL_STEP_CONT, 0))
		cont_send(s, ev, 1, 0);
}

static void cont_flag(struct slot *s, const struct event_ctx *ev)
{
	s->paused = 0;
	ev->fx->update(s);
}

/* p while ./run runs and the watchdog may be running: a paused service
 * cannot ping, so the watchdog is suspended (as systemd does) ... */
static void pause_watched(struct slot *s, const struct event_ctx *ev)
{
	s->deadline = 0;
	pause_run(s, ev);
}

/* ... and c arms it again. */
static void cont_watched(struct slot *s, const struct event_ctx *ev)
{
	if (!script(s, ev, CTL_CONT, CTL_STEP_CONT_WATCHED, 0))
		cont_send(s, ev, 1, 1);
}

static void signal_run(struct slot *s, const struct event_ctx *ev)
{
	if (!script(s, ev, ev->byte, CTL_STEP_SIGNAL, 0))
		ev->fx->signal(s, control_signal(ev->byte));
}

/* control/X ended while ./run runs: its byte's action goes on where it
 * stopped; exit 0 holds back the signal it would send. */
static void resume_script(struct slot *s, const struct event_ctx *ev)
{
	int ok = ev->script_ok, sig = ev->script_sig;

	switch (ev->script_step) {
	case CTL_STEP_TERM: stop_after_t(s, ev, sig, 0, ok); break;
	case CTL_STEP_TERM_FIRST: stop_after_t(s, ev, sig, 1, ok); break;
	case CTL_STEP_FIRST: stop_send(s, ev, sig, ok, 1); break;
	case CTL_STEP_KILL: kill_send(s, ev, !ok); break;
	case CTL_STEP_PAUSE: pause_send(s, ev, !ok); break;
	case CTL_STEP_CONT: cont_send(s, ev, !ok, 0); break;
	case CTL_STEP_CONT_WATCHED: cont_send(s, ev, !ok, 1); break;
	case CTL_STEP_SIGNAL:
		if (!ok)
			ev->fx->signal(s, control_signal(ev->byte));
		break;
	default: /* control/d or control/x after the stop: nothing follows */
		break;
	}
}

/* A oneshot's ./run ended by itself (./finish, if any, has run): done or
 * failed, not restarted. 1 when that is where the slot went. */
static int oneshot_outcome(struct slot *s)
{
	int ended = s->oneshot_run == ONESHOT_ENDED;

	s->oneshot_run = ONESHOT_NONE;
	if (!ended)
		return 0;
	s->info.oneshot = s->info.exit_kind == SVINFO_EXIT_CODE && s->info.exit_value == 0 ?
	    SVINFO_ONESHOT_DONE : SVINFO_ONESHOT_FAILED;
	s->phase = s->info.oneshot == SVINFO_ONESHOT_DONE ? P_DONE : P_FAILED;
	return 1;
}

/*
 * No child any more: down now. A oneshot's run that ended by itself
 * settles as done or failed (oneshot_outcome) and is not restarted.
 * Wanted up, the restart policy says what comes next (restartpol_decide;
 * without its files, runit's rule: held for a second after a quick run):
 * a start at once, one after a delay (P_HOLD, its deadline the one
 * timer), none until sv up (want down, as after `o`), or none until u or
 * o (P_GAVE_UP). Wanted down, runit's hold alone. The status is written
 * once, with the phase it settles in.
 */
static void become_down(struct slot *s, const struct event_ctx *ev)
{
	unsigned long delay = 0;
	enum restart_verdict v = RESTART_NOW;

	s->phase = P_DOWN;
	s->stamp = ev->now;
	if (oneshot_outcome(s)) {
		s->end.hung = 0; /* this end is settled: the next run starts afresh */
		ev->fx->update(s);
		return;
	}
	s->end.started = s->run_ms;
	s->end.now = ev->ms;
	if (s->want == WANT_UP) {
		v = restartpol_decide(&s->pol, &s->hist, &s->end, &delay);
	} else if (ev->ms < s->run_ms + RESTART_RUNIT_HOLD_MS) {
		v = RESTART_AFTER;
		delay = RESTART_RUNIT_HOLD_MS;
	}
	s->end.hung = 0;
	switch (v) {
	case RESTART_AFTER:
		s->phase = P_HOLD;
		s->deadline = ev->ms + (long long)delay;
		s->info.next_start = ev->now;
		tain_add_ms(&s->info.next_start, delay);
		break;
	case RESTART_NO:
		s->want = WANT_DOWN;
		break;
	case RESTART_GIVE_UP:
		s->want = WANT_DOWN;
		s->phase = P_GAVE_UP;
		ev->fx->report(s, R_GAVE_UP);
		break;
	case RESTART_NOW:
		break;
	}
	ev->fx->update(s);
}

/* Any want change after runsv gave up: the count is forgotten, the
 * give-up acknowledged; u or o try again (the start step starts ./run). */
static void forget_give_up(struct slot *s)
{
	restartpol_clear(&s->hist);
	s->phase = P_DOWN;
}

static void retry_up(struct slot *s, const struct event_ctx *ev) { forget_give_up(s); want_up(s, ev); }
static void retry_once(struct slot *s, const struct event_ctx *ev) { forget_give_up(s); once_down(s, ev); }
static void gave_up_down(struct slot *s, const struct event_ctx *ev) { forget_give_up(s); want_down(s, ev); }
static void gave_up_exit(struct slot *s, const struct event_ctx *ev) { forget_give_up(s); want_exit(s, ev); }

/* What the ended child leaves in info, and ./finish's arguments. */
static void child_ended(struct slot *s, const struct event_ctx *ev)
{
	if (!s->child_is_finish && s->oneshot_run == ONESHOT_RUNS)
		s->oneshot_run = s->term ? ONESHOT_STOPPED : ONESHOT_ENDED;
	if (s->child_is_finish) {
		s->end.finish_code = WIFEXITED(ev->wstat) ? WEXITSTATUS(ev->wstat) : -1;
	} else {
		/* For the restart policy: runsv's own stop (t, the watchdog) of
		 * a service wanted up is a restart asked for. */
		s->end.wstat = ev->wstat;
		s->end.ended = ev->ms;
		s->end.asked = s->term && s->want == WANT_UP && !s->end.hung;
		s->end.finish_code = -1;
		s->info.exit_kind = svinfo_exit_of(ev->wstat, &s->info.exit_value);
		s->info.exit_at = ev->now;
		s->info.ready = 0;
		if (s->info.main_pid == (uint32_t)s->pid)
			s->info.main_pid = 0; /* another MAINPID is kept until it ends */
	}
	if (!s->is_log)
		s->wstat = ev->wstat;
}

/* Nothing of the child is left: the slot has no pid any more. */
static void child_gone(struct slot *s)
{
	s->pid = 0;
	slot_pid_changed = 1;
	s->term = 0;
	s->deadline = 0;
	s->child_is_finish = 0;
	s->child_is_stop = 0;
}

/* ./finish next if there is one, else down. */
static void after_run(struct slot *s, const struct event_ctx *ev)
{
	child_gone(s);
	if (!s->is_log && ev->fx->finish_exists()) {
		s->phase = P_FINISH_PENDING;
		ev->fx->update(s);
		return;
	}
	become_down(s, ev);
}

/* ./run was reaped (or, after `k`, whatever child there was). */
static void run_exited(struct slot *s, const struct event_ctx *ev)
{
	child_ended(s, ev);
	if (!ev->fx->tree_empty(s))
		drain(s, ev, P_DRAIN_RUN);
	else
		after_run(s, ev);
}

static void finish_exited(struct slot *s, const struct event_ctx *ev)
{
	child_ended(s, ev);
	if (!ev->fx->tree_empty(s)) {
		drain(s, ev, P_DRAIN_FINISH);
		return;
	}
	child_gone(s);
	become_down(s, ev);
}

static void drained_run(struct slot *s, const struct event_ctx *ev)
{
	after_run(s, ev);
}

static void drained_finish(struct slot *s, const struct event_ctx *ev)
{
	child_gone(s);
	become_down(s, ev);
}

/* x while a previous runsv's processes are stopped: runsv does not wait
 * for what was never its own (runit would not know of them): it leaves
 * them as they are, and exits. */
static void exit_undrained(struct slot *s, const struct event_ctx *ev)
{
	s->deadline = 0;
	s->phase = P_DOWN;
	want_exit(s, ev);
}

/* A previous runsv's processes are gone: the start step may start ./run. */
static void drained_old(struct slot *s, const struct event_ctx *ev)
{
	(void)ev;
	s->deadline = 0;
	s->phase = P_DOWN;
}

static void hold_over(struct slot *s, const struct event_ctx *ev)
{
	(void)ev;
	s->deadline = 0;
	s->phase = P_DOWN;
}

/* ./finish's fork failed a while ago: the start step may try again. */
static void finish_retry(struct slot *s, const struct event_ctx *ev)
{
	(void)ev;
	s->deadline = 0;
}

/* A previous runsv's processes (found at runsv's start, or at the first
 * start of ./run): stopped as a stop would, before anything starts. */
static void old_leftovers(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->report(s, R_OLD_LEFTOVERS);
	s->phase = P_DRAIN_OLD;
	s->deadline = s->cfg.kill_ms ? ev->ms + (long long)s->cfg.kill_ms : 0;
	drain_signal(s, ev, down_signal(s));
}

static void spawn_run(struct slot *s, const struct event_ctx *ev)
{
	pid_t pid;

	/* control/u first (its exit status ignored): ./run starts at the
	 * next start step after it ended (the want may have changed). */
	if (s->ctl_step != CTL_STEP_UP_DONE && script(s, ev, CTL_UP, CTL_STEP_UP, 0))
		return;
	s->ctl_step = CTL_STEP_NONE;
	pid = ev->fx->spawn(s, 0);

	if (pid == SPAWN_LEFTOVERS) {
		old_leftovers(s, ev);
		return;
	}
	if (pid < 0) {
		s->phase = P_HOLD;
		s->deadline = ev->ms + HOLD_AFTER_FORK_FAILURE_MS;
		s->info.next_start = ev->now;
		tain_add_ms(&s->info.next_start, HOLD_AFTER_FORK_FAILURE_MS);
		return;
	}
	s->phase = s->info.readiness != SVINFO_READY_NONE ? P_STARTING : P_UP;
	s->oneshot_run = s->cfg.oneshot ? ONESHOT_RUNS : ONESHOT_NONE;
	s->info.oneshot = SVINFO_ONESHOT_NONE;
	s->stamp = ev->now;
	s->run_ms = ev->ms;
	s->once = 0;
	s->info.starts++;
	if (s->text)
		s->text[0] = 0;
	s->pid = pid;
	slot_pid_changed = 1;
	s->paused = 0;
	s->term = 0;
	s->deadline = 0;
	ev->fx->update(s);
}

/* The start step: ./run, once its needs are ready. */
static void start_run(struct slot *s, const struct event_ctx *ev)
{
	if (s->ctl_byte)
		return; /* a control/ script runs: nothing starts */
	if (s->want != WANT_UP && !s->once) {
		s->ctl_step = CTL_STEP_NONE; /* a control/u that ran is for the next start */
		return;
	}
	if (!s->is_log && ev->fx->needs_begin(s, NEEDS_UP)) {
		s->phase = P_WAIT_NEEDS;
		ev->fx->update(s);
		return;
	}
	spawn_run(s, ev);
}

/* control/u ended (or another script, ./run gone meanwhile): the start
 * step starts ./run, without control/u again. */
static void up_script_ended(struct slot *s, const struct event_ctx *ev)
{
	if (ev->script_step == CTL_STEP_UP)
		s->ctl_step = CTL_STEP_UP_DONE;
}

/* ---- needs and oneshot ---- */

/* Every need is ready: ./run starts. */
static void needs_met(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->phase = P_DOWN;
	spawn_run(s, ev);
}

/* d or x while waiting for needs: the wait is given up. */
static void wait_down(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->phase = P_DOWN;
	want_down(s, ev);
}

/* t (sv restart) while waiting: the wait starts over, the needs file
 * read again, each need asked up again. */
static void wait_again(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->phase = P_DOWN;
	ev->fx->update(s);
}

static void wait_exit(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->phase = P_DOWN;
	want_exit(s, ev);
}

/* The phase of a ./run that runs, before or after a wait for dependents. */
static enum phase running_phase(const struct slot *s)
{
	return s->info.readiness != SVINFO_READY_NONE && !s->info.ready ? P_STARTING : P_UP;
}

/* The services that need this one have stopped (or were waited for long
 * enough): now the stop of x. */
static void deps_stop(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->deadline = 0;
	s->phase = running_phase(s);
	stop_down(s, ev);
}

static void deps_overdue(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->report(s, R_DEPS_TIMEOUT);
	deps_stop(s, ev);
}

/* u after x, before the stop: the exit is called off. */
static void deps_up(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->deadline = 0;
	s->phase = running_phase(s);
	want_up(s, ev);
}

/* Anything else that stops ./run: no more waiting for dependents. */
static void deps_down(struct slot *s, const struct event_ctx *ev)
{
	deps_stop(s, ev);
	want_down(s, ev);
}

static void deps_term(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->deadline = 0;
	s->phase = running_phase(s);
	stop(s, ev);
}

static void deps_kill(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->deadline = 0;
	s->phase = running_phase(s); /* while control/k runs */
	kill_run(s, ev);
}

static void deps_exited(struct slot *s, const struct event_ctx *ev)
{
	ev->fx->needs_end(s);
	s->deadline = 0;
	run_exited(s, ev);
}

/* A oneshot done or failed runs again: on t (restart), on o. */
static void oneshot_again(struct slot *s, const struct event_ctx *ev)
{
	s->info.oneshot = SVINFO_ONESHOT_NONE;
	s->phase = P_DOWN;
	ev->fx->update(s);
}

static void oneshot_once(struct slot *s, const struct event_ctx *ev)
{
	s->info.oneshot = SVINFO_ONESHOT_NONE;
	s->phase = P_DOWN;
	once_down(s, ev);
}

/* d of a done oneshot: its ./stop undoes it; no ./stop, down at once. */
static void oneshot_undo(struct slot *s, const struct event_ctx *ev)
{
	pid_t pid = -1;

	s->info.oneshot = SVINFO_ONESHOT_NONE;
	s->want = WANT_DOWN;
	s->once = 0;
	s->phase = P_DOWN;
	if (ev->fx->undo_exists())
		pid = ev->fx->spawn(s, SPAWN_STOP);
	if (pid > 0) {
		s->phase = P_UNDO;
		s->pid = pid;
		s->child_is_finish = 1; /* not ./run: its end is not last_exit */
		s->child_is_stop = 1;
		slot_pid_changed = 1;
		s->deadline = s->cfg.kill_ms ? ev->ms + (long long)s->cfg.kill_ms : 0;
	}
	s->stamp = ev->now;
	ev->fx->update(s);
}

/* d of a failed oneshot: down, nothing to undo. */
static void oneshot_down(struct slot *s, const struct event_ctx *ev)
{
	s->info.oneshot = SVINFO_ONESHOT_NONE;
	s->phase = P_DOWN;
	want_down(s, ev);
}

/* ./stop ended: down (undone); u meanwhile runs ./run again. */
static void undone(struct slot *s, const struct event_ctx *ev)
{
	child_gone(s);
	s->phase = P_DOWN;
	s->stamp = ev->now;
	ev->fx->update(s);
}

static void start_finish(struct slot *s, const struct event_ctx *ev)
{
	pid_t pid;

	if (s->deadline)
		return; /* a failed fork's: its E_DEADLINE comes first */
	pid = ev->fx->spawn(s, 1);
	if (pid < 0) {
		s->deadline = ev->ms + HOLD_AFTER_FORK_FAILURE_MS;
		return;
	}
	s->phase = P_FINISH;
	s->pid = pid;
	s->child_is_finish = 1;
	slot_pid_changed = 1;
	s->paused = 0;
	s->term = 0;
	s->deadline = s->cfg.finish_ms ? ev->ms + (long long)s->cfg.finish_ms : 0;
	ev->fx->update(s);
}

/*
 * The transitions, one per line: what each event does in each phase, and
 * the phases the action may leave the slot in (slot_dispatch asserts it).
 * A missing row means the event changes nothing in that phase.
 *       phase             event          action          next phases
 */
struct row {
	action *act;
	phase_set next;
};
#define ROW(p, e, a, n) [p][e] = { a, n }
/* Where a oneshot's end leads, from wherever the slot becomes down. */
#define ONESHOT_ENDS (TO(P_DONE) | TO(P_FAILED))
/* Where a wait for dependents returns to when ./run is not stopped after all. */
#define RUNNING (TO(P_STARTING) | TO(P_UP))

static const struct row transitions[P_COUNT][E_COUNT] = {
	ROW(P_DOWN, E_START, start_run, STAY | TO(P_STARTING) | TO(P_UP) | TO(P_HOLD) | TO(P_DRAIN_OLD) | TO(P_WAIT_NEEDS)),
	ROW(P_DOWN, E_UP, want_up, STAY),       /* (the start step starts it) */
	ROW(P_DOWN, E_ONCE, once_down, STAY),   /* (the start step starts it) */
	ROW(P_DOWN, E_DOWN, want_down, STAY),
	ROW(P_DOWN, E_EXIT, want_exit, STAY),
	ROW(P_DOWN, E_PAUSE, pause_flag, STAY),
	ROW(P_DOWN, E_CONT, cont_flag, STAY),
	ROW(P_DOWN, E_OLD_LEFTOVERS, old_leftovers, TO(P_DRAIN_OLD)),
	ROW(P_DOWN, E_SCRIPT_ENDED, up_script_ended, STAY), /* (the start step starts ./run) */

	ROW(P_HOLD, E_UP, want_up, STAY),
	ROW(P_HOLD, E_ONCE, once_down, STAY),
	ROW(P_HOLD, E_DOWN, want_down, STAY),
	ROW(P_HOLD, E_EXIT, want_exit, STAY),
	ROW(P_HOLD, E_PAUSE, pause_flag, STAY),
	ROW(P_HOLD, E_CONT, cont_flag, STAY),
	ROW(P_HOLD, E_DEADLINE, hold_over, TO(P_DOWN)),

	ROW(P_STARTING, E_UP, want_up, STAY),
	ROW(P_STARTING, E_ONCE, once_running, STAY),
	ROW(P_STARTING, E_DOWN, down_stop, STAY | TO(P_STOPPING)), /* STAY: control/t */
	ROW(P_STARTING, E_EXIT, exit_stop, STAY | TO(P_STOPPING) | TO(P_WAIT_DEPS)),
	ROW(P_STARTING, E_TERM, stop, STAY | TO(P_STOPPING)),
	ROW(P_STARTING, E_KILL, kill_run, TO(P_KILLED) | STAY), /* STAY: control/k runs */
	ROW(P_STARTING, E_PAUSE, pause_watched, STAY), /* the watchdog suspended */
	ROW(P_STARTING, E_CONT, cont_watched, STAY), /* and armed again */
	ROW(P_STARTING, E_SIGNAL, signal_run, STAY),
	/* never ready: */
	ROW(P_STARTING, E_EXITED, run_exited, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP) | TO(P_DRAIN_RUN)),
	ROW(P_STARTING, E_READY, ready, TO(P_UP)),
	ROW(P_STARTING, E_PING, watchdog_ping, STAY),
	ROW(P_STARTING, E_DEADLINE, watchdog_silent, STAY | TO(P_STOPPING)),
	ROW(P_STARTING, E_WATCHDOG_TRIGGER, watchdog_trigger, STAY | TO(P_STOPPING)),
	/* the byte whose control/X ran goes on (a stop, k, a signal): */
	ROW(P_STARTING, E_SCRIPT_ENDED, resume_script, STAY | TO(P_STOPPING) | TO(P_KILLED)),

	ROW(P_UP, E_UP, want_up, STAY),
	ROW(P_UP, E_ONCE, once_running, STAY),
	ROW(P_UP, E_DOWN, down_stop, STAY | TO(P_STOPPING)), /* STAY: control/t */
	ROW(P_UP, E_EXIT, exit_stop, STAY | TO(P_STOPPING) | TO(P_WAIT_DEPS)),
	ROW(P_UP, E_TERM, stop, STAY | TO(P_STOPPING)),
	ROW(P_UP, E_KILL, kill_run, TO(P_KILLED) | STAY),
	ROW(P_UP, E_PAUSE, pause_watched, STAY), /* the watchdog suspended */
	ROW(P_UP, E_CONT, cont_watched, STAY), /* and armed again */
	ROW(P_UP, E_SIGNAL, signal_run, STAY),
	/* DRAIN_RUN with leftovers: */
	ROW(P_UP, E_EXITED, run_exited, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP) | TO(P_DRAIN_RUN)),
	ROW(P_UP, E_NOT_READY, not_ready, TO(P_STARTING)),
	ROW(P_UP, E_PING, watchdog_ping, STAY),
	ROW(P_UP, E_DEADLINE, watchdog_silent, STAY | TO(P_STOPPING)),
	ROW(P_UP, E_WATCHDOG_TRIGGER, watchdog_trigger, STAY | TO(P_STOPPING)),
	ROW(P_UP, E_SCRIPT_ENDED, resume_script, STAY | TO(P_STOPPING) | TO(P_KILLED)),

	ROW(P_STOPPING, E_UP, want_up, STAY),
	ROW(P_STOPPING, E_ONCE, once_running, STAY),
	ROW(P_STOPPING, E_DOWN, down_stop, STAY), /* the stop signal again */
	ROW(P_STOPPING, E_EXIT, exit_stop, STAY),
	ROW(P_STOPPING, E_TERM, stop, STAY),
	ROW(P_STOPPING, E_KILL, kill_run, TO(P_KILLED) | STAY),
	ROW(P_STOPPING, E_PAUSE, pause_run, STAY),
	ROW(P_STOPPING, E_CONT, cont_run, STAY),
	ROW(P_STOPPING, E_SIGNAL, signal_run, STAY),
	ROW(P_STOPPING, E_EXITED, run_exited, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP) | TO(P_DRAIN_RUN)),
	ROW(P_STOPPING, E_NOT_READY, unready, STAY),
	ROW(P_STOPPING, E_DEADLINE, kill_overdue, STAY), /* timeout-kill: KILL */
	ROW(P_STOPPING, E_SCRIPT_ENDED, resume_script, STAY | TO(P_KILLED)),

	ROW(P_KILLED, E_UP, want_up, STAY),
	ROW(P_KILLED, E_ONCE, once_down, STAY),
	ROW(P_KILLED, E_DOWN, want_down, STAY),
	ROW(P_KILLED, E_EXIT, want_exit, STAY),
	ROW(P_KILLED, E_PAUSE, pause_flag, STAY),
	ROW(P_KILLED, E_CONT, cont_flag, STAY),
	ROW(P_KILLED, E_NOT_READY, unready, STAY),
	/* FINISH_PENDING again after ./finish: */
	ROW(P_KILLED, E_EXITED, run_exited, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP) | TO(P_DRAIN_RUN)),
	/* timeout-kill after control/k, or timeout-finish: */
	ROW(P_KILLED, E_DEADLINE, kill_overdue, STAY),

	/* STAY with a deadline when the fork fails: */
	ROW(P_FINISH_PENDING, E_START, start_finish, STAY | TO(P_FINISH)),
	ROW(P_FINISH_PENDING, E_UP, want_up, STAY),
	ROW(P_FINISH_PENDING, E_ONCE, once_running, STAY),
	ROW(P_FINISH_PENDING, E_DOWN, want_down, STAY),
	ROW(P_FINISH_PENDING, E_EXIT, want_exit, STAY),
	ROW(P_FINISH_PENDING, E_KILL, kill_pending_finish, TO(P_DOWN)), /* ./finish never starts */
	ROW(P_FINISH_PENDING, E_PAUSE, pause_flag, STAY),
	ROW(P_FINISH_PENDING, E_CONT, cont_flag, STAY),
	ROW(P_FINISH_PENDING, E_DEADLINE, finish_retry, STAY), /* (the start step forks again) */

	ROW(P_FINISH, E_UP, want_up, STAY),
	ROW(P_FINISH, E_ONCE, once_running, STAY),
	ROW(P_FINISH, E_DOWN, want_down, STAY),
	ROW(P_FINISH, E_EXIT, want_exit, STAY),
	ROW(P_FINISH, E_KILL, kill_finish, TO(P_KILLED)),
	ROW(P_FINISH, E_PAUSE, pause_flag, STAY),
	ROW(P_FINISH, E_CONT, cont_flag, STAY),
	ROW(P_FINISH, E_EXITED, finish_exited, TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP) | TO(P_DRAIN_FINISH)),
	ROW(P_FINISH, E_DEADLINE, kill_overdue, STAY), /* timeout-finish: KILL */

	ROW(P_DRAIN_RUN, E_UP, want_up, STAY),
	ROW(P_DRAIN_RUN, E_ONCE, once_running, STAY),
	ROW(P_DRAIN_RUN, E_DOWN, drain_down, STAY), /* the stop signal again, to what is left */
	ROW(P_DRAIN_RUN, E_EXIT, drain_exit, STAY),
	ROW(P_DRAIN_RUN, E_TERM, drain_term, STAY),
	ROW(P_DRAIN_RUN, E_KILL, kill_leftovers, STAY),
	ROW(P_DRAIN_RUN, E_PAUSE, pause_flag, STAY),
	ROW(P_DRAIN_RUN, E_CONT, cont_flag, STAY),
	ROW(P_DRAIN_RUN, E_DEADLINE, kill_overdue, STAY), /* timeout-kill: KILL what is left */
	ROW(P_DRAIN_RUN, E_EMPTY, drained_run, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP)),

	ROW(P_DRAIN_FINISH, E_UP, want_up, STAY),
	ROW(P_DRAIN_FINISH, E_ONCE, once_running, STAY),
	ROW(P_DRAIN_FINISH, E_DOWN, drain_down, STAY),
	ROW(P_DRAIN_FINISH, E_EXIT, drain_exit, STAY),
	ROW(P_DRAIN_FINISH, E_TERM, drain_term, STAY),
	ROW(P_DRAIN_FINISH, E_KILL, kill_leftovers, STAY),
	ROW(P_DRAIN_FINISH, E_PAUSE, pause_flag, STAY),
	ROW(P_DRAIN_FINISH, E_CONT, cont_flag, STAY),
	ROW(P_DRAIN_FINISH, E_DEADLINE, kill_overdue, STAY),
	ROW(P_DRAIN_FINISH, E_EMPTY, drained_finish, TO(P_DOWN) | TO(P_HOLD) | ONESHOT_ENDS | TO(P_GAVE_UP)),

	ROW(P_DRAIN_OLD, E_UP, want_up, STAY),
	ROW(P_DRAIN_OLD, E_ONCE, once_down, STAY),
	ROW(P_DRAIN_OLD, E_DOWN, want_down, STAY),
	ROW(P_DRAIN_OLD, E_EXIT, exit_undrained, TO(P_DOWN)), /* runsv exits */
	ROW(P_DRAIN_OLD, E_KILL, kill_leftovers, STAY),
	ROW(P_DRAIN_OLD, E_PAUSE, pause_flag, STAY),
	ROW(P_DRAIN_OLD, E_CONT, cont_flag, STAY),
	ROW(P_DRAIN_OLD, E_DEADLINE, kill_overdue, STAY),
	ROW(P_DRAIN_OLD, E_EMPTY, drained_old, TO(P_DOWN)), /* the start step starts ./run */

	/* needs: the start step found needs not ready; E_NEEDS_MET when they are */
	/* DOWN: control/u runs first */
	ROW(P_WAIT_NEEDS, E_NEEDS_MET, needs_met, TO(P_STARTING) | TO(P_UP) | TO(P_HOLD) | TO(P_DRAIN_OLD) | TO(P_DOWN)),
	ROW(P_WAIT_NEEDS, E_UP, want_up, STAY),
	ROW(P_WAIT_NEEDS, E_ONCE, once_down, STAY),
	ROW(P_WAIT_NEEDS, E_DOWN, wait_down, TO(P_DOWN)),
	ROW(P_WAIT_NEEDS, E_EXIT, wait_exit, TO(P_DOWN)), /* runsv exits */
	ROW(P_WAIT_NEEDS, E_TERM, wait_again, TO(P_DOWN)), /* restart: needs read again */
	ROW(P_WAIT_NEEDS, E_PAUSE, pause_flag, STAY),
	ROW(P_WAIT_NEEDS, E_CONT, cont_flag, STAY),

	/* x while ./run runs and services that need it run: they stop first */
	ROW(P_WAIT_DEPS, E_NEEDS_MET, deps_stop, TO(P_STOPPING) | RUNNING), /* RUNNING: control/t */
	ROW(P_WAIT_DEPS, E_DEADLINE, deps_overdue, TO(P_STOPPING) | RUNNING),
	ROW(P_WAIT_DEPS, E_UP, deps_up, RUNNING),
	ROW(P_WAIT_DEPS, E_ONCE, once_running, STAY),
	ROW(P_WAIT_DEPS, E_DOWN, deps_down, TO(P_STOPPING) | RUNNING),
	ROW(P_WAIT_DEPS, E_EXIT, want_exit, STAY),
	ROW(P_WAIT_DEPS, E_TERM, deps_term, TO(P_STOPPING) | RUNNING),
	ROW(P_WAIT_DEPS, E_KILL, deps_kill, TO(P_KILLED) | RUNNING), /* RUNNING: control/k runs */
	ROW(P_WAIT_DEPS, E_PAUSE, pause_run, STAY),
	ROW(P_WAIT_DEPS, E_CONT, cont_run, STAY),
	ROW(P_WAIT_DEPS, E_SIGNAL, signal_run, STAY),
	ROW(P_WAIT_DEPS, E_SCRIPT_ENDED, resume_script, STAY), /* p, c or a signal's script */
	ROW(P_WAIT_DEPS, E_EXITED, deps_exited, TO(P_FINISH_PENDING) | TO(P_DOWN) | TO(P_HOLD) | TO(P_DRAIN_RUN) | ONESHOT_ENDS),

	/* oneshot: done, not restarted; t runs it again, d undoes it */
	ROW(P_DONE, E_UP, want_up, STAY),     /* done already: nothing to do */
	ROW(P_DONE, E_ONCE, oneshot_once, TO(P_DOWN)),
	ROW(P_DONE, E_TERM, oneshot_again, TO(P_DOWN)),
	ROW(P_DONE, E_DOWN, oneshot_undo, TO(P_DOWN) | TO(P_UNDO)),
	ROW(P_DONE, E_EXIT, want_exit, STAY), /* runsv exits; what was done stays */
	ROW(P_DONE, E_PAUSE, pause_flag, STAY),
	ROW(P_DONE, E_CONT, cont_flag, STAY),

	ROW(P_FAILED, E_UP, want_up, STAY),   /* runit's u: wanted up already, nothing to do */
	ROW(P_FAILED, E_ONCE, oneshot_once, TO(P_DOWN)),
	ROW(P_FAILED, E_TERM, oneshot_again, TO(P_DOWN)),
	ROW(P_FAILED, E_DOWN, oneshot_down, TO(P_DOWN)),
	ROW(P_FAILED, E_EXIT, want_exit, STAY),
	ROW(P_FAILED, E_PAUSE, pause_flag, STAY),
	ROW(P_FAILED, E_CONT, cont_flag, STAY),

	ROW(P_UNDO, E_EXITED, undone, TO(P_DOWN)),
	ROW(P_UNDO, E_DEADLINE, kill_overdue, STAY), /* timeout-kill: KILL ./stop */
	ROW(P_UNDO, E_KILL, kill_leftovers, STAY),
	ROW(P_UNDO, E_UP, want_up, STAY),     /* ./run starts again once ./stop ended */
	ROW(P_UNDO, E_ONCE, once_running, STAY),
	ROW(P_UNDO, E_DOWN, want_down, STAY),
	ROW(P_UNDO, E_EXIT, want_exit, STAY),
	ROW(P_UNDO, E_PAUSE, pause_flag, STAY),
	ROW(P_UNDO, E_CONT, cont_flag, STAY),

	ROW(P_GAVE_UP, E_UP, retry_up, TO(P_DOWN)),   /* the count cleared; the start step starts it */
	ROW(P_GAVE_UP, E_ONCE, retry_once, TO(P_DOWN)),
	ROW(P_GAVE_UP, E_DOWN, gave_up_down, TO(P_DOWN)),
	ROW(P_GAVE_UP, E_EXIT, gave_up_exit, TO(P_DOWN)),
	ROW(P_GAVE_UP, E_PAUSE, pause_flag, STAY),
	ROW(P_GAVE_UP, E_CONT, cont_flag, STAY),
};

phase_set phase_next(enum phase p, enum event e)
{
	const struct row *r = &transitions[p][e];
	phase_set next;

	if (!r->act)
		return TO(p);
	next = r->next & ~STAY;
	if (r->next & STAY)
		next |= TO(p);
	return next;
}

int phase_has_row(enum phase p, enum event e)
{
	return transitions[p][e].act != NULL;
}

void slot_dispatch(struct slot *s, enum event e, const struct event_ctx *ev)
{
	enum phase before = s->phase;
	const struct row *r;

	assert((unsigned)before < P_COUNT && (unsigned)e < E_COUNT);
	r = &transitions[before][e];
	if (!r->act)
		return;
	r->act(s, ev);
	/* A row that leads where its line does not say is a bug in the table. */
	assert(phase_next(before, e) & TO(s->phase));
}

/* The event a control byte is, or E_COUNT for bytes runsv ignores. */
static enum event control_event(const struct slot *s, int c)
{
	switch (c) {
	case CTL_UP: return E_UP;
	case CTL_ONCE: return E_ONCE;
	case CTL_DOWN: return E_DOWN;
	case CTL_EXIT: return s->is_log ? E_COUNT : E_EXIT; /* the log slot ignores x */
	case CTL_TERM: return E_TERM;
	case CTL_KILL: return E_KILL;
	case CTL_PAUSE: return E_PAUSE;
	case CTL_CONT: return E_CONT;
	default: return control_signal(c) ? E_SIGNAL : E_COUNT;
	}
}

int slot_command(struct slot *s, int c, struct event_ctx *ev)
{
	enum event e = control_event(s, c);

	if (s->ctl_byte)
		return 0; /* it waits for the script's end */
	if (e == E_COUNT)
		return 1;
	ev->byte = c;
	slot_dispatch(s, e, ev);
	return 1;
}

void slot_script_ended(struct slot *s, int ok, struct event_ctx *ev)
{
	ev->byte = s->ctl_byte;
	ev->script_ok = ok;
	ev->script_step = s->ctl_step;
	ev->script_sig = s->ctl_sig;
	s->ctl_byte = 0;
	s->ctl_step = CTL_STEP_NONE;
	s->ctl_sig = 0;
	slot_dispatch(s, E_SCRIPT_ENDED, ev);
}

void slot_record(const struct slot *s, struct sv_status *st)
{
	st->stamp = s->stamp;
	st->pid = (uint32_t)s->pid;
	st->paused = (unsigned char)s->paused;
	st->want = status_want_byte(s->want);
	st->term = (unsigned char)s->term;
	st->state = (unsigned char)phase_table[s->phase].disk;
}
