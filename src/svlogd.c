/* svlogd.c: the log daemon: reads lines on stdin, selects, stamps and appends them to rotated log directories. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "loop.h"
#include "num.h"
#include "opt.h"
#include "tai.h"

#define USAGE "[-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ..."
#define STAMP_LEN 26         /* 25-character stamp and a space */
#define INPUT_MIN 65536      /* one pipe's worth: the unit of a batch */
#define PAUSE_SECONDS 3
#define RECORD_MAGIC "svlogdR1"

/*
 * Zero loss on a pipe: input is peeked with tee(2), the complete lines are
 * written, and only then exactly the written bytes are consumed. Between the
 * write and the consume a kill would duplicate the batch, so before each
 * write a record {length, hash of the input bytes, size before, size after}
 * is stored in the directory's lock file and cleared after the consume. At
 * startup a valid record tells which case we are in: current shorter than
 * "after" means a torn write (truncate back to "before"); equal, with the
 * head of the pipe hashing the same, means the batch is already on disk
 * (skip it for this directory).
 */
struct record {
	char magic[8];
	uint64_t len, hash, before, after;
};

struct logdir {
	const char *name;
	int fd;                   /* the directory, open read-only: every path is relative to it */
	int lockfd, curfd;
	int ok;
	/* configuration */
	unsigned long sizemax, nmax, nmin, tmax;
	char *conftext;           /* config file, lines NUL-terminated in place */
	char **rules;             /* +, -, e, E lines in file order */
	size_t nrules;
	const char *processor;
	const char *prefix;
	size_t prefixlen;
	int udpfd, udponly, udpconf;
	struct sockaddr_in udpaddr;
	/* state */
	unsigned long size;       /* bytes in current, not counting obuf */
	struct timespec rotate_at;
	pid_t procpid;
	char procname[28];        /* the @X.u being processed */
	char *obuf;               /* the batch for current */
	size_t olen, ocap;
	char *abuf;               /* alert and datagram line */
	unsigned long skip;       /* input bytes already on disk (recovery) */
	int wrote;                /* has output in the batch being committed */
	int linesel;              /* the line in progress goes to this directory */
	int cont;                 /* current ends inside a line the input finishes */
	size_t contpos;           /* that line's length so far, for replacement */
};

static struct logdir *dirs;
static int ndirs;
static unsigned stamplevel;
static int verbose;
static char replace_char;
static const char *replace_set = "";
static unsigned long linemax = 1000;
static char *headbuf;         /* replaced head of the current line */

static char *inbuf;
static size_t insize;
static size_t inbase;         /* bytes of inbuf already consumed */
static int piped;             /* stdin is a pipe: peek, write, consume */
static int scratch[2] = { -1, -1 };
static int devnull = -1;
static int sigfd = -1;
static int epfd = -1;
static int stdin_polled;      /* stdin is in the epoll set */
static int in_long_line;      /* a line is being streamed in pieces */
static size_t line_pos;       /* bytes of that line so far */
static int stopping, hangup;
static int starting;          /* first opening: an unfinished line may be continued */

static char stamp[STAMP_LEN];
static char stamp_first[STAMP_LEN]; /* for a line whose first byte came earlier */
static int have_stamp_first;

static void info(const char *a, const char *b, const char *c)
{
	if (verbose)
		diag("info", DIAG_NOERR, a, b ? b : "", c ? c : "");
}

static void sleep_pause(void)
{
	struct timespec ts = { PAUSE_SECONDS, 0 };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void pausing(const char *msg, const char *dir, int err)
{
	if (dir)
		diag("pausing", err, msg, ": ", dir);
	else
		diag("pausing", err, msg);
	sleep_pause();
}

static void mono_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void make_stamp(char *out)
{
	struct tain t;

	tain_now(&t);
	if (stamplevel == 1)
		tain_fmt_hex(out, &t);
	else
		tain_fmt_date(out, &t, stamplevel == 2 ? '_' : 'T');
	out[STAMP_LEN - 1] = ' ';
}

/* A fast 64-bit hash; only compares a batch with itself across a restart. */
static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	while (n--)
		h = (h ^ (unsigned char)*p++) * 0x100000001b3ULL;
	h ^= h >> 29;
	return h * 0xc4ceb9fe1a85ec53ULL;
}

/* --- pattern matching ---------------------------------------------------- */

int svlogd_match(const char *p, const char *s, size_t len)
{
	for (;;) {
		char c = *p++;

		if (!c)
			return len == 0;
		if (c == '*') {
			if (!*p)
				return 1;
			while (len && *s != *p) {
				s++;
				len--;
			}
			if (!len)
				return 0;
			continue;
		}
		if (c == '+' && *p) {
			c = *p++;
			if (!len || *s != c)
				return 0;
			while (len && *s == c) {
				s++;
				len--;
			}
			if (!len)
				return 1;
			continue;
		}
		if (!len || *s != c)
			return 0;
		s++;
		len--;
	}
}

/* --- directory files ----------------------------------------------------- */

static int is_logname(const char *n)
{
	return n[0] == '@' && strlen(n) == 27;
}

/* Deletes .t leftovers; returns the count of other @ files and the oldest. */
static long scan_dir(struct logdir *d, char oldest[28], int remove_leftovers)
{
	DIR *dp;
	struct dirent *e;
	long count = 0;
	int fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	oldest[0] = 0;
	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((errno = 0, e = readdir(dp))) {
		if (!is_logname(e->d_name))
			continue;
		if (e->d_name[26] == 't') {
			if (remove_leftovers && unlinkat(d->fd, e->d_name, 0) < 0 && errno != ENOENT)
				diag("warning", errno, "unable to unlink processor leftover: ",
				    e->d_name);
			continue;
		}
		if (d->procpid && !strcmp(e->d_name, d->procname))
			continue;
		count++;
		if (!oldest[0] || strcmp(e->d_name, oldest) < 0)
			memcpy(oldest, e->d_name, 28);
	}
	if (errno) {
		closedir(dp);
		return -1;
	}
	closedir(dp);
	return count;
}

static void prune(struct logdir *d)
{
	char oldest[28];
	long count = scan_dir(d, oldest, 1);

	if (count < 0) {
		diag("warning", errno, "unable to read directory: ", d->name);
		return;
	}
	if (d->nmax && (unsigned long)count > d->nmax) {
		if (verbose)
			diag("info", DIAG_NOERR, "delete: ", d->name, "/", oldest);
		if (unlinkat(d->fd, oldest, 0) < 0)
			diag("warning", DIAG_NOERR, "unable to unlink: ", d->name, "/", oldest);
	}
}

/* On a full disk: delete the oldest file while more than N exist. 1 if one went. */
static int free_space(struct logdir *d)
{
	char oldest[28];
	long count;

	if (d->nmin >= d->nmax)
		return 0;
	count = scan_dir(d, oldest, 0);
	if (count < 0) {
		diag("warning", errno, "unable to read directory, want remove old logfile: ", d->name);
		return 0;
	}
	if ((unsigned long)count <= d->nmin || !oldest[0])
		return 0;
	diag("warning", DIAG_NOERR, "out of disk space, delete: ", d->name, "/", oldest);
	return unlinkat(d->fd, oldest, 0) == 0;
}

/* --- processor ----------------------------------------------------------- */

static _Noreturn void processor_fail(struct logdir *d, const char *what)
{
	die(111, errno, "unable to ", what, ": ", d->name);
}

static void processor_start(struct logdir *d)
{
	pid_t pid;
	char tname[28];

	while ((pid = fork()) < 0)
		pausing("unable to fork for processor", d->name, errno);
	if (pid) {
		d->procpid = pid;
		return;
	}
	loop_child_signals();
	signal(SIGPIPE, SIG_DFL);
	if (fchdir(d->fd) < 0)
		processor_fail(d, "change directory, want processor");
	memcpy(tname, d->procname, 28);
	tname[26] = 't';
	int in = open(d->procname, O_RDONLY);
	if (in < 0 || fd_move(0, in) < 0)
		processor_fail(d, "open input for processor");
	int out = open(tname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || fd_move(1, out) < 0)
		processor_fail(d, "open output for processor");
	int st = open("state", O_RDONLY | O_CREAT, 0644);
	if (st < 0)
		st = open("state", O_RDONLY);
	if (st < 0 || fd_move(4, st) < 0)
		processor_fail(d, "open state for processor");
	int ns = open("newstate", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ns < 0 || fd_move(5, ns) < 0)
		processor_fail(d, "open newstate for processor");
	execl("/bin/sh", "sh", "-c", d->processor, (char *)0);
	processor_fail(d, "run processor");
}

static void processor_done(struct logdir *d, int status)
{
	char tname[28], sname[28];

	memcpy(tname, d->procname, 28);
	memcpy(sname, d->procname, 28);
	tname[26] = 't';
	sname[26] = 's';
	d->procpid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		diag("warning", DIAG_NOERR, "processor failed, restart: ", d->name);
		unlinkat(d->fd, tname, 0);
		processor_start(d);
		return;
	}
	while (renameat(d->fd, tname, d->fd, sname) < 0)
		pausing("unable to rename processed", d->name, errno);
	while (fchmodat(d->fd, sname, 0744, 0) < 0)
		pausing("unable to set mode of processed", d->name, errno);
	if (unlinkat(d->fd, d->procname, 0) < 0 && errno != ENOENT)
		diag("warning", errno, "unable to unlink: ", d->name, "/", d->procname);
	while (renameat(d->fd, "newstate", d->fd, "state") < 0)
		pausing("unable to rename state", d->name, errno);
	if (verbose)
		diag("info", DIAG_NOERR, "processed: ", d->name, "/", sname);
}

static void processor_wait(struct logdir *d)
{
	int status;
	pid_t r;

	while (d->procpid) {
		r = waitpid(d->procpid, &status, 0);
		if (r == d->procpid)
			processor_done(d, status);
		else if (r < 0 && errno != EINTR) {
			if (errno == ECHILD) {
				d->procpid = 0;
				break;
			}
			pausing("error waiting for processor", d->name, errno);
		}
	}
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (int i = 0; i < ndirs; i++)
			if (dirs[i].procpid == pid)
				processor_done(&dirs[i], status);
}

/* --- current and rotation ------------------------------------------------ */

static int open_current(struct logdir *d)
{
	int fd;

	while ((fd = openat(d->fd, "current", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0)
		pausing("unable to create new current", d->name, errno);
	while (fchmod(fd, 0644) < 0)
		pausing("unable to set mode of current", d->name, errno);
	return fd;
}

static void close_current(struct logdir *d)
{
	while (fsync(d->curfd) < 0 && errno != EINVAL && errno != EROFS)
		pausing("unable to fsync current logfile", d->name, errno);
	while (fchmod(d->curfd, 0744) < 0)
		pausing("unable to set mode of current", d->name, errno);
	close_fd(d->curfd);
	d->curfd = -1;
}

static void fresh_name(struct logdir *d, char name[28], char state)
{
	struct tain t;
	struct stat st;

	for (;;) {
		tain_now(&t);
		tain_fmt_hex(name, &t);
		name[25] = '.';
		name[26] = state;
		name[27] = 0;
		if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT)
			return;
		/* the same microsecond, or a clock going backwards: try again */
		struct timespec ts = { 0, 1000 };
		nanosleep(&ts, 0);
	}
}

static void rotate(struct logdir *d)
{
	char name[28], num[FMT_ULONG];

	if (d->size == 0 || (in_long_line && d->linesel) || d->cont)
		return; /* never split a line: rotate once it is finished */
	processor_wait(d);
	fresh_name(d, name, d->processor ? 'u' : 's');
	close_current(d);
	while (renameat(d->fd, "current", d->fd, name) < 0)
		pausing("unable to rename current", d->name, errno);
	if (verbose) {
		fmt_ulong(num, d->size);
		diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name, " ", num);
	}
	d->curfd = open_current(d);
	d->size = 0;
	prune(d);
	if (d->processor) {
		memcpy(d->procname, name, 28);
		if (verbose)
			diag("info", DIAG_NOERR, "processing: ", d->name, "/", name);
		processor_start(d);
	}
}

/* --- writing batches ----------------------------------------------------- */

static void write_batch(struct logdir *d)
{
	size_t done = 0;

	while (done < d->olen) {
		ssize_t w = write(d->curfd, d->obuf + done, d->olen - done);
		if (w >= 0) {
			done += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == ENOSPC && free_space(d))
			continue;
		pausing("unable to write to current", d->name, errno);
	}
	d->size += d->olen;
	d->olen = 0;
}

static void store_record(struct logdir *d, const struct record *r)
{
	/* best effort: without it a kill can only duplicate, never lose */
	(void)!pwrite(d->lockfd, r, sizeof *r, 0);
}

static void consume(size_t n)
{
	while (n) {
		ssize_t r = splice(0, 0, devnull, 0, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* splice to /dev/null is unsupported: read and drop */
			char junk[4096];
			r = read_intr(0, junk, n < sizeof junk ? n : sizeof junk);
			if (r <= 0)
				return;
		}
		n -= (size_t)r;
	}
}

/* Writes every directory's batch and consumes the input up to upto. */
static void commit(size_t upto)
{
	size_t len = upto - inbase;
	struct record r;
	int recorded = 0;

	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		d->wrote = 0;
		if (!d->ok || !d->olen)
			continue;
		if (piped) {
			if (!recorded) {
				memcpy(r.magic, RECORD_MAGIC, 8);
				r.len = len;
				r.hash = hash_bytes(inbuf + inbase, len);
				recorded = 1;
			}
			r.before = d->size;
			r.after = d->size + d->olen;
			store_record(d, &r);
			d->wrote = 1;
		}
		write_batch(d);
	}
	if (piped && len) {
		consume(len);
		for (int i = 0; i < ndirs; i++)
			if (dirs[i].wrote) {
				memset(&r, 0, sizeof r);
				store_record(&dirs[i], &r);
			}
	}
	for (int i = 0; i < ndirs; i++)
		dirs[i].skip -= dirs[i].skip < len ? dirs[i].skip : len;
	inbase = upto;
}

/* --- config -------------------------------------------------------------- */

static unsigned long scan_scaled(const char *s, char k1, unsigned long m1,
    char k2, unsigned long m2)
{
	unsigned long v;
	size_t n = scan_ulong(s, &v);

	if (s[n] == k1)
		v *= m1;
	else if (s[n] == k2)
		v *= m2;
	return v;
}

static void parse_udp(struct logdir *d, const char *arg)
{
	unsigned long part[4], port = 514;
	const char *s = arg;
	size_t n;

	for (int i = 0; i < 4; i++) {
		n = scan_ulong(s, &part[i]);
		if (!n || (i < 3 && s[n] != '.')) {
			diag("warning", DIAG_NOERR, "unable to scan ip address: ", arg);
			return;
		}
		s += n + (i < 3);
	}
	if (*s == ':') {
		n = scan_ulong(s + 1, &port);
		if (!n || !port) {
			diag("warning", DIAG_NOERR, "unable to scan port number: ", s + 1);
			return;
		}
	}
	memset(&d->udpaddr, 0, sizeof d->udpaddr);
	d->udpaddr.sin_family = AF_INET;
	d->udpaddr.sin_port = htons((uint16_t)port);
	d->udpaddr.sin_addr.s_addr = htonl((uint32_t)((part[0] & 255) << 24 |
	    (part[1] & 255) << 16 | (part[2] & 255) << 8 | (part[3] & 255)));
	d->udpconf = 1;
	if (d->udpfd < 0)
		d->udpfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static void config_defaults(struct logdir *d)
{
	d->sizemax = 1000000;
	d->nmax = 10;
	d->nmin = 10;
	d->tmax = 0;
	free(d->conftext);
	free(d->rules);
	d->conftext = 0;
	d->rules = 0;
	d->nrules = 0;
	d->processor = 0;
	d->prefix = "";
	d->prefixlen = 0;
	d->udponly = d->udpconf = 0;
	if (d->udpfd >= 0)
		close(d->udpfd);
	d->udpfd = -1;
}

/* Parses config text (NUL-terminating its lines in place). */
void svlogd_config(struct logdir *d, char *text, size_t len)
{
	size_t nrules = 0;

	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			nrules++;
	d->rules = malloc((nrules + 1) * sizeof *d->rules);
	if (!d->rules)
		die(111, DIAG_NOERR, "out of memory.");
	d->nrules = 0;
	for (size_t i = 0; i < len;) {
		char *line = text + i;
		char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;

		i += llen + 1;
		if (nl)
			*nl = 0;
		else if (llen == 1)
			break; /* runit ignores a one-character final line without newline */
		else
			line[llen] = 0;
		if (!llen)
			continue;
		switch (line[0]) {
		case 's':
			d->sizemax = scan_scaled(line + 1, 'k', 1024, 'm', 1048576);
			break;
		case 'n':
			scan_ulong(line + 1, &d->nmax);
			break;
		case 'N':
			scan_ulong(line + 1, &d->nmin);
			break;
		case 't':
			d->tmax = scan_scaled(line + 1, 'm', 60, 'h', 3600);
			break;
		case '!':
			if (line[1])
				d->processor = line + 1;
			break;
		case 'U':
			d->udponly = 1;
			/* fall through */
		case 'u':
			parse_udp(d, line + 1);
			break;
		case 'p':
			d->prefix = line + 1;
			d->prefixlen = llen - 1;
			break;
		case '+': case '-': case 'e': case 'E':
			d->rules[d->nrules++] = line;
			break;
		}
	}
}

static int read_config(struct logdir *d)
{
	struct stat st;
	int fd = openat(d->fd, "config", O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	d->conftext = malloc((size_t)st.st_size + 1);
	if (!d->conftext)
		die(111, DIAG_NOERR, "out of memory.");
	r = read_full(fd, d->conftext, (size_t)st.st_size);
	close(fd);
	if (r < 0)
		return -1;
	info("read: ", d->name, "/config");
	svlogd_config(d, d->conftext, (size_t)r);
	return 0;
}

/* --- opening and closing directories ------------------------------------- */

static int peek(char *buf, size_t want);

/* Settles a batch a killed svlogd may have left half done (see struct record). */
static void recover(struct logdir *d)
{
	struct record r;
	struct stat st;

	d->skip = 0;
	if (pread(d->lockfd, &r, sizeof r, 0) != (ssize_t)sizeof r ||
	    memcmp(r.magic, RECORD_MAGIC, 8) || r.len > insize)
		return;
	if (fstatat(d->fd, "current", &st, 0) == 0) {
		uint64_t size = (uint64_t)st.st_size;
		if (size >= r.before && size < r.after) {
			int fd = openat(d->fd, "current", O_WRONLY | O_CLOEXEC);
			if (fd >= 0) {
				(void)!ftruncate(fd, (off_t)r.before);
				close(fd);
			}
		} else if (size == r.after && piped) {
			int n = peek(inbuf, (size_t)r.len);
			if (n == (int)r.len && hash_bytes(inbuf, r.len) == r.hash)
				d->skip = r.len;
		}
	}
	memset(&r, 0, sizeof r);
	store_record(d, &r);
}

static int ends_in_newline(struct logdir *d, off_t size)
{
	char c = '\n';
	int fd = openat(d->fd, "current", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (pread(fd, &c, 1, size - 1) != 1)
			c = '\n';
		close(fd);
	}
	return c == '\n';
}

static void open_dir(struct logdir *d)
{
	struct stat st;
	size_t need;

	d->ok = 0;
	d->fd = open(d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		diag("warning", errno, "unable to open log directory: ", d->name);
		return;
	}
	d->lockfd = openat(d->fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
	if (d->lockfd < 0 || flock(d->lockfd, LOCK_EX | LOCK_NB) < 0) {
		diag("warning", errno, "unable to lock directory: ", d->name);
		goto fail;
	}
	config_defaults(d);
	if (read_config(d) < 0) {
		diag("warning", errno, "unable to read config: ", d->name);
		goto fail;
	}
	if (starting)
		recover(d);
	d->cont = 0;
	if (fstatat(d->fd, "current", &st, 0) == 0) {
		if (starting && st.st_size > 0 && !ends_in_newline(d, st.st_size)) {
			/* a killed svlogd wrote the start of a line; the pipe holds the rest */
			d->cont = 1;
			d->contpos = 0;
			d->size = (unsigned long)st.st_size;
			info("append: ", d->name, "/current");
		} else if (st.st_size > 0 && !(st.st_mode & S_IXUSR)) {
			char name[28];
			fresh_name(d, name, 'u');
			while (renameat(d->fd, "current", d->fd, name) < 0)
				pausing("unable to rename current", d->name, errno);
			if (verbose)
				diag("info", DIAG_NOERR, "rename: ", d->name, "/current ", name);
			d->size = 0;
			prune(d);
			info("new: ", d->name, "/current");
		} else {
			d->size = (unsigned long)st.st_size;
			info("append: ", d->name, "/current");
		}
	} else if (errno == ENOENT) {
		d->size = 0;
		info("new: ", d->name, "/current");
	} else {
		diag("warning", errno, "unable to stat current: ", d->name);
		goto fail;
	}
	d->curfd = open_current(d);
	need = insize + STAMP_LEN + d->prefixlen + 1;
	if (d->ocap < need) {
		free(d->obuf);
		d->obuf = malloc(need);
		d->ocap = need;
	}
	free(d->abuf);
	d->abuf = malloc(STAMP_LEN + d->prefixlen + linemax + 4);
	if (!d->obuf || !d->abuf)
		die(111, DIAG_NOERR, "out of memory.");
	d->olen = 0;
	if (d->tmax) {
		mono_now(&d->rotate_at);
		d->rotate_at.tv_sec += (time_t)d->tmax;
	}
	d->ok = 1;
	return;
fail:
	if (d->lockfd >= 0)
		close(d->lockfd);
	d->lockfd = -1;
	close(d->fd);
	d->fd = -1;
}

static void close_dir(struct logdir *d)
{
	if (!d->ok)
		return;
	if (d->olen)
		write_batch(d);
	close_current(d);
	close(d->lockfd);
	close(d->fd);
	d->lockfd = d->fd = -1;
	d->ok = 0;
	info("close: ", d->name, 0);
}

static void open_all(void)
{
	int good = 0;

	for (int i = 0; i < ndirs; i++) {
		open_dir(&dirs[i]);
		good += dirs[i].ok;
	}
	if (!good)
		die(111, DIAG_NOERR, "no functional log directories.");
}

/* --- lines --------------------------------------------------------------- */

static int selected(struct logdir *d, const char *head, size_t hlen, int *alert)
{
	int sel = 1;

	*alert = 0;
	for (size_t i = 0; i < d->nrules; i++) {
		const char *r = d->rules[i];
		if (!svlogd_match(r + 1, head, hlen))
			continue;
		switch (r[0]) {
		case '+': sel = 1; break;
		case '-': sel = 0; break;
		case 'e': *alert = 1; break;
		case 'E': *alert = 0; break;
		}
	}
	return sel;
}

/* stamp, prefix, head, "..." when cut, newline: for stderr and UDP. */
static size_t short_line(struct logdir *d, const char *st, const char *head,
    size_t hlen, int cut)
{
	char *p = d->abuf;

	if (stamplevel) {
		memcpy(p, st, STAMP_LEN);
		p += STAMP_LEN;
	}
	memcpy(p, d->prefix, d->prefixlen);
	p += d->prefixlen;
	memcpy(p, head, hlen);
	p += hlen;
	if (cut) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p++ = '\n';
	return (size_t)(p - d->abuf);
}

static void send_udp(struct logdir *d, const char *st, const char *head, size_t hlen, int cut)
{
	size_t n = short_line(d, st, head, hlen, cut);
	ssize_t w = d->udpfd < 0 ? -1 :
	    sendto(d->udpfd, d->abuf, n, 0, (struct sockaddr *)&d->udpaddr, sizeof d->udpaddr);
	const char *what = d->udpfd < 0 ? "warning: no udp socket available: " :
	    "warning: failure sending through udp: ";
	size_t wl = strlen(what);

	if (w == (ssize_t)n)
		return;
	if (d->olen + wl + n <= d->ocap) {
		memcpy(d->obuf + d->olen, what, wl);
		memcpy(d->obuf + d->olen + wl, d->abuf, n);
		d->olen += wl + n;
	}
}

static void put(struct logdir *d, const void *p, size_t n)
{
	memcpy(d->obuf + d->olen, p, n);
	d->olen += n;
}

/* Puts n bytes of a line whose first pos bytes came before; the first
 * linemax bytes of a line get the character replacement. */
static void put_line_bytes(struct logdir *d, const char *p, size_t n, size_t pos)
{
	char *o = d->obuf + d->olen;

	memcpy(o, p, n);
	d->olen += n;
	if (!replace_char)
		return;
	for (size_t i = 0; i < n && pos + i < linemax; i++) {
		unsigned char c = (unsigned char)o[i];
		if (c < 32 || c > 126 || strchr(replace_set, c))
			o[i] = replace_char;
	}
}

/* Bytes of this line (starting at rel from the consume point) that a
 * recovered batch already holds for d. */
static size_t skipped(const struct logdir *d, size_t rel, size_t len)
{
	if (rel >= d->skip)
		return 0;
	return d->skip - rel < len ? d->skip - rel : len;
}

/*
 * Starts a line of len bytes at offset at: decides each directory's
 * selection on the head, alerts, sends UDP, then puts stamp, prefix and the
 * bytes in the batches. A batch that the line would overflow (or a current
 * it would push past its size) is committed first, for all directories at
 * once, so a commit always ends on the boundary of what was put.
 * A directory whose current ends inside a line (cont) gets the bytes as
 * that line's continuation: no stamp, no prefix, no selection.
 */
static void line_start(size_t at, const char *p, size_t len, int complete, const char *st)
{
	size_t hlen = len < linemax ? len : linemax;
	int cut = len >= linemax, flush = 0;
	const char *head = p;
	size_t body = (stamplevel ? STAMP_LEN : 0) + len + (size_t)complete;
	size_t rel = at - inbase;

	if (replace_char) {
		for (size_t i = 0; i < hlen; i++) {
			unsigned char c = (unsigned char)p[i];
			headbuf[i] = c < 32 || c > 126 || strchr(replace_set, c) ?
			    replace_char : (char)c;
		}
		head = headbuf;
	}
	line_pos = len;
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		int alert;
		size_t out = body + d->prefixlen;

		d->linesel = 0;
		if (!d->ok)
			continue;
		if (d->cont || rel < d->skip) {
			d->linesel = 1;
			if (d->olen + out > d->ocap)
				flush = 1;
			continue;
		}
		d->linesel = selected(d, head, hlen, &alert);
		if (alert)
			(void)write_all(2, d->abuf, short_line(d, st, head, hlen, cut));
		if (!d->linesel)
			continue;
		if (d->udpconf)
			send_udp(d, st, head, hlen, cut);
		if (d->udponly) {
			d->linesel = 0;
			continue;
		}
		if (d->olen + out > d->ocap || (d->sizemax &&
		    d->size + d->olen > 0 && d->size + d->olen + out > d->sizemax))
			flush = 1;
	}
	if (flush) {
		commit(at);
		rel = 0;
		for (int i = 0; i < ndirs; i++) {
			struct logdir *d = &dirs[i];
			if (d->linesel && !d->cont && !d->skip && d->sizemax &&
			    d->size + body + d->prefixlen > d->sizemax)
				rotate(d);
		}
	}
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		if (!d->linesel)
			continue;
		if (d->cont || rel < d->skip) {
			size_t off = skipped(d, rel, len);
			put_line_bytes(d, p + off, len - off, d->contpos + off);
			if (complete && rel + len + 1 > d->skip)
				put(d, "\n", 1);
			if (complete)
				d->cont = 0;
			continue;
		}
		if (stamplevel)
			put(d, st, STAMP_LEN);
		put(d, d->prefix, d->prefixlen);
		put(d, head, hlen);
		put(d, p + hlen, len - hlen);
		if (complete)
			put(d, "\n", 1);
	}
}

/* More bytes of a streamed line. */
static void line_more(size_t at, const char *p, size_t len, int complete)
{
	int flush = 0;

	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok && dirs[i].linesel && dirs[i].olen + len + 1 > dirs[i].ocap)
			flush = 1;
	if (flush)
		commit(at);
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		size_t off;
		if (!d->ok || !d->linesel)
			continue;
		off = skipped(d, at - inbase, len);
		put_line_bytes(d, p + off, len - off, line_pos + off);
		if (complete && at - inbase + len + 1 > d->skip)
			put(d, "\n", 1);
		if (complete)
			d->cont = 0;
	}
	line_pos += len;
}

/* Can a partial line be written now and finished later? Only when no
 * directory needs to see the line's head first (patterns, UDP). */
static int heads_unneeded(void)
{
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok && (dirs[i].nrules || dirs[i].udpconf || dirs[i].udponly))
			return 0;
	return 1;
}

/*
 * Processes buf[inbase..n): every complete line; a partial last line when
 * no directory needs its head, when it has reached the match length, or
 * when input ended. Commits as it goes.
 */
void svlogd_process(const char *buf, size_t n, int eof)
{
	size_t s = inbase;

	while (s < n) {
		const char *nl = memchr(buf + s, '\n', n - s);
		const char *st = have_stamp_first ? stamp_first : stamp;

		if (in_long_line) {
			size_t len = nl ? (size_t)(nl - (buf + s)) : n - s;
			int complete = nl || eof;
			line_more(s, buf + s, len, complete);
			s += len + (nl != 0);
			if (complete) {
				in_long_line = 0;
				if (stopping && piped)
					break;
			}
			continue;
		}
		if (nl) {
			line_start(s, buf + s, (size_t)(nl - (buf + s)), 1, st);
			s = (size_t)(nl - buf) + 1;
			have_stamp_first = 0;
			if (stopping && piped)
				break; /* the rest stays in the pipe for the next svlogd */
			continue;
		}
		/* a partial line */
		if (!eof && n - s < linemax && !(piped && heads_unneeded())) {
			if (!have_stamp_first) {
				memcpy(stamp_first, st, STAMP_LEN);
				have_stamp_first = 1;
			}
			break;
		}
		line_start(s, buf + s, n - s, eof, st);
		have_stamp_first = 0;
		in_long_line = !eof;
		s = n;
	}
	if (eof && in_long_line) {
		line_more(s, buf + s, 0, 1);
		in_long_line = 0;
	}
	commit(s);
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		if (d->ok && d->sizemax && d->size >= d->sizemax && !in_long_line)
			rotate(d);
	}
}

/* --- input --------------------------------------------------------------- */

/* Copies up to want bytes from the head of the stdin pipe without consuming
 * them. Returns the count, 0 at end of input, -1 with EAGAIN when empty. */
static int peek(char *buf, size_t want)
{
	ssize_t t, got = 0;

	do
		t = tee(0, scratch[1], want, SPLICE_F_NONBLOCK);
	while (t < 0 && errno == EINTR);
	if (t <= 0)
		return (int)t;
	while (got < t) {
		ssize_t r = read_intr(scratch[0], buf + got, (size_t)(t - got));
		if (r <= 0)
			return -1;
		got += r;
	}
	return (int)got;
}

static void handle_signals(void)
{
	int sig;

	while ((sig = loop_next_signal(sigfd))) {
		switch (sig) {
		case SIGTERM:
			info("sigterm received.", 0, 0);
			stopping = 1;
			break;
		case SIGCHLD:
			info("sigchild received.", 0, 0);
			reap();
			break;
		case SIGALRM:
			info("sigalarm received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				if (dirs[i].ok)
					rotate(&dirs[i]);
			break;
		case SIGHUP:
			info("sighangup received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				close_dir(&dirs[i]);
			open_all();
			break;
		}
	}
}

/* Rotates directories whose age limit passed; returns ms to the next one or -1. */
static int timed_rotations(void)
{
	struct timespec now;
	long long next = -1;

	mono_now(&now);
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		long long ms;
		if (!d->ok || !d->tmax)
			continue;
		ms = (long long)(d->rotate_at.tv_sec - now.tv_sec) * 1000 +
		    (d->rotate_at.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0) {
			rotate(d);
			d->rotate_at = now;
			d->rotate_at.tv_sec += (time_t)d->tmax;
			ms = (long long)d->tmax * 1000;
		}
		if (next < 0 || ms < next)
			next = ms;
	}
	if (next > 2744000)
		next = 2744000;
	return (int)next;
}

static void wait_input(void)
{
	struct epoll_event ev[2];
	int timeout = timed_rotations();
	int r = epoll_wait(epfd, ev, 2, timeout);

	for (int i = 0; i < r; i++)
		if (ev[i].data.fd == 0 && (ev[i].events & (EPOLLHUP | EPOLLERR)))
			hangup = 1;
}

static void setup_input(void)
{
	struct stat st;
	struct epoll_event ev;

	piped = fstat(0, &st) == 0 && S_ISFIFO(st.st_mode);
	if (piped && (pipe2(scratch, O_CLOEXEC) < 0 ||
	    (devnull = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0))
		piped = 0;
	if (piped && insize > INPUT_MIN && fcntl(scratch[1], F_SETPIPE_SZ, (int)insize) < 0)
		piped = 0;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		die(111, errno, "unable to create epoll");
	ev.events = EPOLLIN;
	ev.data.fd = sigfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev) < 0)
		die(111, errno, "unable to watch signals");
	/* level-triggered: svlogd only waits once the pipe is empty (an
	 * unfinished line is streamed or carried out of it first) */
	ev.events = EPOLLIN;
	ev.data.fd = 0;
	stdin_polled = epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &ev) == 0;
}

static void run(void)
{
	size_t n = 0, carry = 0;
	int must_wait = 0;

	for (;;) {
		int eof = 0;
		ssize_t got;

		if (must_wait && stdin_polled)
			wait_input();
		else
			timed_rotations();
		must_wait = 0;
		handle_signals();
		/* on a pipe, what is not read yet stays there for the next svlogd */
		if (stopping && !have_stamp_first && !in_long_line && (piped || n == inbase))
			return;
		if (piped) {
			got = peek(inbuf + carry, insize - carry);
			if (got < 0 && errno == EAGAIN) {
				must_wait = 1;
				continue;
			}
			inbase = carry;
			n = carry + (got > 0 ? (size_t)got : 0);
			eof = got == 0 || (hangup && n < insize);
		} else {
			if (inbase) {
				memmove(inbuf, inbuf + inbase, n - inbase);
				n -= inbase;
				inbase = 0;
			}
			got = read_intr(0, inbuf + n, insize - n);
			if (got > 0)
				n += (size_t)got;
			eof = got == 0;
			must_wait = 1;
		}
		if (got < 0) {
			if (errno == EAGAIN) {
				must_wait = 1;
				continue;
			}
			diag("warning", errno, "unable to read standard input");
			eof = 1;
		}
		if (got > 0 && stamplevel)
			make_stamp(stamp);
		size_t before = inbase;
		svlogd_process(inbuf, n, eof);
		if (eof)
			return;
		if (piped && inbase == before) {
			/*
			 * Only an unfinished line is left, and a directory must
			 * see its head before writing it. Take it out of the
			 * pipe: a writer filling a non-empty pipe does not wake
			 * its reader, an emptied one does.
			 */
			consume(n - inbase);
			carry = n;
			must_wait = 1;
		} else if (piped)
			carry = 0;
	}
}

static void finish(void)
{
	for (int i = 0; i < ndirs; i++) {
		processor_wait(&dirs[i]);
		close_dir(&dirs[i]);
	}
}

int main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	unsigned long buflen = 1024;
	sigset_t set;
	int c;

	diag_prefix = "svlogd";
	/* a closed 0, 1 or 2 would be taken by our own descriptors */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return 111;
	while ((c = opt_next(&o, argc, argv, "R:r:l:b:tvV")) != -1) {
		switch (c) {
		case 'R':
			replace_set = o.arg;
			if (!replace_char)
				replace_char = '_';
			break;
		case 'r':
			if (!o.arg[0] || o.arg[1])
				die_usage(111, argv[0], USAGE);
			replace_char = o.arg[0];
			break;
		case 'l':
			scan_ulong(o.arg, &linemax);
			if (!linemax)
				linemax = 1000;
			break;
		case 'b':
			scan_ulong(o.arg, &buflen);
			if (!buflen)
				buflen = 1024;
			break;
		case 't':
			if (++stamplevel > 3)
				stamplevel = 3;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'V':
			print_version();
			/* fall through */
		default:
			die_usage(111, argv[0], USAGE);
		}
	}
	if (o.ind >= argc || buflen <= linemax)
		die_usage(111, argv[0], USAGE);

	/* buffers are ours to size: a pipe's worth, and always room for a head */
	insize = linemax + 1 > INPUT_MIN ? linemax + 1 : INPUT_MIN;
	inbuf = malloc(insize);
	headbuf = malloc(linemax);
	ndirs = argc - o.ind;
	dirs = calloc((size_t)ndirs, sizeof *dirs);
	if (!inbuf || !headbuf || !dirs)
		die(111, DIAG_NOERR, "out of memory.");
	for (int i = 0; i < ndirs; i++) {
		dirs[i].name = argv[o.ind + i];
		dirs[i].fd = dirs[i].lockfd = dirs[i].curfd = dirs[i].udpfd = -1;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGHUP);
	sigfd = loop_signals(&set);
	if (sigfd < 0)
		die(111, errno, "unable to watch signals");
	signal(SIGPIPE, SIG_IGN);

	setup_input();
	starting = 1;
	open_all();
	starting = 0;
	run();
	finish();
	return 0;
}
