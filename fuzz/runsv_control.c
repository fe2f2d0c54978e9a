/* runsv_control.c: fuzzes runsv's per-slot state machine (runsv_phase.c) with control bytes, child exits, deadlines and starts. */
#include <assert.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "runsv_phase.h"
#include "status.h"
#include "tai.h"

static const uint8_t *in;
static size_t in_left;
static pid_t next_pid = 100;
static int signalled;

static unsigned take(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static void check(const struct slot *s)
{
	unsigned char rec[STATUS_SIZE];
	struct sv_status st, back;
	char line[STAT_LINE_MAX];
	size_t len;

	assert(s->phase < P_COUNT);
	/* Phases with a child have one, phases without have none. */
	switch (s->phase) {
	case P_DOWN:
	case P_HOLD:
		assert(s->pid == 0 && !s->term);
		break;
	case P_GAVE_UP: /* runsv gave up: nothing runs, nothing is wanted */
		assert(s->pid == 0 && !s->term && s->want == WANT_DOWN && !s->deadline);
		assert(s->hist.gave_up >= 1);
		break;
	case P_STARTING:
		assert(s->info.readiness != SVINFO_READY_NONE && !s->info.ready);
		assert(s->pid != 0 && !s->child_is_finish);
		break;
	case P_UP:
		assert(s->info.readiness == SVINFO_READY_NONE || s->info.ready);
		/* fall through */
	case P_STOPPING:
	case P_KILLED:
		assert(s->pid != 0);
		break;
	case P_FINISH_PENDING:
		assert(!s->is_log);
		assert(s->pid == 0 && !s->term && !s->child_is_finish);
		break;
	case P_FINISH:
		assert(!s->is_log);
		assert(s->pid != 0 && s->child_is_finish);
		break;
	case P_DRAIN_RUN:
	case P_DRAIN_FINISH:
		assert(s->pid != 0 && (s->info.kill != SVINFO_KILL_PROCESS || s->info.main_pid));
		assert(!slot_has_child(s) && (s->phase == P_DRAIN_FINISH) == !s->term);
		assert(s->phase == P_DRAIN_RUN || !s->is_log);
		break;
	case P_DRAIN_OLD:
		assert(s->pid == 0 && s->info.kill == SVINFO_KILL_CGROUP && !s->term);
		break;
	case P_WAIT_NEEDS:
		assert(!s->is_log && s->pid == 0 && !s->term);
		break;
	case P_WAIT_DEPS:
		assert(!s->is_log && slot_has_child(s) && !s->child_is_finish && !s->term);
		break;
	case P_DONE:
	case P_FAILED:
		assert(!s->is_log && s->pid == 0 && s->cfg.oneshot);
		assert(s->info.oneshot == (s->phase == P_DONE ? SVINFO_ONESHOT_DONE : SVINFO_ONESHOT_FAILED));
		break;
	case P_UNDO:
		assert(!s->is_log && s->pid != 0 && s->child_is_stop && s->child_is_finish);
		break;
	default:
		break;
	}
	assert(s->phase != P_HOLD || s->deadline != 0);
	assert(s->phase != P_STOPPING || s->term);
	/* Timers: a deadline only where the phase has a use for one. */
	assert(!s->deadline || s->phase == P_HOLD || s->phase == P_STOPPING ||
	    s->phase == P_FINISH_PENDING || s->phase == P_FINISH || s->phase == P_KILLED ||
	    s->phase == P_WAIT_DEPS || s->phase == P_UNDO || slot_draining(s) ||
	    ((s->phase == P_STARTING || s->phase == P_UP) && s->cfg.watchdog_ms));
	/* The watchdog is suspended while paused. */
	assert(!s->paused || (s->phase != P_STARTING && s->phase != P_UP) || !s->deadline);
	/* Readiness belongs to a running ./run. */
	assert(!s->info.ready || (s->pid && !s->child_is_finish));
	assert(s->phase != P_STOPPING || !s->deadline || s->cfg.kill_ms);
	assert(!s->child_is_finish || s->pid != 0);
	/* control/ scripts are the main slot's; a byte waits for one alone,
	 * and control/u's end is remembered by no slot but a down one. */
	assert(!s->ctl_byte || !s->is_log);
	assert(!s->ctl_byte == (s->ctl_step == CTL_STEP_NONE || s->ctl_step == CTL_STEP_UP_DONE));
	slot_record(s, &st);
	assert(st.state == SV_DOWN || st.state == SV_RUN || st.state == SV_FINISH);
	status_pack(rec, &st);
	status_unpack(rec, &back);
	assert(st.stamp.sec == back.stamp.sec && st.stamp.nano == back.stamp.nano);
	assert(back.pid == (uint32_t)s->pid && back.paused == s->paused &&
	    back.term == s->term && back.state == phase_disk_state(s->phase));
	assert((back.want == 'u') == (s->want == WANT_UP));
	assert(rec[19] <= 2 && rec[16] <= 1 && rec[18] <= 1);
	assert(phase_name(s->phase)[0] != '?');
	len = status_stat_line(line, phase_disk_state(s->phase), s->paused, s->term, s->want);
	assert(len < STAT_LINE_MAX && line[len - 1] == '\n');
	assert(s->info.exit_kind != SVINFO_EXIT_SIGNAL || s->info.exit_value > 0);
}

/* One event, and the table's word on where it may lead (slot_dispatch
 * asserts it too; a build with NDEBUG would not). */
static void step(struct slot *s, enum event e, const struct event_ctx *ev)
{
	enum phase before = s->phase;

	slot_dispatch(s, e, ev);
	assert(phase_next(before, e) & TO(s->phase));
	assert(phase_has_row(before, e) || s->phase == before);
}

/* A control byte: slot_command's event, checked the same way. */
static void command(struct slot *s, int c, struct event_ctx *ev)
{
	enum phase before = s->phase;
	enum sv_want want = s->want;
	int waiting = s->ctl_byte != 0;

	if (!slot_command(s, c, ev)) {
		/* a control/ script runs: the byte stays in the FIFO */
		assert(waiting && s->phase == before && s->want == want);
		return;
	}
	assert(!waiting);
	assert(s->phase == before || control_known(c));
}

/* The control/ script ended (ok: exit 0), or was cut short (SIGTERM,
 * its bound): the byte's action resumes, checked as any event. */
static void script_ended(struct slot *s, struct event_ctx *ev, int ok)
{
	enum phase before = s->phase;

	slot_script_ended(s, ok, ev);
	assert(s->ctl_byte == 0 || s->ctl_step != CTL_STEP_UP);
	assert(phase_next(before, E_SCRIPT_ENDED) & TO(s->phase));
	assert(phase_has_row(before, E_SCRIPT_ENDED) || s->phase == before);
}

static void fake_update(struct slot *s) { check(s); }

static void fake_signal(struct slot *s, int sig)
{
	assert(slot_has_child(s));
	assert(sig > 0 && sig < 65);
	signalled++;
}

static void fake_stop_signal(struct slot *s, int sig)
{
	/* A child, or with kill-tree (or a MAINPID) what it left. */
	assert(slot_has_child(s) || s->info.kill != SVINFO_KILL_PROCESS || s->info.main_pid);
	assert(sig > 0 && sig < 65);
	signalled++;
}

static void fake_info(struct slot *s) { check(s); }

static void fake_report(struct slot *s, int what)
{
	switch (what) {
	case R_FINISH_TIMEOUT:
		assert(s->child_is_finish);
		/* fall through */
	case R_KILL_TIMEOUT:
	case R_WATCHDOG_SILENT:
	case R_WATCHDOG_TRIGGER:
		assert(slot_has_child(s));
		break;
	case R_DEPS_TIMEOUT:
		assert(slot_has_child(s) && !s->is_log);
		break;
	case R_LEFTOVERS:
	case R_TREE_TIMEOUT:
		assert(s->info.kill != SVINFO_KILL_PROCESS || s->info.main_pid);
		break;
	case R_OLD_LEFTOVERS:
		assert(s->info.kill != SVINFO_KILL_PROCESS);
		break;
	case R_GAVE_UP:
		assert(!s->pid && s->phase == P_GAVE_UP && s->hist.gave_up >= 1);
		break;
	default:
		assert(!"an unknown report");
	}
}

static int fake_custom(struct slot *s, int c)
{
	assert(control_known(c));
	return !s->is_log && (take() & 1);
}

static int fake_finish(void) { return take() & 1; }

static int fake_tree_empty(struct slot *s)
{
	if (s->info.kill == SVINFO_KILL_PROCESS && !s->info.main_pid)
		return 1; /* as the real one: the child was all there was */
	if (take() & 1)
		return 0;
	s->info.main_pid = 0; /* (the real loop hears of its end first) */
	return 1;
}

/* Each start reads the service's files: any of them may be there. */
static pid_t fake_spawn(struct slot *s, int finish)
{
	unsigned files = take();

	assert(!slot_has_child(s));
	assert(!finish || !s->is_log);
	if (!finish) {
		s->cfg.kill_ms = files & 1 ? take() * 10 + 1 : 0;
		s->cfg.down_signal = files & 2 ? SIGHUP : 0;
		s->cfg.notification_fd = files & 8 ? 3 : 0;
		s->cfg.notify = (files & 16) != 0;
		s->cfg.oneshot = !s->is_log && (files & 128) != 0;
		s->cfg.watchdog_ms = s->cfg.notify && (files & 32) ? take() * 10 + 1 : 0;
		s->info.readiness = s->cfg.notify ? SVINFO_READY_NOTIFY :
		    s->cfg.notification_fd ? SVINFO_READY_FD : SVINFO_READY_NONE;
		s->info.kill = (enum svinfo_kill)(files >> 6 & 3) % 3;
		/* A MAINPID other than ./run, named at some point of the run. */
		s->info.main_pid = take() & 1 ? (uint32_t)next_pid + 1000 : 0;
		{ /* the restart policy's files */
			unsigned pol = take();
			memset(&s->pol, 0, sizeof s->pol);
			s->pol.mode = (enum restart_mode)(pol % 3);
			s->pol.files = (pol & 4) != 0;
			if (pol & 8) {
				s->pol.delay_min = take() + 1;
				s->pol.delay_max = s->pol.delay_min * (take() % 8 + 1);
			}
			if (pol & 16) {
				s->pol.limit_n = take() % RESTART_LIMIT_MAX + 1;
				s->pol.limit_ms = (take() % 30 + 1) * 1000UL;
			}
		}
		if (s->info.kill == SVINFO_KILL_CGROUP && take() % 8 == 0)
			return SPAWN_LEFTOVERS;
	}
	s->cfg.finish_ms = files & 4 ? take() * 10 + 1 : 0;
	return take() % 16 == 0 ? -1 : next_pid++;
}

/* needs: a wait starts, or there is nothing to wait for. */
static int fake_needs_begin(struct slot *s, int mode)
{
	assert(!s->is_log);
	assert(mode == NEEDS_UP ? !slot_has_child(s) : slot_has_child(s));
	return take() & 1;
}

static void fake_needs_end(struct slot *s) { assert(!s->is_log); }

static const struct effects fake = {
	fake_update, fake_signal, fake_stop_signal, fake_info, fake_report,
	fake_custom, fake_finish, fake_spawn, fake_tree_empty,
	fake_needs_begin, fake_needs_end, fake_finish,
};

/* The loop only hears readiness from a running ./run's pipe or socket. */
static int run_has_readiness(const struct slot *s)
{
	return slot_has_child(s) && !s->child_is_finish &&
	    s->info.readiness != SVINFO_READY_NONE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char bytes[] = "udoxtkpcahiq12\n\0";
	struct slot slots[2];
	struct event_ctx ev = { .fx = &fake, .now = { TAI_OFFSET + 1700000000, 500 } };
	int i;

	in = data;
	in_left = size;
	memset(slots, 0, sizeof slots);
	for (i = 0; i < 2; i++) {
		slots[i].dir = i ? "log/supervise" : "supervise";
		slots[i].is_log = i;
		slots[i].want = take() & 1 ? WANT_DOWN : WANT_UP;
		slots[i].run_ms = -RESTART_RUNIT_HOLD_MS;
		slots[i].stamp = ev.now;
	}
	while (in_left) {
		unsigned op = take();
		struct slot *s = &slots[op & 1];

		switch ((op >> 1) % 9) {
		case 0: /* a control byte */
			command(s, bytes[take() % (sizeof bytes - 1)], &ev);
			break;
		case 1: /* the child exits */
			if (slot_has_child(s)) {
				ev.wstat = (int)take() << (take() & 1 ? 8 : 0);
				step(s, E_EXITED, &ev);
			}
			break;
		case 2: /* the loop's deadline and start steps */
			if (s->deadline && ev.ms >= s->deadline)
				step(s, E_DEADLINE, &ev);
			/* Held slots, and a ./finish whose fork failed, never
			 * start before their deadline. */
			if (s->phase == P_HOLD || (s->phase == P_FINISH_PENDING && s->deadline)) {
				enum phase before = s->phase;
				step(s, E_START, &ev);
				assert(s->pid == 0 && s->phase == before);
			} else
				step(s, E_START, &ev);
			/* The start step leaves no ./finish pending without a
			 * deadline: it started, or its fork failed. */
			assert(s->phase != P_FINISH_PENDING || s->deadline);
			break;
		case 3: /* time passes */
			ev.ms += take() * 10;
			ev.now.sec += take() % 3;
			break;
		case 4: /* readiness: the pipe's newline, or a datagram's fields */
			if (run_has_readiness(s))
				step(s, E_READY + take() % 4, &ev);
			break;
		case 5: /* kill-tree: the tree became empty */
			if (s->info.kill != SVINFO_KILL_PROCESS)
				step(s, E_EMPTY, &ev);
			break;
		case 6: /* needs: all ready, or the dependents stopped */
			if (s->phase == P_WAIT_NEEDS || s->phase == P_WAIT_DEPS)
				step(s, E_NEEDS_MET, &ev);
			break;
		case 7: /* kill-tree: a previous runsv's processes, found at start */
			if (s->phase == P_DOWN && !s->pid && s->info.kill == SVINFO_KILL_CGROUP)
				step(s, E_OLD_LEFTOVERS, &ev);
			break;
		case 8: /* the control/ script ended */
			if (s->ctl_byte)
				script_ended(s, &ev, take() & 1);
			break;
		}
		check(&slots[0]);
		check(&slots[1]);
	}
	return 0;
}
