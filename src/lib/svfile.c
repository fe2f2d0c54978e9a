/* svfile.c: the one-value files of a service directory (timeout-kill, timeout-finish, watchdog-ms, notification-fd, down-signal), and an instance's files taken from its template. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "num.h"
#include "signame.h"
#include "svfile.h"

/* The instance directories and their templates' (svfile_fallback). */
static struct fallback {
	int dirfd, tmpl_fd;
	const char *tmpl_path;
} fallbacks[SVFILE_FALLBACKS];
static int nfallbacks;

int svfile_fallback(int dirfd, int tmpl_fd, const char *tmpl_path)
{
	if (nfallbacks == SVFILE_FALLBACKS) {
		errno = ENOSPC;
		return -1;
	}
	fallbacks[nfallbacks++] = (struct fallback){ dirfd, tmpl_fd, tmpl_path };
	return 0;
}

void svfile_fallback_drop(int dirfd)
{
	for (int i = 0; i < nfallbacks; i++)
		if (fallbacks[i].dirfd == dirfd) {
			fallbacks[i] = fallbacks[--nfallbacks];
			return;
		}
}

static const struct fallback *fallback_of(int dirfd)
{
	for (int i = 0; i < nfallbacks; i++)
		if (fallbacks[i].dirfd == dirfd)
			return &fallbacks[i];
	return 0;
}

int svfile_open(int dirfd, const char *name, int flags)
{
	const struct fallback *f;
	int fd = openat(dirfd, name, flags);

	if (fd < 0 && errno == ENOENT && (f = fallback_of(dirfd)))
		fd = openat(f->tmpl_fd, name, flags);
	return fd;
}

int svfile_stat(int dirfd, const char *name, struct stat *st)
{
	const struct fallback *f;
	int r = fstatat(dirfd, name, st, 0);

	if (r < 0 && errno == ENOENT && (f = fallback_of(dirfd)))
		r = fstatat(f->tmpl_fd, name, st, 0);
	return r;
}

int svfile_exec(int dirfd, const char *name, char *const argv[], char *const envp[])
{
	const struct fallback *f;
	char path[4096];
	size_t n;

	execve(name, argv, envp);
	if (errno != ENOENT || !(f = fallback_of(dirfd)))
		return -1;
	n = strlen(f->tmpl_path);
	if (n + 1 + strlen(name) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, f->tmpl_path, n);
	path[n] = '/';
	strcpy(path + n + 1, name);
	execve(path, argv, envp);
	return -1;
}

int svfile_parse(const char *buf, size_t len, char value[SVFILE_VALUE_MAX + 1],
    const char **why)
{
	size_t n = len;

	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n == 0) {
		*why = "empty";
		return SVFILE_INVALID;
	}
	if (n > SVFILE_VALUE_MAX) {
		*why = "longer than 63 bytes";
		return SVFILE_INVALID;
	}
	if (memchr(buf, '\0', n)) {
		*why = "holds a NUL byte";
		return SVFILE_INVALID;
	}
	if (memchr(buf, '\n', n)) {
		*why = "more than one line";
		return SVFILE_INVALID;
	}
	memcpy(value, buf, n);
	value[n] = '\0';
	return SVFILE_OK;
}

int svfile_exists(int dirfd, const char *name)
{
	int fd = svfile_open(dirfd, name, SVFILE_READ_FLAGS);

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	close(fd);
	return 1;
}

int svfile_read(int dirfd, const char *name, char value[SVFILE_VALUE_MAX + 1],
    const char **why)
{
	char buf[SVFILE_VALUE_MAX + 2]; /* one byte more than the longest file tells "too long" */
	struct stat st;
	ssize_t n;
	int fd, e;

	fd = svfile_open(dirfd, name, SVFILE_READ_FLAGS);
	if (fd < 0)
		return errno == ENOENT ? SVFILE_ABSENT : SVFILE_ERROR;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return SVFILE_INVALID;
	}
	n = read_full(fd, buf, sizeof buf);
	if (n < 0)
		goto fail;
	close(fd);
	return svfile_parse(buf, (size_t)n, value, why);
fail:
	e = errno;
	close(fd);
	errno = e;
	return SVFILE_ERROR;
}

int svfile_parse_ms(const char *value, unsigned long *ms, const char **why)
{
	unsigned long u;

	if (!scan_ulong_all(value, &u)) {
		*why = "not a number of milliseconds";
		return SVFILE_INVALID;
	}
	if (u > SVFILE_MS_MAX) {
		*why = "more than 2147483647 milliseconds";
		return SVFILE_INVALID;
	}
	*ms = u;
	return SVFILE_OK;
}

int svfile_read_ms(int dirfd, const char *name, unsigned long *ms, const char **why)
{
	char value[SVFILE_VALUE_MAX + 1];
	int r = svfile_read(dirfd, name, value, why);

	return r == SVFILE_OK ? svfile_parse_ms(value, ms, why) : r;
}

int svfile_read_signal(int dirfd, const char *name, int *sig, const char **why)
{
	char value[SVFILE_VALUE_MAX + 1];
	int r = svfile_read(dirfd, name, value, why);

	if (r != SVFILE_OK)
		return r;
	*sig = signame_parse(value, strlen(value));
	if (!*sig) {
		*why = "not a signal name or number";
		return SVFILE_INVALID;
	}
	return SVFILE_OK;
}
