/* svwait.c: when a wait of sv is over: runit's per-letter tests, made truthful, and the rule of "started". */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "num.h"
#include "svwait.h"

enum svwait_proc svwait_proc(uint32_t pid)
{
	char path[sizeof "/proc//stat" + FMT_ULONG], buf[512], *paren;
	ssize_t n;

	if (!pid)
		return SVWAIT_UNSEEN;
	memcpy(path, "/proc/", 6);
	fmt_ulong(path + 6, pid);
	strcat(path, "/stat");
	n = read_string_at(AT_FDCWD, path, buf, sizeof buf);
	if (n <= 0)
		return SVWAIT_UNSEEN;
	/* "PID (COMM) STATE ...": COMM may hold anything, even ") " */
	paren = strrchr(buf, ')');
	if (!paren || paren[1] != ' ' || !paren[2])
		return SVWAIT_UNSEEN;
	return strchr("ZXx", paren[2]) ? SVWAIT_DEAD : SVWAIT_ALIVE;
}

enum svwait_rule svwait_rule(const struct svinfo *info, int has_check)
{
	if (info && info->readiness != SVINFO_READY_NONE)
		return SVWAIT_BY_READINESS;
	return has_check ? SVWAIT_BY_CHECK : SVWAIT_BY_SETTLE;
}

/* now - then in ms; negative when then is later (a clock stepped back). */
static int64_t age_ms(const struct tain *now, const struct tain *then)
{
	int64_t sec = (int64_t)(now->sec - then->sec);

	if (now->sec < then->sec)
		sec = -(int64_t)(then->sec - now->sec);
	if (sec > INT64_MAX / 2000 || sec < -(INT64_MAX / 2000))
		return sec < 0 ? -INT64_MAX / 2 : INT64_MAX / 2;
	return sec * 1000 + ((int64_t)now->nano - (int64_t)then->nano) / 1000000;
}

int svwait_settled(struct svwait_settle *s, const struct sv_status *st,
    const struct tain *now, uint64_t now_ms, enum svwait_proc (*look)(uint32_t),
    long *wait_ms)
{
	int64_t left;

	*wait_ms = -1;
	if (st->state != SV_RUN || !st->pid)
		return 0;
	if (!s->known || s->pid != st->pid || s->stamp.sec != st->stamp.sec ||
	    s->stamp.nano != st->stamp.nano) {
		int64_t age = age_ms(now, &st->stamp);

		/* a stamp from the future counts from now */
		if (age < 0)
			age = 0;
		/* long settled: due far enough back that no margin delays it */
		if (age > SVWAIT_SETTLE_MS + SVWAIT_REAP_MS)
			age = SVWAIT_SETTLE_MS + SVWAIT_REAP_MS;
		s->due_ms = (int64_t)now_ms + SVWAIT_SETTLE_MS - age;
		s->pid = st->pid;
		s->stamp = st->stamp;
		s->known = 1;
		s->seen_alive = 0;
	}
	left = s->due_ms - (int64_t)now_ms;
	if (left > 0) {
		/* running now: missing later, it can only have been reaped */
		if (!s->seen_alive)
			s->seen_alive = look(st->pid) == SVWAIT_ALIVE;
		*wait_ms = (long)left;
		return 0;
	}
	switch (look(st->pid)) {
	case SVWAIT_ALIVE:
		return 1;
	case SVWAIT_DEAD:
		return 0; /* runsv will reap it and write a new record */
	default:
		if (s->seen_alive)
			return 0; /* reaped: runsv is about to write a new record */
		left += SVWAIT_REAP_MS;
		if (left <= 0)
			return 1;
		*wait_ms = (long)left;
		return 0;
	}
}

/* A oneshot done, wanted up, nothing running. */
static int oneshot_done(const struct svwait_view *v)
{
	const struct sv_status *st = v->st;

	return v->done && st->want == 'u' && !st->pid && st->state == SV_DOWN && v->done(v->arg);
}

int svwait_reached(const char *ctl, const struct svwait_view *v)
{
	const struct sv_status *st = v->st;
	int fresh = tain_less(v->sent, &st->stamp);

	for (; *ctl; ctl++) {
		char c = *ctl;

		if (c == 'C') /* 2.3.0: check waits for the wanted state */
			c = st->want == 'd' ? 'd' : 'u';
		switch (c) {
		case 'x':
			return 0;
		/* up and down: runsv has taken the command (the record wants
		 * it), not only a record from before it says so */
		case 'u':
			if (oneshot_done(v))
				break; /* done: its u is met, fresh or not */
			if (st->want != 'u' || !st->pid || st->state != SV_RUN || !v->started(v->arg))
				return 0;
			break;
		case 'd':
			if (st->want != 'd' || st->pid || st->state != SV_DOWN)
				return 0;
			break;
		case 't': case 'k':
			if (!st->pid && st->want == 'd')
				break;
			if (fresh && oneshot_done(v))
				break; /* ran again (restart) and is done */
			if (!fresh || !st->pid || st->term || !v->started(v->arg))
				return 0;
			break;
		case 'o':
			if ((!st->pid && !fresh) || (st->pid && st->want != 'd'))
				return 0;
			break;
		case 'p':
			if (st->pid && !st->paused)
				return 0;
			break;
		case 'c':
			if (st->pid && st->paused)
				return 0;
			break;
		default:
			break;
		}
	}
	return 1;
}

unsigned svwait_check_backoff(unsigned previous_ms)
{
	if (!previous_ms)
		return SVWAIT_CHECK_FIRST_MS;
	return previous_ms >= SVWAIT_CHECK_LAST_MS / 2 ? SVWAIT_CHECK_LAST_MS : previous_ms * 2;
}
