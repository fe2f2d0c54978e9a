/* svlog.c: reading a service's svlogd directory for sv log: where it is, its files in order, stamps in local time, the last lines, following it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "io.h"
#include "num.h"
#include "svfmt.h"
#include "svlog.h"
#include "tai.h"

const char *svlog_dir_arg(int argc, char *const argv[])
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return i + 1 < argc ? argv[i + 1] : 0;
		if (a[0] != '-' || !a[1])
			return a;
		/* a group of letters; one taking a value ends the group */
		for (const char *p = a + 1; *p; p++) {
			if (strchr("rRlb", *p)) {
				if (!p[1])
					i++; /* the value is the next word */
				break;
			}
		}
	}
	return 0;
}

int svlog_cmdline(pid_t pid, char *buf, size_t size, char *argv[], int max)
{
	char path[sizeof "/proc//cmdline" + FMT_ULONG];
	ssize_t n;
	int argc = 0;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
	n = read_string_at(AT_FDCWD, path, buf, size);
	if (n < 0)
		return -1;
	for (char *p = buf; p < buf + n && argc < max - 1; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = 0;
	return argc;
}

static int is_svlogd(pid_t pid)
{
	char buf[4096], *argv[2];
	const char *base;

	if (svlog_cmdline(pid, buf, sizeof buf, argv, 2) < 1)
		return 0;
	base = strrchr(argv[0], '/');
	return !strcmp(base ? base + 1 : argv[0], "svlogd");
}

pid_t svlog_find_svlogd(pid_t pid)
{
	char path[2 * FMT_ULONG + sizeof "/proc//task//children"], list[4096];
	ssize_t n;

	if (is_svlogd(pid))
		return pid;
	/* ./run without exec: svlogd is a child of the shell */
	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", (long)pid, (long)pid);
	n = read_string_at(AT_FDCWD, path, list, sizeof list);
	if (n <= 0)
		return 0;
	for (char *p = list; *p;) {
		char *end;
		long child = strtol(p, &end, 10);

		if (end == p)
			break;
		if (child > 0 && is_svlogd((pid_t)child))
			return (pid_t)child;
		p = end;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	return 0;
}

static int hexdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int svlog_rotated(const char *name)
{
	if (name[0] != '@' || strlen(name) != 27 || name[25] != '.' ||
	    (name[26] != 's' && name[26] != 'u'))
		return 0;
	for (int i = 1; i < 25; i++)
		if (!hexdigit(name[i]))
			return 0;
	return 1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void svlog_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char **svlog_list(int dirfd, size_t *n)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? 0 : fdopendir(fd);
	char **names = 0;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	if (!d) {
		if (fd >= 0)
			close_fd(fd);
		return 0;
	}
	while ((e = readdir(d))) {
		if (!svlog_rotated(e->d_name))
			continue;
		if (grow(&names, &cap, *n + 1, sizeof *names, 16) < 0)
			goto nomem;
		if (!(names[*n] = strdup(e->d_name)))
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (!names && !(names = malloc(sizeof *names))) {
		errno = ENOMEM;
		return 0;
	}
	/* the label is the time of rotation: by name is oldest first */
	qsort(names, *n, sizeof *names, by_name);
	return names;
nomem:
	closedir(d);
	svlog_free(names, *n);
	*n = 0;
	errno = ENOMEM;
	return 0;
}

static int digits(const char *s, int n, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*out = *out * 10 + (unsigned)(s[i] - '0');
	}
	return 1;
}

/* "YYYY-MM-DD?HH:MM:SS.fffff" in UTC, sep '_' or 'T'. */
static int scan_date(const char *s, int64_t *sec, uint32_t *nano)
{
	unsigned y, mo, d, h, mi, se, f;
	struct tm tm;

	if (s[4] != '-' || s[7] != '-' || (s[10] != '_' && s[10] != 'T') || s[13] != ':' ||
	    s[16] != ':' || s[19] != '.' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
	    !digits(s + 17, 2, &se) || !digits(s + 20, 5, &f) || mo < 1 || mo > 12 || d < 1 ||
	    d > 31 || h > 23 || mi > 59 || se > 60)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	*sec = (int64_t)timegm(&tm);
	*nano = f * 10000;
	return 1;
}

size_t svlog_stamp(const char *line, size_t n, char out[SVLOG_STAMP_MAX], size_t *outn)
{
	int64_t sec;
	uint32_t nano;

	if (n < TAIN_HEX + 1 || line[TAIN_HEX] != ' ')
		return 0;
	if (line[0] == '@') {
		unsigned char packed[TAIN_PACK];
		struct tain t;

		for (int i = 0; i < TAIN_PACK; i++) {
			const char *h = line + 1 + 2 * i;

			if (!hexdigit(h[0]) || !hexdigit(h[1]))
				return 0;
			packed[i] = (unsigned char)(((h[0] <= '9' ? h[0] - '0' : h[0] - 'a' + 10) << 4) |
			    (h[1] <= '9' ? h[1] - '0' : h[1] - 'a' + 10));
		}
		tain_unpack(packed, &t);
		if (t.sec < (1ULL << 62) || t.nano > 999999999)
			return 0;
		sec = tain_unix(&t);
		nano = t.nano;
	} else if (!scan_date(line, &sec, &nano)) {
		return 0;
	}
	*outn = svfmt_localtime(out, sec, nano);
	return *outn ? TAIN_HEX : 0;
}

/* Counts line starts backwards in [0, size) of fd; *need decreases per line.
 * Returns the offset where the wanted lines start, or -1 when the file
 * holds fewer (then *need is what is still missing). */
static off_t tail_of(int fd, off_t size, unsigned long *need)
{
	char buf[65536];
	off_t end = size, pos;
	int first = 1;

	while (end > 0) {
		size_t len = end > (off_t)sizeof buf ? sizeof buf : (size_t)end;
		ssize_t got;

		pos = end - (off_t)len;
		got = pread(fd, buf, len, pos);
		if (got != (ssize_t)len)
			return -2;
		for (size_t i = len; i-- > 0;) {
			if (buf[i] != '\n')
				continue;
			/* the newline ending the file starts no line */
			if (first && pos + (off_t)i == size - 1) {
				first = 0;
				continue;
			}
			first = 0;
			if (--*need == 0)
				return pos + (off_t)i + 1;
		}
		first = 0;
		end = pos;
	}
	/* the file's first line starts at 0 */
	if (size > 0 && --*need == 0)
		return 0;
	return -1;
}

int svlog_open(int dirfd, const char *name)
{
	struct stat sb;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ELOOP ? SVLOG_NOT_FILE : -1;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		int saved = errno;

		close_fd(fd);
		if (!S_ISREG(sb.st_mode))
			return SVLOG_NOT_FILE;
		errno = saved;
		return -1;
	}
	return fd;
}

int svlog_open_rotated(int dirfd, char *name)
{
	int fd = svlog_open(dirfd, name);
	size_t n = strlen(name);

	if (fd == -1 && errno == ENOENT && svlog_rotated(name)) {
		name[n - 1] = name[n - 1] == 'u' ? 's' : 'u';
		fd = svlog_open(dirfd, name);
		if (fd == -1 && errno == ENOENT)
			name[n - 1] = name[n - 1] == 'u' ? 's' : 'u';
	}
	return fd;
}

int svlog_tail(int dirfd, char *const names[], size_t n, int curfd, unsigned long lines,
    size_t *file, off_t *offset)
{
	unsigned long need = lines;
	struct stat sb;

	*file = 0;
	*offset = 0;
	if (lines == 0) {
		/* nothing: the end of current */
		*file = n;
		if (curfd >= 0 && fstat(curfd, &sb) < 0)
			return -1;
		*offset = curfd >= 0 ? sb.st_size : 0;
		return 0;
	}
	/* current first (index n), then the rotated files, newest first */
	for (size_t i = n + 1; i-- > 0;) {
		int fd = i == n ? curfd : svlog_open_rotated(dirfd, names[i]);
		off_t at;

		if (i == n && fd < 0)
			continue; /* no current */
		if (fd == SVLOG_NOT_FILE || (fd < 0 && errno == ENOENT))
			continue; /* removed meanwhile (pruned), or not a log file */
		if (fd < 0)
			return -1;
		if (fstat(fd, &sb) < 0) {
			if (i != n)
				close_fd(fd);
			return -1;
		}
		at = tail_of(fd, sb.st_size, &need);
		if (i != n)
			close_fd(fd);
		if (at == -2) {
			errno = EIO;
			return -1;
		}
		if (at >= 0) {
			*file = i;
			*offset = at;
			return 0;
		}
	}
	return 0;
}

/* The index of the listed file that is (dev, ino), or n. Newest first:
 * the file looked for is nearly always the last one rotated. */
static size_t find_file(int dirfd, char *const names[], size_t n, dev_t dev, ino_t ino)
{
	for (size_t i = n; i-- > 0;) {
		struct stat sb;

		if (fstatat(dirfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    sb.st_ino == ino && sb.st_dev == dev)
			return i;
	}
	return n;
}

size_t svlog_before(int dirfd, char *const names[], size_t n, int curfd)
{
	struct stat cur;

	if (curfd < 0 || fstat(curfd, &cur) < 0)
		return n;
	return find_file(dirfd, names, n, cur.st_dev, cur.st_ino);
}

/* ---- lines out ---- */

static void put_line(struct svlog_reader *r, const char *s, size_t n)
{
	char stamp[SVLOG_STAMP_MAX];
	size_t stampn = 0, skip;

	if (r->prefix)
		r->put(r->ctx, r->prefix, strlen(r->prefix));
	skip = svlog_stamp(s, n, stamp, &stampn);
	if (skip)
		r->put(r->ctx, stamp, stampn);
	r->put(r->ctx, s + skip, n - skip);
}

static int keep(struct svlog_reader *r, const char *s, size_t n)
{
	if (grow(&r->part, &r->cap, r->len + n, 1, 256) < 0)
		return -1;
	memcpy(r->part + r->len, s, n);
	r->len += n;
	return 0;
}

int svlog_read(struct svlog_reader *r, int fd)
{
	char buf[65536];
	ssize_t got;

	while ((got = read_intr(fd, buf, sizeof buf)) > 0) {
		const char *p = buf, *end = buf + got, *nl;

		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			size_t n = (size_t)(nl - p) + 1;

			if (r->len) {
				if (keep(r, p, n) < 0)
					return -1;
				put_line(r, r->part, r->len);
				r->len = 0;
			} else {
				put_line(r, p, n);
			}
			p = nl + 1;
		}
		if (p < end && keep(r, p, (size_t)(end - p)) < 0)
			return -1;
	}
	return got < 0 ? -1 : 0;
}

void svlog_flush(struct svlog_reader *r)
{
	if (!r->len)
		return;
	put_line(r, r->part, r->len);
	r->put(r->ctx, "\n", 1);
	r->len = 0;
}

void svlog_reader_free(struct svlog_reader *r)
{
	free(r->part);
	r->part = 0;
	r->len = r->cap = 0;
}

/* ---- following ---- */

/* The stamp of a rotated file's name (svlog_rotated). */
static const char *stamp_of(const char *name)
{
	return name + 1;
}

static int stamp_cmp(const char *a, const char *b)
{
	return memcmp(a, b, SVLOG_STAMP_HEX);
}

static void set_stamp(svlog_stamp_t to, const char *from)
{
	memcpy(to, from, SVLOG_STAMP_HEX);
	to[SVLOG_STAMP_HEX] = 0;
}

/* Is s newer than base ("" is older than every stamp)? */
static int after(const char *s, const char *base)
{
	return !*base || stamp_cmp(s, base) > 0;
}

static void take(struct svlog_follow *f, int fd)
{
	struct stat sb;

	f->fd = fd;
	if (fd >= 0 && fstat(fd, &sb) == 0) {
		f->dev = sb.st_dev;
		f->ino = sb.st_ino;
	}
}

void svlog_follow_start(struct svlog_follow *f, int dirfd, int fd, struct svlog_reader *rd)
{
	size_t n, k;
	char **names;

	memset(f, 0, sizeof *f);
	f->dirfd = dirfd;
	f->rd = rd;
	f->fd = -1;
	take(f, fd);
	/* the files before the one held open were read (or left out by -n) */
	names = svlog_list(dirfd, &n);
	if (!names)
		return;
	k = fd >= 0 ? svlog_before(dirfd, names, n, fd) : n;
	if (k)
		set_stamp(f->base, stamp_of(names[k - 1]));
	svlog_free(names, n);
}

/* Keeps stamp in f->noted, in order, once, when it is newer than base. */
static void note(struct svlog_follow *f, const char *stamp)
{
	size_t i = f->nnoted;

	if (!after(stamp, f->base))
		return;
	while (i > 0 && stamp_cmp(f->noted[i - 1], stamp) > 0)
		i--;
	if (i > 0 && !stamp_cmp(f->noted[i - 1], stamp))
		return;
	if (grow(&f->noted, &f->cap, f->nnoted + 1, sizeof *f->noted, 8) < 0) {
		f->lost = 1;
		return;
	}
	memmove(f->noted + i + 1, f->noted + i, (f->nnoted - i) * sizeof *f->noted);
	set_stamp(f->noted[i], stamp);
	f->nnoted++;
}

void svlog_follow_event(struct svlog_follow *f, uint32_t mask, uint32_t cookie, const char *name)
{
	if (mask & IN_Q_OVERFLOW) {
		f->lost = 1;
		f->cookie_set = 0;
		return;
	}
	if (!name)
		return;
	if ((mask & IN_MOVED_FROM) && !strcmp(name, "current")) {
		f->cookie = cookie;
		f->cookie_set = 1;
	} else if ((mask & IN_MOVED_TO) && f->cookie_set && cookie == f->cookie) {
		f->cookie_set = 0;
		if (svlog_rotated(name))
			note(f, stamp_of(name));
	}
}

/* Drops the noted stamps up to base. */
static void forget(struct svlog_follow *f)
{
	size_t k = 0;

	while (k < f->nnoted && !after(f->noted[k], f->base))
		k++;
	if (!k)
		return;
	memmove(f->noted, f->noted + k, (f->nnoted - k) * sizeof *f->noted);
	f->nnoted -= k;
}

static void skipped(struct svlog_reader *rd, const char *name, int err)
{
	if (rd->skipped)
		rd->skipped(rd->ctx, name, err);
}

static int listed(char *const names[], size_t n, const char *stamp)
{
	for (size_t i = 0; i < n; i++)
		if (!stamp_cmp(stamp_of(names[i]), stamp))
			return 1;
	return 0;
}

/*
 * The file held open was rotated (and read to its end through its
 * descriptor): reads whole every file rotated after it, oldest first, up to
 * the file now current (stop), which may have been rotated too since it
 * was opened: it is read through its descriptor, not here. held: a file
 * was held open (else the files after base are read). names, n: the
 * listing taken right after stop was opened, before anything was written
 * (a write may block for long: stop could be rotated and processed
 * meanwhile, and no longer be known by its inode); freed here.
 *
 * Which name the held file went to: the one with its inode, while it is
 * there; else (processed into @X.s, or pruned) the first rotation of
 * current that inotify told after base; else (the event queue
 * overflowed) unknown, and every file after base is read. Files are
 * looked up by stamp, so a processor's rename on the way does not hide
 * one; a file gone entirely was pruned before it could be read, and is
 * counted.
 */
static int catch_up(struct svlog_follow *f, const struct stat *stop, int held, char **names,
    size_t n)
{
	size_t i, upto, k;
	svlog_stamp_t from, last;
	const char *limit;
	int r = 0;

	upto = find_file(f->dirfd, names, n, stop->st_dev, stop->st_ino);
	limit = upto < n ? stamp_of(names[upto]) : 0;
	memcpy(from, f->base, sizeof from);
	if (held) {
		k = find_file(f->dirfd, names, upto, f->dev, f->ino);
		if (k < upto)
			set_stamp(from, stamp_of(names[k]));
		else if (!f->lost && f->nnoted && (!limit || stamp_cmp(f->noted[0], limit) < 0))
			set_stamp(from, f->noted[0]);
		/* else the queue overflowed and its name is not known: every
		 * file after base is read, the held one's processed copy too if
		 * it is there (lines twice rather than a file passed over) */
	}
	memcpy(last, from, sizeof last);
	for (i = 0; i < upto && r == 0; i++) {
		int fd;

		if (!after(stamp_of(names[i]), from))
			continue;
		set_stamp(last, stamp_of(names[i]));
		fd = svlog_open_rotated(f->dirfd, names[i]);
		if (fd < 0) {
			if (fd == -1 && errno == ENOENT)
				f->pruned++;
			else
				skipped(f->rd, names[i], fd == SVLOG_NOT_FILE ? 0 : errno);
			continue;
		}
		r = svlog_read(f->rd, fd);
		svlog_flush(f->rd);
		close_fd(fd);
	}
	/* rotations told of that were gone before the listing */
	for (i = 0; i < f->nnoted; i++) {
		const char *s = f->noted[i];

		if (!after(s, from) || (limit && stamp_cmp(s, limit) >= 0))
			continue;
		if (!listed(names, upto, s))
			f->pruned++;
		if (stamp_cmp(s, last) > 0)
			set_stamp(last, s);
	}
	memcpy(f->base, last, sizeof last);
	forget(f);
	f->lost = 0; /* what was not told is read or counted up to base now */
	svlog_free(names, n);
	return r;
}

int svlog_follow_poke(struct svlog_follow *f)
{
	struct stat sb;
	int fd, err = 0, r = 0;

	if (f->fd >= 0 && svlog_read(f->rd, f->fd) < 0)
		return -1;
	/* still the one followed (held open: its inode cannot be reused); a
	 * rotation after this look sends an event of its own */
	if (f->fd >= 0 && fstatat(f->dirfd, "current", &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    sb.st_ino == f->ino && sb.st_dev == f->dev)
		return 0;
	/* rotated: the old file is complete; its end is read before current
	 * is opened, since writing it out may block for long */
	if (f->fd >= 0 && svlog_read(f->rd, f->fd) < 0)
		return -1;
	/*
	 * current is opened before the files rotated since the last look are
	 * listed, and what is compared is the file opened: svlogd may rotate
	 * again at any moment, and a file rotated between a look at current
	 * and its open, or between the listing and the open, was skipped.
	 * Every rotation told so far (also those while this poke was blocked
	 * writing) is read in first: all of them are of files older than the
	 * one opened, and what the listing lacks of them was pruned.
	 */
	if (f->drain)
		f->drain(f->drain_ctx);
	fd = svlog_open(f->dirfd, "current");
	if (fd == -1 && errno == ENOENT)
		return 0; /* between rotation's rename and create */
	if (fd < 0) {
		err = fd == SVLOG_NOT_FILE ? 0 : errno;
		if (fstatat(f->dirfd, "current", &sb, AT_SYMLINK_NOFOLLOW) < 0)
			return errno == ENOENT ? 0 : -1;
		/* told once: until current is replaced, it is this one */
		if (f->fd < 0 && sb.st_ino == f->ino && sb.st_dev == f->dev)
			return 0;
	} else if (fstat(fd, &sb) < 0) {
		err = errno;
		close_fd(fd);
		errno = err;
		return -1;
	} else if (f->fd >= 0 && sb.st_ino == f->ino && sb.st_dev == f->dev) {
		close_fd(fd); /* the one followed after all */
		return 0;
	}
	/* every file rotated after the old one is complete too, but the one
	 * just opened: listed now, before anything is written */
	if (f->fd >= 0 || f->ino || *f->base || f->nnoted) {
		size_t n;
		char **names = svlog_list(f->dirfd, &n);

		if (f->fd >= 0) {
			svlog_flush(f->rd);
			close_fd(f->fd);
		}
		r = names ? catch_up(f, &sb, f->fd >= 0, names, n) : -1;
		f->fd = -1;
	}
	f->dev = sb.st_dev;
	f->ino = sb.st_ino;
	if (fd < 0) {
		skipped(f->rd, "current", err);
		return r;
	}
	f->fd = fd;
	return r < 0 ? r : svlog_read(f->rd, fd);
}

void svlog_follow_stop(struct svlog_follow *f)
{
	if (f->fd >= 0)
		close_fd(f->fd);
	f->fd = -1;
	free(f->noted);
	f->noted = 0;
	f->nnoted = f->cap = 0;
}
