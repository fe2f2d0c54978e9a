/* inoevents.h: reading an inotify descriptor's queue, event by event. */
#ifndef RNG_INOEVENTS_H
#define RNG_INOEVENTS_H
#include <sys/inotify.h>

/* Reads every event pending on the non-blocking inotify descriptor fd and
 * calls fn(ctx, ev) for each, in order (a lost queue is an event of mask
 * IN_Q_OVERFLOW). Returns 0 once the queue is empty, or -1 with errno when
 * fd cannot be read any more (EIO for an end of file). */
int inotify_each(int fd, void (*fn)(void *ctx, const struct inotify_event *ev), void *ctx);
#endif
