/* Unit tests for needs.c (the needs file, cycles), needwait.c's waiting= text, svinfo's oneshot and waiting keys, and the phase rows of needs and oneshot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "control.h"
#include "needs.h"
#include "needwait.h"
#include "runsv_phase.h"
#include "svfile.h"
#include "svinfo.h"
#include "fake_runsv.h"
#include "tap.h"

static char root[] = "/tmp/rng-needs.XXXXXX";

static int names_are(const struct needs *l, const char *want)
{
	char got[512] = "";

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			strcat(got, ",");
		strcat(got, l->v[i].state == NEED_INVALID ? "!" : "");
		strcat(got, l->v[i].name);
	}
	if (strcmp(got, want))
		printf("#   got: '%s'\n#   expected: '%s'\n", got, want);
	return strcmp(got, want) == 0;
}

static void parsing(void)
{
	struct needs l = { 0 };
	const char *why = 0;
	const char file[] = "db\n# a comment\n\n   setup  \r\n\t#indented comment\n/srv/x\nlast";

	ok(needs_parse(&l, file, sizeof file - 1, &why) == 0, "a needs file parses");
	ok(names_are(&l, "db,setup,/srv/x,last"), "names, blanks trimmed, comments and empty lines skipped");
	ok(needs_parse(&l, "a b\n.\n..\nx/y\nok\nbad|bar\n", 24, &why) == 0 &&
	    names_are(&l, "!a b,!.,!..,!x/y,ok,!bad|bar"), "what is not a name is kept, invalid");
	ok(needs_parse(&l, "a\0b", 3, &why) < 0 && !strcmp(why, "holds a NUL byte"), "a NUL byte: invalid file");
	ok(needs_parse(&l, "", 0, &why) == 0 && l.n == 0, "empty: no needs");
	{
		size_t n = (NEEDS_MAX + 1) * 2;
		char *many = malloc(n);

		for (size_t i = 0; i < n; i += 2)
			many[i] = 'a', many[i + 1] = '\n';
		ok(needs_parse(&l, many, n, &why) < 0 && strstr(why, "more than"), "too many names");
		ok(needs_parse(&l, many, n - 2, &why) == 0 && l.n == NEEDS_MAX, "NEEDS_MAX names");
		free(many);
	}
	/* names survive the buffer moving as it grows */
	needs_free(&l);
	for (int i = 0; i < 300; i++)
		needs_add(&l, "a-rather-long-service-name-to-make-the-buffer-grow");
	ok(l.n == 300 && !strcmp(l.v[0].name, l.v[299].name) && l.v[0].name == l.buf, "names follow the buffer");
	needs_free(&l);
}

/* mksvc NAME NEEDS: a directory under root, with a needs file if needs. */
static void mksvc(const char *name, const char *needs)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, name);
	mkdir(path, 0755);
	if (!needs)
		return;
	snprintf(path, sizeof path, "%s/%s/needs", root, name);
	f = fopen(path, "w");
	fputs(needs, f);
	fclose(f);
}

static void cycles(void)
{
	char path[NEED_REASON_MAX], abs_need[256];
	struct needs l = { 0 };
	const char *why;
	int parent = open(root, O_RDONLY | O_DIRECTORY), fd;

	mksvc("app", "db\nsetup\n");
	mksvc("db", "setup\n");
	mksvc("setup", 0);
	ok(needs_cycle(parent, "app", path, sizeof path) == 0, "no cycle in app -> db, setup");
	mksvc("c1", "c2\n");
	mksvc("c2", "c1\n");
	ok(needs_cycle(parent, "c1", path, sizeof path) == 1, "a cycle of 2");
	is_str(path, "c1 -> c2 -> c1", "named");
	mksvc("d1", "d2\n");
	mksvc("d2", "setup\nd3\n");
	snprintf(abs_need, sizeof abs_need, "%s/d1\n", root);
	mksvc("d3", abs_need);
	ok(needs_cycle(parent, "d2", path, sizeof path) == 1, "a cycle of 3, through an absolute path");
	snprintf(abs_need, sizeof abs_need, "d2 -> d3 -> %s/d1 -> d2", root);
	is_str(path, abs_need, "named, as each needs file says");
	mksvc("self", "self\n");
	ok(needs_cycle(parent, "self", path, sizeof path) == 1 && !strcmp(path, "self -> self"),
	    "a service that needs itself");
	mksvc("outside", "c1\n");
	ok(needs_cycle(parent, "outside", path, sizeof path) == 0,
	    "a cycle it only leads to is not its own");
	mksvc("gap", "nosuch\n");
	ok(needs_cycle(parent, "gap", path, sizeof path) == 0, "a missing need is no cycle");
	fd = needs_open(parent, "app");
	ok(needs_read(&l, fd, &why) == SVFILE_OK && names_are(&l, "db,setup"), "needs_read");
	close(fd);
	fd = needs_open(parent, "setup");
	ok(needs_read(&l, fd, &why) == SVFILE_ABSENT && l.n == 0, "no needs file");
	close(fd);
	needs_free(&l);
	close(parent);
}

static void info_keys(void)
{
	struct svinfo in, out;
	struct svinfo_wait_entry e;
	char buf[SVINFO_MAX];
	const char *p;
	size_t n;

	memset(&in, 0, sizeof in);
	in.pid = 0;
	in.oneshot = SVINFO_ONESHOT_FAILED;
	in.waiting = 1;
	in.waiting_count = 2;
	strcpy(in.waiting_list, "db starting not ready yet|setup failed oneshot failed, exit 3");
	n = svinfo_format(buf, &in);
	buf[n] = 0;
	ok(strstr(buf, "\noneshot=failed\nwaiting_count=2\nwaiting=db starting not ready yet|setup failed oneshot failed, exit 3\n") != 0,
	    "the keys as documented");
	ok(svinfo_parse(buf, n, &out) == 0 && out.oneshot == SVINFO_ONESHOT_FAILED && out.waiting &&
	    out.waiting_count == 2 && !strcmp(out.waiting_list, in.waiting_list), "they round trip");
	p = out.waiting_list;
	ok(svinfo_wait_next(&p, &e) && e.name_len == 2 && !memcmp(e.name, "db", 2) &&
	    e.state_len == 8 && !memcmp(e.state, "starting", 8) && e.reason_len == 13, "first entry");
	ok(svinfo_wait_next(&p, &e) && e.reason_len == 22 && !memcmp(e.reason, "oneshot failed, exit 3", 22),
	    "second entry");
	ok(!svinfo_wait_next(&p, &e), "no third");
	in.waiting = 0;
	in.oneshot = SVINFO_ONESHOT_NONE;
	n = svinfo_format(buf, &in);
	ok(svinfo_parse(buf, n, &out) == 0 && !out.waiting && !out.waiting_list[0] && !out.oneshot,
	    "not waiting: empty values");
}

static void text(void)
{
	struct needwait w;
	char out[64];

	memset(&w, 0, sizeof w);
	w.self = "app";
	needs_add(&w.list, "db");
	needs_add(&w.list, "ok");
	needs_add(&w.list, "bad name");
	needs_add(&w.list, "setup");
	w.list.v[0].state = NEED_STARTING;
	strcpy(w.list.v[0].reason, "not ready yet");
	w.list.v[1].state = NEED_READY;
	w.list.v[3].state = NEED_MISSING;
	strcpy(w.list.v[3].reason, "no such service");
	needwait_text(&w, out, sizeof out);
	is_str(out, "db starting not ready yet|? invalid not a service name", "what fits of the needs not ready, in file order");
	needs_free(&w.list);
}

/* The phase rows, with fake effects. */
static void rows(void)
{
	struct event_ctx ev;
	struct slot s;

	fresh(&s, &ev);
	fake.needs_result = 1;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_WAIT_NEEDS && !s.pid && phase_disk_state(s.phase) == SV_DOWN,
	    "needs not ready: waiting, down in runit's bytes");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_WAIT_NEEDS, "the start step starts nothing meanwhile");
	slot_dispatch(&s, E_NEEDS_MET, &ev);
	ok(s.phase == P_UP && s.pid && fake.needs_ended == 1, "needs met: ./run starts");
	/* x with dependents: they stop first */
	slot_command(&s, CTL_EXIT, &ev);
	ok(s.phase == P_WAIT_DEPS && s.want == WANT_EXIT && !s.term &&
	    s.deadline == ev.ms + NEEDS_STOP_WAIT_MS, "x: waits for the dependents, bounded");
	slot_dispatch(&s, E_NEEDS_MET, &ev);
	ok(s.phase == P_STOPPING && s.term, "they stopped: the stop signal");
	fresh(&s, &ev);
	fake.needs_result = 1;
	slot_dispatch(&s, E_START, &ev);
	fake.needs_result = 0;
	slot_dispatch(&s, E_NEEDS_MET, &ev);
	fake.needs_result = 1;
	slot_command(&s, CTL_EXIT, &ev);
	ev.ms += NEEDS_STOP_WAIT_MS;
	slot_dispatch(&s, E_DEADLINE, &ev);
	ok(s.phase == P_STOPPING, "dependents that do not stop: stopped anyway at the bound");
	fresh(&s, &ev);
	slot_dispatch(&s, E_START, &ev);
	slot_command(&s, CTL_DOWN, &ev);
	ok(s.phase == P_DOWN && s.want == WANT_DOWN, "d while waiting: the wait is given up");

	/* oneshot */
	fresh(&s, &ev);
	fake.needs_result = 0;
	s.cfg.oneshot = 1;
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_UP && s.oneshot_run == ONESHOT_RUNS, "a oneshot runs");
	ev.wstat = 0;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_DONE && s.info.oneshot == SVINFO_ONESHOT_DONE && !s.deadline,
	    "exit 0: done, no 1-second hold");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_DONE, "done: not restarted");
	slot_command(&s, CTL_UP, &ev);
	ok(s.phase == P_DONE, "u: nothing to do");
	slot_command(&s, CTL_TERM, &ev);
	ok(s.phase == P_DOWN && !s.info.oneshot, "t (restart): runs again");
	slot_dispatch(&s, E_START, &ev);
	ev.wstat = 3 << 8;
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_FAILED && s.info.oneshot == SVINFO_ONESHOT_FAILED && s.info.exit_value == 3,
	    "exit 3: failed");
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_FAILED, "failed: not restarted");
	slot_command(&s, CTL_UP, &ev);
	ok(s.phase == P_FAILED, "u: wanted up already, nothing to do");
	slot_command(&s, CTL_TERM, &ev);
	ok(s.phase == P_DOWN, "t: one new attempt");
	slot_dispatch(&s, E_START, &ev);
	ev.wstat = 0;
	slot_dispatch(&s, E_EXITED, &ev);
	fake.undo_result = 1;
	slot_command(&s, CTL_DOWN, &ev);
	ok(s.phase == P_UNDO && fake.spawned_stop == 1 && s.want == WANT_DOWN && !s.info.oneshot &&
	    phase_disk_state(s.phase) == SV_FINISH, "d of a done oneshot: ./stop runs");
	slot_dispatch(&s, E_EXITED, &ev);
	ok(s.phase == P_DOWN && !s.pid && s.info.exit_kind == SVINFO_EXIT_CODE, "./stop ended: down");
	slot_command(&s, CTL_UP, &ev);
	slot_dispatch(&s, E_START, &ev);
	ok(s.phase == P_UP, "u: ./run again");
	slot_command(&s, CTL_DOWN, &ev);
	slot_dispatch(&s, E_EXITED, &ev);
	ok((s.phase == P_DOWN || s.phase == P_HOLD) && !s.info.oneshot, "stopped by d: neither done nor failed");
}

int main(void)
{
	char cmd[64];

	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	parsing();
	cycles();
	info_keys();
	text();
	rows();
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return done_testing();
}
