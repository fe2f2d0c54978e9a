/* lineasm.h: cuts a byte stream into lines, each given out head first, the same way however the stream is split into reads. */
#ifndef RNG_LINEASM_H
#define RNG_LINEASM_H
#include <stddef.h>

#include "tai.h"

/*
 * A line is its head (its first max bytes, or all of it if shorter), then
 * for a longer line its body up to the newline. The head is always given
 * out whole, in one piece, whether it arrived in one read or in many: a head
 * still incomplete at the end of a read is held (copied into held) until the
 * rest arrives. The body is given out as it arrives. What a caller sees
 * depends only on the bytes, never on where the reads cut them, except how
 * a body is split into pieces, and for a line of exactly max bytes whether
 * its end comes with its head (ended) or as a LINE_END of its own (when a
 * read ends right after the head).
 *
 * The state is the assembler's own: callers go through the functions.
 */
enum {
	LINE_MORE,  /* the input is used up; an unfinished head is held */
	LINE_HEAD,  /* the head of a line */
	LINE_BODY,  /* more bytes of a line whose head had max bytes */
	LINE_END    /* the end of a line whose head had max bytes */
};

struct lineasm {
	char *held;        /* max bytes of room, the caller's */
	size_t max;        /* length of a full head, at least 1 */
	size_t nheld;      /* bytes of an unfinished head in held */
	int inbody;        /* a full head was given out; its line goes on */
	struct tain first; /* when the first byte of the line in progress arrived */
};

struct linepiece {
	const char *p;      /* the bytes, no newline among them */
	size_t n;
	int ended;          /* LINE_HEAD: the line ended right after it */
	struct tain first;  /* LINE_HEAD: when the line's first byte arrived */
};

/* held: max bytes of room, kept by the caller. */
void lineasm_init(struct lineasm *la, char *held, size_t max);
/* The next piece of in[*pos..n), bytes that arrived at now; *pos moves past
 * the bytes the piece covers and past a newline that ends a line. */
int lineasm_next(struct lineasm *la, const char *in, size_t n, size_t *pos,
    const struct tain *now, struct linepiece *pc);
/* At the end of input: the held head as a line ended (LINE_HEAD), or the
 * end of an open line (LINE_END), or LINE_MORE when no line is open. */
int lineasm_finish(struct lineasm *la, struct linepiece *pc);
/* A line is open: a held head or a body to come. */
int lineasm_open(const struct lineasm *la);
/* A line's head was given out, and its body (at least its end) is to come. */
int lineasm_inbody(const struct lineasm *la);
/* Goes on with a line whose head was given out before (a body to come). */
void lineasm_resume_body(struct lineasm *la);
/* The head held (its line still incomplete): its bytes, their count in *n
 * (0 if none), and when its first byte arrived in *first. */
const char *lineasm_held(const struct lineasm *la, size_t *n, struct tain *first);
#endif
