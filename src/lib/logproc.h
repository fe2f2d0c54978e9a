/* logproc.h: a svlogd log directory's processor: running it on a rotated file, its end, its retries, and the hand-over of its output. */
#ifndef RNG_LOGPROC_H
#define RNG_LOGPROC_H
#include "logdir.h"

#define LOGPROC_RETRY_MAX 64  /* seconds between starts of a failing processor, at most */

/* Runs d's processor (conf.processor) on procname in procdir, in the
 * background. Returns once the child has run the shell (or failed): until
 * its exec the child shares svlogd's locks, and a SIGHUP meanwhile could
 * not take them again. */
void logproc_start(struct logdir *d);

/* Whether a failed processor is to run again: it still is configured, and
 * svlogd goes on. */
int logproc_wanted(const struct logdir *d);

/* No more tries: its input stays for a later one (or a human). */
void logproc_give_up(struct logdir *d);

/* Waits for d's processor to end, and finishes its work. */
void logproc_wait(struct logdir *d);

/* Reaps every processor of set that ended. */
void logset_reap(struct logset *set);

/* At start: a processor killed between renaming its output to @X.s and
 * unlinking its input @X.u left both, with the same lines; the hand-over is
 * finished (the input unlinked, newstate made state), so that no line is
 * kept twice. */
void logproc_finish_handovers(struct logdir *d);

#endif
