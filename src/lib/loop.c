/* loop.c: signals as readable events (signalfd) and a poll that restarts on EINTR. */
#include <errno.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

static sigset_t saved_mask;

int loop_signals(const sigset_t *set)
{
	if (sigprocmask(SIG_BLOCK, set, &saved_mask) < 0)
		return -1;
	return signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int loop_next_signal(int sigfd)
{
	struct signalfd_siginfo si;
	ssize_t r;

	do
		r = read(sigfd, &si, sizeof si);
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)sizeof si)
		return 0;
	return (int)si.ssi_signo;
}

void loop_child_signals(void)
{
	sigprocmask(SIG_SETMASK, &saved_mask, 0);
}

int loop_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	int r;

	do
		r = poll(fds, n, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r;
}

long long loop_mono_ms(void)
{
	struct timespec ts;

	/* cannot fail with a valid clock and pointer */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
