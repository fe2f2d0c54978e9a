/* status.c: the supervise/ status record (20 bytes) and the stat text line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "status.h"

unsigned char status_want_byte(enum sv_want w)
{
	return w == WANT_UP ? 'u' : 'd';
}

void status_pack(unsigned char out[STATUS_SIZE], const struct sv_status *s)
{
	tain_pack(out, &s->stamp);
	/* The pid is little-endian: runit copies it byte by byte from the low end. */
	out[12] = (unsigned char)s->pid;
	out[13] = (unsigned char)(s->pid >> 8);
	out[14] = (unsigned char)(s->pid >> 16);
	out[15] = (unsigned char)(s->pid >> 24);
	out[16] = s->paused;
	out[17] = s->want;
	out[18] = s->term;
	out[19] = s->state;
}

void status_unpack(const unsigned char in[STATUS_SIZE], struct sv_status *s)
{
	tain_unpack(in, &s->stamp);
	s->pid = (uint32_t)in[12] | (uint32_t)in[13] << 8 | (uint32_t)in[14] << 16 |
	    (uint32_t)in[15] << 24;
	s->paused = in[16];
	s->want = in[17];
	s->term = in[18];
	s->state = in[19];
}

int status_read_fd(int fd, struct sv_status *s)
{
	unsigned char buf[STATUS_SIZE + 1];
	ssize_t n;

	n = read_file(fd, buf, sizeof buf);
	if (n < 0)
		return -1;
	if (n != STATUS_SIZE)
		return 1;
	status_unpack(buf, s);
	return 0;
}

int status_read(const char *path, struct sv_status *s)
{
	int fd, r, saved;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = status_read_fd(fd, s);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static size_t append(char *out, size_t len, const char *s)
{
	size_t n = strlen(s);
	memcpy(out + len, s, n);
	return len + n;
}

size_t status_stat_line(char *out, enum sv_state state, int paused, int term,
    enum sv_want want)
{
	static const char *const base[] = { "down", "run", "finish" };
	size_t len = append(out, 0, base[state]);

	if (paused)
		len = append(out, len, ", paused");
	if (term)
		len = append(out, len, ", got TERM");
	if (state != SV_DOWN && want == WANT_DOWN)
		len = append(out, len, ", want down");
	if (state != SV_DOWN && want == WANT_EXIT)
		len = append(out, len, ", want exit");
	out[len++] = '\n';
	return len;
}

int status_replace_at(int dirfd, const char *name, const void *data, size_t len)
{
	char tmp[64];
	size_t n = strlen(name);
	ssize_t w;
	int fd, saved;

	/* Names are short (pid, stat, status). A small buffer and no stdio keep
	 * an idle supervisor's stack and touched libc pages few. */
	if (n + sizeof ".new" > sizeof tmp) {
		errno = ENAMETOOLONG;
		return 1;
	}
	memcpy(tmp, name, n);
	memcpy(tmp + n, ".new", sizeof ".new");
	fd = openat(dirfd, tmp, O_WRONLY | O_NONBLOCK | O_TRUNC | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	do
		w = write(fd, data, len);
	while (w < 0 && errno == EINTR);
	saved = errno;
	close(fd);
	if (w < 0 || (size_t)w != len) {
		unlinkat(dirfd, tmp, 0);
		errno = saved;
		return w < 0 ? 2 : 3;
	}
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		return 4;
	return 0;
}

int status_holds_at(int dirfd, const char *name, const void *data, size_t len)
{
	char have[STAT_LINE_MAX + 1];
	struct stat st;
	ssize_t n;
	int fd, same = 0;

	if (len > STAT_LINE_MAX)
		return 0;
	/* Not a symlink, a FIFO or a device: whatever is there is replaced. */
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)len) {
		do
			n = read(fd, have, sizeof have);
		while (n < 0 && errno == EINTR);
		same = n == (ssize_t)len && memcmp(have, data, len) == 0;
	}
	close(fd);
	return same;
}

int status_replace(const char *dir, const char *name, const void *data, size_t len)
{
	int dirfd, r, saved;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return 1;
	r = status_replace_at(dirfd, name, data, len);
	saved = errno;
	close(dirfd);
	errno = saved;
	return r;
}
