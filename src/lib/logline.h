/* logline.h: svlogd's line delivery: each line's head selected, stamped and prefixed into every log directory's batch, its body and end after it, alerts and UDP copies. */
#ifndef RNG_LOGLINE_H
#define RNG_LOGLINE_H
#include <stddef.h>
#include <stdint.h>

#include "lineasm.h"
#include "logdir.h"
#include "tai.h"

/*
 * Input positions count the bytes of input from where svlogd began. The
 * batches are written by commit(upto, inbody, eof): everything fed before
 * input position upto, a line being in its body there (inbody) or not, the
 * input ending there (eof) or not. Delivery calls it when a batch lacks
 * room, or when a line would push a current past its size.
 */
struct logline {
	struct logset *set;       /* the directories, their batches (obuf) and selection (sel) */
	struct lineasm *la;       /* cuts the input into heads, bodies and ends */
	unsigned stamplevel;      /* 0, or -t, -tt, -ttt: 1, 2, 3 */
	char replace_char;        /* -r: what replaces a head's unwanted bytes; 0: none */
	const char *replace_set;  /* -R: bytes replaced besides the unprintable ones */
	char *headbuf;            /* a head after replacement: set->linemax bytes */
	void (*commit)(uint64_t upto, int inbody, int eof);
	struct tain stamp_at;     /* the arrival time stamp holds */
	char stamp[LOG_STAMP_LEN];
};

/* l for set's directories, lines cut by la, batches written by commit;
 * no stamps, no replacement: the caller sets those, and headbuf. */
void logline_init(struct logline *l, struct logset *set, struct lineasm *la,
    void (*commit)(uint64_t upto, int inbody, int eof));

/* Feeds in[0..n), input from position inpos that arrived at now, through
 * the line assembler into the batches. Returns where a head it holds (its
 * line still incomplete) begins; before that, everything is in a batch. */
size_t logline_feed(struct logline *l, uint64_t inpos, const char *in, size_t n,
    const struct tain *now);

/* End of input at position inpos: the line still open ends. */
void logline_finish(struct logline *l, uint64_t inpos);

#endif
