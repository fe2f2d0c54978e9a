/* io.c: descriptor I/O that survives EINTR and short transfers. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

ssize_t read_intr(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Reads until n bytes or EOF; short_is_end: or the first short read. */
static ssize_t read_upto(int fd, void *buf, size_t n, int short_is_end)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read_intr(fd, p + got, n - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
		if (short_is_end && got < n)
			break;
	}
	return (ssize_t)got;
}

ssize_t read_full(int fd, void *buf, size_t n)
{
	return read_upto(fd, buf, n, 0);
}

ssize_t read_file(int fd, void *buf, size_t n)
{
	return read_upto(fd, buf, n, 1);
}

static int setfl(int fd, int get, int set, int flag, int on)
{
	int fl = fcntl(fd, get);
	if (fl < 0)
		return -1;
	fl = on ? fl | flag : fl & ~flag;
	return fcntl(fd, set, fl);
}

ssize_t read_string_at(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), saved;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_full(fd, buf, size - 1);
	saved = errno;
	close_fd(fd);
	errno = saved;
	if (n >= 0)
		buf[n] = 0;
	return n;
}

int fd_cloexec(int fd) { return setfl(fd, F_GETFD, F_SETFD, FD_CLOEXEC, 1); }
int fd_nonblock(int fd) { return setfl(fd, F_GETFL, F_SETFL, O_NONBLOCK, 1); }
int fd_block(int fd) { return setfl(fd, F_GETFL, F_SETFL, O_NONBLOCK, 0); }

int fd_move(int to, int from)
{
	if (to == from)
		return setfl(to, F_GETFD, F_SETFD, FD_CLOEXEC, 0);
	if (dup2(from, to) < 0)
		return -1;
	close(from);
	return 0;
}

int close_fd(int fd)
{
	if (close(fd) < 0 && errno != EINTR)
		return -1;
	return 0;
}

int lines_read(const char *path, char *buf, size_t size,
    int (*each)(const char *line, size_t len, void *ctx), void *ctx)
{
	size_t have = 0, start, i;
	int fd, skipping = 0, r = 0, e;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (r == 0) {
		n = read_intr(fd, buf + have, size - have);
		if (n < 0) {
			r = -1;
			break;
		}
		if (n == 0) {
			if (have && !skipping)
				r = each(buf, have, ctx);
			break;
		}
		have += (size_t)n;
		for (start = 0, i = 0; i < have && r == 0; i++) {
			if (buf[i] != '\n')
				continue;
			if (!skipping)
				r = each(buf + start, i - start, ctx);
			skipping = 0;
			start = i + 1;
		}
		if (start == 0 && have == size) {
			skipping = 1; /* longer than buf: drop what we have of it */
			have = 0;
		} else {
			memmove(buf, buf + start, have - start);
			have -= start;
		}
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}
