/* Unit tests for lineasm.c: heads whole whatever the reads, bodies, ends, arrival times. */
#include <stdlib.h>

#include "lineasm.h"
#include "tap.h"

#define OUTMAX 200000

/* Each line as "H<len>:<head>", for a long line "B<len>:<body>" with the
 * pieces of its body joined, then "E": two splittings of the same bytes
 * must give the same trace. */
struct trace {
	char out[OUTMAX];
	size_t len;
	char body[OUTMAX];
	size_t blen;
	int bad;               /* a piece broke a rule */
	int inbody;            /* a body may follow */
	unsigned firsts[4096]; /* arrival of each line's first byte */
	size_t nlines;
};

static void emit(struct trace *t, const char *tag, const char *p, size_t n)
{
	char num[32];
	size_t k = (size_t)snprintf(num, sizeof num, "%s%zu:", tag, n);

	if (t->len + k + n > OUTMAX) {
		t->bad = 1;
		return;
	}
	memcpy(t->out + t->len, num, k);
	memcpy(t->out + t->len + k, p, n);
	t->len += k + n;
}

static void line_end(struct trace *t)
{
	if (t->blen)
		emit(t, "B", t->body, t->blen);
	t->blen = 0;
	t->out[t->len++] = 'E';
	t->inbody = 0;
}

static void take(struct trace *t, int kind, const struct linepiece *pc, size_t max)
{
	switch (kind) {
	case LINE_HEAD:
		if (t->inbody || pc->n > max || (!pc->ended && pc->n != max) ||
		    memchr(pc->p, '\n', pc->n))
			t->bad = 1;
		emit(t, "H", pc->p, pc->n);
		if (t->nlines < 4096)
			t->firsts[t->nlines++] = pc->first.nano;
		t->inbody = 1;
		if (pc->ended)
			line_end(t);
		break;
	case LINE_BODY:
		if (!t->inbody || !pc->n || memchr(pc->p, '\n', pc->n) ||
		    t->blen + pc->n > OUTMAX) {
			t->bad = 1;
			break;
		}
		memcpy(t->body + t->blen, pc->p, pc->n);
		t->blen += pc->n;
		break;
	case LINE_END:
		if (!t->inbody)
			t->bad = 1;
		line_end(t);
		break;
	}
}

/* Feeds in[0..n) in reads of the sizes cuts gives (0 ends the list: the rest at once). */
static void run(struct trace *t, const char *in, size_t n, size_t max,
    const size_t *cuts, int finish)
{
	struct lineasm la;
	struct linepiece pc;
	char *held = malloc(max);
	size_t at = 0, ci = 0;
	struct tain now = { 0, 0 };
	int kind;

	memset(t, 0, sizeof *t);
	lineasm_init(&la, held, max);
	while (at < n) {
		size_t len = cuts && cuts[ci] ? cuts[ci++] : n - at, pos = 0;
		if (len > n - at)
			len = n - at;
		/* the chunk's number stands for its arrival time; the byte
		 * offset where it starts tells which line began in it */
		now.nano = (unsigned)at;
		while ((kind = lineasm_next(&la, in + at, len, &pos, &now, &pc)) != LINE_MORE)
			take(t, kind, &pc, max);
		if (pos != len)
			t->bad = 1;
		at += len;
	}
	if (finish)
		while ((kind = lineasm_finish(&la, &pc)) != LINE_MORE)
			take(t, kind, &pc, max);
	free(held);
}

static int same(const struct trace *a, const struct trace *b)
{
	return !a->bad && !b->bad && a->len == b->len && !memcmp(a->out, b->out, a->len);
}

static const char *show(struct trace *t)
{
	t->out[t->len < OUTMAX ? t->len : OUTMAX - 1] = 0;
	return t->out;
}

static struct trace ta, tb;

int main(void)
{
	size_t one[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	size_t two[] = { 2, 0 };

	run(&ta, "ab\n\nxyz\n", 8, 4, 0, 1);
	is_str(show(&ta), "H2:abEH0:EH3:xyzE", "short lines and an empty one, whole");
	run(&ta, "abcd\nabcde\nabc\n", 15, 4, 0, 1);
	is_str(show(&ta), "H4:abcdEH4:abcdB1:eEH3:abcE", "a line of exactly max ends with its head; max+1 has a body");
	run(&tb, "abcd\nabcde\nabc\n", 15, 4, one, 1);
	ok(same(&ta, &tb), "the same, one byte per read");
	if (!same(&ta, &tb))
		tap_diag("  got %s", show(&tb));
	run(&ta, "abcdefghij\n", 11, 4, one, 1);
	is_str(show(&ta), "H4:abcdB6:efghijE", "a long line: head, then its body in pieces joined");
	run(&ta, "tail", 4, 8, 0, 1);
	is_str(show(&ta), "H4:tailE", "an unfinished head is a line at the end of input");
	run(&ta, "tail", 4, 8, 0, 0);
	is_str(show(&ta), "", "and held until then");
	run(&ta, "abcdef", 6, 4, two, 1);
	is_str(show(&ta), "H4:abcdB2:efE", "an open body ends at the end of input");
	run(&ta, "a\0\377\r\n", 5, 8, one, 1);
	ok(ta.len == 8 && !memcmp(ta.out, "H4:a\0\377\rE", 8), "NUL, 0xff and CR are line bytes");

	/* arrival: a line's time is that of the read holding its first byte */
	{
		size_t cuts[] = { 3, 4, 0 };
		run(&ta, "ab\ncdefg\nh\n", 11, 8, cuts, 1);
		ok(ta.nlines == 3 && ta.firsts[0] == 0 && ta.firsts[1] == 3 && ta.firsts[2] == 7,
		    "each line carries the arrival of its first byte (%u %u %u)",
		    ta.firsts[0], ta.firsts[1], ta.firsts[2]);
	}
	{
		struct lineasm la;
		struct linepiece pc;
		char held[4];
		size_t pos = 0;
		struct tain now = { 1, 1 };
		lineasm_init(&la, held, 4);
		ok(!lineasm_open(&la), "nothing open at first");
		ok(lineasm_next(&la, "ab", 2, &pos, &now, &pc) == LINE_MORE && lineasm_open(&la),
		    "a held head is open");
		{
			struct tain first;
			size_t n;
			const char *h = lineasm_held(&la, &n, &first);
			ok(n == 2 && !memcmp(h, "ab", 2) && first.sec == 1 && first.nano == 1 &&
			    !lineasm_inbody(&la), "the held head, its arrival, not in a body");
		}
		pos = 0;
		ok(lineasm_next(&la, "cdef", 4, &pos, &now, &pc) == LINE_HEAD && pc.n == 4 &&
		    !memcmp(pc.p, "abcd", 4) && !pc.ended && pos == 2 && lineasm_open(&la),
		    "completed by the next read, the rest of it left for the body");
		ok(lineasm_next(&la, "cdef", 4, &pos, &now, &pc) == LINE_BODY && pc.n == 2 && pos == 4,
		    "body");
		ok(lineasm_finish(&la, &pc) == LINE_END && !lineasm_open(&la), "ended by finish");
		ok(lineasm_finish(&la, &pc) == LINE_MORE, "then nothing");
		lineasm_resume_body(&la);
		pos = 0;
		ok(lineasm_inbody(&la) && lineasm_next(&la, "gh\nij\n", 6, &pos, &now, &pc) == LINE_BODY &&
		    pc.n == 2 && !memcmp(pc.p, "gh", 2), "resumed: a body goes on");
		ok(lineasm_next(&la, "gh\nij\n", 6, &pos, &now, &pc) == LINE_END && !lineasm_inbody(&la),
		    "and ends");
		ok(lineasm_next(&la, "gh\nij\n", 6, &pos, &now, &pc) == LINE_HEAD && pc.n == 2 && pc.ended,
		    "then lines as before");
	}

	/* property: random lines (lengths around max), random reads, same trace */
	{
		unsigned seed = 12345;
		int bad = 0, cases = 0;
		static char in[60000];
		static size_t cuts[60001];
		srand(seed);
		for (int c = 0; c < 300; c++) {
			size_t max = 1 + (size_t)rand() % 40, n = 0, nc = 0;
			size_t want = (size_t)rand() % sizeof in;
			while (n < want) {
				size_t len;
				switch (rand() % 4) {
				case 0: len = max; break;
				case 1: len = max - 1 + (size_t)rand() % 3; break;
				default: len = (size_t)rand() % (3 * max + 1);
				}
				for (size_t i = 0; i < len && n < want; i++) {
					char b = (char)(rand() % 256);
					in[n++] = b == '\n' ? '\0' : b;
				}
				if (n < want && rand() % 8)
					in[n++] = '\n';
			}
			for (size_t left = n; left; ) {
				size_t k = rand() % 3 ? 1 + (size_t)rand() % (2 * max) :
				    rand() % 2 ? 1 : 1 + (size_t)rand() % 5000;
				if (k > left)
					k = left;
				cuts[nc++] = k;
				left -= k;
			}
			cuts[nc] = 0;
			run(&ta, in, n, max, 0, 1);
			run(&tb, in, n, max, cuts, 1);
			cases++;
			/* each line's arrival is the start of the read holding its first byte */
			for (size_t i = 0, line = 0, chunk = 0, ci = 0; i < n && line < tb.nlines; i++) {
				while (i >= chunk + cuts[ci])
					chunk += cuts[ci++];
				if (i == 0 || in[i - 1] == '\n') {
					if (tb.firsts[line] != chunk)
						tb.bad = 1;
					line++;
				}
			}
			if (!same(&ta, &tb)) {
				bad++;
				tap_diag("case %d (seed %u) differs", c, seed);
			}
		}
		ok(!bad, "%d random streams cut at random: the trace of the whole, arrivals right (seed %u)",
		    cases, seed);
	}
	return done_testing();
}
