/* lineasm.c: cuts a byte stream into lines, each given out head first, the same way however the stream is split into reads. */
#include <string.h>

#include "lineasm.h"

void lineasm_init(struct lineasm *la, char *held, size_t max)
{
	la->held = held;
	la->max = max;
	la->nheld = 0;
	la->inbody = 0;
	la->first.sec = 0;
	la->first.nano = 0;
}

static int head(struct lineasm *la, struct linepiece *pc, const char *p,
    size_t n, int ended)
{
	pc->p = p;
	pc->n = n;
	pc->ended = ended;
	pc->first = la->first;
	la->inbody = !ended;
	return LINE_HEAD;
}

int lineasm_next(struct lineasm *la, const char *in, size_t n, size_t *pos,
    const struct tain *now, struct linepiece *pc)
{
	const char *p = in + *pos, *nl;
	size_t left = n - *pos, want, k;

	if (!left)
		return LINE_MORE;
	if (la->inbody) {
		nl = memchr(p, '\n', left);
		if (nl == p) {
			*pos += 1;
			la->inbody = 0;
			return LINE_END;
		}
		pc->p = p;
		pc->n = nl ? (size_t)(nl - p) : left;
		pc->ended = 0;
		*pos += pc->n;
		return LINE_BODY;
	}
	if (!la->nheld)
		la->first = *now;
	/* a newline right after a full head ends the line with it */
	want = la->max - la->nheld;
	nl = memchr(p, '\n', left < want + 1 ? left : want + 1);
	k = nl ? (size_t)(nl - p) : (left < want ? left : want);
	if (!la->nheld && (nl || k == want)) {
		/* the common case: the whole head is in this read, no copy */
		*pos += k + (nl != 0);
		return head(la, pc, p, k, nl != 0);
	}
	memcpy(la->held + la->nheld, p, k);
	la->nheld += k;
	*pos += k + (nl != 0);
	if (!nl && la->nheld < la->max)
		return LINE_MORE;
	k = la->nheld;
	la->nheld = 0;
	return head(la, pc, la->held, k, nl != 0);
}

int lineasm_finish(struct lineasm *la, struct linepiece *pc)
{
	size_t k = la->nheld;

	if (k) {
		la->nheld = 0;
		return head(la, pc, la->held, k, 1);
	}
	if (la->inbody) {
		la->inbody = 0;
		return LINE_END;
	}
	return LINE_MORE;
}

int lineasm_open(const struct lineasm *la)
{
	return la->nheld || la->inbody;
}

int lineasm_inbody(const struct lineasm *la)
{
	return la->inbody;
}

void lineasm_resume_body(struct lineasm *la)
{
	la->nheld = 0;
	la->inbody = 1;
}

const char *lineasm_held(const struct lineasm *la, size_t *n, struct tain *first)
{
	*n = la->nheld;
	*first = la->first;
	return la->held;
}
