/* svout.h: sv's standard output: buffered, flushed where runit flushes, and runit's order for the lines of a service whose runsv may come back. */
#ifndef RNG_SVOUT_H
#define RNG_SVOUT_H
#include <poll.h>
#include <stddef.h>

/*
 * Lines go to a buffer that svout_flush writes out, at the points where
 * runit's sv flushes, so that what sv says on stderr interleaves with them
 * as it does with runit's.
 *
 * The ordering rule. While waiting, sv may find a service's runsv gone.
 * runit prints "fail: NAME: runsv not running" at once then; we wait a
 * while for runsvdir to start a new runsv instead. So the moment the runsv
 * is found gone, the service takes a hold on the place its fail line would
 * have had (svout_hold_begin), and from then on everything printed is held
 * back. When the hold ends (svout_hold_end), the line it says, if any, is
 * put at that place, before whatever was printed since; holds taken at the
 * same place keep the order they were taken in. When the last hold ends,
 * all that was held is written. The output is then byte for byte what
 * runit prints when the runsv stays gone, and runit's success lines in
 * their order when it comes back.
 */
struct svout_hold {
	int holding;
	size_t at;             /* its place in the held lines */
	unsigned seq;          /* earlier holds at one place come first */
	struct svout_hold *next; /* the holds taken and not ended */
};

/* Where the output goes (1 unless a test says otherwise). */
void svout_set_fd(int fd);

void svout_write(const char *s, size_t n);
void svout_put(const char *s);
void svout_ulong(unsigned long u);
/* Writes what is buffered, unless a hold keeps it back. */
void svout_flush(void);
/* Ends every hold without a line and writes everything (before exiting). */
void svout_flush_all(void);

/* Takes a hold on the place the next line would have. */
void svout_hold_begin(struct svout_hold *h);
/* Ends the hold: what say(ctx) prints (flushed), if anything, is moved to
 * the hold's place. say may be NULL. When no hold remains, all is written.
 * A hold not taken: say's line goes out in order. */
void svout_hold_end(struct svout_hold *h, void (*say)(void *ctx), void *ctx);
/* How many holds are taken. */
int svout_holds(void);

/*
 * watch and log -f end when their reader is gone: a pipe's write end
 * polls POLLERR then, before anything is written (events 0: nothing else
 * wakes), and a write that finds no reader (EPIPE, SIGPIPE ignored) says so.
 */
struct pollfd svout_reader_pollfd(void);
int svout_reader_gone(const struct pollfd *p);
#endif
