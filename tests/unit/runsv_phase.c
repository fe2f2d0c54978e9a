/* Unit tests for runsv_phase.c: the table's shape, and the main paths of a slot through it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "runsv_phase.h"
#include "fake_runsv.h"
#include "tap.h"

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
	fake.stop_signals = 0;
	slot_command(&s, CTL_DOWN, &ev);
	ok(s.phase == P_STOPPING && s.term && fake.first_signal == SIGTERM && fake.last_signal == SIGCONT &&
	    s.deadline == 10500, "d: TERM then CONT, stopping, timeout-kill's deadline");
	ev.ms = 10500;
	slot_dispatch(&s, E_DEADLINE, &ev);
	ok(fake.last_signal == SIGKILL && s.deadline == 0 && s.phase == P_STOPPING, "deadline: KILL, once");
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
	fake.custom_result = 1;
	slot_command(&s, CTL_TERM, &ev);
	ok(s.phase == P_UP && !s.term && s.ctl_byte == CTL_TERM, "control/t runs: t waits for it");
	ok(slot_command(&s, CTL_DOWN, &ev) == 0 && s.want == WANT_UP, "a byte meanwhile is not taken");
	slot_script_ended(&s, 1, &ev);
	ok(s.phase == P_UP && !s.term && !s.ctl_byte, "control/t exit 0: no TERM, still up");
	slot_command(&s, CTL_TERM, &ev);
	fake.stop_signals = 0;
	slot_script_ended(&s, 0, &ev);
	ok(s.phase == P_STOPPING && s.term && fake.stop_signals == 1, "control/t failed (or cut short): TERM");
	slot_command(&s, CTL_UP, &ev);
	slot_command(&s, CTL_KILL, &ev);
	ok(s.phase == P_STOPPING && s.ctl_byte == CTL_KILL, "control/k runs: k waits");
	fake.stop_signals = 0;
	slot_script_ended(&s, 1, &ev);
	ok(s.phase == P_KILLED && fake.stop_signals == 0, "control/k exit 0: no KILL, killed all the same");
	fake.custom_result = 0;
	s.info.kill = SVINFO_KILL_CGROUP;
	fake.tree_empty = 0;
	ev.ms += 5000;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_DRAIN_RUN && slot_draining(&s) && !slot_has_child(&s) && s.term,
	    "leftovers: draining, the ended child's record kept");
	fake.tree_empty = 1;
	slot_dispatch(&s, E_EMPTY, &ev);
	ok(s.phase == P_DOWN && s.pid == 0, "empty: down");
	fake.spawn_result = SPAWN_LEFTOVERS;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DRAIN_OLD && fake.reports > 0, "an earlier runsv's leftovers: drain-old");
	fake.spawn_result = 0;
	slot_dispatch(&s, E_EMPTY, &ev);
	fake.custom_result = 1;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DOWN && s.ctl_byte == CTL_UP, "drained: control/u runs first");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DOWN, "the start step waits for it");
	slot_script_ended(&s, 0, &ev);
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_UP && s.ctl_step == CTL_STEP_NONE, "control/u ended (its status ignored): ./run starts");
	fake.custom_result = 0;
}

int main(void)
{
	table_shape();
	run_and_stop();
	readiness_and_hold();
	custom_and_tree();
	return done_testing();
}
