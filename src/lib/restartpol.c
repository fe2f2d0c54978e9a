/* restartpol.c: the restart policy of a service (restart, restart-delay, restart-limit): what runsv does after ./run ends. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "num.h"
#include "restartpol.h"
#include "svfile.h"

static const char *const mode_words[] = { "always", "on-failure", "never" };

const char *restartpol_mode_word(enum restart_mode mode)
{
	return (unsigned)mode < 3 ? mode_words[mode] : mode_words[0];
}

int restartpol_parse_mode(const char *value, enum restart_mode *mode, const char **why)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(value, mode_words[i])) {
			*mode = (enum restart_mode)i;
			return SVFILE_OK;
		}
	*why = "neither always, on-failure nor never";
	return SVFILE_INVALID;
}

/* Splits "A B" at its one blank: *second is 0 when there is no blank. A
 * blank at either end, or two in a row, is garbage (svfile's rule: the
 * value is exactly what is meant). */
static int two_words(const char *value, char first[SVFILE_VALUE_MAX + 1], const char **second)
{
	const char *blank = strchr(value, ' ');
	size_t n;

	*second = 0;
	if (!blank)
		blank = strchr(value, '\t');
	if (!blank) {
		strcpy(first, value);
		return 1;
	}
	n = (size_t)(blank - value);
	if (n == 0 || !blank[1] || strchr(blank + 1, ' ') || strchr(blank + 1, '\t'))
		return 0;
	memcpy(first, value, n);
	first[n] = 0;
	*second = blank + 1;
	return 1;
}

int restartpol_parse_delay(const char *value, unsigned long *min, unsigned long *max,
    const char **why)
{
	char first[SVFILE_VALUE_MAX + 1];
	const char *second;

	if (!two_words(value, first, &second)) {
		*why = "not MIN or MIN MAX";
		return SVFILE_INVALID;
	}
	if (svfile_parse_ms(first, min, why) != SVFILE_OK)
		return SVFILE_INVALID;
	*max = *min;
	if (second && svfile_parse_ms(second, max, why) != SVFILE_OK)
		return SVFILE_INVALID;
	if (*min == 0) {
		*why = "MIN is 0";
		return SVFILE_INVALID;
	}
	if (*max < *min) {
		*why = "MAX is less than MIN";
		return SVFILE_INVALID;
	}
	return SVFILE_OK;
}

int restartpol_parse_limit(const char *value, unsigned *n, unsigned long *ms, const char **why)
{
	char first[SVFILE_VALUE_MAX + 1];
	const char *second;
	unsigned long count, seconds;

	if (!two_words(value, first, &second) || !second) {
		*why = "not N SECONDS";
		return SVFILE_INVALID;
	}
	if (!scan_ulong_all(first, &count) || count < 1 || count > RESTART_LIMIT_MAX) {
		*why = "N is not a number from 1 to 64";
		return SVFILE_INVALID;
	}
	if (!scan_ulong_all(second, &seconds) || seconds < 1 || seconds > RESTART_SECONDS_MAX) {
		*why = "SECONDS is not a number from 1 to 2147483";
		return SVFILE_INVALID;
	}
	*n = (unsigned)count;
	*ms = seconds * 1000;
	return SVFILE_OK;
}

/* One file: its value when it is there and good, else 0 (complained about). */
static int read_value(int dirfd, const char *name, char value[SVFILE_VALUE_MAX + 1],
    restartpol_complain *complain)
{
	const char *why = 0;
	int r = svfile_read(dirfd, name, value, &why);

	if (r == SVFILE_OK)
		return 1;
	if (r != SVFILE_ABSENT)
		complain(name, r, why);
	return 0;
}

void restartpol_read(int dirfd, struct restart_policy *p, restartpol_complain *complain)
{
	char value[SVFILE_VALUE_MAX + 1];
	const char *why = 0;
	int r;

	memset(p, 0, sizeof *p);
	if (read_value(dirfd, "restart", value, complain)) {
		if ((r = restartpol_parse_mode(value, &p->mode, &why)) != SVFILE_OK)
			complain("restart", r, why);
		p->files = 1; /* even garbage: the author meant a policy */
	}
	if (read_value(dirfd, "restart-delay", value, complain) &&
	    (r = restartpol_parse_delay(value, &p->delay_min, &p->delay_max, &why)) != SVFILE_OK) {
		complain("restart-delay", r, why);
		p->delay_min = p->delay_max = 0;
	}
	if (read_value(dirfd, "restart-limit", value, complain)) {
		p->files = 1;
		if ((r = restartpol_parse_limit(value, &p->limit_n, &p->limit_ms, &why)) != SVFILE_OK) {
			complain("restart-limit", r, why);
			p->limit_n = 0;
			p->limit_ms = 0;
		}
	}
}

int restartpol_failed(int wstat)
{
	if (WIFSIGNALED(wstat)) {
		int sig = WTERMSIG(wstat);
		return sig != SIGTERM && sig != SIGINT && sig != SIGHUP && sig != SIGPIPE;
	}
	return !WIFEXITED(wstat) || WEXITSTATUS(wstat) != 0;
}

/* Counts this end; 1 when N ends now lie within the window. */
static int count_end(const struct restart_policy *p, struct restart_history *h, long long at)
{
	unsigned n = p->limit_n, oldest;

	h->ends[h->next] = (uint32_t)at;
	h->next = (h->next + 1) % RESTART_LIMIT_MAX;
	if (h->count < RESTART_LIMIT_MAX)
		h->count++;
	if (h->count < n)
		return 0;
	/* The N-th most recent end, counting this one as the first. */
	oldest = (h->next + RESTART_LIMIT_MAX - n) % RESTART_LIMIT_MAX;
	return (uint32_t)((uint32_t)at - h->ends[oldest]) < p->limit_ms;
}

/* Ends within the window, for gave_up's count. */
static unsigned ends_within(const struct restart_policy *p, const struct restart_history *h,
    long long now)
{
	unsigned k = 0;

	while (k < h->count) {
		unsigned i = (h->next + RESTART_LIMIT_MAX - 1 - k) % RESTART_LIMIT_MAX;
		if (p->limit_ms && (uint32_t)((uint32_t)now - h->ends[i]) >= p->limit_ms)
			break;
		k++;
	}
	return k;
}

enum restart_verdict restartpol_decide(const struct restart_policy *p, struct restart_history *h,
    const struct restart_end *e, unsigned long *delay_ms)
{
	long long ran = e->ended - e->started;
	int counted = 0;

	*delay_ms = 0;
	if (!e->asked && p->limit_n) {
		counted = 1;
		if (count_end(p, h, e->ended)) {
			h->gave_up = ends_within(p, h, e->ended);
			return RESTART_GIVE_UP;
		}
	}
	if (p->files && e->finish_code == RESTART_FINISH_GIVE_UP) {
		h->gave_up = counted ? ends_within(p, h, e->ended) : 1;
		return RESTART_GIVE_UP;
	}
	if (!e->asked && (p->mode == RESTART_NEVER ||
	    (p->mode == RESTART_ON_FAILURE && !e->hung && !restartpol_failed(e->wstat))))
		return RESTART_NO;
	if (!p->delay_min) { /* runit: a second since the start, ./finish included */
		if (e->now - e->started >= RESTART_RUNIT_HOLD_MS)
			return RESTART_NOW;
		*delay_ms = RESTART_RUNIT_HOLD_MS;
		return RESTART_AFTER;
	}
	if (ran > (long long)p->delay_max) {
		h->delay = 0;
		return RESTART_NOW;
	}
	h->delay = !h->delay ? p->delay_min :
	    h->delay >= p->delay_max / 2 ? p->delay_max : h->delay * 2;
	if (h->delay < p->delay_min)
		h->delay = p->delay_min;
	*delay_ms = h->delay;
	return RESTART_AFTER;
}

void restartpol_clear(struct restart_history *h)
{
	h->gave_up = 0;
	h->count = 0;
	h->next = 0;
}
