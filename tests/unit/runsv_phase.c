/* Unit tests for runsv_phase.c: the table's shape, and the main paths of a slot through it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "runsv_phase.h"
#include "tap.h"

static int updates, stop_signals, first_signal, last_signal, reports, custom_result, tree_empty = 1;
static pid_t spawn_result = 100;

static void fake_update(struct slot *s) { (void)s; updates++; }
static void fake_signal(struct slot *s, int sig) { (void)s; last_signal = sig; }
static void fake_stop_signal(struct slot *s, int sig)
{
	(void)s;
	if (!stop_signals++)
		first_signal = sig;
	last_signal = sig;
}
static void fake_info(struct slot *s) { (void)s; }
static void fake_report(struct slot *s, int what) { (void)s; (void)what; reports++; }
static int fake_custom(struct slot *s, int c) { (void)s; (void)c; return custom_result; }
static int fake_finish(void) { return 0; }
static pid_t fake_spawn(struct slot *s, int finish) { (void)s; (void)finish; return spawn_result; }
static int fake_tree_empty(struct slot *s) { (void)s; return tree_empty; }

static int needs_result; /* what needs_begin answers: 1 a wait starts */
static int needs_ended;
static int undo_result;
static int fake_needs_begin(struct slot *s, int mode) { (void)s; (void)mode; return needs_result; }
static void fake_needs_end(struct slot *s) { (void)s; needs_ended++; }
static int fake_undo(void) { return undo_result; }

static const struct effects fake = {
	fake_update, fake_signal, fake_stop_signal, fake_info, fake_report,
	fake_custom, fake_finish, fake_spawn, fake_tree_empty,
	fake_needs_begin, fake_needs_end, fake_undo,
};

static void fresh(struct slot *s, struct event_ctx *ev)
{
	memset(s, 0, sizeof *s);
	memset(ev, 0, sizeof *ev);
	ev->fx = &fake;
	ev->ms = 10000;
	s->dir = "supervise";
	s->prefix = "";
	s->want = WANT_UP;
	s->run_ms = -RESTART_RUNIT_HOLD_MS;
}

static void table_shape(void)
{
	int bad_name = 0, bad_want = 0, bad_next = 0, names_unique = 1;

	for (int p = 0; p < P_COUNT; p++) {
		if (!strcmp(phase_name((enum phase)p), "?"))
			bad_name++;
		for (int q = 0; q < p; q++)
			if (!strcmp(phase_name((enum phase)p), phase_name((enum phase)q)))
				names_unique = 0;
		/* Every phase takes the want changes: sv up/down/exit are never lost. */
		if (!phase_has_row((enum phase)p, E_UP) || !phase_has_row((enum phase)p, E_DOWN) ||
		    !phase_has_row((enum phase)p, E_EXIT) || !phase_has_row((enum phase)p, E_ONCE))
			bad_want++;
		for (int e = 0; e < E_COUNT; e++) {
			phase_set n = phase_next((enum phase)p, (enum event)e);
			if (!n || n >> P_COUNT)
				bad_next++;
			if (!phase_has_row((enum phase)p, (enum event)e) && n != TO(p))
				bad_next++;
		}
	}
	ok(bad_name == 0 && names_unique, "every phase has a name of its own");
	ok(bad_want == 0, "every phase takes u, o, d and x");
	ok(bad_next == 0, "every row leads to phases that exist; no row, no change");
	ok(phase_disk_state(P_KILLED) == SV_DOWN && phase_disk_state(P_STOPPING) == SV_RUN &&
	    phase_disk_state(P_DRAIN_FINISH) == SV_FINISH, "state bytes as runit writes them");
	ok(!(phase_next(P_HOLD, E_DEADLINE) & TO(P_HOLD)), "a row without STAY must leave its phase");
}

static void run_and_stop(void)
{
	struct slot s;
	struct event_ctx ev;

	fresh(&s, &ev);
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_UP && s.pid == 100 && slot_has_child(&s), "start: up, with a child");
	s.cfg.kill_ms = 500;
	stop_signals = 0;
	slot_command(&s, CTL_DOWN, &ev);
	ok(s.phase == P_STOPPING && s.term && first_signal == SIGTERM && last_signal == SIGCONT &&
	    s.deadline == 10500, "d: TERM then CONT, stopping, timeout-kill's deadline");
	ev.ms = 10500;
	slot_dispatch(&s, E_DEADLINE, &ev);
	ok(last_signal == SIGKILL && s.deadline == 0 && s.phase == P_STOPPING, "deadline: KILL, once");
	ev.ms = 12000;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_DOWN && s.pid == 0 && !s.term, "reaped: down");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DOWN, "wanted down: the start step starts nothing");
}

static void readiness_and_hold(void)
{
	struct slot s;
	struct event_ctx ev;

	fresh(&s, &ev);
	s.info.readiness = SVINFO_READY_NOTIFY;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_STARTING && !s.info.ready, "declares readiness: starting");
	slot_dispatch(&s, E_READY, &ev);
	ok(s.phase == P_UP && s.info.ready, "READY=1: up");
	slot_dispatch(&s, E_NOT_READY, &ev);
	ok(s.phase == P_STARTING && !s.info.ready, "RELOADING=1: starting again");
	ev.ms += 10;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_HOLD && s.deadline == ev.ms + RESTART_RUNIT_HOLD_MS, "quick exit: held a second");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_HOLD, "held: the start step waits");
	slot_dispatch(&s, E_DEADLINE, &ev);
	ok(s.phase == P_DOWN && !s.deadline, "deadline: down, the start step may start");
}

static void custom_and_tree(void)
{
	struct slot s;
	struct event_ctx ev;

	fresh(&s, &ev);
	slot_dispatch(&s, E_START, &ev);
	custom_result = 1;
	slot_command(&s, CTL_TERM, &ev);
	ok(s.phase == P_UP && !s.term && s.ctl_byte == CTL_TERM, "control/t runs: t waits for it");
	ok(slot_command(&s, CTL_DOWN, &ev) == 0 && s.want == WANT_UP, "a byte meanwhile is not taken");
	slot_script_ended(&s, 1, &ev);
	ok(s.phase == P_UP && !s.term && !s.ctl_byte, "control/t exit 0: no TERM, still up");
	slot_command(&s, CTL_TERM, &ev);
	stop_signals = 0;
	slot_script_ended(&s, 0, &ev);
	ok(s.phase == P_STOPPING && s.term && stop_signals == 1, "control/t failed (or cut short): TERM");
	slot_command(&s, CTL_UP, &ev);
	slot_command(&s, CTL_KILL, &ev);
	ok(s.phase == P_STOPPING && s.ctl_byte == CTL_KILL, "control/k runs: k waits");
	stop_signals = 0;
	slot_script_ended(&s, 1, &ev);
	ok(s.phase == P_KILLED && stop_signals == 0, "control/k exit 0: no KILL, killed all the same");
	custom_result = 0;
	s.info.kill = SVINFO_KILL_CGROUP;
	tree_empty = 0;
	ev.ms += 5000;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_DRAIN_RUN && slot_draining(&s) && !slot_has_child(&s) && s.term,
	    "leftovers: draining, the ended child's record kept");
	tree_empty = 1;
	slot_dispatch(&s, E_EMPTY, &ev);
	ok(s.phase == P_DOWN && s.pid == 0, "empty: down");
	spawn_result = SPAWN_LEFTOVERS;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DRAIN_OLD && reports > 0, "an earlier runsv's leftovers: drain-old");
	spawn_result = 100;
	slot_dispatch(&s, E_EMPTY, &ev);
	custom_result = 1;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DOWN && s.ctl_byte == CTL_UP, "drained: control/u runs first");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DOWN, "the start step waits for it");
	slot_script_ended(&s, 0, &ev);
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_UP && s.ctl_step == CTL_STEP_NONE, "control/u ended (its status ignored): ./run starts");
	custom_result = 0;
}

int main(void)
{
	table_shape();
	run_and_stop();
	readiness_and_hold();
	custom_and_tree();
	return done_testing();
}
