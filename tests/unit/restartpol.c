/* Unit tests for restartpol.c: the restart, restart-delay and restart-limit files and the decision after an end. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "restartpol.h"
#include "svfile.h"
#include "tap.h"

#define EXITED(code) ((code) << 8)
#define KILLED(sig) (sig)

static int delay_is(const char *v, unsigned long min, unsigned long max)
{
	unsigned long a = 0, b = 0;
	const char *why = 0;

	return restartpol_parse_delay(v, &a, &b, &why) == SVFILE_OK && a == min && b == max;
}

static int delay_bad(const char *v, const char *reason)
{
	unsigned long a, b;
	const char *why = 0;

	return restartpol_parse_delay(v, &a, &b, &why) == SVFILE_INVALID && why &&
	    (!reason || !strcmp(why, reason));
}

static int limit_is(const char *v, unsigned n, unsigned long ms)
{
	unsigned got_n = 0;
	unsigned long got_ms = 0;
	const char *why = 0;

	return restartpol_parse_limit(v, &got_n, &got_ms, &why) == SVFILE_OK && got_n == n &&
	    got_ms == ms;
}

static int limit_bad(const char *v)
{
	unsigned n;
	unsigned long ms;
	const char *why = 0;

	return restartpol_parse_limit(v, &n, &ms, &why) == SVFILE_INVALID && why;
}

/* One quick end (ran ms) at time at; returns the verdict, *delay set. */
static enum restart_verdict end_at(const struct restart_policy *p, struct restart_history *h,
    long long at, long long ran, int wstat, unsigned long *delay)
{
	struct restart_end e = { .wstat = wstat, .finish_code = -1, .asked = 0, .started = at - ran, .ended = at, .now = at };

	return restartpol_decide(p, h, &e, delay);
}

static char complaints[256];
static void complain(const char *name, int r, const char *why)
{
	(void)r;
	strcat(complaints, name);
	strcat(complaints, ": ");
	strcat(complaints, why ? why : "?");
	strcat(complaints, ";");
}

static void put(int dfd, const char *name, const char *data)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, strlen(data)) != (ssize_t)strlen(data))
		perror(name);
	close(fd);
}

int main(void)
{
	struct restart_policy p;
	struct restart_history h;
	enum restart_mode m;
	unsigned long d, want[] = { 100, 200, 400, 800, 1600, 1600, 1600 };
	const char *why;
	char dir[] = "/tmp/rng-restartpol.XXXXXX";
	long long t;
	int i, all, dfd;

	/* restart */
	ok(restartpol_parse_mode("always", &m, &why) == SVFILE_OK && m == RESTART_ALWAYS, "restart always");
	ok(restartpol_parse_mode("on-failure", &m, &why) == SVFILE_OK && m == RESTART_ON_FAILURE, "restart on-failure");
	ok(restartpol_parse_mode("never", &m, &why) == SVFILE_OK && m == RESTART_NEVER, "restart never");
	why = 0;
	ok(restartpol_parse_mode("Never", &m, &why) == SVFILE_INVALID && why, "restart Never is garbage");
	ok(restartpol_parse_mode("on_failure", &m, &why) == SVFILE_INVALID, "restart on_failure is garbage");
	is_str(restartpol_mode_word(RESTART_ON_FAILURE), "on-failure", "mode word");

	/* restart-delay */
	ok(delay_is("100", 100, 100), "delay MIN alone: MAX = MIN");
	ok(delay_is("100 1600", 100, 1600), "delay MIN MAX");
	ok(delay_is("5\t50", 5, 50), "a tab between them");
	ok(delay_bad("0", "MIN is 0"), "delay 0 refused");
	ok(delay_bad("200 100", "MAX is less than MIN"), "MAX < MIN refused");
	ok(delay_bad("100  200", "not MIN or MIN MAX"), "two blanks refused");
	ok(delay_bad(" 100", 0), "leading blank refused");
	ok(delay_bad("100 ", 0), "trailing blank refused");
	ok(delay_bad("100 200 300", 0), "three words refused");
	ok(delay_bad("1s", 0), "a unit refused");
	ok(delay_bad("100 -1", 0), "a sign refused");
	ok(delay_bad("100 99999999999", 0), "MAX past the int range refused");

	/* restart-limit */
	ok(limit_is("5 10", 5, 10000), "limit 5 10");
	ok(limit_is("64 2147483", 64, 2147483000UL), "limit at its bounds");
	ok(limit_bad("5"), "limit without SECONDS refused");
	ok(limit_bad("0 10"), "N 0 refused");
	ok(limit_bad("65 10"), "N 65 refused");
	ok(limit_bad("5 0"), "SECONDS 0 refused");
	ok(limit_bad("5 2147484"), "SECONDS too large refused");
	ok(limit_bad("5 10 x"), "three words refused");
	ok(limit_bad("five 10"), "words refused");

	/* on-failure's failures */
	ok(!restartpol_failed(EXITED(0)), "exit 0 is clean");
	ok(restartpol_failed(EXITED(1)), "exit 1 failed");
	ok(!restartpol_failed(KILLED(SIGTERM)) && !restartpol_failed(KILLED(SIGINT)) &&
	    !restartpol_failed(KILLED(SIGHUP)) && !restartpol_failed(KILLED(SIGPIPE)),
	    "TERM, INT, HUP, PIPE are clean");
	ok(restartpol_failed(KILLED(SIGKILL)) && restartpol_failed(KILLED(SIGSEGV)), "KILL and SEGV failed");

	/* No files: runit's rule. */
	memset(&p, 0, sizeof p);
	memset(&h, 0, sizeof h);
	ok(end_at(&p, &h, 5000, 10, EXITED(1), &d) == RESTART_AFTER && d == 1000, "runit: quick end, 1 s");
	ok(end_at(&p, &h, 9000, 1000, EXITED(0), &d) == RESTART_NOW, "runit: a second's run, at once");
	ok(end_at(&p, &h, 9500, 999, KILLED(SIGTERM), &d) == RESTART_AFTER, "runit: any quick end waits");
	{
		struct restart_end e = { .wstat = EXITED(0), .finish_code = RESTART_FINISH_GIVE_UP, .asked = 0, .started = 0, .ended = 2000, .now = 2000 };
		ok(restartpol_decide(&p, &h, &e, &d) == RESTART_NOW, "runit: ./finish's 125 means nothing without the files");
	}

	/* Back-off: 100 1600 */
	memset(&h, 0, sizeof h);
	p.delay_min = 100;
	p.delay_max = 1600;
	all = 1;
	for (i = 0, t = 10000; i < 7; i++, t += 5000)
		all &= end_at(&p, &h, t, 5, EXITED(1), &d) == RESTART_AFTER && d == want[i];
	ok(all, "quick failures wait 100 200 400 800 1600 1600 1600");
	ok(end_at(&p, &h, t, 1601, EXITED(1), &d) == RESTART_NOW && h.delay == 0,
	    "a run longer than MAX: at once, and the step reset");
	ok(end_at(&p, &h, t + 10, 3, EXITED(1), &d) == RESTART_AFTER && d == 100, "the next quick end waits MIN again");
	ok(end_at(&p, &h, t + 4000, 1600, EXITED(1), &d) == RESTART_AFTER && d == 200, "exactly MAX still counts as quick");
	p.delay_min = 3;
	p.delay_max = 10;
	memset(&h, 0, sizeof h);
	all = 1;
	for (i = 0; i < 4; i++) {
		unsigned long w[] = { 3, 6, 10, 10 };
		all &= end_at(&p, &h, 100 + i, 1, EXITED(1), &d) == RESTART_AFTER && d == w[i];
	}
	ok(all, "doubling stops at a MAX that is no power of two");
	p.delay_min = p.delay_max = SVFILE_MS_MAX;
	memset(&h, 0, sizeof h);
	(void)end_at(&p, &h, 1, 1, EXITED(1), &d);
	ok(end_at(&p, &h, 2, 1, EXITED(1), &d) == RESTART_AFTER && d == SVFILE_MS_MAX, "no overflow at the top");

	/* on-failure and never */
	memset(&p, 0, sizeof p);
	memset(&h, 0, sizeof h);
	p.mode = RESTART_ON_FAILURE;
	p.files = 1;
	ok(end_at(&p, &h, 5000, 2000, EXITED(0), &d) == RESTART_NO, "on-failure: not after exit 0");
	ok(end_at(&p, &h, 5000, 2000, KILLED(SIGTERM), &d) == RESTART_NO, "on-failure: not after an outside TERM");
	ok(end_at(&p, &h, 5000, 2000, EXITED(1), &d) == RESTART_NOW, "on-failure: after exit 1");
	ok(end_at(&p, &h, 5000, 2000, KILLED(SIGKILL), &d) == RESTART_NOW, "on-failure: after KILL");
	{
		struct restart_end e = { .wstat = KILLED(SIGTERM), .finish_code = -1, .asked = 1, .started = 0, .ended = 2000, .now = 2000 };
		ok(restartpol_decide(&p, &h, &e, &d) == RESTART_NOW, "on-failure: sv restart starts it again");
	}
	{
		struct restart_end e = { .wstat = KILLED(SIGTERM), .finish_code = -1, .asked = 0, .hung = 1, .started = 0, .ended = 2000, .now = 2000 };
		ok(restartpol_decide(&p, &h, &e, &d) == RESTART_NOW, "on-failure: the watchdog's TERM is a failure");
	}
	p.mode = RESTART_NEVER;
	ok(end_at(&p, &h, 5000, 2000, EXITED(1), &d) == RESTART_NO, "never: not after a failure");

	/* restart-limit 5 10 */
	memset(&p, 0, sizeof p);
	memset(&h, 0, sizeof h);
	p.files = 1;
	p.limit_n = 5;
	p.limit_ms = 10000;
	all = 1;
	for (i = 0; i < 4; i++)
		all &= end_at(&p, &h, 1000 + 1000 * i, 5, EXITED(1), &d) == RESTART_AFTER;
	ok(all, "four ends within 10 s: restarted");
	ok(end_at(&p, &h, 5000, 5, EXITED(1), &d) == RESTART_GIVE_UP && h.gave_up == 5, "the fifth: gave up, with its count");
	restartpol_clear(&h);
	ok(h.gave_up == 0 && end_at(&p, &h, 6000, 5, EXITED(1), &d) == RESTART_AFTER, "sv up clears the count");
	memset(&h, 0, sizeof h);
	all = 1;
	for (i = 0; i < 20; i++)
		all &= end_at(&p, &h, 1000 + 2600 * i, 5, EXITED(1), &d) == RESTART_AFTER;
	ok(all, "ends 2.6 s apart never reach five in 10 s");
	memset(&h, 0, sizeof h);
	for (i = 0; i < 4; i++)
		(void)end_at(&p, &h, 1000 + 1000 * i, 5, EXITED(1), &d);
	ok(end_at(&p, &h, 11000, 5, EXITED(1), &d) == RESTART_AFTER, "the fifth end 10 s after the first: still counted out");
	{
		struct restart_end e = { .wstat = KILLED(SIGTERM), .finish_code = -1, .asked = 1, .started = 0, .ended = 11500, .now = 11500 };
		ok(restartpol_decide(&p, &h, &e, &d) != RESTART_GIVE_UP, "sv restart does not count");
	}
	ok(end_at(&p, &h, 11600, 5, EXITED(1), &d) == RESTART_GIVE_UP, "the fifth real end within 10 s gives up");
	memset(&h, 0, sizeof h);
	all = 1;
	for (i = 0; i < 4; i++) /* the monotonic clock past 2^32 ms (49 days up) */
		all &= end_at(&p, &h, 4294966000LL + 500 * i, 5, EXITED(1), &d) == RESTART_AFTER;
	ok(all && end_at(&p, &h, 4294968000LL, 5, EXITED(1), &d) == RESTART_GIVE_UP && h.gave_up == 5,
	    "ends counted across 2^32 ms");
	memset(&h, 0, sizeof h);
	for (i = 0; i < 4; i++)
		(void)end_at(&p, &h, 4294966000LL + i, 5, EXITED(1), &d);
	ok(end_at(&p, &h, 4294966000LL + 20000, 5, EXITED(1), &d) == RESTART_AFTER,
	    "and the window still ends after SECONDS there");
	p.limit_n = 64;
	p.limit_ms = 1000000;
	memset(&h, 0, sizeof h);
	all = 1;
	for (i = 0; i < 63; i++)
		all &= end_at(&p, &h, 1 + i, 0, EXITED(1), &d) == RESTART_AFTER;
	ok(all && end_at(&p, &h, 100, 0, EXITED(1), &d) == RESTART_GIVE_UP && h.gave_up == 64, "N = 64, the ring's size");

	/* ./finish exit 125 */
	memset(&p, 0, sizeof p);
	memset(&h, 0, sizeof h);
	p.files = 1;
	{
		struct restart_end e = { .wstat = EXITED(0), .finish_code = RESTART_FINISH_GIVE_UP, .asked = 0, .started = 0, .ended = 2000, .now = 2000 };
		ok(restartpol_decide(&p, &h, &e, &d) == RESTART_GIVE_UP && h.gave_up == 1, "./finish 125 gives up with a restart file");
		e.finish_code = 124;
		restartpol_clear(&h);
		ok(restartpol_decide(&p, &h, &e, &d) == RESTART_NOW, "./finish 124 does not");
	}

	/* Reading the files. */
	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	restartpol_read(dfd, &p, complain);
	ok(!p.files && !p.delay_min && !p.limit_n && !complaints[0], "no files: runit's policy, no complaint");
	put(dfd, "restart", "on-failure\n");
	put(dfd, "restart-delay", "100 1600\n");
	put(dfd, "restart-limit", "5 10");
	restartpol_read(dfd, &p, complain);
	ok(p.files && p.mode == RESTART_ON_FAILURE && p.delay_min == 100 && p.delay_max == 1600 &&
	    p.limit_n == 5 && p.limit_ms == 10000 && !complaints[0], "the three files read");
	put(dfd, "restart", "sometimes\n");
	put(dfd, "restart-delay", "1 s\n");
	put(dfd, "restart-limit", "\n");
	restartpol_read(dfd, &p, complain);
	is_str(complaints, "restart: neither always, on-failure nor never;"
	    "restart-delay: not a number of milliseconds;restart-limit: empty;", "garbage complained about, by name and why");
	ok(p.mode == RESTART_ALWAYS && !p.delay_min && !p.limit_n && p.files,
	    "garbage counts as absent (the files still mean ./finish's 125)");
	unlinkat(dfd, "restart", 0);
	unlinkat(dfd, "restart-delay", 0);
	unlinkat(dfd, "restart-limit", 0);
	close(dfd);
	rmdir(dir);
	return done_testing();
}
