/* control.c: the supervise/control command bytes, supervise/ok liveness, and locks. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "control.h"

int control_known(int c)
{
	return c != 0 && strchr("udoxtkpcahiq12", c) != 0;
}

int control_signal(int c)
{
	switch (c) {
	case CTL_TERM: return SIGTERM;
	case CTL_KILL: return SIGKILL;
	case CTL_PAUSE: return SIGSTOP;
	case CTL_CONT: return SIGCONT;
	case CTL_ALRM: return SIGALRM;
	case CTL_HUP: return SIGHUP;
	case CTL_INT: return SIGINT;
	case CTL_QUIT: return SIGQUIT;
	case CTL_USR1: return SIGUSR1;
	case CTL_USR2: return SIGUSR2;
	default: return 0;
	}
}

int control_send(const char *fifo, const char *bytes, size_t n)
{
	ssize_t w;
	int fd, saved;

	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	do
		w = write(fd, bytes, n);
	while (w < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	errno = saved;
	if (w < 0)
		return -1;
	return (size_t)w == n ? 0 : 1;
}

int supervise_alive(const char *okfifo)
{
	int fd = open(okfifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == ENXIO ? 0 : -1;
}

int lock_open(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC, 0600);
}

int lock_take(int fd, int wait)
{
	int r;

	do
		r = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EWOULDBLOCK)
		errno = EAGAIN;
	return r;
}
