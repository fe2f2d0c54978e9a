/* loop.h: signals as readable events (signalfd) and a poll that restarts on EINTR. */
#ifndef RNG_LOOP_H
#define RNG_LOOP_H
#include <poll.h>
#include <signal.h>

/* Blocks the signals in set and returns a non-blocking, close-on-exec
 * signalfd delivering them; -1 on error. The previous mask is saved for
 * loop_child_signals(). */
int loop_signals(const sigset_t *set);
/* Next pending signal number from the signalfd, or 0 when none is left. */
int loop_next_signal(int sigfd);
/* In a freshly forked child: restore the signal mask from before loop_signals(). */
void loop_child_signals(void);
/* poll(2) restarted on EINTR; timeout in milliseconds, -1 forever. */
int loop_poll(struct pollfd *fds, nfds_t n, int timeout_ms);
/* Milliseconds on the monotonic clock: what every deadline is measured in. */
long long loop_mono_ms(void);
#endif
