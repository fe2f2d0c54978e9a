/* Unit tests for svwait.c: the per-letter tests, the settle rule, /proc liveness, the ./check back-off. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "svwait.h"
#include "tap.h"

static enum svwait_proc seen;
static int looks;

static enum svwait_proc fake_look(uint32_t pid)
{
	(void)pid;
	looks++;
	return seen;
}

static int started_answer, started_calls;

static int fake_started(void *arg)
{
	(void)arg;
	started_calls++;
	return started_answer;
}

/* A record stamped at base + ms. */
static struct sv_status rec(const struct tain *base, long ms, uint32_t pid, char want,
    int term, int state)
{
	struct sv_status st = { *base, pid, 0, (unsigned char)want, (unsigned char)term,
		(unsigned char)state };
	int64_t nano = (int64_t)st.stamp.nano + ms * 1000000;

	while (nano < 0) {
		nano += 1000000000;
		st.stamp.sec--;
	}
	st.stamp.sec += (uint64_t)(nano / 1000000000);
	st.stamp.nano = (uint32_t)(nano % 1000000000);
	return st;
}

static int reached(const char *ctl, const struct sv_status *st, const struct tain *sent)
{
	struct svwait_view v = { st, sent, fake_started, 0, 0 };

	started_calls = 0;
	return svwait_reached(ctl, &v);
}

int main(void)
{
	struct svwait_settle s = { 0 };
	struct svinfo info = { 0 };
	struct sv_status st;
	struct tain now, sent;
	long wait;
	pid_t child;
	unsigned b;

	/* /proc */
	ok(svwait_proc((uint32_t)getpid()) == SVWAIT_ALIVE, "this process is alive");
	ok(svwait_proc(0) == SVWAIT_UNSEEN, "pid 0 is nobody");
	child = fork();
	if (child == 0)
		_exit(0);
	while (svwait_proc((uint32_t)child) == SVWAIT_ALIVE)
		usleep(1000);
	ok(svwait_proc((uint32_t)child) == SVWAIT_DEAD, "an unreaped child is dead, not alive");
	waitpid(child, 0, 0);
	ok(svwait_proc((uint32_t)child) == SVWAIT_UNSEEN, "a reaped child is unseen");

	/* which rule */
	ok(svwait_rule(0, 0) == SVWAIT_BY_SETTLE, "no info, no check: settle");
	ok(svwait_rule(0, 1) == SVWAIT_BY_CHECK, "no info, check: check");
	ok(svwait_rule(&info, 0) == SVWAIT_BY_SETTLE, "info without readiness: settle");
	info.readiness = SVINFO_READY_FD;
	ok(svwait_rule(&info, 1) == SVWAIT_BY_READINESS, "readiness wins over check");

	/* settle: a record 100 ms old is due in 320 ms */
	tain_from_unix(&now, 1764502345, 500000);
	st = rec(&now, -100, 77, 'u', 0, SV_RUN);
	seen = SVWAIT_ALIVE;
	looks = 0;
	ok(svwait_settled(&s, &st, &now, 1000, fake_look, &wait) == 0 && wait == 320,
	    "100 ms old: not settled, look again in 320 ms (%ld)", wait);
	ok(looks == 1, "one /proc look at first sight: the pid runs");
	ok(svwait_settled(&s, &st, &now, 1319, fake_look, &wait) == 0 && wait == 1,
	    "1 ms early: not settled");
	ok(looks == 1, "no more looks until it is due");
	ok(svwait_settled(&s, &st, &now, 1320, fake_look, &wait) == 1, "due and alive: settled");
	seen = SVWAIT_DEAD;
	ok(svwait_settled(&s, &st, &now, 1320, fake_look, &wait) == 0 && wait == -1,
	    "due but a zombie: not settled, wait for the next record");
	seen = SVWAIT_UNSEEN;
	ok(svwait_settled(&s, &st, &now, 1320, fake_look, &wait) == 0 && wait == -1,
	    "due, seen running before and gone now: reaped, wait for the next record");
	ok(svwait_settled(&s, &st, &now, 1320 + 10 * SVWAIT_REAP_MS, fake_look, &wait) == 0 && wait == -1,
	    "however long runsv takes to write it");

	/* a pid never seen (hidepid, another pid namespace): only the record can tell */
	st = rec(&now, -100, 76, 'u', 0, SV_RUN);
	ok(svwait_settled(&s, &st, &now, 2000, fake_look, &wait) == 0 && wait == 320,
	    "never seen: timed as any record");
	ok(svwait_settled(&s, &st, &now, 2320, fake_look, &wait) == 0 && wait == SVWAIT_REAP_MS,
	    "due but never seen: runsv gets %d ms to rewrite the record", SVWAIT_REAP_MS);
	ok(svwait_settled(&s, &st, &now, 2320 + SVWAIT_REAP_MS, fake_look, &wait) == 1,
	    "never seen and unchanged after the margin: settled");

	/* the real clock jumping forward does not shorten a record already timed */
	{
		struct tain later = now;

		later.sec += 3600;
		seen = SVWAIT_ALIVE;
		ok(svwait_settled(&s, &st, &later, 2100, fake_look, &wait) == 0 && wait == 220,
		    "the monotonic clock times the record once seen");
	}

	/* a new record starts over; an old one is settled at once */
	st = rec(&now, -10000, 78, 'u', 0, SV_RUN);
	ok(svwait_settled(&s, &st, &now, 5000, fake_look, &wait) == 1, "10 s old: settled at once");
	seen = SVWAIT_UNSEEN;
	st = rec(&now, -10000, 79, 'u', 0, SV_RUN);
	ok(svwait_settled(&s, &st, &now, 5000, fake_look, &wait) == 1,
	    "10 s old and unseen: settled at once too");
	seen = SVWAIT_ALIVE;
	st = rec(&now, 5000, 80, 'u', 0, SV_RUN);
	ok(svwait_settled(&s, &st, &now, 5000, fake_look, &wait) == 0 && wait == SVWAIT_SETTLE_MS,
	    "a stamp from the future counts from now");
	st = rec(&now, -10000, 81, 'u', 0, SV_FINISH);
	ok(svwait_settled(&s, &st, &now, 5000, fake_look, &wait) == 0 && wait == -1,
	    "finish is not running");
	st = rec(&now, -10000, 0, 'u', 0, SV_DOWN);
	ok(svwait_settled(&s, &st, &now, 5000, fake_look, &wait) == 0 && wait == -1,
	    "down is not running");

	/* per-letter tests */
	tain_from_unix(&sent, 1764502345, 0);
	started_answer = 1;
	st = rec(&sent, -300, 90, 'u', 0, SV_RUN);
	ok(reached("tcu", &st, &sent) == 0, "restart: a record from before the command is not fresh");
	ok(started_calls == 0, "and the service was not asked whether it started");
	st = rec(&sent, 0, 90, 'u', 0, SV_RUN);
	ok(reached("tcu", &st, &sent) == 0, "a record stamped at the very moment is not after it");
	st = rec(&sent, 1, 91, 'u', 0, SV_RUN);
	ok(reached("tcu", &st, &sent) == 1, "restart: a new start, started: reached");
	started_answer = 0;
	ok(reached("tcu", &st, &sent) == 0, "restart: a new start not yet started: not reached");
	started_answer = 1;
	st = rec(&sent, 1, 91, 'u', 1, SV_RUN);
	ok(reached("t", &st, &sent) == 0, "term: TERM still pending");
	st = rec(&sent, -5000, 0, 'd', 0, SV_DOWN);
	ok(reached("tc", &st, &sent) == 1, "term on a service wanted down and down: reached");
	st = rec(&sent, -5000, 0, 'u', 0, SV_DOWN);
	ok(reached("u", &st, &sent) == 0 && started_calls == 0, "up: down is not up");
	st = rec(&sent, -5000, 92, 'u', 0, SV_FINISH);
	ok(reached("u", &st, &sent) == 0, "up: finish is not up");
	st = rec(&sent, -5000, 93, 'u', 0, SV_RUN);
	ok(reached("u", &st, &sent) == 1 && started_calls == 1, "up: running and started");
	started_answer = 0;
	ok(reached("u", &st, &sent) == 0, "up: running but not started");
	ok(reached("C", &st, &sent) == 0, "check wanted up: as up");
	st = rec(&sent, -5000, 93, 'd', 0, SV_RUN);
	ok(reached("C", &st, &sent) == 0, "check wanted down: waits for down");
	st = rec(&sent, -5000, 0, 'd', 0, SV_DOWN);
	ok(reached("C", &st, &sent) == 1 && reached("d", &st, &sent) == 1, "down: reached");
	ok(reached("u", &(struct sv_status){ st.stamp, 95, 0, 'd', 1, SV_RUN }, &sent) == 0,
	    "up: running but still wanted down: runsv has not taken the up yet");
	ok(reached("d", &(struct sv_status){ st.stamp, 0, 0, 'u', 0, SV_DOWN }, &sent) == 0,
	    "down: down but wanted up (it will be restarted): runsv has not taken the down yet");
	ok(reached("o", &st, &sent) == 0, "once: an old down record is not the run");
	st = rec(&sent, 5, 0, 'd', 0, SV_DOWN);
	ok(reached("o", &st, &sent) == 1, "once: a down record after the command is");
	st = rec(&sent, -5000, 94, 'u', 0, SV_RUN);
	ok(reached("o", &st, &sent) == 0, "once: still wanted up");
	st.want = 'd';
	ok(reached("o", &st, &sent) == 1, "once: running, wanted down");
	ok(reached("p", &st, &sent) == 0, "pause: not paused yet");
	st.paused = 1;
	ok(reached("p", &st, &sent) == 1 && reached("c", &st, &sent) == 0, "pause, cont");
	ok(reached("h", &st, &sent) == 1 && reached("x", &st, &sent) == 0, "h always, x never here");

	/* ./check back-off */
	b = 0;
	{
		unsigned want[] = { 20, 40, 80, 160, 320, 420, 420 };
		int all = 1;

		for (int i = 0; i < 7; i++) {
			b = svwait_check_backoff(b);
			all = all && b == want[i];
		}
		ok(all, "check back-off: 20, 40, 80, 160, 320, then runit's 420");
	}
	return done_testing();
}
