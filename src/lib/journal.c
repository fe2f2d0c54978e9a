/* journal.c: svlogd's batch record and journal: their encoding, keeping them while svlogd runs, and where a batch stands after a kill. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "journal.h"

/* --- system calls ------------------------------------------------------- */

static int sys_openat(int dirfd, const char *name, int flags)
{
	return openat(dirfd, name, flags);
}

static ssize_t sys_splice(int in, int out, off_t *off, size_t n)
{
	loff_t o = (loff_t)*off;
	ssize_t r = splice(in, 0, out, &o, n, 0);

	*off = (off_t)o;
	return r;
}

struct journal_sys journal_sys = {
	.openat = sys_openat,
	.close = close,
	.fstat = fstat,
	.fstatat = fstatat,
	.read = read,
	.pread = pread,
	.pwrite = pwrite,
	.splice = sys_splice,
	.ftruncate = ftruncate,
	.flock = flock,
};
#define SYS journal_sys

#define RECORD_MAGIC "svlogdR"
#define HEAD_MAGIC "svlogdJ"

/* --- encoding ------------------------------------------------------------ */

uint32_t journal_crc32c(const unsigned char *p, size_t n)
{
	/* Castagnoli, reflected, four bits at a time: a record is small */
	static const uint32_t nib[16] = {
		0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1,
		0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
		0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
		0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
	};
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		c = (c >> 4) ^ nib[c & 15];
		c = (c >> 4) ^ nib[c & 15];
	}
	return ~c;
}

static unsigned char *put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

static unsigned char *put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

static const unsigned char *get64(const unsigned char *p, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++)
		*v |= (uint64_t)p[i] << (8 * i);
	return p + 8;
}

static const unsigned char *get32(const unsigned char *p, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++)
		*v |= (uint32_t)p[i] << (8 * i);
	return p + 4;
}

static unsigned char *put_origin(unsigned char *p, const struct jorigin *o)
{
	p = put64(p, o->dev);
	p = put64(p, o->ino);
	memcpy(p, o->boot, 16);
	return p + 16;
}

static const unsigned char *get_origin(const unsigned char *p, struct jorigin *o)
{
	p = get64(p, &o->dev);
	p = get64(p, &o->ino);
	memcpy(o->boot, p, 16);
	return p + 16;
}

/* The magic, the version, and at the end the sum of what comes before it. */
static void seal(unsigned char *out, size_t size, const char *magic)
{
	memcpy(out, magic, 7);
	out[7] = JOURNAL_VERSION;
	put32(out + size - 4, journal_crc32c(out, size - 4));
}

/* JREAD_NONE for an empty or zeroed place, JREAD_OK for a record that
 * passes magic, version and sum, JREAD_DAMAGED for any other bytes. */
static int unseal(const unsigned char *in, size_t n, size_t size, const char *magic)
{
	uint32_t sum;
	size_t i;

	for (i = 0; i < n && i < size && !in[i]; i++)
		;
	if (i == n || i == size)
		return JREAD_NONE;
	if (n < size || memcmp(in, magic, 7) || in[7] != JOURNAL_VERSION)
		return JREAD_DAMAGED;
	get32(in + size - 4, &sum);
	return sum == journal_crc32c(in, size - 4) ? JREAD_OK : JREAD_DAMAGED;
}

void jrecord_encode(unsigned char out[JRECORD_SIZE], const struct jrecord *r)
{
	unsigned char *p = out + 8;

	p = put_origin(p, &r->origin);
	p = put64(p, r->home_dev);
	p = put64(p, r->home_ino);
	p = put64(p, r->seq);
	p = put64(p, r->gen);
	p = put64(p, r->jmark);
	p = put64(p, r->carry);
	p = put64(p, r->len);
	p = put64(p, r->mlen);
	p = put64(p, r->before);
	p = put64(p, r->after);
	p = put64(p, r->cur_ino);
	*p++ = r->first;
	*p++ = r->last;
	*p++ = r->inbody0;
	*p++ = r->sel0;
	*p++ = r->inbody1;
	*p++ = r->sel1;
	*p++ = r->eof;
	*p++ = 0;
	seal(out, JRECORD_SIZE, RECORD_MAGIC);
}

static int flag(unsigned char c)
{
	return c <= 1;
}

int jrecord_decode(struct jrecord *r, const unsigned char *in, size_t n)
{
	const unsigned char *p = in + 8;
	int state = unseal(in, n, JRECORD_SIZE, RECORD_MAGIC);

	memset(r, 0, sizeof *r);
	if (state != JREAD_OK)
		return state;
	p = get_origin(p, &r->origin);
	p = get64(p, &r->home_dev);
	p = get64(p, &r->home_ino);
	p = get64(p, &r->seq);
	p = get64(p, &r->gen);
	p = get64(p, &r->jmark);
	p = get64(p, &r->carry);
	p = get64(p, &r->len);
	p = get64(p, &r->mlen);
	p = get64(p, &r->before);
	p = get64(p, &r->after);
	p = get64(p, &r->cur_ino);
	r->first = *p++;
	r->last = *p++;
	r->inbody0 = *p++;
	r->sel0 = *p++;
	r->inbody1 = *p++;
	r->sel1 = *p++;
	r->eof = *p++;
	/* what no svlogd writes: a batch is one peek at most, moved whole or
	 * by its last byte, and its carry (a held head) lies in the journal */
	if (!r->seq || r->len > JOURNAL_BATCH_MAX ||
	    (r->len ? r->mlen != 1 && r->mlen != r->len : r->mlen != 0) ||
	    r->jmark < JOURNAL_AT || r->carry > r->jmark - JOURNAL_AT ||
	    r->carry > JOURNAL_BATCH_MAX * 32ull || r->before > r->after ||
	    !flag(r->inbody0) || !flag(r->sel0) || !flag(r->inbody1) ||
	    !flag(r->sel1) || !flag(r->eof) || *p) {
		memset(r, 0, sizeof *r);
		return JREAD_DAMAGED;
	}
	return JREAD_OK;
}

void jhead_encode(unsigned char out[JHEAD_SIZE], const struct jhead *h)
{
	unsigned char *p = out + 8;

	p = put_origin(p, &h->origin);
	p = put64(p, h->gen);
	p = put64(p, h->carry_at);
	p = put64(p, h->first.sec);
	p = put32(p, h->first.nano);
	seal(out, JHEAD_SIZE, HEAD_MAGIC);
}

int jhead_decode(struct jhead *h, const unsigned char *in, size_t n)
{
	const unsigned char *p = in + 8;
	int state = unseal(in, n, JHEAD_SIZE, HEAD_MAGIC);

	memset(h, 0, sizeof *h);
	if (state != JREAD_OK)
		return state;
	p = get_origin(p, &h->origin);
	p = get64(p, &h->gen);
	p = get64(p, &h->carry_at);
	p = get64(p, &h->first.sec);
	get32(p, &h->first.nano);
	if (h->carry_at < JOURNAL_AT || h->first.nano >= 1000000000u) {
		memset(h, 0, sizeof *h);
		return JREAD_DAMAGED;
	}
	return JREAD_OK;
}

/* --- keeping it ---------------------------------------------------------- */

void journal_init(struct journal *j, int in)
{
	memset(j, 0, sizeof *j);
	j->fd = -1;
	j->home = -1;
	j->in = in;
}

int journal_open(struct journal *j, int dirfd, int home, struct jhead *h, int *hstate)
{
	unsigned char buf[JHEAD_SIZE];
	struct stat st;
	ssize_t n;
	int e;

	j->fd = SYS.openat(dirfd, "lock", O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (j->fd < 0)
		return -1;
	if (SYS.fstat(j->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		e = errno;
		if (e == 0 || S_ISREG(st.st_mode) == 0)
			e = EINVAL;
		SYS.close(j->fd);
		j->fd = -1;
		errno = e;
		return -1;
	}
	j->home_dev = (uint64_t)st.st_dev;
	j->home_ino = (uint64_t)st.st_ino;
	j->home = home;
	j->size = (uint64_t)st.st_size < JOURNAL_AT ? JOURNAL_AT : (uint64_t)st.st_size;
	n = SYS.pread(j->fd, buf, sizeof buf, JOURNAL_HEAD_AT);
	*hstate = n < 0 ? JREAD_DAMAGED : jhead_decode(h, buf, (size_t)n);
	j->gen = h->gen;
	return 0;
}

void journal_store_head(struct journal *j, uint64_t carry_at, const struct tain *first)
{
	unsigned char buf[JHEAD_SIZE];
	struct jhead h;

	if (j->fd < 0)
		return;
	memset(&h, 0, sizeof h);
	h.origin = j->origin;
	h.gen = j->gen;
	h.carry_at = carry_at;
	if (first)
		h.first = *first;
	jhead_encode(buf, &h);
	/* best effort: without it the next svlogd takes its input for
	 * another, and ends a line rather than go on with it */
	(void)!SYS.pwrite(j->fd, buf, sizeof buf, JOURNAL_HEAD_AT);
}

/* The generation moves on first, so that no record left reads as a batch
 * still in the pipe. From here a kill may lose a line begun, or repeat a
 * batch. */
void journal_lost(struct journal *j, const char *what, int err)
{
	diag("warning", err, "unable to ", what, ", a kill may now lose or repeat lines");
	if (j->fd < 0)
		return;
	j->gen++;
	journal_store_head(j, j->size, 0);
	SYS.close(j->fd);
	j->fd = -1;
}

void journal_close_off(struct journal *j)
{
	if (j->fd < 0)
		return;
	/* unless another svlogd locked it meanwhile: it is its own now */
	if (SYS.flock(j->fd, LOCK_EX | LOCK_NB) == 0) {
		j->gen++;
		journal_store_head(j, j->size, 0);
	}
	SYS.close(j->fd);
	j->fd = -1;
}

void journal_trim(struct journal *j)
{
	if (j->fd < 0 || j->carry || j->size <= JOURNAL_AT + JOURNAL_KEEP)
		return;
	/* cut first: a record newer than the head that points past the end
	 * then reads as taken, which it is */
	if (SYS.ftruncate(j->fd, JOURNAL_AT) < 0) {
		journal_lost(j, "cut back the journal", errno);
		return;
	}
	j->size = JOURNAL_AT;
	j->gen++;
	journal_store_head(j, JOURNAL_AT, 0);
}

/* Moves n bytes from the head of the pipe to the end of the journal;
 * returns how many it could not move. */
static uint64_t journal_move(struct journal *j, uint64_t n)
{
	while (n) {
		off_t off = (off_t)j->size;
		ssize_t r = SYS.splice(j->in, j->fd, &off, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		j->size += (uint64_t)r;
		n -= (uint64_t)r;
	}
	return n;
}

/* Reads n bytes out of the pipe into buf (the bytes it holds already). */
static void pipe_drop(struct journal *j, char *buf, uint64_t n)
{
	while (n) {
		ssize_t r = SYS.read(j->in, buf, n < 65536 ? n : 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die(111, r < 0 ? errno : EPIPE, "unable to read standard input");
		n -= (uint64_t)r;
	}
}

void journal_move_or_drop(struct journal *j, char *buf, uint64_t n)
{
	uint64_t left = j->fd >= 0 ? journal_move(j, n) : n;

	if (left && j->fd >= 0)
		journal_lost(j, "write the journal", errno);
	pipe_drop(j, buf, left);
}

void journal_take(struct journal *j, const char *buf, uint64_t upto, int whole)
{
	char *p = (char *)buf + (j->taken - j->peek_at);
	uint64_t len = upto - j->taken;

	if (j->fd >= 0 && !whole) {
		pipe_drop(j, p, len - 1);
		journal_move_or_drop(j, p, 1);
	} else
		journal_move_or_drop(j, p, len);
	j->taken = upto;
}

void journal_batch(struct journal *j, struct jrecord *r, const char *buf,
    uint64_t upto, int inbody, int eof)
{
	uint64_t len = upto > j->taken ? upto - j->taken : 0;
	const unsigned char *b = len ? (const unsigned char *)buf + (j->taken - j->peek_at) : 0;

	memset(r, 0, sizeof *r);
	r->origin = j->origin;
	r->home_dev = j->home_dev;
	r->home_ino = j->home_ino;
	r->seq = ++j->seq;
	r->gen = j->gen;
	r->jmark = j->size;
	r->carry = j->carry;
	r->len = len;
	if (len) {
		r->first = b[0];
		r->last = b[len - 1];
		r->mlen = r->first != r->last ? 1 : len;
	}
	r->inbody0 = (unsigned char)j->inbody0;
	r->inbody1 = (unsigned char)inbody;
	r->eof = (unsigned char)eof;
}

int journal_store_record(int lockfd, const struct jrecord *r)
{
	unsigned char buf[JRECORD_SIZE];

	jrecord_encode(buf, r);
	return SYS.pwrite(lockfd, buf, sizeof buf, 0) == (ssize_t)sizeof buf ? 0 : -1;
}

void journal_store_records(struct journal *j, const struct journal_dirs *w, struct jrecord *r)
{
	struct jbatch_dir d;

	for (int i = 0; i < w->n; i++) {
		w->state(w->ctx, i, &d);
		if (!d.ok)
			continue;
		r->before = d.size;
		r->after = d.size + d.olen;
		r->cur_ino = d.cur_ino;
		r->sel0 = (unsigned char)d.sel0;
		r->sel1 = (unsigned char)d.sel1;
		/* best effort: without it a kill can duplicate, not lose;
		 * but the home's says what its journal holds */
		if (journal_store_record(d.lockfd, r) < 0 && i == j->home)
			journal_lost(j, "write a record", errno);
	}
}

static void write_batches(const struct journal_dirs *w)
{
	struct jbatch_dir d;

	for (int i = 0; i < w->n; i++) {
		w->state(w->ctx, i, &d);
		if (d.ok && d.olen)
			w->write(w->ctx, i);
	}
}

int journal_commit(struct journal *j, const struct journal_dirs *w, const char *buf,
    uint64_t upto, int inbody, int eof, int take)
{
	uint64_t len = upto > j->taken ? upto - j->taken : 0;
	struct jbatch_dir d;
	int any = 0;

	for (int i = 0; i < w->n && !any; i++) {
		w->state(w->ctx, i, &d);
		any = d.ok && d.olen;
	}
	if (!any && !len && !(eof && j->carry))
		return 0;
	if (j->fd >= 0) {
		struct jrecord r;

		journal_batch(j, &r, buf, upto, inbody, eof);
		journal_store_records(j, w, &r);
		write_batches(w);
		if (len)
			journal_take(j, buf, upto, r.mlen > 1);
		if (eof) {
			/* the input is done with: nothing in the journal or the
			 * pipe is to be read again, whatever current becomes */
			j->gen++;
			journal_store_head(j, j->size, 0);
		}
	} else {
		write_batches(w);
		if (take && len)
			journal_take(j, buf, upto, 0);
	}
	j->carry = 0;
	j->inbody0 = inbody;
	journal_trim(j);
	return 1;
}

void journal_hold(struct journal *j, char *buf, const struct tain *first)
{
	uint64_t n = j->fed - j->taken;

	if (j->fd >= 0 && !j->carry)
		journal_store_head(j, j->size, first);
	journal_move_or_drop(j, buf, n);
	if (j->fd >= 0)
		j->carry += n;
	j->taken += n;
}

/*
 * The order is what makes it safe: until the records name the new home,
 * the newest record names the old one, whose journal (head and held head)
 * is untouched, so a kill finds the world as before the move; the bytes
 * and head written in the new lock meanwhile are past any record there.
 * Once a record names the new home, it holds the held head already. The
 * old home is closed off last (a next svlogd no longer looks there).
 */
int journal_rehome(struct journal *j, const struct journal_dirs *w, int home, int dirfd,
    const char *held, const struct tain *first)
{
	struct journal old = *j;
	struct jrecord r;
	struct jhead h;
	uint64_t n = j->carry, carry_at;
	int state = JREAD_NONE, e;

	if (j->fd < 0)
		return -1;
	memset(&h, 0, sizeof h);
	j->fd = -1;
	if (home < 0 || journal_open(j, dirfd, home, &h, &state) < 0) {
		e = home < 0 ? DIAG_NOERR : errno;
		journal_close_off(&old);
		journal_lost(j, "move the journal", e);
		return -1;
	}
	/* no record left in the new lock reads as a batch of this journal */
	j->gen = h.gen + 1;
	carry_at = j->size;
	if (n && SYS.pwrite(j->fd, held, (size_t)n, (off_t)carry_at) != (ssize_t)n) {
		e = errno;
		journal_close_off(&old);
		journal_lost(j, "write the journal", e);
		return -1;
	}
	journal_store_head(j, carry_at, n ? first : 0);
	/* an empty batch at the held head's start, in every lock: the
	 * newest record tells a next svlogd where the journal is */
	j->carry = 0;
	journal_batch(j, &r, 0, j->taken, j->inbody0, 0);
	j->size += n;
	j->carry = n;
	journal_store_records(j, w, &r);
	journal_close_off(&old);
	return j->fd < 0 ? -1 : state;
}

int journal_head_may_wait(const struct journal *j, int wakes, uint64_t wait_max)
{
	return wakes && j->fd >= 0 && j->provable && j->fed - j->taken <= wait_max;
}

int journal_read_record(int lockfd, struct jrecord *r)
{
	unsigned char buf[JRECORD_SIZE];
	ssize_t n = SYS.pread(lockfd, buf, sizeof buf, 0);

	if (n < 0) {
		memset(r, 0, sizeof *r);
		return JREAD_DAMAGED;
	}
	return jrecord_decode(r, buf, (size_t)n);
}

/* --- after a kill -------------------------------------------------------- */

int journal_settle(struct journal *j, const struct jrecord *c, int *same,
    int (*peek_first)(unsigned char *b), char *buf)
{
	uint64_t moved;
	unsigned char b;

	if (!c || c->gen != j->gen || j->size < c->jmark)
		return 0; /* the journal moved on since: c is long out of the pipe */
	moved = j->size - c->jmark;
	if (!c->len)
		return c->carry && !moved; /* all of it in the journal */
	if (moved >= c->mlen)
		return 0;
	if (!*same)
		return 1; /* what is left of it went with the old pipe */
	if (moved) {
		journal_move_or_drop(j, buf, c->mlen - moved); /* moved whole, partly */
		return 0;
	}
	if (!peek_first(&b)) {
		*same = 0;
		return 1;
	}
	if (c->mlen == 1 && c->len > 1 && b == c->last) {
		/* read out but for its last byte; a batch of one byte is
		 * never that: while in the pipe, all of it is */
		journal_move_or_drop(j, buf, 1);
		return 0;
	}
	if (b == c->first)
		return 1;
	*same = 0; /* not what the record says: another input */
	return 1;
}


static int same_origin(const struct jorigin *a, const struct jorigin *b)
{
	return a->dev == b->dev && a->ino == b->ino && !memcmp(a->boot, b->boot, sizeof a->boot);
}

/* d's journal head, if it is valid and holds a held head's start. */
static int held_head(const struct jdir *d, struct jhead *h)
{
	unsigned char b[JHEAD_SIZE];
	ssize_t r;

	if (!d->ok)
		return 0;
	r = SYS.pread(d->lockfd, b, sizeof b, JOURNAL_HEAD_AT);
	return r > 0 && jhead_decode(h, b, (size_t)r) == JREAD_OK && h->first.sec;
}

/*
 * The directory whose lock holds the journal, or the first in use if none
 * can be told; -1 if none is in use. *moved: the newest batch names a lock
 * no directory here has (the directory list changed).
 *
 * The journal is where the newest record says: whoever moves it (a
 * recovery whose home is not listed, svlogd's journal_rehome) names the new
 * home in a record before it takes any input there. With no record yet, it
 * is where a held head is (the list may have been reordered).
 */
static int find_home(const struct jdir *d, int n, const struct jrecord *newest, int *moved)
{
	struct stat st;
	struct jhead h;

	*moved = 0;
	for (int i = 0; newest && i < n; i++)
		if (d[i].ok && SYS.fstat(d[i].lockfd, &st) == 0 &&
		    (uint64_t)st.st_dev == newest->home_dev &&
		    (uint64_t)st.st_ino == newest->home_ino)
			return i;
	if (!newest) {
		/* no batch yet: where a held head is; of two (an svlogd that
		 * saw only some of the list held one of its own), the newer */
		int best = -1;
		struct tain t = { 0, 0 };
		for (int i = 0; i < n; i++)
			if (held_head(&d[i], &h) && (best < 0 || tain_less(&t, &h.first))) {
				best = i;
				t = h.first;
			}
		if (best >= 0)
			return best;
	}
	*moved = newest != 0;
	for (int i = 0; i < n; i++)
		if (d[i].ok)
			return i;
	return -1;
}

/*
 * Numbers batches on past any an svlogd may have numbered in a lock not
 * listed here (a directory list that changed, a directory dropped with
 * the journal's home): as time does, and never back.
 */
static void seq_past_unseen(struct journal *j)
{
	struct timespec ts;
	uint64_t now;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || ts.tv_sec <= 0)
		return;
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (now > j->seq)
		j->seq = now;
}

/*
 * The journal moved here from a home not listed: say so, before anything
 * is taken, in a head of no held head and in an empty batch in every lock
 * listed, numbered past any record the old home's directory may hold (its
 * svlogd may have been killed between records: the newest there may be one
 * further than any here). A next recovery then finds the journal by its
 * newest record alone, whatever comes back; killed before the first
 * record, it finds the world as it was.
 */
static void announce_move(struct journal *j, struct jdir *d, int n)
{
	struct jrecord r;
	struct stat st;

	seq_past_unseen(j);
	journal_store_head(j, j->size, 0);
	memset(&r, 0, sizeof r);
	r.origin = j->origin;
	r.home_dev = j->home_dev;
	r.home_ino = j->home_ino;
	r.seq = ++j->seq;
	r.gen = j->gen;
	r.jmark = j->size;
	for (int i = 0; i < n; i++) {
		if (!d[i].ok)
			continue;
		r.before = r.after = r.cur_ino = 0;
		if (SYS.fstatat(d[i].fd, "current", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
			r.before = r.after = (uint64_t)st.st_size;
			r.cur_ino = (uint64_t)st.st_ino;
		}
		if (journal_store_record(d[i].lockfd, &r) < 0 && i == j->home)
			journal_lost(j, "write a record", errno);
	}
}

/* current is no longer what d's record says, though it was written by the
 * same pipe: someone else wrote it, or replaced it with what they wrote.
 * current found removed, or new and empty (a rotation) tells nothing. */
static int current_changed(const struct jdir *d)
{
	struct stat st;

	if (SYS.fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (!S_ISREG(st.st_mode))
		return 1;
	if ((uint64_t)st.st_ino != d->rec.cur_ino)
		return st.st_size > 0;
	return (uint64_t)st.st_size < d->rec.before || (uint64_t)st.st_size > d->rec.after;
}

/* Cuts current (of inode ino) back to size; 0, or -1 with errno. */
static int cut_back(const struct jdir *d, uint64_t ino, uint64_t size)
{
	struct stat st;
	int fd = SYS.openat(d->fd, "current", O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), r = -1;

	if (fd < 0)
		return -1;
	if (SYS.fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_ino == ino)
		r = SYS.ftruncate(fd, (off_t)size);
	else
		errno = EINVAL;
	SYS.close(fd);
	return r;
}

/*
 * Whether d's batch r starts where the pending batch c does: c itself, or an
 * older batch of the same input that was never taken (a recovering svlogd
 * killed between its records numbered the same input again): same journal,
 * same generation, the journal not grown since, the same held head, and r
 * no longer than c.
 */
static int same_start(const struct jrecord *r, const struct jrecord *c)
{
	return r->seq == c->seq ||
	    (r->seq < c->seq && r->gen == c->gen && r->jmark == c->jmark &&
	    r->carry == c->carry && r->len <= c->len && same_origin(&r->origin, &c->origin) &&
	    r->home_dev == c->home_dev && r->home_ino == c->home_ino);
}

/* What this directory has of the newest batch c, and where it stands. */
static void settle_dir(struct jdir *d, const struct jrecord *c, int pending, int same)
{
	const struct jrecord *r = &d->rec;
	struct stat st;
	int torn = 0, at_c;

	/* all of it needs the record to be about this current */
	if (!d->ok || d->rec_state != JREAD_OK ||
	    SYS.fstatat(d->fd, "current", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode) || (uint64_t)st.st_ino != r->cur_ino)
		return;
	at_c = pending && same_start(r, c);
	d->rec_ok = (uint64_t)st.st_size == r->after;
	if ((uint64_t)st.st_size >= r->before && (uint64_t)st.st_size < r->after &&
	    at_c && same && r->after - r->before <= d->batch_room) {
		/* a torn write of a batch the pipe gives again: cut back to
		 * where it began (a torn write of any other is kept) */
		d->rec_ok = cut_back(d, r->cur_ino, r->before) == 0;
		if (!d->rec_ok)
			diag("warning", errno, "unable to cut back torn write: ", d->name);
		torn = 1;
	}
	if (at_c && d->rec_ok && !torn) {
		/* r is in current: it skips r, and goes on where r ended */
		d->skip = r->carry + (same ? r->len : 0);
		d->skip_sel = same && r->inbody1 && r->sel1;
	}
	if (!same)
		return;
	if (at_c)
		d->sel = r->inbody0 && r->sel0;
	else if (pending && r->seq + 1 == c->seq)
		d->sel = r->inbody1 && r->sel1;
	else if (!pending && r->seq == c->seq)
		d->sel = c->inbody1 && r->sel1;
}

void journal_recover(struct journal *j, struct jdir *d, int n, size_t linemax,
    int (*peek_first)(unsigned char *b), char *buf, struct jreplay *rp)
{
	struct jhead h;
	const struct jrecord *c = 0, *newest = 0;
	int same, pending, inbody_at, home, moved, head = 0, damaged = 0, overrun = 0;
	uint64_t from, upto;

	memset(rp, 0, sizeof *rp);
	for (int i = 0; i < n; i++) {
		if (!d[i].ok)
			continue;
		d[i].rec_state = journal_read_record(d[i].lockfd, &d[i].rec);
		if (d[i].rec_state == JREAD_DAMAGED) {
			diag("warning", DIAG_NOERR, "damaged record, not trusted: ", d[i].name, "/lock");
			damaged = 1;
		}
		if (d[i].rec_state != JREAD_OK)
			continue;
		if (d[i].rec.seq > j->seq)
			j->seq = d[i].rec.seq;
		if (!newest || d[i].rec.seq > newest->seq)
			newest = &d[i].rec;
	}
	if (!newest)
		seq_past_unseen(j); /* no record to number on from */
	home = find_home(d, n, newest, &moved);
	if (home < 0 || journal_open(j, d[home].fd, home, &h, &head) < 0) {
		journal_lost(j, "open the journal", home < 0 ? DIAG_NOERR : errno);
		return;
	}
	if (head == JREAD_DAMAGED)
		diag("warning", DIAG_NOERR, "damaged journal head, not trusted: ", d[home].name, "/lock");
	/* a journal moved from a home no longer listed goes on at the
	 * generation after the newest record's (announce_move names it) */
	if (moved)
		j->gen = newest->gen + 1;
	head = head == JREAD_OK;
	/* a directory whose record is damaged is trusted for nothing, and the
	 * others say what the batch was; with no record left, the input is
	 * another */
	same = !(damaged && !newest) && head && !moved && j->provable &&
	    same_origin(&h.origin, &j->origin);
	if (newest && newest->home_dev == j->home_dev && newest->home_ino == j->home_ino &&
	    (!head || same_origin(&newest->origin, &h.origin)))
		c = newest;
	if (c && !head)
		j->gen = c->gen; /* a damaged head: the record says which journal */
	for (int i = 0; same && i < n; i++)
		if (d[i].ok && d[i].rec_state == JREAD_OK &&
		    same_origin(&d[i].rec.origin, &j->origin) && current_changed(&d[i])) {
			diag("warning", DIAG_NOERR,
			    "current written by another since, taking the input as another: ", d[i].name);
			same = 0;
			overrun = 1;
		}

	/* a held head and no batch yet: current was empty when it was held
	 * (or had no record of ours, from before an upgrade, where ending the
	 * head early is the price); written since, someone else read on */
	for (int i = 0; same && !newest && h.first.sec && i < n; i++) {
		struct stat st;
		if (d[i].ok && SYS.fstatat(d[i].fd, "current", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_size > 0) {
			diag("warning", DIAG_NOERR,
			    "current written by another since, taking the input as another: ", d[i].name);
			same = 0;
			overrun = 1;
		}
	}
	pending = journal_settle(j, c, &same, peek_first, buf);
	if (pending) {
		inbody_at = c->inbody0;
		from = c->jmark - c->carry;
		upto = c->jmark;
	} else {
		inbody_at = c ? c->inbody1 : 0;
		upto = j->size;
		if (c && c->gen == j->gen)
			from = c->jmark + c->mlen;
		else if (c || (head && h.first.sec && !damaged))
			from = JOURNAL_AT;
		else
			from = upto; /* no batch to go by (none yet: a held head
			              * announced counts), nothing read back */
		if (head && h.carry_at > from)
			from = h.carry_at;
	}
	/* a held head is all that can be in the journal past its last batch */
	if ((!head && !c) || inbody_at || from < JOURNAL_AT || from > upto || upto - from >= linemax)
		from = upto;
	rp->n = (size_t)(upto - from);
	rp->first = h.first;
	if (!(head && h.carry_at == from && h.first.sec))
		tain_now(&rp->first);
	if (rp->n && (!(rp->bytes = malloc(rp->n)) ||
	    SYS.pread(j->fd, rp->bytes, rp->n, (off_t)from) != (ssize_t)rp->n))
		die(111, errno, "unable to read the journal");
	/* on another input, no record left names a batch of this journal
	 * (a moved journal has its generation already) */
	if (!same && !moved)
		j->gen++;
	if (moved)
		announce_move(j, d, n);
	if (overrun && head && same_origin(&h.origin, &j->origin)) {
		/* the input is taken as another; what told (a current written
		 * by another) may be set aside before this svlogd writes
		 * anything: a next one, should this one be killed, must not
		 * take the input (a held head, a batch) up either. A head of
		 * no pipe says so */
		unsigned char b[JHEAD_SIZE];
		struct jhead x = h;
		memset(&x.origin, 0, sizeof x.origin);
		x.gen = j->gen;
		x.carry_at = rp->n ? from : j->size;
		if (rp->n)
			x.first = rp->first;
		else
			memset(&x.first, 0, sizeof x.first);
		jhead_encode(b, &x);
		(void)!SYS.pwrite(j->fd, b, sizeof b, JOURNAL_HEAD_AT);
	}
	if (damaged && !newest) {
		/* nothing here is trusted: say so in the head (no held head),
		 * then clear the damaged records, so that a next recovery,
		 * should this svlogd be killed, trusts the head it will write */
		static const unsigned char zero[JRECORD_SIZE];
		unsigned char b[JHEAD_SIZE];
		struct jhead x;
		memset(&x, 0, sizeof x);
		x.gen = j->gen;
		x.carry_at = j->size;
		jhead_encode(b, &x);
		if (SYS.pwrite(j->fd, b, sizeof b, JOURNAL_HEAD_AT) == (ssize_t)sizeof b)
			for (int i = 0; i < n; i++)
				if (d[i].ok && d[i].rec_state == JREAD_DAMAGED)
					(void)!SYS.pwrite(d[i].lockfd, zero, sizeof zero, 0);
	}
	rp->ends = !same || (pending && c->eof);
	rp->resume_body = same && inbody_at;
	for (int i = 0; c && i < n; i++)
		settle_dir(&d[i], c, pending, same);
	j->taken = j->carry = j->fed = rp->n;
	j->inbody0 = rp->resume_body;
}
