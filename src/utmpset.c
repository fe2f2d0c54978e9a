/* utmpset.c: marks a tty line logged out in utmp, and with -w appends the logout to wtmp. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "opt.h"

#ifndef UTMPSET_UTMP
#define UTMPSET_UTMP "/var/run/utmp"
#endif
#ifndef UTMPSET_WTMP
#define UTMPSET_WTMP "/var/log/wtmp"
#endif

/* The Linux utmp/wtmp record as glibc writes it on every architecture
 * (32-bit times). Spelt out here because musl's struct utmp has a different
 * size, and we must read the files glibc's login tools write. */
struct utmp_record {
	int16_t type;
	int16_t pad;
	int32_t pid;
	char line[32];
	char id[4];
	char user[32];
	char host[256];
	int16_t termination;
	int16_t exit;
	int32_t session;
	int32_t tv_sec;
	int32_t tv_usec;
	int32_t addr_v6[4];
	char unused[20];
};
_Static_assert(sizeof(struct utmp_record) == 384, "utmp record is 384 bytes");

#define DEAD_PROCESS 8

static const char *line;

static void stamp(struct utmp_record *r)
{
	struct timeval tv;

	gettimeofday(&tv, 0);
	r->tv_sec = (int32_t)tv.tv_sec;
	r->tv_usec = (int32_t)tv.tv_usec;
	r->type = DEAD_PROCESS;
}

/* Blocking whole-file write lock: fcntl locks, as glibc's utmp code uses. */
static int lock_file(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int r;

	do
		r = fcntl(fd, F_SETLKW, &fl);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Compares the whole field, so "tty1" does not match "tty10". */
static int line_matches(const struct utmp_record *r, size_t len)
{
	size_t n = len < sizeof r->line ? len + 1 : sizeof r->line;

	return memcmp(r->line, line, n) == 0;
}

static int logout_utmp(void)
{
	struct utmp_record r;
	size_t len = strlen(line);
	off_t at = 0;
	ssize_t got;
	int fd;

	if (len > sizeof r.line)
		die(111, DIAG_NOERR, "unable to logout line ", line, " in utmp: name too long");
	fd = open(UTMPSET_UTMP, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(111, errno, "unable to open ", UTMPSET_UTMP);
	if (lock_file(fd) < 0)
		die(111, errno, "unable to lock: ", UTMPSET_UTMP);
	for (;;) {
		got = read_full(fd, &r, sizeof r);
		if (got != (ssize_t)sizeof r)
			return -1; /* end of file, a torn last record or a read error */
		if (r.user[0] && line_matches(&r, len))
			break;
		at += (off_t)sizeof r;
	}
	memset(r.user, 0, sizeof r.user);
	memset(r.host, 0, sizeof r.host);
	stamp(&r);
	if (lseek(fd, at, SEEK_SET) != at || write_all(fd, &r, sizeof r) < 0)
		return -1;
	close_fd(fd); /* drops the lock */
	return 0;
}

static int logout_wtmp(void)
{
	struct utmp_record r;
	struct stat st;
	size_t len = strlen(line);
	int fd;

	fd = open(UTMPSET_WTMP, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		die(111, errno, "unable to open ", UTMPSET_WTMP);
	if (lock_file(fd) < 0)
		die(111, errno, "unable to lock ", UTMPSET_WTMP);
	if (fstat(fd, &st) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	memcpy(r.line, line, len < sizeof r.line ? len : sizeof r.line);
	stamp(&r);
	if (write_all(fd, &r, sizeof r) < 0) {
		int saved = errno;
		/* A torn record would shift every later one: cut back to the old end. */
		int cut = ftruncate(fd, st.st_size);
		(void)cut; /* the write's error is the one to report */
		errno = saved;
		return -1;
	}
	close_fd(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	const char *prog = argc > 0 ? argv[0] : "utmpset";
	int wtmp = 0, c;

	diag_prefix = "utmpset";
	while ((c = opt_next(&o, argc, argv, "wV")) != -1) {
		switch (c) {
		case 'w':
			wtmp = 1;
			break;
		case 'V':
			print_version();
			die_usage(1, prog, "[-w] line");
		default:
			die_usage(1, prog, "[-w] line");
		}
	}
	if (o.ind >= argc)
		die_usage(1, prog, "[-w] line");
	line = argv[o.ind];
	if (logout_utmp() < 0) {
		warn(DIAG_NOERR, "unable to logout line ", line, " in utmp: no such entry");
		return 111;
	}
	if (wtmp && logout_wtmp() < 0) {
		warn(errno, "unable to logout line ", line, " in wtmp");
		return 111;
	}
	return 0;
}
