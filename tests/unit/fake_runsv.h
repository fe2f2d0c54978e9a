/* fake_runsv.h: the unit tests' stand-in for runsv's effects (a table that only counts and answers as told) and a fresh slot to drive through runsv_phase's rows. */
#ifndef RNG_FAKE_RUNSV_H
#define RNG_FAKE_RUNSV_H
#include <string.h>

#include "runsv_phase.h"

/* What the fake effects saw, and what they answer; a test sets the answers. */
static struct {
	int updates, reports, stop_signals, spawned_stop, needs_ended;
	int first_signal, last_signal; /* of the stop signals; last_signal of any */
	int custom_result; /* a control/X script: 1 it runs, 0 there is none */
	int tree_empty;    /* 1 nothing of the service is left */
	int needs_result;  /* needs_begin: 1 a wait starts */
	int undo_result;   /* a oneshot's ./stop: 1 there is one */
	pid_t spawn_result; /* what spawn returns; 0: the next of 100, 101, ... */
	pid_t next_pid;
} fake = { .tree_empty = 1, .next_pid = 100 };

static void fake_update(struct slot *s) { (void)s; fake.updates++; }
static void fake_signal(struct slot *s, int sig) { (void)s; fake.last_signal = sig; }
static void fake_stop_signal(struct slot *s, int sig)
{
	(void)s;
	if (!fake.stop_signals++)
		fake.first_signal = sig;
	fake.last_signal = sig;
}
static void fake_info(struct slot *s) { (void)s; }
static void fake_report(struct slot *s, int what) { (void)s; (void)what; fake.reports++; }
static int fake_custom(struct slot *s, int c) { (void)s; (void)c; return fake.custom_result; }
static int fake_finish(void) { return 0; }
static pid_t fake_spawn(struct slot *s, int which)
{
	(void)s;
	fake.spawned_stop += which == SPAWN_STOP;
	return fake.spawn_result ? fake.spawn_result : fake.next_pid++;
}
static int fake_tree_empty(struct slot *s) { (void)s; return fake.tree_empty; }
static int fake_needs_begin(struct slot *s, int mode) { (void)s; (void)mode; return fake.needs_result; }
static void fake_needs_end(struct slot *s) { (void)s; fake.needs_ended++; }
static int fake_undo(void) { return fake.undo_result; }

static const struct effects fake_effects = {
	fake_update, fake_signal, fake_stop_signal, fake_info, fake_report,
	fake_custom, fake_finish, fake_spawn, fake_tree_empty,
	fake_needs_begin, fake_needs_end, fake_undo,
};

/* A slot wanted up that has never run, its clock at 10 s, past the 1-second hold. */
static void fresh(struct slot *s, struct event_ctx *ev)
{
	memset(s, 0, sizeof *s);
	memset(ev, 0, sizeof *ev);
	ev->fx = &fake_effects;
	ev->ms = 10000;
	s->dir = "supervise";
	s->prefix = "";
	s->want = WANT_UP;
	s->run_ms = -RESTART_RUNIT_HOLD_MS;
}
#endif
