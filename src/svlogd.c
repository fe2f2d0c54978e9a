/* svlogd.c: the log daemon's main, read loop, signals, and batch step with its journal; the directories, their config and the lines' delivery are src/lib/log*.c. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "journal.h"
#include "lineasm.h"
#include "logdir.h"
#include "logline.h"
#include "logproc.h"
#include "loop.h"
#include "num.h"
#include "opt.h"
#include "tai.h"

#define USAGE "[-ttv] [-r c] [-R abc] [-l len] [-b buflen] dir ..."
#define INBUF LOG_INBUF
#define PIPEFS_MAGIC_ 0x50495045
#define TAIL_MAX 2048         /* a held head's tail left in the pipe, at most */

/*
 * No loss on a pipe. svlogd peeks at its input with tee(2), writes what it
 * read, and only then takes those bytes out of the pipe, so a killed svlogd
 * leaves the rest to the next one on the same pipe (runsv keeps it open).
 * What the next one must know is kept in the log directories' lock files
 * (src/lib/journal.c encodes it, and journal_recover reads it back):
 *
 * - Each batch (what a run of input gives each directory, written with one
 *   write per directory) is numbered and announced, before its write, by a
 *   record in every directory's lock: the size of current before and after,
 *   where the batch's input lies (its start in the journal, its rest in the
 *   pipe), and at either end whether a line is in its body (its head
 *   given out, its end to come) and written by that directory. current
 *   found between "before" and "after" holds a torn write, cut back to
 *   "before".
 * - Taking the batch's input out of the pipe is made as certain. It is read
 *   out but for its last byte, which splice(2) then moves into the journal,
 *   the part of one directory's lock (its home: the first in use, or where
 *   journal_rehome moved it, as the newest record says) from JOURNAL_AT on,
 *   which only grows (until it is emptied). A read of bytes already in a
 *   pipe is never cut short by a kill, and the journal's size says whether
 *   the last byte went; if it did not, the pipe's first byte tells the
 *   whole batch (its first byte) from its last byte alone. A batch whose first and last bytes are
 *   equal, one byte long among them, is moved into the journal whole
 *   instead: until the move, all of it is in the pipe.
 * - A line whose head (what its selection depends on) is still incomplete
 *   when the pipe runs dry is left there, fed but not taken, while an
 *   edge-triggered epoll wakes svlogd at each write (journal_head_may_wait:
 *   the journal kept, the pipe provable, the head at most TAIL_MAX bytes,
 *   well below the smallest pipe), for a writer that trickles and for
 *   HEAD_WAIT_MS at most (a writer asleep halfway through a write larger
 *   than the pipe's room wakes no one: see TRICKLE). A
 *   next svlogd on the same pipe reads it again, and stamps it when it does;
 *   on another pipe it is gone with the pipe, as any byte left there.
 *   Otherwise (no such wake, a longer head, the wait over, no writer left)
 *   it is moved into the journal (journal_hold), with its first byte's
 *   stamp: the pipe then empties, so that the writer's next bytes wake
 *   svlogd, and a next svlogd on any input finds the head there. Its later
 *   pieces may wait in the pipe as above.
 * - The batch step (records, writes, take, and at the end of input a new
 *   generation) is journal_commit, the one the simulator drives too; so is
 *   the journal's move to another home (journal_rehome): the held head's
 *   start and head in the new home, then the records naming it, and only
 *   then the old home closed off, so that the newest record always points
 *   at a journal that holds the held head.
 *
 * Journal and records name the pipe (its inode, and the boot): input is
 * taken up again only on the same pipe, when nothing says someone else
 * wrote a current since; on any other, a line begun ends, and what reached
 * a current stays.
 */
static struct logset logs;   /* the log directories (logdir.c) */
static struct logdir *dirs;  /* logs.dir */
static int ndirs;            /* logs.n */
static struct logline lines; /* their delivery (logline.c) */
static int verbose;
static unsigned long linemax = 1000;

/* input */
static struct lineasm la;
static char *inbuf;
static int piped;             /* stdin is a pipe: peek, write, take */
static int scratch[2] = { -1, -1 };
static int sigfd = -1;
static int stopping;

/* the journal and the input's positions (see above) */
static struct journal J = { .fd = -1, .home = -1 }; /* journal_init in main */
static int tail_epfd = -1;    /* stdin, edge-triggered */
static int tail_wakes;        /* a held head's tail may wait in the pipe */

static void info(const char *a, const char *b, const char *c)
{
	if (verbose)
		diag("info", DIAG_NOERR, a, b ? b : "", c ? c : "");
}

/* --- opening and closing directories ------------------------------------- */

static void write_batch(struct logdir *d);

/* Whether d's current ends inside a line that d goes on with. */
static int goes_on(const struct logdir *d)
{
	return d->skip ? d->skip_sel : d->sel && lineasm_inbody(&la);
}

/* The journal is kept in a lock svlogd holds: it moves when its directory
 * goes out of use. */
static void dir_dropped(struct logdir *d)
{
	if (d - dirs == J.home)
		J.home_changed = 1;
}

static void need_one_dir(void)
{
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			return;
	die(111, DIAG_NOERR, "no functional log directories.");
}

/* With every directory open, none of whose current can be written: pause
 * and look again, as runit does, rather than exit with the input unread (a
 * single bad directory among working ones is set aside instead). SIGTERM
 * meanwhile ends svlogd, nothing read. */
static void wait_usable_current(void)
{
	for (;;) {
		const struct logdir *bad = 0;
		struct pollfd p = { sigfd, POLLIN, 0 };
		int err = 0;

		for (int i = 0; i < ndirs; i++) {
			if (!dirs[i].ok)
				continue;
			if (!logdir_current_unusable(&dirs[i]))
				return;
			if (!bad) {
				bad = &dirs[i];
				err = errno;
			}
		}
		if (!bad)
			return;
		diag("pausing", err, "unable to open current: ", bad->name);
		if (loop_poll(&p, 1, LOG_PAUSE_SECONDS * 1000) <= 0)
			continue;
		for (int sig; (sig = loop_next_signal(sigfd));) {
			if (sig == SIGTERM)
				exit(0);
			if (sig == SIGCHLD)
				logset_reap(&logs);
		}
	}
}

static void reopen_all(void)
{
	for (int i = 0; i < ndirs; i++) {
		logdir_open(&dirs[i]);
		if (!dirs[i].ok)
			dirs[i].sel = 0;
	}
	need_one_dir();
	wait_usable_current();
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			logdir_open_current(&dirs[i], goes_on(&dirs[i]));
	need_one_dir();
	J.home_changed = 1;
}

/* --- lines --------------------------------------------------------------- */

static void commit(uint64_t upto, int inbody, int eof);

/* Feeds in[0..n), input from position J.inpos that arrived at now, into the
 * batches (logline.c); where a head it holds begins. */
static size_t svlogd_feed(const char *in, size_t n, const struct tain *now)
{
	return logline_feed(&lines, J.inpos, in, n, now);
}

/* End of input: the line still open ends. */
static void svlogd_finish(void)
{
	logline_finish(&lines, J.inpos);
}

/* --- batches ------------------------------------------------------------- */

static void write_batch(struct logdir *d)
{
	size_t off = 0;

	while (off < d->olen) {
		ssize_t w = write(d->curfd, d->obuf + off, d->olen - off);
		int err;
		if (w >= 0) {
			off += (size_t)w;
			continue;
		}
		if (errno == EINTR)
			continue;
		err = errno; /* free_space reads the directory: keep the write's error */
		if (err == ENOSPC && logdir_free_space(d))
			continue;
		logdir_pause(d, "unable to write to current", err);
	}
	d->size += d->olen;
	d->olen = 0;
}

/* The directories, as the journal's batch step sees them. */
static void dir_state(void *ctx, int i, struct jbatch_dir *out)
{
	const struct logdir *d = &dirs[i];

	(void)ctx;
	out->ok = d->ok;
	out->lockfd = d->lockfd;
	out->size = d->size;
	out->olen = d->olen;
	out->cur_ino = d->cur_ino;
	out->sel0 = d->sel0;
	out->sel1 = d->sel;
}

static void dir_write(void *ctx, int i)
{
	(void)ctx;
	write_batch(&dirs[i]);
}

static struct journal_dirs jdirs = { .state = dir_state, .write = dir_write }; /* .n in main */

/*
 * The journal must be in a lock svlogd holds: once its directory is no
 * longer in use (dropped, or not reopened at SIGHUP) or its lock is another
 * file, the journal moves to the first directory in use, with the held
 * head's start (journal_rehome: new home first, old one closed off last).
 * Called between reads, where the journal's carry is the start of the head
 * the line assembler holds; the rest, if any, waits in the pipe.
 */
static void journal_rehome_if_needed(void)
{
	struct stat st;
	struct tain first;
	const char *held;
	size_t n;
	int home = -1, state;

	J.home_changed = 0;
	if (J.fd < 0)
		return;
	if (dirs[J.home].ok && fstat(dirs[J.home].lockfd, &st) == 0 &&
	    (uint64_t)st.st_dev == J.home_dev && (uint64_t)st.st_ino == J.home_ino)
		return;
	for (int i = 0; i < ndirs && home < 0; i++)
		if (dirs[i].ok)
			home = i;
	held = lineasm_held(&la, &n, &first);
	state = journal_rehome(&J, &jdirs, home, home < 0 ? -1 : dirs[home].fd, held, &first);
	if (state == JREAD_DAMAGED)
		diag("warning", DIAG_NOERR, "damaged journal head, not trusted: ",
		    dirs[home].name, "/lock");
}

/*
 * Writes every directory's batch: the output of the input fed since the
 * last batch, up to input position upto, where a line is in its body
 * (inbody) or not, the input ending there (eof) or not (journal_commit:
 * with a journal, records first, and the pipe's part of that input taken
 * after).
 */
static void commit(uint64_t upto, int inbody, int eof)
{
	/* past the recovered batch, a directory's state is its own */
	for (int i = 0; i < ndirs; i++)
		if (upto >= dirs[i].skip)
			dirs[i].skip = 0;
	if (!journal_commit(&J, &jdirs, inbuf, upto, inbody, eof, piped))
		return;
	for (int i = 0; i < ndirs; i++)
		dirs[i].sel0 = dirs[i].sel;
}

/* The pipe holds, from where it was taken to where it was fed, only bytes
 * of a line whose head is incomplete: into the journal, with the stamp of
 * its first byte. */
static void hold(void)
{
	struct tain first;
	size_t nheld;

	(void)lineasm_held(&la, &nheld, &first);
	journal_hold(&J, inbuf, &first);
}

/* A line can be left open at exit and taken up by the next svlogd. */
static int continuable(void)
{
	return piped && J.fd >= 0 && J.provable;
}

/*
 * A writer asleep halfway through a write that found the pipe full wakes no
 * reader unless the pipe was empty when the write began; with a head
 * waiting there, it is not. A bulk writer (whose next write may well be
 * larger than the pipe's room) would then stall svlogd until the wait ends
 * (wait_tail): a head waits in the pipe only for a writer that trickles,
 * whose last TRICKLE writes each gave at most SMALL_PEEK bytes, and the
 * count starts again after a wait that timed out.
 */
#define TRICKLE 8
#define SMALL_PEEK 512
static unsigned small_peeks;

/* n bytes fed at input position J.inpos, arrived at now: each directory's
 * batch, and on a pipe their taking; a held head waits in the pipe where
 * it may (journal_head_may_wait: rather than a syscall or two per piece,
 * one per byte for a writer that writes a byte at a time), else it goes
 * into the journal. */
static void input_read(const char *buf, size_t n, const struct tain *now)
{
	size_t nheld;
	struct tain first;
	uint64_t end;

	svlogd_feed(buf, n, now);
	end = J.inpos + n;
	/* everything before a held head is in a batch */
	(void)lineasm_held(&la, &nheld, &first);
	commit(end - nheld, lineasm_inbody(&la), 0);
	J.fed = end;
	if (piped && J.fed > J.taken &&
	    !journal_head_may_wait(&J, tail_wakes && small_peeks >= TRICKLE, TAIL_MAX))
		hold();
	if (!piped)
		J.inpos = end;
}

/* The end of the input: the last line, ended, and the last batch. */
static void input_end(void)
{
	svlogd_finish();
	commit(J.inpos, 0, 1);
}

/* --- recovery ------------------------------------------------------------ */

/* Which pipe stdin is, if it can be told from every other pipe later: an
 * anonymous pipe (a named FIFO keeps its name, not its contents) in this
 * boot. */
static void find_origin(void)
{
	struct stat st;
	struct statfs fs;
	char id[36];
	int fd, k = 0;

	memset(&J.origin, 0, sizeof J.origin);
	J.provable = 0;
	if (!piped || fstat(0, &st) < 0 || fstatfs(0, &fs) < 0 || fs.f_type != PIPEFS_MAGIC_)
		return;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (read_full(fd, id, sizeof id) == (ssize_t)sizeof id)
		for (size_t i = 0; i < sizeof id && k < 32; i++) {
			int c = id[i], v = c >= '0' && c <= '9' ? c - '0' :
			    c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (v >= 0) {
				J.origin.boot[k / 2] |= (unsigned char)(k % 2 ? v : v << 4);
				k++;
			}
		}
	close(fd);
	J.origin.dev = (uint64_t)st.st_dev;
	J.origin.ino = (uint64_t)st.st_ino;
	J.provable = k == 32;
}

/* Peeks at the pipe's first byte: 1 if there is one. */
static int peek_byte(unsigned char *c)
{
	ssize_t t;

	do
		t = tee(0, scratch[1], 1, SPLICE_F_NONBLOCK);
	while (t < 0 && errno == EINTR);
	return t == 1 && read_intr(scratch[0], c, 1) == 1;
}

static struct jreplay replay; /* the journal's held head, to feed again */

/* At startup, with the directories and their locks open and current not
 * yet touched: settles what a killed svlogd left (journal_recover), and
 * takes up each directory's state. */
static void recover(void)
{
	struct jdir *jd = calloc((size_t)ndirs, sizeof *jd);

	if (!jd)
		die(111, DIAG_NOERR, "out of memory.");
	for (int i = 0; i < ndirs; i++) {
		jd[i].ok = dirs[i].ok;
		jd[i].fd = dirs[i].fd;
		jd[i].lockfd = dirs[i].lockfd;
		jd[i].name = dirs[i].name;
		jd[i].batch_room = logdir_batch_room(&dirs[i]);
	}
	journal_recover(&J, jd, ndirs, linemax, peek_byte, inbuf, &replay);
	if (replay.resume_body)
		lineasm_resume_body(&la);
	for (int i = 0; i < ndirs; i++) {
		dirs[i].rec_ok = jd[i].rec_ok;
		dirs[i].skip = jd[i].skip;
		dirs[i].skip_sel = jd[i].skip_sel;
		dirs[i].sel = dirs[i].sel0 = jd[i].sel;
	}
	free(jd);
}

/* After every current is open: feeds the held head again; if the input is
 * another, ends it as a line and starts afresh. */
static void recover_end(void)
{
	if (replay.n) {
		J.inpos = 0;
		svlogd_feed(replay.bytes, replay.n, &replay.first);
		free(replay.bytes);
		replay.bytes = 0;
	}
	J.inpos = replay.n;
	if (replay.ends) {
		if (lineasm_open(&la))
			input_end();
		for (int i = 0; i < ndirs; i++) {
			dirs[i].skip = 0;
			dirs[i].sel = dirs[i].sel0 = 0;
		}
		J.inpos = J.taken = J.carry = J.fed = 0;
		J.inbody0 = 0;
		if (J.fd >= 0)
			journal_store_head(&J, J.size, 0);
	}
	for (int i = 0; i < ndirs; i++)
		dirs[i].rec_ok = 0;
	if (!piped && J.fd >= 0) {
		close(J.fd);
		J.fd = -1;
	}
}
/* --- input --------------------------------------------------------------- */

/* Copies up to want bytes from the head of the stdin pipe without taking
 * them: the count, 0 at the end of input, -1 with EAGAIN while it is empty.
 * The end of input is a tee(2) of nothing: an empty pipe without writers. */
static ssize_t peek(char *buf, size_t want)
{
	ssize_t t, got = 0;

	do
		t = tee(0, scratch[1], want, SPLICE_F_NONBLOCK);
	while (t < 0 && errno == EINTR);
	if (t <= 0)
		return t;
	while (got < t) {
		ssize_t r = read_intr(scratch[0], buf + got, (size_t)(t - got));
		if (r <= 0) {
			errno = r < 0 ? errno : EIO;
			return -1;
		}
		got += r;
	}
	return got;
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
			logset_reap(&logs);
			break;
		case SIGALRM:
			info("sigalarm received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				logdir_rotate(&dirs[i]);
			break;
		case SIGHUP:
			info("sighangup received.", 0, 0);
			for (int i = 0; i < ndirs; i++)
				logdir_close(&dirs[i]);
			reopen_all();
			break;
		}
	}
}

/* Rotations by age, restarts of failed processors; ms to the next one, or -1. */
static int timers(void)
{
	return logset_timers(&logs);
}

/* Rotations that had to wait for the batch to be written. */
static void settle(void)
{
	logset_settle(&logs);
}

/* Waits for input, a signal or a timer; 1 when stdin can be read. */
static int wait_input(void)
{
	struct pollfd p[2] = { { sigfd, POLLIN, 0 }, { 0, POLLIN, 0 } };

	return loop_poll(p, 2, timers()) > 0 && p[1].revents;
}

#define HEAD_WAIT_MS 200      /* a held head waits in the pipe this long at most */
static uint64_t wait_taken = UINT64_MAX; /* J.taken when the held head began to wait */
static uint64_t wait_until;   /* then it goes into the journal (ms, monotonic) */

/*
 * Waits, with a held head (or its tail) in the pipe, which keeps it
 * readable, for the writer's next bytes, a signal or a timer. The kernel
 * wakes the edge-triggered epoll at each write that completes, but not for
 * a writer that finds the pipe full halfway through a write and sleeps: so
 * a head waits HEAD_WAIT_MS at most, then goes into the journal, and the
 * pipe holds only what the writer gives after it. So does it once no writer
 * is left, so that the end of input can be seen.
 */
static void wait_tail(void)
{
	/* stdin asked for nothing: poll still says when no writer is left */
	struct pollfd p[3] = { { sigfd, POLLIN, 0 }, { tail_epfd, POLLIN, 0 }, { 0, 0, 0 } };
	struct epoll_event ev;
	uint64_t now = (uint64_t)loop_mono_ms();
	int ms;

	if (J.taken != wait_taken) {
		wait_taken = J.taken;
		wait_until = now + HEAD_WAIT_MS;
	}
	if (now >= wait_until) {
		small_peeks = 0;
		hold();
		return;
	}
	ms = timers();
	if (ms < 0 || (uint64_t)ms > wait_until - now)
		ms = (int)(wait_until - now);
	if (loop_poll(p, 3, ms) <= 0)
		return;
	if (p[1].revents)
		while (epoll_wait(tail_epfd, &ev, 1, 0) > 0)
			;
	if (p[2].revents)
		hold();
}

/* Whether this kernel wakes an edge-triggered epoll at each write to a
 * pipe that is not empty (Linux from 5.14 on, and before 5.5). */
static int probe_tail_wakes(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int p[2], ep, ok = 0;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return 0;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0 &&
	    write(p[1], "x", 1) == 1 && epoll_wait(ep, &ev, 1, 0) == 1 &&
	    write(p[1], "x", 1) == 1)
		ok = epoll_wait(ep, &ev, 1, 0) == 1;
	if (ep >= 0)
		close(ep);
	close(p[0]);
	close(p[1]);
	return ok;
}

static void setup_tail(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	if (!piped || !probe_tail_wakes())
		return;
	tail_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (tail_epfd >= 0 && epoll_ctl(tail_epfd, EPOLL_CTL_ADD, 0, &ev) == 0)
		tail_wakes = 1;
}

static void run(void)
{
	struct tain now;
	ssize_t got;

	for (;;) {
		handle_signals();
		timers();
		if (J.home_changed)
			journal_rehome_if_needed();
		/* on a pipe, what is not read stays there for the next svlogd,
		 * and so does a line begun (see the protocol above) */
		if (stopping && (continuable() || !lineasm_open(&la)))
			return;
		if (piped) {
			size_t seen = (size_t)(J.fed - J.taken); /* a held head's tail */
			got = peek(inbuf, INBUF);
			if (got < 0 && errno == EAGAIN) {
				wait_input();
				continue;
			}
			if (got < 0) {
				/* plain reads from here: the journal is of no use
				 * any more, and they start where the pipe was taken */
				journal_lost(&J, "peek at standard input", errno);
				if (J.fed > J.taken)
					hold();
				J.inpos = J.taken;
				piped = 0;
				continue;
			}
			if (got > 0 && (size_t)got <= seen) {
				wait_tail();
				continue;
			}
			J.peek_at = J.taken;
			J.inpos = J.fed;
			small_peeks = (size_t)got - seen <= SMALL_PEEK ? small_peeks + (small_peeks < TRICKLE) : 0;
			/* stopping: take only the rest of the open line */
			const char *nl = stopping ? memchr(inbuf + seen, '\n', (size_t)got - seen) : 0;
			if (nl)
				got = nl - inbuf + 1;
			if (got > 0) {
				tain_now(&now);
				input_read(inbuf + seen, (size_t)got - seen, &now);
				settle();
				continue;
			}
		} else {
			if (!wait_input())
				continue;
			/* stopping: read only the rest of the open line, as runit does */
			got = read_intr(0, inbuf, stopping ? 1 : INBUF);
			if (got < 0 && errno == EAGAIN)
				continue;
			if (got < 0)
				diag("warning", errno, "unable to read standard input");
		}
		if (got <= 0) {
			input_end();
			return;
		}
		tain_now(&now);
		input_read(inbuf, (size_t)got, &now);
		settle();
	}
}

static void finish(void)
{
	stopping = 1;
	for (int i = 0; i < ndirs; i++) {
		struct logdir *d = &dirs[i];
		logproc_wait(d);
		if (d->proc_retry.tv_sec)
			logproc_give_up(d);
		logdir_close(d);
	}
}

static void setup_input(void)
{
	struct stat st;

	piped = fstat(0, &st) == 0 && S_ISFIFO(st.st_mode);
	if (piped && pipe2(scratch, O_CLOEXEC) < 0) {
		diag("warning", errno, "unable to peek at standard input, a kill may now lose lines");
		piped = 0;
	}
}

int main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	unsigned long buflen = 1024;
	sigset_t set;
	char *held, *headbuf, replace_char = 0;
	const char *replace_set = "";
	unsigned stamplevel = 0;
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

	inbuf = malloc(INBUF);
	headbuf = malloc(linemax);
	held = malloc(linemax);
	ndirs = argc - o.ind;
	dirs = calloc((size_t)ndirs, sizeof *dirs);
	if (!inbuf || !headbuf || !held || !dirs)
		die(111, DIAG_NOERR, "out of memory.");
	lineasm_init(&la, held, linemax);
	logset_init(&logs, dirs, ndirs, argv + o.ind);
	logs.verbose = verbose;
	logs.linemax = linemax;
	logs.stopping = &stopping;
	logs.write_batch = write_batch;
	logs.dropped = dir_dropped;
	logline_init(&lines, &logs, &la, commit);
	lines.stamplevel = stamplevel;
	lines.replace_char = replace_char;
	lines.replace_set = replace_set;
	lines.headbuf = headbuf;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGHUP);
	sigfd = loop_signals(&set);
	if (sigfd < 0)
		die(111, errno, "unable to watch signals");
	signal(SIGPIPE, SIG_IGN);

	journal_init(&J, 0);
	jdirs.n = ndirs;
	setup_input();
	setup_tail();
	find_origin();
	for (int i = 0; i < ndirs; i++) {
		logdir_open(&dirs[i]);
		if (dirs[i].ok)
			logproc_finish_handovers(&dirs[i]);
	}
	need_one_dir();
	wait_usable_current();
	recover();
	for (int i = 0; i < ndirs; i++)
		if (dirs[i].ok)
			logdir_open_current(&dirs[i], goes_on(&dirs[i]));
	need_one_dir();
	recover_end();
	run();
	finish();
	return 0;
}
